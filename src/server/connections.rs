//! The HTTP/1.1 connections of `serve`: a thread per connection, as Oxigraph's
//! server has, but with the limits a server on a network needs, which oxhttp's
//! accept loop has no place for.
//!
//! - **A whole-request deadline.** A request, head and body, must have arrived
//!   `--request-timeout` after it began (the connection was accepted, or the
//!   request's first byte came on a kept-alive connection), plus one second
//!   for each [`MIN_RATE`] bytes of body received: an upload arriving at any
//!   real rate is never cut, one trickling in is. Each read waits only for the
//!   time left, so a client sending a byte a second cannot stretch it (a
//!   timeout per read, which oxhttp had, is renewed by every byte). Responses
//!   are written on the same terms. A kept-alive connection waits
//!   [`KEEP_ALIVE_IDLE`] for its next request.
//! - **A connection cap that never queues.** Over `--max-connections`, a new
//!   connection is not left in the kernel's backlog until a slot frees (oxhttp
//!   waits on a semaphore in its accept thread, so once slow clients hold every
//!   slot, no later connection is read, `/health` included). Instead, the
//!   connections still *receiving* their request may be evicted, and the one
//!   that stands furthest behind is shut down to make room: the one whose
//!   request (or idle wait) began earliest, counting for a body the time its
//!   bytes earned at [`MIN_RATE`]. A real client's head arrives in
//!   milliseconds, so it is never the earliest for long; a client trickling
//!   its head is; an upload at a real rate has earned its place. A request
//!   already being answered is never evicted: when every slot is answering
//!   one, the newcomer gets 503 at once and is closed. So clients holding
//!   every slot by sending slowly cannot lock out `/health` or anyone else:
//!   each newcomer takes the place of the slowest. A minimum data rate alone
//!   would not do: clients at just above it still hold every slot, and a
//!   rate is only known after a while; the order of eviction needs no
//!   threshold.
//! - **Framing**: requests by Content-Length or chunked transfer coding (both at
//!   once is refused: that is how requests are smuggled past proxies), `Expect:
//!   100-continue`, keep-alive, `Connection: close`, HTTP/1.0; responses with
//!   Content-Length when the body's length is known, else chunked. The body is
//!   read whole before the request is answered (the handlers read it whole
//!   anyway), so the body limit is applied here, before reading when the length
//!   is declared.
//!
//! A connection closed with its request unread is closed *lingering*: the
//! answer is sent, the writing side shut, and what the client still sends is
//! read and dropped for a moment by one thread, so that the client reads the
//! answer instead of a reset.

use oxhttp::model::header::{self, HeaderName, HeaderValue};
use oxhttp::model::uri::{Authority, Scheme};
use oxhttp::model::{Body, Method, Request, Response, StatusCode, Uri, Version};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The rate at which a body (or a response) earns more time past the deadline:
/// 64 KiB/s, far below any real network and far above one byte a second.
pub const MIN_RATE: u64 = 64 * 1024;

/// How long a kept-alive connection waits for its next request.
pub const KEEP_ALIVE_IDLE: Duration = Duration::from_secs(5);

/// The longest request head (request line and headers): long GET queries fit.
const MAX_HEAD: usize = 64 * 1024;

/// The most header fields a request may have.
const MAX_HEADERS: usize = 100;

/// How long a lingering close reads what the client still sends.
const LINGER: Duration = Duration::from_secs(2);

/// Connections closed lingering at once; past it the oldest is simply closed.
const MAX_LINGERING: usize = 1024;

const SERVER: &str = concat!("credgraph/", env!("CARGO_PKG_VERSION"));

/// The limits the connections keep.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    pub request_timeout: Duration,
    pub max_body: u64,
}

