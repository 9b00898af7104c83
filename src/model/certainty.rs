//! How sure a source says it is: the seven bands of the estimative-language scale of
//! US Intelligence Community Directive 203 (2015), each a word analysts use and the
//! probability range it stands for. The ontology declares the same bands as
//! `cg:CertaintyLevel` individuals; a test holds the two to each other.

use serde::{Deserialize, Serialize};

/// A band of the ICD-203 scale, named as in sheets (`likely`) and as a
/// `cg:CertaintyLevel` (`cg:Likely`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    AlmostNoChance,
    VeryUnlikely,
    Unlikely,
    RoughlyEvenChance,
    Likely,
    VeryLikely,
    AlmostCertain,
}

impl Certainty {
    /// The bands from least to most likely.
    pub const ALL: [Certainty; 7] = [
        Certainty::AlmostNoChance,
        Certainty::VeryUnlikely,
        Certainty::Unlikely,
        Certainty::RoughlyEvenChance,
        Certainty::Likely,
        Certainty::VeryLikely,
        Certainty::AlmostCertain,
    ];

    /// The local name of the `cg:CertaintyLevel` individual.
    pub fn term(self) -> &'static str {
        match self {
            Certainty::AlmostNoChance => "AlmostNoChance",
            Certainty::VeryUnlikely => "VeryUnlikely",
            Certainty::Unlikely => "Unlikely",
            Certainty::RoughlyEvenChance => "RoughlyEvenChance",
            Certainty::Likely => "Likely",
            Certainty::VeryLikely => "VeryLikely",
            Certainty::AlmostCertain => "AlmostCertain",
        }
    }

    /// The IRI of the `cg:CertaintyLevel` individual.
    pub fn iri(self) -> String {
        format!("{}{}", crate::vocab::CG, self.term())
    }

    /// The words of the scale (`roughly even chance`).
    pub fn words(self) -> &'static str {
        match self {
            Certainty::AlmostNoChance => "almost no chance",
            Certainty::VeryUnlikely => "very unlikely",
            Certainty::Unlikely => "unlikely",
            Certainty::RoughlyEvenChance => "roughly even chance",
            Certainty::Likely => "likely",
            Certainty::VeryLikely => "very likely",
            Certainty::AlmostCertain => "almost certain",
        }
    }

    /// The probability band, lower and upper end.
    pub fn band(self) -> (f64, f64) {
        match self {
            Certainty::AlmostNoChance => (0.01, 0.05),
            Certainty::VeryUnlikely => (0.05, 0.20),
            Certainty::Unlikely => (0.20, 0.45),
            Certainty::RoughlyEvenChance => (0.45, 0.55),
            Certainty::Likely => (0.55, 0.80),
            Certainty::VeryLikely => (0.80, 0.95),
            Certainty::AlmostCertain => (0.95, 0.99),
        }
    }

    /// The probability a statement in this band counts as: the middle of the band.
    pub fn probability(self) -> f64 {
        let (low, high) = self.band();
        (low + high) / 2.0
    }

    /// The band that holds a probability (a band holds its upper end).
    pub fn of_probability(p: f64) -> Certainty {
        Certainty::ALL
            .into_iter()
            .find(|c| p <= c.band().1)
            .unwrap_or(Certainty::AlmostCertain)
    }

    /// A band by its words or its local name, in any case, with `-` or `_` for spaces
    /// (`Very likely`, `almost-certain`, `RoughlyEvenChance`).
    pub fn from_name(text: &str) -> Option<Certainty> {
        let normal = text.trim().to_ascii_lowercase().replace(['-', '_'], " ");
        let squeezed = normal.replace(' ', "");
        Certainty::ALL
            .into_iter()
            .find(|c| normal == c.words() || squeezed == c.term().to_ascii_lowercase())
    }

    /// The band of a `cg:CertaintyLevel` IRI.
    pub fn from_iri(iri: &str) -> Option<Certainty> {
        let local = iri.strip_prefix(crate::vocab::CG)?;
        Certainty::ALL.into_iter().find(|c| c.term() == local)
    }
}

/// A certainty as a table may give it: a probability, a percentage, or a band of the
/// scale (its words or local name), which counts as the middle of its band.
pub fn parse_probability(text: &str) -> Option<f64> {
    if let Some(band) = Certainty::from_name(text) {
        return Some(band.probability());
    }
    let text = text.trim();
    let (number, scale) = match text.strip_suffix('%') {
        Some(percent) => (percent.trim(), 100.0),
        None => (text, 1.0),
    };
    let p = number.parse::<f64>().ok()? / scale;
    (0.0..=1.0).contains(&p).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;
    use oxigraph::model::{Literal, NamedNodeRef, Term};
    use oxigraph::store::Store;

    #[test]
    fn the_bands_are_the_ontologys() {
        let store = Store::new().unwrap();
        store
            .load_from_reader(
                RdfFormat::Turtle,
                include_str!("../../ontology/credgraph.ttl").as_bytes(),
            )
            .unwrap();
        let value = |subject: &str, property: &str| -> Option<Term> {
            store
                .quads_for_pattern(
                    Some(NamedNodeRef::new(subject).unwrap().into()),
                    Some(NamedNodeRef::new(property).unwrap()),
                    None,
                    None,
                )
                .next()
                .map(|q| q.unwrap().object)
        };
        let number = |term: Option<Term>| -> f64 {
            match term {
                Some(Term::Literal(l)) => l.value().parse().unwrap(),
                other => panic!("not a number: {other:?}"),
            }
        };
        let cg = crate::vocab::CG;
        for band in Certainty::ALL {
            let iri = band.iri();
            let (low, high) = band.band();
            assert_eq!(
                number(value(&iri, &format!("{cg}minProbability"))),
                low,
                "{iri}"
            );
            assert_eq!(
                number(value(&iri, &format!("{cg}maxProbability"))),
                high,
                "{iri}"
            );
            assert_eq!(
                value(&iri, "http://www.w3.org/2000/01/rdf-schema#label"),
                Some(
                    Literal::new_language_tagged_literal(band.words(), "en")
                        .unwrap()
                        .into()
                ),
                "{iri}"
            );
        }
        let declared = store
            .quads_for_pattern(
                None,
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some(
                    NamedNodeRef::new(&format!("{cg}CertaintyLevel"))
                        .unwrap()
                        .into(),
                ),
                None,
            )
            .count();
        assert_eq!(
            declared,
            Certainty::ALL.len(),
            "the ontology has other bands"
        );
    }

    #[test]
    fn names_probabilities_and_bands() {
        assert_eq!(parse_probability("Very likely"), Some(0.875));
        assert_eq!(parse_probability("almost-certain"), Some(0.97));
        assert_eq!(parse_probability("RoughlyEvenChance"), Some(0.5));
        assert_eq!(parse_probability("0.3"), Some(0.3));
        assert_eq!(parse_probability("80%"), Some(0.8));
        assert_eq!(parse_probability("1.2"), None);
        assert_eq!(parse_probability("perhaps"), None);
        assert_eq!(Certainty::of_probability(0.3), Certainty::Unlikely);
        assert_eq!(Certainty::of_probability(0.9), Certainty::VeryLikely);
        assert_eq!(Certainty::of_probability(0.2), Certainty::VeryUnlikely);
        for band in Certainty::ALL {
            assert_eq!(Certainty::from_iri(&band.iri()), Some(band));
            assert_eq!(Certainty::of_probability(band.probability()), band);
        }
    }
}
