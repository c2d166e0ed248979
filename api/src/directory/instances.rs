//! Instances (tenants).

use chrono::Utc;
use entity::instance::{self, SecondFactor};
use entity::role_binding;
use entity::signing_key::KeyAlgorithm;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use super::Directory;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit, PlatformPermit};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::keys;
use crate::query::Count;
use crate::validate;

pub struct InstanceInput<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    /// `None` keeps the current setting (new instances ask for no second factor).
    pub second_factor: Option<SecondFactor>,
}

pub async fn create(
    dir: &Directory,
    permit: &PlatformPermit<actions::CreateInstance>,
    input: InstanceInput<'_>,
) -> AppResult<instance::Model> {
    let name = validate::name("name", input.name, 128)?;
    let description = validate::text("description", input.description.unwrap_or_default(), 2000)?;
    // Generated before the write transaction: it is slow, and writers queue behind it.
    let key = keys::generate(&dir.ring, &name, KeyAlgorithm::Rsa2048).await?;
    let now = Utc::now();
    let id = new_id();
    let txn = dir.store.begin_write().await?;
    let model = instance::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.clone()),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        access_version: Set(0),
        second_factor: Set(input.second_factor.unwrap_or(SecondFactor::None)),
    }
    .insert(&txn)
    .await?;
    let key = keys::create_initial(&txn, &id, key).await?;
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

pub async fn get(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadInstance>,
) -> AppResult<instance::Model> {
    instance::Entity::find_by_id(permit.instance_id())
        .one(&dir.store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))
}

/// Which instances a caller may list: all of them, or those it was permitted to read.
pub enum Listing<'a> {
    All(&'a PlatformPermit<actions::ListAllInstances>),
    Only(&'a [InstancePermit<actions::ReadInstance>]),
}

/// A page of instances by id.
pub async fn list(
    dir: &Directory,
    listing: Listing<'_>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<instance::Model>, Count)> {
    let mut query = instance::Entity::find();
    if let Listing::Only(permits) = listing {
        query = query
            .filter(instance::Column::Id.is_in(permits.iter().map(|p| p.instance_id().to_owned())));
    }
    let total = Count::of(query.clone(), &dir.store.conn);
    if let Some(after) = after {
        query = query.filter(instance::Column::Id.gt(after));
    }
    let page = query
        .order_by_asc(instance::Column::Id)
        .limit(limit)
        .all(&dir.store.conn)
        .await?;
    Ok((page, total))
}

pub async fn update(
    dir: &Directory,
    permit: &InstancePermit<actions::UpdateInstance>,
    input: InstanceInput<'_>,
) -> AppResult<instance::Model> {
    let name = validate::name("name", input.name, 128)?;
    let description = input
        .description
        .map(|d| validate::text("description", d, 2000))
        .transpose()?;
    let txn = dir.store.begin_write().await?;
    let current = instance::Entity::find_by_id(permit.instance_id())
        .one(&txn)
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
    let model = active.update(&txn).await?;
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
pub async fn delete(
    dir: &Directory,
    permit: &InstancePermit<actions::DeleteInstance>,
) -> AppResult<()> {
    let txn = dir.store.begin_write().await?;
    let current = instance::Entity::find_by_id(permit.instance_id())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("instance"))?;
    role_binding::Entity::delete_many()
        .filter(role_binding::Column::InstanceId.eq(permit.instance_id()))
        .exec(&txn)
        .await?;
    instance::Entity::delete_by_id(permit.instance_id())
        .exec(&txn)
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
    dir.hooks.instance_deleted(permit.instance_id());
    Ok(())
}

/// The instance, inside a transaction; `NOT_FOUND` when it does not exist.
pub use crate::tenant::get_in;