/// Accepts connections on `listener` and answers their requests with `answer`,
/// until the process ends.
pub fn run<F>(listener: TcpListener, limits: Limits, answer: F) -> io::Result<()>
where
    F: Fn(&mut Request<Body>) -> Response<Body> + Send + Sync + 'static,
{
    let answer = Arc::new(answer);
    let limits = Arc::new(limits);
    let open = Arc::new(Open::new(limits.max_connections));
    let lingering = Lingering::start();
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                // Out of descriptors or a connection reset before it was
                // accepted: wait a little rather than spin.
                if !matches!(
                    error.kind(),
                    ErrorKind::ConnectionAborted
                        | ErrorKind::ConnectionReset
                        | ErrorKind::Interrupted
                ) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let accepted = Instant::now();
        let Some(slot) = open.admit(&stream, accepted) else {
            refuse_busy(stream, &lingering);
            continue;
        };
        let connection = Connection {
            stream,
            pending: Vec::new(),
            slot,
            limits: Arc::clone(&limits),
            lingering: Arc::clone(&lingering),
        };
        let answer = Arc::clone(&answer);
        let spawned = std::thread::Builder::new()
            .name("connection".into())
            .spawn(move || connection.serve(accepted, &*answer));
        if let Err(error) = spawned {
            eprintln!("credgraph: cannot start a thread for a connection: {error}");
        }
    }
    Ok(())
}

/// A connection's state, as the accept thread sees it: the standing of the
/// request it is receiving ([`Pace::standing`]), in milliseconds since
/// [`Open::epoch`], or one of:
const ANSWERING: u64 = 0;
const EVICTED: u64 = u64::MAX;

/// The open connections, for the cap and for eviction.
struct Open {
    epoch: Instant,
    limit: usize,
    next_id: AtomicU64,
    connections: Mutex<HashMap<u64, Tracked>>,
}

struct Tracked {
    /// A handle on the same socket, to shut it down from the accept thread.
    stream: TcpStream,
    state: Arc<AtomicU64>,
}

/// A connection's place among the open ones; dropping it frees the place.
struct Slot {
    open: Arc<Open>,
    id: u64,
    state: Arc<AtomicU64>,
}

impl Open {
    fn new(limit: usize) -> Self {
        Open {
            epoch: Instant::now(),
            limit: limit.max(1),
            next_id: AtomicU64::new(0),
            connections: Mutex::new(HashMap::new()),
        }
    }

    fn millis(&self, instant: Instant) -> u64 {
        (instant.saturating_duration_since(self.epoch).as_millis() as u64).clamp(1, EVICTED - 1)
    }

    /// A place for a connection accepted at `accepted`, evicting the receiving
    /// connection that stands furthest behind when all are taken; `None` when
    /// every connection is answering a request.
    fn admit(self: &Arc<Self>, stream: &TcpStream, accepted: Instant) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut connections = self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while connections.len() >= self.limit {
            let evicted = connections
                .iter()
                .filter_map(|(id, tracked)| {
                    let state = tracked.state.load(Ordering::Acquire);
                    (state != ANSWERING && state != EVICTED).then_some((state, *id))
                })
                .min()?;
            let (state, id) = evicted;
            let tracked = connections
                .remove(&id)
                .expect("the connection was just seen");
            // A connection that began answering meanwhile keeps its request.
            if tracked
                .state
                .compare_exchange(state, EVICTED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                let _ = tracked.stream.shutdown(Shutdown::Both);
            } else {
                connections.insert(id, tracked);
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(AtomicU64::new(self.millis(accepted)));
        connections.insert(
            id,
            Tracked {
                stream: handle,
                state: Arc::clone(&state),
            },
        );
        Some(Slot {
            open: Arc::clone(self),
            id,
            state,
        })
    }
}

impl Slot {
    /// Publishes the standing of the request being received; false once evicted.
    fn receiving(&self, standing: Instant) -> bool {
        let value = self.open.millis(standing);
        self.state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
                (state != EVICTED).then_some(value)
            })
            .is_ok()
    }

    /// The request is whole and about to be answered; false once evicted.
    fn answering(&self) -> bool {
        self.state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
                (state != EVICTED).then_some(ANSWERING)
            })
            .is_ok()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut connections = self
            .open
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if connections
            .get(&self.id)
            .is_some_and(|tracked| Arc::ptr_eq(&tracked.state, &self.state))
        {
            connections.remove(&self.id);
        }
    }
}

/// 503 on the accept thread, without waiting on the client: the answer is a
/// few bytes, which an empty socket buffer takes whole.
fn refuse_busy(stream: TcpStream, lingering: &Lingering) {
    let body = "the server has as many connections as it takes (--max-connections), all answering requests; try again shortly\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nserver: {SERVER}\r\ncontent-type: text/plain; charset=utf-8\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.set_nonblocking(true).is_ok() && (&stream).write_all(answer.as_bytes()).is_ok() {
        lingering.close(stream);
    }
}

