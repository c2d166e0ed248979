use crate::cols::{cascade_to, id, instant, reference};
use crate::m20261128_000001_create_instances::Instances;
use crate::m20261128_000002_create_directory::Users;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Id,
    InstanceId,
    Algorithm,
    State,
    CertificatePem,
    PrivateKeySealed,
    NotAfter,
    CreatedAt,
    ActivatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    InstanceId,
    TemplateId,
    Name,
    Enabled,
    SsoEnabled,
    Initiation,
    Params,
    SpEntityIdOverride,
    AcsUrlOverride,
    NameIdFormat,
    AccountMode,
    NameIdSuffix,
    DefaultRelayState,
    SignResponse,
    SignAssertion,
    SignatureAlgorithm,
    SpCertificatePem,
    AuthnRequestsSigned,
    AssertionLifetimeSecs,
    AttributeStatements,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApplicationAccounts {
    Table,
    Id,
    InstanceId,
    ApplicationId,
    UserId,
    AccountName,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleBindings {
    Table,
    ApplicationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(id(SigningKeys::Id))
                    .col(reference(SigningKeys::InstanceId))
                    .col(
                        ColumnDef::new(SigningKeys::Algorithm)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SigningKeys::State).string_len(16).not_null())
                    .col(
                        ColumnDef::new(SigningKeys::CertificatePem)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::PrivateKeySealed)
                            .text()
                            .not_null(),
                    )
                    .col(instant(SigningKeys::NotAfter))
                    .col(instant(SigningKeys::CreatedAt))
                    .col(
                        ColumnDef::new(SigningKeys::ActivatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::RetiredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        SigningKeys::Table,
                        SigningKeys::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_signing_keys_instance")
                    .table(SigningKeys::Table)
                    .col(SigningKeys::InstanceId)
                    .col(SigningKeys::State)
                    .to_owned(),
            )
            .await?;

        let flag = |name: Applications, default: bool| {
            ColumnDef::new(name)
                .boolean()
                .not_null()
                .default(default)
                .to_owned()
        };
        let text_null = |name: Applications| ColumnDef::new(name).text().null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(id(Applications::Id))
                    .col(reference(Applications::InstanceId))
                    .col(
                        ColumnDef::new(Applications::TemplateId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::Name)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(flag(Applications::Enabled, true))
                    .col(flag(Applications::SsoEnabled, true))
                    .col(
                        ColumnDef::new(Applications::Initiation)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Applications::Params).json().not_null())
                    .col(text_null(Applications::SpEntityIdOverride))
                    .col(text_null(Applications::AcsUrlOverride))
                    .col(ColumnDef::new(Applications::NameIdFormat).text().not_null())
                    .col(
                        ColumnDef::new(Applications::AccountMode)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(text_null(Applications::NameIdSuffix))
                    .col(text_null(Applications::DefaultRelayState))
                    .col(flag(Applications::SignResponse, false))
                    .col(flag(Applications::SignAssertion, true))
                    .col(
                        ColumnDef::new(Applications::SignatureAlgorithm)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(text_null(Applications::SpCertificatePem))
                    .col(flag(Applications::AuthnRequestsSigned, false))
                    .col(
                        ColumnDef::new(Applications::AssertionLifetimeSecs)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::AttributeStatements)
                            .json()
                            .not_null(),
                    )
                    .col(instant(Applications::CreatedAt))
                    .col(instant(Applications::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        Applications::Table,
                        Applications::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_applications_instance")
                    .table(Applications::Table)
                    .col(Applications::InstanceId)
                    .col(Applications::Name)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApplicationAccounts::Table)
                    .col(id(ApplicationAccounts::Id))
                    .col(reference(ApplicationAccounts::InstanceId))
                    .col(reference(ApplicationAccounts::ApplicationId))
                    .col(reference(ApplicationAccounts::UserId))
                    .col(
                        ColumnDef::new(ApplicationAccounts::AccountName)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(instant(ApplicationAccounts::CreatedAt))
                    .col(instant(ApplicationAccounts::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        ApplicationAccounts::Table,
                        ApplicationAccounts::ApplicationId,
                        Applications::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        ApplicationAccounts::Table,
                        ApplicationAccounts::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ux_application_accounts_user", ApplicationAccounts::UserId),
            (
                "ux_application_accounts_name",
                ApplicationAccounts::AccountName,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ApplicationAccounts::Table)
                        .col(ApplicationAccounts::ApplicationId)
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }

        // An application-admin role binding names its application.
        manager
            .alter_table(
                Table::alter()
                    .table(RoleBindings::Table)
                    .add_column(
                        ColumnDef::new(RoleBindings::ApplicationId)
                            .string_len(36)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RoleBindings::Table)
                    .drop_column(RoleBindings::ApplicationId)
                    .to_owned(),
            )
            .await?;
        for table in [
            ApplicationAccounts::Table.into_iden(),
            Applications::Table.into_iden(),
            SigningKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
