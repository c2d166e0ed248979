//! OIDC client registrations: one per application added from an OIDC template, its client ID
//! being the application's id. An application without a stored registration has the default
//! one (confidential, `client_secret_basic`, no redirect URI yet), so every OIDC application
//! is a client from the moment it is added; the first change stores it.
//!
//! Client secrets are generated here (256 bits), shown once, and kept as SHA-256 hashes. A
//! rotation keeps the previous secret valid for an overlap the admin chooses (0 to 30 days) so
//! that the relying party can be redeployed without an outage.

use chrono::{DateTime, Duration, Utc};
use entity::{oidc_client, oidc_client_secret};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Oidc;
use crate::apps::applications::{self, Resolved};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, ApplicationPermit};
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, random_secret};

/// What every client secret starts with, so that secret scanners can tell one.
pub const SECRET_PREFIX: &str = "lanyard_oidc_";
const SECRET_CHARS: usize = 43;
const MAX_URIS: usize = 20;
const MAX_URI_LEN: usize = 1024;
const MAX_CLAIMS: usize = 50;
/// The longest overlap a rotation keeps the previous secret for.
pub const MAX_OVERLAP_SECS: i64 = 30 * 24 * 3600;

/// Token lifetimes: default and bounds, in seconds.
pub const ID_TOKEN_LIFETIME: (i32, i32, i32) = (3600, 60, 86_400);
pub const ACCESS_TOKEN_LIFETIME: (i32, i32, i32) = (3600, 60, 86_400);
pub const REFRESH_TOKEN_LIFETIME: (i32, i32, i32) = (30 * 86_400, 300, 365 * 86_400);

/// Whether the client can keep a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientType {
    Confidential,
    /// A browser or native app: no secret, PKCE required.
    Public,
}

impl ClientType {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientType::Confidential => "confidential",
            ClientType::Public => "public",
        }
    }

    fn parse(raw: &str) -> Option<ClientType> {
        match raw {
            "confidential" => Some(ClientType::Confidential),
            "public" => Some(ClientType::Public),
            _ => None,
        }
    }
}

/// How the client authenticates at the token, revocation and introspection endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 4] = [
        AuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretPost,
        AuthMethod::PrivateKeyJwt,
        AuthMethod::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::None => "none",
        }
    }

    pub fn parse(raw: &str) -> Option<AuthMethod> {
        AuthMethod::ALL.into_iter().find(|m| m.as_str() == raw)
    }
}

/// The algorithms a `private_key_jwt` assertion may be registered with.
pub const ASSERTION_ALGORITHMS: [&str; 3] = ["RS256", "PS256", "ES256"];

/// A claim of the ID token and userinfo, with where its value comes from: `username`,
/// `email`, `displayName`, `phone`, `externalId`, `groups`, `orgUnits`, `appAccount` (the
/// employee's account in this application) or `literal` (`values`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub values: Vec<String>,
}

pub const CLAIM_SOURCES: [&str; 9] = [
    "username",
    "email",
    "displayName",
    "phone",
    "externalId",
    "groups",
    "orgUnits",
    "appAccount",
    "literal",
];

/// Claims the provider sets itself: a mapping may not replace them.
const RESERVED_CLAIMS: [&str; 17] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "at_hash",
    "c_hash",
    "scope",
    "client_id",
];

