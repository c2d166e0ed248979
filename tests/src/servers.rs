//! Real servers the end-to-end tests talk to: an SMTP server (aiosmtpd, from Debian's
//! `python3-aiosmtpd`, run as a child process) and an HTTP receiver of event callbacks that
//! verifies every JWT with the JWKS Lanyard publishes.

use std::future::Future;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde_json::Value;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Polls `check` until it holds, or panics naming `what` after `timeout`.
pub async fn wait_until<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A loopback port nothing listens on (right now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A private certificate authority and a server certificate it issued for 127.0.0.1 and
/// localhost, made with the openssl command (an internal mail relay's setup).
pub struct TestCertificate {
    pub dir: TempDir,
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("the openssl command (Debian package openssl) runs");
    assert!(status.success(), "openssl {args:?}");
}

impl TestCertificate {
    pub fn generate() -> TestCertificate {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path();
        openssl(
            path,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=Lanyard Test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ],
        );
        openssl(
            path,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "key.pem",
                "-out",
                "server.csr",
            ],
        );
        std::fs::write(
            path.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions file");
        openssl(
            path,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "cert.pem",
            ],
        );
        TestCertificate { dir }
    }

    /// The authority to trust (`smtp.ca_file`).
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    pub fn key(&self) -> PathBuf {
        self.dir.path().join("key.pem")
    }
}

/// How the SMTP server secures and authenticates sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpMode {
    Plain,
    StartTls,
    Tls,
}

/// aiosmtpd on a loopback port; every accepted message lands as a JSON file in `dir`.
pub struct SmtpSink {
    pub port: u16,
    pub dir: TempDir,
    child: Child,
}

impl SmtpSink {
    pub async fn start(port: u16) -> SmtpSink {
        SmtpSink::start_with(port, SmtpMode::Plain, None, None).await
    }

    /// With TLS (`cert` required for StartTls and Tls) and optionally required AUTH.
    pub async fn start_with(
        port: u16,
        mode: SmtpMode,
        cert: Option<&TestCertificate>,
        auth: Option<(&str, &str)>,
    ) -> SmtpSink {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/smtp_sink.py");
        let mut command = Command::new("/usr/bin/python3");
        command
            .arg(script)
            .args(["--port", &port.to_string()])
            .arg("--dir")
            .arg(dir.path())
            .args([
                "--mode",
                match mode {
                    SmtpMode::Plain => "none",
                    SmtpMode::StartTls => "starttls",
                    SmtpMode::Tls => "tls",
                },
            ]);
        if let Some(cert) = cert {
            command.arg("--cert").arg(cert.cert());
            command.arg("--key").arg(cert.key());
        }
        if let Some((user, password)) = auth {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("/usr/bin/python3 runs the SMTP sink (make deps installs python3-aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the SMTP sink starts within 30 s")
            .expect("the SMTP sink's output");
        assert_eq!(
            ready.as_deref(),
            Some(format!("ready {port}").as_str()),
            "the SMTP sink is ready (is python3-aiosmtpd installed?)"
        );
        SmtpSink { port, dir, child }
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("the sink's directory")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|path| {
                serde_json::from_slice(&std::fs::read(path).expect("a message file"))
                    .expect("a message record")
            })
            .collect()
    }

    /// Waits until at least `count` messages have arrived and returns them.
    pub async fn wait_for(&self, count: usize) -> Vec<Value> {
        wait_until(
            Duration::from_secs(30),
            &format!("{count} emails"),
            || async { self.messages().len() >= count },
        )
        .await;
        self.messages()
    }

    pub async fn stop(mut self) {
        self.child.start_kill().ok();
        self.child.wait().await.ok();
    }
}

/// The text link of an email: the first `http` URL in its text body.
pub fn link_in(message: &Value) -> String {
    let text = message["text"].as_str().expect("a text body");
    text.split_whitespace()
        .find(|word| word.starts_with("http://") || word.starts_with("https://"))
        .unwrap_or_else(|| panic!("a link in {text}"))
        .to_owned()
}

/// What the receiver does with requests.
#[derive(Clone, Debug, Default)]
pub struct Behaviour {
    /// Answer 500 to this many requests first.
    pub fail_first: usize,
    /// Answer 500 to everything.
    pub always_fail: bool,
    /// Wait this long before answering.
    pub delay_ms: u64,
    /// Answer with a redirect to `/elsewhere`.
    pub redirect: bool,
    /// Answer 200 with this many bytes of body.
    pub body_bytes: usize,
}

/// One callback the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    /// The claims, when the JWT verified against the JWKS; otherwise why not.
    pub claims: Result<Value, String>,
    /// The status the receiver answered.
    pub answered: u16,
    pub path: String,
}

