//! The server's side of an import: one `importUsers` call per batch with the admin's API token,
//! tried again with backoff when the network or the server fails on the way.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::rows::UserRow;

const IMPORT_USERS: &str = "mutation($i: ID!, $rows: [ImportUserRow!]!) { importUsers(input: \
    {instanceId: $i, users: $rows}) { ok errors { row field code message } } }";

/// The waits between the attempts of one batch: six attempts over about 15 s.
const BACKOFF_MS: [u64; 5] = [500, 1_000, 2_000, 4_000, 8_000];

/// Longer than the server's own limit per request (`graphql.timeout_ms`, 30 s by default), so
/// that a slow batch gets the server's answer rather than a hang-up.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);

/// One refusal of a row, as `importUsers` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RowError {
    /// The row's index in the batch.
    pub row: usize,
    pub field: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    Created,
    /// Nothing of the batch was created.
    Refused(Vec<RowError>),
}

#[derive(Debug)]
pub struct Reply {
    pub answer: Answer,
    /// An earlier attempt may have reached the server (and created the batch) before its answer
    /// was lost.
    pub after_unanswered_attempt: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The server refused the request itself (a wrong token or instance, say) and did nothing
    /// with it; an earlier attempt that got no answer may have been received all the same.
    #[error("{message}")]
    Refused {
        message: String,
        after_unanswered_attempt: bool,
    },
    /// No usable answer after every attempt: the batch may or may not have been created.
    #[error("no answer after {attempts} attempts; the last: {last}", attempts = BACKOFF_MS.len() + 1)]
    Unanswered { last: String },
}

/// What one attempt came to.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Answered(Answer),
    Retry {
        reason: String,
        maybe_received: bool,
    },
    Refused(String),
}

#[derive(Serialize)]
struct Request<'a> {
    query: &'static str,
    variables: Variables<'a>,
}

#[derive(Serialize)]
struct Variables<'a> {
    i: &'a str,
    rows: &'a [&'a UserRow],
}

#[derive(Deserialize)]
struct Payload {
    ok: bool,
    errors: Vec<RowError>,
}

pub struct Server {
    http: reqwest::Client,
    endpoint: String,
    token: SecretString,
    instance: String,
}

impl Server {
    pub fn new(url: &str, token: SecretString, instance: String) -> anyhow::Result<Server> {
        let base = url::Url::parse(url)
            .map_err(|err| anyhow::anyhow!("--url {url:?} is not a URL: {err}"))?;
        if !matches!(base.scheme(), "http" | "https") {
            anyhow::bail!("--url {url:?} must be an http:// or https:// URL");
        }
        Ok(Server {
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .connect_timeout(Duration::from_secs(10))
                .build()?,
            endpoint: format!("{}/graphql", url.trim_end_matches('/')),
            token,
            instance,
        })
    }

    /// Sends one batch; `on_retry` hears why an attempt is tried again.
    pub async fn import(
        &self,
        rows: &[&UserRow],
        on_retry: impl Fn(&str),
    ) -> Result<Reply, ServerError> {
        let request = Request {
            query: IMPORT_USERS,
            variables: Variables {
                i: &self.instance,
                rows,
            },
        };
        let body = serde_json::to_vec(&request).map_err(|err| ServerError::Refused {
            message: format!("encoding the request: {err}"),
            after_unanswered_attempt: false,
        })?;
        let mut after_unanswered_attempt = false;
        let mut waits = BACKOFF_MS.iter();
        loop {
            let (reason, maybe_received) = match self.attempt(body.clone()).await {
                Attempt::Answered(answer) => {
                    return Ok(Reply {
                        answer,
                        after_unanswered_attempt,
                    })
                }
                Attempt::Refused(message) => {
                    return Err(ServerError::Refused {
                        message,
                        after_unanswered_attempt,
                    })
                }
                Attempt::Retry {
                    reason,
                    maybe_received,
                } => (reason, maybe_received),
            };
            after_unanswered_attempt |= maybe_received;
            let Some(&wait_ms) = waits.next() else {
                return Err(ServerError::Unanswered { last: reason });
            };
            on_retry(&format!(
                "{reason}; trying again in {:.1} s",
                wait_ms as f64 / 1000.0
            ));
            tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        }
    }

    async fn attempt(&self, body: Vec<u8>) -> Attempt {
        let sent = self
            .http
            .post(&self.endpoint)
            .bearer_auth(self.token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(err) => return transport(&self.endpoint, err),
        };
        let status = response.status().as_u16();
        match response.bytes().await {
            Ok(body) => classify(status, &body),
            Err(err) => transport(&self.endpoint, err),
        }
    }
}

