use sea_orm::entity::prelude::*;

/// An answered AuthnRequest of a service provider. Its (application, request ID) pair is
/// unique, which is the replay defence on every node: a request is answered once. A request
/// waiting for a sign-in is not stored; the browser carries it sealed (`saml::pending`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saml_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    /// The `ID` the service provider gave the request; the response's `InResponseTo`.
    pub request_id: String,
    pub acs_url: String,
    pub relay_state: Option<String>,
    pub force_authn: bool,
    pub received_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
