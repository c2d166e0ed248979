//! HTTP routes of console sign-in, JSON in and out:
//! - `POST /auth/admin/login` `{username, password}`: `204` with the session cookie, or — when
//!   a second factor is owed — `200` with the step (`{"step": "factor", "methods": [...]}` or
//!   `{"step": "enrol", "enrolment": {...}}`) and a short-lived step cookie;
//! - `POST /auth/admin/login/factor` `{method: "totp" | "recovery_code", code}`: `204` with the
//!   session cookie;
//! - `POST /auth/admin/login/enrol` `{factorId, code, name?}`: the authenticator app set up
//!   while signing in; `200` with `{"recoveryCodes": [...]}` (shown once) and the session cookie;
//! - `POST /auth/admin/logout` clears the session, `GET /auth/admin/me` says who is signed in.

use axum::extract::{FromRef, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::admin_steps::{self, Ask, Proof};
use super::principal::{authenticate, SESSION_COOKIE};
use super::sessions::{self, SignIn};
use super::Auth;
use crate::error::{AppError, AppResult};
use crate::i18n;
use crate::request::read_cookie;
use crate::request::{ClientIp, JsonBody};
use crate::t;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Auth: FromRef<S>,
{
    Router::new()
        .route("/auth/admin/login", post(login))
        .route("/auth/admin/login/factor", post(factor))
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
