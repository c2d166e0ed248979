//! Seed steps 1–2 through GraphQL alone: the marketplace, adding the Alibaba Cloud application,
//! its SSO settings, the username mapping (both rows of the seed's table) and application
//! accounts; SP metadata import; the application-admin role.

use lanyard_tests::{error_code, TestApp};
use serde_json::{json, Value};

const ACCOUNT_ID: &str = "5123456789012345";
const APP_FIELDS: &str = "id name enabled spEntityId acsUrl nameIdSuffix defaultRelayState accountMode missingSettings params idpEntityId idpSsoUrl idpMetadataUrl";

async fn add_alibaba(app: &TestApp, instance: &str) -> Value {
    let found = app.gql("{ marketplace(search: \"Alibaba Cloud User-based SSO (International Site)\") { id name params { key required kind } } }", json!({})).await;
    let templates = found["marketplace"].as_array().unwrap();
    assert_eq!(templates.len(), 1, "{found}");
    assert_eq!(templates[0]["params"][0]["key"], "accountId");
    let template = templates[0]["id"].as_str().unwrap();
    let added = app
        .gql(
            &format!("mutation($i: ID!, $t: String!) {{ addApplication(input: {{instanceId: $i, templateId: $t, name: \"Alibaba Cloud\"}}) {{ application {{ {APP_FIELDS} }} }} }}"),
            json!({ "i": instance, "t": template }),
        )
        .await;
    added["addApplication"]["application"].clone()
}

async fn configure(app: &TestApp, id: &str, settings: Value) -> Value {
    let mut input = settings;
    input["id"] = json!(id);
    app.gql_as(
        &app.token,
        &format!("mutation($input: ConfigureApplicationSsoInput!) {{ configureApplicationSso(input: $input) {{ application {{ {APP_FIELDS} }} }} }}"),
        json!({ "input": input }),
    )
    .await
}

async fn name_id(app: &TestApp, application: &str, user: &str) -> Value {
    let data = app
        .gql("query($a: ID!, $u: ID!) { application(id: $a) { nameIdFor(userId: $u) { nameId reason } } }", json!({ "a": application, "u": user }))
        .await;
    data["application"]["nameIdFor"].clone()
}

