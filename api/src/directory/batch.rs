//! What a page of other rows refers to, read in one query per kind: the groups and org units
//! of a page of users, org units by id, users by id, a grant subject's name. Every read is
//! scoped to one instance, named by the caller's permit or by the row that refers.

use std::collections::HashMap;

use entity::access_grant::SubjectKind;
use entity::{group, group_member, org_unit, org_unit_member, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::Directory;
use crate::error::AppResult;

/// The groups of each of `user_ids`, by name.
pub async fn groups_of(
    dir: &Directory,
    instance_id: &str,
    user_ids: &[String],
) -> AppResult<HashMap<String, Vec<group::Model>>> {
    let rows = group_member::Entity::find()
        .filter(group_member::Column::InstanceId.eq(instance_id))
        .filter(group_member::Column::UserId.is_in(user_ids.iter().cloned()))
        .find_also_related(group::Entity)
        .order_by_asc(group::Column::Name)
        .all(&dir.store.conn)
        .await?;
    let mut by_user: HashMap<String, Vec<group::Model>> = HashMap::new();
    for (membership, group) in rows {
        if let Some(group) = group {
            by_user.entry(membership.user_id).or_default().push(group);
        }
    }
    Ok(by_user)
}

/// The org units each of `user_ids` is a direct member of, by name.
pub async fn org_units_of(
    dir: &Directory,
    instance_id: &str,
    user_ids: &[String],
) -> AppResult<HashMap<String, Vec<org_unit::Model>>> {
    let rows = org_unit_member::Entity::find()
        .filter(org_unit_member::Column::InstanceId.eq(instance_id))
        .filter(org_unit_member::Column::UserId.is_in(user_ids.iter().cloned()))
        .find_also_related(org_unit::Entity)
        .order_by_asc(org_unit::Column::Name)
        .all(&dir.store.conn)
        .await?;
    let mut by_user: HashMap<String, Vec<org_unit::Model>> = HashMap::new();
    for (membership, unit) in rows {
        if let Some(unit) = unit {
            by_user.entry(membership.user_id).or_default().push(unit);
        }
    }
    Ok(by_user)
}

/// The org units among `ids`.
pub async fn org_units(
    dir: &Directory,
    instance_id: &str,
    ids: &[String],
) -> AppResult<Vec<org_unit::Model>> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::InstanceId.eq(instance_id))
        .filter(org_unit::Column::Id.is_in(ids.iter().cloned()))
        .all(&dir.store.conn)
        .await?)
}

/// The users among `ids`, by id.
pub async fn users(
    dir: &Directory,
    instance_id: &str,
    ids: &[String],
) -> AppResult<HashMap<String, user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::InstanceId.eq(instance_id))
        .filter(user::Column::Id.is_in(ids.iter().cloned()))
        .all(&dir.store.conn)
        .await?
        .into_iter()
        .map(|user| (user.id.clone(), user))
        .collect())
}

/// The username, group name or org-unit name of a grant's subject; `None` once it is gone.
pub async fn subject_name(
    dir: &Directory,
    instance_id: &str,
    kind: SubjectKind,
    id: &str,
) -> AppResult<Option<String>> {
    let db = &dir.store.conn;
    Ok(match kind {
        SubjectKind::User => user::Entity::find_by_id(id)
            .filter(user::Column::InstanceId.eq(instance_id))
            .one(db)
            .await?
            .map(|u| u.username),
        SubjectKind::Group => group::Entity::find_by_id(id)
            .filter(group::Column::InstanceId.eq(instance_id))
            .one(db)
            .await?
            .map(|g| g.name),
        SubjectKind::OrgUnit => org_unit::Entity::find_by_id(id)
            .filter(org_unit::Column::InstanceId.eq(instance_id))
            .one(db)
            .await?
            .map(|o| o.name),
    })
}
