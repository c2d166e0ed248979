use sea_orm::entity::prelude::*;

/// What kind of second factor a [`Model`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum FactorKind {
    /// An authenticator app's time-based codes (RFC 6238); `secret` is the sealed key.
    #[sea_orm(string_value = "totp")]
    Totp,
    /// A WebAuthn credential (passkey or security key); `secret` is the library's credential
    /// record as JSON, `credential_id` its id.
    #[sea_orm(string_value = "passkey")]
    Passkey,
}

/// A second factor of an employee (`owner_kind` "user") or of a console admin ("admin").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The user's instance; none for an admin.
    pub instance_id: Option<String>,
    pub owner_kind: String,
    pub owner_id: String,
    pub kind: FactorKind,
    /// The name its owner gave it ("Phone", "YubiKey").
    pub name: String,
    pub secret: String,
    /// A passkey's credential id (base64url), unique on the server.
    pub credential_id: Option<String>,
    /// The last time step whose TOTP code was accepted: a code of it or before is refused.
    pub last_step: Option<i64>,
    /// False while an authenticator app's enrolment waits for its first code.
    pub confirmed: bool,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