/// A client's registration, parsed.
#[derive(Clone, Debug)]
pub struct Client {
    pub application_id: String,
    pub instance_id: String,
    pub client_type: ClientType,
    pub auth_method: AuthMethod,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub initiate_login_uri: Option<String>,
    pub scopes: Vec<String>,
    pub claims: Vec<Claim>,
    /// The JWKS document registered for `private_key_jwt`.
    pub jwks: Option<String>,
    pub assertion_alg: Option<String>,
    pub id_token_lifetime_secs: i32,
    pub access_token_lifetime_secs: i32,
    pub refresh_token_lifetime_secs: i32,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Client {
    /// The registration of an application never configured.
    fn default_for(app: &Resolved) -> Client {
        Client {
            application_id: app.model.id.clone(),
            instance_id: app.model.instance_id.clone(),
            client_type: ClientType::Confidential,
            auth_method: AuthMethod::ClientSecretBasic,
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            initiate_login_uri: None,
            scopes: super::SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            claims: Vec::new(),
            jwks: None,
            assertion_alg: None,
            id_token_lifetime_secs: ID_TOKEN_LIFETIME.0,
            access_token_lifetime_secs: ACCESS_TOKEN_LIFETIME.0,
            refresh_token_lifetime_secs: REFRESH_TOKEN_LIFETIME.0,
            updated_at: None,
        }
    }

    fn from_row(row: oidc_client::Model) -> AppResult<Client> {
        let list = |field: &str, text: &str| -> AppResult<Vec<String>> {
            serde_json::from_str(text).map_err(|err| {
                AppError::Internal(anyhow::anyhow!("stored OIDC client {field}: {err}"))
            })
        };
        Ok(Client {
            client_type: ClientType::parse(&row.client_type).unwrap_or(ClientType::Confidential),
            auth_method: AuthMethod::parse(&row.auth_method)
                .unwrap_or(AuthMethod::ClientSecretBasic),
            redirect_uris: list("redirect URIs", &row.redirect_uris)?,
            post_logout_redirect_uris: list(
                "post-logout redirect URIs",
                &row.post_logout_redirect_uris,
            )?,
            scopes: list("scopes", &row.scopes)?,
            claims: serde_json::from_str(&row.claims).map_err(|err| {
                AppError::Internal(anyhow::anyhow!("stored OIDC client claims: {err}"))
            })?,
            application_id: row.application_id,
            instance_id: row.instance_id,
            initiate_login_uri: row.initiate_login_uri,
            jwks: row.jwks,
            assertion_alg: row.assertion_alg,
            id_token_lifetime_secs: row.id_token_lifetime_secs,
            access_token_lifetime_secs: row.access_token_lifetime_secs,
            refresh_token_lifetime_secs: row.refresh_token_lifetime_secs,
            updated_at: Some(row.updated_at),
        })
    }

    fn to_row(&self) -> AppResult<oidc_client::ActiveModel> {
        Ok(oidc_client::ActiveModel {
            application_id: Set(self.application_id.clone()),
            instance_id: Set(self.instance_id.clone()),
            client_type: Set(self.client_type.as_str().to_owned()),
            auth_method: Set(self.auth_method.as_str().to_owned()),
            redirect_uris: Set(to_text(&self.redirect_uris)?),
            post_logout_redirect_uris: Set(to_text(&self.post_logout_redirect_uris)?),
            initiate_login_uri: Set(self.initiate_login_uri.clone()),
            scopes: Set(to_text(&self.scopes)?),
            claims: Set(to_text(&self.claims)?),
            jwks: Set(self.jwks.clone()),
            assertion_alg: Set(self.assertion_alg.clone()),
            id_token_lifetime_secs: Set(self.id_token_lifetime_secs),
            access_token_lifetime_secs: Set(self.access_token_lifetime_secs),
            refresh_token_lifetime_secs: Set(self.refresh_token_lifetime_secs),
            updated_at: Set(Utc::now()),
        })
    }

    /// Where the portal's tile sends the employee: the client's `initiate_login_uri`
    /// (third-party initiated login, with `iss`), else the origin of its first redirect URI.
    pub fn launch_url(&self, issuer: &str) -> Option<String> {
        if let Some(uri) = &self.initiate_login_uri {
            let mut url = url::Url::parse(uri).ok()?;
            url.query_pairs_mut().append_pair("iss", issuer);
            return Some(url.into());
        }
        let first = self.redirect_uris.first()?;
        let url = url::Url::parse(first).ok()?;
        matches!(url.scheme(), "https" | "http").then(|| url.origin().ascii_serialization())
    }

    /// Why the client cannot sign anyone in yet, if it cannot.
    pub fn incomplete(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.redirect_uris.is_empty() {
            missing.push("redirectUris".to_owned());
        }
        if self.auth_method == AuthMethod::PrivateKeyJwt && self.jwks.is_none() {
            missing.push("jwks".to_owned());
        }
        missing
    }
}

/// A registration's list field as stored.
fn to_text<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|err| AppError::Internal(err.into()))
}

/// The registration of an OIDC application (the default one when none is stored).
pub async fn of<C: ConnectionTrait>(db: &C, app: &Resolved) -> AppResult<Client> {
    match oidc_client::Entity::find_by_id(app.model.id.as_str())
        .one(db)
        .await?
    {
        Some(row) => Client::from_row(row),
        None => Ok(Client::default_for(app)),
    }
}

