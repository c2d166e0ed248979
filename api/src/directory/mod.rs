//! The directory of an instance: the instance itself, users, groups and the org-unit tree.
//! Every function takes the permit of a checked admin action and touches only the instance
//! that permit names.

pub mod batch;
pub mod groups;
pub mod instances;
pub mod member_index;
pub mod org_units;
pub mod user_list;
pub mod users;

use std::sync::Arc;

use entity::access_grant::SubjectKind;
use entity::user;

use crate::audit::{self, AuditRecord};
use crate::authz::admin::{Action, InstancePermit};
use crate::db::Store;
use crate::db::WriteTxn;
use crate::error::AppResult;
use crate::events::{self, Event, EventType};
use crate::keys::KeyRing;

/// Instances, users, groups and org units. Built once in `startup`; what other domains do when
/// the directory changes reaches them through [`DirectoryHooks`].
#[derive(Clone)]
pub struct Directory {
    pub store: Store,
    /// A new instance gets its first signing key.
    pub ring: KeyRing,
    pub hooks: Arc<dyn DirectoryHooks>,
}

/// What other domains do when the directory changes, inside the directory's transaction (so
/// both commit or neither does). `startup` wires them; the directory does not know who listens.
#[async_trait::async_trait]
pub trait DirectoryHooks: Send + Sync {
    /// A user, group or org unit is being deleted: what refers to it goes too (access grants).
    async fn subject_deleted(&self, txn: &WriteTxn, kind: SubjectKind, id: &str) -> AppResult<()>;
    /// An admin locked a user: the user is told.
    async fn user_locked(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<()>;
    /// An admin set a user active again: a lockout after failed sign-ins ends too.
    async fn user_reactivated(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<()>;
    /// What the user signed in with no longer holds (an admin set her password, disabled or
    /// locked her): her IdP sessions end, here at once and on the other nodes within their
    /// session caches' interval. Returns how many ended.
    async fn sessions_end(&self, txn: &WriteTxn, user: &user::Model) -> AppResult<u64>;
    /// An instance and everything in it were deleted (called after the commit): what this
    /// node keeps of its rows goes.
    fn instance_deleted(&self, instance_id: &str);
}

/// The largest page a list returns.
pub const MAX_PAGE: u64 = 100;

/// What holds members: a group or an org unit.
#[derive(Clone, Copy)]
pub enum Holder {
    Group,
    OrgUnit,
}

/// Records, inside the transaction that made it, a change to the members of a group or an org
/// unit: its audit event (with the holder's `name` and the users `added` or removed) and its
/// callback event.
pub async fn record_members_change<A: Action>(
    txn: &WriteTxn,
    permit: &InstancePermit<A>,
    holder: Holder,
    id: &str,
    name: &str,
    added: bool,
    user_ids: &[String],
) -> AppResult<()> {
    let (target, event) = match (holder, added) {
        (Holder::Group, true) => ("group", EventType::GroupMembersAdded),
        (Holder::Group, false) => ("group", EventType::GroupMembersRemoved),
        (Holder::OrgUnit, true) => ("org_unit", EventType::OrgUnitMembersAdded),
        (Holder::OrgUnit, false) => ("org_unit", EventType::OrgUnitMembersRemoved),
    };
    let change = if added { "added" } else { "removed" };
    audit::record(
        txn,
        permit.actor(),
        AuditRecord::instance(permit, target, Some(id))
            .summary(serde_json::json!({ "name": name, change: user_ids })),
    )
    .await?;
    events::emit(
        txn,
        permit.instance_id(),
        vec![Event::members(event, target, id, user_ids)],
    )
    .await
}
