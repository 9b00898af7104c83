//! Values that are numbers, times of day or dates, and how far apart two are.
//!
//! A value reads as a quantity when it is a number (`2,120`, `-3.5`, `1e6`),
//! optionally with a unit after it (`12 km`, `30.10 inHg`, `85%`) or a currency sign
//! before it (`$12`); a time of day (`22:54`, `7:05 PM`); or a date (`2010-01-29`).
//! Two quantities are comparable when they are of the same kind and unit; times of
//! day are compared around the clock (23:58 and 00:02 are 4 minutes apart).
//!
//! How far apart is "close" is learned per attribute from the claims themselves
//! ([`learn_scale`]): the typical distance of a claim that disagrees with its item's
//! median, absolute, or relative to the median where the attribute's values span
//! more than two orders of magnitude (populations of villages and of capitals).

/// What a quantity is, for telling which two can be compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A number, with the unit written after it (or the currency sign before it),
    /// empty for none.
    Number(Box<str>),
    /// Minutes since midnight.
    TimeOfDay,
    /// Days since 1970-01-01.
    Date,
}

/// A value read as a quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub kind: Kind,
    pub amount: f64,
}

const MINUTES_PER_DAY: f64 = 1440.0;

impl Quantity {
    /// The quantity a value's text writes, if it writes one.
    pub fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        if text.is_empty() || text.len() > 40 {
            return None;
        }
        if let Some(minutes) = time_of_day(text) {
            return Some(Quantity {
                kind: Kind::TimeOfDay,
                amount: minutes,
            });
        }
        if let Some(days) = date(text) {
            return Some(Quantity {
                kind: Kind::Date,
                amount: days,
            });
        }
        number(text)
    }

    /// How far apart two comparable quantities are (around the clock for times).
    pub fn distance(&self, other: &Quantity) -> f64 {
        let d = (self.amount - other.amount).abs();
        match self.kind {
            Kind::TimeOfDay => d.min(MINUTES_PER_DAY - d),
            _ => d,
        }
    }
}

/// A number with an optional unit after it or currency sign before it.
fn number(text: &str) -> Option<Quantity> {
    let (currency, rest) = match text.chars().next()? {
        c @ ('$' | '€' | '£' | '¥') => (Some(c), text[c.len_utf8()..].trim_start()),
        _ => (None, text),
    };
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E')))
        .map_or(rest.len(), |(i, _)| i);
    // A trailing exponent letter without digits ("12 e") belongs to the unit.
    let digits = rest[..end].trim_end_matches(['e', 'E']);
    let unit = rest[digits.len()..].trim();
    if !digits.bytes().any(|b| b.is_ascii_digit()) || unit.len() > 12 {
        return None;
    }
    let unit_like = |c: char| c.is_alphabetic() || matches!(c, '%' | '°' | '/' | '.');
    if !unit.chars().all(unit_like) || (currency.is_some() && !unit.is_empty()) {
        return None;
    }
    let amount = without_thousands(digits)?.parse::<f64>().ok()?;
    if !amount.is_finite() {
        return None;
    }
    let unit: Box<str> = match currency {
        Some(c) => c.to_string().into(),
        None => unit.into(),
    };
    Some(Quantity {
        kind: Kind::Number(unit),
        amount,
    })
}

/// `2,120,000` as `2120000`; commas only between groups of three digits.
fn without_thousands(digits: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !digits.contains(',') {
        return Some(digits.into());
    }
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?.trim_start_matches(['-', '+']);
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut plain = whole.replace(',', "");
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    Some(plain.into())
}

