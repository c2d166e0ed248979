//! The emailed one-time code as a second factor, through a real SMTP server (aiosmtpd on
//! loopback) and the real sign-in pages: the code in the email opens the session, policies
//! that ask for MFA then allow SSO, and wrong, reused, voided or exhausted codes are refused.
//! Also the notice an employee gets when failed sign-ins lock their account.

use std::time::Duration;

use lanyard::config::{Config, SmtpSecurity};
use lanyard_tests::saml::{
    browser, check_response, follow, hidden, location, metadata_certificate, posted_form,
    redirect_query, sign_in, tenant, Tenant, ACCOUNT_ID, PASSWORD,
};
use lanyard_tests::servers::{free_port, SmtpSink};
use lanyard_tests::TestApp;
use serde_json::{json, Value};

fn with_smtp(port: u16) -> impl FnOnce(&mut Config) {
    move |config| {
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = Some(port);
        config.smtp.security = SmtpSecurity::None;
    }
}

async fn set_email(app: &TestApp, t: &Tenant, user: &str, email: &str) {
    let data = app
        .gql(
            "mutation($i: ID!, $u: ID!, $e: String) { updateUser(input: {instanceId: $i, id: $u, email: $e}) { user { email } } }",
            json!({ "i": t.instance, "u": user, "e": email }),
        )
        .await;
    assert_eq!(data["updateUser"]["user"]["email"], email, "{data}");
}

async fn require_codes(app: &TestApp, t: &Tenant) {
    let data = app
        .gql(
            "mutation($i: ID!) { updateInstance(input: {id: $i, name: \"Acme\", secondFactor: EMAIL_CODE}) { instance { secondFactor } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(
        data["updateInstance"]["instance"]["secondFactor"],
        "EMAIL_CODE"
    );
}

/// The six digits on a line of their own in the email's text body.
fn code_in(message: &Value) -> String {
    let text = message["text"].as_str().expect("a text body");
    text.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("a code in {text}"))
        .to_owned()
}

/// The CSRF token of the code form at `/sso/{instance}/login/code`.
async fn code_form_csrf(app: &TestApp, browser: &reqwest::Client, instance: &str) -> String {
    let url = format!("{}/sso/{instance}/login/code", app.base);
    let page = browser.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the code form");
    hidden(&page.text().await.unwrap(), "csrf").unwrap()
}

async fn post_code(
    app: &TestApp,
    browser: &reqwest::Client,
    instance: &str,
    csrf: &str,
    code: &str,
) -> reqwest::Response {
    browser
        .post(format!("{}/sso/{instance}/login/code", app.base))
        .form(&[("csrf", csrf), ("code", code)])
        .send()
        .await
        .unwrap()
}

/// Loads the code form and posts `code` with it.
async fn submit_code(
    app: &TestApp,
    browser: &reqwest::Client,
    instance: &str,
    code: &str,
) -> reqwest::Response {
    let csrf = code_form_csrf(app, browser, instance).await;
    post_code(app, browser, instance, &csrf, code).await
}

