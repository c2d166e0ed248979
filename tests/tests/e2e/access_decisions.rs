//! Access decisions through GraphQL, as an admin or a script sees them: authorization scopes
//! (all members; user, group and org-unit grants with sub-units; revoking at once), the
//! effective-users and effective-applications queries agreeing with the decisions, the
//! instance's own Cedar policies (validated with line and column, nothing invalid saved),
//! explain and what-if; and a change made on one server process seen by another.

use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lanyard_tests::{error_code, TestApp, TwoProcesses};
use serde_json::{json, Value};

/// A fixture directory: Engineering › Platform and Sales org units, an "eng" group.
/// alice: group eng. bob: org unit Platform. carol: org unit Sales. dave: eng, disabled.
/// erin: no memberships.
struct Fixture {
    instance: String,
    app: String,
    other_app: String,
    users: Vec<(&'static str, String)>,
    eng_group: String,
    engineering: String,
    sales: String,
}

impl Fixture {
    fn user(&self, name: &str) -> &str {
        &self.users.iter().find(|(n, _)| *n == name).unwrap().1
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let instance = app.create_instance("Acme").await;
    let mut users = Vec::new();
    for name in ["alice", "bob", "carol", "dave", "erin"] {
        let id = app.create_user(&instance, name, None).await;
        users.push((name, id));
    }
    let user = |name: &str| users.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    let eng_group = app
        .id_of(
            "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"eng\"}) { group { id } } }",
            json!({ "i": instance }),
            &["createGroup", "group", "id"],
        )
        .await;
    let unit = |name: &'static str, parent: Option<String>| {
        let instance = instance.clone();
        async move {
            app.id_of(
                "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { orgUnit { id } } }",
                json!({ "i": instance, "n": name, "p": parent }),
                &["createOrgUnit", "orgUnit", "id"],
            )
            .await
        }
    };
    let engineering = unit("Engineering", None).await;
    let platform = unit("Platform", Some(engineering.clone())).await;
    let sales = unit("Sales", None).await;
    let members = "mutation($id: ID!, $i: ID!, $u: [ID!]!) { addGroupMembers(input: {id: $id, instanceId: $i, userIds: $u}) { group { id } } }";
    app.gql(
        members,
        json!({ "id": eng_group, "i": instance, "u": [user("alice"), user("dave")] }),
    )
    .await;
    let unit_members = "mutation($id: ID!, $i: ID!, $u: [ID!]!) { addOrgUnitMembers(input: {id: $id, instanceId: $i, userIds: $u}) { orgUnit { id } } }";
    app.gql(
        unit_members,
        json!({ "id": platform, "i": instance, "u": [user("bob")] }),
    )
    .await;
    app.gql(
        unit_members,
        json!({ "id": sales, "i": instance, "u": [user("carol")] }),
    )
    .await;
    app.gql(
        "mutation($id: ID!, $i: ID!) { setUserStatus(input: {id: $id, instanceId: $i, status: DISABLED}) { user { id } } }",
        json!({ "id": user("dave"), "i": instance }),
    )
    .await;
    let add_app = "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-user-sso-intl\", name: $n, params: {accountId: \"5123456789012345\"}}) { application { id authorizationScope } } }";
    let added = app
        .gql(add_app, json!({ "i": instance, "n": "Alibaba Cloud" }))
        .await;
    assert_eq!(
        added["addApplication"]["application"]["authorizationScope"], "MANUAL",
        "nobody gets in until an admin says who"
    );
    let app_id = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app
        .gql(add_app, json!({ "i": instance, "n": "Wiki" }))
        .await;
    Fixture {
        instance,
        app: app_id,
        other_app: other["addApplication"]["application"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        users,
        eng_group,
        engineering,
        sales,
    }
}

const EXPLAIN: &str = "query($u: ID!, $a: ID!, $c: AccessContextInput) { explainAccess(userId: $u, applicationId: $a, context: $c) { allowed summary diagnostics reasons { policyId effect origin description accessPolicyId subjectKind subjectId } } }";

async fn explain(app: &TestApp, user: &str, application: &str, context: Value) -> Value {
    app.gql(
        EXPLAIN,
        json!({ "u": user, "a": application, "c": context }),
    )
    .await["explainAccess"]
        .clone()
}

async fn allowed(app: &TestApp, f: &Fixture, application: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (name, id) in &f.users {
        if explain(app, id, application, json!({})).await["allowed"] == json!(true) {
            out.push(*name);
        }
    }
    out
}

async fn effective_users(app: &TestApp, application: &str) -> Vec<String> {
    let data = app
        .gql(
            "query($a: ID!) { application(id: $a) { effectiveUsers(first: 100) { totalCount edges { node { username } } } } }",
            json!({ "a": application }),
        )
        .await;
    let conn = &data["application"]["effectiveUsers"];
    let names: Vec<String> = conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(conn["totalCount"], json!(names.len()));
    names
}

async fn change_access(app: &TestApp, mutation: &str, application: &str, subjects: Value) -> Value {
    app.gql(
        &format!("mutation($a: ID!, $s: [SubjectInput!]!) {{ {mutation}(input: {{applicationId: $a, subjects: $s}}) {{ changed }} }}"),
        json!({ "a": application, "s": subjects }),
    )
    .await[mutation]["changed"]
        .clone()
}

#[tokio::test]
async fn scopes_grant_and_revoke_as_idaas_does() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;

