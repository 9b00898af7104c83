//! `credgraph validate`: checks the store against SHACL shapes (`ontology/shapes.ttl`
//! and any given), each constraint evaluated as one SPARQL query over the union of
//! all graphs, and reports every violation with its focus node and message.
//!
//! No SHACL crate works with Oxigraph 0.5 without pulling a second RDF stack, so
//! this implements the SHACL Core and SHACL-SPARQL features the shapes use:
//! targets (`sh:targetClass`, `sh:targetNode`, `sh:targetSubjectsOf`,
//! `sh:targetObjectsOf`), property shapes with a predicate or inverse path, and
//! `sh:minCount`, `sh:maxCount`, `sh:class`, `sh:datatype`, `sh:nodeKind`, `sh:in`,
//! `sh:hasValue`, `sh:pattern`, `sh:message`, `sh:severity`, `sh:deactivated`, and
//! `sh:sparql` constraints with a `sh:select` that projects `$this`. A shape that
//! uses anything else is refused with the feature named, rather than silently
//! passed.

use crate::error::{Error, Result};
use crate::store::CaseStore;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::sparql::QueryResults;
use std::path::Path;

/// The shapes shipped in `ontology/shapes.ttl`.
pub const SHAPES_TTL: &str = include_str!("../ontology/shapes.ttl");

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    pub focus: String,
    pub path: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub severity: Severity,
    pub shape: String,
}

/// Checks the store against the shipped shapes plus `extra` shapes files.
pub fn validate(store: &CaseStore, extra: &[std::path::PathBuf]) -> Result<Vec<Violation>> {
    let mut shapes = parse_shapes(SHAPES_TTL.as_bytes(), Path::new("ontology/shapes.ttl"))?;
    for path in extra {
        let text = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        shapes.extend(&parse_shapes(&text, path)?);
    }
    let classes = Subclasses::read(store, &shapes)?;
    let mut found = Vec::new();
    for check in checks(&shapes, &classes)? {
        found.extend(run_check(store, &check)?);
    }
    found.sort_by(|a, b| {
        (b.severity, &a.focus, &a.path, &a.message)
            .cmp(&(a.severity, &b.focus, &b.path, &b.message))
    });
    found.dedup();
    Ok(found)
}

/// Each class the shapes name (`sh:class`, `sh:targetClass`) with its subclasses
/// in the store, as the list of a SPARQL `IN`. Read once, so that the checks test
/// `?x a ?type . FILTER (?type IN (...))` instead of the path `a/rdfs:subClassOf*`,
/// which Virtuoso 7.2 misses matches of inside NOT EXISTS.
#[derive(Debug, Default)]
struct Subclasses {
    lists: std::collections::HashMap<String, String>,
}

impl Subclasses {
    fn read(store: &CaseStore, shapes: &Graph) -> Result<Self> {
        let mut lists = std::collections::HashMap::new();
        for key in ["class", "targetClass"] {
            for triple in shapes.triples_for_predicate(&sh(key)) {
                let class = triple.object.to_string();
                if lists.contains_key(&class) || !triple.object.is_named_node() {
                    continue;
                }
                let mut members = vec![class.clone()];
                for sub in store.select_iris(&format!(
                    "SELECT DISTINCT ?sub WHERE {{ ?sub rdfs:subClassOf* {class} }}"
                ))? {
                    let sub = sub.to_string();
                    if !members.contains(&sub) {
                        members.push(sub);
                    }
                }
                lists.insert(class, members.join(", "));
            }
        }
        Ok(Subclasses { lists })
    }

    /// The pattern "`variable` is an instance of `class`", with `type_variable`
    /// as a helper.
    fn instance(&self, variable: &str, class: TermRef<'_>) -> String {
        let class = class.to_string();
        let list = self.lists.get(&class).cloned().unwrap_or(class);
        format!("{variable} a {variable}_type . FILTER ({variable}_type IN ({list}))")
    }
}

fn parse_shapes(bytes: &[u8], path: &Path) -> Result<Graph> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(bytes) {
        let quad = quad.map_err(|e| crate::import::rdf::parse_error(path, e.into()))?;
        graph.insert(&oxigraph::model::Triple::from(quad));
    }
    Ok(graph)
}

/// One SPARQL query that returns the violating focus nodes (and values).
#[derive(Debug, Clone)]
struct Check {
    query: String,
    message: String,
    severity: Severity,
    shape: String,
    path: Option<String>,
}

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

