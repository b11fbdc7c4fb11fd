//! `crossquote sheet`: a catalog CSV streamed through a [`Plan`] on every core.
//!
//! One thread reads the catalog in blocks that end on a record boundary (a line end
//! outside quotes, by the grammar of `crossquote::sheet::record`), worker threads parse and price whole blocks, and the calling thread
//! writes the results in catalog order. Channels are bounded, so at most a few blocks are
//! in memory whatever the catalog's length.

// Positions and lengths within in-memory buffers, and u64 row and line counters: none
// can overflow.
#![allow(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::{bail, Context, Result};
use crossquote::sheet::{record, Cell, Columns, Line, Plan, SheetCounts, Tally, REJECTED_HEADER};
use crossquote::Decimal;

/// Bytes of catalog per block.
const BLOCK: usize = 128 * 1024;

/// What the sheet run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    /// Rows read, lines written, rows and lines rejected.
    pub counts: SheetCounts,
    /// Header columns not read.
    pub ignored: Vec<String>,
}

/// A priced line with its own strings, for the XLSX writer.
#[derive(Debug, Clone)]
pub struct OwnedLine {
    /// SKU.
    pub sku: String,
    /// The service, when the sheet has several.
    pub service: Option<String>,
    /// Zone name.
    pub zone: String,
    /// Quantity.
    pub qty: u32,
    /// Tier name.
    pub tier: String,
    /// Chargeable kg, shipping, unit cost, landed unit cost, unit price, line total.
    pub numbers: [Decimal; 6],
}

impl From<&Line<'_>> for OwnedLine {
    fn from(l: &Line<'_>) -> OwnedLine {
        OwnedLine {
            sku: l.sku.to_owned(),
            service: l.service.map(str::to_owned),
            zone: l.zone.to_owned(),
            qty: l.qty,
            tier: l.tier.to_owned(),
            numbers: l.numbers(),
        }
    }
}

/// Where priced lines go.
pub trait Sink {
    /// Lines as CSV records (`csv` is true) or as owned lines.
    fn wants_csv(&self) -> bool;
    /// One block's CSV records, in order.
    fn csv(&mut self, bytes: &[u8]) -> Result<()>;
    /// One block's lines, in order.
    fn lines(&mut self, lines: Vec<OwnedLine>) -> Result<()>;
}

/// CSV to a writer, header first.
pub struct CsvSink<W: Write>(pub W);

impl<W: Write> Sink for CsvSink<W> {
    fn wants_csv(&self) -> bool {
        true
    }
    fn csv(&mut self, bytes: &[u8]) -> Result<()> {
        self.0.write_all(bytes).context("cannot write the sheet")
    }
    fn lines(&mut self, _: Vec<OwnedLine>) -> Result<()> {
        Ok(())
    }
}

struct Block {
    seq: u64,
    /// Line number (1-based) of the block's first line in the catalog.
    first_line: u64,
    bytes: Vec<u8>,
}

struct Done {
    seq: u64,
    csv: Vec<u8>,
    lines: Vec<OwnedLine>,
    tally: Tally,
}

/// Reads a catalog's header row as [`run`] does, and nothing after it: a front end that
/// answers once the sheet has begun (the API's stream) checks the header first, so that a
/// bad one is an error rather than a sheet cut off.
pub fn header(input: &mut dyn Read) -> Result<Columns> {
    read_header(input, BLOCK).map(|(columns, _, _)| columns)
}

