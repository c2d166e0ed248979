//! Who is calling: admin sign-in and sessions, API tokens, passwords and the keys that sign
//! tokens and cookies.

pub mod admin_factors;
pub mod admin_steps;
pub mod admins;
pub mod csrf;
pub mod employee_sessions;
pub mod factors;
pub mod passkeys;
pub mod principal;
pub mod routes;
pub mod sessions;
pub mod sign_in_codes;
pub mod throttle;
pub mod tokens;

use std::sync::Arc;

use crate::config::Config;
use crate::db::Store;
use crate::secrets::Keys;
use employee_sessions::SessionCache;

/// Sign-in of admins and employees, their sessions, API tokens and the throttle of failed
/// sign-ins. Built once in `startup`.
#[derive(Clone)]
pub struct Auth {
    pub store: Store,
    pub config: Arc<Config>,
    pub secrets: Arc<Keys>,
    /// Employees' sessions as the sign-in routes read them ([`SessionCache`]).
    pub sessions: Arc<SessionCache>,
}
