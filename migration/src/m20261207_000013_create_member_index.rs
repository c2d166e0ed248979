//! The member index (docs/decisions.md, "Directory at scale"): the members of every group,
//! org unit and org-unit subtree by username, so that a page of members is one range of an
//! index whatever the size of the set and of the directory. The application keeps it
//! (`directory::member_index`); this fills it from the memberships a database already holds.
//!
//! On SQLite the table is `WITHOUT ROWID`: its rows live in the primary key's order, so a
//! page is read where the range is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE member_index (
    holder_kind varchar(8) NOT NULL,
    holder_id varchar(36) NOT NULL,
    username varchar(64) NOT NULL,
    user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (holder_kind, holder_id, username)
)";

const FILL: &[&str] = &[
    "CREATE INDEX ix_member_index_user ON member_index (user_id, holder_id)",
    "INSERT INTO member_index (holder_kind, holder_id, username, user_id)
     SELECT 'group', m.group_id, u.username, u.id
     FROM group_members m JOIN users u ON u.id = m.user_id",
    "INSERT INTO member_index (holder_kind, holder_id, username, user_id)
     SELECT 'unit', m.org_unit_id, u.username, u.id
     FROM org_unit_members m JOIN users u ON u.id = m.user_id",
    // Every unit on the path of a unit the user is a member of (its own included), once.
    "INSERT INTO member_index (holder_kind, holder_id, username, user_id)
     SELECT DISTINCT 'subtree', a.id, u.username, u.id
     FROM org_unit_members m
     JOIN users u ON u.id = m.user_id
     JOIN org_units o ON o.id = m.org_unit_id
     JOIN org_units a ON a.instance_id = o.instance_id
         AND substr(o.path, 1, length(a.path)) = a.path",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let table = match manager.get_database_backend() {
            DbBackend::Sqlite => format!("{TABLE} WITHOUT ROWID"),
            _ => TABLE.to_owned(),
        };
        db.execute_unprepared(&table).await?;
        for statement in FILL {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE member_index")
            .await?;
        Ok(())
    }
}
