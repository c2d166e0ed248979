//! GraphQL of email and event delivery: invitations, event subscriptions (with a test ping),
//! the outbox with each message's status and delivery log, and redelivery.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::outbox as outbox_entity;
use entity::{delivery_attempt, event_subscription};

use super::connection::{Page, PageArgs};
use super::gate;
use super::state;
use crate::authz::admin::actions;
use crate::events::subscriptions::{self, NewSubscription, SubscriptionPatch};
use crate::events::EventType;
use crate::outbox::{self, DeliveryFilter};
use crate::recovery;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::outbox::MessageKind")]
pub enum DeliveryKind {
    Email,
    Event,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::outbox::DeliveryStatus")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Every attempt failed (or the failure was final); `redeliver` sends it again.
    Dead,
}

/// One attempt at delivering a message.
#[derive(SimpleObject)]
pub struct DeliveryAttempt {
    /// 1 for the first attempt.
    attempt: i32,
    started_at: DateTime<Utc>,
    duration_ms: i64,
    delivered: bool,
    /// The receiver's HTTP status or the mail server's reply code, when it answered.
    status_code: Option<i32>,
    error: Option<String>,
    /// The start of the receiver's answer (at most 1 KiB).
    response_excerpt: Option<String>,
}

impl From<delivery_attempt::Model> for DeliveryAttempt {
    fn from(m: delivery_attempt::Model) -> Self {
        DeliveryAttempt {
            attempt: m.attempt,
            started_at: m.started_at,
            duration_ms: m.duration_ms,
            delivered: m.outcome == "delivered",
            status_code: m.status_code,
            error: m.error,
            response_excerpt: m.response_excerpt,
        }
    }
}

/// An email or an event callback in the outbox.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Delivery {
    id: ID,
    kind: DeliveryKind,
    /// The email template (`invitation`, `password_reset`, `account_locked`) or the event type
    /// (`user.created`, …, `ping`).
    topic: String,
    /// The email address, or the receiver URL when the event was queued.
    recipient: String,
    /// The event id receivers de-duplicate on (the JWT's `jti`); null for emails, whose
    /// Message-ID is `<id@from-domain>`.
    event_id: Option<String>,
    subscription_id: Option<ID>,
    status: DeliveryStatus,
    /// Attempts made so far (since the last redelivery).
    attempts: i32,
    last_error: Option<String>,
    /// When a pending message is tried next.
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
}

impl From<outbox_entity::Model> for Delivery {
    fn from(m: outbox_entity::Model) -> Self {
        Delivery {
            next_attempt_at: outbox::next_attempt_at(&m),
            event_id: m.payload["event_id"].as_str().map(str::to_owned),
            id: ID(m.id),
            kind: m.kind.into(),
            topic: m.topic,
            recipient: m.recipient,
            subscription_id: m.subscription_id.map(ID),
            status: m.status.into(),
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            delivered_at: m.delivered_at,
        }
    }
}

#[ComplexObject]
impl Delivery {
    /// Every attempt, oldest first (at most 200).
    #[graphql(complexity = "10 * child_complexity")]
    async fn log(&self, ctx: &Context<'_>) -> Result<Vec<DeliveryAttempt>> {
        let state = state(ctx)?;
        Ok(outbox::attempts_of(&state.store.conn, &self.id)
            .await?
            .into_iter()
            .map(DeliveryAttempt::from)
            .collect())
    }
}

