//! The real binary: `kill -9` in the middle of a stream of acknowledged mutations loses none of
//! them, nor any of their event callbacks; `serve --demo` prints credentials that work.

use std::collections::HashSet;
use std::time::Duration;

use lanyard_tests::servers::{Behaviour, Receiver};
use lanyard_tests::{admin_token, fresh_database, gql_at as gql, ServerProcess};
use serde_json::json;
use tokio::sync::mpsc;

/// A server process on a fresh database: the database's directory and URL, an HTTP client, the
/// server and an admin token.
async fn fresh_server(
    envs: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    String,
    reqwest::Client,
    ServerProcess,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let http = reqwest::Client::new();
    let server = ServerProcess::start_with_env(&url, dir.path(), &[], envs).await;
    let token = admin_token(&http, &server.base).await;
    (dir, url, http, server, token)
}

#[tokio::test]
async fn kill_dash_nine_loses_no_acknowledged_mutation() {
    let (dir, url, http, mut server, token) = fresh_server(&[]).await;
    let created = gql(
        &http,
        &server.base,
        &token,
        "mutation { createInstance(input: {name: \"Durable\"}) { instance { id } } }",
        json!({}),
    )
    .await
    .unwrap();
    let instance = created["data"]["createInstance"]["instance"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Two writers stream mutations; each records what the server acknowledged.
    let (ack_tx, mut acks) = mpsc::unbounded_channel::<String>();
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (http, base, token, instance, ack_tx) = (
            http.clone(),
            server.base.clone(),
            token.clone(),
            instance.clone(),
            ack_tx.clone(),
        );
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let name = format!("g{writer}-{n}");
                let body = gql(&http, &base, &token,
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
    let mut stored = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = gql(&http, &server.base, &token,
            "query($i: ID!, $a: String) { instance(id: $i) { groups(first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { name } } } } }",
            json!({ "i": instance, "a": after })).await.unwrap();
        let groups = &page["data"]["instance"]["groups"];
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
    let audit = gql(&http, &server.base, &token,
        "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"createGroup\"}) { totalCount } }",
        json!({ "i": instance })).await.unwrap();
    assert_eq!(
        audit["data"]["auditEvents"]["totalCount"].as_u64().unwrap() as usize,
        stored.len(),
        "each stored change has its audit event"
    );
}

/// Each sign-in's decision record is committed before its response leaves, so `kill -9` right
/// after a stream of SSO responses loses none of them.
#[tokio::test]
async fn kill_dash_nine_loses_no_record_of_an_answered_sign_in() {
    use lanyard_tests::saml::{browser, sign_in, PASSWORD};
    let (dir, url, http, mut server, token) = fresh_server(&[]).await;
    let base = server.base.clone();
    let data = |body: reqwest::Result<serde_json::Value>| {
        let body = body.unwrap();
        assert!(body["errors"].is_null(), "{body}");
        body["data"].clone()
    };
    let instance = data(
        gql(
            &http,
            &base,
            &token,
            "mutation { createInstance(input: {name: \"Signs in\"}) { instance { id } } }",
            json!({}),
        )
        .await,
    )["createInstance"]["instance"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    data(gql(&http, &base, &token,
        "mutation($i: ID!, $p: String) { createUser(input: {instanceId: $i, username: \"alice\", password: $p}) { user { id } } }",
        json!({ "i": instance, "p": PASSWORD })).await);
    let application = data(gql(&http, &base, &token,
        "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-user-sso-intl\", name: \"Alibaba Cloud\", params: {accountId: \"5123456789012345\"}}) { application { id } } }",
        json!({ "i": instance })).await)["addApplication"]["application"]["id"].as_str().unwrap().to_owned();
    data(gql(&http, &base, &token,
        "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
        json!({ "a": application })).await);

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
    let recorded = data(gql(&http, &server.base, &token,
        "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { totalCount } }",
        json!({ "i": instance })).await)["auditEvents"]["totalCount"].as_u64().unwrap();
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
    let http = reqwest::Client::new();
    let body = gql(&http, &server.base, token.as_deref().unwrap(),
        "{ instances { edges { node { name users { edges { node { username groups { name } } } } groups { totalCount } orgUnits { totalCount } } } } }",
        json!({})).await.unwrap();
    let demo = &body["data"]["instances"]["edges"][0]["node"];
    assert_eq!(demo["name"], "Demo", "{body}");
    let users: Vec<&str> = demo["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap())
        .collect();
    assert_eq!(users, vec!["alice", "bob"]);
    assert_eq!(demo["groups"]["totalCount"], 2);
    let schema = gql(
        &http,
        &server.base,
        token.as_deref().unwrap(),
        "{ __schema { queryType { name } } }",
        json!({}),
    )
    .await
    .unwrap();
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
    let (dir, url, http, mut server, token) = fresh_server(&FAST_OUTBOX).await;
    let created = gql(
        &http,
        &server.base,
        &token,
        "mutation { createInstance(input: {name: \"Callbacks\"}) { instance { id } } }",
        json!({}),
    )
    .await
    .unwrap();
    let instance = created["data"]["createInstance"]["instance"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
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
    let subscribed = gql(&http, &server.base, &token,
        "mutation($i: ID!, $u: String!) { createEventSubscription(input: {instanceId: $i, url: $u, eventTypes: [GROUP_CREATED]}) { eventSubscription { id } } }",
        json!({ "i": instance, "u": receiver.url })).await.unwrap();
    assert!(subscribed.get("errors").is_none(), "{subscribed}");

    let mut groups = Vec::new();
    for n in 0..40 {
        let body = gql(&http, &server.base, &token,
            "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }",
            json!({ "i": instance, "n": format!("g{n}") })).await.unwrap();
        groups.push(
            body["data"]["createGroup"]["group"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
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
