//! Signing keys and the IdP metadata of an application: the public download, signed with the
//! instance's active key, read by a third-party SAML library (pysaml2, whose signature check
//! runs xmlsec1) through a key rollover.

use std::process::Command;

use chrono::Utc;
use entity::application::{self, AccountMode, Initiation};
use lanyard_tests::{error_code, TestApp};
use sea_orm::{ActiveModelTrait, Database, EntityTrait, Set};
use serde_json::{json, Value};

const KEYS: &str = "query($i: ID!) { signingKeys(instanceId: $i) { id algorithm state certificatePem fingerprintSha256 notAfter createdAt activatedAt retiredAt } }";
const ROTATE: &str = "mutation($i: ID!, $a: SigningKeyAlgorithm) { rotateSigningKey(input: {instanceId: $i, algorithm: $a}) { signingKey { id state algorithm certificatePem } } }";
const ROTATE_DEFAULT: &str = "mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i}) { signingKey { id state algorithm certificatePem } } }";
const ACTIVATE: &str = "mutation($i: ID!, $id: ID!) { activateSigningKey(input: {instanceId: $i, id: $id}) { signingKey { id state activatedAt } } }";

/// The interpreter of the venv with pysaml2 that `make test` creates and names.
fn python() -> String {
    std::env::var("LANYARD_TEST_PYTHON")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "LANYARD_TEST_PYTHON is not set: the SAML interop tests need pysaml2. Run them \
                 through `make test` (it creates .venv with pysaml2 and sets the variable), or set \
                 LANYARD_TEST_PYTHON=$PWD/.venv/bin/python after `make venv`"
            )
        })
}

/// An application row as the applications module will create it (it has no API here yet).
async fn insert_application(app: &TestApp, instance_id: &str, name: &str, enabled: bool) -> String {
    let db = Database::connect(&app.database_url)
        .await
        .expect("database");
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    application::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(instance_id.to_owned()),
        template_id: Set("alibaba-cloud-user-sso-intl".into()),
        name: Set(name.into()),
        enabled: Set(enabled),
        sso_enabled: Set(true),
        initiation: Set(Initiation::IdpOrSp),
        params: Set(json!({ "accountId": "1234567890123456" })),
        sp_entity_id_override: Set(None),
        acs_url_override: Set(None),
        name_id_format: Set("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".into()),
        account_mode: Set(AccountMode::Username),
        name_id_suffix: Set(None),
        default_relay_state: Set(None),
        sign_response: Set(false),
        sign_assertion: Set(true),
        signature_algorithm: Set("rsa-sha256".into()),
        sp_certificate_pem: Set(None),
        authn_requests_signed: Set(false),
        assertion_lifetime_secs: Set(300),
        attribute_statements: Set(json!([])),
        created_at: Set(now),
        updated_at: Set(now),
        authorization_scope: Set(entity::application::AuthorizationScope::Manual),
        sp_encryption_certificate_pem: Set(None),
        encrypt_assertions: Set(false),
        assertion_encryption: Set("aes256-gcm".into()),
        slo_url: Set(None),
        slo_response_url: Set(None),
        slo_binding: Set("redirect".into()),
        single_logout: Set(true),
    }
    .insert(&db)
    .await
    .expect("application row");
    db.close().await.ok();
    id
}

fn metadata_url(app: &TestApp, application_id: &str) -> String {
    format!("{}/saml/apps/{application_id}/metadata", app.base)
}

async fn metadata(app: &TestApp, application_id: &str) -> String {
    let response = app
        .http
        .get(metadata_url(app, application_id))
        .send()
        .await
        .expect("metadata request");
    assert_eq!(response.status(), 200, "metadata of {application_id}");
    response.text().await.expect("metadata body")
}

