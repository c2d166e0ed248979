//! GraphQL of admin access: who am I, console admins, API tokens.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::role_binding::PrincipalKind;
use entity::{admin, api_token};

use super::connection::{Page, PageArgs};
use super::gate;
use super::{principal, state};
use crate::auth::admins::{self, RoleGrant};
use crate::auth::tokens;
use crate::authz::admin::actions;
use crate::error::AppError;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::role_binding::Role")]
pub enum Role {
    /// Everything, everywhere.
    SuperAdmin,
    /// Everything inside one instance.
    InstanceAdmin,
    /// Read-only, in one instance or (without an instance) everywhere.
    Auditor,
    /// Everything about one application (give `instanceId` and `applicationId`).
    AppAdmin,
}

#[derive(InputObject, SimpleObject, Clone)]
#[graphql(name = "RoleGrant", input_name = "RoleGrantInput")]
pub struct RoleGrantGql {
    role: Role,
    /// The instance the role applies to; none for `SUPER_ADMIN` and global auditors.
    instance_id: Option<ID>,
    /// The application, for `APP_ADMIN` only.
    application_id: Option<ID>,
}

impl From<RoleGrant> for RoleGrantGql {
    fn from(grant: RoleGrant) -> Self {
        RoleGrantGql {
            role: grant.role.into(),
            instance_id: grant.instance_id.map(ID),
            application_id: grant.application_id.map(ID),
        }
    }
}

fn grants(input: Vec<RoleGrantGql>) -> Vec<RoleGrant> {
    input
        .into_iter()
        .map(|g| RoleGrant {
            role: g.role.into(),
            instance_id: g.instance_id.map(|id| id.0),
            application_id: g.application_id.map(|id| id.0),
        })
        .collect()
}

/// The caller.
#[derive(SimpleObject)]
pub struct Viewer {
    id: ID,
    name: String,
    /// `ADMIN` or `API_TOKEN`.
    kind: String,
    super_admin: bool,
    global_auditor: bool,
    admin_of: Vec<ID>,
    auditor_of: Vec<ID>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Admin {
    id: ID,
    username: String,
    created_at: DateTime<Utc>,
}

impl From<admin::Model> for Admin {
    fn from(m: admin::Model) -> Self {
        Admin {
            id: ID(m.id),
            username: m.username,
            created_at: m.created_at,
        }
    }
}

#[ComplexObject]
impl Admin {
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrantGql>> {
        roles_of(ctx, PrincipalKind::Admin, &self.id).await
    }
}

/// An API token. Its secret is shown once, by `createApiToken`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ApiToken {
    id: ID,
    name: String,
    /// The admin or token that created it.
    created_by: ID,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// When it was last used, to the minute.
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    /// `ACTIVE`, `EXPIRED` or `REVOKED`.
    state: &'static str,
}

impl From<api_token::Model> for ApiToken {
    fn from(m: api_token::Model) -> Self {
        let state = if m.revoked_at.is_some() {
            "REVOKED"
        } else if m.expires_at <= Utc::now() {
            "EXPIRED"
        } else {
            "ACTIVE"
        };
        ApiToken {
            id: ID(m.id),
            name: m.name,
            created_by: ID(m.created_by),
            created_at: m.created_at,
            expires_at: m.expires_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
            state,
        }
    }
}

#[ComplexObject]
impl ApiToken {
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrantGql>> {
        roles_of(ctx, PrincipalKind::Token, &self.id).await
    }
}

async fn roles_of(ctx: &Context<'_>, kind: PrincipalKind, id: &str) -> Result<Vec<RoleGrantGql>> {
    Ok(admins::roles_of(&state(ctx)?.store.conn, kind, id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Who is calling and with which roles. Needs only authentication.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let caller = principal(ctx).ok_or(AppError::Unauthenticated)?;
        Ok(Viewer {
            id: ID(caller.id.clone()),
            name: caller.name.clone(),
            kind: match caller.kind {
                PrincipalKind::Admin => "ADMIN".into(),
                PrincipalKind::Token => "API_TOKEN".into(),
                PrincipalKind::Provisioning => "PROVISIONING_TOKEN".into(),
            },
            super_admin: caller.super_admin,
            global_auditor: caller.global_auditor,
            admin_of: caller.admin_of.iter().cloned().map(ID).collect(),
            auditor_of: caller.auditor_of.iter().cloned().map(ID).collect(),
        })
    }

    /// Console administrators. Action: `readAdmins`.
    async fn admins(&self, ctx: &Context<'_>) -> Result<Vec<Admin>> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ReadAdmins)?;
        Ok(admins::list(&state.auth, &permit)
            .await?
            .into_iter()
            .map(Admin::from)
            .collect())
    }

    /// API tokens, oldest first. Action: `readApiTokens`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<ApiToken>> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ReadApiTokens)?;
        let page = PageArgs::parse(first, after)?;
        let rows = tokens::list(&state.auth, &permit, page.after.as_deref(), page.fetch()).await?;
        let total = tokens::count(&state.auth, &permit);
        Ok(page.connection(rows, total, |t| t.id.clone(), ApiToken::from))
    }
}

