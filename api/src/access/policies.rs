//! An instance's own access policies: Cedar written by its admins (office hours, networks, MFA),
//! validated against the schema before anything is saved. Every change bumps the instance's
//! `access_version` in the same transaction, which is how every node learns to reload.

use chrono::Utc;
use entity::{access_policy, instance};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::Access;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit};
use crate::db::{Store, WriteTxn};
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::validate;

/// Cedar ids of instance policies: `policy:<row id>`.
pub const CEDAR_PREFIX: &str = "policy:";

/// The most policies one instance may have; each costs every decision of the instance.
pub const MAX_POLICIES: u64 = 200;

pub fn cedar_id(row_id: &str) -> String {
    format!("{CEDAR_PREFIX}{row_id}")
}

pub async fn version_of(store: &Store, instance_id: &str) -> AppResult<i64> {
    instance::Entity::find_by_id(instance_id)
        .select_only()
        .column(instance::Column::AccessVersion)
        .into_tuple::<i64>()
        .one(&store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))
}

/// The version and the stored policies, read together so they match.
pub async fn load(store: &Store, instance_id: &str) -> AppResult<(i64, Vec<access_policy::Model>)> {
    let version = version_of(store, instance_id).await?;
    let rows = access_policy::Entity::find()
        .filter(access_policy::Column::InstanceId.eq(instance_id))
        .order_by_asc(access_policy::Column::Name)
        .all(&store.conn)
        .await?;
    // A change committed between the two reads moved the version on: the next refresh sees it.
    Ok((version, rows))
}

pub async fn list(
    access: &Access,
    permit: &InstancePermit<actions::ReadAccessPolicies>,
) -> AppResult<Vec<access_policy::Model>> {
    Ok(access_policy::Entity::find()
        .filter(access_policy::Column::InstanceId.eq(permit.instance_id()))
        .order_by_asc(access_policy::Column::Name)
        .all(&access.store.conn)
        .await?)
}

pub async fn get(
    access: &Access,
    permit: &InstancePermit<actions::ReadAccessPolicies>,
    id: &str,
) -> AppResult<access_policy::Model> {
    access_policy::Entity::find_by_id(id)
        .filter(access_policy::Column::InstanceId.eq(permit.instance_id()))
        .one(&access.store.conn)
        .await?
        .ok_or(AppError::NotFound("access policy"))
}

/// A policy as an admin submits it.
pub struct PolicyInput<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub source: &'a str,
    pub enabled: bool,
}

/// The instance of a stored policy: how the gate finds where a policy named by id alone is
/// decided. `NOT_FOUND` for an unknown id.
pub async fn instance_of(access: &Access, policy_id: &str) -> AppResult<String> {
    if !plausible_id(policy_id) {
        return Err(AppError::NotFound("access policy"));
    }
    access_policy::Entity::find_by_id(policy_id)
        .select_only()
        .column(access_policy::Column::InstanceId)
        .into_tuple::<String>()
        .one(&access.store.conn)
        .await?
        .ok_or(AppError::NotFound("access policy"))
}

/// Checks a policy's text: the problems, each with line and column, or nothing.
pub fn check(access: &Access, source: &str) -> AppResult<()> {
    access
        .engine
        .check_access_policy(source)
        .map(|_| ())
        .map_err(AppError::InvalidPolicy)
}

