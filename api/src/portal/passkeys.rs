//! The passkey endpoints of the employee pages, JSON in and out, for the one script of
//! Lanyard's own that those pages load (`GET /sso/static/passkeys.js`, served from here):
//! registering a passkey on the account page, giving one on the factor page, and signing in
//! with one alone on the sign-in page. Each pair is `…/options` (begin a ceremony) and
//! `…/finish` (the browser's answer). Each takes the CSRF token of the page it belongs to and
//! what that page's ceremony is bound to (the session, the pending step's cookie, or the
//! pre-session cookie), a JSON body of at most [`MAX_BODY`] bytes, and answers anything it does
//! not accept with a 4xx and an `{error, message}` body the script shows.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use entity::instance;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::account::{account_purpose, may_manage};
use super::factor::factor_purpose;
use super::{attempt_of, instance_of_path, login_purpose};
use crate::auth::employee_sessions::{self, PASSKEY};
use crate::auth::factors::Owner;
use crate::auth::passkeys::{self, Answering, Holder, Refused};
use crate::auth::sign_in_codes::{self, Pending, Refusal};
use crate::auth::throttle::{self, Scopes};
use crate::auth::{csrf, factors};
use crate::error::AppError;
use crate::i18n;
use crate::pages::Continue;
use crate::request::{read_cookie, ClientIp};
use crate::saml::Saml;
use crate::t;

pub use crate::auth::passkeys::MAX_BODY;

/// The script, as built into the binary.
const SCRIPT: &str = include_str!("passkeys.js");