/// Why a request was not read whole: answered with a status, or the
/// connection is to be dropped without a word (the client left, or was
/// evicted, or sent nothing).
enum Unread {
    Answer(StatusCode, String),
    Drop,
}

impl Unread {
    fn bad(message: impl Into<String>) -> Self {
        Unread::Answer(StatusCode::BAD_REQUEST, message.into())
    }
}

/// When a request (or its answer) must be done: `grace` after `start`, plus
/// the time its bytes so far earned at [`MIN_RATE`].
#[derive(Debug, Clone, Copy)]
struct Pace {
    start: Instant,
    grace: Duration,
    bytes: u64,
}

impl Pace {
    /// When the request would be due with no grace: how far behind the
    /// minimum rate it stands. The earliest is evicted first.
    fn standing(&self) -> Instant {
        self.start + Duration::from_millis(self.bytes.saturating_mul(1000) / MIN_RATE)
    }

    fn deadline(&self) -> Instant {
        self.standing() + self.grace
    }
}

struct Connection {
    stream: TcpStream,
    /// Bytes received and not yet read: the rest of a head, or the next request.
    pending: Vec<u8>,
    slot: Slot,
    limits: Arc<Limits>,
    lingering: Arc<Lingering>,
}

/// A request's head, read and checked.
struct Head {
    request: Request<()>,
    body: Framing,
}

enum Framing {
    Length(u64),
    Chunked,
}

