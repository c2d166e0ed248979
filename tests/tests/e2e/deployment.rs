//! Lanyard as a deployment runs it: behind a load balancer whose forwarding headers are
//! believed only from the proxies the operator names, and with sessions that end when what
//! they were opened with no longer holds.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use lanyard::config::{ForwardedHeader, TrustedProxies};
use lanyard_tests::saml::{
    authn_request, browser, follow, location, portal_username, posted_form, redirect_query,
    sign_in, tenant, ACS, AUDIENCE, PASSWORD,
};
use lanyard_tests::TestApp;
use sea_orm::{Database, EntityTrait};
use serde_json::{json, Value};

/// A browser behind the balancer: every request arrives from the balancer (the test runs on
/// loopback) with the hops the balancer would have written, the client's own claim first.
fn behind_balancer(client: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        format!("6.6.6.6, {client}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn session_addresses(app: &TestApp, instance: &str, user: &str) -> Vec<Value> {
    let data = app
        .gql(
            "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { clientIp } }",
            json!({ "i": instance, "u": user }),
        )
        .await;
    data["userSessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["clientIp"].clone())
        .collect()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_and_recorded_by_its_own_address() {
    let app = TestApp::spawn_with(|config| {
        config.trusted_proxies = TrustedProxies::parse(&["127.0.0.0/8", "::1"]).unwrap();
        config.sign_in.max_failures_per_address = 3;
    })
    .await;
    let t = tenant(&app).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);

    // One client guesses passwords of several accounts until its address is refused…
    let guesser = behind_balancer("203.0.113.66");
    for attempt in 1..=3 {
        let guess = sign_in(
            &app.base,
            &guesser,
            &login,
            &format!("user{attempt}"),
            "guess",
        )
        .await;
        let expected = if attempt < 3 { 401 } else { 429 };
        assert_eq!(guess.status(), expected, "attempt {attempt}");
    }
    let refused = sign_in(&app.base, &guesser, &login, "alice", PASSWORD).await;
    assert_eq!(refused.status(), 429, "the guessing address stays refused");

    // …while a colleague behind the same balancer signs in, recorded with her own address.
    let colleague = behind_balancer("198.51.100.7");
    let signed_in = sign_in(&app.base, &colleague, &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        session_addresses(&app, &t.instance, &t.alice).await,
        [json!("198.51.100.7")]
    );
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"signIn\"}) { nodes { clientIp } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        audit["auditEvents"]["nodes"],
        json!([{ "clientIp": "198.51.100.7" }])
    );

    // A malformed hop that the balancer wrote is refused, not guessed at.
    let broken = app
        .http
        .get(&login)
        .header("x-forwarded-for", "203.0.113.5, not-an-address")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let body: Value = broken.json().await.unwrap();
    assert_eq!(body["error"], "BAD_USER_INPUT");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("X-Forwarded-For"),
        "{body}"
    );
    // The header the balancer does not set is not read: a client could have written it.
    let forwarded_only = app
        .http
        .get(&login)
        .header("forwarded", "for=not-an-address")
        .send()
        .await
        .unwrap();
    assert_eq!(forwarded_only.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn without_trusted_proxies_forwarding_headers_change_nothing() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let spoofing = behind_balancer("198.51.100.7");
    let signed_in = sign_in(&app.base, &spoofing, &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        session_addresses(&app, &t.instance, &t.alice).await,
        [json!("127.0.0.1")]
    );
    let garbage = app
        .http
        .get(&login)
        .header("x-forwarded-for", "garbage, 1.2.3")
        .header("forwarded", "for=\"[::1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        garbage.status(),
        200,
        "headers of an untrusted peer are ignored"
    );
    app.stop().await;
}

#[tokio::test]
async fn rfc_7239_forwarded_is_read_when_the_balancer_sets_it() {
    let app = TestApp::spawn_with(|config| {
        config.trusted_proxies = TrustedProxies::parse(&["127.0.0.1"]).unwrap();
        config.forwarded_header = ForwardedHeader::Forwarded;
    })
    .await;
    let t = tenant(&app).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "forwarded",
        "for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https"
            .parse()
            .unwrap(),
    );
    headers.insert("x-forwarded-for", "6.6.6.6".parse().unwrap());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    assert_eq!(
        sign_in(&app.base, &client, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        session_addresses(&app, &t.instance, &t.alice).await,
        [json!("2001:db8::7")]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_password_or_a_disable_ends_the_sessions_and_reactivating_does_not_revive_them() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let signed_in = |password: &'static str| {
        let app = &app;
        let login = login.clone();
        async move {
            let session = browser();
            let response = sign_in(&app.base, &session, &login, "alice", password).await;
            assert_eq!(response.status(), 303);
            session
        }
    };
    let set_password = "mutation($i: ID!, $u: ID!, $p: String!) { setUserPassword(input: {instanceId: $i, id: $u, password: $p}) { user { id } } }";
    let set_status = "mutation($i: ID!, $u: ID!, $s: UserStatus!) { setUserStatus(input: {instanceId: $i, id: $u, status: $s}) { user { status } } }";

    // An admin sets a new password: the sessions opened with the old one end.
    let (first, second) = (signed_in(PASSWORD).await, signed_in(PASSWORD).await);
    let bob = browser();
    assert_eq!(
        sign_in(&app.base, &bob, &login, "bob", PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        portal_username(&app.base, &first, &t.instance).await,
        json!("alice")
    );
    app.gql(
        set_password,
        json!({ "i": t.instance, "u": t.alice, "p": "a brand new secret" }),
    )
    .await;
    assert_eq!(
        portal_username(&app.base, &first, &t.instance).await,
        Value::Null
    );
    assert_eq!(
        portal_username(&app.base, &second, &t.instance).await,
        Value::Null
    );
    assert_eq!(
        portal_username(&app.base, &bob, &t.instance).await,
        json!("bob"),
        "other users keep theirs"
    );

    // Disabled: her sessions end, and enabling her again does not bring them back.
    let third = signed_in("a brand new secret").await;
    app.gql(
        set_status,
        json!({ "i": t.instance, "u": t.alice, "s": "DISABLED" }),
    )
    .await;
    app.gql(
        set_status,
        json!({ "i": t.instance, "u": t.alice, "s": "ACTIVE" }),
    )
    .await;
    assert_eq!(
        portal_username(&app.base, &third, &t.instance).await,
        Value::Null
    );
    assert!(session_addresses(&app, &t.instance, &t.alice)
        .await
        .is_empty());

    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"setUserPassword\"}) { nodes { summary } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        audit["auditEvents"]["nodes"][0]["summary"]["sessionsEnded"],
        2
    );

    // Deleted: her session goes with her.
    let fourth = signed_in("a brand new secret").await;
    assert_eq!(
        portal_username(&app.base, &fourth, &t.instance).await,
        json!("alice")
    );
    app.gql(
        "mutation($i: ID!, $u: ID!) { deleteUser(input: {instanceId: $i, id: $u}) { __typename } }",
        json!({ "i": t.instance, "u": t.alice }),
    )
    .await;
    assert_eq!(
        portal_username(&app.base, &fourth, &t.instance).await,
        Value::Null
    );
    app.stop().await;
}

async fn stored_requests(app: &TestApp) -> usize {
    let db = Database::connect(&app.database_url).await.unwrap();
    let rows = entity::saml_request::Entity::find().all(&db).await.unwrap();
    db.close().await.ok();
    rows.len()
}

/// Anonymous AuthnRequests cost no row: the request waits sealed in the browser's URL. The row
/// written when a request is answered refuses a replay on another node, and a second tab that
/// comes back with the same sealed request.
#[tokio::test]
async fn anonymous_requests_store_nothing_and_each_is_answered_once_on_any_node() {
    let app = TestApp::spawn().await;
    let peer = app.spawn_peer(|_| {}).await;
    let t = tenant(&app).await;
    let sso = |base: &str| format!("{base}/saml/apps/{}/sso", t.app);

    // 200 anonymous requests by either binding: each is sent to sign in, nothing is stored.
    let anonymous = browser();
    for n in 0..200 {
        let id = format!("_anonymous-{n}");
        let response = if n % 2 == 0 {
            anonymous
                .get(format!("{}?{}", sso(&app.base), redirect_query(&id, None)))
                .send()
                .await
                .unwrap()
        } else {
            let xml = authn_request(&id, AUDIENCE, ACS, Utc::now());
            anonymous
                .post(sso(&app.base))
                .form(&[("SAMLRequest", STANDARD.encode(xml))])
                .send()
                .await
                .unwrap()
        };
        assert_eq!(response.status(), 303, "{id}");
    }
    assert_eq!(stored_requests(&app).await, 0);

    // A POST without the session cookie goes to the request's own URL first, then to sign in;
    // signing in answers it.
    let xml = authn_request("_posted", AUDIENCE, ACS, Utc::now());
    let employee = browser();
    let posted = employee
        .post(sso(&app.base))
        .form(&[("SAMLRequest", STANDARD.encode(&xml))])
        .send()
        .await
        .unwrap();
    let resume = location(&posted);
    assert!(
        resume.starts_with("http://127.0.0.1/saml/requests/"),
        "{resume}"
    );
    let to_sign_in = employee
        .get(resume.replacen("http://127.0.0.1", &app.base, 1))
        .send()
        .await
        .unwrap();
    let login = location(&to_sign_in).replacen("http://127.0.0.1", &app.base, 1);
    assert!(login.contains("/login?continue=request:"), "{login}");
    let signed_in = sign_in(&app.base, &employee, &login, "alice", PASSWORD).await;
    let sealed_url = location(&signed_in);
    let answered = follow(&app, &employee, signed_in).await;
    let form = posted_form(answered).await;
    assert!(
        form.xml.contains("InResponseTo=\"_posted\""),
        "{}",
        form.xml
    );
    assert_eq!(stored_requests(&app).await, 1);

    // The same sealed request again, from another tab or through the other node: answered
    // already.
    for base in [&app.base, &peer.base] {
        let again = employee
            .get(sealed_url.replacen("http://127.0.0.1", base, 1))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409, "{base}");
        assert!(again.text().await.unwrap().contains("already answered"));
    }
    // The request itself replayed to the other node: refused at once.
    let replayed = employee
        .post(sso(&peer.base))
        .form(&[("SAMLRequest", STANDARD.encode(&xml))])
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), 409);
    assert!(replayed
        .text()
        .await
        .unwrap()
        .contains("was already received"));

    // A seal that was tampered with, or made for another purpose, opens nowhere.
    let token = sealed_url.rsplit('/').next().unwrap().to_owned();
    let mut forged = token.clone().into_bytes();
    let middle = forged.len() / 2;
    forged[middle] = if forged[middle] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    for bad in [forged.as_str(), "a.b.c", &"x".repeat(3000)] {
        let response = employee
            .get(format!("{}/saml/requests/{bad}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        assert!(response.headers().get("location").is_none());
    }
    peer.stop().await;
    app.stop().await;
}

/// `lanyard bench` against a running server, both ways: every SSO answered, figures printed.
#[tokio::test]
async fn the_load_tool_drives_sso_through_a_deployment_url() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let bench = |extra: &[&str]| {
        let mut command = std::process::Command::new(lanyard_tests::lanyard_binary());
        command
            .args(["bench", "--url", &app.base, "--instance", &t.instance])
            .args(["--application", &t.app, "--username", "alice"])
            .args(["--concurrency", "2", "--seconds", "2", "--json"])
            .args(extra)
            .env("LANYARD_BENCH_PASSWORD", PASSWORD);
        command
    };
    for extra in [
        vec![],
        vec![
            "--sp-entity-id",
            AUDIENCE,
            "--public-url",
            "http://127.0.0.1",
        ],
    ] {
        let output = tokio::task::spawn_blocking({
            let mut command = bench(&extra);
            move || command.output().unwrap()
        })
        .await
        .unwrap();
        assert!(output.status.success(), "{extra:?}: {output:?}");
        let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(summary["answered"].as_u64().unwrap() > 10, "{summary}");
        assert_eq!(summary["failures"], json!({}), "{summary}");
        let (p50, p99) = (
            summary["p50_ms"].as_f64().unwrap(),
            summary["p99_ms"].as_f64().unwrap(),
        );
        assert!(0.0 < p50 && p50 <= p99, "{summary}");
    }
    // The SP-initiated requests were answered, each once, and recorded.
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}, first: 1) { totalCount } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert!(
        audit["auditEvents"]["totalCount"].as_u64().unwrap() > 20,
        "{audit}"
    );

    // A wrong password stops it before any load, saying why.
    let mut wrong = bench(&[]);
    wrong.env("LANYARD_BENCH_PASSWORD", "not the password");
    let output = tokio::task::spawn_blocking(move || wrong.output().unwrap())
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("check the username and password"),
        "{stderr}"
    );
    app.stop().await;
}

