//! Dates as editors write them: a day, or only a month or a year.

use std::fmt;

/// A calendar date written `YYYY-MM-DD`, or with ISO 8601's reduced
/// precision `YYYY-MM` or `YYYY` when a source gives no more: articles often
/// say only "năm 2022", and inventing a day would publish a false date.
/// An unknown month or day is 0, so dates still sort chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses strict ISO `YYYY-MM-DD` (checking the day exists), `YYYY-MM`
    /// or `YYYY`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let (year, month, day) = match b.len() {
            4 if digits(0..4) => (s.parse().ok()?, 0, 0),
            7 if digits(0..4) && b[4] == b'-' && digits(5..7) => {
                let m: u8 = s[5..7].parse().ok()?;
                (s[0..4].parse().ok()?, m, 0)
            }
            10 if digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10) => {
                (
                    s[0..4].parse().ok()?,
                    s[5..7].parse().ok()?,
                    s[8..10].parse().ok()?,
                )
            }
            _ => return None,
        };
        if !(1900..=2200).contains(&year) || month > 12 || (month == 0 && day != 0) {
            return None;
        }
        if month == 0 {
            return Some(Date { year, month, day });
        }
        if day == 0 {
            return (b.len() == 7).then_some(Date { year, month, day });
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The Vietnamese way: 15/10/2019, 10/2019 or 2019.
    pub fn display_vi(self) -> String {
        match (self.month, self.day) {
            (0, _) => self.year.to_string(),
            (m, 0) => format!("{m:02}/{}", self.year),
            (m, d) => format!("{d:02}/{m:02}/{}", self.year),
        }
    }
}

/// The start and end years of a period written `2009-2019` (a hyphen, en
/// or em dash, spaces allowed), if it is one: validation checks their
/// order, pages print them with an en dash.
pub fn year_range(period: &str) -> Option<(&str, &str)> {
    let (a, b) = period.split_once(['-', '–', '—'])?;
    let (a, b) = (a.trim(), b.trim());
    let year = |y: &str| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit());
    (year(a) && year(b)).then_some((a, b))
}

impl fmt::Display for Date {
    /// ISO 8601 at the precision given: `2019-10-15`, `2019-10` or `2019`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (m, 0) => write!(f, "{:04}-{m:02}", self.year),
            (m, d) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
        }
    }
}
