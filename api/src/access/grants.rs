//! Authorization scopes: `all_members`, or grants to users, groups and org units (a grant to an
//! org unit covers its subtree). Grants are rows; decisions link them into Cedar on the fly, so
//! a grant or revoke takes effect with the next decision on every node.

use chrono::Utc;
use entity::access_grant::{self, SubjectKind};
use entity::application::{self, AuthorizationScope};
use entity::member_index::{self, HolderKind};
use entity::{group, org_unit, user};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::Access;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Action, ApplicationPermit, InstancePermit};
use crate::db::WriteTxn;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::query::Count;

/// The most subjects one grant or revoke call takes.
pub const MAX_SUBJECTS: usize = 1000;

/// A user, group or org unit, as named by an admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: String,
}

pub fn kind_name(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::User => "user",
        SubjectKind::Group => "group",
        SubjectKind::OrgUnit => "org_unit",
    }
}

/// Sets whether everyone of the instance may use the application, or only those granted.
/// Grants stay stored under `all_members`, and apply again when the scope returns to `manual`.
pub async fn set_scope(
    access: &Access,
    permit: &ApplicationPermit<actions::ManageAppAccess>,
    scope: AuthorizationScope,
) -> AppResult<application::Model> {
    let txn = access.store.begin_write().await?;
    let app = application_in(&txn, permit).await?;
    let mut active: application::ActiveModel = app.into();
    active.authorization_scope = Set(scope);
    active.updated_at = Set(Utc::now());
    let app = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "application").summary(serde_json::json!({
            "authorizationScope": match scope {
                AuthorizationScope::AllMembers => "all_members",
                AuthorizationScope::Manual => "manual",
            }
        })),
    )
    .await?;
    txn.commit().await?;
    access.applications.forget(permit.application_id());
    Ok(app)
}

async fn application_in<C: ConnectionTrait, A: Action>(
    db: &C,
    permit: &ApplicationPermit<A>,
) -> AppResult<application::Model> {
    application::Entity::find_by_id(permit.application_id())
        .filter(application::Column::InstanceId.eq(permit.instance_id()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("application"))
}

/// Checks that every subject exists in the instance. The error names the first that does not.
pub(crate) async fn ensure_subjects<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    subjects: &[Subject],
) -> AppResult<()> {
    if subjects.is_empty() {
        return Err(AppError::bad_input("subjects", "name at least one subject"));
    }
    if subjects.len() > MAX_SUBJECTS {
        return Err(AppError::bad_input(
            "subjects",
            format!("at most {MAX_SUBJECTS} subjects per call"),
        ));
    }
    let ids_of = |kind: SubjectKind| -> Vec<String> {
        subjects
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.id.clone())
            .collect()
    };
    let users: Vec<String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::InstanceId.eq(instance_id))
        .filter(user::Column::Id.is_in(ids_of(SubjectKind::User)))
        .into_tuple()
        .all(db)
        .await?;
    let groups: Vec<String> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .filter(group::Column::InstanceId.eq(instance_id))
        .filter(group::Column::Id.is_in(ids_of(SubjectKind::Group)))
        .into_tuple()
        .all(db)
        .await?;
    let units: Vec<String> = org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Id)
        .filter(org_unit::Column::InstanceId.eq(instance_id))
        .filter(org_unit::Column::Id.is_in(ids_of(SubjectKind::OrgUnit)))
        .into_tuple()
        .all(db)
        .await?;
    for (index, subject) in subjects.iter().enumerate() {
        let found = match subject.kind {
            SubjectKind::User => &users,
            SubjectKind::Group => &groups,
            SubjectKind::OrgUnit => &units,
        };
        if !found.contains(&subject.id) {
            return Err(AppError::bad_input(
                format!("subjects.{index}"),
                format!(
                    "no {} {:?} in this instance",
                    kind_name(subject.kind).replace('_', " "),
                    subject.id
                ),
            ));
        }
    }
    Ok(())
}

