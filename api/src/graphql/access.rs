//! GraphQL of access decisions: authorization scopes and grants, the instance's own access
//! policies, "can this user use this application, and why" and "what would change if".

use std::net::IpAddr;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::access_grant::{self, SubjectKind as DbSubjectKind};
use entity::access_policy;
use entity::user;

use super::apps::Application;
use super::connection::{Page, PageArgs};
use super::directory::User;
use super::gate;
use super::state;
use crate::access::facts::LinkSubject;
use crate::access::grants::{self, Subject};
use crate::access::policies::{self, PolicyChanges, PolicyInput};
use crate::access::simulate::{self, ProposedChange};
use crate::access::{
    AccessContext, AccessDecision, AccessRequest, Effect, Initiator, PolicySource,
};
use crate::apps::applications::{self, Resolved};
use crate::authz::admin::actions;
use crate::directory::{batch, users};
use crate::error::AppError;
use crate::query::Count;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::application::AuthorizationScope")]
pub enum AuthorizationScope {
    /// Every member of the instance.
    AllMembers,
    /// Only the users, groups and org units granted.
    Manual,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::access_grant::SubjectKind")]
pub enum SubjectKind {
    User,
    Group,
    /// An org unit and its whole subtree.
    OrgUnit,
}

#[derive(InputObject, Clone)]
pub struct SubjectInput {
    kind: SubjectKind,
    id: ID,
}

fn subjects(input: Vec<SubjectInput>) -> Vec<Subject> {
    input
        .into_iter()
        .map(|s| Subject {
            kind: s.kind.into(),
            id: s.id.0,
        })
        .collect()
}

/// One grant of an application's authorization scope.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AccessGrant {
    id: ID,
    subject_kind: SubjectKind,
    subject_id: ID,
    created_at: DateTime<Utc>,
    #[graphql(skip)]
    model: access_grant::Model,
}

impl From<access_grant::Model> for AccessGrant {
    fn from(m: access_grant::Model) -> Self {
        AccessGrant {
            id: ID(m.id.clone()),
            subject_kind: m.subject_kind.into(),
            subject_id: ID(m.subject_id.clone()),
            created_at: m.created_at,
            model: m,
        }
    }
}

#[ComplexObject]
impl AccessGrant {
    /// The granted user, group or org unit's name.
    async fn subject_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(batch::subject_name(
            &state(ctx)?.directory,
            &self.model.instance_id,
            self.model.subject_kind,
            &self.model.subject_id,
        )
        .await?)
    }
}

/// Fields of `Application` about who may use it.
pub(crate) struct ApplicationAccess<'a>(pub &'a Resolved);

impl ApplicationAccess<'_> {
    pub fn scope(&self) -> AuthorizationScope {
        self.0.model.authorization_scope.into()
    }

    pub async fn grants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AccessGrant>> {
        let permit = gate::application(ctx, actions::ReadApplication, &self.0.model.id).await?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = grants::list(
            &state(ctx)?.access,
            &permit,
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |g| g.id.clone(), AccessGrant::from))
    }

    pub async fn effective_users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<User>> {
        let permit = gate::application(ctx, actions::ReadApplication, &self.0.model.id).await?;
        let page = PageArgs::parse(first, after)?;
        let (rows, total) = grants::effective_users(
            &state(ctx)?.access,
            &permit,
            page.after.as_deref(),
            page.fetch(),
        )
        .await?;
        Ok(page.connection(rows, total, |u| u.username.clone(), User::from))
    }
}

/// The applications a user's authorization scopes let in. Action: `readApplications`.
pub(crate) async fn effective_applications(
    ctx: &Context<'_>,
    user: &user::Model,
) -> Result<Vec<Application>> {
    let state = state(ctx)?;
    let permit = gate::instance(ctx, actions::ReadApplications, &user.instance_id)?;
    grants::effective_applications(&state.access, &permit, &user.id)
        .await?
        .into_iter()
        .map(|app| Ok(Application::from(Resolved::new(app)?)))
        .collect()
}

