//! Admin-API authorization. Every resolver starts with [`check_platform`] or
//! [`check_instance`]; what they return — a [`PlatformPermit`] or an [`InstancePermit`] — is
//! what the domain services require, so a service cannot be called without a permitted check,
//! and an instance-scoped service only ever sees the instance that was checked.

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

use cedar_policy::{Context, Entities, Entity, Request, RestrictedExpression};

use super::principal::{Principal, PrincipalKind};
use super::{Kind, Names, PolicyEngine};
use crate::error::{AppError, AppResult};

pub const PLATFORM_ID: &str = "lanyard";

/// An admin action as a type. Permits carry it, so a permit checked for one action is not
/// accepted where a domain function wants another: a permit for reading the directory does not
/// type-check where a user is deleted.
pub trait Action: Copy + Send + Sync + 'static {
    const ACTION: AdminAction;
}

macro_rules! admin_actions {
    ($($name:ident => $id:literal,)*) => {
        /// Every admin operation, named as in `policies/schema.cedarschema`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum AdminAction {
            $($name,)*
        }

        impl AdminAction {
            pub fn cedar_id(self) -> &'static str {
                match self {
                    $(AdminAction::$name => $id,)*
                }
            }
        }

        /// One type per admin action, for the permits that name it.
        pub mod actions {
            $(
                #[derive(Clone, Copy, Debug, Default)]
                pub struct $name;

                impl super::Action for $name {
                    const ACTION: super::AdminAction = super::AdminAction::$name;
                }
            )*
        }
    };
}

admin_actions! {
    ListAllInstances => "listAllInstances",
    ReadAdmins => "readAdmins",
    ReadApiTokens => "readApiTokens",
    ReadPlatformAudit => "readPlatformAudit",
    CreateInstance => "createInstance",
    ManageAdmins => "manageAdmins",
    ManageApiTokens => "manageApiTokens",
    ManageOwnFactors => "manageOwnFactors",
    ReadInstance => "readInstance",
    ReadDirectory => "readDirectory",
    ReadAudit => "readAudit",
    UpdateInstance => "updateInstance",
    DeleteInstance => "deleteInstance",
    CreateUser => "createUser",
    UpdateUser => "updateUser",
    DeleteUser => "deleteUser",
    SetUserPassword => "setUserPassword",
    SetUserStatus => "setUserStatus",
    ImportUsers => "importUsers",
    CreateGroup => "createGroup",
    UpdateGroup => "updateGroup",
    DeleteGroup => "deleteGroup",
    ChangeGroupMembers => "changeGroupMembers",
    CreateOrgUnit => "createOrgUnit",
    UpdateOrgUnit => "updateOrgUnit",
    MoveOrgUnit => "moveOrgUnit",
    DeleteOrgUnit => "deleteOrgUnit",
    ChangeOrgUnitMembers => "changeOrgUnitMembers",
    ReadMarketplace => "readMarketplace",
    ReadApplications => "readApplications",
    ReadSigningKeys => "readSigningKeys",
    CreateApplication => "createApplication",
    ManageSigningKeys => "manageSigningKeys",
    ReadApplication => "readApplication",
    UpdateApplication => "updateApplication",
    DeleteApplication => "deleteApplication",
    ManageApplicationAccounts => "manageApplicationAccounts",
    ReadAccessPolicies => "readAccessPolicies",
    ExplainAccess => "explainAccess",
    ManageAccessPolicies => "manageAccessPolicies",
    ManageAppAccess => "manageAppAccess",
    ReadUserSessions => "readUserSessions",
    RevokeUserSessions => "revokeUserSessions",
    ReadUserFactors => "readUserFactors",
    ResetUserFactors => "resetUserFactors",
    InviteUser => "inviteUser",
    ReadProvisioningTokens => "readProvisioningTokens",
    ManageProvisioningTokens => "manageProvisioningTokens",
    ReadDeliveries => "readDeliveries",
    ManageEventSubscriptions => "manageEventSubscriptions",
}

