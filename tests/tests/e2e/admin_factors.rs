//! Second factors of console admins (issue 22, item 6), over real HTTP: an admin sets up an
//! authenticator app on her own (GraphQL, console session only) and from then on signs in with
//! a code after her password — codes computed here by the independent RFC 6238 implementation
//! of `factors.rs` (OpenSSL's HMAC), each accepted once; recovery codes once each; wrong codes
//! counted against the step and the account like wrong passwords; hostile bodies refused; an
//! expired or spent step refused. Where `admin_require_second_factor` is set, an admin without
//! a factor sets one up while signing in, password-only sessions stop working, and API tokens
//! go on working without any factor. A super admin's reset is audited and ends her sessions.

use lanyard_tests::{error_code, TestApp, BOOTSTRAP_PASSWORD};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

use super::factors::{code_at, step_now};

pub(super) const PASSWORD: &str = "alice's long password";

const MY_FACTORS: &str = "{ myFactors { factors { id kind name lastUsedAt } recoveryCodesLeft sessionProvedFactor mayChange required } }";
const BEGIN: &str = "mutation { beginMyTotp { factorId secret otpauthUrl qrCode } }";
const CONFIRM: &str = "mutation($f: ID!, $c: String!) { confirmMyTotp(input: {factorId: $f, code: $c, name: \"Phone\"}) { factor { id kind name } recoveryCodes } }";
const REMOVE: &str =
    "mutation($f: ID!) { removeMyFactor(input: {factorId: $f}) { removedFactorId recoveryCodesLeft } }";
const NEW_CODES: &str = "mutation { newMyRecoveryCodes { recoveryCodes } }";
const RESET: &str =
    "mutation($a: ID!) { resetAdminFactors(input: {adminId: $a}) { removedCount sessionsEnded } }";

/// Creates a console admin (a global auditor) with [`PASSWORD`]; returns her id.
pub(super) async fn create_admin(app: &TestApp, username: &str) -> String {
    app.id_of(
        "mutation($u: String!, $p: String!) { createAdmin(input: {username: $u, password: $p, roles: [{role: AUDITOR}]}) { admin { id } } }",
        json!({ "u": username, "p": PASSWORD }),
        &["createAdmin", "admin", "id"],
    )
    .await
}

/// `name=value` of the first `Set-Cookie` named `name`.
pub(super) fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

pub(super) fn set_cookie_header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("a {name} cookie"))
        .to_owned()
}

pub(super) async fn login(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.http
        .post(format!("{}/auth/admin/login", app.base))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

/// Signs in with the password only (an admin without factors where none is required).
pub(super) async fn password_session(app: &TestApp, username: &str) -> String {
    let response = login(app, username, PASSWORD).await;
    assert_eq!(
        response.status(),
        204,
        "{username} signs in with a password"
    );
    cookie_named(&response, "lanyard_admin").expect("a session cookie")
}

/// The password step: a 200 with the step and its cookie.
pub(super) async fn begin_step(app: &TestApp, username: &str) -> (Value, String) {
    let response = login(app, username, PASSWORD).await;
    assert_eq!(response.status(), 200, "a second factor is owed");
    assert!(
        cookie_named(&response, "lanyard_admin").is_none(),
        "no session before the second factor"
    );
    let step = set_cookie_header(&response, "lanyard_admin_step");
    assert!(
        step.contains("HttpOnly") && step.contains("SameSite=Strict"),
        "{step}"
    );
    assert!(step.contains("Max-Age=300"), "{step}");
    let cookie = step.split(';').next().unwrap().to_owned();
    (response.json().await.unwrap(), cookie)
}

async fn give(app: &TestApp, step: &str, body: Value) -> reqwest::Response {
    app.http
        .post(format!("{}/auth/admin/login/factor", app.base))
        .header("cookie", step)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn totp(app: &TestApp, step: &str, code: &str) -> reqwest::Response {
    give(app, step, json!({ "method": "totp", "code": code })).await
}

/// What the server said, as `(status, error code, message, field)`.
pub(super) async fn refusal(response: reqwest::Response) -> (u16, String, String, Option<String>) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
        body["field"].as_str().map(str::to_owned),
    )
}

