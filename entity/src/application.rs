use sea_orm::entity::prelude::*;

/// Who may start SSO into an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Initiation {
    #[sea_orm(string_value = "idp_or_sp")]
    IdpOrSp,
    #[sea_orm(string_value = "sp_only")]
    SpOnly,
}

/// Who may single-sign-on: everyone of the instance, or the users, groups and org units granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AuthorizationScope {
    #[sea_orm(string_value = "all_members")]
    AllMembers,
    #[sea_orm(string_value = "manual")]
    Manual,
}

/// What becomes the SAML NameID of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum AccountMode {
    #[sea_orm(string_value = "username")]
    Username,
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "app_account")]
    AppAccount,
    #[sea_orm(string_value = "app_account_or_username")]
    AppAccountOrUsername,
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub template_id: String,
    pub name: String,
    pub enabled: bool,
    pub sso_enabled: bool,
    pub initiation: Initiation,
    /// The template's parameters, e.g. `{"accountId": "1234567890123456"}`.
    pub params: Json,
    pub sp_entity_id_override: Option<String>,
    pub acs_url_override: Option<String>,
    pub name_id_format: String,
    pub account_mode: AccountMode,
    /// `None`: the template's default suffix (for Alibaba `<AccountID>.onaliyun.com`).
    pub name_id_suffix: Option<String>,
    pub default_relay_state: Option<String>,
    pub sign_response: bool,
    pub sign_assertion: bool,
    pub signature_algorithm: String,
    pub sp_certificate_pem: Option<String>,
    pub authn_requests_signed: bool,
    pub assertion_lifetime_secs: i32,
    /// `[{"name", "format", "value"}]`.
    pub attribute_statements: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub authorization_scope: AuthorizationScope,
    /// The SP's certificate for encrypting assertions to it.
    pub sp_encryption_certificate_pem: Option<String>,
    pub encrypt_assertions: bool,
    /// The content cipher: `aes256-gcm`, or `aes128-cbc` / `aes256-cbc` for old SPs.
    pub assertion_encryption: String,
    /// The SP's SingleLogoutService: where LogoutRequests (and, without a response location,
    /// LogoutResponses) go, and by which binding (`redirect` or `post`).
    pub slo_url: Option<String>,
    pub slo_response_url: Option<String>,
    pub slo_binding: String,
    /// Whether the application takes part in single logout (when it has an SLO URL).
    pub single_logout: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
