//! Helpers every HTTP handler shares, whatever its domain: the client's address, JSON bodies
//! whose rejections read like every other error, cookies, and HTML escaping. A leaf: it
//! knows no domain.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::config::{Config, ForwardedHeader, TrustedProxies};

/// The client's address: the socket's peer, or what a trusted proxy forwarded
/// ([`client_address`], put in the request's extensions by the HTTP layer).
pub struct ClientIp(pub Option<String>);

/// The address [`client_address`] settled on for a request.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

/// The most forwarding hops looked at, right to left, before a request is refused: no
/// deployment has more proxies than this in a row.
pub const MAX_HOPS: usize = 16;

/// Why a trusted proxy's forwarding header was not believed.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ForwardedError {
    #[error("the {0} header names a hop that is not an IP address")]
    Malformed(&'static str),
    #[error("the {0} header has more than {MAX_HOPS} proxies in a row")]
    TooManyHops(&'static str),
}

/// The client of a request that came from `peer`. A peer that is not a trusted proxy is the
/// client, whatever headers it sent. From a trusted proxy, the forwarding header its kind sets
/// is read from the right (the hop the nearest proxy added) to the left, skipping trusted
/// proxies; the first address that is not one is the client. Hops further left were written
/// by the client and are never read. A chain of trusted proxies only (a health check) gives
/// the left-most; no header at all gives the peer.
pub fn client_address(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
    header: ForwardedHeader,
) -> Result<IpAddr, ForwardedError> {
    let peer = canonical(peer);
    if trusted.is_empty() || !trusted.contains(peer) {
        return Ok(peer);
    }
    let (name, parse): (&'static str, fn(&str) -> Option<IpAddr>) = match header {
        ForwardedHeader::XForwardedFor => ("X-Forwarded-For", forwarded_for_hop),
        ForwardedHeader::Forwarded => ("Forwarded", forwarded_hop),
    };
    // Several header lines are one list, in order (RFC 9110 §5.3).
    let lines: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().map_err(|_| ForwardedError::Malformed(name)))
        .collect::<Result<_, _>>()?;
    let mut client = peer;
    for (seen, hop) in lines
        .iter()
        .rev()
        .flat_map(|line| line.rsplit(','))
        .enumerate()
    {
        if seen == MAX_HOPS {
            return Err(ForwardedError::TooManyHops(name));
        }
        let hop = parse(hop.trim())
            .map(canonical)
            .ok_or(ForwardedError::Malformed(name))?;
        client = hop;
        if !trusted.contains(hop) {
            break;
        }
    }
    Ok(client)
}

/// An IPv4 address mapped into IPv6 (`::ffff:192.0.2.1`, as dual-stack sockets report IPv4
/// peers) is the IPv4 address, so that one CIDR block covers both spellings.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// One hop of `X-Forwarded-For`: an address, IPv6 optionally in brackets.
fn forwarded_for_hop(hop: &str) -> Option<IpAddr> {
    let bare = hop
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(hop);
    bare.parse().ok()
}

