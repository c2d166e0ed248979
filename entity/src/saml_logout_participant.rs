use sea_orm::entity::prelude::*;

/// A session participant a single logout sends a LogoutRequest to, and what it answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saml_logout_participants")]
pub struct Model {
    /// The ID of the LogoutRequest sent: the LogoutResponse's `InResponseTo`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub request_id: String,
    pub logout_id: String,
    pub application_id: String,
    pub name_id: String,
    pub name_id_format: String,
    pub session_index: String,
    /// `waiting`, `sent`, `confirmed` (Success) or `failed` (another status).
    pub state: String,
    /// The status codes the SP answered, space-separated.
    pub status: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
