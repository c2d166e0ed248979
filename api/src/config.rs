//! Layered configuration: built-in defaults < `lanyard.toml` < `LANYARD_*` environment variables
//! (`__` separates nested keys, e.g. `LANYARD_GRAPHQL__MAX_DEPTH`) < command-line flags.
//! `DATABASE_URL` is honoured as an alias of `LANYARD_DATABASE_URL`, which wins over it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error(transparent)]
    Figment(#[from] Box<figment::Error>),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Config {
    /// Address the HTTP server binds; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The URL users and service providers reach this server at (used for cookies and links).
    pub public_url: String,
    pub database_url: String,
    /// Where the default SQLite file and a generated master key live.
    pub data_dir: PathBuf,
    /// 32 bytes, base64. Derives the keys that sign API tokens and session cookies and that
    /// encrypt private keys at rest. Generated into `data_dir/master.key` when absent; every node
    /// of a cluster must be given the same one.
    pub master_key: Option<SecretString>,
    /// Password of the `admin` super admin created on first start; when absent a one-time setup
    /// password is generated and printed once.
    pub bootstrap_admin_password: Option<SecretString>,
    /// Seed a demo instance and print an admin token.
    pub demo: bool,
    /// Load Cedar schema and policies from this directory instead of the built-in copies.
    pub policy_dir: Option<PathBuf>,
    pub log: LogConfig,
    pub graphql: GraphqlConfig,
    pub admin_session_minutes: u32,
    /// Every console admin gives a second factor (an authenticator app, or a recovery code) at
    /// sign-in; one who has none sets up an authenticator app while signing in. Console
    /// sessions that did not prove one stop working. API tokens are not affected.
    pub admin_require_second_factor: bool,
    /// How long a retired signing key stays in the IdP metadata, so that service providers
    /// that refresh it late still trust responses signed just before a rollover.
    pub key_retirement_grace_hours: u32,
    pub sso: SsoConfig,
    pub sign_in: SignInConfig,
    pub smtp: SmtpConfig,
    pub outbox: OutboxConfig,
    pub events: EventsConfig,
    /// How long a password-reset link stays valid.
    pub reset_link_minutes: u32,
    /// The built admin console (`web/dist`), served at `/console/`.
    pub console_dir: PathBuf,
    /// The load balancers and reverse proxies in front of Lanyard (addresses or CIDR blocks,
    /// a list or one comma-separated string). Only a request whose peer is one of them has its
    /// client address taken from `forwarded_header`; empty (the default) believes no header.
    pub trusted_proxies: TrustedProxies,
    /// Which header the trusted proxies set: `x-forwarded-for` (nginx, HAProxy, most cloud
    /// balancers) or `forwarded` (RFC 7239). The other is ignored: a proxy passes through what
    /// it does not set, so a client could write it.
    pub forwarded_header: ForwardedHeader,
    /// Passkeys and security keys (WebAuthn).
    #[serde(default)]
    pub passkeys: PasskeysConfig,
}

/// Passkeys (WebAuthn). The relying party's origin is always `public_url`, the address the
/// browser shows, whatever proxies sit in front; its ID is `public_url`'s host unless given.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PasskeysConfig {
    /// The relying party ID: `public_url`'s host (the default) or a parent domain of it, to
    /// which passkeys are bound. A parent domain (`example.com` for `https://id.example.com`)
    /// keeps them working when Lanyard moves to another host of that domain. Changing it
    /// later makes every registered passkey unusable.
    pub rp_id: Option<String>,
}

/// See [`Config::trusted_proxies`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    pub fn parse(entries: &[&str]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|entry| entry.trim())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let net = match entry.parse::<ipnet::IpNet>() {
                    Ok(net) => net,
                    Err(_) => entry
                        .parse::<std::net::IpAddr>()
                        .map(ipnet::IpNet::from)
                        .map_err(|_| {
                            format!(
                                "trusted_proxies: {:?} is not an IP address or CIDR block",
                                entry.chars().take(64).collect::<String>()
                            )
                        })?,
                };
                Ok(net.trunc())
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for TrustedProxies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(ToString::to_string))
    }
}

impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            List(Vec<String>),
            Text(String),
        }
        let entries: Vec<String> = match Raw::deserialize(deserializer)? {
            Raw::List(list) => list,
            Raw::Text(text) => text.split(',').map(str::to_owned).collect(),
        };
        let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
        TrustedProxies::parse(&entries).map_err(serde::de::Error::custom)
    }
}

