//! GraphQL of applications: the marketplace, applications and their SSO settings, SP
//! metadata import and application accounts.

use async_graphql::{
    ComplexObject, Context, Enum, InputObject, Json, Object, Result, SimpleObject, ID,
};
use chrono::{DateTime, Utc};
use entity::{application_account, user};

use super::access::{AccessGrant, ApplicationAccess, AuthorizationScope};
use super::connection::{Page, PageArgs};
use super::directory::{ImportRowError, User};
use super::gate;
use super::state;
use crate::apps::accounts::{self, Mapping};
use crate::apps::applications::{self, Changes, Resolved};
use crate::apps::sp_metadata;
use crate::apps::templates::{self, AttributeStatement as DomainAttribute, ParamKind, Template};
use crate::authz::admin::actions;
use crate::directory::{batch, users};
use crate::keys;
use crate::saml::endpoints;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::application::Initiation")]
pub enum Initiation {
    /// From the portal (IdP-initiated) and from the application (SP-initiated).
    IdpOrSp,
    /// Only from the application's own login page.
    SpOnly,
}

/// What becomes the NameID ("application account name property").
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::application::AccountMode")]
pub enum AccountMode {
    /// The IDaaS username.
    Username,
    /// The IDaaS email address.
    Email,
    /// The user's application account; SSO is refused to users without one.
    AppAccount,
    /// The user's application account, else the IDaaS username.
    AppAccountOrUsername,
}

#[derive(SimpleObject)]
pub struct TemplateParam {
    key: &'static str,
    /// In the language of the request.
    label: String,
    /// In the language of the request.
    description: String,
    /// `ALIBABA_ACCOUNT_ID` (16 digits), `RAM_NAME`, `RAM_ROLE_LIST` (comma-separated) or
    /// `SESSION_DURATION` (900–43200 seconds).
    kind: &'static str,
    required: bool,
}

/// A marketplace entry.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ApplicationTemplate {
    id: &'static str,
    name: &'static str,
    /// In the language of the request.
    description: String,
    /// In the language of the request.
    category: String,
    /// A data: URI of the logo.
    logo: &'static str,
    protocol: &'static str,
    params: Vec<TemplateParam>,
    #[graphql(skip)]
    template: &'static Template,
}

impl From<&'static Template> for ApplicationTemplate {
    fn from(t: &'static Template) -> Self {
        let lang = crate::i18n::current();
        let params = t
            .params
            .iter()
            .map(|p| TemplateParam {
                key: p.key,
                label: p.label_in(lang),
                description: p.description_in(lang),
                kind: match p.kind {
                    ParamKind::AlibabaAccountId => "ALIBABA_ACCOUNT_ID",
                    ParamKind::RamName => "RAM_NAME",
                    ParamKind::RamRoleList => "RAM_ROLE_LIST",
                    ParamKind::SessionDuration => "SESSION_DURATION",
                },
                required: p.required,
            })
            .collect();
        ApplicationTemplate {
            id: t.id,
            name: t.name,
            description: t.description_in(lang),
            category: t.category_in(lang),
            logo: t.logo,
            protocol: t.protocol,
            params,
            template: t,
        }
    }
}

#[ComplexObject]
impl ApplicationTemplate {
    /// The SAML settings the template derives when given no parameters (placeholders shown
    /// as `<accountId>`).
    async fn derived_preview(&self) -> DerivedSettings {
        let params = self
            .template
            .params
            .iter()
            .map(|p| {
                (
                    p.key.to_owned(),
                    serde_json::Value::String(format!("<{}>", p.key)),
                )
            })
            .collect();
        let derived = self.template.derive(&params);
        DerivedSettings {
            sp_entity_id: derived.sp_entity_id,
            acs_url: derived.acs_url,
            name_id_format: derived.name_id_format.to_owned(),
            name_id_suffix: derived.name_id_suffix,
            default_relay_state: derived.default_relay_state,
        }
    }
}

#[derive(SimpleObject)]
pub struct DerivedSettings {
    sp_entity_id: Option<String>,
    acs_url: Option<String>,
    name_id_format: String,
    name_id_suffix: Option<String>,
    default_relay_state: Option<String>,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "AttributeStatementInput")]
pub struct AttributeStatement {
    name: String,
    /// Defaults to `urn:oasis:names:tc:SAML:2.0:attrname-format:basic`.
    #[graphql(default)]
    name_format: String,
    /// `username`, `email`, `displayName`, `phone`, `externalId`, `nameId`, or `literal`.
    source: String,
    /// The values of a `literal` attribute.
    #[graphql(default)]
    values: Vec<String>,
}

