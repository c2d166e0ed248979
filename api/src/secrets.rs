//! The master key and the keys derived from it (HKDF-SHA256, one label per use). Every node of a
//! cluster must share the master key; without one configured it is generated into the data
//! directory (mode 0600) on first start.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hkdf::Hkdf;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use openssl::symm::{decrypt_aead, encrypt_aead, Cipher};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

use crate::config::Config;
use crate::error::{AppError, AppResult};

/// An HMAC key for signing JWTs of one kind.
pub struct JwtKey {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
}

impl JwtKey {
    /// The claims as an HS256 JWT.
    pub fn sign<T: Serialize>(&self, claims: &T) -> AppResult<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|err| AppError::Internal(err.into()))
    }

    /// The claims of a JWT this key signed for `audience` (and `issuer`, when given), not
    /// expired, with no leeway; `None` for anything else.
    pub fn verify<T: DeserializeOwned>(
        &self,
        jwt: &str,
        audience: &str,
        issuer: Option<&str>,
    ) -> Option<T> {
        self.verify_with(jwt, &validation(audience, issuer))
    }

    /// [`JwtKey::verify`] with the rules made once by [`validation`], for tokens checked on
    /// every request.
    pub fn verify_with<T: DeserializeOwned>(&self, jwt: &str, rules: &Validation) -> Option<T> {
        jsonwebtoken::decode::<T>(jwt, &self.decoding, rules)
            .ok()
            .map(|data| data.claims)
    }
}

/// What [`JwtKey::verify`] checks: HS256, the audience, the issuer when given, expiry with no
/// leeway.
pub fn validation(audience: &str, issuer: Option<&str>) -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[audience]);
    if let Some(issuer) = issuer {
        validation.set_issuer(&[issuer]);
    }
    validation.leeway = 0;
    validation
}

pub struct Keys {
    pub api_token: JwtKey,
    pub admin_session: JwtKey,
    /// Signs the cookies of employees' IdP sessions.
    pub employee_session: JwtKey,
    /// Seals the SP-initiated requests that wait for a sign-in (`saml::pending`).
    pub saml_request: JwtKey,
    /// Seals the OIDC authorization requests that wait for a sign-in (`oidc::authorize`).
    pub oidc_request: JwtKey,
    /// HMAC key binding a server-rendered form's CSRF token to the browser's pre-session
    /// cookie and the form's purpose (`auth::csrf`).
    pub sign_in_csrf: [u8; 32],
    /// AES-256-GCM key that seals the private keys of signing keys at rest.
    pub signing_key_seal: [u8; 32],
    /// HMAC key from which the tokens of emailed links are derived (`recovery`).
    pub action_token: [u8; 32],
    /// HMAC key from which emailed sign-in codes are derived (`sign_in_codes`).
    pub sign_in_code: [u8; 32],
    /// AES-256-GCM key that seals the keys of authenticator apps (`auth::factors`).
    pub factor_seal: [u8; 32],
    /// HMAC key under which recovery codes are stored (`auth::factors`).
    pub recovery_code: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(***)")
    }
}

impl Keys {
    pub fn load(config: &Config) -> anyhow::Result<Keys> {
        let master = match &config.master_key {
            Some(secret) => decode_master(secret.expose_secret())
                .context("the configured master_key must be 32 bytes in base64")?,
            None => load_or_create(&config.data_dir.join("master.key"))?,
        };
        Ok(Keys::derive(&master))
    }

    pub fn derive(master: &[u8; 32]) -> Keys {
        // HKDF-SHA256 (RFC 5869) with 32-byte outputs: one block of HKDF-Expand, which is
        // HMAC(PRK, label || 0x01) and cannot fail the way a longer output could.
        let (prk, _) = Hkdf::<Sha256>::extract(Some(b"lanyard"), master);
        let prk: [u8; 32] = prk.into();
        let expand =
            |label: &[u8]| -> [u8; 32] { mac(&prk, &[label, &[1]]).finalize().into_bytes().into() };
        let jwt = |label: &[u8]| {
            let okm = expand(label);
            JwtKey {
                encoding: EncodingKey::from_secret(&okm),
                decoding: DecodingKey::from_secret(&okm),
            }
        };
        Keys {
            api_token: jwt(b"api-token v1"),
            admin_session: jwt(b"admin-session v1"),
            employee_session: jwt(b"employee-session v1"),
            saml_request: jwt(b"saml-request v1"),
            oidc_request: jwt(b"oidc-request v1"),
            sign_in_csrf: expand(b"sign-in-csrf v1"),
            signing_key_seal: expand(b"signing-keys v1"),
            action_token: expand(b"action-tokens v1"),
            sign_in_code: expand(b"sign-in-code v1"),
            factor_seal: expand(b"factors v1"),
            recovery_code: expand(b"recovery-codes v1"),
        }
    }
}

