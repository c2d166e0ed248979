//! The authorization endpoint (OpenID Connect Core §3.1.2, RFC 6749 §4.1, RFC 7636).
//!
//! A request is checked in two stages. Until its client and redirect URI are known to belong
//! together, nothing is sent to the redirect URI: errors are a Lanyard page. After that, every
//! error goes back to the relying party (`error`, `error_description`, `state`, `iss`) by the
//! response mode it asked for. A request that waits for the sign-in page (or a second factor)
//! is sealed into the `continue` reference, as SAML requests are; nothing is written until a
//! code is issued, and a code is issued only after the access decision allowed it.

use std::net::IpAddr;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::clients::{Client, ClientType};
use super::{Oidc, ACR_MFA, ACR_PAPE_MFA, ACR_SINGLE};
use crate::access::{self, Initiator};
use crate::apps::applications::Resolved;
use crate::auth::employee_sessions::EmployeeSession;
use crate::error::{AppError, AppResult};
use crate::pages::{plausible_sealed_request, see_other, sign_in_url, Continue};

/// The audience of sealed authorization requests: no other token of this server opens as one.
const AUDIENCE: &str = "lanyard:oidc-request";
/// How long a request may wait for the employee to sign in.
const PENDING_MINUTES: i64 = 15;
/// The longest value of any one parameter.
const MAX_PARAM: usize = 2048;
/// The longest `state` and `nonce` (they travel in the sealed request).
const MAX_STATE: usize = 1024;
/// The parameters a request may carry, together, at most.
const MAX_PARAMS: usize = 40;

/// How the answer travels back to the relying party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    Query,
    FormPost,
}

/// A request whose client and redirect URI belong together: what it asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    #[serde(rename = "cid")]
    pub client_id: String,
    #[serde(rename = "ru")]
    pub redirect_uri: String,
    #[serde(rename = "rm")]
    pub response_mode: ResponseMode,
    #[serde(rename = "st", default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "sc")]
    pub scope: String,
    #[serde(rename = "no", default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(rename = "cc", default, skip_serializing_if = "Option::is_none")]
    pub code_challenge: Option<String>,
    /// `prompt=login`: a sign-in after the request was received.
    #[serde(rename = "pl", default)]
    pub login: bool,
    /// `prompt=none`: no page may be shown.
    #[serde(skip)]
    pub none: bool,
    #[serde(rename = "ma", default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i64>,
    #[serde(rename = "lh", default, skip_serializing_if = "Option::is_none")]
    pub login_hint: Option<String>,
    /// `acr_values` asked for more than one factor.
    #[serde(rename = "mfa", default)]
    pub mfa: bool,
    #[serde(rename = "rcv")]
    pub received_ms: i64,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    aud: String,
    exp: i64,
    iid: String,
    #[serde(flatten)]
    pending: Pending,
}

/// A request that may not go to its redirect URI: shown on a Lanyard page.
#[derive(Debug)]
pub struct Unredirectable(pub String);

/// An error for the relying party (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone)]
pub struct RedirectError {
    pub error: &'static str,
    pub description: String,
}

fn redirect_error(error: &'static str, description: impl Into<String>) -> RedirectError {
    RedirectError {
        error,
        description: description.into(),
    }
}

/// The single value of each parameter; a repeated one, too many or too long are refused.
fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, String> {
    let mut values = params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(format!("the parameter {name} is repeated"));
    }
    Ok(first.filter(|v| !v.is_empty()))
}

