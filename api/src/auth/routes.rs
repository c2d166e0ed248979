//! HTTP routes of console sign-in, JSON in and out:
//! - `POST /auth/admin/login` `{username, password}`: `204` with the session cookie, or — when
//!   a second factor is owed — `200` with the step (`{"step": "factor", "methods": [...]}` or
//!   `{"step": "enrol", "enrolment": {...}}`) and a short-lived step cookie;
//! - `POST /auth/admin/login/factor` `{method: "totp" | "recovery_code", code}`: `204` with the
//!   session cookie;
//! - `POST /auth/admin/login/passkey/options` `{}`, then `POST /auth/admin/login/passkey`
//!   `{ceremony, credential}`: one of her passkeys as the second factor; `204` with the session
//!   cookie;
//! - `POST /auth/admin/login/enrol` `{factorId, code, name?}`: the authenticator app set up
//!   while signing in; `200` with `{"recoveryCodes": [...]}` (shown once) and the session cookie;
//! - `GET /auth/admin/login` says whether passkeys work on this server (`{"passkeys": bool}`);
//!   `POST /auth/admin/passkey/options` `{}`, then `POST /auth/admin/passkey`
//!   `{ceremony, credential}`: signing in with a passkey alone (it must verify her), the
//!   ceremony bound to a short-lived cookie of this browser;
//! - `POST /auth/admin/logout` clears the session, `GET /auth/admin/me` says who is signed in.

use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use entity::instance::PasskeyUserVerification;
use serde::Deserialize;
use webauthn_rs::prelude::PublicKeyCredential;

use super::admin_steps::{self, Ask, Proof};
use super::factors::Owner;
use super::passkeys::{self, Answering, Refused};
use super::principal::{authenticate, SESSION_COOKIE};
use super::sessions::{self, SignIn};
use super::Auth;
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n;
use crate::ids::random_secret;
use crate::request::{read_cookie, set_cookie, SameSite};
use crate::request::{ClientIp, JsonBody};
use crate::t;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Auth: FromRef<S>,
{
    let passkey_body = || DefaultBodyLimit::max(passkeys::MAX_BODY);
    Router::new()
        .route("/auth/admin/login", post(login).get(sign_in_options))
        .route("/auth/admin/login/factor", post(factor))
        .route(
            "/auth/admin/login/passkey/options",
            post(factor_passkey_options).layer(passkey_body()),
        )
        .route(
            "/auth/admin/login/passkey",
            post(factor_passkey).layer(passkey_body()),
        )
        .route(
            "/auth/admin/passkey/options",
            post(passkey_options).layer(passkey_body()),
        )
        .route(
            "/auth/admin/passkey",
            post(passkey_sign_in).layer(passkey_body()),
        )
        .route("/auth/admin/login/enrol", post(enrol))
        .route("/auth/admin/logout", post(logout))
        .route("/auth/admin/me", get(me))
}

/// The longest code anyone types: six digits, or a recovery code with its dash and spaces.
const MAX_CODE: usize = 64;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    JsonBody(form): JsonBody<LoginForm>,
) -> AppResult<Response> {
    if form.username.len() > 64 || form.password.len() > 1024 {
        return Err(AppError::Unauthenticated);
    }
    match sessions::sign_in(&auth, &form.username, &form.password, client_ip).await? {
        SignIn::Session(cookie) => Ok(signed_in(StatusCode::NO_CONTENT, cookie, None, ())),
        SignIn::Step(started) => {
            let expires_in = admin_steps::VALID_MINUTES * 60;
            let body = match started.ask {
                Ask::Factor { methods } => serde_json::json!({
                    "step": "factor",
                    "methods": methods,
                    "expiresInSeconds": expires_in,
                }),
                Ask::Enrol(enrolment) => serde_json::json!({
                    "step": "enrol",
                    "enrolment": {
                        "factorId": enrolment.factor_id,
                        "secret": enrolment.secret_base32,
                        "otpauthUrl": enrolment.url,
                        "qrCode": enrolment.qr_data_url(),
                    },
                    "expiresInSeconds": expires_in,
                }),
            };
            Ok((
                StatusCode::OK,
                [
                    (header::SET_COOKIE, started.cookie),
                    (header::CACHE_CONTROL, "no-store".into()),
                ],
                Json(body),
            )
                .into_response())
        }
    }
}

