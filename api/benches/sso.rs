//! IdP-initiated SSO throughput with an established session, beside the raw signing rate of
//! this machine measured in the same run.
//!
//!     cargo bench -p lanyard --bench sso [-- SECONDS]
//!
//! The server runs in this process on SQLite in a temporary directory (or on
//! `LANYARD_BENCH_DATABASE_URL`), with an Alibaba Cloud user-based SSO application. Two client
//! workers (threads with their own HTTP connection) on loopback open the application's
//! IdP-initiated start URL over and over with alice's session cookie. Every response is then
//! checked: its form carries a SAMLResponse whose signature verifies with the instance's
//! certificate — signing under concurrent load is thread-safe or this fails.
//!
//! Printed per key (RSA-2048, then ECDSA P-256): responses/s, p50 and p99 latency, the raw
//! signing rate of the same key type (one thread, and two threads), and the ratios.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use samael::crypto::{CertificateDer, Crypto, CryptoProvider};
use serde_json::json;

const WORKERS: usize = 2;
mod common;
mod http;

const ADMIN_PASSWORD: &str = "bench-admin-password";
const PASSWORD: &str = "bench-employee-password";

fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (bench, start_url, cookie) = runtime.block_on(setup(&dir))?;
    println!("IdP-initiated SSO, {WORKERS} client workers on loopback, {seconds} s per key");
    println!(
        "{:<11} {:>11} {:>9} {:>9} {:>13} {:>13} {:>9} {:>9} {:>8}",
        "key",
        "responses/s",
        "p50 ms",
        "p99 ms",
        "raw sign/s 1t",
        "raw sign/s 2t",
        "ratio 1t",
        "ratio 2t",
        "verified"
    );
    for (label, algorithm) in [("RSA-2048", "RSA_2048"), ("ECDSA P-256", "ECDSA_P256")] {
        let pem = runtime.block_on(http::activate_key(&bench, algorithm))?;
        let certificate =
            CertificateDer::from(openssl::x509::X509::from_pem(pem.as_bytes())?.to_der()?);
        let key = match algorithm {
            "RSA_2048" => PKey::from_rsa(openssl::rsa::Rsa::generate(2048)?)?,
            _ => {
                let group =
                    openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1)?;
                PKey::from_ec_key(openssl::ec::EcKey::generate(&group)?)?
            }
        };
        let raw_one = raw_signing_rate(&key, 1, Duration::from_secs(3));
        let raw_two = raw_signing_rate(&key, 2, Duration::from_secs(3));
        // Warm up, then measure.
        load(&start_url, &cookie, Duration::from_secs(1))?;
        let started = Instant::now();
        let results = load(&start_url, &cookie, Duration::from_secs(seconds))?;
        let elapsed = started.elapsed().as_secs_f64();
        let mut latencies: Vec<Duration> = results.iter().map(|r| r.0).collect();
        latencies.sort();
        let rate = results.len() as f64 / elapsed;
        let verified = results
            .iter()
            .filter(|(_, body)| verifies(body, &certificate))
            .count();
        println!(
            "{:<11} {:>11.0} {:>9.2} {:>9.2} {:>13.0} {:>13.0} {:>9.2} {:>9.2} {:>8}",
            label,
            rate,
            common::percentile(&latencies, 0.50),
            common::percentile(&latencies, 0.99),
            raw_one,
            raw_two,
            rate / raw_one,
            rate / raw_two,
            format!("{verified}/{}", results.len()),
        );
        if verified != results.len() {
            anyhow::bail!("{} responses did not verify", results.len() - verified);
        }
    }
    Ok(())
}

/// Signatures per second over SHA-256 of a response-sized buffer, on `threads` threads.
fn raw_signing_rate(key: &PKey<Private>, threads: usize, length: Duration) -> f64 {
    let data = vec![b'x'; 2048];
    let counts: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let started = Instant::now();
                    let mut count = 0u64;
                    while started.elapsed() < length {
                        let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), key)
                            .expect("signer");
                        signer.update(&data).expect("update");
                        signer.sign_to_vec().expect("sign");
                        count += 1;
                    }
                    count
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("signing thread"))
            .collect()
    });
    counts.iter().sum::<u64>() as f64 / length.as_secs_f64()
}

/// Runs the workers for `length`; returns each response's latency and body.
///
/// Each worker is a thread with one keep-alive connection, speaking HTTP/1.1 over a blocking
/// socket: the load generator shares the two cores with the server, so it should cost as
/// little of them as it can (as `wrk` would), while still keeping every body to verify.
fn load(url: &str, cookie: &str, length: Duration) -> anyhow::Result<Vec<(Duration, String)>> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("not an http URL: {url}"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let request = Arc::new(format!(
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nCookie: {cookie}\r\n\r\n"
    ));
    let address = Arc::new(authority.to_owned());
    let handles: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (request, address) = (request.clone(), address.clone());
            std::thread::spawn(move || -> anyhow::Result<Vec<(Duration, String)>> {
                let mut connection = http::Connection::open(&address)?;
                let started = Instant::now();
                let mut out = Vec::new();
                while started.elapsed() < length {
                    let sent = Instant::now();
                    let answer = connection.send(request.as_bytes())?;
                    anyhow::ensure!(
                        answer.status == 200 && answer.location.is_none(),
                        "status {} (location {:?})",
                        answer.status,
                        answer.location
                    );
                    let body = answer.body;
                    out.push((sent.elapsed(), body));
                }
                Ok(out)
            })
        })
        .collect();
    let mut all = Vec::new();
    for handle in handles {
        all.extend(
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("a worker panicked"))??,
        );
    }
    Ok(all)
}

fn verifies(body: &str, certificate: &CertificateDer) -> bool {
    let Some(encoded) = body
        .split("name=\"SAMLResponse\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
    else {
        return false;
    };
    let Ok(xml) = STANDARD.decode(encoded) else {
        return false;
    };
    Crypto::verify_signed_xml(&xml, certificate, Some("ID")).is_ok()
}

/// Starts the server with alice and an Alibaba Cloud application; signs alice in. Returns the
/// server and the start URL and alice's session cookie.
async fn setup(dir: &tempfile::TempDir) -> anyhow::Result<(http::Bench, String, String)> {
    let bench = http::start(
        dir.path(),
        ADMIN_PASSWORD,
        PASSWORD,
        "alibaba-cloud-user-sso-intl",
        json!({ "accountId": "5123456789012345" }),
    )
    .await?;
    let session = http::employee_session(&bench.base, &bench.instance, "alice", PASSWORD).await?;
    let start = format!("{}/saml/apps/{}/start", bench.base, bench.application);
    Ok((bench, start, session))
}
