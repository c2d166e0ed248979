//! The server-rendered pages of password recovery: ask for a reset link, and set a password
//! from an invitation or reset link. Plain HTML forms that work without JavaScript, each POST
//! protected by a CSRF token as the sign-in forms are (`auth::csrf`: an HMAC of the browser's
//! random pre-session cookie and the form's purpose, under a key derived from the master key).

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::{LinkError, RESET_ANSWER_TIME};
use crate::auth::csrf;
use crate::auth::Auth;
use crate::i18n::current;
use crate::ids::plausible_id;
use crate::request::{html_escape, ClientIp};
use crate::t;

/// Longest field value the forms accept (a password is at most 256 characters).
pub const MAX_FIELD: usize = 1024;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Auth: FromRef<S>,
{
    Router::new()
        .route(
            "/i/{instance_id}/password/forgot",
            get(forgot_form).post(forgot_submit),
        )
        .route(
            "/i/{instance_id}/password/set",
            get(set_form).post(set_submit),
        )
}

/// A form's CSRF token, bound to the browser's pre-session cookie and to the form's purpose
/// (the scheme of the sign-in forms, `auth::csrf`), and the `Set-Cookie` that gives the browser
/// its pre-session when it had none.
struct Csrf {
    token: String,
    set_cookie: Option<String>,
}

fn forgot_purpose(instance_id: &str) -> String {
    format!("password-forgot:{instance_id}")
}

fn set_purpose(instance_id: &str) -> String {
    format!("password-set:{instance_id}")
}

impl Csrf {
    fn for_form(auth: &Auth, headers: &HeaderMap, purpose: &str) -> Csrf {
        let pre = csrf::pre_session(auth, headers);
        Csrf {
            token: csrf::token(auth, &pre.value, purpose),
            set_cookie: pre.set_cookie,
        }
    }

    /// The form's CSRF state when the submitted token is the one of its cookie and purpose.
    fn verify(auth: &Auth, headers: &HeaderMap, purpose: &str, field: &str) -> Option<Csrf> {
        let token = field.trim();
        csrf::verify(auth, headers, purpose, token).ok()?;
        Some(Csrf {
            token: token.to_owned(),
            set_cookie: None,
        })
    }
}

/// A recovery page: the employee pages' page (language, style, CSP) with its heading and, for
/// a form, the CSRF cookie.
fn page(status: StatusCode, csrf: Option<&Csrf>, title: &str, body: &str) -> Response {
    let mut response = crate::pages::page(
        status,
        title,
        &format!("<h1>{}</h1>{body}", html_escape(title)),
    );
    if let Some(cookie) = csrf.and_then(|c| c.set_cookie.as_deref()) {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn bad_request(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        None,
        &t!(current(), "recovery-bad-request"),
        &format!("<p>{}</p>", html_escape(message)),
    )
}

fn expired_form() -> Response {
    page(
        StatusCode::FORBIDDEN,
        None,
        &t!(current(), "recovery-expired-form"),
        &format!(
            "<p>{}</p>",
            html_escape(&t!(current(), "recovery-expired-form-text"))
        ),
    )
}

fn internal_error(err: &crate::error::AppError) -> Response {
    let message = err.public_message();
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        &t!(current(), "error-server"),
        &format!("<p>{}</p>", html_escape(&message)),
    )
}

/// The instance id of the path, when it can be one and the instance exists.
async fn instance_name(auth: &Auth, instance_id: &str) -> Result<String, Response> {
    let unknown = || {
        page(
            StatusCode::NOT_FOUND,
            None,
            &t!(current(), "recovery-not-found"),
            &format!(
                "<p>{}</p>",
                html_escape(&t!(current(), "recovery-not-found-text"))
            ),
        )
    };
    if !plausible_id(instance_id) {
        return Err(unknown());
    }
    match crate::tenant::get_in(&auth.store.conn, instance_id).await {
        Ok(instance) => Ok(instance.name),
        Err(crate::error::AppError::NotFound(_)) => Err(unknown()),
        Err(err) => Err(internal_error(&err)),
    }
}

