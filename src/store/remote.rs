//! A remote SPARQL 1.1 engine as the case store: queries and updates by the SPARQL
//! Protocol (form POST, an explicit Accept header), writes by the Graph Store
//! Protocol or `INSERT DATA` in chunks, answers parsed with `sparesults`.
//!
//! Engines differ, and each difference is handled here:
//! - Virtuoso 7.2.5 hangs on a direct POST of `application/sparql-query`, so
//!   every query and update goes as a form;
//! - Virtuoso cuts answers at its `ResultSetMaxRows` and says so only in an
//!   `X-SPARQL-MaxRows` header: a cut answer is never taken as complete. A SELECT
//!   is then fetched again in pages (ORDER BY every variable, LIMIT, OFFSET) no
//!   larger than the cut; credgraph's own large reads (statements, claim tables,
//!   a graph's triples) go in parts by a hash of their subject instead, which the
//!   engine answers without sorting ([`Remote::scan`]); any other cut answer is
//!   an error;
//! - Virtuoso writes XML results six times as fast as JSON, so XML is asked for
//!   first;
//! - engines lay out their URLs differently, so query, update and graph store
//!   URLs are given apart (see [`EndpointConfig`]).

use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::{QueryResults, QuerySolutionIter, QueryTripleIter, Variable};
use sparesults::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ureq::http::{Request, Response, StatusCode};
use ureq::Body;

/// How to reach an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConfig {
    /// Where queries go (SPARQL Protocol).
    pub query: String,
    /// Where updates go (SPARQL Protocol).
    pub update: String,
    /// The Graph Store Protocol URL, when the engine has one; without it writes go
    /// as `INSERT DATA`.
    pub store: Option<String>,
    pub auth: Auth,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for an answer (each request).
    pub timeout: Duration,
    /// Fetch SELECT answers in pages of this many rows from the start; without it a
    /// SELECT is paged only when the engine cuts its answer.
    pub page_size: Option<u64>,
    /// Triples per write request.
    pub chunk: usize,
    /// Times a failed write request is tried again.
    pub retries: u32,
}

impl EndpointConfig {
    /// One URL for queries and updates, no graph store, no authentication.
    pub fn new(url: &str) -> Self {
        EndpointConfig {
            query: url.to_string(),
            update: url.to_string(),
            store: None,
            auth: Auth::None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(300),
            page_size: None,
            chunk: 10_000,
            retries: 2,
        }
    }
}

/// How requests authenticate. Secrets come from a file or the environment, never
/// from the command line.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Basic { user: String, password: String },
    Digest { user: String, password: String },
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret.
        match self {
            Auth::None => write!(f, "none"),
            Auth::Basic { user, .. } => write!(f, "basic as {user}"),
            Auth::Digest { user, .. } => write!(f, "digest as {user}"),
            Auth::Bearer(_) => write!(f, "bearer token"),
        }
    }
}

/// What kind of answer a query gives.
#[derive(Debug, Clone, Copy)]
pub enum Form<'a> {
    /// SELECT; when it can be fetched in pages, the query to page (without
    /// prologue, as it goes into a subquery) and its variables.
    Select(Option<(&'a str, &'a [Variable])>),
    Ask,
    /// CONSTRUCT or DESCRIBE.
    Graph,
}

/// A connection to an engine.
pub struct Remote {
    config: EndpointConfig,
    agent: ureq::Agent,
    /// The last digest challenge, reused (with a growing nonce count) until the
    /// engine sends a new one.
    challenge: Mutex<Option<digest_auth::WwwAuthenticateHeader>>,
    /// The row count at which the engine has cut an answer (0: not seen yet), so
    /// that later large reads go straight to pages.
    cut_at: AtomicU64,
}

/// An answer's body and what its headers said.
struct Answer {
    content_type: String,
    max_rows: Option<u64>,
    body: Body,
}

/// The largest page fetched when an engine cut an answer and no --page-size was
/// given: each page sorts the whole answer, and Virtuoso 7.2 crashed sorting
/// pages of a million rows.
const AUTOMATIC_PAGE: u64 = 200_000;

/// XML first: Virtuoso 7.2 writes XML results six times as fast as JSON (2.3 s
/// against 13 s for 200,000 rows).
const SELECT_ACCEPT: &str = "application/sparql-results+xml, application/sparql-results+json;q=0.9, text/tab-separated-values;q=0.5";
const GRAPH_ACCEPT: &str =
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.4";

