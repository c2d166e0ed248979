//! The org-unit tree of an instance. Each unit stores its materialised path (`/root/…/self/`),
//! so a subtree is one prefix match and a move rewrites the paths below it in one transaction.

use chrono::Utc;
use entity::{org_unit, org_unit_member};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::groups::ensure_users;
use super::{member_index, Directory};
use super::{record_members_change, Holder};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event, EventType};
use crate::ids::new_id;
use crate::query::{prefix_range, Count};
use crate::validate;

/// How deep the tree may grow.
pub const MAX_DEPTH: usize = 20;

pub fn depth(path: &str) -> usize {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count()
}

/// The ids from the root down to and including the unit itself.
pub fn lineage(path: &str) -> Vec<String> {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn find_in<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    id: &str,
    field: &str,
) -> AppResult<org_unit::Model> {
    org_unit::Entity::find_by_id(id)
        .filter(org_unit::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            if field == "id" {
                AppError::NotFound("org unit")
            } else {
                AppError::bad_input(field, format!("no org unit {id:?} in this instance"))
            }
        })
}

async fn ensure_sibling_name_free<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    parent_id: Option<&str>,
    name: &str,
    except: Option<&str>,
) -> AppResult<()> {
    let mut query = org_unit::Entity::find()
        .filter(org_unit::Column::InstanceId.eq(instance_id))
        .filter(org_unit::Column::Name.eq(name));
    query = match parent_id {
        Some(parent) => query.filter(org_unit::Column::ParentId.eq(parent)),
        None => query.filter(org_unit::Column::ParentId.is_null()),
    };
    if let Some(id) = except {
        query = query.filter(org_unit::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::conflict(
            "name",
            format!("an org unit named {name:?} exists at that place"),
        ));
    }
    Ok(())
}

