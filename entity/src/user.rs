use sea_orm::entity::prelude::*;

/// Whether an account may sign in. `Locked` is set by an administrator; the automatic lockout
/// after failed sign-ins is temporary and kept apart (`sign_in_throttles`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "disabled")]
    Disabled,
    #[sea_orm(string_value = "locked")]
    Locked,
}

impl UserStatus {
    /// The stored value, as events, audit details and access decisions name it.
    pub fn name(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::Locked => "locked",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// SCIM's `name.givenName` and `name.familyName`.
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// A JSON object of the SCIM attributes a provisioning client sent that have no column
    /// of their own (title, the enterprise extension…), kept and returned as sent.
    pub scim_attributes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
