//! Verified AuthnRequests, kept in the database: the unique (application, request ID) row is the
//! replay defence on every node, and the row is what the employee comes back to after signing
//! in — the sign-in page carries its id, never a URL. Each is answered at most once.

use chrono::{Duration, Utc};
use entity::saml_request;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, SqlErr};

use super::request::VerifiedRequest;
use super::Saml;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::ids::plausible_id;

/// How long an employee has to sign in and come back to a request.
const PENDING_MINUTES: i64 = 30;

/// Records a verified request. A request ID the application already sent is refused: it is a
/// replay, whether or not the first one was answered.
pub async fn accept(
    saml: &Saml,
    application_id: &str,
    request: &VerifiedRequest,
) -> AppResult<saml_request::Model> {
    let now = Utc::now();
    // Kept at least as long as a copy of the request could still pass the IssueInstant check.
    let skew = Duration::seconds(i64::from(saml.config.sso.clock_skew_seconds));
    let expires = now + (skew * 2).max(Duration::minutes(PENDING_MINUTES));
    let txn = saml.store.begin_write().await?;
    saml_request::Entity::delete_many()
        .filter(saml_request::Column::ApplicationId.eq(application_id))
        .filter(saml_request::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    let inserted = saml_request::ActiveModel {
        id: Set(new_id()),
        application_id: Set(application_id.to_owned()),
        request_id: Set(request.id.clone()),
        acs_url: Set(request.acs_url.clone()),
        relay_state: Set(request.relay_state.clone()),
        force_authn: Set(request.force_authn),
        received_at: Set(now),
        expires_at: Set(expires),
        answered_at: Set(None),
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::conflict(
                "SAMLRequest",
                format!(
                    "the AuthnRequest {:?} was already received: a request is answered once. \
                     Start the sign-in again from the application.",
                    request.id
                ),
            ))
        }
        Err(err) => return Err(err.into()),
    };
    txn.commit().await?;
    Ok(row)
}

/// A pending request the employee comes back to, unanswered and not expired.
pub async fn pending(saml: &Saml, id: &str) -> AppResult<saml_request::Model> {
    let gone = || {
        AppError::bad_input(
            "request",
            "this sign-in request is unknown, expired or already answered: start again from the \
             application",
        )
    };
    if !plausible_id(id) {
        return Err(gone());
    }
    let row = saml_request::Entity::find_by_id(id.to_owned())
        .one(&saml.store.conn)
        .await?
        .ok_or_else(gone)?;
    if row.answered_at.is_some() || row.expires_at <= Utc::now() {
        return Err(gone());
    }
    Ok(row)
}

/// Marks the request answered; refused when another tab or node answered it first.
pub async fn mark_answered(saml: &Saml, row: &saml_request::Model) -> AppResult<()> {
    let txn = saml.store.begin_write().await?;
    let updated = saml_request::Entity::update_many()
        .col_expr(saml_request::Column::AnsweredAt, Expr::value(Utc::now()))
        .filter(saml_request::Column::Id.eq(row.id.clone()))
        .filter(saml_request::Column::AnsweredAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    if updated == 0 {
        return Err(AppError::conflict(
            "SAMLRequest",
            "this sign-in request was already answered: start again from the application",
        ));
    }
    Ok(())
}
