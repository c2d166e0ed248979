//! Access-decision benchmark (`cargo bench -p lanyard --bench access`): a generated directory of
//! 100k users, 1k groups, an org-unit tree of depth 5 and 1k applications, with 10, 1k and 100k
//! grants. For each size it prints decision p50/p99 for the engine alone (facts already loaded)
//! and for the whole decision including the database reads, and the ratio
//! p99(100k grants) / p99(10 grants).
//!
//! The engine is timed on every pair five times. Two p99s are printed: over all those samples,
//! and over the pairs' medians — the first counts every moment the (shared, 2-core) machine
//! took the core away mid-decision, the second only what a pair's decision costs.
//!
//! SQLite by default (a temporary file); `LANYARD_BENCH_POSTGRES=postgres://…/db` (an empty
//! database) runs it on PostgreSQL. `LANYARD_BENCH_USERS` shrinks the directory for a quick run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use entity::access_grant::SubjectKind;
use entity::application::{AccountMode, AuthorizationScope, Initiation};
use entity::user::UserStatus;
use entity::{
    access_grant, application, group, group_member, instance, org_unit, org_unit_member, user,
};
use lanyard::access::facts::{self, AppFacts, Link, UserFacts};
use lanyard::access::{AccessContext, AccessRequest, AccessService};
use lanyard::authz::PolicyEngine;
use lanyard::db::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// How many times the engine decides each sampled pair.
const ROUNDS: usize = 5;
const GROUPS: usize = 1_000;
const APPS: usize = 1_000;
const GROUPS_PER_USER: usize = 2;
/// Branching of the org-unit tree: 1 + 4 + 16 + 64 + 256 units on 5 levels.
const BRANCHING: usize = 4;
const DEPTH: usize = 5;
const SAMPLE: usize = 2_000;

fn id(prefix: &str, n: usize) -> String {
    // Ids as long as the server's (36 characters), distinct per kind.
    format!("{prefix}-{n:0>width$}", width = 35 - prefix.len())
}

struct Directory {
    instance: String,
    users: usize,
    units: Vec<(String, String)>,
}

async fn insert_chunks<A, E>(store: &Store, rows: Vec<A>)
where
    A: ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(500).collect();
        E::insert_many(chunk)
            .exec(&store.conn)
            .await
            .expect("inserting generated rows");
    }
}

