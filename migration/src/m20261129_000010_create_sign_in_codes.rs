use crate::cols::{cascade_to, id, instant, reference};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Instances {
    Table,
    SecondFactor,
}

#[derive(DeriveIden)]
enum SignInCodes {
    Table,
    Id,
    InstanceId,
    UserId,
    ContinueTo,
    ClientIp,
    CreatedAt,
    ExpiresAt,
    FailedAttempts,
    UsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // What an instance asks for after the password: `none` or `email_code`.
        manager
            .alter_table(
                Table::alter()
                    .table(Instances::Table)
                    .add_column(
                        ColumnDef::new(Instances::SecondFactor)
                            .string_len(16)
                            .not_null()
                            .default("none"),
                    )
                    .to_owned(),
            )
            .await?;
        // An emailed one-time code waiting to be typed. The code itself is not stored: it is
        // derived from the row id under a server key, like the links of invitations.
        manager
            .create_table(
                Table::create()
                    .table(SignInCodes::Table)
                    .col(id(SignInCodes::Id))
                    .col(reference(SignInCodes::InstanceId))
                    .col(reference(SignInCodes::UserId))
                    .col(
                        ColumnDef::new(SignInCodes::ContinueTo)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SignInCodes::ClientIp).string_len(64).null())
                    .col(instant(SignInCodes::CreatedAt))
                    .col(instant(SignInCodes::ExpiresAt))
                    .col(
                        ColumnDef::new(SignInCodes::FailedAttempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(SignInCodes::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade_to(
                        SignInCodes::Table,
                        SignInCodes::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sign_in_codes_user_id")
                    .table(SignInCodes::Table)
                    .col(SignInCodes::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInCodes::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Instances::Table)
                    .drop_column(Instances::SecondFactor)
                    .to_owned(),
            )
            .await
    }
}
