//! The instance overview over a million audit events (issue 24): how long the console's
//! overview page takes to get its data from the GraphQL API when the audit log is large.
//!
//!     cargo bench -p lanyard --bench overview [-- --events N] [-- --requests N]
//!
//! The server runs in this process on SQLite in a temporary directory. One instance gets 20
//! applications and, by default, 1,000,000 audit events spread evenly over the last 30 days,
//! written straight into `audit_events` as the server writes them (UUIDv7 ids of their time):
//! SSO decisions (45 %, one in ten refused, for one of six reasons), sign-ins (30 %), failed
//! sign-ins (10 %), lockouts (0.5 %) and admin actions (the rest); a second instance gets
//! another 10 % of that, which the first instance's queries must pass over.
//!
//! Timed (p50, p99 and max over `--requests` requests, 200 by default, after 10 unrecorded
//! ones), one page load at a time over HTTP on loopback, from sending to the last byte: the
//! overview page's two queries, sent together as the console sends them —
//! `instanceActivity(range)` (buckets, applications, refusal reasons) and the attention query
//! (signing keys, applications' certificates, pending emails, failed deliveries) — for each
//! range (24 h, 7 d, 30 d), and the platform overview's `platformActivity` for 30 days. Every
//! response is checked: no errors, and the 30-day totals equal what was seeded. The events
//! are seeded after the server started, into hours it has already rolled up, so the bench
//! clears the roll-up, times the 30-day activity from the log alone (10 requests), rolls the
//! month up (timed) as the server does every minute, then measures.
//! Printed: one row per page, and the issue's target: p99 under 200 ms on SQLite.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use entity::audit_event;
use lanyard::startup::Application;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, Database, EntityTrait, TransactionTrait};
use serde_json::{json, Value};

mod common;

const ADMIN_PASSWORD: &str = "bench-admin-password";
const DEFAULT_EVENTS: usize = 1_000_000;
const DEFAULT_REQUESTS: usize = 200;
const WARMUP: usize = 10;
const APPLICATIONS: usize = 20;
const BATCH: usize = 1_000;
const TARGET_P99: Duration = Duration::from_millis(200);
const REASONS: [&str; 6] = [
    "not in the authorization scope",
    "no grant",
    "the user is disabled",
    "forbidden by a policy",
    "no application account",
    "outside office hours",
];

const ACTIVITY: &str = "query($i: ID!, $r: ActivityRange!) { instanceActivity(instanceId: $i, range: $r) { from bucketSeconds buckets { start signIns failedSignIns lockouts ssoAllowed ssoDenied } applications { applicationId name allowed denied } refusalReasons { reason count } } }";
const ATTENTION: &str = "query($i: ID!) { signingKeys(instanceId: $i) { id state algorithm notAfter } instance(id: $i) { id applications(first: 100) { nodes { id name spCertificateNotAfter spEncryptionCertificateNotAfter } } } pendingEmails: deliveries(instanceId: $i, first: 1, filter: {kind: EMAIL, status: PENDING}) { totalCount } failedDeliveries: deliveries(instanceId: $i, first: 1, filter: {kind: EVENT, status: DEAD}) { totalCount } }";
const PLATFORM: &str = "query { platformActivity(range: MONTH) { from buckets { start signIns ssoAllowed ssoDenied } instances { instanceId name signIns ssoAllowed ssoDenied } } }";

fn main() -> anyhow::Result<()> {
    let mut events = DEFAULT_EVENTS;
    let mut requests = DEFAULT_REQUESTS;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--events" => events = args.next().context("--events N")?.parse()?,
            "--requests" => requests = args.next().context("--requests N")?.parse()?,
            // cargo bench passes --bench.
            "--bench" => {}
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    anyhow::ensure!(requests >= 10, "--requests must be at least 10");
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(events, requests, &dir))
}

/// What was seeded into the first instance, to check the answers against.
#[derive(Default)]
struct Seeded {
    sign_ins: i64,
    sso_allowed: i64,
    sso_denied: i64,
}

