//! The second step of console sign-in. A correct password of an admin who has a second factor
//! (or of any admin, when `admin_require_second_factor` is set) opens no session: it stores an
//! `admin_sign_in_steps` row, and the browser holds a short-lived signed cookie naming it
//! (HttpOnly, SameSite=Strict, its own audience, so that it is worth nothing as a session). The
//! step is finished with a code of one of her authenticator apps, a recovery code or one of her
//! passkeys — or, when a factor is required and she has none, by setting up an authenticator
//! app (its first code).
//!
//! A step is valid for [`VALID_MINUTES`], takes [`MAX_TRIES`] wrong codes, and is spent once by
//! a conditional update (so two nodes cannot both open a session with it). Wrong codes are also
//! counted by the sign-in throttle against her account and address, as wrong passwords are; a
//! correct password alone does not clear her account's count, the finished step does, so that
//! knowing the password does not buy unlimited guesses at the code. Signing in again voids her
//! earlier steps.

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use entity::factor::FactorKind;
use entity::{admin, admin_sign_in_step};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::factors::{self, NotConfirmed, Owner, TotpEnrolment};
use super::passkeys::{self, Assertion};
use super::sessions;
use super::throttle::{self, Scopes};
use super::Auth;
use crate::access::methods::{PASSKEY, PASSWORD, RECOVERY_CODE, SECURITY_KEY, TOTP};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::request::{read_cookie, set_cookie, SameSite};
use crate::t;

pub const VALID_MINUTES: i64 = 5;
pub const MAX_TRIES: i32 = 5;
const AUDIENCE: &str = "lanyard-console-step";
pub const STEP_COOKIE: &str = "lanyard_admin_step";
/// The issuer an authenticator app shows beside an admin's codes.
pub const ISSUER: &str = "Lanyard";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The `admin_sign_in_steps` row.
    stp: String,
    aud: String,
    exp: i64,
}

