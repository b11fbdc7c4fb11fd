//! The sheet's fast number reading and writing agree with `rust_decimal`'s own.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::sheet::{neutralise, parse_decimal, write_decimal};
use crossquote::Decimal;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn write_decimal_is_display(m in any::<i64>(), wide in any::<bool>(), scale in 0u32..=28) {
        let m = if wide { i128::from(m) * 1_000_007 } else { i128::from(m) };
        let d = Decimal::try_from_i128_with_scale(m, scale).unwrap();
        let mut out = Vec::new();
        write_decimal(&mut out, d);
        let want = d.to_string();
        let want = if m == 0 { want.trim_start_matches('-').to_owned() } else { want };
        prop_assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn parse_decimal_is_from_str_exact(text in "-?[0-9]{0,22}(\\.[0-9]{0,8})?") {
        let want = Decimal::from_str_exact(text.trim()).ok();
        let got = parse_decimal(&text);
        prop_assert_eq!(got, want);
        if let (Some(g), Some(w)) = (got, want) {
            prop_assert_eq!(g.scale(), w.scale());
        }
    }
}

#[test]
fn formula_like_cells_are_neutralised() {
    for (cell, want) in [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("SKU-1", "SKU-1"),
        ("", ""),
    ] {
        assert_eq!(neutralise(cell), want);
    }
}

/// Found by the catalog fuzzer: a header cell with a multi-byte character where a
/// currency suffix would be (`cost\u{feff}…`) was sliced inside the character.
#[test]
fn a_header_with_non_ascii_names_is_read_without_panicking() {
    let columns = |cost: &str| {
        let header = ["sku", cost, "weight_kg", "length_cm", "width_cm", "height_cm"];
        crossquote::sheet::Columns::from_header(header)
    };
    assert_eq!(columns("cost\u{feff}x").unwrap_err().problems, ["no `cost` column"]);
    assert!(columns("Cost_CNY").is_ok());
    assert_eq!(columns("cost_c1y").unwrap_err().problems, ["no `cost` column"]);
}

mod paths {
    use crossquote::money::Precision;
    use crossquote::sheet::{CartonSpec, Item, Plan, SheetSpec};
    use crossquote::{Decimal, Percent};
    use proptest::prelude::*;

    fn plan(precision: Precision) -> &'static Plan {
        static PLANS: std::sync::OnceLock<[Plan; 2]> = std::sync::OnceLock::new();
        let plans = PLANS.get_or_init(|| [make(Precision::Exact), make(Precision::PYTHON_DECIMAL)]);
        &plans[usize::from(precision != Precision::Exact)]
    }

    fn make(precision: Precision) -> Plan {
        let profile = crossquote::profile::load_over(
            crossquote::defaults::DEFAULT_PROFILE_JSON,
            include_str!("../../../bench/profile-over.json"),
        )
        .unwrap();
        let mut spec: SheetSpec =
            serde_json::from_str(include_str!("../../../bench/spec.json")).unwrap();
        spec.precision = precision;
        Plan::new(&profile, &spec).unwrap()
    }

    fn dec(m: i64, scale: u32) -> Decimal {
        Decimal::new(m, scale)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// The integer path gives every line exactly as the `Decimal` path does, to the
        /// scale of each number.
        #[test]
        fn integer_path_equals_decimal_path(
            cost in 1i64..2_000_000, weight in 1i64..50_000, l in 1i64..3000, w in 1i64..3000,
            h in 1i64..3000, qty in 1u32..20_000, zone in 1u8..=8, python in any::<bool>(),
            carton in proptest::option::of((1u32..200, 1i64..400_000, 1i64..1500)),
            margin in proptest::option::of(0i64..500),
        ) {
            let precision = if python { Precision::PYTHON_DECIMAL } else { Precision::Exact };
            let plan = plan(precision);
            let zone = zone.to_string();
            let item = Item {
                sku: "SKU",
                cost: dec(cost, 2),
                weight_kg: dec(weight, 3),
                length_cm: dec(l, 1),
                width_cm: dec(w, 1),
                height_cm: dec(h, 1),
                carton: carton.map(|(pieces, kg, side)| CartonSpec {
                    pieces,
                    gross_weight_kg: dec(kg, 3),
                    length_cm: dec(side, 1),
                    width_cm: dec(side, 1),
                    height_cm: dec(side, 1),
                }),
                margin: margin.map(|m| Percent::new(dec(m, 1))),
                qty: Some(qty),
                zone: Some(&zone),
            };
            let slow = plan.price_on_decimal_path(&item, &zone, qty);
            if let Some(fast) = plan.price_on_integer_path(&item, &zone, qty) {
                prop_assert_eq!(format!("{:?}", Ok::<_, ()>(fast)), format!("{:?}", slow.map_err(|_| ())));
            }
            let any = plan.price(&item, &zone, qty);
            prop_assert_eq!(format!("{any:?}"), format!("{:?}", plan.price_on_decimal_path(&item, &zone, qty)));
        }
    }

    /// The integer path takes the workload's rows (else the test above compares nothing).
    #[test]
    fn integer_path_covers_catalog_sized_numbers() {
        let plan = plan(Precision::PYTHON_DECIMAL);
        for (cost, weight, side, qty) in
            [(5, 10, 10, 1), (50_000, 5_000, 600, 5_000), (1234, 777, 333, 200)]
        {
            let item = Item {
                sku: "SKU",
                cost: dec(cost, 2),
                weight_kg: dec(weight, 3),
                length_cm: dec(side, 1),
                width_cm: dec(side, 1),
                height_cm: dec(side, 1),
                carton: None,
                margin: None,
                qty: Some(qty),
                zone: Some("8"),
            };
            assert!(plan.price_on_integer_path(&item, "8", qty).is_some(), "{item:?}");
        }
    }
}

