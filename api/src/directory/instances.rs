//! Instances (tenants).

use chrono::Utc;
use entity::instance::{self, MfaRequired, PasskeyUserVerification};
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
    /// What changes of the sign-in rules (new instances: a second factor when asked, every
    /// factor allowed, passkeys sign in alone).
    pub rules: RulesInput,
}

/// Changes to an instance's sign-in rules; `None` keeps what is set.
#[derive(Clone, Debug, Default)]
pub struct RulesInput {
    pub mfa_required: Option<MfaRequired>,
    /// Names of [`instance::FACTORS`].
    pub allowed_factors: Option<Vec<String>>,
    pub passkey_sign_in: Option<bool>,
    pub passkey_user_verification: Option<PasskeyUserVerification>,
}

impl RulesInput {
    /// Applies the changes to `model`'s rules; refuses an unknown factor, and a rule that asks
    /// everyone for a second factor while allowing none (no one could sign in).
    fn apply(
        &self,
        model: &mut instance::ActiveModel,
        current: Option<&instance::Model>,
    ) -> AppResult<()> {
        let mfa_required = self
            .mfa_required
            .or(current.map(|c| c.mfa_required))
            .unwrap_or(MfaRequired::WhenAsked);
        let allowed = match &self.allowed_factors {
            Some(list) => {
                if let Some(unknown) = list
                    .iter()
                    .find(|f| !instance::FACTORS.contains(&f.as_str()))
                {
                    return Err(AppError::bad_input(
                        "allowedFactors",
                        format!("{unknown:?} is not a second factor (email_code, totp, passkey)"),
                    ));
                }
                instance::FACTORS
                    .iter()
                    .filter(|f| list.iter().any(|l| l == *f))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(",")
            }
            None => current
                .map(|c| c.allowed_factors.clone())
                .unwrap_or_else(|| instance::FACTORS.join(",")),
        };
        if mfa_required == MfaRequired::Everyone && allowed.is_empty() {
            return Err(AppError::bad_input(
                "allowedFactors",
                "a second factor required for everyone needs at least one allowed factor",
            ));
        }
        model.mfa_required = Set(mfa_required);
        model.allowed_factors = Set(allowed);
        model.passkey_sign_in = Set(self
            .passkey_sign_in
            .or(current.map(|c| c.passkey_sign_in))
            .unwrap_or(true));
        model.passkey_user_verification = Set(self
            .passkey_user_verification
            .or(current.map(|c| c.passkey_user_verification))
            .unwrap_or(PasskeyUserVerification::Preferred));
        Ok(())
    }
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
    let mut model = instance::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.clone()),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        access_version: Set(0),
        ..Default::default()
    };
    input.rules.apply(&mut model, None)?;
    let model = model.insert(&txn).await?;
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
    input.rules.apply(&mut active, Some(&current))?;
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "instance", Some(permit.instance_id())).summary(
            serde_json::json!({
                "name": { "from": current.name, "to": model.name },
                "signInRules": {
                    "from": rules_summary(&current),
                    "to": rules_summary(&model),
                },
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

fn rules_summary(model: &instance::Model) -> serde_json::Value {
    serde_json::json!({
        "mfaRequired": model.mfa_required.to_value(),
        "allowedFactors": model.allowed_factors,
        "passkeySignIn": model.passkey_sign_in,
        "passkeyUserVerification": model.passkey_user_verification.to_value(),
    })
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
