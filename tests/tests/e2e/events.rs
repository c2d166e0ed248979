//! Account-sync event callbacks to a real HTTP receiver on loopback that verifies every JWT
//! with the JWKS Lanyard publishes: every directory change, order per subject, retries after
//! failures, dead letters and redelivery, test pings, receiver URL rules, redirects and large
//! answers, two nodes, and `kill -9` mid-delivery.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use lanyard::config::Config;
use lanyard_tests::servers::{wait_until, Behaviour, Received, Receiver};
use lanyard_tests::{error_code, TestApp};
use serde_json::{json, Value};

pub(super) fn loopback_allowed(config: &mut Config) {
    config.events.allow_insecure_loopback = true;
}

const ALL_TYPES: &str = "[USER_CREATED, USER_UPDATED, USER_DELETED, GROUP_CREATED, GROUP_UPDATED, GROUP_DELETED, GROUP_MEMBERS_ADDED, GROUP_MEMBERS_REMOVED, ORG_UNIT_CREATED, ORG_UNIT_UPDATED, ORG_UNIT_DELETED, ORG_UNIT_MEMBERS_ADDED, ORG_UNIT_MEMBERS_REMOVED, APPLICATION_ACCOUNT_UPDATED, APPLICATION_ACCOUNT_REMOVED]";

pub(super) async fn subscribe(app: &TestApp, instance: &str, url: &str) -> String {
    let data = app
        .gql(
            &format!("mutation($i: ID!, $u: String!) {{ createEventSubscription(input: {{instanceId: $i, url: $u, eventTypes: {ALL_TYPES}}}) {{ eventSubscription {{ id url eventTypes enabled }} }} }}"),
            json!({ "i": instance, "u": url }),
        )
        .await;
    let subscription = &data["createEventSubscription"]["eventSubscription"];
    assert_eq!(subscription["eventTypes"].as_array().unwrap().len(), 15);
    subscription["id"].as_str().unwrap().to_owned()
}

async fn mutate(app: &TestApp, query: &str, variables: Value) -> Value {
    app.gql(query, variables).await
}

