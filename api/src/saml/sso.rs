//! The SSO flow shared by IdP- and SP-initiated sign-ins: an employee's session and an
//! application → the access decision (Cedar, [`crate::access`]) → either a signed Response in
//! the HTTP-POST form, or a denial with a reference. The decision and its determining policies
//! are audited either way; no assertion is built without an allowing decision. What a request
//! asked for and cannot get (an authentication context, a NameID format) is answered with a
//! signed failure status instead ([`fail`]), and a denied request gets `RequestDenied` to take
//! back to the application.

use std::fmt::Write;
use std::net::IpAddr;

use chrono::{Duration, Utc};
use entity::user;

use super::context::{self, Class};
use super::dsig::SignatureMethod;
use super::encrypt::{ContentCipher, Encryption};
use super::endpoints;
use super::pending::Pending;
use super::response::{self, Attribute, Failure, FailureContent, PostForm, ResponseContent};
use super::slo::{self, Participation};
use super::Saml;
use crate::access::{self, Initiator};
use crate::apps::applications::{name_id_for, NameId, NoNameId, Resolved};
use crate::audit::{self, AuditRecord};
use crate::auth::employee_sessions::EmployeeSession;
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::keys;

/// What the response answers.
#[derive(Clone, Copy, Debug)]
pub enum Answering<'a> {
    /// IdP-initiated: no request; the application's default RelayState.
    Unsolicited,
    /// A verified AuthnRequest, with what it asked for.
    Request(&'a Pending),
}

/// The outcome an employee sees.
pub enum Outcome {
    /// A signed Response on its way to the ACS.
    Post(PostForm),
    /// No assertion: the reference is the audit event's id. An SP-initiated request also gets
    /// its answer, `RequestDenied`, for the employee to take back to the application.
    Denied {
        reference: String,
        reason: String,
        answer: Option<FailureAnswer>,
        /// A second factor would have allowed it, and the employee has none set up.
        needs_factor: bool,
    },
    /// Not yet: a second factor the session lacks would let it through (a policy asks for one,
    /// or the request's `RequestedAuthnContext` does). The employee is asked for it and comes
    /// back; nothing was recorded or answered.
    StepUp,
}

/// A request that a second factor would satisfy steps up, unless it is passive
/// (`IsPassive`: nothing may be shown), which is answered `NoPassive`.
async fn step_up_or_no_passive(
    saml: &Saml,
    live: &EmployeeSession,
    app: &Resolved,
    pending: &Pending,
    client_ip: Option<IpAddr>,
) -> AppResult<Outcome> {
    if !pending.is_passive {
        return Ok(Outcome::StepUp);
    }
    mark_answered(saml, app, pending).await?;
    let message = "the employee would have to give a second factor, and the request is passive";
    fail(
        saml,
        app,
        pending,
        Some(live),
        client_ip,
        Failure::NoPassive,
        message,
    )
    .await
}

/// Records that a request is answered (once: a replay of it is refused).
async fn mark_answered(saml: &Saml, app: &Resolved, pending: &Pending) -> AppResult<()> {
    let acs_url = app.acs_url().unwrap_or_default();
    super::pending::mark_answered(saml, pending, &acs_url).await
}

