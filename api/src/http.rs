//! The HTTP surface: routes, body extraction with clear errors, health, readiness and
//! Prometheus metrics, and the layers every response passes (panic catching, tracing,
//! security headers).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::{ForwardedHeader, TrustedProxies};
use crate::db::Store;
use crate::error::AppError;
use crate::graphql::LanyardSchema;
use crate::i18n;
use crate::metrics::HttpMetrics;
use crate::request;
use crate::state::AppState;

pub fn router(state: AppState, schema: LanyardSchema) -> Router {
    let graphql_body_limit = state.config.graphql.max_body_bytes;
    let metrics = Arc::new(HttpMetrics::default());
    let graphql = crate::graphql::Endpoint {
        schema,
        state: state.clone(),
        metrics: metrics.clone(),
    };
    let counted = Counted {
        metrics: metrics.clone(),
        store: state.store.clone(),
    };
    let forwarding = Arc::new(Forwarding {
        trusted: state.config.trusted_proxies.clone(),
        header: state.config.forwarded_header,
    });
    Router::new()
        .route(
            "/graphql",
            get(crate::graphql::get)
                .post(crate::graphql::post)
                .with_state(graphql)
                .layer(DefaultBodyLimit::max(graphql_body_limit)),
        )
        .merge(crate::auth::routes::router())
        .merge(crate::saml::routes::router())
        .merge(crate::scim::router())
        .merge(crate::oidc::routes::router())
        .merge(crate::portal::router())
        .merge(crate::recovery::pages::router())
        .merge(crate::events::jwks::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page).with_state(counted))
        .merge(console_router(&state.config.console_dir))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn_with_state(forwarding, resolve_client))
        .layer(middleware::from_fn(language))
        .layer(middleware::from_fn_with_state(metrics, count_requests))
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

/// Who may tell Lanyard the client's address (`trusted_proxies`, `forwarded_header`).
struct Forwarding {
    trusted: TrustedProxies,
    header: ForwardedHeader,
}

/// Settles each request's client address once ([`request::client_address`]) for
/// [`request::ClientIp`]: throttling, the audit log and Cedar's `context.sourceIp` all see it.
/// A trusted proxy's malformed forwarding header is refused rather than guessed at.
async fn resolve_client(
    State(forwarding): State<Arc<Forwarding>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        match request::client_address(peer, req.headers(), &forwarding.trusted, forwarding.header) {
            Ok(client) => {
                req.extensions_mut().insert(request::ClientAddr(client));
            }
            Err(err) => {
                tracing::warn!(%peer, error = %err, "refusing a request from a trusted proxy");
                return AppError::BadUserInput {
                    field: None,
                    message: err.to_string(),
                }
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// Settles the request's language for the pages and emails it makes ([`i18n::current`]). A
/// GET with `?lang=…` (the pages' language switch) remembers the choice in a cookie and goes
/// back to the same address without it.
async fn language(req: Request, next: Next) -> Response {
    let is_get = req.method() == axum::http::Method::GET;
    if is_get {
        if let Some((lang, back)) = i18n::chosen_by_query(req.uri().path(), req.uri().query()) {
            return crate::pages::see_other(&back, &[lang.cookie()]);
        }
    }
    let request = i18n::Request {
        lang: i18n::Lang::of_request(req.headers()),
        here: is_get.then(|| {
            req.uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| req.uri().path().to_owned())
        }),
    };
    i18n::scope(request, next.run(req)).await
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

async fn count_requests(
    State(metrics): State<Arc<HttpMetrics>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    metrics.response(response.status().as_u16());
    response
}

/// What `/metrics` reports: this process's request counters and its database's.
#[derive(Clone)]
struct Counted {
    metrics: Arc<HttpMetrics>,
    store: Store,
}

async fn metrics_page(State(counted): State<Counted>) -> Response {
    let m = &counted.metrics;
    let db = &counted.store.stats;
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