/// Reads the header row: its column map, the bytes after it, and the line after it.
fn read_header(input: &mut dyn Read, block: usize) -> Result<(Columns, Vec<u8>, u64)> {
    let mut buf = Vec::with_capacity(block);
    let mut eof = false;
    let mut fields = record::Fields::default();
    loop {
        let more = fill(input, &mut buf, block)?;
        eof |= more == 0;
        let bom = if record::strip_bom(&buf).len() < buf.len() { 3 } else { 0 };
        let Some(span) = record::scan(&buf, bom, eof, Some(&mut fields)) else {
            if buf.len() > record::MAX_RECORD_BYTES {
                bail!(
                    "catalog header (row 1): longer than {} bytes (a quoted cell not closed?)",
                    record::MAX_RECORD_BYTES
                );
            }
            continue;
        };
        if !span.record {
            bail!("the catalog is empty: it needs a header row");
        }
        let row = 1 + span.blank_lines;
        if let Some(problem) = span.problem {
            bail!("catalog header (row {row}): {problem}");
        }
        let names = fields
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<&str>, _>>()
            .map_err(|_| anyhow::anyhow!("catalog header (row {row}): not UTF-8 text"))?;
        let columns = Columns::from_header(names)?;
        let rest = buf.get(span.end..).unwrap_or_default().to_vec();
        return Ok((columns, rest, 1 + span.lines));
    }
}

/// Reads up to `want` more bytes onto `buf`; 0 at the end of input.
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> Result<usize> {
    buf.reserve(want);
    // `read_to_end` reads into the spare capacity as it is, without zeroing it first.
    input.take(want as u64).read_to_end(buf).context("cannot read the catalog")
}

fn price_block(plan: &Plan, columns: &Columns, block: &Block, csv_out: bool) -> Done {
    let mut done = Done {
        seq: block.seq,
        csv: Vec::with_capacity(if csv_out { block.bytes.len() * 2 } else { 0 }),
        lines: Vec::new(),
        tally: Tally::default(),
    };
    let bytes = &block.bytes[..];
    if plain(bytes) {
        // No quotes and no bare carriage returns: a record is a line, a cell what lies
        // between commas, just as `record::Records` would read it, without its states.
        // A block that is UTF-8 throughout is checked once here rather than cell by cell.
        match std::str::from_utf8(bytes) {
            Ok(text) => price_lines(plan, columns, block.first_line, text, &mut done, csv_out),
            Err(_) => price_lines(plan, columns, block.first_line, bytes, &mut done, csv_out),
        }
        return done;
    }
    let mut records = record::Records::new(bytes, block.first_line);
    while let Some((row, rec)) = records.next_record() {
        match rec {
            Ok(rec) => {
                let fields: Vec<&[u8]> = rec.iter().collect();
                price_record(plan, columns, row, &fields, &mut done, csv_out);
            }
            Err(problem) => done.tally.unreadable(row, &problem.to_string()),
        }
    }
    done
}

/// Text that splits into lines and cells: bytes, or text (cut at ASCII, so still text).
trait Split<'a>: Cell<'a> {
    fn slice(self, from: usize, to: usize) -> Self;
}

impl<'a> Split<'a> for &'a [u8] {
    fn slice(self, from: usize, to: usize) -> Self {
        self.get(from..to).unwrap_or_default()
    }
}

impl<'a> Split<'a> for &'a str {
    fn slice(self, from: usize, to: usize) -> Self {
        // Cuts fall next to `\n`, `\r` or `,`: ASCII, so on character boundaries.
        self.get(from..to).unwrap_or_default()
    }
}

/// Prices a plain block (see [`plain`]) line by line.
fn price_lines<'a, T: Split<'a>>(
    plan: &Plan,
    columns: &Columns,
    first_line: u64,
    text: T,
    done: &mut Done,
    csv_out: bool,
) {
    let bytes = text.bytes();
    let mut line_no = first_line;
    let mut start = 0;
    let mut fields: Vec<T> = Vec::with_capacity(16);
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let stop = if end > start && bytes[end - 1] == b'\r' { end - 1 } else { end };
        if stop > start {
            fields.clear();
            let mut from = start;
            for (i, &b) in bytes[start..stop].iter().enumerate() {
                if b == b',' {
                    fields.push(text.slice(from, start + i));
                    from = start + i + 1;
                }
            }
            fields.push(text.slice(from, stop));
            price_record(plan, columns, line_no, &fields, done, csv_out);
        }
        line_no += 1;
        start = end + 1;
    }
}

