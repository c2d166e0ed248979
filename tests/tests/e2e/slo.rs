//! Single logout (SAML 2.0 profiles §4.4) through the real routes.
//!
//! With third-party service providers (tests/interop/sp_logout.py): a session that signed in to
//! three applications — pysaml2 (single logout by HTTP-POST), python3-saml (HTTP-Redirect) and
//! one with single logout off — is logged out from one of them or from the portal: the other
//! participant's library receives and accepts a signed LogoutRequest with the NameID and
//! SessionIndex its assertion carried, the initiator's library accepts the LogoutResponse, the
//! application with single logout off is not contacted, and the session is gone on this node
//! and on a second node of the same database. A participant that never answers is named to the
//! employee and the initiator hears `PartialLogout`.
//!
//! Hostile LogoutRequests and LogoutResponses on both bindings are refused with a clear page,
//! or answered `UnknownPrincipal` when they are genuine but name another session — and never
//! end a session they do not name.

use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use lanyard::keys::Signer;
use lanyard::saml::dsig::SignatureMethod;
use lanyard::saml::logout::{self, Outgoing, OutgoingRequest, OutgoingResponse};
use lanyard::saml::request::Binding;
use lanyard_tests::saml::{browser, hidden, location, portal_username, sign_in, PASSWORD};
use lanyard_tests::TestApp;
use serde_json::{json, Value};

use super::sso_interop::python;

const SP_CERT: &str = include_str!("../../interop/sp-cert.pem");
const SP_KEY: &str = include_str!("../../interop/sp-key.pem");
const SP_HOST: &str = "https://sp.interop.test";

/// An instance with alice (password) and bob.
async fn instance(app: &TestApp) -> (String, String) {
    let instance = app.create_instance("Logout").await;
    let alice = app.create_user(&instance, "alice", Some(PASSWORD)).await;
    app.create_user(&instance, "bob", Some(PASSWORD)).await;
    (instance, alice)
}

/// A generic SAML application for the SP `name`: its entity ID, ACS, SLO endpoint and
/// certificate, signed requests required, alice granted. Returns the application and the path
/// of its downloaded IdP metadata.
async fn sp_application(
    app: &TestApp,
    instance: &str,
    alice: &str,
    name: &str,
    slo_binding: &str,
    single_logout: bool,
) -> (String, String) {
    let added = app
        .gql(
            "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: $n}) { application { id } } }",
            json!({ "i": instance, "n": name }),
        )
        .await;
    let application = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let configured = app
        .gql(
            "mutation($id: ID!, $e: String!, $a: String!, $s: String!, $b: String!, $on: Boolean!, $c: String!) { configureApplicationSso(input: {id: $id, spEntityId: $e, acsUrl: $a, sloUrl: $s, sloBinding: $b, singleLogout: $on, spCertificatePem: $c, authnRequestsSigned: true, attributeStatements: [{name: \"displayName\", source: \"displayName\"}]}) { application { sloUrl sloBinding singleLogout } } }",
            json!({
                "id": application,
                "e": format!("{SP_HOST}/{name}"),
                "a": format!("{SP_HOST}/{name}/acs"),
                "s": format!("{SP_HOST}/{name}/slo"),
                "b": slo_binding,
                "on": single_logout,
                "c": SP_CERT,
            }),
        )
        .await;
    let settings = &configured["configureApplicationSso"]["application"];
    assert_eq!(settings["sloBinding"], slo_binding, "{configured}");
    assert_eq!(settings["singleLogout"], single_logout);
    app.gql(
        "mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }",
        json!({ "a": application, "u": alice }),
    )
    .await;
    let metadata = lanyard_tests::saml::metadata_xml(app, &application).await;
    assert_eq!(
        metadata.matches("<md:SingleLogoutService ").count(),
        if single_logout { 2 } else { 0 },
        "{metadata}"
    );
    let path = app.dir.path().join(format!("{name}-idp-metadata.xml"));
    std::fs::write(&path, metadata).unwrap();
    (application, path.display().to_string())
}

/// Three applications of one instance: pysaml2, python3-saml and python3-saml with single
/// logout off.
struct Three {
    instance: String,
    apps: Value,
}

