//! Cedar, the one engine that decides. This module owns the schema and the base policies in
//! `policies/`, validates them at boot (the server refuses to start on an invalid one) and
//! answers requests. The base policies fall in two sets by their action: those scoped to
//! `Action::"sso"` (with the grant template) decide employees' access and are used by
//! `crate::access`; all others decide the admin API. `admin` turns admin-API requests into Cedar
//! requests and hands out the proof of a permitted check that domain services require.

pub mod admin;
pub mod principal;

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::sync::LazyLock;

use cedar_policy::{
    Authorizer, Decision, Entities, EntityId, EntityTypeName, EntityUid, Policy, PolicyId,
    PolicySet, Request, Schema, ValidationMode, Validator,
};

const EMBEDDED_SCHEMA: &str = include_str!("../../../policies/schema.cedarschema");
const EMBEDDED_POLICIES: &[(&str, &str)] = &[
    (
        "access.cedar",
        include_str!("../../../policies/access.cedar"),
    ),
    ("admin.cedar", include_str!("../../../policies/admin.cedar")),
];

/// The one action of access policies.
pub const SSO_ACTION: &str = "sso";
/// The template every grant of an authorization scope links.
pub const GRANT_TEMPLATE: &str = "access.grant";

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

impl Verdict {
    /// The verdict of two policy sets evaluated as one, by Cedar's rule: any satisfied forbid
    /// denies (and determines); otherwise any satisfied permit allows (and determines). A set's
    /// determining policies are its satisfied forbids when it denies, its permits when it allows.
    pub fn union(self, other: Verdict) -> Verdict {
        let mut errors = self.errors;
        errors.extend(other.errors);
        let (allowing, denying): (Vec<_>, Vec<_>) = [
            (self.allowed, self.determining),
            (other.allowed, other.determining),
        ]
        .into_iter()
        .partition(|(allowed, _)| *allowed);
        let forbids: Vec<String> = denying.into_iter().flat_map(|(_, ids)| ids).collect();
        if !forbids.is_empty() {
            return Verdict {
                allowed: false,
                determining: forbids,
                errors,
            };
        }
        let permits: Vec<String> = allowing.into_iter().flat_map(|(_, ids)| ids).collect();
        Verdict {
            allowed: !permits.is_empty(),
            determining: permits,
            errors,
        }
    }
}

/// The schema and validated base policies. Cheap to share behind an `Arc`.
pub struct PolicyEngine {
    schema: Schema,
    /// Admin-API policies.
    base: PolicySet,
    /// Access (SSO) policies and the grant template.
    access: PolicySet,
    authorizer: Authorizer,
}

