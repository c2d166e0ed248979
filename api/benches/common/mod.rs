//! What the benches share: the configuration of the server they start in their own process.

use std::path::Path;
use std::time::Duration;

use lanyard::config::{Config, LogConfig, LogFormat};
use secrecy::SecretString;

/// A server on `database_url` with its data in `data_dir`, quiet logs, no SMTP, and the admin
/// account `admin` with `admin_password`.
pub fn config(
    database_url: String,
    data_dir: &Path,
    admin_password: &str,
) -> anyhow::Result<Config> {
    Ok(Config {
        listen: "127.0.0.1:0".parse()?,
        public_url: "http://127.0.0.1".into(),
        database_url,
        data_dir: data_dir.to_path_buf(),
        master_key: None,
        bootstrap_admin_password: Some(SecretString::from(admin_password)),
        demo: false,
        policy_dir: None,
        log: LogConfig {
            format: LogFormat::Text,
            level: "error".into(),
        },
        graphql: lanyard::config::default_graphql(),
        admin_session_minutes: 60,
        admin_require_second_factor: false,
        key_retirement_grace_hours: 168,
        sso: lanyard::config::default_sso(),
        sign_in: lanyard::config::default_sign_in(),
        smtp: lanyard::config::SmtpConfig {
            host: None,
            port: None,
            security: lanyard::config::SmtpSecurity::None,
            username: None,
            password: None,
            from: "Lanyard Bench <no-reply@lanyard.test>".into(),
            ca_file: None,
            timeout_seconds: 5,
        },
        outbox: lanyard::config::default_outbox(),
        events: lanyard::config::EventsConfig {
            allow_insecure_loopback: false,
            allow_private_networks: false,
            timeout_seconds: 5,
        },
        reset_link_minutes: 60,
        console_dir: "web/dist".into(),
        trusted_proxies: Default::default(),
        forwarded_header: Default::default(),
        passkeys: Default::default(),
    })
}

/// A client signed in to the console as the bootstrap admin (a session cookie), as an admin's
/// browser would be.
pub async fn signed_in_admin(base: &str, password: &str) -> anyhow::Result<reqwest::Client> {
    let admin = reqwest::Client::builder().cookie_store(true).build()?;
    let login = admin
        .post(format!("{base}/auth/admin/login"))
        .json(&serde_json::json!({ "username": "admin", "password": password }))
        .send()
        .await?;
    anyhow::ensure!(login.status() == 204, "admin sign-in: {}", login.status());
    Ok(admin)
}

/// The `p` quantile (0–1) of sorted durations, in milliseconds; NaN of none.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}
