//! Single Logout (SAML 2.0 profiles §4.4), with this server as the session authority.
//!
//! Every assertion sent records its application as a participant of the employee's session
//! ([`join`]), with the NameID and SessionIndex it carried. A logout ends the session and
//! propagates to the other participants that take part in single logout:
//!
//! - **SP-initiated**: a `LogoutRequest` at `/saml/apps/{id}/slo` (HTTP-Redirect or HTTP-POST,
//!   its signature checked as AuthnRequests are) that names the NameID (and SessionIndex) this
//!   browser's session gave that application. A request naming anything else, or arriving
//!   without a session, is answered `Requester`/`UnknownPrincipal` and ends nothing: a forged
//!   or stale request cannot sign out someone else.
//! - **IdP-initiated**: the portal's sign-out button ([`sign_out`]).
//!
//! Propagation is front-channel, in frames of one page (`/saml/logouts/{id}`): each frame loads
//! a signed `LogoutRequest` for one participant, whose `LogoutResponse` comes back into the
//! frame. The page moves on after [`WAIT_SECS`] whatever happened (a `<meta>` refresh, no
//! script), and the last page (`…/finish`) reports every participant that did not confirm — a
//! partial logout is shown, not hidden — then answers the initiating SP: `Success`, or
//! `Responder`/`PartialLogout`. Why frames and not a chain of redirects: a chain stops at the
//! first SP that does not send the browser back, and the employee never learns which
//! applications still have her signed in (docs/decisions.md).
//!
//! Everything a logout needs between requests is in the database (`saml_logouts`,
//! `saml_logout_participants`), so any node of a cluster serves any step; a LogoutRequest ID is
//! acted on once (replays are refused), and a LogoutResponse is taken once.

use std::net::IpAddr;

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{Duration, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use entity::{application, saml_logout, saml_logout_participant, saml_session_participant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};
use serde::{Deserialize, Serialize};

use super::dsig::SignatureMethod;
use super::endpoints;
use super::logout::{
    self, Message, Outgoing, OutgoingRequest, OutgoingResponse, UnverifiedLogout, VerifiedLogout,
};
use super::request::{form_field, Binding, RequestError};
use super::response::{binding_form, new_message_id};
use super::routes::application_of_path;
use super::Saml;
use crate::apps::applications::{self, Resolved, SloEndpoint};
use crate::audit::{self, AuditRecord};
use crate::auth::employee_sessions::{self, EmployeeSession};
use crate::authz::admin::Actor;
use crate::db::Store;
use crate::error::{AppError, AppResult};
use crate::i18n;
use crate::keys;
use crate::pages::{self, see_other, sign_in_url, Continue, PageError, PageOptions};
use crate::request::{html_escape as e, ClientIp};
use crate::t;

/// How long the logout page waits for the participants' answers before it moves on.
pub const WAIT_SECS: u32 = 5;
/// How long a logout's record is kept: its pages work, and its request ID stays refused.
const KEPT_HOURS: i64 = 24;
/// The audience of sealed LogoutRequests: no other token of this server opens as one.
const AUDIENCE: &str = "lanyard:saml-logout";
/// How long a sealed LogoutRequest waits for the browser's GET.
const SEALED_SECS: i64 = 300;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Saml: FromRef<S>,
{
    Router::new()
        .route(
            "/saml/apps/{application_id}/slo",
            get(slo_redirect).post(slo_post),
        )
        .route("/saml/logout-requests/{sealed}", get(resume))
        .route("/saml/logouts/{logout_id}", get(progress))
        .route(
            "/saml/logouts/{logout_id}/participants/{request_id}",
            get(send_request),
        )
        .route("/saml/logouts/{logout_id}/finish", get(finish))
}

/// What a session participant was sent.
pub struct Participation {
    pub name_id: String,
    pub name_id_format: String,
    pub session_index: String,
}

/// The participants this node recorded in the last [`JOINED_FOR`]: a session that signs in to
/// the same application again with the same NameID and SessionIndex (the portal, a busy SP)
/// costs no write. Another node may record it again; the upsert makes that harmless.
#[derive(Default)]
pub struct Joined(Mutex<JoinedMap>);

/// (session, application) → (NameID, SessionIndex, when recorded).
type JoinedMap = HashMap<(String, String), (String, String, Instant)>;

/// How long a recorded participant is not written again; `last_at` is that precise.
const JOINED_FOR: std::time::Duration = std::time::Duration::from_secs(60);
/// More participants than a node records within [`JOINED_FOR`]: past it, it starts over.
const JOINED_CAPACITY: usize = 10_000;

impl Joined {
    fn lock(&self) -> MutexGuard<'_, JoinedMap> {
        // Entries are inserted whole: a poisoned map is still a valid one.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn recorded(&self, key: &(String, String), participation: &Participation) -> bool {
        self.lock().get(key).is_some_and(|(name_id, index, at)| {
            *name_id == participation.name_id
                && *index == participation.session_index
                && at.elapsed() < JOINED_FOR
        })
    }

    fn keep(&self, key: (String, String), participation: &Participation) {
        let mut joined = self.lock();
        if joined.len() >= JOINED_CAPACITY {
            joined.retain(|_, (_, _, at)| at.elapsed() < JOINED_FOR);
            if joined.len() >= JOINED_CAPACITY {
                joined.clear();
            }
        }
        joined.insert(
            key,
            (
                participation.name_id.clone(),
                participation.session_index.clone(),
                Instant::now(),
            ),
        );
    }
}