/// Has the block no quote and no carriage return other than before a line feed?
fn plain(bytes: &[u8]) -> bool {
    memchr::memchr(b'"', bytes).is_none()
        && memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'))
}

/// One catalog record (its fields), priced into `done`.
fn price_record<'a, C: Cell<'a>>(
    plan: &Plan,
    columns: &Columns,
    row: u64,
    fields: &[C],
    done: &mut Done,
    csv_out: bool,
) {
    let (csv, lines) = (&mut done.csv, &mut done.lines);
    plan.price_record(columns, row, fields, &mut done.tally, |l| {
        if csv_out {
            l.write_csv(csv);
        } else {
            lines.push(OwnedLine::from(l));
        }
    });
}

/// Prices the catalog on `input` into `sink`, rejected rows to `rejected` (CSV with
/// [`REJECTED_HEADER`]), on `jobs` worker threads.
pub fn run(
    plan: &Plan,
    input: Box<dyn Read + Send>,
    sink: &mut dyn Sink,
    rejected: &mut dyn Write,
    jobs: usize,
) -> Result<Summary> {
    run_in_blocks(plan, input, sink, rejected, jobs, BLOCK)
}

/// [`run`], reading the catalog `block` bytes at a time (at least 1): where blocks are cut
/// changes nothing in what is written, which the tests hold it to.
pub fn run_in_blocks(
    plan: &Plan,
    mut input: Box<dyn Read + Send>,
    sink: &mut dyn Sink,
    rejected: &mut dyn Write,
    jobs: usize,
    block: usize,
) -> Result<Summary> {
    let block = block.max(1);
    let (columns, rest, first_line) = read_header(&mut *input, block)?;
    let columns = Arc::new(columns);
    let csv_out = sink.wants_csv();
    if csv_out {
        sink.csv(format!("{}\n", plan.header()).as_bytes())?;
    }
    rejected.write_all(format!("{REJECTED_HEADER}\n").as_bytes())?;
    let jobs = jobs.max(1);
    let mut summary = Summary { ignored: columns.ignored().to_vec(), ..Summary::default() };
    thread::scope(|s| -> Result<()> {
        let (work_tx, work_rx) = sync_channel::<Block>(jobs);
        let (done_tx, done_rx) = sync_channel::<Done>(jobs * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let reader = s.spawn(move || -> Result<()> {
            let mut buf = rest;
            let (mut seq, mut line) = (0u64, first_line);
            loop {
                let more = fill(&mut *input, &mut buf, block)?;
                let (end, lines) = record::last_record_end(&buf, more == 0);
                if end == 0 && more > 0 {
                    if buf.len() > record::MAX_RECORD_BYTES {
                        bail!(
                            "catalog row {line}: a record longer than {} bytes (a quoted cell \
                             not closed?)",
                            record::MAX_RECORD_BYTES
                        );
                    }
                    continue; // one record longer than a block: read on
                }
                if end > 0 {
                    let tail = buf.split_off(end);
                    let block =
                        Block { seq, first_line: line, bytes: std::mem::replace(&mut buf, tail) };
                    seq += 1;
                    line += lines;
                    if work_tx.send(block).is_err() {
                        return Ok(()); // the writer stopped; its error is reported
                    }
                }
                if more == 0 {
                    return Ok(());
                }
            }
        });
        for _ in 0..jobs {
            let (rx, tx, columns) = (Arc::clone(&work_rx), done_tx.clone(), Arc::clone(&columns));
            s.spawn(move || worker(plan, &columns, &rx, &tx, csv_out));
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        let mut result = Ok(());
        for done in done_rx {
            pending.insert(done.seq, done);
            while let Some(d) = pending.remove(&next) {
                next += 1;
                summary.counts.add(d.tally.counts);
                if result.is_ok() {
                    result = if csv_out { sink.csv(&d.csv) } else { sink.lines(d.lines) }.and_then(
                        |()| {
                            rejected
                                .write_all(&d.tally.rejected)
                                .context("cannot write rejected rows")
                        },
                    );
                }
            }
        }
        reader.join().map_err(|_| anyhow::anyhow!("the catalog reader stopped"))??;
        result
    })?;
    Ok(summary)
}

fn worker(
    plan: &Plan,
    columns: &Columns,
    rx: &Mutex<Receiver<Block>>,
    tx: &std::sync::mpsc::SyncSender<Done>,
    csv_out: bool,
) {
    loop {
        let block = match rx.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        let Ok(block) = block else { return };
        if tx.send(price_block(plan, columns, &block, csv_out)).is_err() {
            return;
        }
    }
}

/// The most lines an XLSX worksheet holds below its header.
pub const XLSX_MAX_LINES: u64 = 1_048_575;

/// An XLSX workbook, one worksheet, written in constant memory (rows go to a temporary
/// file as they come). Prices are number cells with as many decimals as the sheet's
/// columns, so a spreadsheet sums them; text cells are neutralised like the CSV's.
pub struct XlsxSink {
    book: rust_xlsxwriter::Workbook,
    formats: [rust_xlsxwriter::Format; 6],
    row: u32,
}

impl XlsxSink {
    /// A workbook with the plan's header row.
    pub fn new(plan: &Plan) -> Result<XlsxSink> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory();
        sheet.set_name("price sheet")?;
        let bold = Format::new().set_bold();
        for (col, name) in plan.header().split(',').enumerate() {
            sheet.write_string_with_format(0, u16::try_from(col)?, name, &bold)?;
        }
        let places = |p: u32| Format::new().set_num_format(format!("0.{}", "0".repeat(p as usize)));
        let (s, q) = (plan.seller_currency().minor_units(), plan.currency().minor_units());
        let cost = crossquote::sheet::COST_PLACES;
        let formats = [
            places(crossquote::sheet::WEIGHT_PLACES),
            places(s),
            places(cost),
            places(cost),
            places(q),
            places(q),
        ];
        Ok(XlsxSink { book, formats, row: 1 })
    }

    /// Writes the workbook to `path`.
    pub fn save(mut self, path: &std::path::Path) -> Result<()> {
        self.book.save(path).with_context(|| format!("cannot write {}", path.display()))
    }
}

impl Sink for XlsxSink {
    fn wants_csv(&self) -> bool {
        false
    }
    fn csv(&mut self, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn lines(&mut self, lines: Vec<OwnedLine>) -> Result<()> {
        use crossquote::sheet::neutralise;
        let sheet = self.book.worksheet_from_index(0)?;
        for l in lines {
            if u64::from(self.row) > XLSX_MAX_LINES {
                bail!("an XLSX sheet holds at most {XLSX_MAX_LINES} lines; write CSV instead");
            }
            let r = self.row;
            let mut col = 0u16;
            let mut next = || {
                col += 1;
                col - 1
            };
            sheet.write_string(r, next(), neutralise(&l.sku).as_ref())?;
            if let Some(service) = &l.service {
                sheet.write_string(r, next(), neutralise(service).as_ref())?;
            }
            sheet.write_string(r, next(), neutralise(&l.zone).as_ref())?;
            sheet.write_number(r, next(), f64::from(l.qty))?;
            sheet.write_string(r, next(), neutralise(&l.tier).as_ref())?;
            for (d, f) in l.numbers.iter().zip(&self.formats) {
                // A spreadsheet cell holds a binary double; the nearest one to the exact
                // value, shown with the column's decimals, reads back as the same text.
                let x: f64 = d.to_string().parse()?;
                sheet.write_number_with_format(r, next(), x, f)?;
            }
            self.row += 1;
        }
        Ok(())
    }
}
