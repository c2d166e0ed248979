//! A console admin's own second factors (the console's Security page: authenticator apps,
//! passkeys, recovery codes), and a super admin's reset of another admin's.
//!
//! Her own are reached with the permit of `manageOwnFactors`, which Cedar gives every console
//! admin and no API token; the permit's actor is the owner. An admin without factors may set
//! one up with her password session (someone must bootstrap); once she has one, changing them
//! (another app, removing one, new recovery codes) needs a session that proved a second factor
//! — she signs in again with one, as the employee account page asks her to confirm it's her.

use entity::instance::PasskeyUserVerification;
use entity::{admin, admin_session, admin_sign_in_step, factor};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::admin_steps;
use super::factors::{self, NotConfirmed, Owner, TotpEnrolment};
use super::passkeys::{self, Answering, Holder, Refused};
use super::Auth;
use crate::access::methods::assurance;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Actor, PlatformPermit};
use crate::error::{AppError, AppResult};
use crate::ids::plausible_id;
use crate::t;

/// The signed-in admin as her own factors see her.
pub struct Own {
    owner: Owner,
    actor: Actor,
    /// Her session gave a second factor.
    proved: bool,
}

impl Own {
    /// The admin the permit was given to, with what her session proved (`password`, `totp`…).
    pub fn new(permit: &PlatformPermit<actions::ManageOwnFactors>, methods: &[String]) -> Own {
        let actor = permit.actor().clone();
        Own {
            owner: Owner::admin(&actor.id),
            actor,
            proved: assurance(methods) >= 2,
        }
    }
}

/// Her factors, as the Security page shows them.
pub struct Overview {
    pub factors: Vec<factor::Model>,
    pub recovery_codes_left: u64,
    /// This session gave a second factor.
    pub proved: bool,
    /// She may change her factors in this session.
    pub may_change: bool,
    /// A second factor is required of every admin.
    pub required: bool,
}

pub async fn overview(auth: &Auth, own: &Own) -> AppResult<Overview> {
    let conn = &auth.store.conn;
    let factors = factors::list(conn, &own.owner).await?;
    Ok(Overview {
        may_change: own.proved || factors.is_empty(),
        recovery_codes_left: factors::recovery_codes_left(conn, &own.owner).await?,
        factors,
        proved: own.proved,
        required: auth.config.admin_require_second_factor,
    })
}

/// Refuses a change in a session that did not prove one of her factors.
async fn may_change(auth: &Auth, own: &Own) -> AppResult<Vec<factor::Model>> {
    let factors = factors::list(&auth.store.conn, &own.owner).await?;
    if !own.proved && !factors.is_empty() {
        return Err(AppError::Forbidden(t!(
            crate::i18n::current(),
            "admin-factor-verify-first"
        )));
    }
    Ok(factors)
}

/// Starts setting up an authenticator app (shown once; confirmed by its first code).
pub async fn begin_totp(auth: &Auth, own: &Own) -> AppResult<TotpEnrolment> {
    may_change(auth, own).await?;
    let account = admin_steps::authenticator_label(auth, &own.actor.name);
    factors::begin_totp(auth, &own.owner, admin_steps::ISSUER, &account).await
}

/// Confirms the app being set up by its first code, with the name she gives it. Returns the
/// app and, when she had no recovery codes, her new ones (to show once).
pub async fn confirm_totp(
    auth: &Auth,
    own: &Own,
    factor_id: &str,
    code: &str,
    name: &str,
) -> AppResult<(factor::Model, Option<Vec<String>>)> {
    may_change(auth, own).await?;
    let lang = crate::i18n::current();
    let codes =
        match factors::confirm_totp(auth, &own.owner, &own.actor, factor_id, code, name).await? {
            Ok(codes) => codes,
            Err(NotConfirmed::Gone) => return Err(AppError::NotFound("authenticator app setup")),
            Err(NotConfirmed::WrongCode) => {
                return Err(AppError::bad_input("code", t!(lang, "factor-enrol-wrong")))
            }
        };
    let app = factor::Entity::find_by_id(factor_id)
        .one(&auth.store.conn)
        .await?
        .ok_or(AppError::NotFound("factor"))?;
    Ok((app, codes))
}

/// Starts registering a passkey for her, bound to her (an answer is taken only from her
/// sessions). Her passkeys are excluded: an authenticator that holds one says so.
pub async fn begin_passkey(auth: &Auth, own: &Own) -> AppResult<passkeys::Started> {
    may_change(auth, own).await?;
    let holder = Holder {
        owner: own.owner.clone(),
        username: &own.actor.name,
        display_name: &own.actor.name,
    };
    passkeys::begin_registration(
        auth,
        &holder,
        &own.owner.id,
        admin_steps::ISSUER,
        PasskeyUserVerification::Preferred,
    )
    .await?
    .map_err(Refused::error)
}

