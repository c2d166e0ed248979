//! Applications: the marketplace of templates, applications added from them with their SSO
//! settings, per-user application accounts, and SP metadata import.

pub mod accounts;
pub mod applications;
pub mod sp_metadata;
pub mod templates;