/// Records `app` as a participant of the employee's session, with what its assertion named
/// (the latest, when the session signs in to it again).
pub async fn join(
    saml: &Saml,
    live: &EmployeeSession,
    app: &Resolved,
    participation: &Participation,
) -> AppResult<()> {
    let key = (live.session.id.clone(), app.model.id.clone());
    if saml.participants.recorded(&key, participation) {
        return Ok(());
    }
    let now = Utc::now();
    let txn = saml.store.begin_write().await?;
    saml_session_participant::Entity::insert(saml_session_participant::ActiveModel {
        session_id: Set(live.session.id.clone()),
        application_id: Set(app.model.id.clone()),
        name_id: Set(participation.name_id.clone()),
        name_id_format: Set(participation.name_id_format.clone()),
        session_index: Set(participation.session_index.clone()),
        first_at: Set(now),
        last_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            saml_session_participant::Column::SessionId,
            saml_session_participant::Column::ApplicationId,
        ])
        .update_columns([
            saml_session_participant::Column::NameId,
            saml_session_participant::Column::NameIdFormat,
            saml_session_participant::Column::SessionIndex,
            saml_session_participant::Column::LastAt,
        ])
        .to_owned(),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    saml.participants.keep(key, participation);
    Ok(())
}

/// The participants of a session, first SSO first.
async fn participants(
    store: &Store,
    session_id: &str,
) -> AppResult<Vec<saml_session_participant::Model>> {
    Ok(saml_session_participant::Entity::find()
        .filter(saml_session_participant::Column::SessionId.eq(session_id))
        .order_by_asc(saml_session_participant::Column::FirstAt)
        .all(&store.conn)
        .await?)
}

/// The participants of some sessions (a user's, for the console) with their applications, in
/// two queries.
pub async fn participants_of_sessions(
    store: &Store,
    session_ids: &[String],
) -> AppResult<Vec<(saml_session_participant::Model, application::Model)>> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = saml_session_participant::Entity::find()
        .filter(saml_session_participant::Column::SessionId.is_in(session_ids.iter().cloned()))
        .order_by_asc(saml_session_participant::Column::FirstAt)
        .all(&store.conn)
        .await?;
    let mut app_ids: Vec<String> = rows.iter().map(|r| r.application_id.clone()).collect();
    app_ids.sort();
    app_ids.dedup();
    let apps: HashMap<String, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(app_ids))
        .all(&store.conn)
        .await?
        .into_iter()
        .map(|app| (app.id.clone(), app))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let app = apps.get(&row.application_id)?.clone();
            Some((row, app))
        })
        .collect())
}

fn refused(err: RequestError) -> AppError {
    AppError::bad_input("SAMLRequest", err.to_string())
}

async fn application(saml: &Saml, id: &str) -> AppResult<std::sync::Arc<Resolved>> {
    application_of_path(saml, Ok(Path(id.to_owned()))).await
}

