//! Second factors of employees and console admins: authenticator apps (TOTP, RFC 6238) and
//! recovery codes here.
//!
//! An authenticator app's key is made here (160 random bits), shown once as a QR code and as
//! text, and stored sealed under the master key (AES-256-GCM, the row id bound in), as signing
//! keys are. Its enrolment is confirmed by a first code. A code is accepted for the current
//! 30-second step and one step either side, and only for a step later than the last accepted
//! one: a conditional update on `last_step`, so that two nodes cannot both accept the same code.
//!
//! Recovery codes are made when the first factor is enrolled (and on request), shown once, and
//! stored as HMACs under a server key; each works once, by the same kind of conditional update.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use entity::factor::{self, FactorKind};
use entity::recovery_code;
use rand::{Rng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use totp_rs::{Algorithm, TOTP};

use super::Auth;
use crate::audit::{self, AuditRecord};
use crate::authz::admin::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::{new_id, plausible_id};
use crate::secrets::{self, Keys};

/// Whose factor: an employee of an instance or a console admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub kind: OwnerKind,
    pub id: String,
    /// The employee's instance.
    pub instance_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerKind {
    User,
    Admin,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::User => "user",
            OwnerKind::Admin => "admin",
        }
    }
}

impl Owner {
    /// An audit record of `action` on this owner.
    pub fn audit(&self, action: &str) -> AuditRecord {
        match (&self.kind, &self.instance_id) {
            (OwnerKind::User, Some(instance_id)) => {
                AuditRecord::in_instance(instance_id, action, "user", Some(&self.id))
            }
            _ => AuditRecord::platform(action, "admin", Some(&self.id)),
        }
    }

    pub fn user(user: &entity::user::Model) -> Owner {
        Owner {
            kind: OwnerKind::User,
            id: user.id.clone(),
            instance_id: Some(user.instance_id.clone()),
        }
    }

    pub fn admin(admin_id: &str) -> Owner {
        Owner {
            kind: OwnerKind::Admin,
            id: admin_id.to_owned(),
            instance_id: None,
        }
    }
}

/// Seconds per TOTP step (RFC 6238's default, what every authenticator app uses).
pub const STEP_SECONDS: u64 = 30;
/// Steps of clock drift accepted either side of the current one.
const DRIFT_STEPS: i64 = 1;
/// Bytes of an authenticator app's key: 160 bits, RFC 4226's recommendation.
const TOTP_KEY_BYTES: usize = 20;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// Longest name an owner may give a factor.
pub const MAX_NAME: usize = 64;

/// The factors an owner has confirmed, oldest first.
pub async fn list<C: ConnectionTrait>(db: &C, owner: &Owner) -> AppResult<Vec<factor::Model>> {
    Ok(factor::Entity::find()
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .filter(factor::Column::Confirmed.eq(true))
        .order_by_asc(factor::Column::Id)
        .all(db)
        .await?)
}

/// How many unused recovery codes an owner has left.
pub async fn recovery_codes_left<C: ConnectionTrait>(db: &C, owner: &Owner) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(recovery_code::Column::OwnerId.eq(owner.id.as_str()))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// A factor's name as given: trimmed, without control characters, at most [`MAX_NAME`]
/// characters; `fallback` when nothing is left.
pub fn clean_name(given: &str, fallback: &str) -> String {
    let name: String = given
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    let name = name.trim();
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name.to_owned()
    }
}

/// An authenticator app being enrolled: what the owner's page shows once.
pub struct TotpEnrolment {
    /// The unconfirmed factor row, named in the confirming form.
    pub factor_id: String,
    /// The key in base32, for apps that cannot scan.
    pub secret_base32: String,
    /// The `otpauth://totp/…` URL the QR code holds.
    pub url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

impl TotpEnrolment {
    /// The QR code as a `data:` URL for an `<img>` (the pages' CSP allows `img-src data:`).
    pub fn qr_data_url(&self) -> String {
        format!(
            "data:image/svg+xml;base64,{}",
            STANDARD.encode(self.qr_svg.as_bytes())
        )
    }
}

/// The labels an authenticator app shows: `issuer` (the instance or "Lanyard") and the
/// account. Neither may hold `:` in an otpauth URL.
fn totp_of(key: Vec<u8>, issuer: &str, account: &str) -> AppResult<TOTP> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c == ':' || c.is_control() { ' ' } else { c })
            .take(64)
            .collect::<String>()
            .trim()
            .to_owned()
    };
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        key,
        Some(clean(issuer)).filter(|s| !s.is_empty()),
        clean(account),
    )
    .map_err(|err| AppError::Internal(anyhow::anyhow!("TOTP parameters: {err:?}")))
}

