//! The durable outbox: emails and event callbacks are rows written in the same transaction as
//! the change that causes them, and a worker on every node delivers them.
//!
//! Claiming: a worker marks due rows with its claim id and a lease in one statement
//! (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)` on PostgreSQL, so that nodes
//! sharing the database never claim the same row; on SQLite the node's write lock serialises
//! claims). A row whose lease ran out — its node died mid-delivery — is claimed again.
//!
//! Ordering: rows with the same `ordering_key` (an event subscription and a subject) are claimed
//! one at a time in id order: a later one waits until every earlier one is delivered or dead.
//!
//! Guarantee: at least once. A message is sent again only when a node dies (or loses its
//! database) after the receiver accepted it and before the outcome was committed; every email
//! carries a stable `Message-ID` and every event a stable id (`jti`) for receivers to de-duplicate.

pub mod worker;

use chrono::{DateTime, TimeZone, Utc};
use entity::delivery_attempt;
use entity::outbox::{self, DeliveryStatus, MessageKind};
use rand::Rng;
use sea_orm::sea_query::{Alias, Expr, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, InstancePermit, ReadsDeliveries};
use crate::config::OutboxConfig;
use crate::db::Store;
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::query::Count;

/// A message to write into the outbox.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub instance_id: String,
    pub kind: MessageKind,
    pub subscription_id: Option<String>,
    pub ordering_key: Option<String>,
    pub topic: String,
    pub recipient: String,
    pub payload: serde_json::Value,
}

impl NewMessage {
    fn into_model(self, id: String) -> outbox::ActiveModel {
        let now = Utc::now();
        outbox::ActiveModel {
            id: Set(id),
            instance_id: Set(self.instance_id),
            kind: Set(self.kind),
            subscription_id: Set(self.subscription_id),
            ordering_key: Set(self.ordering_key),
            topic: Set(self.topic),
            recipient: Set(self.recipient),
            payload: Set(self.payload),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            next_attempt_ms: Set(now.timestamp_millis()),
            lease_owner: Set(None),
            lease_until_ms: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            delivered_at: Set(None),
        }
    }
}

/// Writes one message; call it inside the transaction of the change it reports.
pub async fn enqueue<C: ConnectionTrait>(db: &C, message: NewMessage) -> AppResult<String> {
    let id = new_id();
    outbox::Entity::insert(message.into_model(id.clone()))
        .exec_without_returning(db)
        .await?;
    Ok(id)
}

/// Writes many messages (ids in the given order, so that their delivery order is theirs).
pub async fn enqueue_many<C: ConnectionTrait>(db: &C, messages: Vec<NewMessage>) -> AppResult<()> {
    let rows: Vec<outbox::ActiveModel> = messages
        .into_iter()
        .map(|message| message.into_model(new_id()))
        .collect();
    for chunk in rows.chunks(100) {
        outbox::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn instant(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// How long to wait before the attempt after `attempts` failed ones: exponential from
/// `retry_base_ms`, capped, with jitter (a random 50–100 % of it) so that messages that failed
/// together do not retry together.
pub fn backoff_ms(config: &OutboxConfig, attempts: u32) -> i64 {
    let exponent = attempts.saturating_sub(1).min(30);
    let cap = config.retry_max_seconds.saturating_mul(1000);
    let full = config
        .retry_base_ms
        .saturating_mul(1u64 << exponent)
        .min(cap)
        .max(1);
    let jittered = rand::thread_rng().gen_range(full / 2..=full);
    i64::try_from(jittered).unwrap_or(i64::MAX)
}

/// Claims up to `limit` due rows of the given kinds for `claim_id`, for `lease_ms`, counting
/// the attempt. Returns the claimed rows in id order.
pub async fn claim(
    store: &Store,
    claim_id: &str,
    kinds: &[MessageKind],
    limit: u64,
    lease_ms: i64,
) -> AppResult<Vec<outbox::Model>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let now = now_ms();
    let table = Alias::new("outbox");
    let earlier = Alias::new("earlier");
    let col = |c: outbox::Column| Expr::col((table.clone(), c));
    let blocked_by_earlier = Query::select()
        .expr(Expr::cust("1"))
        .from_as(outbox::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), outbox::Column::OrderingKey))
                .equals((table.clone(), outbox::Column::OrderingKey)),
        )
        .and_where(Expr::col((earlier.clone(), outbox::Column::Status)).eq("pending"))
        .and_where(
            Expr::col((earlier.clone(), outbox::Column::Id))
                .lt(Expr::col((table.clone(), outbox::Column::Id))),
        )
        .to_owned();
    let kinds: Vec<&str> = kinds
        .iter()
        .map(|kind| match kind {
            MessageKind::Email => "email",
            MessageKind::Event => "event",
        })
        .collect();
    // An idle node reads and does not take the write lock. On SQLite a transaction of another
    // node that has read cannot wait for a writer and fails with SQLITE_BUSY; polling writes
    // every interval would make that likely.
    let any_due = Query::select()
        .expr(Expr::cust("1"))
        .from(outbox::Entity)
        .and_where(Expr::col(outbox::Column::Status).eq("pending"))
        .and_where(Expr::col(outbox::Column::NextAttemptMs).lte(now))
        .and_where(Expr::col(outbox::Column::Kind).is_in(kinds.clone()))
        .limit(1)
        .to_owned();
    if store
        .conn
        .query_one(store.backend().build(&any_due))
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let due = Query::select()
        .column((table.clone(), outbox::Column::Id))
        .from(outbox::Entity)
        .and_where(col(outbox::Column::Status).eq("pending"))
        .and_where(col(outbox::Column::NextAttemptMs).lte(now))
        .and_where(col(outbox::Column::Kind).is_in(kinds))
        .cond_where(
            Condition::any()
                .add(col(outbox::Column::LeaseUntilMs).is_null())
                .add(col(outbox::Column::LeaseUntilMs).lt(now)),
        )
        .and_where(Expr::exists(blocked_by_earlier).not())
        .order_by((table.clone(), outbox::Column::Id), Order::Asc)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let txn = store.begin_write().await?;
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseOwner, Expr::value(claim_id))
        .col_expr(outbox::Column::LeaseUntilMs, Expr::value(now + lease_ms))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.in_subquery(due))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(Vec::new());
    }
    let rows = outbox::Entity::find()
        .filter(outbox::Column::LeaseOwner.eq(claim_id))
        .filter(outbox::Column::Status.eq(DeliveryStatus::Pending))
        .order_by_asc(outbox::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

/// What one attempt came to.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub result: AttemptResult,
    /// The HTTP status or SMTP reply code, when the other side answered.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    Delivered,
    /// Try again later (until the last attempt).
    Retry,
    /// Retrying cannot help (e.g. the mail server refused the address for good).
    GiveUp,
}

