//! Passkeys and security keys of employees and console admins (WebAuthn, checked by
//! webauthn-rs): registering one (her account page, the console's Security page), giving one as
//! the second factor of a pending step, and signing in with one alone (a discoverable
//! credential that verified her).
//!
//! How strictly a passkey must verify its holder (a PIN or biometrics) is the instance's
//! [`PasskeyUserVerification`]: `required` refuses a registration or a second factor that did
//! not verify her; `preferred` asks for it and accepts a key without a PIN as a second factor
//! (`security_key`). Signing in without a password always requires it. Admins' passkeys are
//! `preferred`.
//!
//! The relying party is this server: its origin is `public_url`, the address the browser
//! shows; its ID is `public_url`'s host, or the parent domain `passkeys.rp_id` names. Browsers
//! refuse passkeys for an IP address, so a server reached by one has none ([`rp_id`]).
//!
//! A ceremony's state (the challenge, the credentials an authentication allows) is stored in
//! `passkey_ceremonies` for [`CEREMONY_MINUTES`], bound to what only the browser that began it
//! holds, and spent by a conditional delete: an answer is checked once, on whichever node it
//! reaches, and a replayed one finds nothing. The credential record is the library's
//! `Credential` as JSON in `factors.secret`, its id (base64url) in `credential_id`, unique on
//! the server. After each use the record is written back with the new signature counter, by a
//! conditional update on the record read, so that two uses cannot both move it from one
//! value; a counter that does not move forward (a cloned authenticator, says WebAuthn §6.1.1)
//! is refused and audited.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use entity::admin;
use entity::factor::{self, FactorKind};
use entity::instance::PasskeyUserVerification;
use entity::passkey_ceremony;
use entity::user::{self, UserStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{
    AuthenticationResult, Credential, DiscoverableAuthentication, DiscoverableKey, Passkey,
    PublicKeyCredential, RegisterPublicKeyCredential, SecurityKey, SecurityKeyAuthentication,
    SecurityKeyRegistration, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};

use super::employee_sessions::EmployeeSession;
use super::factors::{self, Owner, OwnerKind};
use super::Auth;
use crate::audit;
use crate::authz::admin::Actor;
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::i18n;
use crate::ids::{new_id, plausible_id};
use crate::t;

/// How long a begun ceremony waits for the browser's answer.
pub const CEREMONY_MINUTES: i64 = 5;

/// The largest body a passkey endpoint reads: a registration's answer with an attestation
/// certificate chain is a few KiB.
pub const MAX_BODY: usize = 32 * 1024;

/// What a ceremony is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Register,
    Factor,
    SignIn,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Factor => "factor",
            Purpose::SignIn => "sign_in",
        }
    }
}

/// The relying party ID: `passkeys.rp_id`, else `public_url`'s host; `None` when that is no
/// domain name (browsers refuse passkeys for IP addresses).
pub fn rp_id(config: &Config) -> Option<String> {
    rp_id_of(&config.public_url, config.passkeys.rp_id.as_deref())
}

fn rp_id_of(public_url: &str, configured: Option<&str>) -> Option<String> {
    let id = match configured {
        Some(id) => id.to_owned(),
        None => Url::parse(public_url).ok()?.host_str()?.to_owned(),
    };
    let is_domain = Url::parse(&format!("http://{id}/"))
        .ok()
        .is_some_and(|u| u.domain().is_some());
    is_domain.then_some(id)
}

/// Whether passkeys can work on this server at all.
pub fn enabled(config: &Config) -> bool {
    relying_party(config, "Lanyard").is_some()
}

/// The relying party, shown to the employee as `name` when she registers a passkey.
fn relying_party(config: &Config, name: &str) -> Option<Webauthn> {
    relying_party_of(&config.public_url, config.passkeys.rp_id.as_deref(), name)
}

fn relying_party_of(public_url: &str, configured: Option<&str>, name: &str) -> Option<Webauthn> {
    let id = rp_id_of(public_url, configured)?;
    let origin = Url::parse(public_url).ok()?;
    WebauthnBuilder::new(&id, &origin)
        .ok()?
        .rp_name(name)
        .build()
        .ok()
}

