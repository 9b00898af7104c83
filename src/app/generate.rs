//! `generate`: synthetic cases of any size.

use super::cli::GenerateArgs;
use crate::error::{Error, Result};
use oxigraph::io::RdfFormat;

/// `credgraph generate`.
pub fn generate(args: &GenerateArgs) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => crate::formats::rdf_format_of_path(path).0.ok_or_else(|| {
            Error::invalid(format!(
                "{}: cannot tell the RDF format from the file name; give --format",
                path.display()
            ))
        })?,
        (None, None) => RdfFormat::NTriples,
    };
    let options = crate::generate::GenerateOptions {
        sources: args.sources,
        statements: args.statements,
        questions: args.questions,
        seed: args.seed,
    };
    let report = super::print::to_output(args.output.as_deref(), |out| {
        crate::generate::generate(&options, format, out)
    })?;
    eprintln!(
        "generated {} triples: {} sources, {} questions, {} statements",
        report.triples, report.sources, report.questions, report.statements
    );
    Ok(())
}
