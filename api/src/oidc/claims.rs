//! What an ID token and userinfo say of the employee: `sub` (the application's account mode,
//! as the SAML NameID is), the standard claims of the granted scopes (`profile`, `email`,
//! `phone`, `groups`) and the claims the admin mapped for the application.

use entity::{application_account, group, group_member, org_unit, org_unit_member, user};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use serde_json::{Map, Value};

use super::clients::Client;
use super::Oidc;
use crate::apps::applications::{name_id_for, NoNameId, Resolved};
use crate::apps::templates;
use crate::error::AppResult;

/// The employee's `sub` in the application: what its account mode makes of her (a transient
/// format, which would change each time, is made persistent). `Err` with the reason when she
/// lacks what the mode needs.
pub async fn subject(
    oidc: &Oidc,
    app: &Resolved,
    user: &user::Model,
) -> AppResult<Result<String, String>> {
    let transient = app.model.name_id_format == templates::NAMEID_TRANSIENT;
    let requested = transient.then_some(templates::NAMEID_PERSISTENT);
    Ok(
        match name_id_for(&oidc.apps, app, user, requested, true).await? {
            Ok(name_id) => Ok(name_id.value),
            Err(NoNameId::Missing(reason) | NoNameId::Policy(reason)) => Err(reason),
        },
    )
}

async fn group_names(oidc: &Oidc, user_id: &str) -> AppResult<Vec<String>> {
    Ok(group::Entity::find()
        .select_only()
        .column(group::Column::Name)
        .join_rev(
            JoinType::InnerJoin,
            group_member::Entity::belongs_to(group::Entity)
                .from(group_member::Column::GroupId)
                .to(group::Column::Id)
                .into(),
        )
        .filter(group_member::Column::UserId.eq(user_id))
        .into_tuple::<String>()
        .all(oidc.store.reads())
        .await?)
}

async fn org_unit_names(oidc: &Oidc, user_id: &str) -> AppResult<Vec<String>> {
    Ok(org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Name)
        .join_rev(
            JoinType::InnerJoin,
            org_unit_member::Entity::belongs_to(org_unit::Entity)
                .from(org_unit_member::Column::OrgUnitId)
                .to(org_unit::Column::Id)
                .into(),
        )
        .filter(org_unit_member::Column::UserId.eq(user_id))
        .into_tuple::<String>()
        .all(oidc.store.reads())
        .await?)
}

async fn app_account(oidc: &Oidc, app: &Resolved, user_id: &str) -> AppResult<Option<String>> {
    Ok(application_account::Entity::find()
        .select_only()
        .column(application_account::Column::AccountName)
        .filter(application_account::Column::ApplicationId.eq(app.model.id.as_str()))
        .filter(application_account::Column::UserId.eq(user_id))
        .into_tuple::<String>()
        .one(oidc.store.reads())
        .await?)
}

fn text(value: &Option<String>) -> Option<Value> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| Value::String(v.to_owned()))
}

/// The claims of the granted scopes and the application's mappings, `sub` included.
pub async fn of_user(
    oidc: &Oidc,
    app: &Resolved,
    client: &Client,
    user: &user::Model,
    sub: &str,
    scopes: &[&str],
) -> AppResult<Map<String, Value>> {
    let mut claims = Map::new();
    claims.insert("sub".into(), sub.into());
    let has = |scope: &str| scopes.contains(&scope);
    if has("profile") {
        claims.insert("name".into(), user.display_name.clone().into());
        claims.insert("preferred_username".into(), user.username.clone().into());
        if let Some(v) = text(&user.given_name) {
            claims.insert("given_name".into(), v);
        }
        if let Some(v) = text(&user.family_name) {
            claims.insert("family_name".into(), v);
        }
        claims.insert("updated_at".into(), user.updated_at.timestamp().into());
    }
    if has("email") {
        if let Some(v) = text(&user.email) {
            claims.insert("email".into(), v);
            // Addresses are entered by administrators or provisioned by the directory of
            // record, not proven by the employee: Lanyard does not vouch for them.
            claims.insert("email_verified".into(), false.into());
        }
    }
    if has("phone") {
        if let Some(v) = text(&user.phone) {
            claims.insert("phone_number".into(), v);
            claims.insert("phone_number_verified".into(), false.into());
        }
    }
    let needs_groups = has("groups") || client.claims.iter().any(|c| c.source == "groups");
    let groups = if needs_groups {
        group_names(oidc, &user.id).await?
    } else {
        Vec::new()
    };
    if has("groups") {
        claims.insert("groups".into(), groups.clone().into());
    }
    for mapped in &client.claims {
        let value: Option<Value> = match mapped.source.as_str() {
            "username" => Some(user.username.clone().into()),
            "email" => text(&user.email),
            "displayName" => Some(user.display_name.clone().into()),
            "phone" => text(&user.phone),
            "externalId" => text(&user.external_id),
            "groups" => Some(groups.clone().into()),
            "orgUnits" => Some(org_unit_names(oidc, &user.id).await?.into()),
            "appAccount" => app_account(oidc, app, &user.id).await?.map(Value::String),
            _ => match mapped.values.as_slice() {
                [one] => Some(one.clone().into()),
                many => Some(many.to_vec().into()),
            },
        };
        if let Some(value) = value {
            claims.insert(mapped.name.clone(), value);
        }
    }
    Ok(claims)
}
