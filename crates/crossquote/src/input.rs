//! Numbers as people type them into a form: `97,36` (a decimal comma, as the app itself
//! writes reais and roubles), `1.234,56` and `1,234.56` (thousands grouped either way),
//! `1 234,5` (grouped with spaces, no-break spaces or apostrophes), and full-width digits
//! and punctuation from a Chinese input method (`２８`, `０．５`). Exact: the text becomes
//! the decimal it says, or an error that says why; nothing is guessed. A single comma with
//! exactly three digits after it (`1,250`) is a thousands separator in English and a
//! decimal comma in Portuguese or Russian, so it is refused with both readings named.
//!
//! Pure and shared: the app's forms read through here; the JSON documents of the CLI and
//! the API keep their strict decimal strings (`serde_dec`).

use rust_decimal::Decimal;

/// Full-width and other typed forms of digits, signs and separators, as ASCII; spaces
/// of every width as a plain space.
fn ascii(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' => {
            char::from_digit(u32::from(c).saturating_sub(0xff10), 10).unwrap_or(c)
        }
        '\u{ff0e}' => '.',
        '\u{ff0c}' => ',',
        '\u{ff0d}' | '\u{2212}' => '-',
        '\u{ff0b}' => '+',
        '\u{ff07}' | '\u{2019}' => '\'',
        '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{3000}' => ' ',
        other => other,
    }
}

/// Whether `groups` (the digits between grouping separators) are thousands groups: the
/// first of one to three digits, every other of three.
fn grouped(groups: &[&str]) -> bool {
    groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// The number `text` says, read as typed; `Err` with a sentence naming the text.
pub fn number(text: &str) -> Result<Decimal, String> {
    let t: String = text.trim().chars().map(ascii).collect();
    let t = t.trim();
    if t.is_empty() {
        return Err("expected a number, found nothing".to_owned());
    }
    let not_a_number = || format!("`{}` is not a number", text.trim());
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", t.strip_prefix('+').unwrap_or(t).trim_start()),
    };
    // Spaces and apostrophes only ever group digits.
    let mut groups: Vec<&str> = body.split([' ', '\'']).collect();
    if groups.len() > 1 {
        // The last group ends where the decimals start.
        if let Some(last) = groups.last_mut() {
            *last = last.split([',', '.']).next().unwrap_or_default();
        }
        if !grouped(&groups) {
            return Err(not_a_number());
        }
    }
    let body: String = body.chars().filter(|c| *c != ' ' && *c != '\'').collect();
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let plain = match (commas, dots) {
        (0, 0 | 1) => body.clone(),
        (0, _) => {
            let groups: Vec<&str> = body.split('.').collect();
            if !grouped(&groups) {
                return Err(not_a_number());
            }
            body.replace('.', "")
        }
        (1, 0) => {
            let (int, frac) = body.split_once(',').unwrap_or((&body, ""));
            if frac.len() == 3 && !int.is_empty() && int.trim_start_matches('0').len() == int.len()
            {
                return Err(format!(
                    "`{}` can be read as {sign}{int}{frac} or as {sign}{int}.{frac}: write it as one of them",
                    text.trim()
                ));
            }
            format!("{int}.{frac}")
        }
        (_, 0) => {
            let groups: Vec<&str> = body.split(',').collect();
            if !grouped(&groups) {
                return Err(not_a_number());
            }
            body.replace(',', "")
        }
        _ => {
            // Both: the last one marks the decimals, the other groups thousands.
            let last_comma = body.rfind(',').unwrap_or(0);
            let last_dot = body.rfind('.').unwrap_or(0);
            let (decimal, group) = if last_comma > last_dot { (',', '.') } else { ('.', ',') };
            let (int, frac) = body.rsplit_once(decimal).unwrap_or((&body, ""));
            if int.contains(decimal) || frac.contains(group) {
                return Err(not_a_number());
            }
            let groups: Vec<&str> = int.split(group).collect();
            if !grouped(&groups) {
                return Err(not_a_number());
            }
            format!("{}.{frac}", int.replace(group, ""))
        }
    };
    if plain.starts_with('.') || plain.ends_with('.') || plain.is_empty() {
        return Err(not_a_number());
    }
    Decimal::from_str_exact(&format!("{sign}{plain}")).map_err(|_| not_a_number())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn numbers_read_as_people_type_them() {
        for (typed, value) in [
            ("12.50", "12.50"),
            ("  7 ", "7"),
            ("97,36", "97.36"),
            ("0,5", "0.5"),
            ("0,250", "0.250"),
            ("1.234,56", "1234.56"),
            ("1,234.56", "1234.56"),
            ("1,234,567", "1234567"),
            ("1.234.567", "1234567"),
            ("1 234,5", "1234.5"),
            ("1\u{a0}234,50", "1234.50"),
            ("1'234.50", "1234.50"),
            ("２８", "28"),
            ("０．５", "0.5"),
            ("１，５", "1.5"),
            ("－３", "-3"),
            ("-1.234,5", "-1234.5"),
        ] {
            assert_eq!(number(typed), Ok(d(value)), "{typed}");
            assert_eq!(number(typed).unwrap().to_string(), value, "{typed}: scale");
        }
    }

    #[test]
    fn what_cannot_be_read_is_said() {
        assert_eq!(number(""), Err("expected a number, found nothing".to_owned()));
        assert_eq!(number("abc"), Err("`abc` is not a number".to_owned()));
        for bad in ["1,2,3", "12.34.5", "1.234,5,6", "1,23.4", "1 23", ",5", "5.", "1..2", "25%"] {
            assert_eq!(number(bad), Err(format!("`{bad}` is not a number")), "{bad}");
        }
        assert_eq!(
            number("1,250"),
            Err("`1,250` can be read as 1250 or as 1.250: write it as one of them".to_owned())
        );
    }
}
