//! credgraph: a source-credibility knowledge graph.
//!
//! Who said what, when, in what capacity and where it was reported, kept as RDF in an
//! embedded Oxigraph store; which statements agree or contradict, which sources
//! independently corroborate each other, answered through SPARQL.

pub mod app;
pub mod credibility;
pub mod endpoints;
pub mod error;
pub mod export;
pub mod extract;
pub mod files;
pub mod formats;
pub mod generate;
pub mod import;
mod internal_queries;
pub mod journal;
pub mod matching;
pub mod model;
pub mod named_queries;
pub mod output;
pub mod progress;
pub mod reason;
pub mod resolve;
pub mod server;
pub mod store;
pub mod validate;
pub mod viz;
pub mod vocab;

pub use error::{Error, Result};
pub use store::CaseStore;
