//! The overview at a million audit events: counts per closed hour, kept beside the audit log.
//! `audit_hourly` holds, per instance and hour, the counted decisions by action, outcome and
//! application (`reason` empty), and the refused SSO by reason (`target_id` empty);
//! `audit_rollup_marks` holds the hour up to which they are complete (one row). The overview
//! reads them for the hours before the mark and the audit log itself after it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditHourly {
    Table,
    InstanceId,
    Hour,
    Action,
    Outcome,
    TargetId,
    Reason,
    N,
}

#[derive(DeriveIden)]
enum AuditRollupMarks {
    Table,
    Id,
    HourDone,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditHourly::Table)
                    .col(ColumnDef::new(AuditHourly::InstanceId).string().not_null())
                    .col(ColumnDef::new(AuditHourly::Hour).big_integer().not_null())
                    .col(ColumnDef::new(AuditHourly::Action).string().not_null())
                    .col(ColumnDef::new(AuditHourly::Outcome).string().not_null())
                    .col(ColumnDef::new(AuditHourly::TargetId).string().not_null())
                    .col(ColumnDef::new(AuditHourly::Reason).string().not_null())
                    .col(ColumnDef::new(AuditHourly::N).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(AuditHourly::InstanceId)
                            .col(AuditHourly::Hour)
                            .col(AuditHourly::Action)
                            .col(AuditHourly::Outcome)
                            .col(AuditHourly::TargetId)
                            .col(AuditHourly::Reason),
                    )
                    .to_owned(),
            )
            .await?;
        // The platform's overview reads every instance's hours.
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_hourly_hour")
                    .table(AuditHourly::Table)
                    .col(AuditHourly::Hour)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditRollupMarks::Table)
                    .col(
                        ColumnDef::new(AuditRollupMarks::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditRollupMarks::HourDone)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditRollupMarks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditHourly::Table).to_owned())
            .await
    }
}