/// Any six digits but `code`.
fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn an_emailed_code_completes_sign_in_and_satisfies_mfa_policies() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let t = tenant(&app).await;
    set_email(&app, &t, &t.alice, "alice@corp.example").await;
    let mfa =
        "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.mfa };";
    let created = app
        .gql(
            "mutation($i: ID!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: \"MFA for everything\", source: $s}) { accessPolicy { id } } }",
            json!({ "i": t.instance, "s": mfa }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);

    // With the password alone the MFA policy denies Alibaba Cloud; the portal still lists it,
    // since a factor she can give (an emailed code) would open it (factors.rs opens one).
    let password_only = browser();
    let signed_in = sign_in(&app.base, &password_only, &login, "alice", PASSWORD).await;
    assert_eq!(
        location(&signed_in),
        format!("http://127.0.0.1/sso/{}/portal", t.instance)
    );
    let tiles = password_only
        .get(&portal)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tiles.contains("Alibaba Cloud"), "{tiles}");

    require_codes(&app, &t).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let alice = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = sign_in(&app.base, &alice, &login, "alice", PASSWORD).await;
    assert_eq!(first.status(), 303);
    assert_eq!(
        location(&first),
        format!("http://127.0.0.1/sso/{}/login/code", t.instance)
    );
    // No session yet: the portal still sends alice to sign in.
    assert_eq!(alice.get(&portal).send().await.unwrap().status(), 303);
    let form = follow(&app, &alice, first).await.text().await.unwrap();
    assert!(form.contains("a…e@corp.example"), "{form}");
    assert!(form.contains("autocomplete=\"one-time-code\""), "{form}");

    let message = smtp.wait_for(1).await.remove(0);
    assert_eq!(message["rcpt_tos"], json!(["alice@corp.example"]));
    let code = code_in(&message);
    assert_eq!(
        message["subject"],
        format!("{code} is your sign-in code for Acme")
    );
    assert!(message["html"].as_str().unwrap().contains(&code));

    let refused = submit_code(&app, &alice, &t.instance, &wrong(&code)).await;
    assert_eq!(refused.status(), 401);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("The code is not correct. 4 tries left."));

    // A code typed with a space in the middle, as people copy it.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let csrf = code_form_csrf(&app, &alice, &t.instance).await;
    let base: reqwest::Url = app.base.parse().unwrap();
    let code_cookie = {
        use reqwest::cookie::CookieStore;
        let path = base
            .join(&format!("/sso/{}/login/code", t.instance))
            .unwrap();
        let all = jar.cookies(&path).unwrap();
        let name = format!("lanyard_code_{}=", t.instance);
        all.to_str()
            .unwrap()
            .split("; ")
            .find(|c| c.starts_with(&name))
            .expect("the code cookie")
            .to_owned()
    };
    let accepted = post_code(&app, &alice, &t.instance, &csrf, &spaced).await;
    assert_eq!(accepted.status(), 303, "{:?}", accepted.text().await);
    let tiles = follow(&app, &alice, accepted).await.text().await.unwrap();
    assert!(tiles.contains("Alibaba Cloud"), "{tiles}");

    // The session records both methods; IdP-initiated SSO now passes the MFA policy.
    let sessions = app
        .gql(
            "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { authMethods } }",
            json!({ "i": t.instance, "u": t.alice }),
        )
        .await;
    let methods: Vec<&Value> = sessions["userSessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["authMethods"])
        .collect();
    assert!(
        methods.contains(&&json!(["password", "email_code"])),
        "{methods:?}"
    );
    let certificate = metadata_certificate(&app, &t.app).await;
    let started = alice
        .get(format!("{}/saml/apps/{}/start", app.base, t.app))
        .send()
        .await
        .unwrap();
    let posted = posted_form(started).await;
    let name_id = check_response(&posted.xml, &certificate, &t.app, None);
    assert_eq!(name_id, format!("alice@{ACCOUNT_ID}.onaliyun.com"));

    // The code works once: the same form with the same cookie is refused the second time.
    jar.add_cookie_str(&format!("{code_cookie}; Path=/sso/{}/", t.instance), &base);
    let replayed = post_code(&app, &alice, &t.instance, &csrf, &code).await;
    assert_eq!(replayed.status(), 401);
    assert!(replayed
        .text()
        .await
        .unwrap()
        .contains("The code has expired or was tried too often"));

    // bob has no email address: no code is sent him; where authenticator apps are allowed too
    // (EMAIL_CODE leaves every factor allowed), he sets one up on the factor page instead.
    let bob = browser();
    let asked = sign_in(&app.base, &bob, &login, "bob", PASSWORD).await;
    assert_eq!(
        location(&asked),
        format!("http://127.0.0.1/sso/{}/login/factor", t.instance)
    );
    let page = follow(&app, &bob, asked).await.text().await.unwrap();
    assert!(page.contains("Set up an authenticator app"), "{page}");
    assert_eq!(smtp.messages().len(), 1);
    app.stop().await;
    smtp.stop().await;
}

