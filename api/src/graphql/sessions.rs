//! GraphQL of employees' IdP sessions for admins (list a user's, revoke one or all), and `me`
//! for a signed-in employee: who they are and the applications their portal lists.

use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::employee_session;

use super::gate;
use super::{state, RequestContext};
use crate::auth::employee_sessions::{self, EmployeeSession as LiveSession, Revoke};
use crate::authz::admin::actions;
use crate::ids::plausible_id;
use crate::portal;
use crate::saml::slo;

/// An employee's IdP session: one sign-in to the instance's portal.
#[derive(SimpleObject)]
pub struct EmployeeSession {
    id: ID,
    /// When the employee signed in.
    created_at: DateTime<Utc>,
    /// The absolute end of the session (it ends sooner when left unused).
    expires_at: DateTime<Utc>,
    /// Last use, to the minute.
    last_seen_at: DateTime<Utc>,
    /// How the employee authenticated, e.g. `["password"]`.
    auth_methods: Vec<String>,
    client_ip: Option<String>,
    user_agent: Option<String>,
    /// The SAML applications this session signed in to (its single logout participants).
    applications: Vec<SessionApplication>,
}

/// An application a session sent an assertion to, with what it named the employee.
#[derive(SimpleObject)]
pub struct SessionApplication {
    application_id: ID,
    name: String,
    name_id: String,
    session_index: String,
    /// Whether signing out of this session signs the employee out of the application too.
    single_logout: bool,
    first_sso_at: DateTime<Utc>,
    last_sso_at: DateTime<Utc>,
}

impl From<employee_session::Model> for EmployeeSession {
    fn from(m: employee_session::Model) -> Self {
        EmployeeSession {
            id: ID(m.id),
            created_at: m.created_at,
            expires_at: m.expires_at,
            last_seen_at: m.last_seen_at,
            auth_methods: m
                .auth_methods
                .split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
            client_ip: m.client_ip,
            user_agent: m.user_agent,
            applications: Vec::new(),
        }
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
        let sessions = employee_sessions::list_for_user(&state.auth, &permit, &user_id).await?;
        let ids: Vec<String> = sessions.iter().map(|s| s.id.clone()).collect();
        let participants = slo::participants_of_sessions(&state.store, &ids).await?;
        Ok(sessions
            .into_iter()
            .map(|session| {
                let id = session.id.clone();
                let mut listed = EmployeeSession::from(session);
                listed.applications = participants
                    .iter()
                    .filter(|(p, _)| p.session_id == id)
                    .cloned()
                    .map(|(p, app)| SessionApplication {
                        application_id: ID(p.application_id),
                        single_logout: app.single_logout && app.slo_url.is_some(),
                        name: app.name,
                        name_id: p.name_id,
                        session_index: p.session_index,
                        first_sso_at: p.first_at,
                        last_sso_at: p.last_at,
                    })
                    .collect();
                listed
            })
            .collect())
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
                .map(|live| Me::new(live, request.client_ip)),
        )
    }
}

/// A signed-in employee.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Me {
    id: ID,
    username: String,
    display_name: String,
    email: Option<String>,
    #[graphql(skip)]
    session: LiveSession,
    /// The address the request came from, for access decisions.
    #[graphql(skip)]
    client_ip: Option<std::net::IpAddr>,
}

impl Me {
    fn new(session: LiveSession, client_ip: Option<std::net::IpAddr>) -> Self {
        let user = &session.user;
        Me {
            id: ID(user.id.clone()),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            session,
            client_ip,
        }
    }
}

#[ComplexObject]
impl Me {
    /// The applications the employee may open: enabled, SSO on, IdP-initiation allowed,
    /// allowed by the access decision, and with the account the application needs.
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<PortalApplication>> {
        let state = state(ctx)?;
        Ok(
            portal::allowed_applications(&state.saml, &self.session, self.client_ip)
                .await?
                .into_iter()
                .map(|app| PortalApplication {
                    id: ID(app.model.id.clone()),
                    start_url: format!(
                        "{}/saml/apps/{}/start",
                        state.config.public_url, app.model.id
                    ),
                    name: app.model.name,
                    logo: app.template.logo,
                })
                .collect(),
        )
    }
}

/// An application in an employee's portal.
#[derive(SimpleObject)]
pub struct PortalApplication {
    id: ID,
    name: String,
    /// A `data:` image URL.
    logo: &'static str,
    /// Opening it starts IdP-initiated SSO.
    start_url: String,
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
