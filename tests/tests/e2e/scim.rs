//! SCIM 2.0 provisioning (issue 21) over real HTTP, on SQLite and PostgreSQL: the request
//! sequences Okta's and Microsoft Entra ID's provisioning clients send, as their documentation
//! shows them (user lookup by `userName eq`, create, deactivate by PATCH, group membership by
//! member value), hostile input answered with SCIM errors and nothing half-applied, and a
//! provisioned user signing in and single-signing-on — until SCIM sets her `active: false`.

use lanyard_tests::saml::{browser, posted_form, sign_in, tenant, PASSWORD};
use lanyard_tests::TestApp;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A provisioning client of one instance.
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// What the server answered: status, headers, JSON body (`Null` when empty).
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    /// Asserts a SCIM error of `status` and `scim_type`, with a detail for the client's log.
    fn refused(&self, status: u16, scim_type: Option<&str>) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["schemas"], json!([ERROR]), "{}", self.body);
        assert_eq!(self.body["status"], status.to_string());
        assert_eq!(self.body["scimType"].as_str(), scim_type, "{}", self.body);
        assert!(
            self.body["detail"].as_str().is_some_and(|d| d.len() > 8),
            "{}",
            self.body
        );
        assert_eq!(self.headers["content-type"], "application/scim+json");
    }
}

