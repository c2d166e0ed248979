//! The numbers of the overviews, counted in SQL over the audit log: sign-ins, refused
//! sign-ins, lockouts and SSO decisions per time bucket; SSO decisions per application (of an
//! instance) or per instance (of the platform); and the reasons of refusals. A few grouped
//! queries, each a range scan: audit ids are UUIDv7, ordered by time, so "since" is an id
//! bound — on the index (instance, action, id) for an instance, on the primary key for the
//! platform.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{application, audit_event, instance};
use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, Order, Query};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use crate::authz::admin::{actions, InstancePermit, PlatformPermit};
use crate::db::Store;
use crate::error::AppResult;

/// The actions the overview counts.
pub const SIGN_IN: &str = "signIn";
pub const SIGN_IN_FAILED: &str = "signInFailed";
pub const ACCOUNT_LOCKED: &str = "accountLocked";
pub const SSO: &str = "sso";

/// How far back the overview looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// The last 24 hours, by hour.
    Day,
    /// The last 7 days, by 6 hours.
    Week,
    /// The last 30 days, by day.
    Month,
}

impl Range {
    pub fn bucket_secs(self) -> i64 {
        match self {
            Range::Day => 3600,
            Range::Week => 6 * 3600,
            Range::Month => 86_400,
        }
    }

    pub fn buckets(self) -> i64 {
        match self {
            Range::Day => 24,
            Range::Week => 28,
            Range::Month => 30,
        }
    }
}

/// One bucket's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub sign_ins: i64,
    pub failed_sign_ins: i64,
    pub lockouts: i64,
    pub sso_allowed: i64,
    pub sso_denied: i64,
}

/// SSO decisions of one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationCount {
    pub application_id: String,
    /// `None` when the application was deleted since.
    pub name: Option<String>,
    pub allowed: i64,
    pub denied: i64,
}

/// How often one reason refused SSO.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonCount {
    pub reason: String,
    pub count: i64,
}

/// The counts of one instance, for the platform's overview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceCount {
    pub instance_id: String,
    /// `None` when the instance was deleted since.
    pub name: Option<String>,
    pub sign_ins: i64,
    pub failed_sign_ins: i64,
    pub lockouts: i64,
    pub sso_allowed: i64,
    pub sso_denied: i64,
}

/// Whose activity.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    Instance(&'a InstancePermit<actions::ReadAudit>),
    /// Every instance (the platform's own admin events have no instance and are not counted).
    Platform(&'a PlatformPermit<actions::ReadPlatformAudit>),
}

#[derive(Clone, Debug)]
pub struct Activity {
    pub from: DateTime<Utc>,
    pub bucket_secs: i64,
    pub buckets: Vec<Bucket>,
    /// Of an instance: most allowed SSOs first.
    pub applications: Vec<ApplicationCount>,
    /// Of the platform: most sign-ins and SSOs first.
    pub instances: Vec<InstanceCount>,
    /// Most frequent first, at most [`MAX_REASONS`].
    pub reasons: Vec<ReasonCount>,
}

/// The most refusal reasons listed.
pub const MAX_REASONS: u64 = 10;

/// The smallest UUIDv7 of the millisecond `at`: every audit id written at or after `at` sorts
/// at or after it.
fn first_id_at(at: DateTime<Utc>) -> String {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    format!(
        "{:08x}-{:04x}-0000-0000-000000000000",
        ms >> 16,
        ms & 0xffff
    )
}

/// Seconds since the epoch of `created_at`, per backend.
fn epoch_of_created_at(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "CAST(EXTRACT(EPOCH FROM \"created_at\") AS BIGINT)",
        _ => "CAST(strftime('%s', \"created_at\") AS INTEGER)",
    }
}

/// The `reason` of a decision's summary, per backend.
fn reason_of_summary(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "(\"summary\" ->> 'reason')",
        _ => "json_extract(\"summary\", '$.reason')",
    }
}

/// The greater and the smaller of two numbers, per backend.
fn greatest(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "GREATEST",
        _ => "MAX",
    }
}

fn least(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "LEAST",
        _ => "MIN",
    }
}

/// The `n`th bound value of a statement, per backend.
fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// The counted actions, as SQL.
const COUNTED: &str = "('signIn', 'signInFailed', 'accountLocked', 'sso')";

