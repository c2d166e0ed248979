//! The admin authorization gate: the first line of every resolver. Each function decides one
//! action with Cedar and returns the permit that names it; the domain services take that
//! permit and touch only the instance (or application) it names.
//!
//! No existence oracle: an id of another instance answers as an unknown id does.
//! - An operation that names its instance is decided before anything is read, so an instance
//!   the caller may not act in is `FORBIDDEN` whether it exists or not; lookups below the
//!   permit are scoped to that instance, so another instance's object is `NOT_FOUND` there,
//!   like an unknown id.
//! - An operation that names an object by its id alone (an application, an access policy) has
//!   to find its instance first. When the caller may not see into that instance at all (read
//!   it or its directory) nor read the application, a refusal reads as the `NOT_FOUND` of an
//!   unknown id; `FORBIDDEN` only tells a caller who can see into the instance that this
//!   action is not theirs.

use async_graphql::{Context, Result};

use super::{principal, state};
use crate::apps::applications;
use crate::authz::admin::{
    actions, check_application, check_instance, check_platform, Action, ApplicationPermit,
    InstancePermit, PlatformPermit,
};
use crate::authz::principal::Principal;
use crate::authz::PolicyEngine;
use crate::error::{AppError, AppResult};

/// Decides `action` on the platform.
pub(crate) fn platform<A: Action>(ctx: &Context<'_>, action: A) -> Result<PlatformPermit<A>> {
    Ok(check_platform(
        &state(ctx)?.policies,
        principal(ctx),
        action,
    )?)
}

/// Decides `action` inside the instance the caller named.
pub(crate) fn instance<A: Action>(
    ctx: &Context<'_>,
    action: A,
    instance_id: &str,
) -> Result<InstancePermit<A>> {
    Ok(check_instance(
        &state(ctx)?.policies,
        principal(ctx),
        action,
        instance_id,
    )?)
}

/// Decides `action` on an application named by id alone.
pub(crate) async fn application<A: Action>(
    ctx: &Context<'_>,
    action: A,
    application_id: &str,
) -> Result<ApplicationPermit<A>> {
    let state = state(ctx)?;
    let instance_id = applications::instance_of(&state.apps, application_id).await?;
    let engine = &state.policies;
    let caller = principal(ctx);
    check_application(engine, caller, action, &instance_id, application_id).map_err(|refused| {
        let visible = sees_into(engine, caller, &instance_id)
            || check_application(
                engine,
                caller,
                actions::ReadApplication,
                &instance_id,
                application_id,
            )
            .is_ok();
        unseen_as_unknown(refused, visible, "application").into()
    })
}

/// Decides `action` in the instance that owns an object named by id alone; `owner` is what
/// the object's lookup found (`NOT_FOUND` for an unknown id).
pub(crate) fn owned<A: Action>(
    ctx: &Context<'_>,
    action: A,
    what: &'static str,
    owner: AppResult<String>,
) -> Result<InstancePermit<A>> {
    let instance_id = owner?;
    let engine = &state(ctx)?.policies;
    let caller = principal(ctx);
    check_instance(engine, caller, action, &instance_id).map_err(|refused| {
        unseen_as_unknown(refused, sees_into(engine, caller, &instance_id), what).into()
    })
}

/// Whether the caller may see into an instance at all: read the instance or its directory.
fn sees_into(engine: &PolicyEngine, caller: Option<&Principal>, instance_id: &str) -> bool {
    check_instance(engine, caller, actions::ReadInstance, instance_id).is_ok()
        || check_instance(engine, caller, actions::ReadDirectory, instance_id).is_ok()
}

/// A refusal on an object the caller cannot see reads as the object being unknown.
fn unseen_as_unknown(refused: AppError, visible: bool, what: &'static str) -> AppError {
    match refused {
        AppError::Forbidden(_) if !visible => AppError::NotFound(what),
        other => other,
    }
}
