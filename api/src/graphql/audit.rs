//! GraphQL of the audit log.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::audit_event;

use super::connection::{Page, PageArgs};
use super::gate;
use super::state;
use crate::audit::{self as log, activity, AuditFilter, AuditScope};
use crate::authz::admin::actions;

#[derive(SimpleObject)]
pub struct AuditActor {
    /// `admin`, `token` (an API token), `provisioning` (a SCIM provisioning token), `system`,
    /// `user` (an employee signing in or SSO), or `anonymous` (a sign-in that named no one).
    kind: String,
    id: String,
    name: String,
}

#[derive(SimpleObject)]
pub struct AuditEvent {
    id: ID,
    instance_id: Option<ID>,
    actor: AuditActor,
    /// The operation, e.g. `createUser`.
    action: String,
    target_kind: String,
    target_id: Option<ID>,
    /// `success` for admin changes; `allow` or `deny` for SSO decisions.
    outcome: String,
    /// What changed, as JSON.
    summary: Json<serde_json::Value>,
    client_ip: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<audit_event::Model> for AuditEvent {
    fn from(m: audit_event::Model) -> Self {
        AuditEvent {
            id: ID(m.id),
            instance_id: m.instance_id.map(ID),
            actor: AuditActor {
                kind: m.actor_kind,
                id: m.actor_id,
                name: m.actor_name,
            },
            action: m.action,
            target_kind: m.target_kind,
            target_id: m.target_id.map(ID),
            outcome: m.outcome,
            summary: Json(m.summary),
            client_ip: m.client_ip,
            created_at: m.created_at,
        }
    }
}

#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// The actor's id or name.
    actor: Option<String>,
    /// The actor's kind, as `AuditActor.kind` names it (`provisioning`: SCIM changes).
    actor_kind: Option<String>,
    action: Option<String>,
    target_id: Option<ID>,
    /// `success`, or for SSO decisions (`action: "sso"`) `allow` or `deny`.
    outcome: Option<String>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Audit events, newest first: of one instance (action `readAudit`), or without
    /// `instanceId` those of the platform itself (action `readPlatformAudit`).
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        instance_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AuditEventFilter>,
    ) -> Result<Page<AuditEvent>> {
        let state = state(ctx)?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            actor: filter.actor,
            actor_kind: filter.actor_kind,
            action: filter.action,
            target_id: filter.target_id.map(|id| id.0),
            outcome: filter.outcome,
        };
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = match instance_id {
            Some(id) => {
                let permit = gate::instance(ctx, actions::ReadAudit, &id)?;
                log::list(
                    &state.store,
                    AuditScope::Instance(&permit),
                    &filter,
                    page.after.as_deref(),
                    page.fetch(),
                )
                .await?
            }
            None => {
                let permit = gate::platform(ctx, actions::ReadPlatformAudit)?;
                log::list(
                    &state.store,
                    AuditScope::Platform(&permit),
                    &filter,
                    page.after.as_deref(),
                    page.fetch(),
                )
                .await?
            }
        };
        Ok(page.connection(rows, total, |e| e.id.clone(), AuditEvent::from))
    }
}

/// How far back an overview looks.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum ActivityRange {
    /// The last 24 hours, by hour.
    Day,
    /// The last 7 days, by 6 hours.
    Week,
    /// The last 30 days, by day.
    Month,
}

impl From<ActivityRange> for activity::Range {
    fn from(range: ActivityRange) -> Self {
        match range {
            ActivityRange::Day => activity::Range::Day,
            ActivityRange::Week => activity::Range::Week,
            ActivityRange::Month => activity::Range::Month,
        }
    }
}

/// One time bucket of an instance's activity.
#[derive(SimpleObject)]
pub struct ActivityBucket {
    start: DateTime<Utc>,
    /// Employees' sign-ins to the portal.
    sign_ins: i64,
    /// Refused sign-ins (a wrong password, an unknown or disabled user).
    failed_sign_ins: i64,
    /// Accounts locked by too many refused sign-ins.
    lockouts: i64,
    /// SSO decisions that allowed (an assertion was sent).
    sso_allowed: i64,
    /// SSO decisions that refused.
    sso_denied: i64,
}

/// SSO decisions of one application over the range.
#[derive(SimpleObject)]
pub struct ApplicationActivity {
    application_id: ID,
    /// Null for an application deleted since.
    name: Option<String>,
    allowed: i64,
    denied: i64,
}

