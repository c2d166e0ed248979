//! Identifiers and random secrets.

use rand::distributions::Alphanumeric;
use rand::Rng;

/// A new primary key: a UUIDv7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A random string of letters and digits, for generated passwords and setup secrets.
pub fn random_secret(length: usize) -> String {
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(length)
        .map(char::from)
        .collect()
}

/// Whether `raw` can be a row id (a UUID). Anything else names no row and is not sent to the
/// database: PostgreSQL refuses a NUL byte in text with an error, not an empty result.
pub fn plausible_id(raw: &str) -> bool {
    (1..=64).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