/// Starts enrolling an authenticator app: a new key, stored sealed in an unconfirmed row (an
/// earlier unconfirmed one of the owner goes).
pub async fn begin_totp(
    auth: &Auth,
    owner: &Owner,
    issuer: &str,
    account: &str,
) -> AppResult<TotpEnrolment> {
    let mut key = vec![0u8; TOTP_KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let id = new_id();
    let enrolment = enrolment_of(id.clone(), key.clone(), issuer, account)?;
    let sealed = secrets::seal(&auth.secrets.factor_seal, &id, &key)?;
    let txn = auth.store.begin_write().await?;
    factor::Entity::delete_many()
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .filter(factor::Column::Confirmed.eq(false))
        .exec(&txn)
        .await?;
    factor::ActiveModel {
        id: Set(id.clone()),
        instance_id: Set(owner.instance_id.clone()),
        owner_kind: Set(owner.kind.as_str().to_owned()),
        owner_id: Set(owner.id.clone()),
        kind: Set(FactorKind::Totp),
        name: Set(String::new()),
        secret: Set(sealed),
        credential_id: Set(None),
        last_step: Set(None),
        confirmed: Set(false),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(enrolment)
}

/// An owner's enrolment of an authenticator app that waits for its first code, shown again
/// (after a wrong code) with the same key.
pub async fn pending_totp(
    auth: &Auth,
    owner: &Owner,
    factor_id: &str,
    issuer: &str,
    account: &str,
) -> AppResult<Option<TotpEnrolment>> {
    if !plausible_id(factor_id) {
        return Ok(None);
    }
    let Some(row) = factor::Entity::find_by_id(factor_id)
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .filter(factor::Column::Confirmed.eq(false))
        .one(&auth.store.conn)
        .await?
    else {
        return Ok(None);
    };
    let key = open_key(&auth.secrets, &row)?;
    enrolment_of(row.id, key, issuer, account).map(Some)
}

fn enrolment_of(
    factor_id: String,
    key: Vec<u8>,
    issuer: &str,
    account: &str,
) -> AppResult<TotpEnrolment> {
    let totp = totp_of(key, issuer, account)?;
    let url = totp.get_url();
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|err| AppError::Internal(anyhow::anyhow!("QR code: {err}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(TotpEnrolment {
        factor_id,
        secret_base32: totp.get_secret_base32(),
        url,
        qr_svg,
    })
}

/// The six digits typed, without the spaces apps show in the middle; `None` for anything else.
fn six_digits(given: &str) -> Option<String> {
    let digits: String = given.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The step of `now` whose code `code` is, within the drift window, if any.
fn matching_step(key: &[u8], code: &str, now: DateTime<Utc>) -> Option<i64> {
    let totp = TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        key.to_vec(),
        None,
        String::new(),
    );
    let current = now.timestamp().max(0) / STEP_SECONDS as i64;
    (current - DRIFT_STEPS..=current + DRIFT_STEPS)
        .filter(|step| *step >= 0)
        .find(|step| {
            let expected = totp.generate(*step as u64 * STEP_SECONDS);
            constant_time_eq(expected.as_bytes(), code.as_bytes())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn open_key(keys: &Keys, row: &factor::Model) -> AppResult<Vec<u8>> {
    secrets::open(&keys.factor_seal, &row.id, &row.secret).map_err(|err| {
        AppError::Internal(anyhow::anyhow!(
            "the key of authenticator app {} does not open: {err}",
            row.id
        ))
    })
}

/// Accepts `code` for the factor row `row` at `now` if it is the code of a step later than the
/// last accepted one; marks that step used (a conditional update: once across nodes).
async fn accept_step<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    row: &factor::Model,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let key = open_key(keys, row)?;
    let Some(step) = matching_step(&key, code, now) else {
        return Ok(false);
    };
    let fresh = factor::Column::LastStep
        .is_null()
        .or(factor::Column::LastStep.lt(step));
    let taken = factor::Entity::update_many()
        .col_expr(factor::Column::LastStep, Expr::value(step))
        .col_expr(factor::Column::LastUsedAt, Expr::value(now))
        .filter(factor::Column::Id.eq(row.id.as_str()))
        .filter(fresh)
        .exec(db)
        .await?
        .rows_affected;
    Ok(taken == 1)
}

/// Why an enrolment was not confirmed.
#[derive(Debug, PartialEq, Eq)]
pub enum NotConfirmed {
    /// No enrolment of this owner by that id waits.
    Gone,
    /// The code is not the app's current one.
    WrongCode,
}

/// Confirms an authenticator app's enrolment by its first code and names it. Returns the
/// recovery codes made with it when the owner had none left (to show once).
pub async fn confirm_totp(
    auth: &Auth,
    owner: &Owner,
    actor: &Actor,
    factor_id: &str,
    code: &str,
    name: &str,
) -> AppResult<Result<Option<Vec<String>>, NotConfirmed>> {
    if !plausible_id(factor_id) {
        return Ok(Err(NotConfirmed::Gone));
    }
    let Some(row) = factor::Entity::find_by_id(factor_id)
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .filter(factor::Column::Confirmed.eq(false))
        .one(&auth.store.conn)
        .await?
    else {
        return Ok(Err(NotConfirmed::Gone));
    };
    let Some(code) = six_digits(code) else {
        return Ok(Err(NotConfirmed::WrongCode));
    };
    let txn = auth.store.begin_write().await?;
    if !accept_step(&txn, &auth.secrets, &row, &code, Utc::now()).await? {
        return Ok(Err(NotConfirmed::WrongCode));
    }
    let mut active: factor::ActiveModel = row.into();
    active.confirmed = Set(true);
    active.name = Set(clean_name(name, "Authenticator app"));
    let row = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        owner
            .audit("enrolFactor")
            .summary(serde_json::json!({ "factorId": row.id, "kind": "totp", "name": row.name })),
    )
    .await?;
    let codes = if recovery_codes_left(&txn, owner).await? == 0 {
        Some(replace_recovery_codes(&txn, &auth.secrets, owner).await?)
    } else {
        None
    };
    txn.commit().await?;
    Ok(Ok(codes))
}

/// What an employee can give as a second factor in her instance now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Available {
    /// An authenticator app of hers, where the instance allows them.
    pub totp: bool,
    /// A passkey of hers, where the instance allows them.
    pub passkey: bool,
    /// An unused recovery code of hers (they stand in for her factors).
    pub recovery: bool,
    /// An emailed code, where the instance allows them and she has an address.
    pub email: bool,
    /// She may enrol an authenticator app (the instance allows them).
    pub may_enrol_totp: bool,
}

impl Available {
    /// Only an emailed code: it is sent at once, with no page to choose on.
    pub fn only_email(&self) -> bool {
        self.email && !self.totp && !self.passkey && !self.recovery
    }

    /// Whether she has anything at all to give.
    pub fn any(&self) -> bool {
        self.totp || self.passkey || self.recovery || self.email
    }
}

/// What `user` can give as a second factor in `instance`.
pub async fn available<C: ConnectionTrait>(
    db: &C,
    instance: &entity::instance::Model,
    user: &entity::user::Model,
) -> AppResult<Available> {
    let owner = Owner::user(user);
    let own = list(db, &owner).await?;
    let has = |kind: FactorKind| own.iter().any(|f| f.kind == kind);
    let totp = instance.allows("totp") && has(FactorKind::Totp);
    let passkey = instance.allows("passkey") && has(FactorKind::Passkey);
    Ok(Available {
        totp,
        passkey,
        recovery: (totp || passkey) && recovery_codes_left(db, &owner).await? > 0,
        email: instance.allows("email_code") && user.email.is_some(),
        may_enrol_totp: instance.allows("totp"),
    })
}

/// Whether `code` is a current code of one of the owner's authenticator apps, not used before.
pub async fn verify_totp<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    owner: &Owner,
    code: &str,
) -> AppResult<bool> {
    let Some(code) = six_digits(code) else {
        return Ok(false);
    };
    let now = Utc::now();
    for row in list(db, owner).await? {
        if row.kind == FactorKind::Totp && accept_step(db, keys, &row, &code, now).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The alphabet of recovery codes: lower-case letters and digits without the ones that are
/// easily mistaken for each other (0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A recovery code as typed, normalised: lower case, without spaces and dashes.
fn normalise_recovery(given: &str) -> String {
    given
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .take(64)
        .collect()
}

fn recovery_hash(keys: &Keys, owner: &Owner, code: &str) -> String {
    use hmac::Mac;
    let digest = secrets::mac(
        &keys.recovery_code,
        &[
            owner.kind.as_str().as_bytes(),
            b":",
            owner.id.as_bytes(),
            b":",
            code.as_bytes(),
        ],
    )
    .finalize()
    .into_bytes();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces the owner's recovery codes with [`RECOVERY_CODES`] new ones (`xxxxx-xxxxx`, 50
/// bits each), returned once.
pub async fn replace_recovery_codes<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    owner: &Owner,
) -> AppResult<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(recovery_code::Column::OwnerId.eq(owner.id.as_str()))
        .exec(db)
        .await?;
    let mut rng = rand::rngs::OsRng;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let now = Utc::now();
    for _ in 0..RECOVERY_CODES {
        let raw: String = (0..10)
            .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
            .collect();
        recovery_code::ActiveModel {
            id: Set(new_id()),
            owner_kind: Set(owner.kind.as_str().to_owned()),
            owner_id: Set(owner.id.clone()),
            code_hash: Set(recovery_hash(keys, owner, &raw)),
            created_at: Set(now),
            used_at: Set(None),
        }
        .insert(db)
        .await?;
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
    }
    Ok(codes)
}

/// Spends one of the owner's recovery codes: true when `given` was an unused one.
pub async fn use_recovery_code<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    owner: &Owner,
    given: &str,
) -> AppResult<bool> {
    let code = normalise_recovery(given);
    if code.len() != 10 {
        return Ok(false);
    }
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(recovery_code::Column::OwnerId.eq(owner.id.as_str()))
        .filter(recovery_code::Column::CodeHash.eq(recovery_hash(keys, owner, &code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(spent == 1)
}

/// Removes one of the owner's factors; false when the owner has none by that id. Her recovery
/// codes go with her last factor.
pub async fn remove<C: ConnectionTrait>(db: &C, owner: &Owner, factor_id: &str) -> AppResult<bool> {
    if !plausible_id(factor_id) {
        return Ok(false);
    }
    let removed = factor::Entity::delete_many()
        .filter(factor::Column::Id.eq(factor_id))
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .exec(db)
        .await?
        .rows_affected;
    if removed == 1 && list(db, owner).await?.is_empty() {
        remove_recovery_codes(db, owner).await?;
    }
    Ok(removed == 1)
}

async fn remove_recovery_codes<C: ConnectionTrait>(db: &C, owner: &Owner) -> AppResult<()> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(recovery_code::Column::OwnerId.eq(owner.id.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes every factor and recovery code of the owner (an administrator's reset); returns how
/// many factors went.
pub async fn reset<C: ConnectionTrait>(db: &C, owner: &Owner) -> AppResult<u64> {
    let removed = factor::Entity::delete_many()
        .filter(factor::Column::OwnerKind.eq(owner.kind.as_str()))
        .filter(factor::Column::OwnerId.eq(owner.id.as_str()))
        .exec(db)
        .await?
        .rows_affected;
    remove_recovery_codes(db, owner).await?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 vectors (8 digits there; the last six are these codes).
    #[test]
    fn codes_are_those_of_rfc_6238() {
        let key = b"12345678901234567890".to_vec();
        for (time, expected) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let now = DateTime::from_timestamp(time, 0).unwrap();
            let step = time / 30;
            assert_eq!(matching_step(&key, expected, now), Some(step), "{time}");
        }
    }

    #[test]
    fn one_step_of_drift_either_side_and_no_more() {
        let key = b"12345678901234567890".to_vec();
        let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, key.clone(), None, String::new());
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let step = 1_700_000_000 / 30;
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = totp.generate(((step + offset) * 30) as u64);
            assert_eq!(
                matching_step(&key, &code, now).is_some(),
                accepted,
                "offset {offset}"
            );
        }
    }

    #[test]
    fn typed_codes_and_recovery_codes_are_normalised() {
        assert_eq!(six_digits(" 123 456 ").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert_eq!(six_digits(bad), None, "{bad}");
        }
        assert_eq!(normalise_recovery(" ABCDE-fghjk "), "abcdefghjk");
        assert_eq!(normalise_recovery(&"x".repeat(1000)).len(), 64);
    }

    #[test]
    fn recovery_hashes_bind_the_owner() {
        let keys = Keys::derive(&[5u8; 32]);
        let alice = Owner::admin("0190a0a0-0000-7000-8000-000000000001");
        let bob = Owner::admin("0190a0a0-0000-7000-8000-000000000002");
        assert_ne!(
            recovery_hash(&keys, &alice, "abcdefghjk"),
            recovery_hash(&keys, &bob, "abcdefghjk")
        );
        assert_eq!(recovery_hash(&keys, &alice, "abcdefghjk").len(), 64);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("  Phone\u{7}  ", "x"), "Phone");
        assert_eq!(clean_name("   ", "Authenticator app"), "Authenticator app");
        assert_eq!(clean_name(&"n".repeat(500), "x").chars().count(), MAX_NAME);
    }
}