async fn three(app: &TestApp) -> Three {
    let (instance, alice) = instance(app).await;
    let mut apps = Vec::new();
    for (name, library, binding, slo) in [
        ("pysaml2", "pysaml2", "post", true),
        ("onelogin", "python3-saml", "redirect", true),
        ("quiet", "python3-saml", "redirect", false),
    ] {
        let (application, metadata) =
            sp_application(app, &instance, &alice, name, binding, slo).await;
        apps.push(json!({
            "name": name,
            "library": library,
            "application_id": application,
            "metadata": metadata,
            "slo": slo,
        }));
    }
    Three {
        instance,
        apps: Value::Array(apps),
    }
}

/// Runs sp_logout.py off the async executor.
async fn run_logout(spec: Value) -> Value {
    tokio::task::spawn_blocking(move || {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/sp_logout.py");
        let output = Command::new(python())
            .args([script, &spec.to_string()])
            .output()
            .expect("running the logout script");
        assert!(
            output.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("the script prints JSON")
    })
    .await
    .unwrap()
}

fn spec(app: &TestApp, three: &Three, initiator: Value, silent: &[usize]) -> Value {
    json!({
        "public_url": "http://127.0.0.1",
        "base": app.base,
        "instance_id": three.instance,
        "username": "alice",
        "password": PASSWORD,
        "apps": three.apps,
        "initiator": initiator,
        "silent": silent,
    })
}

#[tokio::test]
async fn a_logout_from_one_service_provider_reaches_the_other_and_every_node() {
    let app = TestApp::spawn().await;
    let peer = app.spawn_peer(|_| {}).await;
    let three = three(&app).await;
    let mut spec = spec(&app, &three, json!(1), &[]);
    spec["peer"] = json!(peer.base);
    let result = run_logout(spec).await;
    assert_eq!(result["peer_before"], true, "{result}");
    assert_eq!(result["first_response"], "page", "{result}");
    // pysaml2 received a LogoutRequest it accepted, naming what its assertion named.
    let pysaml2 = &result["requests"]["pysaml2"];
    assert_eq!(pysaml2["valid"], true, "{result}");
    assert_eq!(pysaml2["name_id"], "alice", "{result}");
    assert!(pysaml2["session_index"]
        .as_str()
        .is_some_and(|s| s.starts_with('_')));
    // Neither the initiator nor the application with single logout off got a request.
    let requests = result["requests"].as_object().unwrap();
    assert_eq!(requests.len(), 1, "{result}");
    // python3-saml accepted the LogoutResponse: Success, in response to its request.
    let initiator = &result["initiator"];
    assert_eq!(initiator["accepted"], true, "{result}");
    assert_eq!(
        initiator["status_codes"],
        json!(["urn:oasis:names:tc:SAML:2.0:status:Success"])
    );
    assert_eq!(initiator["relay_state"], "/bye");
    assert_eq!(result["report"], Value::Null, "{result}");
    assert_eq!(result["signed_out"], true, "{result}");
    assert_eq!(result["signed_out_on_peer"], true, "{result}");
    peer.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_participant_that_does_not_answer_is_reported_and_the_logout_is_partial() {
    let app = TestApp::spawn().await;
    let three = three(&app).await;
    // pysaml2 starts (HTTP-POST); python3-saml never answers its LogoutRequest.
    let result = run_logout(spec(&app, &three, json!(0), &[1])).await;
    assert_eq!(
        result["requests"]["onelogin"]["error"], "silent",
        "{result}"
    );
    let report = result["report"].as_str().expect("a report page");
    assert!(report.contains("did not confirm"), "{report}");
    assert!(report.contains("onelogin"), "{report}");
    assert!(!report.contains("quiet"), "{report}");
    assert_eq!(
        result["initiator"]["status_codes"],
        json!([
            "urn:oasis:names:tc:SAML:2.0:status:Responder",
            "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"
        ]),
        "{result}"
    );
    // pysaml2 verified the response and read it as the partial logout it is.
    assert_eq!(result["initiator"]["accepted"], false, "{result}");
    assert!(
        result["initiator"]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("StatusPartialLogout")),
        "{result}"
    );
    assert_eq!(result["signed_out"], true, "{result}");
    app.stop().await;
}

#[tokio::test]
async fn signing_out_of_the_portal_signs_out_of_every_application() {
    let app = TestApp::spawn().await;
    let three = three(&app).await;
    let result = run_logout(spec(&app, &three, Value::Null, &[])).await;
    for name in ["pysaml2", "onelogin"] {
        assert_eq!(result["requests"][name]["valid"], true, "{name}: {result}");
        assert_eq!(result["requests"][name]["name_id"], "alice");
    }
    assert!(result["requests"].get("quiet").is_none(), "{result}");
    assert_eq!(result["report"], Value::Null, "{result}");
    // Back to the sign-in page.
    assert!(
        result["landing"]
            .as_str()
            .is_some_and(|l| l.contains("/sso/") && l.contains("/login")),
        "{result}"
    );
    assert_eq!(result["signed_out"], true, "{result}");
    app.stop().await;
}

/// The SP's key as a signer of its own messages.
fn sp_signer() -> Signer {
    let key = openssl::pkey::PKey::private_key_from_pem(SP_KEY.as_bytes()).unwrap();
    let certificate = openssl::x509::X509::from_pem(SP_CERT.as_bytes()).unwrap();
    Signer::new(
        "sp".into(),
        entity::signing_key::KeyAlgorithm::Rsa2048,
        certificate.to_der().unwrap(),
        key.private_key_to_pkcs8().unwrap(),
    )
    .unwrap()
}

/// A LogoutRequest from the SP `issuer`, signed by the binding's rule, as the path and query
/// (HTTP-Redirect) or form body (HTTP-POST) for `/saml/apps/{id}/slo`.
fn sp_request(
    application: &str,
    issuer: &str,
    id: &str,
    name_id: &str,
    binding: Binding,
) -> Outgoing {
    let destination = format!("http://127.0.0.1/saml/apps/{application}/slo");
    let element = logout::request_element(&OutgoingRequest {
        id,
        idp_entity_id: issuer,
        destination: &destination,
        name_id,
        name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
        // Without a SessionIndex: the request names every session of the NameID.
        session_index: None,
        issued_at: Utc::now(),
    });
    let method = SignatureMethod::for_key(entity::signing_key::KeyAlgorithm::Rsa2048, "rsa-sha256");
    logout::deliver(
        element,
        "SAMLRequest",
        &destination,
        binding,
        Some("back-to-sp"),
        &sp_signer(),
        method,
    )
    .unwrap()
}

/// Sends an SP message to Lanyard from `browser`.
async fn send(app: &TestApp, browser: &reqwest::Client, outgoing: &Outgoing) -> reqwest::Response {
    match outgoing {
        Outgoing::Redirect(url) => browser
            .get(url.replacen("http://127.0.0.1", &app.base, 1))
            .send()
            .await
            .unwrap(),
        Outgoing::Post { url, field, xml } => browser
            .post(url.replacen("http://127.0.0.1", &app.base, 1))
            .form(&[
                (*field, STANDARD.encode(xml)),
                ("RelayState", "back-to-sp".into()),
            ])
            .send()
            .await
            .unwrap(),
    }
}

/// The LogoutResponse Lanyard redirects the browser with to the SP: its status codes,
/// InResponseTo and RelayState.
fn response_of_redirect(url: &str, slo: &str) -> (Vec<String>, String, Option<String>) {
    assert!(url.starts_with(&format!("{slo}?SAMLResponse=")), "{url}");
    let query: std::collections::HashMap<String, String> = reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert!(query.contains_key("Signature") && query.contains_key("SigAlg"));
    let xml = lanyard_tests::saml::inflate(&query["SAMLResponse"]);
    let codes = regex::Regex::new("StatusCode Value=\"([^\"]+)\"")
        .unwrap()
        .captures_iter(&xml)
        .map(|c| c[1].to_owned())
        .collect();
    let in_response_to = regex::Regex::new("InResponseTo=\"([^\"]+)\"")
        .unwrap()
        .captures(&xml)
        .unwrap()[1]
        .to_owned();
    (codes, in_response_to, query.get("RelayState").cloned())
}

async fn refused(response: reqwest::Response, status: u16, says: &str) {
    assert_eq!(response.status(), status);
    let page = response.text().await.unwrap();
    assert!(page.contains(says), "expected {says:?} in {page}");
}

#[tokio::test]
async fn hostile_logout_messages_are_refused_and_end_no_session_they_do_not_name() {
    let app = TestApp::spawn().await;
    let (instance, alice) = instance(&app).await;
    let (application, _) =
        sp_application(&app, &instance, &alice, "hostile", "redirect", true).await;
    let issuer = format!("{SP_HOST}/hostile");
    let slo = format!("{SP_HOST}/hostile/slo");
    // Alice signs in and SSOs into the application: the session has it as a participant.
    let alice_browser = browser();
    let start = format!("{}/saml/apps/{application}/start", app.base);
    let to_login = alice_browser.get(&start).send().await.unwrap();
    let login = location(&to_login).replacen("http://127.0.0.1", &app.base, 1);
    let signed_in = sign_in(&app.base, &alice_browser, &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    let sso = alice_browser.get(&start).send().await.unwrap();
    assert!(hidden(&sso.text().await.unwrap(), "SAMLResponse").is_some());
    let sessions = app
        .gql(
            "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { applications { name nameId singleLogout } } }",
            json!({ "i": instance, "u": alice }),
        )
        .await;
    assert_eq!(
        sessions["userSessions"][0]["applications"],
        json!([{ "name": "hostile", "nameId": "alice", "singleLogout": true }]),
        "{sessions}"
    );
    let still_alice = || async {
        assert_eq!(
            portal_username(&app.base, &alice_browser, &instance).await,
            "alice"
        );
    };

    // Refused with a page, nothing ended: unsigned, badly signed, from another issuer, to
    // another destination, a bomb, a DOCTYPE, wrapped, and a response that answers nothing.
    let slo_path = format!("{}/saml/apps/{application}/slo", app.base);
    let unsigned = format!(
        "{slo_path}?SAMLRequest={}",
        lanyard_tests::saml::encode(&lanyard_tests::saml::deflate(
            b"<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_u\" Version=\"2.0\"/>"
        ))
    );
    refused(
        alice_browser.get(&unsigned).send().await.unwrap(),
        400,
        "not signed",
    )
    .await;
    let Outgoing::Redirect(good) =
        sp_request(&application, &issuer, "_bad1", "alice", Binding::Redirect)
    else {
        panic!()
    };
    let tampered = good.replace("RelayState=back-to-sp", "RelayState=elsewhere");
    refused(
        send(&app, &alice_browser, &Outgoing::Redirect(tampered)).await,
        400,
        "does not verify",
    )
    .await;
    let other_issuer = sp_request(
        &application,
        "https://evil.example.com",
        "_bad2",
        "alice",
        Binding::Redirect,
    );
    refused(
        send(&app, &alice_browser, &other_issuer).await,
        400,
        "is not the service provider",
    )
    .await;
    let Outgoing::Post { xml, .. } =
        sp_request(&application, &issuer, "_bad3", "alice", Binding::Post)
    else {
        panic!()
    };
    let elsewhere = xml.replace(&format!("/saml/apps/{application}/slo"), "/saml/apps/x/slo");
    let post = |xml: String| Outgoing::Post {
        url: format!("http://127.0.0.1/saml/apps/{application}/slo"),
        field: "SAMLRequest",
        xml,
    };
    // The Destination is signed: changing it breaks the signature before anything else.
    refused(
        send(&app, &alice_browser, &post(elsewhere)).await,
        400,
        "does not verify",
    )
    .await;
    // Wrapping: the signed request moved inside an unsigned one that names bob.
    let wrapped = format!(
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_evil\" Version=\"2.0\" IssueInstant=\"{}\"><saml:Issuer>{issuer}</saml:Issuer><saml:NameID>bob</saml:NameID><samlp:Extensions>{xml}</samlp:Extensions></samlp:LogoutRequest>",
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    refused(
        send(&app, &alice_browser, &post(wrapped)).await,
        400,
        "signature",
    )
    .await;
    let bomb = format!(
        "{slo_path}?SAMLRequest={}",
        lanyard_tests::saml::encode(&lanyard_tests::saml::deflate(&vec![b' '; 1 << 20]))
    );
    refused(
        alice_browser.get(&bomb).send().await.unwrap(),
        400,
        "larger than",
    )
    .await;
    let doctype = format!(
        "{slo_path}?SAMLRequest={}",
        lanyard_tests::saml::encode(&lanyard_tests::saml::deflate(
            b"<!DOCTYPE x [<!ENTITY a \"b\">]><samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_d\">&a;</samlp:LogoutRequest>"
        ))
    );
    refused(
        alice_browser.get(&doctype).send().await.unwrap(),
        400,
        "DOCTYPE",
    )
    .await;
    let method = SignatureMethod::for_key(entity::signing_key::KeyAlgorithm::Rsa2048, "rsa-sha256");
    let stray = logout::deliver(
        logout::response_element(&OutgoingResponse {
            id: "_stray",
            idp_entity_id: &issuer,
            destination: &format!("http://127.0.0.1/saml/apps/{application}/slo"),
            in_response_to: "_never_sent",
            status: (logout::STATUS_SUCCESS, None),
            message: None,
            issued_at: Utc::now(),
        }),
        "SAMLResponse",
        &format!("http://127.0.0.1/saml/apps/{application}/slo"),
        Binding::Redirect,
        None,
        &sp_signer(),
        method,
    )
    .unwrap();
    refused(
        send(&app, &alice_browser, &stray).await,
        400,
        "answers no logout request",
    )
    .await;
    still_alice().await;

    // Genuine, but naming another user: answered UnknownPrincipal; alice stays signed in.
    let bob = send(
        &app,
        &alice_browser,
        &sp_request(&application, &issuer, "_bob1", "bob", Binding::Redirect),
    )
    .await;
    assert_eq!(bob.status(), 303);
    let (codes, in_response_to, relay) = response_of_redirect(&location(&bob), &slo);
    assert_eq!(
        codes,
        [
            "urn:oasis:names:tc:SAML:2.0:status:Requester",
            "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"
        ]
    );
    assert_eq!(in_response_to, "_bob1");
    assert_eq!(relay.as_deref(), Some("back-to-sp"));
    still_alice().await;
    // Genuine, from a browser without a session: the same.
    let stranger = send(
        &app,
        &browser(),
        &sp_request(&application, &issuer, "_str1", "alice", Binding::Redirect),
    )
    .await;
    let (codes, _, _) = response_of_redirect(&location(&stranger), &slo);
    assert_eq!(
        codes[1],
        "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"
    );
    still_alice().await;

    // By HTTP-POST from the SP's site the Lax cookie stays behind: the browser's own GET
    // carries it, and then the request names alice's session: Success, and she is signed out.
    let cookieless = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let posted = send(
        &app,
        &cookieless,
        &sp_request(&application, &issuer, "_ok1", "alice", Binding::Post),
    )
    .await;
    assert_eq!(posted.status(), 303);
    let resume = location(&posted);
    assert!(resume.contains("/saml/logout-requests/"), "{resume}");
    let done = alice_browser
        .get(resume.replacen("http://127.0.0.1", &app.base, 1))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    assert!(done
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().contains("Max-Age=0")));
    let (codes, in_response_to, _) = response_of_redirect(&location(&done), &slo);
    assert_eq!(codes, ["urn:oasis:names:tc:SAML:2.0:status:Success"]);
    assert_eq!(in_response_to, "_ok1");
    assert_eq!(
        portal_username(&app.base, &alice_browser, &instance).await,
        Value::Null
    );
    // The same request again: a replay, refused.
    refused(
        alice_browser
            .get(resume.replacen("http://127.0.0.1", &app.base, 1))
            .send()
            .await
            .unwrap(),
        409,
        "already received",
    )
    .await;
    // An application without single logout refuses LogoutRequests.
    app.gql(
        "mutation($id: ID!) { configureApplicationSso(input: {id: $id, singleLogout: false}) { application { id } } }",
        json!({ "id": application }),
    )
    .await;
    refused(
        send(
            &app,
            &alice_browser,
            &sp_request(&application, &issuer, "_off1", "alice", Binding::Redirect),
        )
        .await,
        400,
        "single logout is not set up",
    )
    .await;
    app.stop().await;
}
