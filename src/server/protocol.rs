//! The SPARQL 1.1 Protocol: queries by GET, form POST and direct POST, updates by
//! form and direct POST, the protocol's dataset parameters, content negotiation,
//! the result cap and the query timeout, and the service description.

use super::negotiation;
use super::stopping;
use super::watchdog::Deadline;
use super::{
    body_response, content_type, header_text, method_not_allowed, url_params, utf8_body, Answer,
    Endpoint, Refusal,
};
use crate::error::sparql_syntax;
use crate::output::rdf_serializer;
use crate::store::federation;
use crate::vocab;
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, StatusCode};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator};
use spargebra::{GraphUpdateOperation, SparqlParser};
use std::panic::AssertUnwindSafe;

/// Which operations a route takes: Oxigraph's `/query`, `/update`, and `/sparql`
/// for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Query,
    Update,
    Both,
}

impl Route {
    fn takes_query(self) -> bool {
        self != Route::Update
    }

    fn takes_update(self) -> bool {
        self != Route::Query
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Query,
    Update,
}

/// A query or an update as the request gave it.
struct Operation {
    kind: Kind,
    text: String,
    /// `default-graph-uri`, or `using-graph-uri` for an update.
    default_graphs: Vec<String>,
    /// `named-graph-uri`, or `using-named-graph-uri` for an update.
    named_graphs: Vec<String>,
    /// credgraph's `format` parameter: a format by name, for links that cannot
    /// set an Accept header (the query page's downloads).
    format: Option<String>,
}

/// The results formats, the first being the default.
const RESULTS_OFFERS: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];

/// The RDF formats for CONSTRUCT, DESCRIBE, the service description and the
/// graph store, the first being the default.
pub(super) const RDF_OFFERS: &[(&str, RdfFormat)] = &[
    ("text/turtle", RdfFormat::Turtle),
    ("application/x-turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("text/plain", RdfFormat::NTriples),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/xml", RdfFormat::RdfXml),
    ("text/xml", RdfFormat::RdfXml),
    (
        "application/ld+json",
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    ),
    ("text/n3", RdfFormat::N3),
    ("application/n-quads", RdfFormat::NQuads),
    ("application/trig", RdfFormat::TriG),
];

pub fn answer(endpoint: &Endpoint, request: &mut Request<Body>, route: Route) -> Answer {
    match read_operation(endpoint, request, route)? {
        None => service_description(endpoint, request),
        Some(operation) if operation.kind == Kind::Query => query(endpoint, request, operation),
        Some(operation) => {
            endpoint.authorize_write(request)?;
            update(endpoint, request, operation)
        }
    }
}

fn read_operation(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
    route: Route,
) -> Result<Option<Operation>, Refusal> {
    let url = url_params(request);
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        if url.iter().any(|(k, _)| k == "update") || route == Route::Update {
            return Err(method_not_allowed("POST")
                .with_message("an update is sent by POST, as a form field `update` or as an application/sparql-update body"));
        }
        return operation_from_fields(&url, None, route)
            .map(Some)
            .or_else(|refusal| {
                if url.iter().any(|(k, _)| k == "query") {
                    Err(refusal)
                } else {
                    Ok(None)
                }
            });
    }
    if method != Method::POST {
        return Err(method_not_allowed("GET, POST"));
    }
    let accepted = match route {
        Route::Query => "application/sparql-query or application/x-www-form-urlencoded",
        Route::Update => "application/sparql-update or application/x-www-form-urlencoded",
        Route::Both => "application/sparql-query, application/sparql-update or application/x-www-form-urlencoded",
    };
    let unsupported = |what: &str| {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{what}: send {accepted}"),
        )
    };
    let Some((essence, charset)) = content_type(request) else {
        return Err(unsupported("the request has no Content-Type"));
    };
    match essence.as_str() {
        "application/x-www-form-urlencoded" => {
            let body = endpoint.read_body(request)?;
            let body = utf8_body(body, charset.as_deref())?;
            let mut fields = url;
            fields.extend(form_urlencoded::parse(body.as_bytes()).into_owned());
            operation_from_fields(&fields, None, route).map(Some)
        }
        "application/sparql-query" if route.takes_query() => {
            let body = endpoint.read_body(request)?;
            let text = utf8_body(body, charset.as_deref())?;
            operation_from_fields(&url, Some((Kind::Query, text)), route).map(Some)
        }
        "application/sparql-update" if route.takes_update() => {
            endpoint.authorize_write(request)?;
            let body = endpoint.read_body(request)?;
            let text = utf8_body(body, charset.as_deref())?;
            operation_from_fields(&url, Some((Kind::Update, text)), route).map(Some)
        }
        other => Err(unsupported(&format!(
            "Content-Type {other} is not taken here"
        ))),
    }
}