impl Remote {
    pub fn new(config: EndpointConfig) -> Result<Self> {
        for url in [
            Some(&config.query),
            Some(&config.update),
            config.store.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            check_url(url)?;
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_recv_response(Some(config.timeout))
            .timeout_recv_body(Some(config.timeout))
            .timeout_send_body(Some(config.timeout))
            .user_agent(concat!("credgraph/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Remote {
            config,
            agent,
            challenge: Mutex::new(None),
            cut_at: AtomicU64::new(0),
        })
    }

    pub fn config(&self) -> &EndpointConfig {
        &self.config
    }

    /// Runs a query (already free of prefixes we predeclare) and parses the answer.
    pub fn query(&self, text: &str, form: Form<'_>) -> Result<QueryResults<'static>> {
        self.query_in(text, form, None)
    }

    /// [`Self::query`] with the default graph set to one graph, by the protocol's
    /// `default-graph-uri` (so that the query itself can still be paged).
    pub fn query_in(
        &self,
        text: &str,
        form: Form<'_>,
        default_graph: Option<&NamedNode>,
    ) -> Result<QueryResults<'static>> {
        let pageable = match form {
            Form::Select(pageable) => pageable,
            _ => None,
        };
        if let (Some(size), Some((inner, variables))) = (self.config.page_size, pageable) {
            return self.paged(inner, variables, size, default_graph);
        }
        let accept = match form {
            Form::Graph => GRAPH_ACCEPT,
            _ => SELECT_ACCEPT,
        };
        let answer = self.post_query(text, accept, default_graph)?;
        if let Some(max) = answer.max_rows {
            // The engine cut the answer.
            self.cut_at.store(max, Ordering::Relaxed);
            return match pageable {
                Some((inner, variables)) if max > 0 => {
                    self.paged(inner, variables, max.min(AUTOMATIC_PAGE), default_graph)
                }
                _ => Err(self.cut(max)),
            };
        }
        let results = self.parse_answer(answer)?;
        match (form, results) {
            // Virtuoso answers an ASK with one row binding `__ASK_RETVAL` to 1 or 0.
            (Form::Ask, QueryResults::Solutions(mut solutions)) => {
                let first = solutions.next().transpose()?;
                let value = first
                    .as_ref()
                    .and_then(|row| row.get(0))
                    .map(|term| match term {
                        Term::Literal(literal) => matches!(literal.value(), "1" | "true"),
                        _ => false,
                    });
                Ok(QueryResults::Boolean(value.unwrap_or(false)))
            }
            (_, results) => Ok(results),
        }
    }

    /// The rows of a graph pattern whose first variable is bound to an IRI or a
    /// literal in every row (a triple pattern's subject, as in credgraph's own
    /// column reads). When the engine cuts answers (or --page-size is given), the
    /// rows come in parts by a hash of the first variable: the first hex digits of
    /// `MD5(STR(?key))`, as many parts as keep each under the limit. A part costs
    /// the engine one scan and no sort, where an ordered page sorts the whole
    /// answer (Virtuoso 7.2 took 12 s to sort a page of 200,000 rows of a
    /// 1.15-million-row answer, 6 s for a part). The parts must add up to the
    /// engine's count of the whole, or the read is an error.
    pub fn scan(
        &self,
        pattern: &str,
        variables: &[Variable],
        default_graph: Option<&NamedNode>,
    ) -> Result<QueryResults<'static>> {
        let projection: String = variables.iter().map(|v| format!(" {v}")).collect();
        // The prologue and projection every request of the scan begins with.
        let select = format!("{}SELECT{projection}", vocab::sparql_prologue());
        let limit = match (self.config.page_size, self.cut_at.load(Ordering::Relaxed)) {
            (Some(size), _) => Some(size),
            // No cut seen yet: ask for everything, and go by parts only if it is cut.
            (None, 0) => None,
            (None, max) => Some(max),
        };
        let rows = match limit {
            Some(limit) => self.scan_in_parts(&select, pattern, variables, limit, default_graph)?,
            None => {
                let text = format!("{select} WHERE {{ {pattern} }}");
                let answer = self.post_query(&text, SELECT_ACCEPT, default_graph)?;
                match answer.max_rows {
                    None => self.rows(answer, variables)?,
                    Some(0) => return Err(self.cut(0)),
                    Some(max) => {
                        self.cut_at.store(max, Ordering::Relaxed);
                        self.scan_in_parts(&select, pattern, variables, max, default_graph)?
                    }
                }
            }
        };
        Ok(QueryResults::Solutions(QuerySolutionIter::from_tuples(
            Arc::from(variables.to_vec()),
            rows.into_iter().map(Ok),
        )))
    }