/// A finished sign-in: the session's cookie, the step's cleared, nothing cached.
fn signed_in(
    status: StatusCode,
    session: String,
    step: Option<String>,
    body: impl IntoResponse,
) -> Response {
    let mut headers = vec![
        (header::SET_COOKIE, session),
        (header::CACHE_CONTROL, "no-store".into()),
    ];
    if let Some(step) = step {
        headers.push((header::SET_COOKIE, step));
    }
    (status, AppendHeaders(headers), body).into_response()
}

/// A code as sent: at most [`MAX_CODE`] bytes.
fn bounded_code(code: &str) -> AppResult<()> {
    if code.len() > MAX_CODE {
        return Err(AppError::bad_input(
            "code",
            t!(i18n::current(), "admin-code-too-long"),
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorForm {
    /// `totp` or `recovery_code`.
    method: String,
    code: String,
}

async fn factor(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    JsonBody(form): JsonBody<FactorForm>,
) -> AppResult<Response> {
    let Some(proof) = Proof::parse(&form.method) else {
        return Err(AppError::bad_input(
            "method",
            t!(i18n::current(), "admin-method-unknown"),
        ));
    };
    bounded_code(&form.code)?;
    let pending = admin_steps::pending(&auth, &headers)
        .await?
        .ok_or_else(admin_steps::gone)?;
    let session = admin_steps::verify(&auth, pending, proof, &form.code, client_ip).await?;
    Ok(signed_in(
        StatusCode::NO_CONTENT,
        session,
        Some(admin_steps::clear_cookie(&auth)),
        (),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EnrolForm {
    factor_id: String,
    code: String,
    #[serde(default)]
    name: String,
}

async fn enrol(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    JsonBody(form): JsonBody<EnrolForm>,
) -> AppResult<Response> {
    bounded_code(&form.code)?;
    if form.name.len() > 256 {
        return Err(AppError::bad_input(
            "name",
            t!(i18n::current(), "admin-name-too-long"),
        ));
    }
    let pending = admin_steps::pending(&auth, &headers)
        .await?
        .ok_or_else(admin_steps::gone)?;
    let (session, codes) = admin_steps::enrol(
        &auth,
        pending,
        &form.factor_id,
        &form.code,
        &form.name,
        client_ip,
    )
    .await?;
    Ok(signed_in(
        StatusCode::OK,
        session,
        Some(admin_steps::clear_cookie(&auth)),
        Json(serde_json::json!({ "recoveryCodes": codes })),
    ))
}

/// What the sign-in page can offer: passkeys, where this server's address lets them work.
async fn sign_in_options(State(auth): State<Auth>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "passkeys": passkeys::enabled(&auth.config) })),
    )
        .into_response()
}

/// A passkey ceremony begun: its id and the browser's options.
fn started(started: passkeys::Started, cookie: Option<String>) -> Response {
    let body = Json(serde_json::json!({
        "ceremony": started.ceremony,
        "options": started.options,
    }));
    let mut headers = vec![(header::CACHE_CONTROL, "no-store".to_owned())];
    if let Some(cookie) = cookie {
        headers.push((header::SET_COOKIE, cookie));
    }
    (StatusCode::OK, AppendHeaders(headers), body).into_response()
}

/// Nothing: the body that begins a ceremony.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Begin {}

/// The browser's answer to a ceremony.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Finish {
    ceremony: String,
    credential: serde_json::Value,
}

impl Finish {
    /// The answer as the library reads it.
    fn credential(&self) -> Result<PublicKeyCredential, Refused> {
        serde_json::from_value(self.credential.clone()).map_err(|_| Refused::Malformed)
    }
}

/// The pending step of this browser, where she has a passkey to give.
async fn pending_with_passkey(auth: &Auth, headers: &HeaderMap) -> AppResult<admin_steps::Pending> {
    let pending = admin_steps::pending(auth, headers)
        .await?
        .ok_or_else(admin_steps::gone)?;
    if pending.step.enrol {
        return Err(AppError::bad_input(
            "method",
            t!(i18n::current(), "admin-step-enrols"),
        ));
    }
    Ok(pending)
}

async fn factor_passkey_options(
    State(auth): State<Auth>,
    headers: HeaderMap,
    JsonBody(Begin {}): JsonBody<Begin>,
) -> AppResult<Response> {
    let pending = pending_with_passkey(&auth, &headers).await?;
    let begun = passkeys::begin_factor(
        &auth,
        &Owner::admin(&pending.admin.id),
        &pending.step.id,
        PasskeyUserVerification::Preferred,
    )
    .await?
    .map_err(Refused::error)?;
    Ok(started(begun, None))
}

async fn factor_passkey(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    JsonBody(finish): JsonBody<Finish>,
) -> AppResult<Response> {
    let pending = pending_with_passkey(&auth, &headers).await?;
    let owner = Owner::admin(&pending.admin.id);
    let actor = Actor {
        kind: "admin",
        id: pending.admin.id.clone(),
        name: pending.admin.username.clone(),
        client_ip: client_ip.clone(),
    };
    let checked = match finish.credential() {
        Ok(given) => {
            let answering = Answering {
                ceremony: &finish.ceremony,
                bound_to: &pending.step.id,
                verification: PasskeyUserVerification::Preferred,
            };
            passkeys::verify_factor(&auth, &owner, &actor, answering, &given).await?
        }
        Err(refused) => Err(refused),
    };
    let assertion = match checked {
        Ok(assertion) => assertion,
        Err(refused @ (Refused::Expired | Refused::Unavailable)) => return Err(refused.error()),
        Err(refused) => {
            return Err(
                admin_steps::refuse_passkey(&auth, &pending, refused.error(), client_ip).await?,
            )
        }
    };
    let session = admin_steps::finish_with_passkey(&auth, pending, &assertion, client_ip).await?;
    Ok(signed_in(
        StatusCode::NO_CONTENT,
        session,
        Some(admin_steps::clear_cookie(&auth)),
        (),
    ))
}

/// The cookie a passwordless sign-in's ceremony is bound to: random, this browser's only.
const PASSKEY_COOKIE: &str = "lanyard_admin_passkey";

fn passkey_cookie(auth: &Auth, value: &str, max_age_secs: i64) -> String {
    set_cookie(
        &auth.config,
        PASSKEY_COOKIE,
        value,
        SameSite::Strict,
        Some(max_age_secs),
    )
}

async fn passkey_options(
    State(auth): State<Auth>,
    JsonBody(Begin {}): JsonBody<Begin>,
) -> AppResult<Response> {
    let value = random_secret(32);
    let begun = passkeys::begin_sign_in(&auth, None, &passkeys::binding_of(&value))
        .await?
        .map_err(Refused::error)?;
    let cookie = passkey_cookie(&auth, &value, passkeys::CEREMONY_MINUTES * 60);
    Ok(started(begun, Some(cookie)))
}

async fn passkey_sign_in(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    JsonBody(finish): JsonBody<Finish>,
) -> AppResult<Response> {
    let Some(value) = read_cookie(&auth.config, &headers, PASSKEY_COOKIE) else {
        return Err(Refused::Expired.error());
    };
    let given = finish.credential().map_err(Refused::error)?;
    let answering = Answering {
        ceremony: &finish.ceremony,
        bound_to: &passkeys::binding_of(&value),
        verification: PasskeyUserVerification::Required,
    };
    let (admin, assertion) =
        passkeys::verify_admin_sign_in(&auth, answering, &given, client_ip.clone())
            .await?
            .map_err(Refused::error)?;
    let session = sessions::sign_in_with_passkey(&auth, &admin, &assertion, client_ip).await?;
    Ok(signed_in(
        StatusCode::NO_CONTENT,
        session,
        Some(passkey_cookie(&auth, "", 0)),
        (),
    ))
}

async fn logout(State(auth): State<Auth>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(jwt) = read_cookie(&auth.config, &headers, SESSION_COOKIE) {
        sessions::sign_out(&auth, &jwt).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, sessions::cookie(&auth, "", 0))],
    )
        .into_response())
}

async fn me(
    State(auth): State<Auth>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
) -> AppResult<Json<serde_json::Value>> {
    let principal = authenticate(&auth, &headers, client_ip)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(Json(serde_json::json!({
        "id": principal.id,
        "name": principal.name,
        "superAdmin": principal.super_admin,
        "adminOf": principal.admin_of,
        "auditorOf": principal.auditor_of,
        "globalAuditor": principal.global_auditor,
        "authMethods": principal.auth_methods,
    })))
}
