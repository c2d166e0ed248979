//! Lanyard: an identity-as-a-service server. The architecture is in `DESIGN.md`; the
//! modules follow its domains; `docs/architecture.md` says which may import which.

// A panic in a request is caught, but it is still a 500 the user did not need: outside tests,
// a value that may be absent is handled, not unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
pub mod apps;
#[cfg(test)]
mod architecture;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod events;
pub mod fresh;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod keys;
pub mod links;
pub mod loadgen;
pub mod mail;
pub mod metrics;
pub mod oidc;
pub mod outbox;
pub mod pages;
pub mod password;
pub mod portal;
pub mod query;
pub mod recovery;
pub mod request;
pub mod saml;
pub mod scim;
pub mod secrets;
pub mod sso;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tenant;
pub mod validate;
