//! credgraph: a source-credibility knowledge graph.
//!
//! Who said what, when, in what capacity and where it was reported, kept as RDF in an
//! embedded Oxigraph store (or a SPARQL 1.1 engine); which statements agree or
//! contradict, which sources independently corroborate each other, and how credible
//! each source is, answered through SPARQL. The `credgraph` binary is the main way in
//! (see the README); the library gives the same steps to Rust programs:
//!
//! ```
//! use credgraph::{CaseStore, LoadOptions, ReasonOptions};
//!
//! # fn main() -> credgraph::Result<()> {
//! # let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
//! // The bundled seed case, in a store in memory.
//! let store = CaseStore::in_memory()?;
//! credgraph::load(&store, &[seed], &LoadOptions::default())?;
//! // Who agrees, contradicts and depends on whom; who corroborates whom.
//! let report = credgraph::reason(&store, &ReasonOptions::default())?;
//! assert!(report.corroborating_pairs > 0);
//! // Any SPARQL, or a named query of `queries/`.
//! let rows = credgraph::named_query(&store, "corroborators", &[("source", "Stoltenberg")])?;
//! assert!(rows.iter().any(|row| row.iter().flatten().any(|cell| cell.contains("Reznikov"))));
//! # Ok(())
//! # }
//! ```
//!
//! The truth-discovery methods run on a [`credibility::ClaimGraph`] without a store;
//! [`model`] holds the domain's own concepts (certainty, claims, dates, names).

#![forbid(unsafe_code)]

// A query is stopped (timeout, client gone) by unwinding its evaluation; a build
// that aborts on panic would take the whole server down with it instead.
#[cfg(panic = "abort")]
compile_error!("credgraph must be built with panic = \"unwind\": stopping a query unwinds it");

mod app;
pub mod credibility;
mod endpoints;
mod error;
mod export;
mod extract;
mod files;
mod formats;
mod generate;
mod import;
mod journal;
mod matching;
pub mod model;
mod named_queries;
mod output;
mod progress;
mod random;
mod reason;
mod resolve;
mod server;
mod store;
mod validate;
mod viz;
pub mod vocab;

pub use app::cli::Cli;
pub use app::run;
pub use error::{Error, Result};
pub use generate::{generate, GenerateOptions};
pub use import::rdf::{load, LoadOptions, LoadedFile};
pub use named_queries::run as named_query;
pub use random::SplitMix64;
pub use reason::{reason, ReasonOptions, ReasonReport};
pub use store::CaseStore;
