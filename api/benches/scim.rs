//! SCIM provisioning at 100,000 users (issue 21): creates, filtered lookups and a full page
//! through the SCIM endpoint, as a provisioning client calls it.
//!
//!     cargo bench -p lanyard --bench scim [-- --requests N]
//!
//! The server runs in this process on SQLite in a temporary directory, or on PostgreSQL when
//! `LANYARD_BENCH_DATABASE_URL` names a server (`postgres://postgres@127.0.0.1:5432/postgres`):
//! a fresh database `lanyard_bench_<random>` is created there and dropped at the end (and
//! `ANALYZE`d after each seeding step, as autovacuum would after a bulk load).
//!
//! The instance grows in place: 1,000 users, measure; 100,000 users, measure. Users are seeded
//! with GraphQL `importUsers` (1,000 rows a call, no passwords; `user<n>`, `user<n>@corp<n %
//! 97>.example`), then, one request at a time over loopback with a provisioning token, each
//! timed from sending to the last byte and checked (p50 and p99 over `--requests`, 300 by
//! default, after 20 unrecorded):
//!
//! - `POST /Users` of a new user (name, email, enterprise extension): creates per second;
//! - `GET /Users?filter=userName eq "<existing>"` — one result, the lookup Okta and Entra make
//!   before every create;
//! - `GET /Users?filter=emails.value co "<fragment>"&count=100` — a substring of a real email
//!   (`r<n>@corp`), a scan;
//! - `GET /Users?count=200` — the first full page (200, the advertised maximum).
//!
//! The target: `userName eq` stays flat, p99(100k)/p99(1k) ≤ 1.5.

use std::time::{Duration, Instant};

use anyhow::Context;
use lanyard::startup::Application;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

mod common;

const ADMIN_PASSWORD: &str = "bench-admin-password";
const SIZES: [usize; 2] = [1_000, 100_000];
const IMPORT_ROWS: usize = 1_000;
const WARMUP: usize = 20;
const DEFAULT_REQUESTS: usize = 300;
const IMPORT: &str =
    "mutation($input: ImportUsersInput!) { importUsers(input: $input) { ok importedCount } }";

fn main() -> anyhow::Result<()> {
    let mut requests = DEFAULT_REQUESTS;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--requests" => {
                requests = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .context("--requests needs a positive number")?;
            }
            other => anyhow::bail!("unknown argument {other:?}; use --requests N"),
        }
    }
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (url, postgres) = database(&dir).await?;
        let outcome = run(&url, postgres.is_some(), &dir, requests).await;
        if let Some((server, name)) = postgres {
            let admin = Database::connect(&server).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
        }
        outcome
    })
}

