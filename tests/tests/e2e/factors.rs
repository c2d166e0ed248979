//! Strong second factors through the real pages: an authenticator app enrolled on the account
//! page (its codes computed here by an independent RFC 6238 implementation on OpenSSL's HMAC,
//! not Lanyard's), signing in with it where everyone must give a factor, replay and drift
//! refused, wrong codes throttled like passwords, recovery codes used once, an administrator's
//! reset, and step-up: a policy that asks for MFA, or an AuthnRequest that asks for the REFEDS
//! MFA context, sends a password-only employee to her factor and then on to a verified SAML
//! Response instead of a denial.

use lanyard::config::{Config, SmtpSecurity};
use lanyard_tests::saml::{
    browser, check_response, encode, follow, hidden, location, metadata_certificate, posted_form,
    sign_in, tenant, Tenant, ACCOUNT_ID, ACS, AUDIENCE, PASSWORD,
};
use lanyard_tests::servers::{free_port, SmtpSink};
use lanyard_tests::TestApp;
use serde_json::{json, Value};

/// RFC 4648 base32 without padding, as otpauth URLs and the enrolment page show keys.
pub(crate) fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("a base32 character") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// The code of time step `step` for a base32 key (RFC 6238 with HMAC-SHA1, six digits).
pub(crate) fn code_at(secret: &str, step: i64) -> String {
    use openssl::{hash::MessageDigest, pkey::PKey, sign::Signer};
    let key = PKey::hmac(&base32_decode(secret)).unwrap();
    let mut signer = Signer::new(MessageDigest::sha1(), &key).unwrap();
    signer.update(&(step as u64).to_be_bytes()).unwrap();
    let mac = signer.sign_to_vec().unwrap();
    let offset = (mac[19] & 0x0f) as usize;
    let number = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    format!("{:06}", number % 1_000_000)
}

pub(crate) fn step_now() -> i64 {
    chrono::Utc::now().timestamp() / 30
}

#[test]
fn the_independent_implementation_gives_rfc_6238s_codes() {
    // Appendix B: the key "12345678901234567890", SHA-1, T = 59 and 1111111109.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(code_at(secret, 1), "287082");
    assert_eq!(code_at(secret, 37_037_036), "081804");
}

fn page_text(re: &str, html: &str) -> String {
    regex::Regex::new(re)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("{re} in {html}"))[1]
        .to_owned()
}

/// A browser signed in with her password (in an instance that does not require a factor).
async fn signed_in(app: &TestApp, t: &Tenant, username: &str) -> reqwest::Client {
    let b = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let done = sign_in(&app.base, &b, &login, username, PASSWORD).await;
    assert_eq!(done.status(), 303);
    assert!(location(&done).ends_with("/portal"), "{}", location(&done));
    b
}

