//! Console sessions: a server-side row per sign-in, referenced by a signed cookie (HttpOnly,
//! SameSite=Strict, Secure behind TLS). Deleting the row signs the admin out on every node.

use chrono::{Duration, Utc};
use entity::admin;
use entity::admin_session;
use entity::role_binding::PrincipalKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::principal::{Principal, SESSION_COOKIE};
use super::throttle;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::state::AppState;

const AUDIENCE: &str = "lanyard-console";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sid: String,
    aud: String,
    exp: i64,
}

/// Checks the password and opens a session. Returns the `Set-Cookie` value. Failures are
/// throttled per admin and per client address (see [`super::throttle`]).
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    client_ip: Option<String>,
) -> AppResult<String> {
    let scopes = throttle::Scopes::admin(username, client_ip.as_deref());
    throttle::check(state, &scopes).await?;
    let admin = admin::Entity::find()
        .filter(admin::Column::Username.eq(username))
        .one(&state.store.conn)
        .await?;
    let ok = super::password::verify(
        admin.as_ref().map(|a| a.password_hash.clone()),
        password.to_owned(),
    )
    .await;
    let admin = match (ok, admin) {
        (true, Some(admin)) => admin,
        _ => {
            tracing::info!(username, client_ip = ?client_ip, "admin sign-in failed");
            return Err(throttle::record_failure(state, &scopes, None)
                .await?
                .unwrap_or(AppError::Unauthenticated));
        }
    };
    throttle::record_success(state, &scopes).await?;
    let now = Utc::now();
    let expires = now + Duration::minutes(i64::from(state.config.admin_session_minutes));
    let id = new_id();
    let txn = state.store.begin_write().await?;
    admin_session::ActiveModel {
        id: Set(id.clone()),
        admin_id: Set(admin.id.clone()),
        created_at: Set(now),
        expires_at: Set(expires),
        last_seen_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &txn,
        &Actor {
            kind: "admin",
            id: admin.id.clone(),
            name: admin.username.clone(),
            client_ip,
        },
        AuditRecord::platform("adminSignIn", "admin_session", Some(&id)),
    )
    .await?;
    txn.commit().await?;
    let claims = Claims {
        sid: id,
        aud: AUDIENCE.into(),
        exp: expires.timestamp(),
    };
    let jwt = state.keys.admin_session.sign(&claims)?;
    Ok(cookie(
        state,
        &jwt,
        state.config.admin_session_minutes as i64 * 60,
    ))
}

pub fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    super::principal::set_cookie(
        state,
        SESSION_COOKIE,
        value,
        "/",
        super::principal::SameSite::Strict,
        Some(max_age_secs),
    )
}

fn session_id(state: &AppState, jwt: &str) -> AppResult<String> {
    state
        .keys
        .admin_session
        .verify::<Claims>(jwt, AUDIENCE, None)
        .map(|claims| claims.sid)
        .ok_or(AppError::Unauthenticated)
}

pub async fn authenticate(state: &AppState, jwt: &str) -> AppResult<Principal> {
    let sid = session_id(state, jwt)?;
    let session = admin_session::Entity::find_by_id(sid)
        .one(&state.store.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if session.expires_at <= Utc::now() {
        return Err(AppError::Unauthenticated);
    }
    let admin = admin::Entity::find_by_id(session.admin_id)
        .one(&state.store.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Principal::with_roles(state, PrincipalKind::Admin, admin.id, admin.username).await
}

/// Ends the session the cookie refers to, if any.
pub async fn sign_out(state: &AppState, jwt: &str) -> AppResult<()> {
    if let Ok(sid) = session_id(state, jwt) {
        let txn = state.store.begin_write().await?;
        admin_session::Entity::delete_by_id(sid).exec(&*txn).await?;
        txn.commit().await?;
    }
    Ok(())
}