    // Manual and empty: nobody.
    assert!(allowed(&app, &f, &f.app).await.is_empty());
    let denied = explain(&app, f.user("alice"), &f.app, json!({})).await;
    assert!(denied["reasons"].as_array().unwrap().is_empty(), "{denied}");
    assert!(
        denied["summary"].as_str().unwrap().contains("no grant"),
        "{denied}"
    );

    // A group, an org unit with its sub-units, a user.
    let grants = json!([
        { "kind": "GROUP", "id": f.eng_group },
        { "kind": "ORG_UNIT", "id": f.engineering },
        { "kind": "USER", "id": f.user("erin") },
    ]);
    assert_eq!(
        change_access(&app, "grantApplicationAccess", &f.app, grants.clone()).await,
        3
    );
    // Scripts may repeat themselves.
    assert_eq!(
        change_access(&app, "grantApplicationAccess", &f.app, grants).await,
        0
    );
    // dave is in the group but disabled; carol's Sales is not under Engineering.
    assert_eq!(allowed(&app, &f, &f.app).await, ["alice", "bob", "erin"]);
    assert_eq!(
        effective_users(&app, &f.app).await,
        ["alice", "bob", "erin"]
    );
    assert!(
        allowed(&app, &f, &f.other_app).await.is_empty(),
        "grants are per application"
    );

    let bob = explain(&app, f.user("bob"), &f.app, json!({})).await;
    assert_eq!(bob["reasons"][0]["origin"], "GRANT", "{bob}");
    assert_eq!(bob["reasons"][0]["subjectKind"], "ORG_UNIT");
    assert!(
        bob["reasons"][0]["description"]
            .as_str()
            .unwrap()
            .contains("“Engineering” and its sub-units"),
        "{bob}"
    );
    let dave = explain(&app, f.user("dave"), &f.app, json!({})).await;
    assert_eq!(dave["allowed"], false);
    assert_eq!(
        dave["reasons"][0]["policyId"], "access.active-users-only",
        "{dave}"
    );
    assert_eq!(dave["reasons"][0]["effect"], "FORBID");

