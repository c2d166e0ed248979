//! The token endpoint's grants (authorization code with PKCE, refresh token with rotation)
//! and the tokens they issue: an ID token, an access token in the JWT profile of RFC 9068
//! (`typ: at+jwt`, checkable offline with the JWKS), and a refresh token.

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use entity::{oidc_grant, user};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::client_auth::{field, Authenticated};
use super::grants::{self, Redeemed, Refreshed, Spend};
use super::{claims, jwt, Oidc};
use crate::apps::applications::Resolved;
use crate::audit::{self, AuditRecord};
use crate::error::{AppError, AppResult};

/// An OAuth error answer (RFC 6749 §5.2): the code, a description, and the HTTP status.
#[derive(Debug)]
pub struct TokenError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl TokenError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        TokenError {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }
}

/// The claims of an access token (RFC 9068 §2.2).
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    /// `{grant id}.{random}`: the grant it belongs to, for revocation.
    pub jti: String,
    pub client_id: String,
    pub scope: String,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
}

impl AccessClaims {
    pub fn grant_id(&self) -> &str {
        self.jti.split('.').next().unwrap_or_default()
    }
}

/// What the token endpoint answers.
#[derive(Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// RFC 7636 §4.6: BASE64URL(SHA256(verifier)) == challenge, the verifier 43–128 unreserved
/// characters.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// The amr values of a session's sign-in methods (RFC 8176 where one fits).
pub fn amr_of(methods: &str) -> Vec<String> {
    let mut amr: Vec<String> = Vec::new();
    for method in methods.split(',').filter(|m| !m.is_empty()) {
        let value = match method {
            "password" => "pwd",
            "totp" => "otp",
            "email_code" => "otp",
            "passkey" => "hwk",
            "security_key" => "hwk",
            "recovery_code" => "otp",
            other => other,
        };
        if !amr.iter().any(|a| a == value) {
            amr.push(value.to_owned());
        }
    }
    if amr.len() > 1 {
        amr.push("mfa".to_owned());
    }
    amr
}

/// `at_hash`: the left half of the SHA-256 of the access token (both algorithms use SHA-256).
fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// The `sid` of a session: derived from its id, which never leaves the server.
pub fn sid_of(session_id: &str) -> String {
    let digest = Sha256::digest(format!("lanyard-oidc-sid\n{session_id}").as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..18])
}