#[tokio::test]
async fn codes_expire_after_five_wrong_tries_and_a_new_sign_in_voids_the_old_code() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let t = tenant(&app).await;
    set_email(&app, &t, &t.alice, "alice@corp.example").await;
    require_codes(&app, &t).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);

    // SP-initiated: the request waits through both steps.
    let first = browser();
    let sso = format!("{}/saml/apps/{}/sso", app.base, t.app);
    let started = first
        .get(format!("{sso}?{}", redirect_query("_req-code", None)))
        .send()
        .await
        .unwrap();
    let login_with_request = location(&started).replacen("http://127.0.0.1", &app.base, 1);
    assert_eq!(
        sign_in(&app.base, &first, &login_with_request, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let first_csrf = code_form_csrf(&app, &first, &t.instance).await;
    let first_code = code_in(&smtp.wait_for(1).await[0]);

    // Signing in again elsewhere sends a new code and voids the first.
    let second = browser();
    assert_eq!(
        sign_in(&app.base, &second, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let second_code = code_in(&smtp.wait_for(2).await[1]);
    let voided = post_code(&app, &first, &t.instance, &first_csrf, &first_code).await;
    assert_eq!(voided.status(), 401);
    assert!(voided
        .text()
        .await
        .unwrap()
        .contains("The code has expired or was tried too often"));

    // Five wrong guesses end the second code, even for its right value.
    for tries_left in (1..=4).rev() {
        let refused = submit_code(&app, &second, &t.instance, &wrong(&second_code)).await;
        let page = refused.text().await.unwrap();
        let word = if tries_left == 1 { "try" } else { "tries" };
        assert!(
            page.contains(&format!("{tries_left} {word} left")),
            "{page}"
        );
    }
    let fifth = submit_code(&app, &second, &t.instance, &wrong(&second_code)).await;
    assert!(fifth
        .text()
        .await
        .unwrap()
        .contains("The code has expired or was tried too often"));
    let form = second
        .get(format!("{}/sso/{}/login/code", app.base, t.instance))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 303, "no code pending: back to sign-in");

    // A fresh sign-in in the first browser goes on to the waiting AuthnRequest.
    assert_eq!(
        sign_in(&app.base, &first, &login_with_request, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let third_code = code_in(&smtp.wait_for(3).await[2]);
    let accepted = submit_code(&app, &first, &t.instance, &third_code).await;
    assert_eq!(accepted.status(), 303);
    assert!(
        location(&accepted).contains("/saml/requests/"),
        "{}",
        location(&accepted)
    );
    let certificate = metadata_certificate(&app, &t.app).await;
    let posted = posted_form(follow(&app, &first, accepted).await).await;
    check_response(&posted.xml, &certificate, &t.app, Some("_req-code"));

    let rejected = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"signInCodeRejected\"}) { totalCount } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(rejected["auditEvents"]["totalCount"], 5, "{rejected}");
    app.stop().await;
    smtp.stop().await;
}

#[tokio::test]
async fn hostile_code_forms_get_clear_refusals() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let t = tenant(&app).await;
    set_email(&app, &t, &t.alice, "alice@corp.example").await;
    require_codes(&app, &t).await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let alice = browser();
    sign_in(&app.base, &alice, &login, "alice", PASSWORD).await;
    let code = code_in(&smtp.wait_for(1).await[0]);
    let url = format!("{}/sso/{}/login/code", app.base, t.instance);
    let html = alice.get(&url).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&html, "csrf").unwrap();

    // Without the CSRF token, with an oversized code, or not a form at all: 4xx, no session.
    let no_csrf = alice
        .post(&url)
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    let huge = "9".repeat(100_000);
    let oversized = alice
        .post(&url)
        .form(&[("csrf", csrf.as_str()), ("code", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 400);
    let json_body = alice
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"code\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), 400);
    // A forged cookie naming no code, or another instance's, is no code at all.
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
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    assert_eq!(alice.get(&portal).send().await.unwrap().status(), 303);
    // The real code still works afterwards: none of the above counted as a try.
    let accepted = submit_code(&app, &alice, &t.instance, &code).await;
    assert_eq!(accepted.status(), 303);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(alice.get(&portal).send().await.unwrap().status(), 200);
    app.stop().await;
    smtp.stop().await;
}

#[tokio::test]
async fn the_failure_that_locks_an_account_emails_its_owner_once() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let t = tenant(&app).await;
    set_email(&app, &t, &t.alice, "alice@corp.example").await;
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let attacker = browser();
    for _ in 0..7 {
        sign_in(&app.base, &attacker, &login, "alice", "guess").await;
    }
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages[0]["rcpt_tos"], json!(["alice@corp.example"]));
    assert_eq!(messages[0]["subject"], "Your account at Acme is locked");
    assert!(messages[0]["text"]
        .as_str()
        .unwrap()
        .contains(&format!("/i/{}/password/forgot", t.instance)));
    // Guesses while locked are refused before counting: no second notice.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.messages().len(), 1);
    // An unknown username locks too (the answer must not tell), but nobody is emailed.
    for _ in 0..5 {
        sign_in(&app.base, &attacker, &login, "nobody", "guess").await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.messages().len(), 1);
    app.stop().await;
    smtp.stop().await;
}