fn show(term: TermRef<'_>) -> String {
    match term {
        TermRef::NamedNode(node) => {
            crate::vocab::compact(node.as_str()).unwrap_or_else(|| node.to_string())
        }
        other => other.to_string(),
    }
}

/// The SPARQL pattern binding `?this` to the focus nodes of a shape.
fn target_pattern(
    shapes: &Graph,
    shape: NamedOrBlankNodeRef<'_>,
    classes: &Subclasses,
) -> Option<String> {
    let mut branches = Vec::new();
    for class in shapes.objects_for_subject_predicate(shape, &sh("targetClass")) {
        branches.push(classes.instance("?this", class));
    }
    for node in shapes.objects_for_subject_predicate(shape, &sh("targetNode")) {
        branches.push(format!("BIND({node} AS ?this)"));
    }
    for predicate in shapes.objects_for_subject_predicate(shape, &sh("targetSubjectsOf")) {
        branches.push(format!("?this {predicate} [] ."));
    }
    for predicate in shapes.objects_for_subject_predicate(shape, &sh("targetObjectsOf")) {
        branches.push(format!("[] {predicate} ?this ."));
    }
    if branches.is_empty() {
        return None;
    }
    Some(format!(
        "{{ SELECT DISTINCT ?this WHERE {{ {} }} }}",
        branches
            .iter()
            .map(|b| format!("{{ {b} }}"))
            .collect::<Vec<_>>()
            .join(" UNION ")
    ))
}

fn list_items<'a>(shapes: &'a Graph, mut node: TermRef<'a>) -> Result<Vec<String>> {
    let first = NamedNode::new_unchecked(RDF_FIRST);
    let rest = NamedNode::new_unchecked(RDF_REST);
    let mut items = Vec::new();
    while let Some(subject) = match node {
        TermRef::NamedNode(n) if n.as_str() == RDF_NIL => None,
        TermRef::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n)),
        TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
        _ => None,
    } {
        let item = shapes
            .object_for_subject_predicate(subject, &first)
            .ok_or_else(|| Error::invalid("a SHACL list (sh:in) is malformed"))?;
        items.push(item.to_string());
        node = shapes
            .object_for_subject_predicate(subject, &rest)
            .ok_or_else(|| Error::invalid("a SHACL list (sh:in) is malformed"))?;
    }
    Ok(items)
}

const PROPERTY_KEYS: &[&str] = &[
    "path",
    "minCount",
    "maxCount",
    "class",
    "datatype",
    "nodeKind",
    "in",
    "hasValue",
    "pattern",
    "flags",
    "message",
    "severity",
    "name",
    "description",
    "deactivated",
    "order",
    "group",
];
const NODE_KEYS: &[&str] = &[
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "property",
    "sparql",
    "nodeKind",
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
];

fn refuse_unknown(
    shapes: &Graph,
    subject: NamedOrBlankNodeRef<'_>,
    allowed: &[&str],
    what: &str,
) -> Result<()> {
    for triple in shapes.triples_for_subject(subject) {
        if let Some(local) = triple.predicate.as_str().strip_prefix(SH) {
            if !allowed.contains(&local) {
                return Err(Error::invalid(format!(
                    "{what} {}: sh:{local} is not supported by credgraph's SHACL checks (see ontology/README.md)",
                    show(subject.into())
                )));
            }
        }
    }
    Ok(())
}

fn severity(shapes: &Graph, subject: NamedOrBlankNodeRef<'_>, fallback: Severity) -> Severity {
    match shapes.object_for_subject_predicate(subject, &sh("severity")) {
        Some(TermRef::NamedNode(n)) if n.as_str() == format!("{SH}Warning") => Severity::Warning,
        Some(TermRef::NamedNode(n)) if n.as_str() == format!("{SH}Info") => Severity::Info,
        Some(_) => Severity::Violation,
        None => fallback,
    }
}

fn literal_text(shapes: &Graph, subject: NamedOrBlankNodeRef<'_>, key: &str) -> Option<String> {
    match shapes.object_for_subject_predicate(subject, &sh(key))? {
        TermRef::Literal(literal) => Some(literal.value().to_string()),
        _ => None,
    }
}

fn integer(shapes: &Graph, subject: NamedOrBlankNodeRef<'_>, key: &str) -> Result<Option<u64>> {
    literal_text(shapes, subject, key)
        .map(|v| {
            v.parse()
                .map_err(|_| Error::invalid(format!("sh:{key} must be a whole number, not {v}")))
        })
        .transpose()
}

