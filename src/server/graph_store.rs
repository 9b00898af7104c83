//! The SPARQL 1.1 Graph Store Protocol on `/store`: a graph named by
//! `?graph=IRI` (indirect), by the request's own URL under `/store/` (direct), or
//! the default graph by `?default`; and `/store` itself for the whole dataset.
//! A write parses the whole body first and applies it in one transaction, so a
//! bad document changes nothing.

use super::protocol::{rdf_content_type, RDF_OFFERS};
use super::{
    body_response, content_type, empty_response, method_not_allowed, multipart, negotiation,
    url_params, Answer, Endpoint, Refusal,
};
use crate::output::rdf_serializer;
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError, WriterQuadSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};
use oxigraph::store::{QuadIter, Store};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a request addresses.
enum Target {
    Graph(NamedNode),
    Default,
    Dataset,
}

impl Target {
    fn graph_name(&self) -> Option<GraphName> {
        match self {
            Target::Graph(node) => Some(node.clone().into()),
            Target::Default => Some(GraphName::DefaultGraph),
            Target::Dataset => None,
        }
    }
}

pub fn answer(endpoint: &Endpoint, request: &mut Request<Body>, direct: Option<String>) -> Answer {
    let target = target(request, direct)?;
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        return read(endpoint, request, &target);
    }
    if !matches!(method, Method::PUT | Method::POST | Method::DELETE) {
        return Err(method_not_allowed("GET, HEAD, PUT, POST, DELETE"));
    }
    endpoint.authorize_write(request)?;
    match method {
        Method::DELETE => delete(endpoint, &target),
        _ => write(endpoint, request, target, method == Method::PUT),
    }
}

fn target(request: &Request<Body>, direct: Option<String>) -> Result<Target, Refusal> {
    if let Some(iri) = direct {
        return NamedNode::new(iri.as_str())
            .map(Target::Graph)
            .map_err(|e| Refusal::bad_request(format!("{iri} is not an IRI: {e}")));
    }
    let params = url_params(request);
    let default = params.iter().any(|(k, _)| k == "default");
    let graphs: Vec<&String> = params
        .iter()
        .filter(|(k, _)| k == "graph")
        .map(|(_, v)| v)
        .collect();
    match (default, graphs.as_slice()) {
        (true, []) => Ok(Target::Default),
        (false, []) => Ok(Target::Dataset),
        (false, [iri]) => NamedNode::new(iri.as_str())
            .map(Target::Graph)
            .map_err(|e| Refusal::bad_request(format!("graph={iri} is not an absolute IRI: {e}"))),
        _ => Err(Refusal::bad_request(
            "name one graph: ?default, or ?graph=IRI once",
        )),
    }
}

fn not_found(graph: &NamedNode) -> Refusal {
    Refusal::new(StatusCode::NOT_FOUND, format!("there is no graph {graph}"))
}

fn read(endpoint: &Endpoint, request: &Request<Body>, target: &Target) -> Answer {
    let store = &endpoint.oxigraph;
    let asked = url_params(request)
        .into_iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v);
    let format = match target {
        Target::Dataset => {
            const DATASET_OFFERS: &[(&str, RdfFormat)] = &[
                ("application/trig", RdfFormat::TriG),
                ("application/n-quads", RdfFormat::NQuads),
            ];
            match asked.as_deref() {
                Some(name) => crate::formats::rdf_format(name)
                    .filter(|f| f.supports_datasets())
                    .ok_or_else(|| Refusal::bad_request(format!("format={name}: the whole store is trig or nq")))?,
                None => negotiation::choose(
                    super::header_text(request, header::ACCEPT),
                    DATASET_OFFERS,
                )
                .ok_or_else(|| {
                    Refusal::new(
                        StatusCode::NOT_ACCEPTABLE,
                        "the whole store needs a format with graphs: application/trig or application/n-quads",
                    )
                })?,
            }
        }
        _ => super::protocol::rdf_format(request, asked.as_deref())?,
    };
    let quads = match target {
        Target::Graph(graph) => {
            if !store.contains_named_graph(graph).map_err(storage)? {
                return Err(not_found(graph));
            }
            store.quads_for_pattern(None, None, None, Some(graph.into()))
        }
        Target::Default => {
            store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        }
        Target::Dataset => store.iter(),
    };
    let mut response = body_response(StatusCode::OK, &rdf_content_type(format), Vec::new());
    *response.body_mut() = Body::from_read(QuadStream::new(quads, format));
    Ok(response)
}

