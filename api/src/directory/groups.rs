//! Groups of users and their members.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{group, group_member, user};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{member_index, Directory};
use super::{record_members_change, Holder};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit};
use crate::db::WriteTxn;
use crate::error::{AppError, AppResult};
use crate::events::{self, Event, EventType};
use crate::ids::new_id;
use crate::query::{prefix_match, unique_violation, Count};
use crate::validate;

async fn find_in<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    id: &str,
) -> AppResult<group::Model> {
    group::Entity::find_by_id(id)
        .filter(group::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("group"))
}

/// Marks an instance's groups whose members changed, and the users who joined or left them, as
/// changed now: a group's members and a user's groups are part of their SCIM resources, whose
/// version (`meta.version`, the `ETag` a client's `If-Match` and `If-None-Match` name) and
/// `meta.lastModified` are their `updated_at`. Returns that instant.
pub(crate) async fn memberships_changed<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    group_ids: &[String],
    user_ids: &[String],
) -> AppResult<DateTime<Utc>> {
    let now = Utc::now();
    for chunk in group_ids.chunks(500) {
        group::Entity::update_many()
            .col_expr(group::Column::UpdatedAt, Expr::value(now))
            .filter(group::Column::InstanceId.eq(instance_id))
            .filter(group::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    for chunk in user_ids.chunks(500) {
        user::Entity::update_many()
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::InstanceId.eq(instance_id))
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(now)
}

/// Which of `user_ids` are members of the group.
async fn members_among<C: ConnectionTrait>(
    db: &C,
    id: &str,
    user_ids: &[String],
) -> AppResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in user_ids.chunks(500) {
        found.extend(
            group_member::Entity::find()
                .select_only()
                .column(group_member::Column::UserId)
                .filter(group_member::Column::GroupId.eq(id))
                .filter(group_member::Column::UserId.is_in(chunk.to_vec()))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

async fn ensure_name_free<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    name: &str,
    except: Option<&str>,
) -> AppResult<()> {
    let mut query = group::Entity::find()
        .filter(group::Column::InstanceId.eq(instance_id))
        .filter(group::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(group::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::conflict(
            "name",
            format!("a group named {name:?} exists"),
        ));
    }
    Ok(())
}

pub async fn create(
    dir: &Directory,
    permit: &InstancePermit<actions::CreateGroup>,
    name: &str,
    description: Option<&str>,
) -> AppResult<group::Model> {
    create_with(dir, permit, name, description, None, None).await
}

/// Creates a group with the provisioning client's own id for it (SCIM `externalId`) and its
/// first members, in one transaction: when one of them is no user of the instance, no group is
/// left behind.
pub async fn create_with(
    dir: &Directory,
    permit: &InstancePermit<actions::CreateGroup>,
    name: &str,
    description: Option<&str>,
    external_id: Option<&str>,
    members: Option<(&InstancePermit<actions::ChangeGroupMembers>, &[String])>,
) -> AppResult<group::Model> {
    let name = validate::name("name", name, 128)?;
    let external_id = validate::optional(external_id, |v| validate::name("externalId", v, 128))?;
    let description = validate::text("description", description.unwrap_or_default(), 2000)?;
    let txn = dir.store.begin_write().await?;
    super::instances::get_in(&txn, permit.instance_id()).await?;
    ensure_name_free(&txn, permit.instance_id(), &name, None).await?;
    let now = Utc::now();
    let id = new_id();
    let mut model = group::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(permit.instance_id().to_owned()),
        name: Set(name),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        external_id: Set(external_id),
    }
    .insert(&txn)
    .await
    .map_err(unique_violation("name", "the group name"))?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::group(EventType::GroupCreated, &model)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "group", Some(&id))
            .summary(serde_json::json!({ "name": model.name })),
    )
    .await?;
    if let Some((members_permit, user_ids)) = members {
        if let Some(at) =
            change_members(&txn, members_permit, &id, &model.name, &[], user_ids).await?
        {
            model.updated_at = at;
        }
    }
    txn.commit().await?;
    Ok(model)
}

