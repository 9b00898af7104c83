//! The analysts' pages: the query page, the list of sources, a source's page and
//! the live agreement graph. Our own small HTML, CSS and script, embedded in the
//! binary; a Content-Security-Policy keeps every page to this server.

use super::{body_response, method_not_allowed, url_params, Answer, Endpoint, Refusal};
use crate::credibility::explain::{self, Explanation, SourceExplanation};
use crate::error::Result;
use crate::named_queries;
use crate::output::cell;
use crate::resolve::{self, EntityKind};
use crate::store::CaseStore;
use crate::viz::{self, xml_escape as escape};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::sparql::QueryResults;

const QUERY_PAGE: &str = include_str!("assets/query.html");
const QUERY_SCRIPT: &str = include_str!("assets/query.js");
const STYLE: &str = include_str!("assets/style.css");

/// Our pages load nothing from anywhere else.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn answer(endpoint: &Endpoint, request: &Request<Body>, path: &str) -> Answer {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Err(method_not_allowed("GET, HEAD"));
    }
    let params = url_params(request);
    let param = |name: &str| first(&params, name);
    // Pages that query take a turn like queries do.
    let _turn = if matches!(path, "/sources" | "/source" | "/graph" | "/queries/prepare") {
        Some(
            endpoint
                .admission
                .enter(endpoint.settings.timeout)
                .ok_or_else(|| {
                    Refusal::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "too many requests are waiting; try again shortly",
                    )
                })?,
        )
    } else {
        None
    };
    match path {
        "/" => Ok(page(query_page())),
        "/assets/style.css" => Ok(asset("text/css; charset=utf-8", STYLE)),
        "/assets/query.js" => Ok(asset("text/javascript; charset=utf-8", QUERY_SCRIPT)),
        "/queries/prepare" => prepare(endpoint, &params),
        "/sources" => sources_page(endpoint).map(page).map_err(Refusal::from),
        "/source" => match param("name") {
            Some(name) => source_page(endpoint, name).map(page).map_err(Refusal::from),
            None => Err(Refusal::from(crate::error::Error::invalid(
                "name a source: /source?name=NAME",
            ))),
        },
        "/graph" => graph_page(&endpoint.store, &params),
        _ => Err(Refusal::new(StatusCode::NOT_FOUND, format!("nothing at {path}; the pages are /, /sources, /source?name=NAME and /graph; SPARQL is at /query, /update, /sparql and /store"))),
    }
}

/// The first non-blank value of a URL parameter.
fn first<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn asset(content_type: &str, text: &'static str) -> Response<Body> {
    let mut response = body_response(StatusCode::OK, content_type, Vec::new());
    *response.body_mut() = Body::from(text);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=300"),
    );
    response
}

fn page(html: String) -> Response<Body> {
    let mut response = body_response(
        StatusCode::OK,
        "text/html; charset=utf-8",
        html.into_bytes(),
    );
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · credgraph</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
<body><header><nav><b>credgraph</b> <a href=\"/\">Query</a> <a href=\"/sources\">Sources</a> <a href=\"/graph\">Agreement graph</a></nav></header>\
<main>{body}</main></body></html>\n",
        title = escape(title)
    )
}

/// JSON made safe inside a `<script>` element.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

