//! Email through a real SMTP server (aiosmtpd on loopback): invitations and password resets
//! followed end to end, the locked-account notice, SMTP outages, STARTTLS/TLS with AUTH, two
//! nodes sharing the outbox, and hostile input to the recovery forms.

use std::collections::HashSet;
use std::time::Duration;

use lanyard::config::{Config, SmtpSecurity};
use lanyard_tests::saml::portal_username;
use lanyard_tests::servers::{free_port, link_in, wait_until, SmtpMode, SmtpSink, TestCertificate};
use lanyard_tests::{test_config, TestApp};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use serde_json::{json, Value};

fn with_smtp(port: u16) -> impl FnOnce(&mut Config) {
    move |config| {
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = Some(port);
        config.smtp.security = SmtpSecurity::None;
    }
}

async fn user_with_email(app: &TestApp, instance: &str, username: &str) -> String {
    let data = app
        .gql(
            "mutation($i: ID!, $u: String!, $e: String!) { createUser(input: {instanceId: $i, username: $u, email: $e, displayName: \"Ann O'Neil <QA>\"}) { user { id } } }",
            json!({ "i": instance, "u": username, "e": format!("{username}@corp.example") }),
        )
        .await;
    data["createUser"]["user"]["id"]
        .as_str()
        .expect("user id")
        .to_owned()
}

async fn invite(app: &TestApp, instance: &str, user: &str) -> String {
    let data = app
        .gql(
            "mutation($i: ID!, $u: ID!) { inviteUser(input: {instanceId: $i, userId: $u}) { expiresAt delivery { id kind topic recipient status } } }",
            json!({ "i": instance, "u": user }),
        )
        .await;
    let delivery = &data["inviteUser"]["delivery"];
    assert_eq!(delivery["kind"], "EMAIL");
    assert_eq!(delivery["topic"], "invitation");
    delivery["id"].as_str().expect("delivery id").to_owned()
}

async fn delivery(app: &TestApp, instance: &str, id: &str) -> Value {
    app.gql(
        "query($i: ID!, $d: ID!) { delivery(instanceId: $i, id: $d) { id status attempts lastError eventId log { attempt delivered statusCode error responseExcerpt } } }",
        json!({ "i": instance, "d": id }),
    )
    .await["delivery"]
        .clone()
}

/// The path and query of an emailed link (the tests' public_url has no port).
fn path_of(link: &str) -> String {
    let rest = link
        .strip_prefix("http://127.0.0.1")
        .unwrap_or_else(|| panic!("a link on the public URL: {link}"));
    rest.to_owned()
}

/// A browser-like session on the recovery pages: keeps the form cookie.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base.clone(),
            cookie: None,
        }
    }

    fn remember(&mut self, response: &reqwest::Response) {
        if let Some(set) = response.headers().get("set-cookie") {
            let set = set.to_str().unwrap();
            assert!(
                set.starts_with("lanyard_pre=")
                    && set.contains("HttpOnly")
                    && set.contains("SameSite=Lax"),
                "{set}"
            );
            self.cookie = Some(set.split(';').next().unwrap().to_owned());
        }
    }

    async fn get(&mut self, path: &str) -> (u16, String) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        self.remember(&response);
        let status = response.status().as_u16();
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        (status, response.text().await.unwrap())
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let mut request = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        self.remember(&response);
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

/// The value of a hidden input of a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("a hidden {name} in {page}"))
        + marker.len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&amp;", "&")
}

