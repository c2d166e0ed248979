//! The counters this process keeps for `/metrics`: HTTP responses by status class and GraphQL
//! operations by result. A leaf: the HTTP edge and the GraphQL endpoint both count here.

use std::sync::atomic::{AtomicU64, Ordering};

/// Request counters kept by this process, exposed at `/metrics`.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    pub by_class: [AtomicU64; 5],
    pub graphql_ok: AtomicU64,
    pub graphql_failed: AtomicU64,
}

impl HttpMetrics {
    pub fn graphql_operation(&self, ok: bool) {
        let counter = if ok {
            &self.graphql_ok
        } else {
            &self.graphql_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one response by its status class (1xx … 5xx).
    pub fn response(&self, status: u16) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
    }
}
