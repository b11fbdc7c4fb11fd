//! `crossquote sheet` on the golden catalogs in tests/golden/sheet (expected lines from the
//! shared workload's Python `decimal` reference, rejected rows written by hand), to files,
//! to standard output, as XLSX, across block boundaries, and on bad specs and headers.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SPEC: &str = "bench/spec.json";
const OVER: &str = "bench/profile-over.json";

fn crossquote(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossquote"))
        .args(args)
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/golden/sheet").join(name)).unwrap()
}

fn sheet(catalog: &str, out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["sheet", catalog, "--spec", SPEC, "--profile-over", OVER, "-o", out];
    args.extend(extra);
    crossquote(&args, b"")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn workload_rows_match_the_reference_and_bad_rows_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet.csv");
    let o = sheet("tests/golden/sheet/catalog.csv", &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), golden("expected.csv"));
    let rejected = std::fs::read_to_string(dir.path().join("sheet.rejected.csv")).unwrap();
    assert_eq!(rejected, golden("expected.rejected.csv"));
    assert!(
        stderr(&o).contains("47 rows read, 42 lines written; 4 rows and 1 lines rejected"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_catalog_without_qty_and_zone_gets_every_tier_and_zone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plain.csv");
    let o = sheet("tests/golden/sheet/plain.csv", &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), golden("expected_plain.csv"));
    let rejected = std::fs::read_to_string(dir.path().join("plain.rejected.csv")).unwrap();
    assert_eq!(rejected, golden("expected_plain.rejected.csv"));
    assert!(stderr(&o).contains("columns not read: colour"), "{}", stderr(&o));
}

#[test]
fn standard_input_to_standard_output() {
    let o = sheet_from_stdin(golden("plain.csv").as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), golden("expected_plain.csv"));
}

/// Many blocks, several workers: the same bytes as one worker, in catalog order, with the
/// rejected rows' numbers counted across blocks.
#[test]
fn blocks_come_back_in_order_with_their_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let text = golden("catalog.csv");
    let (header, body) = text.split_once('\n').unwrap();
    let mut big = format!("{header}\n");
    let copies = 400; // 400 × 47 rows ≈ 850 KB: several blocks
    for _ in 0..copies {
        big.push_str(body);
    }
    let catalog = dir.path().join("big.csv");
    std::fs::write(&catalog, &big).unwrap();
    let mut outs = Vec::new();
    for jobs in ["1", "3"] {
        let out = dir.path().join(format!("big{jobs}.csv"));
        let o = sheet(catalog.to_str().unwrap(), &out, &["--jobs", jobs]);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        let rejected = std::fs::read_to_string(dir.path().join(format!("big{jobs}.rejected.csv")));
        outs.push((std::fs::read_to_string(&out).unwrap(), rejected.unwrap()));
    }
    assert_eq!(outs[0], outs[1]);
    let (sheet_text, rejected) = &outs[0];
    let expected = golden("expected.csv");
    let lines: Vec<&str> = expected.lines().skip(1).collect();
    let got: Vec<&str> = sheet_text.lines().skip(1).collect();
    assert_eq!(got.len(), lines.len() * copies);
    for (i, chunk) in got.chunks(lines.len()).enumerate() {
        assert_eq!(chunk, &lines[..], "copy {i}");
    }
    // The last copy's bad SKU-QTY0 row: row 25 of the first copy, 47 rows per copy after.
    let last = format!("{},SKU-QTY0,,,", 25 + 47 * (copies - 1));
    assert!(rejected.contains(&last), "{last} not in the rejected rows");
    assert_eq!(rejected.lines().count(), 1 + 5 * copies);
}

#[path = "../../../tests/support/xlsx_check.rs"]
mod xlsx_check;

#[test]
fn xlsx_cells_read_back_as_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("sheet.xlsx");
    let o = sheet("tests/golden/sheet/catalog.csv", &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    xlsx_check::assert_xlsx_is_csv(&mut book, &golden("expected.csv"));
}

