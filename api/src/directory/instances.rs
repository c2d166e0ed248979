//! Instances (tenants).

use chrono::Utc;
use entity::instance::{self, SecondFactor};
use entity::role_binding;
use entity::signing_key::KeyAlgorithm;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::validate;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{InstancePermit, PlatformPermit};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::keys;
use crate::state::AppState;

pub struct InstanceInput<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    /// `None` keeps the current setting (new instances ask for no second factor).
    pub second_factor: Option<SecondFactor>,
}

pub async fn create(
    state: &AppState,
    permit: &PlatformPermit,
    input: InstanceInput<'_>,
) -> AppResult<instance::Model> {
    let name = validate::name("name", input.name, 128)?;
    let description = validate::text("description", input.description.unwrap_or_default(), 2000)?;
    // Generated before the write transaction: it is slow, and writers queue behind it.
    let key = keys::generate(state, &name, KeyAlgorithm::Rsa2048).await?;
    let now = Utc::now();
    let id = new_id();
    let txn = state.store.begin_write().await?;
    let model = instance::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.clone()),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        access_version: Set(0),
        second_factor: Set(input.second_factor.unwrap_or(SecondFactor::None)),
    }
    .insert(&*txn)
    .await?;
    let key = keys::create_initial(&*txn, &id, key).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("createInstance", "instance", Some(&id))
            .summary(serde_json::json!({ "name": name, "signingKeyId": key.id })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn get(state: &AppState, permit: &InstancePermit) -> AppResult<instance::Model> {
    instance::Entity::find_by_id(permit.instance_id())
        .one(&state.store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))
}

/// A page of instances by id; `only` restricts to the given ids (the caller's instances).
pub async fn list(
    state: &AppState,
    only: Option<&[String]>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<instance::Model>, u64)> {
    let mut query = instance::Entity::find();
    if let Some(ids) = only {
        query = query.filter(instance::Column::Id.is_in(ids.iter().cloned()));
    }
    let total = query.clone().count(&state.store.conn).await?;
    if let Some(after) = after {
        query = query.filter(instance::Column::Id.gt(after));
    }
    let page = query
        .order_by_asc(instance::Column::Id)
        .limit(limit)
        .all(&state.store.conn)
        .await?;
    Ok((page, total))
}

pub async fn update(
    state: &AppState,
    permit: &InstancePermit,
    input: InstanceInput<'_>,
) -> AppResult<instance::Model> {
    let name = validate::name("name", input.name, 128)?;
    let description = input
        .description
        .map(|d| validate::text("description", d, 2000))
        .transpose()?;
    let txn = state.store.begin_write().await?;
    let current = instance::Entity::find_by_id(permit.instance_id())
        .one(&*txn)
        .await?
        .ok_or(AppError::NotFound("instance"))?;
    let mut active: instance::ActiveModel = current.clone().into();
    active.name = Set(name.clone());
    if let Some(description) = description {
        active.description = Set(description);
    }
    if let Some(second_factor) = input.second_factor {
        active.second_factor = Set(second_factor);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "instance", Some(permit.instance_id())).summary(
            serde_json::json!({
                "name": { "from": current.name, "to": model.name },
                "secondFactor": {
                    "from": current.second_factor.to_value(),
                    "to": model.second_factor.to_value(),
                },
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Deletes the instance and everything in it; roles on it go too. The audit events stay.
pub async fn delete(state: &AppState, permit: &InstancePermit) -> AppResult<()> {
    let txn = state.store.begin_write().await?;
    let current = instance::Entity::find_by_id(permit.instance_id())
        .one(&*txn)
        .await?
        .ok_or(AppError::NotFound("instance"))?;
    role_binding::Entity::delete_many()
        .filter(role_binding::Column::InstanceId.eq(permit.instance_id()))
        .exec(&*txn)
        .await?;
    instance::Entity::delete_by_id(permit.instance_id())
        .exec(&*txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "instance", Some(permit.instance_id()))
            .summary(serde_json::json!({ "name": current.name })),
    )
    .await?;
    txn.commit().await?;
    // Its applications went with it (the foreign keys cascade).
    state.applications.forget_all();
    Ok(())
}

/// The instance, inside a transaction; `NOT_FOUND` when it does not exist.
pub async fn get_in<C: sea_orm::ConnectionTrait>(db: &C, id: &str) -> AppResult<instance::Model> {
    instance::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("instance"))
}
