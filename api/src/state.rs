//! What every request handler shares.

use std::sync::Arc;

use crate::access::AccessService;
use crate::apps::applications::Resolved;
use crate::auth::employee_sessions::SessionCache;
use crate::auth::keys::Keys;
use crate::authz::PolicyEngine;
use crate::config::Config;
use crate::db::Store;
use crate::fresh::FreshCache;
use crate::graphql::LanyardSchema;
use crate::http::HttpMetrics;
use crate::keys::SignerCache;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub policies: Arc<PolicyEngine>,
    pub access: Arc<AccessService>,
    pub keys: Arc<Keys>,
    /// The instances' signing keys, decrypted and parsed once.
    pub signers: Arc<SignerCache>,
    /// Applications as the sign-in routes read them ([`crate::fresh`]).
    pub applications: Arc<FreshCache<Arc<Resolved>>>,
    /// Employees' sessions as the sign-in routes read them ([`SessionCache`]).
    pub employee_sessions: Arc<SessionCache>,
    pub schema: LanyardSchema,
    pub http_metrics: Arc<HttpMetrics>,
}
