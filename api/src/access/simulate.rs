//! What-if: the (user, application) pairs a proposed policy or grant change would let in or
//! shut out, computed by deciding every pair before and after with the same engine and
//! context. Nothing is saved.

use std::collections::HashMap;
use std::sync::Arc;

use entity::access_grant;
use entity::application::{self, AuthorizationScope};
use entity::{access_policy, group_member, org_unit, org_unit_member, user};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};

use super::facts::{AppFacts, Link, UserFacts};
use super::grants::Subject;
use super::{Access, AccessContext, AccessService, InstancePolicies};
use crate::authz::admin::{actions, InstancePermit};
use crate::error::{AppError, AppResult};

/// The most (user, application) pairs one simulation decides; beyond it, name applications.
pub const MAX_PAIRS: usize = 250_000;

/// A change an admin is considering.
#[derive(Clone, Debug)]
pub enum ProposedChange {
    CreatePolicy {
        source: String,
    },
    UpdatePolicy {
        id: String,
        source: Option<String>,
        enabled: Option<bool>,
    },
    DeletePolicy {
        id: String,
    },
    Grant {
        application_id: String,
        subjects: Vec<Subject>,
    },
    Revoke {
        application_id: String,
        subjects: Vec<Subject>,
    },
    SetScope {
        application_id: String,
        scope: AuthorizationScope,
    },
}

/// One pair whose decision the change would flip.
#[derive(Clone, Debug)]
pub struct AccessChange {
    pub user: user::Model,
    pub application: application::Model,
    /// Allowed after the change (so: gains access); false means it loses access.
    pub gains: bool,
}

pub struct Simulation {
    pub changes: Vec<AccessChange>,
    /// How many pairs were decided (twice each).
    pub evaluated_pairs: usize,
}

struct Directory {
    users: Vec<(user::Model, UserFacts)>,
    apps: Vec<application::Model>,
    grants: Vec<access_grant::Model>,
    policies: Vec<access_policy::Model>,
    version: i64,
}

/// Runs the simulation. `application_ids` narrows which applications are decided (all of the
/// instance when `None`); grant and scope changes only ever affect their own application.
pub async fn simulate(
    access: &Access,
    permit: &InstancePermit<actions::ExplainAccess>,
    change: ProposedChange,
    application_ids: Option<Vec<String>>,
    context: AccessContext,
) -> AppResult<Simulation> {
    let instance_id = permit.instance_id();
    let mut only = application_ids;
    if let ProposedChange::Grant { application_id, .. }
    | ProposedChange::Revoke { application_id, .. }
    | ProposedChange::SetScope { application_id, .. } = &change
    {
        only = Some(vec![application_id.clone()]);
    }
    let directory = load(access, instance_id, only.as_deref()).await?;
    if let Some(ids) = &only {
        if let Some(missing) = ids
            .iter()
            .find(|id| !directory.apps.iter().any(|a| &a.id == *id))
        {
            return Err(AppError::bad_input(
                "applicationIds",
                format!("no application {missing:?} in this instance"),
            ));
        }
    }
    let pairs = directory.users.len() * directory.apps.len();
    if pairs > MAX_PAIRS {
        return Err(AppError::bad_input(
            "applicationIds",
            format!(
                "{pairs} user-application pairs is more than one simulation decides ({MAX_PAIRS}): name fewer applications"
            ),
        ));
    }
    let engine = access.engine.clone();
    let before = InstancePolicies::build(&engine, directory.version, &directory.policies);
    let mut after_policies = directory.policies.clone();
    let mut after_grants = directory.grants.clone();
    let mut after_apps = directory.apps.clone();
    match &change {
        ProposedChange::CreatePolicy { source } => {
            super::policies::check(access, source)?;
            after_policies.push(access_policy::Model {
                id: "proposed".into(),
                instance_id: instance_id.to_owned(),
                name: "the proposed policy".into(),
                description: String::new(),
                source: source.clone(),
                enabled: true,
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
            });
        }
        ProposedChange::UpdatePolicy {
            id,
            source,
            enabled,
        } => {
            if let Some(source) = source {
                super::policies::check(access, source)?;
            }
            let row = after_policies
                .iter_mut()
                .find(|p| &p.id == id)
                .ok_or(AppError::NotFound("access policy"))?;
            if let Some(source) = source {
                row.source.clone_from(source);
            }
            if let Some(enabled) = enabled {
                row.enabled = *enabled;
            }
        }
        ProposedChange::DeletePolicy { id } => {
            let before_len = after_policies.len();
            after_policies.retain(|p| &p.id != id);
            if after_policies.len() == before_len {
                return Err(AppError::NotFound("access policy"));
            }
        }
        ProposedChange::Grant {
            application_id,
            subjects,
        } => {
            super::grants::ensure_subjects(&access.store.conn, instance_id, subjects).await?;
            for subject in subjects {
                let known = after_grants.iter().any(|g| {
                    &g.application_id == application_id
                        && g.subject_kind == subject.kind
                        && g.subject_id == subject.id
                });
                if !known {
                    after_grants.push(access_grant::Model {
                        id: format!("proposed-{}", subject.id),
                        instance_id: instance_id.to_owned(),
                        application_id: application_id.clone(),
                        subject_kind: subject.kind,
                        subject_id: subject.id.clone(),
                        created_at: chrono::Utc::now(),
                    });
                }
            }
        }
        ProposedChange::Revoke {
            application_id,
            subjects,
        } => {
            after_grants.retain(|g| {
                &g.application_id != application_id
                    || !subjects
                        .iter()
                        .any(|s| s.kind == g.subject_kind && s.id == g.subject_id)
            });
        }
        ProposedChange::SetScope {
            application_id,
            scope,
        } => {
            for app in after_apps.iter_mut().filter(|a| &a.id == application_id) {
                app.authorization_scope = *scope;
            }
        }
    }
    let after = InstancePolicies::build(&engine, directory.version, &after_policies);
    let service = access.decisions.clone();
    let changes = tokio::task::spawn_blocking(move || {
        compare(
            &service,
            &directory,
            (&before, &directory.apps, &directory.grants),
            (&after, &after_apps, &after_grants),
            &context,
        )
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::anyhow!("simulation: {err}")))?;
    Ok(Simulation {
        changes,
        evaluated_pairs: pairs,
    })
}