/// The operation the fields (URL parameters, form fields) describe, or the
/// direct body `given`.
fn operation_from_fields(
    fields: &[(String, String)],
    given: Option<(Kind, String)>,
    route: Route,
) -> Result<Operation, Refusal> {
    let values = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (kind, text) = match given {
        Some(given) => given,
        None => {
            let queries = values("query");
            let updates = values("update");
            match (queries.len(), updates.len()) {
                (1, 0) if route.takes_query() => (Kind::Query, queries[0].clone()),
                (0, 1) if route.takes_update() => (Kind::Update, updates[0].clone()),
                (1, 0) => {
                    return Err(Refusal::bad_request(
                        "this route takes updates; send queries to /query or /sparql",
                    ))
                }
                (0, 1) => {
                    return Err(Refusal::bad_request(
                        "this route takes queries; send updates to /update or /sparql",
                    ))
                }
                (0, 0) => {
                    return Err(Refusal::bad_request(
                        "the request has no `query` or `update` field",
                    ))
                }
                (q, u) if q > 0 && u > 0 => {
                    return Err(Refusal::bad_request(
                        "the request has both a `query` and an `update` field",
                    ))
                }
                _ => {
                    return Err(Refusal::bad_request(
                        "the request has more than one `query` or `update` field; send one",
                    ))
                }
            }
        }
    };
    let (default_name, named_name) = match kind {
        Kind::Query => ("default-graph-uri", "named-graph-uri"),
        Kind::Update => ("using-graph-uri", "using-named-graph-uri"),
    };
    let formats = values("format");
    Ok(Operation {
        kind,
        text,
        default_graphs: values(default_name),
        named_graphs: values(named_name),
        format: formats.into_iter().next(),
    })
}

/// A parser with our prefixes predeclared and the endpoint as base IRI.
fn parser(base: &str) -> Result<SparqlParser, Refusal> {
    // The prefixes are read once; each request gets a copy with its base IRI.
    static WITH_PREFIXES: std::sync::OnceLock<SparqlParser> = std::sync::OnceLock::new();
    WITH_PREFIXES
        .get_or_init(|| {
            let mut parser = SparqlParser::new();
            for (prefix, namespace) in vocab::PREFIXES {
                parser = parser
                    .with_prefix(*prefix, *namespace)
                    .expect("the built-in prefixes are valid IRIs");
            }
            parser
        })
        .clone()
        .with_base_iri(base)
        .map_err(|e| {
            Refusal::bad_request(format!(
                "the request's address is not a valid base IRI: {e}"
            ))
        })
}

fn graph_iris(values: &[String], parameter: &str) -> Result<Vec<NamedNode>, Refusal> {
    values
        .iter()
        .map(|value| {
            NamedNode::new(value.as_str()).map_err(|e| {
                Refusal::bad_request(format!("{parameter}={value} is not an IRI: {e}"))
            })
        })
        .collect()
}

enum Answerable {
    Table(QueryResultsFormat),
    Graph(RdfFormat),
}

fn not_acceptable(what: &str, offers: &[&str]) -> Refusal {
    Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "none of the Accept header's types can carry {what}; ask for one of {}",
            offers.join(", ")
        ),
    )
}

