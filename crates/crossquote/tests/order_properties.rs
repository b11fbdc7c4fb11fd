//! Property tests of orders on the built-in profile, 1,000 cases each (an order quotes
//! every service and searches the largest discount, so a case costs a few hundred
//! single quotes): line amounts sum to the total, shared costs are allocated to the cent,
//! a one-item order is today's single quote, an accepted offer keeps the floor on the
//! shipment as it ships.
#![allow(clippy::arithmetic_side_effects, clippy::unwrap_used)]

use crossquote::b2b::{self, B2bRequest, FreightCost, Incoterm, PurchaseCost, ShipmentFee};
use crossquote::b2c::{
    self, B2cRequest, Decision, Per, ProfitBasis, ProfitTarget, Shipping, UnitCosts,
};
use crossquote::breakdown::Breakdown;
use crossquote::logistics::{self, Parcel, Pricing};
use crossquote::order::retail::{self, RetailItem, RetailOrder};
use crossquote::order::wholesale::{self, CartonSpec, Freight, WholesaleLine, WholesaleOrder};
use crossquote::order::{Allocation, Offer};
use crossquote::profile::Profile;
use crossquote::{Currency, Decimal, Money, Percent};
use proptest::prelude::*;

fn profile() -> Profile {
    crossquote::defaults::default_profile().unwrap()
}

fn dec(max: i64, scale: u32) -> impl Strategy<Value = Decimal> {
    (1..=max).prop_map(move |m| Decimal::new(m, scale))
}

fn sums(b: &Breakdown) -> bool {
    b.lines.iter().map(|l| l.amount).sum::<Decimal>() == b.total
}

prop_compose! {
    fn item()(cost in dec(30_000, 2), w in dec(1_500, 3), l in dec(400, 1), wd in dec(300, 1),
              h in dec(150, 1), q in 1..6u32) -> RetailItem {
        RetailItem {
            name: String::new(),
            cost,
            packaging: Decimal::ZERO,
            other: Decimal::ZERO,
            parcel: Parcel { weight_kg: w, length_cm: l, width_cm: wd, height_cm: h },
            quantity: q,
        }
    }
}

