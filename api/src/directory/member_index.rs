//! The member index: the members of every group, org unit and org-unit subtree by username
//! (table `member_index`), so that a page of members is one index range at any size
//! (docs/decisions.md, "Directory at scale").
//!
//! It is derived data. Whatever changes a user's memberships or username rewrites her rows
//! from the memberships themselves ([`refresh`]), in the same transaction: one way to write
//! them, so no writer can get them subtly wrong. The one exception is a move of an org unit,
//! which concerns every member of its subtree, possibly most of the directory: it changes
//! only the rows of the ancestors that changed, set-based ([`unit_moved`]).

use std::collections::{HashMap, HashSet};

use entity::member_index::{self, HolderKind};
use entity::{group_member, org_unit, org_unit_member, user};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};

use super::org_units::lineage;
use crate::error::AppResult;
use crate::query::prefix_range;

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

/// After a unit moved from `old_path` to `new_path` (the paths of its subtree already
/// rewritten): its subtree's members leave the subtrees of the units it is no longer under,
/// unless another of their units keeps them there, and join those of its new ancestors. A
/// statement per ancestor that changed, over the moved subtree's rows: a division of 100,000
/// members moves without a round trip per member (docs/decisions.md, "Directory at scale").
pub async fn unit_moved<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    unit_id: &str,
    old_path: &str,
    new_path: &str,
) -> AppResult<()> {
    let old_above = ancestors(old_path);
    let new_above = ancestors(new_path);
    let moved = || {
        Query::select()
            .column(member_index::Column::UserId)
            .from(member_index::Entity)
            .and_where(member_index::Column::HolderKind.eq(HolderKind::Subtree))
            .and_where(member_index::Column::HolderId.eq(unit_id))
            .to_owned()
    };
    for (ancestor, path) in old_above.iter().filter(|a| !new_above.contains(a)) {
        let units_under = Query::select()
            .column(org_unit::Column::Id)
            .from(org_unit::Entity)
            .and_where(org_unit::Column::InstanceId.eq(instance_id))
            .cond_where(prefix_range(org_unit::Column::Path, path))
            .to_owned();
        // Each member's own memberships (one or two) are looked up and checked against the
        // units under the ancestor, listed once. The unit id is hidden from the planners,
        // which would otherwise probe every unit under the ancestor for every member.
        let still_under = Query::select()
            .expr(Expr::val(1))
            .from(org_unit_member::Entity)
            .and_where(
                Expr::col((org_unit_member::Entity, org_unit_member::Column::UserId))
                    .equals((member_index::Entity, member_index::Column::UserId)),
            )
            .and_where(
                Expr::expr(Expr::cust(r#"("org_unit_members"."org_unit_id" || '')"#))
                    .in_subquery(units_under),
            )
            .to_owned();
        member_index::Entity::delete_many()
            .filter(member_index::Column::HolderKind.eq(HolderKind::Subtree))
            .filter(member_index::Column::HolderId.eq(ancestor.as_str()))
            .filter(member_index::Column::UserId.in_subquery(moved()))
            .filter(Expr::exists(still_under).not())
            .exec(db)
            .await?;
    }
    for (ancestor, _) in new_above.iter().filter(|a| !old_above.contains(a)) {
        let rows = Query::select()
            .expr(Expr::val(HolderKind::Subtree))
            .expr(Expr::val(ancestor.as_str()))
            .column(member_index::Column::Username)
            .column(member_index::Column::UserId)
            .from(member_index::Entity)
            .and_where(member_index::Column::HolderKind.eq(HolderKind::Subtree))
            .and_where(member_index::Column::HolderId.eq(unit_id))
            .to_owned();
        let insert = Query::insert()
            .into_table(member_index::Entity)
            .columns([
                member_index::Column::HolderKind,
                member_index::Column::HolderId,
                member_index::Column::Username,
                member_index::Column::UserId,
            ])
            .select_from(rows)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .on_conflict(
                OnConflict::columns([
                    member_index::Column::HolderKind,
                    member_index::Column::HolderId,
                    member_index::Column::Username,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        db.execute(db.get_database_backend().build(&insert)).await?;
    }
    Ok(())
}

/// The units above the unit at `path` (not the unit itself), each with its own path.
fn ancestors(path: &str) -> Vec<(String, String)> {
    let mut line = lineage(path);
    line.pop();
    let mut above = Vec::with_capacity(line.len());
    let mut prefix = String::from("/");
    for id in line {
        prefix.push_str(&id);
        prefix.push('/');
        above.push((id, prefix.clone()));
    }
    above
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_are_the_units_above_with_their_paths() {
        assert_eq!(
            ancestors("/a/b/c/"),
            vec![("a".into(), "/a/".into()), ("b".into(), "/a/b/".into())]
        );
        assert!(ancestors("/a/").is_empty());
    }
}