/// Registers the passkey her browser made under `name`; audited as `enrolFactor`. Returns it
/// and, when she had no recovery codes, her new ones (to show once).
pub async fn finish_passkey(
    auth: &Auth,
    own: &Own,
    ceremony: &str,
    name: &str,
    credential: serde_json::Value,
) -> AppResult<(factor::Model, Option<Vec<String>>)> {
    may_change(auth, own).await?;
    let given = serde_json::from_value(credential).map_err(|_| Refused::Malformed.error())?;
    let answering = Answering {
        ceremony,
        bound_to: &own.owner.id,
        verification: PasskeyUserVerification::Preferred,
    };
    let registered =
        passkeys::finish_registration(auth, &own.owner, &own.actor, answering, name, &given)
            .await?
            .map_err(Refused::error)?;
    let passkey = factor::Entity::find_by_id(registered.factor_id)
        .one(&auth.store.conn)
        .await?
        .ok_or(AppError::NotFound("factor"))?;
    Ok((passkey, registered.recovery_codes))
}

/// Removes one of her factors (her recovery codes go with the last). Where a second factor is
/// required of admins, her last one stays. Returns the recovery codes she has left.
pub async fn remove(auth: &Auth, own: &Own, factor_id: &str) -> AppResult<u64> {
    let factors = may_change(auth, own).await?;
    if !plausible_id(factor_id) || !factors.iter().any(|f| f.id == factor_id) {
        return Err(AppError::NotFound("factor"));
    }
    if auth.config.admin_require_second_factor && factors.len() == 1 {
        return Err(AppError::conflict(
            "factorId",
            t!(crate::i18n::current(), "admin-factor-last-required"),
        ));
    }
    let txn = auth.store.begin_write().await?;
    if !factors::remove(&txn, &own.owner, factor_id).await? {
        return Err(AppError::NotFound("factor"));
    }
    audit::record(
        &txn,
        &own.actor,
        own.owner
            .audit("removeFactor")
            .summary(serde_json::json!({ "factorId": factor_id })),
    )
    .await?;
    let left = factors::recovery_codes_left(&txn, &own.owner).await?;
    txn.commit().await?;
    Ok(left)
}

/// Replaces her recovery codes with new ones, shown once. Only she who has a factor, in a
/// session that proved one.
pub async fn new_recovery_codes(auth: &Auth, own: &Own) -> AppResult<Vec<String>> {
    let factors = may_change(auth, own).await?;
    if factors.is_empty() {
        return Err(AppError::conflict(
            "recoveryCodes",
            t!(crate::i18n::current(), "admin-factor-none-yet"),
        ));
    }
    let txn = auth.store.begin_write().await?;
    let codes = factors::replace_recovery_codes(&txn, &auth.secrets, &own.owner).await?;
    audit::record(&txn, &own.actor, own.owner.audit("newRecoveryCodes")).await?;
    txn.commit().await?;
    Ok(codes)
}

/// What a reset did.
pub struct Reset {
    pub admin: admin::Model,
    pub removed: u64,
    pub sessions_ended: u64,
}

/// Removes every second factor and recovery code of another admin (she lost her phone): her
/// console sessions and pending sign-ins end, and it is audited as `resetAdminFactors`. Her
/// own factors an admin changes on her Security page, in a session that proved one.
pub async fn reset(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageAdmins>,
    admin_id: &str,
) -> AppResult<Reset> {
    if !plausible_id(admin_id) {
        return Err(AppError::NotFound("admin"));
    }
    let txn = auth.store.begin_write().await?;
    let admin = admin::Entity::find_by_id(admin_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("admin"))?;
    if admin.id == permit.actor().id {
        return Err(AppError::conflict(
            "adminId",
            t!(crate::i18n::current(), "admin-factor-reset-self"),
        ));
    }
    let removed = factors::reset(&txn, &Owner::admin(&admin.id)).await?;
    let sessions_ended = admin_session::Entity::delete_many()
        .filter(admin_session::Column::AdminId.eq(admin.id.as_str()))
        .exec(&txn)
        .await?
        .rows_affected;
    admin_sign_in_step::Entity::delete_many()
        .filter(admin_sign_in_step::Column::AdminId.eq(admin.id.as_str()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("resetAdminFactors", "admin", Some(&admin.id)).summary(
            serde_json::json!({
                "username": admin.username,
                "factorsRemoved": removed,
                "sessionsEnded": sessions_ended,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Reset {
        admin,
        removed,
        sessions_ended,
    })
}
