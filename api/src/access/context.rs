//! The Cedar context of a decision: what the request carries besides who and which application.
//!
//! `context.sourceIp` and `context.now` are Cedar extension values (`ip`, `datetime`). Building
//! one runs Cedar's parser on the extension's name, which cost more than the rest of the
//! context, so the values are kept: per client address (a bounded set), and per second for
//! `now`, which therefore has whole-second precision.
//!
//! A decision's context carries only the attributes some policy of the instance reads
//! ([`ContextReads`]): an attribute no policy mentions cannot change a decision, and Cedar
//! evaluates every extension value of a context when it is built.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Mutex;

use cedar_policy::{Policy, RestrictedExpression, Template};
use chrono::{Datelike, Timelike};
use serde_json::Value;

use super::facts::AppFacts;
use super::AccessContext;

/// How many client addresses keep their value; past that the set starts over.
const MAX_ADDRESSES: usize = 4096;

/// The kept extension values of one process.
#[derive(Default)]
pub struct ExtensionValues {
    addresses: Mutex<HashMap<IpAddr, RestrictedExpression>>,
    second: Mutex<Option<(i64, RestrictedExpression)>>,
}

impl ExtensionValues {
    fn address(&self, ip: IpAddr) -> RestrictedExpression {
        let mut addresses = self
            .addresses
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(value) = addresses.get(&ip) {
            return value.clone();
        }
        if addresses.len() >= MAX_ADDRESSES {
            addresses.clear();
        }
        let value = RestrictedExpression::new_ip(ip.to_string());
        addresses.insert(ip, value.clone());
        value
    }

    fn instant(&self, now: chrono::DateTime<chrono::Utc>) -> RestrictedExpression {
        let second = now.timestamp();
        let mut kept = self
            .second
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*kept {
            Some((at, value)) if *at == second => value.clone(),
            _ => {
                let value = RestrictedExpression::new_datetime(
                    now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                );
                *kept = Some((second, value.clone()));
                value
            }
        }
    }

    /// The context's attributes that `reads` names, as the schema's `sso` action declares them.
    pub fn context_pairs(
        &self,
        context: &AccessContext,
        app: &AppFacts,
        reads: &ContextReads,
    ) -> Vec<(String, RestrictedExpression)> {
        let now = context.now;
        let mut pairs = Vec::with_capacity(12);
        let mut add = |name: &str, value: &dyn Fn() -> RestrictedExpression| {
            if reads.reads(name) {
                pairs.push((name.to_owned(), value()));
            }
        };
        add("sourceIp", &|| self.address(context.source_ip));
        add("now", &|| self.instant(now));
        add("hourUtc", &|| {
            RestrictedExpression::new_long(i64::from(now.hour()))
        });
        add("weekdayUtc", &|| {
            RestrictedExpression::new_long(i64::from(now.weekday().number_from_monday()))
        });
        add("mfa", &|| RestrictedExpression::new_bool(context.mfa));
        add("assuranceLevel", &|| {
            RestrictedExpression::new_long(i64::from(context.assurance_level))
        });
        add("authMethods", &|| {
            RestrictedExpression::new_set(
                context
                    .auth_methods
                    .iter()
                    .map(|m| RestrictedExpression::new_string(m.clone())),
            )
        });
        add("initiatedBy", &|| {
            RestrictedExpression::new_string(context.initiated_by.as_str().into())
        });
        add("template", &|| {
            RestrictedExpression::new_string(app.template_id.clone())
        });
        add("applicationEnabled", &|| {
            RestrictedExpression::new_bool(app.enabled)
        });
        add("ssoEnabled", &|| {
            RestrictedExpression::new_bool(app.sso_enabled)
        });
        add("idpInitiationAllowed", &|| {
            RestrictedExpression::new_bool(app.idp_initiation_allowed)
        });
        pairs
    }
}

/// The context attributes a set of policies reads: those it names in `context.x`,
/// `context["x"]` or `context has x`. Conservative: a policy that uses `context` any other
/// way (as a whole value) reads everything, and so does one whose JSON form is unavailable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextReads {
    all: bool,
    names: HashSet<String>,
}

