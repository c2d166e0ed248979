//! Password hashing with argon2id at the OWASP-recommended parameters (19 MiB, 2 passes, one
//! lane). Hashing is CPU-bound, so it runs on the blocking pool, never on the async executor.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{AppError, AppResult};

const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 256;

/// A password that meets the rules for a new password. Only its hash is ever stored.
#[derive(Clone)]
pub struct NewPassword(SecretString);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(field: &str, raw: &str) -> AppResult<NewPassword> {
        // In the language of the request: the employee's page, the admin's console.
        let lang = crate::i18n::current();
        let length = raw.chars().count();
        if length < MIN_LENGTH {
            return Err(AppError::bad_input(
                field,
                crate::t!(lang, "password-too-short", min = MIN_LENGTH),
            ));
        }
        if length > MAX_LENGTH {
            return Err(AppError::bad_input(
                field,
                crate::t!(lang, "password-too-long", max = MAX_LENGTH),
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err(AppError::bad_input(
                field,
                crate::t!(lang, "password-control-characters"),
            ));
        }
        Ok(NewPassword(SecretString::from(raw.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id minimum, which is also the crate's default: 19 MiB, 2 passes, 1 lane.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))
}

pub async fn hash(password: &NewPassword) -> AppResult<String> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || hash_blocking(password.expose()))
        .await
        .map_err(|err| AppError::Internal(err.into()))?
        .map_err(AppError::Internal)
}

/// Checks `password` against a stored hash. With no hash (unknown account, no password set)
/// a dummy hash is checked so that the answer takes the same time either way.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy = dummy_hash();
        let (hash, real) = match stored.as_deref() {
            Some(hash) => (hash, true),
            None => (dummy.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let ok = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| hash_blocking("not a real password").unwrap_or_default())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let password = NewPassword::parse("password", "correct horse").unwrap();
        let hash = hash(&password).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("correct horse"));
        assert!(verify(Some(hash.clone()), "correct horse".into()).await);
        assert!(!verify(Some(hash), "wrong horse".into()).await);
        assert!(!verify(None, "not a real password".into()).await);
        assert!(!verify(Some("garbage".into()), "x".into()).await);
    }

    #[test]
    fn weak_or_odd_passwords_are_refused_naming_the_field() {
        let err = NewPassword::parse("password", "short").unwrap_err();
        assert_eq!(err.field(), Some("password"));
        assert!(NewPassword::parse("password", &"x".repeat(300)).is_err());
        assert!(NewPassword::parse("password", "abc\u{0}defgh").is_err());
        assert!(!format!("{:?}", NewPassword::parse("p", "long enough").unwrap()).contains("long"));
    }
}
