//! SQL helpers every domain shares: a case-insensitive prefix match whose wildcards are
//! escaped, and the mapping of a unique-index violation to `CONFLICT`. A leaf.

use sea_orm::sea_query::{Expr, Func, LikeExpr, SimpleExpr};
use sea_orm::{DbErr, IntoSimpleExpr, SqlErr};

use crate::error::AppError;

/// `LOWER(column) LIKE 'prefix%'` with the prefix's wildcards escaped.
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
