//! `/Users`: Lanyard's users as SCIM User resources (with the enterprise extension).
//!
//! How the attributes map: `userName`, `displayName`, `externalId` and `name.givenName`/
//! `name.familyName` are columns; `active` is the status (`false` disables her and ends her
//! sessions; a locked account stays locked); the primary (else first) of `emails` and of
//! `phoneNumbers` is the user's email and phone (a phone number Lanyard would not accept as
//! one is kept only in the list); `password` sets her password; `groups` is read-only (group
//! membership is changed on the group, RFC 7643 §4.1.2). Everything else a client sends — the
//! whole `emails` and `phoneNumbers` lists, `title`, `userType`, `locale`, the enterprise
//! extension's `employeeNumber`, `department`, `organization`, `manager` and the rest — is kept
//! in `users.scim_attributes` and returned as sent. `department` and `organization` are text:
//! they do not place her in the org-unit tree, whose units an admin owns (README,
//! "Provisioning").

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use entity::user::{self, UserStatus};
use entity::{group, group_member};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Map, Value};

use super::patch::{self, PatchRequest};
use super::query::{self, ListParams};
use super::{
    check_if_match, json_body, list_response, not_modified, resource_id, resource_response,
    version_of, Caller, Scim, ScimError, ScimResult, Write, ENTERPRISE_SCHEMA, USER_SCHEMA,
};
use crate::authz::admin::actions;
use crate::directory::users::{self, NewUser, Replacement};

/// The attributes that are columns or computed; the rest of a resource is kept as sent.
const MAPPED: [&str; 12] = [
    "schemas",
    "id",
    "meta",
    "externalid",
    "username",
    "displayname",
    "name",
    "emails",
    "phonenumbers",
    "active",
    "password",
    "groups",
];

/// Her groups, as `(id, name)`.
pub type Memberships = Vec<(String, String)>;

/// The user as a SCIM resource.
pub fn resource(scim: &Scim, user: &user::Model, groups: &Memberships) -> Value {
    let extras: Map<String, Value> = user
        .scim_attributes
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let mut schemas = vec![json!(USER_SCHEMA)];
    if extras.contains_key(ENTERPRISE_SCHEMA) {
        schemas.push(json!(ENTERPRISE_SCHEMA));
    }
    let mut body = Map::new();
    body.insert("schemas".into(), Value::Array(schemas));
    body.insert("id".into(), json!(user.id));
    if let Some(external_id) = &user.external_id {
        body.insert("externalId".into(), json!(external_id));
    }
    body.insert("userName".into(), json!(user.username));
    let mut name = extras
        .get("name")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    name.remove("givenName");
    name.remove("familyName");
    if let Some(given) = &user.given_name {
        name.insert("givenName".into(), json!(given));
    }
    if let Some(family) = &user.family_name {
        name.insert("familyName".into(), json!(family));
    }
    if !name.is_empty() {
        body.insert("name".into(), Value::Object(name));
    }
    body.insert("displayName".into(), json!(user.display_name));
    if let Some(emails) = listed(&extras, "emails", user.email.as_deref()) {
        body.insert("emails".into(), emails);
    }
    if let Some(phones) = listed(&extras, "phoneNumbers", user.phone.as_deref()) {
        body.insert("phoneNumbers".into(), phones);
    }
    body.insert("active".into(), json!(user.status == UserStatus::Active));
    let base = scim.base_url(&user.instance_id);
    if !groups.is_empty() {
        body.insert(
            "groups".into(),
            groups
                .iter()
                .map(|(id, name)| {
                    json!({ "value": id, "display": name, "$ref": format!("{base}/Groups/{id}") })
                })
                .collect(),
        );
    }
    for (key, value) in extras {
        if !MAPPED.contains(&key.to_ascii_lowercase().as_str()) {
            body.insert(key, value);
        }
    }
    body.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": user.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "lastModified": user.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "location": format!("{base}/Users/{}", user.id),
            "version": version_of(user.updated_at),
        }),
    );
    Value::Object(body)
}

/// A multi-valued attribute as kept, when it still holds the column's value; else the
/// column's value alone, as the primary work one.
fn listed(extras: &Map<String, Value>, key: &str, column: Option<&str>) -> Option<Value> {
    let kept = extras.get(key).and_then(Value::as_array);
    match (kept, column) {
        (Some(list), Some(value))
            if list.iter().any(|v| {
                v["value"]
                    .as_str()
                    .is_some_and(|x| x.trim().eq_ignore_ascii_case(value))
            }) =>
        {
            Some(Value::Array(list.clone()))
        }
        (Some(list), None) if !list.is_empty() => Some(Value::Array(list.clone())),
        (_, Some(value)) => Some(json!([{ "value": value, "type": "work", "primary": true }])),
        _ => None,
    }
}