async fn password_works(app: &TestApp, user_id: &str, password: &str) -> bool {
    let db = Database::connect(&app.database_url).await.unwrap();
    let user = entity::user::Entity::find_by_id(user_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    db.close().await.ok();
    lanyard::password::verify(user.password_hash, password.to_owned()).await
}

/// Opens the set-password link, sets `password`, and returns the final page.
async fn set_password_through(app: &TestApp, link: &str, password: &str) -> (u16, String) {
    let mut browser = Browser::new(app);
    let (status, form) = browser.get(&path_of(link)).await;
    assert_eq!(status, 200, "{form}");
    let action = path_of(link).split('?').next().unwrap().to_owned();
    browser
        .post(
            &action,
            &[
                ("csrf", &hidden(&form, "csrf")),
                ("token", &hidden(&form, "token")),
                ("password", password),
                ("confirm", password),
            ],
        )
        .await
}

#[tokio::test]
async fn an_invitation_is_mailed_and_its_link_sets_the_password_once() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "ann").await;
    let delivery_id = invite(&app, &instance, &user).await;

    let message = smtp.wait_for(1).await.remove(0);
    assert_eq!(message["rcpt_tos"], json!(["ann@corp.example"]));
    assert_eq!(message["mail_from"], "no-reply@lanyard.test");
    assert_eq!(message["subject"], "You are invited to Acme");
    assert_eq!(
        message["message_id"],
        format!("<{delivery_id}@lanyard.test>"),
        "the Message-ID is stable: the outbox id"
    );
    let html = message["html"].as_str().unwrap();
    assert!(
        html.contains("Ann O&#39;Neil &lt;QA&gt;"),
        "escaped: {html}"
    );
    let link = link_in(&message);
    assert!(link.starts_with(&format!(
        "http://127.0.0.1/i/{instance}/password/set?token="
    )));

    wait_until(
        Duration::from_secs(10),
        "the delivery is marked",
        || async { delivery(&app, &instance, &delivery_id).await["status"] == "DELIVERED" },
    )
    .await;
    let status = delivery(&app, &instance, &delivery_id).await;
    assert_eq!(status["attempts"], 1);
    assert_eq!(status["log"][0]["statusCode"], 250);
    assert_eq!(status["log"][0]["delivered"], true);

    let (code, page) = set_password_through(&app, &link, "a new secret 1").await;
    assert_eq!(code, 200, "{page}");
    // The page's link leads to the sign-in form, where the new password signs ann in.
    let login = format!("/sso/{instance}/login");
    assert!(page.contains(&format!("href=\"{login}\"")), "{page}");
    let employee = lanyard_tests::saml::browser();
    let signed_in = lanyard_tests::saml::sign_in(
        &app.base,
        &employee,
        &format!("{}{login}", app.base),
        "ann",
        "a new secret 1",
    )
    .await;
    assert_eq!(signed_in.status(), 303, "{:?}", signed_in.text().await);
    assert!(password_works(&app, &user, "a new secret 1").await);
    assert!(!password_works(&app, &user, "something else").await);

    let mut again = Browser::new(&app);
    let (code, page) = again.get(&path_of(&link)).await;
    assert_eq!(code, 400, "a used link is refused: {page}");
    assert!(page.contains("cannot be used"));

    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"acceptInvitation\"}) { edges { node { actor { kind name } targetId } } } }",
            json!({ "i": instance }),
        )
        .await;
    let node = &audit["auditEvents"]["edges"][0]["node"];
    assert_eq!(node["actor"]["kind"], "user");
    assert_eq!(node["actor"]["name"], "ann");
    assert_eq!(node["targetId"], user.as_str());
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_reset_answers_alike_for_everyone_and_mails_only_real_accounts() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "bob").await;
    app.create_user(&instance, "no-mail", None).await;
    let forgot = format!("/i/{instance}/password/forgot");
    let mut answers = Vec::new();
    for login in [
        "bob",
        "nobody",
        "BOB@corp.example",
        "no-mail",
        "ghost@corp.example",
    ] {
        let mut browser = Browser::new(&app);
        let (code, form) = browser.get(&forgot).await;
        assert_eq!(code, 200);
        let started = std::time::Instant::now();
        let (code, page) = browser
            .post(
                &forgot,
                &[("csrf", &hidden(&form, "csrf")), ("login", login)],
            )
            .await;
        assert!(
            started.elapsed() >= Duration::from_millis(400),
            "answers take a fixed minimum"
        );
        answers.push((code, page));
    }
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "the same answer whether or not the account exists: {answers:?}"
    );
    assert_eq!(answers[0].0, 200);

    let messages = smtp.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        smtp.messages().len(),
        2,
        "only bob (by username and by email) gets mail"
    );
    assert!(messages
        .iter()
        .all(|m| m["rcpt_tos"] == json!(["bob@corp.example"])));
    assert_eq!(messages[0]["subject"], "Reset your password at Acme");

    let first = link_in(&messages[0]);
    let second = link_in(&messages[1]);
    assert_ne!(first, second);
    // Someone holds a session of bob's (perhaps why he resets): the reset ends it.
    app.gql(
        "mutation($i: ID!, $u: ID!) { setUserPassword(input: {instanceId: $i, id: $u, password: \"old secret 11\"}) { user { id } } }",
        json!({ "i": instance, "u": user }),
    )
    .await;
    let holder = lanyard_tests::saml::browser();
    let login = format!("{}/sso/{instance}/login", app.base);
    let signed_in =
        lanyard_tests::saml::sign_in(&app.base, &holder, &login, "bob", "old secret 11").await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        portal_username(&app.base, &holder, &instance).await,
        json!("bob")
    );
    let (code, page) = set_password_through(&app, &second, "reset secret 22").await;
    assert_eq!(code, 200, "{page}");
    assert!(password_works(&app, &user, "reset secret 22").await);
    assert_eq!(
        portal_username(&app.base, &holder, &instance).await,
        Value::Null,
        "the reset ended the session"
    );
    let (code, _) = Browser::new(&app).get(&path_of(&first)).await;
    assert_eq!(
        code, 400,
        "setting a password uses up every other link of the user"
    );
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn resets_are_limited_per_account_and_hour() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    user_with_email(&app, &instance, "cat").await;
    let forgot = format!("/i/{instance}/password/forgot");
    for _ in 0..5 {
        let mut browser = Browser::new(&app);
        let (_, form) = browser.get(&forgot).await;
        let (code, _) = browser
            .post(
                &forgot,
                &[("csrf", &hidden(&form, "csrf")), ("login", "cat")],
            )
            .await;
        assert_eq!(code, 200);
    }
    smtp.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 3);
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn locking_an_account_mails_a_notice_and_the_notice_works_on_its_own() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "dan").await;
    app.gql(
        "mutation($i: ID!, $u: ID!) { setUserStatus(input: {instanceId: $i, id: $u, status: LOCKED}) { user { status } } }",
        json!({ "i": instance, "u": user }),
    )
    .await;
    let notice = smtp.wait_for(1).await.remove(0);
    assert_eq!(notice["subject"], "Your account at Acme is locked");
    assert!(notice["text"]
        .as_str()
        .unwrap()
        .contains(&format!("http://127.0.0.1/i/{instance}/password/forgot")));

    // The function the sign-in lockout calls, in its own transaction.
    let store = lanyard::db::Store::connect(&app.database_url)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(&dir, app.database_url.clone());
    let model = entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq("dan"))
        .one(&store.conn)
        .await
        .unwrap()
        .unwrap();
    let txn = store.begin_write().await.unwrap();
    let queued = lanyard::mail::notify_account_locked(&txn, &config, &model)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert!(queued.is_some());
    let messages = smtp.wait_for(2).await;
    assert_eq!(messages[1]["subject"], "Your account at Acme is locked");
    assert_eq!(
        messages[1]["message_id"],
        format!("<{}@lanyard.test>", queued.unwrap())
    );

    // No address, no email, no error.
    let without = entity::user::Model {
        email: None,
        ..model
    };
    let txn = store.begin_write().await.unwrap();
    assert_eq!(
        lanyard::mail::notify_account_locked(&txn, &config, &without)
            .await
            .unwrap(),
        None
    );
    txn.commit().await.unwrap();
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_sends_each_message_once() {
    let port = free_port();
    let app = TestApp::spawn_with(with_smtp(port)).await;
    let instance = app.create_instance("Acme").await;
    let mut deliveries = Vec::new();
    for n in 0..5 {
        let user = user_with_email(&app, &instance, &format!("user{n}")).await;
        deliveries.push(invite(&app, &instance, &user).await);
    }
    wait_until(
        Duration::from_secs(15),
        "failed attempts while SMTP is down",
        || async {
            let status = delivery(&app, &instance, &deliveries[0]).await;
            status["attempts"].as_i64().unwrap() >= 2 && status["status"] == "PENDING"
        },
    )
    .await;
    let down = delivery(&app, &instance, &deliveries[0]).await;
    assert!(down["lastError"].as_str().unwrap().len() > 3, "{down}");
    assert_eq!(down["log"][0]["delivered"], false);

    let smtp = SmtpSink::start(port).await;
    let messages = smtp.wait_for(5).await;
    for id in &deliveries {
        wait_until(
            Duration::from_secs(15),
            "delivered after the outage",
            || async { delivery(&app, &instance, id).await["status"] == "DELIVERED" },
        )
        .await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let messages_after = smtp.messages();
    assert_eq!(messages_after.len(), 5, "each message once: {messages:?}");
    let ids: HashSet<&str> = messages_after
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5);
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn starttls_and_implicit_tls_with_authentication() {
    let certificate = TestCertificate::generate();
    for (mode, security) in [
        (SmtpMode::StartTls, SmtpSecurity::Starttls),
        (SmtpMode::Tls, SmtpSecurity::Tls),
    ] {
        let smtp = SmtpSink::start_with(
            free_port(),
            mode,
            Some(&certificate),
            Some(("mailer", "smtp-pass-1")),
        )
        .await;
        let port = smtp.port;
        let ca = certificate.ca();
        let app = TestApp::spawn_with(move |config| {
            config.smtp.host = Some("127.0.0.1".into());
            config.smtp.port = Some(port);
            config.smtp.security = security;
            config.smtp.username = Some("mailer".into());
            config.smtp.password = Some("smtp-pass-1".into());
            config.smtp.ca_file = Some(ca);
        })
        .await;
        let instance = app.create_instance("Acme").await;
        let user = user_with_email(&app, &instance, "erin").await;
        invite(&app, &instance, &user).await;
        let message = smtp.wait_for(1).await.remove(0);
        assert_eq!(message["tls"], true, "{mode:?}");
        assert_eq!(message["authenticated"], true, "{mode:?}");
        smtp.stop().await;
        app.stop().await;
    }
}

#[tokio::test]
async fn an_untrusted_certificate_is_not_sent_to() {
    let certificate = TestCertificate::generate();
    let smtp =
        SmtpSink::start_with(free_port(), SmtpMode::StartTls, Some(&certificate), None).await;
    let port = smtp.port;
    let app = TestApp::spawn_with(move |config| {
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = Some(port);
        config.smtp.security = SmtpSecurity::Starttls;
    })
    .await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "fay").await;
    let id = invite(&app, &instance, &user).await;
    wait_until(Duration::from_secs(15), "a failed TLS attempt", || async {
        delivery(&app, &instance, &id).await["attempts"]
            .as_i64()
            .unwrap()
            >= 1
            && !delivery(&app, &instance, &id).await["lastError"].is_null()
    })
    .await;
    assert!(
        smtp.messages().is_empty(),
        "nothing sent without a trusted certificate"
    );
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn two_nodes_share_the_outbox_without_sending_twice() {
    if lanyard_tests::postgres_base().is_none() {
        eprintln!("several nodes share PostgreSQL only (SQLite is for one node): runs in the PostgreSQL suite");
        return;
    }
    let smtp = SmtpSink::start(free_port()).await;
    let first = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let second = first.spawn_peer(with_smtp(smtp.port)).await;
    let instance = first.create_instance("Acme").await;
    let mut users = Vec::new();
    for n in 0..20 {
        users.push(user_with_email(&first, &instance, &format!("member{n}")).await);
    }
    // Invitations through both nodes, whose workers both deliver.
    for (n, user) in users.iter().enumerate() {
        let node = if n % 2 == 0 { &first } else { &second };
        invite(node, &instance, user).await;
    }
    smtp.wait_for(20).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let messages = smtp.messages();
    let ids: HashSet<&str> = messages
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 20, "each invitation sent once");
    assert_eq!(ids.len(), 20);
    smtp.stop().await;
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn hostile_input_to_the_recovery_pages_is_refused_plainly() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "gil").await;
    invite(&app, &instance, &user).await;
    let link = link_in(&smtp.wait_for(1).await[0]);
    let set = format!("/i/{instance}/password/set");
    let forgot = format!("/i/{instance}/password/forgot");

    let mut browser = Browser::new(&app);
    let (_, form) = browser.get(&path_of(&link)).await;
    let csrf = hidden(&form, "csrf");
    let token = hidden(&form, "token");

    // Unknown or impossible instances.
    for path in [
        "/i/not-an-id/password/forgot".to_owned(),
        format!("/i/{}/password/forgot", uuid::Uuid::now_v7()),
        "/i/%00/password/forgot".to_owned(),
        format!("/i/{}/password/set?token=x", "a".repeat(5000)),
    ] {
        let (code, _) = Browser::new(&app).get(&path).await;
        assert_eq!(code, 404, "{path}");
    }
    // Tampered, truncated, foreign or oversized tokens show the invalid-link page.
    let other = app.create_instance("Other").await;
    for path in [
        format!("{set}?token={}", &token[..token.len() - 1]),
        format!("{set}?token={}A", token),
        format!("{set}?token={}", token.replace('.', "")),
        format!("{set}?token=%ff%fe"),
        format!("{set}?token={}", "x".repeat(10_000)),
        format!("{set}?token"),
        set.clone(),
        format!("/i/{other}/password/set?token={token}"),
    ] {
        let (code, page) = Browser::new(&app).get(&path).await;
        assert_eq!(code, 400, "{path}: {page}");
        assert!(page.contains("cannot be used"), "{path}");
    }
    // CSRF: missing, wrong, from another cookie, or the token of another form.
    let planted = format!("lanyard_pre={}", "Z".repeat(43));
    let (_, forgot_page) = browser.get(&forgot).await;
    let forgot_csrf = hidden(&forgot_page, "csrf");
    assert_ne!(forgot_csrf, csrf, "each form has its own token");
    let cases = [
        (browser.cookie.clone(), None),
        (browser.cookie.clone(), Some("AAAA")),
        (None, Some(csrf.as_str())),
        (Some(planted), Some(csrf.as_str())),
        (browser.cookie.clone(), Some(forgot_csrf.as_str())),
    ];
    for (cookie, csrf_field) in cases {
        let mut form = vec![
            ("token", token.clone()),
            ("password", "pw-123456".to_owned()),
            ("confirm", "pw-123456".to_owned()),
        ];
        if let Some(value) = csrf_field {
            form.push(("csrf", value.to_owned()));
        }
        let mut request = app.http.post(format!("{}{set}", app.base)).form(&form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{form:?}");
    }
    // Bad bodies: not a form, broken encoding, NUL, oversized fields, oversized body.
    let cookie = browser.cookie.clone().unwrap();
    let bodies = [
        ("application/json", "{\"csrf\": \"x\"}".to_owned()),
        (
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&token=%ZZ"),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&token={token}&password=a%00bcdefgh&confirm=a%00bcdefgh"),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&token={token}&password={}", "p".repeat(2000)),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&token={token}&password=%C3%28&confirm=%C3%28"),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&x={}", "y".repeat(200_000)),
        ),
    ];
    for (content_type, body) in bodies {
        let response = app
            .http
            .post(format!("{}{set}", app.base))
            .header("content-type", content_type)
            .header("cookie", &cookie)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(
            (400..500).contains(&status),
            "{content_type} {}: {status}",
            &body[..body.len().min(80)]
        );
    }
    // Mismatched and too short passwords keep the form, with the error.
    let (code, page) = browser
        .post(
            &set,
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", "pw-123456"),
                ("confirm", "pw-654321"),
            ],
        )
        .await;
    assert_eq!(code, 400);
    assert!(page.contains("The two passwords differ."), "{page}");
    let (code, page) = browser
        .post(
            &set,
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(code, 400);
    assert!(page.contains("at least 8 characters"), "{page}");
    assert!(
        !password_works(&app, &user, "pw-123456").await,
        "nothing was set"
    );

    // Forgot form: a hostile login is answered like any other.
    let (_, form) = browser.get(&forgot).await;
    let csrf = hidden(&form, "csrf");
    for login in ["", "' OR 1=1 --", "%", "a\u{202e}b", &"x".repeat(1000)] {
        let (code, page) = browser
            .post(&forgot, &[("csrf", &csrf), ("login", login)])
            .await;
        assert_eq!(code, 200, "{login:?}: {page}");
        assert!(page.contains("Check your email"));
    }

    // An expired link is refused.
    let db = Database::connect(&app.database_url).await.unwrap();
    entity::action_token::Entity::update_many()
        .col_expr(
            entity::action_token::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&db)
        .await
        .unwrap();
    db.close().await.ok();
    let (code, _) = Browser::new(&app).get(&path_of(&link)).await;
    assert_eq!(code, 400, "expired");
    smtp.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn invitations_need_an_address_and_the_right_role() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let no_mail = app.create_user(&instance, "nomail", None).await;
    let query = "mutation($i: ID!, $u: ID!, $h: Int) { inviteUser(input: {instanceId: $i, userId: $u, validHours: $h}) { expiresAt } }";
    let body = app
        .gql_as(
            &app.token,
            query,
            json!({ "i": instance, "u": no_mail, "h": 72 }),
        )
        .await;
    assert_eq!(lanyard_tests::error_code(&body), "BAD_USER_INPUT");
    for hours in [0, 721, -1] {
        let body = app
            .gql_as(
                &app.token,
                query,
                json!({ "i": instance, "u": no_mail, "h": hours }),
            )
            .await;
        assert_eq!(
            lanyard_tests::error_code(&body),
            "BAD_USER_INPUT",
            "{hours}"
        );
    }
    let body = app
        .gql_as(
            &app.token,
            query,
            json!({ "i": instance, "u": "nope\u{0}", "h": 1 }),
        )
        .await;
    assert_eq!(lanyard_tests::error_code(&body), "BAD_USER_INPUT");
    let auditor = app
        .token_with_roles(json!([{ "role": "AUDITOR", "instanceId": instance }]))
        .await;
    let body = app
        .gql_as(
            &auditor,
            query,
            json!({ "i": instance, "u": no_mail, "h": 1 }),
        )
        .await;
    assert_eq!(lanyard_tests::error_code(&body), "FORBIDDEN");
    app.stop().await;
}