fn storage(error: oxigraph::store::StorageError) -> Refusal {
    Refusal::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the store failed: {error}"),
    )
}

/// The documents of a write: one body, or the parts of a multipart one.
fn documents(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
) -> Result<Vec<(RdfFormat, Vec<u8>)>, Refusal> {
    let Some((essence, _)) = content_type(request) else {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the request has no Content-Type; send an RDF media type such as text/turtle",
        ));
    };
    let raw_type = super::header_text(request, header::CONTENT_TYPE)
        .unwrap_or("")
        .to_string();
    let body = endpoint.read_body(request)?;
    if essence == "multipart/form-data" {
        let boundary = multipart::boundary(&raw_type)
            .ok_or_else(|| Refusal::bad_request("multipart/form-data without a boundary"))?;
        return multipart::parts(&body, &boundary)
            .map_err(Refusal::bad_request)?
            .into_iter()
            .map(|part| {
                let media = part.content_type.unwrap_or_default();
                Ok((rdf_media_type(&media)?, part.body.to_vec()))
            })
            .collect();
    }
    Ok(vec![(rdf_media_type(&essence)?, body)])
}

fn rdf_media_type(media_type: &str) -> Result<RdfFormat, Refusal> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    RDF_OFFERS
        .iter()
        .find(|(m, _)| *m == essence)
        .map(|(_, f)| *f)
        .or_else(|| RdfFormat::from_media_type(&essence))
        .ok_or_else(|| {
            Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{essence} is not an RDF format this store reads; send text/turtle, application/n-triples, application/rdf+xml, application/ld+json, application/n-quads or application/trig"),
            )
        })
}

fn parse_failure(format: RdfFormat, error: RdfSyntaxError) -> Refusal {
    let message = crate::error::parser_message(&error.to_string()).into_owned();
    Refusal::bad_request(match error.location() {
        Some(range) => format!(
            "the {} body does not parse at line {}, column {}: {message}",
            format.name(),
            range.start.line + 1,
            range.start.column + 1
        ),
        None => format!("the {} body does not parse: {message}", format.name()),
    })
}

/// JSON-LD nested past [`crate::nesting::MAX_NESTING`] is refused before it is
/// parsed: its parser takes memory and stack with every level.
fn refuse_deep_nesting(format: RdfFormat, body: &[u8]) -> Result<(), Refusal> {
    let mut nesting = crate::nesting::Nesting::default();
    nesting.follow(body);
    match nesting.too_deep() {
        Some(position) => Err(Refusal::bad_request(format!(
            "the {} body does not parse at line {}, column {}: {}",
            format.name(),
            position.line,
            position.column,
            crate::nesting::TooDeep { position }
        ))),
        None => Ok(()),
    }
}

static CREATED: AtomicU64 = AtomicU64::new(0);

/// A new graph's IRI under `/store/`, for a POST that creates one.
fn new_graph_iri(endpoint: &Endpoint, request: &Request<Body>) -> NamedNode {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let serial = CREATED.fetch_add(1, Ordering::Relaxed);
    NamedNode::new_unchecked(format!(
        "{}/store/graph-{nanos:x}-{serial}",
        endpoint.origin_url(request)
    ))
}

fn write(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
    target: Target,
    replace: bool,
) -> Answer {
    let documents = documents(endpoint, request)?;
    // A POST of triples to the store itself creates a graph (GSP section 5.5); a
    // POST of a dataset adds its graphs as they are.
    let mut created = None;
    let target = match target {
        Target::Dataset if !replace && documents.iter().all(|(f, _)| !f.supports_datasets()) => {
            let iri = new_graph_iri(endpoint, request);
            created = Some(iri.clone());
            Target::Graph(iri)
        }
        other => other,
    };
    let base = match &target {
        Target::Graph(graph) => graph.as_str().to_string(),
        _ => format!("{}{}", endpoint.origin_url(request), request.uri().path()),
    };
    let into = target.graph_name();
    let mut quads = Vec::new();
    for (format, body) in &documents {
        let parser = RdfParser::from_format(*format)
            .with_base_iri(base.as_str())
            .map_err(|e| Refusal::bad_request(format!("{base} is not a base IRI: {e}")))?;
        if matches!(format, RdfFormat::JsonLd { .. }) {
            refuse_deep_nesting(*format, body)?;
        }
        for quad in parser.for_slice(body) {
            let quad = quad.map_err(|e| parse_failure(*format, e))?;
            quads.push(match &into {
                Some(graph) if quad.graph_name.is_default_graph() => {
                    Quad::new(quad.subject, quad.predicate, quad.object, graph.clone())
                }
                Some(_) => {
                    return Err(Refusal::bad_request(
                        "the body names graphs of its own; send triples to a graph, or a dataset to /store",
                    ))
                }
                None => quad,
            });
        }
    }
    let store = &endpoint.oxigraph;
    let existed = match &target {
        Target::Graph(graph) => store.contains_named_graph(graph).map_err(storage)?,
        _ => true,
    };
    endpoint
        .write(|touched| {
            match &into {
                Some(graph) => touched.graph(graph),
                None => touched.everything(),
            }
            apply(store, &target, &quads, replace)
        })
        .map_err(Refusal::from)?;
    if let Some(iri) = created {
        let mut response = empty_response(StatusCode::CREATED);
        if let Ok(value) = HeaderValue::try_from(iri.as_str()) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return Ok(response);
    }
    Ok(empty_response(if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    }))
}