/// Why a passkey's answer (or the start of a ceremony) was not accepted. Each is a sentence
/// for the employee ([`Refused::message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Passkeys cannot work on this server (its address is no domain name).
    Unavailable,
    /// No such ceremony waits for this browser: expired, answered already, or never begun.
    Expired,
    /// The answer is not a well-formed WebAuthn response.
    Malformed,
    /// The credential is not one registered here (for her).
    NotRegistered,
    /// The answer was made for another site or origin, or another challenge.
    OtherSite,
    /// The authenticator did not verify who is using it (PIN or biometrics), where that is
    /// required.
    NotVerified,
    /// The signature counter did not move forward: the authenticator may have been copied.
    Cloned,
    /// The credential is registered already.
    Duplicate,
    /// Anything else the check refused (a bad signature, say).
    Failed,
}

impl Refused {
    /// What the employee reads, in the language of her request.
    pub fn message(self) -> String {
        let lang = i18n::current();
        match self {
            Refused::Unavailable => t!(lang, "passkey-unavailable"),
            Refused::Expired => t!(lang, "passkey-expired"),
            Refused::Malformed => t!(lang, "passkey-malformed"),
            Refused::NotRegistered => t!(lang, "passkey-not-registered"),
            Refused::OtherSite => t!(lang, "passkey-other-site"),
            Refused::NotVerified => t!(lang, "passkey-not-verified"),
            Refused::Cloned => t!(lang, "passkey-cloned"),
            Refused::Duplicate => t!(lang, "passkey-duplicate"),
            Refused::Failed => t!(lang, "passkey-failed"),
        }
    }

    /// The refusal as the error the JSON endpoints answer with.
    pub fn error(self) -> AppError {
        let message = self.message();
        match self {
            Refused::Duplicate => AppError::conflict("credential", message),
            Refused::Cloned => AppError::Forbidden(message),
            Refused::Unavailable | Refused::Expired => AppError::bad_input("ceremony", message),
            _ => AppError::bad_input("credential", message),
        }
    }

    fn of(err: &WebauthnError) -> Refused {
        use WebauthnError as E;
        match err {
            E::MismatchedChallenge
            | E::InvalidRPOrigin
            | E::InvalidRPIDHash
            | E::CredentialCrossOrigin
            | E::InvalidClientDataType => Refused::OtherSite,
            E::UserNotVerified => Refused::NotVerified,
            E::CredentialNotFound | E::InvalidUserUniqueId => Refused::NotRegistered,
            E::CredentialPossibleCompromise => Refused::Cloned,
            E::CredentialExcludedFromRequest | E::CredentialAlreadyExists => Refused::Duplicate,
            E::ParseBase64Failure(_)
            | E::ParseCBORFailure(_)
            | E::ParseJSONFailure(_)
            | E::ParseNOMFailure
            | E::ParseInsufficientBytesAvailable
            | E::MissingAttestationCredentialData
            | E::AttestationStatementMapInvalid
            | E::COSEKeyInvalidCBORValue
            | E::COSEKeyInvalidType
            | E::COSEKeyECDSAXYInvalid
            | E::COSEKeyRSANEInvalid
            | E::COSEKeyECDSAInvalidCurve
            | E::COSEKeyEDDSAXInvalid
            | E::COSEKeyEDDSAInvalidCurve
            | E::COSEKeyInvalidAlgorithm => Refused::Malformed,
            _ => Refused::Failed,
        }
    }
}

/// What the browser is given to begin a ceremony: the ceremony to name in its answer, and the
/// options for `navigator.credentials.create` or `.get` (binary values in base64url).
#[derive(Debug, Serialize)]
pub struct Started {
    pub ceremony: String,
    pub options: serde_json::Value,
}

