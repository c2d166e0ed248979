//! Console sessions: a server-side row per sign-in, referenced by a signed cookie (HttpOnly,
//! SameSite=Strict, Secure behind TLS). Deleting the row signs the admin out on every node. A
//! session records how she signed in (`auth_methods`); where a second factor is required of
//! admins, a session that did not prove one is not accepted.

use chrono::{Duration, Utc};
use entity::admin;
use entity::admin_session;
use entity::role_binding::PrincipalKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::admin_steps;
use super::factors::{self, Owner};
use super::passkeys::{self, Assertion};
use super::principal::{Principal, SESSION_COOKIE};
use super::throttle;
use super::Auth;
use crate::access::methods::{assurance, PASSKEY, PASSWORD};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::secrets::Keys;

const AUDIENCE: &str = "lanyard-console";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sid: String,
    aud: String,
    exp: i64,
}

/// What a correct password leads to.
pub enum SignIn {
    /// A console session: its `Set-Cookie`.
    Session(String),
    /// A second factor owed first ([`admin_steps`]).
    Step(admin_steps::Started),
}

/// Checks the password. An admin without a second factor (where none is required) gets a
/// session at once; one with a factor, or any admin where `admin_require_second_factor` is set,
/// a pending step. Failures are throttled per admin and per client address (see
/// [`super::throttle`]).
pub async fn sign_in(
    auth: &Auth,
    username: &str,
    password: &str,
    client_ip: Option<String>,
) -> AppResult<SignIn> {
    let scopes = throttle::Scopes::admin(username, client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let admin = admin::Entity::find()
        .filter(admin::Column::Username.eq(username))
        .one(&auth.store.conn)
        .await?;
    let ok = crate::password::verify(
        admin.as_ref().map(|a| a.password_hash.clone()),
        password.to_owned(),
    )
    .await;
    let admin = match (ok, admin) {
        (true, Some(admin)) => admin,
        _ => {
            tracing::info!(username, client_ip = ?client_ip, "admin sign-in failed");
            return Err(throttle::record_failure(auth, &scopes, None)
                .await?
                .unwrap_or(AppError::Unauthenticated));
        }
    };
    let has_factor = !factors::list(&auth.store.conn, &Owner::admin(&admin.id))
        .await?
        .is_empty();
    if has_factor || auth.config.admin_require_second_factor {
        // Her account's failures are cleared when the step is finished, not now.
        let started = admin_steps::begin(auth, &admin, !has_factor, client_ip).await?;
        return Ok(SignIn::Step(started));
    }
    throttle::record_success(auth, &scopes).await?;
    Ok(SignIn::Session(
        open(auth, &admin, &[PASSWORD], client_ip).await?,
    ))
}

/// Opens a console session for `admin`, whose passkey (checked by
/// [`passkeys::verify_admin_sign_in`]) verified her: method `passkey`, two factors in one. An
/// account locked after failed sign-ins stays locked; a passkey used meanwhile on another node
/// signs in once.
pub async fn sign_in_with_passkey(
    auth: &Auth,
    admin: &admin::Model,
    assertion: &Assertion,
    client_ip: Option<String>,
) -> AppResult<String> {
    let scopes = throttle::Scopes::admin(&admin.username, client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let txn = auth.store.begin_write().await?;
    if !passkeys::record_use(&txn, assertion).await? {
        return Err(passkeys::Refused::Expired.error());
    }
    txn.commit().await?;
    throttle::record_success(auth, &scopes).await?;
    open(auth, admin, &[PASSKEY], client_ip).await
}

/// Opens a console session for `admin`, who proved herself with `methods`; audited as
/// `adminSignIn`. Returns the `Set-Cookie` value.
pub async fn open(
    auth: &Auth,
    admin: &admin::Model,
    methods: &[&str],
    client_ip: Option<String>,
) -> AppResult<String> {
    let now = Utc::now();
    let expires = now + Duration::minutes(i64::from(auth.config.admin_session_minutes));
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    admin_session::ActiveModel {
        id: Set(id.clone()),
        admin_id: Set(admin.id.clone()),
        created_at: Set(now),
        expires_at: Set(expires),
        last_seen_at: Set(now),
        auth_methods: Set(methods.join(",")),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &Actor {
            kind: "admin",
            id: admin.id.clone(),
            name: admin.username.clone(),
            client_ip,
        },
        AuditRecord::platform("adminSignIn", "admin_session", Some(&id))
            .summary(serde_json::json!({ "authMethods": methods })),
    )
    .await?;
    txn.commit().await?;
    let claims = Claims {
        sid: id,
        aud: AUDIENCE.into(),
        exp: expires.timestamp(),
    };
    let jwt = auth.secrets.admin_session.sign(&claims)?;
    Ok(cookie(
        auth,
        &jwt,
        auth.config.admin_session_minutes as i64 * 60,
    ))
}

pub fn cookie(auth: &Auth, value: &str, max_age_secs: i64) -> String {
    crate::request::set_cookie(
        &auth.config,
        SESSION_COOKIE,
        value,
        crate::request::SameSite::Strict,
        Some(max_age_secs),
    )
}

fn session_id(auth: &Auth, jwt: &str) -> AppResult<String> {
    session_of(&auth.secrets, jwt).ok_or(AppError::Unauthenticated)
}

/// The session a console cookie's value names, when these keys signed it for console
/// sessions and it has not expired.
pub fn session_of(keys: &Keys, jwt: &str) -> Option<String> {
    keys.admin_session
        .verify::<Claims>(jwt, AUDIENCE, None)
        .map(|claims| claims.sid)
}

pub async fn authenticate(auth: &Auth, jwt: &str) -> AppResult<Principal> {
    let sid = session_id(auth, jwt)?;
    let session = admin_session::Entity::find_by_id(sid)
        .one(&auth.store.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if session.expires_at <= Utc::now() {
        return Err(AppError::Unauthenticated);
    }
    let methods: Vec<String> = session
        .auth_methods
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    // Sessions opened before the requirement was set stop working with it.
    if auth.config.admin_require_second_factor && assurance(&methods) < 2 {
        return Err(AppError::Unauthenticated);
    }
    let admin = admin::Entity::find_by_id(session.admin_id)
        .one(&auth.store.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let principal =
        Principal::with_roles(auth, PrincipalKind::Admin, admin.id, admin.username).await?;
    Ok(Principal {
        auth_methods: methods,
        ..principal
    })
}

/// Ends the session the cookie refers to, if any.
pub async fn sign_out(auth: &Auth, jwt: &str) -> AppResult<()> {
    if let Ok(sid) = session_id(auth, jwt) {
        let txn = auth.store.begin_write().await?;
        admin_session::Entity::delete_by_id(sid).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
}
