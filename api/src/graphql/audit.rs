//! GraphQL of the audit log.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
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

pub struct AuditEvent(audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn instance_id(&self) -> Option<ID> {
        self.0.instance_id.clone().map(ID)
    }
    async fn actor(&self) -> AuditActor {
        AuditActor {
            kind: self.0.actor_kind.clone(),
            id: self.0.actor_id.clone(),
            name: self.0.actor_name.clone(),
        }
    }
    /// The operation, e.g. `createUser`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn target_kind(&self) -> &str {
        &self.0.target_kind
    }
    async fn target_id(&self) -> Option<ID> {
        self.0.target_id.clone().map(ID)
    }
    /// `success` for admin changes; `allow` or `deny` for SSO decisions.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }
    /// What changed, as JSON.
    async fn summary(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(self.0.summary.clone())
    }
    async fn client_ip(&self) -> Option<&str> {
        self.0.client_ip.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
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
        Ok(page.connection(rows, total, |e| e.id.clone(), AuditEvent))
    }
}
