//! The price-sheet tab: a catalog (pasted, dropped or chosen) priced on one or several
//! services into a sheet with the core's `sheet` module, in slices with a progress bar,
//! previewed page by page and downloaded as CSV (the bytes `crossquote sheet` writes) or
//! XLSX, the rejected rows listed by row number and reason.

use std::rc::Rc;

use crossquote::fx::RateSide;
use crossquote::money::Precision;
use crossquote::profile::Profile;
use crossquote::sheet::record::{strip_bom, Fields, Records};
use crossquote::sheet::{
    Columns, Plan, Services, SheetCounts, SheetFee, SheetSpec, SheetTier, Tally, REJECTED_HEADER,
};
use crossquote::{Currency, Decimal, Percent};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::t;
use crate::model::{problem_for, Lang};
use crate::view::{say, select, text_input};

/// A message for one setting (by its element id), or for the whole tab.
pub type Problems = Vec<(Option<&'static str>, String)>;

fn num(problems: &mut Problems, id: &'static str, text: &str) -> Decimal {
    match crossquote::serde_dec::parse(text) {
        Ok(v) => v,
        Err(m) => {
            problems.push((Some(id), m));
            Decimal::ZERO
        }
    }
}

/// The core's problems placed by the tab's ids (`to_id` maps a spec path to one).
fn by_field(
    errors: Vec<crossquote::FieldError>,
    to_id: fn(&str) -> Option<&'static str>,
) -> Problems {
    errors.into_iter().map(|fe| (to_id(&fe.field), fe.problem.to_string())).collect()
}

form! {
    /// The price-sheet form, as typed.
    pub struct SheetForm {
        /// Service ids from the profile, separated by commas (several: the sheet has a
        /// `service` column and prices each SKU on each).
        service: "s-service" = "economy-air",
        /// The sheet's currency.
        currency: "s-currency" = "USD",
        /// Platform id whose plain-percentage fees apply, or empty.
        platform: "s-platform" = "aliexpress",
        /// More fees on the price, % separated by commas ("12, 3").
        fees: "s-fees" = "",
        /// Tiers: `name from-qty margin% [cost-factor]`, separated by `;`.
        tiers: "s-tiers" = "B2C 1 35; B2B1 2 28; B2B2 50 22 0.97; B2B3 200 18 0.94; B2B4 1000 15 0.90",
        /// Zones to price, separated by commas; empty for all.
        zones: "s-zones" = "",
        /// Quantities to price, separated by commas; empty for each tier's least.
        quantities: "s-quantities" = "",
        /// "exact", or "python" for 28 significant digits half-even (Python `decimal`).
        precision: "s-precision" = "exact",
    }
}

fn sheet_field(path: &str) -> Option<&'static str> {
    match path {
        p if p.starts_with("service") => Some("s-service"),
        "currency" => Some("s-currency"),
        "platform" => Some("s-platform"),
        p if p.starts_with("fees") => Some("s-fees"),
        p if p.starts_with("tiers") => Some("s-tiers"),
        p if p.starts_with("zones") => Some("s-zones"),
        p if p.starts_with("quantities") => Some("s-quantities"),
        _ => None,
    }
}

fn comma_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// One tier as typed: `name from-qty margin% [cost-factor]` (`B2B2 50 22 0.97`; a `+`
/// after the quantity, a `%` after the margin and an `x` before the factor are allowed).
fn parse_sheet_tier(text: &str) -> Option<SheetTier> {
    let dec = |t: &str| crossquote::serde_dec::parse(t.trim_end_matches('%')).ok();
    let words: Vec<&str> = text.split_whitespace().collect();
    let [name, qty, margin, rest @ ..] = words.as_slice() else { return None };
    let cost_factor = match rest {
        [] => Decimal::ONE,
        [c] => dec(c.trim_start_matches(['x', '×']))?,
        _ => return None,
    };
    Some(SheetTier {
        name: (*name).to_owned(),
        min_qty: qty.trim_end_matches('+').parse().ok()?,
        cost_factor,
        margin: Percent::new(dec(margin)?),
    })
}

/// Whether the form's service list has `id`.
pub fn service_chosen(list: &str, id: &str) -> bool {
    comma_list(list).any(|s| s == id)
}

/// The form's service list with `id` added (`on`) or taken out, in the profile's order.
pub fn toggle_service(list: &str, id: &str, on: bool, profile: &Profile) -> String {
    let mut chosen: Vec<&str> = comma_list(list).filter(|s| *s != id).collect();
    if on {
        chosen.push(id);
    }
    let order = |s: &&str| profile.services.iter().position(|x| x.id == *s).unwrap_or(usize::MAX);
    chosen.sort_by_key(order);
    chosen.join(", ")
}

