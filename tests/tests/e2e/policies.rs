//! The request fixtures in `policies/ALLOW` and `policies/DENY` replayed against the base
//! policies: each ALLOW fixture must be allowed, each DENY denied, and every base policy must
//! be the reason of at least one ALLOW fixture.

use std::collections::BTreeSet;
use std::path::Path;

use cedar_policy::{Context, Entities, EntityUid, Request};
use lanyard::authz::PolicyEngine;
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
    let context = Context::from_json_value(
        fixture
            .get("context")
            .cloned()
            .unwrap_or(Value::Object(Default::default())),
        None,
    )
    .unwrap_or_else(|e| panic!("{name}: context: {e}"));
    let request = Request::new(
        uid("principal"),
        uid("action"),
        uid("resource"),
        context,
        Some(engine.schema()),
    )
    .unwrap_or_else(|e| panic!("{name}: request does not fit the schema: {e}"));
    let entities = Entities::from_json_value(fixture["entities"].clone(), Some(engine.schema()))
        .unwrap_or_else(|e| panic!("{name}: entities: {e}"));
    engine.decide(&request, &entities)
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
    let all: BTreeSet<String> = engine.base_policy_ids().into_iter().collect();
    let uncovered: Vec<_> = all.difference(&reasons).collect();
    assert!(
        uncovered.is_empty(),
        "base policies no ALLOW fixture exercises: {uncovered:?}"
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