/// A form field: absent is empty; too long or holding NUL is refused.
pub fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> Result<&'a str, String> {
    let value = form.get(name).map(String::as_str).unwrap_or("");
    if value.len() > MAX_FIELD || value.contains('\0') {
        return Err(t!(current(), "recovery-field-invalid", name = name));
    }
    Ok(value)
}

fn forgot_body(instance_id: &str, instance: &str, csrf: &Csrf) -> String {
    let lang = current();
    format!(
        "<p>{text}</p>\
         <form method=\"post\" action=\"/i/{instance_id}/password/forgot\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"login\">{label}</label>\
         <input id=\"login\" name=\"login\" autocomplete=\"username\" required maxlength=\"254\" autofocus>\
         <button type=\"submit\">{submit}</button></form>",
        text = t!(
            lang,
            "recovery-forgot-text",
            instance = html_escape(instance).as_str()
        ),
        label = html_escape(&t!(lang, "recovery-login-label")),
        submit = html_escape(&t!(lang, "recovery-send-link")),
        csrf = html_escape(&csrf.token),
    )
}

async fn forgot_form(
    State(auth): State<Auth>,
    Path(instance_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let instance = match instance_name(&auth, &instance_id).await {
        Ok(name) => name,
        Err(response) => return response,
    };
    let csrf = Csrf::for_form(&auth, &headers, &forgot_purpose(&instance_id));
    let body = forgot_body(&instance_id, &instance, &csrf);
    page(
        StatusCode::OK,
        Some(&csrf),
        &t!(current(), "recovery-forgot-title"),
        &body,
    )
}

async fn forgot_submit(
    State(auth): State<Auth>,
    Path(instance_id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let started = tokio::time::Instant::now();
    if let Err(response) = instance_name(&auth, &instance_id).await {
        return response;
    }
    let Ok(Form(form)) = form else {
        return bad_request(&t!(current(), "recovery-form-unreadable"));
    };
    let (csrf_field, login) = match (field(&form, "csrf"), field(&form, "login")) {
        (Ok(csrf), Ok(login)) => (csrf, login),
        (Err(message), _) | (_, Err(message)) => return bad_request(&message),
    };
    let Some(csrf) = Csrf::verify(&auth, &headers, &forgot_purpose(&instance_id), csrf_field)
    else {
        return expired_form();
    };
    if let Err(err) = super::request_reset(&auth, &instance_id, login).await {
        // The person sees the same answer as always; the operator sees the failure.
        tracing::error!(error = %err.log_line(), instance_id, "a password reset request failed");
    }
    // The same answer, after the same time, whether or not an account matched.
    tokio::time::sleep_until(started + RESET_ANSWER_TIME).await;
    let lang = current();
    page(
        StatusCode::OK,
        Some(&csrf),
        &t!(lang, "recovery-check-email"),
        &format!(
            "<p>{}</p><p><a href=\"{}\">{}</a></p>",
            html_escape(&t!(
                lang,
                "recovery-check-email-text",
                minutes = auth.config.reset_link_minutes
            )),
            crate::links::login_path(&instance_id),
            html_escape(&t!(lang, "recovery-back-to-sign-in")),
        ),
    )
}

fn set_body(
    instance_id: &str,
    token: &str,
    username: &str,
    csrf: &Csrf,
    error: Option<&str>,
) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", html_escape(e)))
        .unwrap_or_default();
    let lang = current();
    format!(
        "<p>{text}</p>{error}\
         <form method=\"post\" action=\"/i/{instance_id}/password/set\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <input type=\"hidden\" name=\"username\" value=\"{username}\" autocomplete=\"username\">\
         <label for=\"password\">{new_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">\
         <label for=\"confirm\">{repeat_label}</label>\
         <input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">\
         <button type=\"submit\">{submit}</button></form>",
        text = t!(
            lang,
            "recovery-set-text",
            username = html_escape(username).as_str()
        ),
        new_label = html_escape(&t!(lang, "recovery-new-password")),
        repeat_label = html_escape(&t!(lang, "recovery-repeat")),
        submit = html_escape(&t!(lang, "recovery-set-submit")),
        username = html_escape(username),
        token = html_escape(token),
        csrf = html_escape(&csrf.token),
    )
}

fn invalid_link(instance_id: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        None,
        &t!(current(), "recovery-invalid-link"),
        &format!(
            "<p>{}</p>",
            t!(
                current(),
                "recovery-invalid-link-text",
                url = format!("/i/{}/password/forgot", html_escape(instance_id)).as_str()
            )
        ),
    )
}

