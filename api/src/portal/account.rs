//! The employee's own account page (`/sso/{instance}/account`): who she is, where she is
//! signed in (with "Sign out other sessions"), and changing her password. Server-rendered
//! like the portal; every form carries a CSRF token of its own purpose.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::{attempt_of, instance_of_path};
use crate::auth::csrf;
use crate::auth::employee_sessions::{self, EmployeeSession};
use crate::error::AppError;
use crate::i18n;
use crate::pages::{
    self, see_other, sign_in_url, AccountSession, AccountView, Continue, PageError,
};
use crate::request::ClientIp;
use crate::saml::Saml;
use crate::t;

/// The CSRF purpose of the account page's forms.
pub fn account_purpose(instance_id: &str) -> String {
    format!("account:{instance_id}")
}

/// The fields of the account page's forms.
#[derive(Deserialize, Default)]
pub struct AccountFields {
    #[serde(default)]
    pub csrf: String,
    #[serde(default, rename = "currentPassword")]
    pub current_password: String,
    #[serde(default, rename = "newPassword")]
    pub new_password: String,
}

/// What a finished action says on the page.
enum Outcome<'a> {
    None,
    Notice(&'a str),
    Refused(&'a str, String),
}

/// The signed-in employee, or the sign-in page that comes back here.
async fn signed_in(
    saml: &Saml,
    headers: &HeaderMap,
    instance_id: &str,
) -> Result<Result<EmployeeSession, Response>, AppError> {
    Ok(
        match employee_sessions::current(&saml.auth, headers, instance_id).await? {
            Some(live) => Ok(live),
            None => Err(see_other(
                &sign_in_url(&saml.config.public_url, instance_id, &Continue::Account),
                &[],
            )),
        },
    )
}

async fn render(
    saml: &Saml,
    headers: &HeaderMap,
    live: &EmployeeSession,
    outcome: Outcome<'_>,
) -> Result<Response, AppError> {
    let sessions = employee_sessions::own_sessions(&saml.auth, live).await?;
    let listed: Vec<AccountSession> = sessions
        .iter()
        .map(|s| AccountSession {
            signed_in: s.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            last_seen: s.last_seen_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            from: [s.client_ip.as_deref(), s.user_agent.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            this_one: s.id == live.session.id,
        })
        .collect();
    let pre = csrf::pre_session(&saml.auth, headers);
    let token = csrf::token(
        &saml.auth,
        &pre.value,
        &account_purpose(&live.session.instance_id),
    );
    let (status, notice, error) = match &outcome {
        Outcome::None => (StatusCode::OK, None, None),
        Outcome::Notice(notice) => (StatusCode::OK, Some(*notice), None),
        Outcome::Refused(field, message) => (
            StatusCode::BAD_REQUEST,
            None,
            Some((*field, message.as_str())),
        ),
    };
    let mut response = pages::account(
        status,
        &AccountView {
            instance_id: &live.session.instance_id,
            display_name: &live.user.display_name,
            username: &live.user.username,
            email: live.user.email.as_deref(),
            csrf_token: &token,
            sessions: &listed,
            notice,
            error,
        },
    );
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `GET /sso/{instance_id}/account`.
pub async fn page(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let live = match signed_in(&saml, &headers, &instance.id).await? {
        Ok(live) => live,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    Ok(render(&saml, &headers, &live, Outcome::None).await?)
}

/// A posted form of the account page: its fields once its CSRF token holds, and the
/// signed-in employee (else the sign-in page to answer with).
async fn posted(
    saml: &Saml,
    instance_id: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Result<(EmployeeSession, AccountFields), Response>, PageError> {
    let instance = instance_of_path(saml, instance_id).await?;
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    csrf::verify(
        &saml.auth,
        headers,
        &account_purpose(&instance.id),
        &fields.csrf,
    )?;
    Ok(signed_in(saml, headers, &instance.id)
        .await?
        .map(|live| (live, fields)))
}

/// `POST /sso/{instance_id}/account/sessions`: signs out every other session.
pub async fn sign_out_others(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let live = match posted(&saml, instance_id, &headers, form).await? {
        Ok((live, _)) => live,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    let ended = employee_sessions::end_other_sessions(
        &saml.auth,
        &live,
        client_ip.addr().map(|ip| ip.to_string()),
    )
    .await?;
    let lang = i18n::current();
    let notice = match ended {
        0 => t!(lang, "account-signed-out-none"),
        n => t!(lang, "account-signed-out-others", count = n),
    };
    Ok(render(&saml, &headers, &live, Outcome::Notice(&notice)).await?)
}

/// `POST /sso/{instance_id}/account/password`: changes her password; a wrong current password
/// or a new one that breaks the rules is shown at its field.
pub async fn change_password(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (live, fields) = match posted(&saml, instance_id, &headers, form).await? {
        Ok(posted) => posted,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    let attempt = attempt_of(client_ip.addr().map(|ip| ip.to_string()), &headers);
    let changed = employee_sessions::change_password(
        &saml.auth,
        &live,
        &fields.current_password,
        &fields.new_password,
        &attempt,
    )
    .await;
    let changed_notice = t!(i18n::current(), "account-password-changed");
    let outcome = match changed {
        Ok(_) => Outcome::Notice(&changed_notice),
        Err(AppError::BadUserInput { field, message }) => Outcome::Refused(
            if field.as_deref() == Some("currentPassword") {
                "currentPassword"
            } else {
                "newPassword"
            },
            message,
        ),
        Err(other) => return Err(other.into()),
    };
    Ok(render(&saml, &headers, &live, outcome).await?)
}