impl std::fmt::Debug for PolicyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyEngine")
            .field("admin_policies", &self.base.policies().count())
            .field("access_policies", &self.access.policies().count())
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
        let mut access = PolicySet::new();
        let sso = Names::get()
            .map_err(PolicyError::Schema)?
            .action(SSO_ACTION);
        for (file, text) in files {
            let parsed = parse_with_ids(&file, &text)?;
            let duplicate = |err: cedar_policy::PolicySetError| PolicyError::MissingId {
                file: file.clone(),
                message: err.to_string(),
            };
            for policy in parsed.policies() {
                let target = if is_sso_only(&policy.action_constraint(), &sso) {
                    &mut access
                } else {
                    &mut base
                };
                target.add(policy.clone()).map_err(duplicate)?;
            }
            for template in parsed.templates() {
                if !is_sso_only(&template.action_constraint(), &sso) {
                    return Err(PolicyError::Invalid(format!(
                        "{file}: template {} must be scoped to action == {NAMESPACE}::Action::\"{SSO_ACTION}\"",
                        template.id()
                    )));
                }
                access.add_template(template.clone()).map_err(duplicate)?;
            }
        }
        validate(&schema, &base)?;
        validate(&schema, &access)?;
        if access.template(&PolicyId::new(GRANT_TEMPLATE)).is_none() {
            return Err(PolicyError::Invalid(format!(
                "the grant template @id(\"{GRANT_TEMPLATE}\") is missing"
            )));
        }
        Ok(PolicyEngine {
            schema,
            base,
            access,
            authorizer: Authorizer::new(),
        })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The ids of the base policies and templates, admin and access.
    pub fn base_policy_ids(&self) -> Vec<String> {
        let policies = self.base.policies().chain(self.access.policies());
        policies
            .map(|p| p.id().to_string())
            .chain(self.access.templates().map(|t| t.id().to_string()))
            .collect()
    }

    /// The access policies and the grant template: what every SSO decision starts from.
    pub fn access_policies(&self) -> &PolicySet {
        &self.access
    }

    /// The admin-API policies: what every admin request is decided by.
    pub fn admin_policies(&self) -> &PolicySet {
        &self.base
    }

    /// Decides an admin-API request against the admin policies. Deny when nothing permits.
    pub fn decide(&self, request: &Request, entities: &Entities) -> Verdict {
        self.decide_with(request, &self.base, entities)
    }

    /// Decides a request against the given set. Deny when nothing permits.
    pub fn decide_with(
        &self,
        request: &Request,
        policies: &PolicySet,
        entities: &Entities,
    ) -> Verdict {
        let response = self.authorizer.is_authorized(request, policies, entities);
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

pub use crate::error::PolicyProblem;

/// The longest access policy an admin may write.
pub const MAX_POLICY_BYTES: usize = 16 * 1024;

impl PolicyEngine {
    /// Parses and validates an instance's own access policy: exactly one `permit` or `forbid`
    /// scoped to `action == Lanyard::Action::"sso"`, valid against the schema. What comes back
    /// is safe to hand to the engine; what does not never reaches it.
    pub fn check_access_policy(&self, source: &str) -> Result<Policy, Vec<PolicyProblem>> {
        let at_start = |message: String| {
            vec![PolicyProblem {
                message,
                line: 1,
                column: 1,
            }]
        };
        if source.len() > MAX_POLICY_BYTES {
            return Err(at_start(format!(
                "a policy may be at most {MAX_POLICY_BYTES} bytes long"
            )));
        }
        let parsed = PolicySet::from_str(source).map_err(|err| problems(&err, source))?;
        if parsed.templates().next().is_some() {
            return Err(at_start(
                "slots (?principal, ?resource) are not allowed: write a policy, not a template"
                    .into(),
            ));
        }
        let mut policies = parsed.policies();
        let (Some(policy), None) = (policies.next(), policies.next()) else {
            return Err(at_start(
                "write exactly one permit or forbid statement per policy".into(),
            ));
        };
        let sso = Names::get().map_err(at_start)?.action(SSO_ACTION);
        if !is_sso_only(&policy.action_constraint(), &sso) {
            let offset = source.find("action").unwrap_or(0);
            let (line, column) = line_and_column(source, offset);
            return Err(vec![PolicyProblem {
                message: format!(
                    "access policies decide single sign-on only: scope the action as `action == {NAMESPACE}::Action::\"{SSO_ACTION}\"`"
                ),
                line,
                column,
            }]);
        }
        let mut alone = PolicySet::new();
        alone
            .add(policy.clone())
            .map_err(|err| at_start(err.to_string()))?;
        let result = Validator::new(self.schema.clone()).validate(&alone, ValidationMode::Strict);
        let found: Vec<PolicyProblem> = result
            .validation_errors()
            .flat_map(|err| problems(err, source))
            .collect();
        if found.is_empty() {
            Ok(policy.clone())
        } else {
            Err(found)
        }
    }
}

/// The problems a Cedar diagnostic reports, each at the first place it points to.
fn problems(diagnostic: &dyn miette::Diagnostic, source: &str) -> Vec<PolicyProblem> {
    let one = |d: &dyn miette::Diagnostic| {
        let offset = d
            .labels()
            .and_then(|mut labels| labels.next())
            .map_or(0, |label| label.offset());
        let (line, column) = line_and_column(source, offset);
        let mut message = d.to_string();
        if let Some(help) = d.help() {
            message = format!("{message} ({help})");
        }
        PolicyProblem {
            message,
            line,
            column,
        }
    };
    let mut out = vec![one(diagnostic)];
    if let Some(related) = diagnostic.related() {
        out.extend(related.map(one));
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(source: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

fn is_sso_only(constraint: &cedar_policy::ActionConstraint, sso: &EntityUid) -> bool {
    matches!(constraint, cedar_policy::ActionConstraint::Eq(action) if action == sso)
}

/// Parses a file's policies and templates and gives each the id of its `@id` annotation.
fn parse_with_ids(file: &str, text: &str) -> Result<PolicySet, PolicyError> {
    let parsed = PolicySet::from_str(text).map_err(|err| PolicyError::Parse {
        file: file.to_owned(),
        message: format!("{err:?}"),
    })?;
    let mut named = PolicySet::new();
    let mut seen = HashSet::new();
    let mut named_id = |annotation: Option<&str>, text: String| {
        let id = annotation.ok_or_else(|| PolicyError::MissingId {
            file: file.to_owned(),
            message: format!("policy without @id: {}", first_line(&text)),
        })?;
        if !seen.insert(id.to_owned()) {
            return Err(PolicyError::MissingId {
                file: file.to_owned(),
                message: format!("duplicate @id {id:?}"),
            });
        }
        Ok(PolicyId::new(id))
    };
    let refused = |err: cedar_policy::PolicySetError| PolicyError::MissingId {
        file: file.to_owned(),
        message: err.to_string(),
    };
    for policy in parsed.policies() {
        let id = named_id(policy.annotation("id"), policy.to_string())?;
        named.add(policy.new_id(id)).map_err(refused)?;
    }
    for template in parsed.templates() {
        let id = named_id(template.annotation("id"), template.to_string())?;
        named.add_template(template.new_id(id)).map_err(refused)?;
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

/// The entity types of the schema that the server names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Platform,
    Instance,
    Application,
    Group,
    OrgUnit,
    User,
    Role,
    Admin,
    ApiToken,
    ProvisioningToken,
    Action,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Platform,
        Kind::Instance,
        Kind::Application,
        Kind::Group,
        Kind::OrgUnit,
        Kind::User,
        Kind::Role,
        Kind::Admin,
        Kind::ApiToken,
        Kind::ProvisioningToken,
        Kind::Action,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Platform => "Platform",
            Kind::Instance => "Instance",
            Kind::Application => "Application",
            Kind::Group => "Group",
            Kind::OrgUnit => "OrgUnit",
            Kind::User => "User",
            Kind::Role => "Role",
            Kind::Admin => "Admin",
            Kind::ApiToken => "ApiToken",
            Kind::ProvisioningToken => "ProvisioningToken",
            Kind::Action => "Action",
        }
    }
}

/// The qualified type names of [`Kind`], parsed once: parsing runs Cedar's parser, which cost
/// more than the rest of an access decision when it ran for every entity of every decision.
/// Cedar's parser is fallible even for these literals, so the table is a `Result` that the
/// policy engine asks for when it is built: a server whose names do not parse does not start,
/// and a function that builds entities asks once, not once per uid.
pub struct Names([EntityTypeName; Kind::ALL.len()]);

static NAMES: LazyLock<Result<Names, String>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|kind| {
            let name = format!("{NAMESPACE}::{}", kind.name());
            EntityTypeName::from_str(&name)
                .map_err(|err| format!("the entity type name {name}: {err}"))
        })
        .collect::<Result<Vec<_>, _>>()?
        .try_into()
        .map(Names)
        .map_err(|_| "one entity type name per kind".to_string())
});

