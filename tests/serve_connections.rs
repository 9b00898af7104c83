//! `credgraph serve` under clients that misbehave: hundreds sending a byte at a
//! time do not keep `/health` from answering, a connection over the cap is
//! answered 503 at once rather than queued, and a request that trickles past
//! its deadline is cut off. Plain HTTP/1.1 over one socket (keep-alive,
//! chunked bodies, `Expect: 100-continue`, HEAD, HTTP/1.0) still works.

mod common;

use common::server::Served;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn address(served: &Served) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], served.port()))
}

/// A response as read off the socket.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one response (after any 100 Continue), by Content-Length, chunks, or
/// to the end of the connection.
fn read_answer(reader: &mut BufReader<TcpStream>, head_only: bool) -> Answer {
    let mut line = String::new();
    let (status, headers) = loop {
        line.clear();
        reader.read_line(&mut line).expect("a status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("a status line, got {line:?}"))
            .parse()
            .unwrap();
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let field = line.trim_end();
            if field.is_empty() {
                break;
            }
            let (name, value) = field.split_once(':').unwrap();
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        if status != 100 {
            break (status, headers);
        }
    };
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    if head_only || status == 204 {
        return answer;
    }
    if let Some(length) = answer.header("content-length") {
        let mut body = vec![0; length.parse().unwrap()];
        reader.read_exact(&mut body).unwrap();
        answer.body = body;
    } else if answer.header("transfer-encoding") == Some("chunked") {
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let size = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).unwrap();
            if size == 0 {
                break;
            }
            answer.body.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut answer.body).unwrap();
    }
    answer
}

/// `GET /health` on a new connection: its status and how long it took.
fn health(address: SocketAddr) -> (u16, Duration) {
    let started = Instant::now();
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    (&stream)
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let answer = read_answer(&mut BufReader::new(stream), false);
    (answer.status, started.elapsed())
}

#[test]
fn health_answers_within_a_second_while_300_clients_send_a_byte_at_a_time() {
    let served = Served::seed(&[]);
    let address = address(&served);
    let slow: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
            (&stream)
                .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                .ok()?;
            Some(stream)
        })
        .collect();
    assert!(slow.len() >= 250, "{} slow clients connected", slow.len());
    let done = Arc::new(AtomicBool::new(false));
    let trickling = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            // A byte from each in turn, each client about once every 300 ms.
            while !done.load(Ordering::Relaxed) {
                for mut stream in &slow {
                    let _ = stream.write_all(b"a");
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        let (status, took) = health(address);
        assert_eq!(status, 200);
        assert!(took < Duration::from_secs(1), "/health took {took:?}");
        std::thread::sleep(Duration::from_millis(400));
    }
    done.store(true, Ordering::Relaxed);
    trickling.join().unwrap();
}

