//! Passkeys of console admins (issue 22, item 6), over real HTTP, answered by the software
//! authenticator of `lanyard_tests::authenticator` (written from the WebAuthn specification on
//! OpenSSL, not Lanyard's library): an admin registers one on her own (GraphQL
//! `beginMyPasskey`/`finishMyPasskey`, console session only), then gives it after her password
//! or signs in with it alone; a security key without user verification is a second factor but
//! never signs in alone; the same credential is never registered twice; and every endpoint is
//! fed hostile input — no step, no binding cookie, another challenge or origin, a malformed or
//! huge answer, a replayed one, an employee's passkey — each refused with a clear 4xx, a wrong
//! answer costing the step a try.
//!
//! The server's `public_url` is `http://localhost` (browsers refuse passkeys for an address);
//! one test checks that a server reached by an address offers none.

use lanyard_tests::authenticator::{b64, Authenticator, Made, USER_PRESENT};
use lanyard_tests::saml::tenant;
use lanyard_tests::{error_code, TestApp};
use serde_json::{json, Value};

use super::admin_factors::{
    audited, begin_step, cookie_named, create_admin, me, password_session, refusal,
    set_cookie_header,
};
use super::passkeys::{post_json, refused, register, signed_in, spawn, ORIGIN};

/// A change to what an answer is made for.
type Adjust = fn(&mut Made);

const BEGIN: &str = "mutation { beginMyPasskey { ceremony options } }";
const FINISH: &str = "mutation($c: String!, $n: String!, $k: JSON!) { finishMyPasskey(input: {ceremony: $c, name: $n, credential: $k}) { factor { id kind name lastUsedAt } recoveryCodes } }";
const MY_FACTORS: &str = "{ myFactors { factors { id kind name lastUsedAt } recoveryCodesLeft sessionProvedFactor mayChange } }";

/// Begins a registration with the console session `session`: the ceremony and its options.
async fn begin(app: &TestApp, session: &str) -> (String, Value) {
    let begun = app.gql_with_cookie(session, BEGIN, json!({})).await;
    let setup = &begun["data"]["beginMyPasskey"];
    let ceremony = setup["ceremony"]
        .as_str()
        .unwrap_or_else(|| panic!("a ceremony: {begun}"))
        .to_owned();
    (ceremony, setup["options"].clone())
}

/// Registers `key` for the admin of `session` as `name`: the whole GraphQL answer.
async fn enrol(app: &TestApp, session: &str, key: &mut Authenticator, name: &str) -> Value {
    enrol_with(app, session, key, name, |_| {}).await
}

/// Registers `key`, its answer made for `adjust`'s changes.
async fn enrol_with(
    app: &TestApp,
    session: &str,
    key: &mut Authenticator,
    name: &str,
    adjust: Adjust,
) -> Value {
    let (ceremony, options) = begin(app, session).await;
    let mut made = Made::for_options(&options, ORIGIN);
    adjust(&mut made);
    let credential = key.register(&options, &made);
    app.gql_with_cookie(
        session,
        FINISH,
        json!({ "c": ceremony, "n": name, "k": credential }),
    )
    .await
}

/// POSTs JSON with the cookies `cookies` (`name=value; …`).
async fn post(app: &TestApp, path: &str, cookies: &str, body: &Value) -> reqwest::Response {
    let mut request = app.http.post(format!("{}{path}", app.base)).json(body);
    if !cookies.is_empty() {
        request = request.header("cookie", cookies);
    }
    request.send().await.unwrap()
}

