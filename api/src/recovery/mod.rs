//! Invitations and password resets: single-use, expiring links sent by email, and the pages
//! where their holder sets a password (`pages`).
//!
//! A link's token is `<row id>.<HMAC-SHA256 of the id>` under a key derived from the master key,
//! so the outbox can render the link when it sends the email without any secret being stored;
//! the `action_tokens` row keeps only the SHA-256 of the token, which is how it is found.

pub mod pages;

use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use entity::action_token::{self, TokenPurpose};
use entity::user::{self, UserStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditRecord};
use crate::auth::Auth;
use crate::authz::admin::{actions, Actor, InstancePermit};
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::mail::{self, EmailPayload, Template};
use crate::password::{self, NewPassword};
use crate::secrets::Keys;

/// Invitations are valid for 1 hour to 30 days; 72 hours unless the admin says otherwise.
pub const DEFAULT_INVITE_HOURS: u32 = 72;
pub const MAX_INVITE_HOURS: u32 = 720;
/// Reset emails one account gets per hour at most; further requests are answered the same way
/// but send nothing, so the form cannot be used to flood a mailbox.
const RESETS_PER_HOUR: usize = 3;
/// Answers to reset requests take at least this long, whether or not an email is sent.
pub const RESET_ANSWER_TIME: StdDuration = StdDuration::from_millis(400);

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `raw` has the shape of a token at all (before anything is looked up).
fn plausible_token(raw: &str) -> bool {
    match raw.split_once('.') {
        Some((id, mac)) => {
            plausible_id(id)
                && (40..=48).contains(&mac.len())
                && mac
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => false,
    }
}

fn expiry_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Stores a new token for the user. Invitations replace the user's earlier unused ones.
async fn issue<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    user: &user::Model,
    purpose: TokenPurpose,
    valid_for: Duration,
) -> AppResult<action_token::Model> {
    let now = Utc::now();
    // Expired tokens of the user are of no use any more.
    let stale: Vec<String> = action_token::Entity::find()
        .filter(action_token::Column::UserId.eq(user.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| t.expires_at < now - Duration::days(1))
        .map(|t| t.id)
        .collect();
    if !stale.is_empty() {
        action_token::Entity::delete_many()
            .filter(action_token::Column::Id.is_in(stale))
            .exec(db)
            .await?;
    }
    if purpose == TokenPurpose::Invite {
        revoke_unused(db, &user.id, Some(purpose)).await?;
    }
    let id = new_id();
    Ok(action_token::ActiveModel {
        token_hash: Set(token_hash(&keys.action_token_value(&id))),
        id: Set(id),
        instance_id: Set(user.instance_id.clone()),
        user_id: Set(user.id.clone()),
        purpose: Set(purpose),
        expires_at: Set(now + valid_for),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Marks the user's unused tokens (of one purpose, or all) as used.
async fn revoke_unused<C: ConnectionTrait>(
    db: &C,
    user_id: &str,
    purpose: Option<TokenPurpose>,
) -> AppResult<()> {
    let mut update = action_token::Entity::update_many()
        .col_expr(action_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(action_token::Column::UserId.eq(user_id))
        .filter(action_token::Column::UsedAt.is_null());
    if let Some(purpose) = purpose {
        update = update.filter(action_token::Column::Purpose.eq(purpose));
    }
    update.exec(db).await?;
    Ok(())
}

/// What an invitation produced.
#[derive(Debug)]
pub struct Invitation {
    pub outbox_id: String,
    pub expires_at: DateTime<Utc>,
}

/// Emails a user a link to set their password. Action: `inviteUser`.
pub async fn invite(
    auth: &Auth,
    permit: &InstancePermit<actions::InviteUser>,
    user_id: &str,
    valid_hours: u32,
) -> AppResult<Invitation> {
    if !(1..=MAX_INVITE_HOURS).contains(&valid_hours) {
        return Err(AppError::bad_input(
            "validHours",
            format!("an invitation is valid for 1 to {MAX_INVITE_HOURS} hours"),
        ));
    }
    if !plausible_id(user_id) {
        return Err(AppError::NotFound("user"));
    }
    let txn = auth.store.begin_write().await?;
    let user = user::Entity::find_by_id(user_id)
        .filter(user::Column::InstanceId.eq(permit.instance_id()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let Some(email) = user.email.clone() else {
        return Err(AppError::bad_input(
            "userId",
            format!(
                "{:?} has no email address to send the invitation to",
                user.username
            ),
        ));
    };
    if user.status == UserStatus::Disabled {
        return Err(AppError::bad_input(
            "userId",
            format!("{:?} is disabled; enable the account first", user.username),
        ));
    }
    let token = issue(
        &txn,
        &auth.secrets,
        &user,
        TokenPurpose::Invite,
        Duration::hours(i64::from(valid_hours)),
    )
    .await?;
    let outbox_id = mail::enqueue(
        &txn,
        permit.instance_id(),
        EmailPayload {
            to: email.clone(),
            to_name: user.display_name.clone(),
            template: Template::Invitation,
            vars: BTreeMap::from([
                ("display_name".to_owned(), user.display_name.clone()),
                ("username".to_owned(), user.username.clone()),
                ("expires_at".to_owned(), expiry_text(token.expires_at)),
            ]),
            action_token_id: Some(token.id.clone()),
            sign_in_code_id: None,
            language: mail::language(),
        },
    )
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "user", Some(&user.id)).summary(serde_json::json!({
            "username": user.username, "invitationSentTo": email,
            "expiresAt": token.expires_at, "deliveryId": outbox_id,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Invitation {
        outbox_id,
        expires_at: token.expires_at,
    })
}

/// Someone asked for a reset link for `login` (a username or an email address) in an
/// instance. Sends one when an active or locked account with an email address matches;
/// otherwise does nothing. The caller answers the same either way.
pub async fn request_reset(auth: &Auth, instance_id: &str, login: &str) -> AppResult<()> {
    let login = login.trim();
    if login.is_empty() || login.len() > 254 || login.chars().any(char::is_control) {
        return Ok(());
    }
    let txn = auth.store.begin_write().await?;
    let user = user::Entity::find()
        .filter(user::Column::InstanceId.eq(instance_id))
        .filter(
            Condition::any()
                .add(user::Column::Username.eq(login))
                .add(user::Column::Email.eq(login.to_lowercase())),
        )
        .one(&txn)
        .await?;
    let Some(user) = user.filter(|u| u.status != UserStatus::Disabled) else {
        return Ok(());
    };
    let Some(email) = user.email.clone() else {
        return Ok(());
    };
    let hour_ago = Utc::now() - Duration::hours(1);
    let recent = action_token::Entity::find()
        .filter(action_token::Column::UserId.eq(user.id.clone()))
        .filter(action_token::Column::Purpose.eq(TokenPurpose::Reset))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|t| t.created_at > hour_ago)
        .count();
    if recent >= RESETS_PER_HOUR {
        tracing::info!(user_id = %user.id, "password reset requested too often; no email sent");
        return Ok(());
    }
    let token = issue(
        &txn,
        &auth.secrets,
        &user,
        TokenPurpose::Reset,
        Duration::minutes(i64::from(auth.config.reset_link_minutes)),
    )
    .await?;
    mail::enqueue(
        &txn,
        instance_id,
        EmailPayload {
            to: email,
            to_name: user.display_name.clone(),
            template: Template::PasswordReset,
            vars: BTreeMap::from([
                ("display_name".to_owned(), user.display_name.clone()),
                ("username".to_owned(), user.username.clone()),
                ("expires_at".to_owned(), expiry_text(token.expires_at)),
            ]),
            action_token_id: Some(token.id),
            sign_in_code_id: None,
            language: mail::language(),
        },
    )
    .await?;
    audit::record(
        &txn,
        &user_actor(&user, None),
        AuditRecord::in_instance(instance_id, "requestPasswordReset", "user", Some(&user.id))
            .summary(serde_json::json!({ "username": user.username })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn user_actor(user: &user::Model, client_ip: Option<String>) -> Actor {
    Actor {
        kind: "user",
        id: user.id.clone(),
        name: user.username.clone(),
        client_ip,
    }
}

/// Why a link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Unknown, used, expired, of another instance, or of a disabled account: the page says
    /// the same for all of them.
    #[error("the link is not valid any more")]
    Invalid,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sea_orm::DbErr> for LinkError {
    fn from(err: sea_orm::DbErr) -> Self {
        LinkError::App(err.into())
    }
}

/// The unused, unexpired token `raw` of the instance, and its user.
async fn valid_token<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    raw: &str,
) -> Result<(action_token::Model, user::Model), LinkError> {
    if !plausible_token(raw) || !plausible_id(instance_id) {
        return Err(LinkError::Invalid);
    }
    let token = action_token::Entity::find()
        .filter(action_token::Column::TokenHash.eq(token_hash(raw)))
        .filter(action_token::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > Utc::now())
        .ok_or(LinkError::Invalid)?;
    let user = user::Entity::find_by_id(token.user_id.clone())
        .filter(user::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .filter(|u| u.status != UserStatus::Disabled)
        .ok_or(LinkError::Invalid)?;
    Ok((token, user))
}

/// Whom a link is for, when it can still be used (to show the form). Does not use it up, so
/// that mail scanners that open links do not spend them.
pub async fn check_link(
    auth: &Auth,
    instance_id: &str,
    raw: &str,
) -> Result<(TokenPurpose, user::Model), LinkError> {
    let (token, user) = valid_token(&auth.store.conn, instance_id, raw).await?;
    Ok((token.purpose, user))
}

/// Sets the password of the link's user and uses the link up, together with every other
/// unused link of that user.
pub async fn set_password(
    auth: &Auth,
    instance_id: &str,
    raw: &str,
    new_password: &str,
    client_ip: Option<String>,
) -> Result<user::Model, LinkError> {
    // Check the link before the costly hash, and again in the transaction that uses it.
    valid_token(&auth.store.conn, instance_id, raw).await?;
    let password = NewPassword::parse("password", new_password)?;
    let hash = password::hash(&password).await?;
    let txn = auth.store.begin_write().await?;
    let (token, user) = valid_token(&txn, instance_id, raw).await?;
    let used = action_token::Entity::update_many()
        .col_expr(action_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(action_token::Column::Id.eq(token.id.clone()))
        .filter(action_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(LinkError::Invalid);
    }
    revoke_unused(&txn, &user.id, None).await?;
    let mut active: user::ActiveModel = user.clone().into();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    let user = active.update(&txn).await?;
    // Whoever held a session of hers (perhaps why she reset) holds it no longer.
    let sessions_ended =
        crate::auth::employee_sessions::end_all_of_user(&txn, instance_id, &user.id).await?;
    let action = match token.purpose {
        TokenPurpose::Invite => "acceptInvitation",
        TokenPurpose::Reset => "resetPassword",
    };
    audit::record(
        &txn,
        &user_actor(&user, client_ip),
        AuditRecord::in_instance(instance_id, action, "user", Some(&user.id)).summary(
            serde_json::json!({
                "username": user.username,
                "password": "changed",
                "sessionsEnded": sessions_ended,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_derived_from_the_id_and_shaped_strictly() {
        let id = "0190a5b2-7c3e-7d4e-9f00-1234567890ab";
        let token = Keys::derive(&[1; 32]).action_token_value(id);
        assert!(token.starts_with(&format!("{id}.")));
        assert!(plausible_token(&token));
        assert_ne!(
            token,
            Keys::derive(&[2; 32]).action_token_value(id),
            "the key matters"
        );
        assert_eq!(token_hash(&token).len(), 64);
        for hostile in [
            "",
            ".",
            "abc",
            &format!("{id}."),
            &format!("{id}.{}", "a".repeat(43)).replace('a', "+"),
            &format!("{id}.{}\0", "a".repeat(42)),
            &format!("{id}.{}", "a".repeat(5000)),
            &format!("../{id}.{}", "a".repeat(43)),
            &format!("{id}.{}.x", "a".repeat(43)),
        ] {
            assert!(!plausible_token(hostile), "{hostile:?}");
        }
    }
}
