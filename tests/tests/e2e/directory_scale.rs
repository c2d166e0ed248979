//! The directory at scale, as far as a test can tell without a million rows (the benchmark,
//! `cargo bench -p lanyard --bench directory`, measures that): the statements a list, a search,
//! a lookup or a sign-in run use their index on the database the suite runs on (`EXPLAIN`),
//! keyset pages skip and repeat nothing while the directory changes under them, and hostile
//! search strings and cursors are refused or match nothing.

use lanyard_tests::saml::{browser, sign_in};
use lanyard_tests::{error_code, TestApp};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, TransactionTrait,
};
use serde_json::{json, Value};

const IMPORT: &str = "mutation($i: ID!, $rows: [ImportUserRow!]!) { importUsers(input: {instanceId: $i, users: $rows}) { ok errors { row message } } }";
const PAGE: &str = "query($i: ID!, $n: Int!, $after: String, $filter: UserFilter) { instance(id: $i) { users(first: $n, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { username email } } } } }";
const COUNT: &str = "query($i: ID!, $filter: UserFilter) { instance(id: $i) { users(first: 1, filter: $filter) { totalCount } } }";
const PASSWORD: &str = "scale-password-1";

async fn import(app: &TestApp, instance: &str, rows: Vec<Value>) {
    for chunk in rows.chunks(1000) {
        let data = app
            .gql(IMPORT, json!({ "i": instance, "rows": chunk }))
            .await;
        assert_eq!(data["importUsers"]["ok"], true, "{data}");
    }
}

async fn group(app: &TestApp, instance: &str, name: &str) -> String {
    app.id_of(
        "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }",
        json!({ "i": instance, "n": name }),
        &["createGroup", "group", "id"],
    )
    .await
}

async fn unit(app: &TestApp, instance: &str, name: &str, parent: Option<&str>) -> String {
    app.id_of(
        "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { orgUnit { id } } }",
        json!({ "i": instance, "n": name, "p": parent }),
        &["createOrgUnit", "orgUnit", "id"],
    )
    .await
}

/// One page: usernames and the cursor of the next page, if there is one.
async fn page(
    app: &TestApp,
    instance: &str,
    first: u32,
    after: Option<&str>,
    filter: &Value,
) -> (Vec<String>, Option<String>) {
    let data = app
        .gql(
            PAGE,
            json!({ "i": instance, "n": first, "after": after, "filter": filter }),
        )
        .await;
    let users = &data["instance"]["users"];
    let names = users["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap().to_owned())
        .collect();
    let next = users["pageInfo"]["hasNextPage"]
        .as_bool()
        .unwrap()
        .then(|| users["pageInfo"]["endCursor"].as_str().unwrap().to_owned());
    (names, next)
}

/// Every username `filter` lists, following the cursors `first` at a time.
async fn all_pages(app: &TestApp, instance: &str, first: u32, filter: &Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (names, next) = page(app, instance, first, after.as_deref(), filter).await;
        seen.extend(names);
        match next {
            Some(next) => after = Some(next),
            None => return seen,
        }
    }
}

