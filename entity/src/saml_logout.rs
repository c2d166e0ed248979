use sea_orm::entity::prelude::*;

/// One single logout: the session it ended (by its user), and the LogoutRequest that started
/// it when a service provider did (`None` from the portal), to answer when it is done.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saml_logouts")]
pub struct Model {
    /// Random, unguessable: the logout pages' address.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    /// `None` when the request named no session this server knows.
    pub user_id: Option<String>,
    pub initiator_application_id: Option<String>,
    pub initiator_request_id: Option<String>,
    pub relay_state: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
