//! Listing an instance's users: pages in username order, prefix search, membership filters.
//!
//! Every page is an index range that stops after the page (keyset pagination: the cursor is
//! the sort key of the last row), whatever the instance's size:
//! - the plain list walks `ux_users_username` from the cursor;
//! - a search walks `ix_users_username_key` (lower-case usernames) over the prefix's range,
//!   then the unique email index over the same range for users whose username does not match:
//!   username matches come first, by lower-case username, then email-only matches, by email;
//! - a group, org-unit or subtree filter walks the set's range of the member index (its
//!   members by username, see `member_index`), each row's user found by primary key;
//! - a search within a set is a semi-join whose shape depends on the set's size, counted up to
//!   [`GATHER_AT_MOST`]: a small set drives the query (its members, then sorted), a large one
//!   is checked row by row while the search's range is walked (a page needs few rows).
//!
//! docs/decisions.md ("Directory at scale") says why the keys and the two-phase search.

use entity::member_index::{self, HolderKind};
use entity::org_unit;
use entity::user::{self, UserStatus};
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, JoinType,
    Order, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};

use super::Directory;
use crate::authz::admin::{actions, InstancePermit};
use crate::error::{AppError, AppResult};
use crate::query::{count_up_to, prefix_range, search_prefix, Count};

/// Up to this many members, a search within a set gathers the members and sorts them; beyond,
/// it walks the search's range and checks each user. Both cost about this many index steps at worst
/// for a page of 100 out of a million users.
pub const GATHER_AT_MOST: u64 = 10_000;

#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// Username or email prefix, case-insensitive.
    pub search: Option<String>,
    /// Exactly this username (case-sensitive, as sign-in matches it).
    pub username: Option<String>,
    /// Exactly this external id (the id a provisioning system knows the user by).
    pub external_id: Option<String>,
    pub status: Option<UserStatus>,
    pub group_id: Option<String>,
    pub org_unit_id: Option<String>,
    /// With `org_unit_id`: members of its whole subtree (the default) or of the unit alone.
    pub include_sub_units: bool,
}

/// The lower-case username the search index holds: a column the database computes
/// (`lower(username)`, byte-ordered), which the entity does not carry.
pub fn username_key() -> SimpleExpr {
    Expr::col((user::Entity, Alias::new("username_key"))).into()
}

/// Where a search page resumes: after a username match, or in the email-only matches.
#[derive(Debug, PartialEq, Eq)]
pub enum SearchCursor {
    Name { key: String, id: String },
    Email(String),
}

/// A search cursor starts with `~`, which no username does (the plain list's cursor is a
/// username); tabs separate its parts, which neither usernames, emails nor ids hold.
const SEARCH_MARK: char = '~';

impl SearchCursor {
    fn of_name(user: &user::Model) -> String {
        format!(
            "{SEARCH_MARK}n\t{}\t{}",
            user.username.to_lowercase(),
            user.id
        )
    }

    fn of_email(email: &str) -> String {
        format!("{SEARCH_MARK}e\t{email}")
    }

    /// A search cursor as a client sends it back (decoded from base64url).
    pub fn parse(after: &str) -> AppResult<SearchCursor> {
        let bad = || AppError::bad_input("after", "not a cursor of this search");
        let rest = after.strip_prefix(SEARCH_MARK).ok_or_else(bad)?;
        let mut parts = rest.split('\t');
        let cursor = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("n"), Some(key), Some(id), None) => SearchCursor::Name {
                key: key.to_owned(),
                id: id.to_owned(),
            },
            (Some("e"), Some(email), None, None) => SearchCursor::Email(email.to_owned()),
            _ => return Err(bad()),
        };
        Ok(cursor)
    }
}

