//! SAML 2.0 identity provider: per-application endpoints and metadata (and, with the SSO work,
//! requests, responses and bindings).

pub mod endpoints;
pub mod metadata;
pub mod routes;