    fn scan_in_parts(
        &self,
        select: &str,
        pattern: &str,
        variables: &[Variable],
        limit: u64,
        default_graph: Option<&NamedNode>,
    ) -> Result<Vec<Vec<Option<Term>>>> {
        let Some(key) = variables.first() else {
            return Err(Error::Internal("a scan needs a variable".into()));
        };
        let limit = limit.max(1);
        let count_text = format!(
            "{}SELECT (COUNT(*) AS ?rows) WHERE {{ {pattern} }}",
            vocab::sparql_prologue()
        );
        let count = self.count(&count_text, default_graph)?;
        // Aim at nine tenths of the limit, for the unevenness of the hash.
        let parts = count.div_ceil((limit * 9 / 10).max(1)).max(1);
        let mut pending: Vec<HashRange> = HashRange::covering(parts);
        let mut rows = Vec::with_capacity(count as usize);
        while let Some(range) = pending.pop() {
            let text = format!("{select} WHERE {{ {{ {pattern} }} {} }}", range.filter(key));
            let answer = self.post_query(&text, SELECT_ACCEPT, default_graph)?;
            if let Some(max) = answer.max_rows {
                // Too many rows in this part after all: halve it.
                let halves = range.halves().ok_or_else(|| self.cut(max))?;
                pending.extend(halves);
                continue;
            }
            rows.extend(self.rows(answer, variables)?);
        }
        if rows.len() as u64 != count {
            return Err(self.malformed(&format!(
                "{count} rows counted, {} read in parts by {key} (is {key} a blank node in some rows, or did the data change meanwhile?)",
                rows.len()
            )));
        }
        Ok(rows)
    }

    /// The number a `SELECT (COUNT(*) AS ?rows)` answers.
    fn count(&self, text: &str, default_graph: Option<&NamedNode>) -> Result<u64> {
        let answer = self.post_query(text, SELECT_ACCEPT, default_graph)?;
        let rows = self.rows(answer, &[Variable::new_unchecked("rows")])?;
        match rows.first().and_then(|row| row.first()) {
            Some(Some(Term::Literal(literal))) => literal
                .value()
                .parse()
                .map_err(|_| self.malformed(&format!("a count of {}", literal.value()))),
            _ => Err(self.malformed("a count without a number")),
        }
    }

    /// The rows of a SELECT answer, in the order of `variables`.
    fn rows(&self, answer: Answer, variables: &[Variable]) -> Result<Vec<Vec<Option<Term>>>> {
        let QueryResults::Solutions(solutions) = self.parse_answer(answer)? else {
            return Err(self.malformed("a SELECT was answered with a boolean"));
        };
        let position: Vec<Option<usize>> = variables
            .iter()
            .map(|v| solutions.variables().iter().position(|w| w == v))
            .collect();
        let mut rows = Vec::new();
        for solution in solutions {
            let solution = solution.map_err(|e| self.malformed(&e.to_string()))?;
            rows.push(
                position
                    .iter()
                    .map(|p| p.and_then(|i| solution.get(i).cloned()))
                    .collect(),
            );
        }
        Ok(rows)
    }

    fn cut(&self, max: u64) -> Error {
        Error::Endpoint(format!(
            "{} cut its answer at {max} rows (X-SPARQL-MaxRows) and the answer cannot be paged; raise the engine's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini) or ask a SELECT",
            self.config.query
        ))
    }

