//! Access decisions: may this employee single-sign-on into this application? One function,
//! [`AccessService::decide`], answers for the SAML routes, the portal and the admin's
//! "explain"; Cedar is the only thing that decides.
//!
//! A decision evaluates only the policies that can apply: the base access policies, the
//! instance's own (cached per instance, reloaded when the instance's `access_version` moves),
//! and the grant links whose resource is the application *and* whose principal is the user,
//! one of their groups, one of their org units or an ancestor, or the instance. So its cost
//! depends on the user's memberships, never on how many grants exist.

pub mod context;
pub mod entities;
pub mod facts;
pub mod grants;
mod linked;
pub mod methods;
pub mod policies;
pub mod simulate;

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cedar_policy::{Context, Entities, EntityUid, PolicyId, PolicySet, Request};
use chrono::{DateTime, Utc};
use sea_orm::Set;

use crate::apps::applications::Resolved;
use crate::authz::{Kind, Names, PolicyEngine, GRANT_TEMPLATE, SSO_ACTION};
use crate::db::Store;
use crate::error::{AppError, AppResult};
use crate::fresh::FreshCache;
use crate::ids::new_id;
use facts::{AppFacts, Link, LinkSubject, UserFacts};

pub use crate::fresh::REFRESH_INTERVAL;

/// Who started the sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiator {
    /// From Lanyard's portal.
    Idp,
    /// An AuthnRequest from the application.
    Sp,
}

impl Initiator {
    pub fn as_str(self) -> &'static str {
        match self {
            Initiator::Idp => "idp",
            Initiator::Sp => "sp",
        }
    }
}

/// What the request carries besides who and which application.
#[derive(Clone, Debug)]
pub struct AccessContext {
    pub source_ip: IpAddr,
    pub now: DateTime<Utc>,
    pub mfa: bool,
    pub auth_methods: Vec<String>,
    /// [`methods::assurance`] of the methods.
    pub assurance_level: u8,
    pub initiated_by: Initiator,
}

impl AccessContext {
    /// What an admin's "explain" uses for what they leave out: IdP-initiated, now, password only,
    /// from an unspecified address (`0.0.0.0`, inside no office network).
    pub fn unspecified() -> AccessContext {
        AccessContext {
            source_ip: IpAddr::from([0, 0, 0, 0]),
            now: Utc::now(),
            mfa: false,
            auth_methods: vec![methods::PASSWORD.into()],
            assurance_level: 1,
            initiated_by: Initiator::Idp,
        }
    }
}

pub struct AccessRequest<'a> {
    pub instance_id: &'a str,
    pub user_id: &'a str,
    pub application_id: &'a str,
    pub context: AccessContext,
}

/// Permit or forbid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Permit,
    Forbid,
}

/// Where a determining policy comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySource {
    /// A base policy in `policies/access.cedar`.
    Base,
    /// One of the instance's own access policies.
    Instance { policy_id: String, name: String },
    /// A grant of the application's authorization scope.
    Grant(LinkSubject),
}

/// One policy that determined a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The Cedar policy id: `access.*`, `policy:<id>` or `grant:<id>`.
    pub policy_id: String,
    pub effect: Effect,
    pub source: PolicySource,
    /// What the policy says, in words (its `@description`, or the instance policy's name).
    pub description: String,
}

#[derive(Clone, Debug)]
pub struct AccessDecision {
    pub allowed: bool,
    pub reasons: Vec<Reason>,
    /// Evaluation errors and policies that could not be loaded. Any of them denies.
    pub diagnostics: Vec<String>,
}

impl AccessDecision {
    /// The ids of the policies that determined the decision.
    pub fn determining(&self) -> Vec<String> {
        self.reasons.iter().map(|r| r.policy_id.clone()).collect()
    }

    /// Why a denied decision denied, in words: the forbidding policy, else the first
    /// diagnostic, else that nothing grants access.
    pub fn denial_reason(&self) -> String {
        self.reasons
            .iter()
            .find(|r| r.effect == Effect::Forbid)
            .map(|r| r.description.clone())
            .or_else(|| self.diagnostics.first().cloned())
            .unwrap_or_else(|| "the application is not assigned to you".into())
    }
}