type World<'a> = (
    &'a InstancePolicies,
    &'a [application::Model],
    &'a [access_grant::Model],
);

fn compare(
    service: &Arc<AccessService>,
    directory: &Directory,
    before: World<'_>,
    after: World<'_>,
    context: &AccessContext,
) -> Vec<AccessChange> {
    let (before_grants, after_grants) = (by_subject(before.2), by_subject(after.2));
    let mut out = Vec::new();
    for (index, app) in before.1.iter().enumerate() {
        let (old_app, new_app) = (AppFacts::from(app), AppFacts::from(&after.1[index]));
        for (user, facts) in &directory.users {
            let decide = |policies: &InstancePolicies, app: &AppFacts, grants: &GrantIndex<'_>| {
                let links = links_of(app, facts, grants);
                service
                    .evaluate(policies, facts, app, &links, context)
                    .allowed
            };
            let was = decide(before.0, &old_app, &before_grants);
            let will = decide(after.0, &new_app, &after_grants);
            if was != will {
                out.push(AccessChange {
                    user: user.clone(),
                    application: after.1[index].clone(),
                    gains: will,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.application.name, &a.application.id, &a.user.username).cmp(&(
            &b.application.name,
            &b.application.id,
            &b.user.username,
        ))
    });
    out
}

type GrantIndex<'a> = HashMap<(&'a str, &'a str), Vec<access_grant::Model>>;

/// Grants by (application, subject).
fn by_subject(grants: &[access_grant::Model]) -> GrantIndex<'_> {
    let mut map: GrantIndex<'_> = HashMap::new();
    for grant in grants {
        map.entry((grant.application_id.as_str(), grant.subject_id.as_str()))
            .or_default()
            .push(grant.clone());
    }
    map
}

fn links_of(app: &AppFacts, user: &UserFacts, grants: &GrantIndex<'_>) -> Vec<Link> {
    if app.scope == AuthorizationScope::AllMembers {
        return vec![Link::all_members(app)];
    }
    user.subject_ids()
        .iter()
        .filter_map(|id| grants.get(&(app.id.as_str(), id.as_str())))
        .flatten()
        .filter(|g| user.covered_by(g.subject_kind, &g.subject_id))
        .map(Link::of_grant)
        .collect()
}

async fn load(access: &Access, instance_id: &str, only: Option<&[String]>) -> AppResult<Directory> {
    let db = &access.store.conn;
    let (version, policies) = super::policies::load(&access.store, instance_id).await?;
    let users = user::Entity::find()
        .filter(user::Column::InstanceId.eq(instance_id))
        .all(db)
        .await?;
    let groups: Vec<(String, String)> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::UserId)
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::InstanceId.eq(instance_id))
        .into_tuple()
        .all(db)
        .await?;
    let units: Vec<(String, String)> = org_unit_member::Entity::find()
        .select_only()
        .column(org_unit_member::Column::UserId)
        .column(org_unit::Column::Path)
        .join(
            JoinType::InnerJoin,
            org_unit_member::Relation::OrgUnit.def(),
        )
        .filter(org_unit_member::Column::InstanceId.eq(instance_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut apps_query =
        application::Entity::find().filter(application::Column::InstanceId.eq(instance_id));
    if let Some(ids) = only {
        apps_query = apps_query.filter(application::Column::Id.is_in(ids.iter().cloned()));
    }
    let apps = apps_query.all(db).await?;
    let grants = super::grants::all_of_instance(db, instance_id).await?;
    let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
    for (user_id, group_id) in groups {
        groups_of.entry(user_id).or_default().push(group_id);
    }
    let mut units_of: HashMap<String, Vec<String>> = HashMap::new();
    for (user_id, path) in units {
        units_of.entry(user_id).or_default().push(path);
    }
    let users = users
        .into_iter()
        .map(|u| {
            let facts = UserFacts::new(
                &u,
                groups_of.remove(&u.id).unwrap_or_default(),
                units_of.remove(&u.id).unwrap_or_default(),
            );
            (u, facts)
        })
        .collect();
    Ok(Directory {
        users,
        apps,
        grants,
        policies,
        version,
    })
}
