//! Applications of an instance: added from a template, with their SSO settings. What the
//! template derives is computed on read, so a changed account ID changes the entity ID, unless
//! an admin overrode it.

use std::sync::Arc;

use chrono::Utc;
use entity::application::{self, AccountMode, AuthorizationScope, Initiation};
use entity::user;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value};

use super::templates::{self, AttributeStatement, Derived, Template, ATTRIBUTE_SOURCES};
use super::Applications;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Action, ApplicationPermit, InstancePermit, ReadsApplication};
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::query::{prefix_match, Count};
use crate::validate;

pub const SIGNATURE_ALGORITHMS: [&str; 2] = ["rsa-sha256", "rsa-sha512"];
const MAX_RELAY_STATE: usize = 80;

/// An application with what its template derives, resolved.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub model: application::Model,
    pub template: &'static Template,
    pub derived: Derived,
}

impl Resolved {
    pub fn new(model: application::Model) -> AppResult<Resolved> {
        let template = templates::find(&model.template_id).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "application {} has unknown template {}",
                model.id,
                model.template_id
            ))
        })?;
        let params = model.params.as_object().cloned().unwrap_or_default();
        let derived = template.derive(&params);
        Ok(Resolved {
            model,
            template,
            derived,
        })
    }

    pub fn sp_entity_id(&self) -> Option<String> {
        self.model
            .sp_entity_id_override
            .clone()
            .or_else(|| self.derived.sp_entity_id.clone())
    }

    pub fn acs_url(&self) -> Option<String> {
        self.model
            .acs_url_override
            .clone()
            .or_else(|| self.derived.acs_url.clone())
    }

    /// Where this application's single logout messages go, when it takes part in single
    /// logout: the SP's SLO endpoint, where LogoutResponses go, and the binding.
    pub fn single_logout(&self) -> Option<SloEndpoint> {
        let url = self
            .model
            .slo_url
            .clone()
            .filter(|_| self.model.single_logout)?;
        Some(SloEndpoint {
            response_url: self
                .model
                .slo_response_url
                .clone()
                .unwrap_or_else(|| url.clone()),
            url,
            post: self.model.slo_binding == "post",
        })
    }

    pub fn name_id_suffix(&self) -> Option<String> {
        match &self.model.name_id_suffix {
            Some(suffix) if suffix.is_empty() => None,
            Some(suffix) => Some(suffix.clone()),
            None => self.derived.name_id_suffix.clone(),
        }
    }

    /// Template attributes first, then the admin's.
    pub fn attribute_statements(&self) -> Vec<AttributeStatement> {
        let mut all = self.derived.attribute_statements.clone();
        all.extend(
            serde_json::from_value::<Vec<AttributeStatement>>(
                self.model.attribute_statements.clone(),
            )
            .unwrap_or_default(),
        );
        all
    }

    /// Why SSO cannot work yet, if it cannot.
    pub fn incomplete(&self) -> Vec<String> {
        let params = self.model.params.as_object().cloned().unwrap_or_default();
        let mut missing: Vec<String> = self
            .template
            .missing_params(&params)
            .into_iter()
            .map(|p| format!("params.{p}"))
            .collect();
        if self.template.is_oidc() {
            // The client's registration (redirect URIs) is the `oidc` module's to check.
            return missing;
        }
        if self.sp_entity_id().is_none() {
            missing.push("spEntityId".into());
        }
        if self.acs_url().is_none() {
            missing.push("acsUrl".into());
        }
        if self.model.encrypt_assertions && self.model.sp_encryption_certificate_pem.is_none() {
            missing.push("spEncryptionCertificatePem".into());
        }
        missing
    }
}

/// An application's SingleLogoutService.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SloEndpoint {
    pub url: String,
    pub response_url: String,
    /// HTTP-POST; else HTTP-Redirect.
    pub post: bool,
}

