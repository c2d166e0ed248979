//! The pending second-factor step, and the emailed one-time code.
//!
//! A correct password where a second factor is required does not open a session; it stores a
//! `sign_in_codes` row (and, when the employee has no other factor, emails its code through the
//! outbox). A session that must step up for an application stores one naming the session. The
//! browser holds a short-lived signed cookie naming the row, and finishes the step with the
//! emailed code, an authenticator app's code or a recovery code ([`Proof`]). The code is six digits derived
//! from the row id by HMAC under a server key, so neither the database nor the outbox holds
//! it. A code is valid for [`VALID_MINUTES`], takes [`MAX_TRIES`] wrong guesses, and works
//! once (a conditional update, so two nodes cannot both accept it). Signing in again sends a
//! new code and voids the user's earlier ones.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use entity::sign_in_code;
use entity::user::{self, UserStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::employee_sessions::{
    self, Attempt, EmployeeSession, EMAIL_CODE, PASSKEY, PASSWORD, RECOVERY_CODE, SECURITY_KEY,
    TOTP,
};
use super::factors::{self, Owner};
use super::passkeys::{self, Assertion};
use super::throttle::{self, Scopes};
use super::Auth;
use crate::audit::{self, AuditRecord};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::ids::plausible_id;
use crate::mail::{self, EmailPayload, Template};
use crate::request::{read_cookie, set_cookie, SameSite};
use crate::secrets::Keys;
use crate::t;

pub const VALID_MINUTES: i64 = 10;
pub const MAX_TRIES: i32 = 5;
const AUDIENCE: &str = "lanyard-sign-in-code";
const COOKIE_PREFIX: &str = "lanyard_code_";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The `sign_in_codes` row.
    cid: String,
    iid: String,
    aud: String,
    exp: i64,
}

/// Compares two codes in time independent of where they differ.
fn same_code(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

pub fn cookie_name(instance_id: &str) -> String {
    format!("{COOKIE_PREFIX}{instance_id}")
}

fn cookie(auth: &Auth, instance_id: &str, value: &str, max_age_secs: i64) -> String {
    set_cookie(
        &auth.config,
        &cookie_name(instance_id),
        value,
        SameSite::Lax,
        Some(max_age_secs),
    )
}

/// The `Set-Cookie` that forgets the pending code.
pub fn clear_cookie(auth: &Auth, instance_id: &str) -> String {
    cookie(auth, instance_id, "", 0)
}

/// `a…e@corp.example`: enough for the employee to recognise the mailbox.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let mut chars = local.chars();
            let first = chars.next().unwrap_or('*');
            let last = chars.last().map(String::from).unwrap_or_default();
            format!("{first}…{last}@{domain}")
        }
        None => "your email address".to_owned(),
    }
}

/// Why a code cannot be asked for or accepted; each is a sentence for the employee.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The user has no email address to send a code to.
    NoEmail,
    /// The code is wrong; this many tries are left.
    Wrong { tries_left: i32 },
    /// Expired, used, tried too often, or no code pending: sign in again for a new one.
    Gone,
    /// Too many failed sign-ins of the account or from the address: the throttle's sentence.
    Throttled(String),
}

impl Refusal {
    /// What the employee reads, in the language of her request.
    pub fn message(&self) -> String {
        let lang = crate::i18n::current();
        match self {
            Refusal::NoEmail => t!(lang, "code-no-address"),
            Refusal::Wrong { tries_left } => {
                t!(lang, "code-wrong", tries = i64::from(*tries_left))
            }
            Refusal::Gone => t!(lang, "code-gone"),
            Refusal::Throttled(message) => message.clone(),
        }
    }
}

/// What a pending step is for.
pub struct Step<'a> {
    /// The `Continue` reference to go on to.
    pub continue_to: &'a str,
    /// Stepping up this session; `None`: signing in (after a correct password).
    pub session_id: Option<&'a str>,
    /// Email a code at once.
    pub email: bool,
}