#[test]
fn a_connection_over_the_cap_is_answered_503_at_once_when_all_are_answering() {
    let served = Served::seed(&["--max-connections", "2", "--timeout", "3"]);
    let address = address(&served);
    // Two queries that run until their timeout hold both places.
    let endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let busy: Vec<TcpStream> = (0..2)
        .map(|_| {
            let stream = TcpStream::connect(address).unwrap();
            write!(
                &stream,
                "POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: {}\r\n\r\n{endless}",
                endless.len()
            )
            .unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let answer = read_answer(&mut BufReader::new(stream), false);
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(
        String::from_utf8_lossy(&answer.body).contains("--max-connections"),
        "the answer says why"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "503 after {:?}",
        started.elapsed()
    );
    // Once the queries are stopped, their places are free again.
    for stream in busy {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let answer = read_answer(&mut BufReader::new(stream), false);
        assert_eq!(answer.status, 503, "stopped by the query timeout");
    }
    // The server frees a place once the stopped query has unwound and the
    // connection is closed, a moment after the client has read the answer (longer
    // on a loaded machine): allow it a few seconds.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut status = health(address).0;
    while status != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        status = health(address).0;
    }
    assert_eq!(status, 200, "a place is free again");
}

/// Sends `head` then `trickle` a byte every 200 ms, and reads what comes back:
/// the status (0 when the connection closed without a word) and when.
fn trickled(address: SocketAddr, head: &'static [u8], trickle: &'static [u8]) -> (u16, Duration) {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let started = Instant::now();
    writer.write_all(head).unwrap();
    std::thread::spawn(move || {
        for byte in trickle {
            std::thread::sleep(Duration::from_millis(200));
            if writer.write_all(&[*byte]).is_err() {
                return;
            }
        }
    });
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let _ = reader.read_to_end(&mut Vec::new());
    (status, started.elapsed())
}

#[test]
fn a_request_trickled_past_the_deadline_is_cut_off() {
    let served = Served::seed(&["--request-timeout", "1"]);
    let address = address(&served);
    let trickle: &[u8] = &[b'a'; 100];
    let (status, took) = trickled(address, b"GET /health HTTP/1.1\r\nX-Slow: ", trickle);
    assert_eq!(status, 408, "a head past the deadline");
    assert!(took < Duration::from_secs(4), "cut off after {took:?}");
    let (status, took) = trickled(
        address,
        b"POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n",
        trickle,
    );
    assert_eq!(status, 408, "a body past the deadline");
    assert!(took < Duration::from_secs(4), "cut off after {took:?}");
    assert_eq!(health(address).0, 200);
}

#[test]
fn one_connection_carries_keep_alive_chunked_bodies_continue_head_and_http_1_0() {
    let served = Served::seed(&[]);
    let stream = TcpStream::connect(address(&served)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    writer
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let first = read_answer(&mut reader, false);
    assert_eq!(first.status, 200);
    assert!(String::from_utf8_lossy(&first.body).contains("\"ok\""));
    // A chunked query body, announced with Expect: 100-continue.
    let query = "ASK { ?s a cg:Person }";
    let (a, b) = query.split_at(7);
    write!(
        writer,
        "POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 100"), "{line}");
    reader.read_line(&mut line).unwrap();
    write!(
        writer,
        "{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\nX-Trailer: t\r\n\r\n",
        a.len(),
        b.len()
    )
    .unwrap();
    let asked = read_answer(&mut reader, false);
    assert_eq!(asked.status, 200);
    assert!(String::from_utf8_lossy(&asked.body).contains("true"));
    // HEAD: the headers of a GET and no body, on the same connection.
    writer
        .write_all(b"HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let head = read_answer(&mut reader, true);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("application/json"));
    // A streamed answer (the whole store) comes chunked.
    writer
        .write_all(b"GET /store HTTP/1.1\r\nHost: localhost\r\nAccept: application/n-quads\r\n\r\n")
        .unwrap();
    let store = read_answer(&mut reader, false);
    assert_eq!(store.status, 200);
    assert_eq!(store.header("transfer-encoding"), Some("chunked"));
    assert!(String::from_utf8_lossy(&store.body).lines().count() > 100);
    // HTTP/1.0: answered, then closed.
    writer.write_all(b"GET /health HTTP/1.0\r\n\r\n").unwrap();
    let old = read_answer(&mut reader, false);
    assert_eq!(old.status, 200);
    assert!(String::from_utf8_lossy(&old.body).contains("\"ok\""));
    let mut rest = Vec::new();
    assert_eq!(
        reader.read_to_end(&mut rest).unwrap(),
        0,
        "closed after 1.0"
    );
}

#[test]
fn requests_that_cannot_be_framed_safely_are_refused() {
    let served = Served::seed(&["--max-body", "1000"]);
    let address = address(&served);
    let refused = |request: &[u8]| {
        let stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        (&stream).write_all(request).unwrap();
        let answer = read_answer(&mut BufReader::new(stream), false);
        assert_eq!(answer.header("connection"), Some("close"));
        answer.status
    };
    assert_eq!(
        refused(b"POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        400,
        "both framings at once"
    );
    assert_eq!(
        refused(b"POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n"),
        413,
        "a declared body over the limit, refused before it is sent"
    );
    assert_eq!(
        refused(b"POST /query HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n"),
        501
    );
    assert_eq!(refused(b"GET /health HTTP/1.1\r\n\r\n"), 400, "no Host");
    assert_eq!(refused(b"NOT HTTP AT ALL\r\n\r\n"), 400);
}
