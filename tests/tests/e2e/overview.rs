//! The instance overview's numbers (`instanceActivity`), counted from the audit log of real
//! sign-ins and SSO through the employee routes: sign-ins, refused sign-ins and the lockout
//! they cause, allowed and refused SSO per application, and the refusals' reasons.

use lanyard_tests::saml::{browser, hidden, location, sign_in, tenant, PASSWORD};
use lanyard_tests::TestApp;
use serde_json::{json, Value};

const ACTIVITY: &str = "query($i: ID!, $r: ActivityRange!) { instanceActivity(instanceId: $i, range: $r) { from bucketSeconds buckets { start signIns failedSignIns lockouts ssoAllowed ssoDenied } applications { applicationId name allowed denied } refusalReasons { reason count } } }";

fn total(activity: &Value, field: &str) -> i64 {
    activity["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[field].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn the_overview_counts_what_employees_did() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    // A second application nobody is granted: alice's SSO into it is refused.
    let added = app
        .gql(
            "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-user-sso-intl\", name: \"Billing\", params: {accountId: \"5123456789012345\"}}) { application { id } } }",
            json!({ "i": t.instance }),
        )
        .await;
    let billing = added["addApplication"]["application"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // bob fails five times (the fifth locks him); alice signs in and SSOs twice into Alibaba
    // Cloud and once, refused, into Billing.
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let bobs = browser();
    for _ in 0..5 {
        sign_in(&app.base, &bobs, &login, "bob", "wrong password").await;
    }
    let alices = browser();
    let signed_in = sign_in(&app.base, &alices, &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    for _ in 0..2 {
        let sso = alices
            .get(format!("{}/saml/apps/{}/start", app.base, t.app))
            .send()
            .await
            .unwrap();
        assert!(hidden(&sso.text().await.unwrap(), "SAMLResponse").is_some());
    }
    let refused = alices
        .get(format!("{}/saml/apps/{billing}/start", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "{}", location(&refused));

    let day = app
        .gql(ACTIVITY, json!({ "i": t.instance, "r": "DAY" }))
        .await["instanceActivity"]
        .clone();
    assert_eq!(day["bucketSeconds"], 3600);
    assert_eq!(day["buckets"].as_array().unwrap().len(), 24);
    // Everything happened now: in the last bucket, and nowhere else.
    let last = &day["buckets"][23];
    assert_eq!(last["signIns"], 1, "{day}");
    assert_eq!(last["failedSignIns"], 5, "{day}");
    assert_eq!(last["lockouts"], 1, "{day}");
    assert_eq!(last["ssoAllowed"], 2, "{day}");
    assert_eq!(last["ssoDenied"], 1, "{day}");
    for field in [
        "signIns",
        "failedSignIns",
        "lockouts",
        "ssoAllowed",
        "ssoDenied",
    ] {
        assert_eq!(total(&day, field), last[field].as_i64().unwrap(), "{field}");
    }
    // By application, most allowed first, with names.
    assert_eq!(
        day["applications"],
        json!([
            { "applicationId": t.app, "name": "Alibaba Cloud", "allowed": 2, "denied": 0 },
            { "applicationId": billing, "name": "Billing", "allowed": 0, "denied": 1 },
        ])
    );
    assert_eq!(
        day["refusalReasons"],
        json!([{ "reason": "the application is not assigned to you", "count": 1 }])
    );
    // The week and the month count the same events in coarser buckets.
    for (range, buckets, width) in [("WEEK", 28, 6 * 3600), ("MONTH", 30, 86_400)] {
        let activity = app
            .gql(ACTIVITY, json!({ "i": t.instance, "r": range }))
            .await["instanceActivity"]
            .clone();
        assert_eq!(activity["buckets"].as_array().unwrap().len(), buckets);
        assert_eq!(activity["bucketSeconds"], width);
        assert_eq!(total(&activity, "ssoAllowed"), 2, "{range}");
        assert_eq!(total(&activity, "failedSignIns"), 5, "{range}");
    }
    // Another instance sees none of it.
    let other = app.create_instance("Other").await;
    let empty =
        app.gql(ACTIVITY, json!({ "i": other, "r": "DAY" })).await["instanceActivity"].clone();
    assert_eq!(total(&empty, "ssoAllowed") + total(&empty, "signIns"), 0);
    assert_eq!(empty["applications"], json!([]));
    // The platform counts every instance, each with its totals.
    let platform = app
        .gql(
            "query { platformActivity(range: DAY) { buckets { ssoAllowed } instances { instanceId name signIns failedSignIns lockouts ssoAllowed ssoDenied } refusalReasons { reason count } } }",
            json!({}),
        )
        .await["platformActivity"]
        .clone();
    assert_eq!(
        platform["instances"],
        json!([{ "instanceId": t.instance, "name": "Acme", "signIns": 1, "failedSignIns": 5, "lockouts": 1, "ssoAllowed": 2, "ssoDenied": 1 }]),
        "{platform}"
    );
    assert_eq!(total(&platform, "ssoAllowed"), 2);
    assert_eq!(platform["refusalReasons"][0]["count"], 1);
    let instance_admin = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": t.instance }]))
        .await;
    let refused = app
        .gql_as(
            &instance_admin,
            "query { platformActivity { from } }",
            json!({}),
        )
        .await;
    assert_eq!(
        lanyard_tests::error_code(&refused),
        "FORBIDDEN",
        "{refused}"
    );
    // Counting needs the audit permission: an application's admin does not have it.
    let viewer = app
        .token_with_roles(
            json!([{ "role": "APP_ADMIN", "instanceId": t.instance, "applicationId": t.app }]),
        )
        .await;
    let denied = app
        .gql_as(&viewer, ACTIVITY, json!({ "i": t.instance, "r": "DAY" }))
        .await;
    assert_eq!(lanyard_tests::error_code(&denied), "FORBIDDEN", "{denied}");
    app.stop().await;
}
