//! PATCH (RFC 7644 §3.5.2): `add`, `remove` and `replace`, with and without a `path`, value
//! filters in paths (`members[value eq "…"]`, `emails[type eq "work"].value`), enterprise
//! extension paths, and the shapes real clients send — Microsoft Entra ID's capitalised
//! `"Replace"`, string booleans, a path-less `replace` whose value names sub-attributes
//! (`{"name.givenName": "Ann"}`), a `remove` of `members` that lists the values to remove.
//!
//! The operations are applied, in order, to the resource as it is (its JSON, read in the
//! transaction that writes it); the result is then stored as a whole, so an operation that
//! fails leaves nothing changed. `id`, `meta` and a user's `groups` cannot be changed
//! (`mutability`).

use serde_json::{Map, Value};

use super::filter::{self, AttrPath, CompareOp, Filter, PatchPath};
use super::{ScimError, ScimResult, ENTERPRISE_SCHEMA, GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA};

/// The most operations one request may carry.
pub const MAX_OPERATIONS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
    Replace,
}

#[derive(Debug)]
pub struct Operation {
    pub op: Op,
    pub path: Option<PatchPath>,
    pub value: Option<Value>,
}

#[derive(Debug)]
pub struct PatchRequest {
    pub operations: Vec<Operation>,
}

fn field<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

impl PatchRequest {
    /// Reads a PatchOp message.
    pub fn parse(body: &Map<String, Value>) -> ScimResult<PatchRequest> {
        let declared = field(body, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|s| s.as_str() == Some(PATCH_SCHEMA)));
        if !declared {
            return Err(ScimError::bad(
                "invalidSyntax",
                format!("a PATCH body declares the schema {PATCH_SCHEMA}"),
            ));
        }
        let Some(Value::Array(list)) = field(body, "Operations") else {
            return Err(ScimError::bad(
                "invalidSyntax",
                "a PATCH body has a list of Operations",
            ));
        };
        if list.is_empty() || list.len() > MAX_OPERATIONS {
            return Err(ScimError::bad(
                "tooMany",
                format!("a PATCH carries 1 to {MAX_OPERATIONS} operations"),
            ));
        }
        let mut operations = Vec::with_capacity(list.len());
        for (n, item) in list.iter().enumerate() {
            let Value::Object(item) = item else {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("operation {n} is not an object"),
                ));
            };
            let op = match field(item, "op").and_then(Value::as_str) {
                Some(o) if o.eq_ignore_ascii_case("add") => Op::Add,
                Some(o) if o.eq_ignore_ascii_case("remove") => Op::Remove,
                Some(o) if o.eq_ignore_ascii_case("replace") => Op::Replace,
                other => {
                    return Err(ScimError::bad(
                        "invalidSyntax",
                        format!("operation {n}: op is add, remove or replace, not {other:?}"),
                    ))
                }
            };
            let path = match field(item, "path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) if p.trim().is_empty() => None,
                Some(Value::String(p)) => Some(filter::parse_path(p.trim())?),
                Some(other) => {
                    return Err(ScimError::bad(
                        "invalidPath",
                        format!("operation {n}: path {other} is not a string"),
                    ))
                }
            };
            let value = field(item, "value").cloned();
            if op != Op::Remove && value.is_none() {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("operation {n} needs a value"),
                ));
            }
            if op == Op::Remove && path.is_none() {
                return Err(ScimError::bad(
                    "noTarget",
                    format!("operation {n}: remove needs a path"),
                ));
            }
            operations.push(Operation { op, path, value });
        }
        Ok(PatchRequest { operations })
    }
}

/// Applies the operations to `resource`: the resource to store.
pub fn apply(resource: Value, request: &PatchRequest) -> ScimResult<Map<String, Value>> {
    let Value::Object(mut body) = resource else {
        return Err(ScimError::bad(
            "invalidValue",
            "the resource is not an object",
        ));
    };
    let is_user = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s.as_str() == Some(USER_SCHEMA)));
    for operation in &request.operations {
        match &operation.path {
            Some(path) => at_path(
                &mut body,
                operation.op,
                path,
                operation.value.as_ref(),
                is_user,
            )?,
            None => without_path(&mut body, operation.op, operation.value.as_ref(), is_user)?,
        }
    }
    Ok(body)
}