/// The sheet spec a form describes.
pub fn sheet_spec(f: &SheetForm) -> Result<SheetSpec, Problems> {
    let mut p = Problems::new();
    let currency = match Currency::from_code(f.currency.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            p.push((Some("s-currency"), e.to_string()));
            None
        }
    };
    let fees = comma_list(&f.fees)
        .enumerate()
        .map(|(i, t)| SheetFee {
            name: format!("fee {}", i.saturating_add(1)),
            rate: Percent::new(num(&mut p, "s-fees", t.trim_end_matches('%'))),
        })
        .collect();
    let mut tiers = Vec::new();
    for part in f.tiers.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let tier = parse_sheet_tier(part);
        match tier {
            Some(t) => tiers.push(t),
            None => p.push((
                Some("s-tiers"),
                format!(
                    "`{part}` is not `name from-qty margin% [cost-factor]`, e.g. B2B2 50 22 0.97"
                ),
            )),
        }
    }
    if tiers.is_empty() && !p.iter().any(|(f, _)| *f == Some("s-tiers")) {
        p.push((Some("s-tiers"), "at least one tier, e.g. B2C 1 35".to_owned()));
    }
    let mut quantities = Vec::new();
    for t in comma_list(&f.quantities) {
        match t.parse::<u32>() {
            Ok(q) if q > 0 => quantities.push(q),
            _ => p.push((Some("s-quantities"), format!("`{t}` is not a whole number of units"))),
        }
    }
    let ids: Vec<String> = comma_list(&f.service).map(str::to_owned).collect();
    if ids.is_empty() {
        p.push((Some("s-service"), "at least one shipping service".to_owned()));
    }
    let precision = match f.precision.as_str() {
        "python" => Precision::PYTHON_DECIMAL,
        _ => Precision::Exact,
    };
    match (currency, p.is_empty()) {
        (Some(currency), true) => Ok(SheetSpec {
            service: match ids.as_slice() {
                [one] => Services::One(one.clone()),
                _ => Services::Many(ids),
            },
            currency,
            fees,
            platform: Some(f.platform.trim().to_owned()).filter(|x| !x.is_empty()),
            tiers,
            zones: comma_list(&f.zones).map(str::to_owned).collect(),
            quantities,
            precision,
            rate_side: RateSide::default(),
        }),
        _ => Err(p),
    }
}

/// A price sheet being made: the catalog's records read, priced a slice at a time so the
/// page can show progress.
#[derive(Debug)]
pub struct SheetJob {
    plan: Plan,
    columns: Columns,
    /// Each record with its line in the catalog, or the reader's error there.
    records: Vec<(u64, Result<Fields, String>)>,
    next: usize,
    csv: Vec<u8>,
    tally: Tally,
}

/// A finished price sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetOutput {
    /// The sheet as CSV, header first.
    pub csv: String,
    /// Rejected rows and lines as CSV, header first.
    pub rejected: String,
    /// The counts.
    pub tally: SheetCounts,
    /// Header columns not read.
    pub ignored: Vec<String>,
}

