//! API tokens for automation: JWTs signed by the server whose `jti` is a stored row, so they
//! can be listed, expired and revoked. The JWT is returned once, at creation.

use chrono::{DateTime, Duration, Utc};
use entity::api_token;
use entity::role_binding::PrincipalKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::admins::{store_role_bindings, RoleGrant};
use super::principal::Principal;
use super::Auth;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, PlatformPermit};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::query::Count;
use crate::secrets::Keys;

const ISSUER: &str = "lanyard";
const AUDIENCE: &str = "lanyard-api";
pub const MAX_TTL_DAYS: i64 = 366;
/// `last_used_at` is written at most this often per token, so reads do not become writes.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    jti: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

pub struct CreatedToken {
    pub token: api_token::Model,
    pub secret: String,
}

pub fn sign(
    auth: &Auth,
    id: &str,
    issued: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> AppResult<String> {
    let claims = Claims {
        jti: id.to_owned(),
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        iat: issued.timestamp(),
        exp: expires.timestamp(),
    };
    auth.secrets.api_token.sign(&claims)
}

/// Creates a token with the given roles. `created_by` names the admin (or token) that asked.
pub async fn create(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageApiTokens>,
    name: &str,
    ttl_days: i64,
    grants: &[RoleGrant],
) -> AppResult<CreatedToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 128 {
        return Err(AppError::bad_input(
            "name",
            "a token needs a name of 1 to 128 characters",
        ));
    }
    if !(1..=MAX_TTL_DAYS).contains(&ttl_days) {
        return Err(AppError::bad_input(
            "expiresInDays",
            format!("a token expires after 1 to {MAX_TTL_DAYS} days"),
        ));
    }
    if grants.is_empty() {
        return Err(AppError::bad_input(
            "roles",
            "a token needs at least one role",
        ));
    }
    let now = Utc::now();
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    let token = api_token::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.to_owned()),
        created_by: Set(permit.actor().id.clone()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(ttl_days)),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    store_role_bindings(&txn, PrincipalKind::Token, &id, grants).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("createApiToken", "api_token", Some(&id)).summary(
            serde_json::json!({ "name": name, "expiresAt": token.expires_at, "roles": grants }),
        ),
    )
    .await?;
    txn.commit().await?;
    let secret = sign(auth, &id, now, token.expires_at)?;
    Ok(CreatedToken { token, secret })
}

pub async fn list(
    auth: &Auth,
    _permit: &PlatformPermit<actions::ReadApiTokens>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<api_token::Model>> {
    let mut query = api_token::Entity::find().order_by_asc(api_token::Column::Id);
    if let Some(after) = after {
        query = query.filter(api_token::Column::Id.gt(after));
    }
    Ok(query.limit(limit).all(&auth.store.conn).await?)
}

/// How many tokens there are, counted when asked.
pub fn count(auth: &Auth, _permit: &PlatformPermit<actions::ReadApiTokens>) -> Count {
    Count::of(api_token::Entity::find(), &auth.store.conn)
}

/// Revokes a token at once, on every node. Revoking a revoked token changes nothing.
pub async fn revoke(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageApiTokens>,
    id: &str,
) -> AppResult<api_token::Model> {
    let txn = auth.store.begin_write().await?;
    let token = api_token::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("API token"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(Utc::now()));
    let token = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("revokeApiToken", "api_token", Some(id))
            .summary(serde_json::json!({ "name": token.name })),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The API token a bearer token names, when these keys signed it and it has not expired.
pub fn token_of(keys: &Keys, jwt: &str) -> Option<String> {
    keys.api_token
        .verify::<Claims>(jwt, AUDIENCE, Some(ISSUER))
        .map(|claims| claims.jti)
}

/// Resolves a bearer token to its principal. Any fault — bad signature, expired, unknown,
/// revoked — is `UNAUTHENTICATED`.
pub async fn authenticate(auth: &Auth, jwt: &str) -> AppResult<Principal> {
    let token_id = token_of(&auth.secrets, jwt).ok_or(AppError::Unauthenticated)?;
    let token = api_token::Entity::find_by_id(token_id)
        .one(&auth.store.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = Utc::now();
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(AppError::Unauthenticated);
    }
    let stale = token
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= LAST_USED_RESOLUTION_SECS);
    if stale {
        let txn = auth.store.begin_write().await?;
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(api_token::Column::Id.eq(token.id.clone()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Principal::with_roles(auth, PrincipalKind::Token, token.id, token.name).await
}
