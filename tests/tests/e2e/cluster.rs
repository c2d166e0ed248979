//! The cluster test (`make test-cluster`): three `lanyard serve` processes on one PostgreSQL
//! database behind nginx, which the nodes name in `trusted_proxies`. Employees' browsers keep
//! starting SSO through the balancer (IdP-initiated with their sessions, and SP-initiated by
//! HTTP-Redirect) while an admin script keeps creating users, and the cluster goes through
//! what production does to it: a node is SIGKILLed and restarted, the signing key is rotated
//! and activated, PostgreSQL restarts, and a session is revoked and a user disabled through
//! one node. It asserts what an operator cares about and prints the figures.
//!
//! Ignored by `cargo test`: it restarts the machine's PostgreSQL server, so it runs alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use lanyard_tests::saml::{
    check_response_with, hidden, metadata_certificates, posted_form, redirect_query, sign_in,
    tenant, PASSWORD,
};
use lanyard_tests::{fresh_database, lanyard_binary, postgres_base, Client, BOOTSTRAP_PASSWORD};
use samael::crypto::CertificateDer;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// Employees signing in to SSO at once, each from an address of its own.
const EMPLOYEES: usize = 6;
/// Load before the first fault: the memory baseline is read after it.
const WARM_UP: Duration = Duration::from_secs(6);
/// What a fault may cost: every failed SSO lies in a fault's window, which ends this long after
/// the fault is over.
const RECOVERY: Duration = Duration::from_secs(5);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// One `lanyard serve` on a fixed port, so that it comes back where the balancer expects it.
struct Node {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Node {
    async fn start(port: u16, dir: &Path, database_url: &str, master_key: &str) -> Node {
        let dir = dir.join(format!("node-{port}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut node = Node {
            port,
            dir,
            child: None,
        };
        node.spawn(database_url, master_key).await;
        node
    }

    async fn spawn(&mut self, database_url: &str, master_key: &str) {
        let child = Command::new(lanyard_binary())
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--database-url", database_url])
            .args(["--public-url", "http://127.0.0.1"])
            .arg("--data-dir")
            .arg(&self.dir)
            .env("LANYARD_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD)
            .env("LANYARD_MASTER_KEY", master_key)
            .env("LANYARD_TRUSTED_PROXIES", "127.0.0.1/32")
            .env("LANYARD_LOG__LEVEL", "error")
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("lanyard starts");
        self.child = Some(child);
        ready(&format!("{}/readyz", self.base())).await;
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("SIGKILL");
        }
    }

    /// Resident memory, in KiB.
    fn rss_kib(&self) -> u64 {
        let pid = self
            .child
            .as_ref()
            .and_then(|child| child.id())
            .expect("a running node");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

async fn ready(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = reqwest::get(url).await {
            if response.status().is_success() {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{url} is not ready within a minute"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// nginx in front of the nodes: round robin, HTTP/1.1 keep-alive upstream, the client's
/// address appended to X-Forwarded-For, and an idempotent request whose node refused the
/// connection tried on the next one (nginx's default `proxy_next_upstream error timeout`).
struct Balancer {
    port: u16,
    /// nginx, killed when the balancer is dropped.
    _nginx: Child,
}

impl Balancer {
    async fn start(dir: &Path, nodes: &[u16]) -> Balancer {
        let port = free_port();
        let prefix = dir.join("nginx");
        std::fs::create_dir_all(prefix.join("logs")).unwrap();
        let upstreams: String = nodes
            .iter()
            .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
            .collect();
        let config = format!(
            "worker_processes 1;\n\
             error_log {prefix}/logs/error.log warn;\n\
             pid {prefix}/nginx.pid;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n\
               access_log off;\n\
               client_body_temp_path {prefix}/body;\n\
               proxy_temp_path {prefix}/proxy;\n\
               fastcgi_temp_path {prefix}/fastcgi;\n\
               uwsgi_temp_path {prefix}/uwsgi;\n\
               scgi_temp_path {prefix}/scgi;\n\
               upstream lanyard {{\n{upstreams}    keepalive 32;\n  }}\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 location / {{\n\
                   proxy_pass http://lanyard;\n\
                   proxy_http_version 1.1;\n\
                   proxy_set_header Connection \"\";\n\
                   proxy_set_header Host $http_host;\n\
                   proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
                   proxy_buffering off;\n\
                   proxy_connect_timeout 1s;\n\
                 }}\n\
               }}\n\
             }}\n",
            prefix = prefix.display()
        );
        let conf = prefix.join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|path| Path::new(path).exists())
            .expect("nginx is installed (make deps installs it)");
        let child = Command::new(binary)
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("nginx starts");
        let balancer = Balancer {
            port,
            _nginx: child,
        };
        ready(&format!("{}/readyz", balancer.base())).await;
        balancer
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Restarts the local PostgreSQL cluster (the one `scripts/with-postgres.sh` uses).
async fn restart_postgres() {
    let version = std::fs::read_dir("/etc/postgresql")
        .expect("a Debian PostgreSQL cluster")
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .max_by_key(|v| v.parse::<u32>().unwrap_or(0))
        .expect("a PostgreSQL version");
    let status = Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", "restart"])
        .status()
        .await
        .expect("pg_ctlcluster runs");
    assert!(status.success(), "pg_ctlcluster restart: {status}");
}

/// An employee's browser behind the balancer, claiming `address` as its own.
fn employee_browser(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .default_headers(headers)
        .build()
        .unwrap()
}

/// What one SSO attempt came to, and when it was sent and answered.
struct Attempt {
    sent: Duration,
    done: Duration,
    failure: Option<String>,
}

/// The SP's view: the certificates of the metadata it last downloaded.
type HeldMetadata = Arc<RwLock<Vec<CertificateDer>>>;

/// What every employee's load shares.
#[derive(Clone)]
struct Load {
    base: String,
    instance: String,
    application: String,
    held: HeldMetadata,
    started: Instant,
    stop: Arc<AtomicBool>,
}

/// Signs in on the form, as a browser does; false when a fault got in the way.
async fn try_sign_in(
    browser: &reqwest::Client,
    base: &str,
    instance: &str,
    username: &str,
) -> bool {
    let login = format!("{base}/sso/{instance}/login");
    let Ok(page) = browser.get(&login).send().await else {
        return false;
    };
    let Some(csrf) = page
        .text()
        .await
        .ok()
        .and_then(|html| hidden(&html, "csrf"))
    else {
        return false;
    };
    browser
        .post(&login)
        .form(&[
            ("csrf", csrf.as_str()),
            ("continue", "portal"),
            ("username", username),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .is_ok_and(|r| r.status() == 303)
}

/// One employee: signs in (again, when a fault ended the attempt), then starts SSO over and
/// over, alternating IdP- and SP-initiated. Every Response is checked against the metadata
/// the SP holds; a Response that does not verify fails the test.
async fn employee(load: Load, username: String, address: String) -> Vec<Attempt> {
    let Load {
        base,
        instance,
        application,
        held,
        started,
        stop,
    } = load;
    let browser = employee_browser(&address);
    let mut attempts = Vec::new();
    let mut signed_in = false;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        if !signed_in {
            signed_in = try_sign_in(&browser, &base, &instance, &username).await;
            if !signed_in {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        }
        n += 1;
        let request_id = format!("_{username}-{n}");
        let sp_initiated = n.is_multiple_of(2);
        let url = if sp_initiated {
            format!(
                "{base}/saml/apps/{application}/sso?{}",
                redirect_query(&request_id, None)
            )
        } else {
            format!("{base}/saml/apps/{application}/start")
        };
        let sent = started.elapsed();
        let failure = match browser.get(&url).send().await {
            Ok(response) if response.status() == 200 => {
                let form = posted_form(response).await;
                let certificates = held.read().unwrap().clone();
                let name_id = check_response_with(
                    &form.xml,
                    &certificates,
                    &application,
                    sp_initiated.then_some(request_id.as_str()),
                );
                assert!(name_id.starts_with(&format!("{username}@")), "{name_id}");
                None
            }
            Ok(response) if response.status() == 303 => {
                // The session was lost (a fault during sign-in): sign in again.
                signed_in = false;
                Some("sent to sign in".to_owned())
            }
            Ok(response) => Some(format!("status {}", response.status().as_u16())),
            Err(err) if err.is_timeout() => Some("timeout".to_owned()),
            Err(_) => Some("transport".to_owned()),
        };
        let done = started.elapsed();
        let failed = failure.is_some();
        attempts.push(Attempt {
            sent,
            done,
            failure,
        });
        if failed {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    attempts
}

/// The admin's script: creates users through the balancer one after another; returns the
/// usernames whose creation was acknowledged.
async fn admin_writer(admin: Client, instance: String, stop: Arc<AtomicBool>) -> Vec<String> {
    let mut acknowledged = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let username = format!("written-{n}");
        let created = admin
            .try_gql(
                "mutation($i: ID!, $u: String!) { createUser(input: {instanceId: $i, username: $u, displayName: $u}) { user { id } } }",
                json!({ "i": instance, "u": username }),
            )
            .await;
        if let Ok(body) = created {
            if body["data"]["createUser"]["user"]["id"].is_string() {
                acknowledged.push(username);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    acknowledged
}

/// Whether `browser`'s session opens the portal on the node at `base`.
async fn portal_opens(browser: &reqwest::Client, base: &str, instance: &str) -> bool {
    browser
        .get(format!("{base}/sso/{instance}/portal"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
}

/// Signs the victim in through the first node, checks that the others honour the session, runs
/// `end` through the first node, and returns how long until both others refuse it.
async fn time_until_refused_elsewhere<F, Fut>(nodes: &[String], instance: &str, end: F) -> Duration
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let victim = employee_browser("192.0.2.99");
    let login = format!("{}/sso/{instance}/login", nodes[0]);
    let signed_in = sign_in(&nodes[0], &victim, &login, "bob", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    for base in &nodes[1..] {
        assert!(portal_opens(&victim, base, instance).await, "{base}");
    }
    let ended = Instant::now();
    end().await;
    let mut pending: Vec<&String> = nodes.iter().collect();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for base in pending {
            if portal_opens(&victim, base, instance).await {
                still.push(base);
            }
        }
        pending = still;
        assert!(
            ended.elapsed() < Duration::from_secs(5),
            "the session still opens the portal on {pending:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    ended.elapsed()
}

/// A window of time in which failures are expected, from the start of the run.
struct Window {
    cause: &'static str,
    from: Duration,
    to: Duration,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "make test-cluster: needs nginx, and restarts the PostgreSQL server"]
async fn three_nodes_behind_nginx_keep_sso_working_through_faults() {
    assert!(
        postgres_base().is_some(),
        "the cluster test runs on PostgreSQL: make test-cluster"
    );
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    let mut key = [0u8; 32];
    openssl::rand::rand_bytes(&mut key).unwrap();
    let master_key = STANDARD.encode(key);
    let ports = [free_port(), free_port(), free_port()];
    let mut nodes = Vec::new();
    for port in ports {
        // One at a time: the first migrates and makes the bootstrap admin.
        nodes.push(Node::start(port, dir.path(), &database_url, &master_key).await);
    }
    let balancer = Balancer::start(dir.path(), &ports).await;
    let base = balancer.base();
    let node_bases: Vec<String> = nodes.iter().map(Node::base).collect();
    let admin = Client::bootstrap_admin(&base).await;
    let first_node = admin_on(&admin, &node_bases[0]);

    // The seed's setup through the balancer, and the employees.
    let t = tenant(&admin).await;
    let employees: Vec<String> = (0..EMPLOYEES).map(|n| format!("employee{n}")).collect();
    for name in &employees {
        admin.create_user(&t.instance, name, Some(PASSWORD)).await;
    }
    let held: HeldMetadata = Arc::new(RwLock::new(metadata_certificates(&admin, &t.app).await));

    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let shared = Load {
        base: base.clone(),
        instance: t.instance.clone(),
        application: t.app.clone(),
        held: held.clone(),
        started,
        stop: stop.clone(),
    };
    let load: Vec<_> = employees
        .iter()
        .enumerate()
        .map(|(n, name)| {
            tokio::spawn(employee(
                shared.clone(),
                name.clone(),
                format!("198.51.100.{}", n + 1),
            ))
        })
        .collect();
    let writer = tokio::spawn(admin_writer(
        admin_on(&admin, &base),
        t.instance.clone(),
        stop.clone(),
    ));
    let mut windows = Vec::new();
    let mut timings = BTreeMap::new();

    tokio::time::sleep(WARM_UP).await;
    let warm: Vec<u64> = nodes.iter().map(Node::rss_kib).collect();

    // A node dies mid-request and comes back.
    let killed_at = started.elapsed();
    nodes[1].kill().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    nodes[1].spawn(&database_url, &master_key).await;
    let back_at = started.elapsed();
    windows.push(Window {
        cause: "node killed",
        from: killed_at,
        to: back_at + RECOVERY,
    });
    timings.insert("node restart to ready", back_at - killed_at);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let restarted_warm = nodes[1].rss_kib();

    // Key rollover: rotate, the SP downloads the metadata with the pending key, activate.
    let rotated = admin
        .gql(
            "mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i}) { signingKey { id } } }",
            json!({ "i": t.instance }),
        )
        .await;
    let pending = rotated["rotateSigningKey"]["signingKey"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rollover = metadata_certificates(&admin, &t.app).await;
    assert_eq!(rollover.len(), 2, "the metadata publishes the pending key");
    *held.write().unwrap() = rollover;
    admin
        .gql(
            "mutation($i: ID!, $id: ID!) { activateSigningKey(input: {instanceId: $i, id: $id}) { signingKey { state } } }",
            json!({ "i": t.instance, "id": pending }),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    // PostgreSQL restarts under load.
    let pg_down_at = started.elapsed();
    restart_postgres().await;
    let pg_up_at = started.elapsed();
    windows.push(Window {
        cause: "PostgreSQL restart",
        from: pg_down_at,
        to: pg_up_at + RECOVERY,
    });
    timings.insert("PostgreSQL restart", pg_up_at - pg_down_at);
    tokio::time::sleep(RECOVERY + Duration::from_secs(2)).await;

    // A revocation and a disable through the first node hold on the others within a second.
    let revoke = time_until_refused_elsewhere(&node_bases, &t.instance, || async {
        let body = first_node
            .gql(
                "mutation($i: ID!, $u: ID!) { revokeUserSessions(input: {instanceId: $i, userId: $u}) { revokedCount } }",
                json!({ "i": t.instance, "u": t.bob }),
            )
            .await;
        assert_eq!(body["revokeUserSessions"]["revokedCount"], 1, "{body}");
    })
    .await;
    let disable = time_until_refused_elsewhere(&node_bases, &t.instance, || async {
        first_node
            .gql(
                "mutation($i: ID!, $u: ID!) { setUserStatus(input: {instanceId: $i, id: $u, status: DISABLED}) { user { status } } }",
                json!({ "i": t.instance, "u": t.bob }),
            )
            .await;
    })
    .await;
    timings.insert("revocation seen by every node", revoke);
    timings.insert("disable seen by every node", disable);

    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    let mut attempts = Vec::new();
    for worker in load {
        attempts.extend(worker.await.expect("every Response verified"));
    }
    let acknowledged = writer.await.unwrap();
    let after: Vec<u64> = nodes.iter().map(Node::rss_kib).collect();
    let elapsed = started.elapsed();

    // The report.
    let answered = attempts.iter().filter(|a| a.failure.is_none()).count();
    let mut failures: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut outside = Vec::new();
    for attempt in &attempts {
        let Some(cause) = &attempt.failure else {
            continue;
        };
        // In flight during a fault: sent before its window ends, answered after it starts.
        match windows
            .iter()
            .find(|w| attempt.sent <= w.to && w.from <= attempt.done)
        {
            Some(window) => *failures.entry((cause.clone(), window.cause)).or_default() += 1,
            None => outside.push(format!(
                "{cause} sent at {:?}, answered at {:?}",
                attempt.sent, attempt.done
            )),
        }
    }
    println!("cluster: 3 nodes behind nginx on PostgreSQL, {EMPLOYEES} employees, {elapsed:.1?}");
    println!(
        "SSO attempts {}, answered and verified {answered} ({:.1}/s)",
        attempts.len(),
        answered as f64 / elapsed.as_secs_f64()
    );
    for ((cause, window), count) in &failures {
        println!("  failed: {count} × {cause} during {window}");
    }
    for (what, took) in &timings {
        println!("  {what}: {took:.2?}");
    }
    for (n, ((warm, after), port)) in warm.iter().zip(&after).zip(ports).enumerate() {
        let warm = if n == 1 { restarted_warm } else { *warm };
        println!("  node {port}: RSS {warm} KiB after warm-up, {after} KiB after the run");
    }
    println!("  admin writes acknowledged: {}", acknowledged.len());

    assert!(
        outside.is_empty(),
        "failures outside any fault: {outside:?}"
    );
    let failed: usize = failures.values().sum();
    assert!(
        failed <= answered / 20,
        "{failed} failures for {answered} answered"
    );
    assert!(answered > 200, "only {answered} SSO answered");
    assert!(
        revoke < Duration::from_secs(1),
        "revocation took {revoke:?}"
    );
    assert!(disable < Duration::from_secs(1), "disable took {disable:?}");

    // Nothing acknowledged was lost: the users written, and an audit record per answered SSO.
    let stored = usernames(&admin, &t.instance).await;
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|u| !stored.contains(u.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(acknowledged.len() > 100, "{} writes", acknowledged.len());
    let audited = admin
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}, first: 1) { totalCount } }",
            json!({ "i": t.instance }),
        )
        .await["auditEvents"]["totalCount"]
        .as_u64()
        .unwrap();
    assert!(
        audited >= answered as u64,
        "{audited} audit records for {answered} answered SSO"
    );
    // Through the balancer, each employee is known by the address it came from.
    let sessions = admin
        .gql(
            "query($i: ID!) { instance(id: $i) { users(filter: {search: \"employee0\"}) { nodes { id } } } }",
            json!({ "i": t.instance }),
        )
        .await;
    let employee0 = sessions["instance"]["users"]["nodes"][0]["id"].clone();
    let recorded = admin
        .gql(
            "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { clientIp } }",
            json!({ "i": t.instance, "u": employee0 }),
        )
        .await;
    assert!(
        recorded["userSessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["clientIp"] == "198.51.100.1"),
        "{recorded}"
    );

    // No node grows: memory after the run within 20 % of after warm-up.
    for (n, (warm, after)) in warm.iter().zip(&after).enumerate() {
        let warm = if n == 1 { restarted_warm } else { *warm };
        assert!(
            (*after as f64) <= warm as f64 * 1.2,
            "node {n}: {warm} KiB after warm-up, {after} KiB after the run"
        );
    }
    drop(balancer);
    for node in &mut nodes {
        node.kill().await;
    }
}

/// Every username of the instance, page by page.
async fn usernames(admin: &Client, instance: &str) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut after = Value::Null;
    loop {
        let page = admin
            .gql(
                "query($i: ID!, $after: String) { instance(id: $i) { users(first: 100, after: $after) { nodes { username } pageInfo { hasNextPage endCursor } } } }",
                json!({ "i": instance, "after": after }),
            )
            .await;
        let users = &page["instance"]["users"];
        found.extend(
            users["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|u| u["username"].as_str().map(str::to_owned)),
        );
        if users["pageInfo"]["hasNextPage"] != true {
            return found;
        }
        after = users["pageInfo"]["endCursor"].clone();
    }
}

/// The admin's token, sent to another address (a node directly, or the balancer).
fn admin_on(admin: &Client, base: &str) -> Client {
    Client::new(base, &admin.token)
}
