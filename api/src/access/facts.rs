//! What one decision needs from the directory, read with a handful of indexed queries: the
//! user with their groups and org-unit paths (ancestors come from the materialised path), the
//! application, and the grants of that application whose subject is one of the user's.

use entity::access_grant::{self, SubjectKind};
use entity::application::{self, AuthorizationScope, Initiation};
use entity::{group_member, org_unit, org_unit_member, user};
use sea_orm::sea_query::{
    Alias, ColumnRef, Expr, Func, IntoColumnRef, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{ColumnTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryResult, QuerySelect};

use crate::authz::{Kind, Names};
use crate::db::Store;
use crate::error::{AppError, AppResult};

/// The user as decisions see them.
#[derive(Clone, Debug)]
pub struct UserFacts {
    pub id: String,
    pub instance_id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub status: String,
    pub groups: Vec<String>,
    /// The materialised paths (`/root/…/unit/`) of the org units the user is a direct member of.
    pub org_unit_paths: Vec<String>,
}

impl UserFacts {
    pub fn new(user: &user::Model, groups: Vec<String>, org_unit_paths: Vec<String>) -> UserFacts {
        UserFacts {
            id: user.id.clone(),
            instance_id: user.instance_id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone().unwrap_or_default(),
            status: user.status.name().to_owned(),
            groups,
            org_unit_paths,
        }
    }

    /// The ids a grant may name to cover this user: the user, their groups, their org units and
    /// every ancestor unit.
    pub fn subject_ids(&self) -> Vec<String> {
        let mut ids = vec![self.id.clone()];
        ids.extend(self.groups.iter().cloned());
        for path in &self.org_unit_paths {
            for unit in path.split('/').filter(|s| !s.is_empty()) {
                if !ids.iter().any(|id| id == unit) {
                    ids.push(unit.to_owned());
                }
            }
        }
        ids
    }

    /// Whether a grant to this subject covers the user.
    pub fn covered_by(&self, kind: SubjectKind, id: &str) -> bool {
        match kind {
            SubjectKind::User => self.id == id,
            SubjectKind::Group => self.groups.iter().any(|g| g == id),
            SubjectKind::OrgUnit => self
                .org_unit_paths
                .iter()
                .any(|path| path.split('/').any(|unit| unit == id)),
        }
    }
}

/// The application as decisions see it.
#[derive(Clone, Debug)]
pub struct AppFacts {
    pub id: String,
    pub instance_id: String,
    pub name: String,
    pub template_id: String,
    pub enabled: bool,
    pub sso_enabled: bool,
    pub idp_initiation_allowed: bool,
    pub scope: AuthorizationScope,
}

impl From<&application::Model> for AppFacts {
    fn from(app: &application::Model) -> AppFacts {
        AppFacts {
            id: app.id.clone(),
            instance_id: app.instance_id.clone(),
            name: app.name.clone(),
            template_id: app.template_id.clone(),
            enabled: app.enabled,
            sso_enabled: app.sso_enabled,
            idp_initiation_allowed: app.initiation == Initiation::IdpOrSp,
            scope: app.authorization_scope,
        }
    }
}

/// Who a grant is given to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkSubject {
    /// The `all_members` scope: the instance.
    AllMembers(String),
    User(String),
    Group(String),
    OrgUnit(String),
}

impl LinkSubject {
    pub fn of(kind: SubjectKind, id: &str) -> LinkSubject {
        match kind {
            SubjectKind::User => LinkSubject::User(id.to_owned()),
            SubjectKind::Group => LinkSubject::Group(id.to_owned()),
            SubjectKind::OrgUnit => LinkSubject::OrgUnit(id.to_owned()),
        }
    }

    pub fn uid(&self, names: &Names) -> cedar_policy::EntityUid {
        match self {
            LinkSubject::AllMembers(id) => names.uid(Kind::Instance, id),
            LinkSubject::User(id) => names.uid(Kind::User, id),
            LinkSubject::Group(id) => names.uid(Kind::Group, id),
            LinkSubject::OrgUnit(id) => names.uid(Kind::OrgUnit, id),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            LinkSubject::AllMembers(_) => {
                "the application's authorization scope is all members of the instance".into()
            }
            LinkSubject::User(id) => format!("the authorization scope grants it to the user {id}"),
            LinkSubject::Group(id) => format!("the authorization scope grants it to group {id}"),
            LinkSubject::OrgUnit(id) => {
                format!("the authorization scope grants it to org unit {id} and its sub-units")
            }
        }
    }
}

/// A grant as one Cedar template link.
#[derive(Clone, Debug)]
pub struct Link {
    pub policy_id: String,
    pub subject: LinkSubject,
}

impl Link {
    pub fn all_members(app: &AppFacts) -> Link {
        Link {
            policy_id: "grant:all-members".into(),
            subject: LinkSubject::AllMembers(app.instance_id.clone()),
        }
    }

    pub fn of_grant(grant: &access_grant::Model) -> Link {
        Link {
            policy_id: format!("grant:{}", grant.id),
            subject: LinkSubject::of(grant.subject_kind, &grant.subject_id),
        }
    }
}