/// Stores a pending second-factor step for `user`, voids their earlier ones and, when asked,
/// emails its code. Returns the pending row and the `Set-Cookie` that remembers it.
pub async fn begin(
    auth: &Auth,
    user: &user::Model,
    step: Step<'_>,
    attempt: &Attempt,
) -> AppResult<Result<(sign_in_code::Model, String), Refusal>> {
    if step.email && user.email.is_none() {
        return Ok(Err(Refusal::NoEmail));
    }
    let now = Utc::now();
    let expires = now + Duration::minutes(VALID_MINUTES);
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    void_unused(&txn, &user.id).await?;
    let row = sign_in_code::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(user.instance_id.clone()),
        user_id: Set(user.id.clone()),
        // A `Continue` reference, which `Continue::parse` bounded.
        continue_to: Set(step.continue_to.to_owned()),
        client_ip: Set(attempt.client_ip.clone()),
        created_at: Set(now),
        expires_at: Set(expires),
        failed_attempts: Set(0),
        used_at: Set(None),
        emailed: Set(step.email),
        session_id: Set(step.session_id.map(str::to_owned)),
    }
    .insert(&txn)
    .await?;
    if step.email {
        enqueue_code(&txn, user, &id).await?;
    }
    txn.commit().await?;
    let claims = Claims {
        cid: id,
        iid: user.instance_id.clone(),
        aud: AUDIENCE.into(),
        exp: expires.timestamp(),
    };
    let jwt = auth.secrets.employee_session.sign(&claims)?;
    let cookie = cookie(auth, &user.instance_id, &jwt, VALID_MINUTES * 60);
    Ok(Ok((row, cookie)))
}

async fn enqueue_code<C: ConnectionTrait>(db: &C, user: &user::Model, id: &str) -> AppResult<()> {
    let Some(email) = user.email.clone() else {
        return Ok(());
    };
    let vars = BTreeMap::from([
        ("display_name".to_owned(), user.display_name.clone()),
        ("valid_minutes".to_owned(), VALID_MINUTES.to_string()),
    ]);
    mail::enqueue(
        db,
        &user.instance_id,
        EmailPayload {
            to: email,
            to_name: user.display_name.clone(),
            template: Template::SignInCode,
            vars,
            action_token_id: None,
            sign_in_code_id: Some(id.to_owned()),
            language: mail::language(),
        },
    )
    .await?;
    Ok(())
}

