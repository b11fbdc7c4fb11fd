//! The streamed sheet (`crossquote_cli::sheet::run_in_blocks`) cut at any block size gives
//! what one block gives, line for line: on random catalogs with quoted cells (commas,
//! doubled quotes, line ends inside), stray quotes in unquoted cells, text after a closing
//! quote, bytes that are not UTF-8, `\n`, `\r\n` and lone `\r` line ends, blank lines, a
//! byte order mark and a quote left open at the end.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::sheet::{Plan, SheetSpec};
use crossquote_cli::sheet::{run_in_blocks, CsvSink, Summary};
use proptest::prelude::*;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const HEADER: &str = "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone,qty";

fn plan() -> Plan {
    let read = |p: &str| std::fs::read_to_string(format!("{ROOT}/{p}")).unwrap();
    let over = read("bench/profile-over.json");
    let profile =
        crossquote::profile::load_over(crossquote::defaults::DEFAULT_PROFILE_JSON, &over).unwrap();
    let spec: SheetSpec = serde_json::from_str(&read("bench/spec.json")).unwrap();
    Plan::new(&profile, &spec).unwrap()
}

/// (sheet CSV, rejected CSV, summary), or the run's error.
fn sheet(
    plan: &Plan,
    catalog: &[u8],
    jobs: usize,
    block: usize,
) -> Result<(String, String, Summary), String> {
    let mut sink = CsvSink(Vec::new());
    let mut rejected = Vec::new();
    let input = Box::new(std::io::Cursor::new(catalog.to_vec()));
    let summary = run_in_blocks(plan, input, &mut sink, &mut rejected, jobs, block)
        .map_err(|e| e.to_string())?;
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    Ok((text(sink.0), text(rejected), summary))
}

fn cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => Just(b"SKU-1".to_vec()),
        1 => Just(b"\"SKU,2\"".to_vec()),
        1 => Just(b"\"two\nlines\"".to_vec()),
        1 => Just(b"\"cr\rline\"".to_vec()),
        1 => Just(b"\"crlf\r\nline\"".to_vec()),
        1 => Just(b"\"say \"\"hi\"\"\"".to_vec()),
        1 => Just(b"Monitor 24\"".to_vec()),
        1 => Just(b"a\"b\"c".to_vec()),
        1 => Just(b"\"t\"x".to_vec()),
        1 => Just(b"\"\"".to_vec()),
        1 => Just(b"\xffA".to_vec()),
        1 => Just(Vec::new()),
    ]
}

fn row() -> impl Strategy<Value = Vec<u8>> {
    let number = prop_oneof![
        8 => Just(b"10.00".to_vec()),
        1 => Just(b"\"0.5\"".to_vec()),
        1 => Just(b"x\"".to_vec()),
    ];
    (cell(), number, 0..3usize, 0..4usize).prop_map(|(sku, cost, zone, qty)| {
        let mut r = sku;
        r.extend_from_slice(b",");
        r.extend_from_slice(&cost);
        r.extend_from_slice(b",0.200,20.0,10.0,5.0,");
        r.extend_from_slice(["1", "2", "9"][zone].as_bytes());
        r.extend_from_slice(b",");
        r.extend_from_slice(["1", "3", "50", "0"][qty].as_bytes());
        r
    })
}

