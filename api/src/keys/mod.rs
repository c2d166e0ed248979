//! The signing keys of an instance: generation (with a self-signed certificate), encryption of
//! the private key at rest, the `pending` → `active` → `retired` rollover, what the IdP metadata
//! publishes, and the key SAML messages are signed with.
//!
//! A private key leaves this module only inside a [`Signer`], and never through an API.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use entity::instance;
use entity::signing_key::{self, KeyAlgorithm, KeyState};
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage};
use openssl::x509::{X509Name, X509};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::audit::{self, AuditRecord};
use crate::authz::admin::{actions, Action, InstancePermit};
use crate::db::Store;
use crate::error::{AppError, AppResult};
use crate::fresh::FreshCache;
use crate::ids::{new_id, plausible_id};
use crate::secrets::{self, Keys};

/// How long a generated certificate is valid.
const CERTIFICATE_DAYS: i64 = 3650;

/// A freshly generated key, its private half already sealed, not yet stored.
pub struct GeneratedKey {
    id: String,
    algorithm: KeyAlgorithm,
    certificate_pem: String,
    private_key_sealed: String,
    not_after: DateTime<Utc>,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("id", &self.id)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// What SAML messages of an instance are signed with: its active key, decrypted and parsed.
pub struct Signer {
    pub key_id: String,
    pub algorithm: KeyAlgorithm,
    pub certificate_der: Vec<u8>,
    /// PKCS#8 DER.
    pub private_key_der: Vec<u8>,
    /// The same key, parsed once: decoding it costs OpenSSL 3 more than an RSA signature.
    pub key: PKey<Private>,
}

impl Signer {
    pub fn new(
        key_id: String,
        algorithm: KeyAlgorithm,
        certificate_der: Vec<u8>,
        private_key_der: Vec<u8>,
    ) -> anyhow::Result<Signer> {
        let key = PKey::private_key_from_pkcs8(&private_key_der)
            .map_err(|err| anyhow::Error::new(err).context("the signing key is not PKCS#8"))?;
        Ok(Signer {
            key_id,
            algorithm,
            certificate_der,
            private_key_der,
            key,
        })
    }
}

/// Signers already decrypted and parsed, by key id. A key row never changes once written,
/// so an entry stays right for as long as the key exists. Which key of an instance is active
/// is kept for the refresh interval of [`crate::fresh`]: an activation on this node applies at
/// once, one on another node within the interval (the retired key stays in the metadata).
/// The instances' signing keys: their rows, the key that seals their private halves, and the
/// signers parsed from them. Built once in `startup`; cheap to clone.
#[derive(Clone)]
pub struct KeyRing {
    pub store: Store,
    pub secrets: Arc<Keys>,
    pub signers: Arc<SignerCache>,
    /// How long a retired key stays published (metadata, JWKS).
    pub retirement_grace: chrono::Duration,
}

pub struct SignerCache {
    signers: Mutex<HashMap<String, Arc<Signer>>>,
    active: FreshCache<Arc<Signer>>,
}

impl Default for SignerCache {
    fn default() -> SignerCache {
        SignerCache {
            signers: Mutex::default(),
            active: FreshCache::new(SIGNER_CACHE_CAPACITY),
        }
    }
}

/// More distinct keys than any deployment signs with at once: past it the cache starts over.
const SIGNER_CACHE_CAPACITY: usize = 1024;

impl SignerCache {
    fn get(&self, key_id: &str) -> Option<Arc<Signer>> {
        self.lock().get(key_id).cloned()
    }