/// The sheet as an XLSX workbook: one worksheet, the header in bold, text cells
/// neutralised like the CSV's, numbers as number cells holding the CSV's exact decimal
/// text and shown with their column's decimals. The parts are written here (a workbook
/// library would add more to the page's download than the whole app, see README,
/// "Budgets") and packed with the zip crate, uncompressed.
pub fn sheet_xlsx(csv_text: &str) -> Result<Vec<u8>, String> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let mut sheet = format!("{head}\n<worksheet xmlns=\"{MAIN}\"><sheetData>");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(csv_text.as_bytes());
    let mut numeric = Vec::new();
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("the sheet's line {}: {e}", r.saturating_add(1)))?;
        let row = r.saturating_add(1);
        let _ = write!(sheet, "<row r=\"{row}\">");
        for (c, cell) in rec.iter().enumerate() {
            let at = format!("{}{row}", column_name(c));
            if r == 0 {
                // Name columns are text; the counted and priced ones are numbers.
                numeric.push(!matches!(cell, "sku" | "service" | "zone" | "tier"));
                let _ = write!(
                    sheet,
                    "<c r=\"{at}\" s=\"1\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    xml_text(cell)
                );
                continue;
            }
            if numeric.get(c).copied().unwrap_or(false) && is_plain_number(cell) {
                let places = cell.split_once('.').map_or(0, |(_, f)| f.len());
                // Styles 2–6: 0 to 4 decimals; more keep the general format.
                let style = if places <= 4 { places.saturating_add(2) } else { 0 };
                let _ = write!(sheet, "<c r=\"{at}\" s=\"{style}\"><v>{cell}</v></c>");
            } else {
                let text = crossquote::sheet::neutralise(cell);
                let _ = write!(
                    sheet,
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml_text(&text)
                );
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let parts = [
        ("[Content_Types].xml", format!(
            "{head}\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"{sheet_type}.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"{sheet_type}.worksheet+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"{sheet_type}.styles+xml\"/></Types>"
        )),
        ("_rels/.rels", format!(
            "{head}\n<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" \
             Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        )),
        ("xl/workbook.xml", format!(
            "{head}\n<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>\
             <sheet name=\"price sheet\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        )),
        ("xl/_rels/workbook.xml.rels", format!(
            "{head}\n<Relationships xmlns=\"{PKG}\">\
             <Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>"
        )),
        ("xl/styles.xml", format!(
            "{head}\n<styleSheet xmlns=\"{MAIN}\"><numFmts count=\"3\">\
             <numFmt numFmtId=\"164\" formatCode=\"0.0\"/><numFmt numFmtId=\"165\" formatCode=\"0.000\"/>\
             <numFmt numFmtId=\"166\" formatCode=\"0.0000\"/></numFmts>\
             <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
             <font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
             <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
             <fill><patternFill patternType=\"gray125\"/></fill></fills>\
             <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
             <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
             <cellXfs count=\"7\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
             <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
             <xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"2\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             </cellXfs></styleSheet>"
        )),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA.
fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A'.saturating_add(u8::try_from(index % 26).unwrap_or(0))));
        match (index / 26).checked_sub(1) {
            Some(next) => index = next,
            None => break,
        }
    }
    letters.iter().rev().collect()
}

/// A decimal as the sheet writes it: digits, at most one point, an optional minus.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// Text escaped for XML character data.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

impl SheetJob {
    /// Checks the form against the profile and reads the catalog (CSV text, header first).
    pub fn new(f: &SheetForm, profile: &Profile, catalog: &str) -> Result<SheetJob, Problems> {
        let spec = sheet_spec(f)?;
        let plan = Plan::new(profile, &spec).map_err(|e| by_field(e, sheet_field))?;
        let mut rdr = Records::new(strip_bom(catalog.as_bytes()), 1);
        let header = match rdr.next_record() {
            Some((_, Ok(h))) => h.iter().map(String::from_utf8_lossy).collect::<Vec<_>>(),
            Some((row, Err(e))) => {
                return Err(vec![(Some("s-catalog"), format!("header (row {row}): {e}"))])
            }
            None => {
                return Err(vec![(
                    Some("s-catalog"),
                    "the catalog is empty: it needs a header row".to_owned(),
                )])
            }
        };
        let columns = Columns::from_header(header.iter().map(|h| h.as_ref())).map_err(|e| {
            e.problems.into_iter().map(|m| (Some("s-catalog"), m)).collect::<Problems>()
        })?;
        let mut records = Vec::new();
        while let Some((line, rec)) = rdr.next_record() {
            records.push((line, rec.cloned().map_err(|e| e.to_string())));
        }
        let mut csv = plan.header().into_bytes();
        csv.push(b'\n');
        Ok(SheetJob { plan, columns, records, next: 0, csv, tally: Tally::default() })
    }

    /// Prices up to `rows` more records; true when every record is priced.
    pub fn step(&mut self, rows: usize) -> bool {
        let end = self.next.saturating_add(rows).min(self.records.len());
        for (line, record) in self.records.get(self.next..end).unwrap_or_default() {
            match record {
                Ok(rec) => {
                    let cells: Vec<&[u8]> = rec.iter().collect();
                    let csv = &mut self.csv;
                    self.plan.price_record(&self.columns, *line, &cells, &mut self.tally, |l| {
                        l.write_csv(csv)
                    });
                }
                Err(reason) => self.tally.unreadable(*line, reason),
            }
        }
        self.next = end;
        self.next >= self.records.len()
    }

    /// (records priced, records in the catalog).
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.records.len())
    }

    /// The sheet, once [`SheetJob::step`] said it is done (earlier: what is priced so far).
    pub fn finish(self) -> SheetOutput {
        let mut rejected = format!("{REJECTED_HEADER}\n").into_bytes();
        rejected.extend_from_slice(&self.tally.rejected);
        SheetOutput {
            csv: String::from_utf8_lossy(&self.csv).into_owned(),
            rejected: String::from_utf8_lossy(&rejected).into_owned(),
            tally: self.tally.counts,
            ignored: self.columns.ignored().to_vec(),
        }
    }
}

/// Lines of the sheet shown per preview page.
const PAGE: usize = 20;
/// Catalog records priced between two repaints of the progress bar.
const SLICE: usize = 2_000;

/// The price-sheet tab's inputs.
#[derive(Properties)]
pub struct SheetProps {
    /// Interface language.
    pub lang: Lang,
    /// The stored settings.
    pub form: SheetForm,
    /// The seller profile.
    pub profile: Rc<Profile>,
    /// A setting changed (element id, text).
    pub onchange: Callback<(String, String)>,
}

impl PartialEq for SheetProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.form == other.form
            && Rc::ptr_eq(&self.profile, &other.profile)
    }
}

