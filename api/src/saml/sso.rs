//! The SSO flow shared by IdP- and SP-initiated sign-ins: an employee's session and an
//! application → the access decision → either a signed Response in the HTTP-POST form, or a
//! denial with a reference. The decision and its determining policies are audited either way;
//! no assertion is built without an allowing decision.

use chrono::{Duration, Utc};
use entity::application::Initiation;
use entity::user;

use super::endpoints;
use super::response::{self, Attribute, PostForm, ResponseContent, SignatureMethod};
use crate::apps::applications::{name_id_for, Resolved};
use crate::audit::{self, AuditRecord};
use crate::auth::employee_sessions::EmployeeSession;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::keys;
use crate::state::AppState;

/// Who started the sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiator {
    /// From Lanyard's portal.
    Idp,
    /// An AuthnRequest from the application.
    Sp,
}

impl Initiator {
    fn as_str(self) -> &'static str {
        match self {
            Initiator::Idp => "idp",
            Initiator::Sp => "sp",
        }
    }
}

/// What the response answers.
#[derive(Clone, Debug)]
pub enum Answering<'a> {
    /// IdP-initiated: no request; the application's default RelayState.
    Unsolicited,
    /// A verified AuthnRequest.
    Request {
        request_id: &'a str,
        relay_state: Option<&'a str>,
    },
}

/// The outcome an employee sees.
pub enum Outcome {
    /// A signed Response on its way to the ACS.
    Post(PostForm),
    /// No assertion: the reference is the audit event's id.
    Denied { reference: String, reason: String },
}

/// One access decision and why.
#[derive(Clone, Debug)]
pub struct Decision {
    pub allowed: bool,
    /// The policies (or rules) that determined it.
    pub determining: Vec<String>,
    /// What to tell the employee when denied.
    pub reason: Option<String>,
}

/// May this employee SSO into this application now?
pub async fn decide(
    _state: &AppState,
    live: &EmployeeSession,
    app: &Resolved,
    initiator: Initiator,
) -> AppResult<Decision> {
    let deny = |rule: &str, reason: String| Decision {
        allowed: false,
        determining: vec![rule.to_owned()],
        reason: Some(reason),
    };
    let model = &app.model;
    if model.instance_id != live.session.instance_id {
        return Ok(deny(
            "sso.same-instance",
            "this application is not in your organisation".into(),
        ));
    }
    if live.user.status != user::UserStatus::Active {
        return Ok(deny("sso.active-user", "your account is not active".into()));
    }
    if !model.enabled || !model.sso_enabled {
        return Ok(deny(
            "sso.application-enabled",
            format!("{} is turned off", model.name),
        ));
    }
    if initiator == Initiator::Idp && model.initiation == Initiation::SpOnly {
        return Ok(deny(
            "sso.idp-initiation",
            format!("{} must be opened from its own sign-in page", model.name),
        ));
    }
    if !app.incomplete().is_empty() {
        return Ok(deny(
            "sso.application-configured",
            format!("single sign-on to {} is not set up yet", model.name),
        ));
    }
    Ok(Decision {
        allowed: true,
        determining: vec!["sso.interim-allow".into()],
        reason: None,
    })
}