/// Stores a begun ceremony's state; returns its id. Expired ceremonies go at the same time.
async fn store_ceremony<S: Serialize>(
    auth: &Auth,
    instance_id: Option<&str>,
    purpose: Purpose,
    bound_to: &str,
    state: &S,
) -> AppResult<String> {
    let state = serde_json::to_string(state)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey ceremony state: {err}")))?;
    let now = Utc::now();
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    passkey_ceremony::Entity::delete_many()
        .filter(passkey_ceremony::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    passkey_ceremony::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(instance_id.map(str::to_owned)),
        purpose: Set(purpose.as_str().to_owned()),
        bound_to: Set(bound_to.to_owned()),
        state: Set(state),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CEREMONY_MINUTES)),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Spends the ceremony `id` of this purpose, instance (none: an admin's) and binding, if it
/// still waits: its state, once (a conditional delete, so that two nodes cannot both have it).
async fn take_ceremony<S: DeserializeOwned>(
    auth: &Auth,
    id: &str,
    instance_id: Option<&str>,
    purpose: Purpose,
    bound_to: &str,
) -> AppResult<Option<S>> {
    if !plausible_id(id) {
        return Ok(None);
    }
    let now = Utc::now();
    let mine = || {
        let instance = match instance_id {
            Some(instance_id) => passkey_ceremony::Column::InstanceId.eq(instance_id),
            None => passkey_ceremony::Column::InstanceId.is_null(),
        };
        passkey_ceremony::Column::Id
            .eq(id)
            .and(instance)
            .and(passkey_ceremony::Column::Purpose.eq(purpose.as_str()))
            .and(passkey_ceremony::Column::BoundTo.eq(bound_to))
            .and(passkey_ceremony::Column::ExpiresAt.gt(now))
    };
    let Some(row) = passkey_ceremony::Entity::find()
        .filter(mine())
        .one(&auth.store.conn)
        .await?
    else {
        return Ok(None);
    };
    let txn = auth.store.begin_write().await?;
    let taken = passkey_ceremony::Entity::delete_many()
        .filter(mine())
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    if taken != 1 {
        return Ok(None);
    }
    serde_json::from_str(&row.state)
        .map(Some)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey ceremony state: {err}")))
}

/// What a ceremony of a browser without a session is bound to: a hash of a secret cookie
/// only that browser holds.
pub fn binding_of(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a passkey with this credential id is registered on the server (to anyone).
async fn registered(auth: &Auth, credential_id: &str) -> AppResult<bool> {
    Ok(factor::Entity::find()
        .filter(factor::Column::CredentialId.eq(credential_id))
        .one(&auth.store.conn)
        .await?
        .is_some())
}

/// A credential id as `factors.credential_id` holds it.
fn credential_id_text(raw: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

/// The credential record of a passkey row.
fn credential_of(row: &factor::Model) -> AppResult<Credential> {
    serde_json::from_str(&row.secret).map_err(|err| {
        AppError::Internal(anyhow::anyhow!(
            "the credential of passkey {} does not parse: {err}",
            row.id
        ))
    })
}

/// The owner's registered passkeys.
async fn passkeys_of<C: ConnectionTrait>(db: &C, owner: &Owner) -> AppResult<Vec<factor::Model>> {
    Ok(factors::list(db, owner)
        .await?
        .into_iter()
        .filter(|f| f.kind == FactorKind::Passkey)
        .collect())
}

/// The user handle her passkeys carry: her id's 16 bytes.
fn user_handle(owner: &Owner) -> AppResult<Uuid> {
    Uuid::parse_str(&owner.id).map_err(|err| {
        AppError::Internal(anyhow::anyhow!("owner id {} as a UUID: {err}", owner.id))
    })
}

/// Who registers a passkey: whose it will be, and the names her authenticator shows for it.
pub struct Holder<'a> {
    pub owner: Owner,
    pub username: &'a str,
    pub display_name: &'a str,
}

impl<'a> Holder<'a> {
    pub fn user(user: &'a user::Model) -> Holder<'a> {
        Holder {
            owner: Owner::user(user),
            username: &user.username,
            display_name: &user.display_name,
        }
    }
}

/// Asks the browser for user verification in `options` where it is required.
fn ask_verification(options: &mut serde_json::Value, verification: PasskeyUserVerification) {
    if verification != PasskeyUserVerification::Required {
        return;
    }
    if let Some(public_key) = options.get_mut("publicKey") {
        match public_key.get_mut("authenticatorSelection") {
            Some(selection) => selection["userVerification"] = "required".into(),
            None => public_key["userVerification"] = "required".into(),
        }
    }
}

/// Begins registering a passkey for `holder`, shown the relying party as `rp_name`, bound to
/// `bound_to` (her session). Her passkeys are excluded: an authenticator that holds one of them
/// says so instead of registering it again.
pub async fn begin_registration(
    auth: &Auth,
    holder: &Holder<'_>,
    bound_to: &str,
    rp_name: &str,
    verification: PasskeyUserVerification,
) -> AppResult<Result<Started, Refused>> {
    let Some(rp) = relying_party(&auth.config, rp_name) else {
        return Ok(Err(Refused::Unavailable));
    };
    let mut exclude = Vec::new();
    for row in passkeys_of(&auth.store.conn, &holder.owner).await? {
        exclude.push(credential_of(&row)?.cred_id);
    }
    // The security-key ceremony asks for user verification where the authenticator can give
    // it (a PIN or biometrics) without refusing the keys that cannot; a passkey that verified
    // her at registration must verify her at every use.
    let (options, state) = rp
        .start_securitykey_registration(
            user_handle(&holder.owner)?,
            holder.username,
            holder.display_name,
            Some(exclude).filter(|e| !e.is_empty()),
            None,
            None,
        )
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey registration: {err}")))?;
    let mut options = serde_json::to_value(&options)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey options: {err}")))?;
    if let Some(public_key) = options.get_mut("publicKey") {
        // Not only roaming keys: the phone's or laptop's own authenticator too (no
        // "security-key" hint), and a discoverable credential where the authenticator can make
        // one, so that it can also sign in without a password. Its protection is "user
        // verification unless the credential is named": a discoverable credential is not
        // offered to anyone who cannot unlock the authenticator, yet a key without a PIN still
        // answers as a second factor, where the server names her credentials (browsers refuse
        // the stricter level the library asks for unless verification is required). None of
        // these is checked when the answer comes back.
        if let Some(object) = public_key.as_object_mut() {
            object.remove("hints");
        }
        if let Some(selection) = public_key.get_mut("authenticatorSelection") {
            selection["residentKey"] = "preferred".into();
        }
        if let Some(extensions) = public_key.get_mut("extensions") {
            if extensions.get("credentialProtectionPolicy").is_some() {
                extensions["credentialProtectionPolicy"] =
                    "userVerificationOptionalWithCredentialIDList".into();
            }
        }
    }
    ask_verification(&mut options, verification);
    let ceremony = store_ceremony(
        auth,
        holder.owner.instance_id.as_deref(),
        Purpose::Register,
        bound_to,
        &state,
    )
    .await?;
    Ok(Ok(Started { ceremony, options }))
}

/// A passkey registered: its row, and the recovery codes made with it when she had none
/// left (to show once).
#[derive(Debug)]
pub struct Registered {
    pub factor_id: String,
    pub recovery_codes: Option<Vec<String>>,
}

/// The ceremony an answer finishes: its id, what it is bound to, and how strictly the passkey
/// must verify its holder.
pub struct Answering<'a> {
    pub ceremony: &'a str,
    pub bound_to: &'a str,
    pub verification: PasskeyUserVerification,
}

/// Finishes registering a passkey: checks the browser's answer against the ceremony, refuses
/// a credential registered already (to anyone) or one that did not verify her where that is
/// required, stores it under `name`, and audits `enrolFactor` by `actor`.
pub async fn finish_registration(
    auth: &Auth,
    owner: &Owner,
    actor: &Actor,
    answering: Answering<'_>,
    name: &str,
    answer: &RegisterPublicKeyCredential,
) -> AppResult<Result<Registered, Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let Some(state) = take_ceremony::<SecurityKeyRegistration>(
        auth,
        answering.ceremony,
        owner.instance_id.as_deref(),
        Purpose::Register,
        answering.bound_to,
    )
    .await?
    else {
        return Ok(Err(Refused::Expired));
    };
    // Registered already, to her or anyone: said before the library's check, which reports
    // one of her own excluded credentials as an altered algorithm.
    if registered(auth, &credential_id_text(answer.raw_id.as_slice())).await? {
        return Ok(Err(Refused::Duplicate));
    }
    let key = match rp.finish_securitykey_registration(answer, &state) {
        Ok(key) => key,
        Err(err) => {
            tracing::info!(owner_id = %owner.id, error = %err, "passkey registration refused");
            return Ok(Err(Refused::of(&err)));
        }
    };
    let credential: Credential = key.into();
    if answering.verification == PasskeyUserVerification::Required && !credential.user_verified {
        return Ok(Err(Refused::NotVerified));
    }
    let credential_id = credential_id_text(credential.cred_id.as_slice());
    if registered(auth, &credential_id).await? {
        return Ok(Err(Refused::Duplicate));
    }
    let secret = serde_json::to_string(&credential)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey credential: {err}")))?;
    let id = new_id();
    let txn = auth.store.begin_write().await?;
    let inserted = factor::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(owner.instance_id.clone()),
        owner_kind: Set(owner.kind.as_str().to_owned()),
        owner_id: Set(owner.id.clone()),
        kind: Set(FactorKind::Passkey),
        name: Set(factors::clean_name(name, "Passkey")),
        secret: Set(secret),
        credential_id: Set(Some(credential_id)),
        last_step: Set(None),
        confirmed: Set(true),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        // Registered by someone else on another node meanwhile.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Err(Refused::Duplicate));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        actor,
        owner.audit("enrolFactor").summary(
            serde_json::json!({ "factorId": row.id, "kind": "passkey", "name": row.name }),
        ),
    )
    .await?;
    let recovery_codes = if factors::recovery_codes_left(&txn, owner).await? == 0 {
        Some(factors::replace_recovery_codes(&txn, &auth.secrets, owner).await?)
    } else {
        None
    };
    txn.commit().await?;
    Ok(Ok(Registered {
        factor_id: id,
        recovery_codes,
    }))
}

