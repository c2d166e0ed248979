use sea_orm::entity::prelude::*;

/// A passkey ceremony under way: registering a passkey, giving one as a second factor, or
/// signing in with one. `state` is webauthn-rs's state of the ceremony as JSON (the challenge
/// and the credentials it allows); the row is spent (deleted) by the answer that finishes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passkey_ceremonies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The employee's instance; empty for a console admin's ceremony.
    pub instance_id: Option<String>,
    /// `register`, `factor` or `sign_in`.
    pub purpose: String,
    /// What only the browser that began it holds: the session (`register`), the pending
    /// second-factor step (`factor`), or a hash of the pre-session cookie (`sign_in`).
    pub bound_to: String,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