/// A registration as the token endpoint reads it: the client and its secrets' hashes with
/// their ends.
pub struct Registration {
    pub client: Client,
    secrets: Vec<(String, Option<DateTime<Utc>>)>,
}

/// The registration of an OIDC application from this node's cache.
async fn registration(oidc: &Oidc, app: &Resolved) -> AppResult<std::sync::Arc<Registration>> {
    let ticket = match oidc.registrations.get(&app.model.id) {
        Ok(found) => return Ok(found),
        Err(ticket) => ticket,
    };
    let client = of(oidc.store.reads(), app).await?;
    let secrets = oidc_client_secret::Entity::find()
        .filter(oidc_client_secret::Column::ApplicationId.eq(app.model.id.as_str()))
        .all(oidc.store.reads())
        .await?
        .into_iter()
        .map(|s| (s.secret_hash, s.expires_at))
        .collect();
    let found = std::sync::Arc::new(Registration { client, secrets });
    oidc.registrations
        .keep(ticket, &app.model.id, found.clone());
    Ok(found)
}

/// A client of `instance_id` by its client ID: the application and its registration, when the
/// ID names an OIDC application of that instance.
pub async fn find(
    oidc: &Oidc,
    instance_id: &str,
    client_id: &str,
) -> AppResult<Option<(std::sync::Arc<Resolved>, Client)>> {
    if !crate::ids::plausible_id(client_id) {
        return Ok(None);
    }
    let Some(app) = applications::cached(&oidc.apps, client_id).await? else {
        return Ok(None);
    };
    if app.model.instance_id != instance_id || !app.template.is_oidc() {
        return Ok(None);
    }
    let client = registration(oidc, &app).await?.client.clone();
    Ok(Some((app, client)))
}

/// What an admin changes of a registration; `None` leaves a setting as it is.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub client_type: Option<ClientType>,
    pub auth_method: Option<AuthMethod>,
    pub redirect_uris: Option<Vec<String>>,
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// `Some("")` clears it.
    pub initiate_login_uri: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub claims: Option<Vec<Claim>>,
    /// `Some("")` clears it.
    pub jwks: Option<String>,
    pub assertion_alg: Option<String>,
    pub id_token_lifetime_secs: Option<i32>,
    pub access_token_lifetime_secs: Option<i32>,
    pub refresh_token_lifetime_secs: Option<i32>,
}

/// Parses a client type as the API names it.
pub fn client_type(raw: &str) -> AppResult<ClientType> {
    ClientType::parse(raw).ok_or_else(|| {
        AppError::bad_input(
            "clientType",
            format!("{raw:?} is not a client type: confidential or public"),
        )
    })
}

/// Parses an authentication method as the API names it.
pub fn auth_method(raw: &str) -> AppResult<AuthMethod> {
    AuthMethod::parse(raw).ok_or_else(|| {
        AppError::bad_input(
            "authMethod",
            format!(
                "{raw:?} is not a client authentication method: client_secret_basic, \
                 client_secret_post, private_key_jwt or none"
            ),
        )
    })
}

/// A redirect URI as registered: absolute, no fragment, at most 1024 characters; `https`, or
/// `http` on a loopback host (native apps), or a private-use scheme with a dot
/// (`com.example.app:/callback`, RFC 8252) for public clients.
pub fn check_redirect_uri(field: &str, raw: &str, public: bool) -> AppResult<String> {
    let value = raw.trim();
    let refuse = |why: &str| AppError::bad_input(field, format!("{value:?} {why}"));
    if value.is_empty() || value.len() > MAX_URI_LEN {
        return Err(refuse("must be 1 to 1024 characters"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse("contains spaces or control characters"));
    }
    let url = url::Url::parse(value).map_err(|_| refuse("is not an absolute URI"))?;
    if url.fragment().is_some() {
        return Err(refuse("has a fragment, which a redirect URI may not have"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("carries user credentials"));
    }
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    let ok = match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => loopback,
        scheme => public && scheme.contains('.'),
    };
    if !ok {
        return Err(refuse(
            "must use https (http only on localhost, a private-use scheme such as \
             com.example.app: only for public clients)",
        ));
    }
    Ok(value.to_owned())
}

fn check_uris(field: &str, uris: &[String], public: bool) -> AppResult<Vec<String>> {
    if uris.len() > MAX_URIS {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_URIS} URIs may be registered"),
        ));
    }
    let mut checked: Vec<String> = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let uri = check_redirect_uri(&format!("{field}[{i}]"), uri, public)?;
        if !checked.contains(&uri) {
            checked.push(uri);
        }
    }
    Ok(checked)
}