/// Emails the code of a pending step that has not sent one (the employee chose the emailed
/// code over her other factors). Once per step.
pub async fn email_code(auth: &Auth, pending: &Pending) -> AppResult<Result<(), Refusal>> {
    if pending.user.email.is_none() {
        return Ok(Err(Refusal::NoEmail));
    }
    let txn = auth.store.begin_write().await?;
    let marked = sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::Emailed, Expr::value(true))
        .filter(sign_in_code::Column::Id.eq(pending.code.id.as_str()))
        .filter(sign_in_code::Column::Emailed.eq(false))
        .exec(&txn)
        .await?
        .rows_affected;
    if marked == 1 {
        enqueue_code(&txn, &pending.user, &pending.code.id).await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

async fn void_unused<C: ConnectionTrait>(db: &C, user_id: &str) -> AppResult<()> {
    // Old rows go; the ones still pending end now.
    sign_in_code::Entity::delete_many()
        .filter(sign_in_code::Column::UserId.eq(user_id))
        .filter(sign_in_code::Column::ExpiresAt.lt(Utc::now() - Duration::days(1)))
        .exec(db)
        .await?;
    sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(sign_in_code::Column::UserId.eq(user_id))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A code waiting to be typed, and its user.
#[derive(Clone)]
pub struct Pending {
    pub code: sign_in_code::Model,
    pub user: user::Model,
}

/// The code this browser waits for in `instance_id`, if it can still be used.
pub async fn pending(
    auth: &Auth,
    headers: &HeaderMap,
    instance_id: &str,
) -> AppResult<Option<Pending>> {
    let Some(jwt) = read_cookie(&auth.config, headers, &cookie_name(instance_id)) else {
        return Ok(None);
    };
    let Some(code_id) = code_of(&auth.secrets, instance_id, &jwt) else {
        return Ok(None);
    };
    let Some(code) = sign_in_code::Entity::find_by_id(code_id)
        .one(&auth.store.conn)
        .await?
        .filter(|c| {
            c.instance_id == instance_id
                && c.used_at.is_none()
                && c.expires_at > Utc::now()
                && c.failed_attempts < MAX_TRIES
        })
    else {
        return Ok(None);
    };
    let Some(user) = user::Entity::find_by_id(code.user_id.clone())
        .one(&auth.store.conn)
        .await?
        .filter(|u| u.status == UserStatus::Active)
    else {
        return Ok(None);
    };
    Ok(Some(Pending { code, user }))
}

/// The pending code a sign-in-code cookie's value names, when these keys signed it for
/// `instance_id` and it has not expired.
pub fn code_of(keys: &Keys, instance_id: &str, jwt: &str) -> Option<String> {
    let claims = keys
        .employee_session
        .verify::<Claims>(jwt, AUDIENCE, None)?;
    (claims.iid == instance_id && plausible_id(&claims.cid)).then_some(claims.cid)
}

/// What the employee gives to finish a pending step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// The code emailed for this step.
    EmailCode,
    /// A code of one of her authenticator apps.
    Totp,
    /// One of her recovery codes.
    RecoveryCode,
    /// One of her passkeys, which verified her (PIN or biometrics): [`finish_with_passkey`].
    Passkey,
    /// One of her passkeys that did not verify her (a security key without a PIN).
    SecurityKey,
}

impl Proof {
    /// The session's method it adds.
    pub fn method(self) -> &'static str {
        match self {
            Proof::EmailCode => EMAIL_CODE,
            Proof::Totp => TOTP,
            Proof::RecoveryCode => RECOVERY_CODE,
            Proof::Passkey => PASSKEY,
            Proof::SecurityKey => SECURITY_KEY,
        }
    }

    /// The proof a checked passkey answer gives.
    pub fn of_passkey(assertion: &Assertion) -> Proof {
        if assertion.user_verified {
            Proof::Passkey
        } else {
            Proof::SecurityKey
        }
    }
}