/// A passkey's answer, checked: which of her passkeys, whether it verified her (PIN or
/// biometrics: the session's method is `passkey`, else `security_key`), and its record before
/// and after this use. Nothing is written until [`record_use`].
#[derive(Debug)]
pub struct Assertion {
    pub factor_id: String,
    pub user_verified: bool,
    previous: String,
    updated: String,
}

/// Writes back the record of a checked answer (its new counter) and the time of its use:
/// false when the record changed since it was read (another use on another node), so that
/// only one of two uses from one counter value counts.
pub async fn record_use<C: ConnectionTrait>(db: &C, assertion: &Assertion) -> AppResult<bool> {
    let written = factor::Entity::update_many()
        .col_expr(
            factor::Column::Secret,
            Expr::value(assertion.updated.clone()),
        )
        .col_expr(factor::Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(factor::Column::Id.eq(assertion.factor_id.as_str()))
        .filter(factor::Column::Secret.eq(assertion.previous.as_str()))
        .exec(db)
        .await?
        .rows_affected;
    Ok(written == 1)
}

/// Begins giving one of her passkeys as the second factor of the pending step `step_id`.
pub async fn begin_factor(
    auth: &Auth,
    owner: &Owner,
    step_id: &str,
    verification: PasskeyUserVerification,
) -> AppResult<Result<Started, Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let mut keys = Vec::new();
    for row in passkeys_of(&auth.store.conn, owner).await? {
        keys.push(SecurityKey::from(credential_of(&row)?));
    }
    if keys.is_empty() {
        return Ok(Err(Refused::NotRegistered));
    }
    // User verification is asked for, and required only where the instance says so: a
    // security key without a PIN still proves something she has (`security_key`); one with a
    // PIN or biometrics, a passkey.
    let (options, state) = rp
        .start_securitykey_authentication(&keys)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey authentication: {err}")))?;
    let mut options = serde_json::to_value(&options)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey options: {err}")))?;
    if let Some(public_key) = options.get_mut("publicKey").and_then(|p| p.as_object_mut()) {
        public_key.remove("hints");
    }
    ask_verification(&mut options, verification);
    let ceremony = store_ceremony(
        auth,
        owner.instance_id.as_deref(),
        Purpose::Factor,
        step_id,
        &state,
    )
    .await?;
    Ok(Ok(Started { ceremony, options }))
}