/// With several services, a row whose zone no service has is rejected at every quantity
/// the sheet prices, whether the row gives its quantity or not: never dropped silently.
#[test]
fn a_zone_no_service_has_is_rejected_at_each_quantity() {
    use crossquote::sheet::{Columns, LineReason, Plan, SheetSpec};
    let profile = crossquote::defaults::default_profile().unwrap();
    let spec: SheetSpec = serde_json::from_str(
        r#"{"service": ["economy-air", "aliexpress-standard"], "currency": "USD",
            "tiers": [{"name": "B2C", "min_qty": 1, "margin": "35"},
                      {"name": "B2B", "min_qty": 50, "margin": "20"}],
            "quantities": [1, 10, 50]}"#,
    )
    .unwrap();
    let plan = Plan::new(&profile, &spec).unwrap();
    for (header, row, qtys) in [
        (
            "sku,cost,weight_kg,length_cm,width_cm,height_cm,zone",
            "A,9.00,0.2,10,10,10,ZZ",
            vec![1, 10, 50],
        ),
        (
            "sku,cost,weight_kg,length_cm,width_cm,height_cm,zone,qty",
            "A,9.00,0.2,10,10,10,ZZ,7",
            vec![7],
        ),
    ] {
        let columns = Columns::from_header(header.split(',')).unwrap();
        let cells: Vec<&str> = row.split(',').collect();
        let item = columns.item(&cells).unwrap();
        let got: Vec<(u32, LineReason)> = plan
            .lines(&item)
            .into_iter()
            .map(|l| {
                let e = l.unwrap_err();
                (e.qty, e.reason)
            })
            .collect();
        let want: Vec<_> = qtys.iter().map(|&q| (q, LineReason::NoZone("ZZ".into()))).collect();
        assert_eq!(got, want, "{header}");
    }
}

/// A row with more fields than the header is refused whole, with its field count: its
/// cells may be shifted (`MUG,02,12.50,…`, an unquoted comma in the SKU, is not a cost of
/// 02). A row with fewer is read when it has the columns the sheet uses.
#[test]
fn a_row_longer_than_the_header_is_refused() {
    use crossquote::sheet::Columns;
    let columns =
        Columns::from_header("sku,cost,weight_kg,length_cm,width_cm,height_cm,note".split(','))
            .unwrap();
    let read = |row: &str| {
        let cells: Vec<&str> = row.split(',').collect();
        columns.item(&cells).map(|i| i.cost.to_string()).map_err(|e| (e.sku.clone(), e.to_string()))
    };
    assert_eq!(
        read("MUG,02,12.50,0.350,12,9,9,x"),
        Err((
            Some("MUG".to_owned()),
            "8 fields, the header has 7: a cell holds an unquoted comma, or the columns are \
             shifted"
                .to_owned()
        ))
    );
    assert_eq!(
        read("MUG,12.50,0.350,12,9,9,x,").unwrap_err().1.split(':').next(),
        Some("8 fields, the header has 7")
    );
    assert_eq!(read("MUG,12.50,0.350,12,9,9,x"), Ok("12.50".to_owned()));
    assert_eq!(read("MUG,12.50,0.350,12,9,9"), Ok("12.50".to_owned()));
}
