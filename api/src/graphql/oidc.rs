//! GraphQL of OpenID Connect clients: an OIDC application's registration (`Application.oidc`),
//! its changes, and its client secrets (generated, shown once, rotated with an overlap).

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::apps::{Application, ApplicationPayload};
use super::{gate, state};
use crate::apps::applications::Resolved;
use crate::authz::admin::actions;
use crate::oidc::clients::{self, AuthMethod, Changes, Client, ClientType};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OidcClientType {
    /// A server-side application that keeps a secret or a private key.
    Confidential,
    /// A browser or native application: no secret, PKCE required.
    Public,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OidcAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

impl From<ClientType> for OidcClientType {
    fn from(kind: ClientType) -> Self {
        match kind {
            ClientType::Confidential => OidcClientType::Confidential,
            ClientType::Public => OidcClientType::Public,
        }
    }
}

impl From<OidcClientType> for ClientType {
    fn from(kind: OidcClientType) -> Self {
        match kind {
            OidcClientType::Confidential => ClientType::Confidential,
            OidcClientType::Public => ClientType::Public,
        }
    }
}

impl From<AuthMethod> for OidcAuthMethod {
    fn from(method: AuthMethod) -> Self {
        match method {
            AuthMethod::ClientSecretBasic => OidcAuthMethod::ClientSecretBasic,
            AuthMethod::ClientSecretPost => OidcAuthMethod::ClientSecretPost,
            AuthMethod::PrivateKeyJwt => OidcAuthMethod::PrivateKeyJwt,
            AuthMethod::None => OidcAuthMethod::None,
        }
    }
}

impl From<OidcAuthMethod> for AuthMethod {
    fn from(method: OidcAuthMethod) -> Self {
        match method {
            OidcAuthMethod::ClientSecretBasic => AuthMethod::ClientSecretBasic,
            OidcAuthMethod::ClientSecretPost => AuthMethod::ClientSecretPost,
            OidcAuthMethod::PrivateKeyJwt => AuthMethod::PrivateKeyJwt,
            OidcAuthMethod::None => AuthMethod::None,
        }
    }
}

/// A claim of the ID token and userinfo and where its value comes from.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "OidcClaimInput")]
pub struct OidcClaim {
    /// The claim's name, e.g. `department`.
    name: String,
    /// `username`, `email`, `displayName`, `phone`, `externalId`, `groups`, `orgUnits`,
    /// `appAccount` or `literal`.
    source: String,
    /// The values of a `literal` claim.
    #[graphql(default)]
    values: Vec<String>,
}

/// A client secret, never its value: its last four characters and how long it is valid.
#[derive(SimpleObject)]
pub struct OidcClientSecret {
    id: ID,
    /// The secret's last four characters.
    hint: String,
    created_at: DateTime<Utc>,
    /// When it stops working (a rotation's overlap); none while it is the current one.
    expires_at: Option<DateTime<Utc>>,
}

/// The OpenID Connect registration of an application.
#[derive(SimpleObject)]
pub struct OidcClient {
    /// The client ID: the application's id.
    client_id: ID,
    /// The instance's issuer, `{public_url}/oidc/{instance}`.
    issuer: String,
    discovery_url: String,
    client_type: OidcClientType,
    auth_method: OidcAuthMethod,
    /// Matched exactly.
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    /// Where the portal's tile starts the application's login (third-party initiated login).
    initiate_login_uri: Option<String>,
    /// The scopes the client may be granted.
    scopes: Vec<String>,
    claims: Vec<OidcClaim>,
    /// The client's public keys (JWKS) for `PRIVATE_KEY_JWT`.
    jwks: Option<String>,
    /// The one algorithm its assertions are signed with: RS256, PS256 or ES256.
    assertion_algorithm: Option<String>,
    id_token_lifetime_seconds: i32,
    access_token_lifetime_seconds: i32,
    refresh_token_lifetime_seconds: i32,
    /// The secrets that still work, newest first.
    secrets: Vec<OidcClientSecret>,
    /// Settings still missing before anyone can sign in (e.g. `redirectUris`).
    missing_settings: Vec<String>,
}

impl OidcClient {
    fn new(
        public_url: &str,
        client: Client,
        secrets: Vec<entity::oidc_client_secret::Model>,
    ) -> Self {
        let issuer = crate::oidc::issuer(public_url, &client.instance_id);
        OidcClient {
            client_id: ID(client.application_id.clone()),
            discovery_url: format!("{issuer}/.well-known/openid-configuration"),
            issuer,
            client_type: client.client_type.into(),
            auth_method: client.auth_method.into(),
            missing_settings: client.incomplete(),
            redirect_uris: client.redirect_uris,
            post_logout_redirect_uris: client.post_logout_redirect_uris,
            initiate_login_uri: client.initiate_login_uri,
            scopes: client.scopes,
            claims: client
                .claims
                .into_iter()
                .map(|c| OidcClaim {
                    name: c.name,
                    source: c.source,
                    values: c.values,
                })
                .collect(),
            jwks: client.jwks,
            assertion_algorithm: client.assertion_alg,
            id_token_lifetime_seconds: client.id_token_lifetime_secs,
            access_token_lifetime_seconds: client.access_token_lifetime_secs,
            refresh_token_lifetime_seconds: client.refresh_token_lifetime_secs,
            secrets: secrets
                .into_iter()
                .map(|s| OidcClientSecret {
                    id: ID(s.id),
                    hint: s.hint,
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                })
                .collect(),
        }
    }
}

/// `Application.oidc`: the registration of an OIDC application, none for a SAML one.
pub async fn of_application(ctx: &Context<'_>, app: &Resolved) -> Result<Option<OidcClient>> {
    let state = state(ctx)?;
    let Some(client) = clients::for_application(&state.oidc, app).await? else {
        return Ok(None);
    };
    let secrets = clients::secrets(&state.store.conn, &app.model.id).await?;
    Ok(Some(OidcClient::new(
        &state.config.public_url,
        client,
        secrets,
    )))
}

/// OpenID Connect settings to change; omitted fields stay.
#[derive(InputObject, Default)]
pub struct ConfigureApplicationOidcInput {
    id: ID,
    client_type: Option<OidcClientType>,
    auth_method: Option<OidcAuthMethod>,
    /// Replaces the redirect URIs: https (http only on localhost), no fragment, at most 20.
    redirect_uris: Option<Vec<String>>,
    post_logout_redirect_uris: Option<Vec<String>>,
    /// `""` removes it.
    initiate_login_uri: Option<String>,
    /// Among openid, profile, email, phone, groups, offline_access; openid is required.
    scopes: Option<Vec<String>>,
    /// Replaces the mapped claims.
    claims: Option<Vec<OidcClaim>>,
    /// A JWKS document of the client's public keys; `""` removes it.
    jwks: Option<String>,
    assertion_algorithm: Option<String>,
    /// 60–86400.
    id_token_lifetime_seconds: Option<i32>,
    /// 60–86400.
    access_token_lifetime_seconds: Option<i32>,
    /// 300–31536000.
    refresh_token_lifetime_seconds: Option<i32>,
}

#[derive(InputObject)]
pub struct RotateOidcClientSecretInput {
    id: ID,
    /// How long the secrets it replaces keep working, 0 to 2592000 seconds (30 days).
    #[graphql(default = 86400)]
    overlap_seconds: i32,
}

#[derive(InputObject)]
pub struct RevokeOidcClientSecretInput {
    id: ID,
    secret_id: ID,
}

#[derive(SimpleObject)]
pub struct RotateOidcClientSecretPayload {
    application: Application,
    /// The new secret, shown this once.
    secret: String,
}

#[derive(Default)]
pub struct OidcMutation;

async fn reloaded(ctx: &Context<'_>, id: &str) -> Result<Application> {
    let state = state(ctx)?;
    let permit = gate::application(ctx, actions::ReadApplication, id).await?;
    Ok(Application::from(
        crate::apps::applications::get(&state.apps, &permit).await?,
    ))
}

#[Object]
impl OidcMutation {
    /// Changes an OIDC application's client registration. Action: `updateApplication`.
    async fn configure_application_oidc(
        &self,
        ctx: &Context<'_>,
        input: ConfigureApplicationOidcInput,
    ) -> Result<ApplicationPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        let changes = Changes {
            client_type: input.client_type.map(Into::into),
            auth_method: input.auth_method.map(Into::into),
            redirect_uris: input.redirect_uris,
            post_logout_redirect_uris: input.post_logout_redirect_uris,
            initiate_login_uri: input.initiate_login_uri,
            scopes: input.scopes,
            claims: input.claims.map(|claims| {
                claims
                    .into_iter()
                    .map(|c| clients::Claim {
                        name: c.name,
                        source: c.source,
                        values: c.values,
                    })
                    .collect()
            }),
            jwks: input.jwks,
            assertion_alg: input.assertion_algorithm,
            id_token_lifetime_secs: input.id_token_lifetime_seconds,
            access_token_lifetime_secs: input.access_token_lifetime_seconds,
            refresh_token_lifetime_secs: input.refresh_token_lifetime_seconds,
        };
        clients::update(&state(ctx)?.oidc, &permit, changes).await?;
        Ok(ApplicationPayload::new(reloaded(ctx, &input.id).await?))
    }

    /// Generates a new client secret, shown once; the previous ones keep working for the
    /// overlap. Action: `updateApplication`.
    async fn rotate_oidc_client_secret(
        &self,
        ctx: &Context<'_>,
        input: RotateOidcClientSecretInput,
    ) -> Result<RotateOidcClientSecretPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        let generated =
            clients::rotate_secret(&state(ctx)?.oidc, &permit, i64::from(input.overlap_seconds))
                .await?;
        Ok(RotateOidcClientSecretPayload {
            application: reloaded(ctx, &input.id).await?,
            secret: generated.secret,
        })
    }

    /// Ends a client secret now. Action: `updateApplication`.
    async fn revoke_oidc_client_secret(
        &self,
        ctx: &Context<'_>,
        input: RevokeOidcClientSecretInput,
    ) -> Result<ApplicationPayload> {
        let permit = gate::application(ctx, actions::UpdateApplication, &input.id).await?;
        clients::revoke_secret(&state(ctx)?.oidc, &permit, &input.secret_id).await?;
        Ok(ApplicationPayload::new(reloaded(ctx, &input.id).await?))
    }
}