fn apply(
    store: &Store,
    target: &Target,
    quads: &[Quad],
    replace: bool,
) -> crate::error::Result<()> {
    let mut transaction = store.start_transaction()?;
    if replace {
        match target {
            Target::Graph(graph) => transaction.clear_graph(graph)?,
            Target::Default => transaction.clear_graph(GraphNameRef::DefaultGraph)?,
            Target::Dataset => transaction.clear()?,
        }
    }
    if let Target::Graph(graph) = target {
        transaction.insert_named_graph(graph);
    }
    for quad in quads {
        transaction.insert(quad);
    }
    transaction.commit()?;
    Ok(())
}

fn delete(endpoint: &Endpoint, target: &Target) -> Answer {
    let store = &endpoint.oxigraph;
    match target {
        Target::Graph(graph) => {
            if !store.contains_named_graph(graph).map_err(storage)? {
                return Err(not_found(graph));
            }
            endpoint
                .write(|touched| {
                    touched.graph(&graph.clone().into());
                    let mut transaction = store.start_transaction()?;
                    transaction.remove_named_graph(graph)?;
                    transaction.commit()?;
                    Ok(())
                })
                .map_err(Refusal::from)?;
        }
        Target::Default => endpoint
            .write(|touched| {
                touched.graph(&GraphName::DefaultGraph);
                store.clear_graph(GraphNameRef::DefaultGraph)?;
                Ok(())
            })
            .map_err(Refusal::from)?,
        Target::Dataset => {
            return Err(method_not_allowed("GET, HEAD, PUT, POST").with_message(
                "DELETE of the whole store is not taken; delete graphs one by one, or send the update CLEAR ALL",
            ))
        }
    }
    Ok(empty_response(StatusCode::NO_CONTENT))
}

/// Serializes quads as the client reads them, so a large graph is never held
/// whole in memory.
struct QuadStream {
    quads: QuadIter<'static>,
    writer: Option<WriterQuadSerializer<SharedBuffer>>,
    buffer: SharedBuffer,
    position: usize,
    /// The format has no graphs: write each quad's triple.
    triples: bool,
}

#[derive(Clone, Default)]
struct SharedBuffer(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl QuadStream {
    fn new(quads: QuadIter<'static>, format: RdfFormat) -> Self {
        let buffer = SharedBuffer::default();
        QuadStream {
            quads,
            writer: Some(rdf_serializer(format).for_writer(buffer.clone())),
            buffer,
            position: 0,
            triples: !format.supports_datasets(),
        }
    }

    /// Serializes the next batch of quads into the buffer; false at the end.
    fn refill(&mut self) -> std::io::Result<bool> {
        self.buffer.0.borrow_mut().clear();
        self.position = 0;
        let Some(writer) = self.writer.as_mut() else {
            return Ok(false);
        };
        for _ in 0..1024 {
            match self.quads.next() {
                Some(quad) => {
                    let quad = quad.map_err(std::io::Error::other)?;
                    if self.triples {
                        writer.serialize_triple(quad.as_ref())?;
                    } else {
                        writer.serialize_quad(&quad)?;
                    }
                }
                None => {
                    if let Some(writer) = self.writer.take() {
                        writer.finish()?;
                    }
                    break;
                }
            }
        }
        Ok(true)
    }
}

impl Read for QuadStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            {
                let buffer = self.buffer.0.borrow();
                if self.position < buffer.len() {
                    let n = out.len().min(buffer.len() - self.position);
                    out[..n].copy_from_slice(&buffer[self.position..self.position + n]);
                    self.position += n;
                    return Ok(n);
                }
            }
            if !self.refill()? {
                return Ok(0);
            }
        }
    }
}
