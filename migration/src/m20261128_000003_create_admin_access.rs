use crate::cols::{id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
    Username,
    PasswordHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleBindings {
    Table,
    Id,
    PrincipalKind,
    PrincipalId,
    Role,
    InstanceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AdminSessions {
    Table,
    Id,
    AdminId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Admins::Table)
                    .col(id(Admins::Id))
                    .col(
                        ColumnDef::new(Admins::Username)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Admins::PasswordHash).text().not_null())
                    .col(instant(Admins::CreatedAt))
                    .col(instant(Admins::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Role bindings point at admins or tokens and at instances; they are removed by the
        // code that removes either, in the same transaction, so no foreign key is declared.
        manager
            .create_table(
                Table::create()
                    .table(RoleBindings::Table)
                    .col(id(RoleBindings::Id))
                    .col(
                        ColumnDef::new(RoleBindings::PrincipalKind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(reference(RoleBindings::PrincipalId))
                    .col(ColumnDef::new(RoleBindings::Role).string_len(32).not_null())
                    .col(
                        ColumnDef::new(RoleBindings::InstanceId)
                            .string_len(36)
                            .null(),
                    )
                    .col(instant(RoleBindings::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_role_bindings_principal")
                    .table(RoleBindings::Table)
                    .col(RoleBindings::PrincipalKind)
                    .col(RoleBindings::PrincipalId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(id(ApiTokens::Id))
                    .col(ColumnDef::new(ApiTokens::Name).string_len(128).not_null())
                    .col(reference(ApiTokens::CreatedBy))
                    .col(instant(ApiTokens::CreatedAt))
                    .col(instant(ApiTokens::ExpiresAt))
                    .col(
                        ColumnDef::new(ApiTokens::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ApiTokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdminSessions::Table)
                    .col(id(AdminSessions::Id))
                    .col(reference(AdminSessions::AdminId))
                    .col(instant(AdminSessions::CreatedAt))
                    .col(instant(AdminSessions::ExpiresAt))
                    .col(instant(AdminSessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl(AdminSessions::Table)
                            .from_col(AdminSessions::AdminId)
                            .to_tbl(Admins::Table)
                            .to_col(Admins::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AdminSessions::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            RoleBindings::Table.into_iden(),
            Admins::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
