//! Passkeys and security keys through the real endpoints, answered by a software
//! authenticator written here from the WebAuthn specification on OpenSSL
//! (`lanyard_tests::authenticator`), not by Lanyard's library: registering one on the account
//! page, signing in with it alone, giving it as the second factor (and stepping up for a
//! policy that asks for MFA, on to a verified SAML Response), a security key without user
//! verification, the counter of a copied key; and every JSON endpoint fed hostile input —
//! malformed JSON, base64 and CBOR, a huge attestation, another challenge, origin or relying
//! party, a replayed answer, an unknown credential, another instance's cookie — each refused
//! with a clear 4xx.
//!
//! The server's `public_url` is `http://localhost` here: browsers refuse passkeys for an IP
//! address, and so does Lanyard (the suite's usual `http://127.0.0.1` has no passkeys).

use lanyard_tests::authenticator::{b64, unb64, Authenticator, Made, USER_PRESENT};
use lanyard_tests::saml::{
    browser, check_response_of, hidden, location, metadata_certificate, posted_form, tenant,
    Tenant, PASSWORD,
};
use lanyard_tests::TestApp;
use serde_json::{json, Value};

pub(super) const ORIGIN: &str = "http://localhost";

pub(super) async fn spawn() -> TestApp {
    TestApp::spawn_with(|config| config.public_url = ORIGIN.into()).await
}

/// A URL the server gave (on `public_url`), as this test reaches it.
fn here(app: &TestApp, url: &str) -> String {
    assert!(url.starts_with(ORIGIN), "{url}");
    url.replacen(ORIGIN, &app.base, 1)
}

pub(super) async fn page(b: &reqwest::Client, url: &str) -> (reqwest::StatusCode, String, String) {
    let response = b.get(url).send().await.unwrap();
    let status = response.status();
    let csp = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, csp, response.text().await.unwrap())
}

/// A browser signed in with her password; the response to the sign-in form.
pub(super) async fn password(
    app: &TestApp,
    t: &Tenant,
    b: &reqwest::Client,
    user: &str,
) -> reqwest::Response {
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let (status, _, html) = page(b, &login).await;
    assert_eq!(status, 200);
    b.post(&login)
        .form(&[
            ("csrf", hidden(&html, "csrf").unwrap()),
            ("continue", hidden(&html, "continue").unwrap()),
            ("username", user.to_owned()),
            ("password", PASSWORD.to_owned()),
        ])
        .send()
        .await
        .unwrap()
}

pub(super) async fn signed_in(app: &TestApp, t: &Tenant, user: &str) -> reqwest::Client {
    let b = browser();
    let done = password(app, t, &b, user).await;
    assert_eq!(
        location(&done),
        format!("{ORIGIN}/sso/{}/portal", t.instance)
    );
    b
}

pub(super) async fn post_json(b: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let response = b.post(url).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
    (status, value)
}

/// Asserts a clear refusal: the status, a JSON `{error, message}` naming `code`.
pub(super) fn refused(answer: &(u16, Value), status: u16, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"], code, "{}", answer.1);
    assert!(
        answer.1["message"].as_str().is_some_and(|m| m.len() > 10),
        "{}",
        answer.1
    );
}

/// The CSRF token of the forms of the page at `url`.
pub(super) async fn csrf_of(b: &reqwest::Client, url: &str) -> String {
    let (status, _, html) = page(b, url).await;
    assert_eq!(status, 200, "{url}: {html}");
    hidden(&html, "csrf").expect("a CSRF token")
}