/// A receiver of the instance's account-sync events.
#[derive(SimpleObject)]
pub struct EventSubscription {
    id: ID,
    url: String,
    event_types: Vec<EventType>,
    description: String,
    /// A disabled subscription gets no new events.
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<event_subscription::Model> for EventSubscription {
    fn from(m: event_subscription::Model) -> Self {
        EventSubscription {
            event_types: subscriptions::types_of(&m),
            id: ID(m.id),
            url: m.url,
            description: m.description,
            enabled: m.enabled,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(InputObject, Default)]
pub struct DeliveryFilterInput {
    kind: Option<DeliveryKind>,
    status: Option<DeliveryStatus>,
    subscription_id: Option<ID>,
    /// An email template or event type name.
    topic: Option<String>,
}

#[derive(Default)]
pub struct DeliveryQuery;

#[Object]
impl DeliveryQuery {
    /// The instance's emails and event callbacks, newest first. Action: `readDeliveries`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<DeliveryFilterInput>,
    ) -> Result<Page<Delivery>> {
        let permit = gate::instance(ctx, actions::ReadDeliveries, &instance_id)?;
        let filter = filter.unwrap_or_default();
        let filter = DeliveryFilter {
            kind: filter.kind.map(Into::into),
            status: filter.status.map(Into::into),
            subscription_id: filter.subscription_id.map(|id| id.0),
            topic: filter.topic,
        };
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = outbox::list(
            &state(ctx)?.store,
            &permit,
            &filter,
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |row| row.id.clone(), Delivery::from))
    }

    /// One email or event callback. Action: `readDeliveries`.
    async fn delivery(&self, ctx: &Context<'_>, instance_id: ID, id: ID) -> Result<Delivery> {
        let permit = gate::instance(ctx, actions::ReadDeliveries, &instance_id)?;
        Ok(Delivery::from(
            outbox::get(&state(ctx)?.store, &permit, &id).await?,
        ))
    }

    /// The instance's event subscriptions. Action: `readDeliveries`.
    async fn event_subscriptions(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
    ) -> Result<Vec<EventSubscription>> {
        let permit = gate::instance(ctx, actions::ReadDeliveries, &instance_id)?;
        Ok(subscriptions::list(&state(ctx)?.events, &permit)
            .await?
            .into_iter()
            .map(EventSubscription::from)
            .collect())
    }
}

#[derive(InputObject)]
pub struct InviteUserInput {
    instance_id: ID,
    user_id: ID,
    /// How long the link works, 1 to 720 hours.
    #[graphql(default = 72)]
    valid_hours: u32,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct InviteUserPayload {
    #[graphql(skip)]
    instance_id: String,
    #[graphql(skip)]
    delivery_id: String,
    expires_at: DateTime<Utc>,
}

#[ComplexObject]
impl InviteUserPayload {
    /// The invitation email in the outbox.
    async fn delivery(&self, ctx: &Context<'_>) -> Result<Delivery> {
        let permit = gate::instance(ctx, actions::InviteUser, &self.instance_id)?;
        Ok(Delivery::from(
            outbox::get(&state(ctx)?.store, &permit, &self.delivery_id).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct CreateEventSubscriptionInput {
    instance_id: ID,
    /// An https:// URL (http:// on loopback only with `events.allow_insecure_loopback`).
    url: String,
    event_types: Vec<EventType>,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEventSubscriptionInput {
    instance_id: ID,
    id: ID,
    url: Option<String>,
    event_types: Option<Vec<EventType>>,
    description: Option<String>,
    enabled: Option<bool>,
}

#[derive(InputObject)]
pub struct EventSubscriptionRefInput {
    instance_id: ID,
    id: ID,
}

#[derive(InputObject)]
pub struct RedeliverInput {
    instance_id: ID,
    /// The delivery (outbox message) to send again.
    id: ID,
}

#[derive(SimpleObject)]
pub struct EventSubscriptionPayload {
    event_subscription: EventSubscription,
}

#[derive(SimpleObject)]
pub struct DeletedEventSubscriptionPayload {
    deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct DeliveryPayload {
    delivery: Delivery,
}

#[derive(Default)]
pub struct DeliveryMutation;

#[Object]
impl DeliveryMutation {
    /// Emails the user a single-use link to set their password; an earlier unused invitation
    /// stops working. The user needs an email address. Action: `inviteUser`.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> Result<InviteUserPayload> {
        let permit = gate::instance(ctx, actions::InviteUser, &input.instance_id)?;
        let invitation = recovery::invite(
            &state(ctx)?.auth,
            &permit,
            &input.user_id,
            input.valid_hours,
        )
        .await?;
        Ok(InviteUserPayload {
            instance_id: input.instance_id.0,
            delivery_id: invitation.outbox_id,
            expires_at: invitation.expires_at,
        })
    }

    /// Action: `manageEventSubscriptions`.
    async fn create_event_subscription(
        &self,
        ctx: &Context<'_>,
        input: CreateEventSubscriptionInput,
    ) -> Result<EventSubscriptionPayload> {
        let permit = gate::instance(ctx, actions::ManageEventSubscriptions, &input.instance_id)?;
        let model = subscriptions::create(
            &state(ctx)?.events,
            &permit,
            NewSubscription {
                url: input.url,
                event_types: input.event_types,
                description: input.description,
            },
        )
        .await?;
        Ok(EventSubscriptionPayload {
            event_subscription: EventSubscription::from(model),
        })
    }

    /// Changes the URL, event types, description or enabled flag; messages not yet delivered
    /// go to the new URL. Action: `manageEventSubscriptions`.
    async fn update_event_subscription(
        &self,
        ctx: &Context<'_>,
        input: UpdateEventSubscriptionInput,
    ) -> Result<EventSubscriptionPayload> {
        let permit = gate::instance(ctx, actions::ManageEventSubscriptions, &input.instance_id)?;
        let model = subscriptions::update(
            &state(ctx)?.events,
            &permit,
            &input.id,
            SubscriptionPatch {
                url: input.url,
                event_types: input.event_types,
                description: input.description,
                enabled: input.enabled,
            },
        )
        .await?;
        Ok(EventSubscriptionPayload {
            event_subscription: EventSubscription::from(model),
        })
    }

    /// Deletes the subscription with its undelivered events and its delivery log.
    /// Action: `manageEventSubscriptions`.
    async fn delete_event_subscription(
        &self,
        ctx: &Context<'_>,
        input: EventSubscriptionRefInput,
    ) -> Result<DeletedEventSubscriptionPayload> {
        let permit = gate::instance(ctx, actions::ManageEventSubscriptions, &input.instance_id)?;
        subscriptions::delete(&state(ctx)?.events, &permit, &input.id).await?;
        Ok(DeletedEventSubscriptionPayload {
            deleted_id: input.id,
        })
    }

    /// Sends a `ping` event to the receiver through the outbox, to test it.
    /// Action: `manageEventSubscriptions`.
    async fn ping_event_subscription(
        &self,
        ctx: &Context<'_>,
        input: EventSubscriptionRefInput,
    ) -> Result<DeliveryPayload> {
        let permit = gate::instance(ctx, actions::ManageEventSubscriptions, &input.instance_id)?;
        let state = state(ctx)?;
        let id = subscriptions::ping(&state.events, &permit, &input.id).await?;
        Ok(DeliveryPayload {
            delivery: Delivery::from(outbox::get(&state.store, &permit, &id).await?),
        })
    }

    /// Sends a dead (or delivered) email or event again with fresh attempts; it keeps its
    /// event id / Message-ID. Action: `manageEventSubscriptions`.
    async fn redeliver(&self, ctx: &Context<'_>, input: RedeliverInput) -> Result<DeliveryPayload> {
        let permit = gate::instance(ctx, actions::ManageEventSubscriptions, &input.instance_id)?;
        let row = outbox::redeliver(&state(ctx)?.store, &permit, &input.id).await?;
        Ok(DeliveryPayload {
            delivery: Delivery::from(row),
        })
    }
}