    // The user's side agrees.
    let apps_of = |user: String| {
        let (app, instance) = (&app, f.instance.clone());
        async move {
            app.gql("query($i: ID!, $u: ID!) { instance(id: $i) { user(id: $u) { effectiveApplications { name } } } }", json!({ "i": instance, "u": user }))
                .await["instance"]["user"]["effectiveApplications"]
                .clone()
        }
    };
    assert_eq!(
        apps_of(f.user("bob").into()).await,
        json!([{ "name": "Alibaba Cloud" }])
    );
    assert_eq!(apps_of(f.user("carol").into()).await, json!([]));
    assert_eq!(apps_of(f.user("dave").into()).await, json!([]));

    // Revoking works at once.
    let removed = change_access(
        &app,
        "revokeApplicationAccess",
        &f.app,
        json!([{ "kind": "ORG_UNIT", "id": f.engineering }]),
    )
    .await;
    assert_eq!(removed, 1);
    assert_eq!(allowed(&app, &f, &f.app).await, ["alice", "erin"]);
    assert_eq!(effective_users(&app, &f.app).await, ["alice", "erin"]);

    // All members: every active user of the instance, grants kept for later.
    let scope = "mutation($a: ID!, $s: AuthorizationScope!) { setAuthorizationScope(input: {applicationId: $a, scope: $s}) { application { authorizationScope } } }";
    app.gql(scope, json!({ "a": f.app, "s": "ALL_MEMBERS" }))
        .await;
    assert_eq!(
        allowed(&app, &f, &f.app).await,
        ["alice", "bob", "carol", "erin"]
    );
    assert_eq!(
        effective_users(&app, &f.app).await,
        ["alice", "bob", "carol", "erin"]
    );
    let carol = explain(&app, f.user("carol"), &f.app, json!({})).await;
    assert_eq!(
        carol["reasons"][0]["policyId"], "grant:all-members",
        "{carol}"
    );
    app.gql(scope, json!({ "a": f.app, "s": "MANUAL" })).await;
    assert_eq!(allowed(&app, &f, &f.app).await, ["alice", "erin"]);

    // A disabled application, or SSO off, lets nobody in.
    app.gql("mutation($a: ID!) { updateApplication(input: {id: $a, enabled: false}) { application { id } } }", json!({ "a": f.app })).await;
    let off = explain(&app, f.user("alice"), &f.app, json!({})).await;
    assert_eq!(
        off["reasons"][0]["policyId"], "access.enabled-applications-only",
        "{off}"
    );

