//! SeaORM entities of Lanyard, one module per table. Columns are typed; enums are stored as
//! short strings so that SQLite and PostgreSQL hold the same values.

pub mod access_grant;
pub mod access_policy;
pub mod action_token;
pub mod admin;
pub mod admin_session;
pub mod admin_sign_in_step;
pub mod api_token;
pub mod application;
pub mod application_account;
pub mod audit_event;
pub mod delivery_attempt;
pub mod employee_session;
pub mod event_subscription;
pub mod factor;
pub mod group;
pub mod group_member;
pub mod instance;
pub mod member_index;
pub mod org_unit;
pub mod org_unit_member;
pub mod outbox;
pub mod passkey_ceremony;
pub mod persistent_name_id;
pub mod recovery_code;
pub mod role_binding;
pub mod saml_logout;
pub mod saml_logout_participant;
pub mod saml_request;
pub mod saml_session_participant;
pub mod sign_in_code;
pub mod sign_in_throttle;
pub mod signing_key;
pub mod user;

pub mod prelude {
    pub use super::access_grant::Entity as AccessGrant;
    pub use super::access_policy::Entity as AccessPolicy;
    pub use super::action_token::Entity as ActionToken;
    pub use super::admin::Entity as Admin;
    pub use super::admin_session::Entity as AdminSession;
    pub use super::admin_sign_in_step::Entity as AdminSignInStep;
    pub use super::api_token::Entity as ApiToken;
    pub use super::application::Entity as Application;
    pub use super::application_account::Entity as ApplicationAccount;
    pub use super::audit_event::Entity as AuditEvent;
    pub use super::delivery_attempt::Entity as DeliveryAttempt;
    pub use super::employee_session::Entity as EmployeeSession;
    pub use super::event_subscription::Entity as EventSubscription;
    pub use super::factor::Entity as Factor;
    pub use super::group::Entity as Group;
    pub use super::group_member::Entity as GroupMember;
    pub use super::instance::Entity as Instance;
    pub use super::member_index::Entity as MemberIndex;
    pub use super::org_unit::Entity as OrgUnit;
    pub use super::org_unit_member::Entity as OrgUnitMember;
    pub use super::outbox::Entity as Outbox;
    pub use super::passkey_ceremony::Entity as PasskeyCeremony;
    pub use super::persistent_name_id::Entity as PersistentNameId;
    pub use super::recovery_code::Entity as RecoveryCode;
    pub use super::role_binding::Entity as RoleBinding;
    pub use super::saml_request::Entity as SamlRequest;
    pub use super::sign_in_code::Entity as SignInCode;
    pub use super::sign_in_throttle::Entity as SignInThrottle;
    pub use super::signing_key::Entity as SigningKey;
    pub use super::user::Entity as User;
}
