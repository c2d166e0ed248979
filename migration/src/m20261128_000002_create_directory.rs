use crate::cols::{cascade_to, id, instant, reference};
use crate::m20261128_000001_create_instances::Instances;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    InstanceId,
    Username,
    DisplayName,
    Email,
    Phone,
    Status,
    PasswordHash,
    ExternalId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    InstanceId,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GroupMembers {
    Table,
    GroupId,
    UserId,
    InstanceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
    InstanceId,
    ParentId,
    Name,
    Path,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgUnitMembers {
    Table,
    OrgUnitId,
    UserId,
    InstanceId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(reference(Users::InstanceId))
                    .col(ColumnDef::new(Users::Username).string_len(64).not_null())
                    .col(
                        ColumnDef::new(Users::DisplayName)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Users::Email).string_len(254).null())
                    .col(ColumnDef::new(Users::Phone).string_len(32).null())
                    .col(ColumnDef::new(Users::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Users::PasswordHash).text().null())
                    .col(ColumnDef::new(Users::ExternalId).string_len(128).null())
                    .col(instant(Users::CreatedAt))
                    .col(instant(Users::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        Users::Table,
                        Users::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ux_users_username", Users::Username),
            ("ux_users_email", Users::Email),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Users::Table)
                        .col(Users::InstanceId)
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(id(Groups::Id))
                    .col(reference(Groups::InstanceId))
                    .col(ColumnDef::new(Groups::Name).string_len(128).not_null())
                    .col(ColumnDef::new(Groups::Description).text().not_null())
                    .col(instant(Groups::CreatedAt))
                    .col(instant(Groups::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        Groups::Table,
                        Groups::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_groups_name")
                    .table(Groups::Table)
                    .col(Groups::InstanceId)
                    .col(Groups::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupMembers::Table)
                    .col(reference(GroupMembers::GroupId))
                    .col(reference(GroupMembers::UserId))
                    .col(reference(GroupMembers::InstanceId))
                    .col(instant(GroupMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(GroupMembers::GroupId)
                            .col(GroupMembers::UserId),
                    )
                    .foreign_key(&mut cascade_to(
                        GroupMembers::Table,
                        GroupMembers::GroupId,
                        Groups::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        GroupMembers::Table,
                        GroupMembers::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_group_members_user")
                    .table(GroupMembers::Table)
                    .col(GroupMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgUnits::Table)
                    .col(id(OrgUnits::Id))
                    .col(reference(OrgUnits::InstanceId))
                    .col(ColumnDef::new(OrgUnits::ParentId).string_len(36).null())
                    .col(ColumnDef::new(OrgUnits::Name).string_len(128).not_null())
                    .col(ColumnDef::new(OrgUnits::Path).string_len(1024).not_null())
                    .col(instant(OrgUnits::CreatedAt))
                    .col(instant(OrgUnits::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        OrgUnits::Table,
                        OrgUnits::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_units_path")
                    .table(OrgUnits::Table)
                    .col(OrgUnits::InstanceId)
                    .col(OrgUnits::Path)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgUnitMembers::Table)
                    .col(reference(OrgUnitMembers::OrgUnitId))
                    .col(reference(OrgUnitMembers::UserId))
                    .col(reference(OrgUnitMembers::InstanceId))
                    .col(instant(OrgUnitMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(OrgUnitMembers::OrgUnitId)
                            .col(OrgUnitMembers::UserId),
                    )
                    .foreign_key(&mut cascade_to(
                        OrgUnitMembers::Table,
                        OrgUnitMembers::OrgUnitId,
                        OrgUnits::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        OrgUnitMembers::Table,
                        OrgUnitMembers::UserId,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_unit_members_user")
                    .table(OrgUnitMembers::Table)
                    .col(OrgUnitMembers::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OrgUnitMembers::Table.into_iden(),
            OrgUnits::Table.into_iden(),
            GroupMembers::Table.into_iden(),
            Groups::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