prop_compose! {
    fn basket()(items in prop::collection::vec(item(), 1..4),
                country in prop::sample::select(vec!["BR", "US", "ES", "RU", "JP", "GB", "AU"]),
                platform in prop::sample::select(vec!["aliexpress", "amazon", "shopee", "ebay"]),
                margin in 500..4000i64, floor in 0..1500i64,
                allocation in prop::sample::select(vec![Allocation::Weight, Allocation::Volume, Allocation::Value, Allocation::Quantity]),
                offer_pct in 50..110i64,
                service in prop::sample::select(vec![retail::CHEAPEST, retail::CHEAPEST, "cn-post-registered"])) -> (RetailOrder, i64) {
        (RetailOrder {
            platform: platform.to_owned(),
            country: country.to_owned(),
            items,
            service: service.to_owned(),
            remote: false,
            profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(Decimal::new(margin, 2)) },
            promotion: None,
            coupons: Vec::new(),
            price_rounding: Default::default(),
            fx: Default::default(),
            allocation,
            floor_margin: Percent::new(Decimal::new(floor, 2)),
            offer: None,
        }, offer_pct)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_basket_sums_to_the_cent((order, offer_pct) in basket()) {
        let p = profile();
        let Ok(q) = retail::quote(&order, &p) else { return Ok(()) };
        // Line amounts sum to the total, and both breakdowns to their totals.
        let lines: Decimal = q.lines.iter().map(|l| l.amount.amount).sum();
        prop_assert_eq!(lines, q.total.amount);
        prop_assert!(sums(&q.breakdown) && sums(&q.seller_breakdown));
        for l in &q.lines {
            prop_assert_eq!(l.amount.amount, l.quote.sale_price.amount * Decimal::from(l.quantity));
        }
        // The allocated shares are the basket's shipping, to the cent.
        let shares: Decimal = q.lines.iter().map(|l| l.shipping_share.amount).sum();
        prop_assert_eq!(shares, q.shipping_seller.round(crossquote::Rounding::HalfUp).amount);
        // Every parcel is within the service's limits and holds every piece once.
        let service = p.service(&q.shipping.quote.service).unwrap();
        for parcel in &q.shipping.parcels {
            prop_assert!(service.quote_parcel(&parcel.parcel, &order.country, false).is_ok());
        }
        for (i, it) in order.items.iter().enumerate() {
            let packed: u32 = q.shipping.parcels.iter()
                .flat_map(|p| p.contents.iter()).filter(|(k, _)| *k == i).map(|(_, n)| n).sum();
            prop_assert_eq!(packed, it.quantity);
        }

        // An offer: accepted only when the order keeps the floor on the real shipment,
        // worked out here again from each item's request with its real shipping share.
        let total = q.total.amount * Decimal::new(offer_pct, 2);
        let with_offer = RetailOrder {
            offer: Some(Offer { unit_prices: None, total: Some(total.round_dp(2).max(Decimal::new(1, 2))), max_counter_gap: Percent::new(Decimal::from(20)) }),
            ..order.clone()
        };
        let v = retail::quote(&with_offer, &p).unwrap().offer.unwrap();
        if v.decision == Decision::Accept {
            let platform = p.platform(&order.platform).unwrap();
            let market = p.market(&order.country).unwrap();
            if platform.fixed_fees.iter().any(|f| f.per == Per::Order) && q.lines.len() > 1 {
                // Per-order fees are shared between the items: the shares are the core's.
                return Ok(());
            }
            let (mut revenue, mut profit) = (Decimal::ZERO, Decimal::ZERO);
            for ((it, line), price) in order.items.iter().zip(&q.lines).zip(&v.unit_prices) {
                let req = B2cRequest {
                    seller_currency: p.seller_currency,
                    quote_currency: market.currency,
                    quantity: it.quantity,
                    costs: UnitCosts { purchase: it.cost, ..UnitCosts::default() },
                    shipping: Some(Shipping { amount: line.shipping_share.amount, per: Per::Order }),
                    fees: platform.fees.clone(),
                    fixed_fees: platform.fixed_fees.clone(),
                    profit: order.profit,
                    fx: order.fx,
                    promotion: None,
                    coupons: Vec::new(),
                    price_rounding: Default::default(),
                };
                let e = b2c::evaluate(&req, &p.rates, price.amount).unwrap();
                revenue += price.amount * Decimal::from(it.quantity);
                profit += e.profit.amount * Decimal::from(it.quantity);
            }
            prop_assert_eq!(revenue, v.total.amount);
            prop_assert!(profit >= revenue * order.floor_margin.fraction(),
                "accepted at {} with profit {} under the floor {}", revenue, profit, order.floor_margin);
        }
    }

    #[test]
    fn a_one_item_order_is_the_single_quote(it in item(), country in prop::sample::select(vec!["BR", "US", "ES", "RU"]),
                                            margin in 500..4000i64) {
        let p = profile();
        let it = RetailItem { quantity: 1, ..it };
        let order = RetailOrder {
            platform: "aliexpress".into(),
            country: country.into(),
            items: vec![it.clone()],
            service: retail::CHEAPEST.into(),
            remote: false,
            profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(Decimal::new(margin, 2)) },
            promotion: None,
            coupons: Vec::new(),
            price_rounding: Default::default(),
            fx: Default::default(),
            allocation: Allocation::Weight,
            floor_margin: Percent::ZERO,
            offer: None,
        };
        // Today's single quote: the parcel's cheapest service folded in as free shipping.
        let (options, _) = logistics::options(&p.services, std::slice::from_ref(&it.parcel), country, false, Pricing::PerParcel);
        let got = retail::quote(&order, &p);
        let Some(cheapest) = options.first() else {
            prop_assert!(got.is_err());
            return Ok(());
        };
        let market = p.market(country).unwrap();
        let req = B2cRequest {
            seller_currency: p.seller_currency,
            quote_currency: market.currency,
            quantity: 1,
            costs: UnitCosts { purchase: it.cost, ..UnitCosts::default() },
            shipping: Some(cheapest.as_b2c_shipping(p.seller_currency, &p.rates).unwrap()),
            fees: p.platform("aliexpress").unwrap().fees.clone(),
            fixed_fees: Vec::new(),
            profit: order.profit,
            fx: Default::default(),
            promotion: None,
            coupons: Vec::new(),
            price_rounding: Default::default(),
        };
        let single = b2c::quote(&req, &p.rates).unwrap();
        let q = got.unwrap();
        prop_assert_eq!(&q.shipping.quote.service, &cheapest.service);
        prop_assert_eq!(&q.lines[0].quote, &single);
        prop_assert_eq!(q.total, single.sale_price);
    }
}