/// Stage one: the client and its redirect URI. Anything wrong here is shown, not redirected.
pub async fn client_of(
    oidc: &Oidc,
    instance_id: &str,
    params: &[(String, String)],
) -> AppResult<Result<(std::sync::Arc<Resolved>, Client, String), Unredirectable>> {
    if params.len() > MAX_PARAMS {
        return Ok(Err(Unredirectable(format!(
            "the request has more than {MAX_PARAMS} parameters"
        ))));
    }
    if let Some((name, _)) = params
        .iter()
        .find(|(k, v)| k.len() > 64 || v.len() > MAX_PARAM)
    {
        return Ok(Err(Unredirectable(format!(
            "the parameter {:?} is longer than {MAX_PARAM} characters",
            name.chars().take(64).collect::<String>()
        ))));
    }
    let (client_id, redirect_uri) =
        match (single(params, "client_id"), single(params, "redirect_uri")) {
            (Ok(id), Ok(uri)) => (id, uri),
            (Err(why), _) | (_, Err(why)) => return Ok(Err(Unredirectable(why))),
        };
    let Some(client_id) = client_id else {
        return Ok(Err(Unredirectable("client_id is missing".into())));
    };
    let Some((app, client)) = super::clients::find(oidc, instance_id, client_id).await? else {
        return Ok(Err(Unredirectable(format!(
            "{:?} is not a client of this identity provider",
            client_id.chars().take(64).collect::<String>()
        ))));
    };
    let Some(redirect_uri) = redirect_uri else {
        return Ok(Err(Unredirectable("redirect_uri is missing".into())));
    };
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Ok(Err(Unredirectable(format!(
            "the redirect_uri is not one registered for {}",
            app.model.name
        ))));
    }
    Ok(Ok((app, client, redirect_uri.to_owned())))
}

/// Stage two: what the request asks, checked; errors go back to the relying party.
pub fn check(
    client: &Client,
    redirect_uri: &str,
    params: &[(String, String)],
) -> (ResponseMode, Option<String>, Result<Pending, RedirectError>) {
    let state = single(params, "state").ok().flatten().map(str::to_owned);
    let mode = match single(params, "response_mode") {
        Ok(Some("form_post")) => ResponseMode::FormPost,
        _ => ResponseMode::Query,
    };
    let checked = (|| {
        let get =
            |name: &str| single(params, name).map_err(|why| redirect_error("invalid_request", why));
        if let Some(mode) = get("response_mode")? {
            if mode != "query" && mode != "form_post" {
                return Err(redirect_error(
                    "invalid_request",
                    format!("response_mode {mode:?} is not supported: query or form_post"),
                ));
            }
        }
        if get("request")?.is_some() {
            return Err(redirect_error(
                "request_not_supported",
                "request objects are not supported",
            ));
        }
        if get("request_uri")?.is_some() {
            return Err(redirect_error(
                "request_uri_not_supported",
                "request_uri is not supported",
            ));
        }
        match get("response_type")? {
            Some("code") => {}
            None => {
                return Err(redirect_error(
                    "invalid_request",
                    "response_type is missing",
                ))
            }
            Some(other) => {
                return Err(redirect_error(
                    "unsupported_response_type",
                    format!("response_type {other:?} is not supported: only code"),
                ))
            }
        }
        let scope = get("scope")?.unwrap_or_default();
        let asked: Vec<&str> = scope.split(' ').filter(|s| !s.is_empty()).collect();
        if !asked.contains(&"openid") {
            return Err(redirect_error(
                "invalid_scope",
                "the scope must include openid",
            ));
        }
        // Scopes the client may not have are left out of the grant (RFC 6749 §3.3).
        let mut granted: Vec<&str> = Vec::new();
        for scope in asked {
            if client.scopes.iter().any(|s| s == scope) && !granted.contains(&scope) {
                granted.push(scope);
            }
        }
        let challenge = get("code_challenge")?;
        let method = get("code_challenge_method")?;
        match (challenge, method) {
            (Some(challenge), Some("S256")) => {
                let ok = challenge.len() == 43
                    && challenge
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
                if !ok {
                    return Err(redirect_error(
                        "invalid_request",
                        "code_challenge is not a base64url SHA-256 digest",
                    ));
                }
            }
            (Some(_), None | Some("plain")) => {
                return Err(redirect_error(
                    "invalid_request",
                    "code_challenge_method must be S256 (plain is refused)",
                ))
            }
            (_, Some(method)) if method != "S256" => {
                return Err(redirect_error(
                    "invalid_request",
                    format!("code_challenge_method {method:?} is not supported: S256"),
                ))
            }
            (None, Some(_)) => {
                return Err(redirect_error(
                    "invalid_request",
                    "code_challenge_method without code_challenge",
                ))
            }
            _ => {}
        }
        if challenge.is_none() && client.client_type == ClientType::Public {
            return Err(redirect_error(
                "invalid_request",
                "a public client must use PKCE (code_challenge with S256)",
            ));
        }
        let prompt: Vec<&str> = get("prompt")?
            .unwrap_or_default()
            .split(' ')
            .filter(|p| !p.is_empty())
            .collect();
        if let Some(unknown) = prompt
            .iter()
            .find(|p| !matches!(**p, "none" | "login" | "consent" | "select_account"))
        {
            return Err(redirect_error(
                "invalid_request",
                format!("prompt {unknown:?} is not one of none, login, consent, select_account"),
            ));
        }
        let none = prompt.contains(&"none");
        if none && prompt.len() > 1 {
            return Err(redirect_error(
                "invalid_request",
                "prompt=none cannot be combined with other values",
            ));
        }
        let max_age = match get("max_age")? {
            None => None,
            Some(raw) => Some(raw.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
                redirect_error("invalid_request", "max_age must be a number of seconds")
            })?),
        };
        let nonce = get("nonce")?;
        if nonce.is_some_and(|n| n.len() > MAX_STATE)
            || state.as_ref().is_some_and(|s| s.len() > MAX_STATE)
        {
            return Err(redirect_error(
                "invalid_request",
                format!("state and nonce may be at most {MAX_STATE} characters"),
            ));
        }
        let mfa = get("acr_values")?
            .unwrap_or_default()
            .split(' ')
            .any(|acr| acr == ACR_MFA || acr == ACR_PAPE_MFA);
        let login_hint = get("login_hint")?.map(|h| h.chars().take(256).collect());
        Ok(Pending {
            client_id: client.application_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            response_mode: mode,
            state: state.clone(),
            scope: granted.join(" "),
            nonce: nonce.map(str::to_owned),
            code_challenge: challenge.map(str::to_owned),
            login: prompt.contains(&"login"),
            none,
            max_age,
            login_hint,
            mfa,
            received_ms: Utc::now().timestamp_millis(),
        })
    })();
    (mode, state, checked)
}