/// `22:54`, `7:05`, `7:05:30`, `7:05 PM`, `7:05 p.m.` as minutes since midnight.
fn time_of_day(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let (clock, half) = match lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        Some(clock) => (clock.trim_end(), Some(12.0)),
        None => match lower
            .strip_suffix("am")
            .or_else(|| lower.strip_suffix("a.m."))
        {
            Some(clock) => (clock.trim_end(), Some(0.0)),
            None => (lower.as_str(), None),
        },
    };
    let mut parts = clock.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() || h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let field = |p: &str| -> Option<f64> {
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse::<f64>().ok())
            .flatten()
    };
    let (mut hours, minutes) = (field(h)?, field(m)?);
    let seconds = match s {
        Some(s) if s.len() == 2 => field(s)?,
        Some(_) => return None,
        None => 0.0,
    };
    if minutes >= 60.0 || seconds >= 60.0 {
        return None;
    }
    match half {
        Some(offset) if (1.0..=12.0).contains(&hours) => hours = hours % 12.0 + offset,
        Some(_) => return None,
        None if hours >= 24.0 => return None,
        None => {}
    }
    Some(hours * 60.0 + minutes + seconds / 60.0)
}

/// `YYYY-MM-DD` as days since 1970-01-01.
fn date(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let field = |range: std::ops::Range<usize>| -> Option<i64> {
        let p = &text[range];
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d) = (field(0..4)?, field(5..7)?, field(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (the proleptic Gregorian calendar).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month = (m + 9) % 12;
    let day_of_year = (153 * month + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some((era * 146_097 + day_of_era - 719_468) as f64)
}

/// How close two values must be to support each other, learned from one
/// attribute's claims.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// At this distance a claim lends e⁻¹ of its vote.
    Absolute(f64),
    /// At this share of the larger value's size a claim lends e⁻¹ of its vote.
    Relative(f64),
}

impl Scale {
    /// How much a claim of `a` supports `b`: e^(-distance / scale), 1 for equal
    /// values, 0 for none.
    pub fn support(&self, a: &Quantity, b: &Quantity) -> f64 {
        let d = a.distance(b);
        let scale = match *self {
            Scale::Absolute(s) => s,
            Scale::Relative(share) => share * a.amount.abs().max(b.amount.abs()),
        };
        if d == 0.0 {
            1.0
        } else if scale > 0.0 {
            (-d / scale).exp()
        } else {
            0.0
        }
    }
}

/// The scale of one attribute of this kind, from its items: each item's distinct
/// amounts with how many claims give each. The typical distance from the item's
/// median claim of a claim that disagrees with it, taken per item, then the
/// median over items; relative to the median's size where items' medians span
/// more than a factor of 100 between the 10th and 90th percentile. `None` where
/// no item has a disagreeing claim.
pub fn learn_scale(kind: &Kind, items: &[Vec<(f64, usize)>]) -> Option<Scale> {
    let distance = |a: f64, b: f64| {
        let d = (a - b).abs();
        match kind {
            Kind::TimeOfDay => d.min(MINUTES_PER_DAY - d),
            _ => d,
        }
    };
    let mut absolute = Vec::new();
    let mut relative = Vec::new();
    let mut sizes = Vec::new();
    let mut order: Vec<(f64, usize)> = Vec::new();
    let mut gaps: Vec<(f64, usize)> = Vec::new();
    for claims in items {
        let total: usize = claims.iter().map(|&(_, n)| n).sum();
        if total < 2 {
            continue;
        }
        order.clear();
        order.extend_from_slice(claims);
        let Some(median) = weighted_median(&mut order) else {
            continue;
        };
        sizes.push(median.abs());
        gaps.clear();
        gaps.extend(
            claims
                .iter()
                .map(|&(x, n)| (distance(x, median), n))
                .filter(|&(d, _)| d > 0.0),
        );
        let Some(gap) = weighted_median(&mut gaps) else {
            continue;
        };
        absolute.push(gap);
        if median != 0.0 {
            relative.push(gap / median.abs());
        }
    }
    if absolute.is_empty() {
        return None;
    }
    sizes.retain(|&s| s > 0.0);
    sizes.sort_unstable_by(f64::total_cmp);
    let spans_magnitudes = !sizes.is_empty() && {
        let at = |q: f64| sizes[((sizes.len() - 1) as f64 * q).round() as usize];
        at(0.9) > 100.0 * at(0.1)
    };
    Some(if spans_magnitudes && !relative.is_empty() {
        Scale::Relative(median_of(&mut relative))
    } else {
        Scale::Absolute(median_of(&mut absolute))
    })
}

/// The median (the lower of the middle two) of amounts given with their counts,
/// reordering the slice; `None` for none.
fn weighted_median(xs: &mut [(f64, usize)]) -> Option<f64> {
    xs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = xs.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = (total - 1) / 2;
    let mut seen = 0;
    for &(x, n) in xs.iter() {
        seen += n;
        if seen > middle {
            return Some(x);
        }
    }
    None
}

/// The median (the lower of the middle two), reordering the slice.
fn median_of(xs: &mut [f64]) -> f64 {
    xs.sort_unstable_by(f64::total_cmp);
    xs[(xs.len() - 1) / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(amount: f64, unit: &str) -> Option<Quantity> {
        Some(Quantity {
            kind: Kind::Number(unit.into()),
            amount,
        })
    }

    #[test]
    fn numbers_read_with_thousands_units_and_currency() {
        assert_eq!(Quantity::parse("2,120"), number(2120.0, ""));
        assert_eq!(Quantity::parse(" -3.5 "), number(-3.5, ""));
        assert_eq!(Quantity::parse("30.10 inHg"), number(30.10, "inHg"));
        assert_eq!(Quantity::parse("85%"), number(85.0, "%"));
        assert_eq!(Quantity::parse("$12"), number(12.0, "$"));
        assert_eq!(Quantity::parse("1e6"), number(1e6, ""));
        // Not quantities: a gate, a name, a comma that is no thousands separator.
        for text in ["B12", "Los Angeles", "1,2", "12 km 3", "", "inf"] {
            assert_eq!(Quantity::parse(text), None, "{text}");
        }
    }

    #[test]
    fn times_of_day_and_dates_read_and_times_wrap_around_midnight() {
        let t = |s| Quantity::parse(s).unwrap();
        assert_eq!(t("22:54").amount, 22.0 * 60.0 + 54.0);
        assert_eq!(t("7:05 PM").amount, 19.0 * 60.0 + 5.0);
        assert_eq!(t("12:10 a.m.").amount, 10.0);
        assert_eq!(t("23:58").distance(&t("00:02")), 4.0);
        assert_eq!(t("1970-01-02").amount, 1.0);
        assert_eq!(t("2010-01-29").distance(&t("2010-02-01")), 3.0);
        assert_eq!(Quantity::parse("25:00"), None);
        assert_eq!(Quantity::parse("2010-13-01"), None);
    }

    #[test]
    fn the_scale_is_the_typical_disagreement_absolute_or_relative() {
        let claims = |xs: &[f64]| -> Vec<(f64, usize)> { xs.iter().map(|&x| (x, 1)).collect() };
        let plain = Kind::Number("".into());
        // Readings that disagree by one or two units.
        let readings = [
            claims(&[48.0, 48.0, 49.0]),
            claims(&[30.0, 32.0, 30.0, 30.0]),
        ];
        assert_eq!(learn_scale(&plain, &readings), Some(Scale::Absolute(1.0)));
        // The same with counts: three claims of 30, one of 32.
        let counted = [claims(&[48.0, 49.0]), vec![(30.0, 3), (32.0, 1)]];
        assert_eq!(learn_scale(&plain, &counted), Some(Scale::Absolute(1.0)));
        // Populations from hundreds to millions: the disagreement is a share.
        let populations = [
            claims(&[200.0, 202.0, 200.0]),
            claims(&[2_000_000.0, 2_020_000.0, 2_000_000.0]),
            claims(&[50_000.0, 50_500.0]),
        ];
        match learn_scale(&plain, &populations) {
            Some(Scale::Relative(share)) => assert!((share - 0.01).abs() < 1e-9, "{share}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(learn_scale(&plain, &[claims(&[5.0, 5.0])]), None);
        // Times around midnight: 23:58 and 00:02 are 4 minutes apart.
        let times = [claims(&[23.0 * 60.0 + 58.0, 2.0, 2.0])];
        assert_eq!(
            learn_scale(&Kind::TimeOfDay, &times),
            Some(Scale::Absolute(4.0))
        );
    }
}
