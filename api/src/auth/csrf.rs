//! CSRF protection of the server-rendered forms (sign-in, the emailed code, sign-out, password
//! recovery): a signed double submit.
//! The browser gets a random pre-session cookie; each form carries an HMAC of that cookie and
//! the form's purpose under a key derived from the master key. A cross-site page can neither
//! read the cookie nor compute the token, and a token is worthless with another cookie or on
//! another form.

use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::Auth;
use crate::error::{AppError, AppResult};
use crate::request::read_cookie;

pub const PRE_SESSION_COOKIE: &str = "lanyard_pre";
/// 32 random bytes in unpadded base64url.
const PRE_SESSION_LEN: usize = 43;

/// The browser's pre-session value and, when it had none, the `Set-Cookie` that gives it one.
pub struct PreSession {
    pub value: String,
    pub set_cookie: Option<String>,
}

/// Reads the pre-session cookie, or makes a new one.
pub fn pre_session(auth: &Auth, headers: &HeaderMap) -> PreSession {
    if let Some(value) =
        read_cookie(&auth.config, headers, PRE_SESSION_COOKIE).filter(|v| well_formed(v))
    {
        return PreSession {
            value,
            set_cookie: None,
        };
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let set_cookie = crate::request::set_cookie(
        &auth.config,
        PRE_SESSION_COOKIE,
        &value,
        crate::request::SameSite::Lax,
        None,
    );
    PreSession {
        value,
        set_cookie: Some(set_cookie),
    }
}

fn well_formed(value: &str) -> bool {
    value.len() == PRE_SESSION_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn mac(key: &[u8; 32], pre_session: &str, purpose: &str) -> Hmac<Sha256> {
    crate::secrets::mac(key, &[pre_session.as_bytes(), b"\0", purpose.as_bytes()])
}

/// The token a form with `purpose` carries for this pre-session.
pub fn token(auth: &Auth, pre_session: &str, purpose: &str) -> String {
    token_with(&auth.secrets.sign_in_csrf, pre_session, purpose)
}

/// [`token`] under `key`.
pub fn token_with(key: &[u8; 32], pre_session: &str, purpose: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(key, pre_session, purpose).finalize().into_bytes())
}

/// Checks a submitted form's token against the request's pre-session cookie.
pub fn verify(auth: &Auth, headers: &HeaderMap, purpose: &str, token: &str) -> AppResult<()> {
    let pre_session = read_cookie(&auth.config, headers, PRE_SESSION_COOKIE);
    if check(
        &auth.secrets.sign_in_csrf,
        pre_session.as_deref(),
        purpose,
        token,
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This form has expired or was not sent from this site. Go back, reload the page \
             and try again."
                .into(),
        ))
    }
}

/// Whether `token` is the one of a well-formed pre-session cookie's value and `purpose`
/// under `key`: what [`verify`] decides, without the request around it.
pub fn check(key: &[u8; 32], pre_session: Option<&str>, purpose: &str, token: &str) -> bool {
    let Some(pre_session) = pre_session.filter(|v| well_formed(v)) else {
        return false;
    };
    let Ok(given) = URL_SAFE_NO_PAD.decode(token) else {
        return false;
    };
    mac(key, pre_session, purpose).verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_the_cookie_and_the_purpose() {
        let key = [7u8; 32];
        let a = mac(&key, "cookie-a", "login:i1").finalize().into_bytes();
        assert!(mac(&key, "cookie-a", "login:i1").verify_slice(&a).is_ok());
        assert!(mac(&key, "cookie-b", "login:i1").verify_slice(&a).is_err());
        assert!(mac(&key, "cookie-a", "login:i2").verify_slice(&a).is_err());
        assert!(mac(&[8u8; 32], "cookie-a", "login:i1")
            .verify_slice(&a)
            .is_err());
        assert!(well_formed(&"A".repeat(43)));
        assert!(!well_formed(&"A".repeat(42)));
        assert!(!well_formed(&format!("{}=", "A".repeat(42))));
    }
}