impl Client {
    async fn new(app: &TestApp, instance: &str, name: &str) -> Client {
        let created = app
            .gql(
                "mutation($i: ID!, $n: String!) { createProvisioningToken(input: {instanceId: $i, name: $n}) { secret scimBaseUrl provisioningToken { id name } } }",
                json!({ "i": instance, "n": name }),
            )
            .await;
        let created = &created["createProvisioningToken"];
        let url = created["scimBaseUrl"].as_str().unwrap();
        assert_eq!(url, format!("http://127.0.0.1/scim/v2/{instance}"));
        Client {
            http: reqwest::Client::new(),
            base: url.replacen("http://127.0.0.1", &app.base, 1),
            token: created["secret"].as_str().unwrap().to_owned(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/scim+json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status} not JSON: {text}"))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(&body)).await
    }
    async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, path, Some(&body)).await
    }
    async fn patch(&self, path: &str, operations: Value) -> Answer {
        let body = json!({ "schemas": [PATCH_OP], "Operations": operations });
        self.send(reqwest::Method::PATCH, path, Some(&body)).await
    }
    async fn delete(&self, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

/// A query parameter's value, percent-encoded.
fn filter(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn status_of(app: &TestApp, instance: &str, user: &str) -> Value {
    app.gql(
        "query($i: ID!, $u: ID!) { instance(id: $i) { user(id: $u) { status username email } } }",
        json!({ "i": instance, "u": user }),
    )
    .await["instance"]["user"]
        .clone()
}

async fn audited(app: &TestApp, instance: &str, action: &str) -> Vec<Value> {
    app.gql(
        "query($i: ID!, $a: String!) { auditEvents(instanceId: $i, filter: {action: $a}) { nodes { summary actor { kind name } } } }",
        json!({ "i": instance, "a": action }),
    )
    .await["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn okta_provisions_a_user_deactivates_her_and_manages_a_group() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let okta = Client::new(&app, &instance, "Okta").await;

    // Discovery says what is true.
    let config = okta.get("/ServiceProviderConfig").await;
    assert_eq!(config.status, 200);
    assert_eq!(config.body["patch"]["supported"], true);
    assert_eq!(config.body["filter"]["maxResults"], 200);
    assert_eq!(config.body["bulk"]["supported"], true);
    assert_eq!(config.body["bulk"]["maxOperations"], 1000);
    let types = okta.get("/ResourceTypes").await;
    assert_eq!(types.body["totalResults"], 2);
    let schemas = okta.get("/Schemas").await;
    let ids: Vec<&str> = schemas.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [USER, ENTERPRISE, GROUP]);
    okta.get("/Me").await.refused(501, None);

    // Okta looks the user up, then creates her.
    let lookup = okta
        .get(&format!(
            "/Users?filter={}&startIndex=1&count=100",
            filter("userName eq \"dana@acme.example\"")
        ))
        .await;
    assert_eq!(lookup.status, 200);
    assert_eq!(lookup.body["totalResults"], 0);
    assert_eq!(lookup.body["Resources"], json!([]));
    let created = okta
        .post(
            "/Users",
            json!({
                "schemas": [USER],
                "userName": "dana@acme.example",
                "name": { "givenName": "Dana", "familyName": "Scully" },
                "emails": [{ "primary": true, "value": "dana@acme.example", "type": "work" }],
                "displayName": "Dana Scully",
                "locale": "en-US",
                "externalId": "00u1ab2cd3EFGH4IJ5K6",
                "groups": [],
                "password": "okta-generated password 1",
                "active": true,
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let dana = created.body["id"].as_str().unwrap().to_owned();
    let location = created.headers["location"].to_str().unwrap();
    assert_eq!(
        location,
        format!("http://127.0.0.1/scim/v2/{instance}/Users/{dana}")
    );
    assert_eq!(created.body["name"]["familyName"], "Scully");
    assert_eq!(created.body["locale"], "en-US", "kept, not dropped");
    assert!(created.body.get("password").is_none(), "never returned");
    assert_eq!(created.body["active"], true);
    let etag = created.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(created.body["meta"]["version"], etag);

    // The same user is found by userName (any case) and read by id.
    let found = okta
        .get(&format!(
            "/Users?filter={}",
            filter("userName eq \"DANA@acme.example\"")
        ))
        .await;
    assert_eq!(found.body["totalResults"], 1, "{}", found.body);
    assert_eq!(found.body["Resources"][0]["id"], dana);
    let read = okta.get(&format!("/Users/{dana}")).await;
    assert_eq!(read.body["userName"], "dana@acme.example");
    assert_eq!(read.body["externalId"], "00u1ab2cd3EFGH4IJ5K6");
    let duplicate = okta
        .post(
            "/Users",
            json!({ "schemas": [USER], "userName": "dana@acme.example" }),
        )
        .await;
    duplicate.refused(409, Some("uniqueness"));

    // A profile update (PUT) and deactivation (PATCH, Okta's shape).
    let mut profile = read.body.clone();
    profile["displayName"] = json!("Dana K. Scully");
    profile["title"] = json!("Special Agent");
    let replaced = okta.put(&format!("/Users/{dana}"), profile).await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(replaced.body["title"], "Special Agent");
    assert_ne!(replaced.headers["etag"].to_str().unwrap(), etag);
    let deactivated = okta
        .patch(
            &format!("/Users/{dana}"),
            json!([{ "op": "replace", "value": { "active": false } }]),
        )
        .await;
    assert_eq!(deactivated.status, 200, "{}", deactivated.body);
    assert_eq!(deactivated.body["active"], false);
    assert_eq!(
        status_of(&app, &instance, &dana).await["status"],
        "DISABLED"
    );
    let changes = audited(&app, &instance, "setUserStatus").await;
    assert_eq!(
        changes[0]["actor"],
        json!({ "kind": "provisioning", "name": "Okta" })
    );
    let inactive = okta
        .get(&format!("/Users?filter={}", filter("active eq false")))
        .await;
    assert_eq!(inactive.body["totalResults"], 1);

    // Groups: created, a member added and removed by value, deleted.
    let group = okta
        .post(
            "/Groups",
            json!({ "schemas": [GROUP], "displayName": "Agents", "members": [] }),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.body);
    let agents = group.body["id"].as_str().unwrap().to_owned();
    let added = okta
        .patch(
            &format!("/Groups/{agents}"),
            json!([{ "op": "add", "path": "members", "value": [{ "value": dana, "display": "dana@acme.example" }] }]),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.body["members"][0]["value"], dana);
    let member_of = okta.get(&format!("/Users/{dana}")).await;
    assert_eq!(member_of.body["groups"][0]["display"], "Agents");
    let by_member = okta
        .get(&format!(
            "/Groups?filter={}",
            filter(&format!("members[value eq \"{dana}\"]"))
        ))
        .await;
    assert_eq!(by_member.body["totalResults"], 1, "{}", by_member.body);
    let removed = okta
        .patch(
            &format!("/Groups/{agents}"),
            json!([{ "op": "remove", "path": format!("members[value eq \"{dana}\"]") }]),
        )
        .await;
    assert_eq!(removed.body["members"], json!([]));
    let members_events = audited(&app, &instance, "changeGroupMembers").await;
    assert_eq!(members_events.len(), 2, "added, then removed");
    assert_eq!(okta.delete(&format!("/Groups/{agents}")).await.status, 204);
    okta.get(&format!("/Groups/{agents}"))
        .await
        .refused(404, None);
    assert_eq!(okta.delete(&format!("/Users/{dana}")).await.status, 204);
    okta.get(&format!("/Users/{dana}")).await.refused(404, None);

    // The audit log tells the token's changes apart from the admins'.
    let by_tokens = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, first: 100, filter: {actorKind: \"provisioning\"}) { nodes { action actor { kind name } } } }",
            json!({ "i": instance }),
        )
        .await;
    let nodes = by_tokens["auditEvents"]["nodes"].as_array().unwrap();
    assert!(nodes.len() >= 8, "{by_tokens}");
    assert!(nodes
        .iter()
        .all(|n| n["actor"]["kind"] == "provisioning" && n["actor"]["name"] == "Okta"));
    assert_eq!(nodes.last().unwrap()["action"], "createUser");
    let created = audited(&app, &instance, "createProvisioningToken").await;
    assert_eq!(created[0]["summary"]["name"], "Okta");
    assert_eq!(created[0]["actor"]["kind"], "token");
    app.stop().await;
}

#[tokio::test]
async fn entra_id_provisions_with_the_enterprise_extension_and_capitalised_operations() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let entra = Client::new(&app, &instance, "Microsoft Entra ID").await;
    let lookup = entra
        .get(&format!(
            "/Users?filter={}",
            filter("userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\"")
        ))
        .await;
    assert_eq!(lookup.body["totalResults"], 0);
    // Entra's create, as its documentation shows it.
    let created = entra
        .post(
            "/Users",
            json!({
                "schemas": [USER, ENTERPRISE],
                "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
                "active": true,
                "emails": [{ "primary": true, "type": "work", "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
                "meta": { "resourceType": "User" },
                "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
                "roles": [],
                ENTERPRISE: { "employeeNumber": "1234", "department": "Sales", "manager": { "value": "26118915-6090-4610-87e4-49d8ca9f808d" } },
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["schemas"], json!([USER, ENTERPRISE]));
    assert_eq!(created.body[ENTERPRISE]["department"], "Sales");
    assert_eq!(created.body["name"]["formatted"], "givenName familyName");
    assert_eq!(
        created.body["emails"][0]["value"],
        "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"
    );

    // Entra's PATCH: capitalised ops, a string boolean, a filtered path, an extension path.
    let patched = entra
        .patch(
            &format!("/Users/{id}"),
            json!([
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
                { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" },
                { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Marketing" },
                { "op": "Replace", "path": "active", "value": "False" },
            ]),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        patched.body["emails"][0]["value"],
        "updatedEmail@microsoft.com"
    );
    assert_eq!(patched.body["name"]["familyName"], "updatedFamilyName");
    assert_eq!(patched.body[ENTERPRISE]["department"], "Marketing");
    assert_eq!(patched.body[ENTERPRISE]["employeeNumber"], "1234");
    assert_eq!(patched.body["active"], false);
    let user = status_of(&app, &instance, &id).await;
    assert_eq!(user["email"], "updatedemail@microsoft.com");
    assert_eq!(user["status"], "DISABLED");

    // Groups the Entra way: create, then add and remove members with value lists.
    let group = entra
        .post(
            "/Groups",
            json!({ "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName", "meta": { "resourceType": "Group" }, "schemas": [GROUP] }),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.body);
    let g = group.body["id"].as_str().unwrap().to_owned();
    let found = entra
        .get(&format!(
            "/Groups?excludedAttributes=members&filter={}",
            filter("displayName eq \"displayName\"")
        ))
        .await;
    assert_eq!(found.body["totalResults"], 1);
    assert!(found.body["Resources"][0].get("members").is_none());
    let added = entra
        .patch(
            &format!("/Groups/{g}"),
            json!([{ "op": "Add", "path": "members", "value": [{ "value": id }] }]),
        )
        .await;
    assert_eq!(added.body["members"][0]["value"], id, "{}", added.body);
    let removed = entra
        .patch(
            &format!("/Groups/{g}"),
            json!([{ "op": "Remove", "path": "members", "value": [{ "value": id }] }]),
        )
        .await;
    assert_eq!(removed.body["members"], json!([]), "{}", removed.body);
    let renamed = entra
        .patch(&format!("/Groups/{g}"), json!([{ "op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }]))
        .await;
    assert_eq!(
        renamed.body["displayName"],
        "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    );
    app.stop().await;
}

const BULK: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

#[tokio::test]
async fn bulk_requests_refer_to_what_they_create_and_stop_after_failures() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let done = client
        .post(
            "/Bulk",
            json!({
                "schemas": [BULK],
                "Operations": [
                    { "method": "POST", "path": "/Users", "bulkId": "gina", "data": { "schemas": [USER], "userName": "gina" } },
                    { "method": "POST", "path": "/Groups", "bulkId": "ops", "data": { "schemas": [GROUP], "displayName": "Ops", "members": [{ "value": "bulkId:gina" }] } },
                    { "method": "PATCH", "path": "/Users/bulkId:gina", "data": { "schemas": [PATCH_OP], "Operations": [{ "op": "replace", "path": "displayName", "value": "Gina" }] } },
                    { "method": "PUT", "path": "/Users/bulkId:nobody", "data": { "userName": "x" } },
                    { "method": "DELETE", "path": "/Groups/bulkId:ops" },
                ],
            }),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let ops = done.body["Operations"].as_array().unwrap();
    let statuses: Vec<&str> = ops.iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["201", "201", "200", "409", "204"],
        "{}",
        done.body
    );
    assert_eq!(ops[0]["bulkId"], "gina");
    assert!(ops[0]["location"].as_str().unwrap().contains("/Users/"));
    assert_eq!(ops[3]["response"]["scimType"], "invalidValue");
    let gina = ops[0]["location"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let read = client.get(&format!("/Users/{gina}")).await;
    assert_eq!(read.body["displayName"], "Gina");
    let groups = client
        .get(&format!(
            "/Groups?filter={}",
            filter("displayName eq \"Ops\"")
        ))
        .await;
    assert_eq!(
        groups.body["totalResults"], 0,
        "deleted by the last operation"
    );
    let events = audited(&app, &instance, "changeGroupMembers").await;
    assert_eq!(events.len(), 1, "the member added by reference was audited");

    // failOnErrors: the first failure stops the request.
    let stopped = client
        .post(
            "/Bulk",
            json!({
                "schemas": [BULK],
                "failOnErrors": 1,
                "Operations": [
                    { "method": "POST", "path": "/Users", "bulkId": "again", "data": { "userName": "gina" } },
                    { "method": "POST", "path": "/Users", "bulkId": "hank", "data": { "userName": "hank" } },
                ],
            }),
        )
        .await;
    let ops = stopped.body["Operations"].as_array().unwrap();
    assert_eq!(ops.len(), 1, "{}", stopped.body);
    assert_eq!(ops[0]["status"], "409");
    assert_eq!(ops[0]["response"]["scimType"], "uniqueness");
    let hank = client
        .get(&format!("/Users?filter={}", filter("userName eq \"hank\"")))
        .await;
    assert_eq!(hank.body["totalResults"], 0);

    // Requests that are not bulk requests.
    client
        .post("/Bulk", json!({ "Operations": [] }))
        .await
        .refused(400, Some("invalidSyntax"));
    client
        .post("/Bulk", json!({ "schemas": [BULK], "Operations": [{ "method": "POST", "path": "/Users", "data": { "userName": "x" } }] }))
        .await
        .refused(400, Some("invalidSyntax"));
    client
        .post(
            "/Bulk",
            json!({ "schemas": [BULK], "Operations": [{ "method": "GET", "path": "/Users" }] }),
        )
        .await
        .refused(400, Some("invalidSyntax"));
    let many: Vec<Value> = (0..1001)
        .map(|n| json!({ "method": "DELETE", "path": format!("/Users/{n}") }))
        .collect();
    client
        .post("/Bulk", json!({ "schemas": [BULK], "Operations": many }))
        .await
        .refused(413, Some("tooMany"));
    let twice = client
        .post(
            "/Bulk",
            json!({ "schemas": [BULK], "Operations": [
                { "method": "POST", "path": "/Users", "bulkId": "a", "data": { "userName": "ivy" } },
                { "method": "POST", "path": "/Users", "bulkId": "a", "data": { "userName": "jo" } },
            ] }),
        )
        .await;
    twice.refused(400, Some("invalidValue"));
    let ivy = client
        .get(&format!("/Users?filter={}", filter("userName eq \"ivy\"")))
        .await;
    assert_eq!(
        ivy.body["totalResults"], 0,
        "a refused request runs nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn lists_filter_sort_page_and_project() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    for n in 0..7 {
        let created = client
            .post(
                "/Users",
                json!({
                    "userName": format!("user{n}"),
                    "displayName": format!("User {}", 7 - n),
                    "emails": [{ "value": format!("u{n}@{}.example", if n % 2 == 0 { "even" } else { "odd" }) }],
                }),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
    }
    let page = client
        .get(&format!(
            "/Users?filter={}&sortBy=displayName&sortOrder=descending&startIndex=2&count=2&attributes=userName,emails.value",
            filter("emails.value co \"@even.\" or emails sw \"u1@\"")
        ))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body["totalResults"], 5);
    assert_eq!(page.body["startIndex"], 2);
    assert_eq!(page.body["itemsPerPage"], 2);
    let names: Vec<&str> = page.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["userName"].as_str().unwrap())
        .collect();
    // Descending display names: User 7 (user0), User 6 (user1), User 5 (user2), …
    assert_eq!(names, ["user1", "user2"]);
    let first = &page.body["Resources"][0];
    assert!(
        first.get("meta").is_none() && first.get("displayName").is_none(),
        "{first}"
    );
    assert!(first["id"].is_string(), "id is always returned");
    let none = client.get("/Users?count=0").await;
    assert_eq!(none.body["totalResults"], 7);
    assert_eq!(none.body["Resources"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn hostile_requests_get_scim_errors_and_change_nothing() {
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let other = app.create_instance("Other").await;
    let client = Client::new(&app, &instance, "HR").await;
    let theirs = Client::new(&app, &other, "Theirs").await;
    let created = client
        .post(
            "/Users",
            json!({ "userName": "erin", "emails": [{ "value": "erin@acme.example" }] }),
        )
        .await;
    let erin = created.body["id"].as_str().unwrap().to_owned();
    let etag = created.headers["etag"].to_str().unwrap().to_owned();

    // Who may call: no token, a made-up one, another instance's, a revoked one.
    let anonymous = reqwest::Client::new()
        .get(format!("{}/Users", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    for token in ["lanyard_scim_forged", "Bearer", &app.token, &theirs.token] {
        let stranger = Client {
            http: reqwest::Client::new(),
            base: client.base.clone(),
            token: token.to_owned(),
        };
        stranger
            .get(&format!("/Users/{erin}"))
            .await
            .refused(401, None);
    }
    let listed = app
        .gql(
            "query($i: ID!) { provisioning(instanceId: $i) { tokens { id name lastUsedAt } } }",
            json!({ "i": instance }),
        )
        .await;
    let token_id = listed["provisioning"]["tokens"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(listed["provisioning"]["tokens"][0]["lastUsedAt"].is_string());
    let third = Client::new(&app, &instance, "Third").await;
    app.gql(
        "mutation($i: ID!, $t: ID!) { revokeProvisioningToken(input: {instanceId: $i, id: $t}) { provisioningToken { revokedAt } } }",
        json!({ "i": instance, "t": token_id }),
    )
    .await;
    client
        .get(&format!("/Users/{erin}"))
        .await
        .refused(401, None);
    let client = third;

    // Bodies that are not SCIM.
    let raw = |body: &'static str, content_type: &'static str| {
        client
            .http
            .post(format!("{}/Users", client.base))
            .bearer_auth(&client.token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(
        raw("{\"userName\": \"x\"}", "text/plain")
            .await
            .unwrap()
            .status(),
        415
    );
    let broken = raw("{\"userName\": ", "application/scim+json")
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let broken: Value = broken.json().await.unwrap();
    assert_eq!(broken["scimType"], "invalidSyntax");
    client
        .post("/Users", json!({ "displayName": "no name" }))
        .await
        .refused(400, Some("invalidValue"));
    client
        .post("/Users", json!({ "userName": 5 }))
        .await
        .refused(400, Some("invalidValue"));
    client
        .post("/Users", json!({ "userName": "bad name!" }))
        .await
        .refused(400, Some("invalidValue"));
    client
        .post("/Users", json!({ "userName": "x", "active": "maybe" }))
        .await
        .refused(400, Some("invalidValue"));
    let huge = json!({ "userName": "big", "title": "x".repeat(2 * 1024 * 1024) });
    client
        .post("/Users", huge)
        .await
        .refused(413, Some("tooLarge"));
    let bloated = json!({ "userName": "bloated", "title": "x".repeat(20 * 1024) });
    client
        .post("/Users", bloated)
        .await
        .refused(400, Some("invalidValue"));

    // Filters: malformed, too deep, too many terms, on what has no column.
    for (text, scim_type) in [
        ("userName eq", "invalidFilter"),
        ("userName xx \"a\"", "invalidFilter"),
        ("title eq \"Boss\"", "invalidFilter"),
        ("emails[type eq \"work\"]", "invalidFilter"),
    ] {
        client
            .get(&format!("/Users?filter={}", filter(text)))
            .await
            .refused(400, Some(scim_type));
    }
    let long = format!("userName eq \"{}\"", "a".repeat(5000));
    client
        .get(&format!("/Users?filter={}", filter(&long)))
        .await
        .refused(400, Some("tooMany"));
    let nested = format!("{}userName eq \"a\"{}", "(".repeat(40), ")".repeat(40));
    client
        .get(&format!("/Users?filter={}", filter(&nested)))
        .await
        .refused(400, Some("tooMany"));
    let ors = vec!["userName eq \"a\""; 10_000].join(" or ");
    client
        .get(&format!("/Users?filter={}", filter(&ors[..4000])))
        .await
        .refused(400, Some("tooMany"));
    client
        .get("/Users?startIndex=abc")
        .await
        .refused(400, Some("invalidValue"));
    client
        .get("/Users?sortBy=title")
        .await
        .refused(400, Some("invalidValue"));

    // PATCH: a bad operation after a good one applies neither.
    let mixed = client
        .patch(
            &format!("/Users/{erin}"),
            json!([
                { "op": "replace", "path": "displayName", "value": "Changed" },
                { "op": "replace", "path": "id", "value": "mine" },
            ]),
        )
        .await;
    mixed.refused(400, Some("mutability"));
    for (operations, scim_type) in [
        (
            json!([{ "op": "add", "path": "emails[type eq", "value": "x" }]),
            "invalidFilter",
        ),
        (
            json!([{ "op": "add", "path": "no such path!", "value": "x" }]),
            "invalidPath",
        ),
        (
            json!([{ "op": "add", "path": "groups", "value": [] }]),
            "mutability",
        ),
        (
            json!([{ "op": "replace", "path": "userName", "value": 7 }]),
            "invalidValue",
        ),
        (
            json!([{ "op": "copy", "path": "userName", "value": "x" }]),
            "invalidSyntax",
        ),
    ] {
        client
            .patch(&format!("/Users/{erin}"), operations)
            .await
            .refused(400, Some(scim_type));
    }
    let unchanged = client.get(&format!("/Users/{erin}")).await;
    assert_eq!(unchanged.body["displayName"], "erin");
    assert_eq!(
        unchanged.headers["etag"].to_str().unwrap(),
        etag,
        "nothing was written"
    );

    // Versions: a stale If-Match is refused.
    let stale = client
        .http
        .patch(format!("{}/Users/{erin}", client.base))
        .bearer_auth(&client.token)
        .header("content-type", "application/scim+json")
        .header("if-match", "W/\"1\"")
        .body(json!({ "schemas": [PATCH_OP], "Operations": [{ "op": "replace", "path": "displayName", "value": "x" }] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let current = client
        .http
        .patch(format!("{}/Users/{erin}", client.base))
        .bearer_auth(&client.token)
        .header("content-type", "application/scim+json")
        .header("if-match", &etag)
        .body(json!({ "schemas": [PATCH_OP], "Operations": [{ "op": "replace", "path": "displayName", "value": "Erin" }] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 200);

    // Ids that are not ids, and another instance's user, are not found.
    client
        .get("/Users/..%2F..%2Fadmin")
        .await
        .refused(404, None);
    theirs
        .get(&format!("/Users/{erin}"))
        .await
        .refused(404, None);
    theirs
        .delete(&format!("/Users/{erin}"))
        .await
        .refused(404, None);
    let group = client.post("/Groups", json!({ "displayName": "G", "members": [{ "value": "00000000-0000-7000-8000-000000000000" }] })).await;
    group.refused(400, Some("invalidValue"));
    let detail = group.body["detail"].as_str().unwrap();
    assert!(detail.starts_with("members: "), "{detail}");
    let left = client
        .get(&format!(
            "/Groups?filter={}",
            filter("displayName eq \"G\"")
        ))
        .await;
    assert_eq!(left.body["totalResults"], 0, "no group is left behind");
    app.stop().await;
}

#[tokio::test]
async fn a_provisioned_user_signs_in_and_is_refused_once_deactivated() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let hr = Client::new(&app, &t.instance, "HR").await;
    let created = hr
        .post("/Users", json!({ "userName": "frank", "password": PASSWORD, "emails": [{ "value": "frank@acme.example" }] }))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let frank = created.body["id"].as_str().unwrap().to_owned();
    let b = browser();
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let signed = sign_in(&app.base, &b, &login, "frank", PASSWORD).await;
    assert_eq!(signed.status(), 303);
    let start = format!("{}/saml/apps/{}/start", app.base, t.app);
    let posted = posted_form(b.get(&start).send().await.unwrap()).await;
    assert!(posted.xml.contains("frank"), "a SAML Response for frank");

    let off = hr
        .patch(
            &format!("/Users/{frank}"),
            json!([{ "op": "replace", "path": "active", "value": false }]),
        )
        .await;
    assert_eq!(off.status, 200);
    // Her session ended with her deactivation: the portal's start asks her to sign in, and
    // her password no longer works.
    let refused = b.get(&start).send().await.unwrap();
    assert_eq!(refused.status(), 303);
    assert!(refused.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/login"));
    let again = sign_in(&app.base, &b, &login, "frank", PASSWORD).await;
    assert_ne!(again.status(), 303, "a disabled account does not sign in");
    app.stop().await;
}

#[tokio::test]
async fn a_deactivation_by_scim_is_refused_on_every_node_within_a_second() {
    if lanyard_tests::postgres_base().is_none() {
        eprintln!("several nodes share PostgreSQL only (SQLite is for one node): runs in the PostgreSQL suite");
        return;
    }
    let first = TestApp::spawn().await;
    let second = first.spawn_peer(|_| {}).await;
    let t = tenant(&first).await;
    let hr = Client::new(&first, &t.instance, "HR").await;
    let created = hr
        .post(
            "/Users",
            json!({ "userName": "grace", "password": PASSWORD }),
        )
        .await;
    let grace = created.body["id"].as_str().unwrap().to_owned();
    // Signed in on the first node; her browser reaches both (cookies are per host, not port).
    let b = browser();
    let login = format!("{}/sso/{}/login", first.base, t.instance);
    assert_eq!(
        sign_in(&first.base, &b, &login, "grace", PASSWORD)
            .await
            .status(),
        303
    );
    let start = format!("{}/saml/apps/{}/start", second.base, t.app);
    posted_form(b.get(&start).send().await.unwrap()).await;

    let off = hr
        .patch(
            &format!("/Users/{grace}"),
            json!([{ "op": "replace", "value": { "active": "False" } }]),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let deactivated = std::time::Instant::now();
    let refused_after = loop {
        let answer = b.get(&start).send().await.unwrap();
        if answer.status() != 200 {
            break deactivated.elapsed();
        }
        assert!(
            deactivated.elapsed() < std::time::Duration::from_secs(1),
            "still served after 1 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(refused_after < std::time::Duration::from_secs(1));
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn scim_changes_reach_the_event_callbacks_as_graphql_changes_do() {
    let app = TestApp::spawn_with(super::events::loopback_allowed).await;
    let instance = app.create_instance("Acme").await;
    let receiver = lanyard_tests::servers::Receiver::start(
        &app.base,
        "http://127.0.0.1",
        &instance,
        lanyard_tests::servers::Behaviour::default(),
    )
    .await;
    super::events::subscribe(&app, &instance, &receiver.url).await;
    let hr = Client::new(&app, &instance, "HR").await;
    let created = hr.post("/Users", json!({ "userName": "kim" })).await;
    let kim = created.body["id"].as_str().unwrap().to_owned();
    hr.patch(
        &format!("/Users/{kim}"),
        json!([{ "op": "replace", "path": "active", "value": false }]),
    )
    .await;
    let group = hr
        .post(
            "/Groups",
            json!({ "displayName": "Field", "members": [{ "value": kim }] }),
        )
        .await;
    let field = group.body["id"].as_str().unwrap().to_owned();
    receiver
        .wait_for("4 events", |received| {
            received.iter().filter(|r| r.delivered()).count() >= 4
        })
        .await;
    let delivered = receiver.delivered();
    assert!(
        receiver.received().iter().all(|r| r.claims.is_ok()),
        "every JWT verifies"
    );
    assert_eq!(
        super::events::types_for(&delivered, &kim),
        ["user.created", "user.updated"]
    );
    assert_eq!(
        super::events::types_for(&delivered, &field),
        ["group.created", "group.members_added"]
    );
    app.stop().await;
}

/// The names `schema` (one of `/Schemas`) declares at `attributes`, lower-cased, with their
/// sub-attributes.
fn declared(attributes: &Value) -> std::collections::HashMap<String, Value> {
    attributes
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_lowercase(), a.clone()))
        .collect()
}

/// The paths of `resource` (a JSON object of attributes) that `attributes` does not declare.
fn undeclared(resource: &Value, attributes: &Value, at: &str, found: &mut Vec<String>) {
    let known = declared(attributes);
    for (name, value) in resource.as_object().unwrap() {
        let path = format!("{at}{name}");
        let Some(attribute) = known.get(&name.to_lowercase()) else {
            found.push(path);
            continue;
        };
        let Some(sub) = attribute.get("subAttributes") else {
            continue;
        };
        let values = match value {
            Value::Array(values) => values.clone(),
            other => vec![other.clone()],
        };
        for value in values.iter().filter(|v| v.is_object()) {
            undeclared(value, sub, &format!("{path}."), found);
        }
    }
}

#[tokio::test]
async fn every_attribute_a_resource_carries_is_declared_by_the_published_schemas() {
    // A client that builds its models from /Schemas (scim2-client does) refuses a resource
    // with an attribute no schema declares: members' and groups' `type` and `$ref`, the
    // standard attributes kept as sent, the manager's `$ref`.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let schemas = client.get("/Schemas").await.body["Resources"].clone();
    let schema = |id: &str| {
        schemas
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id} is published"))["attributes"]
            .clone()
    };
    let created = client
        .post(
            "/Users",
            json!({
                "schemas": [USER, ENTERPRISE],
                "userName": "gina",
                "name": { "formatted": "Dr Gina Ito", "givenName": "Gina", "familyName": "Ito", "middleName": "K", "honorificPrefix": "Dr" },
                "nickName": "G",
                "profileUrl": "https://people.acme.example/gina",
                "emails": [{ "value": "gina@acme.example", "type": "work", "primary": true, "display": "Gina" }],
                "phoneNumbers": [{ "value": "+15555550100", "type": "mobile" }],
                "ims": [{ "value": "gina", "type": "xmpp" }],
                "photos": [{ "value": "https://people.acme.example/gina.jpg", "type": "photo" }],
                "addresses": [{ "streetAddress": "1 Main St", "locality": "Springfield", "country": "US", "type": "work", "primary": true }],
                "entitlements": [{ "value": "vpn" }],
                "roles": [{ "value": "engineer", "primary": true }],
                "title": "Engineer",
                "userType": "Employee",
                "preferredLanguage": "en",
                "locale": "en-US",
                "timezone": "America/New_York",
                ENTERPRISE: { "employeeNumber": "7", "costCenter": "CC", "organization": "Acme", "division": "R&D", "department": "Tools", "manager": { "value": "boss", "$ref": "https://acme.example/Users/boss", "displayName": "Boss" } },
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let gina = created.body["id"].as_str().unwrap().to_owned();
    let group = client
        .post(
            "/Groups",
            json!({ "schemas": [GROUP], "displayName": "Tools", "members": [{ "value": gina }] }),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.body);
    let user = client.get(&format!("/Users/{gina}")).await.body;
    assert!(user["groups"][0]["$ref"].is_string(), "{user}");
    assert!(
        group.body["members"][0]["$ref"].is_string(),
        "{}",
        group.body
    );

    let common = ["schemas", "id", "externalId", "meta"];
    let mut found = Vec::new();
    for (resource, core) in [(&user, USER), (&group.body, GROUP)] {
        let mut body = resource.clone();
        let body = body.as_object_mut().unwrap();
        for name in common {
            body.remove(name);
        }
        if let Some(extension) = body.remove(ENTERPRISE) {
            undeclared(
                &extension,
                &schema(ENTERPRISE),
                &format!("{ENTERPRISE}:"),
                &mut found,
            );
        }
        undeclared(&Value::Object(body.clone()), &schema(core), "", &mut found);
    }
    assert!(found.is_empty(), "not in /Schemas: {found:?}");
    // A reference says what it may point at (RFC 7643 §7).
    let members = declared(&schema(GROUP))["members"].clone();
    let reference = declared(&members["subAttributes"])["$ref"].clone();
    assert_eq!(reference["type"], "reference");
    assert_eq!(reference["referenceTypes"], json!(["User"]));
    // Set with the member, never changed on its own (RFC 7643 §8.7.1).
    assert_eq!(reference["mutability"], "immutable");
    let kind = declared(&members["subAttributes"])["type"].clone();
    assert_eq!(
        kind["canonicalValues"],
        json!(["User"]),
        "only users are members"
    );
    app.stop().await;
}

/// The userNames of the users `text` finds, in order.
async fn found(client: &Client, text: &str) -> Vec<String> {
    let page = client
        .get(&format!("/Users?sortBy=userName&filter={}", filter(text)))
        .await;
    assert_eq!(page.status, 200, "{text}: {}", page.body);
    page.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn emails_and_phone_numbers_are_found_by_any_of_their_values() {
    // RFC 7644 §3.4.2.2: a filter on a multi-valued attribute matches when any value does,
    // not only the primary one Lanyard keeps a column for.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let created = client
        .post(
            "/Users",
            json!({
                "userName": "hana",
                "emails": [
                    { "value": "hana@acme.example", "type": "work", "primary": true },
                    { "value": "Hana@Home.example", "type": "home" },
                ],
                "phoneNumbers": [
                    { "value": "+1 555 0100", "type": "work" },
                    { "value": "+1 555 0199", "type": "mobile", "primary": true },
                ],
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let hana = created.body["id"].as_str().unwrap().to_owned();
    client
        .post(
            "/Users",
            json!({ "userName": "ivan", "emails": [{ "value": "ivan@acme.example" }] }),
        )
        .await;
    assert_eq!(
        found(&client, "emails.value eq \"hana@home.example\"").await,
        ["hana"]
    );
    assert_eq!(found(&client, "emails.value co \"@home.\"").await, ["hana"]);
    assert_eq!(
        found(&client, "emails[value ew \"example\"]").await,
        ["hana", "ivan"]
    );
    assert_eq!(found(&client, "emails sw \"HANA@\"").await, ["hana"]);
    assert_eq!(
        found(&client, "phoneNumbers.value eq \"+1 555 0100\"").await,
        ["hana"]
    );
    assert_eq!(
        found(&client, "phoneNumbers.value eq \"+1 555 0199\"").await,
        ["hana"]
    );
    assert_eq!(found(&client, "phoneNumbers pr").await, ["hana"]);
    assert_eq!(
        found(&client, "not (emails.value eq \"hana@home.example\")").await,
        ["ivan"]
    );

    // Once an admin changes her email, the resource shows that one alone: the list kept
    // from before no longer answers.
    app.gql(
        "mutation($i: ID!, $u: ID!) { updateUser(input: {id: $u, instanceId: $i, email: \"hana@new.example\"}) { user { id } } }",
        json!({ "i": instance, "u": hana }),
    )
    .await;
    let shown = client.get(&format!("/Users/{hana}")).await;
    assert_eq!(
        shown.body["emails"],
        json!([{ "value": "hana@new.example", "type": "work", "primary": true }])
    );
    assert!(found(&client, "emails.value co \"@home.\"")
        .await
        .is_empty());
    assert_eq!(
        found(&client, "emails.value eq \"hana@new.example\"").await,
        ["hana"]
    );
    app.stop().await;
}

#[tokio::test]
async fn what_is_not_served_is_refused_with_a_scim_error() {
    // A SCIM client reads any failure as a SCIM error (RFC 7644 §3.12); a bodiless 405 or the
    // site's own 404 page is "a failure without a SCIM error" to it.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let search = json!({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] });
    client
        .post("/Users/.search", search.clone())
        .await
        .refused(501, None);
    client
        .post("/Groups/.search", search.clone())
        .await
        .refused(501, None);
    client.post("/.search", search).await.refused(501, None);
    client.get("").await.refused(501, None);
    client.get("/").await.refused(501, None);
    client.get("/Devices").await.refused(404, None);
    client.get("/Users/a/b").await.refused(404, None);
    let wrong = client.put("/Users", json!({})).await;
    wrong.refused(405, None);
    assert_eq!(wrong.headers["allow"], "GET,HEAD,POST");
    client.delete("/Schemas").await.refused(405, None);
    // Without a token, nothing more is said.
    let stranger = Client {
        http: reqwest::Client::new(),
        base: client.base.clone(),
        token: "lanyard_scim_forged".into(),
    };
    stranger.get("/Devices").await.refused(401, None);
    stranger.post("/Bulk", json!({})).await.refused(401, None);
    app.stop().await;
}

#[tokio::test]
async fn a_membership_change_is_a_new_version_of_the_group_and_of_its_member() {
    // A group's members and a user's groups are part of their resources: when they change,
    // so do `meta.version` (the ETag a client's If-Match and If-None-Match name) and
    // `meta.lastModified`, whichever way the change was made.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let user = client.post("/Users", json!({ "userName": "jo" })).await;
    let jo = user.body["id"].as_str().unwrap().to_owned();
    let group = client
        .post("/Groups", json!({ "displayName": "Ops" }))
        .await;
    let ops = group.body["id"].as_str().unwrap().to_owned();
    let etag = |answer: &Answer| answer.headers["etag"].to_str().unwrap().to_owned();
    let (group_v1, user_v1) = (etag(&group), etag(&user));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let added = client
        .patch(
            &format!("/Groups/{ops}"),
            json!([{ "op": "add", "path": "members", "value": [{ "value": jo }] }]),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let group_v2 = etag(&added);
    assert_ne!(group_v2, group_v1, "the group changed");
    assert_eq!(added.body["meta"]["version"], group_v2);
    assert_ne!(
        added.body["meta"]["lastModified"],
        group.body["meta"]["lastModified"]
    );
    let member = client.get(&format!("/Users/{jo}")).await;
    assert_eq!(member.body["groups"][0]["value"], ops);
    assert_ne!(etag(&member), user_v1, "her groups changed");

    // The version read before is stale: a replacement naming it is refused.
    let stale = client
        .http
        .put(format!("{}/Groups/{ops}", client.base))
        .bearer_auth(&client.token)
        .header("content-type", "application/scim+json")
        .header("if-match", &group_v1)
        .body(json!({ "displayName": "Ops", "members": [] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);

    // Over GraphQL, and by her deletion, the same.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    app.gql(
        "mutation($i: ID!, $g: ID!, $u: ID!) { removeGroupMembers(input: {id: $g, instanceId: $i, userIds: [$u]}) { group { id } } }",
        json!({ "i": instance, "g": ops, "u": jo }),
    )
    .await;
    let removed = client.get(&format!("/Groups/{ops}")).await;
    assert_eq!(removed.body["members"], json!([]));
    assert_ne!(etag(&removed), group_v2);
    let left = client.get(&format!("/Users/{jo}")).await;
    assert_ne!(etag(&left), etag(&member));
    app.gql(
        "mutation($i: ID!, $g: ID!, $u: ID!) { addGroupMembers(input: {id: $g, instanceId: $i, userIds: [$u]}) { group { id } } }",
        json!({ "i": instance, "g": ops, "u": jo }),
    )
    .await;
    let before = etag(&client.get(&format!("/Groups/{ops}")).await);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(client.delete(&format!("/Users/{jo}")).await.status, 204);
    let after = client.get(&format!("/Groups/{ops}")).await;
    assert_eq!(after.body["members"], json!([]));
    assert_ne!(etag(&after), before, "its member was deleted");
    app.stop().await;
}

#[tokio::test]
async fn a_read_naming_the_current_version_is_answered_not_modified() {
    // RFC 7644 §3.14: If-None-Match on a GET. scim2-client sends it when it reads a resource
    // it holds, and keeps its copy on a 304.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let user = client.post("/Users", json!({ "userName": "kim" })).await;
    let group = client
        .post("/Groups", json!({ "displayName": "Kin" }))
        .await;
    for created in [user, group] {
        let location = created.body["meta"]["location"].as_str().unwrap();
        let path = &location[location
            .find("/Users")
            .or(location.find("/Groups"))
            .unwrap()..];
        let version = created.headers["etag"].to_str().unwrap().to_owned();
        let read = |tag: &str| {
            client
                .http
                .get(format!("{}{path}", client.base))
                .bearer_auth(&client.token)
                .header("if-none-match", tag)
                .send()
        };
        let unchanged = read(&version).await.unwrap();
        assert_eq!(unchanged.status(), 304, "{path}");
        assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), version);
        assert!(unchanged.text().await.unwrap().is_empty());
        let weakly = read(version.trim_start_matches("W/")).await.unwrap();
        assert_eq!(weakly.status(), 304, "a weak comparison");
        assert_eq!(read("*").await.unwrap().status(), 304);
        let other = read("W/\"1\", W/\"2\"").await.unwrap();
        assert_eq!(other.status(), 200);
        let body: Value = other.json().await.unwrap();
        assert_eq!(body["meta"]["version"], version.as_str());
    }
    app.stop().await;
}

#[tokio::test]
async fn the_extension_urn_names_the_extension_as_a_whole() {
    // `urn:…:enterprise:2.0:User` is the extension's object, not an attribute `User` of a
    // schema `urn:…:enterprise:2.0`: scim2-client patches and projects it so.
    let app = TestApp::spawn().await;
    let instance = app.create_instance("Acme").await;
    let client = Client::new(&app, &instance, "HR").await;
    let created = client
        .post("/Users", json!({ "schemas": [USER], "userName": "lee" }))
        .await;
    let lee = created.body["id"].as_str().unwrap().to_owned();
    let added = client
        .patch(
            &format!("/Users/{lee}"),
            json!([{ "op": "add", "path": ENTERPRISE, "value": { "schemas": [ENTERPRISE], "employeeNumber": "9", "department": "Ops" } }]),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.body["schemas"], json!([USER, ENTERPRISE]));
    assert_eq!(
        added.body[ENTERPRISE],
        json!({ "employeeNumber": "9", "department": "Ops" })
    );
    assert!(
        added
            .body
            .get("urn:ietf:params:scim:schemas:extension:enterprise:2.0")
            .is_none(),
        "{}",
        added.body
    );
    let projected = client
        .get(&format!("/Users/{lee}?attributes={}", filter(ENTERPRISE)))
        .await;
    assert_eq!(
        projected.body[ENTERPRISE]["department"], "Ops",
        "{}",
        projected.body
    );
    assert!(projected.body.get("userName").is_none());
    let removed = client
        .patch(
            &format!("/Users/{lee}"),
            json!([{ "op": "remove", "path": ENTERPRISE }]),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(removed.body.get(ENTERPRISE).is_none(), "{}", removed.body);
    assert_eq!(removed.body["schemas"], json!([USER]));
    app.stop().await;
}
