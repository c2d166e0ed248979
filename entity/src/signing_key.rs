use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum KeyAlgorithm {
    #[sea_orm(string_value = "rsa2048")]
    Rsa2048,
    #[sea_orm(string_value = "rsa3072")]
    Rsa3072,
    #[sea_orm(string_value = "ecdsa_p256")]
    EcdsaP256,
}

/// `pending` (listed in metadata, not signing) → `active` (signing) → `retired` (listed for a
/// grace period so service providers can roll over, then gone from metadata).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum KeyState {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "retired")]
    Retired,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub algorithm: KeyAlgorithm,
    pub state: KeyState,
    pub certificate_pem: String,
    /// The private key, encrypted with a key derived from the master key. Never returned.
    pub private_key_sealed: String,
    pub not_after: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub activated_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