/// Enrols an authenticator app on the account page of the signed-in browser; returns the key
/// and the recovery codes shown once.
pub(crate) async fn enrol_totp(
    app: &TestApp,
    instance: &str,
    b: &reqwest::Client,
) -> (String, Vec<String>) {
    let url = format!("{}/sso/{instance}/account/totp", app.base);
    let page = b.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("src=\"data:image/svg+xml;base64,"),
        "a QR code"
    );
    let secret = page_text("<code id=\"totp-secret\">([A-Z2-7 ]+)</code>", &html).replace(' ', "");
    let factor = hidden(&html, "factor").unwrap();
    let csrf = hidden(&html, "csrf").unwrap();
    // A wrong first code keeps the same key on the page.
    let wrong = code_at(&secret, step_now() - 5);
    let refused = b
        .post(&url)
        .form(&[
            ("csrf", &csrf),
            ("factor", &factor),
            ("code", &wrong),
            ("name", &"Phone".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let again = refused.text().await.unwrap();
    assert!(
        again.contains("current code. Check that your phone"),
        "a wrong code is said"
    );
    assert!(again.contains(&format!("value=\"{factor}\"")));
    let code = code_at(&secret, step_now());
    let confirmed = b
        .post(&url)
        .form(&[
            ("csrf", &csrf),
            ("factor", &factor),
            ("code", &code),
            ("name", &"Phone".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let account = confirmed.text().await.unwrap();
    assert!(
        account.contains("Your authenticator app is set up."),
        "{account}"
    );
    assert!(account.contains("<strong>Phone</strong>"), "{account}");
    let codes: Vec<String> = regex::Regex::new("<li><code>([a-z0-9-]{11})</code></li>")
        .unwrap()
        .captures_iter(&account)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{account}");
    (secret, codes)
}

async fn set_rules(app: &TestApp, t: &Tenant, rules: Value) -> Value {
    app.gql(
        "mutation($i: ID!, $r: SignInRulesInput) { updateInstance(input: {id: $i, name: \"Acme\", signInRules: $r}) { instance { secondFactor signInRules { mfaRequired allowedFactors passkeySignIn } } } }",
        json!({ "i": t.instance, "r": rules }),
    )
    .await["updateInstance"]["instance"]
        .clone()
}

/// Posts a code to the factor page of a browser whose step waits.
pub(crate) async fn give(
    app: &TestApp,
    b: &reqwest::Client,
    instance: &str,
    method: &str,
    code: &str,
) -> reqwest::Response {
    let url = format!("{}/sso/{instance}/login/factor", app.base);
    let page = b.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200, "a factor page");
    let html = page.text().await.unwrap();
    b.post(&url)
        .form(&[
            ("csrf", hidden(&html, "csrf").unwrap().as_str()),
            ("method", method),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
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

#[tokio::test]
async fn an_authenticator_app_signs_in_once_per_code_and_recovery_codes_once_each() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let alice = signed_in(&app, &t, "alice").await;
    let (secret, recovery) = enrol_totp(&app, &t.instance, &alice).await;
    let enrolled_step = step_now();

    let rules = set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["TOTP"] }),
    )
    .await;
    assert_eq!(
        rules["signInRules"],
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["TOTP"], "passkeySignIn": true })
    );
    assert_eq!(rules["secondFactor"], "EMAIL_CODE");
    // Everyone needing a factor with none allowed would lock everyone out.
    let refused = app
        .gql_as(
            &app.token,
            "mutation($i: ID!) { updateInstance(input: {id: $i, name: \"Acme\", signInRules: {mfaRequired: EVERYONE, allowedFactors: []}}) { instance { id } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused}"
    );

    // The password alone no longer signs in: it leads to the factor page.
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let b = browser();
    let first = sign_in(&app.base, &b, &login, "alice", PASSWORD).await;
    assert_eq!(
        location(&first),
        format!("http://127.0.0.1/sso/{}/login/factor", t.instance)
    );
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    assert_eq!(
        b.get(&portal).send().await.unwrap().status(),
        303,
        "no session yet"
    );

    // The code used at enrolment is spent; one far from now is out of the window.
    let replayed = give(
        &app,
        &b,
        &t.instance,
        "totp",
        &code_at(&secret, enrolled_step),
    )
    .await;
    let drifted = give(
        &app,
        &b,
        &t.instance,
        "totp",
        &code_at(&secret, step_now() + 3),
    )
    .await;
    for refused in [replayed, drifted] {
        assert_eq!(refused.status(), 401);
        let html = refused.text().await.unwrap();
        assert!(html.contains("The code is not correct."), "{html}");
    }
    // The next step's code (one step of drift) signs in, with the app's name on the session.
    let next = code_at(&secret, enrolled_step + 1);
    let accepted = give(
        &app,
        &b,
        &t.instance,
        "totp",
        &format!("{} {}", &next[..3], &next[3..]),
    )
    .await;
    assert_eq!(accepted.status(), 303, "{:?}", accepted.text().await);
    let tiles = follow(&app, &b, accepted).await.text().await.unwrap();
    assert!(tiles.contains("Alibaba Cloud"), "{tiles}");
    assert!(methods_of_sessions(&app, &t, &t.alice)
        .await
        .contains(&json!(["password", "totp"])));

    // The same code in another browser (another node would see the same row): refused.
    let other = browser();
    sign_in(&app.base, &other, &login, "alice", PASSWORD).await;
    let reused = give(&app, &other, &t.instance, "totp", &next).await;
    assert_eq!(reused.status(), 401);

    // A recovery code works once, typed in capitals with its dash.
    let rescue = give(
        &app,
        &other,
        &t.instance,
        "recovery",
        &recovery[0].to_uppercase(),
    )
    .await;
    assert_eq!(rescue.status(), 303, "{:?}", rescue.text().await);
    assert!(methods_of_sessions(&app, &t, &t.alice)
        .await
        .contains(&json!(["password", "recovery_code"])));
    let third = browser();
    sign_in(&app.base, &third, &login, "alice", PASSWORD).await;
    let spent = give(&app, &third, &t.instance, "recovery", &recovery[0]).await;
    assert_eq!(spent.status(), 401);
    let factors = app
        .gql(
            "query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { factors { kind name lastUsedAt } recoveryCodesLeft } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    assert_eq!(factors["userFactors"]["recoveryCodesLeft"], 9);
    assert_eq!(factors["userFactors"]["factors"][0]["kind"], "TOTP");
    assert_eq!(factors["userFactors"]["factors"][0]["name"], "Phone");
    assert!(factors["userFactors"]["factors"][0]["lastUsedAt"].is_string());
    let text = serde_json::to_string(&factors).unwrap();
    assert!(!text.contains(&secret), "no secret leaves the server");

    // Wrong codes count as failed sign-ins: the account locks as after wrong passwords.
    for _ in 0..4 {
        let wrong = give(&app, &third, &t.instance, "totp", "000000").await;
        assert!(
            matches!(wrong.status().as_u16(), 401 | 429),
            "{}",
            wrong.status()
        );
    }
    let locked = sign_in(&app.base, &browser(), &login, "alice", PASSWORD).await;
    assert_eq!(locked.status(), 429, "{:?}", locked.text().await);
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"signInCodeRejected\"}) { totalCount } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert!(
        audit["auditEvents"]["totalCount"].as_i64().unwrap() >= 5,
        "{audit}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_resets_factors_and_she_enrols_again_at_sign_in() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(|config: &mut Config| {
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = Some(smtp.port);
        config.smtp.security = SmtpSecurity::None;
    })
    .await;
    let t = tenant(&app).await;
    app.gql(
        "mutation($i: ID!, $u: ID!) { updateUser(input: {instanceId: $i, id: $u, email: \"bob@corp.example\"}) { user { id } } }",
        json!({ "i": t.instance, "u": t.bob }),
    )
    .await;
    let bob = signed_in(&app, &t, "bob").await;
    enrol_totp(&app, &t.instance, &bob).await;
    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["TOTP"] }),
    )
    .await;

    let reset = app
        .gql(
            "mutation($i: ID!, $u: ID!) { resetUserFactors(input: {instanceId: $i, userId: $u}) { removedCount sessionsEnded emailed } }",
            json!({ "i": t.instance, "u": t.bob }),
        )
        .await;
    assert_eq!(
        reset["resetUserFactors"],
        json!({ "removedCount": 1, "sessionsEnded": 1, "emailed": true })
    );
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    assert_eq!(
        bob.get(&portal).send().await.unwrap().status(),
        303,
        "signed out"
    );
    let told = smtp.wait_for(1).await.remove(0);
    assert_eq!(told["rcpt_tos"], json!(["bob@corp.example"]));
    assert_eq!(told["subject"], "Your second factors at Acme were removed");
    let text = told["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("http://127.0.0.1/sso/{}/account", t.instance)),
        "{text}"
    );

    // Without a factor where everyone needs one, the factor page enrols an app.
    let b = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let first = sign_in(&app.base, &b, &login, "bob", PASSWORD).await;
    let page = follow(&app, &b, first).await.text().await.unwrap();
    assert!(page.contains("Set up an authenticator app"), "{page}");
    let secret = page_text("<code id=\"totp-secret\">([A-Z2-7 ]+)</code>", &page).replace(' ', "");
    let enrolled = b
        .post(format!(
            "{}/sso/{}/login/factor/enrol",
            app.base, t.instance
        ))
        .form(&[
            ("csrf", hidden(&page, "csrf").unwrap()),
            ("factor", hidden(&page, "factor").unwrap()),
            ("code", code_at(&secret, step_now())),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 200);
    let shown = enrolled.text().await.unwrap();
    assert!(shown.contains("Save your recovery codes"), "{shown}");
    assert_eq!(
        b.get(&portal).send().await.unwrap().status(),
        200,
        "signed in"
    );
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"resetUserFactors\"}) { nodes { summary } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        audit["auditEvents"]["nodes"][0]["summary"]["factorsRemoved"], 1,
        "{audit}"
    );
    app.stop().await;
    smtp.stop().await;
}