async fn run(events: usize, requests: usize, dir: &tempfile::TempDir) -> anyhow::Result<()> {
    let database_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let config = common::config(database_url.clone(), dir.path(), ADMIN_PASSWORD)?;
    let app = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        stopped.await.ok();
    }));
    let api = Api::new(&base).await?;

    let instance = api
        .id(
            "mutation { createInstance(input: {name: \"Acme\"}) { instance { id } } }",
            json!({}),
            "/createInstance/instance/id",
        )
        .await?;
    let other = api
        .id(
            "mutation { createInstance(input: {name: \"Globex\"}) { instance { id } } }",
            json!({}),
            "/createInstance/instance/id",
        )
        .await?;
    let mut applications = Vec::new();
    for n in 0..APPLICATIONS {
        applications.push(
            api.id(
                "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: $n}) { application { id } } }",
                json!({ "i": instance, "n": format!("App {n}") }),
                "/addApplication/application/id",
            )
            .await?,
        );
    }

    let started = Instant::now();
    let seeded = seed(&database_url, &instance, &other, &applications, events).await?;
    let elapsed = started.elapsed();
    println!(
        "seeded {} audit events in {:.1} s ({:.0} per second)",
        events + events / 10,
        elapsed.as_secs_f64(),
        (events + events / 10) as f64 / elapsed.as_secs_f64()
    );

    // The server rolled up its (empty) past hours when it started; the events were written into
    // them since. Count them from the log alone first, then roll the month up as the server
    // would have, hour by hour, while it happened.
    let store = lanyard::db::Store::connect(&database_url).await?;
    for sql in ["DELETE FROM audit_hourly", "DELETE FROM audit_rollup_marks"] {
        sea_orm::ConnectionTrait::execute_unprepared(&store.conn, sql).await?;
    }
    let month = json!({ "i": instance, "r": "MONTH" });
    let unrolled = measure(10, || async {
        check(
            &api.query(ACTIVITY, month.clone()).await?["instanceActivity"],
            &seeded,
        )
    })
    .await?;
    let started = Instant::now();
    let hours = lanyard::audit::activity::roll_up(&store, Utc::now()).await?;
    // The server's own task (every minute) may have rolled some or all of it up meanwhile.
    println!(
        "the 30-day activity with the roll-up cleared: p50 {:.0} ms (from the log, but for \
         hours the server rolled up again meanwhile); then a roll-up added {hours} hours in \
         {:.1} s",
        common::percentile(&unrolled, 0.5),
        started.elapsed().as_secs_f64(),
    );

    println!("\n| page (one load: its queries together) | p50 | p99 | max |");
    println!("|---|---:|---:|---:|");
    let mut worst: f64 = 0.0;
    for range in ["DAY", "WEEK", "MONTH"] {
        let vars = json!({ "i": instance, "r": range });
        let load = || async {
            let (activity, attention) = tokio::try_join!(
                api.query(ACTIVITY, vars.clone()),
                api.query(ATTENTION, json!({ "i": instance })),
            )?;
            anyhow::ensure!(
                attention["instance"]["applications"]["nodes"]
                    .as_array()
                    .map(Vec::len)
                    == Some(APPLICATIONS)
            );
            Ok(activity)
        };
        let activity = load().await?;
        if range == "MONTH" {
            check(&activity["instanceActivity"], &seeded)?;
        }
        let times = measure(requests, || async { load().await.map(drop) }).await?;
        worst = worst.max(report(&format!("instance overview, {range}"), &times));
    }
    let times = measure(requests, || async {
        let platform = api.query(PLATFORM, json!({})).await?;
        anyhow::ensure!(
            platform["platformActivity"]["instances"]
                .as_array()
                .map(Vec::len)
                == Some(2)
        );
        Ok(())
    })
    .await?;
    report("platform overview, MONTH", &times);
    println!(
        "\ntarget: the instance overview's p99 under {} ms on SQLite: {} (worst p99 {:.1} ms)",
        TARGET_P99.as_millis(),
        if worst < TARGET_P99.as_secs_f64() * 1000.0 {
            "met"
        } else {
            "NOT met"
        },
        worst
    );
    shutdown.send(()).ok();
    server.await??;
    Ok(())
}

/// Writes the events in transactions of [`BATCH`] rows, as the audit log holds them.
async fn seed(
    database_url: &str,
    instance: &str,
    other: &str,
    applications: &[String],
    events: usize,
) -> anyhow::Result<Seeded> {
    let db = Database::connect(database_url).await?;
    let mut rng = StdRng::seed_from_u64(24);
    let now = Utc::now();
    // The last 29 days, so that the 30-day overview (whole days) counts every event.
    let span_ms = 29 * 24 * 3600 * 1000;
    let mut seeded = Seeded::default();
    let total = events + events / 10;
    let mut written = 0;
    while written < total {
        let txn = db.begin().await?;
        let rows: Vec<audit_event::ActiveModel> = (written..(written + BATCH).min(total))
            .map(|n| {
                let at = now - chrono::Duration::milliseconds(rng.gen_range(0..span_ms));
                let mine = n < events;
                let event = event(&mut rng, applications);
                if mine {
                    match (event.action, event.outcome) {
                        ("signIn", "allow") => seeded.sign_ins += 1,
                        ("sso", "allow") => seeded.sso_allowed += 1,
                        ("sso", "deny") => seeded.sso_denied += 1,
                        _ => {}
                    }
                }
                row(if mine { instance } else { other }, at, event)
            })
            .collect();
        written += rows.len();
        audit_event::Entity::insert_many(rows).exec(&txn).await?;
        txn.commit().await?;
    }
    db.close().await?;
    Ok(seeded)
}