    fn keep(&self, signer: Signer) -> Arc<Signer> {
        let signer = Arc::new(signer);
        let mut signers = self.lock();
        if signers.len() >= SIGNER_CACHE_CAPACITY {
            signers.clear();
        }
        signers.insert(signer.key_id.clone(), signer.clone());
        signer
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Signer>>> {
        // Entries are inserted whole: a poisoned map is still a valid one.
        self.signers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .field("algorithm", &self.algorithm)
            .field("private_key_der", &"***")
            .finish_non_exhaustive()
    }
}

/// Generates a key pair and its certificate off the async executor (RSA generation takes
/// tens to hundreds of milliseconds). Call it before taking a write transaction.
pub async fn generate(
    ring: &KeyRing,
    instance_name: &str,
    algorithm: KeyAlgorithm,
) -> AppResult<GeneratedKey> {
    let seal_key = ring.secrets.signing_key_seal;
    let name = instance_name.to_owned();
    tokio::task::spawn_blocking(move || generate_blocking(&seal_key, &name, algorithm))
        .await
        .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("key generation")))?
        .map_err(|err| AppError::Internal(err.context("generating a signing key")))
}

fn generate_blocking(
    seal_key: &[u8; 32],
    instance_name: &str,
    algorithm: KeyAlgorithm,
) -> anyhow::Result<GeneratedKey> {
    let id = new_id();
    let private_key = new_private_key(algorithm)?;
    let not_before = Utc::now();
    let not_after = not_before + chrono::Duration::days(CERTIFICATE_DAYS);
    let certificate = self_signed(&private_key, instance_name, not_before, not_after)?;
    let private_key_der = private_key.private_key_to_pkcs8()?;
    Ok(GeneratedKey {
        private_key_sealed: secrets::seal(seal_key, &id, &private_key_der)?,
        id,
        algorithm,
        certificate_pem: String::from_utf8(certificate.to_pem()?)?,
        not_after,
    })
}

fn new_private_key(algorithm: KeyAlgorithm) -> anyhow::Result<PKey<Private>> {
    Ok(match algorithm {
        KeyAlgorithm::Rsa2048 => PKey::from_rsa(Rsa::generate(2048)?)?,
        KeyAlgorithm::Rsa3072 => PKey::from_rsa(Rsa::generate(3072)?)?,
        KeyAlgorithm::EcdsaP256 => {
            let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
            PKey::from_ec_key(EcKey::generate(&group)?)?
        }
    })
}

fn self_signed(
    key: &PKey<Private>,
    instance_name: &str,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> anyhow::Result<X509> {
    let mut name = X509Name::builder()?;
    name.append_entry_by_nid(Nid::COMMONNAME, &common_name(instance_name))?;
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Lanyard")?;
    let name = name.build();
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let serial = random_serial()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(key)?;
    let (starts, ends) = (
        Asn1Time::from_unix(not_before.timestamp())?,
        Asn1Time::from_unix(not_after.timestamp())?,
    );
    builder.set_not_before(&starts)?;
    builder.set_not_after(&ends)?;
    builder.append_extension(BasicConstraints::new().critical().build()?)?;
    builder.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .build()?,
    )?;
    builder.sign(key, MessageDigest::sha256())?;
    Ok(builder.build())
}

/// `Lanyard <instance name>`, cut to the 64 characters X.509 allows in a common name.
fn common_name(instance_name: &str) -> String {
    let clean: String = instance_name.chars().filter(|c| !c.is_control()).collect();
    let full = format!("Lanyard {}", clean.trim());
    full.chars().take(64).collect::<String>().trim().to_owned()
}

fn random_serial() -> anyhow::Result<Asn1Integer> {
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    Ok(serial.to_asn1_integer()?)
}