/// An AuthnRequest (HTTP-Redirect) that asks for the REFEDS MFA context, `IsPassive` or not.
fn mfa_request(id: &str, passive: bool) -> String {
    let xml = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" \
         IsPassive=\"{passive}\" \
         IssueInstant=\"{}\" AssertionConsumerServiceURL=\"{ACS}\" \
         ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\">\
         <saml:Issuer>{AUDIENCE}</saml:Issuer>\
         <samlp:RequestedAuthnContext Comparison=\"exact\">\
         <saml:AuthnContextClassRef>https://refeds.org/profile/mfa</saml:AuthnContextClassRef>\
         </samlp:RequestedAuthnContext></samlp:AuthnRequest>",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    format!(
        "SAMLRequest={}",
        encode(&lanyard_tests::saml::deflate(xml.as_bytes()))
    )
}

#[tokio::test]
async fn a_policy_or_a_request_that_asks_for_mfa_steps_the_session_up() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let certificate = metadata_certificate(&app, &t.app).await;
    let mfa = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.mfa && context.assuranceLevel >= 2 };";
    let created = app
        .gql(
            "mutation($i: ID!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: \"MFA for everything\", source: $s}) { accessPolicy { id } } }",
            json!({ "i": t.instance, "s": mfa }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");

    // Explain and what-if see the same context: the methods decide mfa and the level.
    for (methods, allowed) in [
        (json!(["password"]), false),
        (json!(["password", "totp"]), true),
        (json!(["passkey"]), true),
        (json!(["email_code"]), false),
    ] {
        let explained = app
            .gql(
                "query($u: ID!, $a: ID!, $c: AccessContextInput) { explainAccess(userId: $u, applicationId: $a, context: $c) { allowed } }",
                json!({ "u": t.bob, "a": t.app, "c": { "authMethods": methods } }),
            )
            .await;
        assert_eq!(
            explained["explainAccess"]["allowed"], allowed,
            "{methods}: {explained}"
        );
    }
    let level = app
        .gql_as(
            &app.token,
            "query($u: ID!, $a: ID!) { explainAccess(userId: $u, applicationId: $a, context: {assuranceLevel: 4}) { allowed } }",
            json!({ "u": t.bob, "a": t.app }),
        )
        .await;
    assert_eq!(
        level["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{level}"
    );

    // Bob has no factor (and no email address): the denial says why and where to set one up.
    let bob = signed_in(&app, &t, "bob").await;
    let start = format!("{}/saml/apps/{}/start", app.base, t.app);
    let denied = bob.get(&start).send().await.unwrap();
    assert_eq!(denied.status(), 403);
    let page = denied.text().await.unwrap();
    assert!(page.contains("you have none set up yet"), "{page}");
    assert!(
        page.contains(&format!("href=\"/sso/{}/account\"", t.instance)),
        "{page}"
    );
    assert!(!page.contains("SAMLResponse"));

    // Alice has an authenticator app: the portal shows the application, and opening it asks
    // for her code, then goes on to the Response.
    let alice = signed_in(&app, &t, "alice").await;
    let (secret, _) = enrol_totp(&app, &t.instance, &alice).await;
    let enrolled_step = step_now();
    // Enrolling upgraded nothing: the session is still password-only.
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    let tiles = alice
        .get(&portal)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tiles.contains("Alibaba Cloud"), "{tiles}");
    let asked = alice.get(&start).send().await.unwrap();
    assert_eq!(asked.status(), 303);
    assert_eq!(
        location(&asked),
        format!("http://127.0.0.1/sso/{}/login/factor", t.instance)
    );
    let page = follow(&app, &alice, asked).await.text().await.unwrap();
    assert!(
        page.contains("This application asks for a second factor."),
        "{page}"
    );
    let stepped = give(
        &app,
        &alice,
        &t.instance,
        "totp",
        &code_at(&secret, enrolled_step + 1),
    )
    .await;
    assert_eq!(
        location(&stepped),
        format!("http://127.0.0.1/saml/apps/{}/start", t.app)
    );
    let posted = posted_form(follow(&app, &alice, stepped).await).await;
    assert_eq!(
        check_response(&posted.xml, &certificate, &t.app, None),
        format!("alice@{ACCOUNT_ID}.onaliyun.com")
    );
    assert!(
        posted.xml.contains("https://refeds.org/profile/mfa"),
        "{}",
        posted.xml
    );
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"stepUp\"}) { nodes { summary } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        audit["auditEvents"]["nodes"][0]["summary"]["authMethods"],
        json!(["password", "totp"])
    );

    // SP-initiated: a request for the MFA context from a password-only session steps up too,
    // and the Response answers that request.
    let carol = app.create_user(&t.instance, "carol", Some(PASSWORD)).await;
    let carol_browser = signed_in(&app, &t, "carol").await;
    let (carol_secret, _) = enrol_totp(&app, &t.instance, &carol_browser).await;
    let carol_step = step_now();
    let sso = format!(
        "{}/saml/apps/{}/sso?{}",
        app.base,
        t.app,
        mfa_request("_mfa-request-1", false)
    );
    // A passive request cannot show the factor page: it is answered NoPassive.
    let passive = format!(
        "{}/saml/apps/{}/sso?{}",
        app.base,
        t.app,
        mfa_request("_mfa-passive", true)
    );
    let answered = carol_browser.get(&passive).send().await.unwrap();
    let html = answered.text().await.unwrap();
    let encoded = hidden(&html, "SAMLResponse").expect("a failure Response");
    use base64::Engine;
    let xml = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap();
    assert!(
        xml.contains("urn:oasis:names:tc:SAML:2.0:status:NoPassive")
            && xml.contains("InResponseTo=\"_mfa-passive\""),
        "{xml}"
    );
    let asked = carol_browser.get(&sso).send().await.unwrap();
    assert_eq!(
        location(&asked),
        format!("http://127.0.0.1/sso/{}/login/factor", t.instance)
    );
    let stepped = give(
        &app,
        &carol_browser,
        &t.instance,
        "totp",
        &code_at(&carol_secret, carol_step + 1),
    )
    .await;
    assert!(
        location(&stepped).starts_with("http://127.0.0.1/saml/requests/"),
        "{}",
        location(&stepped)
    );
    let posted = posted_form(follow(&app, &carol_browser, stepped).await).await;
    assert_eq!(
        check_response(&posted.xml, &certificate, &t.app, Some("_mfa-request-1")),
        format!("carol@{ACCOUNT_ID}.onaliyun.com")
    );
    assert!(posted.xml.contains("https://refeds.org/profile/mfa"));
    assert!(methods_of_sessions(&app, &t, &carol)
        .await
        .contains(&json!(["password", "totp"])));
    app.stop().await;
}