/// The parsed base and instance policies of one instance, as one set ready for linking.
pub struct InstancePolicies {
    version: i64,
    checked: Mutex<Instant>,
    set: PolicySet,
    names: HashMap<String, String>,
    /// Stored policies that no longer validate (e.g. after a schema change): decisions deny
    /// while any exists, rather than silently dropping a forbid.
    broken: Vec<String>,
    /// Whether a policy consults groups' or org units' own entities ([`entities`]).
    directory_entities: bool,
    /// The groups and org units the instance's policies name.
    literals: HashSet<EntityUid>,
    /// Copies of `set` into which decisions link their grants.
    linked: linked::LinkedSets,
    /// The context attributes the base and instance policies read: a decision's context
    /// carries only these.
    context_reads: context::ContextReads,
}

impl InstancePolicies {
    /// The base access policies and the given instance policies (already validated).
    pub fn build(
        engine: &PolicyEngine,
        version: i64,
        stored: &[entity::access_policy::Model],
    ) -> InstancePolicies {
        let mut set = engine.access_policies().clone();
        let mut names = HashMap::new();
        let mut broken = Vec::new();
        let mut directory_entities = false;
        let mut literals = HashSet::new();
        let mut context_reads = context::ContextReads::default();
        for policy in set.policies() {
            context_reads.add_policy(policy);
        }
        for template in set.templates() {
            context_reads.add_template(template);
        }
        if set.template(&PolicyId::new(GRANT_TEMPLATE)).is_none() {
            broken.push(format!("the grant template {GRANT_TEMPLATE} is missing"));
        }
        for row in stored.iter().filter(|row| row.enabled) {
            let id = policies::cedar_id(&row.id);
            match engine.check_access_policy(&row.source) {
                Ok(policy) => {
                    directory_entities |= entities::reads_directory(&policy);
                    literals.extend(entities::directory_literals(&policy));
                    context_reads.add_policy(&policy);
                    if let Err(err) = set.add(policy.new_id(PolicyId::new(&id))) {
                        broken.push(format!("policy {:?}: {err}", row.name));
                    }
                    names.insert(id, row.name.clone());
                }
                Err(problems) => broken.push(format!(
                    "policy {:?} no longer validates: {}",
                    row.name,
                    problems
                        .iter()
                        .map(|p| p.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
            }
        }
        InstancePolicies {
            version,
            checked: Mutex::new(Instant::now()),
            names,
            broken,
            directory_entities,
            literals,
            linked: linked::LinkedSets::new(set.clone()),
            set,
            context_reads,
        }
    }
}

/// Access policies, grants, decisions and their simulation. Built once in `startup`.
#[derive(Clone)]
pub struct Access {
    pub store: Store,
    pub engine: Arc<PolicyEngine>,
    pub decisions: Arc<AccessService>,
    /// Applications as sign-ins read them: a change of scope must reach them at once.
    pub applications: Arc<FreshCache<Arc<Resolved>>>,
}

/// The access decision service: the engine and each instance's cached policies.
pub struct AccessService {
    engine: Arc<PolicyEngine>,
    cache: Mutex<HashMap<String, Arc<InstancePolicies>>>,
    extension_values: context::ExtensionValues,
}

impl AccessService {
    pub fn new(engine: Arc<PolicyEngine>) -> AccessService {
        AccessService {
            engine,
            cache: Mutex::new(HashMap::new()),
            extension_values: context::ExtensionValues::default(),
        }
    }

    pub fn engine(&self) -> &PolicyEngine {
        &self.engine
    }

    /// The one decision function: loads what the decision needs from the directory (the user,
    /// their memberships, the application, the grants that can apply) and asks Cedar.
    pub async fn decide(
        &self,
        store: &Store,
        request: &AccessRequest<'_>,
    ) -> AppResult<AccessDecision> {
        let (user, app) = tokio::try_join!(
            facts::load_user(store, request.user_id),
            facts::load_app(store, request.instance_id, request.application_id),
        )?;
        self.decide_on(store, request, &user, &app).await
    }

    /// [`Self::decide`] for a user and an application the caller has already read (the
    /// session's user with their memberships, the route's application): no reads of either
    /// on the SSO path.
    pub async fn decide_for(
        &self,
        store: &Store,
        request: &AccessRequest<'_>,
        user: &UserFacts,
        app: &entity::application::Model,
    ) -> AppResult<AccessDecision> {
        if user.id != request.user_id
            || app.id != request.application_id
            || app.instance_id != request.instance_id
        {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a decision was asked for other rows than its request names"
            )));
        }
        self.decide_on(store, request, user, &AppFacts::from(app))
            .await
    }

