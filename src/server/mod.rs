//! `serve`: the store as a SPARQL 1.1 endpoint (Protocol and Graph Store
//! Protocol, with Oxigraph's routes) and the analysts' pages, with safe defaults:
//! loopback only, read-only unless told, writes behind a bearer token, no
//! federation, a query timeout that stops the query, a result cap the client can
//! see, CORS off, a body size limit, a request deadline and a connection cap
//! that slow clients cannot hold.
//!
//! Requests are answered on a thread per connection (`connections`: a request
//! deadline, a connection cap that answers 503 instead of queueing, and the
//! slowest senders evicted first, with oxhttp's request and response types);
//! queries read a snapshot of the store, so they run in parallel with
//! each other and with a write, and never see half of one. Writes go one at a
//! time.

mod admission;
mod connections;
mod graph_store;
mod multipart;
mod negotiation;
mod pages;
mod protocol;
mod stopping;
mod watchdog;

use crate::error::{Error, Result};
use crate::store::CaseStore;
use oxhttp::model::header::{self, HeaderName, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use watchdog::Watchdog;

/// How the endpoint runs; `credgraph serve --help` documents each.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    /// The bearer token writes need; `Some` exactly when the endpoint is writable.
    pub write_token: Option<String>,
    pub timeout: Duration,
    pub max_rows: usize,
    pub max_body: u64,
    pub cors_origins: Vec<String>,
    /// Connections open at once; past it the slowest one still sending its
    /// request makes room, or the newcomer gets 503 (see `connections`).
    pub max_connections: usize,
    /// The time a client has to send a request, head and body (plus a second
    /// for each 64 KiB of body).
    pub request_timeout: Duration,
    /// Queries evaluating at once; the others wait their turn.
    pub max_parallel_queries: usize,
    /// Resident memory in bytes past which the queries evaluating are stopped.
    pub max_memory: Option<u64>,
}

/// The running endpoint's shared state.
struct Endpoint {
    store: CaseStore,
    /// The embedded store under `store` (the endpoint serves only that).
    oxigraph: oxigraph::store::Store,
    settings: Settings,
    watchdog: Watchdog,
    admission: admission::Admission,
    /// Bound to a loopback address: only loopback names are answered.
    loopback: bool,
    /// Writes go one at a time (readers never wait for it).
    writing: Mutex<()>,
}

