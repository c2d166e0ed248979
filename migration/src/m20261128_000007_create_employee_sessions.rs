use crate::cols::{cascade_to, id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmployeeSessions {
    Table,
    Id,
    InstanceId,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
    AuthMethods,
    ClientIp,
    UserAgent,
}

#[derive(DeriveIden)]
enum SignInThrottles {
    Table,
    Scope,
    Failures,
    WindowStartedAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum Instances {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A session ends with its user or instance.
        manager
            .create_table(
                Table::create()
                    .table(EmployeeSessions::Table)
                    .col(id(EmployeeSessions::Id))
                    .col(reference(EmployeeSessions::InstanceId))
                    .col(reference(EmployeeSessions::UserId))
                    .col(instant(EmployeeSessions::CreatedAt))
                    .col(instant(EmployeeSessions::ExpiresAt))
                    .col(instant(EmployeeSessions::LastSeenAt))
                    .col(
                        ColumnDef::new(EmployeeSessions::AuthMethods)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmployeeSessions::ClientIp)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmployeeSessions::UserAgent)
                            .string_len(256)
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        EmployeeSessions::Table,
                        EmployeeSessions::InstanceId,
                        Instances::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        EmployeeSessions::Table,
                        EmployeeSessions::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_employee_sessions_user")
                    .table(EmployeeSessions::Table)
                    .col(EmployeeSessions::UserId)
                    .to_owned(),
            )
            .await?;
        // Failed sign-ins per account and per client address. A row per scope, so that every
        // node sharing the database counts the same failures.
        manager
            .create_table(
                Table::create()
                    .table(SignInThrottles::Table)
                    .col(
                        ColumnDef::new(SignInThrottles::Scope)
                            .string_len(160)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SignInThrottles::Failures)
                            .integer()
                            .not_null(),
                    )
                    .col(instant(SignInThrottles::WindowStartedAt))
                    .col(
                        ColumnDef::new(SignInThrottles::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInThrottles::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EmployeeSessions::Table).to_owned())
            .await
    }
}