impl From<DomainAttribute> for AttributeStatement {
    fn from(a: DomainAttribute) -> Self {
        AttributeStatement {
            name: a.name,
            name_format: a.name_format,
            source: a.source,
            values: a.values,
        }
    }
}

/// The NameID a user would get, or why there is none.
#[derive(SimpleObject)]
pub struct NameIdResult {
    name_id: Option<String>,
    reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct ApplicationAccount {
    id: ID,
    account_name: String,
    user_id: ID,
    user: Option<User>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ApplicationAccount {
    fn new(account: application_account::Model, user: Option<user::Model>) -> Self {
        ApplicationAccount {
            id: ID(account.id),
            account_name: account.account_name,
            user_id: ID(account.user_id),
            user: user.map(User::from),
            created_at: account.created_at,
            updated_at: account.updated_at,
        }
    }
}

/// Attaches the users of a page of accounts in one query.
async fn with_users(
    ctx: &Context<'_>,
    instance_id: &str,
    rows: Vec<application_account::Model>,
) -> Result<Vec<ApplicationAccount>> {
    let ids: Vec<String> = rows.iter().map(|a| a.user_id.clone()).collect();
    let users = batch::users(&state(ctx)?.directory, instance_id, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|account| {
            let user = users.get(&account.user_id).cloned();
            ApplicationAccount::new(account, user)
        })
        .collect())
}

/// An application of an instance and its SSO settings.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Application {
    id: ID,
    instance_id: ID,
    name: String,
    template: ApplicationTemplate,
    enabled: bool,
    sso_enabled: bool,
    initiation: Initiation,
    /// The template's parameters, e.g. `{"accountId": "…"}`.
    params: Json<serde_json::Value>,
    /// The SP's entity ID (audience): the override, else what the template derives.
    sp_entity_id: Option<String>,
    sp_entity_id_overridden: bool,
    /// Where responses are posted: the override, else what the template derives.
    acs_url: Option<String>,
    acs_url_overridden: bool,
    name_id_format: String,
    account_mode: AccountMode,
    /// Appended as `@suffix` to NameIDs without an `@`.
    name_id_suffix: Option<String>,
    default_relay_state: Option<String>,
    sign_response: bool,
    sign_assertion: bool,
    signature_algorithm: String,
    assertion_lifetime_seconds: i32,
    sp_certificate_pem: Option<String>,
    /// When the SP's signing certificate expires.
    sp_certificate_not_after: Option<DateTime<Utc>>,
    authn_requests_signed: bool,
    /// The SP's certificate that assertions are encrypted for.
    sp_encryption_certificate_pem: Option<String>,
    /// When the SP's encryption certificate expires.
    sp_encryption_certificate_not_after: Option<DateTime<Utc>>,
    /// Whether assertions travel encrypted for the SP (signed, then encrypted).
    encrypt_assertions: bool,
    /// The content cipher: `aes256-gcm`, or `aes128-cbc` / `aes256-cbc` for old SPs.
    assertion_encryption: String,
    /// The SP's SingleLogoutService: where LogoutRequests go (and LogoutResponses, unless
    /// `sloResponseUrl` says otherwise).
    slo_url: Option<String>,
    slo_response_url: Option<String>,
    /// `redirect` (HTTP-Redirect) or `post` (HTTP-POST).
    slo_binding: String,
    /// Whether the application takes part in single logout (it needs `sloUrl` too).
    single_logout: bool,
    /// The template's attributes, then the admin's.
    attribute_statements: Vec<AttributeStatement>,
    /// Settings still missing before SSO can work (e.g. `params.accountId`).
    missing_settings: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[graphql(skip)]
    resolved: Resolved,
}

