//! The catalog's CSV grammar: one for every reader of a catalog (the CLI's block splitter
//! and cell cutter, its header reader, the browser's sheet), so that where a record ends
//! and what its cells hold never depend on who reads it or where a block was cut.
//!
//! RFC 4180, and what spreadsheets write:
//! - A record ends at a line end outside quotes: `\r\n`, `\n`, or a lone `\r` (Excel for
//!   Mac's "CSV (Macintosh)"); each is one line. A blank line is not a record.
//! - Cells are separated by `,`. A cell that begins with `"` is quoted: it runs to the next
//!   `"` that is not doubled; `""` in it is one `"`; commas and line ends in it are text.
//!   After the closing quote comes a comma, a line end or the end of the input; text there
//!   is a problem of the record ([`RecordProblem::TextAfterQuote`]).
//! - A `"` in a cell that does not begin with one (`Monitor 24"`) is text, as spreadsheets,
//!   Python's `csv` and the csv crate read it: it opens nothing.
//! - A quoted cell still open at the end of the input is a problem of its record
//!   ([`RecordProblem::UnclosedQuote`]), which runs to the end.
//! - A UTF-8 byte order mark before the header is not part of it ([`strip_bom`]).

// Positions within one in-memory slice and line counters: none can overflow.
#![allow(clippy::arithmetic_side_effects)]

use std::fmt;

/// The most bytes one record may take. A reader that streams a catalog refuses a longer
/// one rather than holding the rest of the input (a quote that never closes).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Why a record could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordProblem {
    /// Text after the closing quote of cell `cell` (1-based), before its comma.
    TextAfterQuote {
        /// The cell, counted from 1.
        cell: usize,
    },
    /// The quoted cell `cell` (1-based) is still open at the end of the input.
    UnclosedQuote {
        /// The cell, counted from 1.
        cell: usize,
    },
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordProblem::TextAfterQuote { cell } => {
                write!(f, "cell {cell}: text after the closing quote of a quoted cell")
            }
            RecordProblem::UnclosedQuote { cell } => write!(
                f,
                "cell {cell}: a quoted cell that is not closed before the end of the catalog"
            ),
        }
    }
}

/// Where one record lies, from the position it was looked for at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Line ends of blank lines before the record's first byte.
    pub blank_lines: u64,
    /// Line ends from the start to [`Span::end`]: blank lines, line ends in quoted cells
    /// and the record's own.
    pub lines: u64,
    /// Just after the record's line end, or the end of the input.
    pub end: usize,
    /// False when only blank lines were left before the end of the input.
    pub record: bool,
    /// The record's first problem, if any.
    pub problem: Option<RecordProblem>,
}

/// The cells of one record (quotes taken off, `""` made `"`), in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    /// No cells.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `i` (from 0).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? };
        self.bytes.get(start..end)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    fn push(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    fn end_cell(&mut self) {
        self.ends.push(self.bytes.len());
    }
}

/// The input without a leading UTF-8 byte order mark.
pub fn strip_bom(input: &[u8]) -> &[u8] {
    input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input)
}

/// Line ends in `bytes`: `\n`, and `\r` not followed by `\n` (a `\r` last in `bytes` counts:
/// the caller knows what follows is not `\n`).
fn line_ends(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let cr =
        memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    (lf + cr) as u64
}