/// The key of `name` in `body`, whatever its case; `name` itself when absent.
fn key(body: &Map<String, Value>, name: &str) -> String {
    body.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

fn guard(path: &AttrPath, is_user: bool) -> ScimResult<()> {
    let read_only = path.is("id", None)
        || path.name.eq_ignore_ascii_case("meta")
        || path.name.eq_ignore_ascii_case("schemas")
        || (is_user && path.name.eq_ignore_ascii_case("groups"));
    if read_only {
        return Err(ScimError::bad(
            "mutability",
            format!("{} cannot be changed", path.name),
        ));
    }
    Ok(())
}

/// The object an attribute path lives in: the resource, or an extension's object in it.
fn container<'a>(
    body: &'a mut Map<String, Value>,
    path: &AttrPath,
    create: bool,
) -> ScimResult<Option<&'a mut Map<String, Value>>> {
    match &path.schema {
        Some(schema)
            if !schema.eq_ignore_ascii_case(USER_SCHEMA)
                && !schema.eq_ignore_ascii_case(GROUP_SCHEMA) =>
        {
            let k = key(body, schema);
            if !body.contains_key(&k) {
                if !create {
                    return Ok(None);
                }
                body.insert(k.clone(), Value::Object(Map::new()));
            }
            match body.get_mut(&k) {
                Some(Value::Object(inner)) => Ok(Some(inner)),
                _ => Err(ScimError::bad(
                    "invalidPath",
                    format!("{schema} is not an object"),
                )),
            }
        }
        _ => Ok(Some(body)),
    }
}

/// Sets (replace) or adds to (add) `target[name]`: an add to a list appends the values it
/// does not hold yet; an add of an object merges it.
fn put(target: &mut Map<String, Value>, name: &str, op: Op, value: Value) {
    let k = key(target, name);
    match (op, target.get_mut(&k), value) {
        (Op::Add, Some(Value::Array(list)), Value::Array(new)) => {
            for item in new {
                if !list.iter().any(|v| same(v, &item)) {
                    list.push(item);
                }
            }
        }
        (Op::Add, Some(Value::Array(list)), item) => {
            if !list.iter().any(|v| same(v, &item)) {
                list.push(item);
            }
        }
        (_, Some(Value::Object(existing)), Value::Object(new)) => {
            for (sub, v) in new {
                let sk = key(existing, &sub);
                existing.insert(sk, v);
            }
        }
        (_, _, value) => {
            target.insert(k, value);
        }
    }
}