/// Actions that may read one application: its own read, and the changes whose resolvers
/// answer with the application.
pub trait ReadsApplication: Action {}
impl ReadsApplication for actions::ReadApplication {}
impl ReadsApplication for actions::UpdateApplication {}
impl ReadsApplication for actions::ManageAppAccess {}
impl ReadsApplication for actions::ManageApplicationAccounts {}

/// Actions that may read a message of the outbox: reading the deliveries, and the changes that
/// answer with the message they queued (an invitation, a test event).
pub trait ReadsDeliveries: Action {}
impl ReadsDeliveries for actions::ReadDeliveries {}
impl ReadsDeliveries for actions::InviteUser {}
impl ReadsDeliveries for actions::ManageEventSubscriptions {}

/// Who performed an admin operation, for the audit log.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub client_ip: Option<String>,
}

/// Proof that action `A` was permitted on the platform.
#[derive(Debug)]
pub struct PlatformPermit<A: Action> {
    actor: Actor,
    action: PhantomData<A>,
}

/// Proof that action `A` was permitted inside one instance.
#[derive(Debug)]
pub struct InstancePermit<A: Action> {
    actor: Actor,
    action: PhantomData<A>,
    instance_id: String,
}

/// Proof that action `A` was permitted on one application of one instance.
#[derive(Debug)]
pub struct ApplicationPermit<A: Action> {
    actor: Actor,
    action: PhantomData<A>,
    instance_id: String,
    application_id: String,
}

impl<A: Action> ApplicationPermit<A> {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn action(&self) -> AdminAction {
        A::ACTION
    }
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
    pub fn application_id(&self) -> &str {
        &self.application_id
    }
}

impl<A: Action> PlatformPermit<A> {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn action(&self) -> AdminAction {
        A::ACTION
    }
}

impl<A: Action> InstancePermit<A> {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn action(&self) -> AdminAction {
        A::ACTION
    }
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
}

/// Decides `action` on the platform as a whole.
pub fn check_platform<A: Action>(
    engine: &PolicyEngine,
    principal: Option<&Principal>,
    _action: A,
) -> AppResult<PlatformPermit<A>> {
    let principal = principal.ok_or(AppError::Unauthenticated)?;
    decide(engine, principal, A::ACTION, Resource::Platform)?;
    Ok(PlatformPermit {
        actor: principal.actor(),
        action: PhantomData,
    })
}

/// Decides `action` inside `instance_id`.
pub fn check_instance<A: Action>(
    engine: &PolicyEngine,
    principal: Option<&Principal>,
    _action: A,
    instance_id: &str,
) -> AppResult<InstancePermit<A>> {
    let principal = principal.ok_or(AppError::Unauthenticated)?;
    decide(
        engine,
        principal,
        A::ACTION,
        Resource::Instance(instance_id),
    )?;
    Ok(InstancePermit {
        actor: principal.actor(),
        action: PhantomData,
        instance_id: instance_id.to_owned(),
    })
}

/// Decides `action` on one application. The caller has looked up which instance the
/// application belongs to; a wrong pairing only narrows what is allowed.
pub fn check_application<A: Action>(
    engine: &PolicyEngine,
    principal: Option<&Principal>,
    _action: A,
    instance_id: &str,
    application_id: &str,
) -> AppResult<ApplicationPermit<A>> {
    let principal = principal.ok_or(AppError::Unauthenticated)?;
    decide(
        engine,
        principal,
        A::ACTION,
        Resource::Application(instance_id, application_id),
    )?;
    Ok(ApplicationPermit {
        actor: principal.actor(),
        action: PhantomData,
        instance_id: instance_id.to_owned(),
        application_id: application_id.to_owned(),
    })
}

#[derive(Clone, Copy)]
enum Resource<'a> {
    Platform,
    Instance(&'a str),
    Application(&'a str, &'a str),
}

fn decide(
    engine: &PolicyEngine,
    principal: &Principal,
    action: AdminAction,
    resource: Resource<'_>,
) -> AppResult<()> {
    let (request, entities) = build_request(engine, principal, action, resource)
        .map_err(|err| AppError::Internal(anyhow::anyhow!(err)))?;
    let verdict = engine.decide(&request, &entities);
    if !verdict.errors.is_empty() {
        tracing::warn!(errors = ?verdict.errors, action = action.cedar_id(), "policy evaluation errors");
    }
    if verdict.allowed {
        Ok(())
    } else {
        Err(refusal(principal, action))
    }
}