/// An instance's own Cedar access policy.
#[derive(SimpleObject)]
pub struct AccessPolicy {
    id: ID,
    /// The id Cedar knows it by, as explanations and audit events name it.
    policy_id: String,
    instance_id: ID,
    name: String,
    description: String,
    /// The Cedar text.
    source: String,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<access_policy::Model> for AccessPolicy {
    fn from(m: access_policy::Model) -> Self {
        AccessPolicy {
            policy_id: policies::cedar_id(&m.id),
            id: ID(m.id),
            instance_id: ID(m.instance_id),
            name: m.name,
            description: m.description,
            source: m.source,
            enabled: m.enabled,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// The access policies of an instance, by name. Action: `readAccessPolicies`.
pub(crate) async fn instance_policies(
    ctx: &Context<'_>,
    instance_id: &str,
) -> Result<Vec<AccessPolicy>> {
    let state = state(ctx)?;
    let permit = gate::instance(ctx, actions::ReadAccessPolicies, instance_id)?;
    Ok(policies::list(&state.access, &permit)
        .await?
        .into_iter()
        .map(AccessPolicy::from)
        .collect())
}

#[derive(SimpleObject)]
pub struct PolicyProblem {
    message: String,
    /// 1-based.
    line: u32,
    /// 1-based, in characters.
    column: u32,
}

#[derive(SimpleObject)]
pub struct PolicyValidation {
    valid: bool,
    problems: Vec<PolicyProblem>,
}

/// The circumstances of a hypothetical sign-in. Omitted: IdP-initiated, now, password only, no
/// MFA, from `0.0.0.0` (inside no network). Given `authMethods` alone, `mfa` and
/// `assuranceLevel` are what those methods add up to.
#[derive(InputObject, Default)]
pub struct AccessContextInput {
    source_ip: Option<String>,
    at: Option<DateTime<Utc>>,
    mfa: Option<bool>,
    auth_methods: Option<Vec<String>>,
    /// 0–3, as `context.assuranceLevel`.
    assurance_level: Option<i32>,
    initiated_by: Option<InitiatedBy>,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum InitiatedBy {
    /// From the portal.
    Idp,
    /// From the application's login page.
    Sp,
}

impl AccessContextInput {
    fn parse(self) -> Result<AccessContext, AppError> {
        let mut context = AccessContext::unspecified();
        if let Some(ip) = self.source_ip {
            context.source_ip = ip.trim().parse::<IpAddr>().map_err(|_| {
                AppError::bad_input("context.sourceIp", format!("{ip:?} is not an IP address"))
            })?;
        }
        if let Some(at) = self.at {
            context.now = at;
        }
        if let Some(methods) = self.auth_methods {
            if methods.len() > 10 || methods.iter().any(|m| m.is_empty() || m.len() > 32) {
                return Err(AppError::bad_input(
                    "context.authMethods",
                    "at most 10 methods of 1 to 32 characters",
                ));
            }
            context.assurance_level = crate::access::methods::assurance(&methods);
            context.mfa = context.assurance_level >= 2;
            context.auth_methods = methods;
        }
        if let Some(mfa) = self.mfa {
            context.mfa = mfa;
            context.assurance_level = if mfa {
                context.assurance_level.max(2)
            } else {
                context.assurance_level.min(1)
            };
        }
        if let Some(level) = self.assurance_level {
            context.assurance_level =
                u8::try_from(level)
                    .ok()
                    .filter(|l| *l <= 3)
                    .ok_or_else(|| {
                        AppError::bad_input(
                            "context.assuranceLevel",
                            "an assurance level is 0 to 3",
                        )
                    })?;
        }
        if let Some(by) = self.initiated_by {
            context.initiated_by = match by {
                InitiatedBy::Idp => Initiator::Idp,
                InitiatedBy::Sp => Initiator::Sp,
            };
        }
        Ok(context)
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PolicyEffect {
    Permit,
    Forbid,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PolicyOrigin {
    /// Lanyard's base access policies.
    Base,
    /// One of the instance's own access policies.
    Instance,
    /// A grant of the application's authorization scope.
    Grant,
}

/// One policy that determined a decision.
#[derive(SimpleObject)]
pub struct AccessReason {
    /// The Cedar policy id: `access.*` (base), `policy:<id>` (instance) or `grant:<id>`.
    policy_id: String,
    effect: PolicyEffect,
    origin: PolicyOrigin,
    /// In words, e.g. "the authorization scope grants it to group “Engineering”".
    description: String,
    /// For instance policies: the policy.
    access_policy_id: Option<ID>,
    /// For grants: who the grant is to (`null` with the all-members scope).
    subject_kind: Option<SubjectKind>,
    subject_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct AccessExplanation {
    allowed: bool,
    /// One sentence an admin can read.
    summary: String,
    reasons: Vec<AccessReason>,
    /// Evaluation problems; any of them denies.
    diagnostics: Vec<String>,
}

async fn explain(
    ctx: &Context<'_>,
    decision: AccessDecision,
    instance_id: &str,
    username: &str,
    app_name: &str,
) -> Result<AccessExplanation> {
    let mut reasons = Vec::new();
    for reason in decision.reasons {
        let (origin, access_policy_id, subject, description) = match &reason.source {
            PolicySource::Base => (PolicyOrigin::Base, None, None, reason.description.clone()),
            PolicySource::Instance { policy_id, .. } => (
                PolicyOrigin::Instance,
                Some(ID(policy_id.clone())),
                None,
                reason.description.clone(),
            ),
            PolicySource::Grant(subject) => {
                let (kind, id) = match subject {
                    LinkSubject::AllMembers(_) => (None, None),
                    LinkSubject::User(id) => (Some(DbSubjectKind::User), Some(id.clone())),
                    LinkSubject::Group(id) => (Some(DbSubjectKind::Group), Some(id.clone())),
                    LinkSubject::OrgUnit(id) => (Some(DbSubjectKind::OrgUnit), Some(id.clone())),
                };
                let description = match (kind, &id) {
                    (Some(kind), Some(id)) => {
                        let name =
                            batch::subject_name(&state(ctx)?.directory, instance_id, kind, id)
                                .await?
                                .unwrap_or_else(|| id.clone());
                        match kind {
                            DbSubjectKind::User => {
                                format!("the authorization scope grants it to the user “{name}”")
                            }
                            DbSubjectKind::Group => {
                                format!("the authorization scope grants it to group “{name}”")
                            }
                            DbSubjectKind::OrgUnit => format!(
                                "the authorization scope grants it to org unit “{name}” and its sub-units"
                            ),
                        }
                    }
                    _ => reason.description.clone(),
                };
                (
                    PolicyOrigin::Grant,
                    None,
                    Some((kind.map(Into::into), id.map(ID))),
                    description,
                )
            }
        };
        let (subject_kind, subject_id) = subject.unwrap_or((None, None));
        reasons.push(AccessReason {
            policy_id: reason.policy_id,
            effect: match reason.effect {
                Effect::Permit => PolicyEffect::Permit,
                Effect::Forbid => PolicyEffect::Forbid,
            },
            origin,
            description,
            access_policy_id,
            subject_kind,
            subject_id,
        });
    }
    let because = reasons
        .iter()
        .map(|r| format!("{} ({})", r.description, r.policy_id))
        .collect::<Vec<_>>()
        .join("; ");
    let summary = if decision.allowed {
        format!("{username} may use {app_name}: {because}.")
    } else if !decision.diagnostics.is_empty() {
        format!(
            "{username} may not use {app_name}: the policies could not be evaluated ({}).",
            decision.diagnostics.join("; ")
        )
    } else if reasons.is_empty() {
        format!(
            "{username} may not use {app_name}: nothing permits it — no grant of the application's authorization scope covers this user."
        )
    } else {
        format!("{username} may not use {app_name}: forbidden because {because}.")
    };
    Ok(AccessExplanation {
        allowed: decision.allowed,
        summary,
        reasons,
        diagnostics: decision.diagnostics,
    })
}

/// A change to try out. Exactly one of the fields.
#[derive(InputObject, Default)]
pub struct ProposedChangeInput {
    /// A new policy's Cedar text.
    create_policy: Option<String>,
    /// An existing policy with new text and/or enabled flag.
    update_policy: Option<ProposedPolicyUpdate>,
    /// An existing policy removed.
    delete_policy_id: Option<ID>,
    grant: Option<ProposedGrant>,
    revoke: Option<ProposedGrant>,
    set_scope: Option<ProposedScope>,
}

#[derive(InputObject)]
pub struct ProposedPolicyUpdate {
    id: ID,
    source: Option<String>,
    enabled: Option<bool>,
}

#[derive(InputObject)]
pub struct ProposedGrant {
    application_id: ID,
    subjects: Vec<SubjectInput>,
}

#[derive(InputObject)]
pub struct ProposedScope {
    application_id: ID,
    scope: AuthorizationScope,
}

impl ProposedChangeInput {
    fn parse(self) -> Result<ProposedChange, AppError> {
        let mut found = Vec::new();
        if let Some(source) = self.create_policy {
            found.push(ProposedChange::CreatePolicy { source });
        }
        if let Some(update) = self.update_policy {
            found.push(ProposedChange::UpdatePolicy {
                id: update.id.0,
                source: update.source,
                enabled: update.enabled,
            });
        }
        if let Some(id) = self.delete_policy_id {
            found.push(ProposedChange::DeletePolicy { id: id.0 });
        }
        if let Some(grant) = self.grant {
            found.push(ProposedChange::Grant {
                application_id: grant.application_id.0,
                subjects: subjects(grant.subjects),
            });
        }
        if let Some(revoke) = self.revoke {
            found.push(ProposedChange::Revoke {
                application_id: revoke.application_id.0,
                subjects: subjects(revoke.subjects),
            });
        }
        if let Some(scope) = self.set_scope {
            found.push(ProposedChange::SetScope {
                application_id: scope.application_id.0,
                scope: scope.scope.into(),
            });
        }
        match (found.pop(), found.is_empty()) {
            (Some(change), true) => Ok(change),
            _ => Err(AppError::bad_input(
                "change",
                "name exactly one change: createPolicy, updatePolicy, deletePolicyId, grant, revoke or setScope",
            )),
        }
    }
}

#[derive(InputObject)]
pub struct SimulateAccessChangeInput {
    instance_id: ID,
    change: ProposedChangeInput,
    /// Decide only these applications (all of the instance when omitted).
    application_ids: Option<Vec<ID>>,
    context: Option<AccessContextInput>,
}

/// A (user, application) pair whose decision the change flips.
pub struct AccessChange(simulate::AccessChange);

#[Object]
impl AccessChange {
    async fn user(&self) -> User {
        User::from(self.0.user.clone())
    }
    async fn application(&self) -> Result<Application> {
        Ok(Application::from(Resolved::new(
            self.0.application.clone(),
        )?))
    }
    /// True: would gain access; false: would lose it.
    async fn gains_access(&self) -> bool {
        self.0.gains
    }
}

pub struct AccessSimulation(simulate::Simulation);

#[Object]
impl AccessSimulation {
    /// How many (user, application) pairs were decided before and after.
    async fn evaluated_pairs(&self) -> usize {
        self.0.evaluated_pairs
    }
    async fn gained(&self) -> usize {
        self.0.changes.iter().filter(|c| c.gains).count()
    }
    async fn lost(&self) -> usize {
        self.0.changes.iter().filter(|c| !c.gains).count()
    }
    /// The pairs that change, by application name then username.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn changes(
        &self,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AccessChange>> {
        let page = PageArgs::parse(first, after)?;
        let start = match page.after.as_deref() {
            None => 0,
            Some(cursor) => cursor
                .parse::<usize>()
                .ok()
                .and_then(|index| index.checked_add(1))
                .ok_or_else(|| AppError::bad_input("after", "not a cursor of this list"))?,
        };
        let rows: Vec<(usize, &simulate::AccessChange)> = self
            .0
            .changes
            .iter()
            .enumerate()
            .skip(start)
            .take(page.fetch() as usize)
            .collect();
        Ok(page.connection(
            rows,
            Count::known(self.0.changes.len() as u64),
            |(index, _)| index.to_string(),
            |(_, change)| AccessChange(change.clone()),
        ))
    }
}

#[derive(Default)]
pub struct AccessQuery;

#[Object]
impl AccessQuery {
    /// Checks a policy's Cedar text against the schema without saving it: the problems, each
    /// with line and column. Action: `readAccessPolicies`.
    async fn validate_access_policy(
        &self,
        ctx: &Context<'_>,
        instance_id: ID,
        source: String,
    ) -> Result<PolicyValidation> {
        let state = state(ctx)?;
        gate::instance(ctx, actions::ReadAccessPolicies, &instance_id)?;
        let problems = match state.policies.check_access_policy(&source) {
            Ok(_) => Vec::new(),
            Err(found) => found
                .into_iter()
                .map(|p| PolicyProblem {
                    message: p.message,
                    line: p.line,
                    column: p.column,
                })
                .collect(),
        };
        Ok(PolicyValidation {
            valid: problems.is_empty(),
            problems,
        })
    }

    /// Would `userId` be let into `applicationId`, and which policies decide it? The same
    /// decision SSO makes, for the given circumstances. Action: `explainAccess`.
    async fn explain_access(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        application_id: ID,
        context: Option<AccessContextInput>,
    ) -> Result<AccessExplanation> {
        let state = state(ctx)?;
        let permit = gate::owned(
            ctx,
            actions::ExplainAccess,
            "application",
            applications::instance_of(&state.apps, &application_id).await,
        )?;
        let instance_id = permit.instance_id().to_owned();
        let target = users::find_in(&state.store.conn, &instance_id, &user_id).await?;
        let request = AccessRequest {
            instance_id: &instance_id,
            user_id: &target.id,
            application_id: &application_id,
            context: context.unwrap_or_default().parse()?,
        };
        let decision = state
            .access
            .decisions
            .decide(&state.store, &request)
            .await?;
        let app =
            crate::access::facts::load_app(&state.store, &instance_id, &application_id).await?;
        explain(ctx, decision, &instance_id, &target.username, &app.name).await
    }

    /// The (user, application) pairs that would gain or lose access if the change were made.
    /// Saves nothing. Action: `explainAccess`.
    async fn simulate_access_change(
        &self,
        ctx: &Context<'_>,
        input: SimulateAccessChangeInput,
    ) -> Result<AccessSimulation> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ExplainAccess, &input.instance_id)?;
        let change = input.change.parse()?;
        let context = input.context.unwrap_or_default().parse()?;
        let only = input
            .application_ids
            .map(|ids| ids.into_iter().map(|id| id.0).collect());
        Ok(AccessSimulation(
            simulate::simulate(&state.access, &permit, change, only, context).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct CreateAccessPolicyInput {
    instance_id: ID,
    name: String,
    description: Option<String>,
    /// One Cedar `permit` or `forbid` scoped to `action == Lanyard::Action::"sso"`.
    source: String,
    /// Default true.
    enabled: Option<bool>,
}

#[derive(InputObject)]
pub struct UpdateAccessPolicyInput {
    id: ID,
    name: Option<String>,
    description: Option<String>,
    source: Option<String>,
    enabled: Option<bool>,
}

#[derive(InputObject)]
pub struct AccessPolicyRefInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct AccessPolicyPayload {
    access_policy: AccessPolicy,
}

#[derive(SimpleObject)]
pub struct DeleteAccessPolicyPayload {
    deleted_id: ID,
}

#[derive(InputObject)]
pub struct SetAuthorizationScopeInput {
    application_id: ID,
    scope: AuthorizationScope,
}

#[derive(InputObject)]
pub struct ApplicationAccessInput {
    application_id: ID,
    /// 1 to 1000 users, groups and org units.
    subjects: Vec<SubjectInput>,
}

#[derive(SimpleObject)]
pub struct ApplicationAccessPayload {
    application: Application,
    /// Grants added or removed by this call (0 when it changed nothing).
    changed: u64,
}

#[derive(Default)]
pub struct AccessMutation;

#[Object]
impl AccessMutation {
    /// Adds an access policy, validated first. Action: `manageAccessPolicies`.
    async fn create_access_policy(
        &self,
        ctx: &Context<'_>,
        input: CreateAccessPolicyInput,
    ) -> Result<AccessPolicyPayload> {
        let state = state(ctx)?;
        let permit = gate::instance(ctx, actions::ManageAccessPolicies, &input.instance_id)?;
        let model = policies::create(
            &state.access,
            &permit,
            PolicyInput {
                name: &input.name,
                description: input.description.as_deref(),
                source: &input.source,
                enabled: input.enabled.unwrap_or(true),
            },
        )
        .await?;
        Ok(AccessPolicyPayload {
            access_policy: AccessPolicy::from(model),
        })
    }

    /// Changes an access policy; a new text is validated first. Action: `manageAccessPolicies`.
    async fn update_access_policy(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccessPolicyInput,
    ) -> Result<AccessPolicyPayload> {
        let permit = gate::owned(
            ctx,
            actions::ManageAccessPolicies,
            "access policy",
            policies::instance_of(&state(ctx)?.access, &input.id).await,
        )?;
        let model = policies::update(
            &state(ctx)?.access,
            &permit,
            &input.id,
            PolicyChanges {
                name: input.name.as_deref(),
                description: input.description.as_deref(),
                source: input.source.as_deref(),
                enabled: input.enabled,
            },
        )
        .await?;
        Ok(AccessPolicyPayload {
            access_policy: AccessPolicy::from(model),
        })
    }

    /// Action: `manageAccessPolicies`.
    async fn delete_access_policy(
        &self,
        ctx: &Context<'_>,
        input: AccessPolicyRefInput,
    ) -> Result<DeleteAccessPolicyPayload> {
        let permit = gate::owned(
            ctx,
            actions::ManageAccessPolicies,
            "access policy",
            policies::instance_of(&state(ctx)?.access, &input.id).await,
        )?;
        policies::delete(&state(ctx)?.access, &permit, &input.id).await?;
        Ok(DeleteAccessPolicyPayload {
            deleted_id: input.id,
        })
    }

    /// All members of the instance, or only those granted. Action: `manageAppAccess`.
    async fn set_authorization_scope(
        &self,
        ctx: &Context<'_>,
        input: SetAuthorizationScopeInput,
    ) -> Result<ApplicationAccessPayload> {
        let permit =
            gate::application(ctx, actions::ManageAppAccess, &input.application_id).await?;
        let app = grants::set_scope(&state(ctx)?.access, &permit, input.scope.into()).await?;
        Ok(ApplicationAccessPayload {
            application: Application::from(Resolved::new(app)?),
            changed: 1,
        })
    }

    /// Grants the application to users, groups and org units (an org unit covers its
    /// subtree). Repeating a grant changes nothing. Action: `manageAppAccess`.
    async fn grant_application_access(
        &self,
        ctx: &Context<'_>,
        input: ApplicationAccessInput,
    ) -> Result<ApplicationAccessPayload> {
        let permit =
            gate::application(ctx, actions::ManageAppAccess, &input.application_id).await?;
        let state = state(ctx)?;
        let added = grants::grant(&state.access, &permit, &subjects(input.subjects)).await?;
        let app = applications::get(&state.apps, &permit).await?;
        Ok(ApplicationAccessPayload {
            application: Application::from(app),
            changed: added as u64,
        })
    }

    /// Revokes grants, effective with the next decision. Action: `manageAppAccess`.
    async fn revoke_application_access(
        &self,
        ctx: &Context<'_>,
        input: ApplicationAccessInput,
    ) -> Result<ApplicationAccessPayload> {
        let permit =
            gate::application(ctx, actions::ManageAppAccess, &input.application_id).await?;
        let state = state(ctx)?;
        let removed = grants::revoke(&state.access, &permit, &subjects(input.subjects)).await?;
        let app = applications::get(&state.apps, &permit).await?;
        Ok(ApplicationAccessPayload {
            application: Application::from(app),
            changed: removed,
        })
    }
}
