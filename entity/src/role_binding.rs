use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PrincipalKind {
    #[sea_orm(string_value = "admin")]
    Admin,
    #[sea_orm(string_value = "token")]
    Token,
    /// A SCIM provisioning token: it has no role bindings, only its instance.
    #[sea_orm(string_value = "provisioning")]
    Provisioning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Role {
    /// Everything, everywhere.
    #[sea_orm(string_value = "super_admin")]
    SuperAdmin,
    /// Everything inside one instance.
    #[sea_orm(string_value = "instance_admin")]
    InstanceAdmin,
    /// Read-only: of one instance, or of all when `instance_id` is empty.
    #[sea_orm(string_value = "auditor")]
    Auditor,
    /// Everything about one application (`application_id`) of an instance.
    #[sea_orm(string_value = "app_admin")]
    AppAdmin,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_bindings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub principal_kind: PrincipalKind,
    pub principal_id: String,
    pub role: Role,
    pub instance_id: Option<String>,
    pub application_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
