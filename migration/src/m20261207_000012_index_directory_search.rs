//! Search and lookups that stay flat at a million users (docs/decisions.md, "Directory at
//! scale"):
//! - `users.username_key`, the lower-case username, computed by the database (a virtual
//!   column on SQLite, a stored one on PostgreSQL) and indexed with the instance and the id:
//!   a case-insensitive prefix search is one range of `ix_users_username_key`;
//! - an index on the external id, which provisioning looks users up by (with the username,
//!   so that the lookup's page comes out of it in order);
//! - an index on an application's grants in id order, which their list walks.
//!
//! Prefix ranges need byte-wise ordering: on PostgreSQL the key, `users.email` and
//! `org_units.path` get `COLLATE "C"`, so that a database created with a linguistic
//! collation (which ignores punctuation such as `.`, `-` and `/` at first) orders them as
//! SQLite does.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "ALTER TABLE users ADD COLUMN username_key TEXT GENERATED ALWAYS AS (lower(username)) VIRTUAL",
];

const POSTGRES_UP: &[&str] = &[
    r#"ALTER TABLE users ADD COLUMN username_key varchar(64) COLLATE "C" GENERATED ALWAYS AS (lower(username COLLATE "C")) STORED"#,
    r#"ALTER TABLE users ALTER COLUMN email TYPE varchar(254) COLLATE "C""#,
    r#"ALTER TABLE org_units ALTER COLUMN path TYPE varchar(1024) COLLATE "C""#,
];

const INDEXES: &[&str] = &[
    "CREATE INDEX ix_users_username_key ON users (instance_id, username_key, id)",
    "CREATE INDEX ix_users_external_id ON users (instance_id, external_id, username)",
    "CREATE INDEX ix_access_grants_application ON access_grants (application_id, id)",
];

const DROP_INDEXES: &[&str] = &[
    "DROP INDEX ix_access_grants_application",
    "DROP INDEX ix_users_external_id",
    "DROP INDEX ix_users_username_key",
];

const SQLITE_DOWN: &[&str] = &["ALTER TABLE users DROP COLUMN username_key"];

const POSTGRES_DOWN: &[&str] = &[
    r#"ALTER TABLE org_units ALTER COLUMN path TYPE varchar(1024) COLLATE "default""#,
    r#"ALTER TABLE users ALTER COLUMN email TYPE varchar(254) COLLATE "default""#,
    "ALTER TABLE users DROP COLUMN username_key",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&[&str]]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for statement in statements.iter().flat_map(|list| list.iter()) {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        run(manager, &[columns, INDEXES]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_DOWN,
            _ => SQLITE_DOWN,
        };
        run(manager, &[DROP_INDEXES, columns]).await
    }
}
