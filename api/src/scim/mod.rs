//! SCIM 2.0 (RFC 7642–7644): the service provider an HR system or another directory provisions
//! an instance's users and groups through, at `{public_url}/scim/v2/{instance id}/`.
//!
//! Every call carries a provisioning token of the instance (`Authorization: Bearer …`,
//! [`tokens`]) and is decided by Cedar like every admin action: the token's permits are the
//! `provision` actions of its instance, and the directory's functions take them, so a SCIM
//! change is the same change as its GraphQL twin — validated, audited with the token as actor,
//! and announced to the event callbacks. Bodies are `application/scim+json` (plain
//! `application/json` is accepted too) of at most [`MAX_BODY`] bytes; every refusal is a SCIM
//! error body with its `status` and, where RFC 7644 §3.12 has one, its `scimType` — an
//! endpoint this service provider does not serve (`/Bulk`, `/.search`, the root) and a method an
//! endpoint does not take included, which a SCIM client reads as it reads any other error.
//!
//! What the discovery endpoints advertise is what this module does ([`discovery`]); a
//! filter is parsed by [`filter`] and compiled to SQL with bound parameters by [`query`].

mod bulk;
pub mod discovery;
pub mod filter;
mod groups;
mod patch;
pub mod query;
pub mod tokens;
mod users;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use crate::authz::admin::{check_instance, Action, InstancePermit};
use crate::authz::principal::Principal;
use crate::authz::PolicyEngine;
use crate::db::Store;
use crate::directory::Directory;
use crate::error::AppError;
use crate::ids::plausible_id;
use crate::request::ClientIp;

/// The largest request body read (advertised as the bulk `maxPayloadSize`).
pub const MAX_BODY: usize = 1024 * 1024;
/// The most resources one page of a list holds (advertised as `filter.maxResults`).
pub const MAX_PAGE: u64 = 200;
/// The SCIM media type.
pub const MEDIA_TYPE: &str = "application/scim+json";

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The SCIM service: the directory it provisions and the policies that decide each call.
#[derive(Clone)]
pub struct Scim {
    pub store: Store,
    pub directory: Directory,
    pub policies: Arc<PolicyEngine>,
    pub public_url: String,
}

impl Scim {
    /// The base URL of an instance's endpoint.
    pub fn base_url(&self, instance_id: &str) -> String {
        format!(
            "{}/scim/v2/{instance_id}",
            self.public_url.trim_end_matches('/')
        )
    }
}

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Scim: FromRef<S>,
{
    Router::new()
        .route(
            "/scim/v2/{instance}/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route(
            "/scim/v2/{instance}/ResourceTypes",
            get(discovery::resource_types),
        )
        .route(
            "/scim/v2/{instance}/ResourceTypes/{name}",
            get(discovery::resource_type),
        )
        .route("/scim/v2/{instance}/Schemas", get(discovery::schemas))
        .route("/scim/v2/{instance}/Schemas/{urn}", get(discovery::schema))
        .route("/scim/v2/{instance}/Me", any(discovery::me))
        .route("/scim/v2/{instance}", any(discovery::unsupported))
        .route("/scim/v2/{instance}/", any(discovery::unsupported))
        .route("/scim/v2/{instance}/.search", any(discovery::unsupported))
        .route(
            "/scim/v2/{instance}/Users/.search",
            any(discovery::unsupported),
        )
        .route(
            "/scim/v2/{instance}/Groups/.search",
            any(discovery::unsupported),
        )
        .route("/scim/v2/{instance}/Bulk", axum::routing::post(bulk::bulk))
        .route(
            "/scim/v2/{instance}/{*rest}",
            any(discovery::no_such_endpoint),
        )
        .route(
            "/scim/v2/{instance}/Users",
            get(users::list).post(users::create),
        )
        .route(
            "/scim/v2/{instance}/Users/{id}",
            get(users::read)
                .put(|c, State(s), p, h, b| change(Endpoint::Users, Write::Replace, c, s, p, h, b))
                .patch(|c, State(s), p, h, b| change(Endpoint::Users, Write::Patch, c, s, p, h, b))
                .delete(|c, State(s), p, h| delete(Endpoint::Users, c, s, p, h)),
        )
        .route(
            "/scim/v2/{instance}/Groups",
            get(groups::list).post(groups::create),
        )
        .route(
            "/scim/v2/{instance}/Groups/{id}",
            get(groups::read)
                .put(|c, State(s), p, h, b| change(Endpoint::Groups, Write::Replace, c, s, p, h, b))
                .patch(|c, State(s), p, h, b| change(Endpoint::Groups, Write::Patch, c, s, p, h, b))
                .delete(|c, State(s), p, h| delete(Endpoint::Groups, c, s, p, h)),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(method_not_allowed))
}