impl Names {
    pub fn get() -> Result<&'static Names, String> {
        NAMES.as_ref().map_err(Clone::clone)
    }

    /// `Lanyard::<kind>::"<id>"`.
    pub fn uid(&self, kind: Kind, id: &str) -> EntityUid {
        // One name per `Kind::ALL` entry, in its order: `kind as usize` is in bounds.
        EntityUid::from_type_name_and_id(self.0[kind as usize].clone(), EntityId::new(id))
    }

    pub fn action(&self, action: &str) -> EntityUid {
        self.uid(Kind::Action, action)
    }
}

/// `Lanyard::<kind>::"<id>"`, for tests.
#[cfg(test)]
pub(crate) fn uid(kind: Kind, id: &str) -> EntityUid {
    Names::get()
        .expect("the entity type names parse")
        .uid(kind, id)
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
    fn an_admins_policy_is_checked_with_line_and_column() {
        let engine = PolicyEngine::embedded().unwrap();
        let good = "forbid (principal, action == Lanyard::Action::\"sso\", resource)\nunless { context.mfa };";
        assert!(engine.check_access_policy(good).is_ok());

        // An attribute the schema does not have, on line 2.
        let typo = "permit (principal, action == Lanyard::Action::\"sso\", resource)\nwhen { principal.department == \"x\" };";
        let found = engine.check_access_policy(typo).unwrap_err();
        assert_eq!((found[0].line, found[0].column), (2, 8), "{found:?}");
        assert!(found[0].message.contains("department"), "{found:?}");

        // A syntax error points at where parsing stopped.
        let broken = "permit (principal, action == Lanyard::Action::\"sso\", resource)\nwhen { context.mfa == };";
        let found = engine.check_access_policy(broken).unwrap_err();
        assert_eq!(found[0].line, 2, "{found:?}");

        // Admin actions, several statements, templates and huge inputs are refused.
        let admin = "permit (principal, action, resource);";
        assert!(engine.check_access_policy(admin).unwrap_err()[0]
            .message
            .contains("single sign-on"));
        let two = format!("{good}\n{good}");
        assert!(engine.check_access_policy(&two).is_err());
        let template =
            "permit (principal == ?principal, action == Lanyard::Action::\"sso\", resource);";
        assert!(engine.check_access_policy(template).unwrap_err()[0]
            .message
            .contains("slots"));
        assert!(engine.check_access_policy("").is_err());
        let huge = format!("{good}{}", " ".repeat(MAX_POLICY_BYTES));
        assert!(engine.check_access_policy(&huge).is_err());
        assert!(engine.check_access_policy("permit(\u{0}").is_err());
    }

    #[test]
    fn lines_and_columns_count_characters() {
        assert_eq!(line_and_column("abc", 0), (1, 1));
        assert_eq!(line_and_column("ab\nçd", 5), (2, 2));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }

    #[test]
    fn a_directory_with_an_invalid_policy_file_does_not_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("schema.cedarschema"), EMBEDDED_SCHEMA).unwrap();
        for (name, text) in EMBEDDED_POLICIES {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        assert!(PolicyEngine::from_dir(dir.path()).is_ok());
        std::fs::write(dir.path().join("b.cedar"), "@id(\"b\") permit(principal,").unwrap();
        assert!(PolicyEngine::from_dir(dir.path()).is_err());
    }
}