/// Opens a sealed private key ([`secrets::seal`] under the signing keys' seal, the row id as
/// associated data), saying which key did not open.
fn open(seal_key: &[u8; 32], key_id: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
    secrets::open(seal_key, key_id, sealed).map_err(|err| {
        anyhow::anyhow!(
            "the private key of signing key {key_id} does not decrypt ({err}): it was altered, \
             moved to another row, or sealed with another master key"
        )
    })
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    key: GeneratedKey,
    key_state: KeyState,
) -> AppResult<signing_key::Model> {
    let now = Utc::now();
    Ok(signing_key::ActiveModel {
        id: Set(key.id),
        instance_id: Set(instance_id.to_owned()),
        algorithm: Set(key.algorithm),
        state: Set(key_state),
        certificate_pem: Set(key.certificate_pem),
        private_key_sealed: Set(key.private_key_sealed),
        not_after: Set(key.not_after),
        created_at: Set(now),
        activated_at: Set((key_state == KeyState::Active).then_some(now)),
        retired_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// Stores the first key of a new instance, active at once. Runs inside the transaction that
/// creates the instance; the key was generated before it began.
pub async fn create_initial<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    key: GeneratedKey,
) -> AppResult<signing_key::Model> {
    insert(db, instance_id, key, KeyState::Active).await
}

/// The permit's instance id, when it can name an instance at all.
fn checked_instance<A: Action>(permit: &InstancePermit<A>) -> AppResult<&str> {
    let id = permit.instance_id();
    if plausible_id(id) {
        Ok(id)
    } else {
        Err(AppError::NotFound("instance"))
    }
}

/// Locks the instance row for the rest of the transaction (PostgreSQL; SQLite's writes are
/// serialised already), so that two nodes cannot both add a pending or an active key.
async fn lock_instance<C: ConnectionTrait>(db: &C, instance_id: &str) -> AppResult<()> {
    instance::Entity::find_by_id(instance_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound("instance"))
        .map(|_| ())
}

async fn keys_of<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
) -> AppResult<Vec<signing_key::Model>> {
    Ok(signing_key::Entity::find()
        .filter(signing_key::Column::InstanceId.eq(instance_id))
        .order_by_desc(signing_key::Column::CreatedAt)
        .order_by_desc(signing_key::Column::Id)
        .all(db)
        .await?)
}

/// Adds a pending key: published in the metadata at once, signing nothing until activated.
pub async fn rotate(
    ring: &KeyRing,
    permit: &InstancePermit<actions::ManageSigningKeys>,
    algorithm: KeyAlgorithm,
) -> AppResult<signing_key::Model> {
    let instance_id = checked_instance(permit)?;
    let instance = crate::tenant::get_in(&ring.store.conn, instance_id).await?;
    let no_pending =
        |keys: &[signing_key::Model]| match keys.iter().find(|k| k.state == KeyState::Pending) {
            Some(pending) => Err(AppError::conflict(
                "instanceId",
                format!(
                    "the instance already has a pending signing key ({}): activate it before \
                 rotating again",
                    pending.id
                ),
            )),
            None => Ok(()),
        };
    // Checked before the slow generation too, so that a doomed request fails fast.
    no_pending(&keys_of(&ring.store.conn, instance_id).await?)?;
    let generated = generate(ring, &instance.name, algorithm).await?;
    let txn = ring.store.begin_write().await?;
    lock_instance(&txn, instance_id).await?;
    no_pending(&keys_of(&txn, instance_id).await?)?;
    let model = insert(&txn, instance_id, generated, KeyState::Pending).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "signing_key", Some(&model.id)).summary(serde_json::json!({
            "operation": "rotate",
            "algorithm": algorithm_name(model.algorithm),
            "state": { "to": "pending" },
            "fingerprintSha256": fingerprint_sha256(&model.certificate_pem)?,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Makes the pending key `key_id` the one that signs; the key that signed until now retires
/// (and stays in the metadata for the grace period).
pub async fn activate(
    ring: &KeyRing,
    permit: &InstancePermit<actions::ManageSigningKeys>,
    key_id: &str,
) -> AppResult<signing_key::Model> {
    let instance_id = checked_instance(permit)?;
    if !plausible_id(key_id) {
        return Err(AppError::NotFound("signing key"));
    }
    let txn = ring.store.begin_write().await?;
    lock_instance(&txn, instance_id).await?;
    let keys = keys_of(&txn, instance_id).await?;
    let key = keys
        .iter()
        .find(|k| k.id == key_id)
        .ok_or(AppError::NotFound("signing key"))?;
    if key.state != KeyState::Pending {
        return Err(AppError::bad_input(
            "id",
            format!(
                "signing key {key_id} is {}, not pending: only the pending key from \
                 rotateSigningKey can be activated",
                state_name(key.state)
            ),
        ));
    }
    let now = Utc::now();
    let mut retired = Vec::new();
    for previous in keys.iter().filter(|k| k.state == KeyState::Active) {
        let mut active: signing_key::ActiveModel = previous.clone().into();
        active.state = Set(KeyState::Retired);
        active.retired_at = Set(Some(now));
        active.update(&txn).await?;
        retired.push(serde_json::json!({
            "id": previous.id,
            "fingerprintSha256": fingerprint_sha256(&previous.certificate_pem)?,
        }));
    }
    let mut active: signing_key::ActiveModel = key.clone().into();
    active.state = Set(KeyState::Active);
    active.activated_at = Set(Some(now));
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        permit.actor(),
        AuditRecord::instance(permit, "signing_key", Some(&model.id)).summary(serde_json::json!({
            "operation": "activate",
            "algorithm": algorithm_name(model.algorithm),
            "state": { "from": "pending", "to": "active" },
            "fingerprintSha256": fingerprint_sha256(&model.certificate_pem)?,
            "retired": retired,
        })),
    )
    .await?;
    txn.commit().await?;
    ring.signers.active.forget(instance_id);
    Ok(model)
}

/// Every key of the instance, newest first.
pub async fn list(
    ring: &KeyRing,
    permit: &InstancePermit<actions::ReadSigningKeys>,
) -> AppResult<Vec<signing_key::Model>> {
    keys_of(&ring.store.conn, checked_instance(permit)?).await
}

/// The keys the IdP metadata lists: the active one first, then a pending one, then those
/// retired less than `grace` ago — so that service providers trust a new key before it signs
/// and an old one until they have refreshed.
pub async fn published<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    grace: chrono::Duration,
) -> AppResult<Vec<signing_key::Model>> {
    // An instance has a handful of keys: filtering here keeps the instant comparison out of
    // SQLite, which stores instants as text.
    let cutoff = Utc::now() - grace;
    let mut keys: Vec<_> = keys_of(db, instance_id)
        .await?
        .into_iter()
        .filter(|k| match k.state {
            KeyState::Pending | KeyState::Active => true,
            KeyState::Retired => k.retired_at.is_some_and(|at| at >= cutoff),
        })
        .collect();
    keys.sort_by_key(|k| match k.state {
        KeyState::Active => 0,
        KeyState::Pending => 1,
        KeyState::Retired => 2,
    });
    Ok(keys)
}

/// The instance's active key, decrypted. An instance from before signing keys existed gets
/// its first key here.
pub async fn active_signer(ring: &KeyRing, instance_id: &str) -> AppResult<Arc<Signer>> {
    let ticket = match ring.signers.active.get(instance_id) {
        Ok(signer) => return Ok(signer),
        Err(ticket) => ticket,
    };
    let key = match active_key(&ring.store.conn, instance_id).await? {
        Some(key) => key,
        None => ensure_active(ring, instance_id).await?,
    };
    let signer = match ring.signers.get(&key.id) {
        Some(signer) => signer,
        None => ring.signers.keep(parse(ring, key)?),
    };
    ring.signers
        .active
        .keep(ticket, instance_id, signer.clone());
    Ok(signer)
}

/// A stored key, decrypted and parsed.
fn parse(ring: &KeyRing, key: signing_key::Model) -> AppResult<Signer> {
    let private_key_der = open(
        &ring.secrets.signing_key_seal,
        &key.id,
        &key.private_key_sealed,
    )?;
    Signer::new(
        key.id,
        key.algorithm,
        certificate_der(&key.certificate_pem)?,
        private_key_der,
    )
    .map_err(AppError::Internal)
}

async fn active_key<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
) -> AppResult<Option<signing_key::Model>> {
    Ok(signing_key::Entity::find()
        .filter(signing_key::Column::InstanceId.eq(instance_id))
        .filter(signing_key::Column::State.eq(KeyState::Active))
        .order_by_desc(signing_key::Column::Id)
        .one(db)
        .await?)
}

async fn ensure_active(ring: &KeyRing, instance_id: &str) -> AppResult<signing_key::Model> {
    let instance = crate::tenant::get_in(&ring.store.conn, instance_id).await?;
    let generated = generate(ring, &instance.name, KeyAlgorithm::Rsa2048).await?;
    let txn = ring.store.begin_write().await?;
    lock_instance(&txn, instance_id).await?;
    if let Some(key) = active_key(&txn, instance_id).await? {
        return Ok(key);
    }
    let model = insert(&txn, instance_id, generated, KeyState::Active).await?;
    txn.commit().await?;
    tracing::info!(instance_id, key_id = %model.id, "created the first signing key of an instance");
    Ok(model)
}

/// The DER of a stored certificate.
pub fn certificate_der(certificate_pem: &str) -> AppResult<Vec<u8>> {
    let certificate = X509::from_pem(certificate_pem.as_bytes())
        .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("stored certificate")))?;
    certificate
        .to_der()
        .map_err(|err| AppError::Internal(anyhow::Error::new(err).context("stored certificate")))
}