async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Gives `key` as the second factor of the step `step`, its answer made for `adjust`'s
/// changes: the finish's response.
async fn give_passkey(
    app: &TestApp,
    step: &str,
    key: &mut Authenticator,
    adjust: impl FnOnce(&mut Made),
) -> reqwest::Response {
    let (status, begun) =
        answer(post(app, "/auth/admin/login/passkey/options", step, &json!({})).await).await;
    assert_eq!(status, 200, "{begun}");
    let allowed: Vec<&str> = begun["options"]["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(allowed, [b64(&key.credential_id).as_str()], "{begun}");
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    adjust(&mut made);
    let credential = key.assert(&made);
    post(
        app,
        "/auth/admin/login/passkey",
        step,
        &json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await
}

/// Signs in with `key` alone: the finish's response.
async fn passkey_alone(
    app: &TestApp,
    key: &mut Authenticator,
    adjust: impl FnOnce(&mut Made),
) -> reqwest::Response {
    let options = post(app, "/auth/admin/passkey/options", "", &json!({})).await;
    let binding = set_cookie_header(&options, "lanyard_admin_passkey");
    assert!(
        binding.contains("HttpOnly") && binding.contains("SameSite=Strict"),
        "{binding}"
    );
    let cookie = binding.split(';').next().unwrap().to_owned();
    let (status, begun) = answer(options).await;
    assert_eq!(status, 200, "{begun}");
    assert!(
        begun["options"]["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(|list| list.is_empty()),
        "the authenticator names her: {begun}"
    );
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    adjust(&mut made);
    let credential = key.assert(&made);
    post(
        app,
        "/auth/admin/passkey",
        &cookie,
        &json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await
}

fn session_of(response: &reqwest::Response) -> String {
    cookie_named(response, "lanyard_admin").expect("a session cookie")
}

#[tokio::test]
async fn an_admin_registers_a_passkey_and_signs_in_with_it_after_her_password_and_alone() {
    let app = spawn().await;
    let alice = create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;

    // The sign-in page may offer passkeys on this server.
    let offered: Value = app
        .http
        .get(format!("{}/auth/admin/login", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(offered, json!({ "passkeys": true }));

    // Registration: a token has no passkeys of its own; her console session has.
    let by_token = app.gql_as(&app.token, BEGIN, json!({})).await;
    assert_eq!(error_code(&by_token), "FORBIDDEN", "{by_token}");
    let (_, options) = begin(&app, &session).await;
    let public_key = &options["publicKey"];
    assert_eq!(public_key["rp"]["id"], "localhost", "{options}");
    assert_eq!(public_key["user"]["name"], "alice");
    let mut key = Authenticator::new();
    let enrolled = enrol(&app, &session, &mut key, "YubiKey").await;
    let payload = &enrolled["data"]["finishMyPasskey"];
    assert_eq!(payload["factor"]["kind"], "PASSKEY", "{enrolled}");
    assert_eq!(payload["factor"]["name"], "YubiKey");
    assert_eq!(
        payload["recoveryCodes"].as_array().map(Vec::len),
        Some(10),
        "recovery codes with her first factor: {enrolled}"
    );
    assert_eq!(
        audited(&app, "enrolFactor").await[0]["summary"]["kind"],
        "passkey"
    );

    // Her password now leads to a step that offers the passkey.
    let (step, step_cookie) = begin_step(&app, "alice").await;
    assert_eq!(step["methods"], json!(["passkey", "recovery_code"]));
    let done = give_passkey(&app, &step_cookie, &mut key, |_| {}).await;
    assert_eq!(done.status(), 204);
    let step_cleared = set_cookie_header(&done, "lanyard_admin_step");
    assert!(step_cleared.contains("Max-Age=0"), "{step_cleared}");
    let with_passkey = session_of(&done);
    assert_eq!(
        me(&app, &with_passkey).await["authMethods"],
        json!(["password", "passkey"])
    );
    let mine = app
        .gql_with_cookie(&with_passkey, MY_FACTORS, json!({}))
        .await;
    let mine = &mine["data"]["myFactors"];
    assert_eq!(mine["sessionProvedFactor"], true, "{mine}");
    assert!(mine["factors"][0]["lastUsedAt"].is_string(), "{mine}");

    // The spent step takes nothing more, not even a fresh answer.
    let again = post(
        &app,
        "/auth/admin/login/passkey/options",
        &step_cookie,
        &json!({}),
    )
    .await;
    assert_eq!(refusal(again).await.0, 401);

    // The same credential is never registered twice, even by a session that may add one.
    let twice = enrol(&app, &with_passkey, &mut key, "Again").await;
    assert_eq!(error_code(&twice), "CONFLICT", "{twice}");

    // Alone: the authenticator names her, and it verified her.
    let alone = passkey_alone(&app, &mut key, |_| {}).await;
    assert_eq!(alone.status(), 204);
    let binding_cleared = set_cookie_header(&alone, "lanyard_admin_passkey");
    assert!(binding_cleared.contains("Max-Age=0"), "{binding_cleared}");
    let passkey_only = session_of(&alone);
    let who = me(&app, &passkey_only).await;
    assert_eq!(who["id"], alice);
    assert_eq!(who["authMethods"], json!(["passkey"]));
    let sign_ins = audited(&app, "adminSignIn").await;
    assert_eq!(sign_ins[0]["summary"]["authMethods"], json!(["passkey"]));
    assert_eq!(
        sign_ins[1]["summary"]["authMethods"],
        json!(["password", "passkey"])
    );

    // A security key without a PIN: something she has, a second factor after her password,
    // never enough alone.
    let mut plain = Authenticator::new();
    let second = enrol_with(&app, &with_passkey, &mut plain, "Plain key", |m| {
        m.flags = USER_PRESENT
    })
    .await;
    assert_eq!(
        second["data"]["finishMyPasskey"]["recoveryCodes"],
        Value::Null,
        "{second}"
    );
    let (_, step_cookie) = begin_step(&app, "alice").await;
    let options = post(
        &app,
        "/auth/admin/login/passkey/options",
        &step_cookie,
        &json!({}),
    )
    .await;
    let (_, begun) = answer(options).await;
    assert_eq!(
        begun["options"]["publicKey"]["allowCredentials"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    made.flags = USER_PRESENT;
    let credential = plain.assert(&made);
    let done = post(
        &app,
        "/auth/admin/login/passkey",
        &step_cookie,
        &json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    assert_eq!(done.status(), 204);
    assert_eq!(
        me(&app, &session_of(&done)).await["authMethods"],
        json!(["password", "security_key"])
    );
    let unverified = passkey_alone(&app, &mut plain, |m| m.flags = USER_PRESENT).await;
    let (status, code, message, _) = refusal(unverified).await;
    assert_eq!((status, code.as_str()), (400, "BAD_USER_INPUT"));
    assert!(message.contains("PIN"), "{message}");
    app.stop().await;
}

#[tokio::test]
async fn hostile_answers_to_the_admins_passkey_endpoints_are_refused() {
    let app = spawn().await;
    create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;
    let mut key = Authenticator::new();
    enrol(&app, &session, &mut key, "Key").await;

    // No step, or a step that is no cookie of ours: sign in again.
    for cookie in ["", "lanyard_admin_step=forged"] {
        let response = post(
            &app,
            "/auth/admin/login/passkey/options",
            cookie,
            &json!({}),
        )
        .await;
        assert_eq!(refusal(response).await.0, 401, "{cookie}");
    }

    // Bodies that are not the answer: refused before anything is looked at, no try spent.
    let (_, step) = begin_step(&app, "alice").await;
    let url = format!("{}/auth/admin/login/passkey", app.base);
    let huge =
        json!({ "ceremony": "x", "credential": { "id": "a".repeat(64 * 1024) } }).to_string();
    for (body, content_type, status) in [
        (
            "ceremony=x".to_owned(),
            "application/x-www-form-urlencoded",
            415,
        ),
        ("{\"ceremony\": ".to_owned(), "application/json", 400),
        ("{\"ceremony\": \"x\"}".to_owned(), "application/json", 422),
        (
            "{\"ceremony\": \"x\", \"credential\": {}, \"admin\": \"bob\"}".to_owned(),
            "application/json",
            422,
        ),
        (huge, "application/json", 413),
    ] {
        let response = app
            .http
            .post(&url)
            .header("content-type", content_type)
            .header("cookie", &step)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            status,
            "{}",
            &body[..body.len().min(80)]
        );
    }

    // Answers made for another challenge, origin or relying party, or malformed: each a clear
    // refusal that costs the step a try.
    let adjustments: [(&str, Adjust); 3] = [
        ("challenge", |m| m.challenge = b64(b"another challenge")),
        ("origin", |m| m.origin = "http://evil.example".into()),
        ("relying party", |m| m.rp_id = "evil.example".into()),
    ];
    for (what, adjust) in adjustments {
        let response = give_passkey(&app, &step, &mut key, adjust).await;
        let (status, code, message, _) = refusal(response).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "BAD_USER_INPUT"),
            "{what}: {message}"
        );
    }
    let (status, begun) =
        answer(post(&app, "/auth/admin/login/passkey/options", &step, &json!({})).await).await;
    assert_eq!(status, 200, "{begun}");
    let malformed = post(
        &app,
        "/auth/admin/login/passkey",
        &step,
        &json!({ "ceremony": begun["ceremony"], "credential": { "id": "x", "rawId": "!!", "type": "public-key", "response": {} } }),
    )
    .await;
    assert_eq!(refusal(malformed).await.0, 400);
    // A fifth wrong answer (a key that is not hers) locks her account, as five wrong passwords
    // do, and the step is over whatever comes next.
    let (_, begun) =
        answer(post(&app, "/auth/admin/login/passkey/options", &step, &json!({})).await).await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let stranger = Authenticator::new().assert(&made);
    let fifth = post(
        &app,
        "/auth/admin/login/passkey",
        &step,
        &json!({ "ceremony": begun["ceremony"], "credential": stranger }),
    )
    .await;
    assert_eq!(refusal(fifth).await.1, "TOO_MANY_REQUESTS");
    let rejected = audited(&app, "adminSignInFactorRejected").await;
    assert_eq!(rejected.len(), 5, "each refused answer is audited");
    assert_eq!(rejected[0]["summary"]["method"], "passkey");
    let late = post(&app, "/auth/admin/login/passkey/options", &step, &json!({})).await;
    assert_eq!(refusal(late).await.0, 401);

    // A replayed answer finds its ceremony spent.
    create_admin(&app, "bob").await;
    let bob = password_session(&app, "bob").await;
    let mut key = Authenticator::new();
    enrol(&app, &bob, &mut key, "Key").await;
    let (_, step) = begin_step(&app, "bob").await;
    let (_, begun) =
        answer(post(&app, "/auth/admin/login/passkey/options", &step, &json!({})).await).await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let credential = key.assert(&made);
    let body = json!({ "ceremony": begun["ceremony"], "credential": credential });
    let first = post(&app, "/auth/admin/login/passkey", &step, &body).await;
    assert_eq!(first.status(), 204);
    let replayed = post(&app, "/auth/admin/login/passkey", &step, &body).await;
    assert_eq!(refusal(replayed).await.0, 401);

    // Alone: no binding cookie, another browser's, or an unknown ceremony.
    let options = post(&app, "/auth/admin/passkey/options", "", &json!({})).await;
    let (_, begun) = answer(options).await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let credential = key.assert(&made);
    for cookie in ["", "lanyard_admin_passkey=another-browsers"] {
        let response = post(
            &app,
            "/auth/admin/passkey",
            cookie,
            &json!({ "ceremony": begun["ceremony"], "credential": credential }),
        )
        .await;
        let (status, code, _, field) = refusal(response).await;
        assert_eq!(
            (status, code.as_str(), field.as_deref()),
            (400, "BAD_USER_INPUT", Some("ceremony")),
            "{cookie}"
        );
    }

    // GraphQL: a malformed answer, another admin's ceremony.
    create_admin(&app, "carol").await;
    let carol = password_session(&app, "carol").await;
    let (carols, options) = begin(&app, &carol).await;
    create_admin(&app, "dave").await;
    let dave = password_session(&app, "dave").await;
    let made = Made::for_options(&options, ORIGIN);
    let credential = Authenticator::new().register(&options, &made);
    let theirs = app
        .gql_with_cookie(
            &dave,
            FINISH,
            json!({ "c": carols, "n": "x", "k": credential }),
        )
        .await;
    assert_eq!(error_code(&theirs), "BAD_USER_INPUT", "{theirs}");
    let (mine, _) = begin(&app, &carol).await;
    let garbage = app
        .gql_with_cookie(
            &carol,
            FINISH,
            json!({ "c": mine, "n": "x", "k": { "id": 1 } }),
        )
        .await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT", "{garbage}");
    app.stop().await;
}

#[tokio::test]
async fn employees_and_admins_passkeys_never_cross() {
    let app = spawn().await;
    let t = tenant(&app).await;
    // An employee's passkey, registered on her account page.
    let employee = signed_in(&app, &t, "alice").await;
    let mut hers = Authenticator::new();
    let (status, registered) = register(&app, &t, &employee, &mut hers, "Laptop").await;
    assert_eq!(status, 200, "{registered}");
    // …does not sign in to the console.
    let response = passkey_alone(&app, &mut hers, |_| {}).await;
    let (status, _, message, _) = refusal(response).await;
    assert_eq!(status, 400, "{message}");

    // An admin's passkey does not sign in as an employee.
    create_admin(&app, "root2").await;
    let session = password_session(&app, "root2").await;
    let mut admins = Authenticator::new();
    enrol(&app, &session, &mut admins, "Key").await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let b = lanyard_tests::saml::browser();
    let csrf = super::passkeys::csrf_of(&b, &login).await;
    let (status, begun) = post_json(
        &b,
        &format!("{login}/passkey/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let made = Made::for_options(&begun["options"], ORIGIN);
    let credential = admins.assert(&made);
    let done = post_json(
        &b,
        &format!("{login}/passkey/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    refused(&done, 400, "BAD_USER_INPUT");
    app.stop().await;
}

#[tokio::test]
async fn a_server_reached_by_an_address_offers_admins_no_passkeys() {
    let app = TestApp::spawn().await;
    let offered: Value = app
        .http
        .get(format!("{}/auth/admin/login", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(offered, json!({ "passkeys": false }));
    let response = post(&app, "/auth/admin/passkey/options", "", &json!({})).await;
    let (status, _, message, _) = refusal(response).await;
    assert_eq!(status, 400, "{message}");
    create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;
    let begun = app.gql_with_cookie(&session, BEGIN, json!({})).await;
    assert_eq!(error_code(&begun), "BAD_USER_INPUT", "{begun}");
    app.stop().await;
}
