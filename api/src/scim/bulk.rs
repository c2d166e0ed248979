//! `/Bulk` (RFC 7644 §3.7): many writes in one request, carried out in order, each as the
//! request of its own would be (its own transaction, its own audit and events). A `POST`
//! names a `bulkId`; later operations refer to what it created as `bulkId:<id>` — in their
//! path or anywhere in their data (a group's member, say) — and an operation that refers to
//! a `bulkId` no earlier operation created fails alone. `failOnErrors` stops the request after
//! that many failures. At most [`MAX_OPERATIONS`] operations in at most [`MAX_BODY`] bytes, as
//! `ServiceProviderConfig` says.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::{json_body, scim_json, Caller, Endpoint, Scim, ScimError, ScimResult, Write};

/// The most operations one bulk request may carry.
pub const MAX_OPERATIONS: usize = 1000;
const REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

fn field<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// One operation as read: what to do, to what, and its `bulkId` and `version`.
struct Operation {
    method: String,
    path: String,
    bulk_id: Option<String>,
    version: Option<String>,
    data: Option<Value>,
}

fn operation(n: usize, item: &Value) -> ScimResult<Operation> {
    let Value::Object(item) = item else {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("operation {n} is not an object"),
        ));
    };
    let text = |key: &str| -> ScimResult<Option<String>> {
        match field(item, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(ScimError::bad(
                "invalidSyntax",
                format!("operation {n}: {key} must be a string, not {other}"),
            )),
        }
    };
    let method = text("method")?
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| matches!(m.as_str(), "POST" | "PUT" | "PATCH" | "DELETE"))
        .ok_or_else(|| {
            ScimError::bad(
                "invalidSyntax",
                format!("operation {n}: method is POST, PUT, PATCH or DELETE"),
            )
        })?;
    let path = text("path")?
        .ok_or_else(|| ScimError::bad("invalidSyntax", format!("operation {n} needs a path")))?;
    let bulk_id = text("bulkId")?;
    if method == "POST" && bulk_id.as_deref().is_none_or(str::is_empty) {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("operation {n}: a POST needs a bulkId"),
        ));
    }
    Ok(Operation {
        method,
        path,
        bulk_id,
        version: text("version")?,
        data: field(item, "data").cloned(),
    })
}

/// Replaces every `bulkId:<id>` string (whole, or in an object or list) with what `created`
/// says it became; the first one not created yet is the error.
fn resolve(value: &mut Value, created: &HashMap<String, String>) -> Result<(), String> {
    match value {
        Value::String(s) => {
            if let Some(reference) = s.strip_prefix("bulkId:") {
                match created.get(reference) {
                    Some(id) => *s = id.clone(),
                    None => return Err(reference.to_owned()),
                }
            }
            Ok(())
        }
        Value::Array(list) => list.iter_mut().try_for_each(|v| resolve(v, created)),
        Value::Object(map) => map.values_mut().try_for_each(|v| resolve(v, created)),
        _ => Ok(()),
    }
}

/// The endpoint and resource id of an operation's path (`/Users`, `/Groups/{id}`).
fn target(path: &str) -> Option<(Endpoint, Option<&str>)> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let (endpoint, id) = match path.split_once('/') {
        Some((endpoint, id)) => (endpoint, Some(id)),
        None => (path, None),
    };
    let endpoint = match endpoint {
        "Users" => Endpoint::Users,
        "Groups" => Endpoint::Groups,
        _ => return None,
    };
    Some((
        endpoint,
        id.filter(|id| !id.is_empty() && !id.contains('/')),
    ))
}

