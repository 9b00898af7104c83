//! Names of RDF and SPARQL results formats as users give them: file extensions,
//! short names and media types, and whether a file is gzipped.

use crate::error::{Error, Result};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::path::Path;

/// The RDF formats credgraph reads and writes, with the names accepted for each.
const RDF_FORMATS: &[(RdfFormat, &[&str])] = &[
    (RdfFormat::Turtle, &["ttl", "turtle"]),
    (RdfFormat::NTriples, &["nt", "ntriples", "n-triples"]),
    (RdfFormat::NQuads, &["nq", "nquads", "n-quads"]),
    (RdfFormat::TriG, &["trig"]),
    (
        RdfFormat::RdfXml,
        &["rdf", "xml", "owl", "rdfxml", "rdf/xml"],
    ),
    (
        RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        &["jsonld", "json-ld"],
    ),
    (RdfFormat::N3, &["n3"]),
];

/// The names users may give for RDF formats, for messages.
pub const RDF_FORMAT_NAMES: &str = "ttl, nt, nq, trig, rdf, jsonld, n3 (or a media type)";

/// An RDF format from a name, an extension or a media type.
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    let lower = name.trim().to_ascii_lowercase();
    let lower = lower.trim_start_matches('.');
    RDF_FORMATS
        .iter()
        .find(|(_, names)| names.contains(&lower))
        .map(|(format, _)| *format)
        .or_else(|| RdfFormat::from_media_type(name))
}

/// Like [`rdf_format`], with an error that lists what is accepted.
pub fn parse_rdf_format(name: &str) -> Result<RdfFormat> {
    rdf_format(name).ok_or_else(|| {
        Error::invalid(format!(
            "unknown RDF format '{name}'; use one of {RDF_FORMAT_NAMES}"
        ))
    })
}

/// The format a path's extension names, looking through a trailing `.gz`, and
/// whether the file is gzipped.
pub fn rdf_format_of_path(path: &Path) -> (Option<RdfFormat>, bool) {
    let gzipped = is_gzipped(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = if gzipped {
        name.strip_suffix(".gz").unwrap_or(name)
    } else {
        name
    };
    let format = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .and_then(rdf_format);
    (format, gzipped)
}

pub fn is_gzipped(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// A SPARQL results format from a name, an extension or a media type.
pub fn results_format(name: &str) -> Option<QueryResultsFormat> {
    let lower = name.trim().to_ascii_lowercase();
    match lower.trim_start_matches('.') {
        "json" | "srj" => Some(QueryResultsFormat::Json),
        "xml" | "srx" => Some(QueryResultsFormat::Xml),
        "csv" => Some(QueryResultsFormat::Csv),
        "tsv" => Some(QueryResultsFormat::Tsv),
        _ => QueryResultsFormat::from_media_type(name),
    }
}

/// Whether a format holds named graphs.
pub fn holds_datasets(format: RdfFormat) -> bool {
    format.supports_datasets()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_extension_name_and_media_type() {
        assert_eq!(rdf_format("ttl"), Some(RdfFormat::Turtle));
        assert_eq!(rdf_format("Turtle"), Some(RdfFormat::Turtle));
        assert_eq!(rdf_format("text/turtle"), Some(RdfFormat::Turtle));
        assert_eq!(rdf_format("application/n-quads"), Some(RdfFormat::NQuads));
        assert_eq!(rdf_format("yaml"), None);
    }

    #[test]
    fn gzip_is_seen_through() {
        let (format, gzipped) = rdf_format_of_path(Path::new("case.nt.gz"));
        assert_eq!(format, Some(RdfFormat::NTriples));
        assert!(gzipped);
        let (format, gzipped) = rdf_format_of_path(Path::new("notes.txt"));
        assert_eq!(format, None);
        assert!(!gzipped);
    }

    #[test]
    fn results_formats() {
        assert_eq!(results_format("json"), Some(QueryResultsFormat::Json));
        assert_eq!(
            results_format("application/sparql-results+xml"),
            Some(QueryResultsFormat::Xml)
        );
        assert_eq!(results_format("table"), None);
    }
}
