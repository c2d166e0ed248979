//! The second-factor step of signing in and of stepping up (`/sso/{instance}/login/factor`):
//! the employee uses a passkey (with the passkey script, `portal::passkeys`), gives a code of
//! her authenticator app or a recovery code, or asks for an emailed code. An employee of an instance that requires a second factor of everyone, who
//! has none and cannot be emailed one, enrols an authenticator app on this page.
//! Also the authenticator-app enrolment of her account page, which shares its form.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use entity::instance;
use serde::Deserialize;

use super::{attempt_of, instance_of_path};
use crate::auth::factors::{self, Available, NotConfirmed, Owner, TotpEnrolment};
use crate::auth::sign_in_codes::{self, Pending, Proof, Refusal};
use crate::auth::{csrf, employee_sessions::EmployeeSession};
use crate::error::AppError;
use crate::i18n;
use crate::pages::{self, see_other, sign_in_url, Continue, PageError};
use crate::request::{html_escape as e, ClientIp};
use crate::saml::Saml;
use crate::t;

pub fn factor_purpose(instance_id: &str) -> String {
    format!("factor:{instance_id}")
}

/// The fields of the step's forms.
#[derive(Deserialize, Default)]
pub struct FactorFields {
    #[serde(default)]
    pub csrf: String,
    /// `totp` or `recovery`.
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub code: String,
    /// The enrolment being confirmed.
    #[serde(default)]
    pub factor: String,
    #[serde(default)]
    pub name: String,
}

fn error_html(error: Option<&str>) -> String {
    error
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", e(m)))
        .unwrap_or_default()
}

fn hidden_csrf(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        e(token)
    )
}

/// The enrolment form: the QR code, the key as text, a name and the first code, posted to
/// `action`.
pub fn enrolment_form(enrolment: &TotpEnrolment, action: &str, csrf_token: &str) -> String {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    // The key in groups of four, as apps show keys typed in.
    let grouped = enrolment
        .secret_base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "<p><img src=\"{qr}\" alt=\"{alt}\" width=\"200\" height=\"200\"></p>\
         <p>{cannot_scan} <code id=\"totp-secret\">{grouped}</code></p>\
         <form method=\"post\" action=\"{action}\">{csrf}\
         <input type=\"hidden\" name=\"factor\" value=\"{factor}\">\
         <label for=\"totp-name\">{name_label}</label>\
         <input id=\"totp-name\" name=\"name\" maxlength=\"64\" autocomplete=\"off\">\
         <label for=\"totp-code\">{code_label}</label>\
         <input id=\"totp-code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
         pattern=\"[0-9 ]{{6,7}}\" maxlength=\"7\" required>\
         <button type=\"submit\">{submit}</button></form>",
        qr = e(&enrolment.qr_data_url()),
        alt = tr("factor-qr-alt"),
        cannot_scan = tr("factor-enrol-secret"),
        action = e(action),
        csrf = hidden_csrf(csrf_token),
        factor = e(&enrolment.factor_id),
        name_label = tr("factor-enrol-name"),
        code_label = tr("factor-enrol-code"),
        submit = tr("factor-enrol-submit"),
    )
}

/// The page that shows new recovery codes once, with the way on.
pub fn recovery_codes_html(codes: &[String]) -> String {
    let lang = i18n::current();
    let items: String = codes
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", e(c)))
        .collect();
    format!(
        "<h2>{title}</h2><p>{intro}</p><ul class=\"codes\" id=\"recovery-codes\">{items}</ul>",
        title = e(&t!(lang, "recovery-title")),
        intro = e(&t!(lang, "recovery-intro")),
    )
}