fn results_format(
    request: &Request<Body>,
    asked: Option<&str>,
) -> Result<QueryResultsFormat, Refusal> {
    if let Some(name) = asked {
        return crate::formats::results_format(name).ok_or_else(|| {
            Refusal::bad_request(format!(
                "format={name}: a SELECT or ASK answer is json, xml, csv or tsv"
            ))
        });
    }
    negotiation::choose(header_text(request, header::ACCEPT), RESULTS_OFFERS).ok_or_else(|| {
        not_acceptable(
            "query results",
            &RESULTS_OFFERS.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        )
    })
}

pub(super) fn rdf_format(
    request: &Request<Body>,
    asked: Option<&str>,
) -> Result<RdfFormat, Refusal> {
    if let Some(name) = asked {
        return crate::formats::rdf_format(name).ok_or_else(|| {
            Refusal::bad_request(format!(
                "format={name}: RDF is ttl, nt, rdf, jsonld, n3, nq or trig"
            ))
        });
    }
    negotiation::choose(header_text(request, header::ACCEPT), RDF_OFFERS).ok_or_else(|| {
        not_acceptable(
            "RDF",
            &RDF_OFFERS.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        )
    })
}

/// The media type a response of this RDF format carries.
pub(super) fn rdf_content_type(format: RdfFormat) -> String {
    match format {
        RdfFormat::Turtle
        | RdfFormat::NTriples
        | RdfFormat::N3
        | RdfFormat::NQuads
        | RdfFormat::TriG => {
            format!("{}; charset=utf-8", format.media_type())
        }
        _ => format.media_type().to_string(),
    }
}

/// An answer written out, ready to send.
struct Written {
    body: Vec<u8>,
    content_type: String,
    truncated: bool,
}

/// The query's dataset from the protocol's parameters.
struct ProtocolDataset {
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
}

fn query(endpoint: &Endpoint, request: &Request<Body>, operation: Operation) -> Answer {
    let base = format!("{}{}", endpoint.origin_url(request), request.uri().path());
    crate::nesting::check(&operation.text, "query").map_err(Refusal::bad_request)?;
    let parsed = parser(&base)?
        .parse_query(&operation.text)
        .map_err(|e| Refusal::from(sparql_syntax("query", &operation.text, &e)))?;
    federation::check_query(&parsed).map_err(Refusal::bad_request)?;
    let answerable = match &parsed {
        spargebra::Query::Select { .. } | spargebra::Query::Ask { .. } => {
            Answerable::Table(results_format(request, operation.format.as_deref())?)
        }
        _ => Answerable::Graph(rdf_format(request, operation.format.as_deref())?),
    };
    let dataset = ProtocolDataset {
        default_graphs: graph_iris(&operation.default_graphs, "default-graph-uri")?,
        named_graphs: graph_iris(&operation.named_graphs, "named-graph-uri")?,
    };
    let Some(_turn) = endpoint.admission.enter(endpoint.settings.timeout) else {
        return Err(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many queries are waiting; try again shortly",
        )
        .with_header(header::RETRY_AFTER, "5"));
    };
    let deadline = endpoint.watchdog.deadline(endpoint.settings.timeout);
    // A query cancelled inside a cartesian product unwinds (see `stopping`); it
    // holds nothing but its own state and a read snapshot, which unwinding drops.
    let evaluated = std::panic::catch_unwind(AssertUnwindSafe(|| {
        evaluate(endpoint, parsed, answerable, dataset, &deadline)
    }));
    let written = match evaluated {
        Ok(written) => written?,
        Err(_) if deadline.over_memory() => return Err(over_memory(endpoint)),
        Err(_) if deadline.passed() => return Err(timed_out(endpoint)),
        Err(_) => {
            return Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query failed inside the engine",
            ))
        }
    };
    let mut response = body_response(StatusCode::OK, &written.content_type, written.body);
    if written.truncated {
        // Virtuoso's header, which clients of Virtuoso already look for.
        response.headers_mut().insert(
            "X-SPARQL-MaxRows",
            HeaderValue::from(endpoint.settings.max_rows as u64),
        );
    }
    Ok(response)
}

