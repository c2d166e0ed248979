//! The member index: the members of every group, org unit and org-unit subtree by username
//! (table `member_index`), so that a page of members is one index range at any size
//! (docs/decisions.md, "Directory at scale").
//!
//! It is derived data. Whatever changes a user's memberships, username or the paths of the
//! units she is in rewrites her rows from the memberships themselves ([`refresh`]), in the
//! same transaction: one way to write them, so no writer can get them subtly wrong.

use std::collections::{HashMap, HashSet};

use entity::member_index::{self, HolderKind};
use entity::{group_member, org_unit, org_unit_member, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::org_units::lineage;
use crate::error::AppResult;

/// Users refreshed per round of statements (their ids are bound parameters).
const USERS_PER_ROUND: usize = 500;
/// Rows inserted per statement (four parameters each).
const ROWS_PER_INSERT: usize = 250;

/// Rewrites the index rows of these users from their memberships and usernames.
pub async fn refresh<C: ConnectionTrait>(db: &C, user_ids: &[String]) -> AppResult<()> {
    for chunk in user_ids.chunks(USERS_PER_ROUND) {
        let names: HashMap<String, String> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Username)
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let groups: Vec<(String, String)> = group_member::Entity::find()
            .select_only()
            .column(group_member::Column::UserId)
            .column(group_member::Column::GroupId)
            .filter(group_member::Column::UserId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        let units: Vec<(String, String)> = org_unit_member::Entity::find()
            .select_only()
            .column(org_unit_member::Column::UserId)
            .column(org_unit::Column::Path)
            .inner_join(org_unit::Entity)
            .filter(org_unit_member::Column::UserId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        let mut holders = HashSet::new();
        for (user_id, group_id) in groups {
            holders.insert((user_id, HolderKind::Group, group_id));
        }
        for (user_id, path) in units {
            let mut line = lineage(&path);
            if let Some(own) = line.last() {
                holders.insert((user_id.clone(), HolderKind::OrgUnit, own.clone()));
            }
            for unit_id in line.drain(..) {
                holders.insert((user_id.clone(), HolderKind::Subtree, unit_id));
            }
        }
        let rows: Vec<member_index::ActiveModel> = holders
            .into_iter()
            .filter_map(|(user_id, kind, holder_id)| {
                let username = names.get(&user_id)?.clone();
                Some(member_index::ActiveModel {
                    holder_kind: Set(kind),
                    holder_id: Set(holder_id),
                    username: Set(username),
                    user_id: Set(user_id),
                })
            })
            .collect();
        member_index::Entity::delete_many()
            .filter(member_index::Column::UserId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
        for rows in rows.chunks(ROWS_PER_INSERT) {
            member_index::Entity::insert_many(rows.to_vec())
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// The members of a unit's subtree (whom a move of the unit concerns).
pub async fn subtree_members<C: ConnectionTrait>(db: &C, unit_id: &str) -> AppResult<Vec<String>> {
    Ok(member_index::Entity::find()
        .select_only()
        .column(member_index::Column::UserId)
        .filter(member_index::Column::HolderKind.eq(HolderKind::Subtree))
        .filter(member_index::Column::HolderId.eq(unit_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Drops the rows of a group that is being deleted.
pub async fn forget_group<C: ConnectionTrait>(db: &C, group_id: &str) -> AppResult<()> {
    member_index::Entity::delete_many()
        .filter(member_index::Column::HolderKind.eq(HolderKind::Group))
        .filter(member_index::Column::HolderId.eq(group_id))
        .exec(db)
        .await?;
    Ok(())
}