/// The application's SLO endpoint and SP entity ID, or why it has no single logout.
fn single_logout_of(app: &Resolved) -> AppResult<(SloEndpoint, String)> {
    match (app.single_logout(), app.sp_entity_id()) {
        (Some(endpoint), Some(entity_id)) => Ok((endpoint, entity_id)),
        _ => Err(AppError::bad_input(
            "SAMLRequest",
            format!(
                "single logout is not set up for {}: it needs the SP's SLO URL and the \
                 single logout switch on",
                app.model.name
            ),
        )),
    }
}

/// `GET /saml/apps/{id}/slo`: a LogoutRequest or LogoutResponse by HTTP-Redirect.
async fn slo_redirect(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let app = application_of_path(&saml, application_id).await?;
    let unverified =
        UnverifiedLogout::from_redirect(query.as_deref().unwrap_or_default()).map_err(refused)?;
    received(&saml, &app, unverified, &headers, client_ip.addr()).await
}

/// `POST /saml/apps/{id}/slo`: a LogoutRequest or LogoutResponse by HTTP-POST.
async fn slo_post(
    State(saml): State<Saml>,
    application_id: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let app = application_of_path(&saml, application_id).await?;
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let single = |name| form_field(&fields, name).map_err(refused);
    let unverified = UnverifiedLogout::from_post(
        single("SAMLRequest")?,
        single("SAMLResponse")?,
        single("RelayState")?,
    )
    .map_err(refused)?;
    received(&saml, &app, unverified, &headers, client_ip.addr()).await
}

/// A LogoutRequest asking this server to end a session.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Ask {
    #[serde(rename = "app")]
    application_id: String,
    #[serde(rename = "rid")]
    request_id: String,
    #[serde(rename = "nid")]
    name_id: String,
    #[serde(rename = "si", default)]
    session_indexes: Vec<String>,
    #[serde(rename = "rs", default, skip_serializing_if = "Option::is_none")]
    relay_state: Option<String>,
}

/// The sealed form of [`Ask`].
#[derive(Serialize, Deserialize)]
struct Sealed {
    aud: String,
    exp: i64,
    #[serde(flatten)]
    ask: Ask,
}

async fn received(
    saml: &Saml,
    app: &Resolved,
    unverified: UnverifiedLogout,
    headers: &HeaderMap,
    client_ip: Option<IpAddr>,
) -> Result<Response, PageError> {
    let (_, sp_entity_id) = single_logout_of(app)?;
    let certificate = app
        .model
        .sp_certificate_pem
        .as_deref()
        .map(keys::certificate_der)
        .transpose()?;
    let slo_url = endpoints::slo_url(&saml.config.public_url, &app.model.id);
    let expected = logout::LogoutExpectations {
        sp_entity_id: &sp_entity_id,
        slo_url: &slo_url,
        sp_certificate: certificate.as_deref(),
        signature_required: app.model.authn_requests_signed,
        clock_skew: Duration::seconds(i64::from(saml.config.sso.clock_skew_seconds)),
    };
    let VerifiedLogout {
        id,
        binding,
        relay_state,
        message,
    } = unverified.verify(&expected, Utc::now()).map_err(refused)?;
    match message {
        Message::Response {
            in_response_to,
            status,
        } => Ok(answered(saml, app, &in_response_to, &status).await?),
        Message::Request {
            name_id,
            session_indexes,
            ..
        } => {
            let ask = Ask {
                application_id: app.model.id.clone(),
                request_id: id,
                name_id,
                session_indexes,
                relay_state,
            };
            let live =
                employee_sessions::current(&saml.auth, headers, &app.model.instance_id).await?;
            if live.is_none() && binding == Binding::Post {
                // A cross-site POST carries no Lax cookie: the browser's own GET does.
                let sealed = saml.auth.secrets.saml_request.sign(&Sealed {
                    aud: AUDIENCE.to_owned(),
                    exp: (Utc::now() + Duration::seconds(SEALED_SECS)).timestamp(),
                    ask,
                })?;
                if !pages::plausible_sealed_request(&sealed) {
                    return Err(AppError::bad_input(
                        "SAMLRequest",
                        "the LogoutRequest names too much to carry (NameID and SessionIndexes)",
                    )
                    .into());
                }
                return Ok(see_other(
                    &format!("{}/saml/logout-requests/{sealed}", saml.config.public_url),
                    &[],
                ));
            }
            Ok(requested(saml, app, ask, live, client_ip).await?)
        }
    }
}

