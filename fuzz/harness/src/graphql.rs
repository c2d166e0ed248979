//! `graphql_request`: a `POST /graphql` body as the endpoint reads it (JSON, no NUL, no
//! batch), then executed by the real schema with its limits — parsing, validation, depth,
//! complexity and alias limits, and the coercion of variables into IDs, enums, input objects
//! and `JSON` scalars. No database stands behind it: a resolver that gets that far answers
//! with an error. Template parameters (the `JSON` scalar of `addApplication` and
//! `configureApplicationSso`) go through every template's check.

use std::sync::LazyLock;

use lanyard::apps::templates::TEMPLATES;
use lanyard::graphql::{read_request, schema, LanyardSchema};
use serde_json::Value;

static SCHEMA: LazyLock<LanyardSchema> =
    LazyLock::new(|| schema(&lanyard::config::default_graphql(), false));

pub fn graphql_request(data: &[u8]) {
    let request = match read_request(data) {
        Ok(request) => request,
        Err(refusal) => {
            assert_eq!(refusal.status, axum::http::StatusCode::BAD_REQUEST);
            assert!(!refusal.message.is_empty());
            return;
        }
    };
    let variables = request.variables.clone().into_value().into_json().ok();
    let response = futures::executor::block_on(SCHEMA.execute(request));
    // What the endpoint sends back serialises, and says what went wrong.
    assert!(serde_json::to_vec(&response).is_ok());
    assert!(response.errors.iter().all(|e| !e.message.is_empty()));
    if let Some(variables) = variables {
        params_in(&variables, 0);
    }
}

/// Every `params` object among the variables, through each template's check. What a check
/// accepts, it accepts again unchanged.
fn params_in(value: &Value, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields {
                if key == "params" {
                    check_params(inner);
                }
                params_in(inner, depth + 1);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| params_in(item, depth + 1)),
        _ => {}
    }
}

fn check_params(params: &Value) {
    for template in TEMPLATES {
        for complete in [false, true] {
            if let Ok(checked) = template.check_params(params, complete) {
                let again = template.check_params(&Value::Object(checked.clone()), complete);
                assert_eq!(again.ok().as_ref(), Some(&checked), "{params}");
                // What the checked parameters make goes into metadata and responses as is.
                let derived = template.derive(&checked);
                if let Some(acs) = &derived.acs_url {
                    assert!(acs.starts_with("https://"), "{acs}");
                }
                for text in [&derived.sp_entity_id, &derived.acs_url]
                    .into_iter()
                    .flatten()
                {
                    assert!(
                        !text.contains(|c: char| c.is_whitespace() || "<>\"'&".contains(c)),
                        "{params} makes {text:?}"
                    );
                }
            }
        }
    }
}
