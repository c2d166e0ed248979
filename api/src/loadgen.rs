//! `lanyard bench`: drives SSO through any deployment's public URL, as employees' browsers do,
//! so that an operator can size a cluster. Each worker signs an employee in on the sign-in form
//! (its own session and connection), then starts SSO over and over: IdP-initiated from the
//! portal's start URL, or SP-initiated with a fresh unsigned AuthnRequest by HTTP-Redirect. A
//! response counts as answered when it is the form that posts a SAMLResponse; anything else is
//! a failure, counted by its cause.
//!
//! It is a client of the server's public routes only, and imports nothing of the server.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Args;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::Serialize;

#[derive(Args, Debug, Clone)]
pub struct BenchArgs {
    /// The deployment's public URL (the balancer's), e.g. https://id.acme.example.
    #[arg(long)]
    pub url: String,
    /// The instance the employee signs in to.
    #[arg(long)]
    pub instance: String,
    /// The application to sign in to (its id).
    #[arg(long)]
    pub application: String,
    #[arg(long)]
    pub username: String,
    /// The employee's password (or LANYARD_BENCH_PASSWORD).
    #[arg(long, env = "LANYARD_BENCH_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// Concurrent workers, each with its own session and connection.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    /// SP-initiated: the application's SP entity ID, which issues the AuthnRequests.
    #[arg(long)]
    pub sp_entity_id: Option<String>,
    /// The deployment's `public_url` when `--url` reaches it by another address (one node
    /// directly, say): SP-initiated requests name it as their Destination.
    #[arg(long)]
    pub public_url: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What a run measured.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub mode: &'static str,
    pub workers: usize,
    pub seconds: f64,
    pub answered: u64,
    pub responses_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Failures by cause: `status 503`, `connect`, `timeout`, `not a SAMLResponse`, ….
    pub failures: BTreeMap<String, u64>,
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    failures: BTreeMap<String, u64>,
}

/// Signs the workers in, runs them for the given time and summarises.
pub async fn run(args: BenchArgs) -> anyhow::Result<Summary> {
    if args.concurrency == 0 || args.concurrency > 1024 {
        bail!("--concurrency must be between 1 and 1024");
    }
    let written_into_xml = [args.sp_entity_id.as_deref(), args.public_url.as_deref()];
    if written_into_xml
        .into_iter()
        .flatten()
        .any(|value| value.contains(['<', '>', '&', '"']))
    {
        bail!("--sp-entity-id and --public-url cannot contain <, >, & or \"");
    }
    let base = args.url.trim_end_matches('/').to_owned();
    let mut clients = Vec::with_capacity(args.concurrency);
    for _ in 0..args.concurrency {
        clients.push(signed_in_client(&base, &args).await?);
    }
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let workers: Vec<_> = clients
        .into_iter()
        .map(|client| {
            let base = base.clone();
            let args = args.clone();
            tokio::spawn(async move { work(client, &base, &args, deadline).await })
        })
        .collect();
    let mut tally = Tally::default();
    for worker in workers {
        let one = worker.await.context("a worker panicked")?;
        tally.latencies_us.extend(one.latencies_us);
        for (cause, count) in one.failures {
            *tally.failures.entry(cause).or_default() += count;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    tally.latencies_us.sort_unstable();
    let answered = tally.latencies_us.len() as u64;
    Ok(Summary {
        mode: if args.sp_entity_id.is_some() {
            "sp-initiated"
        } else {
            "idp-initiated"
        },
        workers: args.concurrency,
        seconds: elapsed,
        answered,
        responses_per_second: answered as f64 / elapsed.max(f64::EPSILON),
        p50_ms: percentile(&tally.latencies_us, 50),
        p99_ms: percentile(&tally.latencies_us, 99),
        max_ms: tally.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0,
        failures: tally.failures,
    })
}

/// The `p`th percentile of sorted microseconds, in milliseconds (nearest rank).
fn percentile(sorted_us: &[u64], p: usize) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (sorted_us.len() * p)
        .div_ceil(100)
        .clamp(1, sorted_us.len());
    sorted_us[rank - 1] as f64 / 1000.0
}

/// Prints a summary for people, or as JSON.
pub fn print(summary: &Summary, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(summary)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} SSO, {} workers, {:.1} s",
        summary.mode, summary.workers, summary.seconds
    )?;
    writeln!(out, "answered       {}", summary.answered)?;
    writeln!(out, "responses/s    {:.1}", summary.responses_per_second)?;
    writeln!(out, "p50            {:.1} ms", summary.p50_ms)?;
    writeln!(out, "p99            {:.1} ms", summary.p99_ms)?;
    writeln!(out, "max            {:.1} ms", summary.max_ms)?;
    let failed: u64 = summary.failures.values().sum();
    writeln!(out, "failures       {failed}")?;
    for (cause, count) in &summary.failures {
        writeln!(out, "  {cause:<12} {count}")?;
    }
    Ok(())
}

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// The value of a hidden field of the sign-in page.
fn hidden<'a>(page: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(&page[start..start + end])
}

