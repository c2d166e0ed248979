//! Where event callbacks may go. Receivers are HTTPS URLs; plain HTTP only to loopback, and
//! only when `events.allow_insecure_loopback` is on (development). Loopback, link-local (cloud
//! metadata services live there), unspecified, multicast and broadcast addresses are refused,
//! as literals in the URL and as what a host name resolves to when a callback is sent.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

use crate::error::{AppError, AppResult};

pub const MAX_URL_LEN: usize = 2048;

/// A receiver URL that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiverUrl(Url);

fn bad(message: impl Into<String>) -> AppError {
    AppError::bad_input("url", message)
}

/// Whether callbacks may be sent to `ip`.
pub fn permitted(ip: IpAddr, allow_loopback: bool) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    if ip.is_loopback() {
        return allow_loopback;
    }
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.octets()[0] == 0)
        }
        IpAddr::V6(v6) => {
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(link_local || v6.is_unspecified() || v6.is_multicast())
        }
    }
}

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl ReceiverUrl {
    pub fn parse(raw: &str, allow_loopback: bool) -> AppResult<ReceiverUrl> {
        if raw.is_empty() || raw.len() > MAX_URL_LEN {
            return Err(bad(format!(
                "the receiver URL must have 1 to {MAX_URL_LEN} characters"
            )));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(
                "the receiver URL must not contain spaces or control characters",
            ));
        }
        let url = Url::parse(raw).map_err(|err| bad(format!("not a URL: {err}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("the receiver URL must not carry credentials"));
        }
        if url.fragment().is_some() {
            return Err(bad("the receiver URL must not have a #fragment"));
        }
        let loopback = is_loopback_host(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback && allow_loopback => {}
            "http" if loopback => {
                return Err(bad(
                    "http:// receivers are allowed only on loopback with events.allow_insecure_loopback",
                ))
            }
            _ => return Err(bad("the receiver URL must be https://")),
        }
        match url.host() {
            None => return Err(bad("the receiver URL has no host")),
            Some(url::Host::Ipv4(ip)) if !permitted(IpAddr::V4(ip), allow_loopback) => {
                return Err(bad(format!("callbacks cannot be sent to {ip}")))
            }
            Some(url::Host::Ipv6(ip)) if !permitted(IpAddr::V6(ip), allow_loopback) => {
                return Err(bad(format!("callbacks cannot be sent to {ip}")))
            }
            Some(url::Host::Domain(_)) if loopback && !allow_loopback => {
                return Err(bad("callbacks cannot be sent to localhost"))
            }
            _ => {}
        }
        Ok(ReceiverUrl(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }
}

/// Resolves receiver host names and drops the addresses callbacks may not go to; a name
/// with none left fails to resolve.
#[derive(Clone, Debug)]
pub struct GuardedResolver {
    pub allow_loopback: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let permitted: Vec<SocketAddr> = resolved
                .filter(|addr| permitted(addr.ip(), allow_loopback))
                .collect();
            if permitted.is_empty() {
                return Err(
                    format!("{host} resolves to no address callbacks may be sent to").into(),
                );
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_receivers_are_accepted() {
        for url in [
            "https://sync.example.com/lanyard",
            "https://sync.example.com:8443/hooks?source=lanyard",
            "https://10.1.2.3/internal-receiver",
            "https://[2001:db8::1]/x",
        ] {
            assert!(ReceiverUrl::parse(url, false).is_ok(), "{url}");
        }
    }

    #[test]
    fn loopback_only_with_the_development_flag() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost:9000/hook",
            "http://[::1]:9000/hook",
            "https://127.0.0.1/hook",
            "http://2130706433/hook",
            "http://0x7f.1/hook",
        ] {
            assert!(
                ReceiverUrl::parse(url, false).is_err(),
                "{url} without the flag"
            );
            assert!(ReceiverUrl::parse(url, true).is_ok(), "{url} with the flag");
        }
    }

    #[test]
    fn hostile_receiver_urls_are_refused() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        for url in [
            "",
            "example.com/hook",
            "http://sync.example.com/hook",
            "ftp://sync.example.com/hook",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://user:pass@sync.example.com/hook",
            "https://sync.example.com/hook#frag",
            "https://sync.example.com/ho ok",
            "https://sync.example.com/\nhook",
            "https://sync.example.com/\0",
            "https://169.254.169.254/latest/meta-data",
            "https://[fe80::1]/x",
            "https://0.0.0.0/x",
            "https://[::]/x",
            "https://224.0.0.1/x",
            "https://255.255.255.255/x",
            "https://[::ffff:169.254.169.254]/x",
            "http://169.254.169.254/",
            "https://",
            "https://:443/x",
            long.as_str(),
        ] {
            assert!(ReceiverUrl::parse(url, true).is_err(), "{url:?}");
        }
    }

    #[test]
    fn resolved_addresses_are_filtered() {
        assert!(!permitted("169.254.169.254".parse().unwrap(), true));
        assert!(!permitted("::ffff:127.0.0.1".parse().unwrap(), false));
        assert!(permitted("::ffff:127.0.0.1".parse().unwrap(), true));
        assert!(permitted("192.168.1.10".parse().unwrap(), false));
    }
}