async fn find_in<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    id: &str,
) -> AppResult<application::Model> {
    application::Entity::find_by_id(id)
        .filter(application::Column::InstanceId.eq(instance_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("application"))
}

/// The instance an application belongs to, for the Cedar check of an application action.
/// Unknown ids are `NOT_FOUND` without revealing anything else.
pub async fn instance_of(apps: &Applications, application_id: &str) -> AppResult<String> {
    if !plausible_id(application_id) {
        return Err(AppError::NotFound("application"));
    }
    application::Entity::find_by_id(application_id)
        .select_only()
        .column(application::Column::InstanceId)
        .into_tuple::<String>()
        .one(&apps.store.conn)
        .await?
        .ok_or(AppError::NotFound("application"))
}

pub async fn get<A: ReadsApplication>(
    apps: &Applications,
    permit: &ApplicationPermit<A>,
) -> AppResult<Resolved> {
    Resolved::new(
        find_in(
            &apps.store.conn,
            permit.instance_id(),
            permit.application_id(),
        )
        .await?,
    )
}

pub async fn list(
    apps: &Applications,
    permit: &InstancePermit<actions::ReadApplications>,
    search: Option<&str>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<Resolved>, Count)> {
    let mut query = application::Entity::find()
        .filter(application::Column::InstanceId.eq(permit.instance_id()));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(prefix_match(application::Column::Name, search));
    }
    let total = Count::of(query.clone(), &apps.store.conn);
    if let Some(after) = after {
        query = query.filter(application::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(application::Column::Id)
        .limit(limit)
        .all(&apps.store.conn)
        .await?;
    Ok((
        rows.into_iter()
            .map(Resolved::new)
            .collect::<AppResult<_>>()?,
        total,
    ))
}

/// Adds an application from a template. Parameters may come now or with the SSO settings.
pub async fn add(
    apps: &Applications,
    permit: &InstancePermit<actions::CreateApplication>,
    template_id: &str,
    name: &str,
    params: Option<&Value>,
) -> AppResult<Resolved> {
    let template = templates::find(template_id).ok_or_else(|| {
        AppError::bad_input(
            "templateId",
            format!("no template {template_id:?} in the marketplace"),
        )
    })?;
    let name = validate::name("name", name, 128)?;
    let params = match params {
        Some(value) => template.check_params(value, false)?,
        None => Map::new(),
    };
    let derived = template.derive(&params);
    let now = Utc::now();
    let id = new_id();
    let txn = apps.store.begin_write().await?;
    crate::tenant::get_in(&txn, permit.instance_id()).await?;
    let model = application::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(permit.instance_id().to_owned()),
        template_id: Set(template.id.to_owned()),
        name: Set(name),
        enabled: Set(true),
        sso_enabled: Set(true),
        initiation: Set(Initiation::IdpOrSp),
        params: Set(Value::Object(params)),
        sp_entity_id_override: Set(None),
        acs_url_override: Set(None),
        name_id_format: Set(derived.name_id_format.to_owned()),
        account_mode: Set(derived.account_mode),
        name_id_suffix: Set(None),
        default_relay_state: Set(derived.default_relay_state.clone()),
        sign_response: Set(derived.sign_response),
        sign_assertion: Set(derived.sign_assertion),
        signature_algorithm: Set("rsa-sha256".into()),
        sp_certificate_pem: Set(None),
        sp_encryption_certificate_pem: Set(None),
        encrypt_assertions: Set(false),
        assertion_encryption: Set(ASSERTION_ENCRYPTIONS[0].to_owned()),
        slo_url: Set(None),
        slo_response_url: Set(None),
        slo_binding: Set(SLO_BINDINGS[0].to_owned()),
        single_logout: Set(true),
        authn_requests_signed: Set(false),
        assertion_lifetime_secs: Set(300),
        attribute_statements: Set(Value::Array(vec![])),
        created_at: Set(now),
        updated_at: Set(now),
        authorization_scope: Set(AuthorizationScope::Manual),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "application", Some(&id))
            .summary(serde_json::json!({ "name": model.name, "templateId": template.id })),
    )
    .await?;
    txn.commit().await?;
    Resolved::new(model)
}

