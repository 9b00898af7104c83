//! Dates as statements carry them: `YYYY-MM-DD` (an `xsd:date` without a time zone),
//! checked and counted by Oxigraph's own XML Schema datatypes.

use oxsdatatypes::Date;
use std::str::FromStr;

/// `YYYY-MM-DD` with a month in range and a day that month has.
pub fn is_date(text: &str) -> bool {
    date(text).is_some()
}

/// A date `YYYY-MM-DD` as a day number (days since 1970-01-01).
pub fn day_number(text: &str) -> Option<i64> {
    let epoch = Date::from_str("1970-01-01").ok()?;
    Some(date(text)?.checked_sub(epoch)?.days())
}

fn date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    shape.then(|| Date::from_str(text).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_days_that_exist_in_one_form() {
        assert!(is_date("2022-12-24"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2023-13-01"));
        assert!(!is_date("2022-1-24"));
        assert!(!is_date("24.12.2022"));
        assert!(!is_date("2022-12-24Z"));
        assert!(!is_date("2023-03-01junk"));
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(
            day_number("2023-03-01")
                .zip(day_number("2023-02-28"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(day_number("1969-12-31"), Some(-1));
        assert_eq!(day_number("2023-02-29"), None);
    }
}
