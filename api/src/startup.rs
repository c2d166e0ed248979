//! Building and running the server. `Application::build` does everything up to a bound
//! listener and returns; tests build it on port 0 and read the port back.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::access::AccessService;
use crate::auth::keys::Keys;
use crate::authz::PolicyEngine;
use crate::config::Config;
use crate::db::{redact_url, Store};
use crate::fresh::FreshCache;
use crate::http::HttpMetrics;
use crate::outbox::worker::Worker;
use crate::state::AppState;

/// More applications than the sign-in routes of one node use within a refresh interval.
const APPLICATION_CACHE_CAPACITY: usize = 4096;

pub struct Application {
    port: u16,
    listener: TcpListener,
    state: AppState,
    worker: Worker,
    /// Lines for the operator, printed once at start (setup password, demo credentials).
    pub announcements: Vec<String>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let policies = match &config.policy_dir {
            Some(dir) => PolicyEngine::from_dir(dir),
            None => PolicyEngine::embedded(),
        }
        .context("loading the Cedar policies")?;
        let store = Store::connect(&config.database_url).await?;
        tracing::info!(database = %redact_url(&config.database_url), "database ready");
        let keys = Keys::load(&config)?;
        let schema = crate::graphql::schema(&config.graphql, config.introspection_enabled());
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        let port = listener.local_addr()?.port();
        let policies = Arc::new(policies);
        let state = AppState {
            config: Arc::new(config),
            store,
            access: Arc::new(AccessService::new(policies.clone())),
            policies,
            keys: Arc::new(keys),
            signers: Arc::default(),
            applications: Arc::new(FreshCache::new(APPLICATION_CACHE_CAPACITY)),
            employee_sessions: Arc::default(),
            schema,
            http_metrics: Arc::new(HttpMetrics::default()),
        };
        let mut announcements = Vec::new();
        if let Some(password) = crate::auth::admins::bootstrap(&state).await? {
            announcements.push(format!(
                "Created the super admin \"{}\" with the one-time password: {password}",
                crate::auth::admins::BOOTSTRAP_ADMIN
            ));
            announcements.push("It is shown only now; sign in and change it.".into());
        }
        if state.config.demo {
            announcements.extend(crate::demo::seed(&state).await?);
        }
        let worker = Worker::new(state.clone()).context("setting up email and event delivery")?;
        Ok(Application {
            port,
            listener,
            state,
            worker,
            announcements,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves (and delivers the outbox) until `shutdown` completes, then finishes the requests
    /// and the deliveries in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = crate::http::router(self.state.clone());
        let worker = self.worker.spawn();
        let served = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        worker.stop().await;
        served?;
        self.state.store.conn.clone().close().await.ok();
        Ok(())
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