/// The value of `key` in a resource, whatever the case of its name (RFC 7643 §2.1).
pub fn get_ci<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A string attribute: absent or null is `None`; any other type is refused.
fn string(body: &Map<String, Value>, key: &str) -> ScimResult<Option<String>> {
    match get_ci(body, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::bad(
            "invalidValue",
            format!("{key} must be a string, not {other}"),
        )),
    }
}

/// A boolean as clients send it: `true`, or the strings `"True"`/`"true"` some send.
pub fn boolean(value: &Value, key: &str) -> ScimResult<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(ScimError::bad(
            "invalidValue",
            format!("{key} must be true or false, not {other}"),
        )),
    }
}

/// The primary (else the first) value of a multi-valued attribute.
fn primary(body: &Map<String, Value>, key: &str) -> ScimResult<Option<String>> {
    let Some(value) = get_ci(body, key) else {
        return Ok(None);
    };
    let list = match value {
        Value::Null => return Ok(None),
        Value::Array(list) => list,
        other => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("{key} must be a list, not {other}"),
            ))
        }
    };
    for item in list {
        if !item.is_object() || !item["value"].is_string() {
            return Err(ScimError::bad(
                "invalidValue",
                format!("each of {key} needs a string \"value\""),
            ));
        }
    }
    let is_primary = |item: &&Value| {
        item.get("primary")
            .is_some_and(|p| boolean(p, "primary").unwrap_or(false))
    };
    Ok(list
        .iter()
        .find(is_primary)
        .or(list.first())
        .and_then(|item| item["value"].as_str())
        .map(str::to_owned))
}

/// What a whole User resource from a client asks Lanyard to keep.
pub fn replacement(body: &Map<String, Value>) -> ScimResult<Replacement> {
    let username = string(body, "userName")?
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| ScimError::bad("invalidValue", "userName is required"))?;
    let name = match get_ci(body, "name") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(name)) => name.clone(),
        Some(other) => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("name must be an object, not {other}"),
            ))
        }
    };
    let active = match get_ci(body, "active") {
        None | Some(Value::Null) => true,
        Some(value) => boolean(value, "active")?,
    };
    let phone = primary(body, "phoneNumbers")?
        .and_then(|p| crate::validate::phone("phoneNumbers", &p).ok());
    let mut extras = Map::new();
    for (key, value) in body {
        let lower = key.to_ascii_lowercase();
        if !MAPPED.contains(&lower.as_str()) && !value.is_null() {
            extras.insert(key.clone(), value.clone());
        }
    }
    for key in ["emails", "phoneNumbers", "name"] {
        if let Some(value) = get_ci(body, key).filter(|v| !v.is_null()) {
            extras.insert(key.to_owned(), value.clone());
        }
    }
    Ok(Replacement {
        username,
        display_name: string(body, "displayName")?,
        email: primary(body, "emails")?,
        phone,
        external_id: string(body, "externalId")?,
        given_name: string(&name, "givenName")?,
        family_name: string(&name, "familyName")?,
        scim_attributes: Some(Value::Object(extras)),
        active,
        password: string(body, "password")?,
    })
}

/// Her groups, for each of `users`.
async fn memberships(
    scim: &Scim,
    users: &[user::Model],
) -> ScimResult<std::collections::HashMap<String, Memberships>> {
    let mut found: std::collections::HashMap<String, Memberships> = Default::default();
    if users.is_empty() {
        return Ok(found);
    }
    let rows = group_member::Entity::find()
        .filter(group_member::Column::UserId.is_in(users.iter().map(|u| u.id.clone())))
        .find_also_related(group::Entity)
        .all(&scim.store.conn)
        .await
        .map_err(crate::error::AppError::from)?;
    for (member, group) in rows {
        if let Some(group) = group {
            found
                .entry(member.user_id)
                .or_default()
                .push((group.id, group.name));
        }
    }
    Ok(found)
}

async fn one(scim: &Scim, user: user::Model) -> ScimResult<Value> {
    let groups = memberships(scim, std::slice::from_ref(&user))
        .await?
        .remove(&user.id)
        .unwrap_or_default();
    Ok(resource(scim, &user, &groups))
}

/// Creates a user from a whole resource: her resource as created.
async fn create_one(caller: &Caller, scim: &Scim, body: &Map<String, Value>) -> ScimResult<Value> {
    let permit = caller.permit(scim, actions::CreateUser)?;
    let wanted = replacement(body)?;
    let user = users::create(
        &scim.directory,
        &permit,
        NewUser {
            username: wanted.username,
            display_name: wanted.display_name,
            email: wanted.email,
            phone: wanted.phone,
            external_id: wanted.external_id,
            password: wanted.password,
            given_name: wanted.given_name,
            family_name: wanted.family_name,
            scim_attributes: wanted.scim_attributes,
            ..NewUser::default()
        },
    )
    .await?;
    let user = if wanted.active {
        user
    } else {
        let status = caller.permit(scim, actions::SetUserStatus)?;
        users::set_status(&scim.directory, &status, &user.id, UserStatus::Disabled).await?
    };
    one(scim, user).await
}

