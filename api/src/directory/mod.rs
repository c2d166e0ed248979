//! The directory of an instance: the instance itself, users, groups and the org-unit tree.
//! Every function takes the permit of a checked admin action and touches only the instance
//! that permit names.

pub mod groups;
pub mod instances;
pub mod org_units;
pub mod users;
pub mod validate;

use sea_orm::sea_query::{Expr, Func, LikeExpr, SimpleExpr};
use sea_orm::{DbErr, IntoSimpleExpr, SqlErr};

use crate::error::AppError;

/// The largest page a list returns.
pub const MAX_PAGE: u64 = 100;

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