/// Changes to an application. `None` leaves a setting alone; for the optional text settings
/// an empty string clears the value (an override falls back to what the template derives).
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub sso_enabled: Option<bool>,
    pub initiation: Option<Initiation>,
    pub params: Option<Value>,
    pub account_mode: Option<AccountMode>,
    pub name_id_format: Option<String>,
    pub name_id_suffix: Option<String>,
    pub default_relay_state: Option<String>,
    pub sign_response: Option<bool>,
    pub sign_assertion: Option<bool>,
    pub signature_algorithm: Option<String>,
    pub assertion_lifetime_secs: Option<i32>,
    pub sp_entity_id: Option<String>,
    pub acs_url: Option<String>,
    pub sp_certificate_pem: Option<String>,
    pub authn_requests_signed: Option<bool>,
    pub sp_encryption_certificate_pem: Option<String>,
    pub encrypt_assertions: Option<bool>,
    pub assertion_encryption: Option<String>,
    pub slo_url: Option<String>,
    pub slo_response_url: Option<String>,
    pub slo_binding: Option<String>,
    pub single_logout: Option<bool>,
    pub attribute_statements: Option<Vec<AttributeStatement>>,
}

fn clearable(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| Some(v.trim().to_owned()).filter(|v| !v.is_empty()))
}

/// An absolute http(s) URL or URN, as SAML entity IDs and endpoints are.
pub fn check_uri(field: &str, value: &str, https_or_urn: bool) -> AppResult<String> {
    let value = value.trim();
    let ok = value.len() <= 1024
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && (value.starts_with("https://")
            || value.starts_with("http://")
            || (https_or_urn && value.starts_with("urn:")))
        && value
            .split("://")
            .nth(1)
            .is_none_or(|rest| !rest.is_empty());
    if !ok {
        return Err(AppError::bad_input(
            field,
            format!(
                "{value:?} is not an absolute http(s) URL{}",
                if https_or_urn { " or URN" } else { "" }
            ),
        ));
    }
    Ok(value.to_owned())
}

/// Parses a PEM (or bare base64) X.509 certificate; returns it as PEM.
pub fn check_certificate(field: &str, text: &str) -> AppResult<String> {
    let text = text.trim();
    let pem = if text.starts_with("-----BEGIN CERTIFICATE-----") {
        text.to_owned()
    } else {
        let body: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let wrapped: Vec<String> = body
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----",
            wrapped.join("\n")
        )
    };
    let cert = openssl::x509::X509::from_pem(pem.as_bytes())
        .map_err(|_| AppError::bad_input(field, "not an X.509 certificate in PEM or base64"))?;
    let pem = cert.to_pem().map_err(|e| AppError::Internal(e.into()))?;
    String::from_utf8(pem).map_err(|e| AppError::Internal(e.into()))
}

/// How LogoutRequests travel to an application's SLO endpoint, the default first.
pub const SLO_BINDINGS: [&str; 2] = ["redirect", "post"];

/// The content ciphers an application's assertions may be encrypted with, the default first.
pub const ASSERTION_ENCRYPTIONS: [&str; 3] = ["aes256-gcm", "aes128-cbc", "aes256-cbc"];

/// A certificate assertions can be encrypted for: RSA (the key transport is RSA-OAEP).
pub fn check_encryption_certificate(field: &str, text: &str) -> AppResult<String> {
    let pem = check_certificate(field, text)?;
    let rsa = openssl::x509::X509::from_pem(pem.as_bytes())
        .and_then(|cert| cert.public_key())
        .is_ok_and(|key| key.rsa().is_ok());
    if !rsa {
        return Err(AppError::bad_input(
            field,
            "assertions are encrypted with RSA-OAEP: the certificate must hold an RSA key",
        ));
    }
    Ok(pem)
}

