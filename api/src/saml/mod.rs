//! SAML 2.0 identity provider: per-application endpoints and metadata, AuthnRequests,
//! Responses, the HTTP bindings and the SSO flow.

pub mod dsig;
pub mod endpoints;
pub mod metadata;
pub mod pending;
pub mod request;
pub mod response;
pub mod routes;
pub mod sso;