/// `GET /saml/logout-requests/{sealed}`: an HTTP-POST LogoutRequest, now with the cookie.
async fn resume(
    State(saml): State<Saml>,
    sealed: Result<Path<String>, PathRejection>,
    client_ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let gone = || {
        AppError::bad_input(
            "request",
            "this logout request is unknown or expired: sign out again from the application",
        )
    };
    let Ok(Path(sealed)) = sealed else {
        return Err(gone().into());
    };
    if !pages::plausible_sealed_request(&sealed) {
        return Err(gone().into());
    }
    let opened: Sealed = saml
        .auth
        .secrets
        .saml_request
        .verify(&sealed, AUDIENCE, None)
        .ok_or_else(gone)?;
    let app = application(&saml, &opened.ask.application_id).await?;
    let live = employee_sessions::current(&saml.auth, &headers, &app.model.instance_id).await?;
    Ok(requested(&saml, &app, opened.ask, live, client_ip.addr()).await?)
}

/// A random, unguessable logout ID (122 random bits, as hex).
fn new_logout_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn plausible_logout_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The participants a logout sends LogoutRequests to: every other application of the session
/// that takes part in single logout.
async fn to_propagate(
    saml: &Saml,
    session_id: &str,
    except: Option<&str>,
) -> AppResult<Vec<saml_session_participant::Model>> {
    let mut kept = Vec::new();
    for participant in participants(&saml.store, session_id).await? {
        if Some(participant.application_id.as_str()) == except {
            continue;
        }
        let takes_part = applications::cached(&saml.apps, &participant.application_id)
            .await?
            .is_some_and(|app| app.single_logout().is_some() && app.model.enabled);
        if takes_part {
            kept.push(participant);
        }
    }
    Ok(kept)
}

/// Who started a logout.
struct Initiator<'a> {
    app: &'a Resolved,
    ask: &'a Ask,
}