/// A page of users (each with its cursor) and the total, counted if asked.
pub async fn list(
    dir: &Directory,
    permit: &InstancePermit<actions::ReadDirectory>,
    filter: &UserFilter,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<(String, user::Model)>, Count)> {
    let db = &dir.store.conn;
    let instance_id = permit.instance_id();
    let search = search_prefix("filter.search", filter.search.as_deref())?;
    let holders = holders(db, instance_id, filter).await?;
    let mut base = user::Entity::find();
    // Without a search, the first set (if any) drives the query: its index range in username
    // order, the user of each row found by primary key; any other set is looked up per row.
    let mut driving = None;
    let mut rest = holders.as_slice();
    if search.is_none() {
        if let Some(((kind, id), others)) = holders.split_first() {
            base = base
                .join(
                    JoinType::InnerJoin,
                    member_index::Relation::User.def().rev(),
                )
                .filter(member_index::Column::HolderKind.eq(*kind))
                .filter(member_index::Column::HolderId.eq(id.as_str()));
            driving = Some(member_index::Column::Username);
            rest = others;
        }
    }
    let mut memberships = Vec::new();
    for holder in rest {
        memberships.push(match search {
            Some(_) => semi_join(db, holder).await?,
            None => Membership {
                condition: is_member(holder),
                gathered: false,
            },
        });
    }
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    if sqlite && memberships.iter().any(|m| m.gathered) {
        // The same condition, hidden from SQLite's planner: with no statistics it would rather
        // walk the search's index and probe the (small) member set than drive the query from
        // the set and sort it. PostgreSQL plans from statistics (and, given the hidden form,
        // would scan the table for it).
        base = base.filter(Expr::cust(r#"("users"."instance_id" || '')"#).eq(instance_id));
    } else {
        base = base.filter(user::Column::InstanceId.eq(instance_id));
    }
    for membership in memberships {
        base = base.filter(membership.condition);
    }
    if let Some(status) = filter.status {
        base = base.filter(user::Column::Status.eq(status));
    }
    if let Some(username) = &filter.username {
        base = base.filter(user::Column::Username.eq(username.trim()));
    }
    if let Some(external_id) = &filter.external_id {
        base = base.filter(user::Column::ExternalId.eq(external_id.trim()));
    }
    match search {
        None => {
            let total = Count::of(base.clone(), db);
            let order: SimpleExpr = match driving {
                Some(column) => Expr::col((member_index::Entity, column)).into(),
                None => Expr::col((user::Entity, user::Column::Username)).into(),
            };
            let mut page = base.order_by(order.clone(), Order::Asc);
            if let Some(after) = after {
                if after.starts_with(SEARCH_MARK) {
                    return Err(AppError::bad_input("after", "not a cursor of this list"));
                }
                page = page.filter(Expr::expr(order).gt(after));
            }
            let rows = page.limit(limit).all(db).await?;
            Ok((
                rows.into_iter().map(|u| (u.username.clone(), u)).collect(),
                total,
            ))
        }
        Some(prefix) => {
            let cursor = after.map(SearchCursor::parse).transpose()?;
            search_page(db, base, &prefix, cursor, limit).await
        }
    }
}

/// Username matches from the cursor on; when they run out, email-only matches.
async fn search_page(
    db: &DatabaseConnection,
    base: Select<user::Entity>,
    prefix: &str,
    cursor: Option<SearchCursor>,
    limit: u64,
) -> AppResult<(Vec<(String, user::Model)>, Count)> {
    let email = || -> SimpleExpr { Expr::col((user::Entity, user::Column::Email)).into() };
    let names = prefix_range(username_key(), prefix);
    let emails = prefix_range(email(), prefix);
    let total = Count::of(
        base.clone()
            .filter(Condition::any().add(names.clone()).add(emails.clone())),
        db,
    );
    let mut rows = Vec::new();
    if !matches!(cursor, Some(SearchCursor::Email(_))) {
        let mut page = base.clone().filter(names.clone());
        if let Some(SearchCursor::Name { key, id }) = &cursor {
            page = page.filter(
                Expr::tuple([
                    username_key(),
                    Expr::col((user::Entity, user::Column::Id)).into(),
                ])
                .gt(Expr::tuple([
                    Expr::val(key.as_str()).into(),
                    Expr::val(id.as_str()).into(),
                ])),
            );
        }
        let found = page
            .order_by(username_key(), Order::Asc)
            .order_by_asc(user::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        rows.extend(found.into_iter().map(|u| (SearchCursor::of_name(&u), u)));
    }
    let left = limit.saturating_sub(rows.len() as u64);
    if left > 0 {
        let mut page = base.filter(emails).filter(names.not());
        if let Some(SearchCursor::Email(after)) = &cursor {
            page = page.filter(user::Column::Email.gt(after.as_str()));
        }
        let found = page
            .order_by_asc(user::Column::Email)
            .limit(left)
            .all(db)
            .await?;
        rows.extend(found.into_iter().map(|u| {
            let cursor = SearchCursor::of_email(u.email.as_deref().unwrap_or_default());
            (cursor, u)
        }));
    }
    Ok((rows, total))
}

/// The sets `filter` narrows the list to (a group, an org unit or its subtree), as the
/// member index names them.
async fn holders(
    db: &DatabaseConnection,
    instance_id: &str,
    filter: &UserFilter,
) -> AppResult<Vec<(HolderKind, String)>> {
    let mut holders = Vec::new();
    if let Some(group_id) = &filter.group_id {
        holders.push((HolderKind::Group, group_id.clone()));
    }
    if let Some(unit_id) = &filter.org_unit_id {
        let unit = org_unit::Entity::find_by_id(unit_id.clone())
            .filter(org_unit::Column::InstanceId.eq(instance_id))
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::bad_input(
                    "filter.orgUnitId",
                    format!("no org unit {unit_id:?} in this instance"),
                )
            })?;
        let kind = if filter.include_sub_units {
            HolderKind::Subtree
        } else {
            HolderKind::OrgUnit
        };
        holders.push((kind, unit.id));
    }
    Ok(holders)
}

/// The user ids of a holder's members.
fn members_of((kind, id): &(HolderKind, String)) -> SelectStatement {
    Query::select()
        .column((member_index::Entity, member_index::Column::UserId))
        .from(member_index::Entity)
        .and_where(Expr::col((member_index::Entity, member_index::Column::HolderKind)).eq(*kind))
        .and_where(Expr::col((member_index::Entity, member_index::Column::HolderId)).eq(id))
        .to_owned()
}

/// `EXISTS` a membership of the user of the row, looked up by user id.
fn is_member(holder: &(HolderKind, String)) -> SimpleExpr {
    let mut lookup = members_of(holder);
    lookup.and_where(
        Expr::col((member_index::Entity, member_index::Column::UserId))
            .equals((user::Entity, user::Column::Id)),
    );
    Expr::exists(lookup)
}

/// A membership condition, and whether its set is small enough to drive the query.
struct Membership {
    condition: SimpleExpr,
    gathered: bool,
}

/// For a search within a set: `users.id IN (members)` when the set is small (the set drives
/// the query), else a membership lookup per user while the search's range is walked.
async fn semi_join(
    db: &DatabaseConnection,
    holder: &(HolderKind, String),
) -> AppResult<Membership> {
    let size = count_up_to(db, members_of(holder), Some(GATHER_AT_MOST + 1)).await?;
    if size <= GATHER_AT_MOST {
        return Ok(Membership {
            condition: Expr::col((user::Entity, user::Column::Id)).in_subquery(members_of(holder)),
            gathered: true,
        });
    }
    Ok(Membership {
        condition: is_member(holder),
        gathered: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_cursors_round_trip_and_strangers_are_refused() {
        let user = user::Model {
            id: "0b8f".into(),
            instance_id: "i".into(),
            username: "Ann.Lee".into(),
            display_name: "Ann".into(),
            email: Some("ann@corp.example".into()),
            phone: None,
            status: UserStatus::Active,
            password_hash: None,
            external_id: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            given_name: None,
            family_name: None,
            scim_attributes: None,
        };
        assert_eq!(
            SearchCursor::parse(&SearchCursor::of_name(&user)).unwrap(),
            SearchCursor::Name {
                key: "ann.lee".into(),
                id: "0b8f".into()
            }
        );
        assert_eq!(
            SearchCursor::parse(&SearchCursor::of_email("ann@corp.example")).unwrap(),
            SearchCursor::Email("ann@corp.example".into())
        );
        for stranger in ["ann", "~", "~x\ta", "~n\ta", "~n\ta\tb\tc", "~e"] {
            assert_eq!(
                SearchCursor::parse(stranger).unwrap_err().field(),
                Some("after"),
                "{stranger:?}"
            );
        }
    }
}
