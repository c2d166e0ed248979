//! No existence oracle (issue 18, item 3). To an admin of instance A, an id of an object of
//! instance B and an id that names nothing answer alike: the same code, NOT_FOUND or
//! FORBIDDEN, whatever the field or mutation; and B is left as it was. Ids that an input only
//! refers to (members, parents, subjects) may instead answer BAD_USER_INPUT on their field,
//! the same for both.
//!
//! One table, one row per id argument of the schema (ids inside input objects included, and
//! the fields of `Instance` and `Application` that look up by id): the GraphQL document and
//! the variables it gets with the probed id, the caller's own objects in the other
//! arguments. Where an operation takes an instance id and another id, the instance id is
//! probed too (with B's object beside it). Every row runs with B's id and with a fresh UUIDv7
//! (the shape of every real id); after each mutation a super admin reads B back. Filters
//! (`users(filter: {groupId})`, …) may answer with an empty page instead, the same for both.
//! The answers are printed as a table, and every problem is listed, by kind, before the test
//! fails. A second test reads the schema (as the code generates it) and fails when an id
//! argument has no row, so that a new resolver cannot be left out.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use lanyard::config::Config;
use lanyard_tests::TestApp;
use serde_json::{json, Value};

use lanyard_tests::saml::{browser, sign_in, PASSWORD};