/// How often one reason refused SSO over the range.
#[derive(SimpleObject)]
pub struct RefusalReason {
    reason: String,
    count: i64,
}

/// What happened in an instance over a range, counted from its audit log.
#[derive(SimpleObject)]
pub struct InstanceActivity {
    from: DateTime<Utc>,
    bucket_seconds: i64,
    buckets: Vec<ActivityBucket>,
    /// Most allowed SSOs first.
    applications: Vec<ApplicationActivity>,
    /// The most frequent reasons of refused SSO (at most 10), most frequent first.
    refusal_reasons: Vec<RefusalReason>,
}

#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// Sign-ins, refused sign-ins, lockouts and SSO decisions of an instance over the last
    /// day, week or month, in buckets, by application and by refusal reason: the console's
    /// overview. Action: `readAudit`.
    async fn instance_activity(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
        #[graphql(default_with = "ActivityRange::Day")] range: ActivityRange,
    ) -> Result<InstanceActivity> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ReadAudit, &instance_id)?;
        let scope = activity::Scope::Instance(&permit);
        let found = activity::activity(&state.store, scope, range.into(), Utc::now()).await?;
        Ok(InstanceActivity {
            from: found.from,
            bucket_seconds: found.bucket_secs,
            buckets: buckets_of(found.buckets),
            applications: found
                .applications
                .into_iter()
                .map(|a| ApplicationActivity {
                    application_id: ID(a.application_id),
                    name: a.name,
                    allowed: a.allowed,
                    denied: a.denied,
                })
                .collect(),
            refusal_reasons: reasons_of(found.reasons),
        })
    }

    /// The same counts over every instance, with each instance's totals: the platform's
    /// overview. Action: `readPlatformAudit`.
    async fn platform_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "ActivityRange::Day")] range: ActivityRange,
    ) -> Result<PlatformActivity> {
        let state = state(ctx)?;
        let permit = gate::platform(ctx, actions::ReadPlatformAudit)?;
        let scope = activity::Scope::Platform(&permit);
        let found = activity::activity(&state.store, scope, range.into(), Utc::now()).await?;
        Ok(PlatformActivity {
            from: found.from,
            bucket_seconds: found.bucket_secs,
            buckets: buckets_of(found.buckets),
            instances: found
                .instances
                .into_iter()
                .map(|i| InstanceActivityTotals {
                    instance_id: ID(i.instance_id),
                    name: i.name,
                    sign_ins: i.sign_ins,
                    failed_sign_ins: i.failed_sign_ins,
                    lockouts: i.lockouts,
                    sso_allowed: i.sso_allowed,
                    sso_denied: i.sso_denied,
                })
                .collect(),
            refusal_reasons: reasons_of(found.reasons),
        })
    }
}

fn buckets_of(buckets: Vec<activity::Bucket>) -> Vec<ActivityBucket> {
    buckets
        .into_iter()
        .map(|b| ActivityBucket {
            start: b.start,
            sign_ins: b.sign_ins,
            failed_sign_ins: b.failed_sign_ins,
            lockouts: b.lockouts,
            sso_allowed: b.sso_allowed,
            sso_denied: b.sso_denied,
        })
        .collect()
}

fn reasons_of(reasons: Vec<activity::ReasonCount>) -> Vec<RefusalReason> {
    reasons
        .into_iter()
        .map(|r| RefusalReason {
            reason: r.reason,
            count: r.count,
        })
        .collect()
}

/// One instance's totals over the range, for the platform's overview.
#[derive(SimpleObject)]
pub struct InstanceActivityTotals {
    instance_id: ID,
    /// Null for an instance deleted since.
    name: Option<String>,
    sign_ins: i64,
    failed_sign_ins: i64,
    lockouts: i64,
    sso_allowed: i64,
    sso_denied: i64,
}

/// What happened on the whole platform over a range.
#[derive(SimpleObject)]
pub struct PlatformActivity {
    from: DateTime<Utc>,
    bucket_seconds: i64,
    buckets: Vec<ActivityBucket>,
    /// Most sign-ins and SSOs first.
    instances: Vec<InstanceActivityTotals>,
    /// The most frequent reasons of refused SSO (at most 10), most frequent first.
    refusal_reasons: Vec<RefusalReason>,
}