    /// A SELECT fetched page by page: the query as a subquery, ordered by every
    /// variable so that pages neither overlap nor skip.
    fn paged(
        &self,
        text: &str,
        variables: &[Variable],
        page_size: u64,
        default_graph: Option<&NamedNode>,
    ) -> Result<QueryResults<'static>> {
        let (prologue, body) = split_prologue(text);
        let order: String = variables.iter().map(|v| format!(" {v}")).collect();
        let mut rows = Vec::new();
        let mut offset = 0_u64;
        let mut size = page_size.max(1);
        loop {
            let page = if order.is_empty() {
                format!(
                    "{prologue}\nSELECT * WHERE {{ {{ {body}\n}} }} LIMIT {size} OFFSET {offset}"
                )
            } else {
                format!(
                    "{prologue}\nSELECT * WHERE {{ {{ {body}\n}} }} ORDER BY{order} LIMIT {size} OFFSET {offset}"
                )
            };
            let answer = self.post_query(&page, SELECT_ACCEPT, default_graph)?;
            if let Some(max) = answer.max_rows {
                if max == 0 {
                    return Err(self.cut(max));
                }
                if max < size {
                    // A smaller cut than the page: fetch this page again, smaller.
                    size = max;
                    continue;
                }
            }
            let page_rows = self.rows(answer, variables)?;
            let got = page_rows.len() as u64;
            rows.extend(page_rows.into_iter().map(Ok));
            if got < size {
                break;
            }
            offset += size;
        }
        Ok(QueryResults::Solutions(QuerySolutionIter::from_tuples(
            Arc::from(variables.to_vec()),
            rows,
        )))
    }

    fn parse_answer(&self, answer: Answer) -> Result<QueryResults<'static>> {
        let media = answer
            .content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if let Some(format) = QueryResultsFormat::from_media_type(&media) {
            let reader = answer.body.into_reader();
            let parsed = QueryResultsParser::from_format(format)
                .for_reader(reader)
                .map_err(|e| self.malformed(&e.to_string()))?;
            return Ok(match parsed {
                ReaderQueryResultsParserOutput::Boolean(value) => QueryResults::Boolean(value),
                ReaderQueryResultsParserOutput::Solutions(parser) => {
                    // Errors inside the stream surface when the rows are read.
                    let variables: Arc<[Variable]> = parser.variables().into();
                    let endpoint = self.config.query.clone();
                    let row_variables = Arc::clone(&variables);
                    QueryResults::Solutions(QuerySolutionIter::new(
                        variables,
                        parser.map(move |row| {
                            let row = row.map_err(|e| {
                                oxigraph::sparql::QueryEvaluationError::Service(
                                    format!("{endpoint} sent an answer that does not parse: {e}")
                                        .into(),
                                )
                            })?;
                            let values: Vec<Option<Term>> = row
                                .values()
                                .iter()
                                .map(|v| v.clone().map(canonical))
                                .collect();
                            Ok((Arc::clone(&row_variables), values).into())
                        }),
                    ))
                }
            });
        }
        let format = RdfFormat::from_media_type(&media)
            .or(if media == "text/plain" {
                Some(RdfFormat::NTriples)
            } else {
                None
            })
            .ok_or_else(|| {
                self.malformed(&format!(
                    "the answer's content type '{media}' is not a SPARQL results or RDF format"
                ))
            })?;
        let endpoint = self.config.query.clone();
        let triples = RdfParser::from_format(format)
            .for_reader(answer.body.into_reader())
            .map(move |quad| {
                quad.map(|quad| {
                    let triple = Triple::from(quad);
                    Triple::new(triple.subject, triple.predicate, canonical(triple.object))
                })
                .map_err(|e| {
                    oxigraph::sparql::QueryEvaluationError::Service(
                        format!("{endpoint} sent an answer (RDF) that does not parse: {e}").into(),
                    )
                })
            });
        Ok(QueryResults::Graph(QueryTripleIter::new(triples)))
    }

    fn malformed(&self, what: &str) -> Error {
        Error::Endpoint(format!(
            "{} sent an answer that does not parse: {what}",
            self.config.query
        ))
    }

    /// Runs an update.
    pub fn update(&self, text: &str) -> Result<()> {
        let answer = self.post_form(&self.config.update, "update", text, "*/*")?;
        drop(answer);
        Ok(())
    }

    /// Adds triples to one graph, in one request: by the Graph Store Protocol when
    /// the engine has it, else by `INSERT DATA`. Tried again `retries` times.
    pub fn insert(&self, graph: &NamedNode, triples: &[Triple]) -> Result<()> {
        let skolemized: Vec<Triple>;
        let triples = if triples.iter().any(has_blank_node) {
            skolemized = triples.iter().map(skolemize).collect();
            &skolemized
        } else {
            triples
        };
        let mut last = None;
        for _ in 0..=self.config.retries {
            let tried = match &self.config.store {
                Some(store) => {
                    let mut body = String::with_capacity(triples.len() * 120);
                    for triple in triples {
                        let _ = writeln!(body, "{triple} .");
                    }
                    let url = format!("{store}?graph={}", encode(graph.as_str()));
                    self.send(
                        "POST",
                        &url,
                        Some("application/n-triples"),
                        "*/*",
                        body.into_bytes(),
                    )
                    .map(drop)
                }
                None => self.update(&insert_data(graph, triples, "INSERT")),
            };
            match tried {
                Ok(()) => return Ok(()),
                // Wrong credentials or a refused request do not get better by trying again.
                Err(error @ Error::EndpointRefused(_)) => return Err(error),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| Error::Internal("no write was tried".into())))
    }

    /// Removes triples from one graph, in one request.
    pub fn delete(&self, graph: &NamedNode, triples: &[Triple]) -> Result<()> {
        let triples: Vec<Triple> = triples.iter().map(skolemize).collect();
        self.update(&insert_data(graph, &triples, "DELETE"))
    }

    fn post_query(
        &self,
        text: &str,
        accept: &str,
        default_graph: Option<&NamedNode>,
    ) -> Result<Answer> {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("query", text);
        if let Some(graph) = default_graph {
            body.append_pair("default-graph-uri", graph.as_str());
        }
        self.send(
            "POST",
            &self.config.query,
            Some("application/x-www-form-urlencoded"),
            accept,
            body.finish().into_bytes(),
        )
    }

    fn post_form(&self, url: &str, field: &str, text: &str, accept: &str) -> Result<Answer> {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair(field, text)
            .finish();
        self.send(
            "POST",
            url,
            Some("application/x-www-form-urlencoded"),
            accept,
            body.into_bytes(),
        )
    }

    /// One request, authenticated; a digest challenge is answered once.
    fn send(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        accept: &str,
        body: Vec<u8>,
    ) -> Result<Answer> {
        let mut answered_challenge = false;
        loop {
            let mut request = Request::builder()
                .method(method)
                .uri(url)
                .header("Accept", accept);
            if let Some(content_type) = content_type {
                request = request.header("Content-Type", content_type);
            }
            if let Some(authorization) = self.authorization(method, url, &body)? {
                request = request.header("Authorization", authorization);
            }
            let request = request
                .body(body.clone())
                .map_err(|e| Error::invalid(format!("{url}: not a usable URL: {e}")))?;
            let response = self
                .agent
                .run(request)
                .map_err(|e| self.unreachable(url, e))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED {
                if let (Auth::Digest { .. }, false) = (&self.config.auth, answered_challenge) {
                    if let Some(challenge) = digest_challenge(&response) {
                        *self.challenge.lock().unwrap_or_else(|e| e.into_inner()) = Some(challenge);
                        answered_challenge = true;
                        continue;
                    }
                }
                return Err(Error::EndpointRefused(format!(
                    "{url} refused the request (HTTP 401 Unauthorized): {}",
                    match &self.config.auth {
                        Auth::None => "it needs credentials (--auth, --user and CREDGRAPH_ENDPOINT_PASSWORD or --password-file)".to_string(),
                        auth => format!("the credentials ({auth:?}) were not accepted"),
                    }
                )));
            }
            if status == StatusCode::FORBIDDEN {
                return Err(Error::EndpointRefused(format!(
                    "{url} refused the request (HTTP 403 Forbidden): the account may lack the right to {}",
                    if method == "POST" && url == self.config.query { "query" } else { "write" }
                )));
            }
            if !status.is_success() {
                let mut text = error_text(response);
                if text.contains("SR353") {
                    text.push_str(" (Virtuoso pages past MaxSortedTopRows rows only when it is raised in virtuoso.ini; see the README)");
                }
                return Err(Error::Endpoint(format!(
                    "{url} answered HTTP {}{}",
                    status.as_u16(),
                    if text.is_empty() {
                        String::new()
                    } else {
                        format!(": {text}")
                    }
                )));
            }
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let content_type = header("content-type").unwrap_or_default();
            let max_rows = header("x-sparql-maxrows").and_then(|v| v.trim().parse().ok());
            return Ok(Answer {
                content_type,
                max_rows,
                body: response.into_body(),
            });
        }
    }

    fn authorization(&self, method: &str, url: &str, body: &[u8]) -> Result<Option<String>> {
        Ok(match &self.config.auth {
            Auth::None => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64(format!("{user}:{password}").as_bytes())
            )),
            Auth::Digest { user, password } => {
                let mut challenge = self.challenge.lock().unwrap_or_else(|e| e.into_inner());
                let Some(challenge) = challenge.as_mut() else {
                    return Ok(None);
                };
                let uri = path_and_query(url);
                let context = digest_auth::AuthContext::new_with_method(
                    user.as_str(),
                    password.as_str(),
                    uri,
                    Some(body),
                    digest_auth::HttpMethod::from(method.to_string()),
                );
                let answer = challenge.respond(&context).map_err(|e| {
                    Error::Endpoint(format!("{url}: cannot answer its digest challenge: {e}"))
                })?;
                Some(answer.to_header_string())
            }
        })
    }

    fn unreachable(&self, url: &str, error: ureq::Error) -> Error {
        match error {
            ureq::Error::Timeout(what) => Error::Endpoint(format!(
                "{url} did not answer in time ({what}; the limits are {} s to connect and {} s for an answer, --endpoint-timeout)",
                self.config.connect_timeout.as_secs(),
                self.config.timeout.as_secs()
            )),
            ureq::Error::Io(e) => Error::Endpoint(format!(
                "cannot reach the SPARQL endpoint {url}: {e} (is the engine running?)"
            )),
            ureq::Error::ConnectionFailed => Error::Endpoint(format!(
                "cannot reach the SPARQL endpoint {url}: the connection failed (is the engine running?)"
            )),
            ureq::Error::HostNotFound => {
                Error::Endpoint(format!("cannot reach {url}: the host is not known"))
            }
            other => Error::Endpoint(format!("cannot talk to {url}: {other}")),
        }
    }
}

