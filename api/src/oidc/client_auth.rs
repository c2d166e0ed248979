//! Client authentication at the token, revocation and introspection endpoints: the one method
//! the client registered, and no other (RFC 6749 §2.3, OpenID Connect Core §9, RFC 7523).
//!
//! `private_key_jwt`: the assertion's `alg` must be the one registered (so `none`, and an HMAC
//! keyed with the client's public key, are refused before any key is used), `iss` and `sub`
//! the client ID, `aud` this issuer, its token endpoint or the endpoint called, `exp` within
//! an hour, and its `jti` unseen: the first node to record it wins (a primary-key insert).

use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use entity::oidc_client_assertion;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use std::sync::Arc;

use super::clients::{self, AuthMethod, Client};
use super::tokens::TokenError;
use super::Oidc;
use crate::apps::applications::Resolved;
use crate::error::AppResult;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The longest an assertion may live: an hour, what client libraries sign by default
/// (authlib's `PrivateKeyJWT` sets `exp` an hour after `iat`, and has no setting for it). Its
/// `jti` is kept until then, so a replay is refused however long it lives.
const MAX_ASSERTION_SECS: i64 = 3600;

/// A client that proved who it is.
pub struct Authenticated {
    pub app: Arc<Resolved>,
    pub client: Client,
}

/// The single value of a form field; a repeated field is refused (RFC 6749 §3.2).
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, TokenError> {
    let mut values = form
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(TokenError::invalid_request(format!(
            "the parameter {name} is repeated"
        )));
    }
    Ok(first.filter(|v| !v.is_empty()))
}

/// The credentials of HTTP Basic: client ID and secret, each form-urlencoded (RFC 6749 §2.3.1).
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, TokenError> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad =
        || TokenError::invalid_client("the Authorization header is not HTTP Basic credentials");
    let text = value.to_str().map_err(|_| bad())?;
    let Some(encoded) = text
        .strip_prefix("Basic ")
        .or_else(|| text.strip_prefix("basic "))
    else {
        return Err(bad());
    };
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

#[derive(Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    exp: i64,
    jti: String,
}