/// What pysaml2 makes of the metadata (see tests/interop/load_idp_metadata.py).
fn pysaml2_load(app: &TestApp, xml: &str, expected_entity_id: &str) -> Value {
    let path = app
        .dir
        .path()
        .join(format!("idp-metadata-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&path, xml).expect("metadata file");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/load_idp_metadata.py");
    let output = Command::new(python())
        .arg(script)
        .arg(&path)
        .arg(expected_entity_id)
        .output()
        .expect("running the pysaml2 interop script");
    assert!(
        output.status.success(),
        "pysaml2 refused the metadata: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("the script prints JSON");
    report["entities"][0].clone()
}

/// The base64 DER inside a PEM certificate, as it appears in metadata.
fn der_b64(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

fn certificates(seen: &Value) -> Vec<String> {
    seen["signing_certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .map(|c| c.as_str().expect("base64").to_owned())
        .collect()
}

async fn keys(app: &TestApp, instance: &str) -> Vec<Value> {
    app.gql(KEYS, json!({ "i": instance })).await["signingKeys"]
        .as_array()
        .expect("keys")
        .clone()
}

#[tokio::test]
async fn pysaml2_trusts_the_metadata_through_a_key_rollover() {
    let python = python(); // fails at once, before anything starts, when it is not set
    assert!(!python.is_empty());
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let application = insert_application(&app, &instance, "Alibaba Cloud (prod)", true).await;
    let entity_id = format!("http://127.0.0.1/saml/apps/{application}");
    let sso_url = format!("{entity_id}/sso");

    let initial = keys(&app, &instance).await;
    assert_eq!(
        initial.len(),
        1,
        "every new instance has a key: {initial:?}"
    );
    assert_eq!(initial[0]["state"], "ACTIVE");
    assert_eq!(initial[0]["algorithm"], "RSA_2048");
    assert!(initial[0]["activatedAt"].is_string());
    let first = der_b64(initial[0]["certificatePem"].as_str().unwrap());

    let response = app
        .http
        .get(metadata_url(&app, &application))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/samlmetadata+xml");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"Alibaba-Cloud-prod-idp-metadata.xml\""
    );
    let xml = response.text().await.unwrap();
    let seen = pysaml2_load(&app, &xml, &entity_id);
    assert_eq!(seen["entity_id"], entity_id);
    assert_eq!(seen["sso"]["redirect"], json!([sso_url]));
    assert_eq!(seen["sso"]["post"], json!([sso_url]));
    assert_eq!(certificates(&seen), vec![first.clone()]);
    assert_eq!(seen["signature_verified_with"], first);
    assert_eq!(
        seen["name_id_formats"][0],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    );

    // Rotation: the new key is published before it signs.
    let rotated = app.gql(ROTATE_DEFAULT, json!({ "i": instance })).await;
    let pending = &rotated["rotateSigningKey"]["signingKey"];
    assert_eq!(pending["state"], "PENDING");
    assert_eq!(pending["algorithm"], "RSA_2048");
    let pending_id = pending["id"].as_str().unwrap().to_owned();
    let second = der_b64(pending["certificatePem"].as_str().unwrap());
    let listed = keys(&app, &instance).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["id"], pending_id, "newest first");
    let seen = pysaml2_load(&app, &metadata(&app, &application).await, &entity_id);
    let mut published = certificates(&seen);
    published.sort();
    let mut expected = vec![first.clone(), second.clone()];
    expected.sort();
    assert_eq!(published, expected);
    assert_eq!(
        seen["signature_verified_with"], first,
        "the pending key does not sign"
    );

    let again = app
        .gql_as(
            &app.token,
            ROTATE,
            json!({ "i": instance, "a": "RSA_3072" }),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
    assert_eq!(again["errors"][0]["extensions"]["field"], "instanceId");

    // Activation: the new key signs, the old one stays published for the grace period.
    let activated = app
        .gql(ACTIVATE, json!({ "i": instance, "id": pending_id }))
        .await;
    assert_eq!(
        activated["activateSigningKey"]["signingKey"]["state"],
        "ACTIVE"
    );
    let listed = keys(&app, &instance).await;
    assert_eq!(listed[0]["state"], "ACTIVE");
    assert_eq!(listed[1]["state"], "RETIRED");
    assert!(listed[1]["retiredAt"].is_string());
    let seen = pysaml2_load(&app, &metadata(&app, &application).await, &entity_id);
    let mut published = certificates(&seen);
    published.sort();
    assert_eq!(published, expected);
    assert_eq!(seen["signature_verified_with"], second);

    // Only a pending key can be activated; ids of nothing or of another instance are not found.
    let twice = app
        .gql_as(
            &app.token,
            ACTIVATE,
            json!({ "i": instance, "id": pending_id }),
        )
        .await;
    assert_eq!(error_code(&twice), "BAD_USER_INPUT", "{twice}");
    assert_eq!(twice["errors"][0]["extensions"]["field"], "id");
    let other = app.create_instance("Other").await;
    let other_key = keys(&app, &other).await[0]["id"].clone();
    for id in [
        other_key,
        json!("nope"),
        json!("'; DROP TABLE signing_keys; --"),
        json!("x".repeat(5000)),
    ] {
        let body = app
            .gql_as(&app.token, ACTIVATE, json!({ "i": instance, "id": id }))
            .await;
        assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    }
    // NUL never reaches a resolver: the GraphQL endpoint refuses it as input.
    let body = app
        .gql_as(
            &app.token,
            ACTIVATE,
            json!({ "i": instance, "id": "\u{0}" }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");

    // An ECDSA key signs with ecdsa-sha256; the retired RSA keys stay listed.
    let ecdsa = app
        .gql(ROTATE, json!({ "i": instance, "a": "ECDSA_P256" }))
        .await;
    let ecdsa = &ecdsa["rotateSigningKey"]["signingKey"];
    assert_eq!(ecdsa["algorithm"], "ECDSA_P256");
    app.gql(ACTIVATE, json!({ "i": instance, "id": ecdsa["id"] }))
        .await;
    let xml = metadata(&app, &application).await;
    assert!(xml.contains("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"));
    let seen = pysaml2_load(&app, &xml, &entity_id);
    assert_eq!(certificates(&seen).len(), 3);
    assert_eq!(
        seen["signature_verified_with"],
        der_b64(ecdsa["certificatePem"].as_str().unwrap())
    );

    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"manageSigningKeys\"}) { totalCount edges { node { targetId summary } } } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 4, "{audit}");
    let summaries = audit["auditEvents"]["edges"].to_string();
    assert!(summaries.contains("fingerprintSha256"), "{summaries}");
    assert!(!summaries.contains("PRIVATE"));
    app.stop().await;
}

#[tokio::test]
async fn the_signed_metadata_is_reused_until_what_it_says_changes() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let application = insert_application(&app, &instance, "Alibaba Cloud", true).await;
    // Anonymous downloads are served from what was signed before: the same document, to the
    // byte (its ID included), costs no new signature.
    let first = metadata(&app, &application).await;
    assert_eq!(metadata(&app, &application).await, first);
    let graphql = app
        .gql(
            "query($i: ID!) { instance(id: $i) { applications { nodes { id idpMetadata } } } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(
        graphql["instance"]["applications"]["nodes"][0]["idpMetadata"],
        first.as_str(),
        "the console shows the document the SP downloads"
    );

    // A new (pending) key is published: signed again, and reused again.
    let rotated = app.gql(ROTATE_DEFAULT, json!({ "i": instance })).await;
    let pending = rotated["rotateSigningKey"]["signingKey"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_pending = metadata(&app, &application).await;
    assert_ne!(with_pending, first);
    assert!(with_pending.contains(&der_b64(
        rotated["rotateSigningKey"]["signingKey"]["certificatePem"]
            .as_str()
            .unwrap()
    )));
    assert_eq!(metadata(&app, &application).await, with_pending);

    // The new key signs from now on.
    app.gql(ACTIVATE, json!({ "i": instance, "id": pending }))
        .await;
    let activated = metadata(&app, &application).await;
    assert_ne!(activated, with_pending);
    assert_eq!(metadata(&app, &application).await, activated);

    // A setting the document states changes it too.
    let email = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    app.gql(
        "mutation($a: ID!, $f: String!) { configureApplicationSso(input: {id: $a, nameIdFormat: $f}) { application { nameIdFormat } } }",
        json!({ "a": application, "f": email }),
    )
    .await;
    let first_format = |xml: &str| {
        let start = xml.find("NameIDFormat>").unwrap() + "NameIDFormat>".len();
        xml[start..start + xml[start..].find('<').unwrap()].to_owned()
    };
    assert_ne!(first_format(&activated), email);
    assert_eq!(first_format(&metadata(&app, &application).await), email);
    app.stop().await;
}

#[tokio::test]
async fn the_metadata_download_is_public_and_unknown_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let disabled = insert_application(&app, &instance, "Off", false).await;

    // No credentials at all, and still served while the application is disabled.
    let anonymous = reqwest::Client::new();
    let response = anonymous
        .get(metadata_url(&app, &disabled))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains(&disabled));

    for id in [
        "0190a0a0-0000-7000-8000-000000000000".to_owned(),
        "nope".into(),
        "%00".into(),
        "%27%3B%20DROP%20TABLE%20applications".into(),
        "%E2%9C%93".into(),
        "%FF%FE".into(),
        "a".repeat(3000),
    ] {
        let response = anonymous.get(metadata_url(&app, &id)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{id}");
        let body: Value = response.json().await.expect("a JSON error");
        assert_eq!(body["error"], "NOT_FOUND", "{id}: {body}");
    }

    // Signing runs off the executor on xmlsec: concurrent downloads all succeed.
    let downloads = (0..12).map(|_| metadata(&app, &disabled));
    let all = futures::future::join_all(downloads).await;
    assert!(all.iter().all(|xml| xml.contains("SignatureValue")));
    app.stop().await;
}

#[tokio::test]
async fn signing_keys_show_no_private_material_and_stay_in_their_instance() {
    let app = TestApp::spawn().await;
    let a = app.create_instance("A").await;
    let b = app.create_instance("B").await;
    let body = app.gql_as(&app.token, KEYS, json!({ "i": a })).await;
    assert!(body.get("errors").is_none(), "{body}");
    let text = body.to_string();
    assert!(!text.contains("PRIVATE"), "{text}");
    assert!(text.contains("BEGIN CERTIFICATE"));
    let fingerprint = body["data"]["signingKeys"][0]["fingerprintSha256"]
        .as_str()
        .unwrap();
    assert_eq!(fingerprint.len(), 95, "{fingerprint}");
    // Not even the sealed form.
    let db = Database::connect(&app.database_url).await.unwrap();
    let stored = entity::signing_key::Entity::find().all(&db).await.unwrap();
    assert_eq!(stored.len(), 2);
    for key in &stored {
        assert!(!text.contains(&key.private_key_sealed));
        assert!(!key.private_key_sealed.contains("PRIVATE"));
    }
    db.close().await.ok();

    let admin_a = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": a }]))
        .await;
    let own = app
        .gql_as(&admin_a, ROTATE_DEFAULT, json!({ "i": a }))
        .await;
    assert!(own.get("errors").is_none(), "{own}");
    for (query, vars) in [
        (ROTATE_DEFAULT, json!({ "i": b })),
        (KEYS, json!({ "i": b })),
        (ACTIVATE, json!({ "i": b, "id": stored[0].id })),
    ] {
        let body = app.gql_as(&admin_a, query, vars).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{query}: {body}");
    }
    // NUL in an id is refused as input, on PostgreSQL too (which refuses NUL in text).
    for (query, vars) in [
        (KEYS, json!({ "i": "\u{0}" })),
        (ROTATE_DEFAULT, json!({ "i": "a\u{0}" })),
        (ACTIVATE, json!({ "i": "\u{0}", "id": "\u{0}" })),
    ] {
        let body = app.gql_as(&app.token, query, vars).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
    }
    let auditor = app.token_with_roles(json!([{ "role": "AUDITOR" }])).await;
    let read = app.gql_as(&auditor, KEYS, json!({ "i": b })).await;
    assert!(read.get("errors").is_none(), "{read}");
    let write = app
        .gql_as(&auditor, ROTATE_DEFAULT, json!({ "i": b }))
        .await;
    assert_eq!(error_code(&write), "FORBIDDEN");
    app.stop().await;
}

fn redact(xml: &str) -> String {
    let redactions = [
        (r#"ID="_[0-9a-f]{32}""#, r#"ID="[id]""#),
        (r##"URI="#_[0-9a-f]{32}""##, r##"URI="#[id]""##),
        (r"/saml/apps/[0-9a-f-]{36}", "/saml/apps/[application]"),
        (
            r"<ds:X509Certificate>[^<]*</ds:X509Certificate>",
            "<ds:X509Certificate>[certificate]</ds:X509Certificate>",
        ),
        (
            r"<ds:DigestValue>[^<]*</ds:DigestValue>",
            "<ds:DigestValue>[digest]</ds:DigestValue>",
        ),
        (
            r"<ds:SignatureValue>[^<]*</ds:SignatureValue>",
            "<ds:SignatureValue>[signature]</ds:SignatureValue>",
        ),
    ];
    let mut redacted = xml.to_owned();
    for (pattern, replacement) in redactions {
        redacted = regex::Regex::new(pattern)
            .unwrap()
            .replace_all(&redacted, replacement)
            .into_owned();
    }
    redacted
}

#[tokio::test]
async fn the_metadata_matches_its_snapshot() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let application = insert_application(&app, &instance, "Alibaba Cloud", true).await;
    let xml = metadata(&app, &application).await;
    insta::assert_snapshot!("idp_metadata", redact(&xml));
    app.stop().await;
}

/// Every marketplace template, added and configured through GraphQL as an admin would; the
/// metadata the GraphQL field gives is the one the public route serves.
#[tokio::test]
async fn the_metadata_of_each_template_matches_its_snapshot() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let templates = app.gql("{ marketplace { id protocol } }", json!({})).await;
    // OpenID Connect applications have no SAML metadata (tests/tests/e2e/oidc.rs).
    let ids: Vec<String> = templates["marketplace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["protocol"] == "SAML2")
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 5, "{templates}");
    for template in ids {
        let params = match template.as_str() {
            t if t.starts_with("alibaba-cloud-role") => {
                json!({ "accountId": "5123456789012345", "idpName": "lanyard", "roles": "admin" })
            }
            t if t.starts_with("alibaba-cloud-user") => json!({ "accountId": "5123456789012345" }),
            _ => json!({}),
        };
        let added = app
            .gql(
                "mutation($i: ID!, $t: String!, $p: JSON) { addApplication(input: {instanceId: $i, templateId: $t, name: $t, params: $p}) { application { id idpMetadata } } }",
                json!({ "i": instance, "t": template, "p": params }),
            )
            .await;
        let application = &added["addApplication"]["application"];
        let from_graphql = application["idpMetadata"].as_str().unwrap();
        let downloaded = metadata(&app, application["id"].as_str().unwrap()).await;
        assert_eq!(redact(from_graphql), redact(&downloaded), "{template}");
        insta::assert_snapshot!(format!("idp_metadata_{template}"), redact(&downloaded));
    }
    app.stop().await;
}
