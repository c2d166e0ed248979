//! A third-party OpenID Connect relying party — authlib, over requests — signs employees in
//! through the real HTTP routes, sign-in form included (tests/interop/oidc_rp.py): discovery,
//! the authorization code with PKCE through a client of each authentication method
//! (client_secret_basic, client_secret_post, private_key_jwt, and a public client with none),
//! the ID token validated by the library against the published JWKS, userinfo, refresh with
//! rotation and reuse detection, revocation, introspection, and RP-initiated logout. A user
//! outside the applications' authorization scope gets `access_denied` at the redirect URI.
//! Lanyard's side is then checked over GraphQL: the access decisions and the reuse it caught
//! are in the audit log.

use std::process::Command;

use lanyard_tests::saml::PASSWORD;
use lanyard_tests::TestApp;
use serde_json::{json, Value};

use crate::sso_interop::python;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/oidc_rp.py");
const REDIRECT_URI: &str = "https://rp.interop.test/callback";
const POST_LOGOUT_URI: &str = "https://rp.interop.test/signed-out";

/// Runs the script off the async executor (its requests come from another process); its
/// stdout once it succeeded.
async fn run_script(args: Vec<String>) -> String {
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python())
            .arg(SCRIPT)
            .args(&args)
            .output()
            .expect("running the OIDC interop script")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "authlib: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr),
    );
    stdout
}

