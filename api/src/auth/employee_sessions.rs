//! Employees' IdP sessions: a server-side row per sign-in to an instance, referenced by a
//! cookie signed with jsonwebtoken (HttpOnly, SameSite=Lax so that a service provider's POST
//! back to the SSO endpoint still carries it, Secure behind TLS). Separate from the console's
//! admin sessions: its own table, cookie name, signing key and audience.
//!
//! A session ends at its absolute expiry, after `sso.idle_minutes` unused, when the employee
//! signs out, when an administrator revokes it, or when the user stops being active.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::Instant;

use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};
use entity::employee_session;
use entity::user::{self, UserStatus};
use jsonwebtoken::Validation;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, Set, Statement,
};
use serde::{Deserialize, Serialize};

use super::throttle::{self, Scopes};
use super::Auth;
use crate::access::facts::{self, UserFacts};
use crate::access::REFRESH_INTERVAL;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Actor, InstancePermit};
use crate::db::{Reused, WriteTxn};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::ids::plausible_id;
use crate::password;
use crate::request::{read_cookie, set_cookie, SameSite};
use crate::secrets as keys;

const AUDIENCE: &str = "lanyard-employee";
const COOKIE_PREFIX: &str = "lanyard_sso_";
/// `last_seen_at` is written at most this often, so that using a session is mostly a read.
const TOUCH_EVERY_SECS: i64 = 60;
/// More sessions than this for one user are not listed (the oldest are left out).
pub const MAX_LISTED: u64 = 100;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sid: String,
    /// The instance; a cookie of one instance is worthless in another.
    iid: String,
    aud: String,
    exp: i64,
}

/// A live session and its (active) user, with the user's memberships as access decisions see
/// them.
#[derive(Clone, Debug)]
pub struct EmployeeSession {
    pub session: employee_session::Model,
    pub user: user::Model,
    pub facts: UserFacts,
}

impl EmployeeSession {
    pub fn actor(&self) -> Actor {
        Self::actor_of(&self.user, self.session.client_ip.clone())
    }

    /// The employee as the actor of what she does from `client_ip`.
    pub fn actor_with(&self, client_ip: Option<String>) -> Actor {
        Self::actor_of(&self.user, client_ip)
    }

    /// The employee as the actor of an audit event, before or without a session.
    pub fn actor_of(user: &user::Model, client_ip: Option<String>) -> Actor {
        Actor {
            kind: "user",
            id: user.id.clone(),
            name: user.username.clone(),
            client_ip,
        }
    }

    /// Whether the employee gave a second factor (Cedar's `context.mfa`).
    pub fn used_mfa(&self) -> bool {
        assurance(&self.auth_methods()) >= 2
    }

