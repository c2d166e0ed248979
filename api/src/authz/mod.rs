//! Cedar, the one engine that decides. This module owns the schema and the base policies in
//! `policies/`, validates them at boot (the server refuses to start on an invalid one) and
//! answers requests. `admin` turns admin-API requests into Cedar requests and hands out the
//! proof of a permitted check that domain services require.

pub mod admin;

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Decision, Entities, EntityId, EntityTypeName, EntityUid, PolicyId, PolicySet,
    Request, Schema, ValidationMode, Validator,
};

const EMBEDDED_SCHEMA: &str = include_str!("../../../policies/schema.cedarschema");
const EMBEDDED_POLICIES: &[(&str, &str)] =
    &[("admin.cedar", include_str!("../../../policies/admin.cedar"))];

pub const NAMESPACE: &str = "Lanyard";

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the Cedar schema is invalid: {0}")]
    Schema(String),
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: every policy needs a unique @id annotation ({message})")]
    MissingId { file: String, message: String },
    #[error("policies do not validate against the schema: {0}")]
    Invalid(String),
    #[error("building the request: {0}")]
    Request(String),
}

/// The outcome of one decision, with the ids of the policies that determined it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub determining: Vec<String>,
    pub errors: Vec<String>,
}

/// The schema and validated base policies. Cheap to share behind an `Arc`.
pub struct PolicyEngine {
    schema: Schema,
    base: PolicySet,
    authorizer: Authorizer,
}

impl std::fmt::Debug for PolicyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyEngine")
            .field("base_policies", &self.base.policies().count())
            .finish()
    }
}

impl PolicyEngine {
    /// The schema and policies compiled into the binary, from the repository's `policies/`.
    pub fn embedded() -> Result<PolicyEngine, PolicyError> {
        let files = EMBEDDED_POLICIES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        PolicyEngine::from_sources(EMBEDDED_SCHEMA, files)
    }