impl Connection {
    fn serve(mut self, accepted: Instant, answer: &dyn Fn(&mut Request<Body>) -> Response<Body>) {
        let mut began = Some(accepted);
        loop {
            let (head, mut pace) = match self.read_head(began.take()) {
                Ok(read) => read,
                Err(unread) => return self.close_unread(unread),
            };
            let body = match self.read_body(&head, &mut pace) {
                Ok(body) => body,
                Err(unread) => return self.close_unread(unread),
            };
            if !self.slot.answering() {
                return;
            }
            let (parts, ()) = head.request.into_parts();
            let mut request = Request::from_parts(parts, Body::from(body));
            let head_only = request.method() == Method::HEAD;
            let mut response = std::panic::catch_unwind(AssertUnwindSafe(|| answer(&mut request)))
                .unwrap_or_else(|_| {
                    super::text_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the server failed on this request\n".into(),
                    )
                });
            let keep_alive = request.version() == Version::HTTP_11
                && !says_close(request.headers())
                && !says_close(response.headers());
            if self
                .write_response(&mut response, head_only, keep_alive)
                .is_err()
            {
                return;
            }
            if !keep_alive {
                return self.lingering.close(self.stream);
            }
        }
    }

    /// Reads the next request's head, and gives the pace its body must keep.
    /// `began`: when a new connection was accepted; `None` on a kept-alive
    /// one, which waits idle first.
    fn read_head(&mut self, began: Option<Instant>) -> Result<(Head, Pace), Unread> {
        let timeout = self.limits.request_timeout;
        let mut idle = began.is_none() && self.pending.is_empty();
        let mut pace = Pace {
            start: began.unwrap_or_else(Instant::now),
            grace: if idle {
                KEEP_ALIVE_IDLE.min(timeout)
            } else {
                timeout
            },
            bytes: 0,
        };
        let mut searched: usize = 0;
        loop {
            // Blank lines before a request are ignored (RFC 9112, 2.2).
            let blank = self
                .pending
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if blank > 0 {
                self.pending.drain(..blank);
                searched = 0;
            }
            // Parse only once the blank line that ends a head has come, so that
            // a head sent in many small pieces is not parsed again for each.
            let from = searched.saturating_sub(3);
            if self.pending[from..].windows(2).any(|w| w == b"\n\n")
                || self.pending[from..].windows(3).any(|w| w == b"\n\r\n")
            {
                return Ok((self.parse_head()?, pace));
            }
            searched = self.pending.len();
            if searched > MAX_HEAD {
                return Err(Unread::Answer(
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                    format!("the request's head is over {MAX_HEAD} bytes"),
                ));
            }
            match self.fill(&pace) {
                Ok(0) => return Err(Unread::Drop),
                Ok(_) if idle => {
                    // The request begins with its first byte.
                    idle = false;
                    pace.start = Instant::now();
                    pace.grace = timeout;
                }
                Ok(_) => {}
                Err(error) if error.kind() == ErrorKind::TimedOut && !self.pending.is_empty() => {
                    return Err(Unread::Answer(
                        StatusCode::REQUEST_TIMEOUT,
                        format!(
                            "the request's head did not arrive within {} s (--request-timeout)",
                            timeout.as_secs_f64()
                        ),
                    ))
                }
                Err(_) => return Err(Unread::Drop),
            }
        }
    }

    fn parse_head(&mut self) -> Result<Head, Unread> {
        let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut fields);
        let length = match parsed.parse(&self.pending) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) => {
                return Err(Unread::bad("the request's head is cut short"))
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Err(Unread::Answer(
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                    format!("the request has more than {MAX_HEADERS} header fields"),
                ))
            }
            Err(error) => {
                return Err(Unread::bad(format!(
                    "the request's head is not HTTP: {error}"
                )))
            }
        };
        let mut request = Request::new(());
        *request.version_mut() = match parsed.version {
            Some(0) => Version::HTTP_10,
            _ => Version::HTTP_11,
        };
        *request.method_mut() = Method::from_bytes(parsed.method.unwrap_or("").as_bytes())
            .map_err(|_| Unread::bad("the request's method is not a token"))?;
        let headers = request.headers_mut();
        for field in parsed.headers.iter() {
            let name = HeaderName::from_bytes(field.name.as_bytes()).map_err(|_| {
                Unread::bad(format!("the header name {:?} is not valid", field.name))
            })?;
            let value = HeaderValue::from_bytes(field.value)
                .map_err(|_| Unread::bad(format!("the value of the header {name} is not valid")))?;
            headers.append(name, value);
        }
        *request.uri_mut() = request_uri(parsed.path.unwrap_or(""), &request)?;
        self.pending.drain(..length);
        let body = framing(&request, self.limits.max_body)?;
        Ok(Head { request, body })
    }

    /// Reads the body the head announced, at the request's pace.
    fn read_body(&mut self, head: &Head, pace: &mut Pace) -> Result<Vec<u8>, Unread> {
        let request = &head.request;
        let expected = match head.body {
            Framing::Length(0) => return Ok(Vec::new()),
            Framing::Length(length) => Some(length),
            Framing::Chunked => None,
        };
        if let Some(expectation) = request.headers().get(header::EXPECT) {
            if !expectation.as_bytes().eq_ignore_ascii_case(b"100-continue") {
                return Err(Unread::Answer(
                    StatusCode::EXPECTATION_FAILED,
                    "only Expect: 100-continue is understood".into(),
                ));
            }
            if request.version() == Version::HTTP_11 && self.pending.is_empty() {
                (&self.stream)
                    .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                    .map_err(|_| Unread::Drop)?;
            }
        }
        let mut body = Vec::new();
        match expected {
            Some(length) => {
                body.reserve(length.min(1 << 20) as usize);
                self.read_exactly(length, &mut body, pace)?;
            }
            None => self.read_chunks(&mut body, pace)?,
        }
        Ok(body)
    }

    /// Moves `length` more bytes of body into `body`.
    fn read_exactly(
        &mut self,
        length: u64,
        body: &mut Vec<u8>,
        pace: &mut Pace,
    ) -> Result<(), Unread> {
        let mut left = length;
        while left > 0 {
            if self.pending.is_empty() {
                self.fill_body(pace)?;
            }
            let taken = (left.min(self.pending.len() as u64)) as usize;
            body.extend_from_slice(&self.pending[..taken]);
            self.pending.drain(..taken);
            left -= taken as u64;
        }
        Ok(())
    }

    fn read_chunks(&mut self, body: &mut Vec<u8>, pace: &mut Pace) -> Result<(), Unread> {
        loop {
            let size = loop {
                match httparse::parse_chunk_size(&self.pending) {
                    Ok(httparse::Status::Complete((used, size))) => {
                        self.pending.drain(..used);
                        break size;
                    }
                    Ok(httparse::Status::Partial) if self.pending.len() < 1024 => {
                        self.fill_body(pace)?;
                    }
                    _ => return Err(Unread::bad("the chunked body has a bad chunk size")),
                }
            };
            if size == 0 {
                return self.skip_trailers(pace);
            }
            if body.len() as u64 + size > self.limits.max_body {
                return Err(too_large(self.limits.max_body));
            }
            self.read_exactly(size, body, pace)?;
            while self.pending.len() < 2 {
                self.fill_body(pace)?;
            }
            match &self.pending[..2] {
                b"\r\n" => self.pending.drain(..2),
                [b'\n', _] => self.pending.drain(..1),
                _ => return Err(Unread::bad("a chunk of the body is longer than its size")),
            };
        }
    }

    /// Reads the trailer fields after the last chunk, up to the blank line, and
    /// drops them: no handler looks at trailers.
    fn skip_trailers(&mut self, pace: &mut Pace) -> Result<(), Unread> {
        let mut skipped = 0;
        loop {
            match self.pending.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    let blank = self.pending[..end] == *b"\r" || end == 0;
                    self.pending.drain(..=end);
                    skipped += end + 1;
                    if blank {
                        return Ok(());
                    }
                }
                None if skipped + self.pending.len() < MAX_HEAD => self.fill_body(pace)?,
                None => return Err(Unread::bad("the chunked body's trailer is too long")),
            }
        }
    }

    fn fill_body(&mut self, pace: &mut Pace) -> Result<(), Unread> {
        match self.fill(pace) {
            Ok(0) => Err(Unread::Drop),
            Ok(read) => {
                pace.bytes += read as u64;
                Ok(())
            }
            Err(error) if error.kind() == ErrorKind::TimedOut => Err(Unread::Answer(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request's body came too slowly: a request must arrive within {} s (--request-timeout), and a second more for each {} KiB of body",
                    self.limits.request_timeout.as_secs_f64(),
                    MIN_RATE / 1024
                ),
            )),
            Err(_) => Err(Unread::Drop),
        }
    }

    /// Reads once into `pending`, waiting at most for the time the pace leaves.
    fn fill(&mut self, pace: &Pace) -> io::Result<usize> {
        let left = pace.deadline().saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        if !self.slot.receiving(pace.standing()) {
            return Err(ErrorKind::ConnectionAborted.into());
        }
        self.stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
        let start = self.pending.len();
        self.pending.resize(start + 16 * 1024, 0);
        let read = loop {
            match self.stream.read(&mut self.pending[start..]) {
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let read = read.map_err(|error| match error.kind() {
            ErrorKind::WouldBlock => ErrorKind::TimedOut.into(),
            _ => error,
        });
        self.pending.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }

    fn close_unread(mut self, unread: Unread) {
        if let Unread::Answer(status, message) = unread {
            let mut response = super::text_response(status, message + "\n");
            if self.write_response(&mut response, false, false).is_ok() {
                self.lingering.close(self.stream);
            }
        }
    }

    fn write_response(
        &mut self,
        response: &mut Response<Body>,
        head_only: bool,
        keep_alive: bool,
    ) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(
            16 * 1024,
            Paced {
                stream: &self.stream,
                pace: Pace {
                    start: Instant::now(),
                    grace: self.limits.request_timeout,
                    bytes: 0,
                },
            },
        );
        let status = response.status();
        write!(
            out,
            "HTTP/1.1 {} {}\r\n",
            status.as_str(),
            status.canonical_reason().unwrap_or("")
        )?;
        if !response.headers().contains_key(header::SERVER) {
            write!(out, "server: {SERVER}\r\n")?;
        }
        for (name, value) in response.headers() {
            if !is_framing(name) {
                out.write_all(name.as_str().as_bytes())?;
                out.write_all(b": ")?;
                out.write_all(value.as_bytes())?;
                out.write_all(b"\r\n")?;
            }
        }
        if !keep_alive {
            out.write_all(b"connection: close\r\n")?;
        }
        let no_body = status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED;
        let body = response.body_mut();
        if no_body || head_only {
            out.write_all(b"\r\n")?;
        } else if let Some(length) = body.len() {
            write!(out, "content-length: {length}\r\n\r\n")?;
            io::copy(body, &mut out)?;
        } else {
            out.write_all(b"transfer-encoding: chunked\r\n\r\n")?;
            let mut chunk = vec![0; 16 * 1024];
            loop {
                // Fill a chunk before sending it, rather than a chunk per read.
                let mut filled = 0;
                while filled < 4 * 1024 {
                    match body.read(&mut chunk[filled..]) {
                        Ok(0) => break,
                        Ok(read) => filled += read,
                        Err(error) if error.kind() == ErrorKind::Interrupted => {}
                        // The status is sent: end the connection without the last
                        // chunk, so the client knows the answer is not whole.
                        Err(error) => return Err(error),
                    }
                }
                if filled == 0 {
                    break;
                }
                write!(out, "{filled:X}\r\n")?;
                out.write_all(&chunk[..filled])?;
                out.write_all(b"\r\n")?;
            }
            out.write_all(b"0\r\n\r\n")?;
        }
        out.flush()
    }
}

