//! Third-party service providers — pysaml2 and python3-saml (OneLogin) — configured only from
//! Lanyard's downloaded IdP metadata, signing in through the real HTTP routes, sign-in form
//! included (tests/interop/sp_login.py). SP-initiated (pysaml2 with a signed HTTP-POST request,
//! python3-saml with a signed HTTP-Redirect request) and IdP-initiated logins are accepted by
//! the library; a user outside the application's authorization scope gets no assertion.

use std::process::Command;

use lanyard_tests::saml::PASSWORD;
use lanyard_tests::TestApp;
use serde_json::{json, Value};

const SP_CERT: &str = include_str!("../../interop/sp-cert.pem");

/// The venv interpreter `make test` creates (pysaml2 and python3-saml) and names.
fn python() -> String {
    std::env::var("LANYARD_TEST_PYTHON")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "LANYARD_TEST_PYTHON is not set: the SAML interop tests need pysaml2 and \
                 python3-saml. Run them through `make test`, or set \
                 LANYARD_TEST_PYTHON=$PWD/.venv/bin/python after `make venv`"
            )
        })
}

/// An application for the library's SP: a generic SAML 2.0 application with the SP's entity
/// ID, ACS and certificate, signed requests required, the application-account mode and a
/// display-name attribute, granted to alice only.
async fn configure(app: &TestApp, library: &str) -> (String, String, String) {
    let python = python();
    assert!(!python.is_empty());
    let instance = app.create_instance("Interop").await;
    let mut users = Vec::new();
    for name in ["alice", "bob"] {
        let data = app
            .gql(
                "mutation($i: ID!, $u: String!, $p: String) { createUser(input: {instanceId: $i, username: $u, displayName: \"Alice Wong\", password: $p}) { user { id } } }",
                json!({ "i": instance, "u": name, "p": PASSWORD }),
            )
            .await;
        users.push(
            data["createUser"]["user"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let added = app
        .gql(
            "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: $n}) { application { id } } }",
            json!({ "i": instance, "n": library }),
        )
        .await;
    let application = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gql(
        "mutation($id: ID!, $e: String!, $c: String!) { configureApplicationSso(input: {id: $id, spEntityId: $e, acsUrl: \"https://sp.interop.test/acs\", spCertificatePem: $c, authnRequestsSigned: true, accountMode: APP_ACCOUNT, attributeStatements: [{name: \"displayName\", source: \"displayName\"}]}) { application { id } } }",
        json!({ "id": application, "e": format!("https://sp.interop.test/{library}"), "c": SP_CERT }),
    )
    .await;
    for (user, account) in users.iter().zip(["alice.interop", "bob.interop"]) {
        app.gql(
            "mutation($a: ID!, $u: ID!, $n: String!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: $n}) { account { accountName } } }",
            json!({ "a": application, "u": user, "n": account }),
        )
        .await;
    }
    // Only alice is in the authorization scope: bob is refused by the access decision.
    app.gql(
        "mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }",
        json!({ "a": application, "u": users[0] }),
    )
    .await;
    let metadata = lanyard_tests::saml::metadata_xml(app, &application).await;
    let path = app.dir.path().join(format!("{library}-idp-metadata.xml"));
    std::fs::write(&path, metadata).unwrap();
    (application, path.display().to_string(), instance)
}

async fn third_party_sp_signs_employees_in(library: &str) {
    let app = TestApp::spawn().await;
    let (application, metadata, _) = configure(&app, library).await;
    // The script's requests come from another process: run it off the async executor.
    let run = |flow: &'static str, user: &'static str| {
        let args = [
            app.base.clone(),
            library.to_owned(),
            metadata.clone(),
            application.clone(),
        ];
        async move {
            tokio::task::spawn_blocking(move || {
                let [base, library, metadata, application] = args;
                run_script(&base, &library, flow, &metadata, &application, user)
            })
            .await
            .unwrap()
        }
    };
    for flow in ["sp", "idp"] {
        let accepted = run(flow, "alice").await;
        assert_eq!(
            accepted["outcome"], "accepted",
            "{library} {flow}: {accepted}"
        );
        assert_eq!(accepted["name_id"], "alice.interop", "{accepted}");
        let display = accepted["attributes"]["displayName"].to_string();
        assert!(display.contains("Alice Wong"), "{accepted}");
        if flow == "sp" {
            assert_eq!(accepted["relay_state"], "/after-login?x=1", "{accepted}");
            assert!(accepted["in_response_to"].is_string(), "{accepted}");
        }
        let denied = run(flow, "bob").await;
        assert_eq!(denied["outcome"], "denied", "{library} {flow}: {denied}");
        assert_eq!(denied["status"], 403);
    }
    app.stop().await;
}

fn run_script(
    base: &str,
    library: &str,
    flow: &str,
    metadata: &str,
    application: &str,
    user: &str,
) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/sp_login.py");
    let output = Command::new(python())
        .args([
            script,
            library,
            flow,
            metadata,
            "http://127.0.0.1",
            base,
            application,
            user,
            PASSWORD,
        ])
        .output()
        .expect("running the interop script");
    assert!(
        output.status.success(),
        "{library} {flow} {user}: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[tokio::test]
async fn pysaml2_signs_employees_in_both_ways() {
    third_party_sp_signs_employees_in("pysaml2").await;
}

#[tokio::test]
async fn python3_saml_signs_employees_in_both_ways() {
    third_party_sp_signs_employees_in("python3-saml").await;
}
