//! The real binary: `kill -9` in the middle of a stream of acknowledged mutations loses none of
//! them, nor any of their event callbacks; `serve --demo` prints credentials that work.

use std::collections::HashSet;
use std::time::Duration;

use lanyard_tests::saml::{browser, sign_in, tenant, PASSWORD};
use lanyard_tests::servers::{Behaviour, Receiver};
use lanyard_tests::{fresh_database, Client, ServerProcess};
use serde_json::json;
use tokio::sync::mpsc;

/// A server process on a fresh database: the database's directory and URL, the server and its
/// super-admin.
async fn fresh_server(envs: &[(&str, &str)]) -> (tempfile::TempDir, String, ServerProcess, Client) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let server = ServerProcess::start_with_env(&url, dir.path(), &[], envs).await;
    let admin = server.admin().await;
    (dir, url, server, admin)
}

#[tokio::test]
async fn kill_dash_nine_loses_no_acknowledged_mutation() {
    let (dir, url, mut server, admin) = fresh_server(&[]).await;
    let instance = admin.create_instance("Durable").await;

    // Two writers stream mutations; each records what the server acknowledged.
    let (ack_tx, mut acks) = mpsc::unbounded_channel::<String>();
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (admin, instance, ack_tx) = (admin.clone(), instance.clone(), ack_tx.clone());
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let name = format!("g{writer}-{n}");
                let body = admin.try_gql(
                    "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }",
                    json!({ "i": instance, "n": name })).await;
                match body {
                    Ok(body) if body["data"]["createGroup"]["group"]["id"].is_string() => {
                        if ack_tx.send(name).is_err() {
                            return;
                        }
                    }
                    _ => return,
                }
            }
        }));
    }
    drop(ack_tx);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 150 {
        acknowledged.push(acks.recv().await.expect("writes are acknowledged"));
    }
    server.child.start_kill().expect("SIGKILL");
    server.child.wait().await.unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    while let Ok(name) = acks.try_recv() {
        acknowledged.push(name);
    }
    drop(server.lines);

    let server = ServerProcess::start(&url, dir.path(), &[]).await;
    let admin = server.client(&admin.token);
    let mut stored = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = admin.gql(
            "query($i: ID!, $a: String) { instance(id: $i) { groups(first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { name } } } } }",
            json!({ "i": instance, "a": after })).await;
        let groups = &page["instance"]["groups"];
        stored.extend(
            groups["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_owned()),
        );
        if !groups["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = groups["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|name| !stored.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but lost after kill -9: {missing:?}"
    );
    assert!(acknowledged.len() >= 150);
    let audit = admin.gql(
        "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"createGroup\"}) { totalCount } }",
        json!({ "i": instance })).await;
    assert_eq!(
        audit["auditEvents"]["totalCount"].as_u64().unwrap() as usize,
        stored.len(),
        "each stored change has its audit event"
    );
}

/// Each sign-in's decision record is committed before its response leaves, so `kill -9` right
/// after a stream of SSO responses loses none of them.
#[tokio::test]
async fn kill_dash_nine_loses_no_record_of_an_answered_sign_in() {
    let (dir, url, mut server, admin) = fresh_server(&[]).await;
    let base = server.base.clone();
    let t = tenant(&admin).await;
    let (instance, application) = (&t.instance, &t.app);

    let employee = browser();
    let login = format!("{base}/sso/{instance}/login");
    let signed_in = sign_in(&base, &employee, &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);

    // Two employees' tabs start SSO over and over; each counts the assertions it received.
    let start = format!("{base}/saml/apps/{application}/start");
    let (answered_tx, mut answered) = mpsc::unbounded_channel::<()>();
    let mut tabs = Vec::new();
    for _ in 0..2 {
        let (employee, start, answered_tx) = (employee.clone(), start.clone(), answered_tx.clone());
        tabs.push(tokio::spawn(async move {
            loop {
                let Ok(response) = employee.get(&start).send().await else {
                    return;
                };
                let Ok(page) = response.text().await else {
                    return;
                };
                if !page.contains("name=\"SAMLResponse\"") || answered_tx.send(()).is_err() {
                    return;
                }
            }
        }));
    }
    drop(answered_tx);
    let mut received = 0;
    while received < 200 {
        answered.recv().await.expect("sign-ins are answered");
        received += 1;
    }
    server.child.start_kill().expect("SIGKILL");
    server.child.wait().await.unwrap();
    for tab in tabs {
        tab.await.unwrap();
    }
    while answered.try_recv().is_ok() {
        received += 1;
    }
    drop(server.lines);

    let server = ServerProcess::start(&url, dir.path(), &[]).await;
    let recorded = server.client(&admin.token).gql(
        "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { totalCount } }",
        json!({ "i": instance })).await["auditEvents"]["totalCount"].as_u64().unwrap();
    // A request the server recorded but was killed before answering is recorded and not
    // received; never the other way round.
    assert!(
        recorded >= received,
        "{received} assertions received, {recorded} sign-ins recorded after kill -9"
    );
}

