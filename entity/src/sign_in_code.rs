use sea_orm::entity::prelude::*;

/// A second factor an employee owes after the password (or, stepping up, during a session):
/// the pending step's row. When `emailed`, an emailed one-time code is waiting for her; the
/// code is derived from the id under a server key and not stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub user_id: String,
    /// Where the employee goes once signed in (the portal's `continue` reference).
    pub continue_to: String,
    pub client_ip: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub failed_attempts: i32,
    pub used_at: Option<DateTimeUtc>,
    /// Whether a code was emailed for this row.
    pub emailed: bool,
    /// Stepping up: the session that gains the factor (none: a new session opens).
    pub session_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
