//! Stopping a query that works in memory. Oxigraph checks the cancellation token
//! each time a query reads the store, but a cartesian product (two parts of a
//! pattern that share no variable) is computed in memory from what was already
//! read: `{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` over a million triples never reads
//! again and would run for days after its deadline. So every cartesian product
//! gets a filter that calls [`ALIVE`] on each of its rows; once the query is
//! cancelled, that call unwinds the query's own thread (see `protocol`), the one
//! way to leave Oxigraph's evaluation from inside an expression. The thread holds
//! nothing shared but a read snapshot, which unwinding releases.

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::CancellationToken;
use spargebra::algebra::{Expression, Function, GraphPattern};
use spargebra::term::{TermPattern, TriplePattern};
use spargebra::Query;
use std::collections::HashMap;

/// The function the guards call; a query cannot name it by accident.
pub const ALIVE: &str = "urn:credgraph:internal:query-alive";

/// The payload the guard unwinds with, which the panic hook keeps quiet about.
pub struct Stopped;

/// The guard's implementation: true while the query may go on.
pub fn alive(token: CancellationToken) -> impl Fn(&[Term]) -> Option<Term> + Send + Sync + 'static {
    move |_| {
        if token.is_cancelled() {
            std::panic::panic_any(Stopped);
        }
        Some(Literal::from(true).into())
    }
}

/// Keeps the default panic report for real panics, and none for a stopped query.
pub fn quiet_stops() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<Stopped>().is_none() {
                report(info);
            }
        }));
    });
}

/// Puts a guard on every cartesian product of the query's pattern.
pub fn guard(query: &mut Query) {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let taken = std::mem::replace(
        pattern,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *pattern = guarded(taken);
}

fn guarded(pattern: GraphPattern) -> GraphPattern {
    use GraphPattern as P;
    let boxed = |p: Box<P>| Box::new(guarded(*p));
    match pattern {
        P::Bgp { patterns } => {
            let components = components(&patterns);
            let pattern = P::Bgp { patterns };
            if components.len() > 1 {
                with_guard(pattern, &components)
            } else {
                pattern
            }
        }
        P::Join { left, right } => {
            let left = boxed(left);
            let right = boxed(right);
            let (on_left, on_right) = (variables(&left), variables(&right));
            let small = is_few_rows(&left) || is_few_rows(&right);
            let pattern = P::Join { left, right };
            if small || on_left.iter().any(|v| on_right.contains(v)) {
                pattern
            } else {
                let mut sides: Vec<Vec<spargebra::term::Variable>> = Vec::new();
                sides.extend([on_left, on_right].into_iter().filter(|s| !s.is_empty()));
                if sides.len() > 1 {
                    with_guard(pattern, &sides)
                } else {
                    pattern
                }
            }
        }
        P::LeftJoin {
            left,
            right,
            expression,
        } => P::LeftJoin {
            left: boxed(left),
            right: boxed(right),
            expression,
        },
        P::Filter { expr, inner } => P::Filter {
            expr,
            inner: boxed(inner),
        },
        P::Union { left, right } => P::Union {
            left: boxed(left),
            right: boxed(right),
        },
        P::Graph { name, inner } => P::Graph {
            name,
            inner: boxed(inner),
        },
        P::Extend {
            inner,
            variable,
            expression,
        } => P::Extend {
            inner: boxed(inner),
            variable,
            expression,
        },
        P::Minus { left, right } => P::Minus {
            left: boxed(left),
            right: boxed(right),
        },
        P::OrderBy { inner, expression } => P::OrderBy {
            inner: boxed(inner),
            expression,
        },
        P::Project { inner, variables } => P::Project {
            inner: boxed(inner),
            variables,
        },
        P::Distinct { inner } => P::Distinct {
            inner: boxed(inner),
        },
        P::Reduced { inner } => P::Reduced {
            inner: boxed(inner),
        },
        P::Slice {
            inner,
            start,
            length,
        } => P::Slice {
            inner: boxed(inner),
            start,
            length,
        },
        P::Group {
            inner,
            variables,
            aggregates,
        } => P::Group {
            inner: boxed(inner),
            variables,
            aggregates,
        },
        other => other,
    }
}

/// `FILTER(alive(COALESCE(?x, 0), ...))` with a variable of each part, so that
/// no optimizer can push it into one part, and never false.
fn with_guard(pattern: GraphPattern, parts: &[Vec<spargebra::term::Variable>]) -> GraphPattern {
    let arguments = parts
        .iter()
        .filter_map(|part| part.first())
        .map(|variable| {
            Expression::Coalesce(vec![
                Expression::Variable(variable.clone()),
                Expression::Literal(Literal::from(0)),
            ])
        })
        .collect();
    GraphPattern::Filter {
        expr: Expression::FunctionCall(
            Function::Custom(NamedNode::new_unchecked(ALIVE)),
            arguments,
        ),
        inner: Box::new(pattern),
    }
}

/// A side of a few rows at most (a small VALUES table, BINDs over nothing): its
/// product with the other side only repeats rows that were read, a bounded
/// number of times, between two reads that check the token.
fn is_few_rows(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Values { bindings, .. } => bindings.len() <= 64,
        GraphPattern::Bgp { patterns } => patterns.is_empty(),
        GraphPattern::Extend { inner, .. } => is_few_rows(inner),
        _ => false,
    }
}