/// A query's prologue (PREFIX and BASE declarations, and comments among them)
/// and the rest, so that the rest can become a subquery.
pub fn split_prologue(text: &str) -> (&str, &str) {
    let mut at = 0;
    // Just after the last declaration.
    let mut end = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with('#') {
            at += trimmed.find('\n').map_or(trimmed.len(), |end| end + 1);
            continue;
        }
        let keyword = trimmed.get(..6).map(str::to_ascii_uppercase);
        let declaration = match keyword.as_deref() {
            Some("PREFIX") => true,
            _ => trimmed
                .get(..4)
                .is_some_and(|k| k.eq_ignore_ascii_case("BASE")),
        };
        if !declaration {
            break;
        }
        match trimmed.find('>') {
            Some(close) => {
                at += close + 1;
                end = at;
            }
            None => break,
        }
    }
    (&text[..end], &text[end..])
}

/// A range of hash buckets: the values of the first `digits` hex digits of
/// `MD5(STR(?key))` from `low` to `high`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HashRange {
    digits: u32,
    low: u64,
    high: u64,
}

/// The most hex digits a part is told apart by (16^15 buckets fit in a u64).
const MAX_HASH_DIGITS: u32 = 15;

impl HashRange {
    /// `parts` ranges that together cover every key.
    fn covering(parts: u64) -> Vec<HashRange> {
        let mut digits = 1;
        while 16_u64.pow(digits) < parts && digits < MAX_HASH_DIGITS {
            digits += 1;
        }
        let buckets = 16_u64.pow(digits);
        let parts = parts.clamp(1, buckets);
        (0..parts)
            .map(|i| HashRange {
                digits,
                low: i * buckets / parts,
                high: (i + 1) * buckets / parts - 1,
            })
            .collect()
    }