fn catalog() -> impl Strategy<Value = Vec<u8>> {
    let end = prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..])];
    let line = (row(), end.clone(), proptest::bool::weighted(0.1));
    (any::<bool>(), end, proptest::collection::vec(line, 0..40), 0..4usize).prop_map(
        |(bom, header_end, lines, tail)| {
            let mut c = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            c.extend_from_slice(HEADER.as_bytes());
            c.extend_from_slice(header_end);
            for (r, end, blank) in lines {
                c.extend_from_slice(&r);
                c.extend_from_slice(end);
                if blank {
                    c.extend_from_slice(end);
                }
            }
            match tail {
                1 => c.extend_from_slice(b"SKU-last,1,1,1,1,1,1,1"), // no line end
                2 => c.extend_from_slice(b"\"open,1,1,1,1,1,1,1\n"), // a quote never closed
                3 => c.push(b'\r'),
                _ => {}
            }
            c
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_block_size_gives_what_one_block_gives(
        catalog in catalog(),
        block in 1..200usize,
        jobs in 1..4usize,
    ) {
        let plan = plan();
        let whole = sheet(&plan, &catalog, 1, catalog.len() + 1);
        let cut = sheet(&plan, &catalog, jobs, block);
        prop_assert_eq!(cut, whole);
    }
}

/// The issue's case: a stray quote in an unquoted SKU, then a genuine quoted SKU over two
/// lines lying where the first 128 KB block ends, then more rows. The quoted SKU is one
/// record, priced whole, and every row after it keeps its own row number.
#[test]
fn a_stray_quote_does_not_move_the_record_boundaries() {
    let plan = plan();
    let filler = "SKU-F,10.00,0.200,20.0,10.0,5.0,1,3\n";
    let mut text = format!("{HEADER}\nMonitor 24\",10.00,0.200,20.0,10.0,5.0,1,3\n");
    while text.len() < 128 * 1024 - 8 {
        text.push_str(filler);
    }
    let before = (text.lines().count() - 1) as u64; // rows before the quoted SKU
    text.push_str("\"MUG\nBLUE\",10.00,0.200,20.0,10.0,5.0,1,3\n");
    for _ in 0..5000 {
        text.push_str(filler);
    }
    text.push_str("SKU-LAST,10.00,0.200,20.0,10.0,5.0,9,3\n");
    let (csv, rejected, summary) = sheet(&plan, text.as_bytes(), 2, 128 * 1024).unwrap();
    let rows = before + 1 + 5000 + 1;
    assert_eq!((summary.counts.rows, summary.counts.lines), (rows, rows - 1));
    let lines: Vec<&str> = csv.split_terminator('\n').collect();
    assert!(lines[1].starts_with("\"Monitor 24\"\"\",1,3,"), "{}", lines[1]);
    let blue: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("\"MUG")).collect();
    assert_eq!(blue.len(), 1, "the quoted SKU is one record");
    let priced_filler = lines.iter().find(|l| l.starts_with("SKU-F,")).unwrap();
    assert_eq!(lines[blue[0]], "\"MUG");
    assert_eq!(lines[blue[0] + 1], format!("BLUE\"{}", &priced_filler["SKU-F".len()..]));
    // The last row, with no zone 9, is rejected by its own line: the quoted SKU's two lines
    // count as two.
    let last_row = 1 + before + 2 + 5000 + 1;
    assert_eq!(
        rejected,
        format!("row,sku,zone,qty,reason\n{last_row},SKU-LAST,9,3,the service has no zone `9`\n")
    );
}

/// A quote that opens and never closes would make the rest of the catalog one record: the
/// reader refuses it once the record passes `MAX_RECORD_BYTES` instead of holding the rest
/// of the input; the same quote near the end is a rejected row.
#[test]
fn a_quote_left_open_is_refused_past_the_record_limit() {
    let plan = plan();
    let mut text = format!("{HEADER}\nSKU-1,10.00,0.200,20.0,10.0,5.0,1,3\n\"open");
    while text.len() <= crossquote::sheet::record::MAX_RECORD_BYTES + 1024 {
        text.push_str(",10.00,0.200,20.0,10.0,5.0,1,3\n");
    }
    let err = sheet(&plan, text.as_bytes(), 2, 64 * 1024).unwrap_err();
    assert_eq!(
        err,
        "catalog row 3: a record longer than 1048576 bytes (a quoted cell not closed?)"
    );
    let short = format!("{HEADER}\nSKU-1,10.00,0.200,20.0,10.0,5.0,1,3\n\"open,1\nSKU-2\n");
    let (_, rejected, summary) = sheet(&plan, short.as_bytes(), 1, 16).unwrap();
    assert_eq!((summary.counts.rows, summary.counts.rejected_rows), (2, 1));
    assert_eq!(
        rejected,
        "row,sku,zone,qty,reason\n3,,,,\
         cell 1: a quoted cell that is not closed before the end of the catalog\n"
    );
}
