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

/// Writes `n` counted audit events of `instance` in the last 29 days, one every `step`
/// minutes back from an hour ago (ids of their time, as the server writes them), and returns
/// how many of each (signIn, sso allowed, sso refused) were written.
async fn past_events(
    db: &sea_orm::DatabaseConnection,
    instance: &str,
    application: &str,
    n: i64,
    step: i64,
) -> (i64, i64, i64) {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let start = chrono::Utc::now() - chrono::Duration::hours(1);
    let mut counts = (0, 0, 0);
    let mut rows = Vec::new();
    for k in 0..n {
        let at = start - chrono::Duration::minutes(k * step);
        let (action, outcome, reason) = match k % 5 {
            0 | 1 => ("sso", "allow", None),
            2 => (
                "sso",
                "deny",
                Some(if k % 2 == 0 {
                    "no grant"
                } else {
                    "forbidden by a policy"
                }),
            ),
            3 => ("signIn", "allow", None),
            _ => ("signInFailed", "deny", None),
        };
        match (action, outcome) {
            ("signIn", _) => counts.0 += 1,
            ("sso", "allow") => counts.1 += 1,
            ("sso", _) => counts.2 += 1,
            _ => {}
        }
        let millis = u64::try_from(at.timestamp_millis()).unwrap();
        let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            millis / 1000,
            u32::try_from(millis % 1000).unwrap() * 1_000_000,
        ));
        rows.push(entity::audit_event::ActiveModel {
            id: Set(id.to_string()),
            instance_id: Set(Some(instance.to_owned())),
            actor_kind: Set("user".into()),
            actor_id: Set(format!("u{}", k % 7)),
            actor_name: Set("someone".into()),
            action: Set(action.into()),
            target_kind: Set(if action == "sso" {
                "application"
            } else {
                "user"
            }
            .into()),
            target_id: Set((action == "sso").then(|| application.to_owned())),
            outcome: Set(outcome.into()),
            summary: Set(match reason {
                Some(reason) => json!({ "decision": "deny", "reason": reason }),
                None => json!({}),
            }),
            client_ip: Set(None),
            created_at: Set(at),
        });
    }
    for chunk in rows.chunks(200) {
        entity::audit_event::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }
    counts
}

/// The hours the server rolls up count exactly what counting the audit log directly counts:
/// a month of past events in two instances, the overviews before any roll-up (all from the
/// log), after rolling up (all from the roll-up but the last hours), after a second roll-up
/// (which adds nothing), and with the current hour's events on top.
#[tokio::test]
async fn rolled_up_hours_count_the_same_as_the_audit_log() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let other = app.create_instance("Globex").await;
    let store = lanyard::db::Store::connect(&app.database_url)
        .await
        .unwrap();
    let db = &store.conn;
    let mine = past_events(db, &t.instance, &t.app, 1_400, 29).await;
    past_events(db, &other, "other-app", 300, 130).await;
    // Forget what the server may have rolled up when it started: count from the log alone.
    for sql in ["DELETE FROM audit_hourly", "DELETE FROM audit_rollup_marks"] {
        db.execute_unprepared(sql).await.unwrap();
    }
    let overviews = || async {
        let mut all = Vec::new();
        for range in ["DAY", "WEEK", "MONTH"] {
            all.push(
                app.gql(ACTIVITY, json!({ "i": t.instance, "r": range }))
                    .await["instanceActivity"]
                    .clone(),
            );
        }
        all.push(
            app.gql(
                "query { platformActivity(range: MONTH) { buckets { start signIns failedSignIns lockouts ssoAllowed ssoDenied } instances { instanceId signIns failedSignIns lockouts ssoAllowed ssoDenied } refusalReasons { reason count } } }",
                json!({}),
            )
            .await["platformActivity"]
                .clone(),
        );
        all
    };
    let from_the_log = overviews().await;
    let month = &from_the_log[2];
    assert_eq!(
        (
            total(month, "signIns"),
            total(month, "ssoAllowed"),
            total(month, "ssoDenied")
        ),
        mine,
        "the month counts every event written"
    );
    assert_eq!(month["refusalReasons"].as_array().unwrap().len(), 2);

    let now = chrono::Utc::now();
    let hours = lanyard::audit::activity::roll_up(&store, now)
        .await
        .unwrap();
    assert!(
        hours >= 30 * 24,
        "a first roll-up covers the month: {hours} hours"
    );
    assert_eq!(
        lanyard::audit::activity::roll_up(&store, now)
            .await
            .unwrap(),
        0
    );
    let rolled: i64 = sea_orm::FromQueryResult::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_hourly",
    ))
    .one(db)
    .await
    .unwrap()
    .map(|row: RowCount| row.n)
    .unwrap();
    assert!(rolled > 0, "the roll-up holds rows");
    assert_eq!(
        overviews().await,
        from_the_log,
        "the same counts from the roll-up"
    );

    // The current hour comes from the log, on top of the rolled-up hours.
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    let alices = browser();
    assert_eq!(
        sign_in(&app.base, &alices, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let after = overviews().await;
    assert_eq!(total(&after[2], "signIns"), mine.0 + 1);
    assert_eq!(total(&after[2], "ssoAllowed"), mine.1);
}

#[derive(sea_orm::FromQueryResult)]
struct RowCount {
    n: i64,
}
