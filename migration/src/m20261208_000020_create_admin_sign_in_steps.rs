//! Second factors for console admins. `admin_sign_in_steps` holds the pending step between a
//! correct password and a session: whose, from where, until when, how many wrong codes, when
//! spent, and whether she sets up an authenticator app in it (a second factor is required of
//! admins and she has none). `admin_sessions.auth_methods` records what a console session
//! proved (`password`, `password,totp`, `password,recovery_code`); sessions from before were
//! opened with a password.

use crate::cols::{id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdminSignInSteps {
    Table,
    Id,
    AdminId,
    ClientIp,
    CreatedAt,
    ExpiresAt,
    FailedAttempts,
    UsedAt,
    Enrol,
}

#[derive(DeriveIden)]
enum AdminSessions {
    Table,
    AuthMethods,
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminSignInSteps::Table)
                    .col(id(AdminSignInSteps::Id))
                    .col(reference(AdminSignInSteps::AdminId))
                    .col(
                        ColumnDef::new(AdminSignInSteps::ClientIp)
                            .string_len(64)
                            .null(),
                    )
                    .col(instant(AdminSignInSteps::CreatedAt))
                    .col(instant(AdminSignInSteps::ExpiresAt))
                    .col(
                        ColumnDef::new(AdminSignInSteps::FailedAttempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(AdminSignInSteps::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(AdminSignInSteps::Enrol).boolean().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl(AdminSignInSteps::Table)
                            .from_col(AdminSignInSteps::AdminId)
                            .to_tbl(Admins::Table)
                            .to_col(Admins::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_admin_sign_in_steps_admin")
                    .table(AdminSignInSteps::Table)
                    .col(AdminSignInSteps::AdminId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AdminSessions::Table)
                    .add_column(
                        ColumnDef::new(AdminSessions::AuthMethods)
                            .string_len(64)
                            .not_null()
                            .default("password"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE admin_sessions DROP COLUMN auth_methods")
            .await?;
        manager
            .drop_table(Table::drop().table(AdminSignInSteps::Table).to_owned())
            .await
    }
}
