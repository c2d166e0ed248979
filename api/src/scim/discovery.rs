//! The discovery endpoints (RFC 7644 §4): what this service provider supports, said
//! truthfully — PATCH, bulk requests, filters (at most [`MAX_PAGE`] results a page), sorting,
//! ETags and password changes; no `POST …/.search` and no query of every resource type at the
//! root (each answers 501), and no `/Me` (there is no user behind a provisioning token: it
//! answers 501 too).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::{
    scim_json, Caller, Scim, ScimError, ScimResult, ENTERPRISE_SCHEMA, GROUP_SCHEMA, MAX_BODY,
    MAX_PAGE, USER_SCHEMA,
};

const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// One attribute of a schema: its name and type, whether it is many, how it may change, whether
/// it is unique and compared by case, for a reference what it may point at, and the values it
/// takes when they are few.
struct Attr {
    name: &'static str,
    kind: &'static str,
    multi: bool,
    mutability: &'static str,
    unique: bool,
    case_exact: bool,
    required: bool,
    references: &'static [&'static str],
    canonical: &'static [&'static str],
    sub: &'static [Attr],
}

const fn attr(name: &'static str, kind: &'static str) -> Attr {
    Attr {
        name,
        kind,
        multi: false,
        mutability: "readWrite",
        unique: false,
        case_exact: false,
        required: false,
        references: &[],
        canonical: &[],
        sub: &[],
    }
}

/// A `$ref` to one of `references`, changed only by the server (`mutability`).
const fn reference(references: &'static [&'static str], mutability: &'static str) -> Attr {
    Attr {
        references,
        mutability,
        case_exact: true,
        ..attr("$ref", "reference")
    }
}

/// The sub-attributes of a multi-valued attribute (RFC 7643 §2.4), its value of `kind`.
const fn multi_value(kind: &'static str) -> [Attr; 4] {
    [
        attr("value", kind),
        attr("display", "string"),
        attr("type", "string"),
        attr("primary", "boolean"),
    ]
}

/// A multi-valued complex attribute of the usual sub-attributes.
const fn many(name: &'static str, sub: &'static [Attr]) -> Attr {
    Attr {
        multi: true,
        sub,
        ..attr(name, "complex")
    }
}

const STRING_VALUES: [Attr; 4] = multi_value("string");
const PHOTO_VALUES: [Attr; 4] = [
    Attr {
        references: &["external"],
        ..attr("value", "reference")
    },
    attr("display", "string"),
    attr("type", "string"),
    attr("primary", "boolean"),
];
const CERTIFICATE_VALUES: [Attr; 4] = multi_value("binary");

/// Every attribute of RFC 7643 §4.1's User: those Lanyard maps to columns, and the rest, which it
/// keeps as sent and returns — so a client that reads the schema strictly accepts each of them.
const USER_ATTRS: &[Attr] = &[
    Attr {
        unique: true,
        required: true,
        ..attr("userName", "string")
    },
    Attr {
        sub: &[
            attr("formatted", "string"),
            attr("familyName", "string"),
            attr("givenName", "string"),
            attr("middleName", "string"),
            attr("honorificPrefix", "string"),
            attr("honorificSuffix", "string"),
        ],
        ..attr("name", "complex")
    },
    attr("displayName", "string"),
    attr("nickName", "string"),
    Attr {
        references: &["external"],
        ..attr("profileUrl", "reference")
    },
    attr("title", "string"),
    attr("userType", "string"),
    attr("preferredLanguage", "string"),
    attr("locale", "string"),
    attr("timezone", "string"),
    attr("active", "boolean"),
    Attr {
        mutability: "writeOnly",
        ..attr("password", "string")
    },
    many("emails", &STRING_VALUES),
    many("phoneNumbers", &STRING_VALUES),
    many("ims", &STRING_VALUES),
    many("photos", &PHOTO_VALUES),
    many(
        "addresses",
        &[
            attr("formatted", "string"),
            attr("streetAddress", "string"),
            attr("locality", "string"),
            attr("region", "string"),
            attr("postalCode", "string"),
            attr("country", "string"),
            attr("type", "string"),
            attr("primary", "boolean"),
        ],
    ),
    // Membership is changed on the group (RFC 7643 §4.1.2).
    Attr {
        multi: true,
        mutability: "readOnly",
        sub: &[
            Attr {
                mutability: "readOnly",
                case_exact: true,
                ..attr("value", "string")
            },
            reference(&["Group"], "readOnly"),
            Attr {
                mutability: "readOnly",
                ..attr("display", "string")
            },
            Attr {
                mutability: "readOnly",
                ..attr("type", "string")
            },
        ],
        ..attr("groups", "complex")
    },
    many("entitlements", &STRING_VALUES),
    many("roles", &STRING_VALUES),
    many("x509Certificates", &CERTIFICATE_VALUES),
];

const ENTERPRISE_ATTRS: &[Attr] = &[
    attr("employeeNumber", "string"),
    attr("costCenter", "string"),
    attr("organization", "string"),
    attr("division", "string"),
    attr("department", "string"),
    Attr {
        sub: &[
            attr("value", "string"),
            reference(&["User"], "readWrite"),
            attr("displayName", "string"),
        ],
        ..attr("manager", "complex")
    },
];

const GROUP_ATTRS: &[Attr] = &[
    Attr {
        unique: true,
        required: true,
        ..attr("displayName", "string")
    },
    // Only users are members; `value` is a user's id, `$ref` and `type` follow from it (set
    // once, immutable, as RFC 7643 §8.7.1 has them) and `display` is the server's.
    Attr {
        multi: true,
        sub: &[
            Attr {
                case_exact: true,
                mutability: "immutable",
                ..attr("value", "string")
            },
            reference(&["User"], "immutable"),
            Attr {
                mutability: "readOnly",
                ..attr("display", "string")
            },
            Attr {
                mutability: "immutable",
                canonical: &["User"],
                ..attr("type", "string")
            },
        ],
        ..attr("members", "complex")
    },
];

