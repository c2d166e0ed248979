//! `/Groups`: Lanyard's groups as SCIM Group resources. `displayName` is the group's name
//! (unique in the instance), `externalId` the client's own id for it, `members` its users (by
//! id; only users can be members). Membership changes are audited and announced as the
//! GraphQL ones are (`group.members_added`, `group.members_removed`).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use entity::{group, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Map, Value};

use super::patch::{self, PatchRequest};
use super::query::{self, ListParams};
use super::users::get_ci;
use super::{
    check_if_match, json_body, list_response, not_modified, resource_id, resource_response,
    version_of, Caller, Scim, ScimError, ScimResult, Write, GROUP_SCHEMA,
};
use crate::authz::admin::actions;
use crate::directory::groups::{self, GroupReplacement};
use crate::error::AppError;

/// The group's members as `(user id, username)`, by id.
async fn members_of(scim: &Scim, group_id: &str) -> ScimResult<Vec<(String, String)>> {
    let ids = groups::member_ids(&scim.store.conn, group_id).await?;
    let mut names = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for user in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .all(&scim.store.conn)
            .await
            .map_err(AppError::from)?
        {
            names.insert(user.id, user.username);
        }
    }
    Ok(ids
        .into_iter()
        .filter_map(|id| names.remove(&id).map(|name| (id, name)))
        .collect())
}

/// The group as a SCIM resource.
fn resource(scim: &Scim, group: &group::Model, members: &[(String, String)]) -> Value {
    let base = scim.base_url(&group.instance_id);
    let mut body = json!({
        "schemas": [GROUP_SCHEMA],
        "id": group.id,
        "displayName": group.name,
        "members": members
            .iter()
            .map(|(id, name)| json!({
                "value": id,
                "display": name,
                "type": "User",
                "$ref": format!("{base}/Users/{id}"),
            }))
            .collect::<Vec<_>>(),
        "meta": {
            "resourceType": "Group",
            "created": group.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "lastModified": group.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "location": format!("{base}/Groups/{}", group.id),
            "version": version_of(group.updated_at),
        },
    });
    if let Some(external_id) = &group.external_id {
        body["externalId"] = json!(external_id);
    }
    body
}

async fn one(scim: &Scim, group: group::Model) -> ScimResult<Value> {
    let members = members_of(scim, &group.id).await?;
    Ok(resource(scim, &group, &members))
}

/// What a whole Group resource from a client asks Lanyard to keep.
fn replacement(body: &Map<String, Value>) -> ScimResult<GroupReplacement> {
    let name = match get_ci(body, "displayName") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
        _ => return Err(ScimError::bad("invalidValue", "displayName is required")),
    };
    let external_id = match get_ci(body, "externalId") {
        None | Some(Value::Null) => None,
        Some(Value::String(x)) => Some(x.clone()),
        Some(other) => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("externalId must be a string, not {other}"),
            ))
        }
    };
    let members = match get_ci(body, "members") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|m| {
                m.get("value")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        ScimError::bad(
                            "invalidValue",
                            "each member needs a string \"value\": a user's id",
                        )
                    })
            })
            .collect::<ScimResult<Vec<_>>>()?,
        Some(other) => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("members must be a list, not {other}"),
            ))
        }
    };
    Ok(GroupReplacement {
        name,
        external_id,
        members,
    })
}

/// The directory's refusal as SCIM says it: a missing group is a 404, and a member who is no
/// user of the instance is one of `members` (the directory calls them `userIds`).
fn directory_refusal(err: AppError) -> ScimError {
    match err {
        AppError::NotFound("group") => ScimError::not_found("group"),
        AppError::BadUserInput {
            field: Some(field),
            message,
        } if field == "userIds" => AppError::BadUserInput {
            field: Some("members".into()),
            message,
        }
        .into(),
        other => other.into(),
    }
}