/// axum's bodiless 405 for a method an endpoint does not take, as a SCIM error (the method
/// router adds the `Allow` header around it).
async fn method_not_allowed(response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    ScimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "this endpoint does not take that method: the Allow header says which it takes",
    )
    .into_response()
}

/// A SCIM error (RFC 7644 §3.12): the HTTP status, the `scimType` where one applies, and a
/// sentence for whoever reads the provisioning client's log.
#[derive(Debug)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// A 400 of `scim_type`.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        ScimError::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn not_found(what: &str) -> Self {
        ScimError::new(
            StatusCode::NOT_FOUND,
            None,
            format!("no such {what} in this instance"),
        )
    }
}

impl From<AppError> for ScimError {
    fn from(err: AppError) -> Self {
        let status = err.status();
        let scim_type = match &err {
            AppError::BadUserInput { .. } => Some("invalidValue"),
            AppError::Conflict { .. } => Some("uniqueness"),
            _ => None,
        };
        let detail = match (&err, err.field()) {
            (AppError::BadUserInput { .. } | AppError::Conflict { .. }, Some(field)) => {
                format!("{field}: {}", err.public_message())
            }
            _ => err.public_message(),
        };
        ScimError {
            status,
            scim_type,
            detail,
        }
    }
}

impl From<filter::FilterError> for ScimError {
    fn from(err: filter::FilterError) -> Self {
        ScimError::bad(err.scim_type, err.to_string())
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = scim_type.into();
        }
        let mut response = scim_json(self.status, &body);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
        }
        response
    }
}

pub type ScimResult<T> = Result<T, ScimError>;

/// A JSON answer as `application/scim+json`, never cached.
pub fn scim_json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A resource as answered: its JSON, its `ETag` (`meta.version`) and, for a created one, its
/// `Location`.
pub fn resource_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = scim_json(status, body);
    let meta = &body["meta"];
    if let Some(version) = meta["version"].as_str().and_then(|v| v.parse().ok()) {
        response.headers_mut().insert(header::ETAG, version);
    }
    if status == StatusCode::CREATED {
        if let Some(location) = meta["location"].as_str().and_then(|v| v.parse().ok()) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    response
}

/// The caller of an instance's endpoint: a live provisioning token of that instance.
pub struct Caller {
    pub instance_id: String,
    pub principal: Principal,
}

impl Caller {
    /// The permit of `action` in the caller's instance, decided by Cedar.
    pub fn permit<A: Action>(&self, scim: &Scim, action: A) -> ScimResult<InstancePermit<A>> {
        Ok(check_instance(
            &scim.policies,
            Some(&self.principal),
            action,
            &self.instance_id,
        )?)
    }
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    Scim: FromRef<S>,
{
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let scim = Scim::from_ref(state);
        let unauthenticated = || {
            ScimError::new(
                StatusCode::UNAUTHORIZED,
                None,
                "send a provisioning token of this instance: Authorization: Bearer lanyard_scim_…",
            )
        };
        let instance_id = parts
            .uri
            .path()
            .strip_prefix("/scim/v2/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned();
        if !plausible_id(&instance_id) {
            return Err(unauthenticated());
        }
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned())
            .ok_or_else(unauthenticated)?;
        let ClientIp(client_ip) = ClientIp::from_request_parts(parts, state)
            .await
            .unwrap_or(ClientIp(None));
        let principal = tokens::authenticate(&scim, &instance_id, &token, client_ip)
            .await
            .map_err(|err| match err {
                AppError::Unauthenticated => unauthenticated(),
                other => other.into(),
            })?;
        Ok(Caller {
            instance_id,
            principal,
        })
    }
}

/// The id in a resource's path, checked to be one before anything is looked up.
pub fn resource_id(
    path: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    what: &str,
) -> ScimResult<String> {
    match path {
        Ok(Path((_, id))) if plausible_id(&id) => Ok(id),
        _ => Err(ScimError::not_found(what)),
    }
}

