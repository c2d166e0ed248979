use sea_orm::entity::prelude::*;

/// One try at delivering an outbox message: the delivery log.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub outbox_id: String,
    pub instance_id: String,
    pub attempt: i32,
    pub started_at: DateTimeUtc,
    pub duration_ms: i64,
    /// `delivered` or `failed`.
    pub outcome: String,
    /// The receiver's HTTP status, or the SMTP reply code.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    /// The first bytes of what the receiver answered.
    pub response_excerpt: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
