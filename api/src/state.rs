//! The domain services, built once in `startup`: the bag the HTTP edge and the GraphQL context
//! hold. Domain code never takes it; a handler or resolver passes on the one service it needs
//! (after its authorization check), and the routers of the domains extract theirs from it
//! (`FromRef`).

use std::sync::Arc;

use axum::extract::FromRef;

use crate::access::Access;
use crate::apps::Applications;
use crate::auth::Auth;
use crate::authz::PolicyEngine;
use crate::config::Config;
use crate::db::Store;
use crate::directory::Directory;
use crate::events::Events;
use crate::keys::KeyRing;
use crate::oidc::Oidc;
use crate::saml::Saml;
use crate::scim::Scim;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    /// The Cedar engine of the admin authorization gate.
    pub policies: Arc<PolicyEngine>,
    pub directory: Directory,
    pub apps: Applications,
    pub access: Access,
    pub ring: KeyRing,
    pub events: Events,
    pub auth: Auth,
    pub saml: Saml,
    pub scim: Scim,
    pub oidc: Oidc,
}
