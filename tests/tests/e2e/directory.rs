//! The directory over GraphQL as a script uses it: import, page through, filter; validation
//! that names the field; org-unit trees without cycles.

use lanyard_tests::{error_code, TestApp};
use serde_json::{json, Value};

const IMPORT: &str = "mutation($i: ID!, $rows: [ImportUserRow!]!) { importUsers(input: {instanceId: $i, users: $rows}) { ok importedCount errors { row field code message } } }";
const CREATE_UNIT: &str = "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { orgUnit { id depth } } }";
const USERS_PAGE: &str = "query($i: ID!, $after: String, $filter: UserFilter) { instance(id: $i) { users(first: 100, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { username orgUnits { name } } } } } }";

async fn unit(app: &TestApp, instance: &str, name: &str, parent: Option<&str>) -> String {
    let data = app
        .gql(
            CREATE_UNIT,
            json!({ "i": instance, "n": name, "p": parent }),
        )
        .await;
    data["createOrgUnit"]["orgUnit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every username matching `filter`, following the cursors page by page.
async fn all_usernames(app: &TestApp, instance: &str, filter: Value) -> (Vec<String>, u64) {
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .gql(
                USERS_PAGE,
                json!({ "i": instance, "after": after, "filter": filter }),
            )
            .await;
        let users = &data["instance"]["users"];
        for edge in users["edges"].as_array().unwrap() {
            names.push(edge["node"]["username"].as_str().unwrap().to_owned());
        }
        if !users["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (names, users["totalCount"].as_u64().unwrap());
        }
        after = users["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

#[tokio::test]
async fn a_script_imports_a_thousand_users_pages_through_them_and_filters_by_subtree() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let corp = unit(&app, &instance, "Acme", None).await;
    let eng = unit(&app, &instance, "Engineering", Some(&corp)).await;
    let platform = unit(&app, &instance, "Platform", Some(&eng)).await;
    let sales = unit(&app, &instance, "Sales", Some(&corp)).await;

    let rows: Vec<Value> = (0..1000)
        .map(|i| {
            let unit = match i % 4 {
                0 => &eng,
                1 => &platform,
                2 => &sales,
                _ => &corp,
            };
            json!({ "username": format!("user{i:04}"), "email": format!("user{i:04}@acme.example"), "orgUnitIds": [unit] })
        })
        .collect();
    let imported = app
        .gql(IMPORT, json!({ "i": instance, "rows": rows }))
        .await;
    assert_eq!(imported["importUsers"]["ok"], true, "{imported}");
    assert_eq!(imported["importUsers"]["importedCount"], 1000);

    let (all, total) = all_usernames(&app, &instance, json!(null)).await;
    assert_eq!(total, 1000);
    assert_eq!(all.len(), 1000);
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, all, "pages are ordered and never repeat a user");

    let (subtree, total) = all_usernames(&app, &instance, json!({ "orgUnitId": eng })).await;
    assert_eq!(total, 500, "Engineering and Platform");
    assert!(subtree.iter().all(|u| {
        let n: u32 = u[4..].parse().unwrap();
        n % 4 < 2
    }));
    let (direct, _) = all_usernames(
        &app,
        &instance,
        json!({ "orgUnitId": eng, "includeSubUnits": false }),
    )
    .await;
    assert_eq!(direct.len(), 250);
    let (whole, _) = all_usernames(&app, &instance, json!({ "orgUnitId": corp })).await;
    assert_eq!(whole.len(), 1000);
    let (prefix, _) = all_usernames(&app, &instance, json!({ "search": "USER09" })).await;
    assert_eq!(prefix.len(), 100, "prefix search ignores case");
    let (by_email, _) = all_usernames(&app, &instance, json!({ "search": "user0001@" })).await;
    assert_eq!(by_email, vec!["user0001"]);
    let (wild, _) = all_usernames(&app, &instance, json!({ "search": "%" })).await;
    assert!(wild.is_empty(), "LIKE wildcards in a search are literal");
    app.stop().await;
}

#[tokio::test]
async fn an_import_with_bad_rows_saves_nothing_and_reports_each_row() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    app.gql(
        "mutation($i: ID!) { createUser(input: {instanceId: $i, username: \"taken\", email: \"taken@acme.example\"}) { user { id } } }",
        json!({ "i": instance }),
    )
    .await;
    let rows = json!([
        { "username": "good1" },
        { "username": "bad name" },
        { "username": "taken" },
        { "username": "good2", "email": "not-an-email" },
        { "username": "good1" },
        { "username": "good3", "email": "TAKEN@acme.example" },
        { "username": "good4", "orgUnitIds": ["no-such-unit"] },
        { "username": "good5", "password": "short" },
    ]);
    let result = app
        .gql(IMPORT, json!({ "i": instance, "rows": rows }))
        .await;
    let payload = &result["importUsers"];
    assert_eq!(payload["ok"], false);
    assert_eq!(payload["importedCount"], 0);
    let errors: Vec<(u64, &str, &str)> = payload["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (1, "username", "BAD_USER_INPUT"),
            (2, "username", "CONFLICT"),
            (3, "email", "BAD_USER_INPUT"),
            (4, "username", "CONFLICT"),
            (5, "email", "CONFLICT"),
            (6, "orgUnitIds", "BAD_USER_INPUT"),
            (7, "password", "BAD_USER_INPUT"),
        ]
    );
    let (names, total) = all_usernames(&app, &instance, json!(null)).await;
    assert_eq!(
        (names, total),
        (vec!["taken".to_owned()], 1),
        "all or nothing"
    );

    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({ "username": format!("u{i}") }))
        .collect();
    let body = app
        .gql_as(
            &app.token,
            IMPORT,
            json!({ "i": instance, "rows": too_many }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "users");
    app.stop().await;
}