#[tokio::test]
async fn hostile_factor_forms_get_clear_refusals_and_change_nothing() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let alice = signed_in(&app, &t, "alice").await;
    let (secret, recovery) = enrol_totp(&app, &t.instance, &alice).await;
    let enrolled_step = step_now();
    set_rules(
        &app,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["TOTP"] }),
    )
    .await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let b = browser();
    sign_in(&app.base, &b, &login, "alice", PASSWORD).await;
    let url = format!("{}/sso/{}/login/factor", app.base, t.instance);
    let html = b.get(&url).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&html, "csrf").unwrap();
    let next = code_at(&secret, enrolled_step + 1);

    // Without the CSRF token, with oversized fields, an unknown method, a method the instance
    // does not allow (the emailed code), not a form, or enrolling while she has a factor: 4xx.
    let post = |fields: Vec<(&'static str, String)>, path: &'static str| {
        let b = b.clone();
        let url = format!("{url}{path}");
        async move { b.post(url).form(&fields).send().await.unwrap().status() }
    };
    assert_eq!(
        post(vec![("method", "totp".into()), ("code", next.clone())], "").await,
        403
    );
    let huge = "9".repeat(100_000);
    for (fields, path, status) in [
        (
            vec![
                ("csrf", csrf.clone()),
                ("method", "totp".into()),
                ("code", huge.clone()),
            ],
            "",
            400,
        ),
        (
            vec![
                ("csrf", csrf.clone()),
                ("method", "sms".into()),
                ("code", next.clone()),
            ],
            "",
            400,
        ),
        (
            vec![
                ("csrf", csrf.clone()),
                ("method", "totp".into()),
                ("name", huge.clone()),
            ],
            "",
            400,
        ),
        (vec![("csrf", csrf.clone())], "/email", 400),
        (
            vec![
                ("csrf", csrf.clone()),
                ("factor", "not-an-id".into()),
                ("code", next.clone()),
            ],
            "/enrol",
            400,
        ),
    ] {
        assert_eq!(
            post(fields.clone(), path).await,
            status,
            "{path} {:?}",
            &fields[1..]
        );
    }
    let json_body = b
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"method\": \"totp\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), 400);
    // A forged or foreign step cookie is no step: back to sign-in.
    let forged = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&url)
        .header(
            "cookie",
            format!("lanyard_code_{}=eyJhbGciOiJub25lIn0.e30.", t.instance),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 303);
    // The account page's forms refuse a session that has not proved her factor.
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let page = alice
        .get(&account)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("first confirm it"),
        "her factors are locked until she confirms"
    );
    let account_csrf = hidden(&page, "csrf").unwrap();
    let removed = alice
        .post(format!("{account}/factors/remove"))
        .form(&[("csrf", account_csrf.as_str()), ("factor", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 403);
    let new_codes = alice
        .post(format!("{account}/recovery-codes"))
        .form(&[("csrf", account_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(new_codes.status(), 403);
    // Nothing above counted: the right code still signs in.
    let accepted = give(&app, &b, &t.instance, "totp", &next).await;
    assert_eq!(accepted.status(), 303, "{:?}", accepted.text().await);

    // "Confirm it's you" steps her account page up (here with a recovery code); then she may
    // remove her app, and her recovery codes go with her last factor.
    let verify = alice
        .post(format!("{account}/verify"))
        .form(&[("csrf", account_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&verify),
        format!("http://127.0.0.1/sso/{}/login/factor", t.instance)
    );
    let back = give(&app, &alice, &t.instance, "recovery", &recovery[1]).await;
    assert_eq!(
        location(&back),
        format!("http://127.0.0.1/sso/{}/account", t.instance)
    );
    let page = follow(&app, &alice, back).await.text().await.unwrap();
    let factor = page_text("name=\"factor\" value=\"([^\"]+)\"", &page);
    let removed = alice
        .post(format!("{account}/factors/remove"))
        .form(&[
            ("csrf", hidden(&page, "csrf").unwrap().as_str()),
            ("factor", factor.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);
    let page = removed.text().await.unwrap();
    assert!(page.contains("The second factor was removed."), "removed");
    let left = app
        .gql(
            "query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { factors { id } recoveryCodesLeft } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    assert_eq!(
        left["userFactors"],
        json!({ "factors": [], "recoveryCodesLeft": 0 })
    );
    app.stop().await;
}

#[tokio::test]
async fn one_code_at_two_nodes_at_once_signs_in_once() {
    if lanyard_tests::postgres_base().is_none() {
        eprintln!("several nodes share PostgreSQL only (SQLite is for one node): runs in the PostgreSQL suite");
        return;
    }
    let first = TestApp::spawn().await;
    let second = first.spawn_peer(|_| {}).await;
    let t = tenant(&first).await;
    let alice = signed_in(&first, &t, "alice").await;
    let (secret, _) = enrol_totp(&first, &t.instance, &alice).await;
    let enrolled_step = step_now();
    set_rules(
        &first,
        &t,
        json!({ "mfaRequired": "EVERYONE", "allowedFactors": ["TOTP"] }),
    )
    .await;
    // One pending step (a new sign-in would void the other), its form posted to both nodes at
    // once with the same code.
    let one = browser();
    let login = format!("{}/sso/{}/login", first.base, t.instance);
    let started = sign_in(&first.base, &one, &login, "alice", PASSWORD).await;
    assert!(location(&started).ends_with("/login/factor"));
    let path = format!("/sso/{}/login/factor", t.instance);
    let html = one
        .get(format!("{}{path}", second.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let code = code_at(&secret, enrolled_step + 1);
    let fields = [
        ("csrf", hidden(&html, "csrf").unwrap()),
        ("method", "totp".to_owned()),
        ("code", code),
    ];
    let (a, b) = tokio::join!(
        one.post(format!("{}{path}", first.base))
            .form(&fields)
            .send(),
        one.post(format!("{}{path}", second.base))
            .form(&fields)
            .send()
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    // One opens the session (on to the portal); the other finds the code used (refused) or the
    // step spent (back to sign-in).
    let onward: Vec<bool> = [&a, &b]
        .iter()
        .map(|r| {
            r.status() == 303
                && r.headers()["location"]
                    .to_str()
                    .unwrap()
                    .ends_with("/portal")
        })
        .collect();
    assert_eq!(
        onward.iter().filter(|o| **o).count(),
        1,
        "{} {}",
        a.status(),
        b.status()
    );
    let with_totp = methods_of_sessions(&first, &t, &t.alice)
        .await
        .into_iter()
        .filter(|m| *m == json!(["password", "totp"]))
        .count();
    assert_eq!(with_totp, 1);
    second.stop().await;
    first.stop().await;
}
