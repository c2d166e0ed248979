use sea_orm::entity::prelude::*;

/// Failed sign-ins counted for one scope: an account (`user:<id>`, `admin:<username>`) or a
/// client address (`ip:<address>`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_throttles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    /// Failures since `window_started_at`.
    pub failures: i32,
    pub window_started_at: DateTimeUtc,
    /// Sign-ins in this scope are refused until then.
    pub locked_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
