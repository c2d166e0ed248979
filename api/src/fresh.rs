//! Rows that every sign-in reads and administrators rarely change (an application, which key
//! of an instance signs), kept on this node for [`REFRESH_INTERVAL`] — the same bound as the
//! cached access policies. A change made on this node is seen at once: the code that commits it
//! forgets the entry. A change made on another node sharing the database is seen within the
//! interval.
//!
//! A reader that missed takes a [`Ticket`] before it reads the database; what it read is kept
//! only if nothing was forgotten in between, so a slow reader cannot put back a row that a
//! writer on this node has just replaced.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a node trusts what it keeps (an instance's policies, an application, a signing
/// key) before it asks the database whether they changed. Changes made on another node take
/// effect within this interval.
pub const REFRESH_INTERVAL: Duration = Duration::from_millis(500);

pub struct FreshCache<V> {
    inner: Mutex<Inner<V>>,
    capacity: usize,
}

struct Inner<V> {
    entries: HashMap<String, (Instant, V)>,
    /// Counts the forgets: a ticket from before one is worthless.
    generation: u64,
}

/// Taken on a miss, before the database is read.
#[must_use = "a ticket keeps what the database returned"]
pub struct Ticket(u64);

impl<V: Clone> FreshCache<V> {
    /// A cache of at most `capacity` entries; past it, it starts over.
    pub fn new(capacity: usize) -> FreshCache<V> {
        FreshCache {
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                generation: 0,
            }),
            capacity,
        }
    }

    /// The value kept for `key` if it was read less than the interval ago; else the ticket to
    /// keep what is read now.
    pub fn get(&self, key: &str) -> Result<V, Ticket> {
        let inner = self.lock();
        match inner.entries.get(key) {
            Some((read_at, value)) if read_at.elapsed() < REFRESH_INTERVAL => Ok(value.clone()),
            _ => Err(Ticket(inner.generation)),
        }
    }

    /// Keeps `value`, read from the database after `ticket` was taken, unless an entry was
    /// forgotten since.
    pub fn keep(&self, ticket: Ticket, key: &str, value: V) {
        let mut inner = self.lock();
        if inner.generation != ticket.0 {
            return;
        }
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(key) {
            inner.entries.clear();
        }
        inner
            .entries
            .insert(key.to_owned(), (Instant::now(), value));
    }

    /// Forgets `key`, after this node changed what it names.
    pub fn forget(&self, key: &str) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.remove(key);
    }

    /// Forgets every entry, after a change whose keys are not known one by one (an instance
    /// and everything in it deleted).
    pub fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    fn lock(&self) -> MutexGuard<'_, Inner<V>> {
        // Entries are inserted whole: a poisoned map is still a valid one.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_served_until_the_interval_passes() {
        let cache = FreshCache::new(8);
        let Err(ticket) = cache.get("a") else {
            panic!("an empty cache has nothing to serve");
        };
        cache.keep(ticket, "a", 1);
        assert_eq!(cache.get("a").ok(), Some(1));
        std::thread::sleep(REFRESH_INTERVAL);
        assert!(cache.get("a").is_err(), "served past the interval");
    }

    #[test]
    fn a_read_from_before_a_forget_is_not_kept() {
        let cache = FreshCache::new(8);
        let Err(slow_reader) = cache.get("a") else {
            panic!("an empty cache has nothing to serve");
        };
        // A writer commits a change to "a" and forgets it while the reader is still reading.
        cache.forget("a");
        cache.keep(slow_reader, "a", 1);
        assert!(cache.get("a").is_err(), "the stale read was kept");
        let Err(ticket) = cache.get("a") else {
            panic!("nothing was kept");
        };
        cache.keep(ticket, "a", 2);
        assert_eq!(cache.get("a").ok(), Some(2));
        cache.forget_all();
        assert!(cache.get("a").is_err());
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let cache = FreshCache::new(2);
        for (n, key) in ["a", "b", "c"].into_iter().enumerate() {
            let Err(ticket) = cache.get(key) else {
                panic!("{key} was never kept");
            };
            cache.keep(ticket, key, n);
        }
        let served = ["a", "b", "c"]
            .iter()
            .filter(|key| cache.get(key).is_ok())
            .count();
        assert!(served <= 2, "{served} entries kept in a cache of 2");
        assert_eq!(cache.get("c").ok(), Some(2), "the newest entry is kept");
    }
}
