//! GraphQL of console admins' second factors: the signed-in admin's own (list them, set up an
//! authenticator app, register a passkey, remove one, new recovery codes), from a console
//! session only; and a super admin's reset of another admin's.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::factor;

use super::factors::FactorKindName;
use super::{gate, principal, state};
use crate::auth::admin_factors::{self, Own};
use crate::auth::factors::TotpEnrolment;
use crate::authz::admin::actions;
use crate::error::AppError;

/// A second factor of the signed-in admin: what it is and when it was used, never its secret.
#[derive(SimpleObject)]
pub struct AdminFactor {
    id: ID,
    /// `TOTP` (an authenticator app) or `PASSKEY` (a passkey or security key).
    kind: FactorKindName,
    /// The name she gave it.
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

impl From<factor::Model> for AdminFactor {
    fn from(m: factor::Model) -> Self {
        AdminFactor {
            id: ID(m.id),
            kind: m.kind.into(),
            name: m.name,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
        }
    }
}

/// The signed-in admin's second factors and what her session may do with them.
#[derive(SimpleObject)]
pub struct MyFactors {
    factors: Vec<AdminFactor>,
    recovery_codes_left: u64,
    /// This console session was opened with a second factor.
    session_proved_factor: bool,
    /// She may change her factors in this session: she has none yet, or the session proved
    /// one. Otherwise she signs in again with one of them first.
    may_change: bool,
    /// Every console admin must give a second factor (`admin_require_second_factor`): her last
    /// one cannot be removed.
    required: bool,
}

/// The signed-in admin, her permit and what her session proved.
fn own(ctx: &Context<'_>) -> Result<Own> {
    let permit = gate::platform(ctx, actions::ManageOwnFactors)?;
    let methods = principal(ctx)
        .map(|p| p.auth_methods.clone())
        .unwrap_or_default();
    Ok(Own::new(&permit, &methods))
}

#[derive(Default)]
pub struct AdminFactorsQuery;

#[Object]
impl AdminFactorsQuery {
    /// The signed-in admin's own second factors (never their secrets). Console sessions only,
    /// not API tokens. Action: `manageOwnFactors`.
    async fn my_factors(&self, ctx: &Context<'_>) -> Result<MyFactors> {
        let own = own(ctx)?;
        let overview = admin_factors::overview(&state(ctx)?.auth, &own).await?;
        Ok(MyFactors {
            factors: overview
                .factors
                .into_iter()
                .map(AdminFactor::from)
                .collect(),
            recovery_codes_left: overview.recovery_codes_left,
            session_proved_factor: overview.proved,
            may_change: overview.may_change,
            required: overview.required,
        })
    }
}

/// An authenticator app being set up: shown once, confirmed by its first code.
#[derive(SimpleObject)]
pub struct TotpSetup {
    /// The setup to confirm (`confirmMyTotp`).
    factor_id: ID,
    /// The key in base32, for apps that cannot scan the QR code.
    secret: String,
    /// The `otpauth://totp/…` URL the QR code holds.
    otpauth_url: String,
    /// The QR code, a `data:image/svg+xml` URL for an `<img>`.
    qr_code: String,
}

impl From<TotpEnrolment> for TotpSetup {
    fn from(e: TotpEnrolment) -> Self {
        TotpSetup {
            qr_code: e.qr_data_url(),
            factor_id: ID(e.factor_id),
            secret: e.secret_base32,
            otpauth_url: e.url,
        }
    }
}

#[derive(InputObject)]
pub struct ConfirmMyTotpInput {
    /// The setup `beginMyTotp` made.
    factor_id: ID,
    /// The app's current six-digit code.
    code: String,
    /// A name for the app ("Phone"), at most 64 characters; "Authenticator app" when empty.
    #[graphql(default)]
    name: String,
}

#[derive(SimpleObject)]
pub struct ConfirmMyTotpPayload {
    factor: AdminFactor,
    /// Her new recovery codes, when she had none: shown this once.
    recovery_codes: Option<Vec<String>>,
}

/// A passkey registration begun: the options for the browser's
/// `navigator.credentials.create` (binary values in base64url), valid five minutes.
#[derive(SimpleObject)]
pub struct PasskeySetup {
    /// The ceremony to name in `finishMyPasskey`.
    ceremony: String,
    /// WebAuthn's `PublicKeyCredentialCreationOptions`, under `publicKey`.
    options: Json<serde_json::Value>,
}

#[derive(InputObject)]
pub struct FinishMyPasskeyInput {
    /// The ceremony `beginMyPasskey` began.
    ceremony: String,
    /// The browser's `PublicKeyCredential`, binary values in base64url (`id`, `rawId`, `type`,
    /// `response.clientDataJSON`, `response.attestationObject`, `response.transports`).
    credential: Json<serde_json::Value>,
    /// A name for it ("YubiKey"), at most 64 characters; "Passkey" when empty.
    #[graphql(default)]
    name: String,
}

#[derive(SimpleObject)]
pub struct FinishMyPasskeyPayload {
    factor: AdminFactor,
    /// Her new recovery codes, when she had none: shown this once.
    recovery_codes: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct RemoveMyFactorInput {
    factor_id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveMyFactorPayload {
    removed_factor_id: ID,
    /// Her recovery codes left (none once her last factor is gone).
    recovery_codes_left: u64,
}

#[derive(SimpleObject)]
pub struct NewMyRecoveryCodesPayload {
    /// Shown this once; the old ones no longer work.
    recovery_codes: Vec<String>,
}

#[derive(InputObject)]
pub struct ResetAdminFactorsInput {
    admin_id: ID,
}

#[derive(SimpleObject)]
pub struct ResetAdminFactorsPayload {
    /// How many factors were removed.
    removed_count: u64,
    /// How many of her console sessions ended.
    sessions_ended: u64,
}

/// Longest code and name accepted before anything is looked at.
const MAX_CODE: usize = 64;
const MAX_NAME: usize = 256;

#[derive(Default)]
pub struct AdminFactorsMutation;

#[Object]
impl AdminFactorsMutation {
    /// Starts setting up an authenticator app for the signed-in admin (an earlier unconfirmed
    /// setup goes). Needs a session that proved a second factor when she has one. Action:
    /// `manageOwnFactors`.
    async fn begin_my_totp(&self, ctx: &Context<'_>) -> Result<TotpSetup> {
        let own = own(ctx)?;
        Ok(admin_factors::begin_totp(&state(ctx)?.auth, &own)
            .await?
            .into())
    }

    /// Confirms the app being set up with its current code; audited as `enrolFactor`. Her
    /// first factor comes with ten recovery codes. Action: `manageOwnFactors`.
    async fn confirm_my_totp(
        &self,
        ctx: &Context<'_>,
        input: ConfirmMyTotpInput,
    ) -> Result<ConfirmMyTotpPayload> {
        let own = own(ctx)?;
        if input.code.len() > MAX_CODE {
            return Err(AppError::bad_input(
                "code",
                crate::t!(crate::i18n::current(), "admin-code-too-long"),
            )
            .into());
        }
        if input.name.len() > MAX_NAME {
            return Err(AppError::bad_input(
                "name",
                crate::t!(crate::i18n::current(), "admin-name-too-long"),
            )
            .into());
        }
        let (app, recovery_codes) = admin_factors::confirm_totp(
            &state(ctx)?.auth,
            &own,
            &input.factor_id,
            &input.code,
            &input.name,
        )
        .await?;
        Ok(ConfirmMyTotpPayload {
            factor: app.into(),
            recovery_codes,
        })
    }

    /// Begins registering a passkey or security key for the signed-in admin (her console sign-in
    /// then accepts it as a second factor, or alone where it verifies her). Needs a session
    /// that proved a second factor when she has one. Action: `manageOwnFactors`.
    async fn begin_my_passkey(&self, ctx: &Context<'_>) -> Result<PasskeySetup> {
        let own = own(ctx)?;
        let started = admin_factors::begin_passkey(&state(ctx)?.auth, &own).await?;
        Ok(PasskeySetup {
            ceremony: started.ceremony,
            options: Json(started.options),
        })
    }

    /// Registers the passkey her browser made for `beginMyPasskey`'s ceremony; audited as
    /// `enrolFactor`. Her first factor comes with ten recovery codes. A credential registered
    /// already is a `CONFLICT`; an answer for another site or challenge, or a malformed one,
    /// `BAD_USER_INPUT`. Action: `manageOwnFactors`.
    async fn finish_my_passkey(
        &self,
        ctx: &Context<'_>,
        input: FinishMyPasskeyInput,
    ) -> Result<FinishMyPasskeyPayload> {
        let own = own(ctx)?;
        if input.name.len() > MAX_NAME {
            return Err(AppError::bad_input(
                "name",
                crate::t!(crate::i18n::current(), "admin-name-too-long"),
            )
            .into());
        }
        let (passkey, recovery_codes) = admin_factors::finish_passkey(
            &state(ctx)?.auth,
            &own,
            &input.ceremony,
            &input.name,
            input.credential.0,
        )
        .await?;
        Ok(FinishMyPasskeyPayload {
            factor: passkey.into(),
            recovery_codes,
        })
    }

    /// Removes one of the signed-in admin's factors (her recovery codes go with the last);
    /// audited as `removeFactor`. Where a second factor is required of admins, her last one
    /// stays (`CONFLICT`). Action: `manageOwnFactors`.
    async fn remove_my_factor(
        &self,
        ctx: &Context<'_>,
        input: RemoveMyFactorInput,
    ) -> Result<RemoveMyFactorPayload> {
        let own = own(ctx)?;
        let left = admin_factors::remove(&state(ctx)?.auth, &own, &input.factor_id).await?;
        Ok(RemoveMyFactorPayload {
            removed_factor_id: input.factor_id,
            recovery_codes_left: left,
        })
    }

    /// New recovery codes for the signed-in admin, shown once; the old ones stop working.
    /// Audited as `newRecoveryCodes`. Action: `manageOwnFactors`.
    async fn new_my_recovery_codes(&self, ctx: &Context<'_>) -> Result<NewMyRecoveryCodesPayload> {
        let own = own(ctx)?;
        Ok(NewMyRecoveryCodesPayload {
            recovery_codes: admin_factors::new_recovery_codes(&state(ctx)?.auth, &own).await?,
        })
    }

    /// Removes every second factor and recovery code of another console admin (she lost her
    /// phone); her console sessions end, and it is audited as `resetAdminFactors`. Where a
    /// second factor is required she sets up a new one at her next sign-in. Action:
    /// `manageAdmins`.
    async fn reset_admin_factors(
        &self,
        ctx: &Context<'_>,
        input: ResetAdminFactorsInput,
    ) -> Result<ResetAdminFactorsPayload> {
        let permit = gate::platform(ctx, actions::ManageAdmins)?;
        let reset = admin_factors::reset(&state(ctx)?.auth, &permit, &input.admin_id).await?;
        Ok(ResetAdminFactorsPayload {
            removed_count: reset.removed,
            sessions_ended: reset.sessions_ended,
        })
    }
}