/// An application from the generic OIDC template, registered with the relying party's
/// redirect URIs, granted to `user` only; its client ID.
async fn client(app: &TestApp, instance: &str, name: &str, user: &str, oidc: Value) -> String {
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
    let mut input = json!({
        "id": id,
        "redirectUris": [REDIRECT_URI],
        "postLogoutRedirectUris": [POST_LOGOUT_URI],
        "scopes": ["openid", "profile", "email", "groups", "offline_access"],
        "claims": [{ "name": "department", "source": "literal", "values": ["Platform"] }],
    });
    input.as_object_mut().unwrap().extend(
        oidc.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let configured = app
        .gql(
            "mutation($input: ConfigureApplicationOidcInput!) { configureApplicationOidc(input: $input) { application { oidc { clientId missingSettings } } } }",
            json!({ "input": input }),
        )
        .await;
    let oidc = &configured["configureApplicationOidc"]["application"]["oidc"];
    assert_eq!(oidc["clientId"], id.as_str(), "{configured}");
    assert_eq!(oidc["missingSettings"], json!([]), "{configured}");
    lanyard_tests::saml::set_scope(app, &id, "MANUAL").await;
    app.gql(
        "mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }",
        json!({ "a": id, "u": user }),
    )
    .await;
    id
}

async fn secret(app: &TestApp, application: &str) -> String {
    let rotated = app
        .gql(
            "mutation($id: ID!) { rotateOidcClientSecret(input: {id: $id, overlapSeconds: 0}) { secret } }",
            json!({ "id": application }),
        )
        .await;
    rotated["rotateOidcClientSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn audited(app: &TestApp, instance: &str, action: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $a: String!) { auditEvents(instanceId: $i, filter: {action: $a}) { nodes { targetId outcome actor { kind name } summary } } }",
        json!({ "i": instance, "a": action }),
    )
    .await["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

/// The step of the script's output named `name`.
fn step<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name:?} in {steps:?}"))
}

#[tokio::test]
async fn authlib_relying_party_drives_every_flow() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Interop").await;
    let group = app
        .id_of(
            "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Engineering\"}) { group { id } } }",
            json!({ "i": instance }),
            &["createGroup", "group", "id"],
        )
        .await;
    let alice = app
        .id_of(
            "mutation($i: ID!, $p: String, $g: ID!) { createUser(input: {instanceId: $i, username: \"alice\", displayName: \"Alice Wong\", email: \"alice@interop.example\", password: $p, groupIds: [$g]}) { user { id } } }",
            json!({ "i": instance, "p": PASSWORD, "g": group }),
            &["createUser", "user", "id"],
        )
        .await;
    app.create_user(&instance, "bob", Some(PASSWORD)).await;

    // The private_key_jwt client's key pair, made by the relying party.
    let key_file = app.dir.path().join("rp-key.pem").display().to_string();
    let jwks = run_script(vec!["keygen".into(), key_file.clone()]).await;

    let basic = client(&app, &instance, "authlib basic", &alice, json!({})).await;
    let post = client(
        &app,
        &instance,
        "authlib post",
        &alice,
        json!({ "authMethod": "CLIENT_SECRET_POST" }),
    )
    .await;
    let jwt = client(
        &app,
        &instance,
        "authlib jwt",
        &alice,
        json!({ "authMethod": "PRIVATE_KEY_JWT", "jwks": jwks.trim(), "assertionAlgorithm": "RS256" }),
    )
    .await;
    let public = client(
        &app,
        &instance,
        "authlib public",
        &alice,
        json!({ "clientType": "PUBLIC", "authMethod": "NONE" }),
    )
    .await;
    let registered = app
        .gql(
            "query($id: ID!) { application(id: $id) { oidc { issuer discoveryUrl } } }",
            json!({ "id": basic }),
        )
        .await;
    let issuer = registered["application"]["oidc"]["issuer"]
        .as_str()
        .unwrap()
        .to_owned();
    let discovery = registered["application"]["oidc"]["discoveryUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(issuer, format!("http://127.0.0.1/oidc/{instance}"));

    let config = json!({
        "public_url": "http://127.0.0.1",
        "base": app.base,
        "discovery_url": discovery,
        "redirect_uri": REDIRECT_URI,
        "post_logout_redirect_uri": POST_LOGOUT_URI,
        "password": PASSWORD,
        "clients": {
            "basic": { "client_id": basic, "client_secret": secret(&app, &basic).await },
            "post": { "client_id": post, "client_secret": secret(&app, &post).await },
            "jwt": { "client_id": jwt, "key_file": key_file },
            "public": { "client_id": public },
        },
    });
    let stdout = run_script(vec!["flows".into(), config.to_string()]).await;
    let steps: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("the script prints JSON lines"))
        .collect();
    assert_eq!(steps.last().unwrap()["step"], "done", "{stdout}");

    let discovered = step(&steps, "discovery");
    assert_eq!(discovered["issuer"], issuer.as_str());
    assert_eq!(discovered["code_challenge_methods"], json!(["S256"]));
    for method in [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
        "none",
    ] {
        assert!(
            discovered["token_endpoint_auth_methods"]
                .as_array()
                .unwrap()
                .contains(&json!(method)),
            "{discovered}"
        );
    }

    // alice signs in once; every client's ID token and userinfo say who she is.
    let basic_flow = step(&steps, "client_secret_basic");
    assert_eq!(basic_flow["asked_password"], true, "{basic_flow}");
    let claims = &basic_flow["id_token"];
    assert_eq!(claims["iss"], issuer.as_str());
    assert_eq!(claims["aud"], basic.as_str());
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["name"], "Alice Wong");
    assert_eq!(claims["preferred_username"], "alice");
    assert_eq!(claims["email"], "alice@interop.example");
    assert_eq!(claims["groups"], json!(["Engineering"]));
    assert_eq!(claims["department"], "Platform");
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert!(claims["sid"].is_string(), "{claims}");
    assert_eq!(basic_flow["alg"], discovered["id_token_algs"][0]);
    assert_eq!(basic_flow["access_token_typ"], "at+jwt");
    assert_eq!(basic_flow["token_type"], "Bearer");
    assert_eq!(basic_flow["userinfo_status"], 200);
    let userinfo = &basic_flow["userinfo"];
    assert_eq!(userinfo["sub"], "alice", "{userinfo}");
    assert_eq!(userinfo["email"], "alice@interop.example");
    assert_eq!(userinfo["groups"], json!(["Engineering"]));
    assert_eq!(userinfo["department"], "Platform");
    let introspected = &basic_flow["introspection"];
    assert_eq!(introspected["active"], true, "{introspected}");
    assert_eq!(introspected["client_id"], basic.as_str());
    assert_eq!(introspected["sub"], "alice");

    // Refresh rotates; the spent token presented again revokes its whole family.
    let refreshed = step(&steps, "refresh");
    assert_eq!(refreshed["rotated"], true, "{refreshed}");
    assert_eq!(refreshed["new_access_token"], true);
    assert_eq!(refreshed["id_token_sub"], "alice");
    assert_eq!(refreshed["userinfo_status"], 200);
    let reuse = step(&steps, "refresh token reuse");
    assert_eq!(reuse["reused"], "invalid_grant", "{reuse}");
    assert_eq!(reuse["successor_after_reuse"], "invalid_grant");
    assert_eq!(reuse["access_token_after_reuse"]["active"], false);
    assert_eq!(reuse["userinfo_status_after_reuse"], 401);

    // Revoking the refresh token ends the grant, its access tokens too.
    let posted = step(&steps, "client_secret_post");
    assert_eq!(posted["asked_password"], false, "the session is reused");
    assert_eq!(posted["id_token"]["aud"], post.as_str());
    assert_eq!(posted["userinfo"]["sub"], "alice");
    assert_eq!(posted["refresh_token_introspection"]["active"], true);
    assert_eq!(
        posted["refresh_token_introspection"]["token_type"],
        "refresh_token"
    );
    assert_eq!(posted["revoke_status"], 200);
    assert_eq!(posted["refresh_after_revocation"], "invalid_grant");
    assert_eq!(posted["refresh_token_after_revocation"]["active"], false);
    assert_eq!(posted["access_token_after_revocation"]["active"], false);
    assert_eq!(posted["revoke_unknown_status"], 200, "RFC 7009 §2.2");

    // private_key_jwt: authlib's assertions are accepted at the token, introspection and
    // revocation endpoints; the same assertion twice is not.
    let signed = step(&steps, "private_key_jwt");
    assert_eq!(signed["id_token"]["aud"], jwt.as_str());
    assert_eq!(signed["userinfo"]["sub"], "alice");
    assert_eq!(signed["assertion"]["iss"], jwt.as_str());
    assert_eq!(signed["assertion"]["alg"], "RS256");
    // authlib's defaults: the token endpoint as the audience everywhere, an hour's lifetime.
    assert_eq!(signed["assertion"]["aud"], format!("{issuer}/token"));
    assert_eq!(signed["assertion"]["lifetime"], 3600);
    assert_eq!(signed["introspection"]["active"], true, "{signed}");
    assert_eq!(signed["revoke_status"], 200);
    assert_eq!(signed["introspection_after_revocation"]["active"], false);
    assert_eq!(signed["replayed_assertion"]["status"], 401, "{signed}");
    assert_eq!(signed["replayed_assertion"]["error"], "invalid_client");

    // A public client: PKCE is required, S256 only; a code is single use.
    let public_flow = step(&steps, "public client");
    assert_eq!(public_flow["id_token"]["aud"], public.as_str());
    assert_eq!(public_flow["userinfo"]["sub"], "alice");
    assert_eq!(public_flow["code_reused"], "invalid_grant", "{public_flow}");
    assert_eq!(
        public_flow["access_token_after_code_reuse"]["active"], false,
        "a reused code revokes what it issued"
    );
    assert_eq!(public_flow["without_pkce"]["error"], "invalid_request");
    assert_eq!(public_flow["without_pkce"]["state"], "s1");
    assert_eq!(public_flow["plain_pkce"]["error"], "invalid_request");

    // RP-initiated logout ends her session; prompt=none then finds nobody signed in.
    let logout = step(&steps, "logout");
    assert_eq!(logout["landed"], POST_LOGOUT_URI, "{logout}");
    assert_eq!(logout["state_returned"], true);
    assert_eq!(logout["prompt_none_after"]["error"], "login_required");
    assert_eq!(logout["refresh_after_logout"], "invalid_grant");
    assert_eq!(
        logout["offline_refresh_after_logout"], true,
        "offline_access outlives the session"
    );

    // bob is outside the authorization scope.
    let refused = step(&steps, "refused");
    assert_eq!(refused["asked_password"], true);
    assert_eq!(refused["answer"]["error"], "access_denied", "{refused}");
    assert!(refused["answer"].get("code").is_none(), "{refused}");

    // Lanyard's side: each decision and the replay it caught are audited.
    let decisions = audited(&app, &instance, "sso").await;
    let allowed = decisions
        .iter()
        .filter(|e| e["outcome"] == "allow" && e["actor"]["name"] == "alice")
        .count();
    assert!(allowed >= 6, "{decisions:?}");
    let denied: Vec<&Value> = decisions
        .iter()
        .filter(|e| e["outcome"] == "deny")
        .collect();
    assert_eq!(denied.len(), 1, "{decisions:?}");
    assert_eq!(denied[0]["actor"]["name"], "bob");
    assert_eq!(denied[0]["targetId"], basic.as_str());
    let reused = audited(&app, &instance, "oidcRefreshTokenReused").await;
    assert_eq!(reused.len(), 1, "{reused:?}");
    assert_eq!(reused[0]["targetId"], basic.as_str());
    assert_eq!(reused[0]["outcome"], "failure");
    assert_eq!(reused[0]["summary"]["userId"], alice.as_str());
    let code_reused = audited(&app, &instance, "oidcCodeReused").await;
    assert_eq!(code_reused.len(), 1, "{code_reused:?}");
    assert_eq!(code_reused[0]["targetId"], public.as_str());
    app.stop().await;
}
