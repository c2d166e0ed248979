//! The passkey ceremonies under way: what webauthn-rs needs to check the browser's answer (the
//! challenge, and the credentials an authentication allows), kept here for a few minutes and
//! spent once, so that every node can finish a ceremony another began and none finishes it
//! twice. Each row names what it is for and what it is bound to (the session, the pending
//! second-factor step, or the browser's pre-session).

use crate::cols::{cascade_to, id, instant, reference};
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
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasskeyCeremonies::Table)
                    .col(id(PasskeyCeremonies::Id))
                    .col(reference(PasskeyCeremonies::InstanceId))
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
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_passkey_ceremonies_expires")
                    .table(PasskeyCeremonies::Table)
                    .col(PasskeyCeremonies::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasskeyCeremonies::Table).to_owned())
            .await
    }
}
