use sea_orm::entity::prelude::*;

/// What a single-use link lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TokenPurpose {
    /// Set the first password of an invited user.
    #[sea_orm(string_value = "invite")]
    Invite,
    /// Replace a forgotten password.
    #[sea_orm(string_value = "reset")]
    Reset,
}

/// A single-use, expiring token of an emailed link. Only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub user_id: String,
    pub purpose: TokenPurpose,
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
