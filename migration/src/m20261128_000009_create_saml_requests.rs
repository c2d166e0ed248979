use crate::cols::{cascade_to, id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SamlRequests {
    Table,
    Id,
    ApplicationId,
    RequestId,
    AcsUrl,
    RelayState,
    ForceAuthn,
    ReceivedAt,
    ExpiresAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SamlRequests::Table)
                    .col(id(SamlRequests::Id))
                    .col(reference(SamlRequests::ApplicationId))
                    .col(
                        ColumnDef::new(SamlRequests::RequestId)
                            .string_len(256)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlRequests::AcsUrl)
                            .string_len(1024)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SamlRequests::RelayState)
                            .string_len(80)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SamlRequests::ForceAuthn)
                            .boolean()
                            .not_null(),
                    )
                    .col(instant(SamlRequests::ReceivedAt))
                    .col(instant(SamlRequests::ExpiresAt))
                    .col(
                        ColumnDef::new(SamlRequests::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        SamlRequests::Table,
                        SamlRequests::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // The replay defence: an AuthnRequest ID is accepted once per application, on every
        // node sharing the database.
        manager
            .create_index(
                Index::create()
                    .name("ux_saml_requests_request_id")
                    .table(SamlRequests::Table)
                    .col(SamlRequests::ApplicationId)
                    .col(SamlRequests::RequestId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SamlRequests::Table).to_owned())
            .await
    }
}