impl Received {
    pub fn claims(&self) -> &Value {
        self.claims
            .as_ref()
            .unwrap_or_else(|err| panic!("a verified JWT: {err}"))
    }
    pub fn jti(&self) -> &str {
        self.claims()["jti"].as_str().expect("jti")
    }
    pub fn event_type(&self) -> &str {
        self.claims()["event_type"].as_str().expect("event_type")
    }
    pub fn subject_id(&self) -> &str {
        self.claims()["subject"]["id"].as_str().expect("subject id")
    }
    pub fn delivered(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

struct ReceiverState {
    url: String,
    jwks_url: Mutex<String>,
    issuer: String,
    http: reqwest::Client,
    behaviour: Mutex<Behaviour>,
    received: Mutex<Vec<Received>>,
}

/// An HTTP server on loopback that verifies each event JWT with the instance's JWKS
/// (fetched from Lanyard at each request) and records it.
pub struct Receiver {
    pub url: String,
    state: Arc<ReceiverState>,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// `base`: Lanyard's address; `public_url`: what it is configured with (the issuer).
    pub async fn start(
        base: &str,
        public_url: &str,
        instance_id: &str,
        behaviour: Behaviour,
    ) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a receiver port");
        let port = listener.local_addr().expect("address").port();
        let url = format!("http://127.0.0.1:{port}/hook");
        let state = Arc::new(ReceiverState {
            url: url.clone(),
            jwks_url: Mutex::new(format!("{base}/i/{instance_id}/.well-known/jwks.json")),
            issuer: format!("{public_url}/i/{instance_id}"),
            http: reqwest::Client::new(),
            behaviour: Mutex::new(behaviour),
            received: Mutex::new(Vec::new()),
        });
        let router = axum::Router::new()
            .fallback(receive)
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.ok();
        });
        Receiver { url, state, server }
    }

    /// Where Lanyard is now (a restarted server listens on another port).
    pub fn set_lanyard(&self, base: &str, instance_id: &str) {
        *self.state.jwks_url.lock().expect("lock") =
            format!("{base}/i/{instance_id}/.well-known/jwks.json");
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        *self.state.behaviour.lock().expect("lock") = behaviour;
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }

    /// The callbacks the receiver accepted (answered 2xx), in arrival order.
    pub fn delivered(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(Received::delivered)
            .collect()
    }

    /// Waits until `check` holds for what was received.
    pub async fn wait_for(&self, what: &str, check: impl Fn(&[Received]) -> bool) {
        wait_until(Duration::from_secs(30), what, || {
            let received = self.received();
            let done = check(&received);
            async move { done }
        })
        .await;
    }

    pub fn stop(self) {
        self.server.abort();
    }
}

async fn verify(state: &ReceiverState, jwt: &str) -> Result<Value, String> {
    let header = jsonwebtoken::decode_header(jwt).map_err(|e| format!("header: {e}"))?;
    let kid = header.kid.ok_or("no kid")?;
    let jwks_url = state.jwks_url.lock().expect("lock").clone();
    let jwks: JwkSet = state
        .http
        .get(&jwks_url)
        .send()
        .await
        .map_err(|e| format!("fetching the JWKS: {e}"))?
        .json()
        .await
        .map_err(|e| format!("the JWKS: {e}"))?;
    let jwk = jwks
        .find(&kid)
        .ok_or(format!("kid {kid} not in the JWKS"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("the JWK: {e}"))?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[&state.url]);
    validation.set_issuer(&[&state.issuer]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "jti"]);
    jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| format!("verification: {e}"))
}

async fn receive(
    State(state): State<Arc<ReceiverState>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let jwt = String::from_utf8_lossy(&body).to_string();
    let mut claims = verify(&state, &jwt).await;
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if claims.is_ok() && content_type != "application/jwt" {
        claims = Err(format!("content type {content_type}"));
    }
    if let Ok(claims) = &claims {
        let header_id = headers
            .get("x-lanyard-event-id")
            .and_then(|v| v.to_str().ok());
        if header_id != claims["jti"].as_str() {
            return (StatusCode::BAD_REQUEST, "event id header differs").into_response();
        }
    }
    let behaviour = state.behaviour.lock().expect("lock").clone();
    if behaviour.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(behaviour.delay_ms)).await;
    }
    let mut received = state.received.lock().expect("lock");
    let seen = received.len();
    let (status, response) = if claims.is_err() {
        (StatusCode::BAD_REQUEST, "not verified".into_response())
    } else if behaviour.always_fail || seen < behaviour.fail_first {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            (StatusCode::INTERNAL_SERVER_ERROR, "try again").into_response(),
        )
    } else if behaviour.redirect {
        (
            StatusCode::FOUND,
            (StatusCode::FOUND, [("location", "/elsewhere")]).into_response(),
        )
    } else if behaviour.body_bytes > 0 {
        (
            StatusCode::OK,
            (StatusCode::OK, "x".repeat(behaviour.body_bytes)).into_response(),
        )
    } else {
        (StatusCode::OK, (StatusCode::OK, "thanks").into_response())
    };
    received.push(Received {
        claims,
        answered: status.as_u16(),
        path: uri.path().to_owned(),
    });
    response
}