/// The step's page for what the employee can give.
#[allow(clippy::too_many_arguments)]
async fn render(
    saml: &Saml,
    headers: &HeaderMap,
    status: StatusCode,
    instance: &instance::Model,
    pending: &Pending,
    available: &Available,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    let pre = csrf::pre_session(&saml.auth, headers);
    let token = csrf::token(&saml.auth, &pre.value, &factor_purpose(&instance.id));
    let action = format!("/sso/{}/login/factor", e(&instance.id));
    let stepping_up = pending.code.session_id.is_some();
    let mut body = format!(
        "<h1>{}</h1>{}",
        e(&t!(lang, "factor-title", name = instance.name.as_str())),
        error_html(error)
    );
    if stepping_up {
        body.push_str(&format!("<p>{}</p>", tr("factor-step-up")));
    }
    let passkey = available.passkey && crate::auth::passkeys::enabled(&saml.config);
    if passkey {
        body.push_str(&pages::passkey_form(
            "factor",
            &format!("/sso/{}/login/factor/passkey", instance.id),
            &token,
            "",
            &t!(lang, "factor-passkey"),
        ));
    }
    if available.totp {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}\">{csrf}\
             <input type=\"hidden\" name=\"method\" value=\"totp\">\
             <label for=\"code\">{label}</label>\
             <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
             pattern=\"[0-9 ]{{6,7}}\" maxlength=\"7\" required autofocus>\
             <button type=\"submit\">{submit}</button></form>",
            csrf = hidden_csrf(&token),
            label = tr("factor-totp-label"),
            submit = tr("factor-submit"),
        ));
    }
    if available.recovery {
        body.push_str(&format!(
            "<h2>{heading}</h2><form method=\"post\" action=\"{action}\">{csrf}\
             <input type=\"hidden\" name=\"method\" value=\"recovery\">\
             <label for=\"recovery\">{label}</label>\
             <input id=\"recovery\" name=\"code\" autocomplete=\"off\" maxlength=\"32\" required>\
             <button type=\"submit\">{submit}</button></form>",
            csrf = hidden_csrf(&token),
            heading = tr("factor-recovery-heading"),
            label = tr("factor-recovery-label"),
            submit = tr("factor-recovery-submit"),
        ));
    }
    if available.email {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}/email\">{csrf}\
             <button type=\"submit\">{label}</button></form>",
            csrf = hidden_csrf(&token),
            label = e(&t!(
                lang,
                "factor-email",
                sent_to =
                    sign_in_codes::masked_email(pending.user.email.as_deref().unwrap_or_default())
                        .as_str()
            )),
        ));
    }
    if !available.any() {
        if !stepping_up && available.may_enrol_totp {
            let enrolment = factors::begin_totp(
                &saml.auth,
                &Owner::user(&pending.user),
                &instance.name,
                &pending.user.username,
            )
            .await?;
            body.push_str(&format!(
                "<h2>{}</h2><p>{}</p>{}",
                tr("factor-enrol-title"),
                e(&t!(
                    lang,
                    "factor-enrol-intro",
                    name = instance.name.as_str()
                )),
                enrolment_form(&enrolment, &format!("{action}/enrol"), &token)
            ));
        } else if stepping_up {
            body.push_str(&format!(
                "<p role=\"alert\">{}</p>",
                t!(
                    lang,
                    "factor-none-step-up",
                    url = e(&format!("/sso/{}/account", instance.id)).as_str()
                )
            ));
        } else {
            body.push_str(&format!("<p role=\"alert\">{}</p>", tr("factor-none")));
        }
    }
    let options = pages::PageOptions {
        script: passkey.then_some(pages::PASSKEYS_SCRIPT),
        ..pages::PageOptions::default()
    };
    let mut response = pages::page_with(status, &t!(lang, "factor-page-title"), &body, &options);
    if let Some(cookie) = pre.set_cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The pending step of this browser in the path's instance, with what its employee can give;
/// else the way back to sign-in.
async fn pending_step(
    saml: &Saml,
    headers: &HeaderMap,
    instance: &instance::Model,
) -> Result<Result<(Pending, Available), Response>, AppError> {
    match sign_in_codes::pending(&saml.auth, headers, &instance.id).await? {
        Some(pending) => {
            let available = factors::available(&saml.store.conn, instance, &pending.user).await?;
            Ok(Ok((pending, available)))
        }
        None => Ok(Err(see_other(
            &sign_in_url(&saml.config.public_url, &instance.id, &Continue::Portal),
            &[sign_in_codes::clear_cookie(&saml.auth, &instance.id)],
        ))),
    }
}

/// `GET /sso/{instance_id}/login/factor`.
pub async fn page(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let instance = instance_of_path(&saml, instance_id).await?;
    let (pending, available) = match pending_step(&saml, &headers, &instance).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    Ok(render(
        &saml,
        &headers,
        StatusCode::OK,
        &instance,
        &pending,
        &available,
        None,
    )
    .await?)
}

/// The step's form, once its CSRF token holds.
async fn posted(
    saml: &Saml,
    instance_id: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    form: Result<Form<FactorFields>, FormRejection>,
) -> Result<(instance::Model, FactorFields), PageError> {
    let instance = instance_of_path(saml, instance_id).await?;
    let Ok(Form(fields)) = form else {
        return Err(AppError::bad_input("form", t!(i18n::current(), "code-send-form")).into());
    };
    csrf::verify(
        &saml.auth,
        headers,
        &factor_purpose(&instance.id),
        &fields.csrf,
    )?;
    if fields.code.len() > 64 || fields.name.len() > 256 || fields.factor.len() > 64 {
        return Err(AppError::bad_input("code", t!(i18n::current(), "code-six-digits")).into());
    }
    Ok((instance, fields))
}

/// On to where the step was going, with the session's cookie.
fn onward(saml: &Saml, instance: &instance::Model, pending: &Pending, cookie: String) -> Response {
    let next = Continue::parse(Some(&pending.code.continue_to));
    see_other(
        &next.url(&saml.config.public_url, &instance.id),
        &[
            cookie,
            sign_in_codes::clear_cookie(&saml.auth, &instance.id),
        ],
    )
}