/// The request sealed for the sign-in page's `continue`.
pub fn seal(oidc: &Oidc, instance_id: &str, pending: &Pending) -> AppResult<String> {
    let sealed = Sealed {
        aud: AUDIENCE.to_owned(),
        exp: (Utc::now() + Duration::minutes(PENDING_MINUTES)).timestamp(),
        iid: instance_id.to_owned(),
        pending: pending.clone(),
    };
    oidc.auth.secrets.oidc_request.sign(&sealed)
}

/// A sealed request of this instance, when this cluster sealed it and it has not expired.
pub fn unseal(oidc: &Oidc, instance_id: &str, token: &str) -> Option<Pending> {
    if !plausible_sealed_request(token) {
        return None;
    }
    let sealed: Sealed = oidc
        .auth
        .secrets
        .oidc_request
        .verify(token, AUDIENCE, None)?;
    (sealed.iid == instance_id).then_some(sealed.pending)
}

/// The answer sent to the relying party: the redirect (query) or the auto-posting form.
pub fn respond(
    oidc: &Oidc,
    instance_id: &str,
    redirect_uri: &str,
    mode: ResponseMode,
    fields: &[(&str, &str)],
) -> Response {
    let issuer = oidc.issuer(instance_id);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("iss", &issuer));
    match mode {
        ResponseMode::Query => {
            let Ok(mut url) = url::Url::parse(redirect_uri) else {
                return crate::pages::error(&AppError::Internal(anyhow::anyhow!(
                    "a registered redirect URI does not parse"
                )));
            };
            {
                let mut query = url.query_pairs_mut();
                for (name, value) in &all {
                    query.append_pair(name, value);
                }
            }
            let mut response = see_other(url.as_str(), &[]);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        ResponseMode::FormPost => {
            let form = crate::saml::response::fields_form(redirect_uri, &all);
            let mut response = Html(form.html).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(csp) = HeaderValue::from_str(&form.csp) {
                headers.insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            response
        }
    }
}

/// An error sent back to the relying party.
pub fn respond_error(
    oidc: &Oidc,
    instance_id: &str,
    redirect_uri: &str,
    mode: ResponseMode,
    state: Option<&str>,
    error: &RedirectError,
) -> Response {
    let mut fields = vec![
        ("error", error.error),
        ("error_description", error.description.as_str()),
    ];
    if let Some(state) = state {
        fields.push(("state", state));
    }
    respond(oidc, instance_id, redirect_uri, mode, &fields)
}

/// Whether the session is too old for the request (`prompt=login`, `max_age`).
fn needs_sign_in(pending: &Pending, live: &EmployeeSession) -> bool {
    let signed_in_at = live.session.created_at;
    let received = DateTime::from_timestamp_millis(pending.received_ms).unwrap_or_else(Utc::now);
    if pending.login && signed_in_at < received - Duration::seconds(1) {
        return true;
    }
    pending
        .max_age
        .is_some_and(|max| (Utc::now() - signed_in_at).num_seconds() > max)
}

/// Answers a checked request for the employee of this browser: to the sign-in page when there
/// is none (or hers is too old), to a second factor when one is asked for or would allow her,
/// else the decision — a code, or `access_denied`.
pub async fn answer(
    oidc: &Oidc,
    app: &Resolved,
    pending: &Pending,
    live: Option<EmployeeSession>,
    client_ip: Option<IpAddr>,
) -> AppResult<Response> {
    let instance_id = app.model.instance_id.as_str();
    let back = |error: RedirectError| {
        respond_error(
            oidc,
            instance_id,
            &pending.redirect_uri,
            pending.response_mode,
            pending.state.as_deref(),
            &error,
        )
    };
    let live = match live {
        Some(live) if !needs_sign_in(pending, &live) => live,
        _ if pending.none => {
            return Ok(back(redirect_error(
                "login_required",
                "the employee is not signed in (prompt=none)",
            )))
        }
        _ => {
            let mut resumed = pending.clone();
            resumed.received_ms = Utc::now().timestamp_millis();
            let sealed = seal(oidc, instance_id, &resumed)?;
            let mut location = sign_in_url(
                &oidc.config.public_url,
                instance_id,
                &Continue::Authorize(sealed),
            );
            if let Some(hint) = &pending.login_hint {
                location.push_str("&login_hint=");
                location.extend(url::form_urlencoded::byte_serialize(hint.as_bytes()));
            }
            return Ok(see_other(&location, &[]));
        }
    };
    let step_up = || async {
        let mut resumed = pending.clone();
        // Back from the factor, the session is the same one: no new sign-in is needed.
        resumed.login = false;
        let next = Continue::Authorize(seal(oidc, instance_id, &resumed)?);
        crate::sso::step_up(
            &oidc.store,
            &oidc.auth,
            &oidc.config.public_url,
            &live,
            &next,
            client_ip,
        )
        .await
    };
    if pending.mfa && !live.used_mfa() {
        if !crate::sso::can_step_up(&oidc.store, &live).await? {
            return Ok(back(redirect_error(
                "unmet_authentication_requirements",
                "a second factor was asked for (acr_values) and the employee has none",
            )));
        }
        if pending.none {
            return Ok(back(redirect_error(
                "interaction_required",
                "a second factor is needed (prompt=none)",
            )));
        }
        return step_up().await;
    }
    let store = &oidc.store;
    let mut decision =
        crate::sso::decide(store, &oidc.access, &live, app, Initiator::Sp, client_ip).await?;
    if !decision.allowed
        && crate::sso::allowed_with_more(store, &oidc.access, &live, app, Initiator::Sp, client_ip)
            .await?
        && crate::sso::can_step_up(store, &live).await?
    {
        if pending.none {
            return Ok(back(redirect_error(
                "interaction_required",
                "a second factor is needed (prompt=none)",
            )));
        }
        return step_up().await;
    }
    if decision.allowed {
        if let Err(reason) = super::claims::subject(oidc, app, &live.user).await? {
            decision = crate::sso::refusal(reason);
        }
    }
    let request = crate::sso::access_request(&live, app, Initiator::Sp, client_ip);
    if !decision.allowed {
        let reference =
            access::record_decision(store, &request, &live.user.username, &decision).await?;
        return Ok(back(redirect_error(
            "access_denied",
            format!(
                "Lanyard refused access to {} (reference {reference})",
                app.model.name
            ),
        )));
    }
    let methods = live.auth_methods().join(",");
    let acr = if live.used_mfa() { ACR_MFA } else { ACR_SINGLE };
    let grant = super::grants::NewGrant {
        instance_id,
        application_id: &app.model.id,
        user_id: &live.user.id,
        session_id: &live.session.id,
        redirect_uri: &pending.redirect_uri,
        nonce: pending.nonce.as_deref(),
        code_challenge: pending.code_challenge.as_deref(),
        scope: &pending.scope,
        auth_time: live.session.created_at,
        auth_methods: &methods,
        acr,
    };
    let (code, _) = tokio::try_join!(
        super::grants::create(store, grant),
        access::record_decision(store, &request, &live.user.username, &decision),
    )?;
    let mut fields = vec![("code", code.as_str())];
    if let Some(state) = &pending.state {
        fields.push(("state", state));
    }
    Ok(respond(
        oidc,
        instance_id,
        &pending.redirect_uri,
        pending.response_mode,
        &fields,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(kind: ClientType) -> Client {
        Client {
            application_id: "0190a0a0-0000-7000-8000-000000000000".into(),
            instance_id: "i".into(),
            client_type: kind,
            auth_method: super::super::clients::AuthMethod::None,
            redirect_uris: vec!["https://rp.example.com/cb".into()],
            post_logout_redirect_uris: vec![],
            initiate_login_uri: None,
            scopes: vec!["openid".into(), "email".into()],
            claims: vec![],
            jwks: None,
            assertion_alg: None,
            id_token_lifetime_secs: 60,
            access_token_lifetime_secs: 60,
            refresh_token_lifetime_secs: 600,
            updated_at: None,
        }
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const CHALLENGE: &str = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";

    fn error_of(kind: ClientType, pairs: &[(&str, &str)]) -> &'static str {
        let (_, _, checked) = check(&client(kind), "https://rp.example.com/cb", &params(pairs));
        checked.err().map(|e| e.error).unwrap_or("ok")
    }

    #[test]
    fn requests_are_checked_before_anything_is_issued() {
        let base = [("response_type", "code"), ("scope", "openid email")];
        assert_eq!(error_of(ClientType::Confidential, &base), "ok");
        assert_eq!(
            error_of(ClientType::Public, &base),
            "invalid_request",
            "a public client without PKCE"
        );
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut all = base.to_vec();
            all.extend_from_slice(extra);
            all
        };
        let pkce = [
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        assert_eq!(error_of(ClientType::Public, &with(&pkce)), "ok");
        assert_eq!(
            error_of(
                ClientType::Public,
                &with(&[
                    ("code_challenge", CHALLENGE),
                    ("code_challenge_method", "plain")
                ])
            ),
            "invalid_request"
        );
        assert_eq!(
            error_of(ClientType::Public, &with(&[("code_challenge", CHALLENGE)])),
            "invalid_request",
            "no method means plain"
        );
        assert_eq!(
            error_of(
                ClientType::Confidential,
                &[("response_type", "token"), ("scope", "openid")]
            ),
            "unsupported_response_type"
        );
        assert_eq!(
            error_of(
                ClientType::Confidential,
                &[("response_type", "code"), ("scope", "email")]
            ),
            "invalid_scope"
        );
        assert_eq!(
            error_of(ClientType::Confidential, &with(&[("request", "eyJ")])),
            "request_not_supported"
        );
        assert_eq!(
            error_of(ClientType::Confidential, &with(&[("prompt", "none login")])),
            "invalid_request"
        );
        assert_eq!(
            error_of(ClientType::Confidential, &with(&[("max_age", "-1")])),
            "invalid_request"
        );
        assert_eq!(
            error_of(ClientType::Confidential, &with(&[("scope", "openid")])),
            "invalid_request",
            "a repeated parameter"
        );
        assert_eq!(
            error_of(
                ClientType::Confidential,
                &with(&[("response_mode", "fragment")])
            ),
            "invalid_request"
        );
    }

    #[test]
    fn scopes_the_client_may_not_have_are_left_out() {
        let (_, _, checked) = check(
            &client(ClientType::Confidential),
            "https://rp.example.com/cb",
            &params(&[
                ("response_type", "code"),
                ("scope", "openid email groups admin"),
            ]),
        );
        assert_eq!(checked.unwrap().scope, "openid email");
    }
}
