use sea_orm::entity::prelude::*;

/// An application an employee session sent an assertion to (a SAML session participant), with
/// the NameID and SessionIndex it got: what single logout sends back to it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saml_session_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: String,
    pub name_id: String,
    pub name_id_format: String,
    pub session_index: String,
    pub first_at: DateTimeUtc,
    pub last_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
