//! `serve --demo`: a demo instance to try Lanyard with (users alice and bob, two groups, an
//! org-unit tree) and an admin token, printed at start. Seeding goes through the same permits
//! and domain functions as the API; it happens once, a new token is issued at every start.

use entity::instance;
use entity::role_binding::{PrincipalKind, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::admins::RoleGrant;
use crate::auth::principal::Principal;
use crate::auth::Auth;
use crate::authz::admin::{actions, check_instance, check_platform};
use crate::authz::PolicyEngine;
use crate::directory::{groups, instances, org_units, users, Directory};
use crate::error::AppResult;
use crate::ids::random_secret;

pub const DEMO_INSTANCE: &str = "Demo";

fn system() -> Principal {
    Principal {
        kind: PrincipalKind::Admin,
        id: "system".into(),
        name: "demo seed".into(),
        super_admin: true,
        global_auditor: false,
        admin_of: vec![],
        auditor_of: vec![],
        app_admin_of: vec![],
        client_ip: None,
        auth_methods: Vec::new(),
        provisions: None,
    }
}

pub async fn seed(
    directory: &Directory,
    auth: &Auth,
    engine: &PolicyEngine,
) -> AppResult<Vec<String>> {
    let me = system();
    let mut lines = Vec::new();
    let existing = instance::Entity::find()
        .filter(instance::Column::Name.eq(DEMO_INSTANCE))
        .one(&directory.store.conn)
        .await?;
    let instance = match existing {
        Some(instance) => instance,
        None => {
            let permit = check_platform(engine, Some(&me), actions::CreateInstance)?;
            let instance = instances::create(
                directory,
                &permit,
                instances::InstanceInput {
                    name: DEMO_INSTANCE,
                    description: Some("Seeded by lanyard serve --demo"),
                    rules: Default::default(),
                },
            )
            .await?;
            let id = instance.id.as_str();
            let engineering = groups::create(
                directory,
                &check_instance(engine, Some(&me), actions::CreateGroup, id)?,
                "Engineering",
                Some("Builds the product"),
            )
            .await?;
            let finance = groups::create(
                directory,
                &check_instance(engine, Some(&me), actions::CreateGroup, id)?,
                "Finance",
                Some("Counts the money"),
            )
            .await?;
            let units = check_instance(engine, Some(&me), actions::CreateOrgUnit, id)?;
            let corp = org_units::create(directory, &units, "Acme Corp", None).await?;
            let eng_unit =
                org_units::create(directory, &units, "Engineering", Some(&corp.id)).await?;
            let platform =
                org_units::create(directory, &units, "Platform", Some(&eng_unit.id)).await?;
            let sales = org_units::create(directory, &units, "Sales", Some(&corp.id)).await?;
            let create = check_instance(engine, Some(&me), actions::CreateUser, id)?;
            for (username, name, team, unit) in [
                ("alice", "Alice Liddell", &engineering, &platform),
                ("bob", "Bob Builder", &finance, &sales),
            ] {
                let password = random_secret(14);
                users::create(
                    directory,
                    &create,
                    users::NewUser {
                        username: username.into(),
                        display_name: Some(name.into()),
                        email: Some(format!("{username}@demo.lanyard.example")),
                        password: Some(password.clone()),
                        group_ids: vec![team.id.clone()],
                        org_unit_ids: vec![unit.id.clone()],
                        ..Default::default()
                    },
                )
                .await?;
                lines.push(format!("Demo user {username} password: {password}"));
            }
            instance
        }
    };
    let permit = check_platform(engine, Some(&me), actions::ManageApiTokens)?;
    let token = crate::auth::tokens::create(
        auth,
        &permit,
        "demo",
        30,
        &[RoleGrant {
            role: Role::SuperAdmin,
            instance_id: None,
            application_id: None,
        }],
    )
    .await?;
    lines.push(format!(
        "Demo instance {:?}: id {}",
        instance.name, instance.id
    ));
    lines.push(format!("Console: {}/console/", auth.config.public_url));
    lines.push(format!("GraphQL: {}/graphql", auth.config.public_url));
    lines.push(format!(
        "Admin API token (super admin, 30 days): {}",
        token.secret
    ));
    Ok(lines)
}
