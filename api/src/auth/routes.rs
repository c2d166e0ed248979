//! HTTP routes of console sign-in: `POST /auth/admin/login` (JSON) sets the session cookie,
//! `POST /auth/admin/logout` clears it, `GET /auth/admin/me` says who is signed in.

use axum::extract::{FromRef, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::principal::{authenticate, SESSION_COOKIE};
use super::sessions;
use super::Auth;
use crate::error::{AppError, AppResult};
use crate::request::read_cookie;
use crate::request::{ClientIp, JsonBody};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Auth: FromRef<S>,
{
    Router::new()
        .route("/auth/admin/login", post(login))
        .route("/auth/admin/logout", post(logout))
        .route("/auth/admin/me", get(me))
}

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
    let cookie = sessions::sign_in(&auth, &form.username, &form.password, client_ip).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, cookie),
            (header::CACHE_CONTROL, "no-store".into()),
        ],
    )
        .into_response())
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
    })))
}