/// A new admin password signs that admin out of every console session at once, on every node;
/// the old password no longer signs in, and a weak one is refused at its field.
#[tokio::test]
async fn an_admin_password_change_ends_that_admins_console_sessions_everywhere() {
    let app = TestApp::spawn().await;
    let peer = app.spawn_peer(|_| {}).await;
    let created = app
        .gql(
            "mutation { createAdmin(input: {username: \"ops\", password: \"ops-first-password\", roles: [{role: SUPER_ADMIN}]}) { admin { id } } }",
            json!({}),
        )
        .await;
    let ops = created["createAdmin"]["admin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let laptop = app.sign_in("ops", "ops-first-password").await;
    let phone = peer.sign_in("ops", "ops-first-password").await;
    let own = app
        .sign_in("admin", lanyard_tests::BOOTSTRAP_PASSWORD)
        .await;
    for (client, cookie) in [(&app, &laptop), (&peer, &phone), (&peer, &laptop)] {
        assert_eq!(
            viewer(client, cookie).await["data"]["viewer"]["name"],
            "ops"
        );
    }

    let weak = app
        .gql_as(
            &app.token,
            "mutation($id: ID!) { setAdminPassword(input: {id: $id, password: \"short\"}) { sessionsEnded } }",
            json!({ "id": ops }),
        )
        .await;
    assert_eq!(lanyard_tests::error_code(&weak), "BAD_USER_INPUT", "{weak}");
    assert_eq!(viewer(&app, &laptop).await["data"]["viewer"]["name"], "ops");

    let changed = app
        .gql_with_cookie(
            &own,
            "mutation($id: ID!) { setAdminPassword(input: {id: $id, password: \"ops-second-password\"}) { admin { username } sessionsEnded } }",
            json!({ "id": ops }),
        )
        .await;
    assert_eq!(
        changed["data"]["setAdminPassword"]["sessionsEnded"], 2,
        "{changed}"
    );
    for (client, cookie) in [(&app, &laptop), (&peer, &phone), (&peer, &laptop)] {
        assert_eq!(
            lanyard_tests::error_code(&viewer(client, cookie).await),
            "UNAUTHENTICATED"
        );
    }
    // The admin who changed it keeps their own session.
    assert_eq!(viewer(&app, &own).await["data"]["viewer"]["name"], "admin");
    let old = app
        .http
        .post(format!("{}/auth/admin/login", app.base))
        .json(&json!({ "username": "ops", "password": "ops-first-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let again = app.sign_in("ops", "ops-second-password").await;
    assert_eq!(viewer(&peer, &again).await["data"]["viewer"]["name"], "ops");

    let audit = app
        .gql(
            "{ auditEvents(filter: {action: \"setAdminPassword\"}) { nodes { summary targetId } } }",
            json!({}),
        )
        .await;
    let event = &audit["auditEvents"]["nodes"][0];
    assert_eq!(event["summary"]["sessionsEnded"], 2);
    assert_eq!(event["targetId"], ops.as_str());
    assert!(!event.to_string().contains("second-password"));
    peer.stop().await;
    app.stop().await;
}

async fn viewer(client: &TestApp, cookie: &str) -> Value {
    client
        .gql_with_cookie(cookie, "{ viewer { name } }", json!({}))
        .await
}
