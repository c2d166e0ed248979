//! Grants: one authorization of a client for an employee, its code and its refresh tokens.
//!
//! Every "once" is a conditional update, so that it holds across nodes: a code is redeemed by
//! `UPDATE … SET redeemed_at WHERE code_hash = ? AND redeemed_at IS NULL`, a refresh token used
//! by the same on `used_at`; the node whose update changed no row lost. A code or refresh
//! token presented a second time revokes its grant, and with it every token issued from it
//! (RFC 6749 §4.1.2 and §10.4, OAuth 2.0 Security BCP §4.14).

use chrono::{DateTime, Duration, Utc};
use entity::{employee_session, oidc_grant, oidc_refresh_token};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::Oidc;
use crate::db::{ReusedInsert, Store, WriteTxn};
use crate::error::AppResult;
use crate::ids::{new_id, random_secret};

/// How long a code may wait for its exchange.
pub const CODE_LIFETIME_SECS: i64 = 60;
const CODE_CHARS: usize = 43;

pub fn hash(token: &str) -> String {
    super::clients::hash(token)
}

/// What a new grant holds.
pub struct NewGrant<'a> {
    pub instance_id: &'a str,
    pub application_id: &'a str,
    pub user_id: &'a str,
    pub session_id: &'a str,
    pub redirect_uri: &'a str,
    pub nonce: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub scope: &'a str,
    pub auth_time: DateTime<Utc>,
    pub auth_methods: &'a str,
    pub acr: &'a str,
}

/// Records a grant and returns its code (shown once; only its hash is kept). Written without
/// waiting for the disk ([`Store::log_insert`]): a crash loses at most codes not yet
/// exchanged, whose exchange then fails; the exchange itself is synced.
pub async fn create(store: &Store, grant: NewGrant<'_>) -> AppResult<String> {
    static INSERT: ReusedInsert<oidc_grant::Entity> = ReusedInsert::new();
    let code = random_secret(CODE_CHARS);
    let now = Utc::now();
    store
        .log_insert(
            &INSERT,
            oidc_grant::ActiveModel {
                id: Set(new_id()),
                instance_id: Set(grant.instance_id.to_owned()),
                application_id: Set(grant.application_id.to_owned()),
                user_id: Set(grant.user_id.to_owned()),
                session_id: Set(Some(grant.session_id.to_owned())),
                code_hash: Set(hash(&code)),
                redirect_uri: Set(grant.redirect_uri.to_owned()),
                nonce: Set(grant.nonce.map(str::to_owned)),
                code_challenge: Set(grant.code_challenge.map(str::to_owned)),
                scope: Set(grant.scope.to_owned()),
                auth_time: Set(grant.auth_time),
                auth_methods: Set(grant.auth_methods.to_owned()),
                acr: Set(grant.acr.to_owned()),
                created_at: Set(now),
                code_expires_at: Set(now + Duration::seconds(CODE_LIFETIME_SECS)),
                redeemed_at: Set(None),
                revoked_at: Set(None),
            },
        )
        .await?;
    Ok(code)
}

/// What presenting a code came to.
pub enum Redeemed {
    /// First use: the grant, now redeemed.
    Granted(oidc_grant::Model),
    /// Unknown, expired, or revoked.
    Invalid,
    /// Used before: the grant is now revoked with every token issued from it.
    Reused(oidc_grant::Model),
}

/// The grant of a code that may be exchanged. Nothing is spent yet: the exchange spends the
/// code together with storing what it issues ([`spend`]). A code presented after its use
/// revokes its grant.
pub async fn redeemable(oidc: &Oidc, code: &str) -> AppResult<Redeemed> {
    if code.is_empty() || code.len() > 128 {
        return Ok(Redeemed::Invalid);
    }
    let Some(grant) = oidc_grant::Entity::find()
        .filter(oidc_grant::Column::CodeHash.eq(hash(code)))
        .one(oidc.store.reads())
        .await?
    else {
        return Ok(Redeemed::Invalid);
    };
    if grant.revoked_at.is_some() {
        return Ok(Redeemed::Invalid);
    }
    if grant.redeemed_at.is_some() {
        revoke(oidc, &grant.id).await?;
        return Ok(Redeemed::Reused(grant));
    }
    if grant.code_expires_at <= Utc::now() {
        return Ok(Redeemed::Invalid);
    }
    Ok(Redeemed::Granted(grant))
}

/// What a token request spends: the grant's code, or one of its refresh tokens (its hash).
pub enum Spend {
    Code,
    Refresh(String),
}

impl Spend {
    /// The audit action of its second use.
    pub fn reuse_action(&self) -> &'static str {
        match self {
            Spend::Code => "oidcCodeReused",
            Spend::Refresh(_) => "oidcRefreshTokenReused",
        }
    }
}