/// See [`Config::forwarded_header`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardedHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

/// Employee sessions and SAML single sign-on.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SsoConfig {
    /// The absolute lifetime of an employee's IdP session.
    pub session_minutes: u32,
    /// An IdP session unused for this long ends.
    pub idle_minutes: u32,
    /// How far an AuthnRequest's IssueInstant may be from this server's clock.
    pub clock_skew_seconds: u32,
}

/// Throttling of failed sign-ins (employees and console admins alike).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignInConfig {
    /// Failures of one account within `window_minutes` that lock it for `lockout_minutes`.
    pub max_failures_per_account: u32,
    /// Failures from one client address within `window_minutes` that refuse it for
    /// `lockout_minutes`, whatever account it tries.
    pub max_failures_per_address: u32,
    pub window_minutes: u32,
    pub lockout_minutes: u32,
}

/// How mail leaves the server. Without a `host`, emails wait in the outbox.
#[derive(Clone, Debug, Deserialize)]
pub struct SmtpConfig {
    pub host: Option<String>,
    /// 25 with `none`, 587 with `starttls`, 465 with `tls` unless given.
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// The From of every email, e.g. `Lanyard <no-reply@example.com>`.
    pub from: String,
    /// A PEM file of certificate authorities to trust besides the public ones (an internal relay).
    pub ca_file: Option<PathBuf>,
    pub timeout_seconds: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP: only for a relay on the same host or a trusted network.
    None,
    /// STARTTLS, required: the message is never sent in clear.
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl SmtpConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::None => 25,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
        })
    }
}

/// The worker that delivers emails and event callbacks.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxConfig {
    /// How often each node looks for due messages.
    pub poll_interval_ms: u64,
    /// How long a claimed message is reserved for the node that claimed it. A node that dies
    /// mid-delivery leaves its messages to others after this; it must exceed every timeout.
    pub lease_seconds: u64,
    /// Attempts before a message is dead-lettered.
    pub max_attempts: u32,
    /// The first retry waits about this long; each further one twice as long (with jitter).
    pub retry_base_ms: u64,
    pub retry_max_seconds: u64,
    /// Messages one node claims at once.
    pub batch_size: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventsConfig {
    /// Accept `http://` receivers on loopback (127.0.0.0/8, ::1, localhost): for development.
    pub allow_insecure_loopback: bool,
    /// Accept receivers on private networks (10/8, 172.16/12, 192.168/16, 100.64/10,
    /// fc00::/7): for receivers inside the company network. Off by default, so that an admin
    /// cannot make the server probe the network it runs in.
    pub allow_private_networks: bool,
    pub timeout_seconds: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter directive, e.g. `info,lanyard=debug`.
    pub level: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GraphqlConfig {
    /// Introspection and the GraphiQL page at `GET /graphql`. On with `--demo`.
    pub introspection: Option<bool>,
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_body_bytes: usize,
    pub timeout_ms: u64,
}

impl Config {
    /// How long a retired signing key is still published.
    pub fn key_retirement_grace(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.key_retirement_grace_hours))
    }

    pub fn introspection_enabled(&self) -> bool {
        self.graphql.introspection.unwrap_or(self.demo)
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The host of `public_url`, without its port.
    pub fn public_host(&self) -> Option<String> {
        url::Url::parse(&self.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
    }

    /// Checks what types cannot: values that parse but make no sense.
    fn validate(self) -> Result<Self, ConfigError> {
        let url = self.public_url.trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ConfigError::Invalid(format!(
                "public_url must start with http:// or https://, got {url:?}"
            )));
        }
        if let Some(rp_id) = &self.passkeys.rp_id {
            let host = self.public_host().unwrap_or_default();
            if rp_id.is_empty() || !(host == *rp_id || host.ends_with(&format!(".{rp_id}"))) {
                return Err(ConfigError::Invalid(format!(
                    "passkeys.rp_id must be public_url's host {host:?} or a parent domain of it, got {rp_id:?}"
                )));
            }
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid(
                "database_url must be a sqlite: or postgres:// URL".into(),
            ));
        }
        if self.graphql.max_depth == 0 || self.graphql.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid(
                "graphql.max_depth must be at least 1 and graphql.max_body_bytes at least 1024"
                    .into(),
            ));
        }
        self.validate_mail()?;
        if self.admin_session_minutes == 0 {
            return Err(ConfigError::Invalid(
                "admin_session_minutes must be at least 1".into(),
            ));
        }
        if self.sso.session_minutes == 0 || self.sso.idle_minutes == 0 {
            return Err(ConfigError::Invalid(
                "sso.session_minutes and sso.idle_minutes must be at least 1".into(),
            ));
        }
        let sign_in = &self.sign_in;
        if sign_in.max_failures_per_account == 0
            || sign_in.max_failures_per_address == 0
            || sign_in.window_minutes == 0
            || sign_in.lockout_minutes == 0
        {
            return Err(ConfigError::Invalid(
                "the sign_in limits and durations must be at least 1".into(),
            ));
        }
        Ok(Config {
            public_url: url.to_string(),
            ..self
        })
    }
}

