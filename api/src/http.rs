//! The HTTP surface: routes, body extraction with clear errors, health, readiness and
//! Prometheus metrics, and the layers every response passes (panic catching, tracing,
//! security headers).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::de::DeserializeOwned;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let graphql_body_limit = state.config.graphql.max_body_bytes;
    Router::new()
        .route(
            "/graphql",
            get(crate::graphql::get)
                .post(crate::graphql::post)
                .layer(DefaultBodyLimit::max(graphql_body_limit)),
        )
        .merge(crate::auth::routes::router())
        .merge(crate::saml::routes::router())
        .merge(crate::portal::router())
        .merge(crate::recovery::pages::router())
        .merge(crate::events::jwks::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(console_router(&state.config.console_dir))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a request handler panicked");
            AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .with_state(state)
}

/// The client's address as the socket saw it.
pub struct ClientIp(pub Option<String>);

impl ClientIp {
    /// The address parsed, for access decisions.
    pub fn addr(&self) -> Option<std::net::IpAddr> {
        self.0.as_deref().and_then(|ip| ip.parse().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        ))
    }
}

/// JSON request bodies whose rejections are `{error, message}` like every other error.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                let status = rejection.status();
                let message = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => {
                        "send the body as Content-Type: application/json".to_owned()
                    }
                    other => other.body_text(),
                };
                let body = serde_json::json!({ "error": "BAD_USER_INPUT", "message": message });
                Err((status, axum::Json(body)).into_response())
            }
        }
    }
}

async fn not_found() -> Response {
    AppError::NotFound("page").into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// The built admin console at `/console/`: its files, and `index.html` for every other path
/// below it so that the single-page app's own routes survive a reload. When the console has not
/// been built, a page says how to build it.
fn console_router(dir: &std::path::Path) -> Router<AppState> {
    let index = dir.join("index.html");
    let router = Router::new();
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "the console is not built; /console/ explains how");
        let page = || async {
            (
                [(header::CACHE_CONTROL, "no-store")],
                Html(
                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lanyard</title></head>\
                     <body><h1>Lanyard</h1><p>The admin console is not built. Run <code>make run</code>, \
                     or <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>, and set \
                     <code>console_dir</code> to its <code>dist</code> directory.</p></body></html>",
                ),
            )
        };
        return router
            .route("/console", get(page))
            .route("/console/", get(page))
            .route("/console/{*path}", get(page));
    }
    // index.html names the hashed assets of one build: it must be revalidated every time, so it
    // is only ever served by the fallback (directories included), which says so.
    let index = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeFile::new(index));
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(false)
        .fallback(index);
    router.nest_service(
        "/console",
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONSOLE_CSP),
            ))
            .service(files),
    )
}

/// The console loads only its own scripts and styles and talks only to this server; the
/// marketplace logos are `data:` images.
const CONSOLE_CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Request counters kept by this process, exposed at `/metrics`.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    by_class: [AtomicU64; 5],
    graphql_ok: AtomicU64,
    graphql_failed: AtomicU64,
}

impl HttpMetrics {
    pub fn graphql_operation(&self, ok: bool) {
        let counter = if ok {
            &self.graphql_ok
        } else {
            &self.graphql_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.http_metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    response
}

async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.http_metrics;
    let db = &state.store.stats;
    let count = |counter: &AtomicU64| counter.load(Ordering::Relaxed).to_string();
    let by_class: Vec<(String, String)> = m
        .by_class
        .iter()
        .enumerate()
        .map(|(i, counter)| (format!("{{class=\"{}xx\"}}", i + 1), count(counter)))
        .collect();
    let mut out = String::new();
    family(
        &mut out,
        "lanyard_http_responses_total",
        "HTTP responses by status class.",
        "counter",
        &by_class,
    );
    family(
        &mut out,
        "lanyard_graphql_operations_total",
        "GraphQL operations by result.",
        "counter",
        &[
            ("{result=\"ok\"}".into(), count(&m.graphql_ok)),
            ("{result=\"error\"}".into(), count(&m.graphql_failed)),
        ],
    );
    for (name, help, value) in [
        (
            "lanyard_db_statements_total",
            "SQL statements executed.",
            count(&db.statements),
        ),
        (
            "lanyard_db_statements_failed_total",
            "SQL statements that failed.",
            count(&db.failed_statements),
        ),
        (
            "lanyard_db_statement_seconds_total",
            "Time spent in SQL statements.",
            format!(
                "{:.6}",
                db.statement_micros.load(Ordering::Relaxed) as f64 / 1e6
            ),
        ),
        (
            "lanyard_db_log_syncs_total",
            "Syncs to disk of the sign-in decision log (SQLite).",
            count(&db.log_syncs),
        ),
        (
            "lanyard_db_log_syncs_failed_total",
            "Syncs of the sign-in decision log that failed.",
            count(&db.failed_log_syncs),
        ),
    ] {
        family(&mut out, name, help, "counter", &[(String::new(), value)]);
    }
    family(
        &mut out,
        "lanyard_build_info",
        "Version of this server.",
        "gauge",
        &[(
            format!("{{version=\"{}\"}}", env!("CARGO_PKG_VERSION")),
            "1".into(),
        )],
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// One metric family in the Prometheus text format: its HELP and TYPE lines, then one sample
/// per `(labels, value)`, where `labels` is empty or `{name="value",...}`.
fn family(out: &mut String, name: &str, help: &str, kind: &str, samples: &[(String, String)]) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    for (labels, value) in samples {
        let _ = writeln!(out, "{name}{labels} {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn a_metric_family_is_written_in_the_prometheus_text_format() {
        let mut out = String::new();
        family(
            &mut out,
            "a_total",
            "As.",
            "counter",
            &[(String::new(), "3".into())],
        );
        family(
            &mut out,
            "b_total",
            "Bs by kind.",
            "counter",
            &[
                ("{kind=\"x\"}".into(), "1".into()),
                ("{kind=\"y\"}".into(), "0".into()),
            ],
        );
        assert_eq!(
            out,
            "# HELP a_total As.\n# TYPE a_total counter\na_total 3\n\
             # HELP b_total Bs by kind.\n# TYPE b_total counter\n\
             b_total{kind=\"x\"} 1\nb_total{kind=\"y\"} 0\n"
        );
    }
}
