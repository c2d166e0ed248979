use sea_orm::entity::prelude::*;

/// An employee's IdP session: one sign-in to an instance. The browser holds a signed cookie
/// naming this row; deleting the row signs the employee out on every node.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employee_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub user_id: String,
    /// When the employee authenticated; the assertion's `AuthnInstant`.
    pub created_at: DateTimeUtc,
    /// The absolute end of the session.
    pub expires_at: DateTimeUtc,
    /// Refreshed at most once a minute; the idle expiry counts from it.
    pub last_seen_at: DateTimeUtc,
    /// How the employee authenticated, comma-separated (`password`).
    pub auth_methods: String,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