/// What a step asks of the admin.
pub enum Ask {
    /// A code of an authenticator app (`totp`), a recovery code (`recovery_code`) or a passkey
    /// (`passkey`): the methods she has.
    Factor { methods: Vec<&'static str> },
    /// A second factor is required and she has none: set up this authenticator app, shown
    /// once, and confirm it with its first code.
    Enrol(TotpEnrolment),
}

/// A step just begun: what it asks, and the `Set-Cookie` that remembers it.
pub struct Started {
    pub ask: Ask,
    pub cookie: String,
}

fn cookie(auth: &Auth, value: &str, max_age_secs: i64) -> String {
    set_cookie(
        &auth.config,
        STEP_COOKIE,
        value,
        SameSite::Strict,
        Some(max_age_secs),
    )
}

/// The `Set-Cookie` that forgets the step.
pub fn clear_cookie(auth: &Auth) -> String {
    cookie(auth, "", 0)
}

/// The label of an admin's authenticator-app entry: her username at this server's host, so
/// that two Lanyard servers read apart in the app.
pub fn authenticator_label(auth: &Auth, username: &str) -> String {
    let host = auth
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split('/')
        .next()
        .unwrap_or_default();
    if host.is_empty() {
        username.to_owned()
    } else {
        format!("{username}@{host}")
    }
}

/// Stores a pending step for `admin` after her correct password (voiding her earlier ones):
/// `enrol` when she must set up an authenticator app in it.
pub async fn begin(
    auth: &Auth,
    admin: &admin::Model,
    enrol: bool,
    client_ip: Option<String>,
) -> AppResult<Started> {
    let now = Utc::now();
    let expires = now + Duration::minutes(VALID_MINUTES);
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    admin_sign_in_step::Entity::delete_many()
        .filter(admin_sign_in_step::Column::AdminId.eq(admin.id.as_str()))
        .exec(&txn)
        .await?;
    admin_sign_in_step::ActiveModel {
        id: Set(id.clone()),
        admin_id: Set(admin.id.clone()),
        client_ip: Set(client_ip.map(|ip| ip.chars().take(64).collect())),
        created_at: Set(now),
        expires_at: Set(expires),
        failed_attempts: Set(0),
        used_at: Set(None),
        enrol: Set(enrol),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let owner = Owner::admin(&admin.id);
    let ask = if enrol {
        Ask::Enrol(
            factors::begin_totp(
                auth,
                &owner,
                ISSUER,
                &authenticator_label(auth, &admin.username),
            )
            .await?,
        )
    } else {
        let conn = &auth.store.conn;
        let mut methods = Vec::new();
        let has = factors::list(conn, &owner).await?;
        if has.iter().any(|f| f.kind == FactorKind::Totp) {
            methods.push(TOTP);
        }
        if has.iter().any(|f| f.kind == FactorKind::Passkey) && passkeys::enabled(&auth.config) {
            methods.push(PASSKEY);
        }
        if factors::recovery_codes_left(conn, &owner).await? > 0 {
            methods.push(RECOVERY_CODE);
        }
        Ask::Factor { methods }
    };
    let claims = Claims {
        stp: id,
        aud: AUDIENCE.into(),
        exp: expires.timestamp(),
    };
    let jwt = auth.secrets.admin_session.sign(&claims)?;
    Ok(Started {
        ask,
        cookie: cookie(auth, &jwt, VALID_MINUTES * 60),
    })
}

/// A step waiting to be finished, and its admin.
pub struct Pending {
    pub step: admin_sign_in_step::Model,
    pub admin: admin::Model,
}

/// The step this browser's cookie names, if it can still be finished.
pub async fn pending(auth: &Auth, headers: &HeaderMap) -> AppResult<Option<Pending>> {
    let Some(jwt) = read_cookie(&auth.config, headers, STEP_COOKIE) else {
        return Ok(None);
    };
    let Some(claims) = auth
        .secrets
        .admin_session
        .verify::<Claims>(&jwt, AUDIENCE, None)
        .filter(|claims| plausible_id(&claims.stp))
    else {
        return Ok(None);
    };
    let Some(step) = admin_sign_in_step::Entity::find_by_id(claims.stp)
        .one(&auth.store.conn)
        .await?
        .filter(|s| {
            s.used_at.is_none() && s.expires_at > Utc::now() && s.failed_attempts < MAX_TRIES
        })
    else {
        return Ok(None);
    };
    let Some(admin) = admin::Entity::find_by_id(step.admin_id.clone())
        .one(&auth.store.conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Pending { step, admin }))
}

/// What the admin gives to finish a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// A code of one of her authenticator apps.
    Totp,
    /// One of her recovery codes.
    RecoveryCode,
}

impl Proof {
    /// The method as the request names it (`totp`, `recovery_code`).
    pub fn parse(method: &str) -> Option<Proof> {
        match method {
            TOTP => Some(Proof::Totp),
            RECOVERY_CODE => Some(Proof::RecoveryCode),
            _ => None,
        }
    }

    /// The session's method it adds.
    pub fn method(self) -> &'static str {
        match self {
            Proof::Totp => TOTP,
            Proof::RecoveryCode => RECOVERY_CODE,
        }
    }
}

/// The refusal of a step that cannot be finished any more: sign in again.
pub fn gone() -> AppError {
    AppError::SignInAgain(t!(crate::i18n::current(), "admin-step-gone"))
}

fn actor_of(admin: &admin::Model, client_ip: Option<String>) -> Actor {
    Actor {
        kind: "admin",
        id: admin.id.clone(),
        name: admin.username.clone(),
        client_ip,
    }
}

fn usable(now: chrono::DateTime<Utc>) -> sea_orm::sea_query::SimpleExpr {
    admin_sign_in_step::Column::UsedAt
        .is_null()
        .and(admin_sign_in_step::Column::ExpiresAt.gt(now))
        .and(admin_sign_in_step::Column::FailedAttempts.lt(MAX_TRIES))
}