struct Event<'a> {
    action: &'static str,
    outcome: &'static str,
    target: Option<&'a str>,
    reason: Option<&'static str>,
}

fn event<'a>(rng: &mut StdRng, applications: &'a [String]) -> Event<'a> {
    let app = &applications[rng.gen_range(0..applications.len())];
    let roll: f64 = rng.gen_range(0.0..1.0);
    let (action, outcome) = match roll {
        r if r < 0.405 => ("sso", "allow"),
        r if r < 0.45 => ("sso", "deny"),
        r if r < 0.75 => ("signIn", "allow"),
        r if r < 0.85 => ("signInFailed", "deny"),
        r if r < 0.855 => ("accountLocked", "deny"),
        _ => ("updateUser", "success"),
    };
    Event {
        action,
        outcome,
        target: (action == "sso").then_some(app.as_str()),
        reason: (outcome == "deny" && action == "sso")
            .then(|| REASONS[rng.gen_range(0..REASONS.len())]),
    }
}

fn row(instance: &str, at: DateTime<Utc>, event: Event<'_>) -> audit_event::ActiveModel {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        millis / 1000,
        u32::try_from(millis % 1000).unwrap_or(0) * 1_000_000,
    ));
    let summary = match event.reason {
        Some(reason) => json!({ "decision": "deny", "reason": reason }),
        None => json!({}),
    };
    audit_event::ActiveModel {
        id: Set(id.to_string()),
        instance_id: Set(Some(instance.to_owned())),
        actor_kind: Set("user".to_owned()),
        actor_id: Set(format!("u{}", id.as_u128() % 5_000)),
        actor_name: Set("someone".to_owned()),
        action: Set(event.action.to_owned()),
        target_kind: Set(if event.target.is_some() {
            "application"
        } else {
            "user"
        }
        .to_owned()),
        target_id: Set(event.target.map(str::to_owned)),
        outcome: Set(event.outcome.to_owned()),
        summary: Set(summary),
        client_ip: Set(Some("10.0.0.1".to_owned())),
        created_at: Set(at),
    }
}

/// The 30-day answer counts exactly what was seeded.
fn check(activity: &Value, seeded: &Seeded) -> anyhow::Result<()> {
    let sum = |field: &str| -> i64 {
        activity["buckets"]
            .as_array()
            .map(|b| b.iter().filter_map(|b| b[field].as_i64()).sum())
            .unwrap_or(-1)
    };
    anyhow::ensure!(
        (sum("signIns"), sum("ssoAllowed"), sum("ssoDenied"))
            == (seeded.sign_ins, seeded.sso_allowed, seeded.sso_denied),
        "the overview counts ({}, {}, {}) but ({}, {}, {}) were seeded",
        sum("signIns"),
        sum("ssoAllowed"),
        sum("ssoDenied"),
        seeded.sign_ins,
        seeded.sso_allowed,
        seeded.sso_denied
    );
    anyhow::ensure!(activity["applications"].as_array().map(Vec::len) == Some(APPLICATIONS));
    anyhow::ensure!(activity["refusalReasons"].as_array().map(Vec::len) == Some(REASONS.len()));
    Ok(())
}

async fn measure<F, Fut>(requests: usize, load: F) -> anyhow::Result<Vec<Duration>>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for _ in 0..WARMUP {
        load().await?;
    }
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let started = Instant::now();
        load().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

/// Prints a row; returns the p99 in milliseconds.
fn report(what: &str, sorted: &[Duration]) -> f64 {
    let p99 = common::percentile(sorted, 0.99);
    println!(
        "| {what} | {:.1} ms | {p99:.1} ms | {:.1} ms |",
        common::percentile(sorted, 0.50),
        common::percentile(sorted, 1.0),
    );
    p99
}

/// The GraphQL endpoint with a super-admin API token.
struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn new(base: &str) -> anyhow::Result<Api> {
        let console = common::signed_in_admin(base, ADMIN_PASSWORD).await?;
        let created: Value = console
            .post(format!("{base}/graphql"))
            .json(&json!({
                "query": "mutation { createApiToken(input: {name: \"overview bench\", roles: [{role: SUPER_ADMIN}]}) { secret } }"
            }))
            .send()
            .await?
            .json()
            .await?;
        let token = created["data"]["createApiToken"]["secret"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("creating an API token: {created}"))?;
        Ok(Api {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            token,
        })
    }

    async fn query(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let body: Value = self
            .http
            .post(format!("{}/graphql", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?
            .json()
            .await?;
        anyhow::ensure!(body.get("errors").is_none(), "GraphQL errors: {body}");
        Ok(body["data"].clone())
    }

    async fn id(&self, query: &str, variables: Value, pointer: &str) -> anyhow::Result<String> {
        let data = self.query(query, variables).await?;
        data.pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .with_context(|| format!("{pointer} in {data}"))
    }
}