impl ContextReads {
    /// Every attribute: what a request checked against the schema needs.
    pub fn all() -> ContextReads {
        ContextReads {
            all: true,
            names: HashSet::new(),
        }
    }

    pub fn reads(&self, name: &str) -> bool {
        self.all || self.names.contains(name)
    }

    pub fn add_policy(&mut self, policy: &Policy) {
        match policy.to_json() {
            Ok(est) => self.walk(&est),
            Err(_) => self.all = true,
        }
    }

    pub fn add_template(&mut self, template: &Template) {
        match template.to_json() {
            Ok(est) => self.walk(&est),
            Err(_) => self.all = true,
        }
    }

    fn walk(&mut self, expr: &Value) {
        match expr {
            Value::Array(items) => items.iter().for_each(|item| self.walk(item)),
            Value::Object(map) => {
                for access in [".", "has"] {
                    if let (1, Some(Value::Object(operands))) = (map.len(), map.get(access)) {
                        let on_context = operands
                            .get("left")
                            .and_then(|left| left.get("Var"))
                            .and_then(Value::as_str)
                            == Some("context");
                        if let (true, Some(attr)) =
                            (on_context, operands.get("attr").and_then(Value::as_str))
                        {
                            self.names.insert(attr.to_owned());
                            return;
                        }
                    }
                }
                if map.get("Var").and_then(Value::as_str) == Some("context") {
                    self.all = true;
                    return;
                }
                map.values().for_each(|value| self.walk(value));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::PolicyEngine;

    fn reads_of(sources: &[&str]) -> ContextReads {
        let mut reads = ContextReads::default();
        for source in sources {
            let policy: Policy = source.parse().expect("a policy");
            reads.add_policy(&policy);
        }
        reads
    }

    fn named(names: &[&str]) -> ContextReads {
        ContextReads {
            all: false,
            names: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn the_base_policies_read_only_the_application_and_initiation_flags() {
        let engine = PolicyEngine::embedded().expect("embedded policies are valid");
        let mut reads = ContextReads::default();
        engine
            .access_policies()
            .policies()
            .for_each(|p| reads.add_policy(p));
        engine
            .access_policies()
            .templates()
            .for_each(|t| reads.add_template(t));
        assert_eq!(
            reads,
            named(&[
                "applicationEnabled",
                "ssoEnabled",
                "initiatedBy",
                "idpInitiationAllowed"
            ])
        );
    }

    #[test]
    fn every_way_of_naming_an_attribute_counts() {
        let reads = reads_of(&[
            "forbid (principal, action, resource) unless { context.sourceIp.isInRange(ip(\"10.0.0.0/8\")) };",
            "forbid (principal, action, resource) when { context has now && context[\"hourUtc\"] < 9 };",
            // An escape in the attribute's name is still the attribute.
            "forbid (principal, action, resource) when { context[\"auth\\u{4d}ethods\"].contains(\"otp\") };",
            // `principal.mfa` is not the context's.
            "permit (principal, action, resource) when { principal has mfa };",
        ]);
        assert_eq!(reads, named(&["sourceIp", "now", "hourUtc", "authMethods"]));
        assert!(!reads.reads("mfa"));
    }

    #[test]
    fn the_whole_context_as_a_value_reads_everything() {
        let reads = reads_of(&["forbid (principal, action, resource) when { context == {} };"]);
        assert!(reads.reads("mfa") && reads.reads("sourceIp"));
        let reads =
            reads_of(&["forbid (principal, action, resource) when { {\"c\": context}.c.mfa };"]);
        assert!(reads.reads("template"));
    }

    #[test]
    fn a_context_has_only_what_is_read() {
        let values = ExtensionValues::default();
        let app = crate::access::tests::app(entity::application::AuthorizationScope::AllMembers);
        let context = AccessContext::unspecified();
        let pairs = values.context_pairs(&context, &app, &named(&["mfa", "now"]));
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["now", "mfa"]);
        assert_eq!(
            values
                .context_pairs(&context, &app, &ContextReads::all())
                .len(),
            12
        );
    }
}