/// The request's target as a URI with scheme and authority, as oxhttp gave it
/// to the handlers: the authority from the Host header.
fn request_uri(target: &str, request: &Request<()>) -> Result<Uri, Unread> {
    let mut parts = Uri::try_from(target)
        .map_err(|_| Unread::bad(format!("the request's target {target:?} is not a URI")))?
        .into_parts();
    if *parts.scheme.get_or_insert(Scheme::HTTP) != Scheme::HTTP {
        return Err(Unread::bad("this server speaks http only"));
    }
    if parts.authority.is_none() {
        let mut hosts = request.headers().get_all(header::HOST).iter();
        match (hosts.next(), hosts.next()) {
            (Some(host), None) => {
                parts.authority = Some(
                    Authority::try_from(host.as_bytes())
                        .map_err(|_| Unread::bad("the Host header is not a host name"))?,
                )
            }
            (None, _) if request.version() == Version::HTTP_10 => {
                parts.authority = Some(Authority::from_static("localhost"))
            }
            (None, _) => return Err(Unread::bad("an HTTP/1.1 request needs a Host header")),
            (Some(_), Some(_)) => return Err(Unread::bad("the request has two Host headers")),
        }
    }
    if parts.path_and_query.is_none() {
        parts.path_and_query = Some("/".parse().expect("/ is a path"));
    }
    Uri::from_parts(parts).map_err(|_| Unread::bad("the request's target is not a URI"))
}