/// The database URL, and on PostgreSQL the server and the database to drop at the end.
async fn database(dir: &tempfile::TempDir) -> anyhow::Result<(String, Option<(String, String)>)> {
    let Some(server) = std::env::var("LANYARD_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        let url = format!("sqlite://{}/lanyard.db?mode=rwc", dir.path().display());
        return Ok((url, None));
    };
    let name = format!(
        "lanyard_bench_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    );
    let admin = Database::connect(&server)
        .await
        .context("connecting to LANYARD_BENCH_DATABASE_URL")?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let mut url = url::Url::parse(&server).context("LANYARD_BENCH_DATABASE_URL")?;
    url.set_path(&format!("/{name}"));
    Ok((url.to_string(), Some((server, name))))
}

struct Timings {
    label: &'static str,
    /// Per size: sorted durations.
    runs: Vec<Vec<Duration>>,
}

async fn run(
    url: &str,
    postgres: bool,
    dir: &tempfile::TempDir,
    requests: usize,
) -> anyhow::Result<()> {
    let config = common::config(url.to_owned(), dir.path(), ADMIN_PASSWORD)?;
    let app = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stopped.await.ok();
    }));
    let console = common::signed_in_admin(&base, ADMIN_PASSWORD).await?;
    let gql = |query: &'static str, variables: Value| {
        let console = console.clone();
        let base = base.clone();
        async move {
            let answer: Value = console
                .post(format!("{base}/graphql"))
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await?
                .json()
                .await?;
            anyhow::ensure!(answer.get("errors").is_none(), "{answer}");
            Ok::<Value, anyhow::Error>(answer["data"].clone())
        }
    };
    let instance = gql(
        "mutation { createInstance(input: {name: \"Bench\"}) { instance { id } } }",
        json!({}),
    )
    .await?["createInstance"]["instance"]["id"]
        .as_str()
        .context("an instance")?
        .to_owned();
    let token = gql(
        "mutation($i: ID!) { createProvisioningToken(input: {instanceId: $i, name: \"bench\"}) { secret } }",
        json!({ "i": instance }),
    )
    .await?["createProvisioningToken"]["secret"]
        .as_str()
        .context("a provisioning token")?
        .to_owned();
    let scim = reqwest::Client::new();
    let scim_base = format!("{base}/scim/v2/{instance}");
    let mut rng = StdRng::seed_from_u64(21);
    let mut timings = vec![
        Timings {
            label: "POST /Users (create)",
            runs: Vec::new(),
        },
        Timings {
            label: "userName eq",
            runs: Vec::new(),
        },
        Timings {
            label: "emails.value co",
            runs: Vec::new(),
        },
        Timings {
            label: "full page (200)",
            runs: Vec::new(),
        },
    ];
    let mut seeded = 0;
    let mut created = 0;
    let mut seeding = Vec::new();
    for &size in &SIZES {
        let started = Instant::now();
        let from = seeded;
        while seeded < size {
            let rows: Vec<Value> = (seeded..(seeded + IMPORT_ROWS).min(size))
                .map(|n| json!({ "username": format!("user{n}"), "email": format!("user{n}@corp{}.example", n % 97) }))
                .collect();
            let count = rows.len();
            let done = gql(
                IMPORT,
                json!({ "input": { "instanceId": instance, "users": rows } }),
            )
            .await?;
            anyhow::ensure!(done["importUsers"]["ok"] == true, "import: {done}");
            seeded += count;
        }
        seeding.push((size, seeded - from, started.elapsed()));
        if postgres {
            let db = Database::connect(url).await?;
            db.execute_unprepared("ANALYZE").await?;
            db.close().await.ok();
        }
        let send = |request: reqwest::RequestBuilder| async {
            let started = Instant::now();
            let response = request.bearer_auth(&token).send().await?;
            let status = response.status();
            let body: Value = response.json().await?;
            Ok::<_, anyhow::Error>((started.elapsed(), status.as_u16(), body))
        };
        // Creates.
        let mut durations = Vec::new();
        for n in 0..(WARMUP + requests) {
            let body = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                "userName": format!("new{created}"),
                "name": { "givenName": "New", "familyName": format!("Hire {created}") },
                "emails": [{ "value": format!("new{created}@corp.example"), "primary": true }],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "employeeNumber": created.to_string(), "department": "Sales" },
            });
            created += 1;
            let (took, status, answer) = send(
                scim.post(format!("{scim_base}/Users"))
                    .header("content-type", "application/scim+json")
                    .body(body.to_string()),
            )
            .await?;
            anyhow::ensure!(status == 201, "create: {status} {answer}");
            if n >= WARMUP {
                durations.push(took);
            }
        }
        durations.sort();
        timings[0].runs.push(durations);
        // Lookups and pages.
        for (index, label) in [(1, "eq"), (2, "co"), (3, "page")] {
            let mut durations = Vec::new();
            for n in 0..(WARMUP + requests) {
                let user = rng.gen_range(0..size);
                let path = match label {
                    "eq" => format!("/Users?filter=userName%20eq%20%22user{user}%22"),
                    "co" => {
                        format!("/Users?count=100&filter=emails.value%20co%20%22r{user}%40corp%22")
                    }
                    _ => "/Users?count=200".to_owned(),
                };
                let (took, status, answer) = send(scim.get(format!("{scim_base}{path}"))).await?;
                let expected = match label {
                    "eq" => {
                        answer["totalResults"] == 1
                            && answer["Resources"][0]["userName"] == format!("user{user}")
                    }
                    "co" => answer["totalResults"].as_u64().is_some_and(|t| t >= 1),
                    _ => answer["Resources"]
                        .as_array()
                        .is_some_and(|r| r.len() == 200),
                };
                anyhow::ensure!(status == 200 && expected, "{path}: {status} {answer}");
                if n >= WARMUP {
                    durations.push(took);
                }
            }
            durations.sort();
            timings[index].runs.push(durations);
        }
    }
    shutdown.send(()).ok();
    server.await??;

    println!(
        "SCIM on {}, {requests} requests per row, one at a time over loopback",
        if postgres { "PostgreSQL" } else { "SQLite" }
    );
    for (size, rows, took) in seeding {
        println!(
            "seeding to {size} users: {rows} rows by importUsers in {:.1} s ({:.0} rows/s)",
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64()
        );
    }
    println!(
        "{:<22} {:>11} {:>11} {:>12} {:>12} {:>16}",
        "operation", "p50 1k ms", "p99 1k ms", "p50 100k ms", "p99 100k ms", "p99 100k / 1k"
    );
    for t in &timings {
        let (small, large) = (&t.runs[0], &t.runs[1]);
        println!(
            "{:<22} {:>11.2} {:>11.2} {:>12.2} {:>12.2} {:>16.2}",
            t.label,
            common::percentile(small, 0.5),
            common::percentile(small, 0.99),
            common::percentile(large, 0.5),
            common::percentile(large, 0.99),
            common::percentile(large, 0.99) / common::percentile(small, 0.99),
        );
    }
    let creates = &timings[0].runs[1];
    let total: Duration = creates.iter().sum();
    println!(
        "creates at 100k: {:.0}/s (one at a time)",
        creates.len() as f64 / total.as_secs_f64()
    );
    let ratio = common::percentile(&timings[1].runs[1], 0.99)
        / common::percentile(&timings[1].runs[0], 0.99);
    println!(
        "target userName eq p99(100k)/p99(1k) <= 1.5: {:.2} {}",
        ratio,
        if ratio <= 1.5 { "MET" } else { "MISSED" }
    );
    Ok(())
}