fn check_lifetime(field: &str, value: i32, (_, min, max): (i32, i32, i32)) -> AppResult<i32> {
    if !(min..=max).contains(&value) {
        return Err(AppError::bad_input(
            field,
            format!("{field} must be from {min} to {max} seconds, not {value}"),
        ));
    }
    Ok(value)
}

fn check_claims(claims: &[Claim]) -> AppResult<Vec<Claim>> {
    if claims.len() > MAX_CLAIMS {
        return Err(AppError::bad_input(
            "claims",
            format!("at most {MAX_CLAIMS} claims"),
        ));
    }
    let mut checked: Vec<Claim> = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let field = format!("claims[{i}]");
        let name = claim.name.trim();
        let valid_name = !name.is_empty()
            && name.len() <= 128
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'));
        if !valid_name {
            return Err(AppError::bad_input(
                format!("{field}.name"),
                format!("{name:?} is not a claim name: 1 to 128 letters, digits or _ - . : /"),
            ));
        }
        if RESERVED_CLAIMS.contains(&name) {
            return Err(AppError::bad_input(
                format!("{field}.name"),
                format!("{name:?} is set by the provider itself"),
            ));
        }
        if checked.iter().any(|c| c.name == name) {
            return Err(AppError::bad_input(
                format!("{field}.name"),
                format!("the claim {name:?} is mapped twice"),
            ));
        }
        if !CLAIM_SOURCES.contains(&claim.source.as_str()) {
            return Err(AppError::bad_input(
                format!("{field}.source"),
                format!(
                    "{:?} is not a claim source: {}",
                    claim.source,
                    CLAIM_SOURCES.join(", ")
                ),
            ));
        }
        let values: Vec<String> = claim
            .values
            .iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if claim.source == "literal"
            && (values.is_empty() || values.len() > 20 || values.iter().any(|v| v.len() > 1024))
        {
            return Err(AppError::bad_input(
                format!("{field}.values"),
                "a literal claim needs 1 to 20 values of at most 1024 characters",
            ));
        }
        checked.push(Claim {
            name: name.to_owned(),
            source: claim.source.clone(),
            values,
        });
    }
    Ok(checked)
}

fn check_scopes(scopes: &[String]) -> AppResult<Vec<String>> {
    let mut checked: Vec<String> = Vec::new();
    for scope in scopes {
        let scope = scope.trim();
        if !super::SCOPES.contains(&scope) {
            return Err(AppError::bad_input(
                "scopes",
                format!(
                    "{scope:?} is not a scope this provider knows: {}",
                    super::SCOPES.join(", ")
                ),
            ));
        }
        if !checked.iter().any(|s| s == scope) {
            checked.push(scope.to_owned());
        }
    }
    if !checked.iter().any(|s| s == "openid") {
        return Err(AppError::bad_input(
            "scopes",
            "the scopes must include openid",
        ));
    }
    Ok(checked)
}

/// A JWKS document of public signing keys, each usable by `jsonwebtoken` with its `alg`.
fn check_jwks(raw: &str) -> AppResult<String> {
    let refuse = |why: String| AppError::bad_input("jwks", why);
    if raw.len() > 64 * 1024 {
        return Err(refuse("the JWKS is over 64 KiB".into()));
    }
    let set: jsonwebtoken::jwk::JwkSet = serde_json::from_str(raw)
        .map_err(|err| refuse(format!("not a JWKS document ({{\"keys\": [...]}}): {err}")))?;
    if set.keys.is_empty() || set.keys.len() > 10 {
        return Err(refuse("a JWKS needs 1 to 10 keys".into()));
    }
    for (i, key) in set.keys.iter().enumerate() {
        let public = matches!(
            &key.algorithm,
            jsonwebtoken::jwk::AlgorithmParameters::RSA(_)
                | jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_)
        );
        if !public {
            return Err(refuse(format!(
                "key {i} is not an RSA or EC public key (symmetric keys are refused)"
            )));
        }
        jsonwebtoken::DecodingKey::from_jwk(key)
            .map_err(|err| refuse(format!("key {i} is not usable: {err}")))?;
    }
    Ok(raw.trim().to_owned())
}

