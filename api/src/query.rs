//! SQL helpers every domain shares: case-insensitive prefix matches (an index range where the
//! column holds a normalised key, an escaped `LIKE` where it does not), a count computed only
//! when asked, and the mapping of a unique-index violation to `CONFLICT`. A leaf.

use sea_orm::sea_query::{Alias, Expr, Func, LikeExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IntoSimpleExpr,
    QueryTrait, Select, SqlErr, Statement,
};

use crate::error::{AppError, AppResult};

/// The longest search prefix a list takes: an email address's length. Longer ones cannot
/// match anything and are refused rather than sent to the database.
pub const MAX_SEARCH: usize = 254;

/// `LOWER(column) LIKE 'prefix%'` with the prefix's wildcards escaped. It cannot use an index;
/// for short lists only (group names, application accounts of one application).
pub fn prefix_match(column: impl IntoSimpleExpr, prefix: &str) -> SimpleExpr {
    let escaped: String = prefix
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Expr::expr(Func::lower(column.into_simple_expr()))
        .like(LikeExpr::new(format!("{escaped}%")).escape('\\'))
}

/// A search prefix as lists take it: trimmed, lower case, `None` when empty. Control
/// characters (PostgreSQL refuses NUL in text) and prefixes longer than [`MAX_SEARCH`] are
/// `BAD_USER_INPUT` on `field`.
pub fn search_prefix(field: &str, raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_SEARCH {
        return Err(AppError::bad_input(
            field,
            format!("a search is at most {MAX_SEARCH} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::bad_input(
            field,
            "a search cannot hold control characters",
        ));
    }
    Ok(Some(value.to_lowercase()))
}

/// `key >= prefix AND key < successor(prefix)`: the rows whose `key` starts with `prefix`, as
/// one range of an index on `key`. Exact under byte-wise ordering (SQLite's `BINARY`,
/// PostgreSQL's `COLLATE "C"`, which the key columns are declared with), where strings starting
/// with `p` are exactly those between `p` and `p` with its last character incremented.
pub fn prefix_range(key: impl IntoSimpleExpr + Clone, prefix: &str) -> Condition {
    let mut range = Condition::all().add(Expr::expr(key.clone().into_simple_expr()).gte(prefix));
    if let Some(upper) = successor(prefix) {
        range = range.add(Expr::expr(key.into_simple_expr()).lt(upper));
    }
    range
}

/// The least string greater than every string that starts with `prefix`, in code-point order
/// (which UTF-8 byte order is); `None` when there is none (all `char::MAX`, or empty).
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Up to this many matching rows, an estimate is the exact count (reading at most this many
/// index entries); beyond, the database's own estimate.
pub const EXACT_UP_TO: u64 = 10_000;

/// A list's total, counted only if the client asks for it: `totalCount` costs a pass over
/// every matching row (an index range, at best), which a page does not need.
pub struct Count(CountSource);

enum CountSource {
    Known(u64),
    Query {
        select: Box<SelectStatement>,
        db: DatabaseConnection,
    },
}

/// An estimate of a total: exact when there are at most [`EXACT_UP_TO`] rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub count: u64,
    pub exact: bool,
}

impl Count {
    /// The number of rows `select` matches, counted when [`Count::get`] is called.
    pub fn of<E: EntityTrait>(select: Select<E>, db: &DatabaseConnection) -> Count {
        Count(CountSource::Query {
            select: Box::new(select.into_query()),
            db: db.clone(),
        })
    }

    /// A total already known (a list held in memory).
    pub fn known(total: u64) -> Count {
        Count(CountSource::Known(total))
    }

    /// The exact total: one pass over the matching rows.
    pub async fn get(&self) -> AppResult<u64> {
        match &self.0 {
            CountSource::Known(total) => Ok(*total),
            CountSource::Query { select, db } => {
                Ok(count_up_to(db, select.as_ref().clone(), None).await?)
            }
        }
    }

    /// The exact total when it is at most [`EXACT_UP_TO`] (reading at most that many rows),
    /// else PostgreSQL's planner estimate from its statistics (no rows read). SQLite keeps no
    /// statistics: there, a larger total is given as `EXACT_UP_TO + 1`, inexact.
    pub async fn estimate(&self) -> AppResult<Estimate> {
        let (select, db) = match &self.0 {
            CountSource::Known(total) => {
                return Ok(Estimate {
                    count: *total,
                    exact: true,
                })
            }
            CountSource::Query { select, db } => (select, db),
        };
        let seen = count_up_to(db, select.as_ref().clone(), Some(EXACT_UP_TO + 1)).await?;
        if seen <= EXACT_UP_TO {
            return Ok(Estimate {
                count: seen,
                exact: true,
            });
        }
        let planned = match db.get_database_backend() {
            DbBackend::Postgres => planner_rows(db, select).await?,
            _ => None,
        };
        Ok(Estimate {
            count: planned.map_or(seen, |rows| rows.max(seen)),
            exact: false,
        })
    }
}

/// `SELECT COUNT(*) FROM (select LIMIT cap)`: the rows `select` matches, reading at most `cap`.
pub async fn count_up_to<C: ConnectionTrait>(
    db: &C,
    mut select: SelectStatement,
    cap: Option<u64>,
) -> Result<u64, DbErr> {
    if let Some(cap) = cap {
        select.limit(cap);
    }
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(select, Alias::new("counted"))
        .to_owned();
    let backend = db.get_database_backend();
    let rows: i64 = match db.query_one(backend.build(&count)).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(rows).unwrap_or_default())
}

