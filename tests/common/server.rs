//! A `credgraph serve` process on a free loopback port, and an HTTP client for it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The token the writable test servers take.
pub const TOKEN: &str = "test-token-0123456789abcdef";

/// A running server, stopped when dropped.
pub struct Served {
    child: Child,
    pub base: String,
}

impl Served {
    /// Starts `credgraph [store args] serve --bind 127.0.0.1:0 [serve args]` and
    /// waits for the address it prints.
    pub fn start(store_args: &[&str], serve_args: &[&str]) -> Served {
        Self::start_with_env(store_args, serve_args, &[])
    }

    pub fn start_with_env(
        store_args: &[&str],
        serve_args: &[&str],
        env: &[(&str, &str)],
    ) -> Served {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("credgraph"));
        command
            .env_remove("CREDGRAPH_DB")
            .env_remove("CREDGRAPH_TOKEN")
            .args(store_args)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(serve_args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = String::new();
        let base = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("the server stopped before listening:\n{seen}");
            };
            if let Some(rest) = line.strip_prefix("credgraph serves ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
            }
            seen.push_str(&line);
            seen.push('\n');
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served { child, base }
    }

    /// The seed case in memory, reasoned, read-only.
    pub fn seed(serve_args: &[&str]) -> Served {
        let data = super::seed_data();
        Self::start(
            &["--memory", "--load", data.to_str().unwrap(), "--reason"],
            serve_args,
        )
    }

    /// An empty store in memory, writable with [`TOKEN`].
    pub fn writable_empty(serve_args: &[&str]) -> Served {
        let mut args = vec!["--writable"];
        args.extend_from_slice(serve_args);
        Self::start_with_env(&["--memory"], &args, &[("CREDGRAPH_TOKEN", TOKEN)])
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that reports every status instead of failing on 4xx and 5xx.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Status, headers we look at, and body of a response.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// Sends a request and reads the whole response.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<Vec<u8>>) -> Reply {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let agent = client();
    let response = match body {
        Some(body) => agent.run(builder.body(body).unwrap()),
        None => agent.run(builder.body(()).unwrap()),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = if method == "HEAD" {
        Vec::new()
    } else {
        response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap_or_default()
    };
    Reply {
        status,
        content_type,
        headers,
        body,
    }
}

/// A SPARQL query by form POST.
pub fn query(served: &Served, text: &str, accept: &str) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", text)
        .finish();
    send(
        "POST",
        &served.url("/query"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", accept),
        ],
        Some(body.into_bytes()),
    )
}

/// A SPARQL update by direct POST with the given token (or none).
pub fn update(served: &Served, text: &str, token: Option<&str>) -> Reply {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/sparql-update")];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    send(
        "POST",
        &served.url("/update"),
        &headers,
        Some(text.as_bytes().to_vec()),
    )
}

/// The CPU ticks (user and system) a process has used, from /proc.
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}