/// How the request's body is framed, refusing what cannot be read safely.
fn framing(request: &Request<()>, max_body: u64) -> Result<Framing, Unread> {
    let headers = request.headers();
    let lengths: Vec<&HeaderValue> = headers.get_all(header::CONTENT_LENGTH).iter().collect();
    let codings: Vec<&HeaderValue> = headers.get_all(header::TRANSFER_ENCODING).iter().collect();
    if !codings.is_empty() {
        if !lengths.is_empty() {
            return Err(Unread::bad(
                "the request has both Content-Length and Transfer-Encoding",
            ));
        }
        let chunked_only = codings.len() == 1
            && codings[0]
                .to_str()
                .is_ok_and(|coding| coding.trim().eq_ignore_ascii_case("chunked"));
        if !chunked_only || request.version() == Version::HTTP_10 {
            return Err(Unread::Answer(
                StatusCode::NOT_IMPLEMENTED,
                "the only transfer coding taken is chunked".into(),
            ));
        }
        return Ok(Framing::Chunked);
    }
    let mut declared = None;
    for value in lengths {
        let length = value
            .to_str()
            .ok()
            .filter(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|text| text.parse::<u64>().ok())
            .ok_or_else(|| Unread::bad("the Content-Length header is not a number"))?;
        if declared.is_some_and(|other| other != length) {
            return Err(Unread::bad(
                "the request has two different Content-Length headers",
            ));
        }
        declared = Some(length);
    }
    let length = declared.unwrap_or(0);
    if length > max_body {
        return Err(too_large(max_body));
    }
    Ok(Framing::Length(length))
}

fn too_large(max_body: u64) -> Unread {
    Unread::Answer(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request body is over the {max_body}-byte limit (--max-body)"),
    )
}

fn says_close(headers: &oxhttp::model::HeaderMap) -> bool {
    headers.get_all(header::CONNECTION).iter().any(|value| {
        value
            .to_str()
            .is_ok_and(|v| v.split(',').any(|o| o.trim().eq_ignore_ascii_case("close")))
    })
}

