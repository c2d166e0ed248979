//! The public SAML routes: the metadata download (no authentication: service providers fetch
//! it, and it holds nothing secret), the SSO endpoint of each application (HTTP-Redirect and
//! HTTP-POST AuthnRequests), IdP-initiated starts from the portal, and the return to a pending
//! request after signing in. Browser-facing failures are HTML pages with a 4xx status.

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{Duration, Utc};
use entity::application;
use sea_orm::EntityTrait;

use super::pending::{self, Pending};
use super::request::{form_field, Expectations, RequestError, UnverifiedRequest};
use super::response::Failure;
use super::sso::{self, Answering, Outcome};
use super::Saml;
use super::{endpoints, metadata};
use crate::apps::applications::{self, Resolved};
use crate::apps::templates::known_format;
use crate::auth::employee_sessions::{self, EmployeeSession};
use crate::error::{AppError, AppResult};
use crate::keys;
use crate::pages::{self, PageError};
use crate::pages::{see_other, sign_in_url, Continue, ReturnToApplication};
use crate::request::ClientIp;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::net::IpAddr;
use std::sync::Arc;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Saml: FromRef<S>,
{
    Router::new()
        .route("/saml/apps/{application_id}/metadata", get(idp_metadata))
        .route(
            "/saml/apps/{application_id}/sso",
            get(sso_redirect).post(sso_post),
        )
        .route("/saml/apps/{application_id}/start", get(idp_initiated))
        .route("/saml/requests/{sealed}", get(resume))
        .merge(super::slo::router())
}

pub(super) async fn application_of_path(
    saml: &Saml,
    application_id: Result<Path<String>, PathRejection>,
) -> AppResult<Arc<Resolved>> {
    let Ok(Path(application_id)) = application_id else {
        return Err(AppError::NotFound("application"));
    };
    if !crate::ids::plausible_id(&application_id) {
        return Err(AppError::NotFound("application"));
    }
    // An OpenID Connect application has no SAML endpoints.
    applications::cached(&saml.apps, &application_id)
        .await?
        .filter(|app| !app.template.is_oidc())
        .ok_or(AppError::NotFound("application"))
}

fn refused(err: RequestError) -> AppError {
    AppError::bad_input("SAMLRequest", err.to_string())
}

/// `GET /saml/apps/{id}/sso`: an AuthnRequest by HTTP-Redirect.
async fn sso_redirect(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let app = application_of_path(&saml, application_id).await?;
    let unverified =
        UnverifiedRequest::from_redirect(query.as_deref().unwrap_or_default()).map_err(refused)?;
    sp_initiated(
        &saml,
        &app,
        unverified,
        Binding::Redirect,
        &headers,
        client_ip.addr(),
    )
    .await
}

/// `POST /saml/apps/{id}/sso`: an AuthnRequest by HTTP-POST.
async fn sso_post(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let app = application_of_path(&saml, application_id).await?;
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let single = |name| form_field(&fields, name).map_err(refused);
    let unverified = UnverifiedRequest::from_post(single("SAMLRequest")?, single("RelayState")?)
        .map_err(refused)?;
    sp_initiated(
        &saml,
        &app,
        unverified,
        Binding::Post,
        &headers,
        client_ip.addr(),
    )
    .await
}

/// How the request came.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    Redirect,
    /// A cross-site POST: the browser leaves the SameSite=Lax session cookie out of it.
    Post,
}

