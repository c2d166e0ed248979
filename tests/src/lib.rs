//! The harness of the end-to-end tests: each test gets its own server on its own port and its
//! own database — a temporary SQLite file, or, when `LANYARD_TEST_POSTGRES` names a PostgreSQL
//! server, a fresh database on it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

pub mod authenticator;
pub mod saml;
pub mod servers;

use lanyard::config::{
    Config, EventsConfig, LogConfig, LogFormat, OutboxConfig, SmtpConfig, SmtpSecurity,
};
use lanyard::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};

pub const BOOTSTRAP_PASSWORD: &str = "bootstrap-password-1";

/// The PostgreSQL server to create test databases on, when the PostgreSQL suite runs.
pub fn postgres_base() -> Option<String> {
    std::env::var("LANYARD_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

pub fn backend_name() -> &'static str {
    if postgres_base().is_some() {
        "postgres"
    } else {
        "sqlite"
    }
}

/// A database URL of its own for one test.
pub async fn fresh_database(dir: &TempDir) -> String {
    match postgres_base() {
        Some(base) => {
            let name = format!(
                "lanyard_test_{}",
                uuid::Uuid::new_v4()
                    .simple()
                    .to_string()
                    .get(..16)
                    .unwrap_or("x")
            );
            let admin = Database::connect(format!("{base}/postgres"))
                .await
                .expect("connecting to the PostgreSQL test server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("creating a test database");
            admin.close().await.ok();
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}/lanyard.db?mode=rwc", dir.path().display()),
    }
}

pub fn test_config(dir: &TempDir, database_url: String) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("loopback address"),
        public_url: "http://127.0.0.1".into(),
        database_url,
        data_dir: dir.path().to_path_buf(),
        master_key: None,
        bootstrap_admin_password: Some(SecretString::from(BOOTSTRAP_PASSWORD)),
        demo: false,
        policy_dir: None,
        log: LogConfig {
            format: LogFormat::Text,
            level: "warn".into(),
        },
        graphql: lanyard::config::default_graphql(),
        admin_session_minutes: 60,
        admin_require_second_factor: false,
        key_retirement_grace_hours: 168,
        sso: lanyard::config::default_sso(),
        sign_in: lanyard::config::default_sign_in(),
        // No mail server unless a test starts one; quick retries so that tests stay short.
        smtp: SmtpConfig {
            host: None,
            port: None,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            from: "Lanyard Tests <no-reply@lanyard.test>".into(),
            ca_file: None,
            timeout_seconds: 5,
        },
        outbox: OutboxConfig {
            poll_interval_ms: 50,
            lease_seconds: 10,
            max_attempts: 12,
            retry_base_ms: 50,
            retry_max_seconds: 1,
            batch_size: 16,
        },
        events: EventsConfig {
            allow_insecure_loopback: false,
            allow_private_networks: false,
            timeout_seconds: 5,
        },
        reset_link_minutes: 60,
        console_dir: "web/dist".into(),
        trusted_proxies: Default::default(),
        forwarded_header: Default::default(),
        passkeys: Default::default(),
    }
}

/// An HTTP client of one Lanyard server, in-process ([`TestApp`]) or a real process
/// ([`ServerProcess`]): its address and an API token, by default a super-admin's.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub token: String,
}

