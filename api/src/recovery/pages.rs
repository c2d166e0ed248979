//! The server-rendered pages of password recovery: ask for a reset link, and set a password
//! from an invitation or reset link. Plain HTML forms that work without JavaScript, each POST
//! protected by a CSRF token as the sign-in forms are (`auth::csrf`: an HMAC of the browser's
//! random pre-session cookie and the form's purpose, under a key derived from the master key).

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::{LinkError, RESET_ANSWER_TIME};
use crate::auth::csrf;
use crate::auth::Auth;
use crate::ids::plausible_id;
use crate::request::{html_escape, ClientIp};

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

/// An HTML page with the headers every recovery page has.
fn page(status: StatusCode, csrf: Option<&Csrf>, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Lanyard</title>\
         <style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}}\
         label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.4rem;box-sizing:border-box}}\
         button{{margin-top:1rem;padding:.5rem 1rem}}.error{{color:#a00}}</style></head>\
         <body><h1>{title}</h1>{body}</body></html>",
        title = html_escape(title),
    );
    let mut response = (status, axum::response::Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    if let Some(cookie) = csrf.and_then(|c| c.set_cookie.as_deref()) {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

fn bad_request(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        None,
        "Something is wrong with the request",
        &format!("<p>{}</p>", html_escape(message)),
    )
}

fn expired_form() -> Response {
    page(
        StatusCode::FORBIDDEN,
        None,
        "The form has expired",
        "<p>Go back, reload the page and submit the form again.</p>",
    )
}

fn internal_error(err: &crate::error::AppError) -> Response {
    let message = err.public_message();
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        "Something went wrong",
        &format!("<p>{}</p>", html_escape(&message)),
    )
}

/// The instance id of the path, when it can be one and the instance exists.
async fn instance_name(auth: &Auth, instance_id: &str) -> Result<String, Response> {
    let unknown = || {
        page(
            StatusCode::NOT_FOUND,
            None,
            "Page not found",
            "<p>There is no such sign-in page.</p>",
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
        return Err(format!(
            "the field {name} is too long or holds forbidden characters"
        ));
    }
    Ok(value)
}

fn forgot_body(instance_id: &str, instance: &str, csrf: &Csrf) -> String {
    format!(
        "<p>Enter the username or email address of your account at <strong>{instance}</strong>. \
         If it has an email address, we send it a link to choose a new password.</p>\
         <form method=\"post\" action=\"/i/{instance_id}/password/forgot\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"login\">Username or email</label>\
         <input id=\"login\" name=\"login\" autocomplete=\"username\" required maxlength=\"254\" autofocus>\
         <button type=\"submit\">Send the link</button></form>",
        instance = html_escape(instance),
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
    page(StatusCode::OK, Some(&csrf), "Forgot your password?", &body)
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
        return bad_request("the form could not be read");
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
    page(
        StatusCode::OK,
        Some(&csrf),
        "Check your email",
        &format!(
            "<p>If an account with that username or email address exists and has an email \
             address, a link to choose a new password is on its way. It works once, for \
             {} minutes.</p><p><a href=\"{}\">Back to sign-in</a></p>",
            auth.config.reset_link_minutes,
            crate::links::login_path(&instance_id)
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
    format!(
        "<p>Choose a password for <strong>{username}</strong>: at least 8 characters.</p>{error}\
         <form method=\"post\" action=\"/i/{instance_id}/password/set\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <input type=\"hidden\" name=\"username\" value=\"{username}\" autocomplete=\"username\">\
         <label for=\"password\">New password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">\
         <label for=\"confirm\">Repeat it</label>\
         <input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">\
         <button type=\"submit\">Set the password</button></form>",
        username = html_escape(username),
        token = html_escape(token),
        csrf = html_escape(&csrf.token),
    )
}

fn invalid_link(instance_id: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        None,
        "This link cannot be used",
        &format!(
            "<p>The link has expired or was already used. \
             <a href=\"/i/{instance_id}/password/forgot\">Ask for a new one</a>.</p>"
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
            page(StatusCode::OK, Some(&csrf), "Set your password", &body)
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
        return bad_request("the form could not be read");
    };
    let fields = ["csrf", "token", "password", "confirm"].map(|name| field(&form, name));
    let [csrf_field, token, password, confirm] = match fields {
        [Ok(a), Ok(b), Ok(c), Ok(d)] => [a, b, c, d],
        _ => return bad_request("a field is too long or holds forbidden characters"),
    };
    let Some(csrf) = Csrf::verify(&auth, &headers, &set_purpose(&instance_id), csrf_field) else {
        return expired_form();
    };
    let again = |user: &str, message: &str| {
        let body = set_body(&instance_id, token, user, &csrf, Some(message));
        page(
            StatusCode::BAD_REQUEST,
            Some(&csrf),
            "Set your password",
            &body,
        )
    };
    if password != confirm {
        return match super::check_link(&auth, &instance_id, token).await {
            Ok((_, user)) => again(&user.username, "The two passwords differ."),
            Err(_) => invalid_link(&instance_id),
        };
    }
    match super::set_password(&auth, &instance_id, token, password, client_ip).await {
        Ok(user) => page(
            StatusCode::OK,
            None,
            "Your password is set",
            &format!(
                "<p>You can now sign in as <strong>{}</strong>.</p>\
                 <p><a href=\"{}\">Sign in</a></p>",
                html_escape(&user.username),
                crate::links::login_path(&instance_id)
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