/// Verifies the request against the application, refuses a replay, and answers it at once when
/// the employee is signed in, else after the sign-in page.
///
/// A POST from the service provider's site carries no Lax cookie, so without a session it goes
/// first to the request's own URL by a 303: that top-level GET does carry the cookie, and an
/// employee already signed in is answered there without a second password prompt.
async fn sp_initiated(
    saml: &Saml,
    app: &Resolved,
    unverified: UnverifiedRequest,
    binding: Binding,
    headers: &HeaderMap,
    client_ip: Option<IpAddr>,
) -> Result<Response, PageError> {
    let (Some(sp_entity_id), Some(acs_url)) = (app.sp_entity_id(), app.acs_url()) else {
        return Err(AppError::bad_input(
            "SAMLRequest",
            format!("single sign-on to {} is not set up yet", app.model.name),
        )
        .into());
    };
    let certificate = app
        .model
        .sp_certificate_pem
        .as_deref()
        .map(keys::certificate_der)
        .transpose()?;
    let sso_url = endpoints::sso_url(&saml.config.public_url, &app.model.id);
    let expected = Expectations {
        sp_entity_id: &sp_entity_id,
        acs_url: &acs_url,
        sso_url: &sso_url,
        sp_certificate: certificate.as_deref(),
        signature_required: app.model.authn_requests_signed,
        clock_skew: Duration::seconds(i64::from(saml.config.sso.clock_skew_seconds)),
    };
    let verified = unverified.verify(&expected, Utc::now()).map_err(refused)?;
    let requested_format = verified.name_id_policy.format.as_deref();
    let name_id_format = requested_format.and_then(known_format);
    let pending = pending::accept(saml, &app.model.id, &verified, name_id_format).await?;
    if let (Some(format), None) = (requested_format, name_id_format) {
        // A format this server never makes: said at once, before anyone signs in.
        pending::mark_answered(saml, &pending, &acs_url).await?;
        let message =
            format!("the NameID format {format:?} is not one this identity provider makes");
        let failure = Failure::InvalidNameIdPolicy;
        let outcome = sso::fail(saml, app, &pending, None, client_ip, failure, &message).await?;
        return Ok(respond(app, outcome));
    }
    let live = employee_sessions::current(&saml.auth, headers, &app.model.instance_id).await?;
    if live.is_none() && binding == Binding::Post {
        let sealed = pending::seal(saml, &pending)?;
        return Ok(see_other(
            &Continue::Request(sealed).url(&saml.config.public_url, &app.model.instance_id),
            &[],
        ));
    }
    continue_request(saml, app, pending, live, client_ip).await
}

/// Answers a recorded request for a signed-in employee, or sends them to sign in first (again,
/// when the service provider asked for ForceAuthn and the session is older than the request).
/// A passive request (`IsPassive`) never shows a page: without a session that will do, it is
/// answered `NoPassive`.
async fn continue_request(
    saml: &Saml,
    app: &Resolved,
    pending: Pending,
    live: Option<EmployeeSession>,
    client_ip: Option<IpAddr>,
) -> Result<Response, PageError> {
    let acs_url = app.acs_url().unwrap_or_default();
    let live = match live {
        Some(live) if !(pending.force_authn && live.session.created_at < pending.received_at) => {
            live
        }
        live if pending.is_passive => {
            pending::mark_answered(saml, &pending, &acs_url).await?;
            let message = "the employee would have to sign in, and the request is passive";
            let failure = Failure::NoPassive;
            let outcome = sso::fail(
                saml,
                app,
                &pending,
                live.as_ref(),
                client_ip,
                failure,
                message,
            )
            .await?;
            return Ok(respond(app, outcome));
        }
        _ => {
            let sealed = pending::seal(saml, &pending)?;
            return Ok(see_other(
                &sign_in_url(
                    &saml.config.public_url,
                    &app.model.instance_id,
                    &Continue::Request(sealed),
                ),
                &[],
            ));
        }
    };
    match sso::answer(saml, &live, app, Answering::Request(&pending), client_ip).await? {
        Outcome::StepUp => {
            let next = Continue::Request(pending::seal(saml, &pending)?);
            Ok(crate::sso::step_up(
                &saml.store,
                &saml.auth,
                &saml.config.public_url,
                &live,
                &next,
                client_ip,
            )
            .await?)
        }
        outcome => Ok(respond(app, outcome)),
    }
}

/// `GET /saml/requests/{sealed}`: back from the sign-in page (or from the SP's POST) to a
/// pending request.
async fn resume(
    State(saml): State<Saml>,
    sealed: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Ok(Path(sealed)) = sealed else {
        return Err(AppError::NotFound("request").into());
    };
    let pending = pending::open(&saml, &sealed)?;
    let app = application_of_path(&saml, Ok(Path(pending.application_id.clone()))).await?;
    let live = employee_sessions::current(&saml.auth, &headers, &app.model.instance_id).await?;
    continue_request(&saml, &app, pending, live, client_ip.addr()).await
}

