use crate::cols::{id, instant};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    InstanceId,
    ActorKind,
    ActorId,
    ActorName,
    Action,
    TargetKind,
    TargetId,
    Outcome,
    Summary,
    ClientIp,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Audit events outlive what they describe: no foreign keys, deleting an instance keeps
        // the record of who deleted it.
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(id(AuditEvents::Id))
                    .col(
                        ColumnDef::new(AuditEvents::InstanceId)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ActorKind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ActorId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ActorName)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::Action)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::TargetKind)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::TargetId).string_len(36).null())
                    .col(
                        ColumnDef::new(AuditEvents::Outcome)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Summary).json().not_null())
                    .col(ColumnDef::new(AuditEvents::ClientIp).string_len(64).null())
                    .col(instant(AuditEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_instance")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::InstanceId)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
