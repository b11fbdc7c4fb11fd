//! Shared by the CLI's and the browser app's tests: a price-sheet workbook read back with
//! calamine must show, cell by cell, the CSV sheet's text (numbers with their column's
//! decimals). Included with `#[path]`; not a crate of its own.
#![allow(clippy::expect_used, clippy::arithmetic_side_effects)] // test code: a panic is the report

use calamine::{Data, Reader, Xlsx};
use std::io::{Read, Seek};

/// Panics, naming the row and column, where the workbook's "price sheet" differs from
/// `expected` (CSV text, header first).
pub fn assert_xlsx_is_csv<R: Read + Seek>(book: &mut Xlsx<R>, expected: &str) {
    let range = book.worksheet_range("price sheet").expect("a worksheet named `price sheet`");
    let mut rows = range.rows();
    let header: Vec<String> =
        rows.next().expect("a header row").iter().map(ToString::to_string).collect();
    assert_eq!(header.join(","), expected.lines().next().unwrap_or_default());
    let mut reader = csv::ReaderBuilder::new().from_reader(expected.as_bytes());
    let mut n = 0;
    for (row, want) in rows.zip(reader.records()) {
        let want = want.expect("the expected CSV reads");
        n += 1;
        for (col, (cell, want)) in row.iter().zip(want.iter()).enumerate() {
            let got = match cell {
                Data::String(s) => s.clone(),
                Data::Float(x) => {
                    let places = want.split_once('.').map_or(0, |(_, f)| f.len());
                    format!("{x:.places$}")
                }
                other => panic!("row {n} col {col}: {other:?}"),
            };
            assert_eq!(got, want, "row {n} col {col}");
        }
    }
    assert_eq!(n, expected.lines().count() - 1, "rows");
}
