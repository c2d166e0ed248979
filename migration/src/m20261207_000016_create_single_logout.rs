//! Single Logout (SAML 2.0 profiles §4.4): per application, the SP's SLO endpoint, its binding
//! and the switch; per employee session, the applications it sent assertions to (the session
//! participants, with the NameID and SessionIndex they got); and each logout in progress, with
//! what every participant answered.

use crate::cols::{cascade_to, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Applications {
    Table,
    SloUrl,
    SloResponseUrl,
    SloBinding,
    SingleLogout,
}

#[derive(DeriveIden)]
enum EmployeeSessions {
    Table,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
}

#[derive(DeriveIden)]
enum SamlSessionParticipants {
    Table,
    SessionId,
    ApplicationId,
    NameId,
    NameIdFormat,
    SessionIndex,
    FirstAt,
    LastAt,
}

#[derive(DeriveIden)]
enum SamlLogouts {
    Table,
    Id,
    InstanceId,
    UserId,
    InitiatorApplicationId,
    InitiatorRequestId,
    RelayState,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SamlLogoutParticipants {
    Table,
    RequestId,
    LogoutId,
    ApplicationId,
    NameId,
    NameIdFormat,
    SessionIndex,
    State,
    Status,
    AnsweredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let columns = [
            ColumnDef::new(Applications::SloUrl)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Applications::SloResponseUrl)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Applications::SloBinding)
                .string_len(16)
                .not_null()
                .default("redirect")
                .to_owned(),
            ColumnDef::new(Applications::SingleLogout)
                .boolean()
                .not_null()
                .default(true)
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SamlSessionParticipants::Table)
                    .col(reference(SamlSessionParticipants::SessionId))
                    .col(reference(SamlSessionParticipants::ApplicationId))
                    .col(
                        ColumnDef::new(SamlSessionParticipants::NameId)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlSessionParticipants::NameIdFormat)
                            .string_len(256)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlSessionParticipants::SessionIndex)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(instant(SamlSessionParticipants::FirstAt))
                    .col(instant(SamlSessionParticipants::LastAt))
                    .primary_key(
                        Index::create()
                            .col(SamlSessionParticipants::SessionId)
                            .col(SamlSessionParticipants::ApplicationId),
                    )
                    .foreign_key(&mut cascade_to(
                        SamlSessionParticipants::Table,
                        SamlSessionParticipants::SessionId,
                        EmployeeSessions::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        SamlSessionParticipants::Table,
                        SamlSessionParticipants::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_saml_session_participants_application")
                    .table(SamlSessionParticipants::Table)
                    .col(SamlSessionParticipants::ApplicationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SamlLogouts::Table)
                    .col(
                        ColumnDef::new(SamlLogouts::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(reference(SamlLogouts::InstanceId))
                    .col(ColumnDef::new(SamlLogouts::UserId).string_len(36).null())
                    .col(
                        ColumnDef::new(SamlLogouts::InitiatorApplicationId)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SamlLogouts::InitiatorRequestId)
                            .string_len(256)
                            .null(),
                    )
                    .col(ColumnDef::new(SamlLogouts::RelayState).text().null())
                    .col(instant(SamlLogouts::CreatedAt))
                    .col(instant(SamlLogouts::ExpiresAt))
                    .foreign_key(&mut cascade_to(
                        SamlLogouts::Table,
                        SamlLogouts::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // A LogoutRequest of an application is acted on once (replays are refused).
        manager
            .create_index(
                Index::create()
                    .name("ux_saml_logouts_request")
                    .table(SamlLogouts::Table)
                    .col(SamlLogouts::InitiatorApplicationId)
                    .col(SamlLogouts::InitiatorRequestId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_saml_logouts_expires")
                    .table(SamlLogouts::Table)
                    .col(SamlLogouts::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SamlLogoutParticipants::Table)
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::RequestId)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(reference(SamlLogoutParticipants::LogoutId))
                    .col(reference(SamlLogoutParticipants::ApplicationId))
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::NameId)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::NameIdFormat)
                            .string_len(256)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::SessionIndex)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::State)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SamlLogoutParticipants::Status).text().null())
                    .col(
                        ColumnDef::new(SamlLogoutParticipants::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        SamlLogoutParticipants::Table,
                        SamlLogoutParticipants::LogoutId,
                        SamlLogouts::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        SamlLogoutParticipants::Table,
                        SamlLogoutParticipants::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_saml_logout_participants_logout")
                    .table(SamlLogoutParticipants::Table)
                    .col(SamlLogoutParticipants::LogoutId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SamlLogoutParticipants::Table.into_iden(),
            SamlLogouts::Table.into_iden(),
            SamlSessionParticipants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Applications::SloUrl,
            Applications::SloResponseUrl,
            Applications::SloBinding,
            Applications::SingleLogout,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