pub async fn update(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateGroup>,
    id: &str,
    name: Option<&str>,
    description: Option<&str>,
) -> AppResult<group::Model> {
    let name = name.map(|n| validate::name("name", n, 128)).transpose()?;
    let description = description
        .map(|d| validate::text("description", d, 2000))
        .transpose()?;
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let mut active: group::ActiveModel = current.clone().into();
    if let Some(name) = name {
        ensure_name_free(&txn, permit.instance_id(), &name, Some(id)).await?;
        active.name = Set(name);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    active.updated_at = Set(Utc::now());
    let model = active
        .update(&txn)
        .await
        .map_err(unique_violation("name", "the group name"))?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::group(EventType::GroupUpdated, &model)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "group", Some(id))
            .summary(serde_json::json!({ "name": { "from": current.name, "to": model.name } })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The members of a group, by user id.
pub async fn member_ids<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<Vec<String>> {
    Ok(group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(id))
        .order_by_asc(group_member::Column::UserId)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// A group's whole new state, as a provisioning client sets it.
#[derive(Clone, Debug, Default)]
pub struct GroupReplacement {
    pub name: String,
    pub external_id: Option<String>,
    /// Every member, by user id.
    pub members: Vec<String>,
}

/// The most members one replacement may name.
pub const MAX_REPLACED_MEMBERS: usize = 10_000;

/// Replaces a group with what `change` makes of it and its members as they are now, read in
/// the same transaction; the members added and removed are audited and announced as
/// `members_added`/`members_removed`, a new name or external id as `group.updated`, all or
/// nothing.
pub async fn replace(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateGroup>,
    members_permit: &InstancePermit<actions::ChangeGroupMembers>,
    id: &str,
    change: impl FnOnce(&group::Model, &[String]) -> AppResult<GroupReplacement>,
) -> AppResult<group::Model> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let members = member_ids(&txn, id).await?;
    let wanted = change(&current, &members)?;
    let name = validate::name("displayName", &wanted.name, 128)?;
    let external_id = validate::optional(wanted.external_id.as_deref(), |v| {
        validate::name("externalId", v, 128)
    })?;
    let mut model = current.clone();
    if name != current.name || external_id != current.external_id {
        ensure_name_free(&txn, permit.instance_id(), &name, Some(id)).await?;
        let mut active: group::ActiveModel = current.clone().into();
        active.name = Set(name);
        active.external_id = Set(external_id);
        active.updated_at = Set(Utc::now());
        model = active
            .update(&txn)
            .await
            .map_err(unique_violation("displayName", "the group name"))?;
        events::emit(
            &txn,
            permit.instance_id(),
            vec![Event::group(EventType::GroupUpdated, &model)],
        )
        .await?;
        audit::record(
            &txn,
            permit.actor(),
            AuditRecord::instance(permit, "group", Some(id)).summary(serde_json::json!({
                "name": { "from": current.name, "to": model.name },
                "externalId": { "from": current.external_id, "to": model.external_id },
            })),
        )
        .await?;
    }
    if let Some(at) = change_members(
        &txn,
        members_permit,
        id,
        &model.name,
        &members,
        &wanted.members,
    )
    .await?
    {
        model.updated_at = at;
    }
    txn.commit().await?;
    Ok(model)
}

/// Makes a group's members `wants` where they were `had`: adds and removes the difference,
/// audited and announced, and marks the group and those users changed
/// ([`memberships_changed`]). The instant of the change, when there was one.
async fn change_members(
    txn: &WriteTxn,
    members_permit: &InstancePermit<actions::ChangeGroupMembers>,
    id: &str,
    name: &str,
    had: &[String],
    wants: &[String],
) -> AppResult<Option<DateTime<Utc>>> {
    if wants.len() > MAX_REPLACED_MEMBERS {
        return Err(AppError::bad_input(
            "members",
            format!("a group takes at most {MAX_REPLACED_MEMBERS} members at once"),
        ));
    }
    let instance_id = members_permit.instance_id();
    let had: HashSet<&String> = had.iter().collect();
    let wants: HashSet<&String> = wants.iter().collect();
    let mut added: Vec<String> = wants.difference(&had).map(|s| (*s).clone()).collect();
    let mut removed: Vec<String> = had.difference(&wants).map(|s| (*s).clone()).collect();
    added.sort();
    removed.sort();
    if !added.is_empty() {
        for chunk in added.chunks(1000) {
            ensure_users(txn, instance_id, chunk).await?;
        }
        let now = Utc::now();
        for chunk in added.chunks(200) {
            group_member::Entity::insert_many(chunk.iter().map(|user_id| {
                group_member::ActiveModel {
                    group_id: Set(id.to_owned()),
                    user_id: Set(user_id.clone()),
                    instance_id: Set(instance_id.to_owned()),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }
        record_members_change(txn, members_permit, Holder::Group, id, name, true, &added).await?;
    }
    if !removed.is_empty() {
        for chunk in removed.chunks(500) {
            group_member::Entity::delete_many()
                .filter(group_member::Column::GroupId.eq(id))
                .filter(group_member::Column::UserId.is_in(chunk.to_vec()))
                .exec(txn)
                .await?;
        }
        record_members_change(
            txn,
            members_permit,
            Holder::Group,
            id,
            name,
            false,
            &removed,
        )
        .await?;
    }
    let changed: Vec<String> = added.into_iter().chain(removed).collect();
    if changed.is_empty() {
        return Ok(None);
    }
    member_index::refresh(txn, &changed).await?;
    Ok(Some(
        memberships_changed(txn, instance_id, &[id.to_owned()], &changed).await?,
    ))
}

pub async fn delete(
    dir: &Directory,
    permit: &InstancePermit<actions::DeleteGroup>,
    id: &str,
) -> AppResult<()> {
    let txn = dir.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), id).await?;
    let members = member_ids(&txn, id).await?;
    group::Entity::delete_by_id(id).exec(&txn).await?;
    memberships_changed(&txn, permit.instance_id(), &[], &members).await?;
    member_index::forget_group(&txn, id).await?;
    dir.hooks
        .subject_deleted(&txn, entity::access_grant::SubjectKind::Group, id)
        .await?;
    events::emit(
        &txn,
        permit.instance_id(),
        vec![Event::group(EventType::GroupDeleted, &current)],
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "group", Some(id))
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
) -> AppResult<group::Model> {
    find_in(&dir.store.conn, permit.instance_id(), id).await
}

/// A page of groups ordered by name.
pub async fn list(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadDirectory>,
    search: Option<&str>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<group::Model>, Count)> {
    let mut query =
        group::Entity::find().filter(group::Column::InstanceId.eq(permit.instance_id()));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(prefix_match(group::Column::Name, search));
    }
    let total = Count::of(query.clone(), &dir.store.conn);
    if let Some(after) = after {
        query = query.filter(group::Column::Name.gt(after));
    }
    let page = query
        .order_by_asc(group::Column::Name)
        .limit(limit)
        .all(&dir.store.conn)
        .await?;
    Ok((page, total))
}

/// Checks that every id is a user of the instance; the first that is not is named.
pub async fn ensure_users<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    user_ids: &[String],
) -> AppResult<()> {
    if user_ids.is_empty() || user_ids.len() > 1000 {
        return Err(AppError::bad_input("userIds", "give 1 to 1000 user ids"));
    }
    let wanted: HashSet<&String> = user_ids.iter().collect();
    let mut found = HashSet::new();
    for chunk in user_ids.chunks(500) {
        found.extend(
            user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .filter(user::Column::InstanceId.eq(instance_id))
                .filter(user::Column::Id.is_in(chunk.to_vec()))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    if let Some(missing) = wanted.into_iter().find(|id| !found.contains(*id)) {
        return Err(AppError::bad_input(
            "userIds",
            format!("no user {missing:?} in this instance"),
        ));
    }
    Ok(())
}

/// Adds members; users already in the group are left as they are.
pub async fn add_members(
    dir: &Directory,
    permit: &InstancePermit<actions::ChangeGroupMembers>,
    id: &str,
    user_ids: &[String],
) -> AppResult<group::Model> {
    let txn = dir.store.begin_write().await?;
    let mut group = find_in(&txn, permit.instance_id(), id).await?;
    ensure_users(&txn, permit.instance_id(), user_ids).await?;
    let already = members_among(&txn, id, user_ids).await?;
    let joined: Vec<String> = user_ids
        .iter()
        .filter(|u| !already.contains(*u))
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let now = Utc::now();
    let rows: Vec<group_member::ActiveModel> = user_ids
        .iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|user_id| group_member::ActiveModel {
            group_id: Set(id.to_owned()),
            user_id: Set(user_id.clone()),
            instance_id: Set(permit.instance_id().to_owned()),
            created_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(200) {
        group_member::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([group_member::Column::GroupId, group_member::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .do_nothing()
            .exec(&txn)
            .await?;
    }
    member_index::refresh(&txn, user_ids).await?;
    if !joined.is_empty() {
        group.updated_at =
            memberships_changed(&txn, permit.instance_id(), &[id.to_owned()], &joined).await?;
    }
    record_members_change(&txn, permit, Holder::Group, id, &group.name, true, user_ids).await?;
    txn.commit().await?;
    Ok(group)
}

pub async fn remove_members(
    dir: &Directory,
    permit: &InstancePermit<actions::ChangeGroupMembers>,
    id: &str,
    user_ids: &[String],
) -> AppResult<group::Model> {
    let txn = dir.store.begin_write().await?;
    let mut group = find_in(&txn, permit.instance_id(), id).await?;
    if user_ids.is_empty() || user_ids.len() > 1000 {
        return Err(AppError::bad_input("userIds", "give 1 to 1000 user ids"));
    }
    let left: Vec<String> = members_among(&txn, id, user_ids)
        .await?
        .into_iter()
        .collect();
    group_member::Entity::delete_many()
        .filter(group_member::Column::GroupId.eq(id))
        .filter(group_member::Column::UserId.is_in(user_ids.to_vec()))
        .exec(&txn)
        .await?;
    member_index::refresh(&txn, user_ids).await?;
    if !left.is_empty() {
        group.updated_at =
            memberships_changed(&txn, permit.instance_id(), &[id.to_owned()], &left).await?;
    }
    record_members_change(
        &txn,
        permit,
        Holder::Group,
        id,
        &group.name,
        false,
        user_ids,
    )
    .await?;
    txn.commit().await?;
    Ok(group)
}
