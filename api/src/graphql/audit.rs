//! GraphQL of the audit log.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::audit_event;

use super::connection::{Page, PageArgs};
use super::gate;
use super::state;
use crate::audit::{self as log, AuditFilter, AuditScope};
use crate::authz::admin::actions;

#[derive(SimpleObject)]
pub struct AuditActor {
    /// `admin`, `token`, `system`, or `user` (an employee signing in or SSO).
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