fn attr_json(a: &Attr) -> Value {
    let mut value = json!({
        "name": a.name,
        "type": a.kind,
        "multiValued": a.multi,
        "required": a.required,
        "caseExact": a.case_exact,
        "mutability": a.mutability,
        "returned": if a.mutability == "writeOnly" { "never" } else { "default" },
        "uniqueness": if a.unique { "server" } else { "none" },
    });
    if !a.references.is_empty() {
        value["referenceTypes"] = json!(a.references);
    }
    if !a.canonical.is_empty() {
        value["canonicalValues"] = json!(a.canonical);
    }
    if !a.sub.is_empty() {
        value["subAttributes"] = a.sub.iter().map(attr_json).collect();
    }
    value
}

fn schema_json(scim: &Scim, instance: &str, id: &str, name: &str, attrs: &[Attr]) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": id,
        "name": name,
        "attributes": attrs.iter().map(attr_json).collect::<Vec<_>>(),
        "meta": {
            "resourceType": "Schema",
            "location": format!("{}/Schemas/{id}", scim.base_url(instance)),
        },
    })
}

fn all_schemas(scim: &Scim, instance: &str) -> Vec<Value> {
    vec![
        schema_json(scim, instance, USER_SCHEMA, "User", USER_ATTRS),
        schema_json(
            scim,
            instance,
            ENTERPRISE_SCHEMA,
            "EnterpriseUser",
            ENTERPRISE_ATTRS,
        ),
        schema_json(scim, instance, GROUP_SCHEMA, "Group", GROUP_ATTRS),
    ]
}

fn all_resource_types(scim: &Scim, instance: &str) -> Vec<Value> {
    let base = scim.base_url(instance);
    vec![
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{ "schema": ENTERPRISE_SCHEMA, "required": false }],
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
        }),
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "schema": GROUP_SCHEMA,
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group") },
        }),
    ]
}

/// `GET …/ServiceProviderConfig`.
pub async fn service_provider_config(
    caller: Caller,
    axum::extract::State(scim): axum::extract::State<Scim>,
) -> Response {
    let body = json!({
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://github.com/lanyard-idaas/lanyard#provisioning-scim-20",
        "patch": { "supported": true },
        "bulk": {
            "supported": true,
            "maxOperations": super::bulk::MAX_OPERATIONS,
            "maxPayloadSize": MAX_BODY,
        },
        "filter": { "supported": true, "maxResults": MAX_PAGE },
        "changePassword": { "supported": true },
        "sort": { "supported": true },
        "etag": { "supported": true },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Provisioning token",
            "description": "A provisioning token of this instance, created by its admins: Authorization: Bearer lanyard_scim_…",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", scim.base_url(&caller.instance_id)),
        },
    });
    scim_json(StatusCode::OK, &body)
}

/// `GET …/ResourceTypes`.
pub async fn resource_types(
    caller: Caller,
    axum::extract::State(scim): axum::extract::State<Scim>,
) -> Response {
    super::list_response(2, 1, all_resource_types(&scim, &caller.instance_id))
}

/// `GET …/ResourceTypes/{name}`.
pub async fn resource_type(
    caller: Caller,
    axum::extract::State(scim): axum::extract::State<Scim>,
    Path((_, name)): Path<(String, String)>,
) -> ScimResult<Response> {
    all_resource_types(&scim, &caller.instance_id)
        .into_iter()
        .find(|t| t["id"] == name.as_str())
        .map(|t| scim_json(StatusCode::OK, &t))
        .ok_or_else(|| ScimError::not_found("resource type"))
}

/// `GET …/Schemas`.
pub async fn schemas(
    caller: Caller,
    axum::extract::State(scim): axum::extract::State<Scim>,
) -> Response {
    super::list_response(3, 1, all_schemas(&scim, &caller.instance_id))
}

/// `GET …/Schemas/{urn}`.
pub async fn schema(
    caller: Caller,
    axum::extract::State(scim): axum::extract::State<Scim>,
    Path((_, urn)): Path<(String, String)>,
) -> ScimResult<Response> {
    all_schemas(&scim, &caller.instance_id)
        .into_iter()
        .find(|s| s["id"] == urn.as_str())
        .map(|s| scim_json(StatusCode::OK, &s))
        .ok_or_else(|| ScimError::not_found("schema"))
}

/// `…/Me`: there is no user behind a provisioning token.
pub async fn me(_caller: Caller) -> ScimError {
    ScimError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        "/Me is not supported: a provisioning token is not a user",
    )
}

/// `POST …/.search` and the root: what this service provider does not serve.
pub async fn unsupported(_caller: Caller, uri: axum::http::Uri) -> ScimError {
    let path = uri.path();
    let what = if path.ends_with("/.search") {
        "POST searches are not supported: GET /Users or /Groups with a filter parameter"
    } else {
        "a query of every resource type is not supported: GET /Users or /Groups"
    };
    ScimError::new(StatusCode::NOT_IMPLEMENTED, None, what)
}

/// Any other path under an instance's endpoint.
pub async fn no_such_endpoint(_caller: Caller) -> ScimError {
    ScimError::new(
        StatusCode::NOT_FOUND,
        None,
        "no such endpoint: /Users, /Groups, /Schemas, /ResourceTypes and /ServiceProviderConfig are",
    )
}
