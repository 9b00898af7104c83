//! Query deadlines: one thread cancels every query whose time is up, through
//! Oxigraph's cancellation token, so that a timeout stops the evaluation itself
//! (a sort or a join in progress) and not only the sending of its answer. The
//! thread looks every [`TICK`], so that starting a query never has to wake it: a
//! deadline is kept to within a tick, which is nothing beside timeouts of seconds.
//!
//! The same thread bounds memory: when the process's resident memory passes the
//! limit (`serve --max-memory`), every query evaluating is cancelled, and answered
//! as stopped for memory. A query's memory cannot be told apart from the others'
//! inside one process, so the limit is the server's; with the queries that run at
//! once capped near the number of cores, the one that grows is stopped within a
//! tick of passing it.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

struct Watched {
    token: CancellationToken,
    /// Set when the query was stopped because memory ran over the limit.
    over_memory: Arc<AtomicBool>,
}

#[derive(Default)]
struct Deadlines {
    pending: BTreeMap<(Instant, u64), Watched>,
    next_id: u64,
}

type Shared = Arc<Mutex<Deadlines>>;

/// How often the thread looks for late queries.
const TICK: Duration = Duration::from_millis(20);

/// The thread that cancels late queries.
pub struct Watchdog {
    shared: Shared,
}

/// A query's deadline; dropping it (the query is done) forgets it.
pub struct Deadline {
    shared: Shared,
    key: (Instant, u64),
    token: CancellationToken,
    over_memory: Arc<AtomicBool>,
}

impl Watchdog {
    /// Starts the thread; with a memory limit in bytes, it also keeps the process's
    /// resident memory under it.
    pub fn start(memory_limit: Option<u64>) -> Self {
        let shared: Shared = Arc::default();
        let watched = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("query deadlines".into())
            .spawn(move || watch(&watched, memory_limit))
            .expect("the system can start one thread");
        Watchdog { shared }
    }

    /// A deadline `timeout` from now, with the token to give the evaluator.
    pub fn deadline(&self, timeout: Duration) -> Deadline {
        let token = CancellationToken::new();
        let mut deadlines = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (Instant::now() + timeout, deadlines.next_id);
        deadlines.next_id += 1;
        let over_memory = Arc::new(AtomicBool::new(false));
        deadlines.pending.insert(
            key,
            Watched {
                token: token.clone(),
                over_memory: Arc::clone(&over_memory),
            },
        );
        drop(deadlines);
        Deadline {
            shared: Arc::clone(&self.shared),
            key,
            token,
            over_memory,
        }
    }
}

impl Deadline {
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Whether the time is up (the query was, or is about to be, cancelled).
    pub fn passed(&self) -> bool {
        Instant::now() >= self.key.0
    }

    /// Whether the query was stopped because memory ran over the limit.
    pub fn over_memory(&self) -> bool {
        self.over_memory.load(Ordering::Relaxed)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pending
            .remove(&self.key);
    }
}

fn watch(shared: &Shared, memory_limit: Option<u64>) {
    loop {
        std::thread::sleep(TICK);
        let now = Instant::now();
        let mut deadlines = shared.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(entry) = deadlines.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            entry.remove().token.cancel();
        }
        if deadlines.pending.is_empty() {
            continue;
        }
        if memory_limit.is_some_and(|limit| resident_memory().is_some_and(|used| used > limit)) {
            for (_, watched) in std::mem::take(&mut deadlines.pending) {
                watched.over_memory.store(true, Ordering::Relaxed);
                watched.token.cancel();
            }
        }
    }
}

/// The process's resident memory in bytes (Linux; elsewhere unknown).
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

#[cfg(target_os = "linux")]
fn page_size() -> u64 {
    rustix::param::page_size() as u64
}

#[cfg(not(target_os = "linux"))]
fn page_size() -> u64 {
    4096
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_query_is_cancelled_and_a_finished_one_forgotten() {
        let watchdog = Watchdog::start(None);
        let late = watchdog.deadline(Duration::from_millis(20));
        let done = watchdog.deadline(Duration::from_secs(3600));
        drop(done);
        let started = Instant::now();
        while !late.token().is_cancelled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(late.token().is_cancelled());
        assert!(late.passed());
        assert!(watchdog.shared.lock().unwrap().pending.is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn memory_over_the_limit_stops_every_query_evaluating() {
        // Any process holds more than one byte.
        let watchdog = Watchdog::start(Some(1));
        let query = watchdog.deadline(Duration::from_secs(3600));
        let started = Instant::now();
        while !query.token().is_cancelled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(query.over_memory() && !query.passed());
        assert!(resident_memory().is_some_and(|bytes| bytes > 1 << 20));
    }
}