/// Creates a group from a whole resource, with its members, in one transaction: the group as
/// created.
async fn create_one(caller: &Caller, scim: &Scim, body: &Map<String, Value>) -> ScimResult<Value> {
    let permit = caller.permit(scim, actions::CreateGroup)?;
    let wanted = replacement(body)?;
    let members = if wanted.members.is_empty() {
        None
    } else {
        Some(caller.permit(scim, actions::ChangeGroupMembers)?)
    };
    let group = groups::create_with(
        &scim.directory,
        &permit,
        &wanted.name,
        None,
        wanted.external_id.as_deref(),
        members.as_ref().map(|m| (m, wanted.members.as_slice())),
    )
    .await
    .map_err(directory_refusal)?;
    one(scim, group).await
}

/// Carries out one write (a request's or a bulk operation's): the group after it, none after
/// a deletion.
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
        Write::Delete(id) => {
            let permit = caller.permit(scim, actions::DeleteGroup)?;
            if if_match.is_some() {
                let read = caller.permit(scim, actions::ReadDirectory)?;
                let current = groups::get(&scim.directory, &read, &id)
                    .await
                    .map_err(directory_refusal)?;
                check_if_match(if_match, &version_of(current.updated_at))?;
            }
            groups::delete(&scim.directory, &permit, &id)
                .await
                .map_err(directory_refusal)?;
            Ok(None)
        }
    }
}

/// `POST /Groups`.
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

/// `GET /Groups/{id}`; `304` when `If-None-Match` names its version.
pub async fn read(
    caller: Caller,
    State(scim): State<Scim>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> ScimResult<Response> {
    let id = resource_id(path, "group")?;
    let permit = caller.permit(&scim, actions::ReadDirectory)?;
    let group = groups::get(&scim.directory, &permit, &id)
        .await
        .map_err(directory_refusal)?;
    if let Some(unchanged) = not_modified(&headers, &version_of(group.updated_at)) {
        return Ok(unchanged);
    }
    let body = query::project(one(&scim, group).await?, &params)?;
    Ok(resource_response(StatusCode::OK, &body))
}

/// `GET /Groups`: a filtered, sorted page. Members are read only for the groups of the page,
/// and not at all when `excludedAttributes` leaves them out.
pub async fn list(
    caller: Caller,
    State(scim): State<Scim>,
    Query(params): Query<ListParams>,
) -> ScimResult<Response> {
    let permit = caller.permit(&scim, actions::ReadDirectory)?;
    let (page, total, start) =
        query::groups(&scim.store.conn, permit.instance_id(), &params).await?;
    let skip_members = params.excluded_attributes.as_deref().is_some_and(|e| {
        e.split(',')
            .any(|a| a.trim().eq_ignore_ascii_case("members"))
    });
    let mut resources = Vec::with_capacity(page.len());
    for group in &page {
        let members = if skip_members {
            Vec::new()
        } else {
            members_of(&scim, &group.id).await?
        };
        resources.push(query::project(resource(&scim, group, &members), &params)?);
    }
    Ok(list_response(total, start, resources))
}

/// Replaces the group with `change` applied to it as it is, in one transaction.
async fn replace_with(
    caller: &Caller,
    scim: &Scim,
    if_match: Option<&str>,
    id: &str,
    change: impl FnOnce(Value) -> ScimResult<Map<String, Value>>,
) -> ScimResult<Value> {
    let update = caller.permit(scim, actions::UpdateGroup)?;
    let members = caller.permit(scim, actions::ChangeGroupMembers)?;
    let mut refusal = None;
    let outcome = groups::replace(
        &scim.directory,
        &update,
        &members,
        id,
        |current, member_ids| {
            let as_is: Vec<(String, String)> = member_ids
                .iter()
                .map(|m| (m.clone(), String::new()))
                .collect();
            let result = check_if_match(if_match, &version_of(current.updated_at))
                .and_then(|()| change(resource(scim, current, &as_is)))
                .and_then(|wanted| replacement(&wanted));
            result.map_err(|err| {
                refusal = Some(err);
                AppError::bad_input("scim", "refused")
            })
        },
    )
    .await;
    if let Some(refusal) = refusal {
        return Err(refusal);
    }
    let group = outcome.map_err(directory_refusal)?;
    one(scim, group).await
}
