//! OpenID Connect provider (OpenID Connect Core 1.0, Discovery 1.0, RFC 6749, 7636, 8414,
//! 7009, 7662, 9068, RP-Initiated Logout 1.0): one issuer per instance,
//! `{public_url}/oidc/{instance id}`, for the applications added from an OIDC template.
//!
//! It shares what SAML has: the employee's session (one sign-in covers both), the instance's
//! signing keys and their rollover (the JWKS publishes pending, active and retired keys), the
//! audit log, and the one access decision ([`crate::sso::decide`], Cedar's `sso` action) that
//! comes before any code is issued.

pub mod authorize;
pub mod claims;
pub mod client_auth;
pub mod clients;
pub mod grants;
pub mod jwt;
pub mod routes;
pub mod tokens;

use std::sync::Arc;

use crate::access::Access;
use crate::apps::Applications;
use crate::auth::Auth;
use crate::config::Config;
use crate::db::Store;
use crate::fresh::FreshCache;
use crate::keys::KeyRing;
use crate::saml::Saml;

/// More clients than a deployment has: past it the cache starts over.
const REGISTRATIONS_KEPT: usize = 4096;

/// What the OIDC routes reach. Built once in `startup`.
#[derive(Clone)]
pub struct Oidc {
    pub store: Store,
    pub config: Arc<Config>,
    pub auth: Auth,
    pub apps: Applications,
    pub access: Access,
    pub ring: KeyRing,
    /// Ending the employee's session from an RP's logout tells the SAML participants too.
    pub saml: Saml,
    /// The instance keys as JWT signing and verification keys, parsed once per key.
    pub keys: Arc<jwt::KeyCache>,
    /// Client registrations with their secrets' hashes, as every token request reads them
    /// ([`crate::fresh`]: a change on this node applies at once, on another within the
    /// interval).
    pub registrations: Arc<FreshCache<Arc<clients::Registration>>>,
}

impl Oidc {
    pub fn new(saml: Saml) -> Oidc {
        Oidc {
            store: saml.store.clone(),
            config: saml.config.clone(),
            auth: saml.auth.clone(),
            apps: saml.apps.clone(),
            access: saml.access.clone(),
            ring: saml.ring.clone(),
            saml,
            keys: Arc::default(),
            registrations: Arc::new(FreshCache::new(REGISTRATIONS_KEPT)),
        }
    }

    /// The issuer of an instance: `{public_url}/oidc/{instance id}`.
    pub fn issuer(&self, instance_id: &str) -> String {
        issuer(&self.config.public_url, instance_id)
    }
}

/// The issuer of an instance: `{public_url}/oidc/{instance id}`.
pub fn issuer(public_url: &str, instance_id: &str) -> String {
    format!("{public_url}/oidc/{instance_id}")
}

/// Scopes this provider knows.
pub const SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "phone",
    "groups",
    "offline_access",
];

/// The authentication context classes: one factor, or more than one (REFEDS profiles).
pub const ACR_SINGLE: &str = "https://refeds.org/profile/sfa";
pub const ACR_MFA: &str = "https://refeds.org/profile/mfa";
/// The OpenID PAPE multi-factor policy, which some relying parties ask for instead.
pub const ACR_PAPE_MFA: &str = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