fn transport(endpoint: &str, err: reqwest::Error) -> Attempt {
    // Without a connection nothing was sent; after one, the request may have been received.
    let maybe_received = !err.is_connect();
    let what = if err.is_connect() {
        "cannot connect to"
    } else if err.is_timeout() {
        "no answer in time from"
    } else {
        "the connection failed to"
    };
    Attempt::Retry {
        // `{:#}` of an anyhow error is the error and its causes on one line.
        reason: format!("{what} {endpoint}: {:#}", anyhow::Error::from(err)),
        maybe_received,
    }
}

/// What an answer means for the batch.
fn classify(status: u16, body: &[u8]) -> Attempt {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let first_error = parsed.as_ref().and_then(|v| v["errors"].get(0));
    let code = first_error
        .and_then(|e| e["extensions"]["code"].as_str())
        .unwrap_or_default();
    let message = first_error
        .and_then(|e| e["message"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let start = &body[..body.len().min(200)];
            String::from_utf8_lossy(start).trim().to_owned()
        });
    let retry = |maybe_received| Attempt::Retry {
        reason: format!("the server answered {status}: {message}"),
        maybe_received,
    };
    match status {
        401 => Attempt::Refused(format!(
            "the server refused the token ({message}): check --token or LANYARD_TOKEN"
        )),
        413 => Attempt::Refused(format!(
            "the server refused a request as too large ({message}): lower --batch-size, or raise \
             the server's graphql.max_body_bytes"
        )),
        429 => retry(false),
        500..=599 => retry(true),
        200 if code == "INTERNAL" => retry(true),
        200 if first_error.is_some() => {
            Attempt::Refused(format!("the server refused the import ({code}): {message}"))
        }
        200 => {
            let payload = parsed.and_then(|mut v| {
                serde_json::from_value::<Payload>(v["data"]["importUsers"].take()).ok()
            });
            match payload {
                Some(Payload { ok: true, .. }) => Attempt::Answered(Answer::Created),
                Some(Payload { ok: false, errors }) => Attempt::Answered(Answer::Refused(errors)),
                None => Attempt::Retry {
                    reason: format!(
                        "the answer is not an importUsers result (is --url a Lanyard server?): {message}"
                    ),
                    maybe_received: true,
                },
            }
        }
        _ => Attempt::Refused(format!("the server answered {status} ({code}): {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, code: &str, message: &str) -> Attempt {
        let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
        classify(status, body.to_string().as_bytes())
    }

    #[test]
    fn answers_are_told_apart() {
        let created = br#"{"data":{"importUsers":{"ok":true,"errors":[]}}}"#;
        assert_eq!(classify(200, created), Attempt::Answered(Answer::Created));
        let refused = br#"{"data":{"importUsers":{"ok":false,"errors":[{"row":3,"field":"email","code":"BAD_USER_INPUT","message":"bad"}]}}}"#;
        assert_eq!(
            classify(200, refused),
            Attempt::Answered(Answer::Refused(vec![RowError {
                row: 3,
                field: Some("email".into()),
                code: "BAD_USER_INPUT".into(),
                message: "bad".into(),
            }]))
        );
    }

    #[test]
    fn failures_on_the_way_are_retried_and_refusals_are_not() {
        let retried = |attempt: Attempt| matches!(attempt, Attempt::Retry { .. });
        assert!(retried(error(503, "INTERNAL", "the request took too long")));
        assert!(retried(classify(502, b"<html>Bad Gateway</html>")));
        assert!(retried(error(200, "INTERNAL", "reference abc")));
        assert!(retried(classify(200, b"<html>a login page</html>")));
        assert_eq!(
            classify(429, b"slow down"),
            Attempt::Retry {
                reason: "the server answered 429: slow down".into(),
                maybe_received: false
            }
        );
        assert_eq!(
            error(401, "UNAUTHENTICATED", "authentication required"),
            Attempt::Refused(
                "the server refused the token (authentication required): check --token or \
                 LANYARD_TOKEN"
                    .into()
            )
        );
        assert!(matches!(
            classify(413, b"length limit exceeded"),
            Attempt::Refused(m) if m.contains("lower --batch-size")
        ));
        assert_eq!(
            error(200, "FORBIDDEN", "not allowed"),
            Attempt::Refused("the server refused the import (FORBIDDEN): not allowed".into())
        );
    }
}