    /// The two halves of the range; a single bucket is split by one more digit.
    /// `None` past [`MAX_HASH_DIGITS`].
    fn halves(self) -> Option<[HashRange; 2]> {
        let HashRange { digits, low, high } = self;
        let (digits, low, high) = if low < high {
            (digits, low, high)
        } else if digits < MAX_HASH_DIGITS {
            (digits + 1, low * 16, low * 16 + 15)
        } else {
            return None;
        };
        let middle = low + (high - low) / 2;
        Some([
            HashRange {
                digits,
                low,
                high: middle,
            },
            HashRange {
                digits,
                low: middle + 1,
                high,
            },
        ])
    }

    /// The SPARQL that keeps the rows whose key falls in the range.
    fn filter(&self, key: &Variable) -> String {
        let width = self.digits as usize;
        let hex = |bucket: u64| format!("\"{bucket:0width$x}\"");
        let hash = format!("SUBSTR(MD5(STR({key})), 1, {width})");
        if self.low == self.high {
            format!("FILTER({hash} = {})", hex(self.low))
        } else {
            format!(
                "BIND({hash} AS ?credgraph_part) FILTER(?credgraph_part >= {} && ?credgraph_part <= {})",
                hex(self.low),
                hex(self.high)
            )
        }
    }
}

/// Refuses URLs the client cannot use, before any request.
fn check_url(url: &str) -> Result<()> {
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    if !scheme_ok || url.parse::<ureq::http::Uri>().is_err() {
        return Err(Error::invalid(format!(
            "'{url}' is not an http:// or https:// URL of a SPARQL endpoint"
        )));
    }
    Ok(())
}

/// A term in the canonical form the embedded store gives: Virtuoso writes
/// `xsd:boolean` values as 1 and 0, which are valid but not canonical.
fn canonical(term: Term) -> Term {
    if let Term::Literal(literal) = &term {
        if literal.datatype() == oxigraph::model::vocab::xsd::BOOLEAN {
            let value = match literal.value() {
                "1" => "true",
                "0" => "false",
                _ => return term,
            };
            return oxigraph::model::Literal::new_typed_literal(
                value,
                oxigraph::model::vocab::xsd::BOOLEAN,
            )
            .into();
        }
    }
    term
}

fn has_blank_node(triple: &Triple) -> bool {
    triple.subject.is_blank_node() || triple.object.is_blank_node()
}

/// The triple with its blank nodes as Skolem IRIs (RDF 1.1, section 3.5). A write
/// to an engine goes in several requests, and a blank node is scoped to one
/// request; Virtuoso also refuses blank nodes in `INSERT DATA`. Loads name blank
/// nodes uniquely, so one node keeps one IRI across requests.
pub fn skolemize(triple: &Triple) -> Triple {
    let iri = |label: &str| NamedNode::new_unchecked(format!("{}{label}", vocab::graph::GENID));
    let subject: NamedOrBlankNode = match &triple.subject {
        NamedOrBlankNode::BlankNode(node) => iri(node.as_str()).into(),
        other => other.clone(),
    };
    let object = match &triple.object {
        Term::BlankNode(node) => iri(node.as_str()).into(),
        other => other.clone(),
    };
    Triple::new(subject, triple.predicate.clone(), object)
}

/// `INSERT DATA` (or `DELETE DATA`) of triples into one graph.
pub fn insert_data(graph: &NamedNode, triples: &[Triple], verb: &str) -> String {
    let mut text = String::with_capacity(triples.len() * 120 + 64);
    let _ = writeln!(text, "{verb} DATA {{ GRAPH {graph} {{");
    for triple in triples {
        let _ = writeln!(text, "{triple} .");
    }
    text.push_str("} }");
    text
}

fn digest_challenge(response: &Response<Body>) -> Option<digest_auth::WwwAuthenticateHeader> {
    response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.trim_start().to_ascii_lowercase().starts_with("digest"))
        .and_then(|v| digest_auth::parse(v).ok())
}

/// The start of an error answer's body, on one line.
fn error_text(response: Response<Body>) -> String {
    let mut text = String::new();
    let _ = response
        .into_body()
        .into_reader()
        .take(2_000)
        .read_to_string(&mut text);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(500).collect()
}

