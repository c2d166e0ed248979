//! The provider's routes, per instance under its issuer `/oidc/{instance id}`: discovery,
//! JWKS, authorization (GET and POST) and its resumption after the sign-in page, token,
//! userinfo, revocation, introspection and RP-initiated logout; and `/oidc/apps/{id}/start`,
//! where the portal's tile of an OIDC application starts its login.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{FromRef, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use serde_json::{json, Value};

use super::authorize::{self, Unredirectable};
use super::client_auth::{self, field};
use super::tokens::{self, TokenError};
use super::{clients, grants, Oidc, ACR_MFA, ACR_SINGLE, SCOPES};
use crate::auth::employee_sessions;
use crate::error::{AppError, AppResult};
use crate::ids::plausible_id;
use crate::pages::{self, see_other, PageError};
use crate::request::ClientIp;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Oidc: FromRef<S>,
{
    Router::new()
        .route(
            "/oidc/{instance_id}/.well-known/openid-configuration",
            get(discovery),
        )
        .route(
            "/.well-known/oauth-authorization-server/oidc/{instance_id}",
            get(discovery),
        )
        .route("/oidc/{instance_id}/jwks", get(jwks))
        .route(
            "/oidc/{instance_id}/authorize",
            get(authorize_endpoint).post(authorize_endpoint),
        )
        .route("/oidc/{instance_id}/resume/{sealed}", get(resume))
        .route("/oidc/{instance_id}/token", axum::routing::post(token))
        .route("/oidc/{instance_id}/userinfo", get(userinfo).post(userinfo))
        .route("/oidc/{instance_id}/revoke", axum::routing::post(revoke))
        .route(
            "/oidc/{instance_id}/introspect",
            axum::routing::post(introspect),
        )
        .route(
            "/oidc/{instance_id}/logout",
            get(logout_endpoint).post(logout_endpoint),
        )
        .route("/oidc/apps/{application_id}/start", get(start))
}