/// The given counter of an answer: bytes 33–36 of its authenticator data.
fn given_counter(answer: &PublicKeyCredential) -> Option<u32> {
    let data = answer.response.authenticator_data.as_slice();
    data.get(33..37)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Audits an answer whose counter did not move forward (`passkeyCloneSuspected`).
async fn record_clone(
    auth: &Auth,
    actor: &Actor,
    owner: &Owner,
    row: &factor::Model,
    stored: u32,
    answer: &PublicKeyCredential,
) -> AppResult<()> {
    tracing::warn!(
        owner_id = %owner.id,
        factor_id = %row.id,
        stored,
        given = ?given_counter(answer),
        "a passkey's signature counter went backwards: refused"
    );
    let txn = auth.store.begin_write().await?;
    audit::record(
        &txn,
        actor,
        owner
            .audit("passkeyCloneSuspected")
            .summary(serde_json::json!({
                "factorId": row.id,
                "name": row.name,
                "storedCounter": stored,
                "givenCounter": given_counter(answer),
            }))
            .outcome("failure"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the library's check said of an answer, with the record it was checked against: the
/// counter checked against the record as it is now (not as it was when the ceremony began),
/// and the record to write back.
async fn settle(
    auth: &Auth,
    actor: &Actor,
    owner: &Owner,
    row: &factor::Model,
    answer: &PublicKeyCredential,
    checked: Result<AuthenticationResult, WebauthnError>,
) -> AppResult<Result<Assertion, Refused>> {
    let credential = credential_of(row)?;
    let stored = credential.counter;
    let result = match checked {
        Ok(result) => result,
        Err(err) => {
            let refused = Refused::of(&err);
            tracing::info!(owner_id = %owner.id, error = %err, "passkey answer refused");
            if refused == Refused::Cloned {
                record_clone(auth, actor, owner, row, stored, answer).await?;
            }
            return Ok(Err(refused));
        }
    };
    if (result.counter() > 0 || stored > 0) && result.counter() <= stored {
        record_clone(auth, actor, owner, row, stored, answer).await?;
        return Ok(Err(Refused::Cloned));
    }
    let mut key = Passkey::from(credential);
    key.update_credential(&result);
    let updated = serde_json::to_string(&Credential::from(key))
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey credential: {err}")))?;
    Ok(Ok(Assertion {
        factor_id: row.id.clone(),
        user_verified: result.user_verified(),
        previous: row.secret.clone(),
        updated,
    }))
}

/// Checks the answer to the second-factor ceremony of the pending step (`answering.bound_to`)
/// of `owner`; `actor` is who an answer from a copied authenticator is audited as.
pub async fn verify_factor(
    auth: &Auth,
    owner: &Owner,
    actor: &Actor,
    answering: Answering<'_>,
    answer: &PublicKeyCredential,
) -> AppResult<Result<Assertion, Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let Some(state) = take_ceremony::<SecurityKeyAuthentication>(
        auth,
        answering.ceremony,
        owner.instance_id.as_deref(),
        Purpose::Factor,
        answering.bound_to,
    )
    .await?
    else {
        return Ok(Err(Refused::Expired));
    };
    let given = credential_id_text(answer.raw_id.as_slice());
    let Some(row) = passkeys_of(&auth.store.conn, owner)
        .await?
        .into_iter()
        .find(|f| f.credential_id.as_deref() == Some(given.as_str()))
    else {
        return Ok(Err(Refused::NotRegistered));
    };
    let checked = rp.finish_securitykey_authentication(answer, &state);
    let settled = settle(auth, actor, owner, &row, answer, checked).await?;
    Ok(settled.and_then(|assertion| {
        if answering.verification == PasskeyUserVerification::Required && !assertion.user_verified {
            Err(Refused::NotVerified)
        } else {
            Ok(assertion)
        }
    }))
}

/// Begins signing in with a passkey alone in `instance_id` (none: the console), bound to the
/// browser's pre-session (`bound_to`, a hash of it). The authenticator offers her passkeys for
/// this site; the one she picks names her.
pub async fn begin_sign_in(
    auth: &Auth,
    instance_id: Option<&str>,
    bound_to: &str,
) -> AppResult<Result<Started, Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let (options, state) = rp
        .start_discoverable_authentication()
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey sign-in: {err}")))?;
    let mut options = serde_json::to_value(&options)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("passkey options: {err}")))?;
    // The library asks for the autofill ("conditional") prompt; the sign-in page asks with a
    // button instead.
    if let Some(object) = options.as_object_mut() {
        object.remove("mediation");
    }
    let ceremony = store_ceremony(auth, instance_id, Purpose::SignIn, bound_to, &state).await?;
    Ok(Ok(Started { ceremony, options }))
}