impl Keys {
    /// The token of an emailed link for action token `id` (`recovery`): the id and its MAC.
    pub fn action_token_value(&self, id: &str) -> String {
        let digest = mac(&self.action_token, &[id.as_bytes()])
            .finalize()
            .into_bytes();
        format!("{id}.{}", URL_SAFE_NO_PAD.encode(digest))
    }

    /// The six digits of the emailed sign-in code of row `id` (`sign_in_codes`).
    pub fn sign_in_code_of(&self, id: &str) -> String {
        let digest = mac(&self.sign_in_code, &[id.as_bytes()])
            .finalize()
            .into_bytes();
        let number = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        format!("{:06}", number % 1_000_000)
    }
}

/// The nonce and tag of a sealed value, before its ciphertext.
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

/// Seals `plaintext` at rest: AES-256-GCM with a random nonce and the row's id as associated
/// data, so a sealed value copied onto another row does not open. The result is base64 of
/// nonce ‖ tag ‖ ciphertext.
pub fn seal(seal_key: &[u8; 32], row_id: &str, plaintext: &[u8]) -> anyhow::Result<String> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let mut tag = [0u8; TAG_LEN];
    let ciphertext = encrypt_aead(
        Cipher::aes_256_gcm(),
        seal_key,
        Some(&nonce),
        row_id.as_bytes(),
        plaintext,
        &mut tag,
    )?;
    let mut out = Vec::with_capacity(NONCE_LEN + TAG_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&tag);
    out.extend_from_slice(&ciphertext);
    Ok(STANDARD.encode(out))
}

/// The plaintext [`seal`] sealed for `row_id` under `seal_key`.
pub fn open(seal_key: &[u8; 32], row_id: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
    let bytes = STANDARD
        .decode(sealed.trim())
        .map_err(|_| anyhow::anyhow!("not base64"))?;
    if bytes.len() <= NONCE_LEN + TAG_LEN {
        anyhow::bail!("too short");
    }
    let (nonce, rest) = bytes.split_at(NONCE_LEN);
    let (tag, ciphertext) = rest.split_at(TAG_LEN);
    decrypt_aead(
        Cipher::aes_256_gcm(),
        seal_key,
        Some(nonce),
        row_id.as_bytes(),
        ciphertext,
        tag,
    )
    .map_err(|_| anyhow::anyhow!("the seal does not open"))
}

/// HMAC-SHA256 under `key` of `parts`, in order (callers separate parts that could run into
/// each other). The one place Lanyard makes a MAC: CSRF tokens, emailed links, sign-in codes.
pub fn mac(key: &[u8; 32], parts: &[&[u8]]) -> Hmac<Sha256> {
    // HMAC pads a key shorter than the hash's block (64 bytes) with zeros: the padded key
    // makes the same MAC, through the constructor that cannot fail.
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    for part in parts {
        mac.update(part);
    }
    mac
}

fn decode_master(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = STANDARD.decode(text.trim()).context("not base64")?;
    bytes
        .try_into()
        .map_err(|bytes: Vec<u8>| anyhow::anyhow!("{} bytes instead of 32", bytes.len()))
}

fn load_or_create(path: &Path) -> anyhow::Result<[u8; 32]> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the master key {}", path.display()))?;
        return decode_master(&text)
            .with_context(|| format!("the master key in {} is damaged", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the data directory {}", dir.display()))?;
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating the master key {}", path.display()))?;
    file.write_all(STANDARD.encode(key).as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "generated a new master key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_and_macs_are_what_hkdf_and_hmac_make() {
        let master = [7u8; 32];
        let keys = Keys::derive(&master);
        let mut expected = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"lanyard"), &master)
            .expand(b"sign-in-csrf v1", &mut expected)
            .unwrap();
        assert_eq!(keys.sign_in_csrf, expected);
        let mut reference = <Hmac<Sha256> as Mac>::new_from_slice(&expected).unwrap();
        reference.update(b"abc");
        assert_eq!(
            mac(&expected, &[b"a", b"bc"]).finalize().into_bytes(),
            reference.finalize().into_bytes()
        );
    }

    #[test]
    fn a_generated_master_key_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let first = load_or_create(&path).unwrap();
        let second = load_or_create(&path).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "short").unwrap();
        assert!(load_or_create(&path).is_err());
    }

    #[test]
    fn derived_keys_differ_per_label_and_do_not_print() {
        let keys = Keys::derive(&[7u8; 32]);
        assert_ne!(keys.signing_key_seal, [7u8; 32]);
        assert_eq!(
            keys.signing_key_seal,
            Keys::derive(&[7u8; 32]).signing_key_seal
        );
        assert_ne!(
            keys.signing_key_seal,
            Keys::derive(&[8u8; 32]).signing_key_seal
        );
        assert_eq!(format!("{keys:?}"), "Keys(***)");
    }
}