fn check_attributes(statements: &[AttributeStatement]) -> AppResult<Vec<AttributeStatement>> {
    if statements.len() > 50 {
        return Err(AppError::bad_input(
            "attributeStatements",
            "at most 50 attribute statements",
        ));
    }
    statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let field = |f: &str| format!("attributeStatements[{i}].{f}");
            let name = validate::name(&field("name"), &s.name, 256)?;
            if !ATTRIBUTE_SOURCES.contains(&s.source.as_str()) {
                return Err(AppError::bad_input(
                    field("source"),
                    format!("source must be one of {}", ATTRIBUTE_SOURCES.join(", ")),
                ));
            }
            if s.source == "literal" && (s.values.is_empty() || s.values.len() > 20) {
                return Err(AppError::bad_input(
                    field("values"),
                    "a literal attribute needs 1 to 20 values",
                ));
            }
            let values = s
                .values
                .iter()
                .map(|v| validate::text(&field("values"), v, 1024))
                .collect::<AppResult<Vec<_>>>()?;
            let name_format = if s.name_format.trim().is_empty() {
                templates::ATTRNAME_BASIC.to_owned()
            } else {
                check_uri(&field("nameFormat"), &s.name_format, true)?
            };
            Ok(AttributeStatement {
                name,
                name_format,
                source: s.source.clone(),
                values,
            })
        })
        .collect()
}

/// An application by id for the routes employees use on every sign-in, from this node's
/// cache ([`crate::fresh`]): a change made here applies at once, one made on another node
/// within the refresh interval. `None` when there is no such application.
pub async fn cached(apps: &Applications, id: &str) -> AppResult<Option<Arc<Resolved>>> {
    let ticket = match apps.cache.get(id) {
        Ok(app) => return Ok(Some(app)),
        Err(ticket) => ticket,
    };
    let Some(model) = application::Entity::find_by_id(id)
        .one(&apps.store.conn)
        .await?
    else {
        return Ok(None);
    };
    let app = Arc::new(Resolved::new(model)?);
    apps.cache.keep(ticket, id, app.clone());
    Ok(Some(app))
}