/// Hours are rolled up once they ended this long ago: an audit event is written in a short
/// transaction with the writing node's clock, so none arrives later than this in an hour
/// already counted.
const SETTLE_SECS: i64 = 300;

/// At most this many hours per transaction, so that catching up after a pause never holds
/// SQLite's writer for long.
const HOURS_PER_ROLL_UP: i64 = 6;

/// How far back a first roll-up starts: the longest range and its first partial bucket.
const LOOKBACK_HOURS: i64 = 31 * 24;

/// One grouped row of counts: of the audit log itself (`target_id` and `reason` both set for a
/// refused SSO) or of the hourly roll-up (a row has a `reason` or a `target_id`, not both).
#[derive(FromQueryResult)]
struct CountRow {
    /// 1 for a row of the roll-up, 0 for one of the audit log.
    rolled: i64,
    instance_id: Option<String>,
    action: String,
    outcome: String,
    target_id: Option<String>,
    reason: Option<String>,
    bucket: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct Mark {
    hour_done: i64,
}

/// The hour before which `audit_hourly` is complete; `None` before the first roll-up.
async fn hour_done<C: ConnectionTrait>(db: &C) -> AppResult<Option<i64>> {
    let backend = db.get_database_backend();
    let statement = Statement::from_string(
        backend,
        "SELECT hour_done FROM audit_rollup_marks WHERE id = 1",
    );
    Ok(Mark::find_by_statement(statement)
        .one(db)
        .await?
        .map(|m| m.hour_done))
}

/// Rolls the closed hours of the audit log up into `audit_hourly`, a few hours per
/// transaction, until the hour that ended [`SETTLE_SECS`] before `now`. Any node may run it at
/// any time: hours already counted are left as they are (the rows of a closed hour are the same
/// whoever counts them). Returns how many hours were added.
pub async fn roll_up(store: &Store, now: DateTime<Utc>) -> AppResult<i64> {
    let closed = (now.timestamp() - SETTLE_SECS).div_euclid(3600);
    let mut added = 0;
    loop {
        let done = hour_done(&store.conn)
            .await?
            .unwrap_or(closed - LOOKBACK_HOURS)
            .max(closed - LOOKBACK_HOURS);
        if done >= closed {
            return Ok(added);
        }
        // Hours without an event need no rows: start at the first event's hour (an idle
        // server rolls up nothing but its mark).
        let from = first_event_hour(&store.conn, done)
            .await?
            .map_or(closed, |hour| hour.clamp(done, closed));
        let until = if from == closed {
            closed
        } else {
            (from + HOURS_PER_ROLL_UP).min(closed)
        };
        let txn = store.begin_write().await?;
        let backend = txn.get_database_backend();
        let (lo, hi) = (first_id_at_hour(from), first_id_at_hour(until));
        // An event's hour is its `created_at`'s, kept inside the hours counted (its id and
        // its created_at may be microseconds apart across an hour's edge).
        let hour = format!(
            "{}({}({} / 3600, {from}), {})",
            least(backend),
            greatest(backend),
            epoch_of_created_at(backend),
            until - 1
        );
        let (p1, p2) = (placeholder(backend, 1), placeholder(backend, 2));
        let by_target = format!(
            "INSERT INTO audit_hourly (instance_id, hour, action, outcome, target_id, reason, n) \
             SELECT instance_id, {hour}, action, outcome, \
             COALESCE(CASE WHEN action = 'sso' THEN target_id END, ''), '', COUNT(*) \
             FROM audit_events WHERE instance_id IS NOT NULL AND id >= {p1} AND id < {p2} \
             AND action IN {COUNTED} GROUP BY 1, 2, 3, 4, 5 ON CONFLICT DO NOTHING"
        );
        let by_reason = format!(
            "INSERT INTO audit_hourly (instance_id, hour, action, outcome, target_id, reason, n) \
             SELECT instance_id, {hour}, action, outcome, '', \
             COALESCE({}, '{NOT_RECORDED}'), COUNT(*) \
             FROM audit_events WHERE instance_id IS NOT NULL AND id >= {p1} AND id < {p2} \
             AND action = 'sso' AND outcome <> 'allow' GROUP BY 1, 2, 3, 4, 6 \
             ON CONFLICT DO NOTHING",
            reason_of_summary(backend)
        );
        let sqls = if from < until {
            vec![by_target, by_reason]
        } else {
            Vec::new()
        };
        for sql in sqls {
            txn.execute(Statement::from_sql_and_values(
                backend,
                sql,
                [lo.clone().into(), hi.clone().into()],
            ))
            .await?;
        }
        let mark = placeholder(backend, 1);
        txn.execute(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO audit_rollup_marks (id, hour_done) VALUES (1, {mark}) \
                 ON CONFLICT (id) DO UPDATE SET hour_done = excluded.hour_done \
                 WHERE audit_rollup_marks.hour_done < excluded.hour_done"
            ),
            [until.into()],
        ))
        .await?;
        txn.commit().await?;
        added += until - done;
    }
}

