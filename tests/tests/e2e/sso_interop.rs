//! Third-party service providers — pysaml2 and python3-saml (OneLogin) — configured only from
//! Lanyard's downloaded IdP metadata, signing in through the real HTTP routes, sign-in form
//! included (tests/interop/sp_login.py). SP-initiated (pysaml2 with a signed HTTP-POST request,
//! python3-saml with a signed HTTP-Redirect request) and IdP-initiated logins are accepted by
//! the library; a user outside the application's authorization scope gets no assertion. The
//! request options they send are honoured: `IsPassive` (`NoPassive` without a session),
//! `ForceAuthn` (the password again), the `NameIDPolicy` (persistent, transient, or
//! `InvalidNameIDPolicy`) and `RequestedAuthnContext` (`NoAuthnContext` when it cannot be met).

use std::process::Command;

use lanyard_tests::saml::PASSWORD;
use lanyard_tests::TestApp;
use serde_json::{json, Value};

const SP_CERT: &str = include_str!("../../interop/sp-cert.pem");

/// The venv interpreter `make test` creates (pysaml2, python3-saml, scim2-client and authlib)
/// and names.
pub(crate) fn python() -> String {
    std::env::var("LANYARD_TEST_PYTHON")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "LANYARD_TEST_PYTHON is not set: the interop tests need pysaml2, python3-saml, \
                 scim2-client and authlib. Run them through `make test`, or set \
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
        if flow == "sp" {
            // The way back to the SP carries a signed RequestDenied the library can read.
            assert_eq!(
                denied["status_codes"][1], "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
                "{denied}"
            );
            assert!(
                denied["sp_error"].as_str().is_some_and(|e| !e.is_empty()),
                "{denied}"
            );
        } else {
            assert!(denied.get("status_codes").is_none(), "{denied}");
        }
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
    run_with_options(base, library, flow, metadata, application, user, &json!({}))
}

/// The script with what the AuthnRequest asks (sp_login.py's OPTIONS).
fn run_with_options(
    base: &str,
    library: &str,
    flow: &str,
    metadata: &str,
    application: &str,
    user: &str,
    options: &Value,
) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/sp_login.py");
    let options = options.to_string();
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
            &options,
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

/// The second-level status of a failure response.
fn second_status(result: &Value) -> &str {
    assert_eq!(result["outcome"], "status", "{result}");
    result["status_codes"][1]
        .as_str()
        .and_then(|code| code.strip_prefix("urn:oasis:names:tc:SAML:2.0:status:"))
        .unwrap_or_else(|| panic!("no second-level status: {result}"))
}

/// A third-party SP configured against its own application (see [`configure`]).
struct Sp<'a> {
    app: &'a TestApp,
    library: &'static str,
    metadata: String,
    application: String,
    instance: String,
}

impl Sp<'_> {
    async fn configure<'a>(app: &'a TestApp, library: &'static str) -> Sp<'a> {
        let (application, metadata, instance) = configure(app, library).await;
        Sp {
            app,
            library,
            metadata,
            application,
            instance,
        }
    }

    /// One SP-initiated sign-in of `user` with what the request asks (sp_login.py's OPTIONS),
    /// off the async executor.
    async fn sign_in(&self, user: &str, options: Value) -> Value {
        let args = [
            self.app.base.clone(),
            self.library.to_owned(),
            self.metadata.clone(),
            self.application.clone(),
            user.to_owned(),
        ];
        tokio::task::spawn_blocking(move || {
            let [base, library, metadata, application, user] = args;
            run_with_options(
                &base,
                &library,
                "sp",
                &metadata,
                &application,
                &user,
                &options,
            )
        })
        .await
        .unwrap()
    }
}

