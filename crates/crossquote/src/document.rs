//! Documents sent to the buyer, written in the buyer's document language: today the
//! proforma invoice of a wholesale order.
//!
//! A document is text, not layout: every label in its language, every number written the
//! language's way (`document.decimal`, `document.thousands`), dates by
//! `document.date_format`, the payment terms in the same words the quotation letter uses
//! (`payment_terms.*`). The texts are reply templates (`data/reply_templates.json`, keys
//! `document.*`), so a seller overrides them in the profile like any reply text, and they
//! are checked on load. Front ends lay the document out (the app prints it; the CLI and
//! the API hand it over as JSON); none of them words or formats a number of it.
//!
//! A document carries nothing internal: no cost, margin, rule or note.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::error::{FieldError, FieldErrors, Problem};
use crate::market::NumberFormat;
use crate::order::wholesale::WholesaleQuote;
use crate::reply::{fill, payment_text, Fmt, ReplyError, Templates, Val};

/// Separators a document may use between thousands (U+00A0 is the no-break space).
const THOUSANDS: [&str; 6] = [",", ".", " ", "\u{a0}", "'", ""];

/// Checks the value of a document text whose value is a setting rather than words:
/// `Some(message)` when it is not usable.
pub(crate) fn check_text(key: &str, text: &str) -> Option<String> {
    match key {
        "document.decimal" if text != "." && text != "," => {
            Some(format!("the decimal separator must be `.` or `,`, not `{text}`"))
        }
        "document.thousands" if !THOUSANDS.contains(&text) => Some(format!(
            "the thousands separator must be one of `,` `.` ` ` (no-break space) `'` or nothing, not `{text}`"
        )),
        "document.months" if text.split(',').filter(|m| !m.trim().is_empty()).count() != 12 => {
            Some("twelve month names, separated by commas".to_owned())
        }
        _ => None,
    }
}

/// A label and its value, as the document prints them; `key` names the entry for a front
/// end (`number`, `date`, `valid_until`, `buyer`, `packing`, `terms_of_delivery`,
/// `payment`, `bank`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Entry {
    /// Stable name of the entry.
    pub key: String,
    /// The label, in the document's language.
    pub label: String,
    /// The value, one item per printed line.
    pub lines: Vec<String>,
}

/// A column of the goods table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Column {
    /// Stable name (`item`, `description`, `hs_code`, `quantity`, `unit_price`, `amount`).
    pub key: String,
    /// The heading, in the document's language.
    pub label: String,
    /// A column of numbers (set right-aligned).
    pub numeric: bool,
}

/// The seller as the letterhead prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Letterhead {
    /// Company name.
    pub company: String,
    /// Address lines.
    pub address: Vec<String>,
    /// Contact line.
    pub contact: String,
}

/// A proforma invoice, every word and number as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ProformaDocument {
    /// The document's language (`en`, `pt-BR` …).
    pub language: String,
    /// What follows a label in this language (": ", "\u{a0}: " in French, "：" in Chinese).
    pub colon: String,
    /// "PROFORMA INVOICE".
    pub title: String,
    /// The seller, when the profile has their details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letterhead: Option<Letterhead>,
    /// PI number, date, validity, buyer.
    pub heading: Vec<Entry>,
    /// The goods table's columns.
    pub columns: Vec<Column>,
    /// One row per order line, a cell per column.
    pub rows: Vec<Vec<String>>,
    /// "Total" and the order's amount.
    pub total: Entry,
    /// Packing, terms of delivery, payment terms, bank details.
    pub terms: Vec<Entry>,
    /// "For and on behalf of …" and the name signed with, when the profile has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signature: Vec<String>,
}

/// Why a document cannot be written.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum DocumentError {
    /// Fields the document needs: the order's `date`, a `buyer.document_language` with
    /// texts.
    #[error("{0}")]
    Fields(FieldErrors),
    /// A text is missing or unusable.
    #[error("{0}")]
    Text(String),
}

impl From<ReplyError> for DocumentError {
    fn from(e: ReplyError) -> Self {
        DocumentError::Text(e.to_string())
    }
}

/// How the document writes numbers and dates.
struct Style<'a> {
    t: &'a Templates,
    lang: &'a str,
    numbers: NumberFormat,
}

