//! Applications: the marketplace of templates, applications added from them with their SSO
//! settings, per-user application accounts, and SP metadata import.

pub mod accounts;
pub mod applications;
pub mod name_ids;
pub mod sp_metadata;
pub mod templates;

use std::sync::Arc;

use crate::db::Store;
use crate::fresh::FreshCache;
use applications::Resolved;

/// Applications and their accounts. Built once in `startup`.
#[derive(Clone)]
pub struct Applications {
    pub store: Store,
    /// Applications as the sign-in routes read them ([`crate::fresh`]).
    pub cache: Arc<FreshCache<Arc<Resolved>>>,
}
