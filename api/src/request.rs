//! Helpers every HTTP handler shares, whatever its domain: the client's address, JSON bodies
//! whose rejections read like every other error, cookies, and HTML escaping. A leaf: it
//! knows no domain.

use std::net::SocketAddr;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::config::Config;

/// The client's address as the socket saw it.
pub struct ClientIp(pub Option<String>);

impl ClientIp {
    /// The address parsed, for access decisions.
    pub fn addr(&self) -> Option<std::net::IpAddr> {
        self.0.as_deref().and_then(|ip| ip.parse().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        ))
    }
}

/// JSON request bodies whose rejections are `{error, message}` like every other error.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                let status = rejection.status();
                let message = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => {
                        "send the body as Content-Type: application/json".to_owned()
                    }
                    other => other.body_text(),
                };
                let body = serde_json::json!({ "error": "BAD_USER_INPUT", "message": message });
                Err((status, axum::Json(body)).into_response())
            }
        }
    }
}

pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// How far a cookie travels with cross-site requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// Also on top-level navigations and (for the SSO cookies) a service provider's POST back.
    Lax,
    Strict,
}

/// A `Set-Cookie` value for one of Lanyard's cookies: always HttpOnly, Secure behind https;
/// `max_age_secs` of `None` makes a browser-session cookie, `Some(0)` clears it.
pub fn set_cookie(
    config: &Config,
    name: &str,
    value: &str,
    path: &str,
    same_site: SameSite,
    max_age_secs: Option<i64>,
) -> String {
    let same_site = match same_site {
        SameSite::Lax => "Lax",
        SameSite::Strict => "Strict",
    };
    let max_age = max_age_secs
        .map(|secs| format!("; Max-Age={secs}"))
        .unwrap_or_default();
    let secure = if config.is_https() { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{max_age}{secure}")
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; lanyard_admin=xyz; b=2".parse().unwrap());
        assert_eq!(
            cookie_value(&headers, "lanyard_admin").as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
