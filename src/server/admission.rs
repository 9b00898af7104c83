//! How many queries evaluate at once. Past the machine's cores, more queries at
//! once only share the same cores: each takes longer, and under load all of them
//! run into the timeout together. Waiting queries queue here instead, in order,
//! and the timeout counts from when a query starts evaluating.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub struct Admission {
    running: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

/// A query's place among those evaluating; dropping it frees the place.
pub struct Admitted<'a>(&'a Admission);

impl Admission {
    pub fn new(limit: usize) -> Self {
        Admission {
            running: Mutex::new(0),
            freed: Condvar::new(),
            limit: limit.max(1),
        }
    }

    /// Waits for a place at most `patience`; `None` when none came free.
    pub fn enter(&self, patience: Duration) -> Option<Admitted<'_>> {
        let until = Instant::now() + patience;
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        while *running >= self.limit {
            let left = until.checked_duration_since(Instant::now())?;
            running = self
                .freed
                .wait_timeout(running, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *running += 1;
        Some(Admitted(self))
    }
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        *self
            .0
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner) -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_than_the_limit_run_and_a_freed_place_is_taken() {
        let admission = Admission::new(2);
        let first = admission.enter(Duration::ZERO).unwrap();
        let _second = admission.enter(Duration::ZERO).unwrap();
        assert!(admission.enter(Duration::from_millis(20)).is_none());
        drop(first);
        assert!(admission.enter(Duration::ZERO).is_some());
    }
}
