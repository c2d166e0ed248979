use sea_orm::entity::prelude::*;

/// A console admin between a correct password and a session: she owes a second factor (or,
/// when one is required and she has none, sets up an authenticator app). The browser holds a
/// short-lived signed cookie naming this row; it is spent once, by a conditional update.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_sign_in_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub admin_id: String,
    pub client_ip: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Wrong codes given for this step.
    pub failed_attempts: i32,
    pub used_at: Option<DateTimeUtc>,
    /// She sets up an authenticator app in this step instead of giving a code.
    pub enrol: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
