//! SERVICE refused before evaluation. credgraph is built without Oxigraph's HTTP
//! client, so no query can make the process fetch a URL; but a SERVICE that
//! Oxigraph never reaches (inside `FILTER EXISTS` on no rows, or `SERVICE SILENT`,
//! which turns the failure into an empty answer) would pass without a word, and
//! a query that asks for federation would get an answer as if federation had
//! been tried. So the parsed algebra is walked, patterns and expressions alike
//! (EXISTS, NOT EXISTS, subqueries, an update's WHERE), and any SERVICE refuses
//! the whole operation, SILENT or not.

use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::{GraphUpdateOperation, Query, Update};

/// What the refusal says, the same on the command line and over HTTP.
pub const REFUSAL: &str =
    "SERVICE is not available: credgraph does not federate and never fetches a URL a query names (SERVICE SILENT included)";

/// An error message when the query names a SERVICE anywhere.
pub fn check_query(query: &Query) -> Result<(), &'static str> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    refuse_if(names_service(pattern))
}

/// What the refusal of `LOAD <url>` says: like SERVICE, it would fetch a URL, and
/// `LOAD SILENT` would turn the failure into an update applied without a word.
pub const LOAD_REFUSAL: &str =
    "LOAD is not available: credgraph never fetches a URL an update names (LOAD SILENT included); load files with `credgraph load FILE`, or PUT them to the Graph Store";

/// An error message when any operation of the update names a SERVICE or is a LOAD.
pub fn check_update(update: &Update) -> Result<(), &'static str> {
    if update
        .operations
        .iter()
        .any(|operation| matches!(operation, GraphUpdateOperation::Load { .. }))
    {
        return Err(LOAD_REFUSAL);
    }
    refuse_if(update.operations.iter().any(|operation| match operation {
        GraphUpdateOperation::DeleteInsert { pattern, .. } => names_service(pattern),
        GraphUpdateOperation::InsertData { .. }
        | GraphUpdateOperation::DeleteData { .. }
        | GraphUpdateOperation::Load { .. }
        | GraphUpdateOperation::Clear { .. }
        | GraphUpdateOperation::Create { .. }
        | GraphUpdateOperation::Drop { .. } => false,
    }))
}

fn refuse_if(found: bool) -> Result<(), &'static str> {
    if found {
        Err(REFUSAL)
    } else {
        Ok(())
    }
}

/// Whether a pattern holds a SERVICE, in itself or in an expression. No wildcard
/// arm: a kind of pattern a new spargebra adds must be looked at here.
fn names_service(pattern: &GraphPattern) -> bool {
    use GraphPattern as P;
    match pattern {
        P::Service { .. } => true,
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => false,
        P::Join { left, right }
        | P::Union { left, right }
        | P::Minus { left, right }
        | P::Lateral { left, right } => names_service(left) || names_service(right),
        P::LeftJoin {
            left,
            right,
            expression,
        } => {
            names_service(left)
                || names_service(right)
                || expression.as_ref().is_some_and(expression_names_service)
        }
        P::Filter { expr, inner } => expression_names_service(expr) || names_service(inner),
        P::Extend {
            inner, expression, ..
        } => expression_names_service(expression) || names_service(inner),
        P::OrderBy { inner, expression } => {
            names_service(inner)
                || expression.iter().any(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                        expression_names_service(e)
                    }
                })
        }
        P::Group {
            inner, aggregates, ..
        } => {
            names_service(inner)
                || aggregates.iter().any(|(_, aggregate)| match aggregate {
                    AggregateExpression::FunctionCall { expr, .. } => {
                        expression_names_service(expr)
                    }
                    AggregateExpression::CountSolutions { .. } => false,
                })
        }
        P::Graph { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. } => names_service(inner),
    }
}

/// Whether an expression holds an EXISTS whose pattern holds a SERVICE.
fn expression_names_service(expression: &Expression) -> bool {
    use Expression as E;
    match expression {
        E::Exists(pattern) => names_service(pattern),
        E::NamedNode(_) | E::Literal(_) | E::Variable(_) | E::Bound(_) => false,
        E::Or(a, b)
        | E::And(a, b)
        | E::Equal(a, b)
        | E::SameTerm(a, b)
        | E::Greater(a, b)
        | E::GreaterOrEqual(a, b)
        | E::Less(a, b)
        | E::LessOrEqual(a, b)
        | E::Add(a, b)
        | E::Subtract(a, b)
        | E::Multiply(a, b)
        | E::Divide(a, b) => expression_names_service(a) || expression_names_service(b),
        E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => expression_names_service(a),
        E::If(a, b, c) => [a, b, c].into_iter().any(|e| expression_names_service(e)),
        E::In(a, list) => expression_names_service(a) || list.iter().any(expression_names_service),
        E::Coalesce(list) | E::FunctionCall(_, list) => list.iter().any(expression_names_service),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn query_refused(text: &str) -> bool {
        check_query(&SparqlParser::new().parse_query(text).unwrap()).is_err()
    }

    fn update_refused(text: &str) -> bool {
        check_update(&SparqlParser::new().parse_update(text).unwrap()).is_err()
    }

    #[test]
    fn service_is_found_wherever_it_hides() {
        let service = "SERVICE SILENT <http://e/sparql> { ?s ?p ?o }";
        for text in [
            format!("SELECT * WHERE {{ {service} }}"),
            format!("ASK {{ FILTER EXISTS {{ {service} }} }}"),
            format!("ASK {{ FILTER NOT EXISTS {{ {service} }} }}"),
            format!("SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {service} }} }} }}"),
            format!("SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {service} }} }}"),
            format!("SELECT * WHERE {{ ?a ?b ?c MINUS {{ {service} }} }}"),
            format!("SELECT * WHERE {{ BIND(IF(EXISTS {{ {service} }}, 1, 2) AS ?x) }}"),
            format!("SELECT ?a WHERE {{ ?a ?b ?c }} ORDER BY (EXISTS {{ {service} }})"),
            format!("SELECT (SUM(IF(EXISTS {{ {service} }}, 1, 0)) AS ?n) WHERE {{ ?a ?b ?c }}"),
            format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ {service} }} }}"),
            format!("SELECT * WHERE {{ ?a ?b ?c LATERAL {{ {service} }} }}"),
        ] {
            assert!(query_refused(&text), "{text}");
        }
        assert!(!query_refused(
            "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { ?s a ?t } }"
        ));
    }

    #[test]
    fn service_in_an_update_is_found() {
        assert!(update_refused(
            "INSERT { <urn:a> <urn:b> ?o } WHERE { SERVICE SILENT <http://e/> { ?s ?p ?o } }"
        ));
        assert!(update_refused(
            "DELETE WHERE { ?s ?p ?o } ; INSERT { <urn:a> <urn:b> 1 } WHERE { FILTER NOT EXISTS { SERVICE <http://e/> { ?s ?p ?o } } }"
        ));
        assert!(!update_refused("INSERT DATA { <urn:a> <urn:b> <urn:c> }"));
    }

    #[test]
    fn load_is_refused_silent_or_not() {
        for text in [
            "LOAD <http://e/data.ttl>",
            "LOAD SILENT <http://e/data.ttl> INTO GRAPH <urn:g>",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD SILENT <http://e/data.ttl>",
        ] {
            let refusal = check_update(&SparqlParser::new().parse_update(text).unwrap());
            assert_eq!(refusal, Err(LOAD_REFUSAL), "{text}");
        }
    }
}
