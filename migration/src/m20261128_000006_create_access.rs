//! Access decisions: each application's authorization scope and its grants, an instance's own
//! Cedar access policies, and the version counter that tells every server node to reload them.

use crate::cols::{cascade_to, id, instant, reference};
use crate::m20261128_000001_create_instances::Instances;
use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Applications {
    Table,
    AuthorizationScope,
}

#[derive(DeriveIden)]
enum InstancesAccess {
    #[sea_orm(iden = "instances")]
    Table,
    AccessVersion,
}

#[derive(DeriveIden)]
enum AccessGrants {
    Table,
    Id,
    InstanceId,
    ApplicationId,
    SubjectKind,
    SubjectId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessPolicies {
    Table,
    Id,
    InstanceId,
    Name,
    Description,
    Source,
    Enabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(
                        ColumnDef::new(Applications::AuthorizationScope)
                            .string_len(16)
                            .not_null()
                            .default("manual"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(InstancesAccess::Table)
                    .add_column(
                        ColumnDef::new(InstancesAccess::AccessVersion)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessGrants::Table)
                    .col(id(AccessGrants::Id))
                    .col(reference(AccessGrants::InstanceId))
                    .col(reference(AccessGrants::ApplicationId))
                    .col(
                        ColumnDef::new(AccessGrants::SubjectKind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(reference(AccessGrants::SubjectId))
                    .col(instant(AccessGrants::CreatedAt))
                    .foreign_key(&mut cascade_to(
                        AccessGrants::Table,
                        AccessGrants::ApplicationId,
                        Applications::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // One grant per subject and application; the decision's lookup is this index.
        manager
            .create_index(
                Index::create()
                    .name("ux_access_grants_subject")
                    .table(AccessGrants::Table)
                    .col(AccessGrants::ApplicationId)
                    .col(AccessGrants::SubjectKind)
                    .col(AccessGrants::SubjectId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A user's applications, and forgetting a deleted group's or org unit's grants.
        manager
            .create_index(
                Index::create()
                    .name("ix_access_grants_by_subject")
                    .table(AccessGrants::Table)
                    .col(AccessGrants::InstanceId)
                    .col(AccessGrants::SubjectKind)
                    .col(AccessGrants::SubjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessPolicies::Table)
                    .col(id(AccessPolicies::Id))
                    .col(reference(AccessPolicies::InstanceId))
                    .col(
                        ColumnDef::new(AccessPolicies::Name)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccessPolicies::Description)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AccessPolicies::Source).text().not_null())
                    .col(
                        ColumnDef::new(AccessPolicies::Enabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(instant(AccessPolicies::CreatedAt))
                    .col(instant(AccessPolicies::UpdatedAt))
                    .foreign_key(&mut cascade_to(
                        AccessPolicies::Table,
                        AccessPolicies::InstanceId,
                        Instances::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_access_policies_name")
                    .table(AccessPolicies::Table)
                    .col(AccessPolicies::InstanceId)
                    .col(AccessPolicies::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessPolicies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccessGrants::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(InstancesAccess::Table)
                    .drop_column(InstancesAccess::AccessVersion)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .drop_column(Applications::AuthorizationScope)
                    .to_owned(),
            )
            .await
    }
}