impl Client {
    /// A client of the server at `base` that sends `token`.
    pub fn new(base: &str, token: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("http client"),
            base: base.to_owned(),
            token: token.to_owned(),
        }
    }

    /// Signs in at `base` as the bootstrap admin and makes a super-admin API token.
    pub async fn bootstrap_admin(base: &str) -> Client {
        let mut client = Client::new(base, "");
        let cookie = client.sign_in("admin", BOOTSTRAP_PASSWORD).await;
        let created = client
            .gql_with_cookie(
                &cookie,
                "mutation { createApiToken(input: {name: \"tests\", roles: [{role: SUPER_ADMIN}]}) { secret } }",
                json!({}),
            )
            .await;
        client.token = created["data"]["createApiToken"]["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("token created: {created}"))
            .to_owned();
        client
    }

    /// Signs in to the console and returns the session cookie (`name=value`).
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let response = self
            .http
            .post(format!("{}/auth/admin/login", self.base))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 204, "sign-in of {username}");
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie")
            .to_owned();
        set_cookie.split(';').next().unwrap_or_default().to_owned()
    }

    /// A GraphQL request, without credentials, to add headers to.
    pub fn graphql(&self, query: &str, variables: Value) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }))
    }

    /// Runs a GraphQL operation with this client's token and returns the whole response body;
    /// an error when there is no answer (the server was killed, say).
    pub async fn try_gql(&self, query: &str, variables: Value) -> reqwest::Result<Value> {
        self.graphql(query, variables)
            .bearer_auth(&self.token)
            .send()
            .await?
            .json()
            .await
    }

    pub async fn gql_with_cookie(&self, cookie: &str, query: &str, variables: Value) -> Value {
        self.graphql(query, variables)
            .header("cookie", cookie)
            .send()
            .await
            .expect("graphql request")
            .json()
            .await
            .expect("graphql JSON")
    }

    /// Runs a GraphQL operation with `token` and returns the whole response body.
    pub async fn gql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.graphql(query, variables)
            .bearer_auth(token)
            .send()
            .await
            .expect("graphql request")
            .json()
            .await
            .expect("graphql JSON")
    }

    /// With this client's token; panics on GraphQL errors and returns `data`.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let body = self.gql_as(&self.token, query, variables).await;
        assert!(body.get("errors").is_none(), "GraphQL errors: {body}");
        body["data"].clone()
    }

    /// The string at `path` in the `data` of an operation that must succeed: the id of what a
    /// mutation created, typically.
    pub async fn id_of(&self, query: &str, variables: Value, path: &[&str]) -> String {
        let mut value = self.gql(query, variables).await;
        for key in path {
            value = value[*key].clone();
        }
        value
            .as_str()
            .unwrap_or_else(|| panic!("{path:?} in {value}"))
            .to_owned()
    }

    pub async fn create_instance(&self, name: &str) -> String {
        self.id_of(
            "mutation($name: String!) { createInstance(input: {name: $name}) { instance { id } } }",
            json!({ "name": name }),
            &["createInstance", "instance", "id"],
        )
        .await
    }

    /// Creates a user, with a password or none; returns its id.
    pub async fn create_user(
        &self,
        instance: &str,
        username: &str,
        password: Option<&str>,
    ) -> String {
        self.id_of(
            "mutation($i: ID!, $u: String!, $p: String) { createUser(input: {instanceId: $i, username: $u, password: $p}) { user { id } } }",
            json!({ "i": instance, "u": username, "p": password }),
            &["createUser", "user", "id"],
        )
        .await
    }

    /// A token with the given roles (GraphQL `RoleGrantInput` list).
    pub async fn token_with_roles(&self, roles: Value) -> String {
        self.id_of(
            "mutation($roles: [RoleGrantInput!]!) { createApiToken(input: {name: \"scoped\", roles: $roles}) { secret } }",
            json!({ "roles": roles }),
            &["createApiToken", "secret"],
        )
        .await
    }

    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .http
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("metric {name} in {text}"))
    }
}

/// A server in this test process; it is the [`Client`] of its super-admin token.
pub struct TestApp {
    client: Client,
    /// The server's database counters; `record` / `recorded` show the statements it runs.
    pub db: std::sync::Arc<lanyard::db::DbStats>,
    pub database_url: String,
    pub dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl std::ops::Deref for TestApp {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database(&dir).await;
        TestApp::spawn_on(dir, database_url, adjust, None).await
    }

    /// A second node on this one's database, with the same master key (as a cluster has).
    pub async fn spawn_peer(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        self.peer(adjust, None).await
    }

    /// A second node on this one's database whose client sends this node's token (a token
    /// works on every node): for a configuration under which the bootstrap admin's password
    /// alone does not sign in, such as `admin_require_second_factor`.
    pub async fn spawn_peer_with_token(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        self.peer(adjust, Some(&self.client.token)).await
    }