/// The passkey a sign-in answer names, with the ceremony's state: registered to an owner of
/// the kind `kind` in `instance_id` (none: an admin), the one its user handle names.
async fn discovered(
    auth: &Auth,
    rp: &Webauthn,
    instance_id: Option<&str>,
    answering: &Answering<'_>,
    answer: &PublicKeyCredential,
) -> AppResult<Result<(factor::Model, DiscoverableAuthentication), Refused>> {
    let Some(state) = take_ceremony::<DiscoverableAuthentication>(
        auth,
        answering.ceremony,
        instance_id,
        Purpose::SignIn,
        answering.bound_to,
    )
    .await?
    else {
        return Ok(Err(Refused::Expired));
    };
    let (handle, raw_id) = match rp.identify_discoverable_authentication(answer) {
        Ok(found) => found,
        Err(err) => return Ok(Err(Refused::of(&err))),
    };
    let given = credential_id_text(raw_id);
    let kind = match instance_id {
        Some(_) => OwnerKind::User,
        None => OwnerKind::Admin,
    };
    let mut query = factor::Entity::find()
        .filter(factor::Column::CredentialId.eq(given.as_str()))
        .filter(factor::Column::Kind.eq(FactorKind::Passkey))
        .filter(factor::Column::Confirmed.eq(true))
        .filter(factor::Column::OwnerKind.eq(kind.as_str()));
    query = match instance_id {
        Some(instance_id) => query.filter(factor::Column::InstanceId.eq(instance_id)),
        None => query.filter(factor::Column::InstanceId.is_null()),
    };
    let row = query
        .one(&auth.store.conn)
        .await?
        .filter(|row| Uuid::parse_str(&row.owner_id).ok() == Some(handle));
    Ok(row.map(|row| (row, state)).ok_or(Refused::NotRegistered))
}

