//! OpenID Connect throughput with an established session, beside the raw RS256 signing rate
//! of this machine measured in the same run.
//!
//!     cargo bench -p lanyard --bench oidc [-- SECONDS [WORKERS]]
//!
//! The server runs in this process on SQLite in a temporary directory (or on
//! `LANYARD_BENCH_DATABASE_URL`), with a Generic OpenID Connect client (confidential,
//! `client_secret_basic`, PKCE). Client workers (4 by default; threads with their own HTTP
//! connection) on loopback run complete code flows over and over with alice's session cookie:
//! `GET /authorize` (the access decision, a code) → `POST /token` (the code redeemed, an ID
//! token and an access token signed, a refresh token stored). Then they run refresh grants,
//! each using the refresh token the previous one returned. Every ID token is verified
//! afterwards against the published JWKS (signature, issuer, audience, nonce).
//!
//! Printed per key (RSA-2048, then ECDSA P-256): flows/s and refreshes/s with p50 and p99,
//! the raw JWT signing rate of the same key type on one thread (the same `jsonwebtoken` call
//! the server makes), and flows/s over it. Each flow signs two tokens, so 0.5 is the ceiling
//! of one thread's signing; the issue's target is 0.3 with the RSA key.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};

mod common;
mod http;

const ADMIN_PASSWORD: &str = "bench-admin-password";
const PASSWORD: &str = "bench-employee-password";
const REDIRECT: &str = "https://rp.example.com/cb";
/// A verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";

/// What the workers need.
struct Target {
    base: String,
    instance: String,
    client_id: String,
    secret: String,
    cookie: String,
}

fn main() -> anyhow::Result<()> {
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let seconds = numbers.first().copied().unwrap_or(10);
    let workers = numbers.get(1).copied().unwrap_or(4) as usize;
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (target, bench) = runtime.block_on(setup(&dir))?;
    let target = Arc::new(target);
    println!("OIDC code flows and refresh grants, {workers} client workers on loopback, {seconds} s each per key");
    println!(
        "{:<11} {:>8} {:>8} {:>8} {:>10} {:>8} {:>8} {:>14} {:>9} {:>9}",
        "key",
        "flows/s",
        "p50 ms",
        "p99 ms",
        "refresh/s",
        "p50 ms",
        "p99 ms",
        "raw JWT sign/s",
        "ratio",
        "verified"
    );
    for (label, algorithm) in [("RSA-2048", "RSA_2048"), ("ECDSA P-256", "ECDSA_P256")] {
        runtime.block_on(http::activate_key(&bench, algorithm))?;
        let raw = raw_jwt_rate(algorithm, Duration::from_secs(3))?;
        // Warm up, then measure.
        run(&target, workers, Duration::from_secs(1), Kind::Flows)?;
        let started = Instant::now();
        let flows = run(&target, workers, Duration::from_secs(seconds), Kind::Flows)?;
        let flow_rate = flows.len() as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let refreshes = run(
            &target,
            workers,
            Duration::from_secs(seconds),
            Kind::Refreshes,
        )?;
        let refresh_rate = refreshes.len() as f64 / started.elapsed().as_secs_f64();
        let jwks = runtime.block_on(jwks(&target))?;
        let verified = flows
            .iter()
            .chain(&refreshes)
            .filter(|(_, id_token)| verifies(id_token, &jwks, &target))
            .count();
        let total = flows.len() + refreshes.len();
        let (f50, f99) = quantiles(&flows);
        let (r50, r99) = quantiles(&refreshes);
        println!(
            "{:<11} {:>8.0} {:>8.2} {:>8.2} {:>10.0} {:>8.2} {:>8.2} {:>14.0} {:>9.2} {:>9}",
            label,
            flow_rate,
            f50,
            f99,
            refresh_rate,
            r50,
            r99,
            raw,
            flow_rate / raw,
            format!("{verified}/{total}"),
        );
        if verified != total {
            anyhow::bail!("{} ID tokens did not verify", total - verified);
        }
    }
    Ok(())
}

fn quantiles(results: &[(Duration, String)]) -> (f64, f64) {
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.0).collect();
    latencies.sort();
    (
        common::percentile(&latencies, 0.50),
        common::percentile(&latencies, 0.99),
    )
}