#[derive(InputObject)]
pub struct CreateAdminInput {
    username: String,
    password: String,
    roles: Vec<RoleGrantGql>,
}

#[derive(InputObject)]
pub struct SetAdminRolesInput {
    id: ID,
    roles: Vec<RoleGrantGql>,
}

#[derive(InputObject)]
pub struct SetAdminPasswordInput {
    id: ID,
    /// 8 to 1024 characters, no control characters.
    password: String,
}

#[derive(SimpleObject)]
pub struct SetAdminPasswordPayload {
    admin: Admin,
    /// The admin's console sessions that ended (all of them).
    sessions_ended: u64,
}

#[derive(InputObject)]
pub struct AdminRefInput {
    id: ID,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    name: String,
    /// 1 to 366 days.
    #[graphql(default = 90)]
    expires_in_days: i32,
    roles: Vec<RoleGrantGql>,
}

#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct AdminPayload {
    admin: Admin,
}

#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    token: ApiToken,
    /// The bearer secret. Shown this once; store it now.
    secret: String,
}

#[derive(SimpleObject)]
pub struct ApiTokenPayload {
    token: ApiToken,
}

#[derive(SimpleObject)]
pub struct DeleteAdminPayload {
    deleted_id: ID,
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Action: `manageAdmins`.
    async fn create_admin(
        &self,
        ctx: &Context<'_>,
        input: CreateAdminInput,
    ) -> Result<AdminPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageAdmins)?;
        let admin = admins::create(
            &state.auth,
            &permit,
            &input.username,
            &input.password,
            &grants(input.roles),
        )
        .await?;
        Ok(AdminPayload {
            admin: Admin::from(admin),
        })
    }

    /// Replaces an admin's roles. Action: `manageAdmins`.
    async fn set_admin_roles(
        &self,
        ctx: &Context<'_>,
        input: SetAdminRolesInput,
    ) -> Result<AdminPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageAdmins)?;
        let admin =
            admins::set_roles(&state.auth, &permit, &input.id, &grants(input.roles)).await?;
        Ok(AdminPayload {
            admin: Admin::from(admin),
        })
    }

    /// Sets an admin's password and signs that admin out of every console session. Action:
    /// `manageAdmins`.
    async fn set_admin_password(
        &self,
        ctx: &Context<'_>,
        input: SetAdminPasswordInput,
    ) -> Result<SetAdminPasswordPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageAdmins)?;
        let (admin, sessions_ended) =
            admins::set_password(&state.auth, &permit, &input.id, &input.password).await?;
        Ok(SetAdminPasswordPayload {
            admin: Admin::from(admin),
            sessions_ended,
        })
    }

    /// Action: `manageAdmins`.
    async fn delete_admin(
        &self,
        ctx: &Context<'_>,
        input: AdminRefInput,
    ) -> Result<DeleteAdminPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageAdmins)?;
        admins::delete(&state.auth, &permit, &input.id).await?;
        Ok(DeleteAdminPayload {
            deleted_id: input.id,
        })
    }

    /// Creates a token; its secret is in the payload and nowhere else. Action: `manageApiTokens`.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> Result<CreateApiTokenPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageApiTokens)?;
        let created = tokens::create(
            &state.auth,
            &permit,
            &input.name,
            i64::from(input.expires_in_days),
            &grants(input.roles),
        )
        .await?;
        Ok(CreateApiTokenPayload {
            token: ApiToken::from(created.token),
            secret: created.secret,
        })
    }

    /// Revokes a token at once. Action: `manageApiTokens`.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> Result<ApiTokenPayload> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ManageApiTokens)?;
        Ok(ApiTokenPayload {
            token: ApiToken::from(tokens::revoke(&state.auth, &permit, &input.id).await?),
        })
    }
}