fn path_and_query(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_string()))
        .unwrap_or_else(|| "/".into())
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The quads of the rows of a SELECT over `GRAPH ?g { ?s ?p ?o }`, where the
/// parts given were constants of the pattern and so are not in the rows.
pub fn rows_to_quads(
    results: QueryResults<'static>,
    graph: Option<&NamedNode>,
    subject: Option<NamedOrBlankNode>,
    predicate: Option<NamedNode>,
    object: Option<Term>,
) -> Result<Vec<Quad>> {
    let QueryResults::Solutions(solutions) = results else {
        return Err(Error::Internal("a SELECT gave no solutions".into()));
    };
    let mut quads = Vec::new();
    for solution in solutions {
        let solution = solution?;
        let subject = match (&subject, solution.get("s")) {
            (Some(s), _) => s.clone(),
            (None, Some(Term::NamedNode(n))) => n.clone().into(),
            (None, Some(Term::BlankNode(b))) => b.clone().into(),
            _ => continue,
        };
        let predicate = match (&predicate, solution.get("p")) {
            (Some(p), _) => p.clone(),
            (None, Some(Term::NamedNode(p))) => p.clone(),
            _ => continue,
        };
        let object = match (&object, solution.get("o")) {
            (Some(o), _) => o.clone(),
            (None, Some(o)) => o.clone(),
            _ => continue,
        };
        let graph_name = match (graph, solution.get("g")) {
            (Some(g), _) => GraphName::NamedNode(g.clone()),
            (None, Some(Term::NamedNode(g))) => GraphName::NamedNode(g.clone()),
            _ => continue,
        };
        quads.push(Quad::new(subject, predicate, object, graph_name));
    }
    Ok(quads)
}

/// Graphs an engine keeps for itself, left out of `named_graphs` (and so of a
/// whole-store export): Virtuoso's system graphs, and staging graphs of writes.
pub fn is_engine_graph(graph: &NamedNode) -> bool {
    const ENGINE_GRAPHS: &[&str] = &[
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.w3.org/ns/ldp#",
        "http://www.w3.org/2002/07/owl#",
        "http://localuriqaserver/sparql",
        "http://localhost:8890/sparql",
        "http://localhost:8890/DAV/",
    ];
    ENGINE_GRAPHS.contains(&graph.as_str()) || graph.as_str().starts_with(vocab::graph::STAGING)
}

/// Writes quads through staging graphs: every graph's triples go in chunks into a
/// staging graph of this write, then one update moves them all into place (MOVE
/// for the graphs replaced, ADD for the others) and drops what `replace` names
/// but got no triple. When a chunk fails after its retries, the staging graphs are
/// dropped and the error says nothing was changed.
pub fn write_staged(
    remote: &Remote,
    replace: &[NamedNode],
    quads: impl IntoIterator<Item = Result<Quad>>,
) -> Result<()> {
    let write = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let chunk = remote.config().chunk.max(1);
    let mut pending: BTreeMap<NamedNode, Vec<Triple>> = BTreeMap::new();
    let mut staged: BTreeMap<NamedNode, (NamedNode, u64)> = BTreeMap::new();
    let bar = progress_bar();
    let mut written = 0_u64;
    let result = (|| -> Result<()> {
        let mut flush = |graph: &NamedNode, triples: &mut Vec<Triple>| -> Result<()> {
            let entry = staged
                .entry(graph.clone())
                .or_insert_with(|| (staging_graph(graph, &write), 0));
            remote.insert(&entry.0, triples).map_err(|e| {
                Error::Endpoint(format!(
                    "nothing was changed on the engine: writing {} triples of graph {graph} failed ({} written to a staging graph before, now dropped): {e}",
                    triples.len(),
                    entry.1
                ))
            })?;
            entry.1 += triples.len() as u64;
            written += triples.len() as u64;
            if let Some(bar) = &bar {
                bar.set_position(written);
            }
            triples.clear();
            Ok(())
        };
        for quad in quads {
            let quad = quad?;
            let GraphName::NamedNode(graph) = quad.graph_name.clone() else {
                return Err(Error::invalid(
                    "an engine's default graph is the union of its graphs: give the data a named graph (--graph)",
                ));
            };
            let triples = pending.entry(graph.clone()).or_default();
            triples.push(Triple::from(quad));
            if triples.len() >= chunk {
                flush(&graph, triples)?;
            }
        }
        for (graph, triples) in pending.iter_mut() {
            if !triples.is_empty() {
                flush(graph, triples)?;
            }
        }
        Ok(())
    })();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let drop_staging = |staged: &BTreeMap<NamedNode, (NamedNode, u64)>| {
        for (staging, _) in staged.values() {
            let _ = remote.update(&format!("DROP SILENT GRAPH {staging}"));
        }
    };
    if let Err(error) = result {
        drop_staging(&staged);
        return Err(error);
    }
    let mut operations = Vec::new();
    for graph in replace {
        if !staged.contains_key(graph) {
            operations.push(format!("DROP SILENT GRAPH {graph}"));
        }
    }
    for (graph, (staging, _)) in &staged {
        if replace.contains(graph) {
            operations.push(format!("MOVE SILENT {staging} TO {graph}"));
        } else {
            operations.push(format!("ADD SILENT {staging} TO {graph}"));
            operations.push(format!("DROP SILENT GRAPH {staging}"));
        }
    }
    if operations.is_empty() {
        return Ok(());
    }
    if let Err(error) = remote.update(&operations.join(" ;\n")) {
        drop_staging(&staged);
        return Err(Error::Endpoint(format!(
            "the engine refused to move the {written} staged triples into place, so they were dropped again: {error}"
        )));
    }
    Ok(())
}