/// Records a logout and, for a known session, its participants, ends the session and audits it,
/// in one transaction. A LogoutRequest ID seen before is refused here (the unique index).
async fn start(
    saml: &Saml,
    instance_id: &str,
    live: Option<&EmployeeSession>,
    initiator: Option<Initiator<'_>>,
    propagate: &[saml_session_participant::Model],
    client_ip: Option<IpAddr>,
) -> AppResult<String> {
    let now = Utc::now();
    let logout_id = new_logout_id();
    let txn = saml.store.begin_write().await?;
    saml_logout::Entity::delete_many()
        .filter(saml_logout::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    let inserted = saml_logout::ActiveModel {
        id: Set(logout_id.clone()),
        instance_id: Set(instance_id.to_owned()),
        user_id: Set(live.map(|l| l.user.id.clone())),
        initiator_application_id: Set(initiator.as_ref().map(|i| i.app.model.id.clone())),
        initiator_request_id: Set(initiator.as_ref().map(|i| i.ask.request_id.clone())),
        relay_state: Set(initiator.as_ref().and_then(|i| i.ask.relay_state.clone())),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(KEPT_HOURS)),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::conflict(
                "SAMLRequest",
                "this LogoutRequest was already received: a request is acted on once",
            ))
        }
        Err(err) => return Err(err.into()),
    }
    let client_ip = client_ip.map(|ip| ip.to_string());
    match live {
        Some(live) => {
            for participant in propagate {
                saml_logout_participant::ActiveModel {
                    request_id: Set(new_message_id()),
                    logout_id: Set(logout_id.clone()),
                    application_id: Set(participant.application_id.clone()),
                    name_id: Set(participant.name_id.clone()),
                    name_id_format: Set(participant.name_id_format.clone()),
                    session_index: Set(participant.session_index.clone()),
                    state: Set("waiting".to_owned()),
                    status: Set(None),
                    answered_at: Set(None),
                }
                .insert(&txn)
                .await?;
            }
            entity::employee_session::Entity::delete_by_id(live.session.id.clone())
                .exec(&txn)
                .await?;
            audit::record(
                &txn,
                &EmployeeSession::actor_of(&live.user, client_ip),
                AuditRecord::in_instance(
                    instance_id,
                    "signOut",
                    "employee_session",
                    Some(&live.session.id),
                )
                .summary(serde_json::json!({
                    "singleLogout": logout_id,
                    "initiatedBy": initiator.as_ref().map(|i| i.app.model.id.clone()),
                    "participants": propagate
                        .iter()
                        .map(|p| p.application_id.clone())
                        .collect::<Vec<_>>(),
                })),
            )
            .await?;
        }
        None => {
            let (app_id, request_id) = initiator
                .as_ref()
                .map(|i| (i.app.model.id.clone(), i.ask.request_id.clone()))
                .unwrap_or_default();
            audit::record(
                &txn,
                &Actor {
                    kind: "anonymous",
                    id: String::new(),
                    name: String::new(),
                    client_ip,
                },
                AuditRecord::in_instance(
                    instance_id,
                    "samlLogoutRefused",
                    "application",
                    Some(&app_id),
                )
                .outcome("failure")
                .summary(serde_json::json!({
                    "status": "UnknownPrincipal",
                    "requestId": request_id,
                    "message": "the LogoutRequest names no session of this browser",
                })),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(logout_id)
}

/// Acts on a verified LogoutRequest with the browser's session (if any).
async fn requested(
    saml: &Saml,
    app: &Resolved,
    ask: Ask,
    live: Option<EmployeeSession>,
    client_ip: Option<IpAddr>,
) -> AppResult<Response> {
    let (endpoint, _) = single_logout_of(app)?;
    let asked = (ask.request_id.as_str(), ask.relay_state.as_deref());
    // The session must be the one the request names: its NameID (and SessionIndex, when the
    // request gives any) as this session sent them to this application.
    let mut matched = None;
    if let Some(live) = live {
        let participant = saml_session_participant::Entity::find_by_id((
            live.session.id.clone(),
            app.model.id.clone(),
        ))
        .one(&saml.store.conn)
        .await?;
        let names = participant.is_some_and(|p| {
            p.name_id == ask.name_id
                && (ask.session_indexes.is_empty()
                    || ask.session_indexes.contains(&p.session_index))
        });
        if names {
            matched = Some(live);
        }
    }
    let propagate = match &matched {
        Some(live) => to_propagate(saml, &live.session.id, Some(&app.model.id)).await?,
        None => Vec::new(),
    };
    let initiator = Initiator { app, ask: &ask };
    let logout_id = start(
        saml,
        &app.model.instance_id,
        matched.as_ref(),
        Some(initiator),
        &propagate,
        client_ip,
    )
    .await?;
    let clear = employee_sessions::cookie(&saml.auth, &app.model.instance_id, "", 0);
    if matched.is_none() {
        let status = (
            logout::STATUS_REQUESTER,
            Some(logout::STATUS_UNKNOWN_PRINCIPAL),
        );
        let message = "no session of this identity provider is the one the request names";
        let outgoing = respond(saml, app, &endpoint, asked, status, Some(message)).await?;
        return Ok(deliver(outgoing, &[]));
    }
    if propagate.is_empty() {
        let outgoing = respond(
            saml,
            app,
            &endpoint,
            asked,
            (logout::STATUS_SUCCESS, None),
            None,
        )
        .await?;
        return Ok(deliver(outgoing, &[clear]));
    }
    Ok(see_other(&progress_url(saml, &logout_id), &[clear]))
}

fn progress_url(saml: &Saml, logout_id: &str) -> String {
    format!("{}/saml/logouts/{logout_id}", saml.config.public_url)
}

/// Signs the LogoutResponse to the initiating application (off the async executor).
async fn respond(
    saml: &Saml,
    app: &Resolved,
    endpoint: &SloEndpoint,
    (request_id, relay_state): (&str, Option<&str>),
    status: (&'static str, Option<&'static str>),
    message: Option<&str>,
) -> AppResult<Outgoing> {
    let signer = keys::active_signer(&saml.ring, &app.model.instance_id).await?;
    let method = SignatureMethod::for_key(signer.algorithm, &app.model.signature_algorithm);
    let idp_entity_id = endpoints::entity_id(&saml.config.public_url, &app.model.id);
    let destination = endpoint.response_url.clone();
    let binding = if endpoint.post {
        Binding::Post
    } else {
        Binding::Redirect
    };
    let (in_response_to, relay_state, message) = (
        request_id.to_owned(),
        relay_state.map(str::to_owned),
        message.map(str::to_owned),
    );
    tokio::task::spawn_blocking(move || {
        let id = new_message_id();
        let element = logout::response_element(&OutgoingResponse {
            id: &id,
            idp_entity_id: &idp_entity_id,
            destination: &destination,
            in_response_to: &in_response_to,
            status,
            message: message.as_deref(),
            issued_at: Utc::now(),
        });
        logout::deliver(
            element,
            "SAMLResponse",
            &destination,
            binding,
            relay_state.as_deref(),
            &signer,
            method,
        )
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing a logout")))?
    .map_err(AppError::Internal)
}

/// Sends a signed message on its way: a redirect, or the auto-submitting form.
fn deliver(outgoing: Outgoing, cookies: &[String]) -> Response {
    deliver_framed(outgoing, cookies, false)
}

fn deliver_framed(outgoing: Outgoing, cookies: &[String], framed: bool) -> Response {
    let mut response = match outgoing {
        Outgoing::Redirect(url) => see_other(&url, cookies),
        Outgoing::Post { url, field, xml } => {
            let form = binding_form(&url, field, &xml, None, framed);
            let mut response = Html(form.html).into_response();
            if let Ok(csp) = HeaderValue::from_str(&form.csp) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            for cookie in cookies {
                if let Ok(value) = HeaderValue::from_str(cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if framed {
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    response
}

/// Ends the employee's session from the portal (IdP-initiated logout): with participants to
/// tell, the URL of the logout page; else `None`, the session simply ended.
pub async fn sign_out(
    saml: &Saml,
    live: &EmployeeSession,
    client_ip: Option<IpAddr>,
) -> AppResult<Option<String>> {
    let propagate = to_propagate(saml, &live.session.id, None).await?;
    let logout_id = start(
        saml,
        &live.session.instance_id,
        Some(live),
        None,
        &propagate,
        client_ip,
    )
    .await?;
    Ok((!propagate.is_empty()).then(|| progress_url(saml, &logout_id)))
}

/// A logout by its ID, while it is kept.
async fn logout_of(
    saml: &Saml,
    logout_id: Result<Path<String>, PathRejection>,
) -> AppResult<saml_logout::Model> {
    let Ok(Path(logout_id)) = logout_id else {
        return Err(AppError::NotFound("logout"));
    };
    if !plausible_logout_id(&logout_id) {
        return Err(AppError::NotFound("logout"));
    }
    saml_logout::Entity::find_by_id(logout_id)
        .one(&saml.store.conn)
        .await?
        .filter(|l| l.expires_at > Utc::now())
        .ok_or(AppError::NotFound("logout"))
}

async fn participants_of(
    saml: &Saml,
    logout_id: &str,
) -> AppResult<Vec<(saml_logout_participant::Model, std::sync::Arc<Resolved>)>> {
    let rows = saml_logout_participant::Entity::find()
        .filter(saml_logout_participant::Column::LogoutId.eq(logout_id))
        .order_by_asc(saml_logout_participant::Column::RequestId)
        .all(&saml.store.conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(app) = applications::cached(&saml.apps, &row.application_id).await? {
            out.push((row, app));
        }
    }
    Ok(out)
}

/// The origin (`scheme://host[:port]`) of an absolute URL, for `frame-src`.
fn origin(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let origin = parsed.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// `GET /saml/logouts/{id}`: the page that signs the employee out of every participant, one
/// frame each, and moves on to the report after [`WAIT_SECS`].
async fn progress(
    State(saml): State<Saml>,
    logout_id: Result<Path<String>, PathRejection>,
) -> Result<Response, PageError> {
    let logout = logout_of(&saml, logout_id).await?;
    let finish_url = format!("/saml/logouts/{}/finish", logout.id);
    let participants = participants_of(&saml, &logout.id).await?;
    if participants.is_empty() {
        return Ok(see_other(&finish_url, &[]));
    }
    let lang = i18n::current();
    let mut sources = vec!["'self'".to_owned()];
    let mut items = String::new();
    for (participant, app) in &participants {
        if let Some(origin) = app.single_logout().and_then(|s| origin(&s.url)) {
            if !sources.contains(&origin) {
                sources.push(origin);
            }
        }
        items.push_str(&format!(
            "<li>{name}<iframe title=\"{title}\" \
             src=\"/saml/logouts/{logout}/participants/{request}\" width=\"1\" height=\"1\" \
             style=\"border:0\"></iframe></li>",
            name = e(&app.model.name),
            title = e(&t!(lang, "slo-frame-title", app = &app.model.name)),
            logout = e(&logout.id),
            request = e(&participant.request_id),
        ));
    }
    let body = format!(
        "<h1>{heading}</h1><p>{text}</p>\
         <ul class=\"apps\">{items}</ul>\
         <p class=\"muted\">{wait} \
         <a href=\"{finish}\">{next}</a></p>",
        heading = e(&t!(lang, "slo-signing-out-heading")),
        text = e(&t!(lang, "slo-signing-out-text")),
        wait = e(&t!(lang, "slo-wait")),
        next = e(&t!(lang, "slo-continue")),
        finish = e(&finish_url),
    );
    let frame_src = sources.join(" ");
    Ok(pages::page_with(
        StatusCode::OK,
        &t!(lang, "slo-signing-out-title"),
        &body,
        &PageOptions {
            frame_src: Some(&frame_src),
            refresh: Some((WAIT_SECS, &finish_url)),
            ..PageOptions::default()
        },
    ))
}

/// `GET /saml/logouts/{id}/participants/{request_id}`: in a frame of the logout page, the
/// signed LogoutRequest on its way to one participant.
async fn send_request(
    State(saml): State<Saml>,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, PageError> {
    let Ok(Path((logout_id, request_id))) = ids else {
        return Err(AppError::NotFound("logout").into());
    };
    let logout = logout_of(&saml, Ok(Path(logout_id))).await?;
    let participant = saml_logout_participant::Entity::find_by_id(request_id)
        .one(&saml.store.conn)
        .await?
        .filter(|p| p.logout_id == logout.id)
        .ok_or(AppError::NotFound("logout"))?;
    let app = application(&saml, &participant.application_id).await?;
    let (endpoint, _) = single_logout_of(&app)?;
    let signer = keys::active_signer(&saml.ring, &app.model.instance_id).await?;
    let method = SignatureMethod::for_key(signer.algorithm, &app.model.signature_algorithm);
    let idp_entity_id = endpoints::entity_id(&saml.config.public_url, &app.model.id);
    let binding = if endpoint.post {
        Binding::Post
    } else {
        Binding::Redirect
    };
    let row = participant.clone();
    let outgoing = tokio::task::spawn_blocking(move || {
        let element = logout::request_element(&OutgoingRequest {
            id: &row.request_id,
            idp_entity_id: &idp_entity_id,
            destination: &endpoint.url,
            name_id: &row.name_id,
            name_id_format: &row.name_id_format,
            session_index: Some(&row.session_index),
            issued_at: Utc::now(),
        });
        logout::deliver(
            element,
            "SAMLRequest",
            &endpoint.url,
            binding,
            None,
            &signer,
            method,
        )
    })
    .await
    .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("signing a logout")))?
    .map_err(AppError::Internal)?;
    if participant.state == "waiting" {
        let txn = saml.store.begin_write().await?;
        let mut active: saml_logout_participant::ActiveModel = participant.into();
        active.state = Set("sent".to_owned());
        active.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(deliver_framed(outgoing, &[], true))
}

/// A participant's LogoutResponse: recorded once, against the request it answers.
async fn answered(
    saml: &Saml,
    app: &Resolved,
    in_response_to: &str,
    status: &[String],
) -> AppResult<Response> {
    let unknown = || {
        AppError::bad_input(
            "SAMLResponse",
            "this LogoutResponse answers no logout request of this identity provider",
        )
    };
    let participant = saml_logout_participant::Entity::find_by_id(in_response_to.to_owned())
        .one(&saml.store.conn)
        .await?
        .filter(|p| p.application_id == app.model.id)
        .ok_or_else(unknown)?;
    if participant.answered_at.is_some() {
        return Err(AppError::conflict(
            "SAMLResponse",
            "this LogoutResponse was already received",
        ));
    }
    let success = status.first().map(String::as_str) == Some(logout::STATUS_SUCCESS);
    let txn = saml.store.begin_write().await?;
    let mut active: saml_logout_participant::ActiveModel = participant.into();
    active.state = Set(if success { "confirmed" } else { "failed" }.to_owned());
    active.status = Set(Some(status.join(" ")));
    active.answered_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    txn.commit().await?;
    let lang = i18n::current();
    let name = &app.model.name;
    let body = if success {
        format!("<p>{}</p>", e(&t!(lang, "slo-signed-out-of", app = name)))
    } else {
        format!("<p>{}</p>", e(&t!(lang, "slo-not-confirmed", app = name)))
    };
    Ok(pages::page_with(
        StatusCode::OK,
        &t!(lang, "slo-signed-out-title"),
        &body,
        &PageOptions {
            framed_by_self: true,
            ..PageOptions::default()
        },
    ))
}

/// `GET /saml/logouts/{id}/finish`: what happened, and the answer to the application that
/// asked. A participant that did not confirm is named to the employee, and the initiator
/// hears `PartialLogout`.
async fn finish(
    State(saml): State<Saml>,
    logout_id: Result<Path<String>, PathRejection>,
) -> Result<Response, PageError> {
    let logout = logout_of(&saml, logout_id).await?;
    let participants = participants_of(&saml, &logout.id).await?;
    let unconfirmed: Vec<&Resolved> = participants
        .iter()
        .filter(|(p, _)| p.state != "confirmed")
        .map(|(_, app)| app.as_ref())
        .collect();
    let initiator = match (
        &logout.initiator_application_id,
        &logout.initiator_request_id,
    ) {
        (Some(app_id), Some(request_id)) => Some((application(&saml, app_id).await?, request_id)),
        _ => None,
    };
    let Some((app, request_id)) = initiator else {
        if unconfirmed.is_empty() {
            return Ok(see_other(
                &sign_in_url(
                    &saml.config.public_url,
                    &logout.instance_id,
                    &Continue::Portal,
                ),
                &[],
            ));
        }
        let sign_in = sign_in_url(
            &saml.config.public_url,
            &logout.instance_id,
            &Continue::Portal,
        );
        let lang = i18n::current();
        let body = format!(
            "{}<p><a href=\"{}\">{}</a></p>",
            partial_report(&unconfirmed),
            e(&sign_in),
            e(&t!(lang, "slo-sign-in-again"))
        );
        return Ok(pages::page(
            StatusCode::OK,
            &t!(lang, "slo-partial-title"),
            &body,
        ));
    };
    let (endpoint, _) = single_logout_of(&app)?;
    let asked = (request_id.as_str(), logout.relay_state.as_deref());
    let (status, message) = if unconfirmed.is_empty() {
        ((logout::STATUS_SUCCESS, None), None)
    } else {
        (
            (
                logout::STATUS_RESPONDER,
                Some(logout::STATUS_PARTIAL_LOGOUT),
            ),
            Some("not every application of the session confirmed the logout"),
        )
    };
    let outgoing = respond(&saml, &app, &endpoint, asked, status, message).await?;
    if unconfirmed.is_empty() {
        return Ok(deliver(outgoing, &[]));
    }
    // Partial: the employee reads which applications may still have her signed in, then goes
    // back to the application that asked.
    let lang = i18n::current();
    let return_label = e(&t!(lang, "slo-return", app = &app.model.name));
    let back = match &outgoing {
        Outgoing::Redirect(url) => format!("<p><a href=\"{}\">{return_label}</a></p>", e(url)),
        Outgoing::Post { url, field, xml } => {
            use base64::Engine;
            let relay = logout
                .relay_state
                .as_deref()
                .map(|r| {
                    format!(
                        "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                        e(r)
                    )
                })
                .unwrap_or_default();
            format!(
                "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"{}\" \
                 value=\"{}\">{relay}<button type=\"submit\">{return_label}</button></form>",
                e(url),
                e(field),
                base64::engine::general_purpose::STANDARD.encode(xml),
            )
        }
    };
    let body = format!("{}{back}", partial_report(&unconfirmed));
    Ok(pages::page_with(
        StatusCode::OK,
        &t!(lang, "slo-partial-title"),
        &body,
        &PageOptions {
            forms_anywhere: true,
            ..PageOptions::default()
        },
    ))
}

/// The report of a partial logout: the applications that did not confirm.
fn partial_report(unconfirmed: &[&Resolved]) -> String {
    let items: String = unconfirmed
        .iter()
        .map(|app| format!("<li>{}</li>", e(&app.model.name)))
        .collect();
    let lang = i18n::current();
    format!(
        "<h1>{}</h1><p class=\"error\">{}</p><ul>{items}</ul><p>{}</p>",
        e(&t!(lang, "slo-partial-heading")),
        e(&t!(lang, "slo-partial-text")),
        e(&t!(lang, "slo-partial-advice")),
    )
}