/// Runs a query and writes its answer, up to the row cap.
fn evaluate(
    endpoint: &Endpoint,
    parsed: spargebra::Query,
    answerable: Answerable,
    dataset: ProtocolDataset,
    deadline: &Deadline,
) -> Result<Written, Refusal> {
    let max_rows = endpoint.settings.max_rows;
    let mut parsed = parsed;
    stopping::guard(&mut parsed);
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(deadline.token())
        .with_custom_function(
            NamedNode::new_unchecked(stopping::ALIVE),
            stopping::alive(deadline.token()),
        )
        .for_query(parsed);
    if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
        let specification = prepared.dataset_mut();
        specification.set_default_graph(
            dataset
                .default_graphs
                .into_iter()
                .map(GraphName::from)
                .collect(),
        );
        specification.set_available_named_graphs(
            dataset
                .named_graphs
                .into_iter()
                .map(NamedOrBlankNode::from)
                .collect(),
        );
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let failed = |error: QueryEvaluationError| {
        if deadline.over_memory() {
            return over_memory(endpoint);
        }
        evaluation_refusal(error, deadline.passed(), endpoint)
    };
    let results = prepared
        .on_store(&endpoint.oxigraph)
        .execute()
        .map_err(failed)?;
    let io = |e: std::io::Error| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    let mut body = Vec::new();
    let mut truncated = false;
    let content_type = match (results, answerable) {
        (QueryResults::Solutions(solutions), Answerable::Table(format)) => {
            let mut writer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut body, solutions.variables().to_vec())
                .map_err(io)?;
            for (rows, solution) in solutions.enumerate() {
                let solution = solution.map_err(failed)?;
                if rows == max_rows {
                    truncated = true;
                    break;
                }
                writer.serialize(&solution).map_err(io)?;
            }
            writer.finish().map_err(io)?;
            format.media_type().to_string()
        }
        (QueryResults::Boolean(value), Answerable::Table(format)) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut body, value)
                .map_err(io)?;
            format.media_type().to_string()
        }
        (QueryResults::Graph(triples), Answerable::Graph(format)) => {
            let mut writer = rdf_serializer(format).for_writer(&mut body);
            for (count, triple) in triples.enumerate() {
                let triple = triple.map_err(failed)?;
                if count == max_rows {
                    truncated = true;
                    break;
                }
                writer.serialize_triple(&triple).map_err(io)?;
            }
            writer.finish().map_err(io)?;
            rdf_content_type(format)
        }
        _ => {
            return Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query's answer is not of the kind its form promised",
            ))
        }
    };
    Ok(Written {
        body,
        content_type,
        truncated,
    })
}

fn timed_out(endpoint: &Endpoint) -> Refusal {
    Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the query ran past the {} s limit and was stopped (--timeout); narrow it or add a LIMIT",
            endpoint.settings.timeout.as_secs_f64()
        ),
    )
}

fn over_memory(endpoint: &Endpoint) -> Refusal {
    Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the query was stopped: the server's memory passed its {} MB limit (--max-memory); narrow the query or add a LIMIT",
            endpoint.settings.max_memory.unwrap_or(0) >> 20
        ),
    )
}

fn evaluation_refusal(error: QueryEvaluationError, late: bool, endpoint: &Endpoint) -> Refusal {
    use QueryEvaluationError as E;
    if late || matches!(error, E::Cancelled) {
        return timed_out(endpoint);
    }
    match error {
        // Refused before evaluation (`federation`); kept should one slip through.
        E::Service(_) | E::UnsupportedService(_) | E::UnboundService | E::InvalidServiceName(_) => {
            Refusal::bad_request(federation::REFUSAL)
        }
        E::Dataset(e) | E::Unexpected(e) => Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the store failed: {e}"),
        ),
        other => Refusal::bad_request(format!("the query failed: {other}")),
    }
}

