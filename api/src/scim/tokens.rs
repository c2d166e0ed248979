//! Provisioning tokens: the bearer tokens of one instance's SCIM endpoint. A token is
//! `lanyard_scim_` followed by 43 random characters (256 bits); only the SHA-256 of the whole
//! token is stored, so the table holds nothing that calls the endpoint. Created and revoked by
//! the instance's admins (GraphQL, Cedar actions `readProvisioningTokens` and
//! `manageProvisioningTokens`), shown once, listed with their last use. A call with one acts as
//! a `ProvisioningToken` principal whose only permits are the `provision` actions in its
//! instance.

use chrono::Utc;
use entity::provisioning_token;
use entity::role_binding::PrincipalKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};

use super::Scim;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit};
use crate::authz::principal::Principal;
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id, random_secret};

/// What every provisioning token starts with, so that secret scanners can tell one.
pub const PREFIX: &str = "lanyard_scim_";
/// Random characters after the prefix: 43 of 62, over 256 bits.
const SECRET_CHARS: usize = 43;
/// `last_used_at` is written at most this often per token, so reads do not become writes.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token just created: its row and the token itself, shown this once.
pub struct Created {
    pub token: provisioning_token::Model,
    pub secret: String,
}

/// Creates a provisioning token of the permit's instance named `name`; audited as
/// `createProvisioningToken`.
pub async fn create(
    scim: &Scim,
    permit: &InstancePermit<actions::ManageProvisioningTokens>,
    name: &str,
) -> AppResult<Created> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 128 {
        return Err(AppError::bad_input(
            "name",
            "a provisioning token needs a name of 1 to 128 characters",
        ));
    }
    let secret = format!("{PREFIX}{}", random_secret(SECRET_CHARS));
    let id = new_id();
    let txn = scim.store.begin_write().await?;
    crate::tenant::get_in(&txn, permit.instance_id()).await?;
    let token = provisioning_token::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(permit.instance_id().to_owned()),
        name: Set(name.to_owned()),
        secret_hash: Set(hash(&secret)),
        created_by: Set(permit.actor().name.chars().take(128).collect()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::in_instance(
            permit.instance_id(),
            "createProvisioningToken",
            "provisioning_token",
            Some(&id),
        )
        .summary(serde_json::json!({ "name": name })),
    )
    .await?;
    txn.commit().await?;
    Ok(Created { token, secret })
}

/// The instance's provisioning tokens, newest first, revoked ones too.
pub async fn list(
    scim: &Scim,
    permit: &InstancePermit<actions::ReadProvisioningTokens>,
) -> AppResult<Vec<provisioning_token::Model>> {
    Ok(provisioning_token::Entity::find()
        .filter(provisioning_token::Column::InstanceId.eq(permit.instance_id()))
        .order_by_desc(provisioning_token::Column::Id)
        .all(&scim.store.conn)
        .await?)
}

/// Revokes a token at once, on every node; audited as `revokeProvisioningToken`. Revoking a
/// revoked token changes nothing.
pub async fn revoke(
    scim: &Scim,
    permit: &InstancePermit<actions::ManageProvisioningTokens>,
    id: &str,
) -> AppResult<provisioning_token::Model> {
    if !plausible_id(id) {
        return Err(AppError::NotFound("provisioning token"));
    }
    let txn = scim.store.begin_write().await?;
    let token = provisioning_token::Entity::find_by_id(id)
        .filter(provisioning_token::Column::InstanceId.eq(permit.instance_id()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("provisioning token"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active: provisioning_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(Utc::now()));
    let token = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::in_instance(
            permit.instance_id(),
            "revokeProvisioningToken",
            "provisioning_token",
            Some(id),
        )
        .summary(serde_json::json!({ "name": token.name })),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The principal of a bearer token on the SCIM endpoint of `instance_id`: a live token of
/// that instance. Anything else — unknown, revoked, another instance's — is
/// `UNAUTHENTICATED`, alike.
pub async fn authenticate(
    scim: &Scim,
    instance_id: &str,
    token: &str,
    client_ip: Option<String>,
) -> AppResult<Principal> {
    if !token.starts_with(PREFIX) || token.len() > 128 {
        return Err(AppError::Unauthenticated);
    }
    let row = provisioning_token::Entity::find()
        .filter(provisioning_token::Column::SecretHash.eq(hash(token)))
        .one(&scim.store.conn)
        .await?
        .filter(|t| t.revoked_at.is_none() && t.instance_id == instance_id)
        .ok_or(AppError::Unauthenticated)?;
    let now = Utc::now();
    let stale = row
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= LAST_USED_RESOLUTION_SECS);
    if stale {
        let txn = scim.store.begin_write().await?;
        provisioning_token::Entity::update_many()
            .col_expr(provisioning_token::Column::LastUsedAt, Expr::value(now))
            .filter(provisioning_token::Column::Id.eq(row.id.as_str()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(Principal {
        kind: PrincipalKind::Provisioning,
        id: row.id,
        name: row.name,
        super_admin: false,
        global_auditor: false,
        admin_of: Vec::new(),
        auditor_of: Vec::new(),
        app_admin_of: Vec::new(),
        client_ip,
        auth_methods: Vec::new(),
        provisions: Some(row.instance_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_hashed_whole_and_tell_their_kind() {
        assert_eq!(hash("a").len(), 64);
        assert_ne!(hash("lanyard_scim_a"), hash("lanyard_scim_b"));
        let secret = format!("{PREFIX}{}", random_secret(SECRET_CHARS));
        assert_eq!(secret.len(), PREFIX.len() + 43);
    }
}