/// Carries out one operation: its response entry, and what it created.
async fn run(
    caller: &Caller,
    scim: &Scim,
    mut op: Operation,
    created: &HashMap<String, String>,
) -> ScimResult<(Value, Option<String>)> {
    // `/Users/bulkId:qwerty`: the resource segment of the path is a reference too.
    let mut path = op.path.clone();
    let mut reference = match path.rsplit_once('/') {
        Some((_, segment)) => Value::String(segment.to_owned()),
        None => Value::Null,
    };
    resolve(&mut reference, created)
        .and_then(|()| op.data.as_mut().map_or(Ok(()), |d| resolve(d, created)))
        .map_err(|missing| {
            ScimError::new(
                StatusCode::CONFLICT,
                Some("invalidValue"),
                format!("bulkId:{missing} names no resource an earlier operation created"),
            )
        })?;
    if let (Some((endpoint, _)), Some(resolved)) =
        (path.clone().rsplit_once('/'), reference.as_str())
    {
        path = format!("{endpoint}/{resolved}");
    }
    let (endpoint, id) = target(&path).ok_or_else(|| {
        ScimError::bad("invalidPath", format!("{path:?} is not /Users or /Groups"))
    })?;
    let data = || -> ScimResult<Map<String, Value>> {
        match op.data.clone() {
            Some(Value::Object(data)) => Ok(data),
            _ => Err(ScimError::bad(
                "invalidSyntax",
                "the operation's data is not an object",
            )),
        }
    };
    let write = match (op.method.as_str(), id) {
        ("POST", None) => Write::Create(data()?),
        ("PUT", Some(id)) => Write::Replace(id.to_owned(), data()?),
        ("PATCH", Some(id)) => Write::Patch(id.to_owned(), data()?),
        ("DELETE", Some(id)) => Write::Delete(id.to_owned()),
        _ => {
            return Err(ScimError::bad(
                "invalidPath",
                format!(
                    "{} {path}: a POST names an endpoint, the others a resource",
                    op.method
                ),
            ))
        }
    };
    if let Some(id) = id {
        if !crate::ids::plausible_id(id) {
            return Err(ScimError::not_found("resource"));
        }
    }
    let status = match &write {
        Write::Create(_) => "201",
        Write::Delete(_) => "204",
        _ => "200",
    };
    let version = op.version.take();
    let resource = endpoint
        .write(caller, scim, write, version.as_deref())
        .await?;
    let mut entry = json!({ "method": op.method, "status": status });
    if let Some(bulk_id) = &op.bulk_id {
        entry["bulkId"] = json!(bulk_id);
    }
    let mut new_id = None;
    match &resource {
        Some(resource) => {
            entry["location"] = resource["meta"]["location"].clone();
            entry["version"] = resource["meta"]["version"].clone();
            if op.method == "POST" {
                new_id = resource["id"].as_str().map(str::to_owned);
            }
        }
        None => {
            entry["location"] = json!(format!("{}{path}", scim.base_url(&caller.instance_id)));
        }
    }
    Ok((entry, new_id))
}

/// `POST /Bulk`.
pub async fn bulk(
    caller: Caller,
    State(scim): State<Scim>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ScimResult<Response> {
    let body = json_body(&headers, body)?;
    let declared = field(&body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s.as_str() == Some(REQUEST_SCHEMA)));
    if !declared {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("a bulk request declares the schema {REQUEST_SCHEMA}"),
        ));
    }
    let fail_on_errors =
        match field(&body, "failOnErrors") {
            None | Some(Value::Null) => None,
            Some(value) => Some(value.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                ScimError::bad("invalidValue", "failOnErrors is a positive integer")
            })?),
        };
    let Some(Value::Array(items)) = field(&body, "Operations") else {
        return Err(ScimError::bad(
            "invalidSyntax",
            "a bulk request has a list of Operations",
        ));
    };
    if items.len() > MAX_OPERATIONS {
        return Err(ScimError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("tooMany"),
            format!("a bulk request carries at most {MAX_OPERATIONS} operations"),
        ));
    }
    let operations = items
        .iter()
        .enumerate()
        .map(|(n, item)| operation(n, item))
        .collect::<ScimResult<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    for op in &operations {
        if let Some(id) = &op.bulk_id {
            if !seen.insert(id.clone()) {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("bulkId {id:?} is used twice"),
                ));
            }
        }
    }
    let mut created: HashMap<String, String> = HashMap::new();
    let mut results = Vec::with_capacity(operations.len());
    let mut errors = 0u64;
    for op in operations {
        let method = op.method.clone();
        let bulk_id = op.bulk_id.clone();
        match run(&caller, &scim, op, &created).await {
            Ok((entry, new_id)) => {
                if let (Some(bulk_id), Some(id)) = (bulk_id, new_id) {
                    created.insert(bulk_id, id);
                }
                results.push(entry);
            }
            Err(err) => {
                errors += 1;
                let status = err.status.as_u16().to_string();
                let mut entry = json!({ "method": method, "status": status });
                if let Some(bulk_id) = bulk_id {
                    entry["bulkId"] = json!(bulk_id);
                }
                let response = err.into_response();
                let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
                    .await
                    .unwrap_or_default();
                entry["response"] = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                results.push(entry);
                if fail_on_errors.is_some_and(|limit| errors >= limit) {
                    break;
                }
            }
        }
    }
    Ok(scim_json(
        StatusCode::OK,
        &json!({ "schemas": [RESPONSE_SCHEMA], "Operations": results }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_or_name_the_missing_one() {
        let created = HashMap::from([("qwerty".to_owned(), "u-1".to_owned())]);
        let mut data =
            json!({ "members": [{ "value": "bulkId:qwerty" }], "displayName": "bulkId" });
        resolve(&mut data, &created).unwrap();
        assert_eq!(data["members"][0]["value"], "u-1");
        assert_eq!(data["displayName"], "bulkId");
        let mut dangling = json!(["bulkId:ytrewq"]);
        assert_eq!(resolve(&mut dangling, &created).unwrap_err(), "ytrewq");
        assert!(target("/Users").is_some_and(|(_, id)| id.is_none()));
        assert!(target("/Groups/abc").is_some_and(|(_, id)| id == Some("abc")));
        assert!(target("/Admins").is_none());
        assert!(target("/Users/a/b").is_some_and(|(_, id)| id.is_none()));
    }
}