#[derive(FromQueryResult)]
struct FirstId {
    id: Option<String>,
}

/// The hour of the first audit event at or after `hour`, read from its id (UUIDv7); `None`
/// when there is none.
async fn first_event_hour<C: ConnectionTrait>(db: &C, hour: i64) -> AppResult<Option<i64>> {
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT MIN(id) AS id FROM audit_events WHERE id >= {}",
        placeholder(backend, 1)
    );
    let found = FirstId::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [first_id_at_hour(hour).into()],
    ))
    .one(db)
    .await?
    .and_then(|row| row.id);
    Ok(found.map(|id| {
        uuid::Uuid::parse_str(&id)
            .ok()
            .and_then(|id| id.get_timestamp())
            .map_or(hour, |at| {
                i64::try_from(at.to_unix().0).unwrap_or(i64::MAX) / 3600
            })
    }))
}

/// The smallest audit id of an hour.
fn first_id_at_hour(hour: i64) -> String {
    first_id_at(
        Utc.timestamp_opt(hour * 3600, 0)
            .single()
            .unwrap_or_default(),
    )
}

/// What refused SSO audited before reasons were recorded count under.
const NOT_RECORDED: &str = "(not recorded)";

/// The counts of `scope` from `from` on, by bucket of `width` seconds: the roll-up for the
/// hours it holds, the audit log after them.
async fn counts(
    store: &Store,
    scope: Scope<'_>,
    from: DateTime<Utc>,
    width: i64,
) -> AppResult<Vec<CountRow>> {
    let db = &store.conn;
    let backend = db.get_database_backend();
    let from_hour = from.timestamp().div_euclid(3600);
    let done = hour_done(db).await?.unwrap_or(from_hour).max(from_hour);
    let instance = match scope {
        Scope::Instance(permit) => Some(permit.instance_id().to_owned()),
        Scope::Platform(_) => None,
    };
    let param = |n: usize| placeholder(backend, n);
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let scoped = match &instance {
        Some(id) => {
            values.push(id.clone().into());
            format!("instance_id = {}", param(1))
        }
        None => "instance_id IS NOT NULL".to_owned(),
    };
    let next = values.len();
    let rolled = format!(
        "SELECT CAST(1 AS BIGINT) AS rolled, instance_id, action, outcome, \
         NULLIF(target_id, '') AS target_id, \
         NULLIF(reason, '') AS reason, (hour * 3600) / {width} AS bucket, \
         CAST(SUM(n) AS BIGINT) AS n FROM audit_hourly \
         WHERE {scoped} AND hour >= {} AND hour < {} GROUP BY 2, 3, 4, 5, 6, 7",
        param(next + 1),
        param(next + 2),
    );
    let mut rolled_values = values.clone();
    rolled_values.extend([from_hour.into(), done.into()]);
    let live_from = done * 3600;
    let live = format!(
        "SELECT CAST(0 AS BIGINT) AS rolled, instance_id, action, outcome, \
         CASE WHEN action = 'sso' THEN target_id END AS target_id, \
         CASE WHEN action = 'sso' AND outcome <> 'allow' THEN COALESCE({}, '{NOT_RECORDED}') END AS reason, \
         {}({}, {live_from}) / {width} AS bucket, COUNT(*) AS n FROM audit_events \
         WHERE {scoped} AND id >= {} AND action IN {COUNTED} GROUP BY 2, 3, 4, 5, 6, 7",
        reason_of_summary(backend),
        greatest(backend),
        epoch_of_created_at(backend),
        param(next + 1),
    );
    let mut live_values = values;
    live_values.push(first_id_at_hour(done).into());
    let rolled = Statement::from_sql_and_values(backend, rolled, rolled_values);
    let live = Statement::from_sql_and_values(backend, live, live_values);
    let (mut rows, live_rows) = tokio::try_join!(
        CountRow::find_by_statement(rolled).all(db),
        CountRow::find_by_statement(live).all(db),
    )?;
    rows.extend(live_rows);
    Ok(rows)
}

