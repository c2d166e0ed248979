//! What browsers and scripts send with every request: the bodies of the server-rendered
//! forms, and the cookies and tokens that say who is asking. The keys are derived from a
//! fixed master key, the one `fuzz/seeds.py` minted the seeds' cookies and tokens with.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::{Form, FromRequest, Request};
use axum::http::{header, HeaderMap, HeaderValue};
use lanyard::auth::{csrf, employee_sessions, principal, sessions, sign_in_codes, tokens};
use lanyard::pages::{sign_in_url, Continue};
use lanyard::portal::{self, CodeFields, SignInFields, SignOutFields};
use lanyard::recovery::pages::{field, MAX_FIELD};
use lanyard::saml::pending;
use lanyard::secrets::Keys;
use serde::de::DeserializeOwned;

static KEYS: LazyLock<Keys> = LazyLock::new(|| Keys::derive(&[0x42; 32]));

const INSTANCE: &str = "0194f0c2-0000-7000-8000-00000000000a";
const OTHER_INSTANCE: &str = "0194f0c2-0000-7000-8000-00000000000b";
const PUBLIC_URL: &str = "https://idp.example.com";
/// What the seeds' cookies and tokens name (fuzz/seeds.py).
const ADMIN_SESSION: &str = "0194f0c2-0000-7000-8000-000000000001";
const EMPLOYEE_SESSION: &str = "0194f0c2-0000-7000-8000-000000000002";
const SIGN_IN_CODE: &str = "0194f0c2-0000-7000-8000-000000000003";
const API_TOKEN: &str = "0194f0c2-0000-7000-8000-000000000004";
const SEALED_APP: &str = "0194f0c2-0000-7000-8000-000000000005";
const SEALED_REQUEST_ID: &str = "_signed_request_1";
/// A well-formed pre-session cookie, for the forms' CSRF tokens.
const PRE_SESSION: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A form body as axum's `Form` extractor reads it for the handlers.
fn form<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    let request = Request::post("/")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_vec()))
        .ok()?;
    futures::executor::block_on(Form::<T>::from_request(request, &()))
        .ok()
        .map(|Form(fields)| fields)
}

/// A form's CSRF field passes for the pre-session only as the very token the form was given.
fn check_csrf(token: &str, purpose: &str) {
    if csrf::check(&KEYS.sign_in_csrf, Some(PRE_SESSION), purpose, token) {
        assert_eq!(
            token,
            csrf::token_with(&KEYS.sign_in_csrf, PRE_SESSION, purpose)
        );
    }
    assert!(!csrf::check(&KEYS.sign_in_csrf, None, purpose, token));
}

/// Where an employee goes after signing in is on this server, named with characters that
/// need no escaping, and reads back as itself.
fn check_continue(raw: Option<&str>) {
    let next = Continue::parse(raw);
    assert_eq!(Continue::parse(Some(&next.encode())), next);
    for url in [
        next.url(PUBLIC_URL, INSTANCE),
        sign_in_url(PUBLIC_URL, INSTANCE, &next),
    ] {
        let path = url
            .strip_prefix(PUBLIC_URL)
            .unwrap_or_else(|| panic!("{raw:?} leads off the server: {url}"));
        assert!(path.starts_with('/'), "{raw:?} leads to {url}");
        assert!(
            path.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./:?=".contains(&b)),
            "{raw:?} leads to {url}"
        );
        assert!(!path.contains("//") && !path.contains("/../"), "{url}");
    }
}

/// A form body (`application/x-www-form-urlencoded`), read as each server-rendered form:
/// sign-in, the emailed code, sign-out, and the two password-recovery forms.
pub fn forms(data: &[u8]) {
    if let Some(fields) = form::<SignInFields>(data) {
        check_csrf(&fields.csrf, &portal::login_purpose(INSTANCE));
        check_continue(fields.next.as_deref());
    }
    if let Some(fields) = form::<CodeFields>(data) {
        check_csrf(&fields.csrf, &portal::code_purpose(INSTANCE));
    }
    if let Some(fields) = form::<SignOutFields>(data) {
        check_csrf(&fields.csrf, &portal::logout_purpose(INSTANCE));
    }
    if let Some(fields) = form::<HashMap<String, String>>(data) {
        for name in ["csrf", "login", "token", "password", "confirm"] {
            if let Ok(value) = field(&fields, name) {
                assert!(value.len() <= MAX_FIELD && !value.contains('\0'));
            }
        }
    }
}