/// The instance of the path, which must exist.
async fn instance_of(
    oidc: &Oidc,
    instance_id: Result<Path<String>, PathRejection>,
) -> AppResult<String> {
    let Ok(Path(instance_id)) = instance_id else {
        return Err(AppError::NotFound("instance"));
    };
    if !plausible_id(&instance_id) {
        return Err(AppError::NotFound("instance"));
    }
    crate::tenant::get_in(&oidc.store.conn, &instance_id).await?;
    Ok(instance_id)
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /oidc/{instance}/.well-known/openid-configuration` (and RFC 8414's location).
async fn discovery(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    let instance_id = instance_of(&oidc, instance_id).await?;
    let issuer = oidc.issuer(&instance_id);
    let signer = super::jwt::signer(&oidc, &instance_id).await?;
    let methods: Vec<&str> = clients::AuthMethod::ALL
        .iter()
        .map(|m| m.as_str())
        .collect();
    let document = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "jwks_uri": format!("{issuer}/jwks"),
        "revocation_endpoint": format!("{issuer}/revoke"),
        "introspection_endpoint": format!("{issuer}/introspect"),
        "end_session_endpoint": format!("{issuer}/logout"),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [signer.algorithm_name()],
        "userinfo_signing_alg_values_supported": ["none"],
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": clients::ASSERTION_ALGORITHMS,
        "revocation_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_methods_supported": methods,
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": [ACR_SINGLE, ACR_MFA],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid",
            "name", "preferred_username", "given_name", "family_name", "updated_at", "email",
            "email_verified", "phone_number", "phone_number_verified", "groups",
        ],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": false,
    });
    let mut response = Json(document).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

/// `GET /oidc/{instance}/jwks`: the instance's pending, active and retired keys.
async fn jwks(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    let instance_id = instance_of(&oidc, instance_id).await?;
    // The active key exists (an instance from before signing keys gets one here).
    crate::keys::active_signer(&oidc.ring, &instance_id).await?;
    let keys =
        crate::keys::published(&oidc.store.conn, &instance_id, oidc.ring.retirement_grace).await?;
    let jwks = keys
        .iter()
        .map(crate::events::jwks::jwk_of)
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(|err| AppError::Internal(err.context("publishing the JWKS")))?;
    let mut response = Json(json!({ "keys": jwks })).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The parameters of a request that may come by GET (the query) or POST (a form body), as
/// the authorization and logout endpoints take them (OpenID Connect Core §3.1.2.1).
struct Params(Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Params {
    type Rejection = PageError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        if request.method() == axum::http::Method::GET {
            let query = request.uri().query().unwrap_or_default();
            if query.len() > 16 * 1024 {
                return Err(AppError::bad_input("request", "the request is too long").into());
            }
            return Ok(Params(query_pairs(Some(query))));
        }
        match Form::<Vec<(String, String)>>::from_request(request, state).await {
            Ok(Form(params)) => Ok(Params(params)),
            Err(_) => {
                Err(AppError::bad_input("request", "the request must be form-encoded").into())
            }
        }
    }
}

/// `GET|POST /oidc/{instance}/authorize`.
async fn authorize_endpoint(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let instance_id = instance_of(&oidc, instance_id).await?;
    authorize(&oidc, &instance_id, &params, &headers, client_ip).await
}

async fn authorize(
    oidc: &Oidc,
    instance_id: &str,
    params: &[(String, String)],
    headers: &HeaderMap,
    client_ip: ClientIp,
) -> Result<Response, PageError> {
    let (app, client, redirect_uri) = match authorize::client_of(oidc, instance_id, params).await? {
        Ok(found) => found,
        Err(Unredirectable(why)) => {
            return Err(AppError::bad_input(
                "request",
                format!("This sign-in request cannot be answered: {why}."),
            )
            .into())
        }
    };
    let (mode, state, checked) = authorize::check(&client, &redirect_uri, params);
    let pending = match checked {
        Ok(pending) => pending,
        Err(error) => {
            return Ok(authorize::respond_error(
                oidc,
                instance_id,
                &redirect_uri,
                mode,
                state.as_deref(),
                &error,
            ))
        }
    };
    if !app.model.enabled || !app.model.sso_enabled || !client.incomplete().is_empty() {
        let error = authorize::RedirectError {
            error: "access_denied",
            description: format!(
                "single sign-on to {} is turned off or not set up",
                app.model.name
            ),
        };
        return Ok(authorize::respond_error(
            oidc,
            instance_id,
            &redirect_uri,
            mode,
            state.as_deref(),
            &error,
        ));
    }
    let live = employee_sessions::current(&oidc.auth, headers, instance_id).await?;
    Ok(authorize::answer(oidc, &app, &pending, live, client_ip.addr()).await?)
}

/// `GET /oidc/{instance}/resume/{sealed}`: back from the sign-in page or a second factor.
async fn resume(
    State(oidc): State<Oidc>,
    path: Result<Path<(String, String)>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Ok(Path((instance_id, sealed))) = path else {
        return Err(AppError::NotFound("request").into());
    };
    let instance_id = instance_of(&oidc, Ok(Path(instance_id))).await?;
    let Some(pending) = authorize::unseal(&oidc, &instance_id, &sealed) else {
        return Err(AppError::bad_input(
            "request",
            "this sign-in request is unknown or expired: start again from the application",
        )
        .into());
    };
    let Some((app, client)) = clients::find(&oidc, &instance_id, &pending.client_id).await? else {
        return Err(AppError::NotFound("application").into());
    };
    // The registration may have changed while she signed in.
    if !client.redirect_uris.contains(&pending.redirect_uri) {
        return Err(AppError::bad_input(
            "request",
            "the redirect URI of this request is no longer registered",
        )
        .into());
    }
    let live = employee_sessions::current(&oidc.auth, &headers, &instance_id).await?;
    Ok(authorize::answer(&oidc, &app, &pending, live, client_ip.addr()).await?)
}

fn token_error(err: TokenError) -> Response {
    let mut response = (
        err.status,
        Json(json!({ "error": err.error, "error_description": err.description })),
    )
        .into_response();
    if err.status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"lanyard\""),
        );
    }
    no_store(response)
}

/// The form of a token, revocation or introspection request: form-encoded, at most 64 KiB.
fn client_form(
    headers: &HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Vec<(String, String)>, TokenError> {
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    match form {
        Ok(Form(fields)) if form_encoded => Ok(fields),
        _ => Err(TokenError::invalid_request(
            "the request must be application/x-www-form-urlencoded",
        )),
    }
}

/// A client's call to the token, revocation or introspection endpoint: its form, and the
/// client, authenticated by the one method it registered.
struct ClientCall {
    instance_id: String,
    form: Vec<(String, String)>,
    caller: client_auth::Authenticated,
}

/// Reads and authenticates a client's call to `{issuer}/{endpoint}`; the error answer when it
/// is refused.
async fn client_call(
    oidc: &Oidc,
    instance_id: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
    endpoint: &str,
) -> AppResult<Result<ClientCall, Response>> {
    let instance_id = instance_of(oidc, instance_id).await?;
    let form = match client_form(headers, form) {
        Ok(form) => form,
        Err(err) => return Ok(Err(token_error(err))),
    };
    let endpoint = format!("{}/{endpoint}", oidc.issuer(&instance_id));
    Ok(
        match client_auth::authenticate(oidc, &instance_id, &endpoint, headers, &form).await? {
            Ok(caller) => Ok(ClientCall {
                instance_id,
                form,
                caller,
            }),
            Err(err) => Err(token_error(err)),
        },
    )
}

/// The `token` of a revocation or introspection request.
fn token_of(form: &[(String, String)]) -> Result<&str, TokenError> {
    field(form, "token")?.ok_or_else(|| TokenError::invalid_request("token is missing"))
}

/// `POST /oidc/{instance}/token`.
async fn token(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> AppResult<Response> {
    let ClientCall {
        instance_id: _,
        form,
        caller,
    } = match client_call(&oidc, instance_id, &headers, form, "token").await? {
        Ok(call) => call,
        Err(refused) => return Ok(refused),
    };
    let answer = match field(&form, "grant_type") {
        Err(err) => Err(err),
        Ok(Some("authorization_code")) => tokens::exchange_code(&oidc, &caller, &form).await?,
        Ok(Some("refresh_token")) => tokens::refresh(&oidc, &caller, &form).await?,
        Ok(None) => Err(TokenError::invalid_request("grant_type is missing")),
        Ok(Some(_)) => Err(TokenError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        )),
    };
    Ok(match answer {
        Ok(tokens) => no_store(Json(tokens).into_response()),
        Err(err) => token_error(err),
    })
}

fn bearer_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response = (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "Bearer error=\"{error}\", error_description=\"{description}\""
    )) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    no_store(response)
}

/// `GET|POST /oidc/{instance}/userinfo` with a bearer access token.
async fn userinfo(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let instance_id = instance_of(&oidc, instance_id).await?;
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
    else {
        let mut response = (StatusCode::UNAUTHORIZED, Json(json!({ "error": "invalid_request", "error_description": "a bearer access token is required" }))).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"lanyard\""),
        );
        return Ok(no_store(response));
    };
    let Some(claims) = tokens::check_access_token(&oidc, &instance_id, token).await? else {
        return Ok(bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the access token is invalid, expired or revoked",
        ));
    };
    if !claims.scope.split(' ').any(|s| s == "openid") {
        return Ok(bearer_error(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "the access token was not granted openid",
        ));
    }
    let Some(grant) = grants::live(&oidc.store.conn, claims.grant_id()).await? else {
        return Ok(bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the grant is revoked",
        ));
    };
    let Some(user) = entity::user::Entity::find_by_id(grant.user_id.as_str())
        .one(oidc.store.reads())
        .await?
        .filter(|u| u.status == entity::user::UserStatus::Active)
    else {
        return Ok(bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the employee is no longer active",
        ));
    };
    let Some((app, client)) = clients::find(&oidc, &instance_id, &claims.client_id).await? else {
        return Ok(bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "unknown client",
        ));
    };
    let scopes: Vec<&str> = claims.scope.split(' ').collect();
    let body = super::claims::of_user(&oidc, &app, &client, &user, &claims.sub, &scopes).await?;
    Ok(no_store(Json(Value::Object(body)).into_response()))
}

use sea_orm::EntityTrait;

/// `POST /oidc/{instance}/revoke` (RFC 7009): the token's grant is revoked; an unknown token
/// is answered the same way, 200.
async fn revoke(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> AppResult<Response> {
    let ClientCall {
        instance_id,
        form,
        caller,
    } = match client_call(&oidc, instance_id, &headers, form, "revoke").await? {
        Ok(call) => call,
        Err(refused) => return Ok(refused),
    };
    let token = match token_of(&form) {
        Ok(token) => token,
        Err(err) => return Ok(token_error(err)),
    };
    let grant = match grants::of_refresh(&oidc, token).await? {
        Some((_, grant)) => Some(grant),
        None => match tokens::check_access_token(&oidc, &instance_id, token).await? {
            Some(claims) => grants::live(&oidc.store.conn, claims.grant_id()).await?,
            None => None,
        },
    };
    if let Some(grant) = grant {
        if grant.application_id != caller.client.application_id {
            return Ok(token_error(TokenError::new(
                StatusCode::BAD_REQUEST,
                "unauthorized_client",
                "the token was issued to another client",
            )));
        }
        grants::revoke(&oidc, &grant.id).await?;
    }
    Ok(no_store(StatusCode::OK.into_response()))
}

/// `POST /oidc/{instance}/introspect` (RFC 7662): for the client the token was issued to.
async fn introspect(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> AppResult<Response> {
    let ClientCall {
        instance_id,
        form,
        caller,
    } = match client_call(&oidc, instance_id, &headers, form, "introspect").await? {
        Ok(call) => call,
        Err(refused) => return Ok(refused),
    };
    let token = match token_of(&form) {
        Ok(token) => token,
        Err(err) => return Ok(token_error(err)),
    };
    let inactive = || no_store(Json(json!({ "active": false })).into_response());
    let mine = caller.client.application_id.as_str();
    if let Some(claims) = tokens::check_access_token(&oidc, &instance_id, token).await? {
        if claims.client_id != mine {
            return Ok(inactive());
        }
        return Ok(no_store(
            Json(json!({
                "active": true,
                "token_type": "Bearer",
                "scope": claims.scope,
                "client_id": claims.client_id,
                "sub": claims.sub,
                "aud": claims.aud,
                "iss": claims.iss,
                "exp": claims.exp,
                "iat": claims.iat,
                "jti": claims.jti,
                "auth_time": claims.auth_time,
                "acr": claims.acr,
            }))
            .into_response(),
        ));
    }
    if let Some((row, grant)) = grants::of_refresh(&oidc, token).await? {
        let active = grant.application_id == mine
            && row.used_at.is_none()
            && row.expires_at > chrono::Utc::now()
            && grants::stands(&oidc, &grant).await?;
        if !active {
            return Ok(inactive());
        }
        return Ok(no_store(
            Json(json!({
                "active": true,
                "token_type": "refresh_token",
                "scope": grant.scope,
                "client_id": grant.application_id,
                "iss": oidc.issuer(&instance_id),
                "exp": row.expires_at.timestamp(),
                "iat": row.created_at.timestamp(),
            }))
            .into_response(),
        ));
    }
    Ok(inactive())
}

/// The claims of an ID token hint this provider needs: who it was issued to, about whom.
#[derive(serde::Deserialize)]
struct HintClaims {
    aud: Value,
    #[serde(default)]
    sid: Option<String>,
}

/// `GET|POST /oidc/{instance}/logout`.
async fn logout_endpoint(
    State(oidc): State<Oidc>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    Params(params): Params,
) -> Result<Response, PageError> {
    let instance_id = instance_of(&oidc, instance_id).await?;
    logout(&oidc, &instance_id, &params, &headers, client_ip).await
}

/// RP-Initiated Logout 1.0. The ID token hint must be one this instance signed (expired is
/// fine); the post-logout redirect URI must be registered for its client, exactly. The
/// employee's session ends only when the hint names it; the session's grants end with it.
async fn logout(
    oidc: &Oidc,
    instance_id: &str,
    params: &[(String, String)],
    headers: &HeaderMap,
    client_ip: ClientIp,
) -> Result<Response, PageError> {
    let get = |name: &str| {
        client_auth::field(params, name)
            .map_err(|err| AppError::bad_input(name.to_owned(), err.description))
    };
    let hint = get("id_token_hint")?;
    let post_logout = get("post_logout_redirect_uri")?;
    let state = get("state")?;
    let client_id = get("client_id")?;
    let mut rules = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    rules.set_issuer(&[oidc.issuer(instance_id)]);
    rules.validate_aud = false;
    rules.validate_exp = false;
    rules.set_required_spec_claims(&["iss", "aud", "sub"]);
    let hint = match hint {
        None => None,
        Some(token) => Some(
            super::jwt::verify::<HintClaims>(oidc, instance_id, token, &rules)
                .await?
                .ok_or_else(|| {
                    AppError::bad_input(
                        "id_token_hint",
                        "the ID token hint was not issued by this identity provider",
                    )
                })?,
        ),
    };
    let hinted_client = hint.as_ref().and_then(|h| match &h.aud {
        Value::String(aud) => Some(aud.clone()),
        Value::Array(auds) => auds.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    });
    if let (Some(hinted), Some(given)) = (&hinted_client, client_id) {
        if hinted != given {
            return Err(AppError::bad_input(
                "client_id",
                "client_id is not the audience of the ID token hint",
            )
            .into());
        }
    }
    let client_id = hinted_client.or(client_id.map(str::to_owned));
    let mut back = None;
    if let Some(uri) = post_logout {
        let client = match &client_id {
            Some(id) => clients::find(oidc, instance_id, id).await?.map(|(_, c)| c),
            None => None,
        };
        let Some(client) = client else {
            return Err(AppError::bad_input(
                "post_logout_redirect_uri",
                "a post-logout redirect needs an ID token hint or client_id of a client of this provider",
            )
            .into());
        };
        if !client.post_logout_redirect_uris.iter().any(|r| r == uri) {
            return Err(AppError::bad_input(
                "post_logout_redirect_uri",
                "the post-logout redirect URI is not registered for this client",
            )
            .into());
        }
        let mut url = url::Url::parse(uri)
            .map_err(|_| AppError::bad_input("post_logout_redirect_uri", "not a URL"))?;
        if let Some(state) = state {
            url.query_pairs_mut().append_pair("state", state);
        }
        back = Some(String::from(url));
    }
    let live = employee_sessions::current(&oidc.auth, headers, instance_id).await?;
    let clear = employee_sessions::cookie(&oidc.auth, instance_id, "", 0);
    let names_session = |live: &employee_sessions::EmployeeSession| {
        hint.as_ref()
            .and_then(|h| h.sid.as_deref())
            .is_some_and(|sid| sid == tokens::sid_of(&live.session.id))
    };
    match live {
        Some(live) if names_session(&live) => {
            let txn = oidc.store.begin_write().await?;
            grants::revoke_session(&txn, &live.session.id).await?;
            txn.commit().await?;
            let progress = crate::saml::slo::sign_out(&oidc.saml, &live, client_ip.addr()).await?;
            // SAML participants are told first; the logout page then ends at Lanyard's
            // sign-in page, not back at the relying party.
            let next = progress.or(back).unwrap_or_else(|| {
                pages::sign_in_url(
                    &oidc.config.public_url,
                    instance_id,
                    &pages::Continue::Portal,
                )
            });
            Ok(see_other(&next, &[clear]))
        }
        Some(_) => {
            // Not proven to come from her relying party: she confirms on the portal, where
            // signing out is a form with a CSRF token.
            Ok(see_other(
                &format!("{}/sso/{instance_id}/portal", oidc.config.public_url),
                &[],
            ))
        }
        None => Ok(see_other(
            &back.unwrap_or_else(|| {
                pages::sign_in_url(
                    &oidc.config.public_url,
                    instance_id,
                    &pages::Continue::Portal,
                )
            }),
            &[clear],
        )),
    }
}

/// `GET /oidc/apps/{id}/start`: the portal's tile of an OIDC application — the client's
/// login initiation URI (with `iss`), else its site; the relying party then comes back to
/// the authorization endpoint, where the decision is made.
async fn start(
    State(oidc): State<Oidc>,
    application_id: Result<Path<String>, PathRejection>,
) -> Result<Response, PageError> {
    let Ok(Path(application_id)) = application_id else {
        return Err(AppError::NotFound("application").into());
    };
    if !plausible_id(&application_id) {
        return Err(AppError::NotFound("application").into());
    }
    let app = crate::apps::applications::cached(&oidc.apps, &application_id)
        .await?
        .filter(|app| app.template.is_oidc())
        .ok_or(AppError::NotFound("application"))?;
    let client = clients::of(&oidc.store.conn, &app).await?;
    let issuer = oidc.issuer(&app.model.instance_id);
    let Some(url) = client.launch_url(&issuer) else {
        return Err(AppError::bad_input(
            "application",
            format!("{} has no login URL to start from", app.model.name),
        )
        .into());
    };
    Ok(see_other(&url, &[]))
}
