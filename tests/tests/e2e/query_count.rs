//! A page of users with their groups and org units costs a fixed number of SQL statements,
//! whatever the page size (DataLoaders), counted through `/metrics`.

use lanyard_tests::TestApp;
use serde_json::{json, Value};

const PAGE: &str = "query($i: ID!, $n: Int!) { instance(id: $i) { users(first: $n) { totalCount edges { node { username groups { name } orgUnits { name parent { name } } } } } } }";

#[tokio::test]
async fn a_page_of_100_users_costs_the_same_queries_as_a_page_of_10() {
    // The outbox worker's polls would count too: it polls once at start, then not for an hour.
    let app = TestApp::spawn_with(|config| config.outbox.poll_interval_ms = 3_600_000).await;
    let instance = app.create_instance("Acme").await;
    let mut groups = Vec::new();
    for name in ["Red", "Blue"] {
        let data = app
            .gql("mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { group { id } } }", json!({ "i": instance, "n": name }))
            .await;
        groups.push(data["createGroup"]["group"]["id"].clone());
    }
    let root = app
        .gql("mutation($i: ID!) { createOrgUnit(input: {instanceId: $i, name: \"Root\"}) { orgUnit { id } } }", json!({ "i": instance }))
        .await["createOrgUnit"]["orgUnit"]["id"]
        .clone();
    let unit = app
        .gql("mutation($i: ID!, $p: ID!) { createOrgUnit(input: {instanceId: $i, name: \"Team\", parentId: $p}) { orgUnit { id } } }", json!({ "i": instance, "p": root }))
        .await["createOrgUnit"]["orgUnit"]["id"]
        .clone();
    let rows: Vec<Value> = (0..120)
        .map(
            |i| json!({ "username": format!("u{i:03}"), "groupIds": groups, "orgUnitIds": [unit] }),
        )
        .collect();
    let imported = app
        .gql("mutation($i: ID!, $r: [ImportUserRow!]!) { importUsers(input: {instanceId: $i, users: $r}) { ok } }", json!({ "i": instance, "r": rows }))
        .await;
    assert_eq!(imported["importUsers"]["ok"], true);

    let mut cost = Vec::new();
    for size in [10, 100, 10, 100, 100, 10] {
        let before = app.metric("lanyard_db_statements_total").await;
        let data = app.gql(PAGE, json!({ "i": instance, "n": size })).await;
        let after = app.metric("lanyard_db_statements_total").await;
        let edges = data["instance"]["users"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), size);
        assert!(edges
            .iter()
            .all(|e| e["node"]["groups"].as_array().unwrap().len() == 2));
        assert!(edges
            .iter()
            .all(|e| e["node"]["orgUnits"][0]["parent"]["name"] == "Root"));
        cost.push(after - before);
    }
    assert!(
        cost.iter().all(|c| *c == cost[0]),
        "statements for 10 vs 100 users: {cost:?}"
    );
    assert!(
        cost[1] <= 12.0,
        "a small, fixed number of statements: {cost:?}"
    );
    app.stop().await;
}
