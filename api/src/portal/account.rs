//! The employee's own account page (`/sso/{instance}/account`): who she is, where she is
//! signed in (with "Sign out other sessions"), and changing her password. Server-rendered
//! like the portal; every form carries a CSRF token of its own purpose.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use entity::factor::FactorKind;
use entity::instance;
use sea_orm::EntityTrait;

use super::{attempt_of, factor, instance_of_path};
use crate::audit;
use crate::auth::csrf;
use crate::auth::employee_sessions::{self, EmployeeSession};
use crate::auth::factors::{self, NotConfirmed, Owner};
use crate::auth::sign_in_codes;
use crate::authz::admin::Actor;
use crate::error::AppError;
use crate::i18n;
use crate::pages::{
    self, see_other, sign_in_url, AccountSession, AccountView, Continue, PageError,
};
use crate::request::html_escape as e;
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
    /// The factor removed, or the enrolment confirmed.
    #[serde(default)]
    pub factor: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
}

/// What a finished action says on the page.
enum Outcome<'a> {
    None,
    Notice(&'a str),
    Refused(&'a str, String),
    /// New recovery codes, shown once, with what happened.
    Codes(&'a str, Vec<String>),
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
        Outcome::Notice(notice) | Outcome::Codes(notice, _) => {
            (StatusCode::OK, Some(*notice), None)
        }
        Outcome::Refused(field, message) => (
            StatusCode::BAD_REQUEST,
            None,
            Some((*field, message.as_str())),
        ),
    };
    let codes = match &outcome {
        Outcome::Codes(_, codes) => codes.as_slice(),
        _ => &[],
    };
    let (factors_html, passkey_script) = factors_section(saml, live, &token, codes).await?;
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
            factors: &factors_html,
            passkey_script,
        },
    );
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Whether the employee may change her factors in this session: she has none yet, or the
/// session proved one.
pub(super) async fn may_manage(saml: &Saml, live: &EmployeeSession) -> Result<bool, AppError> {
    Ok(live.used_mfa()
        || factors::list(&saml.store.conn, &Owner::user(&live.user))
            .await?
            .is_empty())
}

/// Her second factors: each with its name and use and a way to remove it, the recovery codes
/// left (and new ones shown once), and ways to add an authenticator app or a passkey (the
/// latter with the passkey script: whether it is offered is returned too). A session without
/// a second factor of an employee who has one is first asked to confirm it's her.
async fn factors_section(
    saml: &Saml,
    live: &EmployeeSession,
    csrf_token: &str,
    new_codes: &[String],
) -> Result<(String, bool), AppError> {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    let owner = Owner::user(&live.user);
    let own = factors::list(&saml.store.conn, &owner).await?;
    let manage = live.used_mfa() || own.is_empty();
    let instance = &live.session.instance_id;
    let csrf = format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        e(csrf_token)
    );
    let mut html = format!("<h2>{}</h2>", tr("account-factors"));
    if own.is_empty() {
        html.push_str(&format!("<p>{}</p>", tr("account-factors-none")));
    } else {
        html.push_str("<ul class=\"factors\">");
        for f in &own {
            let kind = match f.kind {
                FactorKind::Totp => tr("account-factor-kind-totp"),
                FactorKind::Passkey => tr("account-factor-kind-passkey"),
            };
            let used = f
                .last_used_at
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|| t!(lang, "account-factor-never"));
            let remove = if manage {
                format!(
                    "<form class=\"inline\" method=\"post\" action=\"/sso/{instance}/account/factors/remove\">\
                     {csrf}<input type=\"hidden\" name=\"factor\" value=\"{id}\">\
                     <button type=\"submit\" aria-label=\"{label} {name}\">{label}</button></form>",
                    instance = e(instance),
                    id = e(&f.id),
                    label = tr("account-factor-remove"),
                    name = e(&f.name),
                )
            } else {
                String::new()
            };
            html.push_str(&format!(
                "<li><strong>{name}</strong> ({kind}) <span class=\"muted\">{when}</span> {remove}</li>",
                name = e(&f.name),
                when = e(&t!(
                    lang,
                    "account-factor-added",
                    added = f.created_at.format("%Y-%m-%d").to_string().as_str(),
                    used = used.as_str()
                )),
            ));
        }
        html.push_str("</ul>");
        let left = factors::recovery_codes_left(&saml.store.conn, &owner).await?;
        html.push_str(&format!(
            "<p class=\"muted\">{}</p>",
            e(&t!(lang, "account-recovery-left", count = left))
        ));
    }
    if !new_codes.is_empty() {
        html.push_str(&factor::recovery_codes_html(new_codes));
    }
    let mut passkey_script = false;
    if manage {
        let instance_model = instance::Entity::find_by_id(instance.as_str())
            .one(&saml.store.conn)
            .await?;
        if instance_model.as_ref().is_some_and(|i| i.allows("totp")) {
            html.push_str(&format!(
                "<p><a href=\"/sso/{}/account/totp\">{}</a></p>",
                e(instance),
                tr("account-add-totp")
            ));
        }
        if instance_model.is_some_and(|i| i.allows("passkey"))
            && crate::auth::passkeys::enabled(&saml.config)
        {
            passkey_script = true;
            html.push_str(&passkey_section(instance, csrf_token));
        }
        if !own.is_empty() {
            html.push_str(&format!(
                "<form method=\"post\" action=\"/sso/{}/account/recovery-codes\">{csrf}\
                 <button type=\"submit\">{}</button></form>",
                e(instance),
                tr("account-new-recovery")
            ));
        }
    } else {
        html.push_str(&format!(
            "<p>{}</p><form method=\"post\" action=\"/sso/{}/account/verify\">{csrf}\
             <button type=\"submit\">{}</button></form>",
            tr("account-verify-first"),
            e(instance),
            tr("account-verify")
        ));
    }
    Ok((html, passkey_script))
}