async fn deliveries(app: &TestApp, instance: &str, filter: Value) -> Vec<Value> {
    let data = app
        .gql(
            "query($i: ID!, $f: DeliveryFilterInput) { deliveries(instanceId: $i, first: 30, filter: $f) { totalCount edges { node { id kind topic status attempts eventId lastError log { attempt delivered statusCode error responseExcerpt } } } } }",
            json!({ "i": instance, "f": filter }),
        )
        .await;
    data["deliveries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The event types the receiver accepted for one subject, in arrival order.
pub(super) fn types_for(delivered: &[Received], subject: &str) -> Vec<String> {
    delivered
        .iter()
        .filter(|r| r.subject_id() == subject)
        .map(|r| r.event_type().to_owned())
        .collect()
}

#[tokio::test]
async fn every_directory_change_reaches_the_receiver_signed_and_in_order() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour::default(),
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;

    let ann = app.create_user(&instance, "ann", None).await;
    mutate(&app, "mutation($i: ID!, $u: ID!) { updateUser(input: {instanceId: $i, id: $u, displayName: \"Ann A.\"}) { user { id } } }", json!({ "i": instance, "u": ann })).await;
    mutate(&app, "mutation($i: ID!, $u: ID!) { setUserStatus(input: {instanceId: $i, id: $u, status: DISABLED}) { user { id } } }", json!({ "i": instance, "u": ann })).await;
    let group = mutate(&app, "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Eng\"}) { group { id } } }", json!({ "i": instance })).await["createGroup"]["group"]["id"].as_str().unwrap().to_owned();
    mutate(&app, "mutation($i: ID!, $g: ID!) { updateGroup(input: {instanceId: $i, id: $g, name: \"Engineering\"}) { group { id } } }", json!({ "i": instance, "g": group })).await;
    mutate(&app, "mutation($i: ID!, $g: ID!, $u: ID!) { addGroupMembers(input: {instanceId: $i, id: $g, userIds: [$u]}) { group { id } } }", json!({ "i": instance, "g": group, "u": ann })).await;
    mutate(&app, "mutation($i: ID!, $g: ID!, $u: ID!) { removeGroupMembers(input: {instanceId: $i, id: $g, userIds: [$u]}) { group { id } } }", json!({ "i": instance, "g": group, "u": ann })).await;
    let root = mutate(&app, "mutation($i: ID!) { createOrgUnit(input: {instanceId: $i, name: \"Acme\"}) { orgUnit { id } } }", json!({ "i": instance })).await["createOrgUnit"]["orgUnit"]["id"].as_str().unwrap().to_owned();
    let unit = mutate(&app, "mutation($i: ID!, $p: ID!) { createOrgUnit(input: {instanceId: $i, name: \"Sales\", parentId: $p}) { orgUnit { id } } }", json!({ "i": instance, "p": root })).await["createOrgUnit"]["orgUnit"]["id"].as_str().unwrap().to_owned();
    mutate(&app, "mutation($i: ID!, $o: ID!) { renameOrgUnit(input: {instanceId: $i, id: $o, name: \"Sales EU\"}) { orgUnit { id } } }", json!({ "i": instance, "o": unit })).await;
    mutate(&app, "mutation($i: ID!, $o: ID!) { moveOrgUnit(input: {instanceId: $i, id: $o}) { orgUnit { id } } }", json!({ "i": instance, "o": unit })).await;
    mutate(&app, "mutation($i: ID!, $o: ID!, $u: ID!) { addOrgUnitMembers(input: {instanceId: $i, id: $o, userIds: [$u]}) { orgUnit { id } } }", json!({ "i": instance, "o": unit, "u": ann })).await;
    mutate(&app, "mutation($i: ID!, $o: ID!, $u: ID!) { removeOrgUnitMembers(input: {instanceId: $i, id: $o, userIds: [$u]}) { orgUnit { id } } }", json!({ "i": instance, "o": unit, "u": ann })).await;
    mutate(&app, "mutation($i: ID!, $o: ID!) { deleteOrgUnit(input: {instanceId: $i, id: $o}) { deletedId } }", json!({ "i": instance, "o": unit })).await;
    let application = mutate(&app, "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"Wiki\"}) { application { id } } }", json!({ "i": instance })).await["addApplication"]["application"]["id"].as_str().unwrap().to_owned();
    mutate(&app, "mutation($a: ID!, $u: ID!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: \"ann.a\"}) { account { accountName } } }", json!({ "a": application, "u": ann })).await;
    mutate(&app, "mutation($a: ID!, $u: ID!) { removeApplicationAccount(input: {applicationId: $a, userId: $u}) { removed } }", json!({ "a": application, "u": ann })).await;
    mutate(
        &app,
        "mutation($i: ID!, $g: ID!) { deleteGroup(input: {instanceId: $i, id: $g}) { deletedId } }",
        json!({ "i": instance, "g": group }),
    )
    .await;
    mutate(
        &app,
        "mutation($i: ID!, $u: ID!) { deleteUser(input: {instanceId: $i, id: $u}) { deletedId } }",
        json!({ "i": instance, "u": ann }),
    )
    .await;

    receiver
        .wait_for("18 events", |received| {
            received.iter().filter(|r| r.delivered()).count() >= 18
        })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = receiver.received();
    for r in &received {
        assert!(r.claims.is_ok(), "every JWT verifies with the JWKS: {r:?}");
        assert_eq!(r.path, "/hook");
    }
    let delivered = receiver.delivered();
    assert_eq!(
        delivered.len(),
        18,
        "one callback per change: {delivered:?}"
    );
    assert_eq!(
        types_for(&delivered, &ann),
        vec![
            "user.created",
            "user.updated",
            "user.updated",
            "application_account.updated",
            "application_account.removed",
            "user.deleted"
        ]
    );
    assert_eq!(
        types_for(&delivered, &group),
        vec![
            "group.created",
            "group.updated",
            "group.members_added",
            "group.members_removed",
            "group.deleted"
        ]
    );
    assert_eq!(
        types_for(&delivered, &unit),
        vec![
            "org_unit.created",
            "org_unit.updated",
            "org_unit.updated",
            "org_unit.members_added",
            "org_unit.members_removed",
            "org_unit.deleted"
        ]
    );
    let created = delivered
        .iter()
        .find(|r| r.event_type() == "user.created")
        .unwrap()
        .claims();
    assert_eq!(created["data"]["username"], "ann");
    assert_eq!(created["instance_id"], instance.as_str());
    assert_eq!(created["subject"]["type"], "user");
    let disabled = delivered
        .iter()
        .filter(|r| r.event_type() == "user.updated")
        .nth(1)
        .unwrap()
        .claims();
    assert_eq!(disabled["data"]["status"], "disabled");
    let members = delivered
        .iter()
        .find(|r| r.event_type() == "group.members_added")
        .unwrap()
        .claims();
    assert_eq!(members["data"]["userIds"], json!([ann]));
    let jtis: HashSet<&str> = delivered.iter().map(Received::jti).collect();
    assert_eq!(jtis.len(), 18, "every event has its own id");

    let events = deliveries(
        &app,
        &instance,
        json!({ "kind": "EVENT", "status": "DELIVERED" }),
    )
    .await;
    assert_eq!(events.len(), 18);
    let event_ids: HashSet<&str> = events
        .iter()
        .map(|e| e["eventId"].as_str().unwrap())
        .collect();
    assert_eq!(
        event_ids, jtis,
        "the delivery log names the event ids receivers saw"
    );
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn a_receiver_that_fails_three_times_gets_the_event_on_the_fourth() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour {
            fail_first: 3,
            ..Behaviour::default()
        },
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;
    let user = app.create_user(&instance, "bea", None).await;
    receiver
        .wait_for("a delivered event", |r| r.iter().any(Received::delivered))
        .await;
    let received = receiver.received();
    assert_eq!(received.len(), 4, "three failures, then the delivery");
    let ids: HashSet<&str> = received.iter().map(Received::jti).collect();
    assert_eq!(
        ids.len(),
        1,
        "the same event id on every attempt: a receiver can de-duplicate"
    );
    assert!(received.iter().all(|r| r.subject_id() == user));
    wait_until(
        Duration::from_secs(10),
        "the outcome is recorded",
        || async {
            deliveries(&app, &instance, json!({ "status": "DELIVERED" }))
                .await
                .len()
                == 1
        },
    )
    .await;
    let delivery = &deliveries(&app, &instance, json!({})).await[0];
    assert_eq!(delivery["attempts"], 4);
    let codes: Vec<i64> = delivery["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["statusCode"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, vec![500, 500, 500, 200]);
    assert_eq!(delivery["log"][0]["responseExcerpt"], "try again");
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn a_later_event_of_a_subject_waits_for_the_earlier_one() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour {
            fail_first: 4,
            ..Behaviour::default()
        },
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;
    let user = app.create_user(&instance, "cy", None).await;
    for name in ["Cy 1", "Cy 2", "Cy 3"] {
        mutate(&app, "mutation($i: ID!, $u: ID!, $n: String!) { updateUser(input: {instanceId: $i, id: $u, displayName: $n}) { user { id } } }", json!({ "i": instance, "u": user, "n": name })).await;
    }
    receiver
        .wait_for("four delivered events", |r| {
            r.iter().filter(|r| r.delivered()).count() == 4
        })
        .await;
    let received = receiver.received();
    let types: Vec<&str> = received.iter().map(Received::event_type).collect();
    let first_update = types.iter().position(|t| *t == "user.updated").unwrap();
    assert!(
        types[..first_update].iter().all(|t| *t == "user.created")
            && types[first_update..].iter().all(|t| *t == "user.updated"),
        "no update is even tried before the creation is delivered: {types:?}"
    );
    let names: Vec<&str> = received
        .iter()
        .filter(|r| r.delivered() && r.event_type() == "user.updated")
        .map(|r| r.claims()["data"]["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Cy 1", "Cy 2", "Cy 3"]);
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn dead_letters_do_not_block_and_can_be_redelivered() {
    let app = TestApp::spawn_with(|config| {
        config.events.allow_insecure_loopback = true;
        config.outbox.max_attempts = 2;
    })
    .await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour {
            always_fail: true,
            ..Behaviour::default()
        },
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;
    let user = app.create_user(&instance, "dee", None).await;
    wait_until(Duration::from_secs(15), "a dead letter", || async {
        deliveries(&app, &instance, json!({ "status": "DEAD" }))
            .await
            .len()
            == 1
    })
    .await;
    let dead = deliveries(&app, &instance, json!({ "status": "DEAD" }))
        .await
        .remove(0);
    assert_eq!(dead["attempts"], 2);
    assert_eq!(dead["log"].as_array().unwrap().len(), 2);
    assert!(
        dead["lastError"].as_str().unwrap().contains("500"),
        "{dead}"
    );

    receiver.set_behaviour(Behaviour::default());
    mutate(&app, "mutation($i: ID!, $u: ID!) { updateUser(input: {instanceId: $i, id: $u, displayName: \"Dee\"}) { user { id } } }", json!({ "i": instance, "u": user })).await;
    receiver
        .wait_for("the next event, not blocked by the dead one", |r| {
            r.iter()
                .any(|r| r.delivered() && r.event_type() == "user.updated")
        })
        .await;

    let redelivered = app
        .gql(
            "mutation($i: ID!, $d: ID!) { redeliver(input: {instanceId: $i, id: $d}) { delivery { status attempts } } }",
            json!({ "i": instance, "d": dead["id"] }),
        )
        .await;
    assert_eq!(redelivered["redeliver"]["delivery"]["status"], "PENDING");
    assert_eq!(redelivered["redeliver"]["delivery"]["attempts"], 0);
    receiver
        .wait_for("the redelivered event", |r| {
            r.iter()
                .any(|r| r.delivered() && r.event_type() == "user.created")
        })
        .await;
    let created: Vec<Received> = receiver
        .received()
        .into_iter()
        .filter(|r| r.event_type() == "user.created")
        .collect();
    assert!(
        created
            .iter()
            .all(|r| r.jti() == dead["eventId"].as_str().unwrap()),
        "redelivery keeps the event id"
    );

    let pending = app
        .gql_as(
            &app.token,
            "mutation($i: ID!, $d: ID!) { redeliver(input: {instanceId: $i, id: $d}) { delivery { status } } }",
            json!({ "i": instance, "d": "0190a5b2-7c3e-7d4e-9f00-1234567890ab" }),
        )
        .await;
    assert_eq!(error_code(&pending), "NOT_FOUND");
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn a_ping_tests_the_receiver_and_disabled_subscriptions_get_nothing() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour::default(),
    )
    .await;
    let subscription = subscribe(&app, &instance, &receiver.url).await;
    let ping = app
        .gql(
            "mutation($i: ID!, $s: ID!) { pingEventSubscription(input: {instanceId: $i, id: $s}) { delivery { id topic status } } }",
            json!({ "i": instance, "s": subscription }),
        )
        .await;
    assert_eq!(ping["pingEventSubscription"]["delivery"]["topic"], "ping");
    receiver
        .wait_for("the ping", |r| {
            r.iter().any(|r| r.delivered() && r.event_type() == "ping")
        })
        .await;
    assert_eq!(
        receiver.received()[0].claims()["data"]["subscriptionId"],
        subscription.as_str()
    );

    app.gql(
        "mutation($i: ID!, $s: ID!) { updateEventSubscription(input: {instanceId: $i, id: $s, enabled: false}) { eventSubscription { enabled } } }",
        json!({ "i": instance, "s": subscription }),
    )
    .await;
    app.create_user(&instance, "quiet", None).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "a disabled subscription gets no events"
    );
    let listed = app
        .gql(
            "query($i: ID!) { eventSubscriptions(instanceId: $i) { id enabled } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(listed["eventSubscriptions"][0]["enabled"], false);
    app.gql(
        "mutation($i: ID!, $s: ID!) { deleteEventSubscription(input: {instanceId: $i, id: $s}) { deletedId } }",
        json!({ "i": instance, "s": subscription }),
    )
    .await;
    assert!(
        deliveries(&app, &instance, json!({})).await.is_empty(),
        "its deliveries go with it"
    );
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn redirects_are_not_followed_and_answers_are_capped() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour {
            redirect: true,
            ..Behaviour::default()
        },
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;
    app.create_user(&instance, "eve", None).await;
    wait_until(Duration::from_secs(10), "a failed attempt", || async {
        deliveries(&app, &instance, json!({})).await[0]["log"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    })
    .await;
    let delivery = &deliveries(&app, &instance, json!({})).await[0];
    assert_eq!(delivery["log"][0]["statusCode"], 302);
    assert!(delivery["lastError"]
        .as_str()
        .unwrap()
        .contains("redirects are not followed"));
    receiver.set_behaviour(Behaviour {
        body_bytes: 10 * 1024 * 1024,
        ..Behaviour::default()
    });
    wait_until(Duration::from_secs(15), "delivered", || async {
        deliveries(&app, &instance, json!({ "status": "DELIVERED" }))
            .await
            .len()
            == 1
    })
    .await;
    let delivered = &deliveries(&app, &instance, json!({})).await[0];
    let log = delivered["log"].as_array().unwrap();
    let excerpt = log.last().unwrap()["responseExcerpt"].as_str().unwrap();
    assert!(
        excerpt.len() <= 1024 && excerpt.starts_with("xxx"),
        "{}",
        excerpt.len()
    );
    assert!(
        receiver.received().iter().all(|r| r.path == "/hook"),
        "never to the redirect target"
    );
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn receiver_urls_are_checked() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let query = "mutation($i: ID!, $u: String!) { createEventSubscription(input: {instanceId: $i, url: $u, eventTypes: [USER_CREATED]}) { eventSubscription { id url } } }";
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://sync.example.com/hook",
        "https://169.254.169.254/latest",
        "https://user:pw@sync.example.com/",
        "not a url",
        "https://sync.example.com/\u{0}",
    ] {
        let body = app
            .gql_as(&app.token, query, json!({ "i": instance, "u": url }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{url}: {body}");
        if !url.contains('\u{0}') {
            assert_eq!(body["errors"][0]["extensions"]["field"], "url", "{url}");
        }
    }
    let ok = app
        .gql_as(
            &app.token,
            query,
            json!({ "i": instance, "u": "https://sync.example.com/lanyard" }),
        )
        .await;
    assert_eq!(
        ok["data"]["createEventSubscription"]["eventSubscription"]["url"],
        "https://sync.example.com/lanyard"
    );
    let none = app
        .gql_as(&app.token, "mutation($i: ID!) { createEventSubscription(input: {instanceId: $i, url: \"https://a.example\", eventTypes: [PING]}) { eventSubscription { id } } }", json!({ "i": instance }))
        .await;
    assert_eq!(error_code(&none), "BAD_USER_INPUT");
    let auditor = app
        .token_with_roles(json!([{ "role": "AUDITOR", "instanceId": instance }]))
        .await;
    let denied = app
        .gql_as(
            &auditor,
            query,
            json!({ "i": instance, "u": "https://sync.example.com/x" }),
        )
        .await;
    assert_eq!(error_code(&denied), "FORBIDDEN");
    let read = app
        .gql_as(&auditor, "query($i: ID!) { eventSubscriptions(instanceId: $i) { url } deliveries(instanceId: $i) { totalCount } }", json!({ "i": instance }))
        .await;
    assert!(
        read.get("errors").is_none(),
        "auditors read subscriptions and deliveries: {read}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_jwks_lists_pending_keys_and_events_follow_a_rotation() {
    let app = TestApp::spawn_with(loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let jwks_url = format!("{}/i/{instance}/.well-known/jwks.json", app.base);
    let jwks: Value = app
        .http
        .get(&jwks_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
    let pending = app
        .gql("mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i, algorithm: ECDSA_P256}) { signingKey { id } } }", json!({ "i": instance }))
        .await["rotateSigningKey"]["signingKey"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks: Value = app
        .http
        .get(&jwks_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert!(
        kids.contains(&pending.as_str()),
        "a pending key is published before it signs"
    );
    app.gql("mutation($i: ID!, $k: ID!) { activateSigningKey(input: {instanceId: $i, id: $k}) { signingKey { id } } }", json!({ "i": instance, "k": pending })).await;

    let receiver = Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        Behaviour::default(),
    )
    .await;
    subscribe(&app, &instance, &receiver.url).await;
    app.create_user(&instance, "fox", None).await;
    receiver
        .wait_for("an ES256 event", |r| r.iter().any(Received::delivered))
        .await;
    assert!(receiver.received()[0].claims.is_ok());
    for path in [
        "/i/nope/.well-known/jwks.json",
        "/i/0190a5b2-7c3e-7d4e-9f00-1234567890ab/.well-known/jwks.json",
    ] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    receiver.stop();
    app.stop().await;
}

#[tokio::test]
async fn two_nodes_deliver_each_event_once() {
    if lanyard_tests::postgres_base().is_none() {
        eprintln!("several nodes share PostgreSQL only (SQLite is for one node): runs in the PostgreSQL suite");
        return;
    }
    let first = TestApp::spawn_with(loopback_allowed).await;
    let second = first.spawn_peer(loopback_allowed).await;
    let instance = first.create_instance("Acme").await;
    let receiver = Receiver::start(
        &first.base,
        "http://127.0.0.1",
        &instance,
        Behaviour {
            delay_ms: 20,
            ..Behaviour::default()
        },
    )
    .await;
    subscribe(&first, &instance, &receiver.url).await;
    for n in 0..30 {
        let node = if n % 2 == 0 { &first } else { &second };
        mutate(node, "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }", json!({ "i": instance, "n": format!("g{n}") })).await;
    }
    receiver
        .wait_for("30 events", |r| {
            r.iter().filter(|r| r.delivered()).count() >= 30
        })
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in receiver.received() {
        *seen.entry(r.jti().to_owned()).or_default() += 1;
    }
    assert_eq!(seen.len(), 30);
    assert!(
        seen.values().all(|n| *n == 1),
        "no event sent twice: {seen:?}"
    );
    receiver.stop();
    second.stop().await;
    first.stop().await;
}