/// The rows PostgreSQL's planner expects `select` to return (`EXPLAIN (FORMAT JSON)`).
async fn planner_rows(
    db: &DatabaseConnection,
    select: &SelectStatement,
) -> Result<Option<u64>, DbErr> {
    let statement = DbBackend::Postgres.build(select);
    let explain = Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("EXPLAIN (FORMAT JSON) {}", statement.sql),
        statement.values.map(|v| v.0).unwrap_or_default(),
    );
    let Some(row) = db.query_one(explain).await? else {
        return Ok(None);
    };
    let plan: serde_json::Value = row.try_get("", "QUERY PLAN")?;
    Ok(plan[0]["Plan"]["Plan Rows"]
        .as_f64()
        .map(|rows| rows as u64))
}

/// Maps a unique-index violation (a concurrent writer won the race) to `CONFLICT` on `field`.
pub fn unique_violation(field: &str, what: &str) -> impl FnOnce(DbErr) -> AppError {
    let field = field.to_owned();
    let what = what.to_owned();
    move |err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict(field, format!("{what} is already taken"))
        }
        _ => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_successor_of_a_prefix_bounds_exactly_the_strings_that_start_with_it() {
        assert_eq!(successor("abc").as_deref(), Some("abd"));
        assert_eq!(successor("a.").as_deref(), Some("a/"));
        assert_eq!(successor("").as_deref(), None);
        let max = char::MAX.to_string();
        assert_eq!(successor(&format!("a{max}")).as_deref(), Some("b"));
        assert_eq!(successor(&max), None);
        // U+D7FF is followed by U+E000: surrogates are not characters.
        assert_eq!(successor("\u{d7ff}").as_deref(), Some("\u{e000}"));
        let samples = [
            "u012",
            "u012x00",
            "u013",
            "u01",
            "ann@corp.example",
            "ann-",
            "ann@",
            "zz\u{10ffff}",
            "zz\u{0}a",
            "z{",
            "",
        ];
        for prefix in ["u012", "ann@", "zz", "z"] {
            let upper = successor(prefix).unwrap();
            for s in samples {
                let in_range = prefix <= s && s < upper.as_str();
                assert_eq!(in_range, s.starts_with(prefix), "{prefix:?} {s:?}");
            }
        }
    }

    #[test]
    fn search_prefixes_are_bounded_and_lower_cased() {
        assert_eq!(search_prefix("search", Some("  ")).unwrap(), None);
        assert_eq!(
            search_prefix("search", Some(" Ali ")).unwrap().as_deref(),
            Some("ali")
        );
        assert_eq!(
            search_prefix("search", Some("50%_\\")).unwrap().as_deref(),
            Some("50%_\\")
        );
        let long = "a".repeat(10_000);
        assert_eq!(
            search_prefix("search", Some(&long)).unwrap_err().field(),
            Some("search")
        );
        assert!(search_prefix("search", Some("a\0b")).is_err());
    }
}
