//! Account-sync event callbacks (the seed's "Account synchronization - Event callback"): every
//! directory change is written, in the transaction of the change, as one outbox row per
//! subscription that wants its type; the worker delivers each as a signed JWT
//! (`delivery`), which receivers verify with the instance's JWKS (`jwks`).
//!
//! A committed change always has its events and a rolled-back one never does. Events of one
//! subject (a user, a group, an org unit) reach one subscription in the order they happened.

pub mod delivery;
pub mod jwks;
pub mod receiver;
pub mod subscriptions;

use std::collections::HashSet;

use chrono::Utc;
use entity::outbox::MessageKind;
use entity::{event_subscription, group, org_unit, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::db::Store;
use crate::error::AppResult;
use crate::ids::new_id;
use crate::keys::KeyRing;
use crate::outbox::{self, NewMessage};

/// Event subscriptions and the signing of callbacks. Built once in `startup`.
#[derive(Clone)]
pub struct Events {
    pub store: Store,
    pub ring: KeyRing,
    pub public_url: String,
    /// Which non-public receivers are allowed (`events.allow_insecure_loopback`,
    /// `events.allow_private_networks`).
    pub reach: receiver::Reach,
}

/// What happened. The wire name (`user.created`) is the JWT's `event_type`.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[graphql(name = "EventType")]
pub enum EventType {
    UserCreated,
    UserUpdated,
    UserDeleted,
    GroupCreated,
    GroupUpdated,
    GroupDeleted,
    GroupMembersAdded,
    GroupMembersRemoved,
    OrgUnitCreated,
    OrgUnitUpdated,
    OrgUnitDeleted,
    OrgUnitMembersAdded,
    OrgUnitMembersRemoved,
    ApplicationAccountUpdated,
    ApplicationAccountRemoved,
    /// Sent by `pingEventSubscription` whatever the subscription's types.
    Ping,
}

impl EventType {
    pub const ALL: [EventType; 16] = [
        EventType::UserCreated,
        EventType::UserUpdated,
        EventType::UserDeleted,
        EventType::GroupCreated,
        EventType::GroupUpdated,
        EventType::GroupDeleted,
        EventType::GroupMembersAdded,
        EventType::GroupMembersRemoved,
        EventType::OrgUnitCreated,
        EventType::OrgUnitUpdated,
        EventType::OrgUnitDeleted,
        EventType::OrgUnitMembersAdded,
        EventType::OrgUnitMembersRemoved,
        EventType::ApplicationAccountUpdated,
        EventType::ApplicationAccountRemoved,
        EventType::Ping,
    ];

    pub fn name(self) -> &'static str {
        use EventType::*;
        match self {
            UserCreated => "user.created",
            UserUpdated => "user.updated",
            UserDeleted => "user.deleted",
            GroupCreated => "group.created",
            GroupUpdated => "group.updated",
            GroupDeleted => "group.deleted",
            GroupMembersAdded => "group.members_added",
            GroupMembersRemoved => "group.members_removed",
            OrgUnitCreated => "org_unit.created",
            OrgUnitUpdated => "org_unit.updated",
            OrgUnitDeleted => "org_unit.deleted",
            OrgUnitMembersAdded => "org_unit.members_added",
            OrgUnitMembersRemoved => "org_unit.members_removed",
            ApplicationAccountUpdated => "application_account.updated",
            ApplicationAccountRemoved => "application_account.removed",
            Ping => "ping",
        }
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One change, about one subject.
#[derive(Clone, Debug)]
pub struct Event {
    pub event_type: EventType,
    /// `user`, `group`, `org_unit` or `subscription` (pings).
    pub subject_type: &'static str,
    pub subject_id: String,
    pub data: serde_json::Value,
}

impl Event {
    pub fn user(event_type: EventType, user: &user::Model) -> Event {
        Event {
            event_type,
            subject_type: "user",
            subject_id: user.id.clone(),
            data: serde_json::json!({
                "id": user.id, "username": user.username, "displayName": user.display_name,
                "email": user.email, "phone": user.phone, "externalId": user.external_id,
                "status": user.status.name(),
            }),
        }
    }

    pub fn user_deleted(user: &user::Model) -> Event {
        Event {
            event_type: EventType::UserDeleted,
            subject_type: "user",
            subject_id: user.id.clone(),
            data: serde_json::json!({ "id": user.id, "username": user.username, "externalId": user.external_id }),
        }
    }

    pub fn group(event_type: EventType, group: &group::Model) -> Event {
        Event {
            event_type,
            subject_type: "group",
            subject_id: group.id.clone(),
            data: serde_json::json!({
                "id": group.id, "name": group.name, "description": group.description,
            }),
        }
    }

    /// Members added to or removed from a group or org unit.
    pub fn members(
        event_type: EventType,
        subject_type: &'static str,
        subject_id: &str,
        user_ids: &[String],
    ) -> Event {
        let mut unique: Vec<&String> = user_ids
            .iter()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        unique.sort();
        Event {
            event_type,
            subject_type,
            subject_id: subject_id.to_owned(),
            data: serde_json::json!({ "id": subject_id, "userIds": unique }),
        }
    }

    pub fn org_unit(event_type: EventType, unit: &org_unit::Model) -> Event {
        Event {
            event_type,
            subject_type: "org_unit",
            subject_id: unit.id.clone(),
            data: serde_json::json!({
                "id": unit.id, "name": unit.name, "parentId": unit.parent_id,
            }),
        }
    }

    /// A user's account in an application was set (`Some`) or removed (`None`). Ordered with
    /// the user's other events.
    pub fn application_account(
        application_id: &str,
        user_id: &str,
        account_name: Option<&str>,
    ) -> Event {
        Event {
            event_type: if account_name.is_some() {
                EventType::ApplicationAccountUpdated
            } else {
                EventType::ApplicationAccountRemoved
            },
            subject_type: "user",
            subject_id: user_id.to_owned(),
            data: serde_json::json!({
                "applicationId": application_id, "userId": user_id, "accountName": account_name,
            }),
        }
    }
}

/// What an event row of the outbox holds; the JWT's claims are made from it when it is sent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventPayload {
    pub event_id: String,
    pub event_type: String,
    pub subject_type: String,
    pub subject_id: String,
    pub occurred_at: i64,
    pub data: serde_json::Value,
}

fn message_for(
    instance_id: &str,
    subscription: &event_subscription::Model,
    event: &Event,
    event_id: &str,
    occurred_at: i64,
    ordered: bool,
) -> AppResult<NewMessage> {
    let payload = EventPayload {
        event_id: event_id.to_owned(),
        event_type: event.event_type.name().to_owned(),
        subject_type: event.subject_type.to_owned(),
        subject_id: event.subject_id.clone(),
        occurred_at,
        data: event.data.clone(),
    };
    Ok(NewMessage {
        instance_id: instance_id.to_owned(),
        kind: MessageKind::Event,
        subscription_id: Some(subscription.id.clone()),
        ordering_key: ordered.then(|| format!("{}:{}", subscription.id, event.subject_id)),
        topic: event.event_type.name().to_owned(),
        recipient: subscription.url.clone(),
        payload: serde_json::to_value(payload)
            .map_err(|err| anyhow::Error::new(err).context("event payload"))?,
    })
}

/// Writes the events of a change for every enabled subscription of the instance that wants
/// them. Call it in the transaction of the change.
pub async fn emit<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    events: Vec<Event>,
) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let subscriptions = event_subscription::Entity::find()
        .filter(event_subscription::Column::InstanceId.eq(instance_id))
        .filter(event_subscription::Column::Enabled.eq(true))
        .all(db)
        .await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let occurred_at = Utc::now().timestamp();
    let mut messages = Vec::new();
    for event in &events {
        let event_id = new_id();
        for subscription in &subscriptions {
            if subscriptions::wants(subscription, event.event_type) {
                messages.push(message_for(
                    instance_id,
                    subscription,
                    event,
                    &event_id,
                    occurred_at,
                    true,
                )?);
            }
        }
    }
    outbox::enqueue_many(db, messages).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for event_type in EventType::ALL {
            assert_eq!(EventType::from_name(event_type.name()), Some(event_type));
        }
        assert_eq!(EventType::from_name("user.exploded"), None);
    }
}