fn query_page() -> String {
    let named: Vec<serde_json::Value> = named_queries::all()
        .iter()
        .map(|q| {
            serde_json::json!({
                "name": q.name,
                "description": q.description,
                "text": q.text,
                "params": q.params.iter().map(|p| serde_json::json!({
                    "name": p.name,
                    "kind": p.kind.name(),
                    "optional": p.optional,
                    "description": p.description,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let prefixes: serde_json::Map<String, serde_json::Value> = crate::vocab::PREFIXES
        .iter()
        .map(|(p, n)| (p.to_string(), serde_json::Value::from(*n)))
        .collect();
    QUERY_PAGE
        .replace("{{NAMED}}", &script_json(&serde_json::Value::from(named)))
        .replace(
            "{{PREFIXES}}",
            &script_json(&serde_json::Value::Object(prefixes)),
        )
}

/// `/queries/prepare?name=NAME&PARAM=VALUE...`: a named query's text with its
/// parameters bound (names resolved to IRIs), for the query page's editor; with
/// `portable=1`, with the PREFIX lines other engines need.
fn prepare(endpoint: &Endpoint, params: &[(String, String)]) -> Answer {
    let name = params
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| Refusal::bad_request("give the query's name: ?name=NAME"))?;
    let query = named_queries::find(name)?;
    let given: Vec<(String, String)> = params
        .iter()
        .filter(|(k, v)| k != "name" && k != "portable" && !v.trim().is_empty())
        .cloned()
        .collect();
    if let Some((key, _)) = given
        .iter()
        .enumerate()
        .find(|(i, (key, _))| given[..*i].iter().any(|(k, _)| k == key))
        .map(|(_, pair)| pair)
    {
        return Err(Refusal::bad_request(format!(
            "the parameter {key} is given twice"
        )));
    }
    let mut text = named_queries::prepare(&endpoint.store, &query, &given)?;
    if first(params, "portable").is_some_and(|v| v != "0" && v != "false") {
        text = crate::vocab::sparql_prologue() + &text;
    }
    Ok(body_response(
        StatusCode::OK,
        "application/sparql-query; charset=utf-8",
        text.into_bytes(),
    ))
}

/// Runs one of our own queries and renders it as a table; the cells of the
/// `linked` columns link to source pages.
fn table(endpoint: &Endpoint, text: &str, linked: &[&str], empty: &str) -> Result<String> {
    let timeout = endpoint.settings.timeout;
    let deadline = endpoint.watchdog.deadline(timeout);
    let late = |error: crate::error::Error| {
        if deadline.passed() {
            crate::error::Error::Evaluation(format!(
                "a part of this page took longer than the {} s limit (--timeout)",
                timeout.as_secs_f64()
            ))
        } else {
            error
        }
    };
    crate::nesting::check(text, "query").map_err(crate::error::Error::invalid)?;
    let mut prepared = crate::store::evaluator()
        .with_cancellation_token(deadline.token())
        .parse_query(text)
        .map_err(|e| crate::error::sparql_syntax("query", text, &e))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let results = prepared
        .on_store(&endpoint.oxigraph)
        .execute()
        .map_err(|e| late(e.into()))?;
    let QueryResults::Solutions(solutions) = results else {
        return Ok(String::new());
    };
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let mut html = String::from("<table><thead><tr>");
    for variable in &variables {
        html.push_str(&format!("<th>{}</th>", escape(&variable.replace('_', " "))));
    }
    html.push_str("</tr></thead><tbody>");
    let mut rows = 0;
    for solution in solutions {
        let solution = solution.map_err(|e| late(e.into()))?;
        html.push_str("<tr>");
        for variable in &variables {
            let text = cell(solution.get(variable.as_str()));
            if linked.contains(&variable.as_str()) && !text.is_empty() {
                html.push_str(&format!("<td>{}</td>", source_link(&text)));
            } else {
                html.push_str(&format!("<td>{}</td>", escape(&text)));
            }
        }
        html.push_str("</tr>");
        rows += 1;
    }
    html.push_str("</tbody></table>");
    if rows == 0 {
        return Ok(format!("<p class=\"none\">{}</p>", escape(empty)));
    }
    Ok(html)
}

fn source_link(name: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!(
        "<a href=\"/source?name={}\">{}</a>",
        escape(&encoded),
        escape(name)
    )
}

fn named(store: &CaseStore, name: &str, source: &str) -> Result<String> {
    let query = named_queries::find(name)?;
    named_queries::prepare(store, &query, &[("source".to_string(), source.to_string())])
}

fn sources_page(endpoint: &Endpoint) -> Result<String> {
    let store = &endpoint.store;
    let text = named_queries::prepare(store, &named_queries::find("sources")?, &[])?;
    let body = format!(
        "<h1>Sources</h1><p>Every person, organization and outlet in the store; open one for its posts, statements, corroborators and credibility.</p>{}",
        table(endpoint, &text, &["name"], "The store has no sources yet: load statements with `credgraph load`.")?
    );
    Ok(layout("Sources", &body))
}

fn source_page(endpoint: &Endpoint, name: &str) -> Result<String> {
    let store = &endpoint.store;
    let source = resolve::entity(store, EntityKind::Source, name)?;
    let iri = source.as_str().to_string();
    let explanation = explain::explain(store, &iri)
        .ok()
        .filter(|e| matches!(e, Explanation::Source(_)));
    let scored = match &explanation {
        Some(Explanation::Source(source)) => Some(source),
        _ => None,
    };
    let label = crate::credibility::explain::name_of(store, source.as_ref())?;
    let mut body = format!(
        "<h1>{}</h1><p class=\"iri\">{}</p>",
        escape(&label),
        escape(&iri)
    );
    body.push_str("<h2>Credibility</h2>");
    body.push_str(&credibility_section(scored));
    body.push_str("<h2>Posts</h2>");
    body.push_str(&table(
        endpoint,
        &named(store, "source-posts", &iri)?,
        &[],
        "No posts recorded.",
    )?);
    body.push_str("<h2 id=\"statements\">Statements</h2><p>With the reporting chain each was read through.</p>");
    body.push_str(&table(
        endpoint,
        &named(store, "source-statements", &iri)?,
        &[],
        "No statements recorded.",
    )?);
    body.push_str("<h2>Corroborated by</h2>");
    body.push_str(&table(
        endpoint,
        &named(store, "corroborators", &iri)?,
        &["corroborator"],
        "No independent source agrees with this one (or `credgraph reason` has not run).",
    )?);
    body.push_str("<h2>Contradicted by</h2>");
    let contradicting = named_queries::prepare(
        store,
        &named_queries::find("who-contradicts-whom")?,
        &[("source".to_string(), iri.clone())],
    )?;
    body.push_str(&table(
        endpoint,
        &contradicting,
        &["source_a", "source_b"],
        "No source contradicts this one (or `credgraph reason` has not run).",
    )?);
    if let Some(explanation) = &explanation {
        body.push_str("<h2>Why this credibility</h2><pre class=\"explanation\">");
        body.push_str(&escape(&explain::to_text(explanation)));
        body.push_str("</pre>");
    }
    let encoded: String = form_urlencoded::byte_serialize(label.as_bytes()).collect();
    body.push_str(&format!(
        "<p><a href=\"/graph?focus={encoded}\">This source in the agreement graph</a></p>"
    ));
    Ok(layout(&label, &body))
}

fn credibility_section(explanation: Option<&SourceExplanation>) -> String {
    let Some(explanation) = explanation.filter(|e| !e.assessments.is_empty()) else {
        return "<p class=\"none\">Not scored yet: run <code>credgraph score</code>.</p>".into();
    };
    let mut html = String::from(
        "<table><thead><tr><th>method</th><th>credibility</th><th>90% interval</th><th>evidence</th><th>grade</th></tr></thead><tbody>",
    );
    for assessment in &explanation.assessments {
        let interval = match (assessment.lower, assessment.upper) {
            (Some(lower), Some(upper)) => format!("{lower:.2} – {upper:.2}"),
            _ => String::new(),
        };
        let grade = match (&assessment.grade, &assessment.grade_words) {
            (Some(grade), Some(words)) => format!("<b>{}</b> {}", escape(grade), escape(words)),
            (Some(grade), None) => format!("<b>{}</b>", escape(grade)),
            _ => String::new(),
        };
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"number\">{:.3}</td><td>{interval}</td><td class=\"number\">{}</td><td>{grade}</td></tr>",
            escape(&assessment.method),
            assessment.value,
            assessment.evidence.map(|e| e.to_string()).unwrap_or_default(),
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// `/graph`: the agreement graph drawn live from the store, with the same
/// filters as `credgraph viz`, given as URL parameters.
fn graph_page(store: &CaseStore, params: &[(String, String)]) -> Answer {
    let param = |name: &str| first(params, name);
    let number = |name: &str, default: u64| -> std::result::Result<u64, Refusal> {
        param(name).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| Refusal::bad_request(format!("{name}={v} is not a whole number")))
        })
    };
    let options = viz::Options {
        view: viz::View::parse(param("view").unwrap_or("sources"))?,
        focus: param("focus").map(str::to_string),
        question: param("question").map(str::to_string),
        from: param("from").map(str::to_string),
        to: param("to").map(str::to_string),
        min_weight: number("min-weight", 1)?.max(1) as usize,
        independent_only: param("independent-only").is_some_and(|v| v != "false" && v != "0"),
        method: param("method").unwrap_or("dependence-aware").to_string(),
        seed: number("seed", 1)?,
        pair_details: true,
    };
    let mut picture = viz::read(store, &options)?;
    viz::layout::lay_out(&mut picture, options.seed);
    let mut html = Vec::new();
    viz::write(&picture, viz::Format::Html, &mut html)?;
    // The page's own meta policy forbids every request; the headers add what a
    // meta policy cannot say.
    let mut response = body_response(StatusCode::OK, "text/html; charset=utf-8", html);
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    );
    Ok(response)
}
