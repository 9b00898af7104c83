//! Query deadlines: one thread cancels every query whose time is up, through
//! Oxigraph's cancellation token, so that a timeout stops the evaluation itself
//! (a sort or a join in progress) and not only the sending of its answer.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Deadlines {
    pending: BTreeMap<(Instant, u64), CancellationToken>,
    next_id: u64,
}

type Shared = Arc<(Mutex<Deadlines>, Condvar)>;

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
        let (lock, wake) = &*self.shared;
        let mut deadlines = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (Instant::now() + timeout, deadlines.next_id);
        deadlines.next_id += 1;
        let earliest = deadlines
            .pending
            .keys()
            .next()
            .is_none_or(|first| key < *first);
        deadlines.pending.insert(key, token.clone());
        if earliest {
            wake.notify_one();
        }
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

    /// When the time is up.
    pub fn when(&self) -> Instant {
        self.key.0
    }

    /// Whether the time is up (the query was, or is about to be, cancelled).
    pub fn passed(&self) -> bool {
        Instant::now() >= self.key.0
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let (lock, _) = &*self.shared;
        lock.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pending
            .remove(&self.key);
    }
}

fn watch(shared: &Shared) {
    let (lock, wake) = &**shared;
    let mut deadlines = lock.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let now = Instant::now();
        match deadlines.pending.keys().next().copied() {
            Some(key) if key.0 <= now => {
                if let Some(token) = deadlines.pending.remove(&key) {
                    token.cancel();
                }
            }
            Some((when, _)) => {
                deadlines = wake
                    .wait_timeout(deadlines, when - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            None => {
                deadlines = wake.wait(deadlines).unwrap_or_else(PoisonError::into_inner);
            }
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
        let (lock, _) = &*watchdog.shared;
        assert!(lock.lock().unwrap().pending.is_empty());
    }
}
