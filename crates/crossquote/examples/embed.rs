//! Calling the core from another Rust service: a shop's order handler quotes each line of
//! a basket for a buyer in USD from the built-in profile's rates and a platform's fees,
//! and prints the price with its breakdown. Run: `cargo run -p crossquote --example embed`.

use crossquote::b2c::{
    self, B2cRequest, Fee, FeeKind, FeeRule, FxSettings, Per, ProfitBasis, ProfitTarget, Shipping,
    UnitCosts,
};
use crossquote::grid::PriceRounding;
use crossquote::{Currency, Decimal, Percent};

/// A basket line as the shop keeps it: SKU, purchase cost in CNY, shipping per unit.
struct BasketLine {
    sku: &'static str,
    cost_cny: Decimal,
    shipping_cny: Decimal,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Once at start-up: the seller profile (here the built-in one) and its rates.
    let profile = crossquote::defaults::default_profile().map_err(|e| format!("{e:?}"))?;
    let usd = Currency::from_code("USD")?;
    let cny = profile.seller_currency;
    let fees = vec![
        Fee {
            name: "Platform commission".into(),
            kind: FeeKind::Commission,
            rule: FeeRule::Percent(Percent::new(Decimal::new(8, 0))),
        },
        Fee {
            name: "Payment".into(),
            kind: FeeKind::Payment,
            rule: FeeRule::Percent(Percent::new(Decimal::new(3, 0))),
        },
    ];
    let basket = [
        BasketLine {
            sku: "MUG-01",
            cost_cny: Decimal::new(1250, 2),
            shipping_cny: Decimal::new(1840, 2),
        },
        BasketLine {
            sku: "LAMP-02",
            cost_cny: Decimal::new(4800, 2),
            shipping_cny: Decimal::new(5200, 2),
        },
    ];
    // Per request: one quote per line; every failure is a typed error naming the field.
    for line in &basket {
        let req = B2cRequest {
            seller_currency: cny,
            quote_currency: usd,
            quantity: 1,
            costs: UnitCosts { purchase: line.cost_cny, ..UnitCosts::default() },
            shipping: Some(Shipping { amount: line.shipping_cny, per: Per::Unit }),
            fees: fees.clone(),
            fixed_fees: Vec::new(),
            profit: ProfitTarget {
                basis: ProfitBasis::Margin,
                percent: Percent::new(Decimal::new(20, 0)),
            },
            fx: FxSettings::default(),
            promotion: None,
            coupons: Vec::new(),
            price_rounding: PriceRounding::default(),
        };
        let quote = b2c::quote(&req, &profile.rates)?;
        println!("{}: {} {}", line.sku, quote.sale_price.amount, quote.sale_price.currency);
        for l in &quote.at_price.breakdown.lines {
            println!("    {:<24} {:>8}", l.label, l.amount);
        }
    }
    Ok(())
}