/// Checks what the employee typed. Right: the step is spent and a session opened with the
/// password and this method (signing in), or her session stepped up; the `Set-Cookie` is
/// returned. Wrong: one try fewer for this step, and for an authenticator or recovery code a
/// failed sign-in counted against her account and address, as a wrong password is.
pub async fn verify(
    auth: &Auth,
    pending: Pending,
    proof: Proof,
    given: &str,
    attempt: Attempt,
) -> AppResult<Result<String, Refusal>> {
    if proof == Proof::EmailCode && !pending.code.emailed {
        return Ok(Err(Refusal::Gone));
    }
    let scopes = Scopes::employee(
        &pending.code.instance_id,
        &pending.user.username,
        attempt.client_ip.as_deref(),
    );
    let counts_as_sign_in = proof != Proof::EmailCode;
    if counts_as_sign_in {
        if let Err(err @ AppError::TooManyAttempts { .. }) = throttle::check(auth, &scopes).await {
            return Ok(Err(Refusal::Throttled(err.to_string())));
        }
    }
    let owner = Owner::user(&pending.user);
    let now = Utc::now();
    let txn = auth.store.begin_write().await?;
    let usable = || {
        sign_in_code::Column::UsedAt
            .is_null()
            .and(sign_in_code::Column::ExpiresAt.gt(now))
            .and(sign_in_code::Column::FailedAttempts.lt(MAX_TRIES))
    };
    let right = match proof {
        Proof::EmailCode => {
            let given: String = given.chars().filter(|c| !c.is_whitespace()).collect();
            same_code(&auth.secrets.sign_in_code_of(&pending.code.id), &given)
        }
        Proof::Totp => factors::verify_totp(&txn, &auth.secrets, &owner, given).await?,
        Proof::RecoveryCode => {
            factors::use_recovery_code(&txn, &auth.secrets, &owner, given).await?
        }
        // A passkey's answer is not typed: it is checked by `passkeys` and the step finished
        // by `finish_with_passkey`.
        Proof::Passkey | Proof::SecurityKey => false,
    };
    if !right {
        let counted = sign_in_code::Entity::update_many()
            .col_expr(
                sign_in_code::Column::FailedAttempts,
                Expr::col(sign_in_code::Column::FailedAttempts).add(1),
            )
            .filter(sign_in_code::Column::Id.eq(pending.code.id.clone()))
            .filter(usable())
            .exec(&txn)
            .await?
            .rows_affected;
        let actor = EmployeeSession::actor_of(&pending.user, attempt.client_ip.clone());
        audit::record(
            &txn,
            &actor,
            AuditRecord::in_instance(
                &pending.code.instance_id,
                "signInCodeRejected",
                "user",
                Some(&pending.user.id),
            )
            .summary(serde_json::json!({ "method": proof.method() }))
            .outcome("failure"),
        )
        .await?;
        txn.commit().await?;
        if counts_as_sign_in {
            if let Some(locked) =
                throttle::record_failure(auth, &scopes, Some(&pending.user)).await?
            {
                return Ok(Err(Refusal::Throttled(locked.to_string())));
            }
        }
        let tries_left = MAX_TRIES - pending.code.failed_attempts - 1;
        return Ok(Err(if counted == 0 || tries_left <= 0 {
            Refusal::Gone
        } else {
            Refusal::Wrong { tries_left }
        }));
    }
    let spent = sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sign_in_code::Column::Id.eq(pending.code.id.clone()))
        .filter(usable())
        .exec(&txn)
        .await?
        .rows_affected;
    if spent == 0 {
        // Spent on another node meanwhile: dropping the transaction undoes the code spent.
        drop(txn);
        return Ok(Err(Refusal::Gone));
    }
    if proof == Proof::RecoveryCode {
        let actor = EmployeeSession::actor_of(&pending.user, attempt.client_ip.clone());
        let left = factors::recovery_codes_left(&txn, &owner).await?;
        audit::record(
            &txn,
            &actor,
            AuditRecord::in_instance(
                &pending.code.instance_id,
                "useRecoveryCode",
                "user",
                Some(&pending.user.id),
            )
            .summary(serde_json::json!({ "recoveryCodesLeft": left })),
        )
        .await?;
    }
    txn.commit().await?;
    if counts_as_sign_in {
        throttle::record_success(auth, &scopes).await?;
    }
    session_after(auth, pending, proof.method(), attempt).await
}

/// The session a spent step leads to: a new one with the password and `method`, or the
/// stepped-up one.
async fn session_after(
    auth: &Auth,
    pending: Pending,
    method: &str,
    attempt: Attempt,
) -> AppResult<Result<String, Refusal>> {
    let cookie = match pending.code.session_id.as_deref() {
        Some(session_id) => {
            employee_sessions::step_up(auth, session_id, method, attempt.client_ip).await?
        }
        None => {
            Some(employee_sessions::open(auth, pending.user, &[PASSWORD, method], attempt).await?)
        }
    };
    Ok(cookie.ok_or(Refusal::Gone))
}

/// Finishes a pending step with an authenticator app whose first code was just accepted at
/// enrolment ([`factors::confirm_totp`]): the step is spent and the session opened.
pub async fn finish_with_enrolled_totp(
    auth: &Auth,
    pending: Pending,
    attempt: Attempt,
) -> AppResult<Result<String, Refusal>> {
    let now = Utc::now();
    let spent = sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sign_in_code::Column::Id.eq(pending.code.id.clone()))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .filter(sign_in_code::Column::ExpiresAt.gt(now))
        .exec(&auth.store.conn)
        .await?
        .rows_affected;
    if spent == 0 {
        return Ok(Err(Refusal::Gone));
    }
    session_after(auth, pending, TOTP, attempt).await
}

