//! Relay-style forward pagination: `first`/`after`, `edges { cursor node }`, `pageInfo` and
//! `totalCount`. Cursors are opaque (base64url of the sort key, which the next page starts
//! after: keyset pagination, so a deep page costs what the first one does). `totalCount` is
//! counted only when the query selects it.

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Object, OutputType, SimpleObject};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::directory::MAX_PAGE;
use crate::error::{AppError, AppResult};
use crate::query::Count;

pub const DEFAULT_PAGE: u64 = 20;

/// Longer than any cursor this server hands out (a sort key of at most a few hundred bytes).
const MAX_CURSOR: usize = 2048;

pub struct Cursor(pub String);

impl CursorType for Cursor {
    type Error = String;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(Cursor)
            .ok_or_else(|| "invalid cursor".to_owned())
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0)
    }
}

/// The list's total, counted only when selected.
pub struct Total(Count);

#[Object]
impl Total {
    /// How many items match, over all pages. Exact: it counts the matching rows (an index
    /// range where the filter has one), so leave it out of queries that page through a long
    /// list and ask for it once.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok(self.0.get().await?)
    }

    /// How many items match, cheaply: exact up to 10,000 (reading at most that many index
    /// entries), beyond that PostgreSQL's planner estimate from its statistics (no rows read;
    /// on SQLite, which keeps none, 10,001 with `exact: false`). `totalCount` at a million
    /// rows takes tens of milliseconds (README, "Benchmarks"); this stays around one.
    async fn total_count_estimate(&self) -> async_graphql::Result<TotalEstimate> {
        let estimate = self.0.estimate().await?;
        Ok(TotalEstimate {
            count: estimate.count,
            exact: estimate.exact,
        })
    }
}

/// An estimate of a list's total.
#[derive(SimpleObject)]
pub struct TotalEstimate {
    pub count: u64,
    /// Whether `count` is the exact total.
    pub exact: bool,
}

pub type Page<N> = Connection<Cursor, N, Total>;

/// A validated `first`/`after` pair. `fetch` is one more than the page so that the query
/// tells whether there is a next page.
pub struct PageArgs {
    pub after: Option<String>,
    pub limit: u64,
}

impl PageArgs {
    pub fn parse(first: Option<i32>, after: Option<String>) -> AppResult<PageArgs> {
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(n) if n >= 1 && (n as u64) <= MAX_PAGE => n as u64,
            Some(n) => {
                return Err(AppError::bad_input(
                    "first",
                    format!("first must be between 1 and {MAX_PAGE}, not {n}"),
                ))
            }
        };
        let after = match after {
            None => None,
            Some(cursor) if cursor.len() > MAX_CURSOR => {
                return Err(AppError::bad_input("after", "not a cursor of this list"))
            }
            Some(cursor) => Some(
                Cursor::decode_cursor(&cursor)
                    .map_err(|_| AppError::bad_input("after", "not a cursor of this list"))?
                    .0,
            ),
        };
        Ok(PageArgs { after, limit })
    }

    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Builds the connection from up to `fetch()` rows.
    pub fn connection<T, N: OutputType>(
        &self,
        mut rows: Vec<T>,
        total: Count,
        key: impl Fn(&T) -> String,
        node: impl Fn(T) -> N,
    ) -> Page<N> {
        let has_next = rows.len() as u64 > self.limit;
        rows.truncate(self.limit as usize);
        let mut connection =
            Connection::with_additional_fields(self.after.is_some(), has_next, Total(total));
        connection.edges.extend(
            rows.into_iter()
                .map(|row| Edge::new(Cursor(key(&row)), node(row))),
        );
        connection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_arguments_are_checked() {
        assert_eq!(PageArgs::parse(None, None).unwrap().limit, DEFAULT_PAGE);
        assert!(PageArgs::parse(Some(0), None).is_err());
        assert!(PageArgs::parse(Some(101), None).is_err());
        assert!(PageArgs::parse(Some(-5), None).is_err());
        let err = PageArgs::parse(Some(5), Some("%%%".into())).err().unwrap();
        assert_eq!(err.field(), Some("after"));
        let cursor = Cursor("bob".into()).encode_cursor();
        assert_eq!(
            PageArgs::parse(Some(5), Some(cursor))
                .unwrap()
                .after
                .as_deref(),
            Some("bob")
        );
    }
}