fn variables(pattern: &GraphPattern) -> Vec<spargebra::term::Variable> {
    let mut found = Vec::new();
    pattern.on_in_scope_variable(|v| {
        if !found.contains(v) {
            found.push(v.clone());
        }
    });
    found
}

/// The variables of each group of triple patterns linked by shared variables or
/// blank nodes (a group without variables is left out: it is one row at most).
fn components(patterns: &[TriplePattern]) -> Vec<Vec<spargebra::term::Variable>> {
    let names = |pattern: &TriplePattern| -> Vec<String> {
        let mut names = Vec::new();
        for term in [&pattern.subject, &pattern.object] {
            match term {
                TermPattern::Variable(v) => names.push(format!("?{}", v.as_str())),
                TermPattern::BlankNode(b) => names.push(format!("_:{}", b.as_str())),
                _ => {}
            }
        }
        if let spargebra::term::NamedNodePattern::Variable(v) = &pattern.predicate {
            names.push(format!("?{}", v.as_str()));
        }
        names
    };
    let mut group_of: Vec<usize> = (0..patterns.len()).collect();
    fn root(group_of: &mut [usize], mut i: usize) -> usize {
        while group_of[i] != i {
            group_of[i] = group_of[group_of[i]];
            i = group_of[i];
        }
        i
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, pattern) in patterns.iter().enumerate() {
        for name in names(pattern) {
            match first_seen.get(&name) {
                Some(&j) => {
                    let (a, b) = (root(&mut group_of, i), root(&mut group_of, j));
                    group_of[a] = b;
                }
                None => {
                    first_seen.insert(name, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<spargebra::term::Variable>> = HashMap::new();
    for (i, pattern) in patterns.iter().enumerate() {
        let group = root(&mut group_of, i);
        let entry = groups.entry(group).or_default();
        for term in [&pattern.subject, &pattern.object] {
            if let TermPattern::Variable(v) = term {
                entry.push(v.clone());
            }
        }
        if let spargebra::term::NamedNodePattern::Variable(v) = &pattern.predicate {
            entry.push(v.clone());
        }
    }
    let mut groups: Vec<_> = groups.into_values().filter(|g| !g.is_empty()).collect();
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guards(text: &str) -> usize {
        let mut query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        guard(&mut query);
        query.to_string().matches(ALIVE).count()
    }

    #[test]
    fn only_cartesian_products_are_guarded() {
        assert_eq!(guards("SELECT * WHERE { ?a ?b ?c . ?c ?d ?e }"), 0);
        assert_eq!(guards("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"), 1);
        assert_eq!(guards("SELECT * WHERE { ?a ?b _:x . _:x ?e ?f }"), 0);
        assert_eq!(
            guards("SELECT * WHERE { { ?a ?b ?c } UNION { ?c ?d ?e } }"),
            0
        );
        assert_eq!(
            guards("SELECT * WHERE { ?a ?b ?c OPTIONAL { ?a ?x ?y } }"),
            0
        );
        assert_eq!(
            guards("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } } { SELECT ?d WHERE { ?d ?e ?f } } }"),
            1
        );
    }

    #[test]
    fn a_guarded_query_gives_the_same_answer() {
        let store = oxigraph::store::Store::new().unwrap();
        store
            .load_from_slice(
                oxigraph::io::RdfFormat::NTriples,
                "<urn:a> <urn:p> <urn:b> .\n<urn:b> <urn:p> <urn:c> .\n".as_bytes(),
            )
            .unwrap();
        let text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f OPTIONAL { ?f ?g ?h } }";
        let count = |query: Query, token: CancellationToken| {
            let results = oxigraph::sparql::SparqlEvaluator::new()
                .with_custom_function(NamedNode::new_unchecked(ALIVE), alive(token))
                .for_query(query)
                .on_store(&store)
                .execute()
                .unwrap();
            let oxigraph::sparql::QueryResults::Solutions(mut rows) = results else {
                panic!()
            };
            rows.next().unwrap().unwrap().get("n").unwrap().to_string()
        };
        let plain = spargebra::SparqlParser::new().parse_query(text).unwrap();
        let mut guarded = plain.clone();
        guard(&mut guarded);
        assert_eq!(
            count(plain, CancellationToken::new()),
            count(guarded.clone(), CancellationToken::new())
        );
        let cancelled = CancellationToken::new();
        cancelled.cancel();
        quiet_stops();
        let stopped =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| count(guarded, cancelled)));
        assert!(stopped.is_err(), "a cancelled query stops");
    }
}