/// Grants the application to the subjects. Granting what is already granted changes nothing,
/// so scripts may repeat a call. Returns how many grants are new.
pub async fn grant(
    access: &Access,
    permit: &ApplicationPermit<actions::ManageAppAccess>,
    subjects: &[Subject],
) -> AppResult<usize> {
    let txn = access.store.begin_write().await?;
    application_in(&txn, permit).await?;
    ensure_subjects(&txn, permit.instance_id(), subjects).await?;
    let existing = existing_grants(&txn, permit.application_id(), subjects).await?;
    let now = Utc::now();
    let mut added = Vec::new();
    for subject in subjects {
        let known = existing
            .iter()
            .chain(added.iter())
            .any(|g: &access_grant::Model| {
                g.subject_kind == subject.kind && g.subject_id == subject.id
            });
        if known {
            continue;
        }
        let grant = access_grant::ActiveModel {
            id: Set(new_id()),
            instance_id: Set(permit.instance_id().to_owned()),
            application_id: Set(permit.application_id().to_owned()),
            subject_kind: Set(subject.kind),
            subject_id: Set(subject.id.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        added.push(grant);
    }
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "access_grant")
            .summary(serde_json::json!({ "granted": describe(subjects), "new": added.len() })),
    )
    .await?;
    txn.commit().await?;
    Ok(added.len())
}

/// Revokes the subjects' grants of the application, at once. Revoking what is not granted
/// changes nothing. Returns how many grants were removed.
pub async fn revoke(
    access: &Access,
    permit: &ApplicationPermit<actions::ManageAppAccess>,
    subjects: &[Subject],
) -> AppResult<u64> {
    if subjects.is_empty() || subjects.len() > MAX_SUBJECTS {
        return Err(AppError::bad_input(
            "subjects",
            format!("name between 1 and {MAX_SUBJECTS} subjects"),
        ));
    }
    let txn = access.store.begin_write().await?;
    application_in(&txn, permit).await?;
    let ids: Vec<String> = existing_grants(&txn, permit.application_id(), subjects)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let removed = access_grant::Entity::delete_many()
        .filter(access_grant::Column::Id.is_in(ids))
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "access_grant")
            .summary(serde_json::json!({ "revoked": describe(subjects), "removed": removed })),
    )
    .await?;
    txn.commit().await?;
    Ok(removed)
}

fn describe(subjects: &[Subject]) -> Vec<String> {
    subjects
        .iter()
        .map(|s| format!("{}:{}", kind_name(s.kind), s.id))
        .collect()
}

async fn existing_grants(
    txn: &WriteTxn,
    application_id: &str,
    subjects: &[Subject],
) -> AppResult<Vec<access_grant::Model>> {
    let ids: Vec<String> = subjects.iter().map(|s| s.id.clone()).collect();
    let rows = access_grant::Entity::find()
        .filter(access_grant::Column::ApplicationId.eq(application_id))
        .filter(access_grant::Column::SubjectId.is_in(ids))
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|g| {
            subjects
                .iter()
                .any(|s| s.kind == g.subject_kind && s.id == g.subject_id)
        })
        .collect())
}

/// The application's grants, oldest first.
pub async fn list(
    access: &Access,
    permit: &ApplicationPermit<actions::ReadApplication>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<access_grant::Model>, Count)> {
    let query = access_grant::Entity::find()
        .filter(access_grant::Column::ApplicationId.eq(permit.application_id()));
    let total = Count::of(query.clone(), &access.store.conn);
    let mut page = query.order_by_asc(access_grant::Column::Id);
    if let Some(after) = after {
        page = page.filter(access_grant::Column::Id.gt(after));
    }
    Ok((page.limit(limit).all(&access.store.conn).await?, total))
}

/// Every grant of the instance's applications: what simulations evaluate.
pub async fn all_of_instance<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
) -> AppResult<Vec<access_grant::Model>> {
    Ok(access_grant::Entity::find()
        .filter(access_grant::Column::InstanceId.eq(instance_id))
        .all(db)
        .await?)
}

