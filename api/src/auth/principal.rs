//! The authenticated caller of the admin API and how a request proves who it is: a bearer API
//! token or the console's session cookie. A request with neither is anonymous; one with a bad
//! credential is refused, never treated as anonymous.

use axum::http::HeaderMap;
use entity::role_binding::{self, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::Auth;
pub use crate::authz::principal::Principal;
use crate::error::{AppError, AppResult};
use crate::request::read_cookie;

pub use entity::role_binding::PrincipalKind;

pub const SESSION_COOKIE: &str = "lanyard_admin";

impl Principal {
    /// Builds a principal from its stored role bindings.
    pub async fn with_roles(
        auth: &Auth,
        kind: PrincipalKind,
        id: String,
        name: String,
    ) -> AppResult<Principal> {
        let bindings = role_binding::Entity::find()
            .filter(role_binding::Column::PrincipalKind.eq(kind))
            .filter(role_binding::Column::PrincipalId.eq(id.clone()))
            .all(&auth.store.conn)
            .await?;
        let mut principal = Principal {
            kind,
            id,
            name,
            super_admin: false,
            global_auditor: false,
            admin_of: Vec::new(),
            auditor_of: Vec::new(),
            app_admin_of: Vec::new(),
            client_ip: None,
            auth_methods: Vec::new(),
            provisions: None,
        };
        for binding in bindings {
            match (binding.role, binding.instance_id, binding.application_id) {
                (Role::SuperAdmin, _, _) => principal.super_admin = true,
                (Role::Auditor, None, _) => principal.global_auditor = true,
                (Role::Auditor, Some(instance), _) => principal.auditor_of.push(instance),
                (Role::InstanceAdmin, Some(instance), _) => principal.admin_of.push(instance),
                (Role::AppAdmin, Some(instance), Some(app)) => {
                    principal.app_admin_of.push((instance, app))
                }
                (Role::InstanceAdmin | Role::AppAdmin, _, _) => {}
            }
        }
        Ok(principal)
    }
}

/// The token of an `Authorization: Bearer …` header; any other value names none.
pub fn bearer(value: &axum::http::HeaderValue) -> Option<&str> {
    let value = value.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}

/// Resolves the caller of a request from its headers.
pub async fn authenticate(
    auth: &Auth,
    headers: &HeaderMap,
    client_ip: Option<String>,
) -> AppResult<Option<Principal>> {
    let principal = if let Some(value) = headers.get(axum::http::header::AUTHORIZATION) {
        let token = bearer(value).ok_or(AppError::Unauthenticated)?;
        Some(super::tokens::authenticate(auth, token).await?)
    } else if let Some(cookie) = read_cookie(&auth.config, headers, SESSION_COOKIE) {
        Some(super::sessions::authenticate(auth, &cookie).await?)
    } else {
        None
    };
    Ok(principal.map(|p| Principal { client_ip, ..p }))
}