/// A finished sheet with its download links (the object URLs live as long as it does).
struct MadeSheet {
    out: SheetOutput,
    csv_url: gloo::file::ObjectUrl,
    rejected_url: gloo::file::ObjectUrl,
    /// The sheet's lines after the header, for the preview.
    lines: Vec<String>,
    /// The rejected rows' cells after the header.
    rejected: Vec<Vec<String>>,
}

impl MadeSheet {
    fn new(out: SheetOutput) -> MadeSheet {
        let url = |text: &str| {
            gloo::file::ObjectUrl::from(gloo::file::Blob::new_with_options(
                text,
                Some("text/csv;charset=utf-8"),
            ))
        };
        let lines = out.csv.lines().skip(1).map(str::to_owned).collect();
        let rejected = csv::Reader::from_reader(out.rejected.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        MadeSheet { csv_url: url(&out.csv), rejected_url: url(&out.rejected), out, lines, rejected }
    }
}

/// Offers `contents` as a download named `name`. Its object URL is kept in `slot` (until
/// the next offer) so that it lives while the browser fetches it.
pub(crate) fn offer_download(
    contents: impl gloo::file::BlobContents,
    mime: &str,
    name: &str,
    slot: &std::cell::RefCell<Option<gloo::file::ObjectUrl>>,
) {
    use wasm_bindgen::JsCast;
    let url = gloo::file::ObjectUrl::from(gloo::file::Blob::new_with_options(contents, Some(mime)));
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    *slot.borrow_mut() = Some(url);
}

/// The first file an input or a drop carries.
pub(crate) fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|l| l.get(0))
}

/// Reads `file` as text and hands it to `then`; the read is kept in `slot` (until the
/// next one), since dropping it cancels it.
pub(crate) fn read_text(
    file: web_sys::File,
    slot: &std::cell::RefCell<Option<gloo::file::callbacks::FileReader>>,
    then: impl FnOnce(String) + 'static,
) {
    let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
        if let Ok(text) = text {
            then(text);
        }
    });
    *slot.borrow_mut() = Some(task);
}

/// Prices the catalog in slices, showing progress between them, then shows the sheet.
fn make_sheet(
    form: SheetForm,
    profile: Rc<Profile>,
    catalog: String,
    progress: UseStateHandle<Option<(usize, usize)>>,
    made: UseStateHandle<Option<Rc<MadeSheet>>>,
    problems: UseStateHandle<Problems>,
    page: UseStateHandle<usize>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut job = match SheetJob::new(&form, &profile, &catalog) {
            Ok(job) => job,
            Err(p) => {
                problems.set(p);
                made.set(None);
                return;
            }
        };
        problems.set(Problems::new());
        while !job.step(SLICE) {
            progress.set(Some(job.progress()));
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        progress.set(None);
        page.set(0);
        made.set(Some(Rc::new(MadeSheet::new(job.finish()))));
    });
}