/// Back to sign-in when the step is spent, expired or tried too often.
fn gone(saml: &Saml, instance: &instance::Model, pending: &Pending) -> Response {
    let next = Continue::parse(Some(&pending.code.continue_to));
    see_other(
        &sign_in_url(&saml.config.public_url, &instance.id, &next),
        &[sign_in_codes::clear_cookie(&saml.auth, &instance.id)],
    )
}

/// `POST /sso/{instance_id}/login/factor`: an authenticator or recovery code.
pub async fn submit(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<FactorFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (instance, fields) = posted(&saml, instance_id, &headers, form).await?;
    let (pending, available) = match pending_step(&saml, &headers, &instance).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    let proof = match fields.method.as_str() {
        "totp" if available.totp => Proof::Totp,
        "recovery" if available.recovery => Proof::RecoveryCode,
        _ => {
            return Err(
                AppError::bad_input("method", t!(i18n::current(), "factor-method-unknown")).into(),
            )
        }
    };
    let attempt = attempt_of(client_ip, &headers);
    let kept = pending.clone();
    match sign_in_codes::verify(&saml.auth, pending, proof, &fields.code, attempt).await? {
        Ok(cookie) => Ok(onward(&saml, &instance, &kept, cookie)),
        Err(refusal @ (Refusal::Wrong { .. } | Refusal::Throttled(_))) => {
            let status = match refusal {
                Refusal::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            Ok(render(
                &saml,
                &headers,
                status,
                &instance,
                &kept,
                &available,
                Some(&refusal.message()),
            )
            .await?)
        }
        Err(_) => Ok(gone(&saml, &instance, &kept)),
    }
}

/// `POST /sso/{instance_id}/login/factor/email`: she would rather have a code by email.
pub async fn email(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    form: Result<Form<FactorFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (instance, _) = posted(&saml, instance_id, &headers, form).await?;
    let (pending, available) = match pending_step(&saml, &headers, &instance).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    if !available.email {
        return Err(
            AppError::bad_input("method", t!(i18n::current(), "factor-method-unknown")).into(),
        );
    }
    if let Err(refusal) = sign_in_codes::email_code(&saml.auth, &pending).await? {
        return Err(AppError::Forbidden(refusal.message()).into());
    }
    Ok(see_other(
        &format!("{}/sso/{}/login/code", saml.config.public_url, instance.id),
        &[],
    ))
}

/// `POST /sso/{instance_id}/login/factor/enrol`: the first code of the authenticator app she
/// enrols while signing in (only she who has no factor, where everyone must give one).
pub async fn enrol(
    State(saml): State<Saml>,
    instance_id: Result<Path<String>, PathRejection>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<FactorFields>, FormRejection>,
) -> Result<Response, PageError> {
    let (instance, fields) = posted(&saml, instance_id, &headers, form).await?;
    let (pending, available) = match pending_step(&saml, &headers, &instance).await? {
        Ok(found) => found,
        Err(back) => return Ok(back),
    };
    if available.any() || !available.may_enrol_totp || pending.code.session_id.is_some() {
        return Err(
            AppError::bad_input("factor", t!(i18n::current(), "factor-method-unknown")).into(),
        );
    }
    let owner = Owner::user(&pending.user);
    let actor = EmployeeSession::actor_of(&pending.user, client_ip.clone());
    let confirmed = factors::confirm_totp(
        &saml.auth,
        &owner,
        &actor,
        &fields.factor,
        &fields.code,
        &fields.name,
    )
    .await?;
    let codes = match confirmed {
        Ok(codes) => codes.unwrap_or_default(),
        Err(not) => {
            let id = match not {
                NotConfirmed::Gone => "factor-enrol-gone",
                NotConfirmed::WrongCode => "factor-enrol-wrong",
            };
            let message = i18n::text(i18n::current(), id, &[]);
            return Ok(render(
                &saml,
                &headers,
                StatusCode::UNAUTHORIZED,
                &instance,
                &pending,
                &available,
                Some(&message),
            )
            .await?);
        }
    };
    let attempt = attempt_of(client_ip, &headers);
    let next = Continue::parse(Some(&pending.code.continue_to));
    let kept = pending.clone();
    let cookie =
        match sign_in_codes::finish_with_enrolled_totp(&saml.auth, pending, attempt).await? {
            Ok(cookie) => cookie,
            Err(_) => return Ok(gone(&saml, &instance, &kept)),
        };
    let lang = i18n::current();
    let body = format!(
        "<h1>{title}</h1>{codes}<p><a href=\"{next}\">{go_on}</a></p>",
        title = e(&t!(lang, "account-totp-added")),
        codes = recovery_codes_html(&codes),
        next = e(&next.url(&saml.config.public_url, &instance.id)),
        go_on = e(&t!(lang, "recovery-continue")),
    );
    let mut response = pages::page(StatusCode::OK, &t!(lang, "recovery-title"), &body);
    for value in [
        cookie,
        sign_in_codes::clear_cookie(&saml.auth, &instance.id),
    ] {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}
