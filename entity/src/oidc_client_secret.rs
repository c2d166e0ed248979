use sea_orm::entity::prelude::*;

/// A client secret of an OIDC client, kept as a SHA-256 hash. Shown once when generated; the
/// one it replaced stays valid until `expires_at` (the rotation's overlap).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_client_secrets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub application_id: String,
    /// Hex SHA-256 of the secret.
    pub secret_hash: String,
    /// The secret's last four characters, to tell secrets apart in the console.
    pub hint: String,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
