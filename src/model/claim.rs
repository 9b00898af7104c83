//! What a statement claims, for truth discovery: a value on an item, and a weight.
//!
//! Asserting proposition P claims the value P; denying it claims "not P" (named
//! `not P`), which competes with P on P's question. A statement made with
//! probability p counts |2p - 1| (a plain statement, p = 1, counts 1), and one that
//! calls P less likely than not counts for "not P" (and the other way round), so
//! "roughly even chance" counts nothing.

/// A statement's claim: for the proposition or against it, and how much it counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claim {
    /// Whether the claim is for the proposition (else for "not P").
    pub assertion: bool,
    pub weight: f32,
}

impl Claim {
    /// The claim of a statement that asserts (`asserted`) or denies a proposition
    /// with probability `certainty`; `None` when it counts nothing.
    pub fn of(asserted: bool, certainty: f64) -> Option<Claim> {
        let weight = (2.0 * certainty - 1.0).abs();
        (weight > 0.0).then_some(Claim {
            assertion: asserted == (certainty >= 0.5),
            weight: weight as f32,
        })
    }
}

/// The value name of a claim on a proposition.
pub fn value_name(proposition: &str, assertion: bool) -> String {
    if assertion {
        proposition.to_string()
    } else {
        format!("not {proposition}")
    }
}

/// The proposition and polarity a value name stands for.
pub fn parse_value_name(name: &str) -> (&str, bool) {
    match name.strip_prefix("not ") {
        Some(proposition) => (proposition, false),
        None => (name, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainty_weighs_and_can_turn_a_claim() {
        assert_eq!(
            Claim::of(true, 1.0),
            Some(Claim {
                assertion: true,
                weight: 1.0
            })
        );
        let unlikely = Claim::of(true, 0.25).unwrap();
        assert!(!unlikely.assertion, "calling P unlikely counts against P");
        assert!((unlikely.weight - 0.5).abs() < 1e-6);
        let denied_unlikely = Claim::of(false, 0.25).unwrap();
        assert!(
            denied_unlikely.assertion,
            "denying what is unlikely counts for P"
        );
        assert_eq!(Claim::of(true, 0.5), None, "an even chance counts nothing");
    }

    #[test]
    fn value_names_round_trip() {
        assert_eq!(parse_value_name(&value_name("P", false)), ("P", false));
        assert_eq!(parse_value_name(&value_name("P", true)), ("P", true));
    }
}