impl From<Resolved> for Application {
    fn from(app: Resolved) -> Self {
        let m = &app.model;
        Application {
            id: ID(m.id.clone()),
            instance_id: ID(m.instance_id.clone()),
            name: m.name.clone(),
            template: app.template.into(),
            enabled: m.enabled,
            sso_enabled: m.sso_enabled,
            initiation: m.initiation.into(),
            params: Json(m.params.clone()),
            sp_entity_id: app.sp_entity_id(),
            sp_entity_id_overridden: m.sp_entity_id_override.is_some(),
            acs_url: app.acs_url(),
            acs_url_overridden: m.acs_url_override.is_some(),
            name_id_format: m.name_id_format.clone(),
            account_mode: m.account_mode.into(),
            name_id_suffix: app.name_id_suffix(),
            default_relay_state: m.default_relay_state.clone(),
            sign_response: m.sign_response,
            sign_assertion: m.sign_assertion,
            signature_algorithm: m.signature_algorithm.clone(),
            assertion_lifetime_seconds: m.assertion_lifetime_secs,
            sp_certificate_pem: m.sp_certificate_pem.clone(),
            sp_certificate_not_after: m
                .sp_certificate_pem
                .as_deref()
                .and_then(keys::certificate_not_after),
            sp_encryption_certificate_not_after: m
                .sp_encryption_certificate_pem
                .as_deref()
                .and_then(keys::certificate_not_after),
            authn_requests_signed: m.authn_requests_signed,
            sp_encryption_certificate_pem: m.sp_encryption_certificate_pem.clone(),
            encrypt_assertions: m.encrypt_assertions,
            assertion_encryption: m.assertion_encryption.clone(),
            slo_url: m.slo_url.clone(),
            slo_response_url: m.slo_response_url.clone(),
            slo_binding: m.slo_binding.clone(),
            single_logout: m.single_logout,
            attribute_statements: app
                .attribute_statements()
                .into_iter()
                .map(Into::into)
                .collect(),
            missing_settings: app.incomplete(),
            created_at: m.created_at,
            updated_at: m.updated_at,
            resolved: app,
        }
    }
}

#[ComplexObject]
impl Application {
    /// This application's IdP entity ID (what the SP trusts).
    async fn idp_entity_id(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(endpoints::entity_id(
            &state(ctx)?.config.public_url,
            &self.resolved.model.id,
        ))
    }
    async fn idp_sso_url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(endpoints::sso_url(
            &state(ctx)?.config.public_url,
            &self.resolved.model.id,
        ))
    }
    /// Where the IdP metadata downloads from (public).
    async fn idp_metadata_url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(endpoints::metadata_url(
            &state(ctx)?.config.public_url,
            &self.resolved.model.id,
        ))
    }
    /// The IdP metadata XML to upload to the service provider: the same document the public
    /// download serves, signed with the instance's active key.
    async fn idp_metadata(&self, ctx: &Context<'_>) -> Result<String> {
        if self.resolved.template.is_oidc() {
            return Err(crate::error::AppError::bad_input(
                "idpMetadata",
                "an OpenID Connect application has no SAML metadata: see oidc.discoveryUrl",
            )
            .into());
        }
        let signed =
            crate::saml::metadata::for_application(&state(ctx)?.saml, &self.resolved.model).await?;
        Ok(String::clone(&signed))
    }
    /// Application accounts ordered by account name. Action: `readApplication`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<Page<ApplicationAccount>> {
        let permit =
            gate::application(ctx, actions::ReadApplication, &self.resolved.model.id).await?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = accounts::list(
            &state(ctx)?.apps,
            &permit,
            search.as_deref(),
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        let accounts = with_users(ctx, permit.instance_id(), rows).await?;
        Ok(page.connection(accounts, total, |a| a.account_name.clone(), |a| a))
    }

    /// The OpenID Connect client registration of an application added from an OIDC
    /// template; none for SAML applications.
    async fn oidc(&self, ctx: &Context<'_>) -> Result<Option<super::oidc::OidcClient>> {
        super::oidc::of_application(ctx, &self.resolved).await
    }

    /// Who may single-sign-on: all members of the instance, or those granted.
    async fn authorization_scope(&self) -> AuthorizationScope {
        ApplicationAccess(&self.resolved).scope()
    }

    /// The grants of the authorization scope (used while it is `MANUAL`), oldest first.
    /// Action: `readApplication`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn access_grants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AccessGrant>> {
        ApplicationAccess(&self.resolved)
            .grants(ctx, first, after)
            .await
    }

    /// The active users the authorization scope lets in, groups and org-unit subtrees
    /// resolved, by username. The instance's own access policies and each sign-in's context
    /// still apply on top. Action: `readApplication`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn effective_users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<User>> {
        ApplicationAccess(&self.resolved)
            .effective_users(ctx, first, after)
            .await
    }

    /// The NameID `userId` would get, or the reason there is none. Action: `readApplication`.
    async fn name_id_for(&self, ctx: &Context<'_>, user_id: ID) -> Result<NameIdResult> {
        let permit =
            gate::application(ctx, actions::ReadApplication, &self.resolved.model.id).await?;
        let state = state(ctx)?;
        let user = users::find_in(&state.store.conn, permit.instance_id(), &user_id).await?;
        Ok(
            match applications::preview_name_id(&state.apps, &self.resolved, &user).await? {
                Ok(name_id) => NameIdResult {
                    name_id: Some(name_id),
                    reason: None,
                },
                Err(reason) => NameIdResult {
                    name_id: None,
                    reason: Some(reason),
                },
            },
        )
    }
}

