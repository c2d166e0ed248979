//! The numbers of the overviews, counted in SQL over the audit log: sign-ins, refused
//! sign-ins, lockouts and SSO decisions per time bucket; SSO decisions per application (of an
//! instance) or per instance (of the platform); and the reasons of refusals. A few grouped
//! queries, each a range scan: audit ids are UUIDv7, ordered by time, so "since" is an id
//! bound — on the index (instance, action, id) for an instance, on the primary key for the
//! platform.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{application, audit_event, instance};
use sea_orm::sea_query::{Alias, Expr, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

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

fn since(scope: Scope<'_>, from: DateTime<Utc>) -> SelectStatement {
    let instance = Expr::col(audit_event::Column::InstanceId);
    Query::select()
        .from(audit_event::Entity)
        .and_where(match scope {
            Scope::Instance(permit) => instance.eq(permit.instance_id()),
            Scope::Platform(_) => instance.is_not_null(),
        })
        .and_where(Expr::col(audit_event::Column::Id).gte(first_id_at(from)))
        .to_owned()
}

/// The counted actions.
fn counted() -> SimpleExpr {
    Expr::col(audit_event::Column::Action).is_in([SIGN_IN, SIGN_IN_FAILED, ACCOUNT_LOCKED, SSO])
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
struct InstanceRow {
    instance_id: Option<String>,
    action: String,
    outcome: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct BucketRow {
    action: String,
    outcome: String,
    bucket: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct ApplicationRow {
    target_id: Option<String>,
    outcome: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct ReasonRow {
    reason: Option<String>,
    n: i64,
}

/// The activity of an instance or of the platform over `range`, up to `now`.
pub async fn activity(
    store: &Store,
    scope: Scope<'_>,
    range: Range,
    now: DateTime<Utc>,
) -> AppResult<Activity> {
    let db = &store.conn;
    let backend = db.get_database_backend();
    let width = range.bucket_secs();
    let current = now.timestamp().div_euclid(width);
    let first = current - range.buckets() + 1;
    let from = Utc
        .timestamp_opt(first * width, 0)
        .single()
        .unwrap_or(now - Duration::seconds(width * range.buckets()));
    let count = || Expr::col(sea_orm::sea_query::Asterisk).count();

    // The bucket width is ours, never input: it is written into the expression.
    let bucket: SimpleExpr = Expr::cust(format!("{} / {width}", epoch_of_created_at(backend)));
    let per_bucket = since(scope, from)
        .column(audit_event::Column::Action)
        .column(audit_event::Column::Outcome)
        .expr_as(bucket.clone(), Alias::new("bucket"))
        .expr_as(count(), Alias::new("n"))
        .and_where(counted())
        .group_by_col(audit_event::Column::Action)
        .group_by_col(audit_event::Column::Outcome)
        .add_group_by([bucket])
        .to_owned();
    let reason: SimpleExpr = Expr::cust(reason_of_summary(backend));
    let per_reason = since(scope, from)
        .expr_as(reason.clone(), Alias::new("reason"))
        .expr_as(count(), Alias::new("n"))
        .and_where(Expr::col(audit_event::Column::Action).eq(SSO))
        .and_where(Expr::col(audit_event::Column::Outcome).eq("deny"))
        .add_group_by([reason])
        .order_by_expr(count(), Order::Desc)
        .limit(MAX_REASONS)
        .to_owned();
    let (bucket_rows, reason_rows) = tokio::try_join!(
        BucketRow::find_by_statement(backend.build(&per_bucket)).all(db),
        ReasonRow::find_by_statement(backend.build(&per_reason)).all(db),
    )?;

    let mut buckets: Vec<Bucket> = (first..=current)
        .map(|index| Bucket {
            start: Utc.timestamp_opt(index * width, 0).single().unwrap_or(from),
            ..Bucket::default()
        })
        .collect();
    for row in bucket_rows {
        let Some(b) = usize::try_from(row.bucket - first)
            .ok()
            .and_then(|i| buckets.get_mut(i))
        else {
            continue;
        };
        let fields = (
            &mut b.sign_ins,
            &mut b.failed_sign_ins,
            &mut b.lockouts,
            &mut b.sso_allowed,
            &mut b.sso_denied,
        );
        add(fields, &row.action, &row.outcome, row.n);
    }
    let (applications, instances) = match scope {
        Scope::Instance(permit) => {
            let per_application = since(scope, from)
                .column(audit_event::Column::TargetId)
                .column(audit_event::Column::Outcome)
                .expr_as(count(), Alias::new("n"))
                .and_where(Expr::col(audit_event::Column::Action).eq(SSO))
                .group_by_col(audit_event::Column::TargetId)
                .group_by_col(audit_event::Column::Outcome)
                .to_owned();
            let applications =
                per_application_of(store, permit.instance_id(), per_application).await?;
            (applications, Vec::new())
        }
        Scope::Platform(_) => {
            let per_instance = since(scope, from)
                .column(audit_event::Column::InstanceId)
                .column(audit_event::Column::Action)
                .column(audit_event::Column::Outcome)
                .expr_as(count(), Alias::new("n"))
                .and_where(counted())
                .group_by_col(audit_event::Column::InstanceId)
                .group_by_col(audit_event::Column::Action)
                .group_by_col(audit_event::Column::Outcome)
                .to_owned();
            (Vec::new(), per_instance_of(store, per_instance).await?)
        }
    };

    let reasons = reason_rows
        .into_iter()
        .map(|row| ReasonCount {
            // Decisions audited before reasons were recorded say none.
            reason: row.reason.unwrap_or_else(|| "(not recorded)".into()),
            count: row.n,
        })
        .collect();
    Ok(Activity {
        from,
        bucket_secs: width,
        buckets,
        applications,
        instances,
        reasons,
    })
}

/// SSO decisions per application of an instance, with the applications' names.
async fn per_application_of(
    store: &Store,
    instance_id: &str,
    query: SelectStatement,
) -> AppResult<Vec<ApplicationCount>> {
    let db = &store.conn;
    let backend = db.get_database_backend();
    let application_rows = ApplicationRow::find_by_statement(backend.build(&query))
        .all(db)
        .await?;

    let mut counted: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for row in application_rows {
        let Some(id) = row.target_id else { continue };
        let entry = counted.entry(id).or_default();
        if row.outcome == "allow" {
            entry.0 += row.n;
        } else {
            entry.1 += row.n;
        }
    }
    let mut applications: Vec<ApplicationCount> = counted
        .into_iter()
        .map(|(application_id, (allowed, denied))| ApplicationCount {
            application_id,
            name: None,
            allowed,
            denied,
        })
        .collect();
    let names = Query::select()
        .columns([application::Column::Id, application::Column::Name])
        .from(application::Entity)
        .and_where(Expr::col(application::Column::InstanceId).eq(instance_id))
        .and_where(
            Expr::col(application::Column::Id)
                .is_in(applications.iter().map(|a| a.application_id.clone())),
        )
        .to_owned();
    #[derive(FromQueryResult)]
    struct Name {
        id: String,
        name: String,
    }
    if !applications.is_empty() {
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
async fn per_instance_of(store: &Store, query: SelectStatement) -> AppResult<Vec<InstanceCount>> {
    let db = &store.conn;
    let backend = db.get_database_backend();
    let rows = InstanceRow::find_by_statement(backend.build(&query))
        .all(db)
        .await?;
    let mut counted: std::collections::BTreeMap<String, InstanceCount> = Default::default();
    for row in rows {
        let Some(id) = row.instance_id else { continue };
        let c = counted.entry(id.clone()).or_insert_with(|| InstanceCount {
            instance_id: id,
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
    let mut instances: Vec<InstanceCount> = counted.into_values().collect();
    if !instances.is_empty() {
        #[derive(FromQueryResult)]
        struct Name {
            id: String,
            name: String,
        }
        let names = Query::select()
            .columns([instance::Column::Id, instance::Column::Name])
            .from(instance::Entity)
            .and_where(
                Expr::col(instance::Column::Id)
                    .is_in(instances.iter().map(|i| i.instance_id.clone())),
            )
            .to_owned();
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