/// The nodes a shape links with the SHACL property named `key` (property shapes,
/// constraints) that are
/// not deactivated.
fn active<'a>(
    shapes: &'a Graph,
    shape: NamedOrBlankNodeRef<'a>,
    key: &str,
) -> Vec<NamedOrBlankNodeRef<'a>> {
    let key = sh(key);
    shapes
        .objects_for_subject_predicate(shape, &key)
        .filter_map(|term| match term {
            TermRef::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n)),
            TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
            _ => None,
        })
        .filter(|node| !is_deactivated(shapes, *node))
        .collect()
}

fn is_deactivated(shapes: &Graph, subject: NamedOrBlankNodeRef<'_>) -> bool {
    literal_text(shapes, subject, "deactivated").is_some_and(|v| v == "true")
}

fn checks(shapes: &Graph, classes: &Subclasses) -> Result<Vec<Check>> {
    let node_shape = sh("NodeShape");
    let rdf_type = NamedNode::new_unchecked(RDF_TYPE);
    let mut checks = Vec::new();
    let mut shape_nodes: Vec<_> = shapes
        .subjects_for_predicate_object(&rdf_type, &node_shape)
        .map(|s| s.into_owned())
        .collect();
    shape_nodes.sort_by_key(|s| s.to_string());
    for shape in &shape_nodes {
        let shape = shape.as_ref();
        if is_deactivated(shapes, shape) {
            continue;
        }
        refuse_unknown(shapes, shape, NODE_KEYS, "shape")?;
        let Some(target) = target_pattern(shapes, shape, classes) else {
            continue;
        };
        let shape_name = show(shape.into());
        let shape_severity = severity(shapes, shape, Severity::Violation);
        if let Some(kind) = shapes.object_for_subject_predicate(shape, &sh("nodeKind")) {
            let test = node_kind_test(kind, "?this")?;
            checks.push(Check {
                query: format!("SELECT ?this WHERE {{ {target} FILTER (!({test})) }}"),
                message: literal_text(shapes, shape, "message")
                    .unwrap_or_else(|| format!("must be {}", show(kind))),
                severity: shape_severity,
                shape: shape_name.clone(),
                path: None,
            });
        }
        for property in active(shapes, shape, "property") {
            refuse_unknown(shapes, property, PROPERTY_KEYS, "property shape")?;
            checks.extend(property_checks(
                shapes,
                classes,
                property,
                &target,
                &shape_name,
                shape_severity,
            )?);
        }
        for constraint in active(shapes, shape, "sparql") {
            let select = literal_text(shapes, constraint, "select").ok_or_else(|| {
                Error::invalid(format!(
                    "shape {shape_name}: a sh:sparql constraint needs sh:select"
                ))
            })?;
            let select = select.replace("$this", "?this");
            let (prologue, body) = crate::store::remote::split_prologue(&select);
            checks.push(Check {
                query: format!("{prologue}\nSELECT * WHERE {{ {target} {{ {body} }} }}"),
                message: literal_text(shapes, constraint, "message")
                    .unwrap_or_else(|| "breaks a SPARQL constraint".into()),
                severity: severity(shapes, constraint, shape_severity),
                shape: shape_name.clone(),
                path: None,
            });
        }
    }
    Ok(checks)
}

fn node_kind_test(kind: TermRef<'_>, variable: &str) -> Result<String> {
    let local = match kind {
        TermRef::NamedNode(n) => n.as_str().strip_prefix(SH).unwrap_or(""),
        _ => "",
    };
    Ok(match local {
        "IRI" => format!("isIRI({variable})"),
        "BlankNode" => format!("isBlank({variable})"),
        "Literal" => format!("isLiteral({variable})"),
        "BlankNodeOrIRI" => format!("(isIRI({variable}) || isBlank({variable}))"),
        "BlankNodeOrLiteral" => format!("(isBlank({variable}) || isLiteral({variable}))"),
        "IRIOrLiteral" => format!("(isIRI({variable}) || isLiteral({variable}))"),
        _ => {
            return Err(Error::invalid(format!(
                "sh:nodeKind {} is not a SHACL node kind",
                show(kind)
            )))
        }
    })
}