impl Attempt {
    pub fn delivered(status_code: Option<i32>, response_excerpt: Option<String>) -> Attempt {
        Attempt {
            result: AttemptResult::Delivered,
            status_code,
            error: None,
            response_excerpt,
        }
    }

    pub fn retry(error: impl Into<String>) -> Attempt {
        Attempt {
            result: AttemptResult::Retry,
            status_code: None,
            error: Some(error.into()),
            response_excerpt: None,
        }
    }

    pub fn give_up(error: impl Into<String>) -> Attempt {
        Attempt {
            result: AttemptResult::GiveUp,
            ..Attempt::retry(error)
        }
    }
}

/// Records the outcome of an attempt on a row this claim still holds: delivered, due again
/// after a backoff, or dead. A claim that lost its lease (it ran out and another node took the
/// row) changes nothing. Returns the row's new status, or `None` when the lease was lost.
pub async fn finish(
    store: &Store,
    config: &OutboxConfig,
    row: &outbox::Model,
    claim_id: &str,
    started_at: DateTime<Utc>,
    attempt: Attempt,
) -> AppResult<Option<DeliveryStatus>> {
    let now = Utc::now();
    let status = match attempt.result {
        AttemptResult::Delivered => DeliveryStatus::Delivered,
        AttemptResult::GiveUp => DeliveryStatus::Dead,
        AttemptResult::Retry if row.attempts as u32 >= config.max_attempts => DeliveryStatus::Dead,
        AttemptResult::Retry => DeliveryStatus::Pending,
    };
    let next_attempt_ms = match status {
        DeliveryStatus::Pending => now.timestamp_millis() + backoff_ms(config, row.attempts as u32),
        _ => row.next_attempt_ms,
    };
    let txn = store.begin_write().await?;
    let updated = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(outbox::Column::NextAttemptMs, Expr::value(next_attempt_ms))
        .col_expr(
            outbox::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            outbox::Column::LeaseUntilMs,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(attempt.error.clone()),
        )
        .col_expr(outbox::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            outbox::Column::DeliveredAt,
            Expr::value((status == DeliveryStatus::Delivered).then_some(now)),
        )
        .filter(outbox::Column::Id.eq(row.id.clone()))
        .filter(outbox::Column::LeaseOwner.eq(claim_id))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    delivery_attempt::ActiveModel {
        id: Set(new_id()),
        outbox_id: Set(row.id.clone()),
        instance_id: Set(row.instance_id.clone()),
        attempt: Set(row.attempts),
        started_at: Set(started_at),
        duration_ms: Set((now - started_at).num_milliseconds().max(0)),
        outcome: Set(match attempt.result {
            AttemptResult::Delivered => "delivered",
            _ => "failed",
        }
        .to_owned()),
        status_code: Set(attempt.status_code),
        error: Set(attempt.error.map(|e| truncate(&e, 2000))),
        response_excerpt: Set(attempt.response_excerpt),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(status))
}

