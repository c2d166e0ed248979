//! A third-party SCIM client — scim2-client over httpx2, validating every answer with
//! scim2-models against what the server publishes — provisions an instance through the real
//! HTTP routes (tests/interop/scim_client.py): discovery, users with the enterprise extension
//! created, read, filtered, paged, sorted, replaced, patched (deactivated too) and deleted, and a
//! group created, filtered, its members added and removed, renamed and deleted. What the script
//! left behind is then checked from Lanyard's side, over GraphQL, with the audit trail naming
//! the provisioning token as the actor.

use std::process::Command;

use lanyard_tests::TestApp;
use serde_json::{json, Value};

use crate::sso_interop::python;

/// A provisioning token of `instance`: the endpoint's base URL (on the test server's port)
/// and the secret.
async fn provisioning_token(app: &TestApp, instance: &str, name: &str) -> (String, String) {
    let created = app
        .gql(
            "mutation($i: ID!, $n: String!) { createProvisioningToken(input: {instanceId: $i, name: $n}) { secret scimBaseUrl } }",
            json!({ "i": instance, "n": name }),
        )
        .await;
    let created = &created["createProvisioningToken"];
    let url = created["scimBaseUrl"].as_str().unwrap();
    (
        url.replacen("http://127.0.0.1", &app.base, 1),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

/// Runs the script and returns its steps (one JSON object a line), once it succeeded.
async fn run_script(base_url: String, token: String) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/scim_client.py");
    // The script's requests come from another process: run it off the async executor.
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python())
            .args([script, &base_url, &token])
            .output()
            .expect("running the SCIM interop script")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "scim2-client: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr),
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("the script prints JSON lines"))
        .collect()
}

async fn user(app: &TestApp, instance: &str, id: &str) -> Value {
    app.gql(
        "query($i: ID!, $u: ID!) { instance(id: $i) { user(id: $u) { username displayName email externalId status groups { name } } } }",
        json!({ "i": instance, "u": id }),
    )
    .await["instance"]["user"]
        .clone()
}

async fn audited(app: &TestApp, instance: &str, action: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $a: String!) { auditEvents(instanceId: $i, filter: {action: $a}) { nodes { targetId actor { kind name } } } }",
        json!({ "i": instance, "a": action }),
    )
    .await["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn scim2_client_provisions_users_and_groups() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Interop").await;
    let (base_url, token) = provisioning_token(&app, &instance, "scim2-client").await;
    let steps = run_script(base_url, token).await;
    let done = steps.last().unwrap();
    assert_eq!(done["step"], "done", "{done}");
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    for wanted in [
        "discover",
        "create users",
        "read a user again, unchanged",
        "filter users",
        "page",
        "sort users",
        "replace a user",
        "patch a user",
        "patch a user without a path",
        "optional endpoints",
        "create a group",
        "patch group members",
        "replace a group",
        "delete a group",
        "delete a user",
    ] {
        assert!(names.contains(&wanted), "no step {wanted:?} in {names:?}");
    }

    // The users as the script left them.
    let ids = &done["users"];
    let ada = user(&app, &instance, ids["ada"].as_str().unwrap()).await;
    assert_eq!(ada["username"], "ada", "{ada}");
    assert_eq!(ada["displayName"], "Ada Lovelace");
    assert_eq!(ada["email"], "ada@interop.example", "the primary email");
    assert_eq!(ada["externalId"], "hr-1815");
    assert_eq!(ada["status"], "ACTIVE");
    assert_eq!(ada["groups"], json!([{ "name": "Engineering" }]));
    let grace = user(&app, &instance, ids["grace"].as_str().unwrap()).await;
    assert_eq!(grace["status"], "DISABLED", "deactivated by PATCH: {grace}");
    assert_eq!(grace["displayName"], "Rear Admiral Hopper");
    assert_eq!(grace["groups"], json!([]));
    let alan = user(&app, &instance, ids["alan"].as_str().unwrap()).await;
    assert_eq!(
        alan["displayName"], "Alan M. Turing",
        "replaced by PUT: {alan}"
    );
    assert_eq!(alan["groups"], json!([{ "name": "Engineering" }]));
    let barbara = user(&app, &instance, ids["barbara"].as_str().unwrap()).await;
    assert_eq!(barbara["status"], "ACTIVE", "{barbara}");
    assert_eq!(
        barbara["displayName"], "Barbara H. Liskov",
        "patched without a path"
    );
    let deleted = done["deleted_user"].as_str().unwrap();
    let gone = app
        .gql_as(
            &app.token,
            "query($i: ID!, $u: ID!) { instance(id: $i) { user(id: $u) { id } } }",
            json!({ "i": instance, "u": deleted }),
        )
        .await;
    assert!(gone["errors"].is_array(), "edsger was deleted: {gone}");

    // The groups.
    let groups = app
        .gql(
            "query($i: ID!) { instance(id: $i) { groups { nodes { id name members { nodes { username } } } } } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(
        groups["instance"]["groups"]["nodes"],
        json!([{
            "id": done["group"],
            "name": "Engineering",
            "members": { "nodes": [{ "username": "ada" }, { "username": "alan" }] },
        }]),
        "Temporary was deleted"
    );

    // Every change is audited with the token as the actor.
    let provisioning = json!({ "kind": "provisioning", "name": "scim2-client" });
    for (action, count) in [
        ("createUser", 5),
        ("updateUser", 4),
        ("setUserStatus", 1),
        ("deleteUser", 1),
        ("createGroup", 2),
        ("updateGroup", 1),
        ("changeGroupMembers", 3),
        ("deleteGroup", 1),
    ] {
        let events = audited(&app, &instance, action).await;
        assert_eq!(events.len(), count, "{action}: {events:?}");
        assert!(
            events.iter().all(|e| e["actor"] == provisioning),
            "{action}: {events:?}"
        );
    }
    let disabled = audited(&app, &instance, "setUserStatus").await;
    assert_eq!(disabled[0]["targetId"], ids["grace"]);
    let removed = audited(&app, &instance, "deleteUser").await;
    assert_eq!(removed[0]["targetId"], deleted);
    app.stop().await;
}
