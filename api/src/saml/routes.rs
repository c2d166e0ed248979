//! The public SAML routes. The metadata download needs no authentication: service providers
//! fetch it, and it holds nothing secret.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use entity::application;
use sea_orm::EntityTrait;

use super::metadata;
use crate::error::{AppError, AppResult};
use crate::keys;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/saml/apps/{application_id}/metadata", get(idp_metadata))
}

/// `GET /saml/apps/{application_id}/metadata`: the signed IdP metadata of one application, as a
/// download. Served for disabled applications too: an administrator configures the service
/// provider before turning SSO on.
async fn idp_metadata(
    State(state): State<AppState>,
    application_id: Result<Path<String>, PathRejection>,
) -> AppResult<Response> {
    // A path that does not even decode (invalid UTF-8) names no application either, nor does
    // one that cannot be an id.
    let Ok(Path(application_id)) = application_id else {
        return Err(AppError::NotFound("application"));
    };
    if !keys::plausible_id(&application_id) {
        return Err(AppError::NotFound("application"));
    }
    let application = application::Entity::find_by_id(application_id)
        .one(&state.store.conn)
        .await?
        .ok_or(AppError::NotFound("application"))?;
    let xml = metadata::for_application(&state, &application).await?;
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
        xml,
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