/// Carries out one write (a request's or a bulk operation's): the resource after it, none
/// after a deletion.
pub async fn write(
    caller: &Caller,
    scim: &Scim,
    write: Write,
    if_match: Option<&str>,
) -> ScimResult<Option<Value>> {
    match write {
        Write::Create(body) => create_one(caller, scim, &body).await.map(Some),
        Write::Replace(id, body) => replace_with(caller, scim, if_match, &id, |_| Ok(body))
            .await
            .map(Some),
        Write::Patch(id, body) => {
            let request = PatchRequest::parse(&body)?;
            replace_with(caller, scim, if_match, &id, |current| {
                patch::apply(current, &request)
            })
            .await
            .map(Some)
        }
        Write::Delete(id) => delete_one(caller, scim, if_match, &id).await.map(|()| None),
    }
}

/// `POST /Users`.
pub async fn create(
    caller: Caller,
    State(scim): State<Scim>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let body = json_body(&headers, body)?;
    let created = create_one(&caller, &scim, &body).await?;
    Ok(resource_response(StatusCode::CREATED, &created))
}

/// `GET /Users/{id}`; `304` when `If-None-Match` names her version.
pub async fn read(
    caller: Caller,
    State(scim): State<Scim>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> ScimResult<Response> {
    let id = resource_id(path, "user")?;
    let permit = caller.permit(&scim, actions::ReadDirectory)?;
    let user = users::get(&scim.directory, &permit, &id)
        .await
        .map_err(|_| ScimError::not_found("user"))?;
    if let Some(unchanged) = not_modified(&headers, &version_of(user.updated_at)) {
        return Ok(unchanged);
    }
    let body = query::project(one(&scim, user).await?, &params)?;
    Ok(resource_response(StatusCode::OK, &body))
}

/// `GET /Users`: a filtered, sorted page.
pub async fn list(
    caller: Caller,
    State(scim): State<Scim>,
    Query(params): Query<ListParams>,
) -> ScimResult<Response> {
    let permit = caller.permit(&scim, actions::ReadDirectory)?;
    let (page, total, start) =
        query::users(&scim.store.conn, permit.instance_id(), &params).await?;
    let mut groups = memberships(&scim, &page).await?;
    let mut resources = Vec::with_capacity(page.len());
    for user in &page {
        let theirs = groups.remove(&user.id).unwrap_or_default();
        resources.push(query::project(resource(&scim, user, &theirs), &params)?);
    }
    Ok(list_response(total, start, resources))
}

/// Replaces her with `change` applied to her resource as she is, in one transaction.
async fn replace_with(
    caller: &Caller,
    scim: &Scim,
    if_match: Option<&str>,
    id: &str,
    change: impl FnOnce(Value) -> ScimResult<Map<String, Value>>,
) -> ScimResult<Value> {
    let update = caller.permit(scim, actions::UpdateUser)?;
    let status = caller.permit(scim, actions::SetUserStatus)?;
    let current_groups = {
        let read = caller.permit(scim, actions::ReadDirectory)?;
        let current = users::get(&scim.directory, &read, id)
            .await
            .map_err(|_| ScimError::not_found("user"))?;
        memberships(scim, std::slice::from_ref(&current))
            .await?
            .remove(id)
            .unwrap_or_default()
    };
    let mut refusal = None;
    let user = users::replace(&scim.directory, &update, &status, id, |current| {
        let outcome = check_if_match(if_match, &version_of(current.updated_at))
            .and_then(|()| change(resource(scim, current, &current_groups)))
            .and_then(|wanted| replacement(&wanted));
        outcome.map_err(|err| {
            refusal = Some(err);
            crate::error::AppError::bad_input("scim", "refused")
        })
    })
    .await;
    let user = match (user, refusal) {
        (_, Some(refusal)) => return Err(refusal),
        (Err(crate::error::AppError::NotFound(_)), None) => {
            return Err(ScimError::not_found("user"))
        }
        (result, None) => result?,
    };
    one(scim, user).await
}

async fn delete_one(
    caller: &Caller,
    scim: &Scim,
    if_match: Option<&str>,
    id: &str,
) -> ScimResult<()> {
    let permit = caller.permit(scim, actions::DeleteUser)?;
    if if_match.is_some() {
        let read = caller.permit(scim, actions::ReadDirectory)?;
        let current = users::get(&scim.directory, &read, id)
            .await
            .map_err(|_| ScimError::not_found("user"))?;
        check_if_match(if_match, &version_of(current.updated_at))?;
    }
    users::delete(&scim.directory, &permit, id)
        .await
        .map_err(|err| match err {
            crate::error::AppError::NotFound(_) => ScimError::not_found("user"),
            other => other.into(),
        })
}