/// Authenticates the client of a request to `endpoint` (its URL, one of the audiences an
/// assertion may name, with the issuer and the token endpoint).
pub async fn authenticate(
    oidc: &Oidc,
    instance_id: &str,
    endpoint: &str,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> AppResult<Result<Authenticated, TokenError>> {
    let basic = match basic(headers) {
        Ok(found) => found,
        Err(err) => return Ok(Err(err)),
    };
    let fields = (|| {
        Ok::<_, TokenError>((
            field(form, "client_id")?,
            field(form, "client_secret")?,
            field(form, "client_assertion_type")?,
            field(form, "client_assertion")?,
        ))
    })();
    let (form_id, form_secret, assertion_type, assertion) = match fields {
        Ok(found) => found,
        Err(err) => return Ok(Err(err)),
    };
    let used = [basic.is_some(), form_secret.is_some(), assertion.is_some()]
        .iter()
        .filter(|u| **u)
        .count();
    if used > 1 {
        return Ok(Err(TokenError::invalid_request(
            "more than one client authentication method was used",
        )));
    }
    let (method, client_id) = if let Some((id, _)) = &basic {
        (AuthMethod::ClientSecretBasic, id.clone())
    } else if form_secret.is_some() {
        (
            AuthMethod::ClientSecretPost,
            form_id.unwrap_or_default().to_owned(),
        )
    } else if let Some(assertion) = assertion {
        if assertion_type != Some(ASSERTION_TYPE) {
            return Ok(Err(TokenError::invalid_client(
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            )));
        }
        // The client is the assertion's subject; a client_id beside it must agree.
        let Some(sub) = unverified_subject(assertion) else {
            return Ok(Err(TokenError::invalid_client(
                "the client assertion is not a JWT",
            )));
        };
        if form_id.is_some_and(|id| id != sub) {
            return Ok(Err(TokenError::invalid_client(
                "client_id and the client assertion name different clients",
            )));
        }
        (AuthMethod::PrivateKeyJwt, sub)
    } else {
        (AuthMethod::None, form_id.unwrap_or_default().to_owned())
    };
    if let (Some((id, _)), Some(form_id)) = (&basic, form_id) {
        if form_id != id {
            return Ok(Err(TokenError::invalid_client(
                "client_id and the Basic credentials name different clients",
            )));
        }
    }
    let Some((app, client)) = clients::find(oidc, instance_id, &client_id).await? else {
        return Ok(Err(TokenError::invalid_client("unknown client")));
    };
    if client.auth_method != method {
        return Ok(Err(TokenError::invalid_client(format!(
            "this client authenticates with {}, not {}",
            client.auth_method.as_str(),
            method.as_str()
        ))));
    }
    let proven = match method {
        AuthMethod::ClientSecretBasic => {
            let secret = basic.map(|(_, s)| s).unwrap_or_default();
            clients::secret_matches(oidc, &app, &secret).await?
        }
        AuthMethod::ClientSecretPost => {
            clients::secret_matches(oidc, &app, form_secret.unwrap_or_default()).await?
        }
        AuthMethod::PrivateKeyJwt => {
            let assertion = assertion.unwrap_or_default();
            let issuer = oidc.issuer(instance_id);
            // OpenID Connect Core §9: the audience SHOULD be the token endpoint, and clients
            // name it at the revocation and introspection endpoints too.
            let token_endpoint = format!("{issuer}/token");
            let audiences = [issuer.as_str(), token_endpoint.as_str(), endpoint];
            match check_assertion(oidc, &client, assertion, &audiences).await? {
                Ok(()) => true,
                Err(err) => return Ok(Err(err)),
            }
        }
        AuthMethod::None => true,
    };
    if !proven {
        return Ok(Err(TokenError::invalid_client(
            "client authentication failed",
        )));
    }
    Ok(Ok(Authenticated { app, client }))
}

fn unverified_subject(assertion: &str) -> Option<String> {
    let payload = assertion.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("sub")?.as_str().map(str::to_owned)
}

fn algorithm(name: &str) -> Option<Algorithm> {
    match name {
        "RS256" => Some(Algorithm::RS256),
        "PS256" => Some(Algorithm::PS256),
        "ES256" => Some(Algorithm::ES256),
        _ => None,
    }
}

async fn check_assertion(
    oidc: &Oidc,
    client: &Client,
    assertion: &str,
    audiences: &[&str],
) -> AppResult<Result<(), TokenError>> {
    let refuse = |why: &str| Ok(Err(TokenError::invalid_client(why.to_owned())));
    if assertion.len() > 8 * 1024 {
        return refuse("the client assertion is too long");
    }
    let (Some(jwks), Some(registered)) = (
        client.jwks.as_deref(),
        client.assertion_alg.as_deref().and_then(algorithm),
    ) else {
        return refuse("the client has no keys registered");
    };
    let Ok(header) = jsonwebtoken::decode_header(assertion) else {
        return refuse("the client assertion's header is not valid (alg none is refused)");
    };
    if header.alg != registered {
        return refuse("the client assertion is not signed with the registered algorithm");
    }
    let Ok(set) = serde_json::from_str::<jsonwebtoken::jwk::JwkSet>(jwks) else {
        return refuse("the client's registered keys do not parse");
    };
    let candidates: Vec<&jsonwebtoken::jwk::Jwk> = match &header.kid {
        Some(kid) => set
            .keys
            .iter()
            .filter(|k| k.common.key_id.as_deref() == Some(kid.as_str()))
            .collect(),
        None => set.keys.iter().collect(),
    };
    let mut rules = Validation::new(registered);
    rules.set_audience(audiences);
    rules.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    rules.leeway = 30;
    let mut claims = None;
    for jwk in candidates {
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        if let Ok(data) = jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &rules) {
            claims = Some(data.claims);
            break;
        }
    }
    let Some(claims) = claims else {
        return refuse("the client assertion's signature, audience or expiry does not verify");
    };
    if claims.iss != client.application_id || claims.sub != client.application_id {
        return refuse("the client assertion's iss and sub must be the client ID");
    }
    let now = Utc::now().timestamp();
    if claims.exp > now + MAX_ASSERTION_SECS {
        return refuse("the client assertion lives longer than an hour");
    }
    if claims.jti.is_empty() || claims.jti.len() > 256 {
        return refuse("the client assertion needs a jti");
    }
    let id = clients::hash(&format!("{}\n{}", client.application_id, claims.jti));
    let expires_at = Utc
        .timestamp_opt(claims.exp + 60, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let txn = oidc.store.begin_write().await?;
    oidc_client_assertion::Entity::delete_many()
        .filter(oidc_client_assertion::Column::ExpiresAt.lt(Utc::now()))
        .exec(&txn)
        .await?;
    let inserted = oidc_client_assertion::Entity::insert(oidc_client_assertion::ActiveModel {
        id: sea_orm::Set(id),
        expires_at: sea_orm::Set(expires_at),
    })
    .on_conflict(
        OnConflict::column(oidc_client_assertion::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    if inserted != 1 {
        return refuse("the client assertion was used before (its jti is spent)");
    }
    Ok(Ok(()))
}