/// What a refused caller reads: the same words whatever the object, so that a refusal says
/// nothing about whether the object exists.
pub fn refusal(principal: &Principal, action: AdminAction) -> AppError {
    AppError::Forbidden(format!(
        "{} is not allowed to {}",
        principal.display_name(),
        action.cedar_id()
    ))
}

fn build_request(
    engine: &PolicyEngine,
    principal: &Principal,
    action: AdminAction,
    resource: Resource<'_>,
) -> Result<(Request, Entities), String> {
    let names = Names::get()?;
    let principal_entity = principal_entity(names, principal)?;
    let platform = names.uid(Kind::Platform, PLATFORM_ID);
    let mut entities = vec![principal_entity.clone(), Entity::with_uid(platform.clone())];
    let mut instance_entity = |id: &str| {
        let instance = names.uid(Kind::Instance, id);
        entities.push(Entity::new_no_attrs(
            instance.clone(),
            HashSet::from([platform.clone()]),
        ));
        instance
    };
    let resource = match resource {
        Resource::Platform => platform.clone(),
        Resource::Instance(id) => instance_entity(id),
        Resource::Application(instance_id, app_id) => {
            let instance = instance_entity(instance_id);
            let app = names.uid(Kind::Application, app_id);
            entities.push(Entity::new_no_attrs(app.clone(), HashSet::from([instance])));
            app
        }
    };
    for role in principal_entity_parents(principal) {
        entities.push(Entity::with_uid(names.uid(Kind::Role, role)));
    }
    let request = Request::new(
        principal_entity.uid(),
        names.action(action.cedar_id()),
        resource,
        Context::empty(),
        Some(engine.schema()),
    )
    .map_err(|err| err.to_string())?;
    let entities =
        Entities::from_entities(entities, Some(engine.schema())).map_err(|e| e.to_string())?;
    Ok((request, entities))
}

fn principal_entity_parents(principal: &Principal) -> Vec<&'static str> {
    let mut roles = Vec::new();
    if principal.super_admin {
        roles.push("super_admin");
    }
    if principal.global_auditor {
        roles.push("auditor");
    }
    roles
}