/// Finds the record that starts at `at` (after any blank lines), and its cells into
/// `fields` when given. `eof` says that `input` ends where the input does; otherwise a
/// record that may go on past the end of `input` gives `None` (more input is needed).
pub fn scan(input: &[u8], at: usize, eof: bool, mut fields: Option<&mut Fields>) -> Option<Span> {
    let len = input.len();
    let mut p = at;
    let mut lines = 0u64;
    loop {
        match input.get(p) {
            None if eof => {
                let end = len.max(at);
                return Some(Span { blank_lines: lines, lines, end, record: false, problem: None });
            }
            None => return None,
            Some(b'\n') => p += 1,
            Some(b'\r') => match input.get(p + 1) {
                Some(b'\n') => p += 2,
                Some(_) => p += 1,
                None if eof => p += 1,
                None => return None,
            },
            Some(_) => break,
        }
        lines += 1;
    }
    let blank_lines = lines;
    if let Some(f) = fields.as_deref_mut() {
        f.clear();
    }
    let mut problem = None;
    let mut cell = 1usize;
    loop {
        // At the start of a cell.
        let mut quoted = false;
        if input.get(p) == Some(&b'"') {
            quoted = true;
            let mut q = p + 1;
            loop {
                let Some(i) = memchr::memchr(b'"', input.get(q..).unwrap_or_default()) else {
                    if !eof {
                        return None;
                    }
                    let rest = input.get(q..).unwrap_or_default();
                    lines += line_ends(rest);
                    if let Some(f) = fields.as_deref_mut() {
                        f.push(rest);
                        f.end_cell();
                    }
                    let problem = problem.or(Some(RecordProblem::UnclosedQuote { cell }));
                    return Some(Span { blank_lines, lines, end: len, record: true, problem });
                };
                let i = q + i;
                let part = input.get(q..i).unwrap_or_default();
                lines += line_ends(part);
                if let Some(f) = fields.as_deref_mut() {
                    f.push(part);
                }
                match input.get(i + 1) {
                    Some(b'"') => {
                        if let Some(f) = fields.as_deref_mut() {
                            f.push(b"\"");
                        }
                        q = i + 2;
                    }
                    None if !eof => return None,
                    _ => {
                        p = i + 1;
                        break;
                    }
                }
            }
        }
        // Unquoted text, or what follows a closing quote: up to a comma or a line end.
        let rest = input.get(p..).unwrap_or_default();
        let stop = memchr::memchr3(b',', b'\n', b'\r', rest).map(|i| p + i);
        if stop.is_none() && !eof {
            return None;
        }
        let stop_at = stop.unwrap_or(len);
        if quoted && stop_at > p && problem.is_none() {
            problem = Some(RecordProblem::TextAfterQuote { cell });
        }
        if let Some(f) = fields.as_deref_mut() {
            f.push(input.get(p..stop_at).unwrap_or_default());
            f.end_cell();
        }
        let end = match stop.and_then(|i| input.get(i)) {
            Some(b',') => {
                p = stop_at + 1;
                cell += 1;
                continue;
            }
            Some(b'\r') => match input.get(stop_at + 1) {
                Some(b'\n') => stop_at + 2,
                Some(_) => stop_at + 1,
                None if eof => stop_at + 1,
                None => return None,
            },
            Some(_) => stop_at + 1,
            None => len,
        };
        if end > stop_at {
            lines += 1;
        }
        return Some(Span { blank_lines, lines, end, record: true, problem });
    }
}

/// The end of the last whole record in `buf` (which begins where a record may begin), and
/// the line ends before it; 0 when no record in it is known to be whole. With `eof`, all
/// of `buf`.
pub fn last_record_end(buf: &[u8], eof: bool) -> (usize, u64) {
    if eof {
        return (buf.len(), line_ends(buf));
    }
    if memchr::memchr(b'"', buf).is_none() {
        // No quotes: every line end ends a record; a `\r` last may be half of a `\r\n`.
        let mut end = match memchr::memrchr2(b'\n', b'\r', buf) {
            Some(i) => i + 1,
            None => return (0, 0),
        };
        if end == buf.len() && buf.last() == Some(&b'\r') {
            end = memchr::memrchr2(b'\n', b'\r', &buf[..end - 1]).map_or(0, |i| i + 1);
        }
        return (end, line_ends(&buf[..end]));
    }
    let (mut at, mut lines) = (0, 0);
    while let Some(span) = scan(buf, at, false, None) {
        if span.end == at {
            break;
        }
        at = span.end;
        lines += span.lines;
    }
    (at, lines)
}

/// The records of a whole input (the end of `input` is the end of the catalog), each with
/// the line it begins on.
#[derive(Debug)]
pub struct Records<'a> {
    input: &'a [u8],
    at: usize,
    line: u64,
    fields: Fields,
}