/// The user with their memberships. Three queries, run at once.
pub async fn load_user(store: &Store, user_id: &str) -> AppResult<UserFacts> {
    let user = user::Entity::find_by_id(user_id).one(&store.conn);
    let (user, (groups, paths)) = tokio::try_join!(user, memberships(store, user_id))?;
    let user = user.ok_or_else(|| AppError::NotFound("user"))?;
    Ok(UserFacts::new(&user, groups, paths))
}

/// A user's groups and org-unit paths as two columns of a query that reads a row naming the
/// user, each joined with commas (no id or path holds one): the session lookup reads them in
/// the same query as the session.
pub struct JoinedMemberships {
    groups: Option<String>,
    paths: Option<String>,
}

const GROUPS_COLUMN: &str = "member_groups";
const PATHS_COLUMN: &str = "member_paths";

impl JoinedMemberships {
    /// The two columns for the user whose id is `user_id` (a column of the outer query).
    pub fn columns(backend: DbBackend, user_id: SimpleExpr) -> [(SimpleExpr, &'static str); 2] {
        let joined = |column: ColumnRef| -> SimpleExpr {
            let function = match backend {
                DbBackend::Postgres => "string_agg",
                DbBackend::Sqlite | DbBackend::MySql => "group_concat",
            };
            Func::cust(Alias::new(function))
                .arg(Expr::col(column))
                .arg(",")
                .into()
        };
        let subquery = |select: SelectStatement| {
            SimpleExpr::SubQuery(None, Box::new(select.into_sub_query_statement()))
        };
        let groups = Query::select()
            .expr(joined(
                (group_member::Entity, group_member::Column::GroupId).into_column_ref(),
            ))
            .from(group_member::Entity)
            .and_where(
                Expr::col((group_member::Entity, group_member::Column::UserId)).eq(user_id.clone()),
            )
            .to_owned();
        let paths = Query::select()
            .expr(joined(
                (org_unit::Entity, org_unit::Column::Path).into_column_ref(),
            ))
            .from(org_unit::Entity)
            .and_where(
                Expr::col((org_unit::Entity, org_unit::Column::Id)).in_subquery(
                    Query::select()
                        .column(org_unit_member::Column::OrgUnitId)
                        .from(org_unit_member::Entity)
                        .and_where(
                            Expr::col((org_unit_member::Entity, org_unit_member::Column::UserId))
                                .eq(user_id),
                        )
                        .to_owned(),
                ),
            )
            .to_owned();
        [
            (subquery(groups), GROUPS_COLUMN),
            (subquery(paths), PATHS_COLUMN),
        ]
    }

    pub fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        Ok(JoinedMemberships {
            groups: row.try_get(prefix, GROUPS_COLUMN)?,
            paths: row.try_get(prefix, PATHS_COLUMN)?,
        })
    }

    /// The user as decisions see them.
    pub fn facts(self, user: &user::Model) -> UserFacts {
        let split = |joined: Option<String>| -> Vec<String> {
            joined
                .unwrap_or_default()
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        UserFacts::new(user, split(self.groups), split(self.paths))
    }
}

/// The user's groups and the paths of their org units, two queries run at once.
async fn memberships(
    store: &Store,
    user_id: &str,
) -> Result<(Vec<String>, Vec<String>), sea_orm::DbErr> {
    let db = &store.conn;
    let groups = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::UserId.eq(user_id))
        .into_tuple::<String>()
        .all(db);
    let paths = org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Path)
        .filter(
            org_unit::Column::Id.in_subquery(
                Query::select()
                    .column(org_unit_member::Column::OrgUnitId)
                    .from(org_unit_member::Entity)
                    .and_where(org_unit_member::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .into_tuple::<String>()
        .all(db);
    tokio::try_join!(groups, paths)
}

pub async fn load_app(store: &Store, instance_id: &str, app_id: &str) -> AppResult<AppFacts> {
    application::Entity::find_by_id(app_id)
        .filter(application::Column::InstanceId.eq(instance_id))
        .one(&store.conn)
        .await?
        .map(|app| AppFacts::from(&app))
        .ok_or_else(|| AppError::NotFound("application"))
}

/// The grants of the application that can cover the user, as links: with the `all_members`
/// scope the instance's one link; else those whose subject is the user, one of their groups or
/// one of their org units (or an ancestor).
pub async fn links_for(store: &Store, app: &AppFacts, user: &UserFacts) -> AppResult<Vec<Link>> {
    if app.scope == AuthorizationScope::AllMembers {
        return Ok(vec![Link::all_members(app)]);
    }
    let grants = access_grant::Entity::find()
        .filter(access_grant::Column::ApplicationId.eq(&app.id))
        .filter(access_grant::Column::SubjectId.is_in(user.subject_ids()))
        .all(&store.conn)
        .await?;
    Ok(grants
        .iter()
        .filter(|g| user.covered_by(g.subject_kind, &g.subject_id))
        .map(Link::of_grant)
        .collect())
}
