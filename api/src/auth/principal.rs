//! The authenticated caller of the admin API and how a request proves who it is: a bearer API
//! token or the console's session cookie. A request with neither is anonymous; one with a bad
//! credential is refused, never treated as anonymous.

use axum::http::HeaderMap;
use entity::role_binding::{self, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use entity::role_binding::PrincipalKind;

pub const SESSION_COOKIE: &str = "lanyard_admin";

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub id: String,
    pub name: String,
    pub super_admin: bool,
    pub global_auditor: bool,
    pub admin_of: Vec<String>,
    pub auditor_of: Vec<String>,
    /// Applications administered, as (instance id, application id).
    pub app_admin_of: Vec<(String, String)>,
    pub client_ip: Option<String>,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            kind: match self.kind {
                PrincipalKind::Admin => "admin",
                PrincipalKind::Token => "token",
            },
            id: self.id.clone(),
            name: self.name.clone(),
            client_ip: self.client_ip.clone(),
        }
    }

    pub fn display_name(&self) -> String {
        match self.kind {
            PrincipalKind::Admin => format!("admin {:?}", self.name),
            PrincipalKind::Token => format!("API token {:?}", self.name),
        }
    }

    /// Builds a principal from its stored role bindings.
    pub async fn with_roles(
        state: &AppState,
        kind: PrincipalKind,
        id: String,
        name: String,
    ) -> AppResult<Principal> {
        let bindings = role_binding::Entity::find()
            .filter(role_binding::Column::PrincipalKind.eq(kind))
            .filter(role_binding::Column::PrincipalId.eq(id.clone()))
            .all(&state.store.conn)
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

/// Resolves the caller of a request from its headers.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    client_ip: Option<String>,
) -> AppResult<Option<Principal>> {
    let principal = if let Some(value) = headers.get(axum::http::header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| AppError::Unauthenticated)?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or(AppError::Unauthenticated)?;
        Some(super::tokens::authenticate(state, token.trim()).await?)
    } else if let Some(cookie) = cookie_value(headers, SESSION_COOKIE) {
        Some(super::sessions::authenticate(state, &cookie).await?)
    } else {
        None
    };
    Ok(principal.map(|p| Principal { client_ip, ..p }))
}

/// How far a cookie travels with cross-site requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// Also on top-level navigations and (for the SSO cookies) a service provider's POST back.
    Lax,
    Strict,
}

/// A `Set-Cookie` value for one of Lanyard's cookies: always HttpOnly, Secure behind https;
/// `max_age_secs` of `None` makes a browser-session cookie, `Some(0)` clears it.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    same_site: SameSite,
    max_age_secs: Option<i64>,
) -> String {
    let same_site = match same_site {
        SameSite::Lax => "Lax",
        SameSite::Strict => "Strict",
    };
    let max_age = max_age_secs
        .map(|secs| format!("; Max-Age={secs}"))
        .unwrap_or_default();
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{max_age}{secure}")
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; lanyard_admin=xyz; b=2".parse().unwrap());
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