/// One element of `Forwarded` (RFC 7239): its `for=` node, an address with an optional port
/// (`192.0.2.60`, `"192.0.2.60:8080"`, `"[2001:db8::1]:4711"`). `unknown` and obfuscated
/// nodes name no address.
fn forwarded_hop(element: &str) -> Option<IpAddr> {
    let mut node = None;
    for pair in element.split(';') {
        let (key, value) = pair.trim().split_once('=')?;
        if key.trim().eq_ignore_ascii_case("for") {
            if node.is_some() {
                return None;
            }
            node = Some(value.trim());
        }
    }
    let node = node?;
    let node = match node.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"')?,
        // A port or an IPv6 address is not a token: it must be quoted.
        None if node.contains([':', '[', ']']) => return None,
        None => node,
    };
    if let Some(rest) = node.strip_prefix('[') {
        let (v6, port) = rest.split_once(']')?;
        if !(port.is_empty() || valid_port(port.strip_prefix(':')?)) {
            return None;
        }
        return v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let (v4, port) = node.split_once(':').unwrap_or((node, ""));
    if !(port.is_empty() && !node.ends_with(':') || valid_port(port)) {
        return None;
    }
    v4.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

fn valid_port(port: &str) -> bool {
    port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

impl ClientIp {
    /// The address parsed, for access decisions.
    pub fn addr(&self) -> Option<std::net::IpAddr> {
        self.0.as_deref().and_then(|ip| ip.parse().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let resolved = parts.extensions.get::<ClientAddr>().map(|addr| addr.0);
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| canonical(addr.ip()))
        };
        Ok(ClientIp(resolved.or_else(peer).map(|ip| ip.to_string())))
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

/// The name a cookie goes by: behind https, with the `__Host-` prefix, which browsers accept
/// only from a secure origin, with `Secure`, `Path=/` and no `Domain` — so that no sibling
/// subdomain and no plain-http page can plant or overwrite it.
fn full_name(config: &Config, name: &str) -> String {
    if config.is_https() {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A `Set-Cookie` value for one of Lanyard's cookies: always HttpOnly and `Path=/`, Secure and
/// `__Host-` behind https; `max_age_secs` of `None` makes a browser-session cookie, `Some(0)`
/// clears it.
pub fn set_cookie(
    config: &Config,
    name: &str,
    value: &str,
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
    let name = full_name(config, name);
    format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}{max_age}{secure}")
}

/// The value of one of Lanyard's cookies (named as [`set_cookie`] names it).
pub fn read_cookie(config: &Config, headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_value(headers, &full_name(config, name))
}

/// The value of the cookie named exactly `name` among a request's `Cookie` headers.
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

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn with(name: &str, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                axum::http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
            );
        }
        headers
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;
    const FORWARDED: ForwardedHeader = ForwardedHeader::Forwarded;

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        let spoofed = with("x-forwarded-for", &["203.0.113.9"]);
        let client = |peer: &str, trusted: &[&str]| {
            client_address(ip(peer), &spoofed, &proxies(trusted), XFF).unwrap()
        };
        assert_eq!(client("198.51.100.7", &[]), ip("198.51.100.7"));
        assert_eq!(client("198.51.100.7", &["10.0.0.0/8"]), ip("198.51.100.7"));
        assert_eq!(client("10.1.2.3", &["10.0.0.0/8"]), ip("203.0.113.9"));
        // Garbage from an untrusted peer is not even looked at.
        for garbage in ["nonsense", "\u{e9}", &"1.1.1.1,".repeat(1000)] {
            let headers = with("x-forwarded-for", &[garbage]);
            assert_eq!(
                client_address(ip("198.51.100.7"), &headers, &proxies(&["10.0.0.1"]), XFF),
                Ok(ip("198.51.100.7"))
            );
        }
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "2001:db8:1::/48"]);
        let client = |values: &[&str]| {
            client_address(
                ip("10.0.0.2"),
                &with("x-forwarded-for", values),
                &trusted,
                XFF,
            )
        };
        // The client wrote the left part; the balancer appended the address it saw.
        assert_eq!(client(&["6.6.6.6, 203.0.113.9"]), Ok(ip("203.0.113.9")));
        assert_eq!(client(&["junk, 203.0.113.9"]), Ok(ip("203.0.113.9")));
        // Two proxies: the inner one is skipped.
        assert_eq!(client(&["203.0.113.9, 10.9.9.9"]), Ok(ip("203.0.113.9")));
        assert_eq!(client(&["203.0.113.9", "10.9.9.9"]), Ok(ip("203.0.113.9")));
        assert_eq!(
            client(&["2001:db8:2::5, 2001:db8:1::1"]),
            Ok(ip("2001:db8:2::5"))
        );
        assert_eq!(client(&["[2001:db8:2::5]"]), Ok(ip("2001:db8:2::5")));
        assert_eq!(client(&["::ffff:203.0.113.9"]), Ok(ip("203.0.113.9")));
        // Only proxies: the furthest; no header: the peer.
        assert_eq!(client(&["10.1.1.1, 10.2.2.2"]), Ok(ip("10.1.1.1")));
        assert_eq!(client(&[]), Ok(ip("10.0.0.2")));
        // A hop the proxies wrote that is no address is refused, not guessed.
        for bad in [
            "203.0.113.9, nonsense",
            "",
            " , ",
            "203.0.113.9:80",
            "unknown",
            "1.2.3",
        ] {
            assert_eq!(
                client(&[bad]),
                Err(ForwardedError::Malformed("X-Forwarded-For")),
                "{bad:?}"
            );
        }
        assert_eq!(
            client(&["\u{e9}"]),
            Err(ForwardedError::Malformed("X-Forwarded-For"))
        );
        let hops = vec!["10.0.0.9"; 1000].join(",");
        assert_eq!(
            client(&[&hops]),
            Err(ForwardedError::TooManyHops("X-Forwarded-For"))
        );
        // A dual-stack socket's view of an IPv4 proxy is the same proxy.
        assert_eq!(
            client_address(
                ip("::ffff:10.0.0.2"),
                &with("x-forwarded-for", &["203.0.113.9"]),
                &trusted,
                XFF
            ),
            Ok(ip("203.0.113.9"))
        );
    }

    #[test]
    fn rfc_7239_forwarded_is_read_when_chosen() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let client = |values: &[&str], header| {
            client_address(ip("10.0.0.2"), &with("forwarded", values), &trusted, header)
        };
        assert_eq!(
            client(&["for=203.0.113.9"], FORWARDED),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(
            client(
                &["for=6.6.6.6, for=\"203.0.113.9:4711\";proto=https"],
                FORWARDED
            ),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(
            client(
                &["For=\"[2001:db8::7]:4711\", for=10.1.1.1;by=10.0.0.2"],
                FORWARDED
            ),
            Ok(ip("2001:db8::7"))
        );
        for bad in [
            "for=unknown",
            "for=_hidden",
            "by=10.0.0.2",
            "for=\"[2001:db8::7\"",
            "for=\"203.0.113.9:\"",
            "for=\"203.0.113.9:99999x\"",
            "for=1.1.1.1;for=2.2.2.2",
            "for=[2001:db8::7]:80",
        ] {
            assert_eq!(
                client(&[bad], FORWARDED),
                Err(ForwardedError::Malformed("Forwarded")),
                "{bad:?}"
            );
        }
        // The header the proxies do not set is ignored: a client could have written it.
        assert_eq!(client(&["for=203.0.113.9"], XFF), Ok(ip("10.0.0.2")));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