impl Config {
    fn validate_mail(&self) -> Result<(), ConfigError> {
        let invalid = |message: &str| Err(ConfigError::Invalid(message.to_owned()));
        let smtp = &self.smtp;
        if let Some(host) = &smtp.host {
            if host.is_empty()
                || host.len() > 253
                || !host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            {
                return invalid("smtp.host must be a host name or an IP address");
            }
        }
        if smtp.port == Some(0) {
            return invalid("smtp.port must be between 1 and 65535");
        }
        if smtp.username.is_some() != smtp.password.is_some() {
            return invalid("smtp.username and smtp.password go together");
        }
        if smtp.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "smtp.from must be an address like `Lanyard <no-reply@example.com>`, got {:?}",
                smtp.from
            )));
        }
        if !(1..=600).contains(&smtp.timeout_seconds) {
            return invalid("smtp.timeout_seconds must be between 1 and 600");
        }
        if !(1..=300).contains(&self.events.timeout_seconds) {
            return invalid("events.timeout_seconds must be between 1 and 300");
        }
        let outbox = &self.outbox;
        let longest = smtp.timeout_seconds.max(self.events.timeout_seconds);
        if outbox.lease_seconds <= longest {
            return Err(ConfigError::Invalid(format!(
                "outbox.lease_seconds must exceed the SMTP and event timeouts ({longest} s)"
            )));
        }
        if outbox.max_attempts == 0 || outbox.max_attempts > 100 {
            return invalid("outbox.max_attempts must be between 1 and 100");
        }
        if !(10..=3_600_000).contains(&outbox.poll_interval_ms)
            || !(1..=1000).contains(&outbox.batch_size)
            || outbox.retry_base_ms == 0
            || outbox.retry_max_seconds == 0
        {
            return invalid(
                "outbox.poll_interval_ms (10 ms to 1 h), batch_size (1 to 1000), retry_base_ms and retry_max_seconds (at least 1) are out of range",
            );
        }
        if !(1..=7 * 24 * 60).contains(&self.reset_link_minutes) {
            return invalid("reset_link_minutes must be between 1 and 10080");
        }
        Ok(())
    }
}

/// The non-secret defaults of `[smtp]`.
#[derive(Serialize)]
struct SmtpDefaults {
    security: SmtpSecurity,
    from: &'static str,
    timeout_seconds: u64,
}

/// The built-in defaults, the lowest layer.
#[derive(Serialize)]
struct Defaults {
    listen: &'static str,
    public_url: &'static str,
    database_url: &'static str,
    data_dir: &'static str,
    demo: bool,
    log: LogConfig,
    graphql: GraphqlConfig,
    admin_session_minutes: u32,
    admin_require_second_factor: bool,
    key_retirement_grace_hours: u32,
    sso: SsoConfig,
    sign_in: SignInConfig,
    smtp: SmtpDefaults,
    outbox: OutboxConfig,
    events: EventsConfig,
    reset_link_minutes: u32,
    console_dir: &'static str,
    trusted_proxies: TrustedProxies,
    forwarded_header: ForwardedHeader,
    passkeys: PasskeysConfig,
}

fn defaults() -> Defaults {
    Defaults {
        listen: "127.0.0.1:8080",
        public_url: "http://localhost:8080",
        database_url: "sqlite://data/lanyard.db?mode=rwc",
        data_dir: "data",
        demo: false,
        log: LogConfig {
            format: LogFormat::Text,
            level: "info".into(),
        },
        graphql: GraphqlConfig {
            introspection: None,
            max_depth: 12,
            max_complexity: 5000,
            max_aliases: 30,
            max_body_bytes: 2 * 1024 * 1024,
            timeout_ms: 30_000,
        },
        admin_session_minutes: 8 * 60,
        admin_require_second_factor: false,
        key_retirement_grace_hours: 7 * 24,
        sso: default_sso(),
        sign_in: default_sign_in(),
        smtp: SmtpDefaults {
            security: SmtpSecurity::Starttls,
            from: "Lanyard <no-reply@localhost>",
            timeout_seconds: 30,
        },
        outbox: default_outbox(),
        events: EventsConfig {
            allow_insecure_loopback: false,
            allow_private_networks: false,
            timeout_seconds: 10,
        },
        reset_link_minutes: 60,
        console_dir: "web/dist",
        trusted_proxies: TrustedProxies::default(),
        forwarded_header: ForwardedHeader::XForwardedFor,
        passkeys: PasskeysConfig::default(),
    }
}