/// The plan of `statement` as the database would run it. On PostgreSQL, sequential scans,
/// bitmap scans and sorts are priced out first: on a small test table the planner would
/// rightly prefer them, and what this checks is that an index can serve the statement, in
/// its order, which is what keeps it flat at a million rows.
async fn explain(db: &DatabaseConnection, statement: &Statement) -> String {
    let values = statement.values.clone().map(|v| v.0).unwrap_or_default();
    let backend = db.get_database_backend();
    let (sql, column) = match backend {
        DbBackend::Postgres => (format!("EXPLAIN {}", statement.sql), "QUERY PLAN"),
        _ => (format!("EXPLAIN QUERY PLAN {}", statement.sql), "detail"),
    };
    let txn = db.begin().await.unwrap();
    if backend == DbBackend::Postgres {
        for setting in ["enable_seqscan", "enable_bitmapscan", "enable_sort"] {
            txn.execute_unprepared(&format!("SET LOCAL {setting} = off"))
                .await
                .unwrap();
        }
    }
    let rows = txn
        .query_all(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", column).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plans of the statements reading `users` that `run` costs the server.
async fn plans_of<F: std::future::Future<Output = ()>>(
    app: &TestApp,
    db: &DatabaseConnection,
    run: F,
) -> Vec<(String, String)> {
    plans_reading(app, db, "FROM \"users\"", run).await
}

/// The plans of the statements holding `sql` that `run` costs the server.
async fn plans_reading<F: std::future::Future<Output = ()>>(
    app: &TestApp,
    db: &DatabaseConnection,
    sql: &str,
    run: F,
) -> Vec<(String, String)> {
    app.db.record();
    run.await;
    let mut plans = Vec::new();
    for statement in app.db.recorded() {
        if statement.sql.contains(sql) {
            plans.push((statement.sql.clone(), explain(db, &statement).await));
        }
    }
    assert!(!plans.is_empty(), "no statement holds {sql}");
    plans
}

/// No statement scans a table whole (SQLite `SCAN`, PostgreSQL `Seq Scan`).
fn assert_no_scan(what: &str, plans: &[(String, String)]) {
    for (sql, plan) in plans {
        let scans = plan.lines().any(|line| {
            let line = line.trim_start_matches(|c: char| !c.is_alphabetic());
            line.starts_with("SCAN ") && !line.starts_with("SCAN CONSTANT")
                || line.contains("Seq Scan")
        });
        assert!(!scans, "{what}: a scan in\n{plan}\nof {sql}");
    }
}

/// Every statement reading users walks `index` over a range (SQLite `SEARCH`, PostgreSQL an
/// index scan with no sort above it), and no table is scanned whole.
fn assert_ranges(what: &str, plans: &[(String, String)], index: &str) {
    assert_no_scan(what, plans);
    let (sql, plan) = plans
        .iter()
        .find(|(_, plan)| plan.contains(index))
        .unwrap_or_else(|| panic!("{what}: no statement uses {index}: {plans:#?}"));
    assert!(
        !plan.contains("TEMP B-TREE FOR ORDER BY") && !plan.contains("Sort"),
        "{what}: sorts instead of walking {index} in order:\n{plan}\nof {sql}"
    );
}

#[tokio::test]
async fn lists_searches_and_lookups_walk_their_indexes() {
    let app = TestApp::spawn().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let instance = app.create_instance("Scale").await;
    let big = group(&app, &instance, "Everyone").await;
    let small = group(&app, &instance, "Few").await;
    let root = unit(&app, &instance, "Acme Corp", None).await;
    let division = unit(&app, &instance, "Engineering", Some(&root)).await;
    // Enough members for the large-set shape of a membership filter (more than 10,000).
    let rows: Vec<Value> = (0..10_050)
        .map(|i| {
            let mut groups = vec![big.clone()];
            if i % 1000 == 0 {
                groups.push(small.clone());
            }
            json!({
                "username": format!("User{i:05}"),
                "email": format!("person{i:05}@scale.example"),
                "externalId": format!("hr-{i}"),
                "groupIds": groups,
                "orgUnitIds": [if i % 2 == 0 { &division } else { &root }],
            })
        })
        .collect();
    import(&app, &instance, rows).await;
    app.gql(
        "mutation($i: ID!) { createUser(input: {instanceId: $i, username: \"signer\", password: \"scale-password-1\"}) { user { id } } }",
        json!({ "i": instance }),
    )
    .await;

    // A page of a set's members is a range of the member index's primary key.
    let member_index = match lanyard_tests::backend_name() {
        "sqlite" => "member_index USING PRIMARY KEY (holder_kind=? AND holder_id=?",
        _ => "member_index_pkey",
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("the first page", json!({}), "ux_users_username"),
        (
            "a username prefix, any case",
            json!({ "search": "uSeR0004" }),
            "ix_users_username_key",
        ),
        (
            "an email prefix",
            json!({ "search": "person0004" }),
            "ux_users_email",
        ),
        (
            "an exact username",
            json!({ "username": "User00042" }),
            "ux_users_username",
        ),
        (
            "an external id",
            json!({ "externalId": "hr-42" }),
            "ix_users_external_id",
        ),
        ("a large group", json!({ "groupId": big }), member_index),
        ("a small group", json!({ "groupId": small }), member_index),
        (
            "a search in a large group",
            json!({ "groupId": big, "search": "user01" }),
            "ix_users_username_key",
        ),
        (
            "a large subtree",
            json!({ "orgUnitId": root }),
            member_index,
        ),
        (
            "a small subtree",
            json!({ "orgUnitId": division }),
            member_index,
        ),
        (
            "an org unit's own members",
            json!({ "orgUnitId": root, "includeSubUnits": false }),
            member_index,
        ),
    ];
    for (what, filter, index) in &cases {
        let plans = plans_of(&app, &db, async {
            page(&app, &instance, 20, None, filter).await;
        })
        .await;
        assert_ranges(what, &plans, index);
    }
    // A search in a small set: the set drives the query (its members, found by primary key,
    // then sorted), on SQLite because the set's size chose that shape; PostgreSQL plans it
    // from statistics.
    for (what, filter) in [
        (
            "a search in a small group",
            json!({ "groupId": small, "search": "user" }),
        ),
        (
            "a search in a small subtree",
            json!({ "orgUnitId": division, "search": "user0" }),
        ),
    ] {
        let plans = plans_of(&app, &db, async {
            page(&app, &instance, 20, None, &filter).await;
        })
        .await;
        assert_no_scan(what, &plans);
        if lanyard_tests::backend_name() == "sqlite" {
            assert!(
                plans.iter().all(|(_, plan)| plan
                    .contains("SEARCH users USING INDEX sqlite_autoindex_users_1 (id=?)")),
                "{what}: {plans:#?}"
            );
        }
    }

    // A deep page costs what the first does: the cursor is a position in the index.
    let (_, cursor) = page(&app, &instance, 100, None, &json!({})).await;
    let (_, deeper) = page(&app, &instance, 100, cursor.as_deref(), &json!({})).await;
    let plans = plans_of(&app, &db, async {
        page(&app, &instance, 100, deeper.as_deref(), &json!({})).await;
    })
    .await;
    assert_ranges("a page after a cursor", &plans, "ux_users_username");
    let members = json!({ "orgUnitId": root });
    let (_, cursor) = page(&app, &instance, 100, None, &members).await;
    let plans = plans_of(&app, &db, async {
        page(&app, &instance, 100, cursor.as_deref(), &members).await;
    })
    .await;
    assert_ranges("a member page after a cursor", &plans, member_index);
    let (_, cursor) = page(&app, &instance, 5, None, &json!({ "search": "user" })).await;
    let plans = plans_of(&app, &db, async {
        page(
            &app,
            &instance,
            5,
            cursor.as_deref(),
            &json!({ "search": "user" }),
        )
        .await;
    })
    .await;
    assert_ranges(
        "a search page after a cursor",
        &plans,
        "ix_users_username_key",
    );

    // Signing in looks the account up by its exact username.
    let login = format!("{}/sso/{instance}/login", app.base);
    let plans = plans_of(&app, &db, async {
        let signed_in = sign_in(&app.base, &browser(), &login, "signer", PASSWORD).await;
        assert_eq!(signed_in.status(), 303);
    })
    .await;
    assert_ranges("sign-in", &plans, "ux_users_username");

    // A move of a unit changes the rows of its members in the subtrees it leaves and joins,
    // found through their user ids, not by reading every member of those subtrees.
    for parent in [None, Some(&root)] {
        let plans = plans_reading(&app, &db, "\"member_index\"", async {
            app.gql(
                "mutation($i: ID!, $id: ID!, $p: ID) { moveOrgUnit(input: {instanceId: $i, id: $id, parentId: $p}) { orgUnit { id } } }",
                json!({ "i": instance, "id": division, "p": parent }),
            )
            .await;
        })
        .await;
        assert_no_scan("a move", &plans);
        if parent.is_none() {
            let (sql, plan) = plans
                .iter()
                .find(|(sql, _)| sql.starts_with("DELETE"))
                .expect("a move out of a subtree deletes rows");
            // PostgreSQL may as well walk the left subtree's range, as its statistics say.
            let by_user =
                lanyard_tests::backend_name() != "sqlite" || plan.contains("ix_member_index_user");
            assert!(
                by_user && plan.contains("ix_org_unit_members_user"),
                "{plan}\nof {sql}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn member_pages_and_both_shapes_of_a_search_in_a_set_find_the_same_members() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Shapes").await;
    let everyone = group(&app, &instance, "Everyone").await;
    let root = unit(&app, &instance, "Root", None).await;
    let child = unit(&app, &instance, "Child", Some(&root)).await;
    let other = unit(&app, &instance, "Other", None).await;
    let rows: Vec<Value> = (0..10_020)
        .map(|i| {
            let unit = match i % 3 {
                0 => &root,
                1 => &child,
                _ => &other,
            };
            let groups: Vec<&String> = if i % 10 == 0 { vec![] } else { vec![&everyone] };
            json!({ "username": format!("m{i:05}"), "groupIds": groups, "orgUnitIds": [unit] })
        })
        .collect();
    import(&app, &instance, rows).await;
    // The group has 9,018 members and root's subtree 6,680: a search within either gathers
    // the set; the member pages walk the member index.
    let expected_group: Vec<String> = (0..10_020)
        .filter(|i| i % 10 != 0)
        .map(|i| format!("m{i:05}"))
        .collect();
    let expected_subtree: Vec<String> = (0..10_020)
        .filter(|i| i % 3 != 2)
        .map(|i| format!("m{i:05}"))
        .collect();
    let expected_root_only: Vec<String> = (0..10_020)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("m{i:05}"))
        .collect();
    for (filter, expected) in [
        (json!({ "groupId": everyone }), &expected_group),
        (json!({ "orgUnitId": root }), &expected_subtree),
    ] {
        let seen = all_pages(&app, &instance, 100, &filter).await;
        assert_eq!(&seen, expected, "{filter}");
        let count = app
            .gql(COUNT, json!({ "i": instance, "filter": filter }))
            .await;
        assert_eq!(
            count["instance"]["users"]["totalCount"],
            expected.len(),
            "{filter}"
        );
    }
    let in_search = |expected: &[String]| -> Vec<String> {
        expected
            .iter()
            .filter(|name| name.starts_with("m01"))
            .cloned()
            .collect()
    };
    let searched = |filter: &Value| {
        let mut filter = filter.clone();
        filter["search"] = json!("M01");
        filter
    };
    for (filter, expected) in [
        (json!({ "groupId": everyone }), &expected_group),
        (json!({ "orgUnitId": root }), &expected_subtree),
    ] {
        let seen = all_pages(&app, &instance, 100, &searched(&filter)).await;
        assert_eq!(seen, in_search(expected), "gathered: {filter}");
    }
    // Over 10,000 members: a search walks its range and looks each user's membership up;
    // the member pages are the same walk of the index as before.
    import(
        &app,
        &instance,
        (0..3_400)
            .map(|i| json!({ "username": format!("n{i:05}"), "groupIds": [everyone], "orgUnitIds": [child] }))
            .collect(),
    )
    .await;
    for (filter, expected, added) in [
        (json!({ "groupId": everyone }), &expected_group, 3_400),
        (json!({ "orgUnitId": root }), &expected_subtree, 3_400),
        (
            json!({ "orgUnitId": root, "includeSubUnits": false }),
            &expected_root_only,
            0,
        ),
    ] {
        let (first, next) = page(&app, &instance, 100, None, &filter).await;
        assert_eq!(first, expected[..100], "{filter}");
        let (second, _) = page(&app, &instance, 100, next.as_deref(), &filter).await;
        assert_eq!(second, expected[100..200], "{filter}");
        let seen = all_pages(&app, &instance, 100, &searched(&filter)).await;
        assert_eq!(seen, in_search(expected), "walked: {filter}");
        let count = app
            .gql(COUNT, json!({ "i": instance, "filter": filter }))
            .await;
        assert_eq!(
            count["instance"]["users"]["totalCount"],
            expected.len() + added,
            "{filter}"
        );
    }
    // The estimate is exact up to 10,000, beyond that an estimate of more.
    let estimate = |filter: Value| {
        let app = &app;
        let instance = instance.clone();
        async move {
            app.gql(
                "query($i: ID!, $filter: UserFilter) { instance(id: $i) { users(first: 1, filter: $filter) { totalCountEstimate { count exact } } } }",
                json!({ "i": instance, "filter": filter }),
            )
            .await["instance"]["users"]["totalCountEstimate"]
                .clone()
        }
    };
    assert_eq!(
        estimate(json!({ "orgUnitId": root, "includeSubUnits": false })).await,
        json!({ "count": expected_root_only.len(), "exact": true })
    );
    let estimated = estimate(json!({ "groupId": everyone })).await;
    assert_eq!(estimated["exact"], false, "{estimated}");
    assert!(estimated["count"].as_u64().unwrap() > 10_000, "{estimated}");
    app.stop().await;
}

/// The usernames `filter` lists, and its `totalCount`, which must agree.
async fn members(app: &TestApp, instance: &str, filter: Value) -> Vec<String> {
    let seen = all_pages(app, instance, 2, &filter).await;
    let count = app
        .gql(COUNT, json!({ "i": instance, "filter": filter }))
        .await;
    assert_eq!(
        count["instance"]["users"]["totalCount"],
        seen.len(),
        "{filter}"
    );
    seen
}

#[tokio::test]
async fn member_pages_follow_every_change_of_memberships_names_and_the_tree() {
    let app = TestApp::spawn().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let instance = app.create_instance("Changes").await;
    let team = group(&app, &instance, "Team").await;
    let acme = unit(&app, &instance, "Acme", None).await;
    let sales = unit(&app, &instance, "Sales", Some(&acme)).await;
    let labs = unit(&app, &instance, "Labs", None).await;
    let data = app
        .gql(
            "mutation($i: ID!, $rows: [ImportUserRow!]!) { importUsers(input: {instanceId: $i, users: $rows}) { ok users { id username } } }",
            json!({ "i": instance, "rows": [
                { "username": "ann", "groupIds": [team], "orgUnitIds": [acme] },
                // In a unit and in its parent: once in the parent's subtree.
                { "username": "bob", "groupIds": [team], "orgUnitIds": [acme, sales] },
                { "username": "cat", "groupIds": [team] },
                { "username": "dan", "orgUnitIds": [sales] },
                { "username": "eve", "orgUnitIds": [labs] },
                { "username": "fay" },
            ]}),
        )
        .await;
    let id = |name: &str| -> String {
        data["importUsers"]["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let of_group = || json!({ "groupId": team });
    let subtree = |unit: &str| json!({ "orgUnitId": unit });
    let own = |unit: &str| json!({ "orgUnitId": unit, "includeSubUnits": false });
    assert_eq!(
        members(&app, &instance, of_group()).await,
        ["ann", "bob", "cat"]
    );
    assert_eq!(
        members(&app, &instance, subtree(&acme)).await,
        ["ann", "bob", "dan"]
    );
    assert_eq!(members(&app, &instance, own(&acme)).await, ["ann", "bob"]);
    assert_eq!(
        members(&app, &instance, subtree(&sales)).await,
        ["bob", "dan"]
    );

    let change = |mutation: &str, input: Value| {
        let app = &app;
        let mutation = format!(
            "mutation($input: {}) {{ {mutation}(input: $input) {{ __typename }} }}",
            input_type(mutation)
        );
        async move {
            app.gql(&mutation, json!({ "input": input })).await;
        }
    };
    // A rename moves the user to her new place in every list she is in.
    change(
        "updateUser",
        json!({ "id": id("bob"), "instanceId": instance, "username": "zed" }),
    )
    .await;
    assert_eq!(
        members(&app, &instance, of_group()).await,
        ["ann", "cat", "zed"]
    );
    assert_eq!(
        members(&app, &instance, subtree(&acme)).await,
        ["ann", "dan", "zed"]
    );
    // Members come and go.
    let members_of = |holder: &str, users: &[&str]| json!({ "id": holder, "instanceId": instance, "userIds": users.iter().map(|u| id(u)).collect::<Vec<_>>() });
    change("addGroupMembers", members_of(&team, &["fay", "eve"])).await;
    change("removeGroupMembers", members_of(&team, &["ann"])).await;
    assert_eq!(
        members(&app, &instance, of_group()).await,
        ["cat", "eve", "fay", "zed"]
    );
    change("addOrgUnitMembers", members_of(&labs, &["dan"])).await;
    change("removeOrgUnitMembers", members_of(&sales, &["dan"])).await;
    assert_eq!(
        members(&app, &instance, subtree(&acme)).await,
        ["ann", "zed"]
    );
    assert_eq!(
        members(&app, &instance, subtree(&labs)).await,
        ["dan", "eve"]
    );
    // A moved unit takes its members into its new ancestors' subtrees, and out of the old
    // ones' (bob, now zed, stays in Acme's as a member of Acme itself).
    change(
        "moveOrgUnit",
        json!({ "id": sales, "instanceId": instance, "parentId": labs }),
    )
    .await;
    assert_eq!(
        members(&app, &instance, subtree(&labs)).await,
        ["dan", "eve", "zed"]
    );
    assert_eq!(
        members(&app, &instance, subtree(&acme)).await,
        ["ann", "zed"]
    );
    change("removeOrgUnitMembers", members_of(&acme, &["bob"])).await;
    assert_eq!(members(&app, &instance, subtree(&acme)).await, ["ann"]);
    change(
        "moveOrgUnit",
        json!({ "id": sales, "instanceId": instance }),
    )
    .await;
    assert_eq!(
        members(&app, &instance, subtree(&labs)).await,
        ["dan", "eve"]
    );
    assert_eq!(members(&app, &instance, subtree(&sales)).await, ["zed"]);
    // Deleted users and groups leave nothing behind.
    change(
        "deleteUser",
        json!({ "id": id("eve"), "instanceId": instance }),
    )
    .await;
    assert_eq!(
        members(&app, &instance, of_group()).await,
        ["cat", "fay", "zed"]
    );
    assert_eq!(members(&app, &instance, subtree(&labs)).await, ["dan"]);
    change("deleteGroup", json!({ "id": team, "instanceId": instance })).await;
    assert!(members(&app, &instance, of_group()).await.is_empty());
    let left = db
        .query_one(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                DbBackend::Postgres => {
                    "SELECT count(*) AS n FROM member_index WHERE holder_id = $1"
                }
                _ => "SELECT count(*) AS n FROM member_index WHERE holder_id = ?",
            },
            [team.clone().into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(left, 0, "rows of the deleted group");
    app.stop().await;
}

/// The input type of a directory mutation.
fn input_type(mutation: &str) -> &'static str {
    match mutation {
        "updateUser" => "UpdateUserInput!",
        "addGroupMembers" | "removeGroupMembers" | "addOrgUnitMembers" | "removeOrgUnitMembers" => {
            "MembersInput!"
        }
        "moveOrgUnit" => "MoveOrgUnitInput!",
        "deleteUser" => "UserRefInput!",
        _ => "ObjectRefInput!",
    }
}

#[tokio::test]
async fn searches_match_usernames_then_emails_once_each_in_any_case() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Search").await;
    import(
        &app,
        &instance,
        vec![
            json!({ "username": "Ann.Lee", "email": "ann.lee@corp.example" }),
            json!({ "username": "annika", "email": "nika@corp.example" }),
            json!({ "username": "zhang.wei", "email": "Ann.Zhang@corp.example" }),
            json!({ "username": "bob", "email": "bob@corp.example" }),
            json!({ "username": "ann_2" }),
            json!({ "username": "annex" }),
        ],
    )
    .await;
    for search in ["ann", "ANN", " Ann "] {
        let (names, next) = page(&app, &instance, 10, None, &json!({ "search": search })).await;
        // Username matches by lower-case username, then the email-only match.
        assert_eq!(
            names,
            ["Ann.Lee", "ann_2", "annex", "annika", "zhang.wei"],
            "{search:?}"
        );
        assert_eq!(next, None);
    }
    // The same, two by two: the cursor crosses from usernames to emails.
    let seen = all_pages(&app, &instance, 2, &json!({ "search": "ann" })).await;
    assert_eq!(seen, ["Ann.Lee", "ann_2", "annex", "annika", "zhang.wei"]);
    let count = app
        .gql(
            COUNT,
            json!({ "i": instance, "filter": { "search": "ann" } }),
        )
        .await;
    assert_eq!(count["instance"]["users"]["totalCount"], 5);
    // Wildcards are characters like any other.
    for literal in ["%", "_", "ann%", "ann_", "\\", "ann\\", "a%n"] {
        let (names, _) = page(&app, &instance, 10, None, &json!({ "search": literal })).await;
        let expected: Vec<&str> = if literal == "ann_" {
            vec!["ann_2"]
        } else {
            vec![]
        };
        assert_eq!(names, expected, "{literal:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn keyset_pages_skip_and_repeat_nothing_while_users_come_and_go() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Churn").await;
    let rows: Vec<Value> = (0..60)
        .map(|i| json!({ "username": format!("k{:03}", i * 10), "email": format!("k{:03}@churn.example", i * 10) }))
        .collect();
    import(&app, &instance, rows).await;
    let ids: Value = app
        .gql(
            "query($i: ID!) { instance(id: $i) { users(first: 100) { edges { node { id username } } } } }",
            json!({ "i": instance }),
        )
        .await;
    let id_of = |name: &str| -> String {
        ids["instance"]["users"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["username"] == name)
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let mut deleted: Vec<String> = Vec::new();
    for filter in [json!({}), json!({ "search": "k" })] {
        let tag = if filter.get("search").is_some() {
            "s"
        } else {
            "p"
        };
        let mut seen: Vec<String> = Vec::new();
        let mut after: Option<String> = None;
        let mut round = 0;
        loop {
            let (names, next) = page(&app, &instance, 7, after.as_deref(), &filter).await;
            seen.extend(names);
            // Between pages: a user appears behind the cursor, one ahead of it, and every
            // other round one of the original users ahead of it goes away.
            let last = seen.last().cloned().unwrap();
            let n: u32 = last[1..4].parse().unwrap();
            let behind = format!("k{:03}{tag}{round}", n.saturating_sub(15));
            let ahead = format!("k{:03}{tag}{round}", n + 25);
            app.create_user(&instance, &behind, None).await;
            app.create_user(&instance, &ahead, None).await;
            let doomed = format!("k{:03}", (n / 10 + 4) * 10);
            if round % 2 == 0 && n + 40 < 600 && !deleted.contains(&doomed) {
                app.gql(
                    "mutation($i: ID!, $id: ID!) { deleteUser(input: {instanceId: $i, id: $id}) { deletedId } }",
                    json!({ "i": instance, "id": id_of(&doomed) }),
                )
                .await;
                deleted.push(doomed);
            }
            round += 1;
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert!(
            seen.iter().all(|name| !deleted.contains(name)),
            "{filter}: a user deleted ahead of the cursor was listed: {seen:?}"
        );
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            seen.len(),
            "{filter}: a user repeated: {seen:?}"
        );
        assert_eq!(sorted, seen, "{filter}: out of order: {seen:?}");
        // Every original user that was not deleted before the pages reached it was listed.
        let current = all_pages(&app, &instance, 100, &json!({})).await;
        for i in 0..60 {
            let name = format!("k{:03}", i * 10);
            if current.contains(&name) {
                assert!(seen.contains(&name), "{filter}: {name} skipped: {seen:?}");
            }
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn hostile_searches_and_cursors_are_refused_or_match_nothing() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Hostile").await;
    import(
        &app,
        &instance,
        (0..5)
            .map(|i| json!({ "username": format!("h{i}"), "email": format!("h{i}@x.example") }))
            .collect(),
    )
    .await;
    let ask = |filter: Value, after: Option<String>| {
        let app = &app;
        let instance = instance.clone();
        async move {
            app.try_gql(
                PAGE,
                json!({ "i": instance, "n": 5, "after": after, "filter": filter }),
            )
            .await
            .unwrap()
        }
    };
    let long = "h".repeat(10 * 1024);
    let body = ask(json!({ "search": long }), None).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "filter.search");
    // NUL, which PostgreSQL cannot hold in text, is refused before any resolver runs.
    let body = ask(json!({ "search": "h\u{0}" }), None).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let (_, search_cursor) = page(&app, &instance, 1, None, &json!({ "search": "h" })).await;
    let (_, list_cursor) = page(&app, &instance, 1, None, &json!({})).await;
    for (filter, cursor) in [
        (json!({}), b64(&[0xff, 0xfe, 0x00])),
        (json!({}), "%%%".to_owned()),
        (json!({}), "A".repeat(5000)),
        (json!({}), search_cursor.clone().unwrap()),
        (json!({ "search": "h" }), list_cursor.clone().unwrap()),
        (json!({ "search": "h" }), b64(b"~n\tonly-two")),
        (json!({ "search": "h" }), b64(b"~q\tx")),
    ] {
        let body = ask(filter.clone(), Some(cursor.clone())).await;
        assert_eq!(
            error_code(&body),
            "BAD_USER_INPUT",
            "{filter} {cursor}: {body}"
        );
    }
    // A cursor that decodes but points nowhere in particular pages from there.
    let body = ask(json!({}), Some(b64(b"zzzz"))).await;
    assert_eq!(
        body["data"]["instance"]["users"]["edges"],
        json!([]),
        "{body}"
    );
    let body = ask(json!({ "search": "h" }), Some(b64(b"~e\t\xef\xbf\xbf"))).await;
    assert_eq!(
        body["data"]["instance"]["users"]["edges"],
        json!([]),
        "{body}"
    );
    app.stop().await;
}