pub async fn create(
    dir: &Directory,
    permit: &InstancePermit<actions::CreateOrgUnit>,
    name: &str,
    parent_id: Option<&str>,
) -> AppResult<org_unit::Model> {
    let name = validate::name("name", name, 128)?;
    let txn = dir.store.begin_write().await?;
    super::instances::get_in(&txn, permit.instance_id()).await?;
    let parent = match parent_id {
        Some(id) => Some(find_in(&txn, permit.instance_id(), id, "parentId").await?),
        None => None,
    };
    if parent.as_ref().is_some_and(|p| depth(&p.path) >= MAX_DEPTH) {
        return Err(AppError::bad_input(
            "parentId",
            format!("org units nest at most {MAX_DEPTH} deep"),
        ));
    }
    ensure_sibling_name_free(&txn, permit.instance_id(), parent_id, &name, None).await?;
    let id = new_id();
    let path = format!(
        "{}{}/",
        parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/"),
        id
    );
    let now = Utc::now();
    let model = org_unit::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(permit.instance_id().to_owned()),
        parent_id: Set(parent_id.map(str::to_owned)),
        name: Set(name),
        path: Set(path),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::org_unit(EventType::OrgUnitCreated, &model)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "org_unit", Some(&id))
            .summary(serde_json::json!({ "name": model.name, "parentId": parent_id })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn rename(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateOrgUnit>,
    id: &str,
    name: &str,
) -> AppResult<org_unit::Model> {
    let name = validate::name("name", name, 128)?;
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id, "id").await?;
    ensure_sibling_name_free(
        &txn,
        permit.instance_id(),
        current.parent_id.as_deref(),
        &name,
        Some(id),
    )
    .await?;
    let mut active: org_unit::ActiveModel = current.clone().into();
    active.name = Set(name);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::org_unit(EventType::OrgUnitUpdated, &model)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "org_unit", Some(id))
            .summary(serde_json::json!({ "name": { "from": current.name, "to": model.name } })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Moves a unit (with its subtree) under another parent, or to the root with `None`. A move
/// under itself or one of its descendants would make a cycle and is refused.
pub async fn move_to(
    dir: &Directory,
    permit: &InstancePermit<actions::MoveOrgUnit>,
    id: &str,
    new_parent_id: Option<&str>,
) -> AppResult<org_unit::Model> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id, "id").await?;
    let parent = match new_parent_id {
        Some(parent_id) => Some(find_in(&txn, permit.instance_id(), parent_id, "parentId").await?),
        None => None,
    };
    if let Some(parent) = &parent {
        if parent.path.starts_with(&current.path) {
            return Err(AppError::bad_input(
                "parentId",
                "an org unit cannot move under itself or one of its descendants",
            ));
        }
    }
    let new_path = format!(
        "{}{}/",
        parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/"),
        id
    );
    let subtree = org_unit::Entity::find()
        .filter(org_unit::Column::InstanceId.eq(permit.instance_id()))
        .filter(prefix_range(org_unit::Column::Path, &current.path))
        .all(&txn)
        .await?;
    let subtree_depth = subtree
        .iter()
        .map(|unit| depth(&unit.path) - depth(&current.path))
        .max()
        .unwrap_or(0);
    if depth(&new_path) + subtree_depth > MAX_DEPTH {
        return Err(AppError::bad_input(
            "parentId",
            format!("org units nest at most {MAX_DEPTH} deep"),
        ));
    }
    ensure_sibling_name_free(
        &txn,
        permit.instance_id(),
        new_parent_id,
        &current.name,
        Some(id),
    )
    .await?;
    // The unit and every descendant get the new prefix, in this transaction.
    for unit in subtree {
        let rewritten = format!("{new_path}{}", &unit.path[current.path.len()..]);
        org_unit::Entity::update_many()
            .col_expr(org_unit::Column::Path, Expr::value(rewritten))
            .filter(org_unit::Column::Id.eq(unit.id))
            .exec(&txn)
            .await?;
    }
    member_index::unit_moved(&txn, permit.instance_id(), id, &current.path, &new_path).await?;
    let mut active: org_unit::ActiveModel =
        find_in(&txn, permit.instance_id(), id, "id").await?.into();
    active.parent_id = Set(new_parent_id.map(str::to_owned));
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::org_unit(EventType::OrgUnitUpdated, &model)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "org_unit", Some(id)).summary(serde_json::json!({
            "name": model.name, "parentId": { "from": current.parent_id, "to": new_parent_id },
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Deletes an empty unit: one with no sub-units and no members.
pub async fn delete(
    dir: &Directory,
    permit: &InstancePermit<actions::DeleteOrgUnit>,
    id: &str,
) -> AppResult<()> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id, "id").await?;
    let children = org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(id))
        .count(&txn)
        .await?;
    if children > 0 {
        return Err(AppError::conflict(
            "id",
            format!(
                "{:?} has {children} sub-units; move or delete them first",
                current.name
            ),
        ));
    }
    let members = org_unit_member::Entity::find()
        .filter(org_unit_member::Column::OrgUnitId.eq(id))
        .count(&txn)
        .await?;
    if members > 0 {
        return Err(AppError::conflict(
            "id",
            format!(
                "{:?} has {members} members; remove them first",
                current.name
            ),
        ));
    }
    org_unit::Entity::delete_by_id(id).exec(&txn).await?;
    dir.hooks
        .subject_deleted(&txn, entity::access_grant::SubjectKind::OrgUnit, id)
        .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::org_unit(EventType::OrgUnitDeleted, &current)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "org_unit", Some(id))
            .summary(serde_json::json!({ "name": current.name })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn get(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadDirectory>,
    id: &str,
) -> AppResult<org_unit::Model> {
    find_in(&dir.store.conn, permit.instance_id(), id, "id").await
}

/// Children of `parent_id` (roots with `None`), by id (creation order).
pub async fn children(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadDirectory>,
    parent_id: Option<&str>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<org_unit::Model>, Count)> {
    let mut query =
        org_unit::Entity::find().filter(org_unit::Column::InstanceId.eq(permit.instance_id()));
    query = match parent_id {
        Some(parent) => query.filter(org_unit::Column::ParentId.eq(parent)),
        None => query.filter(org_unit::Column::ParentId.is_null()),
    };
    let total = Count::of(query.clone(), &dir.store.conn);
    if let Some(after) = after {
        query = query.filter(org_unit::Column::Id.gt(after));
    }
    let page = query
        .order_by_asc(org_unit::Column::Id)
        .limit(limit)
        .all(&dir.store.conn)
        .await?;
    Ok((page, total))
}

pub async fn add_members(
    dir: &Directory,
    permit: &InstancePermit<actions::ChangeOrgUnitMembers>,
    id: &str,
    user_ids: &[String],
) -> AppResult<org_unit::Model> {
    let txn = dir.store.begin_write().await?;
    let unit = find_in(&txn, permit.instance_id(), id, "id").await?;
    ensure_users(&txn, permit.instance_id(), user_ids).await?;
    let now = Utc::now();
    let mut unique = user_ids.to_vec();
    unique.sort();
    unique.dedup();
    let rows: Vec<org_unit_member::ActiveModel> = unique
        .into_iter()
        .map(|user_id| org_unit_member::ActiveModel {
            org_unit_id: Set(id.to_owned()),
            user_id: Set(user_id),
            instance_id: Set(permit.instance_id().to_owned()),
            created_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(200) {
        org_unit_member::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    org_unit_member::Column::OrgUnitId,
                    org_unit_member::Column::UserId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .do_nothing()
            .exec(&txn)
            .await?;
    }
    member_index::refresh(&txn, user_ids).await?;
    record_members_change(
        &txn,
        permit,
        Holder::OrgUnit,
        id,
        &unit.name,
        true,
        user_ids,
    )
    .await?;
    txn.commit().await?;
    Ok(unit)
}

pub async fn remove_members(
    dir: &Directory,
    permit: &InstancePermit<actions::ChangeOrgUnitMembers>,
    id: &str,
    user_ids: &[String],
) -> AppResult<org_unit::Model> {
    if user_ids.is_empty() || user_ids.len() > 1000 {
        return Err(AppError::bad_input("userIds", "give 1 to 1000 user ids"));
    }
    let txn = dir.store.begin_write().await?;
    let unit = find_in(&txn, permit.instance_id(), id, "id").await?;
    org_unit_member::Entity::delete_many()
        .filter(org_unit_member::Column::OrgUnitId.eq(id))
        .filter(org_unit_member::Column::UserId.is_in(user_ids.to_vec()))
        .exec(&txn)
        .await?;
    member_index::refresh(&txn, user_ids).await?;
    record_members_change(
        &txn,
        permit,
        Holder::OrgUnit,
        id,
        &unit.name,
        false,
        user_ids,
    )
    .await?;
    txn.commit().await?;
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_give_depth_and_lineage() {
        assert_eq!(depth("/a/"), 1);
        assert_eq!(depth("/a/b/c/"), 3);
        assert_eq!(lineage("/a/b/"), vec!["a", "b"]);
    }
}
