//! Access decisions: may this employee single-sign-on into this application? One function,
//! [`AccessService::decide`], answers for the SAML routes, the portal and the admin's
//! "explain"; Cedar is the only thing that decides.
//!
//! A decision evaluates only the policies that can apply: the base access policies, the
//! instance's own (cached per instance, reloaded when the instance's `access_version` moves),
//! and the grant links whose resource is the application *and* whose principal is the user,
//! one of their groups, one of their org units or an ancestor, or the instance. So its cost
//! depends on the user's memberships, never on how many grants exist.

pub mod facts;
pub mod grants;
pub mod policies;
pub mod simulate;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cedar_policy::{
    Context, Entities, Entity, EntityUid, PolicyId, PolicySet, Request, RestrictedExpression,
    SlotId,
};
use chrono::{DateTime, Datelike, Timelike, Utc};
use sea_orm::{ActiveModelTrait, Set};

use crate::authz::{action_uid, uid, PolicyEngine, GRANT_TEMPLATE, SSO_ACTION};
use crate::db::Store;
use crate::error::AppResult;
use crate::ids::new_id;
use facts::{AppFacts, Link, LinkSubject, UserFacts};

/// How long a node trusts its cached copy of an instance's policies before it asks the database
/// whether they changed. Changes made on another node take effect within this interval.
pub const REFRESH_INTERVAL: Duration = Duration::from_millis(500);

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
            auth_methods: vec!["password".into()],
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
        for row in stored.iter().filter(|row| row.enabled) {
            let id = policies::cedar_id(&row.id);
            match engine.check_access_policy(&row.source) {
                Ok(policy) => {
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
            set,
            names,
            broken,
        }
    }
}

/// The access decision service: the engine and each instance's cached policies.
pub struct AccessService {
    engine: Arc<PolicyEngine>,
    cache: Mutex<HashMap<String, Arc<InstancePolicies>>>,
}

