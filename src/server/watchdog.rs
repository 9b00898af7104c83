//! Query deadlines: one thread cancels every query whose time is up, through
//! Oxigraph's cancellation token, so that a timeout stops the evaluation itself
//! (a sort or a join in progress) and not only the sending of its answer. The
//! thread looks every [`TICK`], so that starting a query never has to wake it: a
//! deadline is kept to within a tick, which is nothing beside timeouts of seconds.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Deadlines {
    pending: BTreeMap<(Instant, u64), CancellationToken>,
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
}

impl Watchdog {
    pub fn start() -> Self {
        let shared: Shared = Arc::default();
        let watched = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("query deadlines".into())
            .spawn(move || watch(&watched))
            .expect("the system can start one thread");
        Watchdog { shared }
    }

    /// A deadline `timeout` from now, with the token to give the evaluator.
    pub fn deadline(&self, timeout: Duration) -> Deadline {
        let token = CancellationToken::new();
        let mut deadlines = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (Instant::now() + timeout, deadlines.next_id);
        deadlines.next_id += 1;
        deadlines.pending.insert(key, token.clone());
        drop(deadlines);
        Deadline {
            shared: Arc::clone(&self.shared),
            key,
            token,
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

fn watch(shared: &Shared) {
    loop {
        std::thread::sleep(TICK);
        let now = Instant::now();
        let mut deadlines = shared.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(entry) = deadlines.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            entry.remove().cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_query_is_cancelled_and_a_finished_one_forgotten() {
        let watchdog = Watchdog::start();
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
}
