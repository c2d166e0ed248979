use sea_orm::entity::prelude::*;

/// What a message is: an email, or an event callback to one subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MessageKind {
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "event")]
    Event,
}

/// Where a message is in its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (possibly leased by a worker right now).
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "delivered")]
    Delivered,
    /// Gave up after the last attempt; can be redelivered by an admin.
    #[sea_orm(string_value = "dead")]
    Dead,
}

/// A message to deliver, written in the same transaction as the change that caused it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub kind: MessageKind,
    pub subscription_id: Option<String>,
    /// Messages with the same key are delivered one after the other, in id order.
    pub ordering_key: Option<String>,
    /// The email template or the event type.
    pub topic: String,
    /// The email address or the receiver URL.
    pub recipient: String,
    pub payload: Json,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// Unix milliseconds; the row is not claimed before.
    pub next_attempt_ms: i64,
    /// The claim that holds the row, until `lease_until_ms`.
    pub lease_owner: Option<String>,
    pub lease_until_ms: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