#[tokio::test]
async fn seed_steps_one_and_two_through_graphql() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let alice = app.create_user(&instance, "alice", None).await;
    let bob = app.create_user(&instance, "bob", None).await;

    // Step 1: add the application from the marketplace.
    let added = add_alibaba(&app, &instance).await;
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(
        added["missingSettings"],
        json!(["params.accountId", "spEntityId"])
    );
    assert_eq!(added["acsUrl"], "https://signin-intl.aliyun.com/saml/SSO");
    assert_eq!(
        added["defaultRelayState"],
        "https://home.console.aliyun.com"
    );
    assert!(added["idpMetadataUrl"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/saml/apps/{id}/metadata")));

    // Step 2: the account ID, then the application account name property.
    let bad = configure(&app, &id, json!({ "params": { "accountId": "12345" } })).await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "params.accountId");
    let configured = configure(
        &app,
        &id,
        json!({ "params": { "accountId": ACCOUNT_ID }, "accountMode": "USERNAME" }),
    )
    .await;
    let settings = &configured["data"]["configureApplicationSso"]["application"];
    assert_eq!(
        settings["spEntityId"],
        format!("https://signin-intl.aliyun.com/{ACCOUNT_ID}/saml/SSO")
    );
    assert_eq!(
        settings["nameIdSuffix"],
        format!("{ACCOUNT_ID}.onaliyun.com")
    );
    assert_eq!(settings["missingSettings"], json!([]));

    // Row 1 of the seed's table: IDaaS username → RAM user alice.
    assert_eq!(
        name_id(&app, &id, &alice).await,
        json!({ "nameId": format!("alice@{ACCOUNT_ID}.onaliyun.com"), "reason": null })
    );

    // Row 2: application username, mapped on the Application User page.
    configure(&app, &id, json!({ "accountMode": "APP_ACCOUNT" })).await;
    let none = name_id(&app, &id, &bob).await;
    assert!(none["nameId"].is_null());
    assert!(
        none["reason"]
            .as_str()
            .unwrap()
            .contains("no application account"),
        "{none}"
    );
    let set = "mutation($a: ID!, $u: ID!, $n: String!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: $n}) { account { accountName user { username } } } }";
    let mapped = app
        .gql(set, json!({ "a": id, "u": alice, "n": "alice.wong" }))
        .await;
    assert_eq!(
        mapped["setApplicationAccount"]["account"]["user"]["username"],
        "alice"
    );
    assert_eq!(
        name_id(&app, &id, &alice).await["nameId"],
        format!("alice.wong@{ACCOUNT_ID}.onaliyun.com")
    );

    let taken = app
        .gql_as(
            &app.token,
            set,
            json!({ "a": id, "u": bob, "n": "alice.wong" }),
        )
        .await;
    assert_eq!(error_code(&taken), "CONFLICT");
    assert_eq!(taken["errors"][0]["extensions"]["field"], "accountName");
    let invalid = app
        .gql_as(
            &app.token,
            set,
            json!({ "a": id, "u": bob, "n": "bob smith" }),
        )
        .await;
    assert_eq!(error_code(&invalid), "BAD_USER_INPUT");

    // The fallback mode: bob has no account, so his username.
    configure(
        &app,
        &id,
        json!({ "accountMode": "APP_ACCOUNT_OR_USERNAME" }),
    )
    .await;
    assert_eq!(
        name_id(&app, &id, &bob).await["nameId"],
        format!("bob@{ACCOUNT_ID}.onaliyun.com")
    );

    // The mapping is listed, and every change is audited.
    let listed = app.gql("query($a: ID!) { application(id: $a) { accounts { totalCount edges { node { accountName user { username } } } } } }", json!({ "a": id })).await;
    assert_eq!(listed["application"]["accounts"]["totalCount"], 1);
    let events = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i) { edges { node { action targetId } } } }",
            json!({ "i": instance }),
        )
        .await;
    let actions: Vec<&str> = events["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    for expected in [
        "createApplication",
        "updateApplication",
        "manageApplicationAccounts",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn bulk_account_upserts_are_idempotent_and_all_or_nothing() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let users: Vec<String> = futures_users(&app, &instance, 3).await;
    let id = add_alibaba(&app, &instance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let upsert = "mutation($a: ID!, $rows: [AccountRow!]!) { upsertApplicationAccounts(input: {applicationId: $a, accounts: $rows}) { ok count errors { row field code } } }";
    let rows = json!([{ "userId": users[0], "accountName": "u0" }, { "userId": users[1], "accountName": "u1" }]);
    for _ in 0..2 {
        let result = app.gql(upsert, json!({ "a": id, "rows": rows })).await;
        assert_eq!(
            result["upsertApplicationAccounts"],
            json!({ "ok": true, "count": 2, "errors": [] })
        );
    }
    // A swap inside one batch is fine; a name held by someone outside the batch is not.
    let swap = json!([{ "userId": users[0], "accountName": "u1" }, { "userId": users[1], "accountName": "u0" }]);
    assert_eq!(
        app.gql(upsert, json!({ "a": id, "rows": swap })).await["upsertApplicationAccounts"]["ok"],
        true
    );
    let bad = json!([
        { "userId": users[2], "accountName": "u1" },
        { "userId": users[2], "accountName": "u2" },
        { "userId": "no-such-user", "accountName": "u3" },
        { "userId": users[0], "accountName": "has space" },
    ]);
    let result = app.gql(upsert, json!({ "a": id, "rows": bad })).await;
    let errors: Vec<(u64, String)> = result["upsertApplicationAccounts"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (0, "accountName".into()),
            (1, "userId".into()),
            (2, "userId".into()),
            (3, "accountName".into())
        ]
    );
    let listed = app.gql("query($a: ID!) { application(id: $a) { accounts { edges { node { accountName userId } } } } }", json!({ "a": id })).await;
    let pairs: Vec<(String, String)> = listed["application"]["accounts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["accountName"].as_str().unwrap().to_owned(),
                e["node"]["userId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("u0".to_owned(), users[1].clone()),
            ("u1".to_owned(), users[0].clone())
        ],
        "nothing of the bad batch was saved"
    );
    app.stop().await;
}