pub async fn update(
    apps: &Applications,
    permit: &ApplicationPermit<actions::UpdateApplication>,
    changes: Changes,
) -> AppResult<Resolved> {
    let txn = apps.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), permit.application_id()).await?;
    let template = Resolved::new(current.clone())?.template;
    let mut active: application::ActiveModel = current.clone().into();
    if let Some(name) = &changes.name {
        active.name = Set(validate::name("name", name, 128)?);
    }
    if let Some(params) = &changes.params {
        let mut merged = current.params.as_object().cloned().unwrap_or_default();
        let Value::Object(given) = params else {
            return Err(AppError::bad_input(
                "params",
                "params must be a JSON object",
            ));
        };
        for (key, value) in given {
            merged.insert(key.clone(), value.clone());
        }
        active.params = Set(Value::Object(
            template.check_params(&Value::Object(merged), false)?,
        ));
    }
    if let Some(v) = changes.enabled {
        active.enabled = Set(v);
    }
    if let Some(v) = changes.sso_enabled {
        active.sso_enabled = Set(v);
    }
    if let Some(v) = changes.initiation {
        active.initiation = Set(v);
    }
    if let Some(v) = changes.account_mode {
        active.account_mode = Set(v);
    }
    if let Some(format) = &changes.name_id_format {
        if !templates::NAMEID_FORMATS.contains(&format.as_str()) {
            return Err(AppError::bad_input(
                "nameIdFormat",
                format!(
                    "the NameID format must be one of {}",
                    templates::NAMEID_FORMATS.join(", ")
                ),
            ));
        }
        active.name_id_format = Set(format.clone());
    }
    if let Some(suffix) = changes.name_id_suffix {
        let suffix = suffix.trim().trim_start_matches('@').to_owned();
        if !suffix.is_empty()
            && (suffix.len() > 253
                || !suffix.contains('.')
                || !suffix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            return Err(AppError::bad_input(
                "nameIdSuffix",
                format!("{suffix:?} is not a domain name"),
            ));
        }
        // An empty suffix is stored as such: "no suffix", not "the template's".
        active.name_id_suffix = Set(Some(suffix));
    }
    if let Some(relay) = clearable(changes.default_relay_state) {
        if let Some(relay) = &relay {
            if relay.len() > MAX_RELAY_STATE {
                return Err(AppError::bad_input(
                    "defaultRelayState",
                    format!("RelayState is limited to {MAX_RELAY_STATE} bytes"),
                ));
            }
            check_uri("defaultRelayState", relay, false)?;
        }
        active.default_relay_state = Set(relay);
    }
    if let Some(v) = changes.sign_response {
        active.sign_response = Set(v);
    }
    if let Some(v) = changes.sign_assertion {
        active.sign_assertion = Set(v);
    }
    if let Some(algorithm) = &changes.signature_algorithm {
        if !SIGNATURE_ALGORITHMS.contains(&algorithm.as_str()) {
            return Err(AppError::bad_input(
                "signatureAlgorithm",
                format!("one of {}", SIGNATURE_ALGORITHMS.join(", ")),
            ));
        }
        active.signature_algorithm = Set(algorithm.clone());
    }
    if let Some(lifetime) = changes.assertion_lifetime_secs {
        if !(30..=3600).contains(&lifetime) {
            return Err(AppError::bad_input(
                "assertionLifetimeSeconds",
                "between 30 and 3600 seconds",
            ));
        }
        active.assertion_lifetime_secs = Set(lifetime);
    }
    if let Some(entity_id) = clearable(changes.sp_entity_id) {
        active.sp_entity_id_override = Set(entity_id
            .map(|e| check_uri("spEntityId", &e, true))
            .transpose()?);
    }
    if let Some(acs) = clearable(changes.acs_url) {
        active.acs_url_override = Set(acs.map(|a| check_uri("acsUrl", &a, false)).transpose()?);
    }
    if let Some(cert) = clearable(changes.sp_certificate_pem) {
        active.sp_certificate_pem = Set(cert
            .map(|c| check_certificate("spCertificatePem", &c))
            .transpose()?);
    }
    if let Some(v) = changes.authn_requests_signed {
        active.authn_requests_signed = Set(v);
    }
    if let Some(cert) = clearable(changes.sp_encryption_certificate_pem) {
        active.sp_encryption_certificate_pem = Set(cert
            .map(|c| check_encryption_certificate("spEncryptionCertificatePem", &c))
            .transpose()?);
    }
    if let Some(v) = changes.encrypt_assertions {
        active.encrypt_assertions = Set(v);
    }
    if let Some(cipher) = changes.assertion_encryption {
        if !ASSERTION_ENCRYPTIONS.contains(&cipher.as_str()) {
            return Err(AppError::bad_input(
                "assertionEncryption",
                format!(
                    "the assertion encryption must be one of {}",
                    ASSERTION_ENCRYPTIONS.join(", ")
                ),
            ));
        }
        active.assertion_encryption = Set(cipher);
    }
    if let Some(url) = clearable(changes.slo_url) {
        active.slo_url = Set(url.map(|u| check_uri("sloUrl", &u, false)).transpose()?);
    }
    if let Some(url) = clearable(changes.slo_response_url) {
        active.slo_response_url = Set(url
            .map(|u| check_uri("sloResponseUrl", &u, false))
            .transpose()?);
    }
    if let Some(binding) = changes.slo_binding {
        if !SLO_BINDINGS.contains(&binding.as_str()) {
            return Err(AppError::bad_input(
                "sloBinding",
                format!("the SLO binding must be one of {}", SLO_BINDINGS.join(", ")),
            ));
        }
        active.slo_binding = Set(binding);
    }
    if let Some(v) = changes.single_logout {
        active.single_logout = Set(v);
    }
    if let Some(statements) = &changes.attribute_statements {
        let checked = check_attributes(statements)?;
        active.attribute_statements =
            Set(serde_json::to_value(checked).map_err(|e| AppError::Internal(e.into()))?);
    }
    // A switch that works with one of the SP's certificates is not on without it.
    for (switch, certificate, field, message) in [
        (
            &active.authn_requests_signed,
            &active.sp_certificate_pem,
            "authnRequestsSigned",
            "signed AuthnRequests need the SP's certificate (spCertificatePem)",
        ),
        (
            &active.encrypt_assertions,
            &active.sp_encryption_certificate_pem,
            "encryptAssertions",
            "encrypted assertions need the SP's encryption certificate (spEncryptionCertificatePem)",
        ),
    ] {
        let on = saved(switch).copied().unwrap_or(false);
        if on && !saved(certificate).is_some_and(Option::is_some) {
            return Err(AppError::bad_input(field, message));
        }
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        application_audit(permit, "application").summary(diff(&current, &model)),
    )
    .await?;
    txn.commit().await?;
    apps.cache.forget(permit.application_id());
    Resolved::new(model)
}