/// At most `max` bytes of `text`, cut at a character boundary.
pub fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// When a row will next be tried, for display.
pub fn next_attempt_at(row: &outbox::Model) -> Option<DateTime<Utc>> {
    (row.status == DeliveryStatus::Pending).then(|| instant(row.next_attempt_ms))
}

#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub kind: Option<MessageKind>,
    pub status: Option<DeliveryStatus>,
    pub subscription_id: Option<String>,
    pub topic: Option<String>,
}

/// The instance's messages, newest first, before the id `before`.
pub async fn list(
    store: &Store,
    permit: &InstancePermit<actions::ReadDeliveries>,
    filter: &DeliveryFilter,
    before: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<outbox::Model>, Count)> {
    let mut query =
        outbox::Entity::find().filter(outbox::Column::InstanceId.eq(permit.instance_id()));
    if let Some(kind) = filter.kind {
        query = query.filter(outbox::Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    if let Some(subscription) = &filter.subscription_id {
        query = query.filter(outbox::Column::SubscriptionId.eq(subscription.clone()));
    }
    if let Some(topic) = &filter.topic {
        query = query.filter(outbox::Column::Topic.eq(topic.clone()));
    }
    let total = Count::of(query.clone(), &store.conn);
    if let Some(before) = before {
        query = query.filter(outbox::Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(&store.conn)
        .await?;
    Ok((rows, total))
}

async fn find_in<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    id: &str,
) -> AppResult<outbox::Model> {
    if !plausible_id(id) {
        return Err(AppError::NotFound("delivery"));
    }
    outbox::Entity::find_by_id(id)
        .filter(outbox::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("delivery"))
}

pub async fn get<A: ReadsDeliveries>(
    store: &Store,
    permit: &InstancePermit<A>,
    id: &str,
) -> AppResult<outbox::Model> {
    find_in(&store.conn, permit.instance_id(), id).await
}

/// The delivery log of a message, oldest attempt first.
pub async fn attempts_of<C: ConnectionTrait>(
    db: &C,
    outbox_id: &str,
) -> AppResult<Vec<delivery_attempt::Model>> {
    Ok(delivery_attempt::Entity::find()
        .filter(delivery_attempt::Column::OutboxId.eq(outbox_id))
        .order_by_asc(delivery_attempt::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}

/// Sends a delivered or dead message again, with a fresh count of attempts. It keeps its id
/// (the event id or Message-ID receivers de-duplicate on) and its place in the order of its
/// subject. A pending message is left as it is.
pub async fn redeliver(
    store: &Store,
    permit: &InstancePermit<actions::ManageEventSubscriptions>,
    id: &str,
) -> AppResult<outbox::Model> {
    let txn = store.begin_write().await?;
    let row = find_in(&txn, permit.instance_id(), id).await?;
    if row.status == DeliveryStatus::Pending {
        return Err(AppError::conflict(
            "id",
            "the message is still pending; it is retried on its own",
        ));
    }
    let mut active: outbox::ActiveModel = row.clone().into();
    active.status = Set(DeliveryStatus::Pending);
    active.attempts = Set(0);
    active.next_attempt_ms = Set(now_ms());
    active.lease_owner = Set(None);
    active.lease_until_ms = Set(None);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "delivery", Some(id)).summary(serde_json::json!({
            "topic": row.topic, "recipient": row.recipient,
            "previousStatus": status_name(row.status),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

pub fn status_name(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "pending",
        DeliveryStatus::Delivered => "delivered",
        DeliveryStatus::Dead => "dead",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let config = OutboxConfig {
            retry_base_ms: 1000,
            retry_max_seconds: 60,
            ..crate::config::default_outbox()
        };
        for _ in 0..50 {
            let first = backoff_ms(&config, 1);
            assert!((500..=1000).contains(&first), "{first}");
            let fourth = backoff_ms(&config, 4);
            assert!((4000..=8000).contains(&fourth), "{fourth}");
            let late = backoff_ms(&config, 40);
            assert!((30_000..=60_000).contains(&late), "{late}");
        }
        let spread: std::collections::HashSet<i64> =
            (0..20).map(|_| backoff_ms(&config, 3)).collect();
        assert!(spread.len() > 1, "jitter spreads retries");
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