fn principal_entity(names: &Names, principal: &Principal) -> Result<Entity, String> {
    let kind = match principal.kind {
        PrincipalKind::Admin => Kind::Admin,
        PrincipalKind::Token => Kind::ApiToken,
        PrincipalKind::Provisioning => Kind::ProvisioningToken,
    };
    let instances = |ids: &[String]| {
        RestrictedExpression::new_set(
            ids.iter()
                .map(|id| RestrictedExpression::new_entity_uid(names.uid(Kind::Instance, id))),
        )
    };
    let mut attrs = HashMap::from([
        (
            "name".to_string(),
            RestrictedExpression::new_string(principal.name.clone()),
        ),
        ("adminOf".to_string(), instances(&principal.admin_of)),
        ("auditorOf".to_string(), instances(&principal.auditor_of)),
        (
            "appAdminOf".to_string(),
            RestrictedExpression::new_set(principal.app_admin_of.iter().map(|(_, app)| {
                RestrictedExpression::new_entity_uid(names.uid(Kind::Application, app))
            })),
        ),
        (
            "appInstances".to_string(),
            instances(
                &principal
                    .app_admin_of
                    .iter()
                    .map(|(instance, _)| instance.clone())
                    .collect::<Vec<_>>(),
            ),
        ),
    ]);
    if let Some(instance) = &principal.provisions {
        attrs.insert(
            "instance".to_string(),
            RestrictedExpression::new_entity_uid(names.uid(Kind::Instance, instance)),
        );
    }
    let parents = principal_entity_parents(principal)
        .into_iter()
        .map(|role| names.uid(Kind::Role, role))
        .collect();
    Entity::new(names.uid(kind, &principal.id), attrs, parents).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(super_admin: bool, global_auditor: bool, admin_of: &[&str]) -> Principal {
        Principal {
            kind: PrincipalKind::Token,
            id: "t1".into(),
            name: "script".into(),
            super_admin,
            global_auditor,
            admin_of: admin_of.iter().map(|s| s.to_string()).collect(),
            auditor_of: vec![],
            app_admin_of: vec![],
            client_ip: None,
            auth_methods: Vec::new(),
            provisions: None,
        }
    }

    #[test]
    fn deny_by_default_and_scoped_to_the_instance() {
        let engine = PolicyEngine::embedded().unwrap();
        let nobody = principal(false, false, &[]);
        assert!(check_instance(&engine, Some(&nobody), actions::ReadInstance, "a").is_err());
        let admin_a = principal(false, false, &["a"]);
        let permit = check_instance(&engine, Some(&admin_a), actions::CreateUser, "a").unwrap();
        assert_eq!(permit.instance_id(), "a");
        assert!(check_instance(&engine, Some(&admin_a), actions::CreateUser, "b").is_err());
        assert!(check_instance(&engine, Some(&admin_a), actions::DeleteInstance, "a").is_err());
        assert!(check_platform(&engine, Some(&admin_a), actions::CreateInstance).is_err());
        let auditor = principal(false, true, &[]);
        assert!(check_instance(&engine, Some(&auditor), actions::ReadAudit, "z").is_ok());
        assert!(check_instance(&engine, Some(&auditor), actions::CreateUser, "z").is_err());
        // Application admins: their application, and reading its instance's directory.
        let app_admin = Principal {
            app_admin_of: vec![("a".into(), "app1".into())],
            ..principal(false, false, &[])
        };
        let update = actions::UpdateApplication;
        assert!(check_application(&engine, Some(&app_admin), update, "a", "app1").is_ok());
        assert!(check_application(&engine, Some(&app_admin), update, "a", "app2").is_err());
        assert!(check_instance(&engine, Some(&app_admin), actions::ReadDirectory, "a").is_ok());
        assert!(check_instance(&engine, Some(&app_admin), actions::CreateUser, "a").is_err());
        assert!(check_application(&engine, Some(&admin_a), update, "a", "app9").is_ok());
        assert!(check_application(&engine, Some(&admin_a), update, "b", "app9").is_err());
        assert!(matches!(
            check_platform(&engine, None, actions::ReadAdmins),
            Err(AppError::Unauthenticated)
        ));
    }

    #[test]
    fn a_provisioning_token_changes_users_and_groups_of_its_instance_and_nothing_else() {
        let engine = PolicyEngine::embedded().unwrap();
        let okta = Principal {
            kind: PrincipalKind::Provisioning,
            provisions: Some("a".into()),
            ..principal(false, false, &[])
        };
        assert!(check_instance(&engine, Some(&okta), actions::CreateUser, "a").is_ok());
        assert!(check_instance(&engine, Some(&okta), actions::SetUserStatus, "a").is_ok());
        assert!(check_instance(&engine, Some(&okta), actions::ChangeGroupMembers, "a").is_ok());
        assert!(check_instance(&engine, Some(&okta), actions::ReadDirectory, "a").is_ok());
        assert!(check_instance(&engine, Some(&okta), actions::CreateUser, "b").is_err());
        assert!(check_instance(&engine, Some(&okta), actions::ReadDirectory, "b").is_err());
        for refused in [
            check_instance(&engine, Some(&okta), actions::SetUserPassword, "a").map(|_| ()),
            check_instance(&engine, Some(&okta), actions::ReadInstance, "a").map(|_| ()),
            check_instance(&engine, Some(&okta), actions::ManageProvisioningTokens, "a")
                .map(|_| ()),
            check_instance(&engine, Some(&okta), actions::DeleteInstance, "a").map(|_| ()),
            check_platform(&engine, Some(&okta), actions::ReadAdmins).map(|_| ()),
        ] {
            assert!(refused.is_err());
        }
        assert_eq!(okta.actor().kind, "provisioning");
    }
}
