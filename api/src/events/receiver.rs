//! Where event callbacks may go. Receivers are HTTPS URLs; plain HTTP only to loopback, and
//! only when `events.allow_insecure_loopback` is on (development). Loopback, private networks
//! (RFC 1918, shared address space, IPv6 unique local; allowed by
//! `events.allow_private_networks`), link-local (cloud metadata services live there),
//! unspecified, multicast and broadcast addresses are refused, as literals in the URL and as
//! what a host name resolves to when a callback is sent: an admin cannot make the server
//! probe the network it runs in.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

use crate::config::EventsConfig;
use crate::error::{AppError, AppResult};

pub const MAX_URL_LEN: usize = 2048;

/// A receiver URL that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiverUrl(Url);

fn bad(message: impl Into<String>) -> AppError {
    AppError::bad_input("url", message)
}

/// Which addresses beyond the public internet callbacks may reach.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Loopback, over plain http too (development).
    pub loopback: bool,
    /// RFC 1918, 100.64.0.0/10 and fc00::/7: receivers inside the company network.
    pub private: bool,
}

impl Reach {
    /// What the `events.*` settings allow.
    pub fn of(config: &EventsConfig) -> Reach {
        Reach {
            loopback: config.allow_insecure_loopback,
            private: config.allow_private_networks,
        }
    }
}

/// Whether callbacks may be sent to `ip`.
pub fn permitted(ip: IpAddr, reach: Reach) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    if ip.is_loopback() {
        return reach.loopback;
    }
    let private = match ip {
        IpAddr::V4(v4) => v4.is_private() || (v4.octets()[0] == 100 && v4.octets()[1] & 0xc0 == 64),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    };
    if private {
        return reach.private;
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
    pub fn parse(raw: &str, reach: Reach) -> AppResult<ReceiverUrl> {
        let allow_loopback = reach.loopback;
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
            Some(url::Host::Ipv4(ip)) if !permitted(IpAddr::V4(ip), reach) => {
                return Err(bad(format!("callbacks cannot be sent to {ip}")))
            }
            Some(url::Host::Ipv6(ip)) if !permitted(IpAddr::V6(ip), reach) => {
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
    pub reach: Reach,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = self.reach;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let permitted: Vec<SocketAddr> = resolved
                .filter(|addr| permitted(addr.ip(), reach))
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

    const PUBLIC: Reach = Reach {
        loopback: false,
        private: false,
    };
    const DEVELOPMENT: Reach = Reach {
        loopback: true,
        private: false,
    };
    const PRIVATE: Reach = Reach {
        loopback: false,
        private: true,
    };

    #[test]
    fn https_receivers_are_accepted() {
        for url in [
            "https://sync.example.com/lanyard",
            "https://sync.example.com:8443/hooks?source=lanyard",
            "https://[2001:db8::1]/x",
        ] {
            assert!(ReceiverUrl::parse(url, PUBLIC).is_ok(), "{url}");
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
                ReceiverUrl::parse(url, PUBLIC).is_err(),
                "{url} without the flag"
            );
            assert!(
                ReceiverUrl::parse(url, DEVELOPMENT).is_ok(),
                "{url} with the flag"
            );
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
            assert!(ReceiverUrl::parse(url, DEVELOPMENT).is_err(), "{url:?}");
        }
    }

    #[test]
    fn resolved_addresses_are_filtered() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(!permitted(ip("169.254.169.254"), DEVELOPMENT));
        assert!(!permitted(ip("::ffff:127.0.0.1"), PUBLIC));
        assert!(permitted(ip("::ffff:127.0.0.1"), DEVELOPMENT));
        assert!(permitted(ip("203.0.113.7"), PUBLIC));
        assert!(permitted(ip("2001:db8::1"), PUBLIC));
    }

    #[test]
    fn private_networks_only_when_allowed() {
        for url in [
            "https://10.1.2.3/internal-receiver",
            "https://172.16.0.1/x",
            "https://172.31.255.255/x",
            "https://192.168.1.10/x",
            "https://100.64.0.1/x",
            "https://100.127.255.254/x",
            "https://[fc00::1]/x",
            "https://[fd12:3456::1]/x",
            "https://[::ffff:10.0.0.1]/x",
        ] {
            let refused = ReceiverUrl::parse(url, PUBLIC).unwrap_err();
            assert!(
                refused.to_string().contains("callbacks cannot be sent to"),
                "{url}: {refused}"
            );
            assert!(
                ReceiverUrl::parse(url, PRIVATE).is_ok(),
                "{url} when allowed"
            );
        }
        // Neighbours of the private ranges are public.
        for url in [
            "https://172.32.0.1/x",
            "https://100.128.0.1/x",
            "https://11.0.0.1/x",
            "https://[fe00::1]/x",
        ] {
            assert!(ReceiverUrl::parse(url, PUBLIC).is_ok(), "{url}");
        }
        // Private reach does not open loopback or link-local.
        assert!(!permitted("127.0.0.1".parse().unwrap(), PRIVATE));
        assert!(!permitted("169.254.169.254".parse().unwrap(), PRIVATE));
    }
}