async fn futures_users(app: &TestApp, instance: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(app.create_user(instance, &format!("user{i}"), None).await);
    }
    ids
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_half_saved() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let unknown = app
        .gql_as(&app.token, "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"no-such-template\", name: \"x\"}) { application { id } } }", json!({ "i": instance }))
        .await;
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
    assert_eq!(unknown["errors"][0]["extensions"]["field"], "templateId");

    let id = add_alibaba(&app, &instance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    configure(&app, &id, json!({ "params": { "accountId": ACCOUNT_ID } })).await;
    // A good change together with a bad one: neither is saved.
    let mixed = configure(&app, &id, json!({ "params": { "accountId": "x" }, "defaultRelayState": "https://elsewhere.example.com" })).await;
    assert_eq!(error_code(&mixed), "BAD_USER_INPUT");
    for (settings, field) in [
        (json!({ "acsUrl": "javascript:alert(1)" }), "acsUrl"),
        (
            json!({ "defaultRelayState": format!("https://x.example.com/{}", "a".repeat(80)) }),
            "defaultRelayState",
        ),
        (json!({ "nameIdFormat": "urn:made-up" }), "nameIdFormat"),
        (
            json!({ "signatureAlgorithm": "rsa-sha1" }),
            "signatureAlgorithm",
        ),
        (
            json!({ "assertionLifetimeSeconds": 999999 }),
            "assertionLifetimeSeconds",
        ),
        (
            json!({ "spCertificatePem": "not a certificate" }),
            "spCertificatePem",
        ),
        (
            json!({ "authnRequestsSigned": true }),
            "authnRequestsSigned",
        ),
        (
            json!({ "attributeStatements": [{ "name": "x", "source": "password" }] }),
            "attributeStatements[0].source",
        ),
        (json!({ "params": { "region": "x" } }), "params.region"),
    ] {
        let body = configure(&app, &id, settings.clone()).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{settings}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{settings}: {body}"
        );
    }
    let now = app
        .gql(
            &format!("query($a: ID!) {{ application(id: $a) {{ {APP_FIELDS} }} }}"),
            json!({ "a": id }),
        )
        .await;
    assert_eq!(now["application"]["params"]["accountId"], ACCOUNT_ID);
    assert_eq!(
        now["application"]["defaultRelayState"],
        "https://home.console.aliyun.com"
    );

    for xml in [
        "<md:EntityDescriptor",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><EntityDescriptor entityID=\"&e;\"/>",
        "<EntityDescriptor entityID=\"https://sp.example.com\"><IDPSSODescriptor/></EntityDescriptor>",
    ] {
        let body = app
            .gql_as(&app.token, "mutation($a: ID!, $x: String!) { importSpMetadata(input: {id: $a, metadataXml: $x}) { application { id } } }", json!({ "a": id, "x": xml }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{xml}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "metadataXml");
    }
    let missing = app
        .gql_as(
            &app.token,
            "query { application(id: \"nope\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
    app.stop().await;
}

#[tokio::test]
async fn sp_metadata_import_fills_a_generic_application() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let added = app
        .gql("mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"Wiki\"}) { application { id missingSettings } } }", json!({ "i": instance }))
        .await;
    let id = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        added["addApplication"]["application"]["missingSettings"],
        json!(["spEntityId", "acsUrl"])
    );
    let xml = r#"<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://wiki.example.com/saml">
  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://wiki.example.com/saml/acs" index="0"/>
  </SPSSODescriptor>
