//! Who is calling: admin sign-in and sessions, API tokens, passwords and the keys that sign
//! tokens and cookies.

pub mod admins;
pub mod csrf;
pub mod employee_sessions;
pub mod keys;
pub mod password;
pub mod principal;
pub mod routes;
pub mod sessions;
pub mod sign_in_codes;
pub mod throttle;
pub mod tokens;
