//! The Cedar context of a decision: what the request carries besides who and which application.
//!
//! `context.sourceIp` and `context.now` are Cedar extension values (`ip`, `datetime`). Building
//! one runs Cedar's parser on the extension's name, which cost more than the rest of the
//! context, so the values are kept: per client address (a bounded set), and per second for
//! `now`, which therefore has whole-second precision.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use cedar_policy::RestrictedExpression;
use chrono::{Datelike, Timelike};

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

    /// The context's attributes, as the schema's `sso` action declares them.
    pub fn context_pairs(
        &self,
        context: &AccessContext,
        app: &AppFacts,
    ) -> Vec<(String, RestrictedExpression)> {
        let now = context.now;
        vec![
            ("sourceIp".into(), self.address(context.source_ip)),
            ("now".into(), self.instant(now)),
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
        ]
    }
}
