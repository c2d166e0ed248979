//! The one place where errors become what a client sees: an HTTP `{error, message}` body or a
//! GraphQL error with `extensions.code`. Internal failures are logged with their whole chain
//! and reach the client only as a generic message with a reference to find the log line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    BadUserInput {
        field: Option<String>,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    /// An access policy an admin wrote that does not parse or validate, with where.
    #[error("{}", describe_problems(.0))]
    InvalidPolicy(Vec<PolicyProblem>),
    /// A sign-in that must start again, with the sentence that says why: its pending
    /// second-factor step expired, was spent, or was tried too often.
    #[error("{0}")]
    SignInAgain(String),
    /// A request body over the limit of its endpoint.
    #[error("{0}")]
    TooLarge(String),
    /// Sign-ins refused for a while after repeated failures.
    #[error("{message}")]
    TooManyAttempts {
        message: String,
        retry_after_secs: u64,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn describe_problems(problems: &[PolicyProblem]) -> String {
    match problems.first() {
        Some(first) => format!(
            "the policy is not valid: {} (line {}, column {}){}",
            first.message,
            first.line,
            first.column,
            match problems.len() {
                1 => String::new(),
                n => format!(" and {} more problem(s)", n - 1),
            }
        ),
        None => "the policy is not valid".into(),
    }
}

/// One thing wrong with a policy an admin wrote, at a 1-based line and column of their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadUserInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("you are not allowed to do this".into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated | AppError::SignInAgain(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadUserInput { .. } | AppError::InvalidPolicy(_) => "BAD_USER_INPUT",
            AppError::Conflict { .. } => "CONFLICT",
            AppError::TooManyAttempts { .. } => "TOO_MANY_REQUESTS",
            AppError::TooLarge(_) => "PAYLOAD_TOO_LARGE",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::SignInAgain(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadUserInput { .. } | AppError::InvalidPolicy(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::BadUserInput { field, .. } | AppError::Conflict { field, .. } => {
                field.as_deref()
            }
            AppError::InvalidPolicy(_) => Some("source"),
            _ => None,
        }
    }

    /// The error and its causes on one line, for the log. An internal error's backtrace (captured
    /// when `RUST_BACKTRACE` or `RUST_LIB_BACKTRACE` is set) is left out: resolving one loads the
    /// binary's debug information and keeps it for the life of the process.
    pub fn log_line(&self) -> String {
        match self {
            AppError::Internal(err) => format!("{err:#}"),
            other => other.to_string(),
        }
    }

    /// What the client may read. For internal errors this logs the chain and returns a
    /// generic text with a reference id that appears in the log.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                tracing::error!(reference = %reference, error = %self.log_line(), "internal error");
                format!("internal error (reference {reference})")
            }
            other => other.to_string(),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::Internal(anyhow::Error::new(err).context("database"))
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code(),
            message: self.public_message(),
            field: self.field().map(str::to_owned),
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_secs() {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl AppError {
    /// For `Retry-After`: when refused sign-ins are accepted again.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl AppError {
    /// Turns a resolver error into what the client sees. Resolvers return `AppError` through
    /// `?` (async-graphql keeps it as the error's source). What fails before execution —
    /// parsing, validation, a bad variable, a limit — has no path and is the client's input,
    /// and so is an argument that fails to parse while its field resolves; any other error
    /// raised while resolving a field that is not an `AppError` is ours: `INTERNAL`, logged,
    /// with a reference instead of its text.
    pub fn to_graphql(err: &mut async_graphql::ServerError) {
        let mut problems = Vec::new();
        let (code, field, message) = match err.source::<AppError>() {
            Some(app) => {
                if let AppError::InvalidPolicy(found) = app {
                    problems.clone_from(found);
                }
                (
                    app.code(),
                    app.field().map(str::to_owned),
                    app.public_message(),
                )
            }
            None if !err.path.is_empty() && !is_input_value_error(&err.message) => {
                let hidden = AppError::Internal(anyhow::anyhow!(
                    "a GraphQL field failed without an AppError: {}",
                    err.message
                ));
                ("INTERNAL", None, hidden.public_message())
            }
            None => (
                err.extensions
                    .as_ref()
                    .and_then(|ext| ext.get("code"))
                    .and_then(|code| match code {
                        async_graphql::Value::String(code) => {
                            KNOWN_CODES.iter().copied().find(|known| known == code)
                        }
                        _ => None,
                    })
                    .unwrap_or("BAD_USER_INPUT"),
                None,
                err.message.clone(),
            ),
        };
        err.message = message;
        let ext = err.extensions.get_or_insert_with(Default::default);
        ext.set("code", code);
        if let Some(field) = field {
            ext.set("field", field);
        }
        if let Some(first) = problems.first() {
            ext.set("line", first.line);
            ext.set("column", first.column);
            let list: Vec<async_graphql::Value> = problems
                .iter()
                .map(|p| {
                    let mut item = async_graphql::indexmap::IndexMap::new();
                    item.insert(
                        async_graphql::Name::new("message"),
                        async_graphql::Value::from(p.message.clone()),
                    );
                    item.insert(
                        async_graphql::Name::new("line"),
                        async_graphql::Value::from(p.line),
                    );
                    item.insert(
                        async_graphql::Name::new("column"),
                        async_graphql::Value::from(p.column),
                    );
                    async_graphql::Value::Object(item)
                })
                .collect();
            ext.set("problems", list);
        }
    }
}

/// async-graphql's words for an argument value it could not parse (`InputValueError`): the
/// client's input even when raised while a field resolves.
fn is_input_value_error(message: &str) -> bool {
    message.starts_with("Failed to parse \"") || message.starts_with("Expected input type \"")
}

const KNOWN_CODES: [&str; 7] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "TOO_MANY_REQUESTS",
    "INTERNAL",
];

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn http_body(err: AppError) -> (StatusCode, serde_json::Value) {
        let response = err.into_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn http_errors_carry_code_message_and_field() {
        let (status, body) = http_body(AppError::bad_input("email", "not an email")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "BAD_USER_INPUT");
        assert_eq!(body["message"], "not an email");
        assert_eq!(body["field"], "email");
        let (status, body) = http_body(AppError::Unauthenticated).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "UNAUTHENTICATED");
        let (status, body) = http_body(AppError::SignInAgain("sign in again".into())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "UNAUTHENTICATED");
        assert_eq!(body["message"], "sign in again");
        let (status, body) = http_body(AppError::TooLarge("at most 32 KiB".into())).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["error"], "PAYLOAD_TOO_LARGE");
        assert_eq!(body["message"], "at most 32 KiB");
        let throttled = AppError::TooManyAttempts {
            message: "try later".into(),
            retry_after_secs: 60,
        };
        let response = throttled.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "60");
    }

    #[tokio::test]
    async fn internal_errors_never_leak_their_cause() {
        let err = AppError::Internal(anyhow::anyhow!("password=hunter2 at /srv/db"));
        let (status, body) = http_body(err).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let message = body["message"].as_str().unwrap();
        assert!(
            message.starts_with("internal error (reference "),
            "{message}"
        );
        assert!(!message.contains("hunter2"));
    }

    fn as_server_error(err: AppError) -> async_graphql::ServerError {
        let gql: async_graphql::Error = err.into();
        let mut server = gql.into_server_error(async_graphql::Pos::default());
        AppError::to_graphql(&mut server);
        server
    }

    #[test]
    fn graphql_errors_carry_extensions_code() {
        let server = as_server_error(AppError::conflict("username", "taken"));
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "CONFLICT");
        assert_eq!(ext["field"], "username");
        let server = as_server_error(AppError::Internal(anyhow::anyhow!("secret")));
        assert!(!server.message.contains("secret"));
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "INTERNAL");
    }

    #[test]
    fn a_known_code_set_by_a_library_is_kept() {
        let mut server = async_graphql::ServerError::new("slow down", None);
        server
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "TOO_MANY_REQUESTS");
        AppError::to_graphql(&mut server);
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "TOO_MANY_REQUESTS");
        let server = as_server_error(AppError::TooManyAttempts {
            message: "wait".into(),
            retry_after_secs: 60,
        });
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "TOO_MANY_REQUESTS");
    }

    #[test]
    fn a_field_that_fails_without_an_app_error_is_internal() {
        let mut server = async_graphql::ServerError::new("Data `Loaders` does not exist.", None);
        server.path = vec![async_graphql::PathSegment::Field("users".into())];
        AppError::to_graphql(&mut server);
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "INTERNAL");
        assert!(!server.message.contains("Loaders"), "{}", server.message);
        assert!(server.message.contains("reference"), "{}", server.message);
        let mut bad_argument = async_graphql::ServerError::new(
            "Failed to parse \"Int\": Only integers from 0 to 4294967295 are accepted.",
            None,
        );
        bad_argument.path = vec![async_graphql::PathSegment::Field("inviteUser".into())];
        AppError::to_graphql(&mut bad_argument);
        let ext = serde_json::to_value(bad_argument.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "BAD_USER_INPUT");
        assert!(bad_argument.message.contains("Only integers"));
    }

    #[test]
    fn errors_without_an_app_source_are_bad_input() {
        let mut server = async_graphql::ServerError::new("Unknown field \"x\"", None);
        AppError::to_graphql(&mut server);
        let ext = serde_json::to_value(server.extensions.unwrap()).unwrap();
        assert_eq!(ext["code"], "BAD_USER_INPUT");
    }
}
