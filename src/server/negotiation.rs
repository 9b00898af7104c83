//! Content negotiation: which of the formats we can write a client's `Accept`
//! header prefers (RFC 9110, section 12.5.1).

/// The offer the `Accept` header rates highest, the earlier offer winning a tie;
/// `None` when the header rules every offer out. Without a header, or with an
/// empty one, the first offer is taken. Each offer is rated by the most specific
/// media range that matches it (`type/subtype`, then `type/*`, then `*/*`).
pub fn choose<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let ranges: Vec<(String, f32)> = match accept {
        Some(header) if !header.trim().is_empty() => parse(header),
        _ => return offers.first().map(|(_, value)| *value),
    };
    let mut best: Option<(f32, T)> = None;
    for (media_type, value) in offers {
        let quality = quality(&ranges, media_type);
        if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, *value));
        }
    }
    best.map(|(_, value)| value)
}

/// Whether the header names this exact media type (used to tell a browser's
/// navigation, which asks for `text/html`, from a client that takes anything).
pub fn names(accept: Option<&str>, media_type: &str) -> bool {
    accept.is_some_and(|header| {
        parse(header)
            .iter()
            .any(|(range, q)| range == media_type && *q > 0.0)
    })
}

/// The media ranges of a header, lower-cased, each with its quality.
fn parse(header: &str) -> Vec<(String, f32)> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let mut quality = 1.0;
            for parameter in pieces {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = value.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
                    }
                }
            }
            Some((range, quality))
        })
        .collect()
}

fn quality(ranges: &[(String, f32)], media_type: &str) -> f32 {
    let (kind, _) = media_type.split_once('/').unwrap_or((media_type, ""));
    let mut best: Option<(u8, f32)> = None;
    for (range, q) in ranges {
        let specificity = if range == media_type {
            3
        } else if range.strip_suffix("/*") == Some(kind) {
            2
        } else if range == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, *q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[(&str, char)] = &[
        ("application/sparql-results+json", 'j'),
        ("application/sparql-results+xml", 'x'),
        ("text/csv", 'c'),
    ];

    #[test]
    fn no_header_takes_the_first_offer() {
        assert_eq!(choose(None, OFFERS), Some('j'));
        assert_eq!(choose(Some(" "), OFFERS), Some('j'));
    }

    #[test]
    fn the_highest_quality_wins_and_the_most_specific_range_rates() {
        assert_eq!(choose(Some("text/csv"), OFFERS), Some('c'));
        assert_eq!(
            choose(
                Some("application/sparql-results+json;q=0.5, application/sparql-results+xml"),
                OFFERS
            ),
            Some('x')
        );
        assert_eq!(choose(Some("text/*;q=0.9, */*;q=0.1"), OFFERS), Some('c'));
        assert_eq!(choose(Some("*/*, text/csv;q=0"), OFFERS), Some('j'));
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(choose(Some("image/png"), OFFERS), None);
        assert_eq!(choose(Some("text/csv;q=0"), OFFERS), None);
    }

    #[test]
    fn a_browser_names_html() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(names(Some(browser), "text/html"));
        assert!(!names(Some("*/*"), "text/html"));
    }
}
