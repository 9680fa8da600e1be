//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian, UTC) for the `expires` of an ignore: just
//! enough of a date type to parse, compare and print one, without a date crate.

use std::fmt;

/// A real calendar day. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// `2027-03-01`: four-digit year, two-digit month and day, and a day that exists in that
    /// month (`2027-02-29` does not).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return None;
        }
        let year: u16 = text[..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..].parse().ok()?;
        let real = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        real.then_some(Date { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(i64::MAX))
    }

    /// The day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            // Only a clock set past the year 65535 would clamp.
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month,
            day,
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn parses_real_days_only() {
        let d = Date::parse("2027-03-01").unwrap();
        assert_eq!(d.to_string(), "2027-03-01");
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        for bad in [
            "2027-02-29",
            "1900-02-29",
            "2027-04-31",
            "2027-13-01",
            "2027-00-10",
            "2027-01-00",
            "2027-1-01",
            "27-01-01",
            "2027/01/01",
            "2027-01-01T00:00:00Z",
            "+027-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn orders_by_time() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2026-12-31") < d("2027-01-01"));
        assert!(d("2027-01-31") < d("2027-02-01"));
        assert!(d("2027-02-01") < d("2027-02-02"));
    }

    #[test]
    fn days_since_the_epoch_become_the_civil_date() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_days(20_513).to_string(), "2026-03-01");
        assert!(Date::today() > Date::parse("2024-01-01").unwrap());
    }
}