/// Two values of a multi-valued attribute are the same when their `value`s are (ignoring
/// case), or, without one, when they are equal.
fn same(a: &Value, b: &Value) -> bool {
    match (a.get("value"), b.get("value")) {
        (Some(Value::String(x)), Some(Value::String(y))) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

fn without_path(
    body: &mut Map<String, Value>,
    op: Op,
    value: Option<&Value>,
    is_user: bool,
) -> ScimResult<()> {
    let Some(Value::Object(values)) = value else {
        return Err(ScimError::bad(
            "invalidValue",
            "an operation without a path takes an object of attributes",
        ));
    };
    for (name, v) in values {
        // `{"name.givenName": "Ann"}` and `{"urn:…:User:department": "x"}`, as some clients
        // send, are paths.
        let path = match filter::parse_path(name) {
            Ok(path) => path,
            Err(_) => PatchPath::Attribute(AttrPath {
                schema: None,
                name: name.clone(),
                sub: None,
            }),
        };
        match &path {
            PatchPath::Attribute(p) if p.sub.is_none() && p.schema.is_none() => {
                guard(p, is_user)?;
                put(body, &p.name, op, v.clone());
            }
            _ => at_path(body, op, &path, Some(v), is_user)?,
        }
    }
    Ok(())
}

/// An operation on the enterprise extension as a whole (its URN is the path, or a key of a
/// path-less value): `remove` removes it, `add` and `replace` set the attributes given.
fn whole_extension(body: &mut Map<String, Value>, op: Op, value: Option<&Value>) -> ScimResult<()> {
    let k = key(body, ENTERPRISE_SCHEMA);
    match (op, value) {
        (Op::Remove, _) => {
            body.remove(&k);
        }
        (_, Some(Value::Object(attributes))) => {
            let mut attributes = attributes.clone();
            attributes.retain(|name, _| !name.eq_ignore_ascii_case("schemas"));
            put(body, &k, op, Value::Object(attributes));
        }
        _ => {
            return Err(ScimError::bad(
                "invalidValue",
                format!("{ENTERPRISE_SCHEMA} takes an object of its attributes"),
            ))
        }
    }
    Ok(())
}

fn at_path(
    body: &mut Map<String, Value>,
    op: Op,
    path: &PatchPath,
    value: Option<&Value>,
    is_user: bool,
) -> ScimResult<()> {
    match path {
        PatchPath::Attribute(attr) if is_user && attr.is_schema(ENTERPRISE_SCHEMA) => {
            whole_extension(body, op, value)
        }
        PatchPath::Attribute(attr) => {
            guard(attr, is_user)?;
            let Some(target) = container(body, attr, op != Op::Remove)? else {
                return Ok(());
            };
            match (&attr.sub, op) {
                (None, Op::Remove) => {
                    let k = key(target, &attr.name);
                    match (value, target.get_mut(&k)) {
                        // `remove members` with the values to remove (Entra).
                        (Some(Value::Array(gone)), Some(Value::Array(list))) => {
                            list.retain(|v| !gone.iter().any(|g| same(v, g)));
                        }
                        _ => {
                            target.remove(&k);
                        }
                    }
                }
                (None, _) => put(
                    target,
                    &attr.name,
                    op,
                    value.cloned().unwrap_or(Value::Null),
                ),
                (Some(sub), _) => {
                    let k = key(target, &attr.name);
                    if op == Op::Remove {
                        if let Some(Value::Object(inner)) = target.get_mut(&k) {
                            let sk = key(inner, sub);
                            inner.remove(&sk);
                        }
                        return Ok(());
                    }
                    let entry = target
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    match entry {
                        Value::Object(inner) => {
                            put(inner, sub, op, value.cloned().unwrap_or(Value::Null))
                        }
                        Value::Array(list) => {
                            // `emails.value` on a list: the primary (else first) value.
                            let at = list
                                .iter()
                                .position(|v| v.get("primary").is_some_and(truthy))
                                .unwrap_or(0);
                            match list.get_mut(at) {
                                Some(Value::Object(inner)) => {
                                    put(inner, sub, op, value.cloned().unwrap_or(Value::Null))
                                }
                                _ => list.push(serde_json::json!({ sub.clone(): value.cloned() })),
                            }
                        }
                        _ => {
                            return Err(ScimError::bad(
                                "invalidPath",
                                format!("{} has no sub-attributes", attr.name),
                            ))
                        }
                    }
                }
            }
            Ok(())
        }
        PatchPath::Filtered {
            path: attr,
            filter,
            sub,
        } => {
            guard(attr, is_user)?;
            let Some(target) = container(body, attr, op != Op::Remove)? else {
                return Ok(());
            };
            let k = key(target, &attr.name);
            let list = target.entry(k).or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(list) = list else {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("{} is not multi-valued", attr.name),
                ));
            };
            let mut matched = 0;
            if op == Op::Remove {
                list.retain(|item| {
                    let hit = matches(filter, item);
                    if hit {
                        matched += 1;
                    }
                    !hit || sub.is_some()
                });
                if let Some(sub) = sub {
                    for item in list.iter_mut().filter(|item| matches(filter, item)) {
                        if let Value::Object(inner) = item {
                            let sk = key(inner, sub);
                            inner.remove(&sk);
                        }
                    }
                }
                return Ok(());
            }
            let value = value.cloned().unwrap_or(Value::Null);
            for item in list.iter_mut().filter(|item| matches(filter, item)) {
                matched += 1;
                match (sub, item) {
                    (Some(sub), Value::Object(inner)) => {
                        put(inner, sub, Op::Replace, value.clone())
                    }
                    (None, Value::Object(inner)) => {
                        if let Value::Object(new) = &value {
                            for (sk, v) in new {
                                let sk2 = key(inner, sk);
                                inner.insert(sk2, v.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
            if matched == 0 {
                // No value matches: a filter naming one `type` (or `value`) makes one, as
                // Entra ID expects of `emails[type eq "work"].value`; anything else has no
                // target.
                let Some((name, wanted)) = simple_equality(filter) else {
                    return Err(ScimError::bad(
                        "noTarget",
                        format!("no value of {} matches the path's filter", attr.name),
                    ));
                };
                let mut item = Map::new();
                item.insert(name, wanted);
                match (sub, value) {
                    (Some(sub), value) => {
                        item.insert(sub.clone(), value);
                    }
                    (None, Value::Object(new)) => item.extend(new),
                    (None, _) => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "the value of a filtered path without a sub-attribute is an object",
                        ))
                    }
                }
                list.push(Value::Object(item));
            }
            Ok(())
        }
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// `type eq "work"`: the one sub-attribute and value a filter asks for, when that is all.
fn simple_equality(filter: &Filter) -> Option<(String, Value)> {
    match filter {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } if path.sub.is_none() => Some((path.name.clone(), literal(value))),
        _ => None,
    }
}

fn literal(value: &filter::Value) -> Value {
    match value {
        filter::Value::String(s) => Value::String(s.clone()),
        filter::Value::Number(n) => serde_json::from_str(n.as_str()).unwrap_or(Value::Null),
        filter::Value::Bool(b) => Value::Bool(*b),
        filter::Value::Null => Value::Null,
    }
}

/// Whether one value of a multi-valued attribute matches a value filter.
pub fn matches(filter: &Filter, item: &Value) -> bool {
    let get = |path: &AttrPath| -> Option<&Value> {
        let object = item.as_object()?;
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&path.name))
            .map(|(_, v)| v)
    };
    match filter {
        Filter::And(a, b) => matches(a, item) && matches(b, item),
        Filter::Or(a, b) => matches(a, item) || matches(b, item),
        Filter::Not(inner) => !matches(inner, item),
        Filter::Present(path) => get(path).is_some_and(|v| !v.is_null() && v.as_str() != Some("")),
        Filter::ValuePath { .. } => false,
        Filter::Compare { path, op, value } => {
            let Some(actual) = get(path) else {
                return *op == CompareOp::Ne;
            };
            compare(actual, *op, value)
        }
    }
}

fn compare(actual: &Value, op: CompareOp, wanted: &filter::Value) -> bool {
    match (actual, wanted) {
        (Value::String(a), filter::Value::String(w)) => {
            let (a, w) = (a.to_lowercase(), w.to_lowercase());
            match op {
                CompareOp::Eq => a == w,
                CompareOp::Ne => a != w,
                CompareOp::Co => a.contains(&w),
                CompareOp::Sw => a.starts_with(&w),
                CompareOp::Ew => a.ends_with(&w),
                CompareOp::Gt => a > w,
                CompareOp::Ge => a >= w,
                CompareOp::Lt => a < w,
                CompareOp::Le => a <= w,
            }
        }
        (Value::Bool(_) | Value::String(_), filter::Value::Bool(_))
        | (Value::Bool(_), filter::Value::String(_)) => {
            let a = truthy(actual);
            let w = match wanted {
                filter::Value::Bool(b) => *b,
                filter::Value::String(s) => s.eq_ignore_ascii_case("true"),
                _ => return false,
            };
            match op {
                CompareOp::Eq => a == w,
                CompareOp::Ne => a != w,
                _ => false,
            }
        }
        (Value::Number(a), filter::Value::Number(w)) => match (a.as_f64(), w.as_f64()) {
            (Some(a), Some(w)) => match op {
                CompareOp::Eq => a == w,
                CompareOp::Ne => a != w,
                CompareOp::Gt => a > w,
                CompareOp::Ge => a >= w,
                CompareOp::Lt => a < w,
                CompareOp::Le => a <= w,
                _ => false,
            },
            _ => false,
        },
        (Value::Null, filter::Value::Null) => op == CompareOp::Eq,
        _ => op == CompareOp::Ne,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(resource: Value, ops: Value) -> ScimResult<Value> {
        let body = json!({ "schemas": [PATCH_SCHEMA], "Operations": ops });
        let request = PatchRequest::parse(body.as_object().unwrap())?;
        apply(resource, &request).map(Value::Object)
    }

    fn alice() -> Value {
        json!({
            "schemas": [USER_SCHEMA], "id": "1", "userName": "alice", "active": true,
            "emails": [{ "value": "a@x.example", "type": "work", "primary": true }],
            "name": { "givenName": "Alice" },
        })
    }

    #[test]
    fn okta_and_entra_shapes_apply() {
        // Okta deactivates with a path-less replace; Entra capitalises and sends strings.
        let r = patch(
            alice(),
            json!([{ "op": "replace", "value": { "active": false } }]),
        )
        .unwrap();
        assert_eq!(r["active"], false);
        let r = patch(
            alice(),
            json!([{ "op": "Replace", "path": "active", "value": "False" }]),
        )
        .unwrap();
        assert_eq!(r["active"], "False");
        let r = patch(
            alice(),
            json!([{ "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "new@x.example" }]),
        )
        .unwrap();
        assert_eq!(r["emails"][0]["value"], "new@x.example");
        let r = patch(
            alice(),
            json!([{ "op": "Add", "path": "emails[type eq \"home\"].value", "value": "h@x.example" }]),
        )
        .unwrap();
        assert_eq!(
            r["emails"][1],
            json!({ "type": "home", "value": "h@x.example" })
        );
        let r = patch(
            alice(),
            json!([{ "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales" }]),
        )
        .unwrap();
        assert_eq!(
            r["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
            "Sales"
        );
        let r = patch(alice(), json!([{ "op": "replace", "value": { "name.familyName": "Lee", "displayName": "A L" } }])).unwrap();
        assert_eq!(
            r["name"],
            json!({ "givenName": "Alice", "familyName": "Lee" })
        );
        assert_eq!(r["displayName"], "A L");
    }

    #[test]
    fn the_extension_urn_as_a_path_is_the_extension_as_a_whole() {
        const EXTENSION: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let mut with = alice();
        with[EXTENSION] = json!({ "employeeNumber": "1", "department": "Sales" });
        let r = patch(
            with.clone(),
            json!([{ "op": "add", "path": EXTENSION, "value": { "schemas": [EXTENSION], "costCenter": "CC" } }]),
        )
        .unwrap();
        assert_eq!(
            r[EXTENSION],
            json!({ "employeeNumber": "1", "department": "Sales", "costCenter": "CC" })
        );
        assert!(r
            .get("urn:ietf:params:scim:schemas:extension:enterprise:2.0")
            .is_none());
        let r = patch(
            alice(),
            json!([{ "op": "replace", "value": { EXTENSION: { "department": "Ops" } } }]),
        )
        .unwrap();
        assert_eq!(r[EXTENSION], json!({ "department": "Ops" }));
        let r = patch(
            with.clone(),
            json!([{ "op": "remove", "path": EXTENSION.to_uppercase() }]),
        )
        .unwrap();
        assert!(r.get(EXTENSION).is_none(), "{r}");
        let err = patch(
            with,
            json!([{ "op": "add", "path": EXTENSION, "value": "x" }]),
        );
        assert_eq!(err.unwrap_err().scim_type, Some("invalidValue"));
    }

    #[test]
    fn members_are_added_and_removed_by_value() {
        let group = json!({ "schemas": [GROUP_SCHEMA], "id": "g", "displayName": "Eng", "members": [{ "value": "u1" }, { "value": "u2" }] });
        let r = patch(group.clone(), json!([{ "op": "add", "path": "members", "value": [{ "value": "u3" }, { "value": "u1" }] }])).unwrap();
        assert_eq!(r["members"].as_array().unwrap().len(), 3);
        let r = patch(
            group.clone(),
            json!([{ "op": "remove", "path": "members[value eq \"u1\"]" }]),
        )
        .unwrap();
        assert_eq!(r["members"], json!([{ "value": "u2" }]));
        let r = patch(
            group.clone(),
            json!([{ "op": "Remove", "path": "members", "value": [{ "value": "u2" }] }]),
        )
        .unwrap();
        assert_eq!(r["members"], json!([{ "value": "u1" }]));
        let r = patch(group, json!([{ "op": "remove", "path": "members" }])).unwrap();
        assert!(r.get("members").is_none());
    }

    #[test]
    fn what_cannot_change_or_does_not_parse_is_refused() {
        for (ops, scim_type) in [
            (
                json!([{ "op": "replace", "path": "id", "value": "2" }]),
                "mutability",
            ),
            (
                json!([{ "op": "add", "path": "groups", "value": [{ "value": "g" }] }]),
                "mutability",
            ),
            (
                json!([{ "op": "replace", "value": { "meta": {} } }]),
                "mutability",
            ),
            (json!([{ "op": "remove" }]), "noTarget"),
            (
                json!([{ "op": "replace", "path": "emails[type eq \"work\" and primary eq true].value", "value": "x" }]),
                "noTarget",
            ),
            (
                json!([{ "op": "move", "path": "userName", "value": "x" }]),
                "invalidSyntax",
            ),
            (json!([{ "op": "add", "path": "userName" }]), "invalidValue"),
            (
                json!([{ "op": "add", "path": "emails[type eq", "value": "x" }]),
                "invalidFilter",
            ),
            (
                json!([{ "op": "add", "path": "a b", "value": "x" }]),
                "invalidPath",
            ),
            (json!([]), "tooMany"),
            (json!("x"), "invalidSyntax"),
        ] {
            let mut resource = alice();
            if scim_type == "noTarget" && ops[0].get("path").is_some() {
                resource["emails"] = json!([{ "value": "a@x.example", "type": "home" }]);
            }
            let err = patch(resource, ops.clone()).unwrap_err();
            assert_eq!(err.scim_type, Some(scim_type), "{ops}: {}", err.detail);
        }
        let too_many: Vec<Value> = (0..=MAX_OPERATIONS)
            .map(|_| json!({ "op": "replace", "path": "userName", "value": "x" }))
            .collect();
        assert_eq!(
            patch(alice(), Value::Array(too_many))
                .unwrap_err()
                .scim_type,
            Some("tooMany")
        );
    }
}