    pub fn auth_methods(&self) -> Vec<String> {
        self.session
            .auth_methods
            .split(',')
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The cookie of an instance's sessions. Each instance has its own, so that an employee of two
/// instances can be signed in to both.
pub fn cookie_name(instance_id: &str) -> String {
    format!("{COOKIE_PREFIX}{instance_id}")
}

/// Who is trying to sign in, and from where.
#[derive(Clone, Debug, Default)]
pub struct Attempt {
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// How an employee proved who they are; the session's `auth_methods` (Cedar's
/// `context.authMethods`).
pub use crate::access::methods::{
    assurance, EMAIL_CODE, PASSKEY, PASSWORD, RECOVERY_CODE, SECURITY_KEY, TOTP,
};

/// Checks an employee's password, throttled per account and address; returns the active user.
/// Every refusal reads the same, whether the username exists, has no password, is disabled or
/// the password is wrong. The failure that locks an account emails its owner a notice.
pub async fn check_password(
    auth: &Auth,
    instance_id: &str,
    username: &str,
    password: &str,
    attempt: &Attempt,
) -> AppResult<user::Model> {
    let scopes = Scopes::employee(instance_id, username, attempt.client_ip.as_deref());
    throttle::check(auth, &scopes).await?;
    let found = if username.trim().is_empty() || username.len() > 64 {
        None
    } else {
        user::Entity::find()
            .filter(user::Column::InstanceId.eq(instance_id))
            .filter(user::Column::Username.eq(username.trim()))
            .one(&auth.store.conn)
            .await?
    };
    let password_ok = password::verify(
        found.as_ref().and_then(|u| u.password_hash.clone()),
        password.to_owned(),
    )
    .await;
    match found {
        Some(user) if password_ok && user.status == UserStatus::Active => {
            throttle::record_success(auth, &scopes).await?;
            Ok(user)
        }
        other => {
            tracing::info!(
                instance_id,
                username,
                client_ip = ?attempt.client_ip,
                known = other.is_some(),
                "employee sign-in failed"
            );
            let locked = throttle::record_failure(auth, &scopes, other.as_ref()).await?;
            record_refusal(auth, instance_id, username, other.as_ref(), attempt, false).await?;
            if locked.is_some() {
                record_refusal(auth, instance_id, username, other.as_ref(), attempt, true).await?;
            }
            Err(locked.unwrap_or_else(refused))
        }
    }
}

/// Audits a refused sign-in (`signInFailed`), or the lockout it caused (`accountLocked`): what
/// the instance overview counts. Logged like access decisions, without waiting for the disk.
async fn record_refusal(
    auth: &Auth,
    instance_id: &str,
    username: &str,
    user: Option<&user::Model>,
    attempt: &Attempt,
    locked: bool,
) -> AppResult<()> {
    let name: String = username.trim().chars().take(64).collect();
    auth.store
        .log_one(entity::audit_event::ActiveModel {
            id: Set(new_id()),
            instance_id: Set(Some(instance_id.to_owned())),
            actor_kind: Set(if user.is_some() { "user" } else { "anonymous" }.into()),
            actor_id: Set(user.map(|u| u.id.clone()).unwrap_or_default()),
            actor_name: Set(name),
            action: Set(if locked {
                "accountLocked"
            } else {
                "signInFailed"
            }
            .into()),
            target_kind: Set("user".into()),
            target_id: Set(user.map(|u| u.id.clone())),
            outcome: Set("failure".into()),
            summary: Set(serde_json::json!({})),
            client_ip: Set(attempt.client_ip.clone()),
            created_at: Set(Utc::now()),
        })
        .await?;
    Ok(())
}

/// Opens a session for a user who has proved who they are by `methods`. Returns the
/// `Set-Cookie` value.
pub async fn open(
    auth: &Auth,
    user: user::Model,
    methods: &[&str],
    attempt: Attempt,
) -> AppResult<String> {
    let instance_id = user.instance_id.clone();
    let now = Utc::now();
    let expires = now + Duration::minutes(i64::from(auth.config.sso.session_minutes));
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    let session = employee_session::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(instance_id.clone()),
        user_id: Set(user.id.clone()),
        created_at: Set(now),
        expires_at: Set(expires),
        last_seen_at: Set(now),
        auth_methods: Set(methods.join(",")),
        client_ip: Set(attempt.client_ip.clone()),
        user_agent: Set(attempt
            .user_agent
            .map(|ua| ua.chars().filter(|c| !c.is_control()).take(256).collect())),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &EmployeeSession::actor_of(&user, session.client_ip.clone()),
        AuditRecord::in_instance(&instance_id, "signIn", "employee_session", Some(&id))
            .summary(serde_json::json!({ "authMethods": methods })),
    )
    .await?;
    txn.commit().await?;
    let claims = Claims {
        sid: id,
        iid: instance_id.clone(),
        aud: AUDIENCE.into(),
        exp: expires.timestamp(),
    };
    let jwt = auth.secrets.employee_session.sign(&claims)?;
    let max_age = i64::from(auth.config.sso.session_minutes) * 60;
    Ok(cookie(auth, &instance_id, &jwt, max_age))
}

/// Steps a session up: the employee proved `method` besides what she had. The session is
/// replaced by a new one (a new id, so no node serves the old one from its cache, and no one
/// holding the old cookie gains the factor) with the methods of both, ending when the old one
/// would have; the applications it signed in to move with it. Audited as `stepUp`. Returns the
/// `Set-Cookie` of the new session, or `None` when the old one has ended meanwhile.
pub async fn step_up(
    auth: &Auth,
    session_id: &str,
    method: &str,
    client_ip: Option<String>,
) -> AppResult<Option<String>> {
    let txn = auth.store.begin_write().await?;
    let Some(old) = employee_session::Entity::find_by_id(session_id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = user::Entity::find_by_id(old.user_id.clone())
        .one(&txn)
        .await?
        .filter(|u| u.status == UserStatus::Active)
    else {
        return Ok(None);
    };
    let mut methods: Vec<String> = old
        .auth_methods
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    if !methods.iter().any(|m| m == method) {
        methods.push(method.to_owned());
    }
    let now = Utc::now();
    let id = new_id();
    let session = employee_session::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(old.instance_id.clone()),
        user_id: Set(old.user_id.clone()),
        created_at: Set(now),
        expires_at: Set(old.expires_at),
        last_seen_at: Set(now),
        auth_methods: Set(methods.join(",")),
        client_ip: Set(client_ip.clone().or(old.client_ip.clone())),
        user_agent: Set(old.user_agent.clone()),
    }
    .insert(&txn)
    .await?;
    entity::saml_session_participant::Entity::update_many()
        .col_expr(
            entity::saml_session_participant::Column::SessionId,
            Expr::value(id.clone()),
        )
        .filter(entity::saml_session_participant::Column::SessionId.eq(old.id.as_str()))
        .exec(&txn)
        .await?;
    employee_session::Entity::delete_by_id(old.id.clone())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &EmployeeSession::actor_of(&user, client_ip),
        AuditRecord::in_instance(&old.instance_id, "stepUp", "employee_session", Some(&id))
            .summary(serde_json::json!({ "authMethods": methods, "added": method })),
    )
    .await?;
    txn.commit().await?;
    let claims = Claims {
        sid: id,
        iid: old.instance_id.clone(),
        aud: AUDIENCE.into(),
        exp: session.expires_at.timestamp(),
    };
    let jwt = auth.secrets.employee_session.sign(&claims)?;
    let max_age = (session.expires_at - now).num_seconds().max(1);
    Ok(Some(cookie(auth, &old.instance_id, &jwt, max_age)))
}

/// The refusal of a wrong username or password.
pub fn refused() -> AppError {
    AppError::Unauthenticated
}

/// A `Set-Cookie` value for the instance's session cookie; an empty value with max-age 0
/// clears it.
pub fn cookie(auth: &Auth, instance_id: &str, value: &str, max_age_secs: i64) -> String {
    set_cookie(
        &auth.config,
        &cookie_name(instance_id),
        value,
        SameSite::Lax,
        Some(max_age_secs),
    )
}

/// The session an employee cookie's value names, when these keys signed it for `instance_id`'s
/// sessions and it has not expired.
pub fn session_of(secrets: &keys::Keys, instance_id: &str, jwt: &str) -> Option<String> {
    // Checked on every SSO: the rules are made once.
    static RULES: LazyLock<Validation> = LazyLock::new(|| keys::validation(AUDIENCE, None));
    let claims: Claims = secrets.employee_session.verify_with(jwt, &RULES)?;
    (claims.iid == instance_id && plausible_id(&claims.sid)).then_some(claims.sid)
}

/// A session row with its user and the user's memberships, read in one query.
struct SessionRow {
    session: employee_session::Model,
    user: Option<user::Model>,
    memberships: facts::JoinedMemberships,
}

impl FromQueryResult for SessionRow {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<SessionRow, DbErr> {
        // The prefixes `find_also_related` gives the two entities' columns.
        Ok(SessionRow {
            session: employee_session::Model::from_query_result(row, "A_")?,
            user: user::Model::from_query_result_optional(row, "B_")?,
            memberships: facts::JoinedMemberships::from_query_result(row, "")?,
        })
    }
}

/// A session as read, with its user and the user's memberships as access decisions see them.
struct SessionRead {
    session: employee_session::Model,
    user: Option<(user::Model, UserFacts)>,
}

impl From<SessionRow> for SessionRead {
    fn from(row: SessionRow) -> SessionRead {
        let SessionRow {
            session,
            user,
            memberships,
        } = row;
        SessionRead {
            session,
            user: user.map(|user| {
                let facts = memberships.facts(&user);
                (user, facts)
            }),
        }
    }
}

/// The sessions this node read less than [`REFRESH_INTERVAL`] ago: the SSOs an employee makes
/// in a burst (a portal page, then an application) read the session once.
///
/// An entry keeps the store's [`Store::writes`](crate::db::Store::writes) count from before its
/// read and is served only while the count is the same. So any change committed through this
/// node (a sign-out, a revocation, a user disabled or moved, any write at all) holds here at
/// once. A change through another node sharing the database holds here within the interval,
/// the bound the access policies, applications and active keys already have (docs/decisions.md).
/// The checks of expiry, instance and the user's status run on every use.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Cached>>,
}