/// Applies and stores an admin's changes; audited as an update of the application.
pub async fn update(
    oidc: &Oidc,
    permit: &ApplicationPermit<actions::UpdateApplication>,
    changes: Changes,
) -> AppResult<Client> {
    let app = oidc_application(oidc, permit).await?;
    let txn = oidc.store.begin_write().await?;
    let mut client = of(&txn, &app).await?;
    if let Some(kind) = changes.client_type {
        client.client_type = kind;
        // A public client has no secret to authenticate with.
        if kind == ClientType::Public {
            client.auth_method = AuthMethod::None;
        } else if client.auth_method == AuthMethod::None {
            client.auth_method = AuthMethod::ClientSecretBasic;
        }
    }
    if let Some(method) = changes.auth_method {
        client.auth_method = method;
    }
    match (client.client_type, client.auth_method) {
        (ClientType::Public, AuthMethod::None) => {}
        (ClientType::Public, _) => {
            return Err(AppError::bad_input(
                "authMethod",
                "a public client authenticates with none: it has no secret or key",
            ))
        }
        (ClientType::Confidential, AuthMethod::None) => {
            return Err(AppError::bad_input(
                "authMethod",
                "a confidential client must authenticate: client_secret_basic, \
                 client_secret_post or private_key_jwt",
            ))
        }
        _ => {}
    }
    let public = client.client_type == ClientType::Public;
    if let Some(uris) = &changes.redirect_uris {
        client.redirect_uris = check_uris("redirectUris", uris, public)?;
    } else {
        client.redirect_uris = check_uris("redirectUris", &client.redirect_uris, public)?;
    }
    if let Some(uris) = &changes.post_logout_redirect_uris {
        client.post_logout_redirect_uris = check_uris("postLogoutRedirectUris", uris, public)?;
    }
    if let Some(uri) = changes.initiate_login_uri {
        let uri = uri.trim();
        client.initiate_login_uri = if uri.is_empty() {
            None
        } else {
            let checked = check_redirect_uri("initiateLoginUri", uri, false)?;
            if !checked.starts_with("https://") && !checked.starts_with("http://") {
                return Err(AppError::bad_input(
                    "initiateLoginUri",
                    "the login initiation URI must be an https URL",
                ));
            }
            Some(checked)
        };
    }
    if let Some(scopes) = &changes.scopes {
        client.scopes = check_scopes(scopes)?;
    }
    if let Some(claims) = &changes.claims {
        client.claims = check_claims(claims)?;
    }
    if let Some(jwks) = changes.jwks {
        client.jwks = if jwks.trim().is_empty() {
            None
        } else {
            Some(check_jwks(&jwks)?)
        };
    }
    if let Some(alg) = changes.assertion_alg {
        let alg = alg.trim().to_ascii_uppercase();
        client.assertion_alg = if alg.is_empty() {
            None
        } else if ASSERTION_ALGORITHMS.contains(&alg.as_str()) {
            Some(alg)
        } else {
            return Err(AppError::bad_input(
                "assertionAlgorithm",
                format!(
                    "{alg:?} is not an assertion algorithm: {}",
                    ASSERTION_ALGORITHMS.join(", ")
                ),
            ));
        };
    }
    if client.auth_method == AuthMethod::PrivateKeyJwt && client.assertion_alg.is_none() {
        client.assertion_alg = Some("RS256".to_owned());
    }
    if let Some(secs) = changes.id_token_lifetime_secs {
        client.id_token_lifetime_secs =
            check_lifetime("idTokenLifetimeSeconds", secs, ID_TOKEN_LIFETIME)?;
    }
    if let Some(secs) = changes.access_token_lifetime_secs {
        client.access_token_lifetime_secs =
            check_lifetime("accessTokenLifetimeSeconds", secs, ACCESS_TOKEN_LIFETIME)?;
    }
    if let Some(secs) = changes.refresh_token_lifetime_secs {
        client.refresh_token_lifetime_secs =
            check_lifetime("refreshTokenLifetimeSeconds", secs, REFRESH_TOKEN_LIFETIME)?;
    }
    oidc_client::Entity::insert(client.to_row()?)
        .on_conflict(
            OnConflict::column(oidc_client::Column::ApplicationId)
                .update_columns([
                    oidc_client::Column::ClientType,
                    oidc_client::Column::AuthMethod,
                    oidc_client::Column::RedirectUris,
                    oidc_client::Column::PostLogoutRedirectUris,
                    oidc_client::Column::InitiateLoginUri,
                    oidc_client::Column::Scopes,
                    oidc_client::Column::Claims,
                    oidc_client::Column::Jwks,
                    oidc_client::Column::AssertionAlg,
                    oidc_client::Column::IdTokenLifetimeSecs,
                    oidc_client::Column::AccessTokenLifetimeSecs,
                    oidc_client::Column::RefreshTokenLifetimeSecs,
                    oidc_client::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "application").summary(serde_json::json!({
            "name": app.model.name,
            "oidc": {
                "clientType": client.client_type.as_str(),
                "authMethod": client.auth_method.as_str(),
                "redirectUris": client.redirect_uris,
                "postLogoutRedirectUris": client.post_logout_redirect_uris,
                "scopes": client.scopes,
                "idTokenLifetimeSeconds": client.id_token_lifetime_secs,
                "accessTokenLifetimeSeconds": client.access_token_lifetime_secs,
                "refreshTokenLifetimeSeconds": client.refresh_token_lifetime_secs,
            },
        })),
    )
    .await?;
    txn.commit().await?;
    oidc.registrations.forget(&app.model.id);
    of(&oidc.store.conn, &app).await
}

/// The application of the permit, which must be an OIDC one.
async fn oidc_application<A: crate::authz::admin::Action>(
    oidc: &Oidc,
    permit: &ApplicationPermit<A>,
) -> AppResult<std::sync::Arc<Resolved>> {
    let app = applications::cached(&oidc.apps, permit.application_id())
        .await?
        .filter(|app| app.model.instance_id == permit.instance_id())
        .ok_or(AppError::NotFound("application"))?;
    if !app.template.is_oidc() {
        return Err(AppError::bad_input(
            "applicationId",
            format!(
                "{} is a SAML application: it has no OpenID Connect settings",
                app.model.name
            ),
        ));
    }
    Ok(app)
}

/// The registration of an application for the API: `None` for SAML applications.
pub async fn for_application(oidc: &Oidc, app: &Resolved) -> AppResult<Option<Client>> {
    if !app.template.is_oidc() {
        return Ok(None);
    }
    Ok(Some(of(&oidc.store.conn, app).await?))
}

pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The secrets of a client that still authenticate, newest first.
pub async fn secrets<C: ConnectionTrait>(
    db: &C,
    application_id: &str,
) -> AppResult<Vec<oidc_client_secret::Model>> {
    let now = Utc::now();
    Ok(oidc_client_secret::Entity::find()
        .filter(oidc_client_secret::Column::ApplicationId.eq(application_id))
        .order_by_desc(oidc_client_secret::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.expires_at.is_none_or(|at| at > now))
        .collect())
}

/// Whether `presented` is a live secret of the application's client.
pub async fn secret_matches(oidc: &Oidc, app: &Resolved, presented: &str) -> AppResult<bool> {
    if !presented.starts_with(SECRET_PREFIX) || presented.len() > 128 {
        return Ok(false);
    }
    let presented = hash(presented);
    let now = Utc::now();
    Ok(registration(oidc, app)
        .await?
        .secrets
        .iter()
        .any(|(stored, ends)| {
            stored.len() == presented.len()
                && openssl::memcmp::eq(stored.as_bytes(), presented.as_bytes())
                && ends.is_none_or(|at| at > now)
        }))
}

/// A secret just generated, shown this once.
pub struct Generated {
    pub secret: String,
    pub row: oidc_client_secret::Model,
}

/// Generates a new client secret. The secrets it replaces stay valid for `overlap` (at most
/// 30 days; 0 ends them now); audited.
pub async fn rotate_secret(
    oidc: &Oidc,
    permit: &ApplicationPermit<actions::UpdateApplication>,
    overlap_secs: i64,
) -> AppResult<Generated> {
    if !(0..=MAX_OVERLAP_SECS).contains(&overlap_secs) {
        return Err(AppError::bad_input(
            "overlapSeconds",
            format!("the overlap must be from 0 to {MAX_OVERLAP_SECS} seconds"),
        ));
    }
    let app = oidc_application(oidc, permit).await?;
    let secret = format!("{SECRET_PREFIX}{}", random_secret(SECRET_CHARS));
    let now = Utc::now();
    let ends = now + Duration::seconds(overlap_secs);
    let txn = oidc.store.begin_write().await?;
    for old in secrets(&txn, &app.model.id).await? {
        if old.expires_at.is_none_or(|at| at > ends) {
            let mut active: oidc_client_secret::ActiveModel = old.into();
            active.expires_at = Set(Some(ends));
            active.update(&txn).await?;
        }
    }
    let row = oidc_client_secret::ActiveModel {
        id: Set(new_id()),
        application_id: Set(app.model.id.clone()),
        secret_hash: Set(hash(&secret)),
        hint: Set(secret[secret.len() - 4..].to_owned()),
        created_at: Set(now),
        expires_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "application").summary(serde_json::json!({
            "name": app.model.name,
            "oidc": { "secretRotated": row.id, "previousValidFor": overlap_secs },
        })),
    )
    .await?;
    txn.commit().await?;
    oidc.registrations.forget(&app.model.id);
    Ok(Generated { secret, row })
}

