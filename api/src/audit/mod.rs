//! The audit log: every admin mutation (and, with SSO, every access decision) is recorded in
//! the same transaction as the change it describes, so there is no change without its record.

pub mod activity;

use chrono::Utc;
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use crate::authz::admin::{
    actions, Action, Actor, ApplicationPermit, InstancePermit, PlatformPermit,
};
use crate::db::{Store, WriteTxn};
use crate::error::AppResult;
use crate::ids::new_id;
use crate::query::Count;

pub struct AuditRecord {
    id: Option<String>,
    instance_id: Option<String>,
    action: String,
    target_kind: &'static str,
    target_id: Option<String>,
    outcome: &'static str,
    summary: serde_json::Value,
}

impl AuditRecord {
    pub fn platform(action: &str, target_kind: &'static str, target_id: Option<&str>) -> Self {
        AuditRecord {
            id: None,
            instance_id: None,
            action: action.to_owned(),
            target_kind,
            target_id: target_id.map(str::to_owned),
            outcome: "success",
            summary: serde_json::json!({}),
        }
    }

    /// A change inside the instance the permit was checked for.
    pub fn instance<A: Action>(
        permit: &InstancePermit<A>,
        target_kind: &'static str,
        target_id: Option<&str>,
    ) -> Self {
        AuditRecord {
            id: None,
            instance_id: Some(permit.instance_id().to_owned()),
            action: permit.action().cedar_id().to_owned(),
            target_kind,
            target_id: target_id.map(str::to_owned),
            outcome: "success",
            summary: serde_json::json!({}),
        }
    }

    /// A change to one application, or to something inside it (its accounts).
    pub fn application<A: Action>(
        permit: &ApplicationPermit<A>,
        target_kind: &'static str,
    ) -> Self {
        AuditRecord {
            id: None,
            instance_id: Some(permit.instance_id().to_owned()),
            action: permit.action().cedar_id().to_owned(),
            target_kind,
            target_id: Some(permit.application_id().to_owned()),
            outcome: "success",
            summary: serde_json::json!({}),
        }
    }

    /// Something an employee did or was refused inside an instance (sign-in, SSO, setting a
    /// password through an emailed link), where no admin permit exists.
    pub fn in_instance(
        instance_id: &str,
        action: &str,
        target_kind: &'static str,
        target_id: Option<&str>,
    ) -> Self {
        AuditRecord {
            id: None,
            instance_id: Some(instance_id.to_owned()),
            action: action.to_owned(),
            target_kind,
            target_id: target_id.map(str::to_owned),
            outcome: "success",
            summary: serde_json::json!({}),
        }
    }

    pub fn summary(mut self, summary: serde_json::Value) -> Self {
        self.summary = summary;
        self
    }

    /// `allow`, `deny`, … instead of `success`.
    pub fn outcome(mut self, outcome: &'static str) -> Self {
        self.outcome = outcome;
        self
    }

    /// The event's id chosen by the caller, e.g. a reference shown to the user.
    pub fn with_id(mut self, id: String) -> Self {
        self.id = Some(id);
        self
    }
}

pub async fn record(txn: &WriteTxn, actor: &Actor, record: AuditRecord) -> AppResult<()> {
    audit_event::ActiveModel {
        id: Set(record.id.unwrap_or_else(new_id)),
        instance_id: Set(record.instance_id),
        actor_kind: Set(actor.kind.to_owned()),
        actor_id: Set(actor.id.clone()),
        actor_name: Set(actor.name.clone()),
        action: Set(record.action),
        target_kind: Set(record.target_kind.to_owned()),
        target_id: Set(record.target_id),
        outcome: Set(record.outcome.to_owned()),
        summary: Set(record.summary),
        client_ip: Set(actor.client_ip.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// `admin`, `token`, `provisioning`, `system`, `user`, `anonymous`.
    pub actor_kind: Option<String>,
    pub action: Option<String>,
    pub target_id: Option<String>,
    pub outcome: Option<String>,
}

/// Whose events a listing covers: one instance, or the platform's own (no instance).
pub enum AuditScope<'a> {
    Instance(&'a InstancePermit<actions::ReadAudit>),
    Platform(&'a PlatformPermit<actions::ReadPlatformAudit>),
}

fn query(scope: &AuditScope<'_>, filter: &AuditFilter) -> Select<audit_event::Entity> {
    let mut query = audit_event::Entity::find();
    query = match scope {
        AuditScope::Instance(permit) => {
            query.filter(audit_event::Column::InstanceId.eq(permit.instance_id()))
        }
        AuditScope::Platform(_) => query.filter(audit_event::Column::InstanceId.is_null()),
    };
    if let Some(actor) = &filter.actor {
        query = query.filter(
            audit_event::Column::ActorName
                .eq(actor.clone())
                .or(audit_event::Column::ActorId.eq(actor.clone())),
        );
    }
    if let Some(kind) = &filter.actor_kind {
        query = query.filter(audit_event::Column::ActorKind.eq(kind.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_event::Column::Action.eq(action.clone()));
    }
    if let Some(outcome) = &filter.outcome {
        query = query.filter(audit_event::Column::Outcome.eq(outcome.clone()));
    }
    if let Some(target) = &filter.target_id {
        query = query.filter(audit_event::Column::TargetId.eq(target.clone()));
    }
    query
}

/// Newest first.
pub async fn list(
    store: &Store,
    scope: AuditScope<'_>,
    filter: &AuditFilter,
    before_id: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<audit_event::Model>, Count)> {
    let total = Count::of(query(&scope, filter), &store.conn);
    let mut page = query(&scope, filter).order_by_desc(audit_event::Column::Id);
    if let Some(before) = before_id {
        page = page.filter(audit_event::Column::Id.lt(before));
    }
    let events = page.limit(limit).all(&store.conn).await?;
    Ok((events, total))
}