/// Headers the connection writes itself, never from a handler's response.
fn is_framing(name: &HeaderName) -> bool {
    name == header::CONNECTION
        || name == header::CONTENT_LENGTH
        || name == header::TRANSFER_ENCODING
        || name.as_str() == "keep-alive"
}

/// A socket written under a [`Pace`]: each write waits at most for the time
/// left, so a client that reads a byte a second cannot hold a connection.
struct Paced<'a> {
    stream: &'a TcpStream,
    pace: Pace,
}

impl Write for Paced<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let left = self
            .pace
            .deadline()
            .saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.stream.set_write_timeout(Some(left))?;
        let written = self.stream.write(bytes)?;
        self.pace.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Connections closing after an answer while their client may still be
/// sending: one thread reads and drops what comes, for [`LINGER`] at most.
struct Lingering {
    closing: Mutex<Vec<(TcpStream, Instant)>>,
    added: Condvar,
}

impl Lingering {
    fn start() -> Arc<Self> {
        let lingering = Arc::new(Lingering {
            closing: Mutex::new(Vec::new()),
            added: Condvar::new(),
        });
        let drained = Arc::clone(&lingering);
        std::thread::Builder::new()
            .name("lingering closes".into())
            .spawn(move || drained.drain())
            .expect("the system can start one thread");
        lingering
    }

    fn close(&self, stream: TcpStream) {
        if stream.shutdown(Shutdown::Write).is_err() || stream.set_nonblocking(true).is_err() {
            return;
        }
        let mut closing = self.closing.lock().unwrap_or_else(PoisonError::into_inner);
        if closing.len() >= MAX_LINGERING {
            closing.remove(0);
        }
        closing.push((stream, Instant::now() + LINGER));
        self.added.notify_one();
    }

    fn drain(&self) {
        let mut scratch = vec![0; 16 * 1024];
        let mut closing = self.closing.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            while closing.is_empty() {
                closing = self
                    .added
                    .wait(closing)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            let now = Instant::now();
            closing.retain(|(stream, until)| now < *until && still_sending(stream, &mut scratch));
            drop(closing);
            std::thread::sleep(Duration::from_millis(20));
            closing = self.closing.lock().unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Reads and drops what a closing client sent; false once it has closed too.
fn still_sending(mut stream: &TcpStream, scratch: &mut [u8]) -> bool {
    for _ in 0..4 {
        match stream.read(scratch) {
            Ok(0) => return false,
            Ok(_) => {}
            Err(error) => return error.kind() == ErrorKind::WouldBlock,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_at_a_real_rate_earns_time_and_a_trickle_does_not() {
        let start = Instant::now();
        let grace = Duration::from_secs(10);
        let trickle = Pace {
            start,
            grace,
            bytes: 10,
        };
        assert_eq!(trickle.deadline(), start + grace);
        let upload = Pace {
            start,
            grace,
            bytes: 100 * MIN_RATE,
        };
        assert_eq!(upload.deadline(), start + grace + Duration::from_secs(100));
        assert!(upload.standing() > trickle.standing());
    }

    #[test]
    fn at_the_cap_the_request_furthest_behind_makes_room_and_one_being_answered_never_does() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let connect = || {
            let client = TcpStream::connect(address).unwrap();
            (client, listener.accept().unwrap().0)
        };
        let open = Arc::new(Open::new(2));
        let now = Instant::now();
        let (mut first_client, first) = connect();
        let first_slot = open.admit(&first, now).unwrap();
        let (_second_client, second) = connect();
        let second_slot = open.admit(&second, now + Duration::from_secs(1)).unwrap();
        let (_third_client, third) = connect();
        let third_slot = open.admit(&third, now + Duration::from_secs(2)).unwrap();
        assert!(!first_slot.receiving(now), "the earliest was evicted");
        first_client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        assert_eq!(first_client.read(&mut [0; 8]).unwrap_or(0), 0, "and closed");
        drop(first_slot);
        assert!(second_slot.answering() && third_slot.answering());
        let (_fourth_client, fourth) = connect();
        assert!(
            open.admit(&fourth, now + Duration::from_secs(3)).is_none(),
            "no room while every connection is answering"
        );
        drop(third_slot);
        assert!(open.admit(&fourth, now + Duration::from_secs(3)).is_some());
    }
}