/// Registers a passkey on the account page of the signed-in browser `b`: the finish's answer.
pub(super) async fn register(
    app: &TestApp,
    t: &Tenant,
    b: &reqwest::Client,
    key: &mut Authenticator,
    name: &str,
) -> (u16, Value) {
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let csrf = csrf_of(b, &account).await;
    let (status, begun) = post_json(
        b,
        &format!("{account}/passkeys/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let made = Made::for_options(&begun["options"], ORIGIN);
    let credential = key.register(&begun["options"], &made);
    post_json(
        b,
        &format!("{account}/passkeys/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "name": name, "credential": credential }),
    )
    .await
}

async fn methods_of_sessions(app: &TestApp, t: &Tenant, user: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { authMethods } }",
        json!({ "i": t.instance, "u": user }),
    )
    .await["userSessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["authMethods"].clone())
        .collect()
}

async fn audit(app: &TestApp, t: &Tenant, action: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $a: String!) { auditEvents(instanceId: $i, filter: {action: $a}) { nodes { summary outcome } } }",
        json!({ "i": t.instance, "a": action }),
    )
    .await["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

pub(super) async fn set_rules(app: &TestApp, t: &Tenant, rules: Value) {
    app.gql(
        "mutation($i: ID!, $r: SignInRulesInput) { updateInstance(input: {id: $i, name: \"Acme\", signInRules: $r}) { instance { id } } }",
        json!({ "i": t.instance, "r": rules }),
    )
    .await;
}

/// Signs in with a passkey alone in a new browser; the finish's answer and the browser.
async fn passkey_sign_in(
    app: &TestApp,
    t: &Tenant,
    key: &mut Authenticator,
    adjust: impl FnOnce(&mut Made),
) -> ((u16, Value), reqwest::Client) {
    let b = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let csrf = csrf_of(&b, &login).await;
    let (status, begun) = post_json(
        &b,
        &format!("{login}/passkey/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    adjust(&mut made);
    let credential = key.assert(&made);
    let done = post_json(
        &b,
        &format!("{login}/passkey/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "continue": "portal", "credential": credential }),
    )
    .await;
    (done, b)
}

/// Gives a passkey on the factor page of a browser whose step waits; the finish's answer.
async fn give_passkey(
    app: &TestApp,
    t: &Tenant,
    b: &reqwest::Client,
    key: &mut Authenticator,
    adjust: impl FnOnce(&mut Made),
) -> (u16, Value) {
    let factor = format!("{}/sso/{}/login/factor", app.base, t.instance);
    let (status, csp, html) = page(b, &factor).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("data-passkey=\"factor\""), "{html}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let csrf = hidden(&html, "csrf").unwrap();
    let (status, begun) = post_json(
        b,
        &format!("{factor}/passkey/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let allowed: Vec<&str> = begun["options"]["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        allowed.contains(&b64(&key.credential_id).as_str()),
        "{begun}"
    );
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    adjust(&mut made);
    let credential = key.assert(&made);
    post_json(
        b,
        &format!("{factor}/passkey/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await
}

#[tokio::test]
async fn a_passkey_registers_signs_in_alone_and_is_a_second_factor() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let alice = signed_in(&app, &t, "alice").await;

    // The account page offers a passkey, with Lanyard's script allowed and nothing inline.
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let (_, csp, html) = page(&alice, &account).await;
    assert!(html.contains("data-passkey=\"register\""), "{html}");
    assert!(html.contains("<script src=\"/sso/static/passkeys.js\" defer></script>"));
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    let script = app
        .http
        .get(format!("{}/sso/static/passkeys.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(script.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    let etag = script.headers()["etag"].to_str().unwrap().to_owned();
    assert!(script
        .text()
        .await
        .unwrap()
        .contains("navigator.credentials"));
    let cached = app
        .http
        .get(format!("{}/sso/static/passkeys.js", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);

    // The options: this server as the relying party, a discoverable credential preferred,
    // user verification asked for.
    let csrf = csrf_of(&alice, &account).await;
    let (status, begun) = post_json(
        &alice,
        &format!("{account}/passkeys/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let options = &begun["options"]["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["rp"]["name"], "Acme");
    assert_eq!(options["user"]["name"], "alice");
    assert_eq!(unb64(options["user"]["id"].as_str().unwrap()).len(), 16);
    assert_eq!(
        options["authenticatorSelection"]["residentKey"],
        "preferred"
    );
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "preferred"
    );
    assert!(options.get("hints").is_none(), "{options}");
    assert_eq!(
        options["extensions"]["credentialProtectionPolicy"],
        "userVerificationOptionalWithCredentialIDList"
    );

    let mut laptop = Authenticator::new();
    let made = Made::for_options(&begun["options"], ORIGIN);
    let credential = laptop.register(&begun["options"], &made);
    let finish = json!({ "csrf": csrf, "ceremony": begun["ceremony"], "name": "Laptop", "credential": credential });
    let (status, done) = post_json(&alice, &format!("{account}/passkeys/finish"), &finish).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["redirect"],
        format!("{ORIGIN}/sso/{}/account", t.instance)
    );
    assert_eq!(
        done["recoveryCodes"].as_array().unwrap().len(),
        10,
        "{done}"
    );
    // The same answer again: refused (its ceremony is spent, and with a factor now she must
    // first confirm it's her).
    refused(
        &post_json(&alice, &format!("{account}/passkeys/finish"), &finish).await,
        403,
        "FORBIDDEN",
    );
    let (_, _, html) = page(&alice, &account).await;
    assert!(html.contains("<strong>Laptop</strong> (Passkey)"), "{html}");
    let enrolled = audit(&app, &t, "enrolFactor").await;
    assert_eq!(enrolled[0]["summary"]["kind"], "passkey");
    assert_eq!(enrolled[0]["summary"]["name"], "Laptop");
    // With a factor, changing factors needs a session that proved one.
    refused(
        &post_json(
            &alice,
            &format!("{account}/passkeys/options"),
            &json!({ "csrf": csrf }),
        )
        .await,
        403,
        "FORBIDDEN",
    );

    // Bob registering alice's credential (a replayed or copied registration): refused.
    let bob = signed_in(&app, &t, "bob").await;
    let alices = laptop.user_handle.clone();
    let copied = register(&app, &t, &bob, &mut laptop, "Stolen").await;
    refused(&copied, 409, "CONFLICT");
    laptop.user_handle = alices;

    // Passkey sign-in, no password: a session of `passkey` alone, on to the portal.
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let (_, csp, html) = page(&browser(), &login).await;
    assert!(html.contains("data-passkey=\"sign-in\""), "{html}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let ((status, done), b) = passkey_sign_in(&app, &t, &mut laptop, |_| {}).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["redirect"],
        format!("{ORIGIN}/sso/{}/portal", t.instance)
    );
    let (status, _, tiles) = page(&b, &here(&app, done["redirect"].as_str().unwrap())).await;
    assert_eq!(status, 200);
    assert!(tiles.contains("Alibaba Cloud"), "{tiles}");
    assert!(methods_of_sessions(&app, &t, &t.alice)
        .await
        .contains(&json!(["passkey"])));
    // That session proved two factors in one: she may add another passkey, her own excluded.
    let csrf = csrf_of(&b, &account).await;
    let (status, begun) = post_json(
        &b,
        &format!("{account}/passkeys/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    assert_eq!(
        begun["options"]["publicKey"]["excludeCredentials"][0]["id"],
        b64(&laptop.credential_id)
    );

    // Where the instance does not let a passkey sign in alone, it does not.
    set_rules(&app, &t, json!({ "passkeySignIn": false })).await;
    let (_, csp, html) = page(&browser(), &login).await;
    assert!(!html.contains("data-passkey"), "{html}");
    assert!(!csp.contains("script-src"), "{csp}");
    let other = browser();
    let csrf = csrf_of(&other, &login).await;
    refused(
        &post_json(
            &other,
            &format!("{login}/passkey/options"),
            &json!({ "csrf": csrf }),
        )
        .await,
        403,
        "FORBIDDEN",
    );

    // Everyone gives a second factor: after the password, the passkey.
    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["PASSKEY", "TOTP"], "passkeySignIn": true }),
    )
    .await;
    let b = browser();
    let first = password(&app, &t, &b, "alice").await;
    assert_eq!(
        location(&first),
        format!("{ORIGIN}/sso/{}/login/factor", t.instance)
    );
    let (status, done) = give_passkey(&app, &t, &b, &mut laptop, |_| {}).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["redirect"],
        format!("{ORIGIN}/sso/{}/portal", t.instance)
    );
    assert!(methods_of_sessions(&app, &t, &t.alice)
        .await
        .contains(&json!(["password", "passkey"])));
    let factors = app
        .gql(
            "query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { factors { kind name lastUsedAt } } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    assert_eq!(factors["userFactors"]["factors"][0]["kind"], "PASSKEY");
    assert!(factors["userFactors"]["factors"][0]["lastUsedAt"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn a_security_key_that_does_not_verify_its_user_is_a_factor_but_never_signs_in_alone() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let carol = app.create_user(&t.instance, "carol", Some(PASSWORD)).await;
    let b = signed_in(&app, &t, "carol").await;
    // A key without a PIN: user present, not verified.
    let mut key = Authenticator::new();
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let csrf = csrf_of(&b, &account).await;
    let (_, begun) = post_json(
        &b,
        &format!("{account}/passkeys/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    made.flags = USER_PRESENT;
    let credential = key.register(&begun["options"], &made);
    let (status, done) = post_json(
        &b,
        &format!("{account}/passkeys/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "name": "YubiKey", "credential": credential }),
    )
    .await;
    assert_eq!(status, 200, "{done}");

    let (refusal, _) = passkey_sign_in(&app, &t, &mut key, |m| m.flags = USER_PRESENT).await;
    refused(&refusal, 400, "BAD_USER_INPUT");
    assert!(
        refusal.1["message"]
            .as_str()
            .unwrap()
            .contains("did not check that it is you"),
        "{}",
        refusal.1
    );

    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["PASSKEY"] }),
    )
    .await;
    let b = browser();
    password(&app, &t, &b, "carol").await;
    let (status, done) = give_passkey(&app, &t, &b, &mut key, |m| m.flags = USER_PRESENT).await;
    assert_eq!(status, 200, "{done}");
    assert!(methods_of_sessions(&app, &t, &carol)
        .await
        .contains(&json!(["password", "security_key"])));
    app.stop().await;
}

/// Begins registering on the account page and answers with `key` from an authenticator that
/// sets `flags`: the options and the finish's answer.
async fn register_with_flags(
    app: &TestApp,
    t: &Tenant,
    b: &reqwest::Client,
    key: &mut Authenticator,
    flags: u8,
) -> (Value, (u16, Value)) {
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let csrf = csrf_of(b, &account).await;
    let (status, begun) = post_json(
        b,
        &format!("{account}/passkeys/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    assert_eq!(status, 200, "{begun}");
    let mut made = Made::for_options(&begun["options"], ORIGIN);
    made.flags = flags;
    let credential = key.register(&begun["options"], &made);
    let done = post_json(
        b,
        &format!("{account}/passkeys/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "name": "Key", "credential": credential }),
    )
    .await;
    (begun["options"].clone(), done)
}

#[tokio::test]
async fn where_the_instance_requires_user_verification_keys_without_a_pin_are_refused() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let carol = app.create_user(&t.instance, "carol", Some(PASSWORD)).await;
    // Registered while verification was preferred: a key without a PIN.
    let b = signed_in(&app, &t, "carol").await;
    let mut plain = Authenticator::new();
    let (options, (status, done)) =
        register_with_flags(&app, &t, &b, &mut plain, USER_PRESENT).await;
    assert_eq!(status, 200, "{done}");
    assert_ne!(
        options["publicKey"]["authenticatorSelection"]["userVerification"], "required",
        "{options}"
    );

    let rules = app
        .gql(
            "mutation($i: ID!) { updateInstance(input: {id: $i, name: \"Acme\", signInRules: {passkeyUserVerification: REQUIRED}}) { instance { signInRules { passkeyUserVerification } } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        rules["updateInstance"]["instance"]["signInRules"]["passkeyUserVerification"],
        "REQUIRED"
    );
    let changed = audit(&app, &t, "updateInstance").await;
    assert_eq!(
        changed[0]["summary"]["signInRules"]["to"]["passkeyUserVerification"],
        "required"
    );

    // Now the browser is asked to verify her, and a key that did not is refused…
    let dave = app.create_user(&t.instance, "dave", Some(PASSWORD)).await;
    let b = signed_in(&app, &t, "dave").await;
    let mut another = Authenticator::new();
    let (options, refusal) = register_with_flags(&app, &t, &b, &mut another, USER_PRESENT).await;
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"], "required",
        "{options}"
    );
    refused(&refusal, 400, "BAD_USER_INPUT");
    assert!(
        refusal.1["message"]
            .as_str()
            .unwrap()
            .contains("did not check that it is you"),
        "{}",
        refusal.1
    );
    assert_eq!(
        factors_of(&app, &t, &dave).await,
        Vec::<Value>::new(),
        "nothing registered"
    );
    // …at registration and as a second factor, even the key registered before.
    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["PASSKEY"] }),
    )
    .await;
    let b = browser();
    password(&app, &t, &b, "carol").await;
    let refusal = give_passkey(&app, &t, &b, &mut plain, |m| m.flags = USER_PRESENT).await;
    refused(&refusal, 400, "BAD_USER_INPUT");
    // The same key, once it verifies her (a PIN set), is a passkey.
    let (status, done) = give_passkey(&app, &t, &b, &mut plain, |_| {}).await;
    assert_eq!(status, 200, "{done}");
    assert!(methods_of_sessions(&app, &t, &carol)
        .await
        .contains(&json!(["password", "passkey"])));
    app.stop().await;
}

#[tokio::test]
async fn a_policy_that_asks_for_mfa_steps_up_with_a_passkey_to_a_verified_response() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let certificate = metadata_certificate(&app, &t.app).await;
    let alice = signed_in(&app, &t, "alice").await;
    let mut key = Authenticator::new();
    let (status, done) = register(&app, &t, &alice, &mut key, "Phone").await;
    assert_eq!(status, 200, "{done}");
    let created = app
        .gql(
            "mutation($i: ID!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: \"MFA\", source: $s}) { accessPolicy { id } } }",
            json!({ "i": t.instance, "s": "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.mfa };" }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");

    let start = format!("{}/saml/apps/{}/start", app.base, t.app);
    let asked = alice.get(&start).send().await.unwrap();
    assert_eq!(
        location(&asked),
        format!("{ORIGIN}/sso/{}/login/factor", t.instance)
    );
    let (status, done) = give_passkey(&app, &t, &alice, &mut key, |_| {}).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["redirect"],
        format!("{ORIGIN}/saml/apps/{}/start", t.app)
    );
    let form = alice
        .get(here(&app, done["redirect"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    let posted = posted_form(form).await;
    let name_id = check_response_of(ORIGIN, &posted.xml, &[certificate], &t.app, None);
    assert!(name_id.starts_with("alice@"), "{name_id}");
    assert!(posted.xml.contains("https://refeds.org/profile/mfa"));
    let stepped = audit(&app, &t, "stepUp").await;
    assert_eq!(stepped[0]["summary"]["added"], "passkey");
    app.stop().await;
}

#[tokio::test]
async fn a_counter_that_goes_backwards_is_refused_and_audited() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let alice = signed_in(&app, &t, "alice").await;
    let mut key = Authenticator::new();
    register(&app, &t, &alice, &mut key, "Key").await;
    for _ in 0..3 {
        let ((status, done), _) = passkey_sign_in(&app, &t, &mut key, |_| {}).await;
        assert_eq!(status, 200, "{done}");
    }
    // A copy of the key, at the counter it had after the first use.
    let (refusal, b) = passkey_sign_in(&app, &t, &mut key, |_| {}).await;
    assert_eq!(refusal.0, 200, "the original moves on: {}", refusal.1);
    drop(b);
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let copy = browser();
    let csrf = csrf_of(&copy, &login).await;
    let (_, begun) = post_json(
        &copy,
        &format!("{login}/passkey/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let answer = post_json(
        &copy,
        &format!("{login}/passkey/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "credential": key.assertion_at(&made, 2) }),
    )
    .await;
    refused(&answer, 403, "FORBIDDEN");
    let suspected = audit(&app, &t, "passkeyCloneSuspected").await;
    assert_eq!(suspected.len(), 1, "{suspected:?}");
    assert_eq!(suspected[0]["outcome"], "failure");
    assert_eq!(suspected[0]["summary"]["storedCounter"], 4);
    assert_eq!(suspected[0]["summary"]["givenCounter"], 2);
    // The same counter again is no better.
    let (_, begun) = post_json(
        &copy,
        &format!("{login}/passkey/options"),
        &json!({ "csrf": csrf }),
    )
    .await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let again = post_json(
        &copy,
        &format!("{login}/passkey/finish"),
        &json!({ "csrf": csrf, "ceremony": begun["ceremony"], "credential": key.assertion_at(&made, 4) }),
    )
    .await;
    refused(&again, 403, "FORBIDDEN");
    app.stop().await;
}

/// The value of a cookie a response set.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

#[tokio::test]
async fn hostile_input_to_every_passkey_endpoint_is_refused_with_a_clear_4xx() {
    let app = spawn().await;
    let t = tenant(&app).await;
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let factor = format!("{login}/factor");
    let endpoints = [
        format!("{account}/passkeys/options"),
        format!("{account}/passkeys/finish"),
        format!("{factor}/passkey/options"),
        format!("{factor}/passkey/finish"),
        format!("{login}/passkey/options"),
        format!("{login}/passkey/finish"),
    ];
    let alice = signed_in(&app, &t, "alice").await;
    let mut key = Authenticator::new();
    let account_csrf = csrf_of(&alice, &account).await;

    // Whatever the endpoint: a body that is not JSON, not sent as JSON, too large, or without
    // the page's CSRF token.
    for url in &endpoints {
        let garbled = alice
            .post(url)
            .header("content-type", "application/json")
            .body("{\"csrf\": ")
            .send()
            .await
            .unwrap();
        let garbled = (garbled.status().as_u16(), garbled.json().await.unwrap());
        refused(&garbled, 400, "BAD_USER_INPUT");
        let form = alice
            .post(url)
            .form(&[("csrf", &account_csrf)])
            .send()
            .await
            .unwrap();
        let form = (form.status().as_u16(), form.json().await.unwrap());
        refused(&form, 400, "BAD_USER_INPUT");
        let huge = json!({ "csrf": account_csrf, "credential": { "response": { "attestationObject": "A".repeat(200_000) } } });
        refused(
            &post_json(&alice, url, &huge).await,
            413,
            "PAYLOAD_TOO_LARGE",
        );
        refused(
            &post_json(&alice, url, &json!({ "csrf": "forged" })).await,
            403,
            "FORBIDDEN",
        );
        refused(
            &post_json(&browser(), url, &json!({})).await,
            403,
            "FORBIDDEN",
        );
    }

    // Registration: malformed base64, malformed CBOR, a huge attestation within the body
    // limit, another challenge, origin or relying party, and an answer to no ceremony.
    let begin = |b: &reqwest::Client| {
        let b = b.clone();
        let url = format!("{account}/passkeys/options");
        let csrf = account_csrf.clone();
        async move {
            let (status, begun) = post_json(&b, &url, &json!({ "csrf": csrf })).await;
            assert_eq!(status, 200, "{begun}");
            begun
        }
    };
    let finish = |credential: Value, ceremony: Value| json!({ "csrf": account_csrf, "ceremony": ceremony, "name": "x", "credential": credential });
    let finish_url = format!("{account}/passkeys/finish");
    let begun = begin(&alice).await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let mut bad_base64 = key.registration_with(&made, &key.attestation_object(&made));
    bad_base64["response"]["clientDataJSON"] = json!("***not base64***");
    refused(
        &post_json(
            &alice,
            &finish_url,
            &finish(bad_base64, begun["ceremony"].clone()),
        )
        .await,
        400,
        "BAD_USER_INPUT",
    );
    const UNREADABLE: &str = "not a passkey response this server can read";
    const ELSEWHERE: &str = "for another site or another request";
    let mut cases: Vec<(&str, Value, &str)> = vec![
        (
            "malformed CBOR",
            key.registration_with(&made, &[0xa3, 0x63, 0x66, 0x6d]),
            UNREADABLE,
        ),
        (
            "huge attestation",
            key.registration_with(&made, &vec![0x5a; 20_000]),
            UNREADABLE,
        ),
    ];
    let mut other_challenge = made.clone();
    other_challenge.challenge = b64(b"another challenge, another time!");
    cases.push((
        "another challenge",
        key.registration_with(&other_challenge, &key.attestation_object(&other_challenge)),
        ELSEWHERE,
    ));
    let mut other_origin = made.clone();
    other_origin.origin = "https://evil.example".into();
    cases.push((
        "another origin",
        key.registration_with(&other_origin, &key.attestation_object(&other_origin)),
        ELSEWHERE,
    ));
    let mut other_rp = made.clone();
    other_rp.rp_id = "evil.example".into();
    cases.push((
        "another relying party",
        key.registration_with(&other_rp, &key.attestation_object(&other_rp)),
        ELSEWHERE,
    ));
    for (what, credential, why) in cases {
        let begun = begin(&alice).await;
        let answer = post_json(
            &alice,
            &finish_url,
            &finish(credential, begun["ceremony"].clone()),
        )
        .await;
        assert_eq!(answer.0, 400, "{what}: {}", answer.1);
        refused(&answer, 400, "BAD_USER_INPUT");
        assert!(
            answer.1["message"].as_str().unwrap().contains(why),
            "{what}: {}",
            answer.1
        );
    }
    let answer = post_json(
        &alice,
        &finish_url,
        &finish(
            key.registration_with(&made, &key.attestation_object(&made)),
            json!("0190a0a0-0000-7000-8000-000000000000"),
        ),
    )
    .await;
    refused(&answer, 400, "BAD_USER_INPUT");
    assert!(
        factors_of(&app, &t, &t.alice).await.is_empty(),
        "nothing was registered"
    );

    // Now a real registration, for the authentications below.
    let (status, done) = register(&app, &t, &alice, &mut key, "Key").await;
    assert_eq!(status, 200, "{done}");

    // Passkey sign-in: another challenge, origin or relying party, a replayed answer, an
    // unknown credential, no user handle, a bad signature.
    let sign_in_csrf_browser = browser();
    let sign_in_csrf = csrf_of(&sign_in_csrf_browser, &login).await;
    let sb = &sign_in_csrf_browser;
    let sign_in_begin = || async {
        let (status, begun) = post_json(
            sb,
            &format!("{login}/passkey/options"),
            &json!({ "csrf": sign_in_csrf }),
        )
        .await;
        assert_eq!(status, 200, "{begun}");
        begun
    };
    let sign_in_finish = |credential: Value, ceremony: &Value| {
        let body = json!({ "csrf": sign_in_csrf, "ceremony": ceremony, "credential": credential });
        let url = format!("{login}/passkey/finish");
        async move { post_json(sb, &url, &body).await }
    };
    let begun = sign_in_begin().await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    assert_eq!(begun["options"]["publicKey"]["rpId"], "localhost");
    assert_eq!(
        begun["options"]["publicKey"]["userVerification"],
        "required"
    );
    assert!(begun["options"].get("mediation").is_none(), "{begun}");
    const UNKNOWN: &str = "not registered here";
    const REFUSED: &str = "was not accepted";
    let mut others: Vec<(&str, Value, &str)> = Vec::new();
    let mut m = made.clone();
    m.challenge = b64(b"an old challenge that was once ok");
    others.push(("another challenge", key.assertion_at(&m, 50), ELSEWHERE));
    let mut m = made.clone();
    m.origin = "http://localhost:8443".into();
    others.push(("another origin", key.assertion_at(&m, 51), ELSEWHERE));
    let mut m = made.clone();
    m.rp_id = "example.com".into();
    others.push(("another relying party", key.assertion_at(&m, 52), ELSEWHERE));
    let mut stranger = Authenticator::new();
    stranger.user_handle = key.user_handle.clone();
    others.push((
        "an unknown credential",
        stranger.assertion_at(&made, 1),
        UNKNOWN,
    ));
    let mut anonymous = key.assertion_at(&made, 53);
    anonymous["response"]["userHandle"] = Value::Null;
    others.push(("no user handle", anonymous, UNKNOWN));
    let mut forged = key.assertion_at(&made, 54);
    forged["response"]["signature"] = json!(b64(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]));
    others.push(("a bad signature", forged, REFUSED));
    let mut bad_base64 = key.assertion_at(&made, 55);
    bad_base64["response"]["authenticatorData"] = json!("%%%");
    others.push(("malformed base64", bad_base64, UNREADABLE));
    for (what, credential, why) in others {
        let begun = sign_in_begin().await;
        let answer = sign_in_finish(credential, &begun["ceremony"]).await;
        assert_eq!(answer.0, 400, "{what}: {}", answer.1);
        refused(&answer, 400, "BAD_USER_INPUT");
        assert!(
            answer.1["message"].as_str().unwrap().contains(why),
            "{what}: {}",
            answer.1
        );
    }
    // A good answer works once; replayed, with its ceremony or a new one, it does not.
    let begun = sign_in_begin().await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let good = key.assert(&made);
    let (status, done) = sign_in_finish(good.clone(), &begun["ceremony"]).await;
    assert_eq!(status, 200, "{done}");
    let replayed = sign_in_finish(good.clone(), &begun["ceremony"]).await;
    refused(&replayed, 400, "BAD_USER_INPUT");
    assert!(
        replayed.1["message"]
            .as_str()
            .unwrap()
            .contains("expired or was used"),
        "{}",
        replayed.1
    );
    let fresh = sign_in_begin().await;
    let replayed = sign_in_finish(good, &fresh["ceremony"]).await;
    refused(&replayed, 400, "BAD_USER_INPUT");
    assert!(
        replayed.1["message"].as_str().unwrap().contains(ELSEWHERE),
        "{}",
        replayed.1
    );
    // A sign-in ceremony begun in one browser cannot be finished in another.
    let begun = sign_in_begin().await;
    let made = Made::for_options(&begun["options"], ORIGIN);
    let elsewhere = browser();
    let their_csrf = csrf_of(&elsewhere, &login).await;
    let answer = post_json(
        &elsewhere,
        &format!("{login}/passkey/finish"),
        &json!({ "csrf": their_csrf, "ceremony": begun["ceremony"], "credential": key.assert(&made) }),
    )
    .await;
    refused(&answer, 400, "BAD_USER_INPUT");

    // The factor step: no step pending, and another instance's pending-step cookie.
    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["PASSKEY"] }),
    )
    .await;
    let other = lanyard_tests::saml::tenant(&app).await;
    app.gql(
        "mutation($i: ID!) { updateInstance(input: {id: $i, name: \"Other\", signInRules: {mfaRequired: EVERYONE, allowedFactors: [PASSKEY, TOTP]}}) { instance { id } } }",
        json!({ "i": other.instance }),
    )
    .await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // A pending step in the first instance.
    let login_page = plain.get(&login).send().await.unwrap();
    let pre = set_cookie(&login_page, "lanyard_pre").expect("a pre-session cookie");
    let html = login_page.text().await.unwrap();
    let stepped = plain
        .post(&login)
        .header("cookie", format!("lanyard_pre={pre}"))
        .form(&[
            ("csrf", hidden(&html, "csrf").unwrap()),
            ("username", "alice".into()),
            ("password", PASSWORD.into()),
        ])
        .send()
        .await
        .unwrap();
    let step_cookie = format!("lanyard_code_{}", t.instance);
    let step = set_cookie(&stepped, &step_cookie).expect("a pending step");
    // …and one in the other instance, from the same browser (its factor page's token).
    let other_login = format!("{}/sso/{}/login", app.base, other.instance);
    let html = plain
        .get(&other_login)
        .header("cookie", format!("lanyard_pre={pre}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let other_stepped = plain
        .post(&other_login)
        .header("cookie", format!("lanyard_pre={pre}"))
        .form(&[
            ("csrf", hidden(&html, "csrf").unwrap()),
            ("username", "alice".into()),
            ("password", PASSWORD.into()),
        ])
        .send()
        .await
        .unwrap();
    let other_step_cookie = format!("lanyard_code_{}", other.instance);
    let other_step = set_cookie(&other_stepped, &other_step_cookie).expect("a pending step");
    let other_factor = format!("{}/sso/{}/login/factor", app.base, other.instance);
    let other_csrf = hidden(
        &plain
            .get(&other_factor)
            .header(
                "cookie",
                format!("lanyard_pre={pre}; {other_step_cookie}={other_step}"),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "csrf",
    )
    .unwrap();
    // The first instance's step cookie, presented to the other instance under its name.
    let forged = plain
        .post(format!("{other_factor}/passkey/options"))
        .header(
            "cookie",
            format!("lanyard_pre={pre}; {other_step_cookie}={step}"),
        )
        .json(&json!({ "csrf": other_csrf }))
        .send()
        .await
        .unwrap();
    let forged = (forged.status().as_u16(), forged.json().await.unwrap());
    refused(&forged, 400, "BAD_USER_INPUT");
    // The other instance's token on the first instance's endpoint.
    let crossed = plain
        .post(format!("{factor}/passkey/options"))
        .header("cookie", format!("lanyard_pre={pre}; {step_cookie}={step}"))
        .json(&json!({ "csrf": other_csrf }))
        .send()
        .await
        .unwrap();
    let crossed = (crossed.status().as_u16(), crossed.json().await.unwrap());
    refused(&crossed, 403, "FORBIDDEN");
    // In the other instance alice has no passkey (her factor page offers an authenticator
    // app to set up): no passkey to give there.
    let none = plain
        .post(format!("{other_factor}/passkey/options"))
        .header(
            "cookie",
            format!("lanyard_pre={pre}; {other_step_cookie}={other_step}"),
        )
        .json(&json!({ "csrf": other_csrf }))
        .send()
        .await
        .unwrap();
    let none = (none.status().as_u16(), none.json().await.unwrap());
    refused(&none, 400, "BAD_USER_INPUT");
    // Alice's own step, with a wrong challenge and then an unknown credential: each refused
    // and each a try of the step.
    let b = browser();
    password(&app, &t, &b, "alice").await;
    let (status, answer) = give_passkey(&app, &t, &b, &mut key, |m| {
        m.challenge = b64(b"not the challenge of this step!!")
    })
    .await;
    refused(&(status, answer), 400, "BAD_USER_INPUT");
    let rejected = audit(&app, &t, "signInCodeRejected").await;
    assert_eq!(rejected[0]["summary"]["method"], "passkey", "{rejected:?}");
    let (status, answer) = give_passkey(&app, &t, &b, &mut key, |_| {}).await;
    assert_eq!(status, 200, "the right answer still works: {answer}");
    app.stop().await;
}

async fn factors_of(app: &TestApp, t: &Tenant, user: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { factors { kind } } }",
        json!({ "i": t.instance, "u": user }),
    )
    .await["userFactors"]["factors"]
        .as_array()
        .unwrap()
        .clone()
}