#[test]
fn a_spec_whose_fees_and_margin_take_the_price_names_the_tier() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    let text = std::fs::read_to_string(Path::new(ROOT).join(SPEC)).unwrap();
    std::fs::write(&spec, text.replace("\"margin\": \"22\"", "\"margin\": \"85\"")).unwrap();
    let o = crossquote(
        &[
            "sheet",
            "tests/golden/sheet/plain.csv",
            "--spec",
            spec.to_str().unwrap(),
            "--profile-over",
            OVER,
            "-o",
            dir.path().join("x.csv").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "tiers[2].margin: fees and margin take the whole price: fees 15.00% + margin 85%"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_header_without_cost_is_refused_before_any_row() {
    let o = sheet_from_stdin(b"sku,price,weight_kg,length_cm,width_cm,height_cm\nA,1,1,1,1,1\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("catalog header (row 1): no `cost` column"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_bad_profile_overlay_is_refused_with_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let o = crossquote(
        &[
            "sheet",
            "tests/golden/sheet/plain.csv",
            "--spec",
            SPEC,
            "--profile-over",
            "tests/golden/profile/bad_profile.json",
            "-o",
            dir.path().join("x.csv").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("tests/golden/profile/bad_profile.json: 19 problems"), "{err}");
    assert!(err.contains("line "), "{err}");
    assert!(!dir.path().join("x.csv").exists(), "no sheet is written from a bad profile");
}

#[test]
fn the_schema_command_prints_the_checked_in_schemas() {
    let list = crossquote(&["schema"], b"");
    let names = String::from_utf8(list.stdout).unwrap();
    assert_eq!(names.lines().count(), 15, "{names}");
    for name in names.lines() {
        let o = crossquote(&["schema", name], b"");
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(String::from_utf8(o.stdout).unwrap(), golden_schema(name), "{name}");
    }
    let o = crossquote(&["schema", "nope"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no schema `nope`"), "{}", stderr(&o));
}

fn golden_schema(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(format!("schemas/{name}.schema.json"))).unwrap()
}

/// A spec naming several services prices each SKU on each, with a `service` column: the
/// same lines as one sheet per service, SKU by SKU, service by service.
#[test]
fn several_services_give_each_services_lines_with_a_service_column() {
    let dir = tempfile::tempdir().unwrap();
    let base =
        std::fs::read_to_string(Path::new(ROOT).join("schemas/examples/sheet-spec.json")).unwrap();
    let services = ["economy-air", "aliexpress-standard"];
    let mut per_service = Vec::new();
    for s in services {
        let spec = dir.path().join(format!("{s}.json"));
        std::fs::write(&spec, base.replace("\"economy-air\"", &format!("\"{s}\""))).unwrap();
        per_service.push(plain_sheet(&spec, &dir.path().join(format!("{s}.csv"))));
    }
    let spec = dir.path().join("both.json");
    std::fs::write(
        &spec,
        base.replace("\"economy-air\"", "[\"economy-air\", \"aliexpress-standard\"]"),
    )
    .unwrap();
    let both = plain_sheet(&spec, &dir.path().join("both.csv"));
    let mut lines = both.lines();
    assert!(lines.next().unwrap().starts_with("sku,service,zone,qty,tier,"));
    // Expected: for each SKU (in catalog order), each service's lines for it, service id
    // inserted after the SKU.
    let mut want = Vec::new();
    let catalog = golden("plain.csv");
    let skus: Vec<&str> = catalog.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert!(per_service.iter().all(|t| t.lines().count() > 1), "each service prices some lines");
    for sku in &skus {
        for (s, text) in services.iter().zip(&per_service) {
            for l in text.lines().skip(1).filter(|l| l.split(',').next() == Some(*sku)) {
                let (head, rest) = l.split_once(',').unwrap();
                want.push(format!("{head},{s},{rest}"));
            }
        }
    }
    let got: Vec<&str> = lines.collect();
    assert_eq!(got, want);
}

/// The sheet of tests/golden/sheet/plain.csv on the built-in profile with `spec`.
fn plain_sheet(spec: &Path, out: &Path) -> String {
    let args = ["sheet", "tests/golden/sheet/plain.csv", "--spec", spec.to_str().unwrap()];
    let o = crossquote(&[&args[..], &["-o", out.to_str().unwrap()]].concat(), b"");
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    std::fs::read_to_string(out).unwrap()
}

/// `crossquote sheet -` on the benchmark's spec, the sheet to standard output and the
/// rejected rows to a file that goes away with the test.
fn sheet_from_stdin(catalog: &[u8]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let rejected = dir.path().join("r.csv");
    let rejected = rejected.to_str().unwrap();
    crossquote(
        &["sheet", "-", "--spec", SPEC, "--profile-over", OVER, "--rejected", rejected],
        catalog,
    )
}

/// A block with bytes that are not UTF-8 is read cell by cell: the row with the bad SKU is
/// rejected by name and row, the rows around it are priced as in a clean catalog.
#[test]
fn a_sku_that_is_not_utf8_rejects_its_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = golden("catalog.csv");
    let expected = golden("expected.csv");
    let rows: Vec<&str> = text.lines().take(4).collect(); // header and three good rows
    let mut catalog = format!("{}\n{}\n", rows[0], rows[1]).into_bytes();
    catalog.extend_from_slice(b"SKU-\xff\xfe,10.00,0.200,20.0,10.0,5.0,3,10\n");
    catalog.extend_from_slice(format!("{}\n{}\n", rows[2], rows[3]).as_bytes());
    let path = dir.path().join("latin1.csv");
    std::fs::write(&path, &catalog).unwrap();
    let out = dir.path().join("latin1.out.csv");
    let o = sheet(path.to_str().unwrap(), &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let got = std::fs::read_to_string(&out).unwrap();
    let want: Vec<&str> = expected.lines().take(4).collect();
    assert_eq!(got.lines().collect::<Vec<_>>(), want);
    let rejected = std::fs::read_to_string(dir.path().join("latin1.out.rejected.csv")).unwrap();
    assert_eq!(rejected, "row,sku,zone,qty,reason\n3,,,,sku: not UTF-8 text\n");
}

/// Excel for Mac's "CSV (Macintosh)" ends lines with a lone `\r`, Windows tools with
/// `\r\n`: the golden catalog with either gives the golden sheet and the same rejected rows
/// (the same row numbers), from a file and from standard input.
#[test]
fn cr_only_and_crlf_line_ends_give_the_same_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let text = golden("catalog.csv");
    for (name, end) in [("cr", "\r"), ("crlf", "\r\n")] {
        let catalog = dir.path().join(format!("{name}.csv"));
        std::fs::write(&catalog, text.replace('\n', end)).unwrap();
        let out = dir.path().join(format!("{name}.out.csv"));
        let o = sheet(catalog.to_str().unwrap(), &out, &[]);
        assert_eq!(o.status.code(), Some(3), "{name}: {}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), golden("expected.csv"), "{name}");
        let rejected = dir.path().join(format!("{name}.out.rejected.csv"));
        assert_eq!(
            std::fs::read_to_string(rejected).unwrap(),
            golden("expected.rejected.csv"),
            "{name}"
        );
        assert!(
            stderr(&o).contains("47 rows read, 42 lines written; 4 rows and 1 lines rejected"),
            "{name}: {}",
            stderr(&o)
        );
        let o = sheet_from_stdin(text.replace('\n', end).as_bytes());
        assert_eq!(String::from_utf8(o.stdout).unwrap(), golden("expected.csv"), "{name}");
    }
}

/// The issue's own catalog: a header and one row, each ended by `\r`, on the example spec:
/// the row's lines, not "0 rows read".
#[test]
fn a_cr_only_catalog_is_not_an_empty_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let rejected = dir.path().join("r.csv");
    let o = crossquote(
        &[
            "sheet",
            "-",
            "--spec",
            "schemas/examples/sheet-spec.json",
            "--rejected",
            rejected.to_str().unwrap(),
        ],
        b"sku,cost,weight_kg,length_cm,width_cm,height_cm\rMUG-01,12.50,0.350,12,9,9\r",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout.clone()).unwrap(),
        "sku,zone,qty,tier,chargeable_kg,shipping_cny,unit_cost_cny,landed_unit_cny,\
         unit_price_usd,line_total_usd\n\
         MUG-01,NA,10,10+,3.500,315.50,12.5000,44.0500,8.86,88.60\n\
         MUG-01,EU,10,10+,3.500,286.00,12.5000,41.1000,8.27,82.70\n"
    );
    assert!(
        stderr(&o).contains("1 rows read, 2 lines written; 0 rows and 2 lines rejected"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(rejected).unwrap(),
        "row,sku,zone,qty,reason\n\
         2,MUG-01,NA,100,weight 35 kg is over the service's limit of 20 kg\n\
         2,MUG-01,EU,100,weight 35 kg is over the service's limit of 20 kg\n"
    );
}

/// The issue's row: `MUG,02,12.50,…` has one field more than the header; it is rejected by
/// its row number and field count, not priced at a cost of 02, and the rows around it are.
#[test]
fn a_row_with_more_fields_than_the_header_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let rejected = dir.path().join("r.csv");
    let o = crossquote(
        &[
            "sheet",
            "-",
            "--spec",
            "schemas/examples/sheet-spec.json",
            "--rejected",
            rejected.to_str().unwrap(),
        ],
        b"sku,cost,weight_kg,length_cm,width_cm,height_cm\n\
          MUG-01,12.50,0.350,12,9,9\n\
          MUG,02,12.50,0.350,12,9,9\n\
          MUG-01,12.50,0.350,12,9,9\n",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    let skus: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(skus, ["MUG-01"; 4], "{out}");
    assert!(
        stderr(&o).contains("3 rows read, 4 lines written; 1 rows and 4 lines rejected"),
        "{}",
        stderr(&o)
    );
    let rejected = std::fs::read_to_string(rejected).unwrap();
    let rows: Vec<&str> = rejected.lines().filter(|l| !l.contains("limit")).collect();
    assert_eq!(
        rows,
        [
            "row,sku,zone,qty,reason",
            "3,MUG,,,\"7 fields, the header has 6: a cell holds an unquoted comma, or the \
             columns are shifted\""
        ]
    );
}