/// Audits a decision; returns the event id, which is the reference a denied employee sees.
async fn record(
    state: &AppState,
    live: &EmployeeSession,
    app: &Resolved,
    initiator: Initiator,
    decision: &Decision,
    extra: serde_json::Value,
) -> AppResult<String> {
    let id = new_id();
    let txn = state.store.begin_write().await?;
    audit::record(
        &txn,
        &live.actor(),
        AuditRecord::in_instance(
            &app.model.instance_id,
            "sso",
            "application",
            Some(&app.model.id),
        )
        .outcome(if decision.allowed { "allow" } else { "deny" })
        .with_id(id.clone())
        .summary(serde_json::json!({
            "application": app.model.name,
            "initiatedBy": initiator.as_str(),
            "determiningPolicies": decision.determining,
            "reason": decision.reason,
            "details": extra,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Decides and, when allowed, builds and signs the Response (off the async executor) and the
/// form that posts it. A user without the NameID the application's account mode needs is
/// denied like any other refusal.
pub async fn answer(
    state: &AppState,
    live: &EmployeeSession,
    app: &Resolved,
    answering: Answering<'_>,
) -> AppResult<Outcome> {
    let initiator = match answering {
        Answering::Unsolicited => Initiator::Idp,
        Answering::Request { .. } => Initiator::Sp,
    };
    let mut decision = decide(state, live, app, initiator).await?;
    let name_id = if decision.allowed {
        match name_id_for(state, app, &live.user).await? {
            Ok(name_id) => Some(name_id),
            Err(reason) => {
                decision = Decision {
                    allowed: false,
                    determining: vec!["sso.application-account".into()],
                    reason: Some(reason),
                };
                None
            }
        }
    } else {
        None
    };
    let request_id = match &answering {
        Answering::Request { request_id, .. } => Some(*request_id),
        Answering::Unsolicited => None,
    };
    let (Some(name_id), true) = (name_id, decision.allowed) else {
        let reference = record(
            state,
            live,
            app,
            initiator,
            &decision,
            serde_json::json!({ "requestId": request_id }),
        )
        .await?;
        return Ok(Outcome::Denied {
            reference,
            reason: decision
                .reason
                .unwrap_or_else(|| "no policy grants it".into()),
        });
    };
    record(
        state,
        live,
        app,
        initiator,
        &decision,
        serde_json::json!({ "requestId": request_id, "nameId": name_id }),
    )
    .await?;
    let relay_state = match &answering {
        Answering::Request { relay_state, .. } => relay_state.map(str::to_owned),
        Answering::Unsolicited => app.model.default_relay_state.clone(),
    };
    let (Some(audience), Some(acs_url)) = (app.sp_entity_id(), app.acs_url()) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "application {} has no SP entity ID or ACS after the decision",
            app.model.id
        )));
    };
    let attributes = attributes_of(app, &live.user, &name_id);
    let signer = keys::active_signer(state, &app.model.instance_id).await?;
    let method = SignatureMethod::for_key(signer.algorithm, &app.model.signature_algorithm);
    let idp_entity_id = endpoints::entity_id(&state.config.public_url, &app.model.id);
    let authn_context = if state.config.is_https() {
        response::AC_PASSWORD_PROTECTED
    } else {
        response::AC_PASSWORD
    };
    let session_index = session_index(&live.session.id);
    let authn_instant = live.session.created_at;
    let lifetime = Duration::seconds(i64::from(app.model.assertion_lifetime_secs.max(30)));
    let name_id_format = app.model.name_id_format.clone();
    let sign_response = app.model.sign_response;
    let in_response_to = request_id.map(str::to_owned);
    let acs_for_form = acs_url.clone();
    let xml = tokio::task::spawn_blocking(move || {
        let content = ResponseContent {
            idp_entity_id: &idp_entity_id,
            acs_url: &acs_url,
            audience: &audience,
            in_response_to: in_response_to.as_deref(),
            name_id: &name_id,
            name_id_format: &name_id_format,
            session_index: &session_index,
            authn_instant,
            authn_context,
            attributes: &attributes,
            issued_at: Utc::now(),
            lifetime,
        };
        response::sign(&content, &signer, method, sign_response)
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing a response")))?
    .map_err(AppError::Internal)?;
    Ok(Outcome::Post(response::post_form(
        &acs_for_form,
        &xml,
        relay_state.as_deref(),
    )))
}

/// The SessionIndex: derived from the session id, which itself never leaves the server.
fn session_index(session_id: &str) -> String {
    let digest = openssl::sha::sha256(session_id.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("_{hex}")
}

/// The application's attribute statements with their values for this user.
fn attributes_of(app: &Resolved, user: &user::Model, name_id: &str) -> Vec<Attribute> {
    app.attribute_statements()
        .into_iter()
        .map(|statement| {
            let values = match statement.source.as_str() {
                "username" => vec![user.username.clone()],
                "email" => user.email.clone().into_iter().collect(),
                "displayName" => vec![user.display_name.clone()],
                "phone" => user.phone.clone().into_iter().collect(),
                "externalId" => user.external_id.clone().into_iter().collect(),
                "nameId" => vec![name_id.to_owned()],
                _ => statement.values.clone(),
            };
            Attribute {
                name: statement.name,
                name_format: statement.name_format,
                values: values.into_iter().filter(|v| !v.is_empty()).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_indexes_do_not_reveal_the_session() {
        let index = session_index("0190a0a0-0000-7000-8000-000000000000");
        assert_eq!(index.len(), 33);
        assert!(!index.contains("0190a0a0"));
        assert_eq!(index, session_index("0190a0a0-0000-7000-8000-000000000000"));
    }
}
