#![doc = include_str!("../README.md")]
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
mod internal_queries;
mod journal;
mod matching;
pub mod model;
mod named_queries;
mod nesting;
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
pub use import::ratings::{Ratings, Status as RatingStatus, Verdict};
pub use import::rdf::{load, LoadOptions, LoadedFile};
pub use import::table::TableOptions;
pub use named_queries::run as named_query;
pub use random::SplitMix64;
pub use reason::{reason, ReasonOptions, ReasonReport};
pub use store::CaseStore;