/// The users a set of grants covers: users granted directly, members of granted groups,
/// members of any unit inside a granted org unit's subtree (the member index has both).
fn covered_users(grants: &[access_grant::Model]) -> Condition {
    let ids = |kind: SubjectKind| -> Vec<String> {
        grants
            .iter()
            .filter(|g| g.subject_kind == kind)
            .map(|g| g.subject_id.clone())
            .collect()
    };
    let members = |kind: HolderKind, holders: Vec<String>| {
        Condition::all()
            .add(member_index::Column::HolderKind.eq(kind))
            .add(member_index::Column::HolderId.is_in(holders))
    };
    Condition::any()
        .add(user::Column::Id.is_in(ids(SubjectKind::User)))
        .add(
            user::Column::Id.in_subquery(
                Query::select()
                    .column(member_index::Column::UserId)
                    .from(member_index::Entity)
                    .cond_where(
                        Condition::any()
                            .add(members(HolderKind::Group, ids(SubjectKind::Group)))
                            .add(members(HolderKind::Subtree, ids(SubjectKind::OrgUnit))),
                    )
                    .to_owned(),
            ),
        )
}

/// The users the application's authorization scope lets in: active users of the instance,
/// with groups and org-unit subtrees resolved. Ordered by username. What the decision also
/// requires (the application enabled with SSO on, the instance's own policies, the request's
/// context) is not part of this list.
pub async fn effective_users(
    access: &Access,
    permit: &ApplicationPermit<actions::ReadApplication>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<user::Model>, Count)> {
    let db = &access.store.conn;
    let app = application_in(db, permit).await?;
    let mut query = user::Entity::find()
        .filter(user::Column::InstanceId.eq(permit.instance_id()))
        .filter(user::Column::Status.eq(user::UserStatus::Active));
    if app.authorization_scope == AuthorizationScope::Manual {
        let grants = access_grant::Entity::find()
            .filter(access_grant::Column::ApplicationId.eq(&app.id))
            .all(db)
            .await?;
        query = query.filter(covered_users(&grants));
    }
    let total = Count::of(query.clone(), db);
    let mut page = query.order_by_asc(user::Column::Username);
    if let Some(after) = after {
        page = page.filter(user::Column::Username.gt(after));
    }
    Ok((page.limit(limit).all(db).await?, total))
}

/// The applications whose authorization scope lets the user in, ordered by name: `all_members`
/// applications and those granted to the user, a group of theirs, or an org unit above them.
/// Empty for a user who is not active. Applications that are disabled or have SSO off are left
/// out, as no decision would allow them.
pub async fn effective_applications(
    access: &Access,
    permit: &InstancePermit<actions::ReadApplications>,
    user_id: &str,
) -> AppResult<Vec<application::Model>> {
    let facts = super::facts::load_user(&access.store, user_id).await?;
    if facts.instance_id != permit.instance_id() {
        return Err(AppError::NotFound("user"));
    }
    if facts.status != "active" {
        return Ok(Vec::new());
    }
    let db = &access.store.conn;
    let granted: Vec<String> = access_grant::Entity::find()
        .filter(access_grant::Column::InstanceId.eq(permit.instance_id()))
        .filter(access_grant::Column::SubjectId.is_in(facts.subject_ids()))
        .all(db)
        .await?
        .into_iter()
        .filter(|g| facts.covered_by(g.subject_kind, &g.subject_id))
        .map(|g| g.application_id)
        .collect();
    Ok(application::Entity::find()
        .filter(application::Column::InstanceId.eq(permit.instance_id()))
        .filter(application::Column::Enabled.eq(true))
        .filter(application::Column::SsoEnabled.eq(true))
        .filter(
            Condition::any()
                .add(application::Column::AuthorizationScope.eq(AuthorizationScope::AllMembers))
                .add(
                    Condition::all()
                        .add(application::Column::AuthorizationScope.eq(AuthorizationScope::Manual))
                        .add(application::Column::Id.is_in(granted)),
                ),
        )
        .order_by_asc(application::Column::Name)
        .all(db)
        .await?)
}

/// Removes the grants to a user, group or org unit that is being deleted, in its transaction.
pub async fn forget_subject(txn: &WriteTxn, kind: SubjectKind, id: &str) -> AppResult<()> {
    access_grant::Entity::delete_many()
        .filter(access_grant::Column::SubjectKind.eq(kind))
        .filter(access_grant::Column::SubjectId.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}