async fn set_form(
    State(auth): State<Auth>,
    Path(instance_id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    if let Err(response) = instance_name(&auth, &instance_id).await {
        return response;
    }
    let Ok(Query(query)) = query else {
        return invalid_link(&instance_id);
    };
    let token = query.get("token").map(String::as_str).unwrap_or("");
    match super::check_link(&auth, &instance_id, token).await {
        Ok((_, user)) => {
            let csrf = Csrf::for_form(&auth, &headers, &set_purpose(&instance_id));
            let body = set_body(&instance_id, token, &user.username, &csrf, None);
            page(
                StatusCode::OK,
                Some(&csrf),
                &t!(current(), "recovery-set-title"),
                &body,
            )
        }
        Err(LinkError::Invalid) => invalid_link(&instance_id),
        Err(LinkError::App(err)) => internal_error(&err),
    }
}

async fn set_submit(
    State(auth): State<Auth>,
    Path(instance_id): Path<String>,
    ClientIp(client_ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    if let Err(response) = instance_name(&auth, &instance_id).await {
        return response;
    }
    let Ok(Form(form)) = form else {
        return bad_request(&t!(current(), "recovery-form-unreadable"));
    };
    let fields = ["csrf", "token", "password", "confirm"].map(|name| field(&form, name));
    let [csrf_field, token, password, confirm] = match fields {
        [Ok(a), Ok(b), Ok(c), Ok(d)] => [a, b, c, d],
        _ => return bad_request(&t!(current(), "recovery-fields-invalid")),
    };
    let Some(csrf) = Csrf::verify(&auth, &headers, &set_purpose(&instance_id), csrf_field) else {
        return expired_form();
    };
    let again = |user: &str, message: &str| {
        let body = set_body(&instance_id, token, user, &csrf, Some(message));
        page(
            StatusCode::BAD_REQUEST,
            Some(&csrf),
            &t!(current(), "recovery-set-title"),
            &body,
        )
    };
    if password != confirm {
        return match super::check_link(&auth, &instance_id, token).await {
            Ok((_, user)) => again(&user.username, &t!(current(), "recovery-differ")),
            Err(_) => invalid_link(&instance_id),
        };
    }
    match super::set_password(&auth, &instance_id, token, password, client_ip).await {
        Ok(user) => page(
            StatusCode::OK,
            None,
            &t!(current(), "recovery-done-title"),
            &format!(
                "<p>{}</p><p><a href=\"{}\">{}</a></p>",
                t!(
                    current(),
                    "recovery-done-text",
                    username = html_escape(&user.username).as_str()
                ),
                crate::links::login_path(&instance_id),
                html_escape(&t!(current(), "recovery-sign-in")),
            ),
        ),
        Err(LinkError::Invalid) => invalid_link(&instance_id),
        Err(LinkError::App(err @ crate::error::AppError::BadUserInput { .. })) => {
            match super::check_link(&auth, &instance_id, token).await {
                Ok((_, user)) => again(&user.username, &err.to_string()),
                Err(_) => invalid_link(&instance_id),
            }
        }
        Err(LinkError::App(err)) => internal_error(&err),
    }
}