/// What an application's setting will be once the update is saved.
fn saved<V: Into<sea_orm::Value>>(value: &sea_orm::ActiveValue<V>) -> Option<&V> {
    match value {
        sea_orm::ActiveValue::Set(v) | sea_orm::ActiveValue::Unchanged(v) => Some(v),
        sea_orm::ActiveValue::NotSet => None,
    }
}

pub fn application_audit<A: Action>(
    permit: &ApplicationPermit<A>,
    target: &'static str,
) -> AuditRecord {
    AuditRecord::application(permit, target)
}

fn diff(before: &application::Model, after: &application::Model) -> Value {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) = (to_json(before), to_json(after)) else {
        return Value::Null;
    };
    let mut changes = Map::new();
    for (key, new) in &b {
        let certificate = key == "sp_certificate_pem" || key == "sp_encryption_certificate_pem";
        if key == "updated_at" || certificate && a.get(key) == Some(new) {
            continue;
        }
        if a.get(key) != Some(new) {
            changes.insert(
                key.clone(),
                serde_json::json!({ "from": a.get(key), "to": new }),
            );
        }
    }
    serde_json::json!({ "name": after.name, "changes": changes })
}

fn to_json(model: &application::Model) -> serde_json::Result<Value> {
    Ok(serde_json::json!({
        "name": model.name, "enabled": model.enabled, "sso_enabled": model.sso_enabled,
        "initiation": format!("{:?}", model.initiation), "params": model.params,
        "sp_entity_id_override": model.sp_entity_id_override, "acs_url_override": model.acs_url_override,
        "name_id_format": model.name_id_format, "account_mode": format!("{:?}", model.account_mode),
        "name_id_suffix": model.name_id_suffix, "default_relay_state": model.default_relay_state,
        "sign_response": model.sign_response, "sign_assertion": model.sign_assertion,
        "signature_algorithm": model.signature_algorithm, "sp_certificate_pem": model.sp_certificate_pem.is_some(),
        "authn_requests_signed": model.authn_requests_signed, "assertion_lifetime_secs": model.assertion_lifetime_secs,
        "sp_encryption_certificate_pem": model.sp_encryption_certificate_pem.is_some(),
        "encrypt_assertions": model.encrypt_assertions, "assertion_encryption": model.assertion_encryption,
        "slo_url": model.slo_url, "slo_response_url": model.slo_response_url,
        "slo_binding": model.slo_binding, "single_logout": model.single_logout,
        "attribute_statements": model.attribute_statements, "updated_at": model.updated_at,
    }))
}

pub async fn delete(
    apps: &Applications,
    permit: &ApplicationPermit<actions::DeleteApplication>,
) -> AppResult<()> {
    let txn = apps.store.begin_write().await?;
    let current = find_in(&txn, permit.instance_id(), permit.application_id()).await?;
    entity::role_binding::Entity::delete_many()
        .filter(entity::role_binding::Column::ApplicationId.eq(permit.application_id()))
        .exec(&txn)
        .await?;
    application::Entity::delete_by_id(permit.application_id())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        permit.actor(),
        application_audit(permit, "application")
            .summary(serde_json::json!({ "name": current.name })),
    )
    .await?;
    txn.commit().await?;
    apps.cache.forget(permit.application_id());
    Ok(())
}

/// Why a user gets no NameID in an application.
#[derive(Debug, PartialEq, Eq)]
pub enum NoNameId {
    /// The user lacks what the application's account mode needs: refused like a denial.
    Missing(String),
    /// The request's `NameIDPolicy` cannot be met: `InvalidNameIDPolicy` to the SP.
    Policy(String),
}

/// A user's NameID in an application, with its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameId {
    pub value: String,
    pub format: &'static str,
}

