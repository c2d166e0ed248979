//! Console administrators and the roles of admins and tokens: super admin, instance admin (of
//! given instances), auditor (of given instances, or of all).

use chrono::Utc;
use entity::role_binding::{self, PrincipalKind, Role};
use entity::{admin, admin_session, application, instance};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

use super::Auth;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, PlatformPermit};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::password::{self, NewPassword};
use crate::validate::Username;

pub const BOOTSTRAP_ADMIN: &str = "admin";

/// One role, for one instance or for all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    #[serde(serialize_with = "serialize_role")]
    pub role: Role,
    #[serde(rename = "instanceId")]
    pub instance_id: Option<String>,
    #[serde(rename = "applicationId", skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
}

fn serialize_role<S: serde::Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(role_name(*role))
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::SuperAdmin => "super_admin",
        Role::InstanceAdmin => "instance_admin",
        Role::Auditor => "auditor",
        Role::AppAdmin => "app_admin",
    }
}

/// Checks each grant's shape and that its instance exists, then stores them.
pub async fn store_role_bindings<C: ConnectionTrait>(
    db: &C,
    kind: PrincipalKind,
    principal_id: &str,
    grants: &[RoleGrant],
) -> AppResult<()> {
    for (index, grant) in grants.iter().enumerate() {
        let field = format!("roles[{index}].instanceId");
        match (grant.role, &grant.instance_id) {
            (Role::SuperAdmin, Some(_)) => {
                return Err(AppError::bad_input(
                    field,
                    "super_admin applies to every instance; give no instanceId",
                ))
            }
            (Role::InstanceAdmin | Role::AppAdmin, None) => {
                return Err(AppError::bad_input(
                    field,
                    "instance_admin and app_admin need an instanceId",
                ))
            }
            (_, Some(instance_id)) => {
                let found = instance::Entity::find_by_id(instance_id.clone())
                    .one(db)
                    .await?;
                if found.is_none() {
                    return Err(AppError::bad_input(
                        field,
                        format!("no instance {instance_id:?}"),
                    ));
                }
            }
            _ => {}
        }
        let app_field = format!("roles[{index}].applicationId");
        match (grant.role, &grant.application_id) {
            (Role::AppAdmin, None) => {
                return Err(AppError::bad_input(
                    app_field,
                    "app_admin needs an applicationId",
                ))
            }
            (Role::AppAdmin, Some(app_id)) => {
                let found = application::Entity::find_by_id(app_id.clone())
                    .filter(application::Column::InstanceId.eq(grant.instance_id.clone()))
                    .one(db)
                    .await?;
                if found.is_none() {
                    return Err(AppError::bad_input(
                        app_field,
                        format!("no application {app_id:?} in that instance"),
                    ));
                }
            }
            (_, Some(_)) => {
                return Err(AppError::bad_input(
                    app_field,
                    "only app_admin takes an applicationId",
                ))
            }
            (_, None) => {}
        }
    }
    let now = Utc::now();
    for grant in dedup(grants) {
        role_binding::ActiveModel {
            id: Set(new_id()),
            principal_kind: Set(kind),
            principal_id: Set(principal_id.to_owned()),
            role: Set(grant.role),
            instance_id: Set(grant.instance_id.clone()),
            application_id: Set(grant.application_id.clone()),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn dedup(grants: &[RoleGrant]) -> Vec<&RoleGrant> {
    let mut seen = Vec::new();
    for grant in grants {
        if !seen.contains(&grant) {
            seen.push(grant);
        }
    }
    seen
}

pub async fn roles_of<C: ConnectionTrait>(
    db: &C,
    kind: PrincipalKind,
    id: &str,
) -> AppResult<Vec<RoleGrant>> {
    Ok(role_binding::Entity::find()
        .filter(role_binding::Column::PrincipalKind.eq(kind))
        .filter(role_binding::Column::PrincipalId.eq(id))
        .order_by_asc(role_binding::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|b| RoleGrant {
            role: b.role,
            instance_id: b.instance_id,
            application_id: b.application_id,
        })
        .collect())
}

pub async fn list(
    auth: &Auth,
    _permit: &PlatformPermit<actions::ReadAdmins>,
) -> AppResult<Vec<admin::Model>> {
    Ok(admin::Entity::find()
        .order_by_asc(admin::Column::Username)
        .all(&auth.store.conn)
        .await?)
}

pub async fn create(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageAdmins>,
    username: &str,
    password: &str,
    grants: &[RoleGrant],
) -> AppResult<admin::Model> {
    let username = Username::parse("username", username)?;
    let password = NewPassword::parse("password", password)?;
    let hash = password::hash(&password).await?;
    let txn = auth.store.begin_write().await?;
    if admin::Entity::find()
        .filter(admin::Column::Username.eq(username.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "username",
            format!("an admin named {:?} exists", username.as_str()),
        ));
    }
    let now = Utc::now();
    let id = new_id();
    let model = admin::ActiveModel {
        id: Set(id.clone()),
        username: Set(username.as_str().to_owned()),
        password_hash: Set(hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    store_role_bindings(&txn, PrincipalKind::Admin, &id, grants).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("createAdmin", "admin", Some(&id))
            .summary(serde_json::json!({ "username": model.username, "roles": grants })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Replaces an admin's roles. The last super admin cannot lose the role.
pub async fn set_roles(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageAdmins>,
    admin_id: &str,
    grants: &[RoleGrant],
) -> AppResult<admin::Model> {
    let txn = auth.store.begin_write().await?;
    let admin = admin::Entity::find_by_id(admin_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("admin"))?;
    let keeps_super = grants.iter().any(|g| g.role == Role::SuperAdmin);
    if !keeps_super && is_last_super_admin(&txn, admin_id).await? {
        return Err(AppError::conflict(
            "roles",
            "the last super admin cannot lose the role",
        ));
    }
    role_binding::Entity::delete_many()
        .filter(role_binding::Column::PrincipalKind.eq(PrincipalKind::Admin))
        .filter(role_binding::Column::PrincipalId.eq(admin_id))
        .exec(&txn)
        .await?;
    store_role_bindings(&txn, PrincipalKind::Admin, admin_id, grants).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("setAdminRoles", "admin", Some(admin_id))
            .summary(serde_json::json!({ "username": admin.username, "roles": grants })),
    )
    .await?;
    txn.commit().await?;
    Ok(admin)
}

/// Sets an admin's password and ends every console session of that admin, on every node (the
/// session is a row checked on each request): whoever knew the old password is signed out.
/// Returns the admin and how many sessions ended.
pub async fn set_password(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageAdmins>,
    admin_id: &str,
    password: &str,
) -> AppResult<(admin::Model, u64)> {
    let password = NewPassword::parse("password", password)?;
    let hash = password::hash(&password).await?;
    let txn = auth.store.begin_write().await?;
    let found = admin::Entity::find_by_id(admin_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("admin"))?;
    let mut changed: admin::ActiveModel = found.into();
    changed.password_hash = Set(hash);
    changed.updated_at = Set(Utc::now());
    let admin = changed.update(&txn).await?;
    let ended = admin_session::Entity::delete_many()
        .filter(admin_session::Column::AdminId.eq(admin_id))
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("setAdminPassword", "admin", Some(admin_id))
            .summary(serde_json::json!({ "username": admin.username, "sessionsEnded": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok((admin, ended))
}

pub async fn delete(
    auth: &Auth,
    permit: &PlatformPermit<actions::ManageAdmins>,
    admin_id: &str,
) -> AppResult<()> {
    let txn = auth.store.begin_write().await?;
    let admin = admin::Entity::find_by_id(admin_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("admin"))?;
    if admin_id == permit.actor().id {
        return Err(AppError::conflict("id", "you cannot delete yourself"));
    }
    if is_last_super_admin(&txn, admin_id).await? {
        return Err(AppError::conflict(
            "id",
            "the last super admin cannot be deleted",
        ));
    }
    role_binding::Entity::delete_many()
        .filter(role_binding::Column::PrincipalKind.eq(PrincipalKind::Admin))
        .filter(role_binding::Column::PrincipalId.eq(admin_id))
        .exec(&txn)
        .await?;
    // Her second factors and recovery codes go with her (they have no foreign key).
    super::factors::reset(&txn, &super::factors::Owner::admin(admin_id)).await?;
    admin::Entity::delete_by_id(admin_id).exec(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::platform("deleteAdmin", "admin", Some(admin_id))
            .summary(serde_json::json!({ "username": admin.username })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn is_last_super_admin<C: ConnectionTrait>(db: &C, admin_id: &str) -> AppResult<bool> {
    let supers = role_binding::Entity::find()
        .filter(role_binding::Column::PrincipalKind.eq(PrincipalKind::Admin))
        .filter(role_binding::Column::Role.eq(Role::SuperAdmin))
        .all(db)
        .await?;
    Ok(supers.iter().all(|b| b.principal_id == admin_id) && !supers.is_empty())
}

/// On first start (no admin at all) creates the `admin` super admin. Returns the generated
/// one-time password when none was configured, for the caller to print once.
pub async fn bootstrap(auth: &Auth) -> anyhow::Result<Option<String>> {
    if admin::Entity::find().count(&auth.store.conn).await? > 0 {
        return Ok(None);
    }
    use secrecy::ExposeSecret;
    let (password, generated) = match &auth.config.bootstrap_admin_password {
        Some(secret) => (secret.expose_secret().to_owned(), false),
        None => (crate::ids::random_secret(18), true),
    };
    let password = NewPassword::parse("bootstrap_admin_password", &password)
        .map_err(|err| anyhow::anyhow!("bootstrap_admin_password: {err}"))?;
    let hash = password::hash(&password).await?;
    let txn = auth.store.begin_write().await?;
    let now = Utc::now();
    let id = new_id();
    admin::ActiveModel {
        id: Set(id.clone()),
        username: Set(BOOTSTRAP_ADMIN.into()),
        password_hash: Set(hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    store_role_bindings(
        &txn,
        PrincipalKind::Admin,
        &id,
        &[RoleGrant {
            role: Role::SuperAdmin,
            instance_id: None,
            application_id: None,
        }],
    )
    .await?;
    audit::record(
        &txn,
        &crate::authz::admin::Actor {
            kind: "system",
            id: "system".into(),
            name: "bootstrap".into(),
            client_ip: None,
        },
        AuditRecord::platform("bootstrapAdmin", "admin", Some(&id))
            .summary(serde_json::json!({ "username": BOOTSTRAP_ADMIN })),
    )
    .await?;
    txn.commit().await?;
    Ok(generated.then(|| password.expose().to_owned()))
}
