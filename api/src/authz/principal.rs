//! Who is calling the admin API, as the authorization gate sees them: the roles an admin or an
//! API token holds. How a request proves it is someone is `crate::auth`'s business.

pub use entity::role_binding::PrincipalKind;

use super::admin::Actor;

#[derive(Clone, Debug)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub id: String,
    pub name: String,
    pub super_admin: bool,
    pub global_auditor: bool,
    pub admin_of: Vec<String>,
    pub auditor_of: Vec<String>,
    /// Applications administered, as (instance id, application id).
    pub app_admin_of: Vec<(String, String)>,
    pub client_ip: Option<String>,
    /// How a console session's admin proved who she is (`password`, then `totp` or
    /// `recovery_code`); empty for an API token, which has no second factor.
    pub auth_methods: Vec<String>,
    /// The instance a SCIM provisioning token provisions (its only one); `None` otherwise.
    pub provisions: Option<String>,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            kind: match self.kind {
                PrincipalKind::Admin => "admin",
                PrincipalKind::Token => "token",
                PrincipalKind::Provisioning => "provisioning",
            },
            id: self.id.clone(),
            name: self.name.clone(),
            client_ip: self.client_ip.clone(),
        }
    }

    pub fn display_name(&self) -> String {
        match self.kind {
            PrincipalKind::Admin => format!("admin {:?}", self.name),
            PrincipalKind::Token => format!("API token {:?}", self.name),
            PrincipalKind::Provisioning => format!("provisioning token {:?}", self.name),
        }
    }
}