/// Finishes a pending step with a passkey whose answer [`passkeys`] checked: its record is
/// written back (the new counter) and the step spent in one transaction, and the session
/// opened or stepped up with `passkey` (it verified her) or `security_key`.
pub async fn finish_with_passkey(
    auth: &Auth,
    pending: Pending,
    assertion: &Assertion,
    attempt: Attempt,
) -> AppResult<Result<String, Refusal>> {
    let now = Utc::now();
    let txn = auth.store.begin_write().await?;
    if !passkeys::record_use(&txn, assertion).await? {
        return Ok(Err(Refusal::Gone));
    }
    let spent = sign_in_code::Entity::update_many()
        .col_expr(sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sign_in_code::Column::Id.eq(pending.code.id.clone()))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .filter(sign_in_code::Column::ExpiresAt.gt(now))
        .filter(sign_in_code::Column::FailedAttempts.lt(MAX_TRIES))
        .exec(&txn)
        .await?
        .rows_affected;
    if spent == 0 {
        return Ok(Err(Refusal::Gone));
    }
    txn.commit().await?;
    session_after(
        auth,
        pending,
        Proof::of_passkey(assertion).method(),
        attempt,
    )
    .await
}

/// Counts a refused passkey answer against a pending step, as a wrong code is (one try
/// fewer, audited as `signInCodeRejected`); returns what the employee is told next.
pub async fn refuse_passkey(
    auth: &Auth,
    pending: &Pending,
    attempt: &Attempt,
) -> AppResult<Refusal> {
    let now = Utc::now();
    let txn = auth.store.begin_write().await?;
    let counted = sign_in_code::Entity::update_many()
        .col_expr(
            sign_in_code::Column::FailedAttempts,
            Expr::col(sign_in_code::Column::FailedAttempts).add(1),
        )
        .filter(sign_in_code::Column::Id.eq(pending.code.id.clone()))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .filter(sign_in_code::Column::ExpiresAt.gt(now))
        .filter(sign_in_code::Column::FailedAttempts.lt(MAX_TRIES))
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        &EmployeeSession::actor_of(&pending.user, attempt.client_ip.clone()),
        AuditRecord::in_instance(
            &pending.code.instance_id,
            "signInCodeRejected",
            "user",
            Some(&pending.user.id),
        )
        .summary(serde_json::json!({ "method": PASSKEY }))
        .outcome("failure"),
    )
    .await?;
    txn.commit().await?;
    let tries_left = MAX_TRIES - pending.code.failed_attempts - 1;
    Ok(if counted == 0 || tries_left <= 0 {
        Refusal::Gone
    } else {
        Refusal::Wrong { tries_left }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_that_depend_on_the_row_and_the_key() {
        let key = crate::secrets::Keys::derive(&[3u8; 32]);
        let a = key.sign_in_code_of("0190a0a0-0000-7000-8000-000000000001");
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|b| b.is_ascii_digit()), "{a}");
        assert_eq!(
            a,
            key.sign_in_code_of("0190a0a0-0000-7000-8000-000000000001")
        );
        let others: std::collections::HashSet<String> = (0..50)
            .map(|n| key.sign_in_code_of(&format!("0190a0a0-0000-7000-8000-0000000000{n:02}")))
            .collect();
        assert!(others.len() > 45, "codes spread: {others:?}");
        assert_ne!(
            a,
            crate::secrets::Keys::derive(&[4u8; 32])
                .sign_in_code_of("0190a0a0-0000-7000-8000-000000000001")
        );
    }

    #[test]
    fn only_the_same_code_matches() {
        assert!(same_code("012345", "012345"));
        assert!(!same_code("012345", "012346"));
        assert!(!same_code("012345", "01234"));
        assert!(!same_code("012345", ""));
        assert!(!same_code("012345", "0123456"));
    }

    #[test]
    fn emails_are_masked_and_refusals_read_well() {
        assert_eq!(masked_email("alice@corp.example"), "a…e@corp.example");
        assert_eq!(masked_email("a@corp.example"), "a…@corp.example");
        assert_eq!(masked_email("nonsense"), "your email address");
        assert_eq!(
            Refusal::Wrong { tries_left: 1 }.message(),
            "The code is not correct. 1 try left."
        );
        assert_eq!(
            Refusal::Wrong { tries_left: 3 }.message(),
            "The code is not correct. 3 tries left."
        );
    }
}