impl Style<'_> {
    fn text(&self, key: &str) -> Result<String, DocumentError> {
        Ok(self.t.text(self.lang, key)?.to_owned())
    }
    fn with(&self, key: &str, vals: &[(&str, &str)]) -> Result<String, DocumentError> {
        let vals: Vec<(&str, Val)> =
            vals.iter().map(|(k, v)| (*k, Val::Text((*v).to_owned()))).collect();
        Ok(fill(self.t.text(self.lang, key)?, &vals)?.s)
    }
    /// `value` with `places` decimals (half-up, for display).
    fn number(&self, value: Decimal, places: u32) -> String {
        self.numbers.format(value, places)
    }
    /// A measured quantity (kg, CBM) with the decimals it has.
    fn measure(&self, value: Decimal) -> String {
        let v = value.normalize();
        self.numbers.format(v, v.scale())
    }
    fn date(&self, d: Date) -> Result<String, DocumentError> {
        let months = self.text("document.months")?;
        let month = months
            .split(',')
            .nth(usize::from(d.month()).saturating_sub(1))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        self.with(
            "document.date_format",
            &[
                ("d", &d.day().to_string()),
                ("dd", &format!("{:02}", d.day())),
                ("m", &d.month().to_string()),
                ("mm", &format!("{:02}", d.month())),
                ("yyyy", &d.year().to_string()),
                ("month", &month),
            ],
        )
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Capitalises the first letter of a clause used on its own ("irrevocable L/C at sight"
/// in a letter's sentence, "Irrevocable L/C at sight" on a document).
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The order's proforma invoice in the buyer's document language
/// (`buyer.document_language`, English when absent). `templates` are the profile's
/// ([`crate::profile::Profile::templates`]).
pub fn proforma(
    quote: &WholesaleQuote,
    templates: &Templates,
) -> Result<ProformaDocument, DocumentError> {
    let pf = quote.proforma.as_ref().ok_or_else(|| {
        DocumentError::Fields(FieldErrors(vec![FieldError::new(
            "date",
            Problem::Invalid {
                message: "the proforma invoice needs the quotation's date (YYYY-MM-DD)".into(),
            },
        )]))
    })?;
    let lang = pf.language.as_str();
    if !templates.languages.contains_key(lang) {
        return Err(DocumentError::Fields(FieldErrors(vec![FieldError::new(
            "buyer.document_language",
            Problem::Invalid { message: format!("no document texts in `{lang}`") },
        )])));
    }
    let t = templates;
    let numbers = NumberFormat {
        decimal: t.text(lang, "document.decimal")?.to_owned(),
        thousands: t.text(lang, "document.thousands")?.to_owned(),
        symbol: String::new(),
        symbol_first: true,
        space: false,
        indian_grouping: false,
    };
    let st = Style { t, lang, numbers };
    let cur = quote.currency;
    let minor = cur.minor_units();
    let entry =
        |key: &str, label: String, lines: Vec<String>| Entry { key: key.to_owned(), label, lines };

    let letterhead = pf.seller.as_ref().map(|s| Letterhead {
        company: s.company.clone(),
        address: lines(&s.address),
        contact: s.contact.clone(),
    });
    let mut buyer = lines(&pf.buyer.name);
    buyer.extend(lines(&pf.buyer.address));
    if buyer.is_empty() {
        buyer.push("—".to_owned());
    }
    let heading = vec![
        entry("number", st.text("document.pi_number")?, vec![pf.number.clone()]),
        entry("date", st.text("document.date")?, vec![st.date(pf.date)?]),
        entry("valid_until", st.text("document.valid_until")?, vec![st.date(pf.valid_until)?]),
        entry("buyer", st.text("document.buyer")?, buyer),
    ];
    let column =
        |key: &str, label: String, numeric: bool| Column { key: key.to_owned(), label, numeric };
    let columns = vec![
        column("item", st.text("document.item")?, false),
        column("description", st.text("document.description")?, false),
        column("hs_code", st.text("document.hs_code")?, false),
        column("quantity", st.text("document.quantity")?, true),
        column(
            "unit_price",
            st.with(
                "document.unit_price",
                &[("term", &pf.terms_of_delivery), ("currency", cur.code())],
            )?,
            true,
        ),
        column("amount", st.with("document.amount", &[("currency", cur.code())])?, true),
    ];
    let rows = quote
        .lines
        .iter()
        .map(|l| {
            let price = l.unit_price.amount;
            vec![
                l.sku.clone(),
                l.description.clone(),
                l.hs_code.clone(),
                st.number(Decimal::from(l.quantity), 0),
                st.number(price, minor.max(price.scale())),
                st.number(l.amount.amount, minor),
            ]
        })
        .collect();
    let total = entry(
        "total",
        st.text("document.total")?,
        vec![format!("{} {}", cur.code(), st.number(quote.total.amount, minor))],
    );
    let s = &quote.shipment;
    let fmt = Fmt { format: &st.numbers, currency: None, lang };
    let payment = capitalised(&payment_text(t, lang, &fmt, pf.payment_terms)?.s);
    let mut terms = vec![
        entry(
            "packing",
            st.text("document.packing")?,
            vec![st.with(
                "document.packing_summary",
                &[
                    ("cartons", &st.number(Decimal::from(s.cartons), 0)),
                    ("gross_kg", &st.measure(s.gross_kg)),
                    ("cbm", &st.measure(s.cbm)),
                ],
            )?],
        ),
        entry(
            "terms_of_delivery",
            st.text("document.terms_of_delivery")?,
            vec![pf.terms_of_delivery.clone()],
        ),
        entry("payment", st.text("document.payment")?, vec![payment]),
    ];
    let mut signature = Vec::new();
    if let Some(seller) = &pf.seller {
        let bank = lines(&seller.bank);
        if !bank.is_empty() {
            terms.push(entry("bank", st.text("document.bank")?, bank));
        }
        if !seller.company.trim().is_empty() {
            signature.push(st.with("document.signature", &[("company", seller.company.trim())])?);
        }
        if !seller.signature.trim().is_empty() {
            signature.push(seller.signature.trim().to_owned());
        }
    }
    Ok(ProformaDocument {
        language: lang.to_owned(),
        colon: st.text("document.colon")?,
        title: st.text("document.proforma")?,
        letterhead,
        heading,
        columns,
        rows,
        total,
        terms,
        signature,
    })
}

/// Columns on a terminal: East Asian wide characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = u32::from(c);
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, to: usize, right: bool) -> String {
    let fill = " ".repeat(to.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

impl ProformaDocument {
    /// The document as plain text (an e-mail body, a terminal): the same words and numbers
    /// as the printed page, the goods table in aligned columns.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut line = |s: &str| {
            out.push_str(s.trim_end());
            out.push('\n');
        };
        if let Some(l) = &self.letterhead {
            line(&l.company);
            for a in &l.address {
                line(a);
            }
            if !l.contact.is_empty() {
                line(&l.contact);
            }
            line("");
        }
        line(&self.title);
        line("");
        let entries = |out: &mut dyn FnMut(&str), list: &[Entry]| {
            let w = list
                .iter()
                .map(|e| width(&e.label).saturating_add(width(&self.colon)))
                .max()
                .unwrap_or(0);
            for e in list {
                let mut first = true;
                for v in &e.lines {
                    let label =
                        if first { format!("{}{}", e.label, self.colon) } else { String::new() };
                    out(&format!("{}{v}", pad(&label, w, false)));
                    first = false;
                }
            }
        };
        entries(&mut line, &self.heading);
        line("");
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(&c.label)).collect();
        for r in &self.rows {
            for (i, cell) in r.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(width(cell));
                }
            }
        }
        let row = |cells: Vec<&str>| -> String {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let numeric = self.columns.get(i).is_some_and(|c| c.numeric);
                    pad(c, widths.get(i).copied().unwrap_or(0), numeric)
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        line(&row(self.columns.iter().map(|c| c.label.as_str()).collect()));
        let rule: usize = widths
            .iter()
            .sum::<usize>()
            .saturating_add(widths.len().saturating_sub(1).saturating_mul(2));
        line(&"-".repeat(rule));
        for r in &self.rows {
            line(&row(r.iter().map(String::as_str).collect()));
        }
        line(&"-".repeat(rule));
        let total = format!("{}{}{}", self.total.label, self.colon, self.total.lines.join(" "));
        line(&pad(&total, rule, true));
        line("");
        entries(&mut line, &self.terms);
        if !self.signature.is_empty() {
            line("");
            for s in &self.signature {
                line(s);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_texts_are_checked() {
        assert_eq!(check_text("document.decimal", ","), None);
        assert_eq!(
            check_text("document.decimal", "·").as_deref(),
            Some("the decimal separator must be `.` or `,`, not `·`")
        );
        assert_eq!(check_text("document.thousands", "\u{a0}"), None);
        assert!(check_text("document.thousands", "_").is_some());
        assert!(check_text("document.months", "Jan,Feb,Mar").is_some());
        assert_eq!(
            check_text("document.months", "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月"),
            None
        );
        assert_eq!(check_text("document.title", "anything"), None);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("Total"), 5);
        assert_eq!(width("合计："), 6);
        assert_eq!(pad("合计", 6, false), "合计  ");
        assert_eq!(pad("3.51", 6, true), "  3.51");
    }
}
