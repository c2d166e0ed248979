use sea_orm::entity::prelude::*;

/// The OpenID Connect registration of an application added from an OIDC template.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_clients")]
pub struct Model {
    /// The application, whose id is also the client ID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: String,
    pub instance_id: String,
    /// `confidential` or `public`.
    pub client_type: String,
    /// `client_secret_basic`, `client_secret_post`, `private_key_jwt` or `none`.
    pub auth_method: String,
    /// JSON array of exact redirect URIs.
    pub redirect_uris: String,
    /// JSON array of exact post-logout redirect URIs.
    pub post_logout_redirect_uris: String,
    pub initiate_login_uri: Option<String>,
    /// JSON array of the scopes the client may ask for.
    pub scopes: String,
    /// JSON array of `{name, source, values, scope}`.
    pub claims: String,
    /// The client's public keys (a JWKS document) for `private_key_jwt`.
    pub jwks: Option<String>,
    /// The one algorithm its assertions are signed with (`RS256`, `PS256`, `ES256`).
    pub assertion_alg: Option<String>,
    pub id_token_lifetime_secs: i32,
    pub access_token_lifetime_secs: i32,
    pub refresh_token_lifetime_secs: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