fn property_checks(
    shapes: &Graph,
    classes: &Subclasses,
    property: NamedOrBlankNodeRef<'_>,
    target: &str,
    shape_name: &str,
    shape_severity: Severity,
) -> Result<Vec<Check>> {
    let path_term = shapes
        .object_for_subject_predicate(property, &sh("path"))
        .ok_or_else(|| {
            Error::invalid(format!(
                "shape {shape_name}: a property shape needs sh:path"
            ))
        })?;
    let (path, path_name) = match path_term {
        TermRef::NamedNode(predicate) => (predicate.to_string(), show(path_term)),
        TermRef::BlankNode(node) => {
            match shapes.object_for_subject_predicate(node, &sh("inversePath")) {
                Some(TermRef::NamedNode(predicate)) => (
                    format!("^{predicate}"),
                    format!("^{}", show(predicate.into())),
                ),
                _ => {
                    return Err(Error::invalid(format!(
                        "shape {shape_name}: only predicate paths and sh:inversePath are supported"
                    )))
                }
            }
        }
        _ => {
            return Err(Error::invalid(format!(
                "shape {shape_name}: sh:path must be a predicate"
            )))
        }
    };
    let message = literal_text(shapes, property, "message");
    let severity = severity(shapes, property, shape_severity);
    let check = |query: String, default: String| Check {
        query,
        message: message.clone().unwrap_or(default),
        severity,
        shape: shape_name.to_string(),
        path: Some(path_name.clone()),
    };
    let mut checks = Vec::new();
    if let Some(min) = integer(shapes, property, "minCount")? {
        checks.push(check(
            format!(
                "SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {min})"
            ),
            format!("needs at least {min} value(s) of {path_name}"),
        ));
    }
    if let Some(max) = integer(shapes, property, "maxCount")? {
        checks.push(check(
            format!(
                "SELECT ?this WHERE {{ {target} ?this {path} ?value }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {max})"
            ),
            format!("has more than {max} value(s) of {path_name}"),
        ));
    }
    let value_check = |condition: String| {
        format!(
            "SELECT ?this ?value WHERE {{ {target} ?this {path} ?value . FILTER ({condition}) }}"
        )
    };
    if let Some(class) = shapes.object_for_subject_predicate(property, &sh("class")) {
        checks.push(check(
            value_check(format!(
                "NOT EXISTS {{ {} }}",
                classes.instance("?value", class)
            )),
            format!("values of {path_name} must be of class {}", show(class)),
        ));
    }
    if let Some(datatype) = shapes.object_for_subject_predicate(property, &sh("datatype")) {
        let mut condition = format!("!isLiteral(?value) || DATATYPE(?value) != {datatype}");
        // Ill-typed lexical forms (a 13th month) carry the datatype but cannot be cast.
        if let TermRef::NamedNode(node) = datatype {
            if let Some(local) = node
                .as_str()
                .strip_prefix("http://www.w3.org/2001/XMLSchema#")
            {
                if local == "boolean" {
                    // The lexical space itself: Virtuoso fails on a cast of a
                    // boolean it stored (as 1 or 0) and compared with sameTerm.
                    condition.push_str(" || !(STR(?value) IN (\"true\", \"false\", \"1\", \"0\"))");
                } else if matches!(
                    local,
                    "date" | "dateTime" | "integer" | "decimal" | "double"
                ) {
                    condition.push_str(&format!(
                        " || sameTerm(COALESCE(xsd:{local}(STR(?value)), \"invalid\"), \"invalid\")"
                    ));
                }
            }
        }
        checks.push(check(
            value_check(condition),
            format!("values of {path_name} must be {}", show(datatype)),
        ));
    }
    if let Some(kind) = shapes.object_for_subject_predicate(property, &sh("nodeKind")) {
        let test = node_kind_test(kind, "?value")?;
        checks.push(check(
            value_check(format!("!({test})")),
            format!("values of {path_name} must be {}", show(kind)),
        ));
    }
    if let Some(list) = shapes.object_for_subject_predicate(property, &sh("in")) {
        let items = list_items(shapes, list)?;
        checks.push(check(
            value_check(format!("?value NOT IN ({})", items.join(", "))),
            format!("values of {path_name} must be one of {}", items.join(", ")),
        ));
    }
    if let Some(value) = shapes.object_for_subject_predicate(property, &sh("hasValue")) {
        checks.push(check(
            format!(
                "SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"
            ),
            format!("{path_name} must include {}", show(value)),
        ));
    }
    if let Some(pattern) = literal_text(shapes, property, "pattern") {
        regex::Regex::new(&pattern).map_err(|e| {
            Error::invalid(format!("shape {shape_name}: sh:pattern {pattern}: {e}"))
        })?;
        let flags = literal_text(shapes, property, "flags").unwrap_or_default();
        let literal =
            |s: &str| Term::from(oxigraph::model::Literal::new_simple_literal(s)).to_string();
        checks.push(check(
            value_check(format!(
                "isBlank(?value) || !REGEX(STR(?value), {}, {})",
                literal(&pattern),
                literal(&flags)
            )),
            format!("values of {path_name} must match {pattern}"),
        ));
    }
    Ok(checks)
}

