use sea_orm::entity::prelude::*;

/// Who must give a second factor to sign in to the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MfaRequired {
    /// Only where an access policy or an application's request asks for one (step-up).
    #[sea_orm(string_value = "when_asked")]
    WhenAsked,
    /// Every employee, at every sign-in.
    #[sea_orm(string_value = "everyone")]
    Everyone,
}

/// Whether a passkey or security key must verify the employee (a PIN or biometrics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PasskeyUserVerification {
    /// Asked for where the authenticator can; a key without a PIN still serves as a second
    /// factor (signing in without a password always needs it).
    #[sea_orm(string_value = "preferred")]
    Preferred,
    /// At every registration and every use: a key without a PIN cannot be used.
    #[sea_orm(string_value = "required")]
    Required,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "instances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Bumped by every change to the instance's access policies, so that every server node
    /// reloads its cached copy.
    pub access_version: i64,
    pub mfa_required: MfaRequired,
    /// The second factors employees may use, comma-separated: `email_code`, `totp`, `passkey`.
    pub allowed_factors: String,
    /// Whether an employee with a passkey may sign in with it alone (it proves both who she is
    /// and, with user verification, a second factor).
    pub passkey_sign_in: bool,
    pub passkey_user_verification: PasskeyUserVerification,
}

/// The second factors an instance can allow, as `allowed_factors` names them.
pub const FACTORS: [&str; 3] = ["email_code", "totp", "passkey"];

impl Model {
    /// Whether employees may use the factor `name` (one of [`FACTORS`]).
    pub fn allows(&self, name: &str) -> bool {
        self.allowed_factors.split(',').any(|f| f == name)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