const POLICY: &str = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.sourceIp.isInRange(ip(\"10.0.0.0/8\")) };";
const SP_METADATA: &str = r#"<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://probe.example.com/saml">
  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://probe.example.com/saml/acs" index="0"/>
  </SPSSODescriptor>
</EntityDescriptor>"#;

/// Callbacks and emails fail at once (nothing listens on port 1) and are dead after one
/// attempt, so that the deliveries of the set-up stay as they are while the table runs; the
/// snapshot of B is one large query.
fn configure(config: &mut Config) {
    config.graphql.max_complexity = 1_000_000;
    config.events.allow_insecure_loopback = true;
    config.outbox.max_attempts = 1;
    config.smtp.host = Some("127.0.0.1".into());
    config.smtp.port = Some(1);
}

/// One object of each kind that has an id, all in one instance.
#[derive(Debug)]
struct Side {
    instance: String,
    /// Has a password, an email address, a session, an account in `app`; in `group` and
    /// `child_unit`.
    user: String,
    group: String,
    root_unit: String,
    /// Under `root_unit`.
    child_unit: String,
    /// A root unit without members (one that can be deleted).
    empty_unit: String,
    /// Authorization scope `MANUAL`, granted to `user`, `group` and `root_unit`.
    app: String,
    policy: String,
    pending_key: String,
    subscription: String,
    /// A `ping` of `subscription`, dead.
    event_delivery: String,
    /// The invitation of `user`, dead.
    email_delivery: String,
    session: String,
    /// An admin of this instance.
    admin: String,
    /// An API token of this instance's admins.
    token: String,
    /// A SCIM provisioning token of this instance.
    provisioning_token: String,
    /// A Generic OpenID Connect application, with `oidc_secret` its client secret.
    oidc_app: String,
    oidc_secret: String,
}

#[derive(Clone, Copy, Debug)]
enum Obj {
    Instance,
    User,
    Group,
    RootUnit,
    ChildUnit,
    EmptyUnit,
    App,
    Policy,
    PendingKey,
    Subscription,
    EventDelivery,
    EmailDelivery,
    Session,
    Admin,
    Token,
    ProvisioningToken,
    OidcApp,
    OidcSecret,
}

impl Side {
    fn get(&self, obj: Obj) -> &str {
        match obj {
            Obj::Instance => &self.instance,
            Obj::User => &self.user,
            Obj::Group => &self.group,
            Obj::RootUnit => &self.root_unit,
            Obj::ChildUnit => &self.child_unit,
            Obj::EmptyUnit => &self.empty_unit,
            Obj::App => &self.app,
            Obj::Policy => &self.policy,
            Obj::PendingKey => &self.pending_key,
            Obj::Subscription => &self.subscription,
            Obj::EventDelivery => &self.event_delivery,
            Obj::EmailDelivery => &self.email_delivery,
            Obj::Session => &self.session,
            Obj::Admin => &self.admin,
            Obj::Token => &self.token,
            Obj::ProvisioningToken => &self.provisioning_token,
            Obj::OidcApp => &self.oidc_app,
            Obj::OidcSecret => &self.oidc_secret,
        }
    }
}

/// A: the caller's instance. B: the other one.
struct World {
    a: Side,
    b: Side,
}

async fn populate(app: &TestApp, label: &str) -> Side {
    let instance = app.create_instance(&format!("Instance {label}")).await;
    let user = app.id_of(
        "mutation($i: ID!, $p: String!) { createUser(input: {instanceId: $i, username: \"alice\", email: \"alice@example.com\", password: $p}) { user { id } } }",
        json!({ "i": instance, "p": PASSWORD }),
        &["createUser", "user", "id"],
    )
    .await;
    let group = app.id_of(
        "mutation($i: ID!) { createGroup(input: {instanceId: $i, name: \"Staff\"}) { group { id } } }",
        json!({ "i": instance }),
        &["createGroup", "group", "id"],
    )
    .await;
    app.gql(
        "mutation($i: ID!, $g: ID!, $u: ID!) { addGroupMembers(input: {instanceId: $i, id: $g, userIds: [$u]}) { group { id } } }",
        json!({ "i": instance, "g": group, "u": user }),
    )
    .await;
    let unit = "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { orgUnit { id } } }";
    let root_unit = app
        .id_of(
            unit,
            json!({ "i": instance, "n": "Root" }),
            &["createOrgUnit", "orgUnit", "id"],
        )
        .await;
    let child_unit = app
        .id_of(
            unit,
            json!({ "i": instance, "n": "Child", "p": root_unit }),
            &["createOrgUnit", "orgUnit", "id"],
        )
        .await;
    let empty_unit = app
        .id_of(
            unit,
            json!({ "i": instance, "n": "Empty" }),
            &["createOrgUnit", "orgUnit", "id"],
        )
        .await;
    app.gql(
        "mutation($i: ID!, $o: ID!, $u: ID!) { addOrgUnitMembers(input: {instanceId: $i, id: $o, userIds: [$u]}) { orgUnit { id } } }",
        json!({ "i": instance, "o": child_unit, "u": user }),
    )
    .await;
    let application = app.id_of(
        "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"Wiki\"}) { application { id } } }",
        json!({ "i": instance }),
        &["addApplication", "application", "id"],
    )
    .await;
    app.gql(
        "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: MANUAL}) { changed } }",
        json!({ "a": application }),
    )
    .await;
    app.gql(
        "mutation($a: ID!, $s: [SubjectInput!]!) { grantApplicationAccess(input: {applicationId: $a, subjects: $s}) { changed } }",
        json!({ "a": application, "s": [
            { "kind": "USER", "id": user },
            { "kind": "GROUP", "id": group },
            { "kind": "ORG_UNIT", "id": root_unit },
        ] }),
    )
    .await;
    app.gql(
        "mutation($a: ID!, $u: ID!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: \"alice.x\"}) { account { id } } }",
        json!({ "a": application, "u": user }),
    )
    .await;
    let policy = app.id_of(
        "mutation($i: ID!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: \"Office\", source: $s}) { accessPolicy { id } } }",
        json!({ "i": instance, "s": POLICY }),
        &["createAccessPolicy", "accessPolicy", "id"],
    )
    .await;
    let pending_key = app
        .id_of(
            "mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i}) { signingKey { id } } }",
            json!({ "i": instance }),
            &["rotateSigningKey", "signingKey", "id"],
        )
        .await;
    let subscription = app.id_of(
        "mutation($i: ID!) { createEventSubscription(input: {instanceId: $i, url: \"http://127.0.0.1:1/hook\", eventTypes: [USER_DELETED]}) { eventSubscription { id } } }",
        json!({ "i": instance }),
        &["createEventSubscription", "eventSubscription", "id"],
    )
    .await;
    let event_delivery = app.id_of(
        "mutation($i: ID!, $s: ID!) { pingEventSubscription(input: {instanceId: $i, id: $s}) { delivery { id } } }",
        json!({ "i": instance, "s": subscription }),
        &["pingEventSubscription", "delivery", "id"],
    )
    .await;
    let email_delivery = app.id_of(
        "mutation($i: ID!, $u: ID!) { inviteUser(input: {instanceId: $i, userId: $u}) { delivery { id } } }",
        json!({ "i": instance, "u": user }),
        &["inviteUser", "delivery", "id"],
    )
    .await;
    let login = format!("{}/sso/{instance}/login", app.base);
    let signed_in = sign_in(&app.base, &browser(), &login, "alice", PASSWORD).await;
    assert_eq!(signed_in.status(), 303, "alice of {label} signs in");
    let sessions = app
        .gql(
            "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { id } }",
            json!({ "i": instance, "u": user }),
        )
        .await;
    let session = sessions["userSessions"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("alice's session in {label}: {sessions}"))
        .to_owned();
    let admin = app.id_of(
        "mutation($n: String!, $i: ID!) { createAdmin(input: {username: $n, password: \"long-password-1\", roles: [{role: INSTANCE_ADMIN, instanceId: $i}]}) { admin { id } } }",
        json!({ "n": format!("admin-{label}"), "i": instance }),
        &["createAdmin", "admin", "id"],
    )
    .await;
    let token = app.id_of(
        "mutation($i: ID!) { createApiToken(input: {name: \"instance token\", roles: [{role: INSTANCE_ADMIN, instanceId: $i}]}) { token { id } } }",
        json!({ "i": instance }),
        &["createApiToken", "token", "id"],
    )
    .await;
    let provisioning_token = app.id_of(
        "mutation($i: ID!) { createProvisioningToken(input: {instanceId: $i, name: \"HR\"}) { provisioningToken { id } } }",
        json!({ "i": instance }),
        &["createProvisioningToken", "provisioningToken", "id"],
    )
    .await;
    let oidc_app = app.id_of(
        "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-oidc\", name: \"Wiki\"}) { application { id } } }",
        json!({ "i": instance }),
        &["addApplication", "application", "id"],
    )
    .await;
    let rotated = app
        .gql(
            "mutation($a: ID!) { rotateOidcClientSecret(input: {id: $a}) { application { oidc { secrets { id } } } } }",
            json!({ "a": oidc_app }),
        )
        .await;
    let oidc_secret = rotated["rotateOidcClientSecret"]["application"]["oidc"]["secrets"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Side {
        instance,
        user,
        group,
        root_unit,
        child_unit,
        empty_unit,
        app: application,
        policy,
        pending_key,
        subscription,
        event_delivery,
        email_delivery,
        session,
        admin,
        token,
        provisioning_token,
        oidc_app,
        oidc_secret,
    }
}

/// Waits until the set-up's email and callback have failed for good.
async fn wait_until_dead(app: &TestApp, side: &Side) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let data = app
            .gql(
                "query($i: ID!) { deliveries(instanceId: $i) { nodes { id status } } }",
                json!({ "i": side.instance }),
            )
            .await;
        let nodes = data["deliveries"]["nodes"].as_array().unwrap().clone();
        if nodes.len() == 2 && nodes.iter().all(|n| n["status"] == "DEAD") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the set-up's deliveries die within 30 s: {data}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Everything of B a super admin can read (and the admins and tokens of B), to compare
/// before and after each mutation.
async fn snapshot(app: &TestApp, world: &World) -> Value {
    let b = &world.b;
    let mut data = app
        .gql(
            "query($i: ID!, $u: ID!) {
                instance(id: $i) {
                    id name description secondFactor updatedAt
                    users(first: 20) { nodes { id username displayName email phone externalId status hasPassword updatedAt groups { id } orgUnits { id } } }
                    groups(first: 20) { nodes { id name description updatedAt members(first: 20) { nodes { id } } } }
                    orgUnits(first: 20) { nodes { id name parentId updatedAt members(first: 20, includeSubUnits: false) { nodes { id } }
                        children(first: 20) { nodes { id name parentId updatedAt members(first: 20, includeSubUnits: false) { nodes { id } } } } } }
                    applications(first: 20) { nodes { id name enabled ssoEnabled initiation params spEntityId acsUrl accountMode nameIdFormat nameIdSuffix defaultRelayState spCertificatePem authnRequestsSigned updatedAt authorizationScope
                        accounts(first: 20) { nodes { id accountName userId updatedAt } }
                        accessGrants(first: 20) { nodes { id subjectKind subjectId } }
                        oidc { clientType authMethod redirectUris scopes secrets { id expiresAt } } } }
                    accessPolicies { id name description source enabled updatedAt }
                }
                signingKeys(instanceId: $i) { id state activatedAt retiredAt }
                eventSubscriptions(instanceId: $i) { id url eventTypes description enabled updatedAt }
                deliveries(instanceId: $i, first: 20) { totalCount nodes { id kind topic subscriptionId status attempts log { attempt } } }
                userSessions(instanceId: $i, userId: $u) { id }
                admins { id username roles { role instanceId applicationId } }
                apiTokens(first: 20) { nodes { id name revokedAt roles { role instanceId applicationId } } }
            }",
            json!({ "i": b.instance, "u": b.user }),
        )
        .await;
    // Admins and tokens are global: keep those of B.
    let of_b = |v: &Value| {
        let text = v.to_string();
        text.contains(&b.instance)
            || text.contains(&b.app)
            || v["id"] == b.admin.as_str()
            || v["id"] == b.token.as_str()
    };
    let admins: Vec<Value> = data["admins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| of_b(v))
        .cloned()
        .collect();
    data["admins"] = json!(admins);
    let tokens: Vec<Value> = data["apiTokens"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| of_b(v))
        .cloned()
        .collect();
    data["apiTokens"] = json!(tokens);
    data
}

/// Where two snapshots differ, as `path: before → after`.
fn differences(before: &Value, after: &Value, path: &str, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                differences(
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                    &format!("{path}.{key}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if before != after => out.push(format!(
            "{path}: {} → {}",
            clip(&before.to_string(), 120),
            clip(&after.to_string(), 120)
        )),
        _ => {}
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// A new name for what a row creates, so that no row fails on a name an earlier one took.
fn fresh(prefix: &str) -> String {
    let id = lanyard::ids::new_id().replace('-', "");
    format!("{prefix}{}", &id[id.len() - 12..])
}

type Vars = fn(&World, &str) -> Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// NOT_FOUND or FORBIDDEN, the same for both ids.
    Refused,
    /// A filter, not a lookup: the same answer for both ids (an empty list, typically).
    SameAnswer,
    /// An id inside the input that names another object (a member, a parent org unit, a
    /// subject, an application to simulate): the same answer for both ids, which may be a
    /// BAD_USER_INPUT on that field (what a console shows beside the field), a per-row error,
    /// or a removal that finds nothing to remove.
    Reference,
}

struct Row {
    /// The id argument probed: `Type.field.argument[.inputField…]`, as `schema.graphql`
    /// names it.
    covers: &'static str,
    /// The other arguments, for the printed table.
    with: &'static str,
    /// B's object put in the probed argument.
    target: Obj,
    doc: &'static str,
    /// The variables, given the probed id.
    vars: Vars,
    expect: Expect,
}

fn row(
    expect: Expect,
    covers: &'static str,
    with: &'static str,
    target: Obj,
    doc: &'static str,
    vars: Vars,
) -> Row {
    Row {
        covers,
        with,
        target,
        doc,
        vars,
        expect,
    }
}

const SIMULATE: &str = "query($input: SimulateAccessChangeInput!) { simulateAccessChange(input: $input) { evaluatedPairs gained lost } }";
const EXPLAIN: &str =
    "query($u: ID!, $a: ID!) { explainAccess(userId: $u, applicationId: $a) { allowed summary } }";
const USER_SESSIONS: &str =
    "query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { id } }";
const USER_FACTORS: &str =
    "query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { recoveryCodesLeft } }";
const DELIVERY: &str =
    "query($i: ID!, $id: ID!) { delivery(instanceId: $i, id: $id) { id topic status } }";
const CREATE_USER: &str = "mutation($i: ID!, $n: String!, $g: [ID!]!, $o: [ID!]!) { createUser(input: {instanceId: $i, username: $n, groupIds: $g, orgUnitIds: $o}) { __typename } }";
const IMPORT_USERS: &str = "mutation($i: ID!, $rows: [ImportUserRow!]!) { importUsers(input: {instanceId: $i, users: $rows}) { ok importedCount errors { row field code } } }";
const UPDATE_USER: &str = "mutation($i: ID!, $id: ID!) { updateUser(input: {instanceId: $i, id: $id, displayName: \"Changed\"}) { __typename } }";
const SET_USER_STATUS: &str = "mutation($i: ID!, $id: ID!) { setUserStatus(input: {instanceId: $i, id: $id, status: DISABLED}) { __typename } }";
const SET_USER_PASSWORD: &str = "mutation($i: ID!, $id: ID!) { setUserPassword(input: {instanceId: $i, id: $id, password: \"another password 1\"}) { __typename } }";
const DELETE_USER: &str =
    "mutation($i: ID!, $id: ID!) { deleteUser(input: {instanceId: $i, id: $id}) { __typename } }";
const UPDATE_GROUP: &str = "mutation($i: ID!, $id: ID!) { updateGroup(input: {instanceId: $i, id: $id, description: \"Changed\"}) { __typename } }";
const DELETE_GROUP: &str =
    "mutation($i: ID!, $id: ID!) { deleteGroup(input: {instanceId: $i, id: $id}) { __typename } }";
const ADD_GROUP_MEMBERS: &str = "mutation($i: ID!, $id: ID!, $u: [ID!]!) { addGroupMembers(input: {instanceId: $i, id: $id, userIds: $u}) { __typename } }";
const REMOVE_GROUP_MEMBERS: &str = "mutation($i: ID!, $id: ID!, $u: [ID!]!) { removeGroupMembers(input: {instanceId: $i, id: $id, userIds: $u}) { __typename } }";
const CREATE_ORG_UNIT: &str = "mutation($i: ID!, $n: String!, $p: ID) { createOrgUnit(input: {instanceId: $i, name: $n, parentId: $p}) { __typename } }";
const RENAME_ORG_UNIT: &str = "mutation($i: ID!, $id: ID!) { renameOrgUnit(input: {instanceId: $i, id: $id, name: \"Renamed\"}) { __typename } }";
const MOVE_ORG_UNIT: &str = "mutation($i: ID!, $id: ID!, $p: ID) { moveOrgUnit(input: {instanceId: $i, id: $id, parentId: $p}) { __typename } }";
const DELETE_ORG_UNIT: &str = "mutation($i: ID!, $id: ID!) { deleteOrgUnit(input: {instanceId: $i, id: $id}) { __typename } }";
const ADD_UNIT_MEMBERS: &str = "mutation($i: ID!, $id: ID!, $u: [ID!]!) { addOrgUnitMembers(input: {instanceId: $i, id: $id, userIds: $u}) { __typename } }";
const REMOVE_UNIT_MEMBERS: &str = "mutation($i: ID!, $id: ID!, $u: [ID!]!) { removeOrgUnitMembers(input: {instanceId: $i, id: $id, userIds: $u}) { __typename } }";
const CREATE_ADMIN: &str = "mutation($n: String!, $r: [RoleGrantInput!]!) { createAdmin(input: {username: $n, password: \"long-password-1\", roles: $r}) { __typename } }";
const SET_ADMIN_ROLES: &str = "mutation($id: ID!, $r: [RoleGrantInput!]!) { setAdminRoles(input: {id: $id, roles: $r}) { __typename } }";
const CREATE_API_TOKEN: &str = "mutation($r: [RoleGrantInput!]!) { createApiToken(input: {name: \"probe\", roles: $r}) { __typename } }";
const SET_ACCOUNT: &str = "mutation($a: ID!, $u: ID!) { setApplicationAccount(input: {applicationId: $a, userId: $u, accountName: \"probe\"}) { __typename } }";
const REMOVE_ACCOUNT: &str = "mutation($a: ID!, $u: ID!) { removeApplicationAccount(input: {applicationId: $a, userId: $u}) { removed } }";
const UPSERT_ACCOUNTS: &str = "mutation($a: ID!, $rows: [AccountRow!]!) { upsertApplicationAccounts(input: {applicationId: $a, accounts: $rows}) { ok count errors { row field code } } }";
const ACTIVATE_KEY: &str = "mutation($i: ID!, $id: ID!) { activateSigningKey(input: {instanceId: $i, id: $id}) { __typename } }";
const GRANT: &str = "mutation($a: ID!, $s: [SubjectInput!]!) { grantApplicationAccess(input: {applicationId: $a, subjects: $s}) { changed } }";
const REVOKE: &str = "mutation($a: ID!, $s: [SubjectInput!]!) { revokeApplicationAccess(input: {applicationId: $a, subjects: $s}) { changed } }";
const REVOKE_SESSION: &str = "mutation($i: ID!, $id: ID!) { revokeUserSession(input: {instanceId: $i, id: $id}) { revokedCount } }";
const PROVISIONING: &str =
    "query($i: ID!) { provisioning(instanceId: $i) { scimBaseUrl tokens { id } } }";
const CREATE_PROVISIONING_TOKEN: &str = "mutation($i: ID!) { createProvisioningToken(input: {instanceId: $i, name: \"x\"}) { secret } }";
const REVOKE_OIDC_SECRET: &str = "mutation($id: ID!, $s: ID!) { revokeOidcClientSecret(input: {id: $id, secretId: $s}) { __typename } }";
const REVOKE_PROVISIONING_TOKEN: &str = "mutation($i: ID!, $t: ID!) { revokeProvisioningToken(input: {instanceId: $i, id: $t}) { provisioningToken { id } } }";
const RESET_FACTORS: &str = "mutation($i: ID!, $u: ID!) { resetUserFactors(input: {instanceId: $i, userId: $u}) { removedCount } }";
const REVOKE_SESSIONS: &str = "mutation($i: ID!, $u: ID!) { revokeUserSessions(input: {instanceId: $i, userId: $u}) { revokedCount } }";
const INVITE: &str =
    "mutation($i: ID!, $u: ID!) { inviteUser(input: {instanceId: $i, userId: $u}) { __typename } }";
const UPDATE_SUBSCRIPTION: &str = "mutation($i: ID!, $id: ID!) { updateEventSubscription(input: {instanceId: $i, id: $id, enabled: false}) { __typename } }";
const PING_SUBSCRIPTION: &str = "mutation($i: ID!, $id: ID!) { pingEventSubscription(input: {instanceId: $i, id: $id}) { __typename } }";
const DELETE_SUBSCRIPTION: &str = "mutation($i: ID!, $id: ID!) { deleteEventSubscription(input: {instanceId: $i, id: $id}) { __typename } }";
const REDELIVER: &str =
    "mutation($i: ID!, $id: ID!) { redeliver(input: {instanceId: $i, id: $id}) { __typename } }";

/// Every id argument, probed. Queries first, then mutations that change, then those that
/// delete (so that a deletion that goes through spoils no later row).
fn table() -> Vec<Row> {
    vec![
        // Queries.
        row(
            Expect::Refused,
            "QueryRoot.instance.id",
            "",
            Obj::Instance,
            "query($id: ID!) { instance(id: $id) { id name } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "Instance.user.id",
            "instance(id: A)",
            Obj::User,
            "query($i: ID!, $id: ID!) { instance(id: $i) { user(id: $id) { id username } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "Instance.group.id",
            "instance(id: A)",
            Obj::Group,
            "query($i: ID!, $id: ID!) { instance(id: $i) { group(id: $id) { id name } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "Instance.orgUnit.id",
            "instance(id: A)",
            Obj::RootUnit,
            "query($i: ID!, $id: ID!) { instance(id: $i) { orgUnit(id: $id) { id name } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::SameAnswer,
            "Instance.orgUnits.parentId",
            "instance(id: A)",
            Obj::RootUnit,
            "query($i: ID!, $id: ID) { instance(id: $i) { orgUnits(parentId: $id) { totalCount nodes { id } } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::SameAnswer,
            "Instance.users.filter.groupId",
            "instance(id: A)",
            Obj::Group,
            "query($i: ID!, $id: ID) { instance(id: $i) { users(filter: {groupId: $id}) { totalCount nodes { id } } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Reference,
            "Instance.users.filter.orgUnitId",
            "instance(id: A)",
            Obj::RootUnit,
            "query($i: ID!, $id: ID) { instance(id: $i) { users(filter: {orgUnitId: $id}) { totalCount nodes { id } } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.auditEvents.instanceId",
            "",
            Obj::Instance,
            "query($id: ID) { auditEvents(instanceId: $id) { totalCount } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::SameAnswer,
            "QueryRoot.auditEvents.filter.targetId",
            "instanceId: A",
            Obj::User,
            "query($i: ID, $id: ID) { auditEvents(instanceId: $i, filter: {targetId: $id}) { totalCount nodes { id } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.application.id",
            "",
            Obj::App,
            "query($id: ID!) { application(id: $id) { id name } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "Application.nameIdFor.userId",
            "application(id: A's)",
            Obj::User,
            "query($a: ID!, $id: ID!) { application(id: $a) { nameIdFor(userId: $id) { nameId reason } } }",
            |w, id| json!({ "a": w.a.app, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.instanceActivity.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!) { instanceActivity(instanceId: $id) { from } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.signingKeys.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!) { signingKeys(instanceId: $id) { id } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.validateAccessPolicy.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!, $s: String!) { validateAccessPolicy(instanceId: $id, source: $s) { valid } }",
            |_, id| json!({ "id": id, "s": POLICY }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.explainAccess.userId",
            "applicationId: A's",
            Obj::User,
            EXPLAIN,
            |w, id| json!({ "u": id, "a": w.a.app }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.explainAccess.applicationId",
            "userId: A's",
            Obj::App,
            EXPLAIN,
            |w, id| json!({ "u": w.a.user, "a": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.simulateAccessChange.input.instanceId",
            "change: createPolicy",
            Obj::Instance,
            SIMULATE,
            |_, id| json!({ "input": { "instanceId": id, "change": { "createPolicy": POLICY } } }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.simulateAccessChange.input.change.updatePolicy.id",
            "instanceId: A",
            Obj::Policy,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "updatePolicy": { "id": id, "enabled": false } } } }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.simulateAccessChange.input.change.deletePolicyId",
            "instanceId: A",
            Obj::Policy,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "deletePolicyId": id } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.grant.applicationId",
            "instanceId: A, subjects: A's user",
            Obj::App,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "grant": { "applicationId": id, "subjects": [{ "kind": "USER", "id": w.a.user }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.grant.subjects.id",
            "instanceId: A, A's app, kind USER",
            Obj::User,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "grant": { "applicationId": w.a.app, "subjects": [{ "kind": "USER", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.grant.subjects.id",
            "instanceId: A, A's app, kind GROUP",
            Obj::Group,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "grant": { "applicationId": w.a.app, "subjects": [{ "kind": "GROUP", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.grant.subjects.id",
            "instanceId: A, A's app, kind ORG_UNIT",
            Obj::RootUnit,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "grant": { "applicationId": w.a.app, "subjects": [{ "kind": "ORG_UNIT", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.revoke.applicationId",
            "instanceId: A, subjects: A's user",
            Obj::App,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "revoke": { "applicationId": id, "subjects": [{ "kind": "USER", "id": w.a.user }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.revoke.subjects.id",
            "instanceId: A, A's app, kind USER",
            Obj::User,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "revoke": { "applicationId": w.a.app, "subjects": [{ "kind": "USER", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.revoke.subjects.id",
            "instanceId: A, A's app, kind GROUP",
            Obj::Group,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "revoke": { "applicationId": w.a.app, "subjects": [{ "kind": "GROUP", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.revoke.subjects.id",
            "instanceId: A, A's app, kind ORG_UNIT",
            Obj::RootUnit,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "revoke": { "applicationId": w.a.app, "subjects": [{ "kind": "ORG_UNIT", "id": id }] } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.change.setScope.applicationId",
            "instanceId: A",
            Obj::App,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "setScope": { "applicationId": id, "scope": "ALL_MEMBERS" } } } }),
        ),
        row(
            Expect::Reference,
            "QueryRoot.simulateAccessChange.input.applicationIds",
            "instanceId: A, change: createPolicy",
            Obj::App,
            SIMULATE,
            |w, id| json!({ "input": { "instanceId": w.a.instance, "change": { "createPolicy": POLICY }, "applicationIds": [id] } }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.userSessions.instanceId",
            "userId: B's",
            Obj::Instance,
            USER_SESSIONS,
            |w, id| json!({ "i": id, "u": w.b.user }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.userSessions.userId",
            "instanceId: A",
            Obj::User,
            USER_SESSIONS,
            |w, id| json!({ "i": w.a.instance, "u": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.provisioning.instanceId",
            "",
            Obj::Instance,
            PROVISIONING,
            |_, id| json!({ "i": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.userFactors.instanceId",
            "userId: B's",
            Obj::Instance,
            USER_FACTORS,
            |w, id| json!({ "i": id, "u": w.b.user }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.userFactors.userId",
            "instanceId: A",
            Obj::User,
            USER_FACTORS,
            |w, id| json!({ "i": w.a.instance, "u": id }),
        ),
        // The employee's own view: by the portal's session cookie, which an API token has not.
        row(
            Expect::SameAnswer,
            "QueryRoot.me.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!) { me(instanceId: $id) { id username } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.deliveries.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!) { deliveries(instanceId: $id) { totalCount } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::SameAnswer,
            "QueryRoot.deliveries.filter.subscriptionId",
            "instanceId: A",
            Obj::Subscription,
            "query($i: ID!, $id: ID) { deliveries(instanceId: $i, filter: {subscriptionId: $id}) { totalCount nodes { id } } }",
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.delivery.instanceId",
            "id: B's callback",
            Obj::Instance,
            DELIVERY,
            |w, id| json!({ "i": id, "id": w.b.event_delivery }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.delivery.id",
            "instanceId: A (a callback)",
            Obj::EventDelivery,
            DELIVERY,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.delivery.id",
            "instanceId: A (an email)",
            Obj::EmailDelivery,
            DELIVERY,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "QueryRoot.eventSubscriptions.instanceId",
            "",
            Obj::Instance,
            "query($id: ID!) { eventSubscriptions(instanceId: $id) { id } }",
            |_, id| json!({ "id": id }),
        ),
        // Mutations that change.
        row(
            Expect::Refused,
            "MutationRoot.updateInstance.input.id",
            "",
            Obj::Instance,
            "mutation($id: ID!) { updateInstance(input: {id: $id, name: \"Renamed\"}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createUser.input.instanceId",
            "",
            Obj::Instance,
            CREATE_USER,
            |_, id| json!({ "i": id, "n": fresh("u"), "g": [], "o": [] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.createUser.input.groupIds",
            "instanceId: A",
            Obj::Group,
            CREATE_USER,
            |w, id| json!({ "i": w.a.instance, "n": fresh("u"), "g": [id], "o": [] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.createUser.input.orgUnitIds",
            "instanceId: A",
            Obj::RootUnit,
            CREATE_USER,
            |w, id| json!({ "i": w.a.instance, "n": fresh("u"), "g": [], "o": [id] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.importUsers.input.instanceId",
            "",
            Obj::Instance,
            IMPORT_USERS,
            |_, id| json!({ "i": id, "rows": [{ "username": fresh("u") }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.importUsers.input.users.groupIds",
            "instanceId: A",
            Obj::Group,
            IMPORT_USERS,
            |w, id| json!({ "i": w.a.instance, "rows": [{ "username": fresh("u"), "groupIds": [id] }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.importUsers.input.users.orgUnitIds",
            "instanceId: A",
            Obj::RootUnit,
            IMPORT_USERS,
            |w, id| json!({ "i": w.a.instance, "rows": [{ "username": fresh("u"), "orgUnitIds": [id] }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateUser.input.instanceId",
            "id: B's user",
            Obj::Instance,
            UPDATE_USER,
            |w, id| json!({ "i": id, "id": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateUser.input.id",
            "instanceId: A",
            Obj::User,
            UPDATE_USER,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setUserStatus.input.instanceId",
            "id: B's user",
            Obj::Instance,
            SET_USER_STATUS,
            |w, id| json!({ "i": id, "id": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setUserStatus.input.id",
            "instanceId: A",
            Obj::User,
            SET_USER_STATUS,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setUserPassword.input.instanceId",
            "id: B's user",
            Obj::Instance,
            SET_USER_PASSWORD,
            |w, id| json!({ "i": id, "id": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setUserPassword.input.id",
            "instanceId: A",
            Obj::User,
            SET_USER_PASSWORD,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createGroup.input.instanceId",
            "",
            Obj::Instance,
            "mutation($i: ID!, $n: String!) { createGroup(input: {instanceId: $i, name: $n}) { __typename } }",
            |_, id| json!({ "i": id, "n": fresh("g") }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateGroup.input.instanceId",
            "id: B's group",
            Obj::Instance,
            UPDATE_GROUP,
            |w, id| json!({ "i": id, "id": w.b.group }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateGroup.input.id",
            "instanceId: A",
            Obj::Group,
            UPDATE_GROUP,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.addGroupMembers.input.instanceId",
            "id: B's group, userIds: B's user",
            Obj::Instance,
            ADD_GROUP_MEMBERS,
            |w, id| json!({ "i": id, "id": w.b.group, "u": [w.b.user] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.addGroupMembers.input.id",
            "instanceId: A, userIds: A's user",
            Obj::Group,
            ADD_GROUP_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": id, "u": [w.a.user] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.addGroupMembers.input.userIds",
            "instanceId: A, id: A's group",
            Obj::User,
            ADD_GROUP_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": w.a.group, "u": [id] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeGroupMembers.input.instanceId",
            "id: B's group, userIds: B's user",
            Obj::Instance,
            REMOVE_GROUP_MEMBERS,
            |w, id| json!({ "i": id, "id": w.b.group, "u": [w.b.user] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeGroupMembers.input.id",
            "instanceId: A, userIds: A's user",
            Obj::Group,
            REMOVE_GROUP_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": id, "u": [w.a.user] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.removeGroupMembers.input.userIds",
            "instanceId: A, id: A's group",
            Obj::User,
            REMOVE_GROUP_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": w.a.group, "u": [id] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createOrgUnit.input.instanceId",
            "",
            Obj::Instance,
            CREATE_ORG_UNIT,
            |_, id| json!({ "i": id, "n": fresh("o") }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.createOrgUnit.input.parentId",
            "instanceId: A",
            Obj::RootUnit,
            CREATE_ORG_UNIT,
            |w, id| json!({ "i": w.a.instance, "n": fresh("o"), "p": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.renameOrgUnit.input.instanceId",
            "id: B's unit",
            Obj::Instance,
            RENAME_ORG_UNIT,
            |w, id| json!({ "i": id, "id": w.b.child_unit }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.renameOrgUnit.input.id",
            "instanceId: A",
            Obj::ChildUnit,
            RENAME_ORG_UNIT,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.moveOrgUnit.input.instanceId",
            "id: B's child unit, to the root",
            Obj::Instance,
            MOVE_ORG_UNIT,
            |w, id| json!({ "i": id, "id": w.b.child_unit }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.moveOrgUnit.input.id",
            "instanceId: A, to the root",
            Obj::ChildUnit,
            MOVE_ORG_UNIT,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.moveOrgUnit.input.parentId",
            "instanceId: A, id: A's child unit",
            Obj::EmptyUnit,
            MOVE_ORG_UNIT,
            |w, id| json!({ "i": w.a.instance, "id": w.a.child_unit, "p": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.addOrgUnitMembers.input.instanceId",
            "id: B's root unit, userIds: B's user",
            Obj::Instance,
            ADD_UNIT_MEMBERS,
            |w, id| json!({ "i": id, "id": w.b.root_unit, "u": [w.b.user] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.addOrgUnitMembers.input.id",
            "instanceId: A, userIds: A's user",
            Obj::RootUnit,
            ADD_UNIT_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": id, "u": [w.a.user] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.addOrgUnitMembers.input.userIds",
            "instanceId: A, id: A's root unit",
            Obj::User,
            ADD_UNIT_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": w.a.root_unit, "u": [id] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeOrgUnitMembers.input.instanceId",
            "id: B's child unit, userIds: B's user",
            Obj::Instance,
            REMOVE_UNIT_MEMBERS,
            |w, id| json!({ "i": id, "id": w.b.child_unit, "u": [w.b.user] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeOrgUnitMembers.input.id",
            "instanceId: A, userIds: A's user",
            Obj::ChildUnit,
            REMOVE_UNIT_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": id, "u": [w.a.user] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.removeOrgUnitMembers.input.userIds",
            "instanceId: A, id: A's child unit",
            Obj::User,
            REMOVE_UNIT_MEMBERS,
            |w, id| json!({ "i": w.a.instance, "id": w.a.child_unit, "u": [id] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createAdmin.input.roles.instanceId",
            "role INSTANCE_ADMIN",
            Obj::Instance,
            CREATE_ADMIN,
            |_, id| json!({ "n": fresh("admin-"), "r": [{ "role": "INSTANCE_ADMIN", "instanceId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createAdmin.input.roles.applicationId",
            "role APP_ADMIN in A",
            Obj::App,
            CREATE_ADMIN,
            |w, id| json!({ "n": fresh("admin-"), "r": [{ "role": "APP_ADMIN", "instanceId": w.a.instance, "applicationId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setAdminRoles.input.id",
            "roles: none",
            Obj::Admin,
            SET_ADMIN_ROLES,
            |_, id| json!({ "id": id, "r": [] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setAdminRoles.input.roles.instanceId",
            "id: A's admin, role INSTANCE_ADMIN",
            Obj::Instance,
            SET_ADMIN_ROLES,
            |w, id| json!({ "id": w.a.admin, "r": [{ "role": "INSTANCE_ADMIN", "instanceId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setAdminRoles.input.roles.applicationId",
            "id: A's admin, role APP_ADMIN in A",
            Obj::App,
            SET_ADMIN_ROLES,
            |w, id| json!({ "id": w.a.admin, "r": [{ "role": "APP_ADMIN", "instanceId": w.a.instance, "applicationId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createApiToken.input.roles.instanceId",
            "role INSTANCE_ADMIN",
            Obj::Instance,
            CREATE_API_TOKEN,
            |_, id| json!({ "r": [{ "role": "INSTANCE_ADMIN", "instanceId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createApiToken.input.roles.applicationId",
            "role APP_ADMIN in A",
            Obj::App,
            CREATE_API_TOKEN,
            |w, id| json!({ "r": [{ "role": "APP_ADMIN", "instanceId": w.a.instance, "applicationId": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeApiToken.input.id",
            "",
            Obj::Token,
            "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.addApplication.input.instanceId",
            "",
            Obj::Instance,
            "mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: \"generic-saml2\", name: \"Probe\"}) { __typename } }",
            |_, id| json!({ "i": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateApplication.input.id",
            "",
            Obj::App,
            "mutation($id: ID!) { updateApplication(input: {id: $id, name: \"Renamed\", enabled: false}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.configureApplicationSso.input.id",
            "",
            Obj::App,
            "mutation($id: ID!) { configureApplicationSso(input: {id: $id, spEntityId: \"https://probe.example.com/saml\"}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.configureApplicationOidc.input.id",
            "",
            Obj::OidcApp,
            "mutation($id: ID!) { configureApplicationOidc(input: {id: $id, redirectUris: [\"https://probe.example.com/cb\"]}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.rotateOidcClientSecret.input.id",
            "",
            Obj::OidcApp,
            "mutation($id: ID!) { rotateOidcClientSecret(input: {id: $id, overlapSeconds: 0}) { secret } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeOidcClientSecret.input.id",
            "secretId: B's secret",
            Obj::OidcApp,
            REVOKE_OIDC_SECRET,
            |w, id| json!({ "id": id, "s": w.b.oidc_secret }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeOidcClientSecret.input.secretId",
            "id: A's OIDC application",
            Obj::OidcSecret,
            REVOKE_OIDC_SECRET,
            |w, id| json!({ "id": w.a.oidc_app, "s": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.importSpMetadata.input.id",
            "",
            Obj::App,
            "mutation($id: ID!, $x: String!) { importSpMetadata(input: {id: $id, metadataXml: $x}) { __typename } }",
            |_, id| json!({ "id": id, "x": SP_METADATA }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setApplicationAccount.input.applicationId",
            "userId: B's user",
            Obj::App,
            SET_ACCOUNT,
            |w, id| json!({ "a": id, "u": w.b.user }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.setApplicationAccount.input.userId",
            "applicationId: A's",
            Obj::User,
            SET_ACCOUNT,
            |w, id| json!({ "a": w.a.app, "u": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeApplicationAccount.input.applicationId",
            "userId: B's user",
            Obj::App,
            REMOVE_ACCOUNT,
            |w, id| json!({ "a": id, "u": w.b.user }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.removeApplicationAccount.input.userId",
            "applicationId: A's",
            Obj::User,
            REMOVE_ACCOUNT,
            |w, id| json!({ "a": w.a.app, "u": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.upsertApplicationAccounts.input.applicationId",
            "accounts: B's user",
            Obj::App,
            UPSERT_ACCOUNTS,
            |w, id| json!({ "a": id, "rows": [{ "userId": w.b.user, "accountName": "probe" }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.upsertApplicationAccounts.input.accounts.userId",
            "applicationId: A's",
            Obj::User,
            UPSERT_ACCOUNTS,
            |w, id| json!({ "a": w.a.app, "rows": [{ "userId": id, "accountName": "probe" }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.rotateSigningKey.input.instanceId",
            "",
            Obj::Instance,
            "mutation($i: ID!) { rotateSigningKey(input: {instanceId: $i}) { __typename } }",
            |_, id| json!({ "i": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.activateSigningKey.input.instanceId",
            "id: B's pending key",
            Obj::Instance,
            ACTIVATE_KEY,
            |w, id| json!({ "i": id, "id": w.b.pending_key }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.activateSigningKey.input.id",
            "instanceId: A",
            Obj::PendingKey,
            ACTIVATE_KEY,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createAccessPolicy.input.instanceId",
            "",
            Obj::Instance,
            "mutation($i: ID!, $n: String!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: $n, source: $s}) { __typename } }",
            |_, id| json!({ "i": id, "n": fresh("p"), "s": POLICY }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateAccessPolicy.input.id",
            "",
            Obj::Policy,
            "mutation($id: ID!) { updateAccessPolicy(input: {id: $id, enabled: false}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setAuthorizationScope.input.applicationId",
            "",
            Obj::App,
            "mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }",
            |_, id| json!({ "a": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.grantApplicationAccess.input.applicationId",
            "subjects: B's child unit",
            Obj::App,
            GRANT,
            |w, id| json!({ "a": id, "s": [{ "kind": "ORG_UNIT", "id": w.b.child_unit }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.grantApplicationAccess.input.subjects.id",
            "applicationId: A's, kind USER",
            Obj::User,
            GRANT,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "USER", "id": id }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.grantApplicationAccess.input.subjects.id",
            "applicationId: A's, kind GROUP",
            Obj::Group,
            GRANT,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "GROUP", "id": id }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.grantApplicationAccess.input.subjects.id",
            "applicationId: A's, kind ORG_UNIT",
            Obj::RootUnit,
            GRANT,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "ORG_UNIT", "id": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeApplicationAccess.input.applicationId",
            "subjects: B's user",
            Obj::App,
            REVOKE,
            |w, id| json!({ "a": id, "s": [{ "kind": "USER", "id": w.b.user }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.revokeApplicationAccess.input.subjects.id",
            "applicationId: A's, kind USER",
            Obj::User,
            REVOKE,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "USER", "id": id }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.revokeApplicationAccess.input.subjects.id",
            "applicationId: A's, kind GROUP",
            Obj::Group,
            REVOKE,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "GROUP", "id": id }] }),
        ),
        row(
            Expect::Reference,
            "MutationRoot.revokeApplicationAccess.input.subjects.id",
            "applicationId: A's, kind ORG_UNIT",
            Obj::RootUnit,
            REVOKE,
            |w, id| json!({ "a": w.a.app, "s": [{ "kind": "ORG_UNIT", "id": id }] }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeUserSession.input.instanceId",
            "id: B's session",
            Obj::Instance,
            REVOKE_SESSION,
            |w, id| json!({ "i": id, "id": w.b.session }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeUserSession.input.id",
            "instanceId: A",
            Obj::Session,
            REVOKE_SESSION,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeUserSessions.input.instanceId",
            "userId: B's user",
            Obj::Instance,
            REVOKE_SESSIONS,
            |w, id| json!({ "i": id, "u": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeUserSessions.input.userId",
            "instanceId: A",
            Obj::User,
            REVOKE_SESSIONS,
            |w, id| json!({ "i": w.a.instance, "u": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createProvisioningToken.input.instanceId",
            "",
            Obj::Instance,
            CREATE_PROVISIONING_TOKEN,
            |_, id| json!({ "i": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeProvisioningToken.input.instanceId",
            "id: B's token",
            Obj::Instance,
            REVOKE_PROVISIONING_TOKEN,
            |w, id| json!({ "i": id, "t": w.b.provisioning_token }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.revokeProvisioningToken.input.id",
            "instanceId: A",
            Obj::ProvisioningToken,
            REVOKE_PROVISIONING_TOKEN,
            |w, id| json!({ "i": w.a.instance, "t": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.resetUserFactors.input.instanceId",
            "userId: B's user",
            Obj::Instance,
            RESET_FACTORS,
            |w, id| json!({ "i": id, "u": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.resetUserFactors.input.userId",
            "instanceId: A",
            Obj::User,
            RESET_FACTORS,
            |w, id| json!({ "i": w.a.instance, "u": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.inviteUser.input.instanceId",
            "userId: B's user",
            Obj::Instance,
            INVITE,
            |w, id| json!({ "i": id, "u": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.inviteUser.input.userId",
            "instanceId: A",
            Obj::User,
            INVITE,
            |w, id| json!({ "i": w.a.instance, "u": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.createEventSubscription.input.instanceId",
            "",
            Obj::Instance,
            "mutation($i: ID!) { createEventSubscription(input: {instanceId: $i, url: \"http://127.0.0.1:1/probe\", eventTypes: [USER_CREATED]}) { __typename } }",
            |_, id| json!({ "i": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateEventSubscription.input.instanceId",
            "id: B's subscription",
            Obj::Instance,
            UPDATE_SUBSCRIPTION,
            |w, id| json!({ "i": id, "id": w.b.subscription }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.updateEventSubscription.input.id",
            "instanceId: A",
            Obj::Subscription,
            UPDATE_SUBSCRIPTION,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.pingEventSubscription.input.instanceId",
            "id: B's subscription",
            Obj::Instance,
            PING_SUBSCRIPTION,
            |w, id| json!({ "i": id, "id": w.b.subscription }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.pingEventSubscription.input.id",
            "instanceId: A",
            Obj::Subscription,
            PING_SUBSCRIPTION,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.redeliver.input.instanceId",
            "id: B's callback",
            Obj::Instance,
            REDELIVER,
            |w, id| json!({ "i": id, "id": w.b.event_delivery }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.redeliver.input.id",
            "instanceId: A (a callback)",
            Obj::EventDelivery,
            REDELIVER,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.redeliver.input.id",
            "instanceId: A (an email)",
            Obj::EmailDelivery,
            REDELIVER,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        // Mutations that delete.
        row(
            Expect::Refused,
            "MutationRoot.deleteUser.input.instanceId",
            "id: B's user",
            Obj::Instance,
            DELETE_USER,
            |w, id| json!({ "i": id, "id": w.b.user }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteUser.input.id",
            "instanceId: A",
            Obj::User,
            DELETE_USER,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteGroup.input.instanceId",
            "id: B's group",
            Obj::Instance,
            DELETE_GROUP,
            |w, id| json!({ "i": id, "id": w.b.group }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteGroup.input.id",
            "instanceId: A",
            Obj::Group,
            DELETE_GROUP,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteOrgUnit.input.instanceId",
            "id: B's empty unit",
            Obj::Instance,
            DELETE_ORG_UNIT,
            |w, id| json!({ "i": id, "id": w.b.empty_unit }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteOrgUnit.input.id",
            "instanceId: A",
            Obj::EmptyUnit,
            DELETE_ORG_UNIT,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.setAdminPassword.input.id",
            "password: a new one",
            Obj::Admin,
            "mutation($id: ID!) { setAdminPassword(input: {id: $id, password: \"a new admin password\"}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteAdmin.input.id",
            "",
            Obj::Admin,
            "mutation($id: ID!) { deleteAdmin(input: {id: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.resetAdminFactors.input.adminId",
            "",
            Obj::Admin,
            "mutation($id: ID!) { resetAdminFactors(input: {adminId: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        // An admin's own factors: a console session's, never a token's (B has none to name;
        // its user's id stands in).
        row(
            Expect::Refused,
            "MutationRoot.confirmMyTotp.input.factorId",
            "code: six digits",
            Obj::User,
            "mutation($id: ID!) { confirmMyTotp(input: {factorId: $id, code: \"123456\"}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.removeMyFactor.input.factorId",
            "",
            Obj::User,
            "mutation($id: ID!) { removeMyFactor(input: {factorId: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteApplication.input.id",
            "",
            Obj::App,
            "mutation($id: ID!) { deleteApplication(input: {id: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteAccessPolicy.input.id",
            "",
            Obj::Policy,
            "mutation($id: ID!) { deleteAccessPolicy(input: {id: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteEventSubscription.input.instanceId",
            "id: B's subscription",
            Obj::Instance,
            DELETE_SUBSCRIPTION,
            |w, id| json!({ "i": id, "id": w.b.subscription }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteEventSubscription.input.id",
            "instanceId: A",
            Obj::Subscription,
            DELETE_SUBSCRIPTION,
            |w, id| json!({ "i": w.a.instance, "id": id }),
        ),
        row(
            Expect::Refused,
            "MutationRoot.deleteInstance.input.id",
            "",
            Obj::Instance,
            "mutation($id: ID!) { deleteInstance(input: {id: $id}) { __typename } }",
            |_, id| json!({ "id": id }),
        ),
    ]
}

/// What an operation answered: its first error's code, `ROW <codes>` for a payload that
/// lists per-row errors, or `OK`; with the data (compared) and the message (printed).
#[derive(Debug)]
struct Outcome {
    code: String,
    data: Value,
    message: String,
}

impl Outcome {
    fn of(body: &Value) -> Outcome {
        if let Some(first) = body["errors"].as_array().and_then(|e| e.first()) {
            return Outcome {
                code: first["extensions"]["code"]
                    .as_str()
                    .unwrap_or("NO_CODE")
                    .to_owned(),
                data: Value::Null,
                message: first["message"].as_str().unwrap_or_default().to_owned(),
            };
        }
        let data = body["data"].clone();
        let rows: Vec<String> = data
            .as_object()
            .into_iter()
            .flat_map(|fields| fields.values())
            .filter_map(|payload| payload["errors"].as_array())
            .flatten()
            .map(|e| {
                format!(
                    "{}@{}",
                    e["code"].as_str().unwrap_or("?"),
                    e["field"].as_str().unwrap_or("?")
                )
            })
            .collect();
        let code = if rows.is_empty() {
            "OK".to_owned()
        } else {
            format!("ROW {}", rows.join(","))
        };
        Outcome {
            code,
            message: clip(&data.to_string(), 100),
            data,
        }
    }

    fn refused(&self) -> bool {
        let code = self.code.strip_prefix("ROW ").unwrap_or(&self.code);
        let code = code.split('@').next().unwrap_or_default();
        code == "NOT_FOUND" || code == "FORBIDDEN"
    }

    fn same_as(&self, other: &Outcome) -> bool {
        self.code == other.code && self.data == other.data
    }
}

const ORACLE: &str = "ORACLE: other instance and unknown id answer differently";
const CODE: &str = "CODE: the same answer, but not NOT_FOUND or FORBIDDEN";
const CHANGED: &str = "CHANGED B: a mutation changed instance B";

#[tokio::test]
async fn an_id_of_another_instance_answers_as_an_unknown_id_does() {
    let app = TestApp::spawn_with(configure).await;
    let world = World {
        a: populate(&app, "a").await,
        b: populate(&app, "b").await,
    };
    wait_until_dead(&app, &world.b).await;
    let caller = app
        .token_with_roles(json!([{ "role": "INSTANCE_ADMIN", "instanceId": world.a.instance }]))
        .await;

    let rows = table();
    let mut problems: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut before = snapshot(&app, &world).await;
    println!("The caller is an INSTANCE_ADMIN of A. {ORACLE}; {CODE}; {CHANGED}.");
    println!(
        "{:<70} {:<44} {:<28} {:<28} verdict",
        "operation (the probed id)", "other arguments", "other instance", "unknown id"
    );
    for row in &rows {
        let other = world.b.get(row.target);
        let unknown = lanyard::ids::new_id();
        let for_unknown = Outcome::of(
            &app.gql_as(&caller, row.doc, (row.vars)(&world, &unknown))
                .await,
        );
        let for_other = Outcome::of(
            &app.gql_as(&caller, row.doc, (row.vars)(&world, other))
                .await,
        );
        let label = format!("{} [{}]", row.covers, row.with);
        let answers = format!(
            "other instance {} ({}), unknown id {} ({})",
            for_other.code,
            clip(&for_other.message, 100),
            for_unknown.code,
            clip(&for_unknown.message, 100),
        );
        let mut verdict = Vec::new();
        if !for_other.same_as(&for_unknown) {
            verdict.push("ORACLE");
            problems
                .entry(ORACLE)
                .or_default()
                .push(format!("{label}: {answers}"));
        } else {
            let acceptable = match row.expect {
                Expect::Refused => for_other.refused(),
                Expect::SameAnswer => for_other.code == "OK" || for_other.refused(),
                Expect::Reference => {
                    for_other.code == "OK"
                        || for_other.refused()
                        || for_other
                            .code
                            .trim_start_matches("ROW ")
                            .split(',')
                            .all(|code| code.starts_with("BAD_USER_INPUT"))
                }
            };
            if !acceptable {
                verdict.push("CODE");
                problems
                    .entry(CODE)
                    .or_default()
                    .push(format!("{label}: {answers}"));
            }
        }
        if row.doc.starts_with("mutation") {
            let after = snapshot(&app, &world).await;
            if after != before {
                let mut changed = Vec::new();
                differences(&before, &after, "", &mut changed);
                verdict.push("CHANGED B");
                problems
                    .entry(CHANGED)
                    .or_default()
                    .push(format!("{label}: {}", changed.join("; ")));
                before = after;
            }
        }
        println!(
            "{:<70} {:<44} {:<28} {:<28} {}",
            row.covers,
            row.with,
            clip(&for_other.code, 28),
            clip(&for_unknown.code, 28),
            if verdict.is_empty() {
                "ok".to_owned()
            } else {
                verdict.join(", ")
            }
        );
    }

    // The snapshot is not blind: a change to B made by a super admin shows.
    app.gql(
        UPDATE_GROUP,
        json!({ "i": world.b.instance, "id": world.b.group }),
    )
    .await;
    assert_ne!(
        snapshot(&app, &world).await,
        before,
        "the snapshot sees a change of B"
    );

    let count: usize = problems.values().map(Vec::len).sum();
    let report: Vec<String> = problems
        .iter()
        .map(|(kind, list)| format!("{kind} ({}):\n  {}", list.len(), list.join("\n  ")))
        .collect();
    println!("{} rows, {count} problem(s)", rows.len());
    assert!(
        problems.is_empty(),
        "{count} problem(s) in {} rows:\n{}",
        rows.len(),
        report.join("\n")
    );
    app.stop().await;
}

/// A field or input field of the SDL: its name, its arguments (name and named type) and its
/// named type (lists and `!` dropped).
struct SdlField {
    name: String,
    args: Vec<(String, String)>,
    ty: String,
}

fn named_type(text: &str) -> String {
    text.split('=')
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches(|c| c == '[' || c == ']' || c == '!')
        .to_owned()
}

/// Splits `a: Int, b: [X!]! = [], c: String = "x, y"` at its top-level commas.
fn split_arguments(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' | '(' if !quoted => depth += 1,
            ']' | '}' | ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current);
    }
    parts
}

/// The object and input types of an SDL, by name (`true` for input types).
fn parse_sdl(sdl: &str) -> BTreeMap<String, (bool, Vec<SdlField>)> {
    let mut types = BTreeMap::new();
    let mut current: Option<(String, bool, Vec<SdlField>)> = None;
    let mut in_description = false;
    for line in sdl.lines() {
        let line = line.trim();
        if line.starts_with("\"\"\"") {
            let single = line.len() > 3 && line.ends_with("\"\"\"");
            if !single {
                in_description = !in_description;
            }
            continue;
        }
        if in_description || line.is_empty() || line.starts_with('"') || line.starts_with('#') {
            continue;
        }
        if line == "}" {
            if let Some((name, input, fields)) = current.take() {
                types.insert(name, (input, fields));
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.ends_with('{') && matches!(words.first(), Some(&"type") | Some(&"input")) {
            current = Some((words[1].to_owned(), words[0] == "input", Vec::new()));
            continue;
        }
        if line.ends_with('{') {
            // enum, interface, union or schema: nothing with id arguments.
            current = None;
            continue;
        }
        let Some((_, _, fields)) = current.as_mut() else {
            continue;
        };
        let name_end = line.find(['(', ':']).unwrap_or(line.len());
        let name = line[..name_end].trim().to_owned();
        let mut args = Vec::new();
        let mut rest = &line[name_end..];
        if rest.starts_with('(') {
            let mut depth = 0;
            let mut close = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for arg in split_arguments(&rest[1..close]) {
                if let Some((arg_name, ty)) = arg.split_once(':') {
                    args.push((arg_name.trim().to_owned(), named_type(ty)));
                }
            }
            rest = &rest[(close + 1).min(rest.len())..];
        }
        let ty = named_type(rest.trim_start_matches([' ', ':']));
        fields.push(SdlField { name, args, ty });
    }
    types
}

/// Every argument of an object type's field that is an `ID`, or holds one in an input object:
/// `Type.field.argument[.inputField…]`.
fn id_arguments(sdl: &str) -> BTreeSet<String> {
    fn walk(
        types: &BTreeMap<String, (bool, Vec<SdlField>)>,
        path: String,
        ty: &str,
        depth: usize,
        out: &mut BTreeSet<String>,
    ) {
        if ty == "ID" {
            out.insert(path);
        } else if let Some((true, fields)) = types.get(ty) {
            if depth < 8 {
                for field in fields {
                    walk(
                        types,
                        format!("{path}.{}", field.name),
                        &field.ty,
                        depth + 1,
                        out,
                    );
                }
            }
        }
    }
    let types = parse_sdl(sdl);
    let mut out = BTreeSet::new();
    for (type_name, (input, fields)) in &types {
        if *input {
            continue;
        }
        for field in fields {
            for (arg, ty) in &field.args {
                walk(
                    &types,
                    format!("{type_name}.{}.{arg}", field.name),
                    ty,
                    0,
                    &mut out,
                );
            }
        }
    }
    out
}

#[test]
fn every_id_argument_of_the_schema_has_a_row() {
    let schema = id_arguments(&lanyard::graphql::sdl());
    for known in [
        "QueryRoot.instance.id",
        "QueryRoot.simulateAccessChange.input.change.grant.subjects.id",
        "MutationRoot.importUsers.input.users.orgUnitIds",
        "MutationRoot.setAdminRoles.input.roles.applicationId",
        "Instance.users.filter.groupId",
    ] {
        assert!(
            schema.contains(known),
            "the SDL reader finds {known}: {schema:?}"
        );
    }
    let covered: BTreeSet<String> = table().iter().map(|r| r.covers.to_owned()).collect();
    let missing: Vec<&String> = schema.difference(&covered).collect();
    let unknown: Vec<&String> = covered.difference(&schema).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "id arguments without a row in cross_instance::table(): {missing:#?}\nrows naming no id argument of the schema: {unknown:#?}"
    );
}