    // Deleting a granted group takes its grant with it.
    app.gql("mutation($id: ID!, $i: ID!) { deleteGroup(input: {id: $id, instanceId: $i}) { deletedId } }", json!({ "id": f.eng_group, "i": f.instance })).await;
    let left = app
        .gql("query($a: ID!) { application(id: $a) { accessGrants { totalCount edges { node { subjectKind subjectName } } } } }", json!({ "a": f.app }))
        .await;
    assert_eq!(
        left["application"]["accessGrants"],
        json!({ "totalCount": 1, "edges": [{ "node": { "subjectKind": "USER", "subjectName": "erin" } }] })
    );
    app.stop().await;
}

#[tokio::test]
async fn grants_refuse_unknown_subjects_and_other_instances() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let other = app.create_instance("Other").await;
    let stranger = app.create_user(&other, "mallory", None).await;
    let grant = "mutation($a: ID!, $s: [SubjectInput!]!) { grantApplicationAccess(input: {applicationId: $a, subjects: $s}) { changed } }";
    for subjects in [
        json!([{ "kind": "USER", "id": stranger }]),
        json!([{ "kind": "GROUP", "id": f.user("alice") }]),
        json!([{ "kind": "ORG_UNIT", "id": "nope" }]),
        json!([]),
    ] {
        let body = app
            .gql_as(&app.token, grant, json!({ "a": f.app, "s": subjects }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({ "kind": "USER", "id": format!("u{i}") }))
        .collect();
    let body = app
        .gql_as(&app.token, grant, json!({ "a": f.app, "s": too_many }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    // The user of another instance is not let in whatever the scope.
    let scope = "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }";
    app.gql(scope, json!({ "a": f.app })).await;
    let body = app
        .gql_as(&app.token, EXPLAIN, json!({ "u": stranger, "a": f.app }))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");

    // An auditor of the instance may explain but not grant.
    let auditor = app
        .token_with_roles(json!([{ "role": "AUDITOR", "instanceId": f.instance }]))
        .await;
    let body = app
        .gql_as(
            &auditor,
            EXPLAIN,
            json!({ "u": f.user("alice"), "a": f.app }),
        )
        .await;
    assert_eq!(body["data"]["explainAccess"]["allowed"], true, "{body}");
    let body = app
        .gql_as(
            &auditor,
            grant,
            json!({ "a": f.app, "s": [{ "kind": "USER", "id": f.user("erin") }] }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    app.stop().await;
}

const CREATE_POLICY: &str = "mutation($i: ID!, $n: String!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: $n, source: $s}) { accessPolicy { id policyId name enabled } } }";

#[tokio::test]
async fn custom_policies_are_validated_and_decide() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    app.gql(
        "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
        json!({ "a": f.app }),
    )
    .await;

    // Invalid: a typo on line 3 is reported there, and nothing is saved.
    let typo = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless {\n  context.sourceIP.isInRange(ip(\"10.0.0.0/8\"))\n};";
    let body = app
        .gql_as(
            &app.token,
            CREATE_POLICY,
            json!({ "i": f.instance, "n": "office", "s": typo }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let ext = &body["errors"][0]["extensions"];
    assert_eq!(
        (
            ext["field"].clone(),
            ext["line"].clone(),
            ext["column"].clone()
        ),
        (json!("source"), json!(3), json!(3)),
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("sourceIP"),
        "{body}"
    );
    let validation = app
        .gql("query($i: ID!, $s: String!) { validateAccessPolicy(instanceId: $i, source: $s) { valid problems { line column message } } }", json!({ "i": f.instance, "s": typo }))
        .await;
    assert_eq!(validation["validateAccessPolicy"]["valid"], false);
    assert_eq!(validation["validateAccessPolicy"]["problems"][0]["line"], 3);
    for hostile in [
        "permit (principal, action, resource);",
        "@id(\"x\") permit (principal == ?principal, action == Lanyard::Action::\"sso\", resource);",
        "forbid (principal, action == Lanyard::Action::\"sso\", resource) when { 1 + };",
        "",
        "\u{0}",
    ] {
        let body = app
            .gql_as(&app.token, CREATE_POLICY, json!({ "i": f.instance, "n": "bad", "s": hostile }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{hostile:?}: {body}");
    }
    let listed = app
        .gql(
            "query($i: ID!) { instance(id: $i) { accessPolicies { name } } }",
            json!({ "i": f.instance }),
        )
        .await;
    assert_eq!(
        listed["instance"]["accessPolicies"],
        json!([]),
        "nothing invalid was saved"
    );

    // Office network only.
    let office = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.sourceIp.isInRange(ip(\"10.0.0.0/8\")) };";
    let created = app
        .gql(
            CREATE_POLICY,
            json!({ "i": f.instance, "n": "Office network only", "s": office }),
        )
        .await;
    let policy = &created["createAccessPolicy"]["accessPolicy"];
    let policy_id = policy["id"].as_str().unwrap().to_owned();
    let cedar_id = policy["policyId"].as_str().unwrap().to_owned();
    let at_home = explain(
        &app,
        f.user("alice"),
        &f.app,
        json!({ "sourceIp": "203.0.113.9" }),
    )
    .await;
    assert_eq!(at_home["allowed"], false, "{at_home}");
    assert_eq!(at_home["reasons"][0]["policyId"], cedar_id);
    assert_eq!(at_home["reasons"][0]["origin"], "INSTANCE");
    assert_eq!(at_home["reasons"][0]["accessPolicyId"], policy_id);
    assert!(
        at_home["summary"]
            .as_str()
            .unwrap()
            .contains("“Office network only”"),
        "{at_home}"
    );
    let at_work = explain(
        &app,
        f.user("alice"),
        &f.app,
        json!({ "sourceIp": "10.20.30.40" }),
    )
    .await;
    assert_eq!(at_work["allowed"], true, "{at_work}");

    // MFA for this template only, and office hours: every condition of the README examples.
    let mfa = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nwhen { context.template == \"alibaba-cloud-user-sso-intl\" }\nunless { context.mfa };";
    app.gql(
        CREATE_POLICY,
        json!({ "i": f.instance, "n": "MFA for Alibaba Cloud", "s": mfa }),
    )
    .await;
    let hours = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.weekdayUtc <= 5 && context.hourUtc >= 8 && context.hourUtc < 18 };";
    app.gql(
        CREATE_POLICY,
        json!({ "i": f.instance, "n": "Office hours", "s": hours }),
    )
    .await;
    let monday_morning =
        json!({ "sourceIp": "10.0.0.1", "mfa": true, "at": "2026-11-30T09:00:00Z" });
    assert_eq!(
        explain(&app, f.user("alice"), &f.app, monday_morning.clone()).await["allowed"],
        true
    );
    let mut no_mfa = monday_morning.clone();
    no_mfa["mfa"] = json!(false);
    let denied = explain(&app, f.user("alice"), &f.app, no_mfa).await;
    assert_eq!(denied["allowed"], false);
    assert_eq!(denied["reasons"].as_array().unwrap().len(), 1, "{denied}");
    let mut sunday = monday_morning.clone();
    sunday["at"] = json!("2026-11-29T09:00:00Z");
    assert_eq!(
        explain(&app, f.user("alice"), &f.app, sunday).await["allowed"],
        false
    );

    // Disable, edit, delete: each takes effect with the next decision on this node.
    let update = "mutation($id: ID!, $e: Boolean, $s: String) { updateAccessPolicy(input: {id: $id, enabled: $e, source: $s}) { accessPolicy { enabled } } }";
    app.gql(update, json!({ "id": policy_id, "e": false }))
        .await;
    let home_mfa = json!({ "sourceIp": "203.0.113.9", "mfa": true, "at": "2026-11-30T09:00:00Z" });
    assert_eq!(
        explain(&app, f.user("alice"), &f.app, home_mfa.clone()).await["allowed"],
        true
    );
    let body = app
        .gql_as(&app.token, update, json!({ "id": policy_id, "s": typo }))
        .await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "an edit is validated too"
    );
    app.gql(
        "mutation($id: ID!) { deleteAccessPolicy(input: {id: $id}) { deletedId } }",
        json!({ "id": policy_id }),
    )
    .await;
    let names = app
        .gql(
            "query($i: ID!) { instance(id: $i) { accessPolicies { name } } }",
            json!({ "i": f.instance }),
        )
        .await;
    assert_eq!(
        names["instance"]["accessPolicies"],
        json!([{ "name": "MFA for Alibaba Cloud" }, { "name": "Office hours" }])
    );
    let body = app
        .gql_as(
            &app.token,
            CREATE_POLICY,
            json!({ "i": f.instance, "n": "Office hours", "s": hours }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    let audit = app
        .gql("query($i: ID!) { auditEvents(instanceId: $i, filter: {action: \"manageAccessPolicies\"}) { totalCount } }", json!({ "i": f.instance }))
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 5, "{audit}");
    app.stop().await;
}

const SIMULATE: &str = "query($input: SimulateAccessChangeInput!) { simulateAccessChange(input: $input) { evaluatedPairs gained lost changes(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { gainsAccess user { username } application { name } } } } } }";

fn pairs(simulation: &Value) -> Vec<(String, String, bool)> {
    simulation["changes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["application"]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                e["node"]["user"]["username"].as_str().unwrap().to_owned(),
                e["node"]["gainsAccess"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn simulate_lists_exactly_the_pairs_that_change_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    app.gql(
        "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
        json!({ "a": f.app }),
    )
    .await;
    change_access(
        &app,
        "grantApplicationAccess",
        &f.other_app,
        json!([{ "kind": "ORG_UNIT", "id": f.sales }]),
    )
    .await;
    // Before: Alibaba Cloud: alice, bob, carol, erin. Wiki: carol.

    // A policy forbidding the Sales subtree everything.
    let forbid_sales = format!(
        "forbid (principal in Lanyard::OrgUnit::\"{}\", action == Lanyard::Action::\"sso\", resource);",
        f.sales
    );
    let input = json!({ "instanceId": f.instance, "change": { "createPolicy": forbid_sales } });
    let result = app.gql(SIMULATE, json!({ "input": input })).await["simulateAccessChange"].clone();
    assert_eq!(result["evaluatedPairs"], 10, "5 users × 2 applications");
    assert_eq!(
        (result["gained"].clone(), result["lost"].clone()),
        (json!(0), json!(2))
    );
    assert_eq!(
        pairs(&result),
        [
            ("Alibaba Cloud".into(), "carol".into(), false),
            ("Wiki".into(), "carol".into(), false)
        ]
    );

    // A grant: who would gain, paginated.
    let grant = json!({ "instanceId": f.instance, "change": { "grant": { "applicationId": f.other_app, "subjects": [
        { "kind": "GROUP", "id": f.eng_group }, { "kind": "ORG_UNIT", "id": f.engineering }, { "kind": "USER", "id": f.user("erin") }
    ] } } });
    let result = app.gql(SIMULATE, json!({ "input": grant })).await["simulateAccessChange"].clone();
    assert_eq!(
        result["evaluatedPairs"], 5,
        "a grant only touches its application"
    );
    assert_eq!(result["changes"]["totalCount"], 3);
    assert_eq!(
        pairs(&result),
        [
            ("Wiki".into(), "alice".into(), true),
            ("Wiki".into(), "bob".into(), true)
        ]
    );
    assert_eq!(result["changes"]["pageInfo"]["hasNextPage"], true);
    let cursor = result["changes"]["pageInfo"]["endCursor"].as_str().unwrap();
    let next = app
        .gql(
            "query($input: SimulateAccessChangeInput!, $after: String) { simulateAccessChange(input: $input) { changes(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { gainsAccess user { username } application { name } } } } } }",
            json!({ "input": grant, "after": cursor }),
        )
        .await;
    let next = &next["simulateAccessChange"];
    assert_eq!(pairs(next), [("Wiki".into(), "erin".into(), true)]);
    assert_eq!(next["changes"]["pageInfo"]["hasNextPage"], false);
    // A forged cursor at the end of the index range, or not a number, is the caller's error.
    for forged in [u64::MAX.to_string(), "-1".into(), "two".into()] {
        let body = app
            .gql_as(
                &app.token,
                "query($input: SimulateAccessChangeInput!, $after: String) { simulateAccessChange(input: $input) { changes(first: 2, after: $after) { totalCount } } }",
                json!({ "input": grant, "after": URL_SAFE_NO_PAD.encode(&forged) }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{forged}: {body}");
    }

    // Revoking and narrowing the scope.
    let revoke = json!({ "instanceId": f.instance, "change": { "revoke": { "applicationId": f.other_app, "subjects": [{ "kind": "ORG_UNIT", "id": f.sales }] } } });
    let result =
        app.gql(SIMULATE, json!({ "input": revoke })).await["simulateAccessChange"].clone();
    assert_eq!(pairs(&result), [("Wiki".into(), "carol".into(), false)]);
    let manual = json!({ "instanceId": f.instance, "change": { "setScope": { "applicationId": f.app, "scope": "MANUAL" } } });
    let result =
        app.gql(SIMULATE, json!({ "input": manual })).await["simulateAccessChange"].clone();
    assert_eq!(result["lost"], 4);

    // Nothing was saved.
    assert_eq!(
        allowed(&app, &f, &f.app).await,
        ["alice", "bob", "carol", "erin"]
    );
    assert_eq!(allowed(&app, &f, &f.other_app).await, ["carol"]);
    let listed = app
        .gql(
            "query($i: ID!) { instance(id: $i) { accessPolicies { name } } }",
            json!({ "i": f.instance }),
        )
        .await;
    assert_eq!(listed["instance"]["accessPolicies"], json!([]));

    // An invalid proposal is refused like an invalid save; two changes at once too.
    let bad = json!({ "instanceId": f.instance, "change": { "createPolicy": "permit (" } });
    let body = app
        .gql_as(&app.token, SIMULATE, json!({ "input": bad }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let two = json!({ "instanceId": f.instance, "change": { "createPolicy": forbid_sales, "deletePolicyId": "x" } });
    let body = app
        .gql_as(&app.token, SIMULATE, json!({ "input": two }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    app.stop().await;
}

/// Two `lanyard serve` processes on one database: a policy saved through one denies on the other
/// within a second, and a revoked grant at once.
#[tokio::test]
async fn a_change_on_one_process_takes_effect_on_another_within_a_second() {
    let nodes = TwoProcesses::start().await;
    let (first, second) = (&nodes.first, &nodes.second);
    let instance = first.create_instance("Acme").await;
    let alice = first.create_user(&instance, "alice", None).await;
    let application = first
        .id_of(
            "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"Wiki\"}) { application { id } } }",
            json!({ "i": instance }),
            &["addApplication", "application", "id"],
        )
        .await;
    first.gql("mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }", json!({ "a": application, "u": alice })).await;

    let explain_on_second = || {
        second.gql("query($u: ID!, $a: ID!) { explainAccess(userId: $u, applicationId: $a) { allowed reasons { policyId } } }", json!({ "u": alice, "a": application }))
    };
    // The second process has the instance's policies cached now.
    assert_eq!(explain_on_second().await["explainAccess"]["allowed"], true);

    let saved = first.gql("mutation($i: ID!) { createAccessPolicy(input: {instanceId: $i, name: \"Nobody\", source: \"forbid (principal, action == Lanyard::Action::\\\"sso\\\", resource);\"}) { accessPolicy { policyId } } }", json!({ "i": instance })).await;
    let policy_id = saved["createAccessPolicy"]["accessPolicy"]["policyId"].clone();
    let acknowledged = Instant::now();
    let seen = loop {
        let decision = explain_on_second().await;
        if decision["explainAccess"]["allowed"] == json!(false) {
            assert_eq!(
                decision["explainAccess"]["reasons"][0]["policyId"],
                policy_id
            );
            break acknowledged.elapsed();
        }
        assert!(
            acknowledged.elapsed() < Duration::from_secs(5),
            "the other process never saw the policy"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    println!("a policy saved on one process denied on the other after {seen:?}");
    assert!(seen <= Duration::from_secs(1), "took {seen:?}");

    // Grants are read per decision: a revoke on one process holds on the other at once.
    let policies = second
        .gql(
            "query($i: ID!) { instance(id: $i) { accessPolicies { id } } }",
            json!({ "i": instance }),
        )
        .await;
    let id = policies["instance"]["accessPolicies"][0]["id"].clone();
    second
        .gql(
            "mutation($id: ID!) { deleteAccessPolicy(input: {id: $id}) { deletedId } }",
            json!({ "id": id }),
        )
        .await;
    second.gql("mutation($a: ID!, $u: ID!) { revokeApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }", json!({ "a": application, "u": alice })).await;
    let after = first.gql("query($u: ID!, $a: ID!) { explainAccess(userId: $u, applicationId: $a) { allowed reasons { policyId } } }", json!({ "u": alice, "a": application })).await;
    assert_eq!(
        after["explainAccess"],
        json!({ "allowed": false, "reasons": [] })
    );
}