/// Serves `store` until the process is stopped. Prints the address it listens on.
pub fn serve(store: CaseStore, settings: Settings) -> Result<()> {
    let address = resolve_bind(&settings.bind)?;
    // Bind once here so that a port already taken is a clear error, and port 0
    // becomes the actual port to print.
    let listener = TcpListener::bind(address)
        .map_err(|e| Error::invalid(format!("cannot listen on {address}: {e}")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let oxigraph = store.oxigraph("serve")?.clone();
    let endpoint = Arc::new(Endpoint {
        store,
        oxigraph,
        watchdog: Watchdog::start(settings.max_memory),
        admission: admission::Admission::new(settings.max_parallel_queries),
        loopback: address.ip().is_loopback(),
        writing: Mutex::new(()),
        settings,
    });
    stopping::quiet_stops();
    let limits = connections::Limits {
        max_connections: endpoint.settings.max_connections,
        request_timeout: endpoint.settings.request_timeout,
        max_body: endpoint.settings.max_body,
    };
    eprintln!(
        "credgraph serves http://{address}/ ({}; queries stop after {} s and return at most {} rows)",
        if endpoint.settings.write_token.is_some() {
            "writable with the bearer token"
        } else {
            "read-only"
        },
        endpoint.settings.timeout.as_secs_f64(),
        endpoint.settings.max_rows
    );
    connections::run(listener, limits, move |request| endpoint.answer(request))
        .map_err(|e| Error::Internal(format!("the server stopped: {e}")))
}

fn resolve_bind(bind: &str) -> Result<SocketAddr> {
    use std::net::ToSocketAddrs;
    let bare_ipv6 = bind.parse::<std::net::Ipv6Addr>().is_ok();
    let with_port = if bind.parse::<SocketAddr>().is_ok()
        || (!bare_ipv6
            && bind
                .rsplit_once(':')
                .is_some_and(|(_, p)| p.parse::<u16>().is_ok()))
    {
        bind.to_string()
    } else if bare_ipv6 {
        format!("[{bind}]:7878")
    } else {
        format!("{bind}:7878")
    };
    with_port
        .to_socket_addrs()
        .map_err(|e| Error::invalid(format!("--bind {bind}: {e}")))?
        .next()
        .ok_or_else(|| Error::invalid(format!("--bind {bind}: no address")))
}

/// A refusal: the status and what to tell the client, in plain text.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    message: String,
    headers: Vec<(HeaderName, String)>,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn with_message(mut self, message: &str) -> Self {
        self.message = message.to_string();
        self
    }

    fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn into_response(self) -> Response<Body> {
        let mut response = text_response(self.status, self.message + "\n");
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::try_from(value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::Internal(_) | Error::Output(_) | Error::File { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        Refusal::new(status, error.to_string())
    }
}

type Answer = std::result::Result<Response<Body>, Refusal>;

fn text_response(status: StatusCode, text: String) -> Response<Body> {
    body_response(status, "text/plain; charset=utf-8", text.into_bytes())
}

fn body_response(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::try_from(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn empty_response(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

impl Endpoint {
    fn answer(&self, request: &mut Request<Body>) -> Response<Body> {
        let origin = header_text(request, header::ORIGIN).map(str::to_string);
        let mut response = if !self.known_host(request) {
            Refusal::new(
                StatusCode::MISDIRECTED_REQUEST,
                "this server answers to localhost, 127.0.0.1 or [::1] only (a Host header naming another site is how DNS rebinding reaches a loopback server)",
            )
            .into_response()
        } else if request.method() == Method::OPTIONS {
            self.preflight(origin.as_deref())
        } else {
            self.route(request).unwrap_or_else(Refusal::into_response)
        };
        if response.status().is_client_error() || response.status().is_server_error() {
            // A refused request ends its connection: a client that sent one
            // request wrong is not one to keep a thread waiting for.
            request
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(origin) = origin.filter(|o| self.allows_origin(o)) {
            if let Ok(value) = HeaderValue::try_from(origin) {
                let headers = response.headers_mut();
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
                headers.insert(header::VARY, HeaderValue::from_static("Origin"));
                headers.insert(
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                    HeaderValue::from_static("X-SPARQL-MaxRows, Location"),
                );
            }
        }
        if request.method() == Method::HEAD {
            *response.body_mut() = Body::empty();
        }
        response
    }

    fn route(&self, request: &mut Request<Body>) -> Answer {
        let path = request.uri().path().to_string();
        match path.as_str() {
            "/query" => protocol::answer(self, request, protocol::Route::Query),
            "/update" => protocol::answer(self, request, protocol::Route::Update),
            "/sparql" => protocol::answer(self, request, protocol::Route::Both),
            "/store" => graph_store::answer(self, request, None),
            "/health" => self.health(request),
            _ if path.starts_with("/store/") => {
                let iri = format!("{}{path}", self.origin_url(request));
                graph_store::answer(self, request, Some(iri))
            }
            _ => pages::answer(self, request, &path),
        }
    }

    /// On a loopback address, the Host header must name loopback too.
    fn known_host(&self, request: &Request<Body>) -> bool {
        if !self.loopback {
            return true;
        }
        let Some(host) = header_text(request, header::HOST) else {
            return true; // HTTP/1.0 without Host: no name to rebind
        };
        let name = match host.rsplit_once(':') {
            Some((name, port)) if !name.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
                name
            }
            _ => host,
        };
        matches!(
            name.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "[::1]" | "::1"
        ) || name.starts_with("127.")
    }

    fn allows_origin(&self, origin: &str) -> bool {
        self.settings
            .cors_origins
            .iter()
            .any(|allowed| allowed == "*" || allowed == origin)
    }

    fn preflight(&self, origin: Option<&str>) -> Response<Body> {
        match origin {
            Some(origin) if self.allows_origin(origin) => {
                let mut response = empty_response(StatusCode::NO_CONTENT);
                let headers = response.headers_mut();
                headers.insert(
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, HEAD, POST, PUT, DELETE"),
                );
                headers.insert(
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("Content-Type, Accept, Authorization"),
                );
                headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
                response
            }
            _ => Refusal::new(
                StatusCode::FORBIDDEN,
                "cross-origin requests are not allowed here; start the server with --cors ORIGIN to allow them",
            )
            .into_response(),
        }
    }

    /// `/health`: the store answers a read; what a monitor needs to know.
    fn health(&self, request: &Request<Body>) -> Answer {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Err(method_not_allowed("GET, HEAD"));
        }
        let readable = self
            .oxigraph
            .quads_for_pattern(None, None, None, None)
            .next()
            .transpose()
            .is_ok();
        let body = serde_json::json!({
            "status": if readable { "ok" } else { "failing" },
            "store_readable": readable,
            "writable": self.settings.write_token.is_some(),
            "version": env!("CARGO_PKG_VERSION"),
        });
        Ok(body_response(
            if readable {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            },
            "application/json",
            body.to_string().into_bytes(),
        ))
    }

    /// `http://host:port` as the client addressed us, for base IRIs and the
    /// graphs of direct identification.
    fn origin_url(&self, request: &Request<Body>) -> String {
        let host = header_text(request, header::HOST)
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        format!("http://{host}")
    }

    /// Refuses a write unless the endpoint is writable and the request carries
    /// its bearer token.
    fn authorize_write(&self, request: &Request<Body>) -> std::result::Result<(), Refusal> {
        let Some(token) = &self.settings.write_token else {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "this endpoint is read-only; start it with --writable (and a token) to accept writes",
            ));
        };
        let given = header_text(request, header::AUTHORIZATION).and_then(|value| {
            let (scheme, credentials) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| credentials.trim())
        });
        match given {
            Some(given) if same_secret(given.as_bytes(), token.as_bytes()) => Ok(()),
            Some(_) => Err(
                Refusal::new(StatusCode::UNAUTHORIZED, "the bearer token is wrong").with_header(
                    header::WWW_AUTHENTICATE,
                    "Bearer realm=\"credgraph\", error=\"invalid_token\"",
                ),
            ),
            None => Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "writes need the bearer token: send Authorization: Bearer TOKEN",
            )
            .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"credgraph\"")),
        }
    }

    /// Reads the request body whole, refusing one over the size limit before
    /// reading it when its length is declared.
    fn read_body(&self, request: &mut Request<Body>) -> std::result::Result<Vec<u8>, Refusal> {
        let limit = self.settings.max_body;
        let too_large = || {
            Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is over the {limit}-byte limit (--max-body)"),
            )
        };
        if request.body().len().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        request
            .body_mut()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| Refusal::bad_request(format!("cannot read the request body: {e}")))?;
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(body)
    }

    /// Runs a write alone, noting in the store's journal what it touched.
    fn write<T>(&self, write: impl FnOnce(&mut crate::journal::Touched) -> Result<T>) -> Result<T> {
        let _alone = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.store.record(write)
    }
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

