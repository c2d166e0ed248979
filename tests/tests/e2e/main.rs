//! End-to-end tests: real HTTP against a real server on a real database (SQLite by default,
//! PostgreSQL when `LANYARD_TEST_POSTGRES` is set).

mod access;
mod access_decisions;
mod admin_factors;
mod admin_passkeys;
mod apps;
mod cluster;
mod console;
mod cross_instance;
mod deployment;
mod directory;
mod directory_scale;
mod durability;
mod events;
mod factors;
mod graphql_hardening;
mod import;
mod mail;
mod metadata;
mod migrations;
mod oidc;
mod oidc_interop;
mod overview;
mod passkeys;
mod policies;
mod portal;
mod query_count;
mod saml_hostile;
mod schema;
mod scim;
mod scim_interop;
mod second_factor;
mod slo;
mod sso;
mod sso_interop;
