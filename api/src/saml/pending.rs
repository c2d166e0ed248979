//! SP-initiated requests that wait for a sign-in, sealed instead of stored: a verified
//! AuthnRequest becomes a short JWT (HS256, with a key derived for this use alone) that the
//! employee's browser carries to the sign-in page and back. An anonymous request costs no
//! database row, and nothing is left behind for one that nobody answers.
//!
//! The replay defence is the row written when a request is answered: (application, request ID)
//! is unique in `saml_requests`, so a request is answered at most once on any node of a
//! cluster, and a request ID answered before is refused as soon as it arrives again. The row
//! lives as long as a copy of the request could pass the IssueInstant check or its seal could
//! still be opened.

use chrono::{DateTime, Duration, Utc};
use entity::saml_request;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, SqlErr,
};
use serde::{Deserialize, Serialize};

use super::context::Requested;
use super::request::VerifiedRequest;
use super::Saml;
use crate::apps::templates::known_format;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::pages::plausible_sealed_request;
use crate::secrets::Keys;

/// How long an employee has to sign in and come back to a request.
const PENDING_MINUTES: i64 = 30;

/// The audience of sealed requests: no other token of this server opens as one.
const AUDIENCE: &str = "lanyard:saml-request";

/// A verified request on its way through the sign-in page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub application_id: String,
    /// The `ID` the service provider gave the request; the response's `InResponseTo`.
    pub request_id: String,
    pub relay_state: Option<String>,
    pub force_authn: bool,
    pub is_passive: bool,
    /// The NameID format asked for — one this server makes (`routes` answers any other with
    /// `InvalidNameIDPolicy` before the request waits) — and whether a new persistent
    /// identifier may be made.
    pub name_id_format: Option<&'static str>,
    pub allow_create: bool,
    pub authn_context: Option<Requested>,
    pub received_at: DateTime<Utc>,
}

/// The sealed form of [`Pending`].
#[derive(Serialize, Deserialize)]
struct Claims {
    aud: String,
    exp: i64,
    app: String,
    rid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rs: Option<String>,
    #[serde(default)]
    fa: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    ip: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nf: Option<String>,
    /// AllowCreate="false".
    #[serde(default, skip_serializing_if = "is_false")]
    nac: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rac: Option<Requested>,
    /// Received at, in milliseconds: ForceAuthn compares it with the session's start.
    rcv: i64,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn already_received(request_id: &str) -> AppError {
    AppError::conflict(
        "SAMLRequest",
        format!(
            "the AuthnRequest {request_id:?} was already received: a request is answered once. \
             Start the sign-in again from the application."
        ),
    )
}

fn gone() -> AppError {
    AppError::bad_input(
        "request",
        "this sign-in request is unknown, expired or already answered: start again from the \
         application",
    )
}

/// Accepts a verified request: refused when the application's request ID was answered
/// before (a replay), else the request as it waits. One indexed read; nothing is written.
pub async fn accept(
    saml: &Saml,
    application_id: &str,
    request: &VerifiedRequest,
    name_id_format: Option<&'static str>,
) -> AppResult<Pending> {
    let answered = saml_request::Entity::find()
        .filter(saml_request::Column::ApplicationId.eq(application_id))
        .filter(saml_request::Column::RequestId.eq(request.id.as_str()))
        .count(&saml.store.conn)
        .await?;
    if answered > 0 {
        return Err(already_received(&request.id));
    }
    Ok(Pending {
        application_id: application_id.to_owned(),
        request_id: request.id.clone(),
        relay_state: request.relay_state.clone(),
        force_authn: request.force_authn,
        is_passive: request.is_passive,
        name_id_format,
        allow_create: request.name_id_policy.allow_create,
        authn_context: request.authn_context.clone(),
        received_at: Utc::now(),
    })
}

/// The request sealed for the sign-in page's `continue` and the resume URL.
pub fn seal(saml: &Saml, pending: &Pending) -> AppResult<String> {
    let claims = Claims {
        aud: AUDIENCE.to_owned(),
        exp: (pending.received_at + Duration::minutes(PENDING_MINUTES)).timestamp(),
        app: pending.application_id.clone(),
        rid: pending.request_id.clone(),
        rs: pending.relay_state.clone(),
        fa: pending.force_authn,
        ip: pending.is_passive,
        nf: pending.name_id_format.map(str::to_owned),
        nac: !pending.allow_create,
        rac: pending.authn_context.clone(),
        rcv: pending.received_at.timestamp_millis(),
    };
    saml.auth.secrets.saml_request.sign(&claims)
}

/// A request the employee comes back to: sealed by this cluster, not expired. Whether it was
/// answered already is settled when it is answered ([`mark_answered`]).
pub fn open(saml: &Saml, token: &str) -> AppResult<Pending> {
    unseal(&saml.auth.secrets, token).ok_or_else(gone)
}

/// The request a sealed token holds, when these keys sealed it and it has not expired.
pub fn unseal(keys: &Keys, token: &str) -> Option<Pending> {
    if !plausible_sealed_request(token) {
        return None;
    }
    let claims: Claims = keys.saml_request.verify(token, AUDIENCE, None)?;
    let received_at = DateTime::from_timestamp_millis(claims.rcv)?;
    let name_id_format = match claims.nf.as_deref() {
        None => None,
        Some(format) => Some(known_format(format)?),
    };
    Some(Pending {
        application_id: claims.app,
        request_id: claims.rid,
        relay_state: claims.rs,
        force_authn: claims.fa,
        is_passive: claims.ip,
        name_id_format,
        allow_create: !claims.nac,
        authn_context: claims.rac,
        received_at,
    })
}

/// Records the request as answered, with the ACS the response goes to; refused when another
/// tab or node answered it first. Expired records of the application go at the same time.
pub async fn mark_answered(saml: &Saml, pending: &Pending, acs_url: &str) -> AppResult<()> {
    let now = Utc::now();
    // Kept at least as long as a copy of the request could still pass the IssueInstant check,
    // and as long as its seal opens.
    let skew = Duration::seconds(i64::from(saml.config.sso.clock_skew_seconds));
    let expires = pending.received_at + (skew * 2).max(Duration::minutes(PENDING_MINUTES));
    let txn = saml.store.begin_write().await?;
    saml_request::Entity::delete_many()
        .filter(saml_request::Column::ApplicationId.eq(pending.application_id.as_str()))
        .filter(saml_request::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    let inserted = saml_request::ActiveModel {
        id: Set(new_id()),
        application_id: Set(pending.application_id.clone()),
        request_id: Set(pending.request_id.clone()),
        acs_url: Set(acs_url.to_owned()),
        relay_state: Set(pending.relay_state.clone()),
        force_authn: Set(pending.force_authn),
        received_at: Set(pending.received_at),
        expires_at: Set(expires),
        answered_at: Set(Some(now)),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::conflict(
                "SAMLRequest",
                "this sign-in request was already answered: start again from the application",
            ))
        }
        Err(err) => return Err(err.into()),
    }
    txn.commit().await?;
    Ok(())
}