/// A GET of a page with these headers (no redirects followed).
async fn get_with(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = http.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// A Chinese browser gets the recovery pages and the reset email in Chinese; the page's switch
/// remembers English in a cookie that wins over the browser; an invitation sent from a console
/// in Chinese is written in Chinese; and an English browser still gets English.
#[tokio::test]
async fn pages_and_emails_speak_the_language_of_the_request() {
    let smtp = SmtpSink::start(free_port()).await;
    let app = TestApp::spawn_with(with_smtp(smtp.port)).await;
    let instance = app.create_instance("Acme").await;
    let user = user_with_email(&app, &instance, "li").await;
    let forgot = format!("{}/i/{instance}/password/forgot", app.base);
    let chinese = get_with(&forgot, &[("accept-language", "zh-CN,zh;q=0.9,en;q=0.8")]).await;
    let pre = chinese.headers()["set-cookie"].to_str().unwrap();
    let pre = pre.split(';').next().unwrap().to_owned();
    let page = chinese.text().await.unwrap();
    assert!(page.contains("<html lang=\"zh-CN\">"), "{page}");
    assert!(page.contains("<h1>忘记密码？</h1>") && page.contains("发送链接"));
    assert!(
        page.contains(&format!(
            "href=\"/i/{instance}/password/forgot?lang=en\" lang=\"en\" hreflang=\"en\">English</a>"
        )),
        "a switch to English: {page}"
    );
    let sent = reqwest::Client::new()
        .post(&forgot)
        .header("accept-language", "zh-CN")
        .header("cookie", &pre)
        .form(&[("csrf", hidden(&page, "csrf").as_str()), ("login", "li")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sent.contains("<h1>请查收邮件</h1>"), "{sent}");
    let message = smtp.wait_for(1).await.remove(0);
    assert_eq!(message["subject"], "重置您在 Acme 的密码");
    let text = message["text"].as_str().unwrap();
    assert!(text.starts_with("Ann O'Neil <QA>，您好："), "{text}");
    assert!(message["html"]
        .as_str()
        .unwrap()
        .contains("<html lang=\"zh-CN\">"));
    let link = path_of(&link_in(&message));
    let set = get_with(&format!("{}{link}", app.base), &[("accept-language", "zh")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        set.contains("<h1>设置密码</h1>") && set.contains("再次输入"),
        "{set}"
    );

    // The switch: remembered in a cookie, back to the same address without `lang`.
    let switched = get_with(
        &format!("{forgot}?lang=en"),
        &[("accept-language", "zh-CN")],
    )
    .await;
    assert_eq!(switched.status(), 303);
    assert_eq!(
        switched.headers()["location"],
        format!("/i/{instance}/password/forgot").as_str()
    );
    let cookie = switched.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lanyard_lang=en;") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let english = get_with(
        &forgot,
        &[("accept-language", "zh-CN"), ("cookie", "lanyard_lang=en")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        english.contains("<h1>Forgot your password?</h1>"),
        "{english}"
    );
    // A switch is never a way off this server.
    let off = get_with(&format!("{}//evil.example/x?lang=en", app.base), &[]).await;
    assert_ne!(off.status(), 303);

    // An invitation sent from a console in Chinese (its cookie), then one from a script that
    // asks for nothing: English.
    let invite_query = "mutation($i: ID!, $u: ID!) { inviteUser(input: {instanceId: $i, userId: $u}) { expiresAt } }";
    let body: Value = app
        .graphql(invite_query, json!({ "i": instance, "u": user }))
        .bearer_auth(&app.token)
        .header("cookie", "lanyard_lang=zh-CN")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    let messages = smtp.wait_for(2).await;
    assert_eq!(messages[1]["subject"], "您受邀加入 Acme");
    invite(&app, &instance, &user).await;
    let messages = smtp.wait_for(3).await;
    assert_eq!(messages[2]["subject"], "You are invited to Acme");
    smtp.stop().await;
    app.stop().await;
}