/// `GET /saml/apps/{id}/start`: IdP-initiated SSO from the portal.
async fn idp_initiated(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let app = application_of_path(&saml, application_id).await?;
    let Some(live) =
        employee_sessions::current(&saml.auth, &headers, &app.model.instance_id).await?
    else {
        return Ok(see_other(
            &sign_in_url(
                &saml.config.public_url,
                &app.model.instance_id,
                &Continue::Start(app.model.id.clone()),
            ),
            &[],
        ));
    };
    match sso::answer(&saml, &live, &app, Answering::Unsolicited, client_ip.addr()).await? {
        Outcome::StepUp => {
            let next = Continue::Start(app.model.id.clone());
            Ok(crate::sso::step_up(
                &saml.store,
                &saml.auth,
                &saml.config.public_url,
                &live,
                &next,
                client_ip.addr(),
            )
            .await?)
        }
        outcome => Ok(respond(&app, outcome)),
    }
}

/// The auto-submitting form, or the page that says no.
fn respond(app: &Resolved, outcome: Outcome) -> Response {
    match outcome {
        // Answered by the routes that can step up, before they get here.
        Outcome::StepUp => pages::error(&AppError::Internal(anyhow::anyhow!(
            "a step-up reached the response of application {}",
            app.model.id
        ))),
        Outcome::Post(form) => {
            let mut response = axum::response::Html(form.html).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(csp) = HeaderValue::from_str(&form.csp) {
                headers.insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            response
        }
        Outcome::Denied {
            reference,
            reason,
            answer,
            needs_factor,
        } => {
            let encoded = answer.as_ref().map(|a| STANDARD.encode(&a.xml));
            let back = answer
                .as_ref()
                .zip(encoded.as_deref())
                .map(|(answer, saml_response)| ReturnToApplication {
                    acs_url: &answer.acs_url,
                    saml_response,
                    relay_state: answer.relay_state.as_deref(),
                });
            pages::denied(
                &app.model.name,
                &reason,
                &reference,
                back.as_ref(),
                needs_factor
                    .then(|| format!("/sso/{}/account", app.model.instance_id))
                    .as_deref(),
            )
        }
    }
}

/// `GET /saml/apps/{application_id}/metadata`: the signed IdP metadata of one application, as a
/// download. Served for disabled applications too: an administrator configures the service
/// provider before turning SSO on.
async fn idp_metadata(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    // A path that does not even decode (invalid UTF-8) names no application either, nor does
    // one that cannot be an id.
    let Ok(Path(application_id)) = application_id else {
        return Err(AppError::NotFound("application"));
    };
    if !crate::ids::plausible_id(&application_id) {
        return Err(AppError::NotFound("application"));
    }
    let application = application::Entity::find_by_id(application_id)
        .one(&saml.store.conn)
        .await?
        .filter(|app| crate::apps::templates::find(&app.template_id).is_none_or(|t| !t.is_oidc()))
        .ok_or(AppError::NotFound("application"))?;
    let xml = metadata::for_application(&saml, &application).await?;
    let disposition = format!(
        "attachment; filename=\"{}-idp-metadata.xml\"",
        file_name(&application.name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/samlmetadata+xml".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        String::clone(&xml),
    )
        .into_response())
}

/// The application's name as a file name: ASCII letters, digits, `.`, `_` and `-`, other runs
/// replaced by one `-`, at most 64 characters; `application` when nothing is left.
fn file_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out
        .trim_matches(|c| c == '-' || c == '.')
        .chars()
        .take(64)
        .collect();
    if trimmed.is_empty() {
        "application".to_owned()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(file_name("Alibaba Cloud (prod)"), "Alibaba-Cloud-prod");
        assert_eq!(file_name("a\"b\r\nc;d"), "a-b-c-d");
        assert_eq!(file_name("../../etc"), "etc");
        assert_eq!(file_name("阿里云"), "application");
        assert_eq!(file_name(&"x".repeat(300)).len(), 64);
    }
}
