use sea_orm::entity::prelude::*;

/// One authorization of an OIDC client for an employee: its code (single use) and what every
/// token issued from it carries. Revoking it revokes them all.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_grants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub application_id: String,
    pub user_id: String,
    /// The employee session it was given in; `None` once it outlives it (`offline_access`).
    pub session_id: Option<String>,
    /// Hex SHA-256 of the authorization code.
    pub code_hash: String,
    pub redirect_uri: String,
    pub nonce: Option<String>,
    /// The PKCE `S256` challenge, when the client sent one.
    pub code_challenge: Option<String>,
    /// The granted scopes, separated by spaces.
    pub scope: String,
    pub auth_time: DateTimeUtc,
    /// The session's sign-in methods, comma-separated (the `amr` claim).
    pub auth_methods: String,
    pub acr: String,
    pub created_at: DateTimeUtc,
    pub code_expires_at: DateTimeUtc,
    pub redeemed_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