/// The built-in SSO settings.
pub fn default_sso() -> SsoConfig {
    SsoConfig {
        session_minutes: 12 * 60,
        idle_minutes: 2 * 60,
        clock_skew_seconds: 180,
    }
}

/// The built-in sign-in throttling.
pub fn default_sign_in() -> SignInConfig {
    SignInConfig {
        max_failures_per_account: 5,
        max_failures_per_address: 50,
        window_minutes: 15,
        lockout_minutes: 15,
    }
}

/// The built-in outbox settings.
pub fn default_outbox() -> OutboxConfig {
    OutboxConfig {
        poll_interval_ms: 1000,
        lease_seconds: 120,
        max_attempts: 12,
        retry_base_ms: 2000,
        retry_max_seconds: 3600,
        batch_size: 16,
    }
}

/// The built-in GraphQL limits, for building the schema without a configuration.
pub fn default_graphql() -> GraphqlConfig {
    defaults().graphql
}

/// Flags given on the command line: the highest layer. Only the flags that were given are set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    #[serde(skip)]
    pub log_format: Option<LogFormat>,
}

/// Loads the configuration: defaults, then the TOML file (`lanyard.toml` in the working
/// directory unless another is named; a named file must exist), then the environment, then
/// the flags.
pub fn load(file: Option<&Path>, overrides: Overrides) -> Result<Config, ConfigError> {
    let mut figment = Figment::from(Serialized::defaults(defaults()));
    match file {
        Some(path) if !path.exists() => {
            return Err(ConfigError::Invalid(format!(
                "configuration file {} does not exist",
                path.display()
            )))
        }
        Some(path) => figment = figment.merge(Toml::file_exact(path)),
        None => figment = figment.merge(Toml::file("lanyard.toml")),
    }
    let log_format = overrides.log_format;
    let figment = figment
        .merge(
            Env::raw()
                .only(&["DATABASE_URL"])
                .map(|_| "database_url".into()),
        )
        .merge(Env::prefixed("LANYARD_").split("__"))
        .merge(Serialized::defaults(overrides));
    let figment = match log_format {
        Some(format) => figment.merge(Serialized::default("log.format", format)),
        None => figment,
    };
    let config: Config = figment.extract().map_err(Box::new)?;
    config.validate()
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail closures return figment::Error
mod tests {
    use super::*;
    use figment::Jail;
    use secrecy::ExposeSecret;

    fn flags_with_listen(listen: &str) -> Overrides {
        Overrides {
            listen: Some(listen.into()),
            ..Overrides::default()
        }
    }

    #[test]
    fn trusted_proxies_load_from_a_list_or_a_comma_separated_string() {
        Jail::expect_with(|jail| {
            assert!(load(None, Overrides::default())
                .expect("defaults load")
                .trusted_proxies
                .is_empty());
            jail.create_file(
                "lanyard.toml",
                "trusted_proxies = [\"10.0.0.1\", \"192.168.0.0/24\", \"fd00::/8\"]\n\
                 forwarded_header = \"forwarded\"\n",
            )?;
            let config = load(None, Overrides::default()).expect("a list loads");
            let ip = |text: &str| text.parse::<std::net::IpAddr>().unwrap();
            assert!(config.trusted_proxies.contains(ip("10.0.0.1")));
            assert!(!config.trusted_proxies.contains(ip("10.0.0.2")));
            assert!(config.trusted_proxies.contains(ip("192.168.0.77")));
            assert!(config.trusted_proxies.contains(ip("fd12::1")));
            assert_eq!(config.forwarded_header, ForwardedHeader::Forwarded);
            jail.set_env("LANYARD_TRUSTED_PROXIES", "172.16.0.0/12, 127.0.0.1");
            let config = load(None, Overrides::default()).expect("a string loads");
            assert!(config.trusted_proxies.contains(ip("172.20.1.1")));
            assert!(config.trusted_proxies.contains(ip("127.0.0.1")));
            assert!(!config.trusted_proxies.contains(ip("10.0.0.1")));
            for bad in [
                "10.0.0.300",
                "10.0.0.0/33",
                "proxy.internal",
                "10.0.0.1/8/8",
            ] {
                jail.set_env("LANYARD_TRUSTED_PROXIES", bad);
                let err = load(None, Overrides::default()).unwrap_err().to_string();
                assert!(err.contains("trusted_proxies"), "{bad}: {err}");
            }
            Ok(())
        });
    }

    #[test]
    fn defaults_apply_without_file_env_or_flags() {
        Jail::expect_with(|_jail| {
            let config = load(None, Overrides::default()).expect("defaults load");
            assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
            assert_eq!(config.database_url, "sqlite://data/lanyard.db?mode=rwc");
            assert!(!config.introspection_enabled());
            assert_eq!(config.key_retirement_grace_hours, 168);
            assert_eq!(config.sso.idle_minutes, 120);
            assert_eq!(config.sign_in.max_failures_per_account, 5);
            assert_eq!(config.console_dir, std::path::Path::new("web/dist"));
            assert!(!config.admin_require_second_factor);
            Ok(())
        });
    }

    #[test]
    fn each_layer_overrides_the_one_below() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "lanyard.toml",
                r#"
                listen = "127.0.0.1:9001"
                public_url = "https://id.example.com/"
                database_url = "sqlite://file.db"
                [graphql]
                max_depth = 7
                "#,
            )?;
            let from_file = load(None, Overrides::default()).expect("file loads");
            assert_eq!(from_file.listen.to_string(), "127.0.0.1:9001");
            assert_eq!(from_file.public_url, "https://id.example.com");
            assert_eq!(from_file.graphql.max_depth, 7);

            jail.set_env("DATABASE_URL", "postgres://db/alias");
            assert_eq!(
                load(None, Overrides::default()).unwrap().database_url,
                "postgres://db/alias"
            );
            jail.set_env("LANYARD_DATABASE_URL", "postgres://db/lanyard");
            jail.set_env("LANYARD_LISTEN", "127.0.0.1:9002");
            jail.set_env("LANYARD_GRAPHQL__MAX_DEPTH", "9");
            jail.set_env("LANYARD_SIGN_IN__LOCKOUT_MINUTES", "30");
            jail.set_env("LANYARD_ADMIN_REQUIRE_SECOND_FACTOR", "true");
            let from_env = load(None, Overrides::default()).unwrap();
            assert!(from_env.admin_require_second_factor);
            assert_eq!(from_env.database_url, "postgres://db/lanyard");
            assert_eq!(from_env.listen.to_string(), "127.0.0.1:9002");
            assert_eq!(from_env.graphql.max_depth, 9);
            assert_eq!(from_env.sign_in.lockout_minutes, 30);

            let from_flags = load(None, flags_with_listen("127.0.0.1:9003")).unwrap();
            assert_eq!(from_flags.listen.to_string(), "127.0.0.1:9003");
            assert_eq!(
                from_flags.graphql.max_depth, 9,
                "flags leave other keys alone"
            );
            Ok(())
        });
    }

    #[test]
    fn secrets_load_but_do_not_print() {
        Jail::expect_with(|jail| {
            jail.set_env("LANYARD_BOOTSTRAP_ADMIN_PASSWORD", "correct horse battery");
            let config = load(None, Overrides::default()).unwrap();
            let secret = config.bootstrap_admin_password.as_ref().unwrap();
            assert_eq!(secret.expose_secret(), "correct horse battery");
            assert!(!format!("{config:?}").contains("correct horse"));
            Ok(())
        });
    }

    #[test]
    fn bad_values_are_refused_with_the_key_named() {
        Jail::expect_with(|jail| {
            jail.set_env("LANYARD_LISTEN", "not an address");
            let err = load(None, Overrides::default()).unwrap_err().to_string();
            assert!(err.to_lowercase().contains("listen"), "{err}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.create_file("lanyard.toml", "public_url = \"ftp://x\"")?;
            let err = load(None, Overrides::default()).unwrap_err().to_string();
            assert!(err.contains("public_url"), "{err}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.create_file("lanyard.toml", "listen = [")?;
            assert!(load(None, Overrides::default()).is_err());
            let missing = load(Some(Path::new("nope.toml")), Overrides::default());
            assert!(missing.unwrap_err().to_string().contains("nope.toml"));
            Ok(())
        });
    }

    #[test]
    fn the_passkeys_relying_party_is_the_public_urls_host_or_a_parent_domain() {
        Jail::expect_with(|jail| {
            let config = load(None, Overrides::default()).expect("defaults load");
            assert_eq!(config.passkeys.rp_id, None);
            assert_eq!(config.public_host().as_deref(), Some("localhost"));
            jail.create_file(
                "lanyard.toml",
                "public_url = \"https://id.example.com\"\n[passkeys]\nrp_id = \"example.com\"\n",
            )?;
            let config = load(None, Overrides::default()).expect("a parent domain loads");
            assert_eq!(config.passkeys.rp_id.as_deref(), Some("example.com"));
            jail.set_env("LANYARD_PASSKEYS__RP_ID", "id.example.com");
            let config = load(None, Overrides::default()).expect("the host itself loads");
            assert_eq!(config.passkeys.rp_id.as_deref(), Some("id.example.com"));
            for foreign in ["evil.example", "ample.com", "xid.example.com", ""] {
                jail.set_env("LANYARD_PASSKEYS__RP_ID", foreign);
                let err = load(None, Overrides::default()).unwrap_err().to_string();
                assert!(err.contains("passkeys.rp_id"), "{foreign}: {err}");
            }
            Ok(())
        });
    }

    #[test]
    fn smtp_and_outbox_load_from_file_and_env() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "lanyard.toml",
                r#"
                [smtp]
                host = "smtp.example.com"
                security = "tls"
                username = "mailer"
                password = "smtp-secret-1"
                from = "Acme IT <it@acme.example>"
                [outbox]
                max_attempts = 5
                "#,
            )?;
            jail.set_env("LANYARD_EVENTS__ALLOW_INSECURE_LOOPBACK", "true");
            jail.set_env("LANYARD_SMTP__PORT", "2465");
            let config = load(None, Overrides::default()).unwrap();
            assert_eq!(config.smtp.security, SmtpSecurity::Tls);
            assert_eq!(config.smtp.port(), 2465);
            assert_eq!(config.outbox.max_attempts, 5);
            assert_eq!(config.outbox.lease_seconds, 120, "defaults fill the rest");
            assert!(config.events.allow_insecure_loopback);
            assert!(!format!("{config:?}").contains("smtp-secret-1"));
            Ok(())
        });
        Jail::expect_with(|_jail| {
            let config = load(None, Overrides::default()).unwrap();
            assert!(config.smtp.host.is_none(), "no SMTP unless configured");
            assert_eq!(config.smtp.port(), 587);
            assert!(!config.events.allow_insecure_loopback);
            Ok(())
        });
    }

    #[test]
    fn hostile_mail_settings_are_refused() {
        let refused = [
            ("[smtp]\nfrom = \"not an address\"", "smtp.from"),
            (
                "[smtp]\nfrom = \"a@b.example\\r\\nBcc: x@evil.example\"",
                "smtp.from",
            ),
            ("[smtp]\nhost = \"mail.example.com\\r\\nRCPT\"", "smtp.host"),
            ("[smtp]\nhost = \"\"", "smtp.host"),
            ("[smtp]\nport = 0", "smtp.port"),
            ("[smtp]\nport = 70000", "port"),
            ("[smtp]\nsecurity = \"ssl3\"", "security"),
            ("[smtp]\nusername = \"only-a-name\"", "smtp.username"),
            ("[smtp]\ntimeout_seconds = 0", "smtp.timeout_seconds"),
            ("[outbox]\nlease_seconds = 5", "outbox.lease_seconds"),
            ("[outbox]\nmax_attempts = 0", "outbox.max_attempts"),
            ("[outbox]\nbatch_size = 0", "outbox.poll_interval_ms"),
            ("[outbox]\nmax_attempts = -1", "max_attempts"),
            (
                "[events]\nallow_insecure_loopback = \"yes please\"",
                "allow_insecure_loopback",
            ),
            ("reset_link_minutes = 0", "reset_link_minutes"),
            (
                "admin_require_second_factor = \"sometimes\"",
                "admin_require_second_factor",
            ),
        ];
        for (toml, key) in refused {
            Jail::expect_with(|jail| {
                jail.create_file("lanyard.toml", toml)?;
                let err = load(None, Overrides::default())
                    .expect_err(toml)
                    .to_string();
                assert!(err.contains(key), "{toml}: {err}");
                Ok(())
            });
        }
    }
}