fn header_text(request: &Request<Body>, name: HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

fn method_not_allowed(allowed: &'static str) -> Refusal {
    Refusal::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("this route takes {allowed}"),
    )
    .with_header(header::ALLOW, allowed)
}

/// The media type of a request's body, lower-cased, and its charset parameter.
fn content_type(request: &Request<Body>) -> Option<(String, Option<String>)> {
    let value = header_text(request, header::CONTENT_TYPE)?;
    let mut parts = value.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    Some((essence, charset))
}

/// A text body, which must be UTF-8 (the only charset SPARQL allows).
fn utf8_body(body: Vec<u8>, charset: Option<&str>) -> std::result::Result<String, Refusal> {
    if let Some(charset) = charset {
        if charset != "utf-8" && charset != "utf8" {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("charset={charset} is not supported: send UTF-8"),
            ));
        }
    }
    String::from_utf8(body).map_err(|e| {
        Refusal::bad_request(format!(
            "the body is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The parameters of the request's URL, decoded once.
fn url_params(request: &Request<Body>) -> Vec<(String, String)> {
    request
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
    }

    #[test]
    fn a_bind_without_port_gets_the_default_one() {
        assert_eq!(resolve_bind("127.0.0.1").unwrap().port(), 7878);
        assert_eq!(resolve_bind("127.0.0.1:0").unwrap().port(), 0);
        assert_eq!(resolve_bind("::1").unwrap().port(), 7878);
        assert_eq!(resolve_bind("[::1]:8080").unwrap().port(), 8080);
        assert!(resolve_bind("no such host name here.invalid:1").is_err());
    }
}
