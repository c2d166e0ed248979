//! The Cedar entities of one decision.
//!
//! Cedar computes the transitive closure of the entities it is given on every decision, and
//! that computation cost more than the rest of a decision. So a decision normally gets only
//! two entities: the application in its instance, and the user, whose parents are
//! already the ancestors that matter: the instance, and those of their groups and org units
//! (sub-units included) that a grant link being evaluated or one of the instance's policies
//! names.
//!
//! That is exactly the decision the whole directory would give. With this schema, the right
//! of an `in` can only be the principal, the resource, `principal.instance`, a grant's
//! subject or an entity literal of a policy (no other attribute or context value holds an
//! entity), and for the principal only these ancestors can ever be asked about. A policy that
//! asks about a group or an org unit itself (`Lanyard::OrgUnit::"a" in
//! Lanyard::OrgUnit::"b"`, say) needs those entities with their own parents: an instance with
//! such a policy gets the whole chain ([`reads_directory`]). A unit test compares both forms.

use std::collections::{HashMap, HashSet};

use cedar_policy::{Entity, EntityUid, Policy, RestrictedExpression};
use serde_json::Value;

use super::facts::{AppFacts, Link, LinkSubject, UserFacts};
use crate::authz::{Kind, Names};

/// Whether a policy consults a group's or an org unit's own entity: it names one anywhere but
/// on the right of `in` (or in a set there). Conservative: anything it cannot place counts.
pub fn reads_directory(policy: &Policy) -> bool {
    let Ok(est) = policy.to_json() else {
        return true;
    };
    est.get("conditions")
        .and_then(Value::as_array)
        .is_some_and(|conditions| {
            conditions
                .iter()
                .any(|condition| names_directory_entity(condition.get("body"), false))
        })
}

/// Walks an expression of Cedar's JSON policy format; `right_of_in` is true where an entity
/// is only tested as an ancestor.
fn names_directory_entity(expr: Option<&Value>, right_of_in: bool) -> bool {
    let Some(expr) = expr else {
        return false;
    };
    match expr {
        Value::Array(items) => items
            .iter()
            .any(|item| names_directory_entity(Some(item), false)),
        Value::Object(map) => {
            if let Some(entity) = map.get("__entity") {
                let kind = entity.get("type").and_then(Value::as_str).unwrap_or("");
                let directory = kind.ends_with("::Group")
                    || kind.ends_with("::OrgUnit")
                    || kind == "Group"
                    || kind == "OrgUnit";
                return directory && !right_of_in;
            }
            if let (1, Some(Value::Object(operands))) = (map.len(), map.get("in")) {
                return names_directory_entity(operands.get("left"), false)
                    || names_directory_entity(operands.get("right"), true);
            }
            if let (1, Some(value)) = (map.len(), map.get("Value")) {
                return names_directory_entity(Some(value), right_of_in);
            }
            if let (1, Some(Value::Array(items))) = (map.len(), map.get("Set")) {
                return items
                    .iter()
                    .any(|item| names_directory_entity(Some(item), right_of_in));
            }
            if let (1, Some(Value::Object(operands))) = (map.len(), map.get("is")) {
                return operands
                    .iter()
                    .any(|(key, value)| names_directory_entity(Some(value), key == "in"));
            }
            map.values()
                .any(|value| names_directory_entity(Some(value), false))
        }
        _ => false,
    }
}

/// Which of the user's ancestors a decision lists.
pub enum Ancestors<'a> {
    /// Every group and org unit, each also as an entity with its own parents.
    Directory,
    /// The instance and the groups and units that these links or policy literals name.
    Named {
        links: &'a [Link],
        literals: &'a HashSet<EntityUid>,
    },
}

impl Ancestors<'_> {
    fn wanted(&self, candidate: &EntityUid, subject: &LinkSubject) -> bool {
        match self {
            Ancestors::Directory => true,
            Ancestors::Named { links, literals } => {
                links.iter().any(|link| &link.subject == subject) || literals.contains(candidate)
            }
        }
    }
}

/// The group and org-unit literals of a policy: the ancestors it may ask about.
pub fn directory_literals(policy: &Policy) -> impl Iterator<Item = EntityUid> {
    policy.entity_literals().into_iter().filter(|literal| {
        let kind = literal.type_name().basename();
        kind == "Group" || kind == "OrgUnit"
    })
}

/// The entities of a decision.
pub fn of(user: &UserFacts, app: &AppFacts, wanted: &Ancestors<'_>) -> Result<Vec<Entity>, String> {
    let directory = matches!(wanted, Ancestors::Directory);
    let names = Names::get()?;
    let uid = |kind, id: &str| names.uid(kind, id);
    let instance = |id: &str| uid(Kind::Instance, id);
    // Instances are named as parents but listed only with the whole directory: they have no
    // attributes and no parents the policies may ask about, and Cedar treats an unlisted entity
    // exactly so.
    let mut out = vec![Entity::new_no_attrs(
        uid(Kind::Application, &app.id),
        [instance(&app.instance_id)].into(),
    )];
    if directory {
        out.push(Entity::with_uid(instance(&user.instance_id)));
        if app.instance_id != user.instance_id {
            out.push(Entity::with_uid(instance(&app.instance_id)));
        }
    }
    let mut ancestors: HashSet<EntityUid> = [instance(&user.instance_id)].into();
    for group in &user.groups {
        let group_uid = uid(Kind::Group, group);
        if directory {
            out.push(Entity::new_no_attrs(
                group_uid.clone(),
                [instance(&user.instance_id)].into(),
            ));
        }
        if wanted.wanted(&group_uid, &LinkSubject::Group(group.clone())) {
            ancestors.insert(group_uid);
        }
    }
    let mut seen = HashSet::new();
    for path in &user.org_unit_paths {
        let chain: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for (depth, unit) in chain.iter().enumerate() {
            if !seen.insert(*unit) {
                continue;
            }
            let unit_uid = uid(Kind::OrgUnit, unit);
            if directory {
                let parent = match depth.checked_sub(1).and_then(|d| chain.get(d)) {
                    Some(up) => uid(Kind::OrgUnit, up),
                    None => instance(&user.instance_id),
                };
                out.push(Entity::new_no_attrs(unit_uid.clone(), [parent].into()));
            }
            if wanted.wanted(&unit_uid, &LinkSubject::OrgUnit((*unit).to_owned())) {
                ancestors.insert(unit_uid);
            }
        }
    }
    let attrs = HashMap::from([
        (
            "username".to_owned(),
            RestrictedExpression::new_string(user.username.clone()),
        ),
        (
            "displayName".to_owned(),
            RestrictedExpression::new_string(user.display_name.clone()),
        ),
        (
            "email".to_owned(),
            RestrictedExpression::new_string(user.email.clone()),
        ),
        (
            "status".to_owned(),
            RestrictedExpression::new_string(user.status.clone()),
        ),
        (
            "instance".to_owned(),
            RestrictedExpression::new_entity_uid(instance(&user.instance_id)),
        ),
    ]);
    out.push(
        Entity::new(uid(Kind::User, &user.id), attrs, ancestors).map_err(|err| err.to_string())?,
    );
    Ok(out)
}
