//! Calling the core from another Rust service: a shop's order handler quotes a basket for a
//! buyer in the US on the built-in profile (its shipping services, AliExpress-like fees
//! and US market), the items shipped together, and prints each line, the shipping used,
//! the order's total and its breakdown. Run: `cargo run -p crossquote --example embed`.

use crossquote::b2c::{ProfitBasis, ProfitTarget};
use crossquote::logistics::Parcel;
use crossquote::order::retail::{self, RetailItem, RetailOrder};
use crossquote::{Decimal, Percent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Once at start-up: the seller profile (here the built-in one).
    let profile = crossquote::defaults::default_profile().map_err(|e| format!("{e:?}"))?;
    let piece = |kg: i64, l: i64, w: i64, h: i64| Parcel {
        weight_kg: Decimal::new(kg, 3),
        length_cm: Decimal::from(l),
        width_cm: Decimal::from(w),
        height_cm: Decimal::from(h),
    };
    // Per request: the basket as the shop keeps it, one order, one answer.
    let order = RetailOrder {
        platform: "aliexpress".into(),
        country: "US".into(),
        items: vec![
            RetailItem {
                name: "MUG-01".into(),
                cost: Decimal::new(1250, 2),
                packaging: Decimal::new(80, 2),
                other: Decimal::ZERO,
                parcel: piece(420, 12, 12, 10),
                quantity: 2,
            },
            RetailItem {
                name: "LAMP-02".into(),
                cost: Decimal::new(4800, 2),
                packaging: Decimal::ZERO,
                other: Decimal::ZERO,
                parcel: piece(900, 30, 15, 15),
                quantity: 1,
            },
        ],
        service: retail::CHEAPEST.into(),
        remote: false,
        profit: ProfitTarget {
            basis: ProfitBasis::Margin,
            percent: Percent::new(Decimal::from(20)),
        },
        promotion: None,
        coupons: Vec::new(),
        price_rounding: Default::default(),
        fx: Default::default(),
        allocation: Default::default(),
        floor_margin: Percent::new(Decimal::from(8)),
        offer: None,
    };
    // Every failure is a typed error naming the field (`items[1].parcel.weight_kg`).
    let quote = retail::quote(&order, &profile)?;
    for line in &quote.lines {
        println!("{} × {}: {} = {}", line.name, line.quantity, line.quote.sale_price, line.amount);
    }
    let s = &quote.shipping.quote;
    println!("shipping: {} in {} parcel(s), {} {}", s.name, s.parcels, s.total, s.currency);
    let margin = quote.margin.map_or_else(|| "-".to_owned(), |m| m.to_string());
    println!("order total: {} (margin {margin})", quote.total);
    for l in &quote.breakdown.lines {
        println!("    {:<28} {:>10}", l.label.as_str(), l.amount);
    }
    println!("largest discount keeping 8%: {}", quote.max_discount.discount);
    Ok(())
}