/// Decides and, when allowed, builds and signs the Response (off the async executor) and the
/// form that posts it. A user without the NameID the application's account mode needs is
/// denied like any other refusal.
pub async fn answer(
    saml: &Saml,
    live: &EmployeeSession,
    app: &Resolved,
    answering: Answering<'_>,
    client_ip: Option<IpAddr>,
) -> AppResult<Outcome> {
    let initiated_by = match answering {
        Answering::Unsolicited => Initiator::Idp,
        Answering::Request(_) => Initiator::Sp,
    };
    let (requested_context, format, allow_create) = match answering {
        Answering::Unsolicited => (None, None, true),
        Answering::Request(pending) => (
            pending.authn_context.as_ref(),
            pending.name_id_format,
            pending.allow_create,
        ),
    };
    let https = saml.config.is_https();
    let class = context::choose(requested_context, live.used_mfa(), https);
    let class = match (class, answering) {
        (Some(class), _) => class,
        (None, Answering::Request(pending)) => {
            if !live.used_mfa()
                && context::choose(requested_context, true, https).is_some()
                && crate::sso::can_step_up(&saml.store, live).await?
            {
                return step_up_or_no_passive(saml, live, app, pending, client_ip).await;
            }
            mark_answered(saml, app, pending).await?;
            let message = "how the employee signed in does not meet the RequestedAuthnContext";
            return fail(
                saml,
                app,
                pending,
                Some(live),
                client_ip,
                Failure::NoAuthnContext,
                message,
            )
            .await;
        }
        (None, Answering::Unsolicited) => Class::Password,
    };
    let mut decision = crate::sso::decide(
        &saml.store,
        &saml.access,
        live,
        app,
        initiated_by,
        client_ip,
    )
    .await?;
    let mut needs_factor = false;
    if !decision.allowed
        && crate::sso::allowed_with_more(
            &saml.store,
            &saml.access,
            live,
            app,
            initiated_by,
            client_ip,
        )
        .await?
    {
        if crate::sso::can_step_up(&saml.store, live).await? {
            return match answering {
                Answering::Request(pending) => {
                    step_up_or_no_passive(saml, live, app, pending, client_ip).await
                }
                Answering::Unsolicited => Ok(Outcome::StepUp),
            };
        }
        needs_factor = true;
    }
    if let Answering::Request(pending) = answering {
        mark_answered(saml, app, pending).await?;
    }
    let mut name_id = None;
    if decision.allowed {
        match name_id_for(&saml.apps, app, &live.user, format, allow_create).await? {
            Ok(found) => name_id = Some(found),
            Err(NoNameId::Missing(reason)) => decision = crate::sso::refusal(reason),
            Err(NoNameId::Policy(reason)) => {
                if let Answering::Request(pending) = answering {
                    let failure = Failure::InvalidNameIdPolicy;
                    return fail(saml, app, pending, Some(live), client_ip, failure, &reason).await;
                }
                decision = crate::sso::refusal(reason);
            }
        }
    }
    let request = crate::sso::access_request(live, app, initiated_by, client_ip);
    let (Some(name_id), true) = (name_id, decision.allowed) else {
        let reason = decision.denial_reason();
        let answer = match answering {
            Answering::Request(pending) => {
                Some(failure_answer(saml, app, pending, Failure::RequestDenied, &reason).await?)
            }
            Answering::Unsolicited => None,
        };
        let reference =
            access::record_decision(&saml.store, &request, &live.user.username, &decision).await?;
        return Ok(Outcome::Denied {
            reference,
            reason,
            answer,
            needs_factor,
        });
    };
    // The session now has this application as a participant (single logout tells it when the
    // session ends).
    let participation = Participation {
        name_id: name_id.value.clone(),
        name_id_format: name_id.format.to_owned(),
        session_index: session_index(&live.session.id),
    };
    // The audit record is written while the response is signed: the commits wait for the
    // disk, the signature for the CPU. Nothing leaves before all are done.
    let (_, form, _) = tokio::try_join!(
        access::record_decision(&saml.store, &request, &live.user.username, &decision),
        signed_form(saml, live, app, answering, name_id, class),
        slo::join(saml, live, app, &participation),
    )?;
    Ok(Outcome::Post(form))
}

/// A signed failure Response for a verified request, on its way to the application's
/// registered ACS (which the request was checked against).
pub struct FailureAnswer {
    pub acs_url: String,
    /// The response's document text.
    pub xml: String,
    pub relay_state: Option<String>,
}

