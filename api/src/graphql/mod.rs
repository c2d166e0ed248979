//! The GraphQL API: schema wiring (one module per domain) and the hardened HTTP endpoint.
//! `POST /graphql` with `application/json` only: no GET execution, no `text/plain`, no batches;
//! body size, depth, complexity and alias limits; an execution timeout; every error carries
//! `extensions.code`.

mod access;
mod admin;
mod admin_factors;
mod apps;
mod audit;
pub mod connection;
mod delivery;
mod directory;
mod factors;
mod gate;
mod keys;
mod limits;
mod loaders;
mod oidc;
mod provisioning;
mod sessions;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use async_graphql::{EmptySubscription, MergedObject, Schema};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::auth::principal::{authenticate, Principal};
use crate::config::GraphqlConfig;
use crate::error::AppError;
use crate::metrics::HttpMetrics;
use crate::request::ClientIp;
use crate::state::AppState;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    directory::DirectoryQuery,
    admin::AdminQuery,
    audit::AuditQuery,
    audit::ActivityQuery,
    apps::AppsQuery,
    keys::KeysQuery,
    access::AccessQuery,
    sessions::SessionsQuery,
    factors::FactorsQuery,
    admin_factors::AdminFactorsQuery,
    delivery::DeliveryQuery,
    provisioning::ProvisioningQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    directory::DirectoryMutation,
    admin::AdminMutation,
    apps::AppsMutation,
    keys::KeysMutation,
    access::AccessMutation,
    sessions::SessionsMutation,
    factors::FactorsMutation,
    admin_factors::AdminFactorsMutation,
    delivery::DeliveryMutation,
    provisioning::ProvisioningMutation,
    oidc::OidcMutation,
);

pub type LanyardSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Per-request data: who is calling, and the headers (an employee's `me` reads its session
/// cookie from them).
pub struct RequestContext {
    pub principal: Option<Principal>,
    pub headers: HeaderMap,
    pub client_ip: Option<std::net::IpAddr>,
}

/// Builds the schema with the configured limits. No database, no side effects: the SDL export
/// uses it too.
pub fn schema(config: &GraphqlConfig, introspection: bool) -> LanyardSchema {
    let builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .limit_depth(config.max_depth)
    .limit_complexity(config.max_complexity)
    .limit_recursive_depth(config.max_depth.max(32))
    .limit_directives(10)
    .extension(limits::AliasLimit(config.max_aliases));
    let builder = if introspection {
        builder
    } else {
        builder.disable_introspection()
    };
    builder.finish()
}

/// The SDL committed as `schema.graphql`.
pub fn sdl() -> String {
    let config = crate::config::default_graphql();
    schema(&config, true).sdl()
}

fn graphql_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    (status, axum::Json(body)).into_response()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// NUL is valid JSON but no text Lanyard stores may hold it (PostgreSQL refuses it).
fn contains_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(contains_nul),
        serde_json::Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains('\0') || contains_nul(value)),
        _ => false,
    }
}

/// Why a body is not a GraphQL request this endpoint runs.
#[derive(Debug)]
pub struct BodyRefusal {
    pub status: StatusCode,
    pub message: String,
}

/// The GraphQL request a `POST /graphql` body holds: one operation as JSON, with no NUL
/// anywhere (text Lanyard stores may not hold it), not a batch.
pub fn read_request(body: &[u8]) -> Result<async_graphql::Request, BodyRefusal> {
    let refused = |message: String| BodyRefusal {
        status: StatusCode::BAD_REQUEST,
        message,
    };
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|err| refused(format!("the body is not JSON: {err}")))?;
    if contains_nul(&value)
        || value["query"]
            .as_str()
            .is_some_and(|query| query.contains("\\u0000"))
    {
        return Err(refused("text may not contain NUL characters".into()));
    }
    if value.is_array() {
        return Err(refused(
            "batched requests are not supported; send one operation per request".into(),
        ));
    }
    serde_json::from_value(value).map_err(|err| refused(format!("not a GraphQL request: {err}")))
}

/// What `/graphql` holds: the schema, the services resolvers reach (after their checks), and
/// the counters it reports to.
#[derive(Clone)]
pub struct Endpoint {
    pub schema: LanyardSchema,
    pub state: AppState,
    pub metrics: Arc<HttpMetrics>,
}

pub async fn post(
    State(endpoint): State<Endpoint>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return graphql_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            "GraphQL requests must be POSTed with Content-Type: application/json",
        );
    }
    let request = match read_request(&body) {
        Ok(request) => request,
        Err(refusal) => {
            return graphql_error(refusal.status, "BAD_USER_INPUT", &refusal.message);
        }
    };
    let client_addr = client_ip.as_deref().and_then(|ip| ip.parse().ok());
    let state = &endpoint.state;
    let principal = match authenticate(&state.auth, &headers, client_ip).await {
        Ok(principal) => principal,
        Err(err) => {
            let status = err.status();
            let code = err.code();
            return graphql_error(status, code, &err.public_message());
        }
    };
    // Cached per request, so that what a parent resolver prefetched is not loaded again.
    let loader = loaders::DirectoryLoader::for_request(state.directory.clone());
    let request = request
        .data(state.clone())
        .data(RequestContext {
            principal,
            headers: headers.clone(),
            client_ip: client_addr,
        })
        .data(loader);
    let timeout = Duration::from_millis(state.config.graphql.timeout_ms);
    let mut response = match tokio::time::timeout(timeout, endpoint.schema.execute(request)).await {
        Ok(response) => response,
        Err(_) => {
            return graphql_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "INTERNAL",
                "the request took too long and was stopped; nothing of it was saved",
            )
        }
    };
    let limits = &state.config.graphql;
    for error in &mut response.errors {
        AppError::to_graphql(error);
        if error.message.starts_with("Query is too complex") {
            error.message = format!(
                "the query is too complex (limit {}): a list counts `first` (default 20) times its fields, so ask for smaller pages or fewer nested lists",
                limits.max_complexity
            );
        } else if error.message.starts_with("Query is nested too deep") {
            error.message = format!("the query is nested too deep (limit {})", limits.max_depth);
        }
    }
    endpoint
        .metrics
        .graphql_operation(response.errors.is_empty());
    let mut http = axum::Json(&response).into_response();
    http.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    http
}

/// `GET /graphql`: the GraphiQL page when introspection is on; never executes anything.
pub async fn get(State(endpoint): State<Endpoint>) -> Response {
    if endpoint.state.config.introspection_enabled() {
        Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
    } else {
        graphql_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_USER_INPUT",
            "GraphQL requests must be POSTed as application/json",
        )
    }
}

/// Resolver helpers: the shared state and the caller.
pub(crate) fn state<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a AppState> {
    ctx.data::<AppState>()
}

pub(crate) fn principal<'a>(ctx: &async_graphql::Context<'a>) -> Option<&'a Principal> {
    ctx.data::<RequestContext>()
        .ok()
        .and_then(|c| c.principal.as_ref())
}