/// A client with an employee session: the sign-in form, as a browser fills it.
async fn signed_in_client(base: &str, args: &BenchArgs) -> anyhow::Result<reqwest::Client> {
    let client = client()?;
    let login = format!("{base}/sso/{}/login", args.instance);
    let page = client
        .get(&login)
        .send()
        .await
        .with_context(|| format!("opening {login}"))?;
    if !page.status().is_success() {
        bail!("{login} answered {}", page.status());
    }
    let page = page.text().await?;
    let csrf = hidden(&page, "csrf").context("the sign-in page has no CSRF token")?;
    let signed_in = client
        .post(&login)
        .form(&[
            ("csrf", csrf),
            ("continue", "portal"),
            ("username", args.username.as_str()),
            ("password", args.password.as_str()),
        ])
        .send()
        .await?;
    let location = signed_in
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if signed_in.status() != reqwest::StatusCode::SEE_OTHER || !location.contains("/portal") {
        bail!(
            "signing {} in answered {} {location}: check the username and password, and that the \
             instance asks for no second factor",
            args.username,
            signed_in.status()
        );
    }
    Ok(client)
}

/// An unsigned AuthnRequest by HTTP-Redirect to `sso_url`, with a fresh ID.
fn redirect_request(sso_url: &str, destination: &str, issuer: &str) -> anyhow::Result<String> {
    let id = format!("_{}", uuid::Uuid::new_v4().simple());
    let instant = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let xml = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" \
         IssueInstant=\"{instant}\" Destination=\"{destination}\">\
         <saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>"
    );
    let mut deflater = DeflateEncoder::new(Vec::new(), Compression::fast());
    deflater.write_all(xml.as_bytes())?;
    let encoded = STANDARD.encode(deflater.finish()?);
    let mut url = url::Url::parse(sso_url)?;
    url.query_pairs_mut().append_pair("SAMLRequest", &encoded);
    Ok(url.into())
}

async fn work(client: reqwest::Client, base: &str, args: &BenchArgs, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let start_url = format!("{base}/saml/apps/{}/start", args.application);
    let sso_url = format!("{base}/saml/apps/{}/sso", args.application);
    let destination = match &args.public_url {
        Some(public) => format!(
            "{}/saml/apps/{}/sso",
            public.trim_end_matches('/'),
            args.application
        ),
        None => sso_url.clone(),
    };
    while Instant::now() < deadline {
        let url = match &args.sp_entity_id {
            None => start_url.clone(),
            Some(issuer) => match redirect_request(&sso_url, &destination, issuer) {
                Ok(url) => url,
                Err(_) => {
                    *tally.failures.entry("request".into()).or_default() += 1;
                    continue;
                }
            },
        };
        let sent = Instant::now();
        let outcome = match client.get(&url).send().await {
            Ok(response) if response.status().is_success() => match response.text().await {
                Ok(body) if body.contains("name=\"SAMLResponse\"") => Ok(()),
                Ok(_) => Err("not a SAMLResponse".to_owned()),
                Err(_) => Err("body".to_owned()),
            },
            Ok(response) => Err(format!("status {}", response.status().as_u16())),
            Err(err) if err.is_timeout() => Err("timeout".to_owned()),
            Err(err) if err.is_connect() => Err("connect".to_owned()),
            Err(_) => Err("transport".to_owned()),
        };
        match outcome {
            Ok(()) => tally
                .latencies_us
                .push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX)),
            Err(cause) => {
                *tally.failures.entry(cause).or_default() += 1;
                // A node that is down refuses at once: do not spin on it.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let us: Vec<u64> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(percentile(&us, 50), 50.0);
        assert_eq!(percentile(&us, 99), 99.0);
        assert_eq!(percentile(&[7000], 99), 7.0);
        assert_eq!(percentile(&[], 50), 0.0);
    }

    #[test]
    fn hidden_fields_are_read_from_the_sign_in_page() {
        let page = "<input type=\"hidden\" name=\"csrf\" value=\"abc.def\">";
        assert_eq!(hidden(page, "csrf"), Some("abc.def"));
        assert_eq!(hidden(page, "continue"), None);
        assert_eq!(hidden("name=\"csrf\" value=\"unterminated", "csrf"), None);
    }
}
