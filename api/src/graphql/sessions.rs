//! GraphQL of employees' IdP sessions for admins (list a user's, revoke one or all), and `me`
//! for a signed-in employee: who they are and the applications their portal lists.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::employee_session;

use super::gate;
use super::{state, RequestContext};
use crate::apps::applications::Resolved;
use crate::auth::employee_sessions::{self, EmployeeSession as LiveSession, Revoke};
use crate::authz::admin::actions;
use crate::ids::plausible_id;
use crate::portal;

/// An employee's IdP session: one sign-in to the instance's portal.
pub struct EmployeeSession(employee_session::Model);

#[Object]
impl EmployeeSession {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// When the employee signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The absolute end of the session (it ends sooner when left unused).
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// Last use, to the minute.
    async fn last_seen_at(&self) -> DateTime<Utc> {
        self.0.last_seen_at
    }
    /// How the employee authenticated, e.g. `["password"]`.
    async fn auth_methods(&self) -> Vec<String> {
        self.0
            .auth_methods
            .split(',')
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect()
    }
    async fn client_ip(&self) -> Option<&str> {
        self.0.client_ip.as_deref()
    }
    async fn user_agent(&self) -> Option<&str> {
        self.0.user_agent.as_deref()
    }
}

#[derive(Default)]
pub struct SessionsQuery;

#[Object]
impl SessionsQuery {
    /// A user's live IdP sessions, newest first (at most 100). Action: `readUserSessions`.
    async fn user_sessions(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
        user_id: ID,
    ) -> Result<Vec<EmployeeSession>> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ReadUserSessions, &instance_id)?;
        Ok(
            employee_sessions::list_for_user(&state.auth, &permit, &user_id)
                .await?
                .into_iter()
                .map(EmployeeSession)
                .collect(),
        )
    }

    /// The signed-in employee of an instance (by the session cookie of its portal), or null.
    async fn me(&self, ctx: &Context<'_>, instance_id: ID) -> Result<Option<Me>> {
        let state = state(ctx)?;
        if !plausible_id(&instance_id) {
            return Ok(None);
        }
        let request = ctx.data::<RequestContext>()?;
        Ok(
            employee_sessions::current(&state.auth, &request.headers, &instance_id)
                .await?
                .map(|live| Me(live, request.client_ip)),
        )
    }
}

/// A signed-in employee (and the address the request came from, for access decisions).
pub struct Me(LiveSession, Option<std::net::IpAddr>);

#[Object]
impl Me {
    async fn id(&self) -> ID {
        ID(self.0.user.id.clone())
    }
    async fn username(&self) -> &str {
        &self.0.user.username
    }
    async fn display_name(&self) -> &str {
        &self.0.user.display_name
    }
    async fn email(&self) -> Option<&str> {
        self.0.user.email.as_deref()
    }
    /// The applications the employee may open: enabled, SSO on, IdP-initiation allowed,
    /// allowed by the access decision, and with the account the application needs.
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<PortalApplication>> {
        let state = state(ctx)?;
        Ok(portal::allowed_applications(&state.saml, &self.0, self.1)
            .await?
            .into_iter()
            .map(|app| PortalApplication {
                start_url: format!(
                    "{}/saml/apps/{}/start",
                    state.config.public_url, app.model.id
                ),
                app,
            })
            .collect())
    }
}

/// An application in an employee's portal.
pub struct PortalApplication {
    app: Resolved,
    start_url: String,
}

#[Object]
impl PortalApplication {
    async fn id(&self) -> ID {
        ID(self.app.model.id.clone())
    }
    async fn name(&self) -> &str {
        &self.app.model.name
    }
    /// A `data:` image URL.
    async fn logo(&self) -> &str {
        self.app.template.logo
    }
    /// Opening it starts IdP-initiated SSO.
    async fn start_url(&self) -> &str {
        &self.start_url
    }
}

#[derive(InputObject)]
pub struct RevokeUserSessionInput {
    instance_id: ID,
    /// The session.
    id: ID,
}

#[derive(InputObject)]
pub struct RevokeUserSessionsInput {
    instance_id: ID,
    user_id: ID,
}

#[derive(SimpleObject)]
pub struct RevokeSessionsPayload {
    /// How many sessions ended.
    revoked_count: u64,
}

#[derive(Default)]
pub struct SessionsMutation;

#[Object]
impl SessionsMutation {
    /// Ends one IdP session at once, on every node. Action: `revokeUserSessions`.
    async fn revoke_user_session(
        &self,
        ctx: &Context<'_>,
        input: RevokeUserSessionInput,
    ) -> Result<RevokeSessionsPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::RevokeUserSessions, &input.instance_id)?;
        let revoked_count = employee_sessions::revoke(
            &state.auth,
            &permit,
            Revoke::One {
                session_id: &input.id,
            },
        )
        .await?;
        Ok(RevokeSessionsPayload { revoked_count })
    }

    /// Ends every IdP session of a user. Idempotent. Action: `revokeUserSessions`.
    async fn revoke_user_sessions(
        &self,
        ctx: &Context<'_>,
        input: RevokeUserSessionsInput,
    ) -> Result<RevokeSessionsPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::RevokeUserSessions, &input.instance_id)?;
        let revoked_count = employee_sessions::revoke(
            &state.auth,
            &permit,
            Revoke::AllOfUser {
                user_id: &input.user_id,
            },
        )
        .await?;
        Ok(RevokeSessionsPayload { revoked_count })
    }
}