/// Counts one wrong code against the step; the refusal to answer with.
async fn count_wrong<C: sea_orm::ConnectionTrait>(
    db: &C,
    pending: &Pending,
    message: String,
) -> AppResult<AppError> {
    let counted = admin_sign_in_step::Entity::update_many()
        .col_expr(
            admin_sign_in_step::Column::FailedAttempts,
            Expr::col(admin_sign_in_step::Column::FailedAttempts).add(1),
        )
        .filter(admin_sign_in_step::Column::Id.eq(pending.step.id.as_str()))
        .filter(usable(Utc::now()))
        .exec(db)
        .await?
        .rows_affected;
    let tries_left = MAX_TRIES - pending.step.failed_attempts - 1;
    Ok(if counted == 0 || tries_left <= 0 {
        gone()
    } else {
        AppError::bad_input("code", message)
    })
}

/// Spends the step: true when this call did (not another node, not too late).
async fn spend<C: sea_orm::ConnectionTrait>(db: &C, pending: &Pending) -> AppResult<bool> {
    let now = Utc::now();
    Ok(admin_sign_in_step::Entity::update_many()
        .col_expr(admin_sign_in_step::Column::UsedAt, Expr::value(now))
        .filter(admin_sign_in_step::Column::Id.eq(pending.step.id.as_str()))
        .filter(usable(now))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Checks the code she gave. Right: the step is spent, the code too (each works once), and a
/// console session opens with her password and this method; its `Set-Cookie` is returned.
/// Wrong: a `BAD_USER_INPUT` on `code` saying how many tries are left, one try fewer, and a
/// failed sign-in counted against her account and address; the last try, an expired or spent
/// step answer [`gone`]; a locked account or address the throttle's refusal.
pub async fn verify(
    auth: &Auth,
    pending: Pending,
    proof: Proof,
    given: &str,
    client_ip: Option<String>,
) -> AppResult<String> {
    let lang = crate::i18n::current();
    if pending.step.enrol {
        return Err(AppError::bad_input("method", t!(lang, "admin-step-enrols")));
    }
    let scopes = Scopes::admin(&pending.admin.username, client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let owner = Owner::admin(&pending.admin.id);
    let actor = actor_of(&pending.admin, client_ip.clone());
    let txn = auth.store.begin_write().await?;
    let right = match proof {
        Proof::Totp => factors::verify_totp(&txn, &auth.secrets, &owner, given).await?,
        Proof::RecoveryCode => {
            factors::use_recovery_code(&txn, &auth.secrets, &owner, given).await?
        }
    };
    if !right {
        let tries_left = MAX_TRIES - pending.step.failed_attempts - 1;
        let refusal = count_wrong(
            &txn,
            &pending,
            t!(lang, "code-wrong", tries = i64::from(tries_left.max(0))),
        )
        .await?;
        audit::record(
            &txn,
            &actor,
            AuditRecord::platform(
                "adminSignInFactorRejected",
                "admin",
                Some(&pending.admin.id),
            )
            .summary(serde_json::json!({ "method": proof.method() }))
            .outcome("failure"),
        )
        .await?;
        txn.commit().await?;
        tracing::info!(username = %pending.admin.username, client_ip = ?client_ip, "admin second factor refused");
        if let Some(locked) = throttle::record_failure(auth, &scopes, None).await? {
            return Err(locked);
        }
        return Err(refusal);
    }
    if !spend(&txn, &pending).await? {
        // Spent or expired meanwhile: dropping the transaction gives the code back.
        drop(txn);
        return Err(gone());
    }
    if proof == Proof::RecoveryCode {
        let left = factors::recovery_codes_left(&txn, &owner).await?;
        audit::record(
            &txn,
            &actor,
            AuditRecord::platform("useRecoveryCode", "admin", Some(&pending.admin.id))
                .summary(serde_json::json!({ "recoveryCodesLeft": left })),
        )
        .await?;
    }
    txn.commit().await?;
    throttle::record_success(auth, &scopes).await?;
    sessions::open(auth, &pending.admin, &[PASSWORD, proof.method()], client_ip).await
}

/// Counts a refused passkey answer against the step, as a wrong code is (one try fewer, a
/// failed sign-in against her account and address); the refusal to answer with, unless the
/// step is over.
pub async fn refuse_passkey(
    auth: &Auth,
    pending: &Pending,
    refusal: AppError,
    client_ip: Option<String>,
) -> AppResult<AppError> {
    let scopes = Scopes::admin(&pending.admin.username, client_ip.as_deref());
    let txn = auth.store.begin_write().await?;
    let refusal = match count_wrong(&txn, pending, String::new()).await? {
        AppError::BadUserInput { .. } => refusal,
        over => over,
    };
    audit::record(
        &txn,
        &actor_of(&pending.admin, client_ip),
        AuditRecord::platform(
            "adminSignInFactorRejected",
            "admin",
            Some(&pending.admin.id),
        )
        .summary(serde_json::json!({ "method": PASSKEY }))
        .outcome("failure"),
    )
    .await?;
    txn.commit().await?;
    if let Some(locked) = throttle::record_failure(auth, &scopes, None).await? {
        return Ok(locked);
    }
    Ok(refusal)
}

/// Finishes a step with one of her passkeys, checked ([`passkeys::verify_factor`]): the step
/// is spent, the passkey's new counter written, and a session opens with her password and
/// `passkey` (it verified her) or `security_key`.
pub async fn finish_with_passkey(
    auth: &Auth,
    pending: Pending,
    assertion: &Assertion,
    client_ip: Option<String>,
) -> AppResult<String> {
    if pending.step.enrol {
        return Err(AppError::bad_input(
            "method",
            t!(crate::i18n::current(), "admin-step-enrols"),
        ));
    }
    let scopes = Scopes::admin(&pending.admin.username, client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let txn = auth.store.begin_write().await?;
    if !spend(&txn, &pending).await? || !passkeys::record_use(&txn, assertion).await? {
        // Spent, expired, or the passkey used meanwhile: nothing is written.
        drop(txn);
        return Err(gone());
    }
    txn.commit().await?;
    throttle::record_success(auth, &scopes).await?;
    let method = if assertion.user_verified {
        PASSKEY
    } else {
        SECURITY_KEY
    };
    sessions::open(auth, &pending.admin, &[PASSWORD, method], client_ip).await
}

/// Finishes a step that sets up an authenticator app: the first code confirms the app (named
/// `name`), the step is spent and a session opens with her password and the app. Returns the
/// session's `Set-Cookie` and her new recovery codes, to show once.
pub async fn enrol(
    auth: &Auth,
    pending: Pending,
    factor_id: &str,
    code: &str,
    name: &str,
    client_ip: Option<String>,
) -> AppResult<(String, Vec<String>)> {
    let lang = crate::i18n::current();
    if !pending.step.enrol {
        return Err(AppError::bad_input(
            "factorId",
            t!(lang, "admin-step-no-enrol"),
        ));
    }
    let scopes = Scopes::admin(&pending.admin.username, client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let owner = Owner::admin(&pending.admin.id);
    let actor = actor_of(&pending.admin, client_ip.clone());
    let codes = match factors::confirm_totp(auth, &owner, &actor, factor_id, code, name).await? {
        Ok(codes) => codes.unwrap_or_default(),
        Err(NotConfirmed::Gone) => return Err(gone()),
        Err(NotConfirmed::WrongCode) => {
            return Err(
                count_wrong(&auth.store.conn, &pending, t!(lang, "factor-enrol-wrong")).await?,
            )
        }
    };
    // The app is hers now, whatever happens to the step: if it was spent meanwhile, she signs
    // in again with the app.
    if !spend(&auth.store.conn, &pending).await? {
        return Err(gone());
    }
    throttle::record_success(auth, &scopes).await?;
    let cookie = sessions::open(auth, &pending.admin, &[PASSWORD, TOTP], client_ip).await?;
    Ok((cookie, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_named_as_sessions_record_them() {
        assert_eq!(Proof::parse("totp"), Some(Proof::Totp));
        assert_eq!(Proof::parse("recovery_code"), Some(Proof::RecoveryCode));
        for bad in ["", "TOTP", "password", "email_code", "totp "] {
            assert_eq!(Proof::parse(bad), None, "{bad}");
        }
        assert_eq!(Proof::RecoveryCode.method(), RECOVERY_CODE);
    }
}
