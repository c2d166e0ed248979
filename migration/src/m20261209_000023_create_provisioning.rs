//! SCIM provisioning (issue 21). `provisioning_tokens` are the bearer tokens an HR system or
//! another directory calls `/scim/v2/{instance}` with: one instance each, shown once and
//! stored as a SHA-256 hash of their 256-bit secret, revocable, with their last use.
//!
//! Users gain the SCIM attributes Lanyard keeps: `given_name` and `family_name` (SCIM's
//! `name.givenName`/`name.familyName`, which OIDC's `profile` claims use too) and
//! `scim_attributes`, a JSON object of the attributes a provisioning client sent that have no
//! column of their own (title, the enterprise extension's employee number, department, manager
//! and the rest), kept and returned rather than dropped. Groups gain `external_id`, the
//! provisioning client's own id for them, indexed as the users' is.

use crate::cols::{cascade_to, id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProvisioningTokens {
    Table,
    Id,
    InstanceId,
    Name,
    SecretHash,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    GivenName,
    FamilyName,
    ScimAttributes,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    InstanceId,
    ExternalId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProvisioningTokens::Table)
                    .col(id(ProvisioningTokens::Id))
                    .col(reference(ProvisioningTokens::InstanceId))
                    .col(
                        ColumnDef::new(ProvisioningTokens::Name)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProvisioningTokens::SecretHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(ProvisioningTokens::CreatedBy)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(instant(ProvisioningTokens::CreatedAt))
                    .col(
                        ColumnDef::new(ProvisioningTokens::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ProvisioningTokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        ProvisioningTokens::Table,
                        ProvisioningTokens::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_provisioning_tokens_instance")
                    .table(ProvisioningTokens::Table)
                    .col(ProvisioningTokens::InstanceId)
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Users::GivenName)
                .string_len(128)
                .null()
                .to_owned(),
            ColumnDef::new(Users::FamilyName)
                .string_len(128)
                .null()
                .to_owned(),
            ColumnDef::new(Users::ScimAttributes)
                .text()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Groups::Table)
                    .add_column(ColumnDef::new(Groups::ExternalId).string_len(128).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_groups_external_id")
                    .table(Groups::Table)
                    .col(Groups::InstanceId)
                    .col(Groups::ExternalId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_groups_external_id")
                    .table(Groups::Table)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE groups DROP COLUMN external_id")
            .await?;
        for column in ["given_name", "family_name", "scim_attributes"] {
            db.execute_unprepared(&format!("ALTER TABLE users DROP COLUMN {column}"))
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ProvisioningTokens::Table).to_owned())
            .await
    }
}