pub(super) async fn me(app: &TestApp, session: &str) -> Value {
    app.http
        .get(format!("{}/auth/admin/me", app.base))
        .header("cookie", session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Sets up an authenticator app with a password session; returns its key, the recovery codes
/// shown once, and the time step of the code that confirmed it.
async fn enrol(app: &TestApp, session: &str) -> (String, Vec<String>, i64) {
    let begun = app.gql_with_cookie(session, BEGIN, json!({})).await;
    let setup = &begun["data"]["beginMyTotp"];
    let secret = setup["secret"].as_str().expect("a key").to_owned();
    assert!(setup["qrCode"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let url = setup["otpauthUrl"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/"), "{url}");
    assert!(url.contains(&format!("secret={secret}")), "{url}");
    assert!(url.contains("issuer=Lanyard"), "{url}");
    let factor = setup["factorId"].as_str().unwrap();
    let wrong = app
        .gql_with_cookie(
            session,
            CONFIRM,
            json!({ "f": factor, "c": code_at(&secret, step_now() - 5) }),
        )
        .await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT", "{wrong}");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "code");
    let step = step_now();
    let confirmed = app
        .gql_with_cookie(
            session,
            CONFIRM,
            json!({ "f": factor, "c": code_at(&secret, step) }),
        )
        .await;
    let payload = &confirmed["data"]["confirmMyTotp"];
    assert_eq!(payload["factor"]["kind"], "TOTP", "{confirmed}");
    assert_eq!(payload["factor"]["name"], "Phone");
    let codes: Vec<String> = payload["recoveryCodes"]
        .as_array()
        .expect("recovery codes with the first factor")
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes, step)
}

/// The platform's audit events of `action`, newest first.
pub(super) async fn audited(app: &TestApp, action: &str) -> Vec<Value> {
    let data = app
        .gql(
            "query($a: String!) { auditEvents(filter: {action: $a}) { nodes { outcome summary targetId actor { name } } } }",
            json!({ "a": action }),
        )
        .await;
    data["auditEvents"]["nodes"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_admin_signs_in_with_her_authenticator_app_and_each_code_works_once() {
    let app = TestApp::spawn().await;
    let alice = create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;

    // Her own factors are hers, from a console session: a token has none.
    let mine = app.gql_with_cookie(&session, MY_FACTORS, json!({})).await;
    let mine = &mine["data"]["myFactors"];
    assert_eq!(mine["factors"], json!([]));
    assert_eq!(mine["mayChange"], true);
    assert_eq!(mine["sessionProvedFactor"], false);
    assert_eq!(mine["required"], false);
    for document in [MY_FACTORS, BEGIN, NEW_CODES] {
        let by_token = app.gql_as(&app.token, document, json!({})).await;
        assert_eq!(error_code(&by_token), "FORBIDDEN", "{document}: {by_token}");
    }

    let (secret, recovery, confirmed) = enrol(&app, &session).await;
    // Her password session did not prove the app: changes wait for a sign-in with it.
    let mine = app.gql_with_cookie(&session, MY_FACTORS, json!({})).await;
    let factor = mine["data"]["myFactors"]["factors"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(mine["data"]["myFactors"]["mayChange"], false);
    assert_eq!(mine["data"]["myFactors"]["recoveryCodesLeft"], 10);
    for (document, vars) in [
        (REMOVE, json!({ "f": factor })),
        (NEW_CODES, json!({})),
        (BEGIN, json!({})),
    ] {
        let refused = app.gql_with_cookie(&session, document, vars).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("sign in again with one of them"),
            "{refused}"
        );
    }

    // The password now leads to a step, not a session.
    let (step, step_cookie) = begin_step(&app, "alice").await;
    assert_eq!(step["step"], "factor");
    assert_eq!(step["methods"], json!(["totp", "recovery_code"]));
    assert_eq!(step["expiresInSeconds"], 300);
    let as_session = app
        .gql_with_cookie(&step_cookie, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(
        error_code(&as_session),
        "UNAUTHENTICATED",
        "a step is no session"
    );

    // The code that confirmed the app is spent, and so are older ones: each is a wrong code.
    let replayed = totp(&app, &step_cookie, &code_at(&secret, confirmed)).await;
    let replayed_too = totp(&app, &step_cookie, &code_at(&secret, confirmed - 1)).await;
    let (status, code, message, field) = refusal(replayed).await;
    assert_eq!(
        (status, code.as_str(), field.as_deref()),
        (400, "BAD_USER_INPUT", Some("code"))
    );
    assert_eq!(message, "The code is not correct. 4 tries left.");
    let (_, _, message, _) = refusal(replayed_too).await;
    assert_eq!(message, "The code is not correct. 3 tries left.");
    let rejected = audited(&app, "adminSignInFactorRejected").await;
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0]["outcome"], "failure");
    assert_eq!(rejected[0]["summary"]["method"], "totp");

    // The next step's code signs her in: a session that proved the app; the step is spent.
    let code = code_at(&secret, step_now() + 1);
    let signed_in = totp(&app, &step_cookie, &code).await;
    assert_eq!(signed_in.status(), 204);
    let cleared = set_cookie_header(&signed_in, "lanyard_admin_step");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let strong = cookie_named(&signed_in, "lanyard_admin").expect("a session");
    assert_eq!(
        me(&app, &strong).await["authMethods"],
        json!(["password", "totp"])
    );
    let again = totp(&app, &step_cookie, &code).await;
    let (status, code_name, message, _) = refusal(again).await;
    assert_eq!((status, code_name.as_str()), (401, "UNAUTHENTICATED"));
    assert!(message.contains("Sign in again"), "{message}");
    let sign_ins = audited(&app, "adminSignIn").await;
    assert_eq!(
        sign_ins[0]["summary"]["authMethods"],
        json!(["password", "totp"])
    );
    assert_eq!(sign_ins[0]["actor"]["name"], "alice");

    // The same code in a new step is refused: once across steps, as across nodes.
    let (_, second_step) = begin_step(&app, "alice").await;
    let (status, _, _, field) = refusal(totp(&app, &second_step, &code).await).await;
    assert_eq!((status, field.as_deref()), (400, Some("code")));

    // A recovery code works once; the session says so.
    let with_recovery = give(
        &app,
        &second_step,
        json!({ "method": "recovery_code", "code": recovery[0].to_uppercase() }),
    )
    .await;
    assert_eq!(with_recovery.status(), 204);
    let recovered = cookie_named(&with_recovery, "lanyard_admin").unwrap();
    assert_eq!(
        me(&app, &recovered).await["authMethods"],
        json!(["password", "recovery_code"])
    );
    assert_eq!(
        audited(&app, "useRecoveryCode").await[0]["summary"]["recoveryCodesLeft"],
        9
    );
    let (_, third_step) = begin_step(&app, "alice").await;
    let reused = give(
        &app,
        &third_step,
        json!({ "method": "recovery_code", "code": recovery[0] }),
    )
    .await;
    assert_eq!(reused.status(), 400);

    // With a session that proved a factor she changes them: new recovery codes replace the old.
    let mine = app.gql_with_cookie(&strong, MY_FACTORS, json!({})).await;
    assert_eq!(mine["data"]["myFactors"]["mayChange"], true, "{mine}");
    assert_eq!(mine["data"]["myFactors"]["sessionProvedFactor"], true);
    assert!(mine["data"]["myFactors"]["factors"][0]["lastUsedAt"].is_string());
    let fresh = app.gql_with_cookie(&strong, NEW_CODES, json!({})).await;
    let fresh: Vec<String> = fresh["data"]["newMyRecoveryCodes"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fresh.len(), 10);
    let old = give(
        &app,
        &third_step,
        json!({ "method": "recovery_code", "code": recovery[1] }),
    )
    .await;
    assert_eq!(old.status(), 400, "the old codes no longer work");
    let new = give(
        &app,
        &third_step,
        json!({ "method": "recovery_code", "code": fresh[0] }),
    )
    .await;
    assert_eq!(new.status(), 204);

    // Removing her only app takes her recovery codes with it; the password alone signs in again.
    let removed = app
        .gql_with_cookie(&strong, REMOVE, json!({ "f": factor }))
        .await;
    assert_eq!(
        removed["data"]["removeMyFactor"]["recoveryCodesLeft"], 0,
        "{removed}"
    );
    let unknown = app
        .gql_with_cookie(&strong, REMOVE, json!({ "f": factor }))
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
    password_session(&app, "alice").await;
    assert_eq!(audited(&app, "removeFactor").await[0]["targetId"], alice);
    app.stop().await;
}

#[tokio::test]
async fn hostile_bodies_and_steps_are_refused() {
    let app = TestApp::spawn().await;
    create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;
    let (secret, _, _) = enrol(&app, &session).await;
    let (_, step) = begin_step(&app, "alice").await;
    let url = format!("{}/auth/admin/login/factor", app.base);
    let post = |body: String, content_type: &'static str, cookie: Option<String>| {
        let mut request = app
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };

    // Not JSON, not the fields, too much: refused before any code is looked at.
    let cases: Vec<(String, &str, u16)> = vec![
        (
            "method=totp&code=123456".into(),
            "application/x-www-form-urlencoded",
            415,
        ),
        (
            "{\"method\": \"totp\", \"code\": ".into(),
            "application/json",
            400,
        ),
        ("[]".into(), "application/json", 422),
        ("{\"method\": \"totp\"}".into(), "application/json", 422),
        (
            "{\"method\": \"totp\", \"code\": \"123456\", \"admin\": \"bob\"}".into(),
            "application/json",
            422,
        ),
        (
            "{\"method\": \"totp\", \"code\": 123456}".into(),
            "application/json",
            422,
        ),
    ];
    for (body, content_type, status) in cases {
        let response = post(body.clone(), content_type, Some(step.clone()))
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "BAD_USER_INPUT");
    }
    let (status, _, _, field) =
        refusal(give(&app, &step, json!({ "method": "sms", "code": "123456" })).await).await;
    assert_eq!((status, field.as_deref()), (400, Some("method")));
    let (status, _, message, field) = refusal(
        give(
            &app,
            &step,
            json!({ "method": "totp", "code": "1".repeat(10_000) }),
        )
        .await,
    )
    .await;
    assert_eq!((status, field.as_deref()), (400, Some("code")));
    assert!(message.contains("64"), "{message}");
    let huge = post(
        format!(
            "{{\"method\": \"totp\", \"code\": \"{}\"}}",
            "1".repeat(100_000)
        ),
        "application/json",
        Some(step.clone()),
    )
    .await
    .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // None of that cost a try: the step still takes its right code… but not without its cookie,
    // nor with a forged one.
    let code = code_at(&secret, step_now() + 1);
    for cookie in [
        None,
        Some("lanyard_admin_step=not-a-jwt".to_owned()),
        Some(format!("{}x", step)),
        Some(session.replace("lanyard_admin=", "lanyard_admin_step=")),
    ] {
        let response = post(
            json!({ "method": "totp", "code": code }).to_string(),
            "application/json",
            cookie.clone(),
        )
        .await
        .unwrap();
        let (status, error, message, _) = refusal(response).await;
        assert_eq!(
            (status, error.as_str()),
            (401, "UNAUTHENTICATED"),
            "{cookie:?}"
        );
        assert!(message.contains("Sign in again"), "{message}");
    }

    // An expired step is refused, however right the code.
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared("UPDATE admin_sign_in_steps SET expires_at = created_at")
        .await
        .unwrap();
    let (status, _, message, _) = refusal(totp(&app, &step, &code).await).await;
    assert_eq!(status, 401);
    assert!(message.contains("expired"), "{message}");

    // An enrolment is not a code, and a code step takes no enrolment.
    let (_, fresh) = begin_step(&app, "alice").await;
    let enrol = app
        .http
        .post(format!("{}/auth/admin/login/enrol", app.base))
        .header("cookie", &fresh)
        .json(&json!({ "factorId": "0190a0a0-0000-7000-8000-000000000001", "code": code }))
        .send()
        .await
        .unwrap();
    let (status, _, _, field) = refusal(enrol).await;
    assert_eq!((status, field.as_deref()), (400, Some("factorId")));
    assert_eq!(totp(&app, &fresh, &code).await.status(), 204);
    app.stop().await;
}

#[tokio::test]
async fn wrong_codes_count_against_the_step_and_lock_the_account_like_wrong_passwords() {
    // A step takes five wrong codes; then it is gone, even for the right code.
    let app = TestApp::spawn_with(|c| c.sign_in.max_failures_per_account = 100).await;
    create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;
    let (secret, _, _) = enrol(&app, &session).await;
    let (_, step) = begin_step(&app, "alice").await;
    for tries_left in (1..=4).rev() {
        let (status, _, message, _) = refusal(totp(&app, &step, "000000").await).await;
        assert_eq!(status, 400);
        let tries = if tries_left == 1 { "try" } else { "tries" };
        assert!(
            message.ends_with(&format!("{tries_left} {tries} left.")),
            "{message}"
        );
    }
    let (status, error, _, _) = refusal(totp(&app, &step, "000000").await).await;
    assert_eq!((status, error.as_str()), (401, "UNAUTHENTICATED"));
    let right = code_at(&secret, step_now() + 1);
    assert_eq!(totp(&app, &step, &right).await.status(), 401);
    let (_, next) = begin_step(&app, "alice").await;
    assert_eq!(totp(&app, &next, &right).await.status(), 204);
    app.stop().await;

    // With the default throttle, wrong codes lock the account as wrong passwords do: even the
    // password is refused then, and so is the right code.
    let app = TestApp::spawn().await;
    create_admin(&app, "alice").await;
    let session = password_session(&app, "alice").await;
    let (secret, _, _) = enrol(&app, &session).await;
    let wrong_password = login(&app, "alice", "not her password").await;
    assert_eq!(wrong_password.status(), 401);
    let (_, step) = begin_step(&app, "alice").await;
    for _ in 0..3 {
        assert_eq!(totp(&app, &step, "000000").await.status(), 400);
    }
    let locked = totp(&app, &step, "000000").await;
    assert_eq!(locked.status(), 429, "the fifth failure locks the account");
    assert!(locked.headers().contains_key("retry-after"));
    let (_, _, message, _) = refusal(locked).await;
    assert!(message.contains("locked"), "{message}");
    assert_eq!(
        totp(&app, &step, &code_at(&secret, step_now() + 1))
            .await
            .status(),
        429
    );
    assert_eq!(login(&app, "alice", PASSWORD).await.status(), 429);
    app.stop().await;
}

#[tokio::test]
async fn where_a_factor_is_required_admins_set_one_up_while_signing_in_and_tokens_are_unaffected() {
    let first = TestApp::spawn().await;
    let bob = create_admin(&first, "bob").await;
    let before = password_session(&first, "bob").await;
    let own_session = first.sign_in("admin", BOOTSTRAP_PASSWORD).await;
    let node = first
        .spawn_peer_with_token(|c| c.admin_require_second_factor = true)
        .await;

    // API tokens are unaffected: the token made with a password works on the strict node.
    let instance = node.create_instance("Strict").await;
    assert!(!instance.is_empty());
    let viewer = node.gql("{ viewer { kind superAdmin } }", json!({})).await;
    assert_eq!(viewer["viewer"]["kind"], "API_TOKEN");
    // A session that gave no second factor no longer works there.
    let stale = node
        .gql_with_cookie(&before, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(error_code(&stale), "UNAUTHENTICATED");

    // Bob has no factor: his password leads to setting up an app.
    let (step, step_cookie) = begin_step(&node, "bob").await;
    assert_eq!(step["step"], "enrol", "{step}");
    let enrolment = &step["enrolment"];
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    let factor = enrolment["factorId"].as_str().unwrap().to_owned();
    assert!(enrolment["qrCode"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    assert!(enrolment["otpauthUrl"]
        .as_str()
        .unwrap()
        .contains("bob%40127.0.0.1"));
    let (status, _, _, field) =
        refusal(totp(&node, &step_cookie, &code_at(&secret, step_now())).await).await;
    assert_eq!(
        (status, field.as_deref()),
        (400, Some("method")),
        "no code before the app"
    );
    let enrol_url = format!("{}/auth/admin/login/enrol", node.base);
    let confirm = |code: String| {
        node.http
            .post(&enrol_url)
            .header("cookie", &step_cookie)
            .json(&json!({ "factorId": factor, "code": code, "name": "Bob's phone" }))
            .send()
    };
    let wrong = confirm(code_at(&secret, step_now() - 4)).await.unwrap();
    let (status, _, message, field) = refusal(wrong).await;
    assert_eq!((status, field.as_deref()), (400, Some("code")));
    assert!(message.contains("current code"), "{message}");
    let done = confirm(code_at(&secret, step_now())).await.unwrap();
    assert_eq!(done.status(), 200);
    let session = cookie_named(&done, "lanyard_admin").expect("signed in");
    let body: Value = done.json().await.unwrap();
    assert_eq!(body["recoveryCodes"].as_array().unwrap().len(), 10);
    assert_eq!(
        me(&node, &session).await["authMethods"],
        json!(["password", "totp"])
    );
    assert_eq!(
        confirm(code_at(&secret, step_now()))
            .await
            .unwrap()
            .status(),
        401
    );

    // Her last factor stays while one is required.
    let mine = node.gql_with_cookie(&session, MY_FACTORS, json!({})).await;
    assert_eq!(mine["data"]["myFactors"]["required"], true);
    assert_eq!(
        mine["data"]["myFactors"]["factors"][0]["name"],
        "Bob's phone"
    );
    let last = node
        .gql_with_cookie(&session, REMOVE, json!({ "f": factor }))
        .await;
    assert_eq!(error_code(&last), "CONFLICT", "{last}");

    // From now on he gives a code; the next sign-in asks for it.
    let (step, step_cookie) = begin_step(&node, "bob").await;
    assert_eq!(step["step"], "factor");
    assert_eq!(
        totp(&node, &step_cookie, &code_at(&secret, step_now() + 1))
            .await
            .status(),
        204
    );

    // A super admin resets his factors: his sessions end, it is audited, he sets up anew.
    let myself = first
        .gql_with_cookie(&own_session, "{ viewer { id } }", json!({}))
        .await["data"]["viewer"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let own_reset = first
        .gql_with_cookie(&own_session, RESET, json!({ "a": myself }))
        .await;
    assert_eq!(error_code(&own_reset), "CONFLICT", "{own_reset}");
    let reset = node.gql(RESET, json!({ "a": bob })).await;
    assert_eq!(reset["resetAdminFactors"]["removedCount"], 1);
    assert!(
        reset["resetAdminFactors"]["sessionsEnded"]
            .as_u64()
            .unwrap()
            >= 2
    );
    let ended = node
        .gql_with_cookie(&session, "{ viewer { name } }", json!({}))
        .await;
    assert_eq!(error_code(&ended), "UNAUTHENTICATED");
    let events = audited(&node, "resetAdminFactors").await;
    assert_eq!(events[0]["targetId"], bob.as_str());
    assert_eq!(events[0]["summary"]["username"], "bob");
    assert_eq!(events[0]["summary"]["factorsRemoved"], 1);
    let missing = node
        .gql_as(&node.token, RESET, json!({ "a": lanyard::ids::new_id() }))
        .await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
    let (step, _) = begin_step(&node, "bob").await;
    assert_eq!(step["step"], "enrol");

    // On the first node, where nothing is required, an admin without a factor still signs in
    // with a password, and the reset left Bob none.
    password_session(&first, "bob").await;
    node.stop().await;
    first.stop().await;
}