impl AccessService {
    pub fn new(engine: Arc<PolicyEngine>) -> AccessService {
        AccessService {
            engine,
            cache: Mutex::new(HashMap::new()),
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
        let links = facts::links_for(store, &app, &user).await?;
        let policies = self.policies_of(store, request.instance_id).await?;
        Ok(self.evaluate(&policies, &user, &app, &links, &request.context))
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
        let (request, entities, set) = match self.build(policies, user, app, links, context) {
            Ok(built) => built,
            Err(err) => {
                return AccessDecision {
                    allowed: false,
                    reasons: Vec::new(),
                    diagnostics: vec![err],
                }
            }
        };
        let verdict = self.engine.decide_with(&request, &set, &entities);
        let reasons = verdict
            .determining
            .iter()
            .map(|id| self.reason(policies, &set, links, id))
            .collect();
        AccessDecision {
            allowed: verdict.allowed && verdict.errors.is_empty(),
            reasons,
            diagnostics: verdict.errors,
        }
    }

    fn reason(
        &self,
        policies: &InstancePolicies,
        set: &PolicySet,
        links: &[Link],
        id: &str,
    ) -> Reason {
        let policy = set.policy(&PolicyId::new(id));
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

    fn build(
        &self,
        policies: &InstancePolicies,
        user: &UserFacts,
        app: &AppFacts,
        links: &[Link],
        context: &AccessContext,
    ) -> Result<(Request, Entities, PolicySet), String> {
        let app_uid = uid("Application", &app.id);
        let mut set = policies.set.clone();
        let template = PolicyId::new(GRANT_TEMPLATE);
        for link in links {
            let slots = HashMap::from([
                (SlotId::principal(), link.subject.uid()),
                (SlotId::resource(), app_uid.clone()),
            ]);
            set.link(template.clone(), PolicyId::new(&link.policy_id), slots)
                .map_err(|err| format!("linking {}: {err}", link.policy_id))?;
        }
        // Without the schema: with it Cedar would check each entity's attributes and add an
        // entity for every action of the schema (the admin actions too) on every decision. The
        // entities are built here from typed facts, and the access policies only name the
        // `sso` action by equality (checked when they are saved), so neither is needed.
        let entities = Entities::from_entities(entities_of(user, app)?, None)
            .map_err(|err| format!("entities: {err}"))?;
        let action = action_uid(SSO_ACTION);
        let context = Context::from_pairs(context_pairs(context, app)?)
            .map_err(|err| format!("context: {err}"))?;
        // Not validated against the schema for the same reason: the request's types and its
        // context are fixed by this code (a unit test validates them against the schema).
        let request = Request::new(uid("User", &user.id), action, app_uid, context, None)
            .map_err(|err| format!("request: {err}"))?;
        Ok((request, entities, set))
    }
}

fn entities_of(user: &UserFacts, app: &AppFacts) -> Result<Vec<Entity>, String> {
    let instance = |id: &str| uid("Instance", id);
    let mut out = vec![
        Entity::with_uid(instance(&user.instance_id)),
        Entity::new_no_attrs(
            uid("Application", &app.id),
            [instance(&app.instance_id)].into(),
        ),
    ];
    if app.instance_id != user.instance_id {
        out.push(Entity::with_uid(instance(&app.instance_id)));
    }
    let mut parents: std::collections::HashSet<EntityUid> = [instance(&user.instance_id)].into();
    for group in &user.groups {
        let group_uid = uid("Group", group);
        out.push(Entity::new_no_attrs(
            group_uid.clone(),
            [instance(&user.instance_id)].into(),
        ));
        parents.insert(group_uid);
    }
    let mut seen = std::collections::HashSet::new();
    for path in &user.org_unit_paths {
        let chain: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if let Some(direct) = chain.last() {
            parents.insert(uid("OrgUnit", direct));
        }
        for (depth, unit) in chain.iter().enumerate() {
            if !seen.insert(*unit) {
                continue;
            }
            let parent = match depth.checked_sub(1).and_then(|d| chain.get(d)) {
                Some(up) => uid("OrgUnit", up),
                None => instance(&user.instance_id),
            };
            out.push(Entity::new_no_attrs(uid("OrgUnit", unit), [parent].into()));
        }
    }
    let attrs = HashMap::from([
        (
            "username".to_owned(),
            RestrictedExpression::new_string(user.username.clone()),
        ),
        (
            "displayName".to_owned(),
            RestrictedExpression::new_string(user.display_name.clone()),
        ),
        (
            "email".to_owned(),
            RestrictedExpression::new_string(user.email.clone()),
        ),
        (
            "status".to_owned(),
            RestrictedExpression::new_string(user.status.clone()),
        ),
        (
            "instance".to_owned(),
            RestrictedExpression::new_entity_uid(instance(&user.instance_id)),
        ),
    ]);
    out.push(Entity::new(uid("User", &user.id), attrs, parents).map_err(|err| err.to_string())?);
    Ok(out)
}

fn context_pairs(
    context: &AccessContext,
    app: &AppFacts,
) -> Result<Vec<(String, RestrictedExpression)>, String> {
    let now = context.now;
    // The extension values are built directly: parsing `ip("…")` as Cedar text on every
    // decision cost more than the rest of the decision. Both strings come from typed values
    // (`IpAddr`, a UTC instant), so the constructors cannot fail on them.
    Ok(vec![
        (
            "sourceIp".into(),
            RestrictedExpression::new_ip(context.source_ip.to_string()),
        ),
        (
            "now".into(),
            RestrictedExpression::new_datetime(now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        ),
        (
            "hourUtc".into(),
            RestrictedExpression::new_long(i64::from(now.hour())),
        ),
        (
            "weekdayUtc".into(),
            RestrictedExpression::new_long(i64::from(now.weekday().number_from_monday())),
        ),
        ("mfa".into(), RestrictedExpression::new_bool(context.mfa)),
        (
            "authMethods".into(),
            RestrictedExpression::new_set(
                context
                    .auth_methods
                    .iter()
                    .map(|m| RestrictedExpression::new_string(m.clone())),
            ),
        ),
        (
            "initiatedBy".into(),
            RestrictedExpression::new_string(context.initiated_by.as_str().into()),
        ),
        (
            "template".into(),
            RestrictedExpression::new_string(app.template_id.clone()),
        ),
        (
            "applicationEnabled".into(),
            RestrictedExpression::new_bool(app.enabled),
        ),
        (
            "ssoEnabled".into(),
            RestrictedExpression::new_bool(app.sso_enabled),
        ),
        (
            "idpInitiationAllowed".into(),
            RestrictedExpression::new_bool(app.idp_initiation_allowed),
        ),
    ])
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
    let txn = store.begin_write().await?;
    entity::audit_event::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(Some(request.instance_id.to_owned())),
        actor_kind: Set("user".into()),
        actor_id: Set(request.user_id.to_owned()),
        actor_name: Set(username.to_owned()),
        action: Set(SSO_ACTION.into()),
        target_kind: Set("application".into()),
        target_id: Set(Some(request.application_id.to_owned())),
        outcome: Set(if decision.allowed { "allow" } else { "deny" }.into()),
        summary: Set(serde_json::json!({
            "determiningPolicies": decision.determining(),
            "diagnostics": decision.diagnostics,
            "initiatedBy": request.context.initiated_by.as_str(),
            "mfa": request.context.mfa,
        })),
        client_ip: Set(Some(request.context.source_ip.to_string())),
        created_at: Set(request.context.now),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::application::AuthorizationScope;

    /// Decisions skip Cedar's schema checks of entities and requests (they cost more than the
    /// evaluation); this is where what they build is checked against the schema instead.
    #[test]
    fn decision_entities_and_requests_conform_to_the_schema() {
        let engine = PolicyEngine::embedded().expect("embedded policies are valid");
        let schema = engine.schema();
        let user = UserFacts {
            id: "u1".into(),
            instance_id: "i1".into(),
            username: "alice".into(),
            display_name: "Alice".into(),
            email: "alice@corp.example".into(),
            status: "active".into(),
            groups: vec!["g1".into(), "g2".into()],
            org_unit_paths: vec!["/root/eng/platform/".into(), "/root/sales/".into()],
        };
        let app = AppFacts {
            id: "a1".into(),
            instance_id: "i1".into(),
            name: "Alibaba Cloud".into(),
            template_id: "alibaba-cloud-user-sso-intl".into(),
            enabled: true,
            sso_enabled: true,
            idp_initiation_allowed: true,
            scope: AuthorizationScope::AllMembers,
        };
        let entities = entities_of(&user, &app).expect("entities");
        Entities::from_entities(entities, Some(schema)).expect("the entities conform");
        let mut context = AccessContext::unspecified();
        context.source_ip = "2001:db8::1".parse().unwrap();
        context.mfa = true;
        context.auth_methods = vec!["password".into(), "email_code".into()];
        let pairs = context_pairs(&context, &app).expect("context");
        let context = Context::from_pairs(pairs).expect("a context");
        Request::new(
            uid("User", &user.id),
            action_uid(SSO_ACTION),
            uid("Application", &app.id),
            context,
            Some(schema),
        )
        .expect("the request conforms");
    }
}