struct Cached {
    read_at: Instant,
    writes: u64,
    read: Arc<SessionRead>,
}

/// More sessions than a node reads within an interval: past it, entries no longer served are
/// dropped, and if that is not enough, all.
const SESSION_CACHE_CAPACITY: usize = 10_000;

impl SessionCache {
    fn get(&self, session_id: &str, writes: u64) -> Option<Arc<SessionRead>> {
        let entries = self.lock();
        let cached = entries.get(session_id)?;
        cached.serves(writes).then(|| cached.read.clone())
    }

    /// Keeps what was read at `read_at` or later, `writes` being the count taken before.
    fn keep(&self, session_id: &str, read_at: Instant, writes: u64, read: Arc<SessionRead>) {
        let mut entries = self.lock();
        if entries.len() >= SESSION_CACHE_CAPACITY && !entries.contains_key(session_id) {
            entries.retain(|_, cached| cached.serves(writes));
            if entries.len() >= SESSION_CACHE_CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            session_id.to_owned(),
            Cached {
                read_at,
                writes,
                read,
            },
        );
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Cached>> {
        // Entries are inserted whole: a poisoned map is still a valid one.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Cached {
    fn serves(&self, writes: u64) -> bool {
        self.writes == writes && self.read_at.elapsed() < REFRESH_INTERVAL
    }
}

/// The statement that reads a [`SessionRow`], built once per backend.
static SESSION_ROW: Reused = Reused::new(session_row);

fn session_row(backend: DbBackend, sid: &str) -> Statement {
    let mut select = employee_session::Entity::find_by_id(sid).find_also_related(user::Entity);
    for (expr, alias) in facts::JoinedMemberships::columns(
        backend,
        Expr::col((employee_session::Entity, employee_session::Column::UserId)).into(),
    ) {
        select = select.expr_as(expr, alias);
    }
    select.build(backend)
}

/// Whether a session is still alive at `now`.
fn is_live(session: &employee_session::Model, idle: Duration, now: DateTime<Utc>) -> bool {
    now < session.expires_at && now < session.last_seen_at + idle
}

/// The employee signed in to `instance_id` by this request's cookie, if any. A missing,
/// forged, expired, revoked or foreign cookie is simply no session.
pub async fn current(
    auth: &Auth,
    headers: &HeaderMap,
    instance_id: &str,
) -> AppResult<Option<EmployeeSession>> {
    let Some(jwt) = read_cookie(&auth.config, headers, &cookie_name(instance_id)) else {
        return Ok(None);
    };
    let Some(sid) = session_of(&auth.secrets, instance_id, &jwt) else {
        return Ok(None);
    };
    let Some(read) = read_session(auth, &sid).await? else {
        return Ok(None);
    };
    let SessionRead { session, user } = &*read;
    let now = Utc::now();
    let idle = Duration::minutes(i64::from(auth.config.sso.idle_minutes));
    if session.instance_id != instance_id || !is_live(session, idle, now) {
        return Ok(None);
    }
    let Some((user, facts)) = user
        .as_ref()
        .filter(|(u, _)| u.status == UserStatus::Active && u.instance_id == instance_id)
    else {
        return Ok(None);
    };
    let session = if (now - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        touch(auth, session.clone(), now).await?
    } else {
        session.clone()
    };
    Ok(Some(EmployeeSession {
        session,
        user: user.clone(),
        facts: facts.clone(),
    }))
}

/// The session `sid` as this node read it within the interval ([`SessionCache`]), else from
/// the database: the session, its user and the user's memberships (for the access decision)
/// in one query, one round trip, built once.
async fn read_session(auth: &Auth, sid: &str) -> AppResult<Option<Arc<SessionRead>>> {
    let writes = auth.store.writes();
    if let Some(read) = auth.sessions.get(sid, writes) {
        return Ok(Some(read));
    }
    let read_at = Instant::now();
    let backend = auth.store.conn.get_database_backend();
    let Some(row) = SessionRow::find_by_statement(SESSION_ROW.with(backend, sid))
        .one(auth.store.reads())
        .await?
    else {
        return Ok(None);
    };
    let read = Arc::new(SessionRead::from(row));
    auth.sessions.keep(sid, read_at, writes, read.clone());
    Ok(Some(read))
}

async fn touch(
    auth: &Auth,
    session: employee_session::Model,
    now: DateTime<Utc>,
) -> AppResult<employee_session::Model> {
    let txn = auth.store.begin_write().await?;
    let mut active: employee_session::ActiveModel = session.into();
    active.last_seen_at = Set(now);
    let session = active.update(&txn).await?;
    txn.commit().await?;
    Ok(session)
}

/// The signed-in employee's own live sessions, newest first (her account page).
pub async fn own_sessions(
    auth: &Auth,
    live: &EmployeeSession,
) -> AppResult<Vec<employee_session::Model>> {
    let now = Utc::now();
    let idle = Duration::minutes(i64::from(auth.config.sso.idle_minutes));
    Ok(employee_session::Entity::find()
        .filter(employee_session::Column::InstanceId.eq(live.session.instance_id.as_str()))
        .filter(employee_session::Column::UserId.eq(live.user.id.as_str()))
        .order_by_desc(employee_session::Column::Id)
        .paginate(&auth.store.conn, MAX_LISTED)
        .fetch_page(0)
        .await?
        .into_iter()
        .filter(|s| is_live(s, idle, now))
        .collect())
}

/// Ends every session of the employee but this one, in the caller's transaction.
async fn end_others_in(txn: &WriteTxn, live: &EmployeeSession) -> AppResult<u64> {
    Ok(employee_session::Entity::delete_many()
        .filter(employee_session::Column::InstanceId.eq(live.session.instance_id.as_str()))
        .filter(employee_session::Column::UserId.eq(live.user.id.as_str()))
        .filter(employee_session::Column::Id.ne(live.session.id.as_str()))
        .exec(txn)
        .await?
        .rows_affected)
}

/// "Sign out other sessions": ends every session of the employee but this one; audited as
/// `signOutOtherSessions`. Returns how many ended.
pub async fn end_other_sessions(
    auth: &Auth,
    live: &EmployeeSession,
    client_ip: Option<String>,
) -> AppResult<u64> {
    let txn = auth.store.begin_write().await?;
    let ended = end_others_in(&txn, live).await?;
    audit::record(
        &txn,
        &EmployeeSession::actor_of(&live.user, client_ip),
        AuditRecord::in_instance(
            &live.session.instance_id,
            "signOutOtherSessions",
            "user",
            Some(&live.user.id),
        )
        .summary(serde_json::json!({ "sessionsEnded": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// The employee changes her own password: the current one first (throttled like a sign-in,
/// and a wrong one counts as a failed sign-in), then the new one by the password rules. Every
/// other session of hers ends; this one stays. Audited as `changePassword`.
pub async fn change_password(
    auth: &Auth,
    live: &EmployeeSession,
    current: &str,
    new: &str,
    attempt: &Attempt,
) -> AppResult<u64> {
    let instance_id = live.session.instance_id.as_str();
    let scopes = Scopes::employee(
        instance_id,
        &live.user.username,
        attempt.client_ip.as_deref(),
    );
    throttle::check(auth, &scopes).await?;
    let password = password::NewPassword::parse("newPassword", new)?;
    if !password::verify(live.user.password_hash.clone(), current.to_owned()).await {
        let locked = throttle::record_failure(auth, &scopes, Some(&live.user)).await?;
        record_refusal(
            auth,
            instance_id,
            &live.user.username,
            Some(&live.user),
            attempt,
            false,
        )
        .await?;
        return Err(locked.unwrap_or_else(|| {
            AppError::bad_input(
                "currentPassword",
                crate::t!(crate::i18n::current(), "password-current-wrong"),
            )
        }));
    }
    let hash = password::hash(&password).await?;
    let txn = auth.store.begin_write().await?;
    let mut user: user::ActiveModel = live.user.clone().into();
    user.password_hash = Set(Some(hash));
    user.updated_at = Set(Utc::now());
    user.update(&txn).await?;
    let ended = end_others_in(&txn, live).await?;
    audit::record(
        &txn,
        &EmployeeSession::actor_of(&live.user, attempt.client_ip.clone()),
        AuditRecord::in_instance(instance_id, "changePassword", "user", Some(&live.user.id))
            .summary(serde_json::json!({
                "username": live.user.username,
                "password": "changed",
                "sessionsEnded": ended,
            })),
    )
    .await?;
    txn.commit().await?;
    throttle::record_success(auth, &scopes).await?;
    Ok(ended)
}

/// A user's live sessions, newest first.
pub async fn list_for_user(
    auth: &Auth,
    permit: &InstancePermit<actions::ReadUserSessions>,
    user_id: &str,
) -> AppResult<Vec<employee_session::Model>> {
    if !plausible_id(user_id) {
        return Err(AppError::NotFound("user"));
    }
    crate::directory::users::find_in(&auth.store.conn, permit.instance_id(), user_id).await?;
    let now = Utc::now();
    let idle = Duration::minutes(i64::from(auth.config.sso.idle_minutes));
    Ok(employee_session::Entity::find()
        .filter(employee_session::Column::InstanceId.eq(permit.instance_id()))
        .filter(employee_session::Column::UserId.eq(user_id))
        .order_by_desc(employee_session::Column::Id)
        .paginate(&auth.store.conn, MAX_LISTED)
        .fetch_page(0)
        .await?
        .into_iter()
        .filter(|s| is_live(s, idle, now))
        .collect())
}

/// Ends every session of a user inside the caller's transaction (her password changed, she
/// was disabled or locked); returns how many.
pub async fn end_all_of_user(txn: &WriteTxn, instance_id: &str, user_id: &str) -> AppResult<u64> {
    Ok(employee_session::Entity::delete_many()
        .filter(employee_session::Column::InstanceId.eq(instance_id))
        .filter(employee_session::Column::UserId.eq(user_id))
        .exec(txn)
        .await?
        .rows_affected)
}

/// What to revoke.
#[derive(Clone, Copy)]
pub enum Revoke<'a> {
    One { session_id: &'a str },
    AllOfUser { user_id: &'a str },
}

/// Ends sessions of the permit's instance; returns how many. Takes effect on every node at the
/// next request, as the cookie only names the row.
pub async fn revoke(
    auth: &Auth,
    permit: &InstancePermit<actions::RevokeUserSessions>,
    what: Revoke<'_>,
) -> AppResult<u64> {
    let (target_id, query) = match what {
        Revoke::One { session_id } => {
            if !plausible_id(session_id) {
                return Err(AppError::NotFound("session"));
            }
            (
                session_id,
                employee_session::Entity::delete_many()
                    .filter(employee_session::Column::Id.eq(session_id)),
            )
        }
        Revoke::AllOfUser { user_id } => {
            if !plausible_id(user_id) {
                return Err(AppError::NotFound("user"));
            }
            crate::directory::users::find_in(&auth.store.conn, permit.instance_id(), user_id)
                .await?;
            (
                user_id,
                employee_session::Entity::delete_many()
                    .filter(employee_session::Column::UserId.eq(user_id)),
            )
        }
    };
    let txn = auth.store.begin_write().await?;
    let deleted = query
        .filter(employee_session::Column::InstanceId.eq(permit.instance_id()))
        .exec(&txn)
        .await?
        .rows_affected;
    if deleted == 0 && matches!(what, Revoke::One { .. }) {
        return Err(AppError::NotFound("session"));
    }
    let target_kind = match what {
        Revoke::One { .. } => "employee_session",
        Revoke::AllOfUser { .. } => "user",
    };
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, target_kind, Some(target_id))
            .summary(serde_json::json!({ "revokedSessions": deleted })),
    )
    .await?;
    txn.commit().await?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(created: DateTime<Utc>, last_seen: DateTime<Utc>) -> employee_session::Model {
        employee_session::Model {
            id: "s".into(),
            instance_id: "i".into(),
            user_id: "u".into(),
            created_at: created,
            expires_at: created + Duration::hours(8),
            last_seen_at: last_seen,
            auth_methods: "password".into(),
            client_ip: None,
            user_agent: None,
        }
    }

    #[test]
    fn sessions_end_at_the_absolute_or_the_idle_expiry() {
        let now = Utc::now();
        let idle = Duration::minutes(30);
        assert!(is_live(&session(now, now), idle, now));
        let idled = session(now - Duration::hours(1), now - Duration::minutes(31));
        assert!(!is_live(&idled, idle, now));
        let old = session(now - Duration::hours(8), now);
        assert!(!is_live(&old, idle, now), "absolute expiry wins over use");
    }

    #[test]
    fn a_kept_session_is_served_until_this_node_writes_or_the_interval_passes() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let read = |id: &str| {
            let mut session = session(now, now);
            session.id = id.into();
            Arc::new(SessionRead {
                session,
                user: None,
            })
        };
        let served = |id: &str, writes| cache.get(id, writes).map(|r| r.session.id.clone());
        assert_eq!(served("a", 7), None, "nothing read yet");
        cache.keep("a", Instant::now(), 7, read("a"));
        assert_eq!(served("a", 7).as_deref(), Some("a"));
        assert_eq!(served("b", 7), None, "only the session read");
        assert_eq!(served("a", 8), None, "this node wrote since the read");
        // Read before a write that committed while it ran: kept with the count from before,
        // so never served after it.
        cache.keep("b", Instant::now(), 7, read("b"));
        assert_eq!(served("b", 8), None);
        std::thread::sleep(REFRESH_INTERVAL);
        assert_eq!(served("a", 7), None, "served past the interval");
    }

    #[test]
    fn a_full_session_cache_drops_what_it_no_longer_serves() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let read = Arc::new(SessionRead {
            session: session(now, now),
            user: None,
        });
        for n in 0..SESSION_CACHE_CAPACITY {
            cache.keep(&format!("old {n}"), Instant::now(), 1, read.clone());
        }
        cache.keep("kept", Instant::now(), 2, read.clone());
        assert_eq!(cache.lock().len(), 1, "entries of an older count dropped");
        for n in 0..SESSION_CACHE_CAPACITY {
            cache.keep(&format!("new {n}"), Instant::now(), 2, read.clone());
        }
        assert!(cache.lock().len() <= SESSION_CACHE_CAPACITY);
        assert!(cache.get("new 0", 2).is_none(), "started over when full");
        assert!(cache
            .get(&format!("new {}", SESSION_CACHE_CAPACITY - 1), 2)
            .is_some());
    }

    #[test]
    fn the_session_read_is_built_once_per_backend_and_binds_the_session_id() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            assert!(SESSION_ROW.is_reused(backend));
            for sid in ["0190a0a0-0000-7000-8000-000000000000", "other"] {
                let reused = SESSION_ROW.with(backend, sid);
                let built = session_row(backend, sid);
                assert_eq!(reused.sql, built.sql);
                assert_eq!(reused.values, built.values);
            }
        }
    }

    #[test]
    fn cookies_are_per_instance() {
        assert_eq!(cookie_name("abc"), "lanyard_sso_abc");
    }
}
