//! Employee sign-in, IdP sessions, the portal, and SAML SSO both ways for an Alibaba Cloud
//! user-based SSO application, checked as the service provider checks it: the Response's
//! signature against the certificate of the downloaded metadata, audience, recipient,
//! InResponseTo and the NameID `alice@<account id>.onaliyun.com`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use std::time::{Duration, Instant};

use lanyard_tests::saml::{
    assert_denied_without_assertion, authn_request, browser, check_response, follow, location,
    metadata_certificate, posted_form, redirect_query, set_scope, sign_in, tenant, ACCOUNT_ID, ACS,
    AUDIENCE, PASSWORD,
};
use lanyard_tests::{error_code, TestApp, TwoProcesses};
use serde_json::{json, Value};

#[tokio::test]
async fn idp_initiated_sso_into_alibaba_cloud_from_the_portal() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let certificate = metadata_certificate(&app, &t.app).await;
    let browser = browser();

    // Without a session the portal tile leads to the sign-in page and back.
    let start = browser
        .get(format!("{}/saml/apps/{}/start", app.base, t.app))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let login = location(&start).replacen("http://127.0.0.1", &app.base, 1);
    assert!(login.ends_with(&format!("/sso/{}/login?continue=app:{}", t.instance, t.app)));
    let signed_in = sign_in(&app.base, &browser, &login, "alice", PASSWORD).await;
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("lanyard_sso_"))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let form = posted_form(follow(&app, &browser, signed_in).await).await;
    assert_eq!(form.action, ACS);
    assert_eq!(
        form.relay_state.as_deref(),
        Some("https://home.console.aliyun.com")
    );
    let name_id = check_response(&form.xml, &certificate, &t.app, None);
    assert_eq!(name_id, format!("alice@{ACCOUNT_ID}.onaliyun.com"));

    // The portal lists the application; the session is reused without a new sign-in.
    let portal = browser
        .get(format!("{}/sso/{}/portal", app.base, t.instance))
        .send()
        .await
        .unwrap();
    assert_eq!(portal.status(), 200);
    let html = portal.text().await.unwrap();
    assert!(
        html.contains(&format!("/saml/apps/{}/start", t.app)),
        "{html}"
    );
    assert!(html.contains("Alibaba Cloud"));
    let again = browser
        .get(format!("{}/saml/apps/{}/start", app.base, t.app))
        .send()
        .await
        .unwrap();
    let form = posted_form(again).await;
    check_response(&form.xml, &certificate, &t.app, None);

    // The decision is audited with what determined it.
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { totalCount edges { node { outcome actor { name } summary } } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 2, "{audit}");
    let event = &audit["auditEvents"]["edges"][0]["node"];
    assert_eq!(event["outcome"], "allow");
    assert_eq!(event["actor"]["name"], "alice");
    assert!(event["summary"]["determiningPolicies"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
    app.stop().await;
}

#[tokio::test]
async fn sp_initiated_sso_signs_in_first_and_answers_the_request() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let certificate = metadata_certificate(&app, &t.app).await;
    let browser = browser();
    let sso = format!("{}/saml/apps/{}/sso", app.base, t.app);

    let first = browser
        .get(format!(
            "{sso}?{}",
            redirect_query("_req-1", Some("https://home.console.aliyun.com/x"))
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let login = location(&first);
    assert!(login.contains("/login?continue=request:"), "{login}");
    let signed_in = sign_in(
        &app.base,
        &browser,
        &login.replacen("http://127.0.0.1", &app.base, 1),
        "alice",
        PASSWORD,
    )
    .await;
    let form = posted_form(follow(&app, &browser, signed_in).await).await;
    assert_eq!(form.action, ACS);
    assert_eq!(
        form.relay_state.as_deref(),
        Some("https://home.console.aliyun.com/x"),
        "RelayState comes back unchanged"
    );
    let name_id = check_response(&form.xml, &certificate, &t.app, Some("_req-1"));
    assert_eq!(name_id, format!("alice@{ACCOUNT_ID}.onaliyun.com"));
    assert!(form.xml.contains("InResponseTo=\"_req-1\""));

    // Signed in already: the next request is answered at once, by HTTP-POST too.
    let xml = authn_request("_req-2", AUDIENCE, ACS, Utc::now());
    let posted = browser
        .post(&sso)
        .form(&[("SAMLRequest", STANDARD.encode(&xml))])
        .send()
        .await
        .unwrap();
    let form = posted_form(posted).await;
    assert_eq!(form.relay_state, None);
    check_response(&form.xml, &certificate, &t.app, Some("_req-2"));

    // The way back to an answered request is closed.
    let again = follow(
        &app,
        &browser,
        sign_in(
            &app.base,
            &browser,
            &login.replacen("http://127.0.0.1", &app.base, 1),
            "alice",
            PASSWORD,
        )
        .await,
    )
    .await;
    assert_eq!(again.status(), 409);
    let page = again.text().await.unwrap();
    assert!(page.contains("already answered"), "{page}");
    assert!(!page.contains("SAMLResponse"));
    app.stop().await;
}

#[tokio::test]
async fn a_user_without_the_application_account_gets_no_assertion_by_any_route() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    app.gql(
        "mutation($id: ID!) { configureApplicationSso(input: {id: $id, accountMode: APP_ACCOUNT}) { application { id } } }",
        json!({ "id": t.app }),
    )
    .await;
    app.gql(
        "mutation($a: ID!, $u: ID!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: \"alice.wong\"}) { account { accountName } } }",
        json!({ "a": t.app, "u": t.alice }),
    )
    .await;

    // bob: IdP-initiated and SP-initiated both end on the denial page.
    let bob = browser();
    let login = format!(
        "{}/sso/{}/login?continue=app:{}",
        app.base, t.instance, t.app
    );
    let denied = follow(
        &app,
        &bob,
        sign_in(&app.base, &bob, &login, "bob", PASSWORD).await,
    )
    .await;
    assert_eq!(denied.status(), 403);
    let page = denied.text().await.unwrap();
    assert!(!page.contains("SAMLResponse"), "{page}");
    assert!(
        page.contains("You do not have access to Alibaba Cloud"),
        "{page}"
    );
    let reference = regex::Regex::new("<strong>([0-9a-f-]{36})</strong>")
        .unwrap()
        .captures(&page)
        .expect("a reference")[1]
        .to_owned();
    let sp = bob
        .get(format!(
            "{}/saml/apps/{}/sso?{}",
            app.base,
            t.app,
            redirect_query("_bob-1", None)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(sp.status(), 403);
    assert_denied_without_assertion(&sp.text().await.unwrap());
    // The portal does not list it for bob.
    let portal = bob
        .get(format!("{}/sso/{}/portal", app.base, t.instance))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!portal.contains(&t.app), "{portal}");

    // The reference is the audit event of the denial.
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { edges { node { id outcome actor { name } summary } } } }",
            json!({ "i": t.instance }),
        )
        .await;
    let events = audit["auditEvents"]["edges"].as_array().unwrap();
    let event = events
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["id"] == reference)
        .unwrap_or_else(|| panic!("{reference} in {audit}"));
    assert_eq!(event["outcome"], "deny");
    assert_eq!(event["actor"]["name"], "bob");
    assert!(
        event["summary"]["diagnostics"]
            .to_string()
            .contains("no application account"),
        "{event}"
    );

    // alice gets her mapped account.
    let alice = browser();
    let form = posted_form(
        follow(
            &app,
            &alice,
            sign_in(&app.base, &alice, &login, "alice", PASSWORD).await,
        )
        .await,
    )
    .await;
    let certificate = metadata_certificate(&app, &t.app).await;
    assert_eq!(
        check_response(&form.xml, &certificate, &t.app, None),
        format!("alice.wong@{ACCOUNT_ID}.onaliyun.com")
    );

    // A disabled user cannot sign in at all; a disabled application refuses everyone.
    app.gql(
        "mutation($i: ID!, $id: ID!) { setUserStatus(input: {instanceId: $i, id: $id, status: DISABLED}) { user { id } } }",
        json!({ "i": t.instance, "id": t.bob }),
    )
    .await;
    let disabled = sign_in(&app.base, &browser(), &login, "bob", PASSWORD).await;
    assert_eq!(disabled.status(), 401);
    app.gql(
        "mutation($id: ID!) { updateApplication(input: {id: $id, enabled: false}) { application { id } } }",
        json!({ "id": t.app }),
    )
    .await;
    let off = alice
        .get(format!("{}/saml/apps/{}/start", app.base, t.app))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 403);
    assert!(!off.text().await.unwrap().contains("SAMLResponse"));
    app.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_lock_the_account_for_a_while_and_admins_see_and_revoke_sessions() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let browser = browser();
    for attempt in 1..=5 {
        let wrong = sign_in(&app.base, &browser, &login, "alice", "wrong password").await;
        let expected = if attempt < 5 { 401 } else { 429 };
        assert_eq!(wrong.status(), expected, "attempt {attempt}");
        let page = wrong.text().await.unwrap();
        if attempt < 5 {
            assert!(page.contains("The username or password is not correct."));
        } else {
            assert!(
                page.contains("This account is locked after too many failed sign-ins"),
                "{page}"
            );
        }
    }
    // Locked: even the right password is refused, with the same clear message.
    let locked = sign_in(&app.base, &browser, &login, "alice", PASSWORD).await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    assert!(locked
        .text()
        .await
        .unwrap()
        .contains("Try again in 15 minutes"));
    // Another account from the same address is not locked; reactivating alice unlocks her.
    let bob = sign_in(&app.base, &browser, &login, "bob", PASSWORD).await;
    assert_eq!(bob.status(), 303);
    app.gql(
        "mutation($i: ID!, $id: ID!) { setUserStatus(input: {instanceId: $i, id: $id, status: ACTIVE}) { user { id } } }",
        json!({ "i": t.instance, "id": t.alice }),
    )
    .await;
    let alice = self::browser();
    assert_eq!(
        sign_in(&app.base, &alice, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let second = self::browser();
    assert_eq!(
        sign_in(&app.base, &second, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );

    let sessions = "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { id createdAt expiresAt lastSeenAt authMethods clientIp userAgent } }";
    let listed = app
        .gql(sessions, json!({ "i": t.instance, "u": t.alice }))
        .await;
    let listed = listed["userSessions"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0]["authMethods"], json!(["password"]));
    assert_eq!(listed[0]["clientIp"], "127.0.0.1");

    // Revoking one ends it at once: that browser is sent to sign in again.
    let revoked = app
        .gql(
            "mutation($i: ID!, $id: ID!) { revokeUserSession(input: {instanceId: $i, id: $id}) { revokedCount } }",
            json!({ "i": t.instance, "id": listed[0]["id"] }),
        )
        .await;
    assert_eq!(revoked["revokeUserSession"]["revokedCount"], 1);
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    assert_eq!(second.get(&portal).send().await.unwrap().status(), 303);
    assert_eq!(alice.get(&portal).send().await.unwrap().status(), 200);
    let all = app
        .gql(
            "mutation($i: ID!, $u: ID!) { revokeUserSessions(input: {instanceId: $i, userId: $u}) { revokedCount } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    assert_eq!(all["revokeUserSessions"]["revokedCount"], 1);
    assert_eq!(alice.get(&portal).send().await.unwrap().status(), 303);

    // An auditor reads, cannot revoke; another instance's admin sees nothing.
    let auditor = app
        .token_with_roles(json!([{ "role": "AUDITOR", "instanceId": t.instance }]))
        .await;
    let read = app
        .gql_as(&auditor, sessions, json!({ "i": t.instance, "u": t.alice }))
        .await;
    assert!(read.get("errors").is_none(), "{read}");
    let write = app
        .gql_as(
            &auditor,
            "mutation($i: ID!, $u: ID!) { revokeUserSessions(input: {instanceId: $i, userId: $u}) { revokedCount } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    assert_eq!(error_code(&write), "FORBIDDEN");
    let other = app.create_instance("Other").await;
    let other_admin = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": other }]))
        .await;
    let foreign = app
        .gql_as(&other_admin, sessions, json!({ "i": other, "u": t.alice }))
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"revokeUserSessions\"}) { totalCount } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 2);
    app.stop().await;
}

#[tokio::test]
async fn me_lists_the_applications_of_the_signed_in_employee() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let browser = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let query = json!({ "query": "query($i: ID!) { me(instanceId: $i) { username applications { id name startUrl } } }", "variables": { "i": t.instance } });
    let anonymous: Value = browser
        .post(format!("{}/graphql", app.base))
        .json(&query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous["data"]["me"], Value::Null, "{anonymous}");
    assert_eq!(
        sign_in(&app.base, &browser, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let me: Value = browser
        .post(format!("{}/graphql", app.base))
        .json(&query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["data"]["me"]["username"], "alice", "{me}");
    let apps = me["data"]["me"]["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["id"], t.app);
    assert_eq!(
        apps[0]["startUrl"],
        format!("http://127.0.0.1/saml/apps/{}/start", t.app)
    );
    app.stop().await;
}

#[tokio::test]
async fn admin_sign_in_is_throttled_too() {
    let app = TestApp::spawn().await;
    for attempt in 1..=5 {
        let response = app
            .http
            .post(format!("{}/auth/admin/login", app.base))
            .json(&json!({ "username": "admin", "password": "wrong password" }))
            .send()
            .await
            .unwrap();
        let expected = if attempt < 5 { 401 } else { 429 };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
    let locked = app
        .http
        .post(format!("{}/auth/admin/login", app.base))
        .json(&json!({ "username": "admin", "password": lanyard_tests::BOOTSTRAP_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    let body: Value = locked.json().await.unwrap();
    assert_eq!(body["error"], "TOO_MANY_REQUESTS");
    assert!(
        body["message"].as_str().unwrap().contains("locked"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_user_outside_the_authorization_scope_gets_no_assertion() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    set_scope(&app, &t.app, "MANUAL").await;
    app.gql(
        "mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }",
        json!({ "a": t.app, "u": t.alice }),
    )
    .await;
    let login = format!(
        "{}/sso/{}/login?continue=app:{}",
        app.base, t.instance, t.app
    );
    let bob = browser();
    let denied = follow(
        &app,
        &bob,
        sign_in(&app.base, &bob, &login, "bob", PASSWORD).await,
    )
    .await;
    assert_eq!(denied.status(), 403);
    let page = denied.text().await.unwrap();
    assert!(!page.contains("SAMLResponse"), "{page}");
    assert!(page.contains("not assigned to you"), "{page}");
    let sp = bob
        .get(format!(
            "{}/saml/apps/{}/sso?{}",
            app.base,
            t.app,
            redirect_query("_outside-1", None)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(sp.status(), 403);
    assert_denied_without_assertion(&sp.text().await.unwrap());
    let alice = browser();
    let form = posted_form(
        follow(
            &app,
            &alice,
            sign_in(&app.base, &alice, &login, "alice", PASSWORD).await,
        )
        .await,
    )
    .await;
    let certificate = metadata_certificate(&app, &t.app).await;
    check_response(&form.xml, &certificate, &t.app, None);
    // alice was let in by her grant: the audit names it.
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { edges { node { outcome actor { name } summary } } } }",
            json!({ "i": t.instance }),
        )
        .await;
    let allowed = audit["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["outcome"] == "allow")
        .expect("an allow event")
        .clone();
    assert_eq!(allowed["actor"]["name"], "alice");
    assert!(
        allowed["summary"]["determiningPolicies"]
            .to_string()
            .contains("grant:"),
        "{allowed}"
    );
    app.stop().await;
}

/// Two nodes on one database. Each keeps the application a sign-in reads for 500 ms: a change
/// applies at once on the node that made it and within a second on the other.
#[tokio::test]
async fn application_changes_apply_at_once_here_and_within_a_second_on_another_node() {
    let first = TestApp::spawn().await;
    let second = first.spawn_peer(|_| {}).await;
    let t = tenant(&first).await;
    // alice signs in on each node and opens the application there: both nodes have it cached.
    let mut browsers = Vec::new();
    for node in [&first, &second] {
        let login = format!(
            "{}/sso/{}/login?continue=app:{}",
            node.base, t.instance, t.app
        );
        let alice = browser();
        let opened = follow(
            node,
            &alice,
            sign_in(&node.base, &alice, &login, "alice", PASSWORD).await,
        )
        .await;
        assert!(posted_form(opened).await.xml.contains("alice@"));
        browsers.push(alice);
    }
    let start = |node: &TestApp, browser: &reqwest::Client| {
        browser
            .get(format!("{}/saml/apps/{}/start", node.base, t.app))
            .send()
    };
    for (change, restore) in [
        (
            "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: MANUAL}) { changed } }",
            "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
        ),
        (
            "mutation($a: ID!) { updateApplication(input: {id: $a, enabled: false}) { application { id } } }",
            "mutation($a: ID!) { updateApplication(input: {id: $a, enabled: true}) { application { id } } }",
        ),
    ] {
        let changed = first.gql(change, json!({ "a": t.app })).await;
        assert!(changed.get("errors").is_none(), "{changed}");
        let acknowledged = std::time::Instant::now();
        let here = start(&first, &browsers[0]).await.unwrap();
        assert_eq!(here.status(), 403, "{change}: the node that made it");
        assert!(!here.text().await.unwrap().contains("SAMLResponse"));
        let seen = loop {
            let there = start(&second, &browsers[1]).await.unwrap();
            if there.status() == 403 {
                assert!(!there.text().await.unwrap().contains("SAMLResponse"));
                break acknowledged.elapsed();
            }
            assert_eq!(there.status(), 200);
            assert!(
                acknowledged.elapsed() < std::time::Duration::from_secs(5),
                "{change}: the other node never saw it"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        println!("{change}: denied on the other node after {seen:?}");
        assert!(seen <= std::time::Duration::from_secs(1), "{change}: {seen:?}");
        first.gql(restore, json!({ "a": t.app })).await;
        let again = std::time::Instant::now();
        loop {
            if start(&second, &browsers[1]).await.unwrap().status() == 200 {
                break;
            }
            assert!(again.elapsed() < std::time::Duration::from_secs(1));
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    second.stop().await;
    first.stop().await;
}

/// Grants to a group and to a parent org unit let their members in through the SAML routes,
/// which read the memberships with the session; a membership removed holds at the next sign-in.
#[tokio::test]
async fn group_and_org_unit_grants_decide_sso_and_a_removed_membership_holds_at_once() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    set_scope(&app, &t.app, "MANUAL").await;
    app.create_user(&t.instance, "carol", Some(PASSWORD)).await;
    let group = app
        .id_of(
            "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"eng\"}) { group { id } } }",
            json!({ "i": t.instance }),
            &["createGroup", "group", "id"],
        )
        .await;
    let mut units = Vec::new();
    for name in ["Acme", "Platform"] {
        units.push(
            app.id_of(
                "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { orgUnit { id } } }",
                json!({ "i": t.instance, "n": name, "p": units.last() }),
                &["createOrgUnit", "orgUnit", "id"],
            )
            .await,
        );
    }
    let (root, platform) = (&units[0], &units[1]);
    for (mutation, unit, user) in [
        ("addGroupMembers", &group, &t.alice),
        ("addOrgUnitMembers", platform, &t.bob),
    ] {
        let added = app
            .gql(
                &format!("mutation($id: ID!, $i: ID!, $u: [ID!]!) {{ {mutation}(input: {{id: $id, instanceId: $i, userIds: $u}}) {{ __typename }} }}"),
                json!({ "id": unit, "i": t.instance, "u": [user] }),
            )
            .await;
        assert!(added.get(mutation).is_some(), "{added}");
    }
    let granted = app
        .gql(
            "mutation($a: ID!, $g: ID!, $o: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: GROUP, id: $g}, {kind: ORG_UNIT, id: $o}]}) { changed } }",
            json!({ "a": t.app, "g": group, "o": root }),
        )
        .await;
    assert!(granted.get("grantApplicationAccess").is_some(), "{granted}");
    let login = format!(
        "{}/sso/{}/login?continue=app:{}",
        app.base, t.instance, t.app
    );
    let certificate = metadata_certificate(&app, &t.app).await;
    let mut browsers = Vec::new();
    for name in ["alice", "bob", "carol"] {
        let browser = browser();
        let opened = follow(
            &app,
            &browser,
            sign_in(&app.base, &browser, &login, name, PASSWORD).await,
        )
        .await;
        if name == "carol" {
            assert_eq!(opened.status(), 403, "carol has no grant");
            assert!(!opened.text().await.unwrap().contains("SAMLResponse"));
        } else {
            let form = posted_form(opened).await;
            check_response(&form.xml, &certificate, &t.app, None);
            assert!(form.xml.contains(&format!("{name}@{ACCOUNT_ID}")), "{name}");
        }
        browsers.push(browser);
    }
    // alice leaves the group: her session stays, her next SSO is refused.
    let removed = app
        .gql(
            "mutation($id: ID!, $i: ID!, $u: [ID!]!) { removeGroupMembers(input: {id: $id, instanceId: $i, userIds: $u}) { __typename } }",
            json!({ "id": group, "i": t.instance, "u": [t.alice] }),
        )
        .await;
    assert!(removed.get("removeGroupMembers").is_some(), "{removed}");
    let start = format!("{}/saml/apps/{}/start", app.base, t.app);
    let refused = browsers[0].get(&start).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("SAMLResponse"));
    let bob = browsers[1].get(&start).send().await.unwrap();
    assert_eq!(bob.status(), 200, "bob's sub-unit is still covered");
    app.stop().await;
}

/// Two `lanyard serve` processes on one database, each of which keeps the sessions it read for
/// half a second: a session revoked, or a user disabled, through one process ends there at once
/// and on the other within a second.
#[tokio::test]
async fn a_session_ended_through_one_process_ends_on_the_other_within_a_second() {
    let nodes = TwoProcesses::start().await;
    let (first, second) = (&nodes.first, &nodes.second);
    let t = tenant(first).await;
    let (instance, application) = (&t.instance, &t.app);

    // Each employee signs in through the first process; the cookie is good on both.
    let login = format!("{}/sso/{instance}/login", first.base);
    let start = |base: &str| format!("{base}/saml/apps/{application}/start");
    let status = |browser: reqwest::Client, url: String| async move {
        let response = browser.get(&url).send().await.unwrap();
        let status = response.status().as_u16();
        let page = response.text().await.unwrap();
        assert_eq!(
            status == 200,
            page.contains("SAMLResponse"),
            "{status}: {page}"
        );
        status
    };
    let mut browsers = Vec::new();
    for name in ["alice", "bob"] {
        let browser = browser();
        let signed_in = sign_in(&first.base, &browser, &login, name, PASSWORD).await;
        assert_eq!(signed_in.status(), 303, "{name}");
        // Both processes answer, and now keep the session they read.
        for base in [&first.base, &second.base] {
            assert_eq!(status(browser.clone(), start(base)).await, 200, "{name}");
        }
        browsers.push(browser);
    }
    let (alice, bob) = (&browsers[0], &browsers[1]);

    // Waits until `url` sends the browser to sign in; returns how long that took.
    let until_ended = |browser: reqwest::Client, url: String| async move {
        let ended = Instant::now();
        loop {
            match status(browser.clone(), url.clone()).await {
                303 => return ended.elapsed(),
                200 => assert!(
                    ended.elapsed() < Duration::from_secs(5),
                    "the session never ended at {url}"
                ),
                other => panic!("{url} answered {other}"),
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };

    // alice's sessions revoked through the second process, just after the first one read hers
    // again: on the second at once.
    assert_eq!(status(alice.clone(), start(&first.base)).await, 200);
    let revoked = second
        .gql(
            "mutation($i: ID!, $u: ID!) { revokeUserSessions(input: {instanceId: $i, userId: $u}) { revokedCount } }",
            json!({ "i": instance, "u": t.alice }),
        )
        .await;
    assert_eq!(revoked["revokeUserSessions"]["revokedCount"], 1);
    assert_eq!(status(alice.clone(), start(&second.base)).await, 303);
    let seen = until_ended(alice.clone(), start(&first.base)).await;
    println!("a session revoked on one process ended on the other after {seen:?}");
    assert!(seen <= Duration::from_secs(1), "took {seen:?}");

    // bob disabled through the first process, just after the second one read his session
    // again: on the first at once.
    assert_eq!(status(bob.clone(), start(&second.base)).await, 200);
    first.gql(
        "mutation($i: ID!, $id: ID!) { setUserStatus(input: {instanceId: $i, id: $id, status: DISABLED}) { user { id } } }",
        json!({ "i": instance, "id": t.bob }),
    )
    .await;
    assert_eq!(status(bob.clone(), start(&first.base)).await, 303);
    let seen = until_ended(bob.clone(), start(&second.base)).await;
    println!("a user disabled on one process lost their session on the other after {seen:?}");
    assert!(seen <= Duration::from_secs(1), "took {seen:?}");
}