    async fn decide_on(
        &self,
        store: &Store,
        request: &AccessRequest<'_>,
        user: &UserFacts,
        app: &AppFacts,
    ) -> AppResult<AccessDecision> {
        let (links, policies) = tokio::try_join!(
            facts::links_for(store, app, user),
            self.policies_of(store, request.instance_id),
        )?;
        Ok(self.evaluate(&policies, user, app, &links, &request.context))
    }

    /// The instance's cached policies, reloaded when another node (or this one) changed them.
    pub async fn policies_of(
        &self,
        store: &Store,
        instance_id: &str,
    ) -> AppResult<Arc<InstancePolicies>> {
        let cached = self.lock_cache().get(instance_id).cloned();
        if let Some(cached) = &cached {
            let fresh = cached
                .checked
                .lock()
                .map(|at| at.elapsed() < REFRESH_INTERVAL)
                .unwrap_or(false);
            if fresh {
                return Ok(cached.clone());
            }
            if policies::version_of(store, instance_id).await? == cached.version {
                if let Ok(mut at) = cached.checked.lock() {
                    *at = Instant::now();
                }
                return Ok(cached.clone());
            }
        }
        let (version, stored) = policies::load(store, instance_id).await?;
        let loaded = Arc::new(InstancePolicies::build(&self.engine, version, &stored));
        self.lock_cache()
            .insert(instance_id.to_owned(), loaded.clone());
        Ok(loaded)
    }

