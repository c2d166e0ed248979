//! Admin access: roles decided by Cedar, tokens that expire and can be revoked, console
//! sessions, and the audit log of every mutation.

use lanyard_tests::{error_code, TestApp, BOOTSTRAP_PASSWORD};
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

const CREATE_USER: &str = "mutation($i: ID!, $u: String!) { createUser(input: {instanceId: $i, username: $u}) { user { id } } }";
const LIST_USERS: &str =
    "query($i: ID!) { instance(id: $i) { users { totalCount edges { node { username } } } } }";

#[tokio::test]
async fn an_auditor_reads_but_cannot_mutate() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    app.create_user(&instance, "alice", None).await;
    let auditor = app.token_with_roles(json!([{ "role": "AUDITOR" }])).await;

    let read = app
        .gql_as(&auditor, LIST_USERS, json!({ "i": instance }))
        .await;
    assert_eq!(read["data"]["instance"]["users"]["totalCount"], 1, "{read}");

    let write = app
        .gql_as(
            &auditor,
            CREATE_USER,
            json!({ "i": instance, "u": "mallory" }),
        )
        .await;
    assert_eq!(error_code(&write), "FORBIDDEN");
    let create = app
        .gql_as(
            &auditor,
            "mutation { createInstance(input: {name: \"x\"}) { instance { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&create), "FORBIDDEN");
    let token = app.gql_as(&auditor, "mutation { createApiToken(input: {name: \"x\", roles: [{role: SUPER_ADMIN}]}) { secret } }", json!({})).await;
    assert_eq!(error_code(&token), "FORBIDDEN");
    assert!(token["data"].is_null(), "no secret leaks: {token}");

    let after = app.gql(LIST_USERS, json!({ "i": instance })).await;
    assert_eq!(
        after["instance"]["users"]["totalCount"], 1,
        "nothing was written"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_instance_admin_gets_nothing_of_another_instance() {
    let app = TestApp::spawn().await;
    let a = app.create_instance("A").await;
    let b = app.create_instance("B").await;
    app.gql(CREATE_USER, json!({ "i": b, "u": "secret-user" }))
        .await;
    let admin_a = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": a }]))
        .await;

    let own = app
        .gql_as(&admin_a, CREATE_USER, json!({ "i": a, "u": "alice" }))
        .await;
    assert!(own.get("errors").is_none(), "{own}");

    for (query, vars) in [
        (LIST_USERS, json!({ "i": b })),
        (CREATE_USER, json!({ "i": b, "u": "intruder" })),
        (
            "query($i: ID!) { auditEvents(instanceId: $i) { totalCount } }",
            json!({ "i": b }),
        ),
        (
            "mutation($i: ID!) { deleteInstance(input: {id: $i}) { deletedId } }",
            json!({ "i": b }),
        ),
        (
            "mutation($i: ID!) { deleteInstance(input: {id: $i}) { deletedId } }",
            json!({ "i": a }),
        ),
    ] {
        let body = app.gql_as(&admin_a, query, vars).await;
        let code = error_code(&body);
        assert!(
            code == "FORBIDDEN" || code == "NOT_FOUND",
            "{query}: {body}"
        );
        assert!(
            !body.to_string().contains("secret-user"),
            "no data of B: {body}"
        );
    }
    let listed = app
        .gql_as(
            &admin_a,
            "{ instances { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["data"]["instances"]["totalCount"], 1, "{listed}");
    assert_eq!(listed["data"]["instances"]["edges"][0]["node"]["id"], a);
    app.stop().await;
}

#[tokio::test]
async fn revoked_expired_forged_and_missing_tokens_are_unauthenticated() {
    let app = TestApp::spawn().await;
    let viewer = "{ viewer { name } }";
    let anonymous = app
        .http
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": viewer }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");

    let created = app
        .gql("mutation { createApiToken(input: {name: \"ci\", roles: [{role: SUPER_ADMIN}]}) { secret token { id state } } }", json!({}))
        .await;
    let secret = created["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = created["createApiToken"]["token"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(created["createApiToken"]["token"]["state"], "ACTIVE");
    assert!(app
        .gql_as(&secret, viewer, json!({}))
        .await
        .get("errors")
        .is_none());

    let listed = app
        .gql(
            "{ apiTokens { edges { node { name lastUsedAt } } } }",
            json!({}),
        )
        .await;
    let ci = listed["apiTokens"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["name"] == "ci")
        .unwrap();
    assert!(
        ci["node"]["lastUsedAt"].is_string(),
        "last use is recorded: {listed}"
    );
    assert!(
        !listed.to_string().contains(&secret),
        "listing never shows the secret"
    );

    app.gql(
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { token { state } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(
        error_code(&app.gql_as(&secret, viewer, json!({})).await),
        "UNAUTHENTICATED"
    );

    // An expired token: time passes (moved in the database) and the token stops working.
    let other = app
        .token_with_roles(json!([{ "role": "SUPER_ADMIN" }]))
        .await;
    assert!(app
        .gql_as(&other, viewer, json!({}))
        .await
        .get("errors")
        .is_none());
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared(
        "UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00+00:00' WHERE name = 'scoped'",
    )
    .await
    .unwrap();
    assert_eq!(
        error_code(&app.gql_as(&other, viewer, json!({})).await),
        "UNAUTHENTICATED"
    );

    // Another signature: one character in the middle of it changed.
    let cut = app.token.rfind('.').unwrap() + 10;
    let mut forged = app.token.clone();
    let replacement = if &forged[cut..cut + 1] == "A" {
        "B"
    } else {
        "A"
    };
    forged.replace_range(cut..cut + 1, replacement);
    assert_eq!(
        error_code(&app.gql_as(&forged, viewer, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.gql_as("not-a-jwt", viewer, json!({})).await),
        "UNAUTHENTICATED"
    );
    app.stop().await;
}

#[tokio::test]
async fn console_sessions_use_strict_http_only_cookies_and_end_on_sign_out() {
    let app = TestApp::spawn().await;
    let wrong = app
        .http
        .post(format!("{}/auth/admin/login", app.base))
        .json(&json!({ "username": "admin", "password": "wrong-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let not_json = app
        .http
        .post(format!("{}/auth/admin/login", app.base))
        .header("content-type", "text/plain")
        .body("username=admin")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);

    let response = app
        .http
        .post(format!("{}/auth/admin/login", app.base))
        .json(&json!({ "username": "admin", "password": BOOTSTRAP_PASSWORD }))
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP in tests: {set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let me = app
        .gql_with_cookie(&cookie, "{ viewer { name kind superAdmin } }", json!({}))
        .await;
    assert_eq!(me["data"]["viewer"]["name"], "admin");
    assert_eq!(me["data"]["viewer"]["superAdmin"], true);

    let out = app
        .http
        .post(format!("{}/auth/admin/logout", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let after = app
        .gql_with_cookie(&cookie, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
    app.stop().await;

    let tls = TestApp::spawn_with(|c| c.public_url = "https://id.example.com".into()).await;
    let response = tls
        .http
        .post(format!("{}/auth/admin/login", tls.base))
        .json(&json!({ "username": "admin", "password": BOOTSTRAP_PASSWORD }))
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
    // Behind https the cookie is `__Host-`: no subdomain or plain-http page can plant it.
    assert!(
        set_cookie.starts_with("__Host-lanyard_admin="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Path=/;"), "{set_cookie}");
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let me = tls
        .gql_with_cookie(&cookie, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(me["data"]["viewer"]["name"], "admin");
    let unprefixed = cookie.trim_start_matches("__Host-");
    let planted = tls
        .gql_with_cookie(unprefixed, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(error_code(&planted), "UNAUTHENTICATED");
    tls.stop().await;
}

#[tokio::test]
async fn instance_admins_sign_in_to_the_console_with_their_roles() {
    let app = TestApp::spawn().await;
    let a = app.create_instance("A").await;
    let created = app
        .gql(
            "mutation($i: ID!) { createAdmin(input: {username: \"it-a\", password: \"long-password-a\", roles: [{role: INSTANCE_ADMIN, instanceId: $i}]}) { admin { id roles { role instanceId } } } }",
            json!({ "i": a }),
        )
        .await;
    assert_eq!(
        created["createAdmin"]["admin"]["roles"][0]["role"],
        "INSTANCE_ADMIN"
    );
    let cookie = app.sign_in("it-a", "long-password-a").await;
    let ok = app
        .gql_with_cookie(&cookie, CREATE_USER, json!({ "i": a, "u": "bob" }))
        .await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let denied = app
        .gql_with_cookie(&cookie, "{ admins { username } }", json!({}))
        .await;
    assert_eq!(error_code(&denied), "FORBIDDEN");

    let dup = app
        .gql_as(&app.token, "mutation { createAdmin(input: {username: \"it-a\", password: \"long-password-a\", roles: []}) { admin { id } } }", json!({}))
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    let last = app.gql("{ admins { id username } }", json!({})).await;
    let root = last["admins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "admin")
        .unwrap()["id"]
        .clone();
    let demote = app
        .gql_as(
            &app.token,
            "mutation($id: ID!) { setAdminRoles(input: {id: $id, roles: []}) { admin { id } } }",
            json!({ "id": root }),
        )
        .await;
    assert_eq!(
        error_code(&demote),
        "CONFLICT",
        "the last super admin keeps the role"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_mutation_is_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Audited").await;
    let user = app.create_user(&instance, "carol", None).await;
    app.gql(
        "mutation($i: ID!, $u: ID!) { setUserStatus(input: {instanceId: $i, id: $u, status: DISABLED}) { user { status } } }",
        json!({ "i": instance, "u": user }),
    )
    .await;
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i) { totalCount edges { node { action targetId actor { kind name } summary } } } }",
            json!({ "i": instance }),
        )
        .await;
    let edges = events["auditEvents"]["edges"].as_array().unwrap();
    let actions: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["setUserStatus", "createUser"], "newest first");
    assert_eq!(edges[0]["node"]["targetId"], user);
    assert_eq!(edges[0]["node"]["actor"]["kind"], "token");
    assert_eq!(edges[0]["node"]["summary"]["status"]["to"], "disabled");

    let platform = app
        .gql("{ auditEvents(filter: {action: \"createInstance\"}) { edges { node { targetId actor { name } } } } }", json!({}))
        .await;
    assert_eq!(
        platform["auditEvents"]["edges"][0]["node"]["targetId"],
        instance
    );
    app.stop().await;
}
