//! Lanyard: an identity-as-a-service server. The architecture is in `DESIGN.md`; the
//! modules follow its domains.

pub mod access;
pub mod apps;
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
pub mod ids;
pub mod keys;
pub mod mail;
pub mod outbox;
pub mod portal;
pub mod recovery;
pub mod saml;
pub mod startup;
pub mod state;
pub mod telemetry;
