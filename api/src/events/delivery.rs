//! Sending one event callback: the event as a JWT signed with the instance's active signing key
//! (RS256 or ES256, `kid` = the key id published in the JWKS), POSTed to the subscription's
//! URL as `application/jwt`. Any 2xx answer is delivery; anything else, a timeout or a refused
//! connection is retried. Redirects are not followed, and at most 1 KiB of an answer is read.

use std::sync::Arc;
use std::time::Duration;

use entity::event_subscription;
use entity::outbox as outbox_entity;
use entity::signing_key::KeyAlgorithm;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::EntityTrait;
use serde::Serialize;

use super::receiver::{GuardedResolver, Reach, ReceiverUrl};
use super::EventPayload;
use super::Events;
use crate::config::EventsConfig;
use crate::error::{AppError, AppResult};
use crate::outbox::worker::Deliver;
use crate::outbox::{truncate, Attempt, AttemptResult};

/// The most of a receiver's answer that is read (and kept in the delivery log).
const MAX_RESPONSE_BYTES: usize = 1024;

/// The claims of an event JWT.
#[derive(Serialize)]
struct EventClaims<'a> {
    /// `<public_url>/i/<instance id>`; the JWKS is at `<iss>/.well-known/jwks.json`.
    iss: String,
    /// The receiver URL.
    aud: &'a str,
    iat: i64,
    /// Ten minutes after `iat`: a captured callback cannot be replayed for long. Every attempt
    /// is signed anew.
    exp: i64,
    /// The event id: the same on every attempt and for every subscription. De-duplicate on it.
    jti: &'a str,
    event_type: &'a str,
    /// When the change was committed (Unix seconds).
    occurred_at: i64,
    instance_id: &'a str,
    subject: Subject<'a>,
    data: &'a serde_json::Value,
}

#[derive(Serialize)]
struct Subject<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
}

pub fn issuer(public_url: &str, instance_id: &str) -> String {
    format!("{public_url}/i/{instance_id}")
}

/// Signs `payload` for `audience` with the instance's active key.
pub async fn sign(
    events: &Events,
    instance_id: &str,
    audience: &str,
    payload: &EventPayload,
) -> AppResult<String> {
    let signer = crate::keys::active_signer(&events.ring, instance_id).await?;
    let internal = |err: &dyn std::fmt::Display| {
        AppError::Internal(anyhow::anyhow!("signing an event: {err}"))
    };
    let (algorithm, key) = match signer.algorithm {
        KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 => {
            // jsonwebtoken (ring) wants PKCS#1; the key is stored as PKCS#8.
            let pkcs1 = signer
                .key
                .rsa()
                .and_then(|rsa| rsa.private_key_to_der())
                .map_err(|err| internal(&err))?;
            (Algorithm::RS256, EncodingKey::from_rsa_der(&pkcs1))
        }
        KeyAlgorithm::EcdsaP256 => (
            Algorithm::ES256,
            EncodingKey::from_ec_der(&signer.private_key_der),
        ),
    };
    let mut header = Header::new(algorithm);
    header.kid = Some(signer.key_id.clone());
    let now = chrono::Utc::now().timestamp();
    let claims = EventClaims {
        iss: issuer(&events.public_url, instance_id),
        aud: audience,
        iat: now,
        exp: now + 600,
        jti: &payload.event_id,
        event_type: &payload.event_type,
        occurred_at: payload.occurred_at,
        instance_id,
        subject: Subject {
            kind: &payload.subject_type,
            id: &payload.subject_id,
        },
        data: &payload.data,
    };
    jsonwebtoken::encode(&header, &claims, &key).map_err(|err| internal(&err))
}

/// Sends the outbox's event rows: the HTTP client of callbacks, and the events service whose
/// keys sign them.
pub struct EventSender {
    http: reqwest::Client,
    reach: Reach,
    events: Events,
}

impl EventSender {
    pub fn new(config: &EventsConfig, events: Events) -> anyhow::Result<EventSender> {
        let timeout = Duration::from_secs(config.timeout_seconds);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .dns_resolver(Arc::new(GuardedResolver {
                reach: Reach::of(config),
            }))
            // A proxy would connect on our behalf to addresses the resolver refuses.
            .no_proxy()
            .user_agent(concat!("Lanyard/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(EventSender {
            http,
            reach: Reach::of(config),
            events,
        })
    }
}

#[async_trait::async_trait]
impl Deliver for EventSender {
    /// One attempt at delivering an event row.
    async fn deliver(&self, row: &outbox_entity::Model) -> Attempt {
        let payload: EventPayload = match serde_json::from_value(row.payload.clone()) {
            Ok(payload) => payload,
            Err(err) => return Attempt::give_up(format!("unreadable event payload: {err}")),
        };
        let Some(subscription_id) = &row.subscription_id else {
            return Attempt::give_up("the event has no subscription");
        };
        let subscription = match event_subscription::Entity::find_by_id(subscription_id.clone())
            .one(&self.events.store.conn)
            .await
        {
            Ok(Some(subscription)) => subscription,
            Ok(None) => return Attempt::give_up("the subscription was deleted"),
            Err(err) => return Attempt::retry(format!("database: {err}")),
        };
        let url = match ReceiverUrl::parse(&subscription.url, self.reach) {
            Ok(url) => url,
            Err(err) => return Attempt::give_up(format!("the receiver URL is refused: {err}")),
        };
        let jwt = match sign(&self.events, &row.instance_id, url.as_str(), &payload).await {
            Ok(jwt) => jwt,
            Err(err) => return Attempt::retry(format!("{err:#}")),
        };
        let sent = self
            .http
            .post(url.url().clone())
            .header(reqwest::header::CONTENT_TYPE, "application/jwt")
            .header("x-lanyard-event-id", &payload.event_id)
            .header("x-lanyard-event-type", &payload.event_type)
            .body(jwt)
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => return Attempt::retry(format!("{:#}", anyhow::Error::new(err))),
        };
        let status = response.status();
        let mut body = Vec::new();
        while body.len() < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        let excerpt = truncate(&String::from_utf8_lossy(&body), MAX_RESPONSE_BYTES);
        let excerpt = (!excerpt.is_empty()).then_some(excerpt);
        let code = Some(i32::from(status.as_u16()));
        if status.is_success() {
            Attempt::delivered(code, excerpt)
        } else {
            Attempt {
                result: AttemptResult::Retry,
                status_code: code,
                error: Some(if status.is_redirection() {
                    format!("the receiver answered {status}; redirects are not followed")
                } else {
                    format!("the receiver answered {status}")
                }),
                response_excerpt: excerpt,
            }
        }
    }
}