impl<'a> Records<'a> {
    /// Records of `input`, whose first line is line `first_line`.
    pub fn new(input: &'a [u8], first_line: u64) -> Records<'a> {
        Records { input, at: 0, line: first_line, fields: Fields::default() }
    }

    /// The line the next record would begin on, if there is one (after the last: the line
    /// after the input).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The byte after the records read so far.
    pub fn position(&self) -> usize {
        self.at
    }

    /// The next record: its first line, and its cells or its problem.
    pub fn next_record(&mut self) -> Option<(u64, Result<&Fields, RecordProblem>)> {
        let span = scan(self.input, self.at, true, Some(&mut self.fields))?;
        let line = self.line + span.blank_lines;
        self.at = span.end;
        self.line += span.lines;
        if !span.record {
            return None;
        }
        Some((line, span.problem.map_or(Ok(&self.fields), Err)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(u64, Result<Vec<String>, RecordProblem>)> {
        let mut r = Records::new(text.as_bytes(), 1);
        let mut out = Vec::new();
        while let Some((line, rec)) = r.next_record() {
            let cells =
                rec.map(|f| f.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect());
            out.push((line, cells));
        }
        out
    }

    fn ok(line: u64, cells: &[&str]) -> (u64, Result<Vec<String>, RecordProblem>) {
        (line, Ok(cells.iter().map(|c| (*c).to_owned()).collect()))
    }

    #[test]
    fn every_line_end_ends_a_record_and_counts_one_line() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "", "c,d", "e"].join(end) + end;
            assert_eq!(all(&text), [ok(1, &["a", "b"]), ok(3, &["c", "d"]), ok(4, &["e"])]);
        }
        assert_eq!(all("a\r\rb\n\r\nc"), [ok(1, &["a"]), ok(3, &["b"]), ok(5, &["c"])]);
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_line_ends() {
        let text = "\"a,1\",\"say \"\"hi\"\"\"\r\"two\rlines\r\n\",x\rnext,\"\"\r";
        assert_eq!(
            all(text),
            [ok(1, &["a,1", "say \"hi\""]), ok(2, &["two\rlines\r\n", "x"]), ok(5, &["next", ""])]
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_text() {
        assert_eq!(
            all("Monitor 24\",1\nb\"c\"d,2\n"),
            [ok(1, &["Monitor 24\"", "1"]), ok(2, &["b\"c\"d", "2"])]
        );
    }

    #[test]
    fn text_after_a_closing_quote_and_an_open_quote_are_problems() {
        assert_eq!(
            all("a,\"b\"c,d\ne\n"),
            [(1, Err(RecordProblem::TextAfterQuote { cell: 2 })), ok(2, &["e"])]
        );
        assert_eq!(
            all("a\n\"b\nc,d\n"),
            [ok(1, &["a"]), (2, Err(RecordProblem::UnclosedQuote { cell: 1 }))]
        );
    }

    #[test]
    fn a_trailing_comma_is_an_empty_cell() {
        assert_eq!(all("a,\nb,"), [ok(1, &["a", ""]), ok(2, &["b", ""])]);
    }

    /// A buffer cut anywhere: the whole records in it end where a whole input's do, and a
    /// `\r` last, or a quote last inside a quoted cell, waits for the next byte.
    #[test]
    fn the_last_whole_record_is_never_cut_short() {
        assert_eq!(last_record_end(b"a\r\nb\r", false), (3, 1));
        assert_eq!(last_record_end(b"a\r\nb\r", true), (5, 2));
        assert_eq!(last_record_end(b"a\rb\rc", false), (4, 2));
        assert_eq!(last_record_end(b"a\n\"b\nc\"", false), (2, 1));
        assert_eq!(last_record_end(b"a\n\"b\nc\"\n", false), (8, 3));
        assert_eq!(last_record_end(b"x\"y\nz", false), (4, 1));
        let text = b"a,\"q\"\"\r\n\",b\r\nc\rd\n\"e\"\r";
        let whole = {
            let mut r = Records::new(text, 1);
            let mut ends = Vec::new();
            while r.next_record().is_some() {
                ends.push((r.position(), r.line() - 1));
            }
            ends
        };
        for cut in 0..=text.len() {
            let (end, lines) = last_record_end(&text[..cut], false);
            assert!(end == 0 || whole.contains(&(end, lines)), "cut {cut}: {end} {lines}");
            let known = |e: usize| e < cut || (e == cut && text[e - 1] == b'\n');
            let best = whole.iter().rev().find(|(e, _)| known(*e)).map_or(0, |w| w.0);
            assert!(end >= best, "cut {cut}: {end} < {best}");
        }
    }
}