/// `authorization_code`: the code redeemed once, the client and redirect URI the same as at
/// the authorization, PKCE's verifier matching its challenge (and none without one).
pub async fn exchange_code(
    oidc: &Oidc,
    caller: &Authenticated,
    form: &[(String, String)],
) -> AppResult<Result<TokenResponse, TokenError>> {
    let fields = (|| {
        Ok::<_, TokenError>((
            field(form, "code")?,
            field(form, "redirect_uri")?,
            field(form, "code_verifier")?,
        ))
    })();
    let (code, redirect_uri, verifier) = match fields {
        Ok(found) => found,
        Err(err) => return Ok(Err(err)),
    };
    let Some(code) = code else {
        return Ok(Err(TokenError::invalid_request("code is missing")));
    };
    let grant = match grants::redeemable(oidc, code).await? {
        Redeemed::Granted(grant) => grant,
        Redeemed::Invalid => {
            return Ok(Err(TokenError::invalid_grant(
                "the code is unknown, expired or revoked",
            )))
        }
        Redeemed::Reused(grant) => {
            record_reuse(oidc, &grant, "oidcCodeReused").await?;
            return Ok(Err(TokenError::invalid_grant(
                "the code was used before: it and every token issued from it are revoked",
            )));
        }
    };
    if grant.application_id != caller.client.application_id {
        grants::revoke(oidc, &grant.id).await?;
        return Ok(Err(TokenError::invalid_grant(
            "the code was issued to another client",
        )));
    }
    if redirect_uri != Some(grant.redirect_uri.as_str()) {
        grants::revoke(oidc, &grant.id).await?;
        return Ok(Err(TokenError::invalid_grant(
            "redirect_uri is not the one of the authorization request",
        )));
    }
    match (&grant.code_challenge, verifier) {
        (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => {}
        (Some(_), Some(_)) => {
            grants::revoke(oidc, &grant.id).await?;
            return Ok(Err(TokenError::invalid_grant(
                "code_verifier does not match the code challenge",
            )));
        }
        (Some(_), None) => {
            grants::revoke(oidc, &grant.id).await?;
            return Ok(Err(TokenError::invalid_grant("code_verifier is missing")));
        }
        (None, Some(_)) => {
            grants::revoke(oidc, &grant.id).await?;
            return Ok(Err(TokenError::invalid_grant(
                "code_verifier was sent for a code issued without a challenge",
            )));
        }
        (None, None) => {}
    }
    issue(oidc, caller, &grant, grant.nonce.as_deref(), Spend::Code).await
}

/// `refresh_token`: the token used once and replaced; a second use revokes the grant.
pub async fn refresh(
    oidc: &Oidc,
    caller: &Authenticated,
    form: &[(String, String)],
) -> AppResult<Result<TokenResponse, TokenError>> {
    let (token, scope) = match (field(form, "refresh_token"), field(form, "scope")) {
        (Ok(token), Ok(scope)) => (token, scope),
        (Err(err), _) | (_, Err(err)) => return Ok(Err(err)),
    };
    let Some(token) = token else {
        return Ok(Err(TokenError::invalid_request("refresh_token is missing")));
    };
    // Checked before the token is spent: another client's token is not its to use.
    if let Some((_, grant)) = grants::of_refresh(oidc, token).await? {
        if grant.application_id != caller.client.application_id {
            return Ok(Err(TokenError::invalid_grant(
                "the refresh token was issued to another client",
            )));
        }
    }
    let (refreshable, token_hash) = grants::refreshable(oidc, token).await?;
    let mut grant = match refreshable {
        Refreshed::Granted(grant) => grant,
        Refreshed::Invalid => {
            return Ok(Err(TokenError::invalid_grant(
                "the refresh token is unknown, expired or revoked",
            )))
        }
        Refreshed::Reused(grant) => {
            record_reuse(oidc, &grant, "oidcRefreshTokenReused").await?;
            return Ok(Err(TokenError::invalid_grant(
                "the refresh token was used before: its grant is revoked",
            )));
        }
    };
    if let Some(scope) = scope {
        let granted: Vec<&str> = grant.scope.split(' ').collect();
        let asked: Vec<&str> = scope.split(' ').filter(|s| !s.is_empty()).collect();
        if asked.iter().any(|s| !granted.contains(s)) {
            return Ok(Err(TokenError::new(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "a refresh may only narrow the scopes granted",
            )));
        }
        grant.scope = asked.join(" ");
    }
    issue(oidc, caller, &grant, None, Spend::Refresh(token_hash)).await
}

async fn record_reuse(oidc: &Oidc, grant: &oidc_grant::Model, action: &str) -> AppResult<()> {
    let txn = oidc.store.begin_write().await?;
    audit::record(
        &txn,
        &crate::authz::admin::Actor {
            kind: "client",
            id: grant.application_id.clone(),
            name: grant.application_id.clone(),
            client_ip: None,
        },
        AuditRecord::in_instance(
            &grant.instance_id,
            action,
            "application",
            Some(&grant.application_id),
        )
        .outcome("failure")
        .summary(serde_json::json!({ "grant": grant.id, "userId": grant.user_id })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The ID token, access token and next refresh token of a grant, after checking that its
/// employee is still active.
async fn issue(
    oidc: &Oidc,
    caller: &Authenticated,
    grant: &oidc_grant::Model,
    nonce: Option<&str>,
    spend: Spend,
) -> AppResult<Result<TokenResponse, TokenError>> {
    let Some(user) = user::Entity::find_by_id(grant.user_id.as_str())
        .one(oidc.store.reads())
        .await?
        .filter(|u| u.status == user::UserStatus::Active)
    else {
        grants::revoke(oidc, &grant.id).await?;
        return Ok(Err(TokenError::invalid_grant(
            "the employee is no longer active",
        )));
    };
    let app: &Resolved = &caller.app;
    let sub = match claims::subject(oidc, app, &user).await? {
        Ok(sub) => sub,
        Err(reason) => return Ok(Err(TokenError::invalid_grant(reason))),
    };
    let scopes: Vec<&str> = grant.scope.split(' ').filter(|s| !s.is_empty()).collect();
    let user_claims = claims::of_user(oidc, app, &caller.client, &user, &sub, &scopes).await?;
    let issuer = oidc.issuer(&grant.instance_id);
    let client = &caller.client;
    let now = Utc::now().timestamp();
    let amr = amr_of(&grant.auth_methods);
    let access = AccessClaims {
        iss: issuer.clone(),
        sub: sub.clone(),
        aud: client.application_id.clone(),
        exp: now + i64::from(client.access_token_lifetime_secs),
        iat: now,
        jti: format!("{}.{}", grant.id, crate::ids::random_secret(16)),
        client_id: client.application_id.clone(),
        scope: grant.scope.clone(),
        auth_time: grant.auth_time.timestamp(),
        acr: grant.acr.clone(),
        amr: amr.clone(),
    };
    let mut id_claims: Map<String, Value> = user_claims;
    id_claims.insert("iss".into(), issuer.into());
    id_claims.insert("aud".into(), client.application_id.clone().into());
    id_claims.insert("azp".into(), client.application_id.clone().into());
    id_claims.insert("iat".into(), now.into());
    id_claims.insert(
        "exp".into(),
        (now + i64::from(client.id_token_lifetime_secs)).into(),
    );
    id_claims.insert("auth_time".into(), grant.auth_time.timestamp().into());
    id_claims.insert("acr".into(), grant.acr.clone().into());
    id_claims.insert("amr".into(), amr.into());
    if let Some(session_id) = &grant.session_id {
        id_claims.insert("sid".into(), sid_of(session_id).into());
    }
    if let Some(nonce) = nonce {
        id_claims.insert("nonce".into(), nonce.into());
    }
    let signer = jwt::signer(oidc, &grant.instance_id).await?;
    let (access_token, id_token) = tokio::task::spawn_blocking(move || {
        let access_token = signer.sign(Some("at+jwt"), &access)?;
        id_claims.insert("at_hash".into(), at_hash(&access_token).into());
        let id_token = signer.sign(None, &id_claims)?;
        Ok::<_, AppError>((access_token, id_token))
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing tokens")))??;
    // Spent only now, with the next refresh token stored in the same transaction: a request
    // that loses the race to another (or another node) is a second use.
    let Some(refresh_token) =
        grants::spend(oidc, &grant.id, &spend, client.refresh_token_lifetime_secs).await?
    else {
        grants::revoke(oidc, &grant.id).await?;
        record_reuse(oidc, grant, spend.reuse_action()).await?;
        return Ok(Err(TokenError::invalid_grant(
            "the code or refresh token was used by another request: its grant is revoked",
        )));
    };
    Ok(Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: i64::from(client.access_token_lifetime_secs),
        id_token,
        refresh_token: Some(refresh_token),
        scope: grant.scope.clone(),
    }))
}

/// The claims of an access token this instance issued that is still good: signed by a
/// published key, not expired, its grant not revoked.
pub async fn check_access_token(
    oidc: &Oidc,
    instance_id: &str,
    token: &str,
) -> AppResult<Option<AccessClaims>> {
    let mut rules = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    rules.set_issuer(&[oidc.issuer(instance_id)]);
    rules.validate_aud = false;
    rules.leeway = 0;
    let Some(claims): Option<AccessClaims> = jwt::verify(oidc, instance_id, token, &rules).await?
    else {
        return Ok(None);
    };
    let Some(grant) = grants::live(&oidc.store.conn, claims.grant_id()).await? else {
        return Ok(None);
    };
    if grant.application_id != claims.client_id || grant.instance_id != instance_id {
        return Ok(None);
    }
    Ok(Some(claims))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_compares_the_s256_digest_of_the_verifier() {
        let verifier = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(challenge, challenge));
        assert!(!pkce_matches("short", challenge));
        assert!(!pkce_matches(&format!("{verifier}!"), challenge));
    }

    #[test]
    fn amr_names_the_methods_and_mfa() {
        assert_eq!(amr_of("password"), vec!["pwd"]);
        assert_eq!(amr_of("password,totp"), vec!["pwd", "otp", "mfa"]);
        assert_eq!(amr_of("passkey"), vec!["hwk"]);
    }

    #[test]
    fn sids_do_not_reveal_sessions() {
        let sid = sid_of("0190a0a0-0000-7000-8000-000000000000");
        assert!(!sid.contains("0190"));
        assert_eq!(sid, sid_of("0190a0a0-0000-7000-8000-000000000000"));
    }
}
