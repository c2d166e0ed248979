//! The durable outbox (emails and event callbacks), its delivery log, the event subscriptions
//! of instances and the single-use tokens of the invitation and password-reset links.
//!
//! The instants the worker compares in SQL (`next_attempt_ms`, `lease_until_ms`) are integers
//! (Unix milliseconds): SQLite stores timestamps as text, and a comparison of text with a bound
//! value of another format would be wrong without an error.

use crate::cols::{cascade_to, id, instant, reference};
use crate::m20261128_000001_create_instances::Instances;
use crate::m20261128_000002_create_directory::Users;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventSubscriptions {
    Table,
    Id,
    InstanceId,
    Url,
    EventTypes,
    Description,
    Enabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    InstanceId,
    Kind,
    SubscriptionId,
    OrderingKey,
    Topic,
    Recipient,
    Payload,
    Status,
    Attempts,
    NextAttemptMs,
    LeaseOwner,
    LeaseUntilMs,
    LastError,
    CreatedAt,
    UpdatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum DeliveryAttempts {
    Table,
    Id,
    OutboxId,
    InstanceId,
    Attempt,
    StartedAt,
    DurationMs,
    Outcome,
    StatusCode,
    Error,
    ResponseExcerpt,
}

#[derive(DeriveIden)]
enum ActionTokens {
    Table,
    Id,
    InstanceId,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventSubscriptions::Table)
                    .col(id(EventSubscriptions::Id))
                    .col(reference(EventSubscriptions::InstanceId))
                    .col(
                        ColumnDef::new(EventSubscriptions::Url)
                            .string_len(2048)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EventSubscriptions::EventTypes)
                            .json()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EventSubscriptions::Description)
                            .string_len(500)
                            .not_null()
                            .default(""),
                    )
                    .col(
                        ColumnDef::new(EventSubscriptions::Enabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(instant(EventSubscriptions::CreatedAt))
                    .col(instant(EventSubscriptions::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        EventSubscriptions::Table,
                        EventSubscriptions::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_event_subscriptions_instance")
                    .table(EventSubscriptions::Table)
                    .col(EventSubscriptions::InstanceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(id(Outbox::Id))
                    .col(reference(Outbox::InstanceId))
                    .col(ColumnDef::new(Outbox::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Outbox::SubscriptionId).string_len(36).null())
                    .col(ColumnDef::new(Outbox::OrderingKey).string_len(80).null())
                    .col(ColumnDef::new(Outbox::Topic).string_len(64).not_null())
                    .col(
                        ColumnDef::new(Outbox::Recipient)
                            .string_len(2048)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Outbox::Payload).json().not_null())
                    .col(ColumnDef::new(Outbox::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Outbox::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Outbox::NextAttemptMs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Outbox::LeaseOwner).string_len(36).null())
                    .col(ColumnDef::new(Outbox::LeaseUntilMs).big_integer().null())
                    .col(ColumnDef::new(Outbox::LastError).text().null())
                    .col(instant(Outbox::CreatedAt))
                    .col(instant(Outbox::UpdatedAt))
                    .col(
                        ColumnDef::new(Outbox::DeliveredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        Outbox::Table,
                        Outbox::InstanceId,
                        Instances::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        Outbox::Table,
                        Outbox::SubscriptionId,
                        EventSubscriptions::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // What the worker scans: due pending rows, and the earlier pending row of a subject.
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptMs)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_ordering")
                    .table(Outbox::Table)
                    .col(Outbox::OrderingKey)
                    .col(Outbox::Status)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_instance")
                    .table(Outbox::Table)
                    .col(Outbox::InstanceId)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_subscription")
                    .table(Outbox::Table)
                    .col(Outbox::SubscriptionId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeliveryAttempts::Table)
                    .col(id(DeliveryAttempts::Id))
                    .col(reference(DeliveryAttempts::OutboxId))
                    .col(reference(DeliveryAttempts::InstanceId))
                    .col(
                        ColumnDef::new(DeliveryAttempts::Attempt)
                            .integer()
                            .not_null(),
                    )
                    .col(instant(DeliveryAttempts::StartedAt))
                    .col(
                        ColumnDef::new(DeliveryAttempts::DurationMs)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::Outcome)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::StatusCode)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(DeliveryAttempts::Error).text().null())
                    .col(
                        ColumnDef::new(DeliveryAttempts::ResponseExcerpt)
                            .text()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        DeliveryAttempts::Table,
                        DeliveryAttempts::OutboxId,
                        Outbox::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_delivery_attempts_outbox")
                    .table(DeliveryAttempts::Table)
                    .col(DeliveryAttempts::OutboxId)
                    .col(DeliveryAttempts::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionTokens::Table)
                    .col(id(ActionTokens::Id))
                    .col(reference(ActionTokens::InstanceId))
                    .col(reference(ActionTokens::UserId))
                    .col(
                        ColumnDef::new(ActionTokens::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ActionTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(instant(ActionTokens::ExpiresAt))
                    .col(
                        ColumnDef::new(ActionTokens::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(instant(ActionTokens::CreatedAt))
                    .foreign_key(&mut cascade_to(
                        ActionTokens::Table,
                        ActionTokens::InstanceId,
                        Instances::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        ActionTokens::Table,
                        ActionTokens::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_action_tokens_user")
                    .table(ActionTokens::Table)
                    .col(ActionTokens::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ActionTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DeliveryAttempts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EventSubscriptions::Table).to_owned())
            .await
    }
}