/// The price-sheet tab: settings, the catalog, and the sheet with its rejected rows.
#[function_component(SheetView)]
pub fn sheet_view(props: &SheetProps) -> Html {
    let lang = props.lang;
    let f = &props.form;
    let catalog = use_state(String::new);
    let progress = use_state(|| None::<(usize, usize)>);
    let made = use_state(|| None::<Rc<MadeSheet>>);
    let problems = use_state(Problems::new);
    let page = use_state(|| 0usize);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let xlsx_url = use_mut_ref(|| None::<gloo::file::ObjectUrl>);
    let load_file = {
        let (catalog, reader) = (catalog.clone(), reader.clone());
        move |file: Option<web_sys::File>| {
            let catalog = catalog.clone();
            if let Some(file) = file {
                read_text(file, &reader, move |text| catalog.set(text));
            }
        }
    };
    let on_file = {
        let load = load_file.clone();
        Callback::from(move |e: Event| {
            load(first_file(e.target_unchecked_into::<HtmlInputElement>().files()))
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        load_file(first_file(e.data_transfer().and_then(|d| d.files())));
    });
    let on_paste = {
        let catalog = catalog.clone();
        Callback::from(move |e: InputEvent| {
            catalog.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())
        })
    };
    let on_make = {
        let (form, profile, catalog) = (f.clone(), props.profile.clone(), catalog.clone());
        let (progress, made, problems, page) =
            (progress.clone(), made.clone(), problems.clone(), page.clone());
        Callback::from(move |_| {
            make_sheet(
                form.clone(),
                profile.clone(),
                (*catalog).clone(),
                progress.clone(),
                made.clone(),
                problems.clone(),
                page.clone(),
            )
        })
    };
    // The workbook is made when asked for, not with every sheet.
    let on_xlsx = {
        let (made, problems) = (made.clone(), problems.clone());
        Callback::from(move |_| {
            let Some(m) = &*made else { return };
            match sheet_xlsx(&m.out.csv) {
                Ok(bytes) => offer_download(
                    &bytes[..],
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "price-sheet.xlsx",
                    &xlsx_url,
                ),
                Err(e) => problems.set(vec![(None, e)]),
            }
        })
    };
    let p = &*problems;
    let d = props.onchange.clone();
    let profile = &props.profile;
    let services: Vec<(String, String)> =
        profile.services.iter().map(|s| (s.id.clone(), s.name.clone())).collect();
    let mut platforms = vec![(String::new(), t(lang, "s-platform-none").to_owned())];
    platforms.extend(profile.platforms.iter().map(|x| (x.id.clone(), x.name.clone())));
    let currencies = ["USD", "EUR", "GBP", "AUD", "CAD", "JPY", "BRL", "RUB", "CNY"]
        .iter()
        .map(|x| ((*x).to_owned(), (*x).to_owned()))
        .collect();
    let precisions = vec![
        ("exact".to_owned(), t(lang, "s-precision-exact").to_owned()),
        ("python".to_owned(), t(lang, "s-precision-python").to_owned()),
    ];
    let catalog_error = problem_for(p, "s-catalog");
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset id="s-service" class={classes!("services", problem_for(p, "s-service").map(|_| "invalid"))} aria-describedby="s-service-error">
                <legend>{ t(lang, "s-service") }</legend>
                { for services.into_iter().map(|(id, name)| {
                    let on = service_chosen(&f.service, &id);
                    let (d, list, profile, box_id) = (d.clone(), f.service.clone(), props.profile.clone(), format!("s-service-{id}"));
                    let toggle = Callback::from(move |e: Event| {
                        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                        d.emit(("s-service".to_owned(), toggle_service(&list, &id, checked, &profile)));
                    });
                    html! {
                        <label class="check" for={box_id.clone()}>
                            <input type="checkbox" id={box_id} checked={on} onchange={toggle} />{ " " }{ name }
                        </label>
                    }
                }) }
                <span class="error" id="s-service-error">{ problem_for(p, "s-service").map(|m| say(lang, m)).unwrap_or_default() }</span>
            </fieldset>
            { select(lang, "s-currency", &f.currency, currencies, p, d.clone()) }
            { select(lang, "s-platform", &f.platform, platforms, p, d.clone()) }
            { text_input(lang, "s-fees", &f.fees, p, d.clone()) }
            { text_input(lang, "s-tiers", &f.tiers, p, d.clone()) }
            { text_input(lang, "s-zones", &f.zones, p, d.clone()) }
            { text_input(lang, "s-quantities", &f.quantities, p, d.clone()) }
            { select(lang, "s-precision", &f.precision, precisions, p, d) }
            <div class={classes!("field", catalog_error.map(|_| "invalid"))}>
                <label for="s-catalog">{ t(lang, "s-catalog") }</label>
                <textarea id="s-catalog" rows="6" spellcheck="false" value={(*catalog).clone()}
                    oninput={on_paste} ondrop={on_drop} ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                    aria-describedby="s-catalog-error" />
                <span class="error" id="s-catalog-error">{ catalog_error.map(|m| say(lang, m)).unwrap_or_default() }</span>
            </div>
            <div class="field">
                <label for="s-file">{ t(lang, "s-file") }</label>
                <input id="s-file" type="file" accept=".csv,text/csv" onchange={on_file} />
            </div>
            <button id="s-make" type="button" onclick={on_make} disabled={progress.is_some()}>{ t(lang, "s-make") }</button>
        </form>
    };
    let status = match *progress {
        Some((done, all)) => html! {
            <p>{ t(lang, "s-working") }{ " " }<progress id="s-progress" value={done.to_string()} max={all.to_string()} />{ format!(" {done} / {all}") }</p>
        },
        None => html! {},
    };
    let output = match &*made {
        None => {
            html! { { for p.iter().filter(|(f, _)| f.is_none()).map(|(_, m)| html! { <p class="error">{ say(lang, m) }</p> }) } }
        }
        Some(m) => {
            let c = m.out.tally;
            let pages = m.lines.len().div_ceil(PAGE).max(1);
            let at = (*page).min(pages.saturating_sub(1));
            let shown = m.lines.iter().skip(at.saturating_mul(PAGE)).take(PAGE);
            let header: Vec<String> = m
                .out
                .csv
                .lines()
                .next()
                .unwrap_or_default()
                .split(',')
                .map(str::to_owned)
                .collect();
            let cells = |line: &str| -> Vec<String> {
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_bytes())
                    .records()
                    .next()
                    .and_then(Result::ok)
                    .map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            let go = |to: usize| {
                let page = page.clone();
                Callback::from(move |_| page.set(to))
            };
            html! {
                <>
                    <p id="s-summary">{ format!("{} {} · {} {} · {} {}", c.rows, t(lang, "s-rows"), c.lines, t(lang, "s-lines"), c.rejected_rows.saturating_add(c.rejected_lines), t(lang, "s-rejected-count")) }</p>
                    <p>
                        <a id="s-download-csv" class="button" href={m.csv_url.to_string()} download="price-sheet.csv">{ t(lang, "s-download-csv") }</a>
                        { " " }
                        <button id="s-download-xlsx" type="button" onclick={on_xlsx}>{ t(lang, "s-download-xlsx") }</button>
                        { " " }
                        <a id="s-download-rejected" class="button" href={m.rejected_url.to_string()} download="price-sheet.rejected.csv">{ t(lang, "s-download-rejected") }</a>
                    </p>
                    if !m.out.ignored.is_empty() {
                        <p class="muted">{ t(lang, "s-ignored") }{ ": " }{ m.out.ignored.join(", ") }</p>
                    }
                    <div class="scroll">
                        <table id="s-preview">
                            <thead><tr>{ for header.iter().map(|h| html! { <th>{ h.clone() }</th> }) }</tr></thead>
                            <tbody>{ for shown.map(|l| html! { <tr>{ for cells(l).into_iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }</tbody>
                        </table>
                    </div>
                    <p class="pager">
                        <button id="s-prev" type="button" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ t(lang, "s-prev") }</button>
                        <span id="s-page">{ format!(" {} / {} ", at.saturating_add(1), pages) }</span>
                        <button id="s-next" type="button" disabled={at.saturating_add(1) >= pages} onclick={go(at.saturating_add(1))}>{ t(lang, "s-next") }</button>
                    </p>
                    if !m.rejected.is_empty() {
                        <table id="s-rejected">
                            <caption>{ t(lang, "s-rejected") }</caption>
                            <thead><tr><th>{ t(lang, "row") }</th><th>{ "SKU" }</th><th>{ t(lang, "reason") }</th></tr></thead>
                            <tbody>{ for m.rejected.iter().take(200).map(|r| html! {
                                <tr><td>{ r.first().cloned().unwrap_or_default() }</td><td>{ r.get(1).cloned().unwrap_or_default() }</td><td>{ r.get(4).cloned().unwrap_or_default() }</td></tr>
                            }) }</tbody>
                        </table>
                    }
                </>
            }
        }
    };
    html! { <div class="layout">{ form }<section class="result" aria-live="polite">{ status }{ output }</section></div> }
}

#[cfg(test)]
#[path = "../../tests/support/xlsx_check.rs"]
mod xlsx_check;

#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN_SHEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/sheet/");

    fn golden_sheet(name: &str) -> String {
        std::fs::read_to_string(format!("{GOLDEN_SHEET}{name}")).unwrap()
    }

    /// The bench workload's spec (bench/spec.json) as the form would be filled in.
    fn bench_form() -> SheetForm {
        SheetForm {
            service: "bench-zones".into(),
            currency: "USD".into(),
            platform: String::new(),
            fees: "12, 3".into(),
            tiers: "B2C 1 35; B2B1 2 28; B2B2 50 22 0.97; B2B3 200 18 0.94; B2B4 1000 15 0.90"
                .into(),
            zones: String::new(),
            quantities: String::new(),
            precision: "python".into(),
        }
    }

    fn bench_profile() -> Profile {
        let over = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../bench/profile-over.json"
        ))
        .unwrap();
        crossquote::profile::load_over(crossquote::defaults::DEFAULT_PROFILE_JSON, &over).unwrap()
    }

    /// The golden catalog gives the lines and rejected rows the CLI's golden test expects
    /// (lines from the Python reference, rejections written by hand), a slice at a time.
    #[test]
    fn the_golden_catalog_makes_the_golden_sheet() {
        let profile = bench_profile();
        let spec: SheetSpec = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/spec.json"))
                .unwrap(),
        )
        .unwrap();
        let mut from_form = sheet_spec(&bench_form()).unwrap();
        for (i, fee) in from_form.fees.iter_mut().enumerate() {
            fee.name = spec.fees[i].name.clone();
        }
        assert_eq!(from_form, spec);
        let mut job = SheetJob::new(&bench_form(), &profile, &golden_sheet("catalog.csv")).unwrap();
        let mut steps = 0;
        while !job.step(7) {
            steps += 1;
            assert!(job.progress().0 < job.progress().1);
        }
        assert!(steps >= 6, "{steps}");
        let out = job.finish();
        assert_eq!(out.csv, golden_sheet("expected.csv"));
        assert_eq!(out.rejected, golden_sheet("expected.rejected.csv"));
        assert_eq!((out.tally.rows, out.tally.rejected_rows + out.tally.rejected_lines), (47, 5));
    }

    /// CR-only ("CSV (Macintosh)") and CRLF line ends: the same sheet and the same rejected
    /// rows, by the same row numbers, as the golden catalog's LF.
    #[test]
    fn cr_only_and_crlf_catalogs_make_the_golden_sheet() {
        let profile = bench_profile();
        for end in ["\r", "\r\n"] {
            let catalog = golden_sheet("catalog.csv").replace('\n', end);
            let mut job = SheetJob::new(&bench_form(), &profile, &catalog).unwrap();
            while !job.step(7) {}
            let out = job.finish();
            assert_eq!(out.csv, golden_sheet("expected.csv"), "{end:?}");
            assert_eq!(out.rejected, golden_sheet("expected.rejected.csv"), "{end:?}");
            assert_eq!(out.tally.rows, 47, "{end:?}");
        }
    }

    /// A row with more fields than the header is rejected by its row, as in the CLI.
    #[test]
    fn a_row_longer_than_the_header_is_rejected() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let catalog = "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone,qty\r\n\
                       MUG,02,12.50,0.350,12,9,9,EU,1\r\n\
                       A-1,20.00,0.300,20,15,5,EU,1\r\n";
        let mut job = SheetJob::new(&SheetForm::default(), &profile, catalog).unwrap();
        assert!(job.step(10));
        let out = job.finish();
        assert_eq!(
            out.rejected,
            "row,sku,zone,qty,reason\n2,MUG,,,\"9 fields, the header has 8: a cell holds an \
             unquoted comma, or the columns are shifted\"\n"
        );
        assert_eq!((out.tally.rows, out.tally.lines), (2, 1));
        assert!(out.csv.lines().nth(1).unwrap().starts_with("A-1,EU,1,"), "{}", out.csv);
    }

    #[test]
    fn bad_settings_and_a_bad_header_are_named_by_field() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let form = SheetForm {
            currency: "XXQ".into(),
            fees: "12, x".into(),
            tiers: "B2C 1".into(),
            quantities: "0, 10".into(),
            ..SheetForm::default()
        };
        let err = SheetJob::new(&form, &profile, "sku,cost\n").unwrap_err();
        let ids: Vec<_> = err.iter().map(|(f, _)| f.unwrap_or("")).collect();
        assert_eq!(ids, ["s-currency", "s-fees", "s-tiers", "s-quantities"]);
        let form = SheetForm { service: "pigeon".into(), ..SheetForm::default() };
        let err = SheetJob::new(&form, &profile, "sku\n").unwrap_err();
        assert_eq!(err[0].0, Some("s-service"), "{err:?}");
        let err = SheetJob::new(&SheetForm::default(), &profile, "sku,weight_kg\n").unwrap_err();
        let missing: Vec<_> = err.iter().map(|(f, m)| (f.unwrap_or(""), m.as_str())).collect();
        assert_eq!(
            missing,
            [
                ("s-catalog", "no `cost` column"),
                ("s-catalog", "no `length_cm` column"),
                ("s-catalog", "no `width_cm` column"),
                ("s-catalog", "no `height_cm` column"),
            ]
        );
    }

    /// With the built-in profile and no zone or quantity columns, each SKU gets every zone
    /// of the service at each tier's least quantity; lots over the service's weight limit
    /// (200 and 1000 pieces of 0.3 kg on a 20 kg service) are rejected lines, with why.
    #[test]
    fn the_default_settings_price_every_zone_and_tier() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let catalog =
            "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm\nA-1,20.00,0.300,20,15,5\n";
        let mut job = SheetJob::new(&SheetForm::default(), &profile, catalog).unwrap();
        assert!(job.step(100));
        let out = job.finish();
        let zones = profile.services.iter().find(|s| s.id == "economy-air").unwrap().zones.len();
        assert_eq!(out.tally.lines, (zones * 3) as u64, "{}", out.rejected);
        assert_eq!(out.tally.rejected_lines, (zones * 2) as u64);
        assert_eq!(out.csv.lines().count(), 1 + zones * 3);
        assert!(out
            .rejected
            .contains("2,A-1,EU,200,weight 60 kg is over the service's limit of 20 kg"));
        assert!(out.csv.starts_with("sku,zone,qty,tier,"), "{}", out.csv);
    }

    /// The XLSX of the golden sheet reads back, cell by cell, as the golden CSV: text as
    /// text, numbers shown with their column's decimals.
    #[test]
    fn the_xlsx_reads_back_as_the_csv() {
        let expected = golden_sheet("expected.csv");
        let bytes = sheet_xlsx(&expected).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
        super::xlsx_check::assert_xlsx_is_csv(&mut book, &expected);
    }

    #[test]
    fn column_names_run_past_z() {
        let names: Vec<String> = [0, 9, 25, 26, 27, 51, 52, 701, 702].map(column_name).to_vec();
        assert_eq!(names, ["A", "J", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    /// Formula-like and markup text stays text, escaped; only plain decimals are numbers.
    #[test]
    fn xlsx_text_cells_are_neutralised_and_escaped() {
        use calamine::{Data, Reader, Xlsx};
        let csv = "sku,zone,qty,unit_price_usd\n\"=1+2\",<EU & co>,5,-1.50\n";
        let mut book = Xlsx::new(std::io::Cursor::new(sheet_xlsx(csv).unwrap())).unwrap();
        let range = book.worksheet_range("price sheet").unwrap();
        let row: Vec<Data> = range.rows().nth(1).unwrap().to_vec();
        assert_eq!(
            row,
            [
                Data::String("'=1+2".into()),
                Data::String("<EU & co>".into()),
                Data::Float(5.0),
                Data::Float(-1.5)
            ]
        );
        assert!(!is_plain_number("1e5") && !is_plain_number("1.") && !is_plain_number("."));
    }

    #[test]
    fn sheet_tiers_are_read_with_their_optional_marks() {
        let t = parse_sheet_tier("B2B2 50+ 22% x0.97").unwrap();
        assert_eq!(
            (t.name.as_str(), t.min_qty, t.cost_factor.to_string()),
            ("B2B2", 50, "0.97".to_owned())
        );
        assert_eq!(t.margin.points().to_string(), "22");
        assert_eq!(parse_sheet_tier("B2C 1 35").unwrap().cost_factor, Decimal::ONE);
        for bad in ["B2C 1", "B2C one 35", "B2C 1 35 0.9 extra", "B2C 1 x"] {
            assert!(parse_sheet_tier(bad).is_none(), "{bad}");
        }
    }

    /// Two services: each SKU priced on both, a `service` column, the profile's order.
    #[test]
    fn several_services_make_a_service_column() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let list = toggle_service("economy-air", "cn-post-registered", true, &profile);
        assert_eq!(list, "cn-post-registered, economy-air");
        assert_eq!(toggle_service(&list, "economy-air", false, &profile), "cn-post-registered");
        assert!(service_chosen(&list, "economy-air") && !service_chosen(&list, "economy"));
        let form = SheetForm { service: list, quantities: "1".into(), ..SheetForm::default() };
        assert!(
            matches!(sheet_spec(&form).unwrap().service, Services::Many(ref v) if v.len() == 2)
        );
        let catalog = "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone\nA-1,20.00,0.300,20,15,5,EU\n";
        let mut job = SheetJob::new(&form, &profile, catalog).unwrap();
        assert!(job.step(10));
        let out = job.finish();
        let lines: Vec<&str> = out.csv.lines().collect();
        assert!(lines[0].starts_with("sku,service,zone,qty,tier,"), "{}", lines[0]);
        assert_eq!(lines.len(), 3, "{}\n{}", out.csv, out.rejected);
        assert!(lines[1].starts_with("A-1,cn-post-registered,EU,1,B2C,"), "{}", lines[1]);
        assert!(lines[2].starts_with("A-1,economy-air,EU,1,B2C,"), "{}", lines[2]);
        let none = SheetForm { service: " ".into(), ..SheetForm::default() };
        assert_eq!(sheet_spec(&none).unwrap_err()[0].0, Some("s-service"));
    }
}