#[tokio::test]
async fn users_are_validated_unique_and_their_passwords_never_readable() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let create = "mutation($i: ID!, $u: String!, $e: String, $p: String) { createUser(input: {instanceId: $i, username: $u, email: $e, password: $p}) { user { id username email status hasPassword } } }";
    let alice = app
        .gql(
            create,
            json!({ "i": instance, "u": "alice", "e": "Alice@Acme.example", "p": "correct horse" }),
        )
        .await;
    let user = &alice["createUser"]["user"];
    assert_eq!(user["email"], "alice@acme.example");
    assert_eq!(user["hasPassword"], true);
    assert_eq!(user["status"], "ACTIVE");
    let id = user["id"].as_str().unwrap().to_owned();

    for (vars, field, code) in [
        (
            json!({ "i": instance, "u": "alice" }),
            "username",
            "CONFLICT",
        ),
        (
            json!({ "i": instance, "u": "alice2", "e": "ALICE@acme.example" }),
            "email",
            "CONFLICT",
        ),
        (
            json!({ "i": instance, "u": "-x" }),
            "username",
            "BAD_USER_INPUT",
        ),
        (
            json!({ "i": instance, "u": "x".repeat(65) }),
            "username",
            "BAD_USER_INPUT",
        ),
        (
            json!({ "i": instance, "u": "eve", "e": "eve@" }),
            "email",
            "BAD_USER_INPUT",
        ),
        (
            json!({ "i": instance, "u": "eve", "p": "1234" }),
            "password",
            "BAD_USER_INPUT",
        ),
    ] {
        let body = app.gql_as(&app.token, create, vars.clone()).await;
        assert_eq!(error_code(&body), code, "{vars}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{vars}: {body}"
        );
    }

    let text = app.gql(&format!("query($i: ID!) {{ instance(id: $i) {{ user(id: \"{id}\") {{ username hasPassword }} }} }}"), json!({ "i": instance })).await;
    assert!(!text.to_string().contains("argon2"));
    let no_field = app
        .gql_as(
            &app.token,
            "query($i: ID!) { instance(id: $i) { users { edges { node { passwordHash } } } } }",
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(error_code(&no_field), "BAD_USER_INPUT");

    let updated = app
        .gql(
            "mutation($i: ID!, $id: ID!) { updateUser(input: {instanceId: $i, id: $id, displayName: \"Alice L.\", email: \"\"}) { user { displayName email } } }",
            json!({ "i": instance, "id": id }),
        )
        .await;
    assert_eq!(updated["updateUser"]["user"]["displayName"], "Alice L.");
    assert!(
        updated["updateUser"]["user"]["email"].is_null(),
        "an empty string clears the email"
    );
    let disabled = app
        .gql(
            "mutation($i: ID!, $id: ID!) { setUserStatus(input: {instanceId: $i, id: $id, status: DISABLED}) { user { status } } }",
            json!({ "i": instance, "id": id }),
        )
        .await;
    assert_eq!(disabled["setUserStatus"]["user"]["status"], "DISABLED");
    let filtered = app.gql("query($i: ID!) { instance(id: $i) { users(filter: {status: DISABLED}) { totalCount } } }", json!({ "i": instance })).await;
    assert_eq!(filtered["instance"]["users"]["totalCount"], 1);
    let deleted = app.gql("mutation($i: ID!, $id: ID!) { deleteUser(input: {instanceId: $i, id: $id}) { deletedId } }", json!({ "i": instance, "id": id })).await;
    assert_eq!(deleted["deleteUser"]["deletedId"], id);
    let gone = app
        .gql_as(
            &app.token,
            &format!("query($i: ID!) {{ instance(id: $i) {{ user(id: \"{id}\") {{ id }} }} }}"),
            json!({ "i": instance }),
        )
        .await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
    app.stop().await;
}