fn update(endpoint: &Endpoint, request: &Request<Body>, operation: Operation) -> Answer {
    let base = format!("{}{}", endpoint.origin_url(request), request.uri().path());
    crate::nesting::check(&operation.text, "update").map_err(Refusal::bad_request)?;
    let parsed = parser(&base)?
        .parse_update(&operation.text)
        .map_err(|e| Refusal::from(sparql_syntax("update", &operation.text, &e)))?;
    federation::check_update(&parsed).map_err(Refusal::bad_request)?;
    let protocol_dataset =
        !operation.default_graphs.is_empty() || !operation.named_graphs.is_empty();
    if protocol_dataset
        && parsed.operations.iter().any(|op| {
            matches!(
                op,
                GraphUpdateOperation::DeleteInsert { using: Some(_), .. }
            )
        })
    {
        return Err(Refusal::bad_request(
            "using-graph-uri or using-named-graph-uri cannot go with an update that has USING or WITH",
        ));
    }
    let default_graphs = graph_iris(&operation.default_graphs, "using-graph-uri")?;
    let named_graphs = graph_iris(&operation.named_graphs, "using-named-graph-uri")?;
    let mut late = false;
    let mut over = false;
    endpoint
        .write(|touched| {
            // The deadline starts once the write's turn has come.
            let deadline = endpoint.watchdog.deadline(endpoint.settings.timeout);
            let mut prepared = SparqlEvaluator::new()
                .with_cancellation_token(deadline.token())
                .for_update(parsed);
            for dataset in prepared.using_datasets_mut() {
                if protocol_dataset {
                    dataset.set_default_graph(
                        default_graphs
                            .iter()
                            .cloned()
                            .map(GraphName::from)
                            .collect(),
                    );
                    dataset.set_available_named_graphs(
                        named_graphs
                            .iter()
                            .cloned()
                            .map(NamedOrBlankNode::from)
                            .collect(),
                    );
                } else if dataset.is_default_dataset() {
                    dataset.set_default_graph_as_union();
                }
            }
            touched.everything();
            let done = prepared.on_store(&endpoint.oxigraph).execute();
            late = deadline.passed();
            over = deadline.over_memory();
            done?;
            Ok(())
        })
        .map_err(|error| {
            if over {
                over_memory(endpoint)
            } else if late {
                evaluation_refusal(QueryEvaluationError::Cancelled, true, endpoint)
            } else {
                Refusal::from(error)
            }
        })?;
    Ok(super::empty_response(StatusCode::NO_CONTENT))
}

/// What a bare GET of a SPARQL route answers: the SPARQL 1.1 Service
/// Description of this endpoint, or the query page for a browser.
fn service_description(endpoint: &Endpoint, request: &Request<Body>) -> Answer {
    if negotiation::names(header_text(request, header::ACCEPT), "text/html") {
        let mut response = super::empty_response(StatusCode::SEE_OTHER);
        response
            .headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
        return Ok(response);
    }
    let format = rdf_format(request, None)?;
    let here = format!("{}{}", endpoint.origin_url(request), request.uri().path());
    let update = if endpoint.settings.write_token.is_some() {
        ", sd:SPARQL11Update"
    } else {
        ""
    };
    let description = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix format: <http://www.w3.org/ns/formats/> .
[] a sd:Service ;
  sd:endpoint <{here}> ;
  sd:supportedLanguage sd:SPARQL11Query{update} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat format:SPARQL_Results_JSON, format:SPARQL_Results_XML, format:SPARQL_Results_CSV,
    format:SPARQL_Results_TSV, format:Turtle, format:N-Triples, format:RDF_XML, format:JSON-LD,
    format:N3, format:N-Quads, format:TriG .
"
    );
    let mut body = Vec::new();
    let mut writer = rdf_serializer(format).for_writer(&mut body);
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(description.as_bytes()) {
        let quad =
            quad.map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        writer
            .serialize_quad(&quad)
            .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    }
    writer
        .finish()
        .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(body_response(
        StatusCode::OK,
        &rdf_content_type(format),
        body,
    ))
}