async fn generate(store: &Store, users: usize, rng: &mut StdRng) -> Directory {
    let now = Utc::now();
    let instance = id("instance", 0);
    instance::ActiveModel {
        id: Set(instance.clone()),
        name: Set("Bench".into()),
        description: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        access_version: Set(0),
        mfa_required: Set(instance::MfaRequired::WhenAsked),
        allowed_factors: Set(instance::FACTORS.join(",")),
        passkey_sign_in: Set(true),
        passkey_user_verification: Set(instance::PasskeyUserVerification::Preferred),
    }
    .insert(&store.conn)
    .await
    .expect("instance");
    // The org-unit tree, breadth first; a unit's path lists its ancestors.
    let mut units: Vec<(String, String)> = Vec::new();
    let mut level: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    for depth in 0..DEPTH {
        let parents: Vec<Option<usize>> = if depth == 0 {
            vec![None]
        } else {
            level
                .iter()
                .flat_map(|p| vec![Some(*p); BRANCHING])
                .collect()
        };
        level.clear();
        for parent in parents {
            let n = units.len();
            let unit_id = id("unit", n);
            let path = match parent {
                Some(p) => format!("{}{unit_id}/", units[p].1),
                None => format!("/{unit_id}/"),
            };
            rows.push(org_unit::ActiveModel {
                id: Set(unit_id.clone()),
                instance_id: Set(instance.clone()),
                parent_id: Set(parent.map(|p| units[p].0.clone())),
                name: Set(format!("Unit {n}")),
                path: Set(path.clone()),
                created_at: Set(now),
                updated_at: Set(now),
            });
            units.push((unit_id, path));
            level.push(n);
        }
    }
    insert_chunks(store, rows).await;
    let leaves = level;
    insert_chunks(
        store,
        (0..GROUPS)
            .map(|n| group::ActiveModel {
                id: Set(id("group", n)),
                instance_id: Set(instance.clone()),
                name: Set(format!("group-{n}")),
                description: Set(String::new()),
                created_at: Set(now),
                updated_at: Set(now),
                external_id: Set(None),
            })
            .collect(),
    )
    .await;
    insert_chunks(
        store,
        (0..users)
            .map(|n| user::ActiveModel {
                id: Set(id("user", n)),
                instance_id: Set(instance.clone()),
                username: Set(format!("user{n}")),
                display_name: Set(format!("User {n}")),
                email: Set(Some(format!("user{n}@example.com"))),
                phone: Set(None),
                status: Set(UserStatus::Active),
                password_hash: Set(None),
                external_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                given_name: Set(None),
                family_name: Set(None),
                scim_attributes: Set(None),
            })
            .collect(),
    )
    .await;
    let mut members = Vec::new();
    let mut unit_members = Vec::new();
    for n in 0..users {
        let mut groups: Vec<usize> = Vec::new();
        while groups.len() < GROUPS_PER_USER {
            let g = rng.gen_range(0..GROUPS);
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        for g in groups {
            members.push(group_member::ActiveModel {
                group_id: Set(id("group", g)),
                user_id: Set(id("user", n)),
                instance_id: Set(instance.clone()),
                created_at: Set(now),
            });
        }
        let unit = leaves[rng.gen_range(0..leaves.len())];
        unit_members.push(org_unit_member::ActiveModel {
            org_unit_id: Set(units[unit].0.clone()),
            user_id: Set(id("user", n)),
            instance_id: Set(instance.clone()),
            created_at: Set(now),
        });
    }
    insert_chunks(store, members).await;
    insert_chunks(store, unit_members).await;
    insert_chunks(
        store,
        (0..APPS)
            .map(|n| application::ActiveModel {
                id: Set(id("app", n)),
                instance_id: Set(instance.clone()),
                template_id: Set("generic-saml2".into()),
                name: Set(format!("App {n}")),
                enabled: Set(true),
                sso_enabled: Set(true),
                initiation: Set(Initiation::IdpOrSp),
                params: Set(serde_json::json!({})),
                sp_entity_id_override: Set(Some(format!("https://sp{n}.example.com"))),
                acs_url_override: Set(Some(format!("https://sp{n}.example.com/acs"))),
                name_id_format: Set("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".into()),
                account_mode: Set(AccountMode::Username),
                name_id_suffix: Set(None),
                default_relay_state: Set(None),
                sign_response: Set(false),
                sign_assertion: Set(true),
                signature_algorithm: Set("rsa-sha256".into()),
                sp_certificate_pem: Set(None),
                authn_requests_signed: Set(false),
                assertion_lifetime_secs: Set(300),
                attribute_statements: Set(serde_json::json!([])),
                created_at: Set(now),
                updated_at: Set(now),
                authorization_scope: Set(AuthorizationScope::Manual),
                sp_encryption_certificate_pem: Set(None),
                encrypt_assertions: Set(false),
                assertion_encryption: Set("aes256-gcm".into()),
                slo_url: Set(None),
                slo_response_url: Set(None),
                slo_binding: Set("redirect".into()),
                single_logout: Set(true),
            })
            .collect(),
    )
    .await;
    Directory {
        instance,
        users,
        units,
    }
}

/// Adds grants until there are `target`: 60% to users, 30% to groups, 10% to org units, each to
/// a random application.
async fn grow_grants(
    store: &Store,
    dir: &Directory,
    (have, target): (usize, usize),
    seen: &mut std::collections::HashSet<(String, String)>,
    rng: &mut StdRng,
) {
    let now = Utc::now();
    let rows = (have..target)
        .map(|n| {
            let roll = rng.gen_range(0..10);
            let (kind, subject) = match roll {
                0..=5 => (SubjectKind::User, id("user", rng.gen_range(0..dir.users))),
                6..=8 => (SubjectKind::Group, id("group", rng.gen_range(0..GROUPS))),
                _ => (
                    SubjectKind::OrgUnit,
                    dir.units[rng.gen_range(0..dir.units.len())].0.clone(),
                ),
            };
            access_grant::ActiveModel {
                // Unique per (application, subject): the grant number picks the application.
                id: Set(id("grant", n)),
                instance_id: Set(dir.instance.clone()),
                application_id: Set(id("app", n % APPS)),
                subject_kind: Set(kind),
                subject_id: Set(subject),
                created_at: Set(now),
            }
        })
        .collect::<Vec<_>>();
    // Random subjects may repeat for one application, in this batch or an earlier one; keep the
    // first of each.
    let rows = rows
        .into_iter()
        .filter(|r| {
            seen.insert((
                r.application_id.clone().unwrap(),
                r.subject_id.clone().unwrap(),
            ))
        })
        .collect();
    insert_chunks(store, rows).await;
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

struct Figures {
    p50: Duration,
    p99: Duration,
    /// p99 over each pair's median time (engine only; the same as `p99` elsewhere).
    p99_of_medians: Duration,
    allowed: usize,
}

fn figures(mut times: Vec<Duration>, allowed: usize) -> Figures {
    times.sort();
    let p99 = percentile(&times, 0.99);
    Figures {
        p50: percentile(&times, 0.50),
        p99,
        p99_of_medians: p99,
        allowed,
    }
}

fn sample_pairs(dir: &Directory, rng: &mut StdRng) -> Vec<(String, String)> {
    (0..SAMPLE)
        .map(|_| {
            (
                id("user", rng.gen_range(0..dir.users)),
                id("app", rng.gen_range(0..APPS)),
            )
        })
        .collect()
}

async fn engine_only(
    service: &AccessService,
    store: &Store,
    dir: &Directory,
    pairs: &[(String, String)],
) -> Figures {
    let policies = service
        .policies_of(store, &dir.instance)
        .await
        .expect("policies");
    let mut loaded: Vec<(UserFacts, AppFacts, Vec<Link>)> = Vec::new();
    for (user_id, app_id) in pairs {
        let user = facts::load_user(store, user_id).await.expect("user");
        let app = facts::load_app(store, &dir.instance, app_id)
            .await
            .expect("app");
        let links = facts::links_for(store, &app, &user).await.expect("links");
        loaded.push((user, app, links));
    }
    let context = AccessContext::unspecified();
    // Warm up, then measure every pair `ROUNDS` times.
    for (user, app, links) in &loaded {
        service.evaluate(&policies, user, app, links, &context);
    }
    let mut per_pair = vec![Vec::with_capacity(ROUNDS); loaded.len()];
    let mut allowed = 0;
    for _ in 0..ROUNDS {
        for ((user, app, links), times) in loaded.iter().zip(&mut per_pair) {
            let start = Instant::now();
            let decision = service.evaluate(&policies, user, app, links, &context);
            times.push(start.elapsed());
            allowed += usize::from(decision.allowed);
        }
    }
    let mut medians: Vec<Duration> = per_pair
        .iter_mut()
        .map(|times| {
            times.sort();
            times[times.len() / 2]
        })
        .collect();
    medians.sort();
    Figures {
        p99_of_medians: percentile(&medians, 0.99),
        ..figures(per_pair.concat(), allowed / ROUNDS)
    }
}

async fn with_database(
    service: &AccessService,
    store: &Store,
    dir: &Directory,
    pairs: &[(String, String)],
) -> Figures {
    let mut times = Vec::new();
    let mut allowed = 0;
    for (round, (user_id, app_id)) in pairs.iter().enumerate() {
        let request = AccessRequest {
            instance_id: &dir.instance,
            user_id,
            application_id: app_id,
            context: AccessContext::unspecified(),
        };
        let start = Instant::now();
        let decision = service.decide(store, &request).await.expect("decision");
        let elapsed = start.elapsed();
        // The first decisions warm the connection pool and the statement cache.
        if round >= 100 {
            times.push(elapsed);
        }
        allowed += usize::from(decision.allowed);
    }
    figures(times, allowed)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let users: usize = std::env::var("LANYARD_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let temp = tempfile::tempdir().expect("temp dir");
    let (url, backend) = match std::env::var("LANYARD_BENCH_POSTGRES") {
        Ok(url) if !url.is_empty() => (url, "PostgreSQL"),
        _ => (
            format!("sqlite://{}/bench.db?mode=rwc", temp.path().display()),
            "SQLite",
        ),
    };
    let store = Store::connect(&url).await.expect("database");
    let engine = Arc::new(PolicyEngine::embedded().expect("policies"));
    let service = AccessService::new(engine);
    let mut rng = StdRng::seed_from_u64(7);
    let started = Instant::now();
    let dir = generate(&store, users, &mut rng).await;
    println!(
        "access-decision benchmark on {backend}: {} users, {GROUPS} groups ({GROUPS_PER_USER} per user), {} org units on {DEPTH} levels, {APPS} applications; generated in {:.1?}",
        dir.users,
        dir.units.len(),
        started.elapsed()
    );
    let pairs = sample_pairs(&dir, &mut rng);
    let mut have = 0;
    let mut seen = std::collections::HashSet::new();
    let mut results = Vec::new();
    println!(
        "{:>8} | {:>12} {:>12} {:>17} | {:>12} {:>12} | allowed/{SAMPLE}",
        "grants", "engine p50", "engine p99", "p99 of medians", "+db p50", "+db p99"
    );
    for size in [10usize, 1_000, 100_000] {
        grow_grants(&store, &dir, (have, size), &mut seen, &mut rng).await;
        have = size;
        let engine = engine_only(&service, &store, &dir, &pairs).await;
        let db = with_database(&service, &store, &dir, &pairs).await;
        assert_eq!(
            engine.allowed, db.allowed,
            "the engine alone and the full decision agree"
        );
        println!(
            "{size:>8} | {:>12.1?} {:>12.1?} {:>17.1?} | {:>12.1?} {:>12.1?} | {}",
            engine.p50, engine.p99, engine.p99_of_medians, db.p50, db.p99, engine.allowed
        );
        results.push((size, engine, db));
    }
    let (first, last) = (&results[0], &results[results.len() - 1]);
    println!(
        "p99(100k grants) / p99(10 grants): engine {:.2} (of medians {:.2}), with database reads {:.2}",
        last.1.p99.as_secs_f64() / first.1.p99.as_secs_f64(),
        last.1.p99_of_medians.as_secs_f64() / first.1.p99_of_medians.as_secs_f64(),
        last.2.p99.as_secs_f64() / first.2.p99.as_secs_f64()
    );
}
