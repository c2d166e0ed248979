//! The event subscriptions of an instance: a receiver URL and the event types it wants.

use chrono::Utc;
use entity::event_subscription;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::receiver::ReceiverUrl;
use super::{message_for, Event, EventType, Events};
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Action, InstancePermit};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::ids::plausible_id;
use crate::outbox;
use crate::validate;

/// Subscriptions one instance may have.
pub const MAX_PER_INSTANCE: u64 = 20;

pub fn types_of(subscription: &event_subscription::Model) -> Vec<EventType> {
    subscription
        .event_types
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().and_then(EventType::from_name))
                .collect()
        })
        .unwrap_or_default()
}

pub fn wants(subscription: &event_subscription::Model, event_type: EventType) -> bool {
    types_of(subscription).contains(&event_type)
}

fn checked_types(types: &[EventType]) -> AppResult<serde_json::Value> {
    let mut names: Vec<&str> = types
        .iter()
        .filter(|t| **t != EventType::Ping)
        .map(|t| t.name())
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(AppError::bad_input(
            "eventTypes",
            "choose at least one event type (pings are always sent)",
        ));
    }
    Ok(serde_json::json!(names))
}

async fn find_in<A: Action>(
    db: &impl sea_orm::ConnectionTrait,
    permit: &InstancePermit<A>,
    id: &str,
) -> AppResult<event_subscription::Model> {
    if !plausible_id(id) {
        return Err(AppError::NotFound("event subscription"));
    }
    event_subscription::Entity::find_by_id(id)
        .filter(event_subscription::Column::InstanceId.eq(permit.instance_id()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("event subscription"))
}

pub async fn list(
    events: &Events,
    permit: &InstancePermit<actions::ReadDeliveries>,
) -> AppResult<Vec<event_subscription::Model>> {
    Ok(event_subscription::Entity::find()
        .filter(event_subscription::Column::InstanceId.eq(permit.instance_id()))
        .order_by_asc(event_subscription::Column::Id)
        .all(&events.store.conn)
        .await?)
}

pub async fn get(
    events: &Events,
    permit: &InstancePermit<actions::ReadDeliveries>,
    id: &str,
) -> AppResult<event_subscription::Model> {
    find_in(&events.store.conn, permit, id).await
}

pub struct NewSubscription {
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
}

pub async fn create(
    events: &Events,
    permit: &InstancePermit<actions::ManageEventSubscriptions>,
    input: NewSubscription,
) -> AppResult<event_subscription::Model> {
    let url = ReceiverUrl::parse(&input.url, events.reach)?;
    let types = checked_types(&input.event_types)?;
    let description = validate::text(
        "description",
        input.description.as_deref().unwrap_or_default(),
        500,
    )?;
    let txn = events.store.begin_write().await?;
    crate::tenant::get_in(&txn, permit.instance_id()).await?;
    let existing = event_subscription::Entity::find()
        .filter(event_subscription::Column::InstanceId.eq(permit.instance_id()))
        .count(&txn)
        .await?;
    if existing >= MAX_PER_INSTANCE {
        return Err(AppError::conflict(
            "url",
            format!("an instance has at most {MAX_PER_INSTANCE} event subscriptions"),
        ));
    }
    let now = Utc::now();
    let id = new_id();
    let model = event_subscription::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(permit.instance_id().to_owned()),
        url: Set(url.as_str().to_owned()),
        event_types: Set(types),
        description: Set(description),
        enabled: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "event_subscription", Some(&id))
            .summary(serde_json::json!({ "url": model.url, "eventTypes": model.event_types })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

#[derive(Default)]
pub struct SubscriptionPatch {
    pub url: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// Changes a subscription. Messages not yet delivered go to the new URL.
pub async fn update(
    events: &Events,
    permit: &InstancePermit<actions::ManageEventSubscriptions>,
    id: &str,
    patch: SubscriptionPatch,
) -> AppResult<event_subscription::Model> {
    let url = patch
        .url
        .as_deref()
        .map(|u| ReceiverUrl::parse(u, events.reach))
        .transpose()?;
    let types = patch
        .event_types
        .as_deref()
        .map(checked_types)
        .transpose()?;
    let description = patch
        .description
        .as_deref()
        .map(|d| validate::text("description", d, 500))
        .transpose()?;
    let txn = events.store.begin_write().await?;
    let current = find_in(&txn, permit, id).await?;
    let mut active: event_subscription::ActiveModel = current.clone().into();
    if let Some(url) = url {
        active.url = Set(url.as_str().to_owned());
    }
    if let Some(types) = types {
        active.event_types = Set(types);
    }
    if let Some(description) = description {
        active.description = Set(description);
    }
    if let Some(enabled) = patch.enabled {
        active.enabled = Set(enabled);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "event_subscription", Some(id)).summary(serde_json::json!({
            "url": { "from": current.url, "to": model.url },
            "eventTypes": model.event_types, "enabled": model.enabled,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Deletes a subscription with its undelivered messages and delivery log.
pub async fn delete(
    events: &Events,
    permit: &InstancePermit<actions::ManageEventSubscriptions>,
    id: &str,
) -> AppResult<()> {
    let txn = events.store.begin_write().await?;
    let current = find_in(&txn, permit, id).await?;
    event_subscription::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "event_subscription", Some(id))
            .summary(serde_json::json!({ "url": current.url })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Queues a `ping` event to the subscription, delivered like any other; returns its outbox id.
pub async fn ping(
    events: &Events,
    permit: &InstancePermit<actions::ManageEventSubscriptions>,
    id: &str,
) -> AppResult<String> {
    let txn = events.store.begin_write().await?;
    let subscription = find_in(&txn, permit, id).await?;
    let event = Event {
        event_type: EventType::Ping,
        subject_type: "subscription",
        subject_id: subscription.id.clone(),
        data: serde_json::json!({ "subscriptionId": subscription.id }),
    };
    let message = message_for(
        permit.instance_id(),
        &subscription,
        &event,
        &new_id(),
        Utc::now().timestamp(),
        false,
    )?;
    let outbox_id = outbox::enqueue(&txn, message).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "event_subscription", Some(id))
            .summary(serde_json::json!({ "ping": outbox_id })),
    )
    .await?;
    txn.commit().await?;
    Ok(outbox_id)
}
