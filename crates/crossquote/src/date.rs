//! Calendar dates (`YYYY-MM-DD`), for as-of dates and validity. The core never reads a
//! clock: dates come in with the request.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Text that is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date of the form YYYY-MM-DD")]
pub struct BadDate {
    /// The text given.
    pub text: String,
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=9999).contains(&year) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date `days` later, if it is before the year 10000.
    pub fn plus_days(self, days: u32) -> Option<Date> {
        let (mut year, mut month) = (self.year, self.month);
        let mut day = u32::from(self.day).checked_add(days)?;
        loop {
            let length = u32::from(days_in_month(year, month));
            if day <= length {
                return Date::new(year, month, u8::try_from(day).ok()?);
            }
            day = day.checked_sub(length)?;
            month = if month == 12 {
                year = year.checked_add(1).filter(|y| *y <= 9999)?;
                1
            } else {
                month.checked_add(1)?
            };
        }
    }

    /// Days since 0001-01-01 (day 0), for day counts between dates.
    #[allow(clippy::arithmetic_side_effects)] // years are 1..=9999: far from i64's range
    pub fn day_number(self) -> i64 {
        // Days before this year, then before this month, then the day.
        let y = i64::from(self.year) - 1;
        let mut n = y * 365 + y / 4 - y / 100 + y / 400;
        for m in 1..self.month {
            n += i64::from(days_in_month(self.year, m));
        }
        n + i64::from(self.day) - 1
    }
}

impl FromStr for Date {
    type Err = BadDate;
    fn from_str(s: &str) -> Result<Date, BadDate> {
        let bad = || BadDate { text: s.to_owned() };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = s.get(r)?;
            part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Date::new(
                y,
                u8::try_from(m).map_err(|_| bad())?,
                u8::try_from(d).map_err(|_| bad())?,
            )
            .ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d: Date = "2024-02-29".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
        assert_eq!(d.to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024/01/01",
            "2024-1-01",
            "+024-01-01",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn day_numbers_count_days() {
        let a: Date = "2024-01-01".parse().unwrap();
        let b: Date = "2025-01-01".parse().unwrap();
        assert_eq!(b.day_number() - a.day_number(), 366);
        let c: Date = "0001-01-01".parse().unwrap();
        assert_eq!(c.day_number(), 0);
        assert!(a < b);
    }

    /// `plus_days` agrees with the day numbers over month ends, leap days and years.
    #[test]
    fn plus_days_walks_the_calendar() {
        let d = |t: &str| t.parse::<Date>().unwrap();
        for (from, days, to) in [
            ("2026-11-22", 15, "2026-12-07"),
            ("2026-12-25", 7, "2027-01-01"),
            ("2024-02-28", 1, "2024-02-29"),
            ("2023-02-28", 1, "2023-03-01"),
            ("2024-01-31", 30, "2024-03-01"),
            ("2024-03-01", 365, "2025-03-01"),
            ("2024-03-01", 0, "2024-03-01"),
        ] {
            assert_eq!(d(from).plus_days(days), Some(d(to)), "{from} + {days}");
            assert_eq!(d(to).day_number() - d(from).day_number(), i64::from(days));
        }
        assert_eq!(d("9999-12-31").plus_days(1), None);
        assert_eq!(d("2024-01-01").plus_days(u32::MAX), None);
    }
}
