//! The OpenID provider through its real HTTP routes, as a relying party and an attacker would
//! use it: a code flow with PKCE whose tokens verify against the published JWKS, and the
//! hostile cases — requests that must not reach the redirect URI, codes reused, moved between
//! clients or redeemed without their verifier, refresh tokens replayed after rotation, client
//! assertions with `alg: none`, HMAC keyed with the public key or replayed, ID token hints
//! from another instance — each refused, with what it had issued revoked where it should be.
//! Two nodes on PostgreSQL redeem one code once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lanyard_tests::saml::{browser, location, set_scope, sign_in, PASSWORD};
use lanyard_tests::{Client, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const REDIRECT: &str = "https://rp.example.com/cb";
pub const AFTER_LOGOUT: &str = "https://rp.example.com/bye";
/// A verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";

/// An instance with alice (granted) and bob (not), and a confidential OIDC client.
pub struct Rp {
    pub instance: String,
    pub alice: String,
    pub client_id: String,
    pub secret: String,
}

/// Adds a Generic OpenID Connect application to `instance`, registered with `settings`, and
/// returns its client ID and a secret.
pub async fn add_client(
    app: &Client,
    instance: &str,
    name: &str,
    settings: Value,
) -> (String, String) {
    let added = app
        .gql(
            "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"generic-oidc\", name: $n}) { application { id } } }",
            json!({ "i": instance, "n": name }),
        )
        .await;
    let id = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut input =
        json!({ "id": id, "redirectUris": [REDIRECT], "postLogoutRedirectUris": [AFTER_LOGOUT] });
    for (k, v) in settings.as_object().unwrap() {
        input[k] = v.clone();
    }
    let configured = app
        .gql(
            "mutation($in: ConfigureApplicationOidcInput!) { configureApplicationOidc(input: $in) { application { oidc { clientId missingSettings } } } }",
            json!({ "in": input }),
        )
        .await;
    let oidc = &configured["configureApplicationOidc"]["application"]["oidc"];
    assert_eq!(oidc["clientId"], id.as_str());
    assert_eq!(oidc["missingSettings"], json!([]));
    let rotated = app
        .gql(
            "mutation($a: ID!) { rotateOidcClientSecret(input: {id: $a, overlapSeconds: 0}) { secret } }",
            json!({ "a": id }),
        )
        .await;
    let secret = rotated["rotateOidcClientSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    set_scope(app, &id, "MANUAL").await;
    (id, secret)
}

pub async fn grant(app: &Client, application: &str, user: &str) {
    app.gql(
        "mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }",
        json!({ "a": application, "u": user }),
    )
    .await;
}

pub async fn rp(app: &Client) -> Rp {
    rp_named(app, "Acme").await
}

pub async fn rp_named(app: &Client, name: &str) -> Rp {
    let instance = app.create_instance(name).await;
    let alice = app.create_user(&instance, "alice", Some(PASSWORD)).await;
    app.create_user(&instance, "bob", Some(PASSWORD)).await;
    let (client_id, secret) = add_client(app, &instance, "Wiki", json!({})).await;
    grant(app, &client_id, &alice).await;
    Rp {
        instance,
        alice,
        client_id,
        secret,
    }
}

pub fn issuer(instance: &str) -> String {
    format!("http://127.0.0.1/oidc/{instance}")
}

/// A browser signed in to the instance as `username`.
pub async fn signed_in(app: &Client, instance: &str, username: &str) -> reqwest::Client {
    let b = browser();
    let login = format!("{}/sso/{instance}/login", app.base);
    let done = sign_in(&app.base, &b, &login, username, PASSWORD).await;
    assert_eq!(done.status(), 303);
    b
}

/// The authorization request's URL on the test server.
pub fn authorize_url(app: &Client, instance: &str, params: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse(&format!("{}/oidc/{instance}/authorize", app.base)).unwrap();
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

/// The usual request: code, openid email profile groups, state, nonce, PKCE.
pub fn usual(client_id: &str) -> Vec<(&str, &str)> {
    vec![
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid email profile groups"),
        ("state", "st-123"),
        ("nonce", "n-456"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

/// The query of a redirect to the relying party, which must go to `REDIRECT`.
pub fn answer_of(response: &reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), 303, "a redirect to the relying party");
    let target = location(response);
    assert!(target.starts_with(&format!("{REDIRECT}?")), "{target}");
    reqwest::Url::parse(&target)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A code for the signed-in browser.
pub async fn code(
    app: &Client,
    b: &reqwest::Client,
    instance: &str,
    params: &[(&str, &str)],
) -> String {
    let response = b
        .get(authorize_url(app, instance, params))
        .send()
        .await
        .unwrap();
    let answer = answer_of(&response);
    assert_eq!(param(&answer, "error"), None, "{answer:?}");
    param(&answer, "code").expect("a code").to_owned()
}

/// A POST to one of the client endpoints, with HTTP Basic credentials when given.
pub async fn post(
    app: &Client,
    instance: &str,
    endpoint: &str,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/oidc/{instance}/{endpoint}", app.base))
        .form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    if status == StatusCode::OK || status.is_client_error() {
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn exchange(app: &Client, r: &Rp, code: &str) -> (StatusCode, Value) {
    post(
        app,
        &r.instance,
        "token",
        Some((&r.client_id, &r.secret)),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// A refresh grant of `r`'s client with `token`.
pub async fn refresh(app: &Client, r: &Rp, token: &str) -> (StatusCode, Value) {
    post(
        app,
        &r.instance,
        "token",
        Some((&r.client_id, &r.secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", token)],
    )
    .await
}

/// The claims of a JWT, verified with the instance's published keys.
pub async fn verified(app: &Client, instance: &str, token: &str, audience: &str) -> Value {
    let jwks: jsonwebtoken::jwk::JwkSet =
        reqwest::get(format!("{}/oidc/{instance}/jwks", app.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let kid = header.kid.expect("a kid");
    let jwk = jwks.find(&kid).expect("the kid is published");
    let mut rules = Validation::new(header.alg);
    rules.set_audience(&[audience]);
    rules.set_issuer(&[issuer(instance)]);
    jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &rules)
        .expect("the token verifies")
        .claims
}

async fn userinfo(app: &Client, instance: &str, access_token: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/oidc/{instance}/userinfo", app.base))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn discovery_names_the_instance_issuer_and_its_keys() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let document: Value = reqwest::get(format!(
        "{}/oidc/{}/.well-known/openid-configuration",
        app.base, r.instance
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let iss = issuer(&r.instance);
    assert_eq!(document["issuer"], iss.as_str());
    assert_eq!(document["token_endpoint"], format!("{iss}/token"));
    assert_eq!(
        document["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(document["response_types_supported"], json!(["code"]));
    assert_eq!(
        document["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    // RFC 8414's location says the same.
    let rfc8414: Value = reqwest::get(format!(
        "{}/.well-known/oauth-authorization-server/oidc/{}",
        app.base, r.instance
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(rfc8414, document);
    let jwks: Value = reqwest::get(format!("{}/oidc/{}/jwks", app.base, r.instance))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["alg"], "RS256");
    assert!(keys[0]["kid"].is_string());
    for missing in [
        "/oidc/0190a0a0-0000-7000-8000-000000000000/.well-known/openid-configuration".to_owned(),
        "/oidc/not-an-id/jwks".to_owned(),
        // An OIDC application has no SAML endpoints.
        format!("/saml/apps/{}/metadata", r.client_id),
        format!("/saml/apps/{}/start", r.client_id),
    ] {
        let status = reqwest::get(format!("{}{missing}", app.base))
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{missing}");
    }
}

#[tokio::test]
async fn a_code_flow_with_pkce_gives_tokens_that_verify_and_say_who_she_is() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    app.gql(
        "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Engineering\"}) { group { id } } }",
        json!({ "i": r.instance }),
    )
    .await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let response = b
        .get(authorize_url(&app, &r.instance, &usual(&r.client_id)))
        .send()
        .await
        .unwrap();
    let answer = answer_of(&response);
    assert_eq!(param(&answer, "state"), Some("st-123"));
    assert_eq!(param(&answer, "iss"), Some(issuer(&r.instance).as_str()));
    let code = param(&answer, "code").unwrap().to_owned();
    let (status, tokens) = exchange(&app, &r, &code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "openid email profile groups");
    let id = verified(
        &app,
        &r.instance,
        tokens["id_token"].as_str().unwrap(),
        &r.client_id,
    )
    .await;
    assert_eq!(id["sub"], "alice");
    assert_eq!(id["nonce"], "n-456");
    assert_eq!(id["preferred_username"], "alice");
    assert_eq!(id["acr"], "https://refeds.org/profile/sfa");
    assert_eq!(id["amr"], json!(["pwd"]));
    assert!(id["sid"].is_string() && id["auth_time"].is_i64());
    // at_hash binds the ID token to the access token.
    let access = tokens["access_token"].as_str().unwrap();
    let digest = openssl::sha::sha256(access.as_bytes());
    assert_eq!(id["at_hash"], URL_SAFE_NO_PAD.encode(&digest[..16]));
    // The access token is an RFC 9068 JWT, checkable offline.
    assert_eq!(
        jsonwebtoken::decode_header(access).unwrap().typ.as_deref(),
        Some("at+jwt")
    );
    let at = verified(&app, &r.instance, access, &r.client_id).await;
    assert_eq!(at["client_id"], r.client_id.as_str());
    assert_eq!(at["sub"], "alice");
    let (status, info) = userinfo(&app, &r.instance, access).await;
    assert_eq!(status, 200);
    assert_eq!(info["sub"], "alice");
    assert_eq!(info["groups"], json!([]));
    // The decision is in the audit log like a SAML one.
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { nodes { outcome targetId } } }",
            json!({ "i": r.instance }),
        )
        .await;
    let nodes = events["auditEvents"]["nodes"].as_array().unwrap();
    assert!(
        nodes
            .iter()
            .any(|n| n["targetId"] == r.client_id.as_str() && n["outcome"] == "allow"),
        "{nodes:?}"
    );
}

#[tokio::test]
async fn requests_that_cannot_be_trusted_with_the_redirect_uri_are_shown_not_redirected() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let other = app.create_instance("Other").await;
    let (foreign, _) = add_client(&app, &other, "Foreign", json!({})).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let long = "x".repeat(3000);
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "no redirect_uri",
            vec![
                ("client_id", &r.client_id),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        (
            "another redirect_uri",
            vec![
                ("client_id", &r.client_id),
                ("redirect_uri", "https://evil.example.com/cb"),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        (
            "a longer one",
            vec![
                ("client_id", &r.client_id),
                ("redirect_uri", "https://rp.example.com/cb/x"),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        (
            "no client",
            vec![
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        (
            "unknown client",
            vec![
                ("client_id", "0190a0a0-0000-7000-8000-000000000000"),
                ("redirect_uri", REDIRECT),
            ],
        ),
        (
            "another instance's client",
            vec![
                ("client_id", &foreign),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        (
            "a repeated redirect_uri",
            vec![
                ("client_id", &r.client_id),
                ("redirect_uri", REDIRECT),
                ("redirect_uri", "https://evil.example.com/cb"),
            ],
        ),
        (
            "an oversized parameter",
            vec![
                ("client_id", &r.client_id),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
                ("state", &long),
            ],
        ),
    ];
    for (case, params) in cases {
        let response = b
            .get(authorize_url(&app, &r.instance, &params))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{case}");
        assert!(response.headers().get("location").is_none(), "{case}");
        let page = response.text().await.unwrap();
        assert!(page.contains("<html"), "{case}: an HTML page");
        assert!(!page.contains("code="), "{case}");
    }
}

#[tokio::test]
async fn bad_requests_go_back_to_the_relying_party_as_errors_without_a_code() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let (public, _) = add_client(&app, &r.instance, "SPA", json!({ "clientType": "PUBLIC" })).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let base = |id: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s1"),
            ("client_id", id),
        ]
    };
    let client_id: &'static str = Box::leak(r.client_id.clone().into_boxed_str());
    let public: &'static str = Box::leak(public.into_boxed_str());
    let with = |id: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut all = base(id);
        all.extend_from_slice(extra);
        all
    };
    let cases = vec![
        (
            "plain PKCE",
            with(
                client_id,
                &[
                    ("code_challenge", CHALLENGE),
                    ("code_challenge_method", "plain"),
                ],
            ),
            "invalid_request",
        ),
        (
            "a challenge without a method",
            with(client_id, &[("code_challenge", CHALLENGE)]),
            "invalid_request",
        ),
        (
            "a public client without PKCE",
            with(public, &[]),
            "invalid_request",
        ),
        (
            "an implicit flow",
            vec![
                ("client_id", client_id),
                ("redirect_uri", REDIRECT),
                ("response_type", "id_token token"),
                ("scope", "openid"),
                ("state", "s1"),
            ],
            "unsupported_response_type",
        ),
        (
            "no openid scope",
            vec![
                ("client_id", client_id),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "email"),
                ("state", "s1"),
            ],
            "invalid_scope",
        ),
        (
            "a request object",
            with(client_id, &[("request", "eyJhbGciOiJub25lIn0.e30.")]),
            "request_not_supported",
        ),
        (
            "prompt none and login",
            with(client_id, &[("prompt", "none login")]),
            "invalid_request",
        ),
    ];
    for (case, params, expected) in cases {
        let response = b
            .get(authorize_url(&app, &r.instance, &params))
            .send()
            .await
            .unwrap();
        let answer = answer_of(&response);
        assert_eq!(
            param(&answer, "error"),
            Some(expected),
            "{case}: {answer:?}"
        );
        assert_eq!(param(&answer, "state"), Some("s1"), "{case}");
        assert_eq!(param(&answer, "code"), None, "{case}");
    }
    // Without a session, prompt=none cannot show the sign-in page.
    let anonymous = browser();
    let response = anonymous
        .get(authorize_url(
            &app,
            &r.instance,
            &with(client_id, &[("prompt", "none")]),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&answer_of(&response), "error"),
        Some("login_required")
    );
    // Asked for a second factor she cannot give.
    let response = b
        .get(authorize_url(
            &app,
            &r.instance,
            &with(
                client_id,
                &[("acr_values", "https://refeds.org/profile/mfa")],
            ),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&answer_of(&response), "error"),
        Some("unmet_authentication_requirements")
    );
}

#[tokio::test]
async fn without_a_session_the_employee_signs_in_and_the_request_goes_on() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = browser();
    let mut hinted = usual(&r.client_id);
    hinted.push(("login_hint", "alice\"><b>"));
    let response = b
        .get(authorize_url(&app, &r.instance, &hinted))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let login = location(&response).replacen("http://127.0.0.1", &app.base, 1);
    assert!(login.contains("/login?continue=authorize"), "{login}");
    // The hint fills in the username field, escaped.
    let page = b.get(&login).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("value=\"alice&quot;&gt;&lt;b&gt;\""),
        "{page}"
    );
    let signed = sign_in(&app.base, &b, &login, "alice", PASSWORD).await;
    let resume = location(&signed).replacen("http://127.0.0.1", &app.base, 1);
    assert!(resume.contains("/resume/"), "{resume}");
    let answer = answer_of(&b.get(resume).send().await.unwrap());
    assert!(param(&answer, "code").is_some());
    assert_eq!(param(&answer, "state"), Some("st-123"));
    // form_post: the same answer in an auto-submitting form.
    let mut params = usual(&r.client_id);
    params.push(("response_mode", "form_post"));
    let response = b
        .get(authorize_url(&app, &r.instance, &params))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("action=\"{REDIRECT}\"")), "{page}");
    assert!(page.contains("name=\"code\"") && page.contains("name=\"state\" value=\"st-123\""));
}

#[tokio::test]
async fn a_user_outside_the_scope_gets_access_denied_and_the_refusal_is_audited() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "bob").await;
    let response = b
        .get(authorize_url(&app, &r.instance, &usual(&r.client_id)))
        .send()
        .await
        .unwrap();
    let answer = answer_of(&response);
    assert_eq!(param(&answer, "error"), Some("access_denied"));
    assert_eq!(param(&answer, "code"), None);
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"sso\"}) { nodes { outcome actor { name } } } }",
            json!({ "i": r.instance }),
        )
        .await;
    let nodes = events["auditEvents"]["nodes"].as_array().unwrap();
    assert!(
        nodes
            .iter()
            .any(|n| n["outcome"] == "deny" && n["actor"]["name"] == "bob"),
        "{nodes:?}"
    );
}

#[tokio::test]
async fn a_code_is_redeemed_once_and_its_reuse_revokes_what_it_issued() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let code = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (status, tokens) = exchange(&app, &r, &code).await;
    assert_eq!(status, 200);
    let (status, again) = exchange(&app, &r, &code).await;
    assert_eq!(status, 400);
    assert_eq!(again["error"], "invalid_grant");
    // What the first exchange issued is revoked with it.
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(userinfo(&app, &r.instance, access).await.0, 401);
    let (status, refreshed) = refresh(&app, &r, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(
        (status, refreshed["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_code_is_bound_to_its_client_redirect_uri_verifier_and_lifetime() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let (other_id, other_secret) = add_client(&app, &r.instance, "Other", json!({})).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let token = |code: String, extra: Vec<(&'static str, String)>, who: (String, String)| {
        let app = &app;
        let instance = r.instance.clone();
        async move {
            let mut form: Vec<(&str, String)> =
                vec![("grant_type", "authorization_code".into()), ("code", code)];
            form.extend(extra);
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(app, &instance, "token", Some((&who.0, &who.1)), &borrowed).await
        }
    };
    let mine = (r.client_id.clone(), r.secret.clone());
    let pkce = || {
        vec![
            ("redirect_uri", REDIRECT.to_owned()),
            ("code_verifier", VERIFIER.to_owned()),
        ]
    };
    // Another client's code.
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (status, body) = token(c.clone(), pkce(), (other_id.clone(), other_secret.clone())).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    // … and it is spent for its own client too.
    assert_eq!(
        token(c, pkce(), mine.clone()).await.1["error"],
        "invalid_grant"
    );
    let cases: Vec<(&str, Vec<(&'static str, String)>)> = vec![
        ("no verifier", vec![("redirect_uri", REDIRECT.into())]),
        (
            "a wrong verifier",
            vec![
                ("redirect_uri", REDIRECT.into()),
                ("code_verifier", "A".repeat(43)),
            ],
        ),
        (
            "the challenge as verifier",
            vec![
                ("redirect_uri", REDIRECT.into()),
                ("code_verifier", CHALLENGE.into()),
            ],
        ),
        (
            "another redirect_uri",
            vec![
                ("redirect_uri", "https://rp.example.com/other".into()),
                ("code_verifier", VERIFIER.into()),
            ],
        ),
        ("no redirect_uri", vec![("code_verifier", VERIFIER.into())]),
    ];
    for (case, extra) in cases {
        let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
        let (status, body) = token(c, extra, mine.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_grant")),
            "{case}"
        );
    }
    // A downgrade: a verifier for a code issued without a challenge.
    let without: Vec<(&str, &str)> = usual(&r.client_id)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("code_challenge"))
        .collect();
    let c = code(&app, &b, &r.instance, &without).await;
    assert_eq!(
        token(c, pkce(), mine.clone()).await.1["error"],
        "invalid_grant"
    );
    // An expired code.
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    db.execute(Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => "UPDATE oidc_grants SET code_expires_at = $1",
            _ => "UPDATE oidc_grants SET code_expires_at = ?",
        },
        [past.into()],
    ))
    .await
    .unwrap();
    assert_eq!(
        token(c, pkce(), mine.clone()).await.1["error"],
        "invalid_grant"
    );
    // Wrong or missing client credentials.
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (status, body) = token(
        c.clone(),
        pkce(),
        (r.client_id.clone(), "lanyard_oidc_wrong".into()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (status, body) = post(
        &app,
        &r.instance,
        "token",
        None,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("client_id", &r.client_id),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client")),
        "a confidential client cannot skip authentication"
    );
    // Not a form.
    let response = reqwest::Client::new()
        .post(format!("{}/oidc/{}/token", app.base, r.instance))
        .basic_auth(&r.client_id, Some(&r.secret))
        .json(&json!({ "grant_type": "authorization_code", "code": c }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_its_family() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (_, tokens) = exchange(&app, &r, &c).await;
    let first = tokens["refresh_token"].as_str().unwrap().to_owned();
    let (status, second) = refresh(&app, &r, &first).await;
    assert_eq!(status, 200, "{second}");
    let next = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(next, first);
    let id = verified(
        &app,
        &r.instance,
        second["id_token"].as_str().unwrap(),
        &r.client_id,
    )
    .await;
    assert_eq!(id["sub"], "alice");
    // The rotated-away token, replayed: refused, and the whole family with it.
    assert_eq!(refresh(&app, &r, &first).await.1["error"], "invalid_grant");
    assert_eq!(refresh(&app, &r, &next).await.1["error"], "invalid_grant");
    let access = second["access_token"].as_str().unwrap();
    assert_eq!(userinfo(&app, &r.instance, access).await.0, 401);
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"oidcRefreshTokenReused\"}) { nodes { targetId } } }",
            json!({ "i": r.instance }),
        )
        .await;
    assert_eq!(events["auditEvents"]["nodes"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn revocation_and_introspection_answer_only_the_client_the_token_was_issued_to() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let (other_id, other_secret) = add_client(&app, &r.instance, "Other", json!({})).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (_, tokens) = exchange(&app, &r, &c).await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let mine = Some((r.client_id.as_str(), r.secret.as_str()));
    let theirs = Some((other_id.as_str(), other_secret.as_str()));
    let (status, body) = post(&app, &r.instance, "introspect", None, &[("token", access)]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (_, body) = post(
        &app,
        &r.instance,
        "introspect",
        theirs,
        &[("token", access)],
    )
    .await;
    assert_eq!(body, json!({ "active": false }));
    let (_, body) = post(&app, &r.instance, "introspect", mine, &[("token", access)]).await;
    assert_eq!(body["active"], true);
    assert_eq!(body["sub"], "alice");
    let (_, body) = post(&app, &r.instance, "introspect", mine, &[("token", refresh)]).await;
    assert_eq!(body["active"], true);
    assert_eq!(body["token_type"], "refresh_token");
    // Another client cannot revoke it; its own client can, and then nothing of it works.
    let (status, _) = post(&app, &r.instance, "revoke", theirs, &[("token", refresh)]).await;
    assert_eq!(status, 400);
    let (status, _) = post(&app, &r.instance, "revoke", mine, &[("token", refresh)]).await;
    assert_eq!(status, 200);
    let (_, body) = post(&app, &r.instance, "introspect", mine, &[("token", access)]).await;
    assert_eq!(body, json!({ "active": false }));
    assert_eq!(userinfo(&app, &r.instance, access).await.0, 401);
    // An unknown token is revoked "successfully" (RFC 7009 §2.2) and is not active.
    let (status, _) = post(&app, &r.instance, "revoke", mine, &[("token", "nonsense")]).await;
    assert_eq!(status, 200);
    // A forged access token: signed by another key.
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({ "iss": issuer(&r.instance), "sub": "alice", "exp": 4_000_000_000i64 }),
        &EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    assert_eq!(userinfo(&app, &r.instance, &forged).await.0, 401);
}

fn rsa_client_key() -> (openssl::pkey::PKey<openssl::pkey::Private>, Value) {
    let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
    let b64 = |bytes: Vec<u8>| URL_SAFE_NO_PAD.encode(bytes);
    let jwk = json!({ "kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(rsa.n().to_vec()), "e": b64(rsa.e().to_vec()) });
    (
        openssl::pkey::PKey::from_rsa(rsa).unwrap(),
        json!({ "keys": [jwk] }),
    )
}

#[tokio::test]
async fn private_key_jwt_refuses_none_hmac_confusion_replay_and_other_audiences() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let (key, jwks) = rsa_client_key();
    let (id, _) = add_client(
        &app,
        &r.instance,
        "Backend",
        json!({ "authMethod": "PRIVATE_KEY_JWT", "jwks": jwks.to_string(), "assertionAlgorithm": "RS256" }),
    )
    .await;
    grant(&app, &id, &r.alice).await;
    let token_endpoint = format!("{}/token", issuer(&r.instance));
    let pem = key.private_key_to_pem_pkcs8().unwrap();
    let assertion = |jti: &str, aud: &str| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("k1".into());
        let now = chrono::Utc::now().timestamp();
        jsonwebtoken::encode(
            &header,
            &json!({ "iss": id, "sub": id, "aud": aud, "jti": jti, "iat": now, "exp": now + 120 }),
            &EncodingKey::from_rsa_pem(&pem).unwrap(),
        )
        .unwrap()
    };
    let b = signed_in(&app, &r.instance, "alice").await;
    let exchange_with = |assertion: String| {
        let app = &app;
        let b = &b;
        let instance = r.instance.clone();
        let id = id.clone();
        async move {
            let c = code(app, b, &instance, &usual(&id)).await;
            post(
                app,
                &instance,
                "token",
                None,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &c),
                    ("redirect_uri", REDIRECT),
                    ("code_verifier", VERIFIER),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", &assertion),
                ],
            )
            .await
        }
    };
    let good = assertion("jti-1", &token_endpoint);
    let (status, body) = exchange_with(good.clone()).await;
    assert_eq!(status, 200, "{body}");
    // The same assertion again: its jti is spent.
    let (status, body) = exchange_with(good).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    // alg: none.
    let now = chrono::Utc::now().timestamp();
    let claims = URL_SAFE_NO_PAD.encode(
        json!({ "iss": id, "sub": id, "aud": token_endpoint, "jti": "jti-2", "exp": now + 60 })
            .to_string(),
    );
    let none = format!(
        "{}.{claims}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    );
    assert_eq!(exchange_with(none).await.0, 401);
    // HS256 keyed with the registered public key (algorithm confusion).
    let public_pem = key.public_key_to_pem().unwrap();
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some("k1".into());
    let confused = jsonwebtoken::encode(
        &hs,
        &json!({ "iss": id, "sub": id, "aud": token_endpoint, "jti": "jti-3", "exp": now + 60 }),
        &EncodingKey::from_secret(&public_pem),
    )
    .unwrap();
    assert_eq!(exchange_with(confused).await.0, 401);
    // Another audience, another key.
    assert_eq!(
        exchange_with(assertion("jti-4", "https://elsewhere.example.com/token"))
            .await
            .0,
        401
    );
    let (stranger, _) = rsa_client_key();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("k1".into());
    let strange = jsonwebtoken::encode(
        &header,
        &json!({ "iss": id, "sub": id, "aud": token_endpoint, "jti": "jti-5", "exp": now + 60 }),
        &EncodingKey::from_rsa_pem(&stranger.private_key_to_pem_pkcs8().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(exchange_with(strange).await.0, 401);
    // A secret is not how this client authenticates.
    let c = code(&app, &b, &r.instance, &usual(&id)).await;
    let (status, _) = post(
        &app,
        &r.instance,
        "token",
        Some((&id, "lanyard_oidc_x")),
        &[("grant_type", "authorization_code"), ("code", &c)],
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn logout_ends_her_session_only_for_a_hint_this_instance_signed() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let other = rp_named(&app, "Other").await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (_, tokens) = exchange(&app, &r, &c).await;
    let hint = tokens["id_token"].as_str().unwrap();
    // A hint from another instance.
    let ob = signed_in(&app, &other.instance, "alice").await;
    let oc = code(&app, &ob, &other.instance, &usual(&other.client_id)).await;
    let (_, other_tokens) = exchange(&app, &other, &oc).await;
    let logout = |params: Vec<(&str, &str)>| {
        let mut url =
            reqwest::Url::parse(&format!("{}/oidc/{}/logout", app.base, r.instance)).unwrap();
        url.query_pairs_mut().extend_pairs(params);
        b.get(url.to_string()).send()
    };
    let response = logout(vec![
        ("id_token_hint", other_tokens["id_token"].as_str().unwrap()),
        ("post_logout_redirect_uri", AFTER_LOGOUT),
    ])
    .await
    .unwrap();
    assert_eq!(response.status(), 400);
    let response = logout(vec![
        ("id_token_hint", hint),
        ("post_logout_redirect_uri", "https://evil.example.com/bye"),
    ])
    .await
    .unwrap();
    assert_eq!(response.status(), 400);
    // Nothing ended: she still gets codes.
    code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let response = logout(vec![
        ("id_token_hint", hint),
        ("post_logout_redirect_uri", AFTER_LOGOUT),
        ("state", "bye-1"),
    ])
    .await
    .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{AFTER_LOGOUT}?state=bye-1"));
    let mut none = usual(&r.client_id);
    none.push(("prompt", "none"));
    let response = b
        .get(authorize_url(&app, &r.instance, &none))
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&answer_of(&response), "error"),
        Some("login_required")
    );
    // The session's grants ended with it.
    let (_, refreshed) = refresh(&app, &r, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed["error"], "invalid_grant");
}

#[tokio::test]
async fn one_code_at_two_nodes_at_once_is_redeemed_once() {
    if lanyard_tests::postgres_base().is_none() {
        eprintln!("several nodes share PostgreSQL only (SQLite is for one node): runs in the PostgreSQL suite");
        return;
    }
    let first = TestApp::spawn().await;
    let second = first.spawn_peer(|_| {}).await;
    let r = rp(&first).await;
    let b = signed_in(&first, &r.instance, "alice").await;
    for _ in 0..5 {
        let c = code(&first, &b, &r.instance, &usual(&r.client_id)).await;
        let (a, z) = tokio::join!(exchange(&first, &r, &c), exchange(&second, &r, &c));
        let statuses = [a.0, z.0];
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "{a:?} {z:?}"
        );
        // The loser's attempt revoked the grant: the winner's refresh token is refused too.
        let winner = if a.0 == StatusCode::OK { a.1 } else { z.1 };
        let (_, refreshed) = refresh(&first, &r, winner["refresh_token"].as_str().unwrap()).await;
        assert_eq!(refreshed["error"], "invalid_grant");
    }
}

#[tokio::test]
async fn tokens_follow_the_instance_key_through_a_rollover_to_es256() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let rotated = app
        .gql(
            "mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i, algorithm: ECDSA_P256}) { signingKey { id } } }",
            json!({ "i": r.instance }),
        )
        .await;
    let key = rotated["rotateSigningKey"]["signingKey"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Pending: published before it signs.
    let jwks: Value = reqwest::get(format!("{}/oidc/{}/jwks", app.base, r.instance))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kid"] == key.as_str() && k["alg"] == "ES256"));
    app.gql(
        "mutation($i: ID!, $k: ID!) { activateSigningKey(input: {instanceId: $i, id: $k}) { signingKey { id } } }",
        json!({ "i": r.instance, "k": key }),
    )
    .await;
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let (status, tokens) = exchange(&app, &r, &c).await;
    assert_eq!(status, 200);
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(
        (header.alg, header.kid.as_deref()),
        (Algorithm::ES256, Some(key.as_str()))
    );
    let claims = verified(&app, &r.instance, id_token, &r.client_id).await;
    assert_eq!(claims["sub"], "alice");
    // The retired RSA key stays published: tokens it signed still verify.
    let jwks: Value = reqwest::get(format!("{}/oidc/{}/jwks", app.base, r.instance))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    // A token with `alg: none` is nobody's.
    let claims = URL_SAFE_NO_PAD.encode(
        json!({ "iss": issuer(&r.instance), "sub": "alice", "exp": 4_000_000_000i64 }).to_string(),
    );
    let none = format!(
        "{}.{claims}.",
        URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","kid":"{key}"}}"#))
    );
    assert_eq!(userinfo(&app, &r.instance, &none).await.0, 401);
}

#[tokio::test]
async fn secrets_rotate_with_an_overlap_and_lifetimes_stay_in_bounds() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let rotate = |overlap: i64| {
        let app = &app;
        let id = r.client_id.clone();
        async move {
            app.gql(
                "mutation($a: ID!, $o: Int!) { rotateOidcClientSecret(input: {id: $a, overlapSeconds: $o}) { secret application { oidc { secrets { id hint expiresAt } } } } }",
                json!({ "a": id, "o": overlap }),
            )
            .await["rotateOidcClientSecret"]
                .clone()
        }
    };
    let second = rotate(3600).await;
    let second_secret = second["secret"].as_str().unwrap().to_owned();
    let secrets = second["application"]["oidc"]["secrets"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        secrets.len(),
        2,
        "the new one and the one it replaces, for an hour"
    );
    assert!(secrets[0]["expiresAt"].is_null());
    assert_eq!(
        secrets[0]["hint"],
        &second_secret[second_secret.len() - 4..]
    );
    assert!(secrets[1]["expiresAt"].is_string());
    // Both work during the overlap.
    for secret in [&r.secret, &second_secret] {
        let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
        let rp = Rp {
            instance: r.instance.clone(),
            alice: r.alice.clone(),
            client_id: r.client_id.clone(),
            secret: secret.to_string(),
        };
        assert_eq!(exchange(&app, &rp, &c).await.0, 200);
    }
    // Without an overlap the previous ones stop at once.
    let third = rotate(0).await;
    assert_eq!(
        third["application"]["oidc"]["secrets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for (secret, expected) in [
        (second_secret.as_str(), 401),
        (third["secret"].as_str().unwrap(), 200),
    ] {
        let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
        let rp = Rp {
            instance: r.instance.clone(),
            alice: r.alice.clone(),
            client_id: r.client_id.clone(),
            secret: secret.to_owned(),
        };
        assert_eq!(exchange(&app, &rp, &c).await.0.as_u16(), expected);
    }
    let refused = app
        .try_gql(
            "mutation($a: ID!) { rotateOidcClientSecret(input: {id: $a, overlapSeconds: 99999999}) { secret } }",
            json!({ "a": r.client_id }),
        )
        .await
        .unwrap();
    assert_eq!(lanyard_tests::error_code(&refused), "BAD_USER_INPUT");
    for (field, value) in [
        ("idTokenLifetimeSeconds", 10),
        ("accessTokenLifetimeSeconds", 100_000),
        ("refreshTokenLifetimeSeconds", 1),
    ] {
        let refused = app
            .try_gql(
                "mutation($in: ConfigureApplicationOidcInput!) { configureApplicationOidc(input: $in) { application { id } } }",
                json!({ "in": { "id": r.client_id, field: value } }),
            )
            .await
            .unwrap();
        assert_eq!(
            lanyard_tests::error_code(&refused),
            "BAD_USER_INPUT",
            "{field}"
        );
    }
    for (field, value) in [
        ("redirectUris", json!(["http://rp.example.com/cb"])),
        ("redirectUris", json!(["https://rp.example.com/cb#x"])),
        ("scopes", json!(["email"])),
        ("claims", json!([{ "name": "sub", "source": "username" }])),
    ] {
        let refused = app
            .try_gql(
                "mutation($in: ConfigureApplicationOidcInput!) { configureApplicationOidc(input: $in) { application { id } } }",
                json!({ "in": { "id": r.client_id, field: value } }),
            )
            .await
            .unwrap();
        assert_eq!(
            lanyard_tests::error_code(&refused),
            "BAD_USER_INPUT",
            "{field} {value}"
        );
    }
    app.gql(
        "mutation($in: ConfigureApplicationOidcInput!) { configureApplicationOidc(input: $in) { application { id } } }",
        json!({ "in": { "id": r.client_id, "idTokenLifetimeSeconds": 120, "accessTokenLifetimeSeconds": 300, "claims": [{ "name": "department", "source": "literal", "values": ["R&D"] }] } }),
    )
    .await;
    let c = code(&app, &b, &r.instance, &usual(&r.client_id)).await;
    let rp = Rp {
        instance: r.instance.clone(),
        alice: r.alice.clone(),
        client_id: r.client_id.clone(),
        secret: third["secret"].as_str().unwrap().to_owned(),
    };
    let (_, tokens) = exchange(&app, &rp, &c).await;
    assert_eq!(tokens["expires_in"], 300);
    let id = verified(
        &app,
        &r.instance,
        tokens["id_token"].as_str().unwrap(),
        &r.client_id,
    )
    .await;
    assert_eq!(
        id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(),
        120
    );
    assert_eq!(id["department"], "R&D");
}

#[tokio::test]
async fn alibaba_cloud_ram_gets_the_issuer_client_id_and_subject_it_checks() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let alice = app.create_user(&instance, "alice", Some(PASSWORD)).await;
    let added = app
        .gql(
            "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-role-sso-oidc\", name: \"Alibaba Cloud (OIDC)\", params: {accountId: \"5123456789012345\", idpName: \"lanyard\", roles: \"admin\"}}) { application { id template { protocol } oidc { clientId issuer missingSettings } } } }",
            json!({ "i": instance }),
        )
        .await;
    let application = &added["addApplication"]["application"];
    assert_eq!(application["template"]["protocol"], "OIDC");
    assert_eq!(application["oidc"]["issuer"], issuer(&instance).as_str());
    assert_eq!(
        application["oidc"]["missingSettings"],
        json!(["redirectUris"])
    );
    let id = application["id"].as_str().unwrap().to_owned();
    assert_eq!(application["oidc"]["clientId"], id.as_str());
    app.gql(
        "mutation($a: ID!, $r: String!) { configureApplicationOidc(input: {id: $a, redirectUris: [$r]}) { application { id } } }",
        json!({ "a": id, "r": REDIRECT }),
    )
    .await;
    let secret = app
        .gql(
            "mutation($a: ID!) { rotateOidcClientSecret(input: {id: $a}) { secret } }",
            json!({ "a": id }),
        )
        .await["rotateOidcClientSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    set_scope(&app, &id, "MANUAL").await;
    grant(&app, &id, &alice).await;
    let r = Rp {
        instance: instance.clone(),
        alice,
        client_id: id.clone(),
        secret,
    };
    let b = signed_in(&app, &instance, "alice").await;
    let c = code(&app, &b, &instance, &usual(&id)).await;
    let (_, tokens) = exchange(&app, &r, &c).await;
    // What AssumeRoleWithOIDC checks: the issuer, `aud` = the client ID, the subject a role's
    // trust policy can name.
    let claims = verified(&app, &instance, tokens["id_token"].as_str().unwrap(), &id).await;
    assert_eq!(claims["iss"], issuer(&instance).as_str());
    assert_eq!(claims["aud"], id.as_str());
    assert_eq!(claims["sub"], "alice");
    // The portal's tile starts at the relying party's site (no login initiation URI yet).
    let start = browser()
        .get(format!("{}/oidc/apps/{id}/start", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&start), "https://rp.example.com");
    app.gql(
        "mutation($a: ID!) { configureApplicationOidc(input: {id: $a, initiateLoginUri: \"https://rp.example.com/login?x=1\"}) { application { id } } }",
        json!({ "a": id }),
    )
    .await;
    let start = browser()
        .get(format!("{}/oidc/apps/{id}/start", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&start),
        format!(
            "https://rp.example.com/login?x=1&iss={}",
            issuer(&instance).replace(':', "%3A").replace('/', "%2F")
        )
    );
}

#[tokio::test]
async fn acr_values_asking_for_mfa_step_the_session_up_before_the_code() {
    let app = TestApp::spawn().await;
    let r = rp(&app).await;
    let b = signed_in(&app, &r.instance, "alice").await;
    let (secret, _) = crate::factors::enrol_totp(&app, &r.instance, &b).await;
    let enrolled_step = crate::factors::step_now();
    let mut params = usual(&r.client_id);
    params.push(("acr_values", "https://refeds.org/profile/mfa"));
    // prompt=none cannot show the factor page.
    let mut passive = params.clone();
    passive.push(("prompt", "none"));
    let response = b
        .get(authorize_url(&app, &r.instance, &passive))
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&answer_of(&response), "error"),
        Some("interaction_required")
    );
    // Otherwise she is asked for her code, then the request goes on.
    let asked = b
        .get(authorize_url(&app, &r.instance, &params))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 303);
    assert_eq!(
        location(&asked),
        format!("http://127.0.0.1/sso/{}/login/factor", r.instance)
    );
    let stepped = crate::factors::give(
        &app,
        &b,
        &r.instance,
        "totp",
        &crate::factors::code_at(&secret, enrolled_step + 1),
    )
    .await;
    assert_eq!(stepped.status(), 303);
    let resume = location(&stepped).replacen("http://127.0.0.1", &app.base, 1);
    assert!(resume.contains("/resume/"), "{resume}");
    let answer = answer_of(&b.get(resume).send().await.unwrap());
    let c = param(&answer, "code")
        .expect("a code after the second factor")
        .to_owned();
    let (_, tokens) = exchange(&app, &r, &c).await;
    let id = verified(
        &app,
        &r.instance,
        tokens["id_token"].as_str().unwrap(),
        &r.client_id,
    )
    .await;
    assert_eq!(id["acr"], "https://refeds.org/profile/mfa");
    assert_eq!(id["amr"], json!(["pwd", "otp", "mfa"]));
}