/// A count of triples written, on a terminal only.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("writing to the engine: {pos} triples ({per_sec})")
            .expect("the template is valid"),
    );
    Some(bar)
}

/// The graph a load writes `graph`'s triples into on an engine before one update
/// moves them all into place.
pub fn staging_graph(graph: &NamedNode, load: &str) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "{}{load}/{}",
        vocab::graph::STAGING,
        md5_hex(graph.as_str())
    ))
}

fn md5_hex(text: &str) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ranges_cover_every_bucket_once() {
        for parts in [1, 2, 3, 7, 16, 17, 255, 256, 1000] {
            let ranges = HashRange::covering(parts);
            assert_eq!(ranges.len() as u64, parts);
            let buckets = 16_u64.pow(ranges[0].digits);
            assert!(buckets >= parts);
            let mut next = 0;
            for range in &ranges {
                assert_eq!(range.low, next, "{parts} parts: {ranges:?}");
                assert!(range.high >= range.low);
                next = range.high + 1;
            }
            assert_eq!(next, buckets);
        }
        // Halving a single bucket goes one digit deeper, and covers it exactly.
        let one = HashRange {
            digits: 1,
            low: 10,
            high: 10,
        };
        let [a, b] = one.halves().unwrap();
        assert_eq!((a.digits, a.low, a.high), (2, 160, 167));
        assert_eq!((b.digits, b.low, b.high), (2, 168, 175));
        let deepest = HashRange {
            digits: MAX_HASH_DIGITS,
            low: 3,
            high: 3,
        };
        assert!(deepest.halves().is_none());
    }

    #[test]
    fn a_hash_range_filters_by_the_leading_hex_digits() {
        let key = Variable::new_unchecked("s");
        let range = HashRange {
            digits: 2,
            low: 0x0a,
            high: 0x3f,
        };
        assert_eq!(
            range.filter(&key),
            "BIND(SUBSTR(MD5(STR(?s)), 1, 2) AS ?credgraph_part) FILTER(?credgraph_part >= \"0a\" && ?credgraph_part <= \"3f\")"
        );
        let bucket = HashRange {
            digits: 1,
            low: 15,
            high: 15,
        };
        assert_eq!(
            bucket.filter(&key),
            "FILTER(SUBSTR(MD5(STR(?s)), 1, 1) = \"f\")"
        );
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"dba:dba"), "ZGJhOmRiYQ==");
    }

    #[test]
    fn the_prologue_is_split_from_the_query() {
        let text = "# named query\nPREFIX cg: <https://w3id.org/credgraph/ns#>\n base <http://e/>\nSELECT ?s WHERE { ?s a cg:Statement } # done";
        let (prologue, body) = split_prologue(text);
        assert!(prologue.ends_with("base <http://e/>"), "{prologue}");
        assert!(body.trim_start().starts_with("SELECT ?s"), "{body}");
        assert_eq!(split_prologue("SELECT * {}"), ("", "SELECT * {}"));
    }

    #[test]
    fn urls_that_are_not_http_are_refused_before_any_request() {
        assert!(check_url("ftp://example.org/sparql").is_err());
        assert!(check_url("localhost:8890/sparql").is_err());
        assert!(check_url("http://127.0.0.1:8890/sparql").is_ok());
    }

    #[test]
    fn insert_data_writes_full_iris_into_the_graph() {
        let graph = NamedNode::new_unchecked("http://example.org/g");
        let triple = Triple::new(
            NamedNode::new_unchecked("http://example.org/s"),
            NamedNode::new_unchecked("http://example.org/p"),
            oxigraph::model::Literal::new_simple_literal("a \"quoted\" word"),
        );
        let text = insert_data(&graph, &[triple], "INSERT");
        assert!(text.starts_with("INSERT DATA { GRAPH <http://example.org/g> {"));
        assert!(text.contains("\"a \\\"quoted\\\" word\""), "{text}");
        spargebra::SparqlParser::new()
            .parse_update(&text)
            .expect("the update parses");
    }
}
