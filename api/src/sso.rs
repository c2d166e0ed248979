//! The one decision every sign-on protocol asks before it issues anything: may this employee,
//! signed in by this session, use this application now? SAML answers with an assertion, OIDC
//! with a code, both only after [`decide`] allowed it (Cedar's `Lanyard::Action::"sso"`,
//! [`crate::access`]). What a second factor would change is asked the same way for both.

use std::net::IpAddr;

use chrono::Utc;

use crate::access::{methods, Access, AccessContext, AccessDecision, AccessRequest, Initiator};
use crate::apps::applications::Resolved;
use crate::auth::employee_sessions::{Attempt, EmployeeSession};
use crate::auth::{factors, sign_in_codes, Auth};
use crate::db::Store;
use crate::error::{AppError, AppResult};
use crate::pages::{see_other, Continue};
use axum::response::Response;
use entity::instance;
use sea_orm::EntityTrait;

/// The access request of this session for this application.
pub fn access_request<'a>(
    live: &'a EmployeeSession,
    app: &'a Resolved,
    initiated_by: Initiator,
    client_ip: Option<IpAddr>,
) -> AccessRequest<'a> {
    AccessRequest {
        instance_id: &app.model.instance_id,
        user_id: &live.user.id,
        application_id: &app.model.id,
        context: AccessContext {
            source_ip: client_ip.unwrap_or(IpAddr::from([0, 0, 0, 0])),
            now: Utc::now(),
            mfa: live.used_mfa(),
            assurance_level: methods::assurance(&live.auth_methods()),
            auth_methods: live.auth_methods(),
            initiated_by,
        },
    }
}

/// A refusal decided before or after Cedar, by something that is not a policy: an
/// application whose SSO is not set up, a user without the account the application needs.
pub fn refusal(reason: String) -> AccessDecision {
    AccessDecision {
        allowed: false,
        reasons: Vec::new(),
        diagnostics: vec![reason],
    }
}

/// May this employee SSO into this application now? The access decision (Cedar), after the
/// check that the application's SSO is configured at all.
pub async fn decide(
    store: &Store,
    access: &Access,
    live: &EmployeeSession,
    app: &Resolved,
    initiated_by: Initiator,
    client_ip: Option<IpAddr>,
) -> AppResult<AccessDecision> {
    if !app.incomplete().is_empty() {
        return Ok(refusal(format!(
            "single sign-on to {} is not set up yet",
            app.model.name
        )));
    }
    let request = access_request(live, app, initiated_by, client_ip);
    access
        .decisions
        .decide_for(store, &request, &live.facts, &app.model)
        .await
}

/// Whether the decision would allow the employee had she given a second factor her session
/// lacks: an authenticator code, or else a passkey (each raises the assurance level).
pub async fn allowed_with_more(
    store: &Store,
    access: &Access,
    live: &EmployeeSession,
    app: &Resolved,
    initiated_by: Initiator,
    client_ip: Option<IpAddr>,
) -> AppResult<bool> {
    if !app.incomplete().is_empty() {
        return Ok(false);
    }
    let methods = live.auth_methods();
    let level = methods::assurance(&methods);
    for extra in [methods::TOTP, methods::PASSKEY] {
        let mut more = methods.clone();
        more.push(extra.to_owned());
        let more_level = methods::assurance(&more);
        if more_level <= level {
            continue;
        }
        let mut request = access_request(live, app, initiated_by, client_ip);
        request.context.auth_methods = more;
        request.context.assurance_level = more_level;
        request.context.mfa = more_level >= 2;
        let decision = access
            .decisions
            .decide_for(store, &request, &live.facts, &app.model)
            .await?;
        if decision.allowed {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether the employee has a second factor to give now (else stepping up is no use: she is
/// told why she cannot go on).
pub async fn can_step_up(store: &Store, live: &EmployeeSession) -> AppResult<bool> {
    let Some(instance) = entity::instance::Entity::find_by_id(live.session.instance_id.as_str())
        .one(&store.conn)
        .await?
    else {
        return Ok(false);
    };
    Ok(factors::available(&store.conn, &instance, &live.user)
        .await?
        .any())
}

/// Asks the employee for the second factor her session lacks, then back to `next`: an
/// emailed code when that is all she can give, else the page of her factors (which says why
/// she cannot go on when she has none).
pub async fn step_up(
    store: &Store,
    auth: &Auth,
    public_url: &str,
    live: &EmployeeSession,
    next: &Continue,
    client_ip: Option<IpAddr>,
) -> AppResult<Response> {
    let instance = instance::Entity::find_by_id(live.session.instance_id.as_str())
        .one(&store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))?;
    let available = factors::available(&store.conn, &instance, &live.user).await?;
    let email = available.only_email();
    let attempt = Attempt {
        client_ip: client_ip.map(|ip| ip.to_string()),
        user_agent: None,
    };
    let step = sign_in_codes::Step {
        continue_to: &next.encode(),
        session_id: Some(&live.session.id),
        email,
    };
    let (_, cookie) = sign_in_codes::begin(auth, &live.user, step, &attempt)
        .await?
        .map_err(|refusal| AppError::Forbidden(refusal.message()))?;
    let page = if email { "code" } else { "factor" };
    Ok(see_other(
        &format!("{public_url}/sso/{}/login/{page}", instance.id),
        &[cookie],
    ))
}
