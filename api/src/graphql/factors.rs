//! GraphQL of employees' second factors for admins: list a user's (never their secrets) and
//! reset them (she is emailed, her sessions end).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::factor;

use super::gate;
use super::state;
use crate::audit;
use crate::auth::employee_sessions;
use crate::auth::factors::{self, Owner};
use crate::authz::admin::actions;
use crate::directory::users;
use crate::error::AppError;
use crate::ids::plausible_id;

/// A second factor of a user: what it is and when it was used, never its secret.
#[derive(SimpleObject)]
pub struct UserFactor {
    id: ID,
    /// `TOTP` (an authenticator app) or `PASSKEY`.
    kind: FactorKindName,
    /// The name the user gave it.
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "UserFactorKind", remote = "entity::factor::FactorKind")]
pub enum FactorKindName {
    Totp,
    Passkey,
}

impl From<factor::Model> for UserFactor {
    fn from(m: factor::Model) -> Self {
        UserFactor {
            id: ID(m.id),
            kind: m.kind.into(),
            name: m.name,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
        }
    }
}

/// A user's second factors and how many recovery codes she has left.
#[derive(SimpleObject)]
pub struct UserFactors {
    factors: Vec<UserFactor>,
    recovery_codes_left: u64,
}

#[derive(Default)]
pub struct FactorsQuery;

#[Object]
impl FactorsQuery {
    /// A user's second factors. Action: `readUserFactors`.
    async fn user_factors(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
        user_id: ID,
    ) -> Result<UserFactors> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ReadUserFactors, &instance_id)?;
        if !plausible_id(&user_id) {
            return Err(AppError::NotFound("user").into());
        }
        let conn = &state.auth.store.conn;
        let user = users::find_in(conn, permit.instance_id(), &user_id).await?;
        let owner = Owner::user(&user);
        Ok(UserFactors {
            factors: factors::list(conn, &owner)
                .await?
                .into_iter()
                .map(UserFactor::from)
                .collect(),
            recovery_codes_left: factors::recovery_codes_left(conn, &owner).await?,
        })
    }
}

#[derive(InputObject)]
pub struct ResetUserFactorsInput {
    instance_id: ID,
    user_id: ID,
}

#[derive(SimpleObject)]
pub struct ResetUserFactorsPayload {
    /// How many factors were removed.
    removed_count: u64,
    /// How many of her sessions ended.
    sessions_ended: u64,
    /// Whether she is emailed about it (she has an address).
    emailed: bool,
}

#[derive(Default)]
pub struct FactorsMutation;

#[Object]
impl FactorsMutation {
    /// Removes every second factor and recovery code of a user (she lost her phone). Her
    /// sessions end, she is emailed, and it is audited as `resetUserFactors`. Where a second
    /// factor is required she then enrols a new one at her next sign-in. Action:
    /// `resetUserFactors`.
    async fn reset_user_factors(
        &self,
        ctx: &Context<'_>,
        input: ResetUserFactorsInput,
    ) -> Result<ResetUserFactorsPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ResetUserFactors, &input.instance_id)?;
        if !plausible_id(&input.user_id) {
            return Err(AppError::NotFound("user").into());
        }
        let auth = &state.auth;
        let txn = auth.store.begin_write().await?;
        let user = users::find_in(&txn, permit.instance_id(), &input.user_id).await?;
        let owner = Owner::user(&user);
        let removed_count = factors::reset(&txn, &owner).await?;
        let sessions_ended =
            employee_sessions::end_all_of_user(&txn, permit.instance_id(), &user.id).await?;
        let emailed = crate::mail::notify_factors_reset(&txn, &auth.config, &user).await?;
        audit::record(
            &txn,
            permit.actor(),
            audit::AuditRecord::instance(&permit, "user", Some(&user.id)).summary(
                serde_json::json!({
                    "username": user.username,
                    "factorsRemoved": removed_count,
                    "sessionsEnded": sessions_ended,
                    "emailed": emailed.is_some(),
                }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(ResetUserFactorsPayload {
            removed_count,
            sessions_ended,
            emailed: emailed.is_some(),
        })
    }
}
