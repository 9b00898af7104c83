//! IRIs of the ontology and of the vocabularies it aligns with, and nothing else.

use oxigraph::model::NamedNodeRef;

/// The credgraph namespace (prefix `cg:`).
pub const CG: &str = "https://w3id.org/credgraph/ns#";
/// Where minted entity IRIs live: `https://w3id.org/credgraph/id/<kind>/<slug>`.
pub const ID: &str = "https://w3id.org/credgraph/id/";

/// Named graphs the store keeps apart from loaded files.
pub mod graph {
    /// The ontology, installed into every new store.
    pub const ONTOLOGY: &str = "https://w3id.org/credgraph/graph/ontology";
    /// Everything `credgraph reason` derives; rebuilt by it.
    pub const DERIVED: &str = "https://w3id.org/credgraph/graph/derived";
    /// Everything `credgraph score` computes; rebuilt by it.
    pub const SCORES: &str = "https://w3id.org/credgraph/graph/scores";
    /// Where blank nodes written to a remote engine become IRIs (RDF 1.1 Skolem
    /// IRIs), so that a write in several requests keeps each one node.
    pub const GENID: &str = "https://w3id.org/credgraph/.well-known/genid/";
    /// Where a load into a remote engine is written before it replaces its graphs.
    pub const STAGING: &str = "https://w3id.org/credgraph/graph/staging/";
}

macro_rules! terms {
    ($namespace:expr; $($name:ident = $local:literal),* $(,)?) => {
        $(
            pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!($namespace, $local));
        )*
    };
}

/// Terms of the credgraph ontology (`ontology/credgraph.ttl`).
pub mod cg {
    use super::NamedNodeRef;
    terms!("https://w3id.org/credgraph/ns#";
        SOURCE = "Source",
        PERSON = "Person",
        ORGANIZATION = "Organization",
        OUTLET = "Outlet",
        STATEMENT = "Statement",
        PROPOSITION = "Proposition",
        QUESTION = "Question",
        DOCUMENT = "Document",
        POST = "Post",
        TENURE = "Tenure",
        OF_POST = "ofPost",
        STATED_BY = "statedBy",
        PROPOSITION_PROP = "proposition",
        POLARITY = "polarity",
        ASSERTION = "Assertion",
        DENIAL = "Denial",
        REPORT = "Report",
        CERTAINTY = "certainty",
        STATED_ON = "statedOn",
        TEXT = "text",
        IS_DIRECT_QUOTE = "isDirectQuote",
        QUOTED_PHRASE = "quotedPhrase",
        CERTAINTY_WORDING = "certaintyWording",
        URL = "url",
        REPORTED_IN = "reportedIn",
        PUBLISHED_BY = "publishedBy",
        PUBLISHED_ON = "publishedOn",
        DERIVED_FROM = "derivedFrom",
        RECORDS = "records",
        IN_CAPACITY = "inCapacity",
        ANSWERS = "answers",
        ENTAILS = "entails",
        AGREES_WITH = "agreesWith",
        CONTRADICTS = "contradicts",
        DEPENDS_ON = "dependsOn",
        CORROBORATES = "corroborates",
        SOURCE_PAIR = "SourcePair",
        FIRST_SOURCE = "firstSource",
        SECOND_SOURCE = "secondSource",
        CORROBORATIONS = "corroborations",
        DEPENDENT_AGREEMENTS = "dependentAgreements",
        CONTRADICTIONS = "contradictions",
        INDEPENDENT = "independent",
        AGREEING_STATEMENT = "agreeingStatement",
        CONTRADICTING_STATEMENT = "contradictingStatement",
        RESOLUTION = "Resolution",
        RESOLVES = "resolves",
        STATUS = "status",
        RESOLVED_ON = "resolvedOn",
        CONFIRMED = "Confirmed",
        REFUTED = "Refuted",
        OPEN = "Open",
        PARTLY_CONFIRMED = "PartlyConfirmed",
        TRUTH_DEGREE = "truthDegree",
        RESOLVED_BY = "resolvedBy",
        RATING_TEXT = "ratingText",
        EVIDENCE = "evidence",
        EVIDENCE_SOURCE = "evidenceSource",
        DIRECTS = "directs",
        MEMBER_OF_PARTY = "memberOfParty",
        DISAGREED_CALLS = "disagreedCalls",
        PRIOR_FROM = "priorFrom",
        RIGHT_CALLS = "rightCalls",
        PRIOR_MEAN = "priorMean",
        ASSESSMENT = "Assessment",
        ASSESSES = "assesses",
        METHOD = "method",
        VALUE = "value",
        LOWER_BOUND = "lowerBound",
        UPPER_BOUND = "upperBound",
        EVIDENCE_COUNT = "evidenceCount",
        RELIABILITY_GRADE = "reliabilityGrade",
        CREDIBILITY_GRADE = "credibilityGrade",
        ASSESSED_POLARITY = "assessedPolarity",
        INDEPENDENT_SOURCES = "independentSources",
        DISCOUNTED_SHARE = "discountedShare",
        DEPENDENCE = "Dependence",
        DEPENDENT_SOURCE = "dependentSource",
        DEPENDS_ON_SOURCE = "dependsOnSource",
        DEPENDENCE_KIND = "dependenceKind",
        INSTITUTION = "institution",
        COPYING = "Copying",
        PROBABILITY = "probability",
        SHARED_FALSE_VALUES = "sharedFalseValues",
        ON_ATTRIBUTE = "onAttribute",
    );
}