    async fn peer(&self, adjust: impl FnOnce(&mut Config), token: Option<&str>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let master = std::fs::read_to_string(self.dir.path().join("master.key"))
            .expect("the first node's master key");
        TestApp::spawn_on(
            dir,
            self.database_url.clone(),
            |config| {
                config.master_key = Some(SecretString::from(master));
                adjust(config);
            },
            token,
        )
        .await
    }

    async fn spawn_on(
        dir: TempDir,
        database_url: String,
        adjust: impl FnOnce(&mut Config),
        token: Option<&str>,
    ) -> TestApp {
        let mut config = test_config(&dir, database_url.clone());
        adjust(&mut config);
        lanyard::telemetry::init(&config.log);
        let app = Application::build(config).await.expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let db = app.state().store.stats.clone();
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until(async {
                rx.await.ok();
            })
            .await
            .expect("server runs");
        });
        TestApp {
            client: match token {
                Some(token) => Client::new(&base, token),
                None => Client::bootstrap_admin(&base).await,
            },
            db,
            database_url,
            dir,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        if let Some(server) = self.server.take() {
            server.await.ok();
        }
    }
}

/// The first error's `extensions.code` of a GraphQL response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("an error with a code: {body}"))
}

/// The `lanyard` binary built beside the test executable (`make test` builds it first).
pub fn lanyard_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory");
    let binary = dir.join("lanyard");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --bin lanyard` first (make test does)",
        binary.display()
    );
    binary
}

/// `lanyard serve` as a child process (the real binary).
pub struct ServerProcess {
    pub child: Child,
    pub base: String,
    /// What it prints on stdout, line by line.
    pub lines: mpsc::UnboundedReceiver<String>,
}

impl ServerProcess {
    /// Starts `lanyard serve` on a free port and waits until it listens.
    pub async fn start(
        database_url: &str,
        data_dir: &std::path::Path,
        extra: &[&str],
    ) -> ServerProcess {
        ServerProcess::start_with_env(database_url, data_dir, extra, &[]).await
    }

    /// The same, with extra environment variables (`LANYARD_…` settings).
    pub async fn start_with_env(
        database_url: &str,
        data_dir: &std::path::Path,
        extra: &[&str],
        envs: &[(&str, &str)],
    ) -> ServerProcess {
        let mut child = Command::new(lanyard_binary())
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--database-url", database_url])
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env("LANYARD_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD)
            .env("LANYARD_LOG__LEVEL", "warn")
            .envs(envs.iter().copied())
            .current_dir(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("lanyard starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, mut lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = tokio::time::timeout_at(deadline.into(), lines.recv())
                .await
                .expect("the server says it listens within a minute")
                .expect("the server printed its port");
            if let Some(port) = line.strip_prefix("Lanyard listening on port ") {
                return ServerProcess {
                    child,
                    base: format!("http://127.0.0.1:{port}"),
                    lines,
                };
            }
        }
    }

    /// A client of this process that sends `token`.
    pub fn client(&self, token: &str) -> Client {
        Client::new(&self.base, token)
    }

    /// Signs in as the bootstrap admin: a client with a new super-admin token.
    pub async fn admin(&self) -> Client {
        Client::bootstrap_admin(&self.base).await
    }
}

/// Two `lanyard serve` processes on one fresh database, and a super-admin client of each with
/// one token: what one node changes, as the other sees it.
pub struct TwoProcesses {
    pub first: Client,
    pub second: Client,
    _processes: [ServerProcess; 2],
    // Dropped after the processes that use it.
    _dir: TempDir,
}

impl TwoProcesses {
    pub async fn start() -> TwoProcesses {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = fresh_database(&dir).await;
        let processes = [
            ServerProcess::start(&url, dir.path(), &[]).await,
            ServerProcess::start(&url, dir.path(), &[]).await,
        ];
        let first = processes[0].admin().await;
        let second = processes[1].client(&first.token);
        TwoProcesses {
            first,
            second,
            _processes: processes,
            _dir: dir,
        }
    }
}
