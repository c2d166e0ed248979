//! GraphQL of SCIM provisioning: an instance's provisioning tokens (list, create — the token
//! shown once — and revoke) and the endpoint they call.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::provisioning_token;

use super::{gate, state};
use crate::authz::admin::actions;
use crate::scim::tokens;

/// A SCIM provisioning token of an instance, never its secret.
#[derive(SimpleObject)]
pub struct ProvisioningToken {
    id: ID,
    name: String,
    /// Who created it.
    created_by: String,
    created_at: DateTime<Utc>,
    /// Its last call, to the minute.
    last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token is refused.
    revoked_at: Option<DateTime<Utc>>,
}

impl From<provisioning_token::Model> for ProvisioningToken {
    fn from(m: provisioning_token::Model) -> Self {
        ProvisioningToken {
            id: ID(m.id),
            name: m.name,
            created_by: m.created_by,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// An instance's SCIM endpoint and its tokens.
#[derive(SimpleObject)]
pub struct Provisioning {
    /// The SCIM 2.0 base URL a provisioning client is given: `{public_url}/scim/v2/{instance}`.
    scim_base_url: String,
    /// Newest first, revoked ones too.
    tokens: Vec<ProvisioningToken>,
}

#[derive(Default)]
pub struct ProvisioningQuery;

#[Object]
impl ProvisioningQuery {
    /// The instance's SCIM endpoint and provisioning tokens. Action: `readProvisioningTokens`.
    async fn provisioning(&self, ctx: &Context<'_>, instance_id: ID) -> Result<Provisioning> {
        let permit = gate::instance(ctx, actions::ReadProvisioningTokens, &instance_id)?;
        let scim = &state(ctx)?.scim;
        Ok(Provisioning {
            scim_base_url: scim.base_url(&instance_id),
            tokens: tokens::list(scim, &permit)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        })
    }
}

#[derive(InputObject)]
pub struct CreateProvisioningTokenInput {
    instance_id: ID,
    /// What calls with it ("Okta", "Workday"), 1–128 characters.
    name: String,
}

#[derive(SimpleObject)]
pub struct CreateProvisioningTokenPayload {
    provisioning_token: ProvisioningToken,
    /// The token, shown this once: the provisioning client sends it as
    /// `Authorization: Bearer …`.
    secret: String,
    scim_base_url: String,
}

#[derive(InputObject)]
pub struct RevokeProvisioningTokenInput {
    instance_id: ID,
    id: ID,
}

#[derive(SimpleObject)]
pub struct RevokeProvisioningTokenPayload {
    provisioning_token: ProvisioningToken,
}

#[derive(Default)]
pub struct ProvisioningMutation;

#[Object]
impl ProvisioningMutation {
    /// Creates a provisioning token for the instance's SCIM endpoint; audited. Action:
    /// `manageProvisioningTokens`.
    async fn create_provisioning_token(
        &self,
        ctx: &Context<'_>,
        input: CreateProvisioningTokenInput,
    ) -> Result<CreateProvisioningTokenPayload> {
        let permit = gate::instance(ctx, actions::ManageProvisioningTokens, &input.instance_id)?;
        let scim = &state(ctx)?.scim;
        let created = tokens::create(scim, &permit, &input.name).await?;
        Ok(CreateProvisioningTokenPayload {
            scim_base_url: scim.base_url(&input.instance_id),
            provisioning_token: created.token.into(),
            secret: created.secret,
        })
    }

    /// Revokes a provisioning token at once, on every node; audited. Action:
    /// `manageProvisioningTokens`.
    async fn revoke_provisioning_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeProvisioningTokenInput,
    ) -> Result<RevokeProvisioningTokenPayload> {
        let permit = gate::instance(ctx, actions::ManageProvisioningTokens, &input.instance_id)?;
        let token = tokens::revoke(&state(ctx)?.scim, &permit, &input.id).await?;
        Ok(RevokeProvisioningTokenPayload {
            provisioning_token: token.into(),
        })
    }
}