async fn refusals(app: &TestApp, instance: &str) -> Vec<String> {
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"samlRequestRefused\"}) { edges { node { summary } } } }",
            json!({ "i": instance }),
        )
        .await;
    events["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            edge["node"]["summary"]["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn passive_and_forced_requests_are_honoured(library: &'static str) {
    let app = TestApp::spawn().await;
    let sp = Sp::configure(&app, library).await;
    let passive = sp.sign_in("alice", json!({"is_passive": true})).await;
    assert_eq!(second_status(&passive), "NoPassive", "{library}");
    // Signed in already, a passive request is answered without a page.
    let quiet = sp
        .sign_in("alice", json!({"is_passive": true, "sign_in_first": true}))
        .await;
    assert_eq!(quiet["outcome"], "accepted", "{library}: {quiet}");
    assert_eq!(quiet["asked_password"], false);
    // ForceAuthn asks for the password again, even with a session.
    let forced = sp
        .sign_in("alice", json!({"force_authn": true, "sign_in_first": true}))
        .await;
    assert_eq!(forced["outcome"], "accepted", "{library}: {forced}");
    assert_eq!(forced["asked_password"], true, "{forced}");
    let again = sp.sign_in("alice", json!({"sign_in_first": true})).await;
    assert_eq!(again["asked_password"], false, "{again}");
    // Forced and passive at once: nothing may be asked, so nothing is given.
    let both = sp
        .sign_in(
            "alice",
            json!({"force_authn": true, "is_passive": true, "sign_in_first": true}),
        )
        .await;
    assert_eq!(second_status(&both), "NoPassive", "{library}");
    assert_eq!(
        refusals(&app, &sp.instance).await,
        ["NoPassive", "NoPassive"]
    );
    app.stop().await;
}

#[tokio::test]
async fn pysaml2_passive_and_forced_requests_are_honoured() {
    passive_and_forced_requests_are_honoured("pysaml2").await;
}

#[tokio::test]
async fn python3_saml_passive_and_forced_requests_are_honoured() {
    passive_and_forced_requests_are_honoured("python3-saml").await;
}

const PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

#[tokio::test]
async fn name_id_policies_are_honoured_or_refused() {
    let app = TestApp::spawn().await;
    let onelogin = Sp::configure(&app, "python3-saml").await;
    let persistent = json!({"name_id_format": PERSISTENT});
    let first = onelogin.sign_in("alice", persistent.clone()).await;
    assert_eq!(first["outcome"], "accepted", "{first}");
    assert_eq!(first["name_id_format"], PERSISTENT);
    let opaque = first["name_id"].as_str().unwrap().to_owned();
    assert_eq!(opaque.len(), 43, "32 random bytes: {opaque}");
    assert!(!opaque.contains("alice"));
    // The same at every sign-in, and after a rename.
    let users = app
        .gql("query($i: ID!) { instance(id: $i) { users(filter: {username: \"alice\"}) { nodes { id } } } }", json!({ "i": onelogin.instance }))
        .await;
    let alice = users["instance"]["users"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gql(
        "mutation($i: ID!, $u: ID!) { updateUser(input: {id: $u, instanceId: $i, username: \"alice2\"}) { user { id } } }",
        json!({ "i": onelogin.instance, "u": alice }),
    )
    .await;
    let renamed = onelogin.sign_in("alice2", persistent.clone()).await;
    assert_eq!(renamed["name_id"], opaque.as_str(), "{renamed}");
    // A transient identifier is new every time.
    let transient = json!({"name_id_format": TRANSIENT});
    let one = onelogin.sign_in("alice2", transient.clone()).await;
    let two = onelogin.sign_in("alice2", transient).await;
    assert_eq!(one["name_id_format"], TRANSIENT, "{one}");
    assert_ne!(one["name_id"], two["name_id"]);
    assert_ne!(one["name_id"], opaque.as_str());
    // A format this server does not make.
    let x509 = onelogin
        .sign_in(
            "alice2",
            json!({"name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"}),
        )
        .await;
    assert_eq!(second_status(&x509), "InvalidNameIDPolicy");

    // Another application: another identifier for the same person. pysaml2 sends
    // AllowCreate="false" unless told otherwise: no identifier is made for it.
    let pysaml2 = Sp::configure(&app, "pysaml2").await;
    let refused = pysaml2.sign_in("alice", persistent).await;
    assert_eq!(second_status(&refused), "InvalidNameIDPolicy");
    let made = pysaml2
        .sign_in(
            "alice",
            json!({"name_id_format": PERSISTENT, "allow_create": true}),
        )
        .await;
    assert_eq!(made["outcome"], "accepted", "{made}");
    assert_eq!(made["name_id_format"], PERSISTENT);
    assert_eq!(made["name_id"].as_str().unwrap().len(), 43);
    assert_ne!(made["name_id"], opaque.as_str());
    assert_eq!(
        refusals(&app, &onelogin.instance).await,
        ["InvalidNameIDPolicy"]
    );
    assert_eq!(
        refusals(&app, &pysaml2.instance).await,
        ["InvalidNameIDPolicy"]
    );
    app.stop().await;
}

#[tokio::test]
async fn requested_authentication_contexts_are_met_or_refused() {
    let app = TestApp::spawn().await;
    for library in ["python3-saml", "pysaml2"] {
        let sp = Sp::configure(&app, library).await;
        // python3-saml asks for PasswordProtectedTransport (exact) by default.
        let password = sp.sign_in("alice", json!({"authn_context": {"comparison": "minimum", "classes": ["urn:oasis:names:tc:SAML:2.0:ac:classes:Password"]}})).await;
        assert_eq!(password["outcome"], "accepted", "{library}: {password}");
        assert_eq!(
            password["authn_context"],
            "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
        );
        let exact = sp.sign_in("alice", json!({"authn_context": {"comparison": "exact", "classes": ["urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"]}})).await;
        assert_eq!(
            exact["authn_context"],
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            "{library}: {exact}"
        );
        // A second factor this password-only session never gave.
        let mfa = sp.sign_in("alice", json!({"authn_context": {"comparison": "exact", "classes": ["https://refeds.org/profile/mfa"]}})).await;
        assert_eq!(second_status(&mfa), "NoAuthnContext", "{library}");
        let better = sp.sign_in("alice", json!({"authn_context": {"comparison": "better", "classes": ["urn:oasis:names:tc:SAML:2.0:ac:classes:Password"]}})).await;
        assert_eq!(second_status(&better), "NoAuthnContext", "{library}");
    }
    app.stop().await;
}

#[tokio::test]
async fn encrypted_assertions_are_decrypted_by_the_sp_alone() {
    let app = TestApp::spawn().await;
    for library in ["python3-saml", "pysaml2"] {
        let sp = Sp::configure(&app, library).await;
        let application = &sp.application;
        // Turning encryption on needs the SP's encryption certificate, an RSA one.
        let refused = app
            .gql_as(&app.token,
                "mutation($id: ID!) { configureApplicationSso(input: {id: $id, encryptAssertions: true}) { application { id } } }",
                json!({ "id": application }),
            )
            .await;
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], "encryptAssertions",
            "{refused}"
        );
        for (field, input) in [
            (
                "spEncryptionCertificatePem",
                json!({"spEncryptionCertificatePem": "not a certificate"}),
            ),
            (
                "assertionEncryption",
                json!({"spEncryptionCertificatePem": SP_CERT, "assertionEncryption": "des-cbc"}),
            ),
        ] {
            let mut input = input;
            input["id"] = json!(application);
            let refused = app
                .gql_as(&app.token,
                    "mutation($input: ConfigureApplicationSsoInput!) { configureApplicationSso(input: $input) { application { id } } }",
                    json!({ "input": input }),
                )
                .await;
            assert_eq!(
                refused["errors"][0]["extensions"]["field"], field,
                "{refused}"
            );
        }
        for cipher in ["aes256-gcm", "aes128-cbc"] {
            let configured = app
                .gql(
                    "mutation($id: ID!, $c: String!, $e: String!) { configureApplicationSso(input: {id: $id, spEncryptionCertificatePem: $c, encryptAssertions: true, assertionEncryption: $e}) { application { encryptAssertions assertionEncryption spEncryptionCertificatePem } } }",
                    json!({ "id": application, "c": SP_CERT, "e": cipher }),
                )
                .await;
            let settings = &configured["configureApplicationSso"]["application"];
            assert_eq!(settings["encryptAssertions"], true);
            assert_eq!(settings["assertionEncryption"], cipher);
            assert!(settings["spEncryptionCertificatePem"]
                .as_str()
                .unwrap()
                .starts_with("-----BEGIN CERTIFICATE-----"));
            let accepted = sp.sign_in("alice", json!({"encrypted": true})).await;
            assert_eq!(
                accepted["outcome"], "accepted",
                "{library} {cipher}: {accepted}"
            );
            assert_eq!(accepted["assertion_encrypted"], true, "{accepted}");
            assert_eq!(accepted["name_id"], "alice.interop");
            assert!(accepted["attributes"]["displayName"]
                .to_string()
                .contains("Alice Wong"));
        }
        // Off again: the assertion travels signed, in the clear.
        app.gql(
            "mutation($id: ID!) { configureApplicationSso(input: {id: $id, encryptAssertions: false}) { application { id } } }",
            json!({ "id": application }),
        )
        .await;
        let clear = sp.sign_in("alice", json!({})).await;
        assert_eq!(clear["assertion_encrypted"], false, "{clear}");
    }
    app.stop().await;
}