/// "Add a passkey": a name and the button (the passkey script shows them where the browser
/// can make one), and the place where the recovery codes made with a first passkey are shown.
fn passkey_section(instance_id: &str, csrf_token: &str) -> String {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    let name = format!(
        "<label for=\"passkey-name\">{}</label>\
         <input id=\"passkey-name\" name=\"name\" maxlength=\"64\" autocomplete=\"off\">",
        tr("account-passkey-name")
    );
    format!(
        "<h3>{heading}</h3><p class=\"muted\">{intro}</p>{form}\
         <noscript><p class=\"muted\">{needs_script}</p></noscript>\
         <section data-passkey-codes hidden><h2 tabindex=\"-1\">{codes_title}</h2><p>{codes_intro}</p>\
         <ul class=\"codes\" id=\"recovery-codes\"></ul>\
         <p><a href=\"/sso/{instance}/account\">{go_on}</a></p></section>",
        heading = tr("account-passkeys"),
        intro = tr("account-passkey-intro"),
        form = pages::passkey_form(
            "register",
            &format!("/sso/{instance_id}/account/passkeys"),
            csrf_token,
            &name,
            &t!(lang, "account-add-passkey"),
        ),
        needs_script = tr("passkey-needs-script"),
        codes_title = tr("recovery-title"),
        codes_intro = tr("recovery-intro"),
        instance = e(instance_id),
        go_on = tr("recovery-continue"),
    )
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

/// A posted form that changes her factors: refused unless she may change them now
/// ([`may_manage`]); with her as owner and actor.
async fn posted_change(
    saml: &Saml,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: &ClientIp,
    headers: &HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Result<(EmployeeSession, AccountFields, Owner, Actor), Response>, PageError> {
    let (live, fields) = match posted(saml, instance_id, headers, form).await? {
        Ok(posted) => posted,
        Err(to_sign_in) => return Ok(Err(to_sign_in)),
    };
    if !may_manage(saml, &live).await? {
        return Err(AppError::Forbidden(t!(i18n::current(), "account-verify-first")).into());
    }
    let owner = Owner::user(&live.user);
    let actor = live.actor_with(client_ip.addr().map(|ip| ip.to_string()));
    Ok(Ok((live, fields, owner, actor)))
}

/// The account page's enrolment of an authenticator app: the QR code and the confirming form
/// (the same key again after a wrong code).
async fn enrolment_page(
    saml: &Saml,
    headers: &HeaderMap,
    live: &EmployeeSession,
    enrolment: &factors::TotpEnrolment,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let lang = i18n::current();
    let pre = csrf::pre_session(&saml.auth, headers);
    let token = csrf::token(
        &saml.auth,
        &pre.value,
        &account_purpose(&live.session.instance_id),
    );
    let instance = e(&live.session.instance_id);
    let body = format!(
        "<header class=\"bar\"><p><a href=\"/sso/{instance}/account\">{back}</a></p></header>\
         <h1>{title}</h1>{error}{form}",
        back = e(&t!(lang, "account-back")),
        title = e(&t!(lang, "factor-enrol-title")),
        error = error
            .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", e(m)))
            .unwrap_or_default(),
        form = factor::enrolment_form(
            enrolment,
            &format!("/sso/{}/account/totp", live.session.instance_id),
            &token
        ),
    );
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut response = pages::page(status, &t!(lang, "factor-enrol-title"), &body);
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The instance's name, as authenticator apps label the key.
async fn issuer_of(saml: &Saml, live: &EmployeeSession) -> Result<instance::Model, AppError> {
    instance::Entity::find_by_id(live.session.instance_id.as_str())
        .one(&saml.store.conn)
        .await?
        .ok_or(AppError::NotFound("instance"))
}

/// `GET /sso/{instance_id}/account/totp`: a new authenticator app's key to scan.
pub async fn totp_page(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let live = match signed_in(&saml, &headers, &instance.id).await? {
        Ok(live) => live,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    if !instance.allows("totp") || !may_manage(&saml, &live).await? {
        return Ok(see_other(
            &format!("{}/sso/{}/account", saml.config.public_url, instance.id),
            &[],
        ));
    }
    let enrolment = factors::begin_totp(
        &saml.auth,
        &Owner::user(&live.user),
        &instance.name,
        &live.user.username,
    )
    .await?;
    Ok(enrolment_page(&saml, &headers, &live, &enrolment, None).await?)
}

/// `POST /sso/{instance_id}/account/totp`: the first code confirms the enrolment; the account
/// page then shows her recovery codes once (when she had none).
pub async fn totp_confirm(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (live, fields, owner, actor) =
        match posted_change(&saml, instance_id, &client_ip, &headers, form).await? {
            Ok(posted) => posted,
            Err(to_sign_in) => return Ok(to_sign_in),
        };
    let lang = i18n::current();
    match factors::confirm_totp(
        &saml.auth,
        &owner,
        &actor,
        &fields.factor,
        &fields.code,
        &fields.name,
    )
    .await?
    {
        Ok(codes) => {
            let notice = t!(lang, "account-totp-added");
            let outcome = match codes {
                Some(codes) => Outcome::Codes(&notice, codes),
                None => Outcome::Notice(&notice),
            };
            Ok(render(&saml, &headers, &live, outcome).await?)
        }
        Err(NotConfirmed::WrongCode) => {
            let instance = issuer_of(&saml, &live).await?;
            match factors::pending_totp(
                &saml.auth,
                &owner,
                &fields.factor,
                &instance.name,
                &live.user.username,
            )
            .await?
            {
                Some(enrolment) => Ok(enrolment_page(
                    &saml,
                    &headers,
                    &live,
                    &enrolment,
                    Some(&t!(lang, "factor-enrol-wrong")),
                )
                .await?),
                None => Ok(render(
                    &saml,
                    &headers,
                    &live,
                    Outcome::Refused("factor", t!(lang, "factor-enrol-gone")),
                )
                .await?),
            }
        }
        Err(NotConfirmed::Gone) => Ok(render(
            &saml,
            &headers,
            &live,
            Outcome::Refused("factor", t!(lang, "factor-enrol-gone")),
        )
        .await?),
    }
}

/// `POST /sso/{instance_id}/account/factors/remove`.
pub async fn remove_factor(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (live, fields, owner, actor) =
        match posted_change(&saml, instance_id, &client_ip, &headers, form).await? {
            Ok(posted) => posted,
            Err(to_sign_in) => return Ok(to_sign_in),
        };
    let txn = saml.store.begin_write().await?;
    if !factors::remove(&txn, &owner, &fields.factor).await? {
        return Err(AppError::NotFound("factor").into());
    }
    audit::record(
        &txn,
        &actor,
        owner
            .audit("removeFactor")
            .summary(serde_json::json!({ "factorId": fields.factor })),
    )
    .await?;
    txn.commit().await?;
    let notice = t!(i18n::current(), "account-factor-removed");
    Ok(render(&saml, &headers, &live, Outcome::Notice(&notice)).await?)
}

/// `POST /sso/{instance_id}/account/recovery-codes`: new recovery codes, shown once.
pub async fn new_recovery_codes(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (live, _) = match posted(&saml, instance_id, &headers, form).await? {
        Ok(posted) => posted,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    let owner = Owner::user(&live.user);
    if !live.used_mfa() || factors::list(&saml.store.conn, &owner).await?.is_empty() {
        return Err(AppError::Forbidden(t!(i18n::current(), "account-verify-first")).into());
    }
    let actor = live.actor_with(client_ip.addr().map(|ip| ip.to_string()));
    let txn = saml.store.begin_write().await?;
    let codes = factors::replace_recovery_codes(&txn, &saml.auth.secrets, &owner).await?;
    audit::record(&txn, &actor, owner.audit("newRecoveryCodes")).await?;
    txn.commit().await?;
    let notice = t!(i18n::current(), "account-recovery-made");
    Ok(render(&saml, &headers, &live, Outcome::Codes(&notice, codes)).await?)
}

/// `POST /sso/{instance_id}/account/verify`: confirm it's her with a factor she has, then back
/// to the account page with a session that may change her factors.
pub async fn verify(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<AccountFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (live, _) = match posted(&saml, instance_id, &headers, form).await? {
        Ok(posted) => posted,
        Err(to_sign_in) => return Ok(to_sign_in),
    };
    let attempt = attempt_of(client_ip.addr().map(|ip| ip.to_string()), &headers);
    let step = sign_in_codes::Step {
        continue_to: &Continue::Account.encode(),
        session_id: Some(&live.session.id),
        email: false,
    };
    let (_, cookie) = sign_in_codes::begin(&saml.auth, &live.user, step, &attempt)
        .await?
        .map_err(|refusal| AppError::Forbidden(refusal.message()))?;
    Ok(see_other(
        &format!(
            "{}/sso/{}/login/factor",
            saml.config.public_url, live.session.instance_id
        ),
        &[cookie],
    ))
}