/// Checks a discovered passkey's answer against the ceremony: it must have verified its
/// holder, whatever the instance asks of second factors.
async fn verify_discovered(
    auth: &Auth,
    rp: &Webauthn,
    actor: &Actor,
    owner: &Owner,
    (row, state): (factor::Model, DiscoverableAuthentication),
    answer: &PublicKeyCredential,
) -> AppResult<Result<Assertion, Refused>> {
    let key = DiscoverableKey::from(Passkey::from(credential_of(&row)?));
    let checked = rp.finish_discoverable_authentication(answer, state, &[key]);
    let settled = settle(auth, actor, owner, &row, answer, checked).await?;
    Ok(settled.and_then(|assertion| {
        if assertion.user_verified {
            Ok(assertion)
        } else {
            Err(Refused::NotVerified)
        }
    }))
}

/// Checks the answer to an employee's sign-in ceremony: the passkey must be registered to an
/// active user of `instance_id` (the one its user handle names) and must have verified her.
pub async fn verify_sign_in(
    auth: &Auth,
    instance_id: &str,
    answering: Answering<'_>,
    answer: &PublicKeyCredential,
    client_ip: Option<String>,
) -> AppResult<Result<(user::Model, Assertion), Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let found = match discovered(auth, &rp, Some(instance_id), &answering, answer).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let Some(user) = user::Entity::find_by_id(found.0.owner_id.clone())
        .one(&auth.store.conn)
        .await?
        .filter(|u| u.status == UserStatus::Active && u.instance_id == instance_id)
    else {
        return Ok(Err(Refused::NotRegistered));
    };
    let actor = EmployeeSession::actor_of(&user, client_ip);
    let owner = Owner::user(&user);
    Ok(verify_discovered(auth, &rp, &actor, &owner, found, answer)
        .await?
        .map(|assertion| (user, assertion)))
}