/// The activity of an instance or of the platform over `range`, up to `now`.
pub async fn activity(
    store: &Store,
    scope: Scope<'_>,
    range: Range,
    now: DateTime<Utc>,
) -> AppResult<Activity> {
    let width = range.bucket_secs();
    let current = now.timestamp().div_euclid(width);
    let first = current - range.buckets() + 1;
    let from = Utc
        .timestamp_opt(first * width, 0)
        .single()
        .unwrap_or(now - Duration::seconds(width * range.buckets()));
    let rows = counts(store, scope, from, width).await?;

    let mut buckets: Vec<Bucket> = (first..=current)
        .map(|index| Bucket {
            start: Utc.timestamp_opt(index * width, 0).single().unwrap_or(from),
            ..Bucket::default()
        })
        .collect();
    let mut per_application: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut per_instance: BTreeMap<String, InstanceCount> = BTreeMap::new();
    let mut per_reason: BTreeMap<String, i64> = BTreeMap::new();
    for row in rows {
        let refused_sso = row.action == SSO && row.outcome != "allow";
        if let Some(reason) = row.reason.clone().filter(|_| refused_sso) {
            *per_reason.entry(reason).or_default() += row.n;
            // A roll-up row of a reason counts nothing else: the same decisions have their
            // row by application.
            if row.rolled == 1 {
                continue;
            }
        }
        if let Some(b) = usize::try_from(row.bucket - first)
            .ok()
            .and_then(|i| buckets.get_mut(i))
        {
            let fields = (
                &mut b.sign_ins,
                &mut b.failed_sign_ins,
                &mut b.lockouts,
                &mut b.sso_allowed,
                &mut b.sso_denied,
            );
            add(fields, &row.action, &row.outcome, row.n);
        }
        if let (Scope::Instance(_), Some(target), true) = (scope, &row.target_id, row.action == SSO)
        {
            let entry = per_application.entry(target.clone()).or_default();
            if row.outcome == "allow" {
                entry.0 += row.n;
            } else {
                entry.1 += row.n;
            }
        }
        if let (Scope::Platform(_), Some(id)) = (scope, &row.instance_id) {
            let c = per_instance
                .entry(id.clone())
                .or_insert_with(|| InstanceCount {
                    instance_id: id.clone(),
                    ..InstanceCount::default()
                });
            let fields = (
                &mut c.sign_ins,
                &mut c.failed_sign_ins,
                &mut c.lockouts,
                &mut c.sso_allowed,
                &mut c.sso_denied,
            );
            add(fields, &row.action, &row.outcome, row.n);
        }
    }
    let applications = match scope {
        Scope::Instance(permit) => {
            named_applications(store, permit.instance_id(), per_application).await?
        }
        Scope::Platform(_) => Vec::new(),
    };
    let instances = named_instances(store, per_instance).await?;
    let mut reasons: Vec<ReasonCount> = per_reason
        .into_iter()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    reasons.sort_by(|a, b| (b.count, &a.reason).cmp(&(a.count, &b.reason)));
    reasons.truncate(usize::try_from(MAX_REASONS).unwrap_or(usize::MAX));
    Ok(Activity {
        from,
        bucket_secs: width,
        buckets,
        applications,
        instances,
        reasons,
    })
}

/// Adds one row's count to the field it counts.
fn add(
    counts: (&mut i64, &mut i64, &mut i64, &mut i64, &mut i64),
    action: &str,
    outcome: &str,
    n: i64,
) {
    let (sign_ins, failed, lockouts, allowed, denied) = counts;
    match (action, outcome) {
        (SIGN_IN, _) => *sign_ins += n,
        (SIGN_IN_FAILED, _) => *failed += n,
        (ACCOUNT_LOCKED, _) => *lockouts += n,
        (SSO, "allow") => *allowed += n,
        (SSO, _) => *denied += n,
        _ => {}
    }
}

#[derive(FromQueryResult)]
struct Name {
    id: String,
    name: String,
}

