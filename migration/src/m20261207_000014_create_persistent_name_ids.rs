//! Persistent NameIDs (SAML 2.0 core §8.3.7): one opaque, stable identifier per user and
//! application, made on the first response that needs one and kept across renames. Unique
//! within an application; nothing links the identifiers of one user in two applications.

use crate::cols::{cascade_to, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersistentNameIds {
    Table,
    ApplicationId,
    UserId,
    NameId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersistentNameIds::Table)
                    .col(reference(PersistentNameIds::ApplicationId))
                    .col(reference(PersistentNameIds::UserId))
                    .col(
                        ColumnDef::new(PersistentNameIds::NameId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(instant(PersistentNameIds::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PersistentNameIds::ApplicationId)
                            .col(PersistentNameIds::UserId),
                    )
                    .foreign_key(&mut cascade_to(
                        PersistentNameIds::Table,
                        PersistentNameIds::ApplicationId,
                        Applications::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        PersistentNameIds::Table,
                        PersistentNameIds::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // No two users of an application share one.
        manager
            .create_index(
                Index::create()
                    .name("ux_persistent_name_ids_value")
                    .table(PersistentNameIds::Table)
                    .col(PersistentNameIds::ApplicationId)
                    .col(PersistentNameIds::NameId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A deleted user's rows are found by the user.
        manager
            .create_index(
                Index::create()
                    .name("ix_persistent_name_ids_user")
                    .table(PersistentNameIds::Table)
                    .col(PersistentNameIds::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersistentNameIds::Table).to_owned())
            .await
    }
}
