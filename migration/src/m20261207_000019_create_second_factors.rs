//! Strong second factors. `factors` holds the authenticator apps (sealed TOTP keys) and
//! passkeys of employees and admins; `recovery_codes` their one-time recovery codes (keyed
//! hashes). An instance's sign-in rules replace its `second_factor` column: who must give a
//! second factor (`mfa_required`: `when_asked` or `everyone`; an instance that asked every
//! employee for an emailed code keeps doing so), which factors are allowed, and whether a
//! passkey alone signs in. A pending second-factor step (`sign_in_codes`) may now upgrade a
//! session (step-up) instead of opening one, and need not have emailed a code.

use crate::cols::{id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Factors {
    Table,
    Id,
    InstanceId,
    OwnerKind,
    OwnerId,
    Kind,
    Name,
    Secret,
    CredentialId,
    LastStep,
    Confirmed,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    OwnerKind,
    OwnerId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
    MfaRequired,
    AllowedFactors,
    PasskeySignIn,
}

#[derive(DeriveIden)]
enum SignInCodes {
    Table,
    Emailed,
    SessionId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Factors::Table)
                    .col(id(Factors::Id))
                    .col(ColumnDef::new(Factors::InstanceId).string_len(36).null())
                    .col(ColumnDef::new(Factors::OwnerKind).string_len(8).not_null())
                    .col(reference(Factors::OwnerId))
                    .col(ColumnDef::new(Factors::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Factors::Name).string_len(64).not_null())
                    .col(ColumnDef::new(Factors::Secret).text().not_null())
                    .col(
                        ColumnDef::new(Factors::CredentialId)
                            .string_len(1400)
                            .null(),
                    )
                    .col(ColumnDef::new(Factors::LastStep).big_integer().null())
                    .col(ColumnDef::new(Factors::Confirmed).boolean().not_null())
                    .col(instant(Factors::CreatedAt))
                    .col(
                        ColumnDef::new(Factors::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factors_owner")
                    .table(Factors::Table)
                    .col(Factors::OwnerKind)
                    .col(Factors::OwnerId)
                    .to_owned(),
            )
            .await?;
        // A passkey registers once on the whole server (WebAuthn §7.1 step 22).
        manager
            .create_index(
                Index::create()
                    .name("ux_factors_credential")
                    .table(Factors::Table)
                    .col(Factors::CredentialId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(id(RecoveryCodes::Id))
                    .col(
                        ColumnDef::new(RecoveryCodes::OwnerKind)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(reference(RecoveryCodes::OwnerId))
                    .col(
                        ColumnDef::new(RecoveryCodes::CodeHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(instant(RecoveryCodes::CreatedAt))
                    .col(
                        ColumnDef::new(RecoveryCodes::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_codes_owner")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::OwnerKind)
                    .col(RecoveryCodes::OwnerId)
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Instances::MfaRequired)
                .string_len(16)
                .not_null()
                .default("when_asked")
                .to_owned(),
            ColumnDef::new(Instances::AllowedFactors)
                .string_len(64)
                .not_null()
                .default("email_code,totp,passkey")
                .to_owned(),
            ColumnDef::new(Instances::PasskeySignIn)
                .boolean()
                .not_null()
                .default(true)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Instances::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE instances SET mfa_required = 'everyone' WHERE second_factor = 'email_code'",
        )
        .await?;
        db.execute_unprepared("ALTER TABLE instances DROP COLUMN second_factor")
            .await?;
        for column in [
            ColumnDef::new(SignInCodes::Emailed)
                .boolean()
                .not_null()
                .default(true)
                .to_owned(),
            ColumnDef::new(SignInCodes::SessionId)
                .string_len(36)
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SignInCodes::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE instances ADD COLUMN second_factor VARCHAR(16) NOT NULL DEFAULT 'none'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE instances SET second_factor = 'email_code' WHERE mfa_required = 'everyone'",
        )
        .await?;
        for column in ["mfa_required", "allowed_factors", "passkey_sign_in"] {
            db.execute_unprepared(&format!("ALTER TABLE instances DROP COLUMN {column}"))
                .await?;
        }
        for column in ["emailed", "session_id"] {
            db.execute_unprepared(&format!("ALTER TABLE sign_in_codes DROP COLUMN {column}"))
                .await?;
        }
        manager
            .drop_table(Table::drop().table(RecoveryCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Factors::Table).to_owned())
            .await
    }
}
