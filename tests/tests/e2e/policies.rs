//! The request fixtures in `policies/ALLOW` and `policies/DENY` replayed against the base
//! policies: each ALLOW fixture must be allowed, each DENY denied. Every permit (and the grant
//! template, through a link) must be the reason of at least one ALLOW fixture, every forbid the
//! reason of at least one DENY fixture.
//!
//! A fixture of the `sso` action may carry `links`: grants of the authorization scope, each
//! `{"id", "principal"}` linked to the grant template with the request's resource.

use std::collections::BTreeSet;
use std::path::Path;

use std::collections::HashMap;

use cedar_policy::{Context, Entities, EntityUid, PolicyId, Request, SlotId};
use lanyard::authz::{PolicyEngine, GRANT_TEMPLATE, SSO_ACTION};
use serde_json::Value;

fn fixtures(kind: &str) -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../policies")
        .join(kind);
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                value,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

fn decide(engine: &PolicyEngine, name: &str, fixture: &Value) -> lanyard::authz::Verdict {
    let uid = |key: &str| {
        EntityUid::from_json(fixture[key].clone()).unwrap_or_else(|e| panic!("{name}: {key}: {e}"))
    };
    let action = uid("action");
    let schema_action = (engine.schema(), &action);
    let context = Context::from_json_value(
        fixture
            .get("context")
            .cloned()
            .unwrap_or(Value::Object(Default::default())),
        Some(schema_action),
    )
    .unwrap_or_else(|e| panic!("{name}: context: {e}"));
    let request = Request::new(
        uid("principal"),
        action.clone(),
        uid("resource"),
        context,
        Some(engine.schema()),
    )
    .unwrap_or_else(|e| panic!("{name}: request does not fit the schema: {e}"));
    let entities = Entities::from_json_value(fixture["entities"].clone(), Some(engine.schema()))
        .unwrap_or_else(|e| panic!("{name}: entities: {e}"));
    if action.id().unescaped() != SSO_ACTION {
        assert!(fixture.get("links").is_none(), "{name}: links are for sso");
        return engine.decide(&request, &entities);
    }
    let mut set = engine.access_policies().clone();
    for link in fixture["links"].as_array().cloned().unwrap_or_default() {
        let principal = EntityUid::from_json(link["principal"].clone())
            .unwrap_or_else(|e| panic!("{name}: link principal: {e}"));
        let id = link["id"].as_str().expect("link id");
        set.link(
            PolicyId::new(GRANT_TEMPLATE),
            PolicyId::new(id),
            HashMap::from([
                (SlotId::principal(), principal),
                (SlotId::resource(), uid("resource")),
            ]),
        )
        .unwrap_or_else(|e| panic!("{name}: link {id}: {e}"));
    }
    let mut verdict = engine.decide_with(&request, &set, &entities);
    // A link decides as its template: count it as the template's coverage.
    for reason in &mut verdict.determining {
        if set
            .policy(&PolicyId::new(reason.as_str()))
            .and_then(|p| p.template_id())
            .is_some_and(|t| t.to_string() == GRANT_TEMPLATE)
        {
            *reason = GRANT_TEMPLATE.to_owned();
        }
    }
    verdict
}

fn is_forbid(engine: &PolicyEngine, id: &str) -> bool {
    [engine.access_policies(), engine.admin_policies()]
        .iter()
        .filter_map(|set| set.policy(&PolicyId::new(id)))
        .any(|p| p.effect() == cedar_policy::Effect::Forbid)
}

#[test]
fn allow_fixtures_are_allowed_and_cover_every_base_policy() {
    let engine = PolicyEngine::embedded().unwrap();
    let mut reasons = BTreeSet::new();
    for (name, fixture) in fixtures("ALLOW") {
        let verdict = decide(&engine, &name, &fixture);
        assert!(verdict.allowed, "{name} should be allowed: {verdict:?}");
        assert!(verdict.errors.is_empty(), "{name}: {verdict:?}");
        reasons.extend(verdict.determining);
    }
    let permits: BTreeSet<String> = engine
        .base_policy_ids()
        .into_iter()
        .filter(|id| !is_forbid(&engine, id))
        .collect();
    let uncovered: Vec<_> = permits.difference(&reasons).collect();
    assert!(
        uncovered.is_empty(),
        "base policies no ALLOW fixture exercises: {uncovered:?}"
    );
}

#[test]
fn every_forbid_is_the_reason_of_a_deny_fixture() {
    let engine = PolicyEngine::embedded().unwrap();
    let mut reasons = BTreeSet::new();
    for (name, fixture) in fixtures("DENY") {
        reasons.extend(decide(&engine, &name, &fixture).determining);
    }
    let forbids: BTreeSet<String> = engine
        .base_policy_ids()
        .into_iter()
        .filter(|id| is_forbid(&engine, id))
        .collect();
    assert!(!forbids.is_empty());
    let uncovered: Vec<_> = forbids.difference(&reasons).collect();
    assert!(
        uncovered.is_empty(),
        "forbid policies no DENY fixture exercises: {uncovered:?}"
    );
}

#[test]
fn deny_fixtures_are_denied() {
    let engine = PolicyEngine::embedded().unwrap();
    for (name, fixture) in fixtures("DENY") {
        let verdict = decide(&engine, &name, &fixture);
        assert!(!verdict.allowed, "{name} should be denied: {verdict:?}");
    }
}

/// `lanyard serve --policy-dir` with a policy that breaks the schema: the server refuses to
/// start and says which file; with the repository's own files it starts.
#[tokio::test]
async fn the_server_refuses_to_start_with_an_invalid_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    for name in ["schema.cedarschema", "admin.cedar", "access.cedar"] {
        std::fs::copy(repo.join(name), policies.join(name)).unwrap();
    }
    let url = lanyard_tests::fresh_database(&dir).await;
    let started = lanyard_tests::ServerProcess::start(
        &url,
        dir.path(),
        &["--policy-dir", policies.to_str().unwrap()],
    )
    .await;
    drop(started);

    std::fs::write(
        policies.join("office.cedar"),
        "@id(\"office\")\nforbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.sourceIP == \"x\" };\n",
    )
    .unwrap();
    let output = tokio::process::Command::new(lanyard_tests::lanyard_binary())
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--database-url", &url])
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--policy-dir")
        .arg(&policies)
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Cedar policies") && stderr.contains("sourceIP"),
        "{stderr}"
    );
}