#[derive(Default)]
pub struct AppsQuery;

#[Object]
impl AppsQuery {
    /// Templates whose name, description or category contain every word of `search`.
    /// Action: `readMarketplace`.
    async fn marketplace(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        category: Option<String>,
    ) -> Result<Vec<ApplicationTemplate>> {
        gate::platform(ctx, actions::ReadMarketplace)?;
        Ok(templates::search(search.as_deref(), category.as_deref())
            .into_iter()
            .map(ApplicationTemplate::from)
            .collect())
    }

    /// One application by id. Action: `readApplication`.
    async fn application(&self, ctx: &Context<'_>, id: ID) -> Result<Application> {
        let permit = gate::application(ctx, actions::ReadApplication, &id).await?;
        Ok(Application::from(
            applications::get(&state(ctx)?.apps, &permit).await?,
        ))
    }
}

/// The applications of an instance, for `Instance.applications`. Action: `readApplications`.
pub(crate) async fn instance_applications(
    ctx: &Context<'_>,
    instance_id: &str,
    first: Option<i32>,
    after: Option<String>,
    search: Option<String>,
) -> Result<Page<Application>> {
    let state = state(ctx)?;
    let permit = gate::instance(ctx, actions::ReadApplications, instance_id)?;
    let page = PageArgs::parse(first, after)?;
    let (rows, total) = applications::list(
        &state.apps,
        &permit,
        search.as_deref(),
        page.after.as_deref(),
        page.fetch(),
    )
    .await?;
    Ok(page.connection(rows, total, |a| a.model.id.clone(), Application::from))
}

#[derive(InputObject)]
pub struct AddApplicationInput {
    instance_id: ID,
    /// A marketplace template id, e.g. `alibaba-cloud-user-sso-intl`.
    template_id: String,
    name: String,
    /// Template parameters now, or later with `configureApplicationSso`.
    params: Option<Json<serde_json::Value>>,
}

#[derive(InputObject)]
pub struct UpdateApplicationInput {
    id: ID,
    name: Option<String>,
    enabled: Option<bool>,
}

/// SSO settings to change; omitted fields stay. For the text overrides an empty string
/// returns to what the template derives.
#[derive(InputObject, Default)]
pub struct ConfigureApplicationSsoInput {
    id: ID,
    /// Template parameters to set (merged into the current ones), e.g. `{"accountId": "…"}`.
    params: Option<Json<serde_json::Value>>,
    sso_enabled: Option<bool>,
    initiation: Option<Initiation>,
    account_mode: Option<AccountMode>,
    name_id_format: Option<String>,
    /// `""` for none.
    name_id_suffix: Option<String>,
    default_relay_state: Option<String>,
    sign_response: Option<bool>,
    sign_assertion: Option<bool>,
    /// `rsa-sha256` or `rsa-sha512`.
    signature_algorithm: Option<String>,
    assertion_lifetime_seconds: Option<i32>,
    sp_entity_id: Option<String>,
    acs_url: Option<String>,
    sp_certificate_pem: Option<String>,
    authn_requests_signed: Option<bool>,
    /// The SP's encryption certificate (RSA), PEM or base64; `""` removes it.
    sp_encryption_certificate_pem: Option<String>,
    /// Encrypt assertions for the SP (needs its encryption certificate).
    encrypt_assertions: Option<bool>,
    /// `aes256-gcm` (the default), or `aes128-cbc` / `aes256-cbc` for SPs that cannot do GCM.
    assertion_encryption: Option<String>,
    /// The SP's SingleLogoutService URL; `""` removes it.
    slo_url: Option<String>,
    /// Where LogoutResponses go, when not to `sloUrl`; `""` removes it.
    slo_response_url: Option<String>,
    /// `redirect` (the default) or `post`.
    slo_binding: Option<String>,
    /// Take part in single logout (the default when `sloUrl` is set).
    single_logout: Option<bool>,
    /// Replaces the admin's attribute statements.
    attribute_statements: Option<Vec<AttributeStatement>>,
}

