//! JWTs of the provider: ID tokens and access tokens signed with the instance's active key
//! (RS256 for an RSA key, ES256 for a P-256 one, `kid` naming it), and the checks of tokens
//! this provider issued (access tokens at userinfo and introspection, ID token hints at
//! logout) against the keys the JWKS publishes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use entity::signing_key::KeyAlgorithm;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Oidc;
use crate::error::{AppError, AppResult};
use crate::keys::Signer;

/// How long the verification keys of an instance are used before they are read again (a key
/// the cache does not know is looked up at once).
const VERIFY_KEYS_FOR: Duration = Duration::from_secs(60);
/// How soon the keys are read again for a `kid` they do not hold.
const RELOAD_FOR_UNKNOWN_KID: Duration = Duration::from_secs(5);

/// The instance key as a JWT signer.
pub struct JwtSigner {
    pub key_id: String,
    pub algorithm: Algorithm,
    key: EncodingKey,
}

impl JwtSigner {
    fn new(signer: &Signer) -> AppResult<JwtSigner> {
        let (algorithm, key) = match signer.algorithm {
            KeyAlgorithm::Rsa2048 | KeyAlgorithm::Rsa3072 => {
                // jsonwebtoken (ring) wants PKCS#1; the key is stored as PKCS#8.
                let pkcs1 = signer
                    .key
                    .rsa()
                    .and_then(|rsa| rsa.private_key_to_der())
                    .map_err(|err| AppError::Internal(err.into()))?;
                (Algorithm::RS256, EncodingKey::from_rsa_der(&pkcs1))
            }
            KeyAlgorithm::EcdsaP256 => (
                Algorithm::ES256,
                EncodingKey::from_ec_der(&signer.private_key_der),
            ),
        };
        Ok(JwtSigner {
            key_id: signer.key_id.clone(),
            algorithm,
            key,
        })
    }

    /// The claims signed, with `typ` in the header when given (`at+jwt` for access tokens).
    pub fn sign<T: Serialize>(&self, typ: Option<&str>, claims: &T) -> AppResult<String> {
        let mut header = Header::new(self.algorithm);
        header.kid = Some(self.key_id.clone());
        if let Some(typ) = typ {
            header.typ = Some(typ.to_owned());
        }
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|err| AppError::Internal(anyhow::anyhow!("signing a JWT: {err}")))
    }

    /// The JWS algorithm's name (`RS256`, `ES256`).
    pub fn algorithm_name(&self) -> &'static str {
        match self.algorithm {
            Algorithm::ES256 => "ES256",
            _ => "RS256",
        }
    }
}

type VerifyKeys = Arc<Vec<(String, Algorithm, DecodingKey)>>;

/// Signers and verification keys, parsed once.
#[derive(Default)]
pub struct KeyCache {
    signers: Mutex<HashMap<String, Arc<JwtSigner>>>,
    verifiers: Mutex<HashMap<String, (Instant, VerifyKeys)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Entries are inserted whole: a poisoned map is still a valid one.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// More keys than any deployment signs with at once: past it the cache starts over.
const CAPACITY: usize = 1024;

/// The signer of an instance's active key.
pub async fn signer(oidc: &Oidc, instance_id: &str) -> AppResult<Arc<JwtSigner>> {
    let signer = crate::keys::active_signer(&oidc.ring, instance_id).await?;
    if let Some(found) = lock(&oidc.keys.signers).get(&signer.key_id) {
        return Ok(found.clone());
    }
    let made = Arc::new(JwtSigner::new(&signer)?);
    let mut signers = lock(&oidc.keys.signers);
    if signers.len() >= CAPACITY {
        signers.clear();
    }
    signers.insert(signer.key_id.clone(), made.clone());
    Ok(made)
}

async fn load_verify_keys(oidc: &Oidc, instance_id: &str) -> AppResult<VerifyKeys> {
    let keys =
        crate::keys::published(&oidc.store.conn, instance_id, oidc.ring.retirement_grace).await?;
    let mut parsed = Vec::new();
    for key in &keys {
        let jwk = crate::events::jwks::jwk_of(key)
            .map_err(|err| AppError::Internal(err.context("a published key as a JWK")))?;
        let algorithm = match key.algorithm {
            KeyAlgorithm::EcdsaP256 => Algorithm::ES256,
            _ => Algorithm::RS256,
        };
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(jwk).map_err(|err| AppError::Internal(err.into()))?;
        let decoding = DecodingKey::from_jwk(&jwk).map_err(|err| AppError::Internal(err.into()))?;
        parsed.push((key.id.clone(), algorithm, decoding));
    }
    let parsed = Arc::new(parsed);
    let mut verifiers = lock(&oidc.keys.verifiers);
    if verifiers.len() >= CAPACITY {
        verifiers.clear();
    }
    verifiers.insert(instance_id.to_owned(), (Instant::now(), parsed.clone()));
    Ok(parsed)
}

/// The claims of a JWT signed by one of the instance's published keys, with `rules` (whose
/// algorithm is replaced by the key's); `None` for anything else: another instance's token, a
/// forged, altered or expired one, `alg: none`, an HMAC "signed" with a public key.
pub async fn verify<T: DeserializeOwned>(
    oidc: &Oidc,
    instance_id: &str,
    token: &str,
    rules: &Validation,
) -> AppResult<Option<T>> {
    if token.len() > 16 * 1024 {
        return Ok(None);
    }
    let Ok(header) = jsonwebtoken::decode_header(token) else {
        return Ok(None);
    };
    let Some(kid) = header.kid else {
        return Ok(None);
    };
    // A kid the kept keys lack is looked up again, but not more often than every few
    // seconds: a stream of forged tokens with made-up kids costs no query each. (Pending keys
    // are published, so a key is known before it signs.)
    let cached = lock(&oidc.keys.verifiers)
        .get(instance_id)
        .filter(|(at, keys)| {
            at.elapsed() < VERIFY_KEYS_FOR
                && (at.elapsed() < RELOAD_FOR_UNKNOWN_KID
                    || keys.iter().any(|(id, _, _)| *id == kid))
        })
        .map(|(_, keys)| keys.clone());
    let keys = match cached {
        Some(keys) => keys,
        None => load_verify_keys(oidc, instance_id).await?,
    };
    let Some((_, algorithm, key)) = keys.iter().find(|(id, _, _)| *id == kid) else {
        return Ok(None);
    };
    if header.alg != *algorithm {
        return Ok(None);
    }
    let mut rules = rules.clone();
    rules.algorithms = vec![*algorithm];
    Ok(jsonwebtoken::decode::<T>(token, key, &rules)
        .ok()
        .map(|data| data.claims))
}
