use sea_orm::entity::prelude::*;

/// What an employee must give after the password to sign in to the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SecondFactor {
    #[sea_orm(string_value = "none")]
    None,
    /// A one-time code sent to the user's email address.
    #[sea_orm(string_value = "email_code")]
    EmailCode,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "instances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Bumped by every change to the instance's access policies, so that every server node
    /// reloads its cached copy.
    pub access_version: i64,
    pub second_factor: SecondFactor,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
