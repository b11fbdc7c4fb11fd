//! The sheet's fast number reading and writing agree with `rust_decimal`'s own.
#![allow(clippy::unwrap_used)]

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