/// Spends the code or refresh token and stores the grant's next refresh token, in one
/// transaction: `None` when another request (or node) spent it first — the caller revokes the
/// grant, as for any second use.
pub async fn spend(
    oidc: &Oidc,
    grant_id: &str,
    spend: &Spend,
    lifetime_secs: i32,
) -> AppResult<Option<String>> {
    let now = Utc::now();
    let token = random_secret(CODE_CHARS);
    let txn = oidc.store.begin_write().await?;
    let spent = match spend {
        Spend::Code => {
            oidc_grant::Entity::update_many()
                .col_expr(oidc_grant::Column::RedeemedAt, Expr::value(now))
                .filter(oidc_grant::Column::Id.eq(grant_id))
                .filter(oidc_grant::Column::RedeemedAt.is_null())
                .filter(oidc_grant::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?
        }
        Spend::Refresh(token_hash) => {
            oidc_refresh_token::Entity::update_many()
                .col_expr(oidc_refresh_token::Column::UsedAt, Expr::value(now))
                .filter(oidc_refresh_token::Column::TokenHash.eq(token_hash.as_str()))
                .filter(oidc_refresh_token::Column::UsedAt.is_null())
                .exec(&txn)
                .await?
        }
    };
    if spent.rows_affected != 1 {
        // Dropped: rolled back.
        return Ok(None);
    }
    static INSERT: ReusedInsert<oidc_refresh_token::Entity> = ReusedInsert::new();
    let row = oidc_refresh_token::ActiveModel {
        token_hash: Set(hash(&token)),
        grant_id: Set(grant_id.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(i64::from(lifetime_secs))),
        used_at: Set(None),
    };
    txn.execute(INSERT.statement(oidc.store.backend(), row))
        .await?;
    txn.commit().await?;
    Ok(Some(token))
}

/// Revokes a grant: its refresh tokens and access tokens stop working.
pub async fn revoke(oidc: &Oidc, grant_id: &str) -> AppResult<()> {
    let txn = oidc.store.begin_write().await?;
    oidc_grant::Entity::update_many()
        .col_expr(oidc_grant::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(oidc_grant::Column::Id.eq(grant_id))
        .filter(oidc_grant::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Revokes the grants given in a session that ended, but those that outlive it
/// (`offline_access`).
pub async fn revoke_session(txn: &WriteTxn, session_id: &str) -> AppResult<()> {
    let ended: Vec<String> = oidc_grant::Entity::find()
        .filter(oidc_grant::Column::SessionId.eq(session_id))
        .filter(oidc_grant::Column::RevokedAt.is_null())
        .all(txn)
        .await?
        .into_iter()
        .filter(|grant| !outlives_session(grant))
        .map(|grant| grant.id)
        .collect();
    if ended.is_empty() {
        return Ok(());
    }
    oidc_grant::Entity::update_many()
        .col_expr(oidc_grant::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(oidc_grant::Column::Id.is_in(ended))
        .filter(oidc_grant::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Whether the grant was given `offline_access`: its refresh tokens work when the employee is
/// not signed in (OpenID Connect Core §11).
fn outlives_session(grant: &oidc_grant::Model) -> bool {
    grant.scope.split(' ').any(|s| s == "offline_access")
}

/// The grant, when it is not revoked.
pub async fn live<C: ConnectionTrait>(
    db: &C,
    grant_id: &str,
) -> AppResult<Option<oidc_grant::Model>> {
    Ok(oidc_grant::Entity::find_by_id(grant_id)
        .one(db)
        .await?
        .filter(|g| g.revoked_at.is_none()))
}

/// Whether a grant still stands: not revoked, and its session still alive unless it outlives
/// sessions (`offline_access`).
pub async fn stands(oidc: &Oidc, grant: &oidc_grant::Model) -> AppResult<bool> {
    if grant.revoked_at.is_some() {
        return Ok(false);
    }
    if outlives_session(grant) {
        return Ok(true);
    }
    let Some(session_id) = &grant.session_id else {
        return Ok(true);
    };
    let session = employee_session::Entity::find_by_id(session_id.as_str())
        .one(oidc.store.reads())
        .await?;
    let idle = Duration::minutes(i64::from(oidc.config.sso.idle_minutes));
    let now = Utc::now();
    Ok(session.is_some_and(|s| now < s.expires_at && now < s.last_seen_at + idle))
}

/// What presenting a refresh token came to.
pub enum Refreshed {
    /// First use: the grant it belongs to.
    Granted(oidc_grant::Model),
    /// Unknown, expired, or its grant revoked or ended with its session.
    Invalid,
    /// Used before (stolen and replayed, or the client's copy is stale): the grant is revoked.
    Reused(oidc_grant::Model),
}

/// The grant of a refresh token that may be used, with the token's hash. Nothing is spent
/// yet ([`spend`]); a token presented after its use revokes its grant.
pub async fn refreshable(oidc: &Oidc, token: &str) -> AppResult<(Refreshed, String)> {
    let token_hash = hash(token);
    let Some((row, grant)) = of_refresh(oidc, token).await? else {
        return Ok((Refreshed::Invalid, token_hash));
    };
    if grant.revoked_at.is_some() {
        return Ok((Refreshed::Invalid, token_hash));
    }
    if row.used_at.is_some() {
        revoke(oidc, &grant.id).await?;
        return Ok((Refreshed::Reused(grant), token_hash));
    }
    if row.expires_at <= Utc::now() || !stands(oidc, &grant).await? {
        return Ok((Refreshed::Invalid, token_hash));
    }
    Ok((Refreshed::Granted(grant), token_hash))
}

/// The grant of a refresh token that may still be used.
pub async fn of_refresh(
    oidc: &Oidc,
    token: &str,
) -> AppResult<Option<(oidc_refresh_token::Model, oidc_grant::Model)>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let Some(row) = oidc_refresh_token::Entity::find_by_id(hash(token))
        .one(oidc.store.reads())
        .await?
    else {
        return Ok(None);
    };
    let Some(grant) = oidc_grant::Entity::find_by_id(row.grant_id.as_str())
        .one(oidc.store.reads())
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((row, grant)))
}
