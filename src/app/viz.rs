//! `viz`: pictures of who agrees with and contradicts whom.

use super::cli::VizArgs;
use super::print::plural;
use crate::error::Result;
use crate::store::CaseStore;
use crate::viz;

/// `credgraph viz`.
pub fn viz(store: &CaseStore, args: &VizArgs) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => viz::Format::of_path(path).unwrap_or(viz::Format::Svg),
        (None, None) => viz::Format::Svg,
    };
    let options = viz::Options {
        view: args.view,
        focus: args.focus.clone(),
        question: args.question.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        min_weight: args.min_weight.max(1),
        independent_only: args.independent_only,
        method: args.method.name().to_string(),
        seed: args.seed,
        pair_details: format == viz::Format::Html,
    };
    let started = std::time::Instant::now();
    let mut picture = viz::read(store, &options)?;
    let read_seconds = started.elapsed().as_secs_f64();
    let drawn = std::time::Instant::now();
    viz::layout::lay_out(&mut picture, options.seed);
    super::print::to_output(args.output.as_deref(), |out| {
        viz::write(&picture, format, out)
    })?;
    let edges = picture
        .edges
        .iter()
        .filter(|e| e.kind != viz::EdgeKind::Reports)
        .count();
    eprintln!(
        "drew {} node{} and {} edge{}{}{} (read in {:.2} s, laid out and written in {:.2} s)",
        picture.nodes.len(),
        plural(picture.nodes.len()),
        picture.edges.len(),
        plural(picture.edges.len()),
        if picture.groups.is_empty() || options.view == viz::View::Statements {
            String::new()
        } else {
            format!(
                " in {} camp{}",
                picture.groups.len(),
                plural(picture.groups.len())
            )
        },
        match &args.output {
            Some(path) => format!(" to {}", path.display()),
            None => String::new(),
        },
        read_seconds,
        drawn.elapsed().as_secs_f64(),
    );
    if edges == 0
        && !store.graph_exists(oxigraph::model::NamedNodeRef::new_unchecked(
            crate::vocab::graph::DERIVED,
        ))?
    {
        eprintln!("no agreement or contradiction to draw yet: run `credgraph reason` first");
    }
    Ok(())
}