/// Ends one secret now; audited.
pub async fn revoke_secret(
    oidc: &Oidc,
    permit: &ApplicationPermit<actions::UpdateApplication>,
    secret_id: &str,
) -> AppResult<()> {
    let app = oidc_application(oidc, permit).await?;
    let txn = oidc.store.begin_write().await?;
    let found = oidc_client_secret::Entity::find_by_id(secret_id)
        .one(&txn)
        .await?
        .filter(|s| s.application_id == app.model.id)
        .ok_or(AppError::NotFound("client secret"))?;
    let mut active: oidc_client_secret::ActiveModel = found.into();
    active.expires_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::application(permit, "application").summary(serde_json::json!({
            "name": app.model.name,
            "oidc": { "secretRevoked": secret_id },
        })),
    )
    .await?;
    txn.commit().await?;
    oidc.registrations.forget(&app.model.id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_absolute_and_safe() {
        for good in [
            "https://app.example.com/callback",
            "https://app.example.com:8443/cb?x=1",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
        ] {
            assert_eq!(check_redirect_uri("r", good, false).unwrap(), good);
        }
        assert!(check_redirect_uri("r", "com.example.app:/cb", true).is_ok());
        for bad in [
            "",
            "/relative",
            "http://app.example.com/cb",
            "https://app.example.com/cb#frag",
            "https://user:pw@app.example.com/cb",
            "javascript:alert(1)",
            "com.example.app:/cb",
            "https://app.example.com/a b",
            &format!("https://app.example.com/{}", "x".repeat(1100)),
        ] {
            assert!(check_redirect_uri("r", bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn claim_mappings_cannot_replace_the_providers_claims() {
        let claim = |name: &str, source: &str| Claim {
            name: name.into(),
            source: source.into(),
            values: vec!["v".into()],
        };
        assert!(check_claims(&[claim("department", "literal")]).is_ok());
        assert!(check_claims(&[claim("sub", "username")]).is_err());
        assert!(check_claims(&[claim("x", "password")]).is_err());
        assert!(check_claims(&[claim("x", "email"), claim("x", "email")]).is_err());
        assert!(check_claims(&[claim("a b", "email")]).is_err());
    }

    #[test]
    fn scopes_must_be_known_and_include_openid() {
        assert!(check_scopes(&["openid".into(), "email".into()]).is_ok());
        assert!(check_scopes(&["email".into()]).is_err());
        assert!(check_scopes(&["openid".into(), "admin".into()]).is_err());
    }

    #[test]
    fn a_jwks_must_hold_public_keys() {
        assert!(check_jwks("{}").is_err());
        assert!(check_jwks("{\"keys\": []}").is_err());
        assert!(check_jwks("{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}]}").is_err());
        assert!(check_jwks("not json").is_err());
    }
}