/// The script's entity tag: a hash of it, so that a cached copy is used until it changes.
static SCRIPT_ETAG: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!("\"{}\"", hex(&digest[..12]))
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /sso/static/passkeys.js`: the passkey script, cacheable for an hour and revalidated
/// by its hash.
pub async fn script(headers: HeaderMap) -> Response {
    let etag = SCRIPT_ETAG.as_str();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| given.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, SCRIPT).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// The body of an `…/options` request.
#[derive(Deserialize)]
struct Begin {
    #[serde(default)]
    csrf: String,
}

/// The body of a `…/finish` request: the ceremony, the browser's answer (parsed once the
/// CSRF token holds), and what the page adds.
#[derive(Deserialize)]
struct Finish {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: serde_json::Value,
    /// A new passkey's name.
    #[serde(default)]
    name: String,
    /// Where signing in continues.
    #[serde(default, rename = "continue")]
    next: Option<String>,
}

/// A JSON body within [`MAX_BODY`], parsed.
fn parse<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, AppError> {
    let lang = i18n::current();
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(AppError::TooLarge(t!(
                lang,
                "passkey-too-large",
                limit = (MAX_BODY / 1024) as i64
            )))
        }
        Err(_) => return Err(AppError::bad_input("body", t!(lang, "passkey-not-json"))),
    };
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(AppError::bad_input("body", t!(lang, "passkey-not-json")));
    }
    serde_json::from_slice(&body)
        .map_err(|_| AppError::bad_input("body", t!(lang, "passkey-not-json")))
}

/// The browser's answer, as the library reads it.
fn answer<T: DeserializeOwned>(credential: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(credential).map_err(|_| Refused::Malformed.error())
}

/// A JSON answer that is never cached, with `Set-Cookie`s.
fn json(value: serde_json::Value, cookies: &[String]) -> Response {
    let mut response = Json(value).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        if let Ok(value) = cookie.parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

fn started(started: passkeys::Started) -> Response {
    json(
        serde_json::json!({ "ceremony": started.ceremony, "options": started.options }),
        &[],
    )
}

/// Refused where passkeys are not allowed in the instance (or cannot work on this server).
fn passkeys_allowed(saml: &Saml, instance: &instance::Model) -> Result<(), AppError> {
    if !passkeys::enabled(&saml.config) {
        return Err(Refused::Unavailable.error());
    }
    if !instance.allows("passkey") {
        return Err(AppError::Forbidden(t!(
            i18n::current(),
            "passkey-not-allowed"
        )));
    }
    Ok(())
}

/// The signed-in employee who may change her factors (the account page's rule).
async fn managing(
    saml: &Saml,
    headers: &HeaderMap,
    instance: &instance::Model,
) -> Result<employee_sessions::EmployeeSession, AppError> {
    let Some(live) = employee_sessions::current(&saml.auth, headers, &instance.id).await? else {
        return Err(AppError::Unauthenticated);
    };
    if !may_manage(saml, &live).await? {
        return Err(AppError::Forbidden(t!(
            i18n::current(),
            "account-verify-first"
        )));
    }
    Ok(live)
}

/// `POST /sso/{instance_id}/account/passkeys/options`: begins registering a passkey.
pub async fn register_options(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let begin: Begin = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &account_purpose(&instance.id),
        &begin.csrf,
    )?;
    passkeys_allowed(&saml, &instance)?;
    let live = managing(&saml, &headers, &instance).await?;
    let begun = passkeys::begin_registration(
        &saml.auth,
        &Holder::user(&live.user),
        &live.session.id,
        &instance.name,
        instance.passkey_user_verification,
    )
    .await?
    .map_err(Refused::error)?;
    Ok(started(begun))
}

/// `POST /sso/{instance_id}/account/passkeys/finish`: registers the passkey the browser made
/// (audited as `enrolFactor`); answers where to go on, and her recovery codes when they were
/// made with it.
pub async fn register_finish(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let finish: Finish = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &account_purpose(&instance.id),
        &finish.csrf,
    )?;
    passkeys_allowed(&saml, &instance)?;
    let live = managing(&saml, &headers, &instance).await?;
    let given: RegisterPublicKeyCredential = answer(finish.credential)?;
    let registered = passkeys::finish_registration(
        &saml.auth,
        &Owner::user(&live.user),
        &live.actor_with(client_ip),
        Answering {
            ceremony: &finish.ceremony,
            bound_to: &live.session.id,
            verification: instance.passkey_user_verification,
        },
        &finish.name,
        &given,
    )
    .await?
    .map_err(Refused::error)?;
    Ok(json(
        serde_json::json!({
            "factorId": registered.factor_id,
            "redirect": Continue::Account.url(&saml.config.public_url, &instance.id),
            "recoveryCodes": registered.recovery_codes,
        }),
        &[],
    ))
}

/// The pending step of this browser in the instance, where she can give a passkey.
async fn pending_with_passkey(
    saml: &Saml,
    headers: &HeaderMap,
    instance: &instance::Model,
) -> Result<Pending, AppError> {
    let Some(pending) = sign_in_codes::pending(&saml.auth, headers, &instance.id).await? else {
        return Err(AppError::bad_input("step", Refusal::Gone.message()));
    };
    let available = factors::available(&saml.store.conn, instance, &pending.user).await?;
    if !available.passkey {
        return Err(AppError::bad_input(
            "method",
            t!(i18n::current(), "factor-method-unknown"),
        ));
    }
    Ok(pending)
}

/// `POST /sso/{instance_id}/login/factor/passkey/options`: begins giving a passkey as the
/// pending step's second factor.
pub async fn factor_options(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let begin: Begin = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &factor_purpose(&instance.id),
        &begin.csrf,
    )?;
    passkeys_allowed(&saml, &instance)?;
    let pending = pending_with_passkey(&saml, &headers, &instance).await?;
    let begun = passkeys::begin_factor(
        &saml.auth,
        &Owner::user(&pending.user),
        &pending.code.id,
        instance.passkey_user_verification,
    )
    .await?
    .map_err(Refused::error)?;
    Ok(started(begun))
}

/// `POST /sso/{instance_id}/login/factor/passkey/finish`: the passkey's answer spends the
/// step (`passkey` when it verified her, else `security_key`); a refused one costs a try.
pub async fn factor_finish(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let finish: Finish = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &factor_purpose(&instance.id),
        &finish.csrf,
    )?;
    passkeys_allowed(&saml, &instance)?;
    let pending = pending_with_passkey(&saml, &headers, &instance).await?;
    let attempt = attempt_of(client_ip.clone(), &headers);
    let checked = match answer::<PublicKeyCredential>(finish.credential) {
        Ok(given) => {
            passkeys::verify_factor(
                &saml.auth,
                &Owner::user(&pending.user),
                &employee_sessions::EmployeeSession::actor_of(&pending.user, client_ip),
                Answering {
                    ceremony: &finish.ceremony,
                    bound_to: &pending.code.id,
                    verification: instance.passkey_user_verification,
                },
                &given,
            )
            .await?
        }
        Err(_) => Err(Refused::Malformed),
    };
    let assertion = match checked {
        Ok(assertion) => assertion,
        Err(refused) => {
            if !matches!(refused, Refused::Expired | Refused::Unavailable) {
                sign_in_codes::refuse_passkey(&saml.auth, &pending, &attempt).await?;
            }
            return Err(refused.error());
        }
    };
    let next = Continue::parse(Some(&pending.code.continue_to));
    match sign_in_codes::finish_with_passkey(&saml.auth, pending, &assertion, attempt).await? {
        Ok(cookie) => Ok(json(
            serde_json::json!({ "redirect": next.url(&saml.config.public_url, &instance.id) }),
            &[
                cookie,
                sign_in_codes::clear_cookie(&saml.auth, &instance.id),
            ],
        )),
        Err(refusal) => Err(AppError::bad_input("step", refusal.message())),
    }
}

/// Refused where the instance does not let a passkey sign in alone.
fn sign_in_allowed(saml: &Saml, instance: &instance::Model) -> Result<(), AppError> {
    passkeys_allowed(saml, instance)?;
    if !instance.passkey_sign_in {
        return Err(AppError::Forbidden(t!(
            i18n::current(),
            "passkey-not-allowed"
        )));
    }
    Ok(())
}

/// What a sign-in ceremony is bound to: a hash of the browser's pre-session cookie, which the
/// CSRF token has already been checked against.
fn pre_session_binding(saml: &Saml, headers: &HeaderMap) -> String {
    let value = read_cookie(&saml.config, headers, csrf::PRE_SESSION_COOKIE).unwrap_or_default();
    passkeys::binding_of(&value)
}

/// `POST /sso/{instance_id}/login/passkey/options`: begins signing in with a passkey alone.
pub async fn sign_in_options(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let begin: Begin = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &login_purpose(&instance.id),
        &begin.csrf,
    )?;
    sign_in_allowed(&saml, &instance)?;
    let bound = pre_session_binding(&saml, &headers);
    let begun = passkeys::begin_sign_in(&saml.auth, Some(&instance.id), &bound)
        .await?
        .map_err(Refused::error)?;
    Ok(started(begun))
}

/// `POST /sso/{instance_id}/login/passkey/finish`: a passkey that verified its user opens a
/// session (method `passkey`) and the browser continues where the sign-in was going.
pub async fn sign_in_finish(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let finish: Finish = parse(&headers, body)?;
    csrf::verify(
        &saml.auth,
        &headers,
        &login_purpose(&instance.id),
        &finish.csrf,
    )?;
    sign_in_allowed(&saml, &instance)?;
    let given: PublicKeyCredential = answer(finish.credential)?;
    let bound = pre_session_binding(&saml, &headers);
    let (user, assertion) = passkeys::verify_sign_in(
        &saml.auth,
        &instance.id,
        Answering {
            ceremony: &finish.ceremony,
            bound_to: &bound,
            verification: instance.passkey_user_verification,
        },
        &given,
        client_ip.clone(),
    )
    .await?
    .map_err(Refused::error)?;
    // An account locked after failed sign-ins stays locked, whatever signs in.
    let scopes = Scopes::employee(&instance.id, &user.username, client_ip.as_deref());
    throttle::check(&saml.auth, &scopes).await?;
    let txn = saml.store.begin_write().await?;
    if !passkeys::record_use(&txn, &assertion).await? {
        return Err(Refused::Expired.error());
    }
    txn.commit().await?;
    let attempt = attempt_of(client_ip, &headers);
    let cookie = employee_sessions::open(&saml.auth, user, &[PASSKEY], attempt).await?;
    let next = Continue::parse(finish.next.as_deref());
    Ok(json(
        serde_json::json!({ "redirect": next.url(&saml.config.public_url, &instance.id) }),
        &[cookie],
    ))
}
