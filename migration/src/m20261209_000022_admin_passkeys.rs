//! Passkeys for console admins, and how strictly an instance asks passkeys to verify their
//! user.
//!
//! An admin belongs to no instance, so a passkey ceremony's `instance_id` may now be empty
//! (an admin's ceremony). Ceremonies live five minutes and are begun again at will, so the
//! table is made anew rather than altered (SQLite cannot relax a `NOT NULL` in place): a
//! ceremony under way during the upgrade is asked again by the browser.
//!
//! `instances.passkey_user_verification` is `preferred` (a security key without a PIN still
//! serves as a second factor) or `required` (every registration and every use must verify the
//! employee with a PIN or biometrics).

use crate::cols::{cascade_to, id, instant};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PasskeyCeremonies {
    Table,
    Id,
    InstanceId,
    Purpose,
    BoundTo,
    State,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
    PasskeyUserVerification,
}

/// The ceremonies table; `instance_id` may be empty (an admin's) when `nullable`.
fn ceremonies(nullable: bool) -> TableCreateStatement {
    let mut instance = ColumnDef::new(PasskeyCeremonies::InstanceId);
    instance.string_len(36);
    if nullable {
        instance.null();
    } else {
        instance.not_null();
    }
    Table::create()
        .table(PasskeyCeremonies::Table)
        .col(id(PasskeyCeremonies::Id))
        .col(instance)
        .col(
            ColumnDef::new(PasskeyCeremonies::Purpose)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(PasskeyCeremonies::BoundTo)
                .string_len(64)
                .not_null(),
        )
        .col(ColumnDef::new(PasskeyCeremonies::State).text().not_null())
        .col(instant(PasskeyCeremonies::CreatedAt))
        .col(instant(PasskeyCeremonies::ExpiresAt))
        .foreign_key(&mut cascade_to(
            PasskeyCeremonies::Table,
            PasskeyCeremonies::InstanceId,
            Instances::Table,
        ))
        .to_owned()
}

/// Drops and re-creates the ceremonies table in one batch on one connection: on SQLite,
/// statements sent one by one may each take another pooled connection, and one that still
/// reads the old schema finds the table (and its index) there.
async fn remake_ceremonies(manager: &SchemaManager<'_>, nullable: bool) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let drop = Table::drop().table(PasskeyCeremonies::Table).to_owned();
    let index = Index::create()
        .name("ix_passkey_ceremonies_expires")
        .table(PasskeyCeremonies::Table)
        .col(PasskeyCeremonies::ExpiresAt)
        .to_owned();
    let batch = [
        backend.build(&drop).to_string(),
        backend.build(&ceremonies(nullable)).to_string(),
        backend.build(&index).to_string(),
    ]
    .join(";\n");
    manager
        .get_connection()
        .execute_unprepared(&batch)
        .await
        .map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        remake_ceremonies(manager, true).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Instances::Table)
                    .add_column(
                        ColumnDef::new(Instances::PasskeyUserVerification)
                            .string_len(16)
                            .not_null()
                            .default("preferred"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE instances DROP COLUMN passkey_user_verification")
            .await?;
        remake_ceremonies(manager, false).await
    }
}
