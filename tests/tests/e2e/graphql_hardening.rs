//! The GraphQL endpoint refuses what it must: GET execution, text/plain, batches, oversized
//! bodies, documents too deep or with too many aliases, introspection when not configured.

use lanyard_tests::{error_code, TestApp};
use serde_json::{json, Value};

const MUTATION: &str =
    "mutation { createInstance(input: {name: \"via-get\"}) { instance { id } } }";

async fn instance_count(app: &TestApp) -> u64 {
    app.gql("{ instances { totalCount } }", json!({})).await["instances"]["totalCount"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn no_mutation_over_get_nor_as_text_plain_nor_in_a_batch() {
    let app = TestApp::spawn().await;
    let url = format!("{}/graphql", app.base);

    let get = app
        .http
        .get(&url)
        .bearer_auth(&app.token)
        .query(&[("query", MUTATION)])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);

    let text = app
        .http
        .post(&url)
        .bearer_auth(&app.token)
        .header("content-type", "text/plain")
        .body(json!({ "query": MUTATION }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    let body: Value = text.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    let form = app
        .http
        .post(&url)
        .bearer_auth(&app.token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("query={MUTATION}"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);

    let batch = app
        .http
        .post(&url)
        .bearer_auth(&app.token)
        .json(&json!([{ "query": MUTATION }, { "query": MUTATION }]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), 400);
    let body: Value = batch.json().await.unwrap();
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("batch"));

    assert_eq!(
        instance_count(&app).await,
        0,
        "none of the refused mutations ran"
    );
    app.stop().await;
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_clear_errors() {
    let app = TestApp::spawn().await;
    let url = format!("{}/graphql", app.base);
    for body in ["{", "null", "\"query\"", "{\"query\": 5}", "\u{0}\u{1}"] {
        let response = app
            .http
            .post(&url)
            .bearer_auth(&app.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body:?}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(error_code(&json), "BAD_USER_INPUT", "{body:?}");
    }
    let huge =
        json!({ "query": format!("{{ viewer {{ id }} }} #{}", "x".repeat(3 * 1024 * 1024)) });
    let response = app
        .http
        .post(&url)
        .bearer_auth(&app.token)
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);

    for (query, variables) in [
        (
            "query($id: ID!) { instance(id: $id) { id } }",
            json!({ "id": "\u{0}" }),
        ),
        ("{ instance(id: \"a\\u0000b\") { id } }", json!({})),
    ] {
        let body = app.gql_as(&app.token, query, variables).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
    }
    let garbage = app.gql_as(&app.token, "{ viewer { id ", json!({})).await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
    let unknown = app.gql_as(&app.token, "{ nope }", json!({})).await;
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
    let bad_variable = app
        .gql_as(
            &app.token,
            "query($id: ID!) { instance(id: $id) { id } }",
            json!({ "id": [1, 2] }),
        )
        .await;
    assert_eq!(error_code(&bad_variable), "BAD_USER_INPUT");
    app.stop().await;
}

#[tokio::test]
async fn depth_complexity_and_alias_limits_hold() {
    let app = TestApp::spawn().await;
    let deep = "{ instances(first: 1) { edges { node { users(first: 1) { edges { node { groups { members(first: 1) { edges { node { orgUnits { parent { parent { parent { parent { id } } } } } } } } } } } } } } } }";
    let body = app.gql_as(&app.token, deep, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("deep"),
        "{body}"
    );

    let aliases: String = (0..40).map(|i| format!("a{i}: viewer {{ id }} ")).collect();
    let body = app
        .gql_as(&app.token, &format!("{{ {aliases} }}"), json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aliases"),
        "{body}"
    );

    let costly = "{ instances(first: 100) { edges { node { users(first: 100) { edges { node { id groups { id } } } } } } } }";
    let body = app.gql_as(&app.token, costly, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn introspection_only_when_configured() {
    let app = TestApp::spawn().await;
    let body = app
        .gql_as(
            &app.token,
            "{ __schema { queryType { name } } __type(name: \"User\") { name } }",
            json!({}),
        )
        .await;
    assert!(
        body["data"]["__schema"].is_null(),
        "introspection is off by default: {body}"
    );
    assert!(
        body["data"]["__type"].is_null(),
        "introspection is off by default: {body}"
    );
    let page = app
        .http
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 405, "no GraphiQL page by default");
    app.stop().await;

    let app = TestApp::spawn_with(|c| c.graphql.introspection = Some(true)).await;
    let body = app
        .gql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(body["__schema"]["queryType"]["name"], "QueryRoot");
    let page = app
        .http
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("graphiql"));
    app.stop().await;
}

#[tokio::test]
async fn errors_never_leak_internals_and_health_endpoints_answer() {
    let app = TestApp::spawn().await;
    let body = app
        .gql_as(
            &app.token,
            "{ instance(id: \"does-not-exist\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    for path in ["/healthz", "/readyz"] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    assert!(app.metric("lanyard_db_statements_total").await > 0.0);
    let missing = app
        .http
        .get(format!("{}/nope", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "NOT_FOUND");
    app.stop().await;
}