</EntityDescriptor>"#;
    let imported = app
        .gql(
            "mutation($a: ID!, $x: String!) { importSpMetadata(input: {id: $a, metadataXml: $x}) { application { spEntityId spEntityIdOverridden acsUrl missingSettings authnRequestsSigned } } }",
            json!({ "a": id, "x": xml }),
        )
        .await;
    assert_eq!(
        imported["importSpMetadata"]["application"],
        json!({ "spEntityId": "https://wiki.example.com/saml", "spEntityIdOverridden": true, "acsUrl": "https://wiki.example.com/saml/acs", "missingSettings": [], "authnRequestsSigned": false })
    );
    // Overrides can be dropped again, back to what the template derives (nothing, here).
    let cleared = configure(&app, &id, json!({ "spEntityId": "" })).await;
    assert_eq!(
        cleared["data"]["configureApplicationSso"]["application"]["missingSettings"],
        json!(["spEntityId"])
    );
    app.stop().await;
}

#[tokio::test]
async fn application_admins_manage_only_their_application() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let other_instance = app.create_instance("Other").await;
    let alice = app.create_user(&instance, "alice", None).await;
    let mine = add_alibaba(&app, &instance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = add_alibaba(&app, &instance).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = app
        .token_with_roles(
            json!([{ "role": "APP_ADMIN", "instanceId": instance, "applicationId": mine }]),
        )
        .await;

    let set = "mutation($a: ID!, $u: ID!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: \"alice\"}) { account { accountName } } }";
    let ok = app
        .gql_as(&token, set, json!({ "a": mine, "u": alice }))
        .await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let users = app
        .gql_as(
            &token,
            "query($i: ID!) { instance(id: $i) { users { totalCount } } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(
        users["data"]["instance"]["users"]["totalCount"], 1,
        "finds users to map: {users}"
    );
    for (query, vars) in [
        (set, json!({ "a": theirs, "u": alice })),
        ("mutation($a: ID!) { deleteApplication(input: {id: $a}) { deletedId } }", json!({ "a": theirs })),
        ("mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"x\"}) { application { id } } }", json!({ "i": instance })),
        ("mutation($i: ID!) { createUser(input: {instanceId: $i, username: \"eve\"}) { user { id } } }", json!({ "i": instance })),
    ] {
        assert_eq!(error_code(&app.gql_as(&token, query, vars).await), "FORBIDDEN", "{query}");
    }

    let other_admin = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": other_instance }]))
        .await;
    let denied = app
        .gql_as(
            &other_admin,
            "query($a: ID!) { application(id: $a) { name accounts { totalCount } } }",
            json!({ "a": mine }),
        )
        .await;
    // Another instance's application answers as an unknown id does (issue 18: no existence
    // oracle); it answered FORBIDDEN, which told the caller the id exists elsewhere.
    assert_eq!(error_code(&denied), "NOT_FOUND");
    assert!(denied["data"].is_null());
    let wrong = app
        .gql_as(&app.token, "mutation($i: ID!, $a: ID!) { createApiToken(input: {name: \"x\", roles: [{role: APP_ADMIN, instanceId: $i, applicationId: $a}]}) { secret } }", json!({ "i": other_instance, "a": mine }))
        .await;
    assert_eq!(
        error_code(&wrong),
        "BAD_USER_INPUT",
        "an application of another instance"
    );

    app.gql(
        "mutation($a: ID!) { deleteApplication(input: {id: $a}) { deletedId } }",
        json!({ "a": mine }),
    )
    .await;
    assert_eq!(
        error_code(
            &app.gql_as(&token, set, json!({ "a": mine, "u": alice }))
                .await
        ),
        "NOT_FOUND"
    );
    app.stop().await;
}