/// The NameID a user gets in an application, in the format a request asked for (one this
/// server makes: [`templates::known_format`]) or else the application's own; `allow_create`
/// says whether a persistent identifier may be made now. Persistent identifiers are opaque
/// and kept ([`super::name_ids`]), transient ones new each time; an email address the
/// application did not choose is the user's email; otherwise the account mode decides.
pub async fn name_id_for(
    apps: &Applications,
    app: &Resolved,
    user: &user::Model,
    requested: Option<&'static str>,
    allow_create: bool,
) -> AppResult<Result<NameId, NoNameId>> {
    let configured =
        templates::known_format(&app.model.name_id_format).unwrap_or(templates::NAMEID_UNSPECIFIED);
    let format = requested.unwrap_or(configured);
    let value = match format {
        templates::NAMEID_PERSISTENT => {
            match super::name_ids::persistent(&apps.store, &app.model.id, &user.id, allow_create)
                .await?
            {
                Some(value) => Ok(value),
                None => Err(NoNameId::Policy(
                    "no persistent identifier exists yet and the request does not allow one \
                     to be made (AllowCreate=\"false\")"
                        .into(),
                )),
            }
        }
        templates::NAMEID_TRANSIENT => Ok(super::name_ids::transient()),
        templates::NAMEID_EMAIL if configured != templates::NAMEID_EMAIL => user
            .email
            .clone()
            .ok_or_else(|| NoNameId::Policy(format!("{} has no email address", user.username))),
        _ => account_name_id(apps, app, user)
            .await?
            .map_err(NoNameId::Missing),
    };
    Ok(value.map(|value| NameId { value, format }))
}

/// The NameID a user gets in an application without a request, read only: a persistent
/// identifier is shown once it exists, a transient one never (each response makes its own).
/// `Err` says why there is none to show.
pub async fn preview_name_id(
    apps: &Applications,
    app: &Resolved,
    user: &user::Model,
) -> AppResult<Result<String, String>> {
    match templates::known_format(&app.model.name_id_format) {
        Some(templates::NAMEID_PERSISTENT) => {
            Ok(super::name_ids::find(&apps.store, &app.model.id, &user.id)
                .await?
                .ok_or_else(|| {
                    "a persistent identifier is made at the user's first sign-in to the \
                     application"
                        .to_owned()
                }))
        }
        Some(templates::NAMEID_TRANSIENT) => Ok(Err(
            "a new transient identifier is made for each sign-in".to_owned(),
        )),
        _ => account_name_id(apps, app, user).await,
    }
}

/// Whether a user can get a NameID in an application at all (the portal lists only the
/// applications that will let the employee in).
pub async fn has_name_id(
    apps: &Applications,
    app: &Resolved,
    user: &user::Model,
) -> AppResult<bool> {
    Ok(match templates::known_format(&app.model.name_id_format) {
        Some(templates::NAMEID_PERSISTENT | templates::NAMEID_TRANSIENT) => true,
        _ => account_name_id(apps, app, user).await?.is_ok(),
    })
}

/// The NameID the application's account mode gives a user (with the NameID suffix), or why
/// there is none.
async fn account_name_id(
    apps: &Applications,
    app: &Resolved,
    user: &user::Model,
) -> AppResult<Result<String, String>> {
    // Only the application-account modes read the user's account of the application.
    let account = match app.model.account_mode {
        AccountMode::AppAccount | AccountMode::AppAccountOrUsername => {
            super::accounts::account_of(&apps.store.conn, &app.model.id, &user.id).await?
        }
        AccountMode::Username | AccountMode::Email => None,
    };
    let base = match (app.model.account_mode, account) {
        (AccountMode::Username, _) => Ok(user.username.clone()),
        (AccountMode::Email, _) => user.email.clone().ok_or_else(|| {
            format!(
                "{} has no email address, which this application uses as the account name",
                user.username
            )
        }),
        (AccountMode::AppAccount, Some(account))
        | (AccountMode::AppAccountOrUsername, Some(account)) => Ok(account.account_name),
        (AccountMode::AppAccount, None) => Err(format!(
            "{} has no application account in {}; map one on its Application Users page",
            user.username, app.model.name
        )),
        (AccountMode::AppAccountOrUsername, None) => Ok(user.username.clone()),
    };
    Ok(base.map(|name| match app.name_id_suffix() {
        Some(suffix) if !name.contains('@') => format!("{name}@{suffix}"),
        _ => name,
    }))
}
