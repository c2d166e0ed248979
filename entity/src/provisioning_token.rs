use sea_orm::entity::prelude::*;

/// A SCIM provisioning token of one instance: its secret is shown once at creation and kept
/// only as a SHA-256 hash. Revoked tokens stay listed, refused.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provisioning_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub name: String,
    /// Hex SHA-256 of the token's secret.
    pub secret_hash: String,
    /// Who created it (an admin's or API token's name).
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