/// Cookie and token values, one per line: each line as a `Cookie` header (the console's
/// session, an employee's session, a pending sign-in code, the pre-session), as an
/// `Authorization` header, and as a sealed SAML request. Whatever verifies is what the keys
/// signed: the session, code, token or request the seeds were minted for, and only for the
/// instance it was minted for.
pub fn session_tokens(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines().take(16) {
        let Ok(value) = HeaderValue::from_str(line) else {
            continue;
        };
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, value.clone());
        let cookie = |name: &str| lanyard::request::cookie_value(&headers, name);
        if let Some(jwt) = cookie(principal::SESSION_COOKIE) {
            if let Some(session) = sessions::session_of(&KEYS, &jwt) {
                assert_eq!(session, ADMIN_SESSION);
            }
        }
        if let Some(jwt) = cookie(&employee_sessions::cookie_name(INSTANCE)) {
            if let Some(session) = employee_sessions::session_of(&KEYS, INSTANCE, &jwt) {
                assert_eq!(session, EMPLOYEE_SESSION);
            }
            assert_eq!(
                employee_sessions::session_of(&KEYS, OTHER_INSTANCE, &jwt),
                None
            );
        }
        if let Some(jwt) = cookie(&sign_in_codes::cookie_name(INSTANCE)) {
            if let Some(code) = sign_in_codes::code_of(&KEYS, INSTANCE, &jwt) {
                assert_eq!(code, SIGN_IN_CODE);
            }
            assert_eq!(sign_in_codes::code_of(&KEYS, OTHER_INSTANCE, &jwt), None);
        }
        if let Some(pre_session) = cookie(csrf::PRE_SESSION_COOKIE) {
            // A form's token is worth something with its own pre-session cookie only.
            let purpose = portal::login_purpose(INSTANCE);
            let ours = csrf::token_with(&KEYS.sign_in_csrf, PRE_SESSION, &purpose);
            if pre_session != PRE_SESSION {
                assert!(!csrf::check(
                    &KEYS.sign_in_csrf,
                    Some(&pre_session),
                    &purpose,
                    &ours
                ));
            }
        }
        if let Some(token) = principal::bearer(&value) {
            if let Some(id) = tokens::token_of(&KEYS, token) {
                assert_eq!(id, API_TOKEN);
            }
        }
        if let Some(sealed) = pending::unseal(&KEYS, line) {
            assert_eq!(sealed.application_id, SEALED_APP);
            assert_eq!(sealed.request_id, SEALED_REQUEST_ID);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds' cookies and tokens are what the server's keys signed (fuzz/seeds.py mints them
    /// the way the server does): the checks above have something to hold.
    #[test]
    fn the_seeds_carry_cookies_and_tokens_that_verify() {
        let corpus =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/session_tokens");
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(corpus).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            lines.extend(text.lines().map(str::to_owned));
        }
        let value = |line: &str, name: &str| {
            let mut headers = HeaderMap::new();
            headers.append(header::COOKIE, HeaderValue::from_str(line).ok()?);
            lanyard::request::cookie_value(&headers, name)
        };
        let found = |check: &dyn Fn(&str) -> bool| lines.iter().any(|line| check(line));
        assert!(found(&|line| value(line, principal::SESSION_COOKIE)
            .and_then(|jwt| sessions::session_of(&KEYS, &jwt))
            .is_some()));
        assert!(found(&|line| value(
            line,
            &employee_sessions::cookie_name(INSTANCE)
        )
        .and_then(|jwt| employee_sessions::session_of(&KEYS, INSTANCE, &jwt))
        .is_some()));
        assert!(found(&|line| value(
            line,
            &sign_in_codes::cookie_name(INSTANCE)
        )
        .and_then(|jwt| sign_in_codes::code_of(&KEYS, INSTANCE, &jwt))
        .is_some()));
        assert!(found(&|line| HeaderValue::from_str(line)
            .ok()
            .and_then(|v| principal::bearer(&v).and_then(|t| tokens::token_of(&KEYS, t)))
            .is_some()));
        assert!(found(&|line| pending::unseal(&KEYS, line).is_some()));
    }
}