fn run_check(store: &CaseStore, check: &Check) -> Result<Vec<Violation>> {
    let results = store.query(&check.query).map_err(|e| match e {
        Error::SparqlSyntax { message, .. } => Error::invalid(format!(
            "shape {}: its constraint is not valid SPARQL: {message}",
            check.shape
        )),
        Error::Endpoint(message) => Error::Endpoint(format!("shape {}: {message}", check.shape)),
        other => other,
    })?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(Error::invalid(format!(
            "shape {}: a constraint must be a SELECT",
            check.shape
        )));
    };
    let mut found = Vec::new();
    for solution in solutions {
        let solution = solution?;
        let Some(focus) = solution.get("this") else {
            continue;
        };
        found.push(Violation {
            focus: show(focus.as_ref()),
            path: check.path.clone(),
            value: solution.get("value").map(|v| show(v.as_ref())),
            message: check.message.clone(),
            severity: check.severity,
            shape: check.shape.clone(),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(turtle: &str) -> CaseStore {
        let store = CaseStore::in_memory().unwrap();
        let prefixes = crate::vocab::sparql_prologue()
            .replace("PREFIX ", "@prefix ")
            .replace(">\n", "> .\n");
        store
            .oxigraph("test")
            .unwrap()
            .load_from_reader(
                RdfParser::from_format(RdfFormat::Turtle)
                    .with_default_graph(NamedNode::new_unchecked("http://e/case")),
                format!("{prefixes}{turtle}").as_bytes(),
            )
            .unwrap();
        store
    }

    #[test]
    fn a_well_formed_statement_passes() {
        let store = store_with(
            r#"<http://e/s> a cg:Statement ; cg:statedBy <http://e/a> ; cg:statedOn "2022-12-24"^^xsd:date ;
                 cg:proposition <http://e/p> ; cg:polarity cg:Assertion .
               <http://e/a> a cg:Person ; rdfs:label "A" .
               <http://e/p> a cg:Proposition ; rdfs:label "P" ; cg:answers <http://e/q> .
               <http://e/q> a cg:Question ; rdfs:label "Q?" ."#,
        );
        assert_eq!(validate(&store, &[]).unwrap(), vec![]);
    }

    #[test]
    fn each_broken_rule_is_reported_on_its_focus_node() {
        let store = store_with(
            r#"<http://e/s> a cg:Statement ; cg:statedBy <http://e/a>, <http://e/b> ;
                 cg:statedOn "2022-13-45"^^xsd:date ; cg:polarity cg:Maybe .
               <http://e/a> a cg:Person ; rdfs:label "A" .
               <http://e/b> a cg:Person ; rdfs:label "B" ."#,
        );
        let found = validate(&store, &[]).unwrap();
        let messages: Vec<&str> = found.iter().map(|v| v.message.as_str()).collect();
        assert!(found.iter().all(|v| v.focus == "<http://e/s>"), "{found:?}");
        assert!(
            messages.iter().any(|m| m.contains("exactly one source")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("exactly one date")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("exactly one proposition")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("polarity")),
            "{messages:?}"
        );
    }

    #[test]
    fn an_interval_that_ends_before_it_begins_is_reported() {
        let store = store_with(
            r#"<http://e/t> a cg:Tenure ; org:member <http://e/a> ; cg:ofPost <http://e/post> ;
                 org:memberDuring [ time:hasBeginning [ time:inXSDDate "2023-01-01"^^xsd:date ] ;
                                    time:hasEnd [ time:inXSDDate "2022-01-01"^^xsd:date ] ] .
               <http://e/a> a cg:Person ; rdfs:label "A" .
               <http://e/post> a cg:Post ; rdfs:label "P" ; org:postIn <http://e/o> .
               <http://e/o> a cg:Organization ; rdfs:label "O" ."#,
        );
        let found = validate(&store, &[]).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("ends before it begins"));
    }

    #[test]
    fn unsupported_shacl_features_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.ttl");
        std::fs::write(
            &path,
            "@prefix sh: <http://www.w3.org/ns/shacl#> .
             <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ;
               sh:property [ sh:path <http://e/p> ; sh:qualifiedMinCount 1 ] .",
        )
        .unwrap();
        let store = CaseStore::in_memory().unwrap();
        let error = validate(&store, &[path]).unwrap_err();
        assert!(error.to_string().contains("qualifiedMinCount"), "{error}");
    }
}
