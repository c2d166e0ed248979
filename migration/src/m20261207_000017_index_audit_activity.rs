//! The instance overview counts sign-ins, refusals and SSO decisions of a time range by action:
//! an index on (instance, action, id) makes each count a range scan of that action's recent
//! events (audit ids are UUIDv7, ordered by time). The portal lists an employee's recently used
//! applications: an index on (instance, actor, id) makes that a scan of her own recent events.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    InstanceId,
    Action,
    ActorId,
    Id,
}

const INDEX: &str = "ix_audit_events_instance_action";
const ACTOR_INDEX: &str = "ix_audit_events_instance_actor";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(AuditEvents::Table)
                    .col(AuditEvents::InstanceId)
                    .col(AuditEvents::Action)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(ACTOR_INDEX)
                    .table(AuditEvents::Table)
                    .col(AuditEvents::InstanceId)
                    .col(AuditEvents::ActorId)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [ACTOR_INDEX, INDEX] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(AuditEvents::Table)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
