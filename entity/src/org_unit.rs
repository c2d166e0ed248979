use sea_orm::entity::prelude::*;

/// A node of an instance's org-unit tree. `path` is the materialised path of ids from the root,
/// `/root/…/self/`, so that a subtree is one prefix match and a move is one update.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instance_id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub path: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