#[derive(InputObject)]
pub struct ImportSpMetadataInput {
    id: ID,
    /// The SP's metadata XML (at most 256 KiB, no DOCTYPE).
    metadata_xml: String,
}

#[derive(InputObject)]
pub struct ApplicationRefInput {
    id: ID,
}

#[derive(InputObject)]
pub struct SetApplicationAccountInput {
    application_id: ID,
    user_id: ID,
    account_name: String,
}

#[derive(InputObject)]
pub struct RemoveApplicationAccountInput {
    application_id: ID,
    user_id: ID,
}

#[derive(InputObject)]
pub struct AccountRow {
    user_id: ID,
    account_name: String,
}

#[derive(InputObject)]
pub struct UpsertApplicationAccountsInput {
    application_id: ID,
    /// 1 to 1000 rows; all are applied, or none.
    accounts: Vec<AccountRow>,
}

#[derive(SimpleObject)]
pub struct ApplicationPayload {
    application: Application,
}

impl ApplicationPayload {
    pub fn new(application: Application) -> Self {
        ApplicationPayload { application }
    }
}

#[derive(SimpleObject)]
pub struct DeleteApplicationPayload {
    deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct ApplicationAccountPayload {
    account: ApplicationAccount,
}

#[derive(SimpleObject)]
pub struct RemoveApplicationAccountPayload {
    /// False when the user had no account (nothing changed).
    removed: bool,
}

#[derive(SimpleObject)]
pub struct UpsertApplicationAccountsPayload {
    ok: bool,
    count: i32,
    errors: Vec<ImportRowError>,
}

#[derive(Default)]
pub struct AppsMutation;

#[Object]
impl AppsMutation {
    /// Adds an application from a marketplace template. Action: `createApplication`.
    async fn add_application(
        &self,
        ctx: &Context<'_>,
        input: AddApplicationInput,
    ) -> Result<ApplicationPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::CreateApplication, &input.instance_id)?;
        let app = applications::add(
            &state.apps,
            &permit,
            &input.template_id,
            &input.name,
            input.params.as_ref().map(|p| &p.0),
        )
        .await?;
        Ok(ApplicationPayload {
            application: Application::from(app),
        })
    }

    /// Renames, enables or disables an application. Action: `updateApplication`.
    async fn update_application(
        &self,
        ctx: &Context<'_>,
        input: UpdateApplicationInput,
    ) -> Result<ApplicationPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        let changes = Changes {
            name: input.name,
            enabled: input.enabled,
            ..Changes::default()
        };
        Ok(ApplicationPayload {
            application: Application::from(
                applications::update(&state(ctx)?.apps, &permit, changes).await?,
            ),
        })
    }

    /// Changes SSO settings. Action: `updateApplication`.
    async fn configure_application_sso(
        &self,
        ctx: &Context<'_>,
        input: ConfigureApplicationSsoInput,
    ) -> Result<ApplicationPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        let changes = Changes {
            sso_enabled: input.sso_enabled,
            initiation: input.initiation.map(Into::into),
            params: input.params.map(|p| p.0),
            account_mode: input.account_mode.map(Into::into),
            name_id_format: input.name_id_format,
            name_id_suffix: input.name_id_suffix,
            default_relay_state: input.default_relay_state,
            sign_response: input.sign_response,
            sign_assertion: input.sign_assertion,
            signature_algorithm: input.signature_algorithm,
            assertion_lifetime_secs: input.assertion_lifetime_seconds,
            sp_entity_id: input.sp_entity_id,
            acs_url: input.acs_url,
            sp_certificate_pem: input.sp_certificate_pem,
            authn_requests_signed: input.authn_requests_signed,
            sp_encryption_certificate_pem: input.sp_encryption_certificate_pem,
            encrypt_assertions: input.encrypt_assertions,
            assertion_encryption: input.assertion_encryption,
            slo_url: input.slo_url,
            slo_response_url: input.slo_response_url,
            slo_binding: input.slo_binding,
            single_logout: input.single_logout,
            attribute_statements: input.attribute_statements.map(|list| {
                list.into_iter()
                    .map(|a| DomainAttribute {
                        name: a.name,
                        name_format: a.name_format,
                        source: a.source,
                        values: a.values,
                    })
                    .collect()
            }),
            ..Changes::default()
        };
        Ok(ApplicationPayload {
            application: Application::from(
                applications::update(&state(ctx)?.apps, &permit, changes).await?,
            ),
        })
    }

    /// Fills the SP entity ID, ACS URL, SP certificate, "AuthnRequests signed", the
    /// encryption certificate and the SingleLogoutService from the SP's metadata. Action:
    /// `updateApplication`.
    async fn import_sp_metadata(
        &self,
        ctx: &Context<'_>,
        input: ImportSpMetadataInput,
    ) -> Result<ApplicationPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        let parsed = sp_metadata::parse(&input.metadata_xml)?;
        let changes = Changes {
            sp_entity_id: Some(parsed.entity_id),
            acs_url: Some(parsed.acs_url),
            sp_certificate_pem: Some(parsed.signing_certificate.clone().unwrap_or_default()),
            authn_requests_signed: Some(
                parsed.authn_requests_signed && parsed.signing_certificate.is_some(),
            ),
            sp_encryption_certificate_pem: parsed.encryption_certificate.clone(),
            slo_url: parsed.single_logout.as_ref().map(|s| s.url.clone()),
            slo_response_url: parsed
                .single_logout
                .as_ref()
                .map(|s| s.response_url.clone().unwrap_or_default()),
            slo_binding: parsed
                .single_logout
                .as_ref()
                .map(|s| if s.post { "post" } else { "redirect" }.to_owned()),
            ..Changes::default()
        };
        Ok(ApplicationPayload {
            application: Application::from(
                applications::update(&state(ctx)?.apps, &permit, changes).await?,
            ),
        })
    }

    /// Action: `deleteApplication`.
    async fn delete_application(
        &self,
        ctx: &Context<'_>,
        input: ApplicationRefInput,
    ) -> Result<DeleteApplicationPayload> {
        let permit = gate::application(ctx, actions::DeleteApplication, &input.id).await?;
        applications::delete(&state(ctx)?.apps, &permit).await?;
        Ok(DeleteApplicationPayload {
            deleted_id: input.id,
        })
    }

    /// Sets (adds or changes) a user's account name. Action: `manageApplicationAccounts`.
    async fn set_application_account(
        &self,
        ctx: &Context<'_>,
        input: SetApplicationAccountInput,
    ) -> Result<ApplicationAccountPayload> {
        let permit = gate::application(
            ctx,
            actions::ManageApplicationAccounts,
            &input.application_id,
        )
        .await?;
        let state = state(ctx)?;
        let app = applications::get(&state.apps, &permit).await?;
        let account = accounts::set_one(
            &state.apps,
            &permit,
            &app,
            &input.user_id,
            &input.account_name,
        )
        .await?;
        let mut with = with_users(ctx, permit.instance_id(), vec![account]).await?;
        Ok(ApplicationAccountPayload {
            account: with.remove(0),
        })
    }

    /// Action: `manageApplicationAccounts`.
    async fn remove_application_account(
        &self,
        ctx: &Context<'_>,
        input: RemoveApplicationAccountInput,
    ) -> Result<RemoveApplicationAccountPayload> {
        let permit = gate::application(
            ctx,
            actions::ManageApplicationAccounts,
            &input.application_id,
        )
        .await?;
        Ok(RemoveApplicationAccountPayload {
            removed: accounts::remove(&state(ctx)?.apps, &permit, &input.user_id).await?,
        })
    }

    /// Sets many account names at once, all or none; running it again changes nothing.
    /// Action: `manageApplicationAccounts`.
    async fn upsert_application_accounts(
        &self,
        ctx: &Context<'_>,
        input: UpsertApplicationAccountsInput,
    ) -> Result<UpsertApplicationAccountsPayload> {
        let permit = gate::application(
            ctx,
            actions::ManageApplicationAccounts,
            &input.application_id,
        )
        .await?;
        let state = state(ctx)?;
        let app = applications::get(&state.apps, &permit).await?;
        let rows = input
            .accounts
            .into_iter()
            .map(|r| Mapping {
                user_id: r.user_id.0,
                account_name: r.account_name,
            })
            .collect();
        Ok(
            match accounts::upsert(&state.apps, &permit, &app, rows).await? {
                Ok(saved) => UpsertApplicationAccountsPayload {
                    ok: true,
                    count: saved.len() as i32,
                    errors: vec![],
                },
                Err(errors) => UpsertApplicationAccountsPayload {
                    ok: false,
                    count: 0,
                    errors: errors.into_iter().map(ImportRowError::from).collect(),
                },
            },
        )
    }
}
