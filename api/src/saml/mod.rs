//! SAML 2.0 identity provider: per-application endpoints and metadata, AuthnRequests,
//! Responses, the HTTP bindings, the SSO flow and single logout.

pub mod context;
pub mod dsig;
pub mod encrypt;
pub mod endpoints;
pub mod logout;
pub mod metadata;
pub mod pending;
pub mod request;
pub mod response;
pub mod routes;
pub mod slo;
pub mod sso;

use std::sync::Arc;

use crate::access::Access;
use crate::apps::Applications;
use crate::auth::Auth;
use crate::config::Config;
use crate::db::Store;
use crate::keys::KeyRing;

/// What the SAML routes (and the portal that launches SSO) reach: the employee's session, the
/// application, the access decision and the key that signs. Built once in `startup`.
#[derive(Clone)]
pub struct Saml {
    pub store: Store,
    pub config: Arc<Config>,
    pub auth: Auth,
    pub apps: Applications,
    pub access: Access,
    pub ring: KeyRing,
    /// Each application's signed metadata, signed again only when what it says changes.
    pub metadata: Arc<metadata::SignedCache>,
    /// The session participants this node recorded lately (`slo::join`).
    pub participants: Arc<slo::Joined>,
}