/// A request body: SCIM JSON (or plain JSON) within [`MAX_BODY`], an object.
pub fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<serde_json::Map<String, serde_json::Value>> {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ScimError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                Some("tooLarge"),
                format!("the body is over {MAX_BODY} bytes"),
            ))
        }
        Err(_) => {
            return Err(ScimError::bad(
                "invalidSyntax",
                "the body could not be read",
            ))
        }
    };
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(
        media.as_deref(),
        Some("application/scim+json") | Some("application/json")
    ) {
        return Err(ScimError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("invalidSyntax"),
            "send the body as Content-Type: application/scim+json",
        ));
    }
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Object(object)) => Ok(object),
        Ok(_) => Err(ScimError::bad(
            "invalidSyntax",
            "the body is not a JSON object",
        )),
        Err(err) => Err(ScimError::bad(
            "invalidSyntax",
            format!("the body is not JSON: {err}"),
        )),
    }
}

/// The `If-Match` of a request, when it has one (unreadable bytes read as a tag that matches
/// nothing).
pub fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("\u{0}").to_owned())
}

/// Refuses a change whose `If-Match` names another version than the resource's (412).
pub fn check_if_match(if_match: Option<&str>, version: &str) -> ScimResult<()> {
    let Some(wanted) = if_match else {
        return Ok(());
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let matches = wanted
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || bare(tag) == bare(version));
    if matches {
        Ok(())
    } else {
        Err(ScimError::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            format!("the resource is at version {version}, not {wanted}"),
        ))
    }
}

/// The two kinds of resource, by their endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Users,
    Groups,
}

impl Endpoint {
    /// The resource, as error messages name it.
    fn what(self) -> &'static str {
        match self {
            Endpoint::Users => "user",
            Endpoint::Groups => "group",
        }
    }

    /// Carries out one write on this endpoint: the resource after it, none after a deletion.
    pub async fn write(
        self,
        caller: &Caller,
        scim: &Scim,
        write: Write,
        if_match: Option<&str>,
    ) -> ScimResult<Option<serde_json::Value>> {
        match self {
            Endpoint::Users => users::write(caller, scim, write, if_match).await,
            Endpoint::Groups => groups::write(caller, scim, write, if_match).await,
        }
    }
}

/// The body of a change to one resource.
type Body = serde_json::Map<String, serde_json::Value>;

/// `PUT` (`Write::Replace`: the whole resource, as sent — `id`, `meta` and a user's `groups`
/// are ignored) and `PATCH` (`Write::Patch`: the operations applied to the resource, all or
/// none) of `/Users/{id}` and `/Groups/{id}`.
async fn change(
    endpoint: Endpoint,
    write: fn(String, Body) -> Write,
    caller: Caller,
    scim: Scim,
    path: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let id = resource_id(path, endpoint.what())?;
    let body = json_body(&headers, body)?;
    let changed = endpoint
        .write(
            &caller,
            &scim,
            write(id, body),
            if_match(&headers).as_deref(),
        )
        .await?;
    Ok(resource_response(
        StatusCode::OK,
        &changed.unwrap_or_default(),
    ))
}

/// `DELETE /Users/{id}`, `DELETE /Groups/{id}`.
async fn delete(
    endpoint: Endpoint,
    caller: Caller,
    scim: Scim,
    path: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
) -> ScimResult<Response> {
    let id = resource_id(path, endpoint.what())?;
    endpoint
        .write(
            &caller,
            &scim,
            Write::Delete(id),
            if_match(&headers).as_deref(),
        )
        .await?;
    Ok(no_content())
}

/// A write to one resource, as a request or a bulk operation asks for it.
pub enum Write {
    Create(Body),
    Replace(String, Body),
    Patch(String, Body),
    Delete(String),
}

/// `304 Not Modified` (with the `ETag`) when a read's `If-None-Match` names the resource's
/// version: the client's copy is current (RFC 7644 §3.14; a weak comparison, RFC 9110 §13.1.2).
pub fn not_modified(headers: &HeaderMap, version: &str) -> Option<Response> {
    let wanted = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let current = wanted
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == version.trim_start_matches("W/"));
    if !current {
        return None;
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(etag) = version.parse() {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Some(response)
}

/// The version of a resource last changed at `updated_at` (`meta.version`, the `ETag`).
pub fn version_of(updated_at: chrono::DateTime<chrono::Utc>) -> String {
    format!("W/\"{}\"", updated_at.timestamp_micros())
}

/// `204 No Content`, for a deletion.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// A list response (RFC 7644 §3.4.2).
pub fn list_response(total: u64, start_index: u64, resources: Vec<serde_json::Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &serde_json::json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start_index,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}
