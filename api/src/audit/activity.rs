//! The numbers of an instance's overview, counted in SQL over the audit log: sign-ins, refused
//! sign-ins, lockouts and SSO decisions per time bucket; SSO decisions per application; and
//! the reasons of refusals. Three grouped queries, each a range scan of the index on
//! (instance, action, id): audit ids are UUIDv7, ordered by time, so "since" is an id bound.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{application, audit_event};
use sea_orm::sea_query::{Alias, Expr, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

use crate::authz::admin::{actions, InstancePermit};
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

#[derive(Clone, Debug)]
pub struct Activity {
    pub from: DateTime<Utc>,
    pub bucket_secs: i64,
    pub buckets: Vec<Bucket>,
    /// Most allowed SSOs first.
    pub applications: Vec<ApplicationCount>,
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

fn since(instance_id: &str, from: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .from(audit_event::Entity)
        .and_where(Expr::col(audit_event::Column::InstanceId).eq(instance_id))
        .and_where(Expr::col(audit_event::Column::Id).gte(first_id_at(from)))
        .to_owned()
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

/// The instance's activity over `range`, up to `now`.
pub async fn activity(
    store: &Store,
    permit: &InstancePermit<actions::ReadAudit>,
    range: Range,
    now: DateTime<Utc>,
) -> AppResult<Activity> {
    let instance_id = permit.instance_id();
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
    let per_bucket = since(instance_id, from)
        .column(audit_event::Column::Action)
        .column(audit_event::Column::Outcome)
        .expr_as(bucket.clone(), Alias::new("bucket"))
        .expr_as(count(), Alias::new("n"))
        .and_where(Expr::col(audit_event::Column::Action).is_in([
            SIGN_IN,
            SIGN_IN_FAILED,
            ACCOUNT_LOCKED,
            SSO,
        ]))
        .group_by_col(audit_event::Column::Action)
        .group_by_col(audit_event::Column::Outcome)
        .add_group_by([bucket])
        .to_owned();
    let per_application = since(instance_id, from)
        .column(audit_event::Column::TargetId)
        .column(audit_event::Column::Outcome)
        .expr_as(count(), Alias::new("n"))
        .and_where(Expr::col(audit_event::Column::Action).eq(SSO))
        .group_by_col(audit_event::Column::TargetId)
        .group_by_col(audit_event::Column::Outcome)
        .to_owned();
    let reason: SimpleExpr = Expr::cust(reason_of_summary(backend));
    let per_reason = since(instance_id, from)
        .expr_as(reason.clone(), Alias::new("reason"))
        .expr_as(count(), Alias::new("n"))
        .and_where(Expr::col(audit_event::Column::Action).eq(SSO))
        .and_where(Expr::col(audit_event::Column::Outcome).eq("deny"))
        .add_group_by([reason])
        .order_by_expr(count(), Order::Desc)
        .limit(MAX_REASONS)
        .to_owned();
    let (bucket_rows, application_rows, reason_rows) = tokio::try_join!(
        BucketRow::find_by_statement(backend.build(&per_bucket)).all(db),
        ApplicationRow::find_by_statement(backend.build(&per_application)).all(db),
        ReasonRow::find_by_statement(backend.build(&per_reason)).all(db),
    )?;

    let mut buckets: Vec<Bucket> = (first..=current)
        .map(|index| Bucket {
            start: Utc.timestamp_opt(index * width, 0).single().unwrap_or(from),
            ..Bucket::default()
        })
        .collect();
    for row in bucket_rows {
        let Some(bucket) = usize::try_from(row.bucket - first)
            .ok()
            .and_then(|i| buckets.get_mut(i))
        else {
            continue;
        };
        match (row.action.as_str(), row.outcome.as_str()) {
            (SIGN_IN, _) => bucket.sign_ins += row.n,
            (SIGN_IN_FAILED, _) => bucket.failed_sign_ins += row.n,
            (ACCOUNT_LOCKED, _) => bucket.lockouts += row.n,
            (SSO, "allow") => bucket.sso_allowed += row.n,
            (SSO, _) => bucket.sso_denied += row.n,
            _ => {}
        }
    }

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
        reasons,
    })
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
