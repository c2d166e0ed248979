//! Building and running the server. `Application::build` does everything up to a bound
//! listener and returns; tests build it on port 0 and read the port back.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use entity::access_grant::SubjectKind;
use entity::user;

use crate::access::{Access, AccessService};
use crate::apps::applications::Resolved;
use crate::apps::Applications;
use crate::auth::Auth;
use crate::authz::PolicyEngine;
use crate::config::Config;
use crate::db::{redact_url, Store, WriteTxn};
use crate::directory::{Directory, DirectoryHooks};
use crate::error::AppResult;
use crate::events::delivery::EventSender;
use crate::events::Events;
use crate::fresh::FreshCache;
use crate::graphql::LanyardSchema;
use crate::keys::KeyRing;
use crate::mail::{EmailSender, Mailer};
use crate::outbox::worker::{Deliver, Worker};
use crate::saml::Saml;
use crate::scim::Scim;
use crate::secrets::Keys;
use crate::state::AppState;

/// More applications than the sign-in routes of one node use within a refresh interval.
const APPLICATION_CACHE_CAPACITY: usize = 4096;

pub struct Application {
    port: u16,
    listener: TcpListener,
    state: AppState,
    schema: LanyardSchema,
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
        let secrets = Arc::new(Keys::load(&config)?);
        let schema = crate::graphql::schema(&config.graphql, config.introspection_enabled());
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        let port = listener.local_addr()?.port();
        let state = services(Arc::new(config), store, Arc::new(policies), secrets);
        let mut announcements = Vec::new();
        if let Some(password) = crate::auth::admins::bootstrap(&state.auth).await? {
            announcements.push(format!(
                "Created the super admin \"{}\" with the one-time password: {password}",
                crate::auth::admins::BOOTSTRAP_ADMIN
            ));
            announcements.push("It is shown only now; sign in and change it.".into());
        }
        if state.config.demo {
            announcements
                .extend(crate::demo::seed(&state.directory, &state.auth, &state.policies).await?);
        }
        let worker = worker(&state).context("setting up email and event delivery")?;
        Ok(Application {
            port,
            listener,
            state,
            schema,
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
        let router = crate::http::router(self.state.clone(), self.schema);
        let worker = self.worker.spawn();
        let roll_ups = tokio::spawn(roll_up_every_minute(self.state.store.clone()));
        let served = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        worker.stop().await;
        // An interrupted roll-up is rolled back; the next run does it again.
        roll_ups.abort();
        served?;
        self.state.store.conn.clone().close().await.ok();
        Ok(())
    }
}

/// Rolls the audit log's closed hours up for the overviews, at start and every minute after
/// (every node does; each hour is counted once).
async fn roll_up_every_minute(store: Store) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(err) = crate::audit::activity::roll_up(&store, chrono::Utc::now()).await {
            tracing::warn!(error = %err.log_line(), "rolling up the audit log's hours failed");
        }
    }
}

/// Every domain service, each with only what it needs, and the hooks between them.
fn services(
    config: Arc<Config>,
    store: Store,
    policies: Arc<PolicyEngine>,
    secrets: Arc<Keys>,
) -> AppState {
    let applications = Arc::new(FreshCache::new(APPLICATION_CACHE_CAPACITY));
    let ring = KeyRing {
        store: store.clone(),
        secrets: secrets.clone(),
        signers: Arc::default(),
        retirement_grace: config.key_retirement_grace(),
    };
    let auth = Auth {
        store: store.clone(),
        config: config.clone(),
        secrets,
        sessions: Arc::default(),
    };
    let apps = Applications {
        store: store.clone(),
        cache: applications.clone(),
    };
    let access = Access {
        store: store.clone(),
        engine: policies.clone(),
        decisions: Arc::new(AccessService::new(policies.clone())),
        applications: applications.clone(),
    };
    let events = Events {
        store: store.clone(),
        ring: ring.clone(),
        public_url: config.public_url.clone(),
        reach: crate::events::receiver::Reach::of(&config.events),
    };
    let directory = Directory {
        store: store.clone(),
        ring: ring.clone(),
        hooks: Arc::new(DirectoryReactions {
            config: config.clone(),
            applications,
        }),
    };
    let saml = Saml {
        store: store.clone(),
        config: config.clone(),
        auth: auth.clone(),
        apps: apps.clone(),
        access: access.clone(),
        ring: ring.clone(),
        metadata: Arc::default(),
        participants: Arc::default(),
    };
    let scim = Scim {
        store: store.clone(),
        directory: directory.clone(),
        policies: policies.clone(),
        public_url: config.public_url.clone(),
    };
    let oidc = crate::oidc::Oidc::new(saml.clone());
    AppState {
        config,
        store,
        policies,
        directory,
        apps,
        access,
        ring,
        events,
        auth,
        saml,
        scim,
        oidc,
    }
}

/// What the other domains do when the directory changes.
struct DirectoryReactions {
    config: Arc<Config>,
    applications: Arc<FreshCache<Arc<Resolved>>>,
}

#[async_trait::async_trait]
impl DirectoryHooks for DirectoryReactions {
    async fn subject_deleted(&self, txn: &WriteTxn, kind: SubjectKind, id: &str) -> AppResult<()> {
        crate::access::grants::forget_subject(txn, kind, id).await
    }

    async fn user_locked(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<()> {
        crate::mail::notify_account_locked(txn, &self.config, user).await?;
        Ok(())
    }

    async fn user_reactivated(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<()> {
        crate::auth::throttle::unlock_employee(txn, &user.instance_id, &user.username).await
    }

    async fn sessions_end(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<u64> {
        crate::auth::employee_sessions::end_all_of_user(txn, &user.instance_id, &user.id).await
    }

    fn instance_deleted(&self, _instance_id: &str) {
        // Its applications went with it (the foreign keys cascade).
        self.applications.forget_all();
    }
}

/// The outbox worker with its two kinds of delivery: emails (when SMTP is configured) and
/// event callbacks.
fn worker(state: &AppState) -> anyhow::Result<Worker> {
    let config = &state.config;
    let email = Mailer::from_config(&config.smtp)?.map(|mailer| {
        Box::new(EmailSender {
            mailer,
            store: state.store.clone(),
            keys: state.auth.secrets.clone(),
            public_url: config.public_url.clone(),
        }) as Box<dyn Deliver>
    });
    let events = EventSender::new(&config.events, state.events.clone())?;
    Ok(Worker::new(
        state.store.clone(),
        config.outbox.clone(),
        email,
        Box::new(events),
    ))
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