    /// `schema.cedarschema` and every `*.cedar` file of a directory.
    pub fn from_dir(dir: &Path) -> Result<PolicyEngine, PolicyError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let schema = read(&dir.join("schema.cedarschema"))?;
        let entries = std::fs::read_dir(dir).map_err(|source| PolicyError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|source| PolicyError::Io {
                    path: dir.display().to_string(),
                    source,
                })?
                .path();
            if path.extension().is_some_and(|ext| ext == "cedar") {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                files.push((name.into_owned(), read(&path)?));
            }
        }
        files.sort();
        PolicyEngine::from_sources(&schema, files)
    }

    fn from_sources(
        schema_src: &str,
        files: Vec<(String, String)>,
    ) -> Result<PolicyEngine, PolicyError> {
        let (schema, _warnings) = Schema::from_cedarschema_str(schema_src)
            .map_err(|err| PolicyError::Schema(format!("{err:?}")))?;
        let mut base = PolicySet::new();
        for (file, text) in files {
            for policy in parse_with_ids(&file, &text)?.policies() {
                base.add(policy.clone())
                    .map_err(|err| PolicyError::MissingId {
                        file: file.clone(),
                        message: err.to_string(),
                    })?;
            }
        }
        validate(&schema, &base)?;
        Ok(PolicyEngine {
            schema,
            base,
            authorizer: Authorizer::new(),
        })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The ids of the base policies.
    pub fn base_policy_ids(&self) -> Vec<String> {
        self.base.policies().map(|p| p.id().to_string()).collect()
    }

    /// Decides a request against the base policies. Deny when nothing permits.
    pub fn decide(&self, request: &Request, entities: &Entities) -> Verdict {
        let response = self.authorizer.is_authorized(request, &self.base, entities);
        Verdict {
            allowed: response.decision() == Decision::Allow,
            determining: response
                .diagnostics()
                .reason()
                .map(ToString::to_string)
                .collect(),
            errors: response
                .diagnostics()
                .errors()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// Parses a file's policies and gives each the id of its `@id` annotation.
fn parse_with_ids(file: &str, text: &str) -> Result<PolicySet, PolicyError> {
    let parsed = PolicySet::from_str(text).map_err(|err| PolicyError::Parse {
        file: file.to_owned(),
        message: format!("{err:?}"),
    })?;
    let mut named = PolicySet::new();
    let mut seen = HashSet::new();
    for policy in parsed.policies() {
        let id = policy
            .annotation("id")
            .ok_or_else(|| PolicyError::MissingId {
                file: file.to_owned(),
                message: format!("policy without @id: {}", first_line(&policy.to_string())),
            })?;
        if !seen.insert(id.to_owned()) {
            return Err(PolicyError::MissingId {
                file: file.to_owned(),
                message: format!("duplicate @id {id:?}"),
            });
        }
        named
            .add(policy.new_id(PolicyId::new(id)))
            .map_err(|err| PolicyError::MissingId {
                file: file.to_owned(),
                message: err.to_string(),
            })?;
    }
    Ok(named)
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text)
}

fn validate(schema: &Schema, policies: &PolicySet) -> Result<(), PolicyError> {
    let result = Validator::new(schema.clone()).validate(policies, ValidationMode::Strict);
    if result.validation_passed() {
        return Ok(());
    }
    let messages: Vec<String> = result
        .validation_errors()
        .map(|err| format!("{err}"))
        .collect();
    Err(PolicyError::Invalid(messages.join("; ")))
}

/// `Lanyard::<kind>::"<id>"`.
pub fn uid(kind: &str, id: &str) -> EntityUid {
    let type_name = EntityTypeName::from_str(&format!("{NAMESPACE}::{kind}"))
        .unwrap_or_else(|_| unreachable!("entity type names here are literals"));
    EntityUid::from_type_name_and_id(type_name, EntityId::new(id))
}

pub fn action_uid(action: &str) -> EntityUid {
    uid("Action", action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_policies_validate() {
        let engine = PolicyEngine::embedded().expect("embedded policies are valid");
        let ids = engine.base_policy_ids();
        assert!(ids.contains(&"admin.super-admin".to_string()), "{ids:?}");
    }

    #[test]
    fn a_policy_that_breaks_the_schema_is_refused() {
        let bad = "@id(\"x\") permit(principal, action, resource) when { principal.nope };";
        let err = PolicyEngine::from_sources(EMBEDDED_SCHEMA, vec![("x.cedar".into(), bad.into())])
            .unwrap_err();
        assert!(matches!(err, PolicyError::Invalid(_)), "{err}");
    }

    #[test]
    fn policies_need_ids_and_syntax() {
        let unnamed = "permit(principal, action, resource);";
        let err =
            PolicyEngine::from_sources(EMBEDDED_SCHEMA, vec![("u.cedar".into(), unnamed.into())])
                .unwrap_err();
        assert!(err.to_string().contains("@id"), "{err}");
        let garbage = "permit(principal, action";
        let err =
            PolicyEngine::from_sources(EMBEDDED_SCHEMA, vec![("g.cedar".into(), garbage.into())])
                .unwrap_err();
        assert!(matches!(err, PolicyError::Parse { .. }), "{err}");
        let twice = "@id(\"a\") permit(principal, action, resource);\n@id(\"a\") forbid(principal, action, resource);";
        let err =
            PolicyEngine::from_sources(EMBEDDED_SCHEMA, vec![("t.cedar".into(), twice.into())])
                .unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
    }

    #[test]
    fn a_directory_with_an_invalid_policy_file_does_not_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("schema.cedarschema"), EMBEDDED_SCHEMA).unwrap();
        std::fs::write(dir.path().join("a.cedar"), EMBEDDED_POLICIES[0].1).unwrap();
        assert!(PolicyEngine::from_dir(dir.path()).is_ok());
        std::fs::write(dir.path().join("b.cedar"), "@id(\"b\") permit(principal,").unwrap();
        assert!(PolicyEngine::from_dir(dir.path()).is_err());
    }
}