/// W3C Organization Ontology terms used for hierarchy and posts.
pub mod org {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/ns/org#";
        SUB_ORGANIZATION_OF = "subOrganizationOf",
        POST_IN = "postIn",
        HOLDS = "holds",
        HELD_BY = "heldBy",
        REPORTS_TO = "reportsTo",
        MEMBER = "member",
        ORGANIZATION = "organization",
        MEMBER_DURING = "memberDuring",
        MEMBER_OF = "memberOf",
        HEAD_OF = "headOf",
    );
}

/// PROV-O terms used for when scores were computed.
pub mod prov {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/ns/prov#";
        GENERATED_AT_TIME = "generatedAtTime",
        WAS_ATTRIBUTED_TO = "wasAttributedTo",
        WAS_QUOTED_FROM = "wasQuotedFrom",
    );
}

/// OWL-Time terms used for intervals.
pub mod time {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2006/time#";
        INTERVAL = "Interval",
        INSTANT = "Instant",
        HAS_BEGINNING = "hasBeginning",
        HAS_END = "hasEnd",
        IN_XSD_DATE = "inXSDDate",
    );
}

/// Labels and identity.
pub mod rdfs {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2000/01/rdf-schema#";
        LABEL = "label",
        COMMENT = "comment",
        SUB_CLASS_OF = "subClassOf",
    );
}

/// SKOS terms used for alternative names.
pub mod skos {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2004/02/skos/core#";
        ALT_LABEL = "altLabel",
    );
}

/// OWL terms used for identity.
pub mod owl {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2002/07/owl#";
        SAME_AS = "sameAs",
    );
}

/// schema.org terms: the revision of an entity imported from Wikidata (as
/// Wikidata's own RDF gives it), and ClaimReview's fields.
pub mod schema {
    use super::NamedNodeRef;
    terms!("http://schema.org/";
        VERSION = "version",
        DATE_MODIFIED = "dateModified",
    );
}

/// Prefixes used to print IRIs compactly and to write Turtle, in the order tried.
pub const PREFIXES: &[(&str, &str)] = &[
    ("cg", CG),
    ("person", "https://w3id.org/credgraph/id/person/"),
    (
        "organization",
        "https://w3id.org/credgraph/id/organization/",
    ),
    ("post", "https://w3id.org/credgraph/id/post/"),
    ("tenure", "https://w3id.org/credgraph/id/tenure/"),
    ("document", "https://w3id.org/credgraph/id/document/"),
    ("question", "https://w3id.org/credgraph/id/question/"),
    ("proposition", "https://w3id.org/credgraph/id/proposition/"),
    ("statement", "https://w3id.org/credgraph/id/statement/"),
    ("resolution", "https://w3id.org/credgraph/id/resolution/"),
    ("dependence", "https://w3id.org/credgraph/id/dependence/"),
    ("pair", "https://w3id.org/credgraph/id/source-pair/"),
    ("graph", "https://w3id.org/credgraph/graph/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("schema", "http://schema.org/"),
    ("cito", "http://purl.org/spar/cito/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("wd", "http://www.wikidata.org/entity/"),
];

/// The SPARQL `PREFIX` lines for [`PREFIXES`], for queries typed by hand.
pub fn sparql_prologue() -> String {
    PREFIXES
        .iter()
        .map(|(prefix, namespace)| format!("PREFIX {prefix}: <{namespace}>\n"))
        .collect()
}

/// `prefix:local` for an IRI under one of [`PREFIXES`], when the local part is
/// simple enough to read back.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES.iter().find_map(|(prefix, namespace)| {
        let local = iri.strip_prefix(namespace)?;
        let simple = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !local.ends_with('.');
        simple.then(|| format!("{prefix}:{local}"))
    })
}

/// The full IRI for `prefix:local` when the prefix is one of [`PREFIXES`].
pub fn expand(prefixed: &str) -> Option<String> {
    let (prefix, local) = prefixed.split_once(':')?;
    PREFIXES
        .iter()
        .find(|(known, _)| *known == prefix)
        .map(|(_, namespace)| format!("{namespace}{local}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_expand_are_inverse() {
        let iri = "https://w3id.org/credgraph/id/person/kyrylo-budanov";
        let short = compact(iri).unwrap();
        assert_eq!(short, "person:kyrylo-budanov");
        assert_eq!(expand(&short).unwrap(), iri);
    }

    #[test]
    fn compact_leaves_unreadable_locals_alone() {
        assert_eq!(compact("https://w3id.org/credgraph/id/person/a b"), None);
        assert_eq!(compact("http://example.org/x"), None);
    }
}