/// When a certificate (PEM) expires; `None` when it does not parse.
pub fn certificate_not_after(certificate_pem: &str) -> Option<DateTime<Utc>> {
    let certificate = X509::from_pem(certificate_pem.as_bytes()).ok()?;
    let epoch = Asn1Time::from_unix(0).ok()?;
    let diff = epoch.diff(certificate.not_after()).ok()?;
    let seconds = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
    DateTime::from_timestamp(seconds, 0)
}

/// SHA-256 of the certificate's DER, upper-case hex pairs joined by colons (as `openssl x509
/// -fingerprint -sha256` prints it).
pub fn fingerprint_sha256(certificate_pem: &str) -> AppResult<String> {
    let der = certificate_der(certificate_pem)?;
    let digest = openssl::sha::sha256(&der);
    Ok(digest
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

fn algorithm_name(algorithm: KeyAlgorithm) -> &'static str {
    match algorithm {
        KeyAlgorithm::Rsa2048 => "RSA_2048",
        KeyAlgorithm::Rsa3072 => "RSA_3072",
        KeyAlgorithm::EcdsaP256 => "ECDSA_P256",
    }
}

fn state_name(key_state: KeyState) -> &'static str {
    match key_state {
        KeyState::Pending => "pending",
        KeyState::Active => "active",
        KeyState::Retired => "retired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    const SEAL: [u8; 32] = [42u8; 32];
    /// Where a sealed value's parts start (`secrets::seal`: nonce, then tag and ciphertext).
    const NONCE_LEN: usize = 12;
    const TAG_LEN: usize = 16;

    #[test]
    fn a_sealed_key_opens_only_unaltered_with_its_id_and_key() {
        let sealed = secrets::seal(&SEAL, "key-1", b"private key bytes").unwrap();
        assert_eq!(open(&SEAL, "key-1", &sealed).unwrap(), b"private key bytes");
        assert_ne!(
            secrets::seal(&SEAL, "key-1", b"private key bytes").unwrap(),
            sealed,
            "a fresh nonce each time"
        );

        assert!(open(&SEAL, "key-2", &sealed).is_err(), "another row's id");
        assert!(open(&[1u8; 32], "key-1", &sealed).is_err(), "another key");
        let bytes = STANDARD.decode(&sealed).unwrap();
        for position in [0, NONCE_LEN, NONCE_LEN + TAG_LEN, bytes.len() - 1] {
            let mut tampered = bytes.clone();
            tampered[position] ^= 0x01;
            let tampered = STANDARD.encode(tampered);
            assert!(open(&SEAL, "key-1", &tampered).is_err(), "byte {position}");
        }
        for garbage in ["", "not base64!", "AAAA", &STANDARD.encode([0u8; 28])] {
            assert!(open(&SEAL, "key-1", garbage).is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn generated_keys_carry_a_matching_certificate_and_seal_their_private_half() {
        for algorithm in [KeyAlgorithm::Rsa2048, KeyAlgorithm::EcdsaP256] {
            let key = generate_blocking(&SEAL, "Acme", algorithm).unwrap();
            assert!(!key.private_key_sealed.contains("PRIVATE"));
            let certificate = X509::from_pem(key.certificate_pem.as_bytes()).unwrap();
            let subject = certificate
                .subject_name()
                .entries_by_nid(Nid::COMMONNAME)
                .next()
                .unwrap()
                .data()
                .as_slice()
                .to_vec();
            assert_eq!(subject, b"Lanyard Acme");
            let der = open(&SEAL, &key.id, &key.private_key_sealed).unwrap();
            let private = PKey::private_key_from_pkcs8(&der).unwrap();
            assert!(certificate.public_key().unwrap().public_eq(&private));
            assert!(certificate
                .verify(&certificate.public_key().unwrap())
                .unwrap());
            let days = (key.not_after - Utc::now()).num_days();
            assert!((3649..=3650).contains(&days), "{days}");
            assert!(format!("{key:?}").contains(&key.id));
            assert!(!format!("{key:?}").contains(&key.private_key_sealed));
        }
    }

    #[test]
    fn long_or_odd_instance_names_still_make_a_certificate() {
        let name = "Ünïcødé & <Co> \u{7}".repeat(20);
        let key = generate_blocking(&SEAL, &name, KeyAlgorithm::EcdsaP256).unwrap();
        assert!(key
            .certificate_pem
            .starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(common_name(&name).chars().count() <= 64);
    }

    #[test]
    fn only_uuid_like_ids_reach_the_database() {
        assert!(plausible_id("0190a0a0-0000-7000-8000-000000000000"));
        for bad in ["", "a\0b", "'; DROP", "ü", &"a".repeat(65)] {
            assert!(!plausible_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn fingerprints_are_colon_separated_sha256() {
        let key = generate_blocking(&SEAL, "Acme", KeyAlgorithm::EcdsaP256).unwrap();
        let fingerprint = fingerprint_sha256(&key.certificate_pem).unwrap();
        assert_eq!(fingerprint.len(), 32 * 3 - 1);
        assert!(fingerprint
            .split(':')
            .all(|pair| pair.len() == 2 && pair.chars().all(|c| c.is_ascii_hexdigit())));
        assert!(fingerprint_sha256("garbage").is_err());
    }

    #[test]
    fn kept_signers_are_found_by_key_id_and_the_cache_is_bounded() {
        let der = new_private_key(KeyAlgorithm::EcdsaP256)
            .unwrap()
            .private_key_to_pkcs8()
            .unwrap();
        let signer = |id: &str| {
            Signer::new(id.into(), KeyAlgorithm::EcdsaP256, vec![1], der.clone()).unwrap()
        };
        let cache = SignerCache::default();
        let kept = cache.keep(signer("k1"));
        assert!(Arc::ptr_eq(&kept, &cache.get("k1").unwrap()));
        assert!(cache.get("k2").is_none());
        for n in 0..SIGNER_CACHE_CAPACITY {
            cache.keep(signer(&format!("other{n}")));
        }
        assert!(cache.lock().len() <= SIGNER_CACHE_CAPACITY);
        assert!(cache.get("k1").is_none(), "the full cache started over");
    }

    #[test]
    fn the_signer_does_not_print_its_private_key() {
        let key = new_private_key(KeyAlgorithm::EcdsaP256).unwrap();
        let der = key.private_key_to_pkcs8().unwrap();
        let signer = Signer::new(
            "k".into(),
            KeyAlgorithm::EcdsaP256,
            vec![1, 2, 3],
            der.clone(),
        )
        .unwrap();
        let printed = format!("{signer:?}");
        let bytes = format!("{:?}", &der[..8]);
        assert!(!printed.contains(&bytes[1..bytes.len() - 1]), "{printed}");
        assert!(!printed.contains("PKey"), "{printed}");
        assert!(printed.contains("***"));
    }
}
