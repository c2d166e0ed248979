//! What employees use in a browser: an instance's sign-in page, sign-out, and the portal that
//! lists the applications they may single-sign-on into. Server-rendered, no JavaScript needed,
//! forms protected by [`crate::auth::csrf`].
//!
//! After signing in the employee continues to a place named by [`Continue`]: the portal, an
//! application's IdP-initiated start, or a pending AuthnRequest — ids the server maps to its
//! own paths, never a URL from the request, so no parameter can redirect elsewhere.

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use entity::application::{self, Initiation};
use entity::instance::{self, MfaRequired};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use crate::access::Initiator;
use crate::apps::applications::{has_name_id, Resolved};
use crate::audit::activity;
use crate::auth::csrf;
use crate::auth::employee_sessions::{self, Attempt, EmployeeSession, PASSWORD};
use crate::auth::factors;
use crate::auth::sign_in_codes::{self, Pending, Proof, Refusal};
use crate::error::{AppError, AppResult};
use crate::i18n;
use crate::ids::plausible_id;
use crate::pages::{
    self, see_other, sign_in_url, CodeForm, Continue, PageError, PortalEntry, PortalView,
    SignInForm,
};
use crate::request::ClientIp;
use crate::saml::{slo, Saml};
use crate::t;

mod account;
pub mod factor;
mod passkeys;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Saml: FromRef<S>,
{
    Router::new()
        .route("/sso/{instance_id}/login", get(sign_in_page).post(sign_in))
        .route(
            "/sso/{instance_id}/login/code",
            get(code_page).post(code_submit),
        )
        .route(
            "/sso/{instance_id}/login/factor",
            get(factor::page).post(factor::submit),
        )
        .route("/sso/{instance_id}/login/factor/email", post(factor::email))
        .route("/sso/{instance_id}/login/factor/enrol", post(factor::enrol))
        .route("/sso/{instance_id}/logout", post(sign_out))
        .route("/sso/{instance_id}/portal", get(portal))
        .route("/sso/{instance_id}/account", get(account::page))
        .route(
            "/sso/{instance_id}/account/sessions",
            post(account::sign_out_others),
        )
        .route(
            "/sso/{instance_id}/account/password",
            post(account::change_password),
        )
        .route(
            "/sso/{instance_id}/account/totp",
            get(account::totp_page).post(account::totp_confirm),
        )
        .route(
            "/sso/{instance_id}/account/factors/remove",
            post(account::remove_factor),
        )
        .route(
            "/sso/{instance_id}/account/recovery-codes",
            post(account::new_recovery_codes),
        )
        .route("/sso/{instance_id}/account/verify", post(account::verify))
        .route("/sso/static/passkeys.js", get(passkeys::script))
        .route(
            "/sso/{instance_id}/account/passkeys/options",
            post(passkeys::register_options).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
        .route(
            "/sso/{instance_id}/account/passkeys/finish",
            post(passkeys::register_finish).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
        .route(
            "/sso/{instance_id}/login/factor/passkey/options",
            post(passkeys::factor_options).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
        .route(
            "/sso/{instance_id}/login/factor/passkey/finish",
            post(passkeys::factor_finish).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
        .route(
            "/sso/{instance_id}/login/passkey/options",
            post(passkeys::sign_in_options).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
        .route(
            "/sso/{instance_id}/login/passkey/finish",
            post(passkeys::sign_in_finish).layer(DefaultBodyLimit::max(passkeys::MAX_BODY)),
        )
}

async fn instance_of_path(
    saml: &Saml,
    instance_id: Result<Path<String>, PathRejection>,
) -> AppResult<instance::Model> {
    let Ok(Path(instance_id)) = instance_id else {
        return Err(AppError::NotFound("instance"));
    };
    if !plausible_id(&instance_id) {
        return Err(AppError::NotFound("instance"));
    }
    instance::Entity::find_by_id(instance_id)
        .one(&saml.store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))
}

pub fn login_purpose(instance_id: &str) -> String {
    format!("login:{instance_id}")
}

pub fn code_purpose(instance_id: &str) -> String {
    format!("code:{instance_id}")
}

pub fn logout_purpose(instance_id: &str) -> String {
    format!("logout:{instance_id}")
}

#[derive(Deserialize)]
struct ContinueQuery {
    #[serde(rename = "continue")]
    next: Option<String>,
    /// Who is expected to sign in (an OIDC `login_hint`): the username field's first value.
    login_hint: Option<String>,
}

fn render_sign_in(
    saml: &Saml,
    headers: &HeaderMap,
    status: StatusCode,
    instance: &instance::Model,
    next: &Continue,
    username: &str,
    error: Option<&str>,
) -> Response {
    let pre = csrf::pre_session(&saml.auth, headers);
    let token = csrf::token(&saml.auth, &pre.value, &login_purpose(&instance.id));
    let mut response = pages::sign_in(
        status,
        &SignInForm {
            instance_id: &instance.id,
            instance_name: &instance.name,
            csrf_token: &token,
            continue_to: &next.encode(),
            username,
            error,
            passkey: instance.allows("passkey")
                && instance.passkey_sign_in
                && crate::auth::passkeys::enabled(&saml.config),
        },
    );
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /sso/{instance_id}/login?continue=…`: the sign-in form; straight on when signed in.
async fn sign_in_page(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    Query(query): Query<ContinueQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let next = Continue::parse(query.next.as_deref());
    if employee_sessions::current(&saml.auth, &headers, &instance.id)
        .await?
        .is_some()
        && !matches!(next, Continue::Request(_) | Continue::Authorize(_))
    {
        return Ok(see_other(
            &next.url(&saml.config.public_url, &instance.id),
            &[],
        ));
    }
    let hint: String = query
        .login_hint
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(128)
        .collect();
    Ok(render_sign_in(
        &saml,
        &headers,
        StatusCode::OK,
        &instance,
        &next,
        hint.trim(),
        None,
    ))
}

/// The sign-in form's fields, as `POST /sso/{instance_id}/login` reads them.
#[derive(Deserialize)]
pub struct SignInFields {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub csrf: String,
    #[serde(rename = "continue")]
    pub next: Option<String>,
}

/// `POST /sso/{instance_id}/login`: checks the CSRF token, then the password (throttled), opens
/// the session and continues.
async fn sign_in(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<SignInFields>, FormRejection>,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let Ok(Form(form)) = form else {
        return Err(AppError::bad_input("form", t!(i18n::current(), "sign-in-send-form")).into());
    };
    csrf::verify(
        &saml.auth,
        &headers,
        &login_purpose(&instance.id),
        &form.csrf,
    )?;
    let next = Continue::parse(form.next.as_deref());
    let username: String = form.username.chars().take(64).collect();
    let attempt = attempt_of(client_ip, &headers);
    if form.password.len() > 1024 {
        return Err(AppError::bad_input(
            "password",
            t!(i18n::current(), "sign-in-password-too-long"),
        )
        .into());
    }
    let refused = |status, message: &str| {
        render_sign_in(
            &saml,
            &headers,
            status,
            &instance,
            &next,
            &username,
            Some(message),
        )
    };
    let user = match employee_sessions::check_password(
        &saml.auth,
        &instance.id,
        &username,
        &form.password,
        &attempt,
    )
    .await
    {
        Ok(user) => user,
        Err(AppError::Unauthenticated) => {
            return Ok(refused(
                StatusCode::UNAUTHORIZED,
                &t!(i18n::current(), "sign-in-wrong"),
            ))
        }
        Err(err @ AppError::TooManyAttempts { .. }) => {
            let mut response = refused(StatusCode::TOO_MANY_REQUESTS, &err.to_string());
            if let Some(seconds) = err.retry_after_secs() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, seconds.into());
            }
            return Ok(response);
        }
        Err(err) => return Err(err.into()),
    };
    if instance.mfa_required == MfaRequired::Everyone {
        let available = factors::available(&saml.store.conn, &instance, &user).await?;
        if !available.any() && !available.may_enrol_totp {
            // Nothing to give and nothing to set up here: said at once, no step kept.
            let message = if instance.allows("email_code") {
                Refusal::NoEmail.message()
            } else {
                t!(i18n::current(), "factor-none")
            };
            return Ok(refused(StatusCode::FORBIDDEN, &message));
        }
        let email = available.only_email();
        let step = sign_in_codes::Step {
            continue_to: &next.encode(),
            session_id: None,
            email,
        };
        return match sign_in_codes::begin(&saml.auth, &user, step, &attempt).await? {
            Ok((_, cookie)) => Ok(see_other(
                &format!(
                    "{}/sso/{}/login/{}",
                    saml.config.public_url,
                    instance.id,
                    if email { "code" } else { "factor" }
                ),
                &[cookie],
            )),
            Err(refusal) => Ok(refused(StatusCode::FORBIDDEN, &refusal.message())),
        };
    }
    let cookie = employee_sessions::open(&saml.auth, user, &[PASSWORD], attempt).await?;
    Ok(see_other(
        &next.url(&saml.config.public_url, &instance.id),
        &[cookie],
    ))
}

fn attempt_of(client_ip: Option<String>, headers: &HeaderMap) -> Attempt {
    Attempt {
        client_ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

fn render_code_form(
    saml: &Saml,
    headers: &HeaderMap,
    status: StatusCode,
    instance: &instance::Model,
    pending: &Pending,
    error: Option<&str>,
) -> Response {
    let pre = csrf::pre_session(&saml.auth, headers);
    let token = csrf::token(&saml.auth, &pre.value, &code_purpose(&instance.id));
    let sent_to = sign_in_codes::masked_email(pending.user.email.as_deref().unwrap_or_default());
    let mut response = pages::sign_in_code(
        status,
        &CodeForm {
            instance_id: &instance.id,
            instance_name: &instance.name,
            csrf_token: &token,
            sent_to: &sent_to,
            continue_to: &pending.code.continue_to,
            valid_minutes: sign_in_codes::VALID_MINUTES,
            error,
        },
    );
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /sso/{instance_id}/login/code`: the form for the emailed code; back to sign-in when no
/// code is pending.
async fn code_page(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    match sign_in_codes::pending(&saml.auth, &headers, &instance.id).await? {
        Some(pending) => Ok(render_code_form(
            &saml,
            &headers,
            StatusCode::OK,
            &instance,
            &pending,
            None,
        )),
        None => Ok(see_other(
            &sign_in_url(&saml.config.public_url, &instance.id, &Continue::Portal),
            &[sign_in_codes::clear_cookie(&saml.auth, &instance.id)],
        )),
    }
}

/// The emailed-code form's fields.
#[derive(Deserialize)]
pub struct CodeFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub csrf: String,
}

/// `POST /sso/{instance_id}/login/code`: checks the code; right, the session opens and the
/// employee continues where the sign-in was going.
async fn code_submit(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<CodeFields>, FormRejection>,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let Ok(Form(form)) = form else {
        return Err(AppError::bad_input("form", t!(i18n::current(), "code-send-form")).into());
    };
    csrf::verify(
        &saml.auth,
        &headers,
        &code_purpose(&instance.id),
        &form.csrf,
    )?;
    if form.code.len() > 64 {
        return Err(AppError::bad_input("code", t!(i18n::current(), "code-six-digits")).into());
    }
    let gone = |next: &Continue| {
        let mut response = render_sign_in(
            &saml,
            &headers,
            StatusCode::UNAUTHORIZED,
            &instance,
            next,
            "",
            Some(&Refusal::Gone.message()),
        );
        if let Ok(value) = sign_in_codes::clear_cookie(&saml.auth, &instance.id).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    };
    let Some(pending) = sign_in_codes::pending(&saml.auth, &headers, &instance.id).await? else {
        return Ok(gone(&Continue::Portal));
    };
    let next = Continue::parse(Some(&pending.code.continue_to));
    let attempt = attempt_of(client_ip, &headers);
    let retry = |pending: &Pending, refusal: &Refusal| {
        render_code_form(
            &saml,
            &headers,
            StatusCode::UNAUTHORIZED,
            &instance,
            pending,
            Some(&refusal.message()),
        )
    };
    let kept = pending.clone();
    match sign_in_codes::verify(&saml.auth, pending, Proof::EmailCode, &form.code, attempt).await? {
        Ok(cookie) => Ok(see_other(
            &next.url(&saml.config.public_url, &instance.id),
            &[
                cookie,
                sign_in_codes::clear_cookie(&saml.auth, &instance.id),
            ],
        )),
        Err(refusal @ Refusal::Wrong { .. }) => Ok(retry(&kept, &refusal)),
        Err(_) => Ok(gone(&next)),
    }
}

/// The sign-out form's field.
#[derive(Deserialize)]
pub struct SignOutFields {
    #[serde(default)]
    pub csrf: String,
}

/// `POST /sso/{instance_id}/logout`: ends the session and clears its cookie; then signs the
/// employee out of the applications the session signed in to (single logout), or straight
/// back to sign-in when there are none.
async fn sign_out(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<SignOutFields>, FormRejection>,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let csrf_token = form.map(|Form(f)| f.csrf).unwrap_or_default();
    csrf::verify(
        &saml.auth,
        &headers,
        &logout_purpose(&instance.id),
        &csrf_token,
    )?;
    let clear = employee_sessions::cookie(&saml.auth, &instance.id, "", 0);
    let next = match employee_sessions::current(&saml.auth, &headers, &instance.id).await? {
        Some(live) => slo::sign_out(&saml, &live, client_ip.addr()).await?,
        None => None,
    };
    let next = next
        .unwrap_or_else(|| sign_in_url(&saml.config.public_url, &instance.id, &Continue::Portal));
    Ok(see_other(&next, &[clear]))
}

/// The portal's search.
#[derive(Deserialize, Default)]
pub struct PortalQuery {
    #[serde(default)]
    pub q: String,
}

/// How many recently used applications the portal shows first.
const RECENT_TILES: u64 = 4;

/// `GET /sso/{instance_id}/portal[?q=…]`: the applications the employee may open, recently
/// used first, searched by name.
async fn portal(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    query: Result<Query<PortalQuery>, QueryRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let Some(live) = employee_sessions::current(&saml.auth, &headers, &instance.id).await? else {
        return Ok(see_other(
            &sign_in_url(&saml.config.public_url, &instance.id, &Continue::Portal),
            &[],
        ));
    };
    // A search is a few words of a name: longer input is cut, not refused.
    let searched: String = query
        .map(|Query(q)| q.q)
        .unwrap_or_default()
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let (apps, recent_ids) = tokio::try_join!(
        allowed_applications(&saml, &live, client_ip.addr()),
        activity::recent_applications(
            &saml.store,
            &instance.id,
            &live.user.id,
            RECENT_TILES,
            chrono::Utc::now()
        ),
    )?;
    fn entry(app: &Resolved) -> PortalEntry<'_> {
        PortalEntry {
            id: &app.model.id,
            name: &app.model.name,
            logo: app.template.logo,
            oidc: app.template.is_oidc(),
        }
    }
    let needle = searched.to_lowercase();
    let entries: Vec<PortalEntry<'_>> = apps
        .iter()
        .filter(|app| app.model.name.to_lowercase().contains(&needle))
        .map(entry)
        .collect();
    let recent: Vec<PortalEntry<'_>> = recent_ids
        .iter()
        .filter_map(|id| apps.iter().find(|app| &app.model.id == id))
        .map(entry)
        .collect();
    let pre = csrf::pre_session(&saml.auth, &headers);
    let token = csrf::token(&saml.auth, &pre.value, &logout_purpose(&instance.id));
    let mut response = pages::portal(&PortalView {
        instance_id: &instance.id,
        display_name: &live.user.display_name,
        username: &live.user.username,
        csrf_token: &token,
        query: &searched,
        recent: &recent,
        entries: &entries,
        total: apps.len(),
    });
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Exactly the applications the employee can open from the portal: enabled, SSO on,
/// IdP-initiation allowed, allowed by the access decision (or allowed once she gives a second
/// factor she has: opening it asks for it), and with the NameID the account mode needs.
/// Sorted by name.
pub async fn allowed_applications(
    saml: &Saml,
    live: &EmployeeSession,
    client_ip: Option<std::net::IpAddr>,
) -> AppResult<Vec<Resolved>> {
    let candidates = application::Entity::find()
        .filter(application::Column::InstanceId.eq(live.session.instance_id.clone()))
        .filter(application::Column::Enabled.eq(true))
        .filter(application::Column::SsoEnabled.eq(true))
        .filter(application::Column::Initiation.eq(Initiation::IdpOrSp))
        .order_by_asc(application::Column::Name)
        .all(&saml.store.conn)
        .await?;
    let mut allowed = Vec::new();
    // Whether she has a second factor to step up with: asked once, when an application needs it.
    let mut can_step_up = None;
    for model in candidates {
        let app = Resolved::new(model)?;
        let mut open = crate::sso::decide(
            &saml.store,
            &saml.access,
            live,
            &app,
            Initiator::Idp,
            client_ip,
        )
        .await?
        .allowed;
        if !open
            && crate::sso::allowed_with_more(
                &saml.store,
                &saml.access,
                live,
                &app,
                Initiator::Idp,
                client_ip,
            )
            .await?
        {
            open = match can_step_up {
                Some(can) => can,
                None => *can_step_up.insert(crate::sso::can_step_up(&saml.store, live).await?),
            };
        }
        if open && app.template.is_oidc() {
            // Its tile goes to the relying party, which needs an address to be sent to.
            let client = crate::oidc::clients::of(&saml.store.conn, &app).await?;
            let issuer = crate::oidc::issuer(&saml.config.public_url, &app.model.instance_id);
            open = client.incomplete().is_empty() && client.launch_url(&issuer).is_some();
        }
        if open && has_name_id(&saml.apps, &app, &live.user).await? {
            allowed.push(app);
        }
    }
    Ok(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_targets_are_ids_never_urls() {
        let id = "0190a0a0-0000-7000-8000-000000000000";
        assert_eq!(
            Continue::parse(Some(&format!("app:{id}"))),
            Continue::Start(id.into())
        );
        assert_eq!(
            Continue::parse(Some(&format!("request:{id}"))),
            Continue::Request(id.into())
        );
        for hostile in [
            "https://evil.example.com",
            "//evil.example.com",
            "app:https://evil.example.com",
            "app:../../x",
            "request:",
            "app:a/b",
            "\u{0}",
        ] {
            assert_eq!(
                Continue::parse(Some(hostile)),
                Continue::Portal,
                "{hostile}"
            );
        }
        let url = Continue::Start(id.into()).url("https://id.example.com", "i1");
        assert_eq!(url, format!("https://id.example.com/saml/apps/{id}/start"));
        assert_eq!(
            Continue::parse(Some(&Continue::Request(id.into()).encode())),
            Continue::Request(id.into())
        );
    }
}