prop_compose! {
    fn line()(cost in dec(50_000, 2), pieces in 1..200u32, kg in dec(3_000, 2),
              l in dec(800, 1), w in dec(600, 1), h in dec(600, 1), q in 1..5_000u32,
              by_volume in any::<bool>()) -> WholesaleLine {
        WholesaleLine {
            sku: String::new(),
            description: String::new(),
            hs_code: String::new(),
            cost: PurchaseCost { unit_cost: cost, vat_rate: Percent::new(Decimal::from(13)), rebate_rate: Percent::new(Decimal::from(9)) },
            carton: if by_volume {
                CartonSpec { pieces, gross_kg: kg, size_cm: None, cbm: Some(l * w * h / Decimal::from(1_000_000)) }
            } else {
                CartonSpec { pieces, gross_kg: kg, size_cm: Some([l, w, h]), cbm: None }
            },
            quantity: q,
            moq: None,
            lot: None,
            profit: None,
            tiers: Vec::new(),
        }
    }
}

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

fn cny() -> Currency {
    Currency::from_code("CNY").unwrap()
}

prop_compose! {
    fn order()(lines in prop::collection::vec(line(), 1..6), fee_a in dec(500_000, 2), fee_b in dec(100_000, 2),
               freight in dec(1_000_000, 2), mode in 0..3u8, profit in 100..3000i64,
               allocation in prop::sample::select(vec![Allocation::Weight, Allocation::Volume, Allocation::Value, Allocation::Quantity])) -> WholesaleOrder {
        let freight = match mode {
            0 => Freight::Amount { amount: Money::new(freight, usd()) },
            1 => Freight::Wm { tariff: crossquote::from_json(r#"{"rate": {"amount": "55", "currency": "USD"}, "cbm_per_tonne": "2", "surcharges": ["8"], "min_freight_tons": "1"}"#).unwrap() },
            _ => Freight::Fcl { container: "40HQ".into(), box_rate: Money::new(Decimal::from(3100), usd()) },
        };
        WholesaleOrder {
            buyer: Default::default(),
            term: Incoterm::Cif,
            place: "Santos".into(),
            quote_currency: usd(),
            payment: Default::default(),
            date: None,
            validity_days: 30,
            reference: None,
            sequence: 1,
            lines,
            shipment_fees: vec![
                ShipmentFee { name: "Inland".into(), amount: fee_a, stage: Default::default() },
                ShipmentFee { name: "Customs".into(), amount: fee_b, stage: Default::default() },
            ],
            freight: Some(freight),
            insurance: Some(crossquote::from_json(r#"{"rate": "0.4"}"#).unwrap()),
            destination: None,
            allocation,
            profit: Percent::new(Decimal::new(profit, 2)),
            bank_charges: Percent::new(Decimal::new(3, 1)),
            commission: Percent::ZERO,
            handling: Percent::ZERO,
            loan: None,
            fx: Default::default(),
            price_rounding: Default::default(),
            min_margin: Percent::ZERO,
            offer: None,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_wholesale_order_sums_and_allocates_to_the_cent(o in order()) {
        let p = profile();
        let q = wholesale::quote(&o, &p).unwrap();
        let amounts: Decimal = q.lines.iter().map(|l| l.amount.amount).sum();
        prop_assert_eq!(amounts, q.total.amount);
        prop_assert!(sums(&q.breakdown));
        for l in &q.lines {
            prop_assert_eq!(l.amount.amount, l.unit_price.amount * Decimal::from(l.quantity));
            prop_assert!(sums(&l.quote.order_breakdown) && sums(&l.quote.breakdown));
        }
        let freight: Decimal = q.lines.iter().filter_map(|l| l.freight_share).map(|m| m.amount).sum();
        prop_assert_eq!(freight, q.shipment.freight.unwrap().amount);
        let fees: Decimal = q.lines.iter().map(|l| l.fees_share.amount).sum();
        prop_assert_eq!(fees, o.shipment_fees.iter().map(|f| f.amount).sum::<Decimal>());
        // The order breakdown's freight line is the shipment's freight to the cent.
        let line = q.breakdown.lines.iter().find(|l| l.label == "Freight").map_or(Decimal::ZERO, |l| l.amount);
        prop_assert_eq!(line, q.shipment.freight.unwrap().amount);
        // Each line meets the profit target on its own rounded price.
        for l in &q.lines {
            let m = l.quote.breakdown.amount(crossquote::breakdown::LineKind::Profit);
            prop_assert!(m >= l.unit_price.amount * o.profit.fraction() - Decimal::new(5, 3) * Decimal::from(l.quote.breakdown.lines.len()));
        }
    }

    /// A line's tier table is a function of the product and the terms: typing another
    /// quantity (or adding another line) moves no row, whatever the freight (an amount is a
    /// shipment's price, taken whole at each tier as the fees are).
    #[test]
    fn tier_tables_do_not_move_with_the_quantity_ordered(o in order(), other in 1..5_000u32) {
        let p = profile();
        let tiers = vec![
            wholesale::TierBreak { min_qty: 100, discount: None },
            wholesale::TierBreak { min_qty: 1000, discount: None },
        ];
        let mut a = o.clone();
        a.lines.truncate(1);
        a.lines[0].tiers = tiers;
        let mut b = a.clone();
        b.lines[0].quantity = other;
        b.lines.extend(o.lines.iter().skip(1).cloned());
        let rows = |w: &WholesaleOrder| wholesale::quote(w, &p).map(|q| q.lines[0].tiers.clone());
        match (rows(&a), rows(&b)) {
            (Ok(x), Ok(y)) => prop_assert_eq!(x, y),
            // A tier no price can reach is refused the same way in both.
            (Err(x), Err(y)) => prop_assert_eq!(x.to_string(), y.to_string()),
            (x, y) => prop_assert!(false, "{:?} vs {:?}", x.map(|_| ()), y.map(|_| ())),
        }
    }

    /// Quoting an order again and again as it is edited, keeping the tier tables in a
    /// memo, gives each time what a fresh quote gives.
    #[test]
    fn a_memo_of_tier_tables_changes_no_answer(o in order(), q in 1..5_000u32, cost in dec(50_000, 2),
                                                 profit in 100..3000i64, which in 0..4u8) {
        let p = profile();
        let mut o = o;
        for l in &mut o.lines {
            l.tiers = vec![wholesale::TierBreak { min_qty: 50, discount: None }, wholesale::TierBreak { min_qty: 800, discount: None }];
        }
        let mut memo = wholesale::TierMemo::default();
        let first = wholesale::quote_with(&o, &p, &mut memo);
        prop_assert_eq!(&first, &wholesale::quote(&o, &p));
        // One edit: a quantity, a cost, the profit target, or a line removed.
        let mut e = o.clone();
        match which {
            0 => e.lines[0].quantity = q,
            1 => e.lines[0].cost.unit_cost = cost,
            2 => e.profit = Percent::new(Decimal::new(profit, 2)),
            _ => { e.lines.remove(0); }
        }
        if e.lines.is_empty() {
            return Ok(());
        }
        let again = wholesale::quote_with(&e, &p, &mut memo);
        prop_assert_eq!(again, wholesale::quote(&e, &p));
    }

    #[test]
    fn a_one_line_order_is_the_single_b2b_quote(l in line(), freight in dec(1_000_000, 2), fee in dec(500_000, 2)) {
        let p = profile();
        let o = WholesaleOrder {
            lines: vec![l.clone()],
            freight: Some(Freight::Amount { amount: Money::new(freight, usd()) }),
            shipment_fees: vec![ShipmentFee { name: "Inland".into(), amount: fee, stage: Default::default() }],
            ..order_template()
        };
        let q = wholesale::quote(&o, &p).unwrap();
        let single = B2bRequest {
            seller_currency: cny(),
            quote_currency: usd(),
            quantity: l.quantity,
            cost: l.cost.clone(),
            shipment_fees: o.shipment_fees.clone(),
            handling: Percent::ZERO,
            loan: None,
            term: Incoterm::Cif,
            freight: Some(FreightCost { amount: Money::new(freight, usd()), per: b2b::Basis::Shipment }),
            insurance: o.insurance,
            destination: None,
            profit: o.profit,
            bank_charges: o.bank_charges,
            commission: Percent::ZERO,
            lc_discount: None,
            fx: Default::default(),
            price_rounding: Default::default(),
        };
        prop_assert_eq!(&q.lines[0].quote, &b2b::quote(&single, &p.rates).unwrap());
    }
}

fn order_template() -> WholesaleOrder {
    crossquote::from_json(
        r#"{"term": "CIF", "quote_currency": "USD", "lines": [], "insurance": {"rate": "0.4"},
            "profit": "12", "bank_charges": "0.3"}"#,
    )
    .unwrap()
}