/// Signs the failure Response that answers `pending` (off the async executor).
async fn failure_answer(
    saml: &Saml,
    app: &Resolved,
    pending: &Pending,
    failure: Failure,
    message: &str,
) -> AppResult<FailureAnswer> {
    let Some(acs_url) = app.acs_url() else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "application {} has no ACS for a verified request",
            app.model.id
        )));
    };
    let signer = keys::active_signer(&saml.ring, &app.model.instance_id).await?;
    let method = SignatureMethod::for_key(signer.algorithm, &app.model.signature_algorithm);
    let idp_entity_id = endpoints::entity_id(&saml.config.public_url, &app.model.id);
    let (acs, request_id, text) = (
        acs_url.clone(),
        pending.request_id.clone(),
        message.to_owned(),
    );
    let xml = tokio::task::spawn_blocking(move || {
        let content = FailureContent {
            idp_entity_id: &idp_entity_id,
            acs_url: &acs,
            in_response_to: &request_id,
            failure,
            message: &text,
            issued_at: Utc::now(),
        };
        response::sign_failure(&content, &signer, method)
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing a response")))?
    .map_err(AppError::Internal)?;
    Ok(FailureAnswer {
        acs_url,
        xml,
        relay_state: pending.relay_state.clone(),
    })
}

/// Answers a verified request with a failure status instead of an assertion, posted to the
/// application's ACS at once, and audits it.
pub async fn fail(
    saml: &Saml,
    app: &Resolved,
    pending: &Pending,
    live: Option<&EmployeeSession>,
    client_ip: Option<IpAddr>,
    failure: Failure,
    message: &str,
) -> AppResult<Outcome> {
    let answer = failure_answer(saml, app, pending, failure, message).await?;
    let client_ip = client_ip.map(|ip| ip.to_string());
    let actor = match live {
        Some(live) => EmployeeSession::actor_of(&live.user, client_ip),
        None => Actor {
            kind: "anonymous",
            id: String::new(),
            name: String::new(),
            client_ip,
        },
    };
    let txn = saml.store.begin_write().await?;
    audit::record(
        &txn,
        &actor,
        AuditRecord::in_instance(
            &app.model.instance_id,
            "samlRequestRefused",
            "application",
            Some(&app.model.id),
        )
        .outcome("failure")
        .summary(serde_json::json!({
            "status": failure.name(),
            "requestId": pending.request_id,
            "message": message,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Post(response::post_form(
        &answer.acs_url,
        &answer.xml,
        answer.relay_state.as_deref(),
    )))
}

/// The signed Response for an allowed decision, in the form that posts it to the ACS.
async fn signed_form(
    saml: &Saml,
    live: &EmployeeSession,
    app: &Resolved,
    answering: Answering<'_>,
    name_id: NameId,
    class: Class,
) -> AppResult<PostForm> {
    let (request_id, relay_state) = match answering {
        Answering::Request(pending) => (
            Some(pending.request_id.as_str()),
            pending.relay_state.clone(),
        ),
        Answering::Unsolicited => (None, app.model.default_relay_state.clone()),
    };
    let (Some(audience), Some(acs_url)) = (app.sp_entity_id(), app.acs_url()) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "application {} has no SP entity ID or ACS after the decision",
            app.model.id
        )));
    };
    let attributes = attributes_of(app, &live.user, &name_id.value);
    let signer = keys::active_signer(&saml.ring, &app.model.instance_id).await?;
    let method = SignatureMethod::for_key(signer.algorithm, &app.model.signature_algorithm);
    let idp_entity_id = endpoints::entity_id(&saml.config.public_url, &app.model.id);
    let authn_context = class.uri();
    let session_index = session_index(&live.session.id);
    let authn_instant = live.session.created_at;
    let lifetime = Duration::seconds(i64::from(app.model.assertion_lifetime_secs.max(30)));
    let NameId {
        value: name_id,
        format: name_id_format,
    } = name_id;
    let sign_response = app.model.sign_response;
    let encryption = encryption_of(app)?;
    let in_response_to = request_id.map(str::to_owned);
    let acs_for_form = acs_url.clone();
    let xml = tokio::task::spawn_blocking(move || {
        let content = ResponseContent {
            idp_entity_id: &idp_entity_id,
            acs_url: &acs_url,
            audience: &audience,
            in_response_to: in_response_to.as_deref(),
            name_id: &name_id,
            name_id_format,
            session_index: &session_index,
            authn_instant,
            authn_context,
            attributes: &attributes,
            issued_at: Utc::now(),
            lifetime,
        };
        response::sign(
            &content,
            &signer,
            method,
            sign_response,
            encryption.as_ref(),
        )
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing a response")))?
    .map_err(AppError::Internal)?;
    Ok(response::post_form(
        &acs_for_form,
        &xml,
        relay_state.as_deref(),
    ))
}

/// For whom and how the application's assertions are encrypted, when they are.
fn encryption_of(app: &Resolved) -> AppResult<Option<Encryption>> {
    if !app.model.encrypt_assertions {
        return Ok(None);
    }
    // `incomplete()` refuses SSO before this point when the certificate is missing.
    let Some(pem) = app.model.sp_encryption_certificate_pem.as_deref() else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "application {} encrypts assertions but has no encryption certificate",
            app.model.id
        )));
    };
    Ok(Some(Encryption {
        certificate_der: keys::certificate_der(pem)?,
        cipher: ContentCipher::from_name(&app.model.assertion_encryption)
            .unwrap_or(ContentCipher::Aes256Gcm),
    }))
}

/// The SessionIndex: derived from the session id, which itself never leaves the server.
fn session_index(session_id: &str) -> String {
    let digest = openssl::sha::sha256(session_id.as_bytes());
    let mut index = String::with_capacity(33);
    index.push('_');
    for byte in &digest[..16] {
        let _ = write!(index, "{byte:02x}");
    }
    index
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
        assert!(index.starts_with('_'));
        assert!(index[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(!index.contains("0190a0a0"));
        assert_eq!(index, session_index("0190a0a0-0000-7000-8000-000000000000"));
    }
}