/// SSO decisions per application of an instance, with the applications' names; most allowed
/// first.
async fn named_applications(
    store: &Store,
    instance_id: &str,
    counted: BTreeMap<String, (i64, i64)>,
) -> AppResult<Vec<ApplicationCount>> {
    let db = &store.conn;
    let mut applications: Vec<ApplicationCount> = counted
        .into_iter()
        .map(|(application_id, (allowed, denied))| ApplicationCount {
            application_id,
            name: None,
            allowed,
            denied,
        })
        .collect();
    if !applications.is_empty() {
        let names = Query::select()
            .columns([application::Column::Id, application::Column::Name])
            .from(application::Entity)
            .and_where(Expr::col(application::Column::InstanceId).eq(instance_id))
            .and_where(
                Expr::col(application::Column::Id)
                    .is_in(applications.iter().map(|a| a.application_id.clone())),
            )
            .to_owned();
        let backend = db.get_database_backend();
        for found in Name::find_by_statement(backend.build(&names))
            .all(db)
            .await?
        {
            if let Some(app) = applications
                .iter_mut()
                .find(|a| a.application_id == found.id)
            {
                app.name = Some(found.name);
            }
        }
    }
    applications.sort_by(|a, b| {
        (b.allowed, b.denied, &a.application_id).cmp(&(a.allowed, a.denied, &b.application_id))
    });
    Ok(applications)
}

/// Counts per instance, with the instances' names; most active first.
async fn named_instances(
    store: &Store,
    counted: BTreeMap<String, InstanceCount>,
) -> AppResult<Vec<InstanceCount>> {
    let db = &store.conn;
    let mut instances: Vec<InstanceCount> = counted.into_values().collect();
    if !instances.is_empty() {
        let names = Query::select()
            .columns([instance::Column::Id, instance::Column::Name])
            .from(instance::Entity)
            .and_where(
                Expr::col(instance::Column::Id)
                    .is_in(instances.iter().map(|i| i.instance_id.clone())),
            )
            .to_owned();
        let backend = db.get_database_backend();
        for found in Name::find_by_statement(backend.build(&names))
            .all(db)
            .await?
        {
            if let Some(i) = instances.iter_mut().find(|i| i.instance_id == found.id) {
                i.name = Some(found.name);
            }
        }
    }
    instances.sort_by(|a, b| {
        (b.sign_ins + b.sso_allowed, &a.instance_id)
            .cmp(&(a.sign_ins + a.sso_allowed, &b.instance_id))
    });
    Ok(instances)
}

/// How far back the portal looks for an employee's recently used applications.
const RECENT_DAYS: i64 = 90;

#[derive(FromQueryResult)]
struct RecentRow {
    target_id: Option<String>,
}

/// The applications an employee of `instance_id` was last allowed into, most recent first (at
/// most `limit`, within the last 90 days): the portal's "recently used". One range scan of her
/// own events on the index (instance, actor, id).
pub async fn recent_applications(
    store: &Store,
    instance_id: &str,
    user_id: &str,
    limit: u64,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let db = &store.conn;
    let backend = db.get_database_backend();
    let latest = Expr::col(audit_event::Column::Id).max();
    let query = Query::select()
        .column(audit_event::Column::TargetId)
        .from(audit_event::Entity)
        .and_where(Expr::col(audit_event::Column::InstanceId).eq(instance_id))
        .and_where(Expr::col(audit_event::Column::ActorId).eq(user_id))
        .and_where(
            Expr::col(audit_event::Column::Id).gte(first_id_at(now - Duration::days(RECENT_DAYS))),
        )
        .and_where(Expr::col(audit_event::Column::Action).eq(SSO))
        .and_where(Expr::col(audit_event::Column::Outcome).eq("allow"))
        .group_by_col(audit_event::Column::TargetId)
        .order_by_expr(latest, Order::Desc)
        .limit(limit)
        .to_owned();
    Ok(RecentRow::find_by_statement(backend.build(&query))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| row.target_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_id_of_a_millisecond_sorts_before_every_id_made_then() {
        let at = Utc
            .timestamp_millis_opt(1_796_648_472_123)
            .single()
            .unwrap();
        let bound = first_id_at(at);
        let same = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            1_796_648_472,
            123_000_000,
        ))
        .to_string();
        let earlier = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            1_796_648_472,
            122_000_000,
        ))
        .to_string();
        assert!(bound.as_str() <= same.as_str(), "{bound} {same}");
        assert!(earlier.as_str() < bound.as_str(), "{earlier} {bound}");
        assert_eq!(bound.len(), 36);
    }
}