/// JWTs signed per second on one thread with a fresh key of the type: the call the server
/// makes for each token (`jsonwebtoken::encode` with a header, claims of an ID token's size).
fn raw_jwt_rate(algorithm: &str, length: Duration) -> anyhow::Result<f64> {
    let (alg, key) = match algorithm {
        "RSA_2048" => {
            let rsa = openssl::rsa::Rsa::generate(2048)?;
            (
                Algorithm::RS256,
                EncodingKey::from_rsa_der(&rsa.private_key_to_der()?),
            )
        }
        _ => {
            let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1)?;
            let ec = openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&group)?)?;
            (
                Algorithm::ES256,
                EncodingKey::from_ec_der(&ec.private_key_to_pkcs8()?),
            )
        }
    };
    let mut header = Header::new(alg);
    header.kid = Some("0190a0a0-0000-7000-8000-000000000000".into());
    let claims = json!({
        "iss": "http://127.0.0.1/oidc/0190a0a0-0000-7000-8000-000000000000",
        "sub": "alice", "aud": "0190a0a0-0000-7000-8000-000000000001",
        "exp": 4_000_000_000i64, "iat": 1_700_000_000, "auth_time": 1_700_000_000,
        "nonce": "n", "acr": "https://refeds.org/profile/sfa", "amr": ["pwd"],
        "email": "alice@example.com", "name": "Alice", "preferred_username": "alice",
    });
    let started = Instant::now();
    let mut count = 0u64;
    while started.elapsed() < length {
        jsonwebtoken::encode(&header, &claims, &key)?;
        count += 1;
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

#[derive(Clone, Copy)]
enum Kind {
    Flows,
    Refreshes,
}

fn token_request(target: &Target, authority: &str, form: &str) -> String {
    let credentials = STANDARD.encode(format!("{}:{}", target.client_id, target.secret));
    format!(
        "POST /oidc/{}/token HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Basic {credentials}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        target.instance,
        form.len()
    )
}

fn tokens_of(answer: &http::Answer) -> anyhow::Result<Value> {
    anyhow::ensure!(
        answer.status == 200,
        "token endpoint: {} {}",
        answer.status,
        answer.body
    );
    Ok(serde_json::from_str(&answer.body)?)
}

/// One complete code flow: the code from `/authorize`, then its exchange. Returns the tokens.
fn flow(
    connection: &mut http::Connection,
    target: &Target,
    authority: &str,
) -> anyhow::Result<Value> {
    let authorize = format!(
        "GET /oidc/{}/authorize?client_id={}&redirect_uri=https%3A%2F%2Frp.example.com%2Fcb&response_type=code&scope=openid%20email%20profile&state=s&nonce=bench&code_challenge={CHALLENGE}&code_challenge_method=S256 HTTP/1.1\r\nHost: {authority}\r\nCookie: {}\r\n\r\n",
        target.instance, target.client_id, target.cookie
    );
    let answer = connection.send(authorize.as_bytes())?;
    let location = answer.location.unwrap_or_default();
    let code = location
        .strip_prefix(&format!("{REDIRECT}?code="))
        .and_then(|rest| rest.split('&').next())
        .ok_or_else(|| anyhow::anyhow!("no code: {} {location}", answer.status))?
        .to_owned();
    let form = format!(
        "grant_type=authorization_code&code={code}&redirect_uri=https%3A%2F%2Frp.example.com%2Fcb&code_verifier={VERIFIER}"
    );
    tokens_of(&connection.send(token_request(target, authority, &form).as_bytes())?)
}

/// Runs the workers for `length`; returns each round's latency and the ID token it got.
fn run(
    target: &Arc<Target>,
    workers: usize,
    length: Duration,
    kind: Kind,
) -> anyhow::Result<Vec<(Duration, String)>> {
    let authority = target
        .base
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("not an http URL"))?
        .to_owned();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (target, authority) = (target.clone(), authority.clone());
            std::thread::spawn(move || -> anyhow::Result<Vec<(Duration, String)>> {
                let mut connection = http::Connection::open(&authority)?;
                // A refresh chain starts from one flow's refresh token.
                let mut refresh = match kind {
                    Kind::Refreshes => flow(&mut connection, &target, &authority)?["refresh_token"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    Kind::Flows => String::new(),
                };
                let started = Instant::now();
                let mut out = Vec::new();
                while started.elapsed() < length {
                    let sent = Instant::now();
                    let tokens = match kind {
                        Kind::Flows => flow(&mut connection, &target, &authority)?,
                        Kind::Refreshes => {
                            let form = format!("grant_type=refresh_token&refresh_token={refresh}");
                            let tokens = tokens_of(
                                &connection
                                    .send(token_request(&target, &authority, &form).as_bytes())?,
                            )?;
                            refresh = tokens["refresh_token"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned();
                            tokens
                        }
                    };
                    out.push((
                        sent.elapsed(),
                        tokens["id_token"].as_str().unwrap_or_default().to_owned(),
                    ));
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

async fn jwks(target: &Target) -> anyhow::Result<jsonwebtoken::jwk::JwkSet> {
    Ok(
        reqwest::get(format!("{}/oidc/{}/jwks", target.base, target.instance))
            .await?
            .json()
            .await?,
    )
}

fn verifies(id_token: &str, jwks: &jsonwebtoken::jwk::JwkSet, target: &Target) -> bool {
    let Ok(header) = jsonwebtoken::decode_header(id_token) else {
        return false;
    };
    let Some(jwk) = header.kid.as_deref().and_then(|kid| jwks.find(kid)) else {
        return false;
    };
    let Ok(key) = DecodingKey::from_jwk(jwk) else {
        return false;
    };
    let mut rules = Validation::new(header.alg);
    rules.set_audience(&[&target.client_id]);
    rules.set_issuer(&[format!("http://127.0.0.1/oidc/{}", target.instance)]);
    jsonwebtoken::decode::<Value>(id_token, &key, &rules)
        .is_ok_and(|data| data.claims["sub"] == "alice")
}

/// Starts the server with alice and an OIDC client; signs alice in.
async fn setup(dir: &tempfile::TempDir) -> anyhow::Result<(Target, http::Bench)> {
    let bench = http::start(
        dir.path(),
        ADMIN_PASSWORD,
        PASSWORD,
        "generic-oidc",
        json!({}),
    )
    .await?;
    let (admin, base, client_id) = (&bench.admin, &bench.base, &bench.application);
    http::gql(
        admin,
        base,
        "mutation($a: ID!, $r: String!) { configureApplicationOidc(input: {id: $a, redirectUris: [$r]}) { application { id } } }",
        json!({ "a": client_id, "r": REDIRECT }),
    )
    .await?;
    let secret = http::gql(
        admin,
        base,
        "mutation($a: ID!) { rotateOidcClientSecret(input: {id: $a, overlapSeconds: 0}) { secret } }",
        json!({ "a": client_id }),
    )
    .await?["rotateOidcClientSecret"]["secret"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let cookie = http::employee_session(base, &bench.instance, "alice", PASSWORD).await?;
    let target = Target {
        base: base.clone(),
        instance: bench.instance.clone(),
        client_id: client_id.clone(),
        secret,
        cookie,
    };
    Ok((target, bench))
}