/// Checks the answer to a console admin's sign-in ceremony: the passkey must be registered to
/// an admin (the one its user handle names) and must have verified her.
pub async fn verify_admin_sign_in(
    auth: &Auth,
    answering: Answering<'_>,
    answer: &PublicKeyCredential,
    client_ip: Option<String>,
) -> AppResult<Result<(admin::Model, Assertion), Refused>> {
    let Some(rp) = relying_party(&auth.config, "Lanyard") else {
        return Ok(Err(Refused::Unavailable));
    };
    let found = match discovered(auth, &rp, None, &answering, answer).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let Some(admin) = admin::Entity::find_by_id(found.0.owner_id.clone())
        .one(&auth.store.conn)
        .await?
    else {
        return Ok(Err(Refused::NotRegistered));
    };
    let actor = Actor {
        kind: "admin",
        id: admin.id.clone(),
        name: admin.username.clone(),
        client_ip,
    };
    let owner = Owner::admin(&admin.id);
    Ok(verify_discovered(auth, &rp, &actor, &owner, found, answer)
        .await?
        .map(|assertion| (admin, assertion)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_urls_host_and_never_an_address() {
        let of = |url: &str, configured: Option<&str>| {
            (
                rp_id_of(url, configured),
                relying_party_of(url, configured, "Acme").is_some(),
            )
        };
        assert_eq!(
            of("https://id.example.com", None),
            (Some("id.example.com".into()), true)
        );
        assert_eq!(
            of("https://id.example.com", Some("example.com")),
            (Some("example.com".into()), true)
        );
        assert_eq!(
            of("http://localhost:8080", None),
            (Some("localhost".into()), true)
        );
        // Not a parent domain of the origin: the library refuses it.
        assert!(!of("https://id.example.com", Some("evil.example")).1);
        for address in [
            "http://127.0.0.1",
            "http://[::1]:8080",
            "http://10.0.0.1:80",
        ] {
            assert_eq!(of(address, None), (None, false), "{address}");
        }
    }

    #[test]
    fn the_librarys_errors_read_as_refusals() {
        assert_eq!(
            Refused::of(&WebauthnError::MismatchedChallenge),
            Refused::OtherSite
        );
        assert_eq!(
            Refused::of(&WebauthnError::InvalidRPIDHash),
            Refused::OtherSite
        );
        assert_eq!(
            Refused::of(&WebauthnError::CredentialPossibleCompromise),
            Refused::Cloned
        );
        assert_eq!(
            Refused::of(&WebauthnError::ParseNOMFailure),
            Refused::Malformed
        );
        assert_eq!(
            Refused::Duplicate.error().status(),
            axum::http::StatusCode::CONFLICT
        );
        assert_eq!(
            Refused::Cloned.error().status(),
            axum::http::StatusCode::FORBIDDEN
        );
        assert!(!Refused::OtherSite.message().is_empty());
    }
}
