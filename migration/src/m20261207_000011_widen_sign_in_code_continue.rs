//! A sign-in code remembers where the employee continues, which can now be a sealed SAML
//! request of several hundred bytes rather than a 64-character reference. SQLite neither
//! enforces a VARCHAR's length nor alters a column's type, so only PostgreSQL changes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInCodes {
    Table,
    ContinueTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(SignInCodes::Table)
                    .modify_column(ColumnDef::new(SignInCodes::ContinueTo).text().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // A code that continues to a sealed request continues to the portal instead.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE sign_in_codes SET continue_to = 'portal' WHERE length(continue_to) > 64; \
                 ALTER TABLE sign_in_codes ALTER COLUMN continue_to TYPE varchar(64)",
            )
            .await
            .map(|_| ())
    }
}