pub async fn create(
    access: &Access,
    permit: &InstancePermit<actions::ManageAccessPolicies>,
    input: PolicyInput<'_>,
) -> AppResult<access_policy::Model> {
    let name = validate::name("name", input.name, 128)?;
    let description = validate::text("description", input.description.unwrap_or_default(), 2000)?;
    check(access, input.source)?;
    let now = Utc::now();
    let txn = access.store.begin_write().await?;
    crate::tenant::get_in(&txn, permit.instance_id()).await?;
    let count = access_policy::Entity::find()
        .filter(access_policy::Column::InstanceId.eq(permit.instance_id()))
        .count(&txn)
        .await?;
    if count >= MAX_POLICIES {
        return Err(AppError::conflict(
            "name",
            format!("an instance may have at most {MAX_POLICIES} access policies"),
        ));
    }
    ensure_unique_name(&txn, permit.instance_id(), &name, None).await?;
    let model = access_policy::ActiveModel {
        id: Set(new_id()),
        instance_id: Set(permit.instance_id().to_owned()),
        name: Set(name),
        description: Set(description),
        source: Set(input.source.to_owned()),
        enabled: Set(input.enabled),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    finish(access, txn, permit, &model, "created").await?;
    Ok(model)
}

/// Changes to a policy; `None` leaves a field alone.
#[derive(Default)]
pub struct PolicyChanges<'a> {
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub source: Option<&'a str>,
    pub enabled: Option<bool>,
}

pub async fn update(
    access: &Access,
    permit: &InstancePermit<actions::ManageAccessPolicies>,
    id: &str,
    changes: PolicyChanges<'_>,
) -> AppResult<access_policy::Model> {
    if let Some(source) = changes.source {
        check(access, source)?;
    }
    let name = changes
        .name
        .map(|n| validate::name("name", n, 128))
        .transpose()?;
    let description = changes
        .description
        .map(|d| validate::text("description", d, 2000))
        .transpose()?;
    let txn = access.store.begin_write().await?;
    let current = access_policy::Entity::find_by_id(id)
        .filter(access_policy::Column::InstanceId.eq(permit.instance_id()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("access policy"))?;
    let mut active: access_policy::ActiveModel = current.into();
    if let Some(name) = name {
        ensure_unique_name(&txn, permit.instance_id(), &name, Some(id)).await?;
        active.name = Set(name);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    if let Some(source) = changes.source {
        active.source = Set(source.to_owned());
    }
    if let Some(enabled) = changes.enabled {
        active.enabled = Set(enabled);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    finish(access, txn, permit, &model, "updated").await?;
    Ok(model)
}

pub async fn delete(
    access: &Access,
    permit: &InstancePermit<actions::ManageAccessPolicies>,
    id: &str,
) -> AppResult<()> {
    let txn = access.store.begin_write().await?;
    let model = access_policy::Entity::find_by_id(id)
        .filter(access_policy::Column::InstanceId.eq(permit.instance_id()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("access policy"))?;
    access_policy::Entity::delete_by_id(id).exec(&txn).await?;
    finish(access, txn, permit, &model, "deleted").await
}

async fn ensure_unique_name(
    txn: &WriteTxn,
    instance_id: &str,
    name: &str,
    except: Option<&str>,
) -> AppResult<()> {
    let mut query = access_policy::Entity::find()
        .filter(access_policy::Column::InstanceId.eq(instance_id))
        .filter(access_policy::Column::Name.eq(name));
    if let Some(except) = except {
        query = query.filter(access_policy::Column::Id.ne(except));
    }
    if query.one(txn).await?.is_some() {
        return Err(AppError::conflict(
            "name",
            format!("the instance already has an access policy named {name:?}"),
        ));
    }
    Ok(())
}

/// Bumps the version, records the change, commits, and drops this node's cached copy.
async fn finish(
    access: &Access,
    txn: WriteTxn,
    permit: &InstancePermit<actions::ManageAccessPolicies>,
    model: &access_policy::Model,
    what: &str,
) -> AppResult<()> {
    instance::Entity::update_many()
        .col_expr(
            instance::Column::AccessVersion,
            Expr::col(instance::Column::AccessVersion).add(1),
        )
        .filter(instance::Column::Id.eq(permit.instance_id()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "access_policy", Some(&model.id))
            .summary(serde_json::json!({ what: model.name, "enabled": model.enabled })),
    )
    .await?;
    txn.commit().await?;
    access.decisions.invalidate(permit.instance_id());
    Ok(())
}