    /// Forgets an instance's cached policies, after this node changed them.
    pub fn invalidate(&self, instance_id: &str) {
        self.lock_cache().remove(instance_id);
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<InstancePolicies>>> {
        // A poisoned cache is still a valid cache: entries are replaced whole.
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Decides from loaded facts: the engine alone, no database.
    pub fn evaluate(
        &self,
        policies: &InstancePolicies,
        user: &UserFacts,
        app: &AppFacts,
        links: &[Link],
        context: &AccessContext,
    ) -> AccessDecision {
        if !policies.broken.is_empty() {
            return AccessDecision {
                allowed: false,
                reasons: Vec::new(),
                diagnostics: policies.broken.clone(),
            };
        }
        let verdict =
            self.build(policies, user, app, links, context)
                .and_then(|(request, entities)| {
                    // Most decisions have no grant that covers the user: those link nothing.
                    if links.is_empty() {
                        return Ok(self.engine.decide_with(&request, &policies.set, &entities));
                    }
                    let names = Names::get()?;
                    let linked = policies.linked.with(
                        names,
                        links,
                        &names.uid(Kind::Application, &app.id),
                    )?;
                    Ok(self.engine.decide_with(&request, linked.set(), &entities))
                });
        let verdict = match verdict {
            Ok(verdict) => verdict,
            Err(err) => {
                return AccessDecision {
                    allowed: false,
                    reasons: Vec::new(),
                    diagnostics: vec![err],
                }
            }
        };
        let reasons = verdict
            .determining
            .iter()
            .map(|id| self.reason(policies, links, id))
            .collect();
        AccessDecision {
            allowed: verdict.allowed && verdict.errors.is_empty(),
            reasons,
            diagnostics: verdict.errors,
        }
    }

    fn reason(&self, policies: &InstancePolicies, links: &[Link], id: &str) -> Reason {
        let policy = policies.set.policy(&PolicyId::new(id));
        // Links are of the grant template, a permit.
        let effect = match policy.map(cedar_policy::Policy::effect) {
            Some(cedar_policy::Effect::Forbid) => Effect::Forbid,
            _ => Effect::Permit,
        };
        if let Some(link) = links.iter().find(|l| l.policy_id == id) {
            return Reason {
                policy_id: id.to_owned(),
                effect,
                source: PolicySource::Grant(link.subject.clone()),
                description: link.subject.describe(),
            };
        }
        if let Some(name) = policies.names.get(id) {
            return Reason {
                policy_id: id.to_owned(),
                effect,
                source: PolicySource::Instance {
                    policy_id: id.trim_start_matches(policies::CEDAR_PREFIX).to_owned(),
                    name: name.clone(),
                },
                description: format!("the instance's policy “{name}”"),
            };
        }
        Reason {
            policy_id: id.to_owned(),
            effect,
            source: PolicySource::Base,
            description: policy
                .and_then(|p| p.annotation("description"))
                .unwrap_or(id)
                .to_owned(),
        }
    }

    /// The request and the entities.
    fn build(
        &self,
        policies: &InstancePolicies,
        user: &UserFacts,
        app: &AppFacts,
        links: &[Link],
        context: &AccessContext,
    ) -> Result<(Request, Entities), String> {
        // Without the schema: with it Cedar would check each entity's attributes and add an
        // entity for every action of the schema (the admin actions too) on every decision. The
        // entities are built here from typed facts, and the access policies only name the
        // `sso` action by equality (checked when they are saved), so neither is needed.
        let wanted = if policies.directory_entities {
            entities::Ancestors::Directory
        } else {
            entities::Ancestors::Named {
                links,
                literals: &policies.literals,
            }
        };
        // Added to an empty set rather than built with `from_entities`: both compute the
        // transitive closure and refuse cycles, but `from_entities` runs Cedar's
        // strongly-connected-components pass, which cost a third of a decision here.
        let entities = Entities::empty()
            .add_entities(entities::of(user, app, &wanted)?, None)
            .map_err(|err| format!("entities: {err}"))?;
        let names = Names::get()?;
        let action = names.action(SSO_ACTION);
        let context = Context::from_pairs(self.extension_values.context_pairs(
            context,
            app,
            &policies.context_reads,
        ))
        .map_err(|err| format!("context: {err}"))?;
        // Not validated against the schema for the same reason: the request's types and its
        // context are fixed by this code (a unit test validates them against the schema).
        let request = Request::new(
            names.uid(Kind::User, &user.id),
            action,
            names.uid(Kind::Application, &app.id),
            context,
            None,
        )
        .map_err(|err| format!("request: {err}"))?;
        Ok((request, entities))
    }
}

/// Writes the audit event of an SSO decision (allowed or denied) with the policies that
/// determined it. Returns the event id: the reference an employee sees on a denial page.
pub async fn record_decision(
    store: &Store,
    request: &AccessRequest<'_>,
    username: &str,
    decision: &AccessDecision,
) -> AppResult<String> {
    let id = new_id();
    store
        .log_one(entity::audit_event::ActiveModel {
            id: Set(id.clone()),
            instance_id: Set(Some(request.instance_id.to_owned())),
            actor_kind: Set("user".into()),
            actor_id: Set(request.user_id.to_owned()),
            actor_name: Set(username.to_owned()),
            action: Set(SSO_ACTION.into()),
            target_kind: Set("application".into()),
            target_id: Set(Some(request.application_id.to_owned())),
            outcome: Set(if decision.allowed { "allow" } else { "deny" }.into()),
            summary: Set(decision_summary(request, decision)),
            client_ip: Set(Some(request.context.source_ip.to_string())),
            created_at: Set(request.context.now),
        })
        .await?;
    Ok(id)
}

/// What the audit event of a decision says beyond its outcome; a denial says why in words
/// (`reason`, which the instance overview counts refusals by).
fn decision_summary(request: &AccessRequest<'_>, decision: &AccessDecision) -> serde_json::Value {
    let mut summary = serde_json::json!({
        "determiningPolicies": decision.determining(),
        "diagnostics": decision.diagnostics,
        "initiatedBy": request.context.initiated_by.as_str(),
        "mfa": request.context.mfa,
        "assuranceLevel": request.context.assurance_level,
    });
    if !decision.allowed {
        summary["reason"] = decision.denial_reason().into();
    }
    summary
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::authz::uid;
    use entity::application::AuthorizationScope;

    fn alice() -> UserFacts {
        UserFacts {
            id: "u1".into(),
            instance_id: "i1".into(),
            username: "alice".into(),
            display_name: "Alice".into(),
            email: "alice@corp.example".into(),
            status: "active".into(),
            groups: vec!["g1".into(), "g2".into()],
            org_unit_paths: vec!["/root/eng/platform/".into(), "/root/sales/".into()],
        }
    }

    pub(crate) fn app(scope: AuthorizationScope) -> AppFacts {
        AppFacts {
            id: "a1".into(),
            instance_id: "i1".into(),
            name: "Alibaba Cloud".into(),
            template_id: "alibaba-cloud-user-sso-intl".into(),
            enabled: true,
            sso_enabled: true,
            idp_initiation_allowed: true,
            scope,
        }
    }

    fn stored(id: &str, source: &str) -> entity::access_policy::Model {
        entity::access_policy::Model {
            id: id.into(),
            instance_id: "i1".into(),
            name: id.into(),
            description: String::new(),
            source: source.into(),
            enabled: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn link(id: &str, subject: LinkSubject) -> Link {
        Link {
            policy_id: format!("grant:{id}"),
            subject,
        }
    }

    /// Decisions skip Cedar's schema checks of entities and requests (they cost more than the
    /// evaluation); this is where what they build is checked against the schema instead, with
    /// and without the directory's own entities.
    #[test]
    fn decision_entities_and_requests_conform_to_the_schema() {
        let engine = PolicyEngine::embedded().expect("embedded policies are valid");
        let schema = engine.schema();
        let user = alice();
        let app = app(AuthorizationScope::AllMembers);
        let literals = [uid(Kind::OrgUnit, "eng")].into();
        let links = [link("g", LinkSubject::Group("g2".into()))];
        let named = entities::Ancestors::Named {
            links: &links,
            literals: &literals,
        };
        for wanted in [named, entities::Ancestors::Directory] {
            let entities = entities::of(&user, &app, &wanted).expect("entities");
            let count = entities.len();
            let alice = entities
                .iter()
                .find(|e| e.uid() == uid(Kind::User, "u1"))
                .expect("alice");
            let parents = alice.clone().into_inner().2.len();
            Entities::from_entities(entities, Some(schema)).expect("the entities conform");
            match wanted {
                // The application and alice, in the instance, group g2 and eng.
                entities::Ancestors::Named { .. } => assert_eq!((count, parents), (2, 3)),
                // Then the instance, her 2 groups and 4 org units too.
                entities::Ancestors::Directory => assert_eq!((count, parents), (9, 7)),
            }
        }
        let mut context = AccessContext::unspecified();
        context.source_ip = "2001:db8::1".parse().unwrap();
        context.mfa = true;
        context.auth_methods = vec!["password".into(), "email_code".into()];
        let pairs = context::ExtensionValues::default().context_pairs(
            &context,
            &app,
            &context::ContextReads::all(),
        );
        let context = Context::from_pairs(pairs).expect("a context");
        Request::new(
            uid(Kind::User, &user.id),
            uid(Kind::Action, SSO_ACTION),
            uid(Kind::Application, &app.id),
            context,
            Some(schema),
        )
        .expect("the request conforms");
    }

    #[test]
    fn only_policies_that_ask_about_a_group_or_unit_itself_need_the_directory_entities() {
        let engine = PolicyEngine::embedded().expect("embedded policies are valid");
        let reads = |body: &str| {
            let source = format!(
                "forbid (principal, action == Lanyard::Action::\"sso\", resource) when {{ {body} }};"
            );
            let policy = engine
                .check_access_policy(&source)
                .unwrap_or_else(|problems| panic!("{source}: {problems:?}"));
            entities::reads_directory(&policy)
        };
        assert!(!reads("principal in Lanyard::Group::\"g1\""));
        assert!(!reads(
            "principal in [Lanyard::Group::\"g1\", Lanyard::Group::\"g2\"]"
        ));
        assert!(!reads(
            "!(principal in Lanyard::OrgUnit::\"eng\") && context.mfa"
        ));
        assert!(!reads(
            "principal is Lanyard::User in Lanyard::OrgUnit::\"eng\""
        ));
        assert!(reads(
            "Lanyard::OrgUnit::\"platform\" in Lanyard::OrgUnit::\"eng\""
        ));
        assert!(reads("principal == Lanyard::Group::\"g1\""));
        assert!(reads(
            "(if context.mfa then Lanyard::Group::\"g1\" else Lanyard::Group::\"g2\") in principal.instance"
        ));
        // Base policies and the grant template only test the principal's ancestors.
        let base = engine.access_policies();
        assert!(base.policies().all(|p| !entities::reads_directory(p)));
        let build = |sources: &[&str]| {
            let rows: Vec<_> = sources
                .iter()
                .enumerate()
                .map(|(n, source)| stored(&format!("p{n}"), source))
                .collect();
            InstancePolicies::build(&engine, 1, &rows).directory_entities
        };
        assert!(!build(&[]));
        assert!(build(&[
            "permit (principal in Lanyard::Group::\"g1\", action == Lanyard::Action::\"sso\", resource);",
            "forbid (principal, action == Lanyard::Action::\"sso\", resource) when { Lanyard::OrgUnit::\"platform\" in Lanyard::OrgUnit::\"eng\" };",
        ]));
    }

    /// The decision with the grants linked into a fresh copy of the whole set.
    fn as_one_set(
        service: &AccessService,
        policies: &InstancePolicies,
        user: &UserFacts,
        app: &AppFacts,
        links: &[Link],
        context: &AccessContext,
    ) -> (bool, Vec<String>) {
        let (request, entities) = service
            .build(policies, user, app, links, context)
            .expect("built");
        let mut set = policies.set.clone();
        for link in links {
            let slots = HashMap::from([
                (
                    cedar_policy::SlotId::principal(),
                    link.subject.uid(Names::get().expect("names")),
                ),
                (
                    cedar_policy::SlotId::resource(),
                    uid(Kind::Application, &app.id),
                ),
            ]);
            set.link(
                PolicyId::new(GRANT_TEMPLATE),
                PolicyId::new(&link.policy_id),
                slots,
            )
            .expect("linked");
        }
        let verdict = service.engine.decide_with(&request, &set, &entities);
        let mut ids = verdict.determining;
        ids.sort();
        (verdict.allowed && verdict.errors.is_empty(), ids)
    }

    /// The two-entity form decides exactly as the full directory does, for every policy that
    /// does not ask about a group or unit itself; and one that does gets the full form.
    #[test]
    fn decisions_with_two_entities_equal_decisions_with_the_whole_directory() {
        let engine = Arc::new(PolicyEngine::embedded().expect("embedded policies are valid"));
        let service = AccessService::new(engine.clone());
        let policy_sets: Vec<Vec<&str>> = vec![
            vec![],
            vec!["forbid (principal, action == Lanyard::Action::\"sso\", resource) unless { context.mfa };"],
            vec!["forbid (principal in Lanyard::OrgUnit::\"eng\", action == Lanyard::Action::\"sso\", resource);"],
            vec![
                "permit (principal in Lanyard::Group::\"g2\", action == Lanyard::Action::\"sso\", resource == Lanyard::Application::\"a1\");",
                "forbid (principal, action == Lanyard::Action::\"sso\", resource) when { principal in [Lanyard::OrgUnit::\"sales\", Lanyard::OrgUnit::\"hr\"] && context.hourUtc > 30 };",
            ],
            vec!["forbid (principal, action == Lanyard::Action::\"sso\", resource) when { Lanyard::OrgUnit::\"platform\" in Lanyard::OrgUnit::\"eng\" };"],
        ];
        let mut bob = alice();
        bob.id = "u2".into();
        bob.groups = vec![];
        bob.org_unit_paths = vec!["/root/sales/".into()];
        let mut carol = alice();
        carol.id = "u3".into();
        carol.status = "disabled".into();
        let mut dave = alice();
        dave.id = "u4".into();
        dave.instance_id = "i2".into();
        let users = [alice(), bob, carol, dave];
        let link_sets = [
            vec![Link::all_members(&app(AuthorizationScope::AllMembers))],
            vec![link("g", LinkSubject::Group("g1".into()))],
            vec![link("o", LinkSubject::OrgUnit("root".into()))],
            vec![link("u", LinkSubject::User("u2".into()))],
            vec![],
        ];
        let mut compared = 0;
        for (n, sources) in policy_sets.iter().enumerate() {
            let rows: Vec<_> = sources
                .iter()
                .enumerate()
                .map(|(m, source)| stored(&format!("p{n}-{m}"), source))
                .collect();
            let mut full = InstancePolicies::build(&engine, 1, &rows);
            let needs_directory = full.directory_entities;
            full.directory_entities = true;
            let mut two = InstancePolicies::build(&engine, 1, &rows);
            two.directory_entities = false;
            for user in &users {
                for links in &link_sets {
                    for mfa in [false, true] {
                        let mut context = AccessContext::unspecified();
                        context.mfa = mfa;
                        let app = app(AuthorizationScope::Manual);
                        let a = service.evaluate(&full, user, &app, links, &context);
                        let b = service.evaluate(&two, user, &app, links, &context);
                        assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
                        if needs_directory {
                            // Only with the units' own entities does Cedar know that platform
                            // is inside eng (alice's chain is root/eng/platform).
                            if user.id == "u1"
                                && links.len() == 1
                                && links[0].policy_id == "grant:all-members"
                            {
                                assert!(!a.allowed);
                                assert!(a.determining().contains(&"policy:p4-0".to_owned()));
                                assert!(b.allowed, "without them the forbid does not apply");
                            }
                            continue;
                        }
                        let sorted = |d: &AccessDecision| {
                            let mut ids = d.determining();
                            ids.sort();
                            (d.allowed, ids)
                        };
                        // The pooled copies, reused decision after decision, decide as a fresh
                        // copy does: no link of an earlier decision stays behind.
                        assert_eq!(
                            sorted(&b),
                            as_one_set(&service, &two, user, &app, links, &context),
                            "{sources:?}, user {}, links {links:?}, mfa {mfa}",
                            user.id
                        );
                        assert_eq!(
                            sorted(&a),
                            sorted(&b),
                            "{sources:?}, user {}, links {links:?}, mfa {mfa}",
                            user.id
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 4 * 5 * 2);
    }

    /// The kept `ip` and `datetime` values are those of each decision's own context.
    #[test]
    fn kept_context_values_follow_each_decision() {
        let engine = Arc::new(PolicyEngine::embedded().expect("embedded policies are valid"));
        let service = AccessService::new(engine.clone());
        let rows = [
            stored(
                "office",
                "forbid (principal, action == Lanyard::Action::\"sso\", resource) unless { context.sourceIp.isInRange(ip(\"10.0.0.0/8\")) };",
            ),
            stored(
                "until",
                "forbid (principal, action == Lanyard::Action::\"sso\", resource) when { context.now >= datetime(\"2026-11-29T08:00:01Z\") };",
            ),
        ];
        let policies = InstancePolicies::build(&engine, 1, &rows);
        let app = app(AuthorizationScope::AllMembers);
        let links = [Link::all_members(&app)];
        let at = |ip: &str, time: &str| {
            let mut context = AccessContext::unspecified();
            context.source_ip = ip.parse().unwrap();
            context.now = time.parse().unwrap();
            service
                .evaluate(&policies, &alice(), &app, &links, &context)
                .allowed
        };
        assert!(at("10.1.2.3", "2026-11-29T08:00:00.100Z"));
        assert!(!at("192.0.2.1", "2026-11-29T08:00:00.200Z"));
        assert!(at("10.1.2.3", "2026-11-29T08:00:00.999Z"));
        assert!(!at("10.1.2.3", "2026-11-29T08:00:01.000Z"));
        assert!(at("10.9.9.9", "2026-11-29T07:59:59.000Z"));
        assert!(!at("2001:db8::1", "2026-11-29T07:59:59.000Z"));
    }
}