#[tokio::test]
async fn org_units_form_a_tree_without_cycles() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let root = unit(&app, &instance, "Root", None).await;
    let a = unit(&app, &instance, "A", Some(&root)).await;
    let b = unit(&app, &instance, "B", Some(&a)).await;
    let c = unit(&app, &instance, "C", Some(&b)).await;

    let duplicate = app
        .gql_as(
            &app.token,
            CREATE_UNIT,
            json!({ "i": instance, "n": "A", "p": root }),
        )
        .await;
    assert_eq!(error_code(&duplicate), "CONFLICT");
    assert_eq!(duplicate["errors"][0]["extensions"]["field"], "name");

    let move_unit = "mutation($i: ID!, $id: ID!, $p: ID) { moveOrgUnit(input: {instanceId: $i, id: $id, parentId: $p}) { orgUnit { id depth ancestors { name } } } }";
    for target in [&a, &c] {
        let cycle = app
            .gql_as(
                &app.token,
                move_unit,
                json!({ "i": instance, "id": a, "p": target }),
            )
            .await;
        assert_eq!(error_code(&cycle), "BAD_USER_INPUT", "{cycle}");
        assert_eq!(cycle["errors"][0]["extensions"]["field"], "parentId");
    }

    // Move B (with C under it) to the root: C's ancestors follow.
    app.gql(move_unit, json!({ "i": instance, "id": b, "p": null }))
        .await;
    let c_now = app
        .gql(&format!("query($i: ID!) {{ instance(id: $i) {{ orgUnit(id: \"{c}\") {{ depth ancestors {{ name }} parent {{ name }} }} }} }}"), json!({ "i": instance }))
        .await;
    assert_eq!(c_now["instance"]["orgUnit"]["depth"], 2);
    assert_eq!(
        c_now["instance"]["orgUnit"]["ancestors"],
        json!([{ "name": "B" }])
    );

    let user = app
        .gql("mutation($i: ID!, $o: ID!) { createUser(input: {instanceId: $i, username: \"dora\", orgUnitIds: [$o]}) { user { id } } }", json!({ "i": instance, "o": c }))
        .await["createUser"]["user"]["id"]
        .clone();
    let members = app.gql(&format!("query($i: ID!) {{ instance(id: $i) {{ orgUnit(id: \"{b}\") {{ members {{ totalCount }} }} }} }}"), json!({ "i": instance })).await;
    assert_eq!(
        members["instance"]["orgUnit"]["members"]["totalCount"], 1,
        "B's subtree holds C's member"
    );

    let delete = "mutation($i: ID!, $id: ID!) { deleteOrgUnit(input: {instanceId: $i, id: $id}) { deletedId } }";
    let not_empty = app
        .gql_as(&app.token, delete, json!({ "i": instance, "id": b }))
        .await;
    assert_eq!(error_code(&not_empty), "CONFLICT");
    let has_members = app
        .gql_as(&app.token, delete, json!({ "i": instance, "id": c }))
        .await;
    assert_eq!(error_code(&has_members), "CONFLICT");
    app.gql(
        "mutation($i: ID!, $o: ID!, $u: ID!) { removeOrgUnitMembers(input: {instanceId: $i, id: $o, userIds: [$u]}) { orgUnit { id } } }",
        json!({ "i": instance, "o": c, "u": user }),
    )
    .await;
    app.gql(delete, json!({ "i": instance, "id": c })).await;
    app.gql(delete, json!({ "i": instance, "id": b })).await;
    let roots = app.gql("query($i: ID!) { instance(id: $i) { orgUnits { totalCount edges { node { name children { totalCount } } } } } }", json!({ "i": instance })).await;
    assert_eq!(roots["instance"]["orgUnits"]["totalCount"], 1);
    assert_eq!(
        roots["instance"]["orgUnits"]["edges"][0]["node"]["children"]["totalCount"],
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn groups_hold_members_once_and_ids_of_other_instances_are_refused() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let other = app.create_instance("Other").await;
    let alice = app.create_user(&instance, "alice", None).await;
    let stranger = app.create_user(&other, "stranger", None).await;
    let group = app
        .gql("mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Engineering\"}) { group { id } } }", json!({ "i": instance }))
        .await["createGroup"]["group"]["id"]
        .clone();
    let add = "mutation($i: ID!, $g: ID!, $u: [ID!]!) { addGroupMembers(input: {instanceId: $i, id: $g, userIds: $u}) { group { members { totalCount edges { node { username groups { name } } } } } } }";
    let added = app
        .gql(
            add,
            json!({ "i": instance, "g": group, "u": [alice, alice] }),
        )
        .await;
    assert_eq!(
        added["addGroupMembers"]["group"]["members"]["totalCount"],
        1
    );
    let again = app
        .gql(add, json!({ "i": instance, "g": group, "u": [alice] }))
        .await;
    assert_eq!(
        again["addGroupMembers"]["group"]["members"]["totalCount"], 1,
        "adding twice is harmless"
    );
    assert_eq!(
        again["addGroupMembers"]["group"]["members"]["edges"][0]["node"]["groups"][0]["name"],
        "Engineering"
    );

    let cross = app
        .gql_as(
            &app.token,
            add,
            json!({ "i": instance, "g": group, "u": [stranger] }),
        )
        .await;
    assert_eq!(error_code(&cross), "BAD_USER_INPUT");
    assert_eq!(cross["errors"][0]["extensions"]["field"], "userIds");
    let wrong_instance = app
        .gql_as(
            &app.token,
            add,
            json!({ "i": other, "g": group, "u": [stranger] }),
        )
        .await;
    assert_eq!(error_code(&wrong_instance), "NOT_FOUND");

    let dup = app.gql_as(&app.token, "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Engineering\"}) { group { id } } }", json!({ "i": instance })).await;
    assert_eq!(error_code(&dup), "CONFLICT");
    let filtered = app.gql(&format!("query($i: ID!) {{ instance(id: $i) {{ users(filter: {{groupId: \"{}\"}}) {{ totalCount }} }} }}", group.as_str().unwrap()), json!({ "i": instance })).await;
    assert_eq!(filtered["instance"]["users"]["totalCount"], 1);
    app.stop().await;
}
