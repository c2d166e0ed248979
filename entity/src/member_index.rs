use sea_orm::entity::prelude::*;

/// What a row of the member index lists the members of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum HolderKind {
    #[sea_orm(string_value = "group")]
    Group,
    /// The org unit's own members.
    #[sea_orm(string_value = "unit")]
    OrgUnit,
    /// The members of the org unit and of every unit below it, each once.
    #[sea_orm(string_value = "subtree")]
    Subtree,
}

/// The members of each group, org unit and org-unit subtree by username, derived from
/// `group_members`, `org_unit_members` and the units' paths (`directory::member_index` keeps
/// it): a page of members is one range of the primary key, in the order of the user list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_index")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub holder_kind: HolderKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub holder_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    pub user_id: String,
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