#[tokio::test]
async fn serve_demo_prints_a_token_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let mut server = ServerProcess::start(&url, dir.path(), &["--demo"]).await;
    let mut token = None;
    let mut passwords = 0;
    while token.is_none() {
        let line = tokio::time::timeout(Duration::from_secs(30), server.lines.recv())
            .await
            .unwrap()
            .unwrap();
        if line.starts_with("Demo user ") {
            passwords += 1;
        }
        token = line
            .strip_prefix("Admin API token (super admin, 30 days): ")
            .map(str::to_owned);
    }
    assert_eq!(passwords, 2, "alice's and bob's passwords are printed");
    let admin = server.client(token.as_deref().unwrap());
    let data = admin.gql(
        "{ instances { edges { node { name users { edges { node { username groups { name } } } } groups { totalCount } orgUnits { totalCount } } } } }",
        json!({})).await;
    let demo = &data["instances"]["edges"][0]["node"];
    assert_eq!(demo["name"], "Demo", "{data}");
    let users: Vec<&str> = demo["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap())
        .collect();
    assert_eq!(users, vec!["alice", "bob"]);
    assert_eq!(demo["groups"]["totalCount"], 2);
    let schema = admin
        .gql_as(
            &admin.token,
            "{ __schema { queryType { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        schema["data"]["__schema"]["queryType"]["name"], "QueryRoot",
        "introspection is on with --demo"
    );
}

/// Quick retries and a short lease, so that a killed node's deliveries are taken over soon.
const FAST_OUTBOX: [(&str, &str); 7] = [
    ("LANYARD_EVENTS__ALLOW_INSECURE_LOOPBACK", "true"),
    ("LANYARD_EVENTS__TIMEOUT_SECONDS", "2"),
    ("LANYARD_SMTP__TIMEOUT_SECONDS", "2"),
    ("LANYARD_OUTBOX__LEASE_SECONDS", "3"),
    ("LANYARD_OUTBOX__POLL_INTERVAL_MS", "50"),
    ("LANYARD_OUTBOX__RETRY_BASE_MS", "100"),
    ("LANYARD_OUTBOX__RETRY_MAX_SECONDS", "1"),
];

#[tokio::test]
async fn kill_dash_nine_mid_delivery_loses_no_event() {
    let (dir, url, mut server, admin) = fresh_server(&FAST_OUTBOX).await;
    let instance = admin.create_instance("Callbacks").await;
    // A slow receiver, so that deliveries are in flight when the server dies.
    let receiver = Receiver::start(
        &server.base,
        "http://localhost:8080",
        &instance,
        Behaviour {
            delay_ms: 300,
            ..Behaviour::default()
        },
    )
    .await;
    admin.gql(
        "mutation($i: ID!, $u: String!) { createEventSubscription(input: {instanceId: $i, url: $u, eventTypes: [GROUP_CREATED]}) { eventSubscription { id } } }",
        json!({ "i": instance, "u": receiver.url })).await;

    let mut groups = Vec::new();
    for n in 0..40 {
        groups.push(
            admin
                .id_of(
                    "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }",
                    json!({ "i": instance, "n": format!("g{n}") }),
                    &["createGroup", "group", "id"],
                )
                .await,
        );
    }
    receiver
        .wait_for("the first deliveries", |r| {
            r.iter().filter(|r| r.delivered()).count() >= 5
        })
        .await;
    server.child.start_kill().expect("SIGKILL");
    server.child.wait().await.unwrap();
    let before_restart = receiver.delivered().len();
    drop(server.lines);

    let server = ServerProcess::start_with_env(&url, dir.path(), &[], &FAST_OUTBOX).await;
    receiver.set_lanyard(&server.base, &instance);
    receiver
        .wait_for(
            "every acknowledged change's event after the restart",
            |received| {
                let subjects: HashSet<&str> = received
                    .iter()
                    .filter(|r| r.delivered())
                    .map(|r| r.subject_id())
                    .collect();
                groups.iter().all(|g| subjects.contains(g.as_str()))
            },
        )
        .await;
    let received = receiver.received();
    assert!(
        received.iter().all(|r| r.claims.is_ok()),
        "every JWT verifies"
    );
    let delivered = receiver.delivered();
    let unique: HashSet<&str> = delivered.iter().map(|r| r.jti()).collect();
    assert_eq!(unique.len(), 40, "one event per change");
    assert!(
        before_restart < 40,
        "the kill came mid-delivery ({before_restart} delivered)"
    );
    eprintln!(
        "kill -9 mid-delivery: {before_restart} delivered before, {} after; {} repeated (same jti)",
        delivered.len() - before_restart,
        delivered.len() - unique.len()
    );
    receiver.stop();
    drop(server);
}
