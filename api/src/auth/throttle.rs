//! Throttling of failed sign-ins, for employees and console admins alike. Failures are counted
//! per account and per client address in `sign_in_throttles`, so every node sharing the
//! database counts the same ones. Too many failures of one account within the window lock that
//! account for a while; too many from one address refuse that address whatever account it
//! tries. While a scope is locked the password is not even checked.
//!
//! The lockout is a `locked_until` instant, not the user's `locked` status: it ends by itself,
//! so a stranger who knows a username cannot keep its owner out for good, and `locked` stays an
//! administrator's decision (see docs/decisions.md).

use chrono::{DateTime, Duration, Utc};
use entity::{sign_in_throttle, user};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::Auth;
use crate::config::SignInConfig;
use crate::error::{AppError, AppResult};

/// What one sign-in attempt is counted against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes {
    account: String,
    address: Option<String>,
}

impl Scopes {
    /// An employee's account in an instance, by the username typed (unknown ones count too,
    /// so the answer does not reveal which usernames exist).
    pub fn employee(instance_id: &str, username: &str, client_ip: Option<&str>) -> Scopes {
        Scopes {
            account: format!("user:{instance_id}:{}", normalise(username)),
            address: client_ip.map(address_scope),
        }
    }

    /// A console admin's account.
    pub fn admin(username: &str, client_ip: Option<&str>) -> Scopes {
        Scopes {
            account: format!("admin:{}", normalise(username)),
            address: client_ip.map(address_scope),
        }
    }

    fn all(&self) -> Vec<&str> {
        std::iter::once(self.account.as_str())
            .chain(self.address.as_deref())
            .collect()
    }
}

/// The username as counted: trimmed, lower case, at most 64 characters (longer ones are not
/// usernames and are refused before this).
fn normalise(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

fn address_scope(ip: &str) -> String {
    format!("ip:{}", ip.chars().take(64).collect::<String>())
}

/// Refuses the attempt when its account or address is locked.
pub async fn check(auth: &Auth, scopes: &Scopes) -> AppResult<()> {
    let rows = sign_in_throttle::Entity::find()
        .filter(sign_in_throttle::Column::Scope.is_in(scopes.all()))
        .all(&auth.store.conn)
        .await?;
    let now = Utc::now();
    match rows
        .iter()
        .filter_map(|row| {
            row.locked_until
                .filter(|until| *until > now)
                .map(|u| (row, u))
        })
        .max_by_key(|(_, until)| *until)
    {
        Some((row, until)) => Err(refusal(&row.scope, until, now)),
        None => Ok(()),
    }
}

fn refusal(scope: &str, until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let seconds = (until - now).num_seconds().max(1) as u64;
    let minutes = seconds.div_ceil(60);
    let lang = crate::i18n::current();
    let message = if scope.starts_with("ip:") {
        crate::t!(lang, "throttle-address", minutes = minutes)
    } else {
        crate::t!(lang, "throttle-account", minutes = minutes)
    };
    AppError::TooManyAttempts {
        message,
        retry_after_secs: seconds,
    }
}

/// Counts a failed attempt. Returns the refusal when this failure locked the account or the
/// address, so that the caller can say so at once. When it locks the account of `owner`, the
/// owner is told by email, in the same transaction.
pub async fn record_failure(
    auth: &Auth,
    scopes: &Scopes,
    owner: Option<&user::Model>,
) -> AppResult<Option<AppError>> {
    let config = &auth.config.sign_in;
    let now = Utc::now();
    let txn = auth.store.begin_write().await?;
    let mut locked = None;
    for (scope, limit) in std::iter::once((&scopes.account, config.max_failures_per_account)).chain(
        scopes
            .address
            .as_ref()
            .map(|a| (a, config.max_failures_per_address)),
    ) {
        if let Some(until) = count_failure(&txn, scope, limit, config, now).await? {
            locked.get_or_insert(refusal(scope, until, now));
            if let (true, Some(owner)) = (*scope == scopes.account, owner) {
                crate::mail::notify_account_locked(&txn, &auth.config, owner).await?;
            }
        }
    }
    txn.commit().await?;
    Ok(locked)
}

/// Adds one failure to `scope` inside the caller's transaction; returns the end of the lockout
/// when the failure reached `limit`.
async fn count_failure<C: ConnectionTrait>(
    db: &C,
    scope: &str,
    limit: u32,
    config: &SignInConfig,
    now: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    // Insert-if-absent and then lock the row, so that two nodes counting at once neither
    // collide on the insert nor lose a failure.
    sign_in_throttle::Entity::insert(sign_in_throttle::ActiveModel {
        scope: Set(scope.to_owned()),
        failures: Set(0),
        window_started_at: Set(now),
        locked_until: Set(None),
    })
    .on_conflict(
        OnConflict::column(sign_in_throttle::Column::Scope)
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(db)
    .await?;
    let row = sign_in_throttle::Entity::find_by_id(scope.to_owned())
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("throttle row {scope} vanished")))?;
    let (failures, window_started_at) = next_count(
        &row,
        now,
        Duration::minutes(i64::from(config.window_minutes)),
    );
    let lock = (failures >= limit as i32)
        .then(|| now + Duration::minutes(i64::from(config.lockout_minutes)));
    let mut active: sign_in_throttle::ActiveModel = row.into();
    // A lockout starts a new count: after it ends, the next failures count from zero.
    active.failures = Set(if lock.is_some() { 0 } else { failures });
    active.window_started_at = Set(window_started_at);
    if lock.is_some() {
        active.locked_until = Set(lock);
    }
    active.update(db).await?;
    Ok(lock)
}

/// The failure count after one more failure: the window restarts when it has passed.
fn next_count(
    row: &sign_in_throttle::Model,
    now: DateTime<Utc>,
    window: Duration,
) -> (i32, DateTime<Utc>) {
    if now - row.window_started_at >= window {
        (1, now)
    } else {
        (row.failures.saturating_add(1), row.window_started_at)
    }
}

/// A successful sign-in clears its account's failures (not its address's: one good password
/// must not let an address guess others' without limit).
pub async fn record_success(auth: &Auth, scopes: &Scopes) -> AppResult<()> {
    let txn = auth.store.begin_write().await?;
    clear(&txn, &scopes.account).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends an employee account's lockout, e.g. when an administrator reactivates the user.
pub async fn unlock_employee<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    username: &str,
) -> AppResult<()> {
    clear(db, &Scopes::employee(instance_id, username, None).account).await
}

async fn clear<C: ConnectionTrait>(db: &C, scope: &str) -> AppResult<()> {
    sign_in_throttle::Entity::delete_by_id(scope.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(failures: i32, started: DateTime<Utc>) -> sign_in_throttle::Model {
        sign_in_throttle::Model {
            scope: "user:i:alice".into(),
            failures,
            window_started_at: started,
            locked_until: None,
        }
    }

    #[test]
    fn failures_count_within_the_window_and_restart_after_it() {
        let now = Utc::now();
        let window = Duration::minutes(15);
        assert_eq!(
            next_count(&row(2, now - Duration::minutes(5)), now, window).0,
            3
        );
        let (count, started) = next_count(&row(4, now - Duration::minutes(16)), now, window);
        assert_eq!((count, started), (1, now));
        assert_eq!(next_count(&row(i32::MAX, now), now, window).0, i32::MAX);
    }

    #[test]
    fn scopes_ignore_case_and_name_the_address() {
        let a = Scopes::employee("i1", " Alice ", Some("10.0.0.1"));
        let b = Scopes::employee("i1", "alice", Some("10.0.0.1"));
        assert_eq!(a, b);
        assert_eq!(a.all(), ["user:i1:alice", "ip:10.0.0.1"]);
        assert_ne!(Scopes::employee("i2", "alice", None).account, a.account);
        assert_eq!(Scopes::admin("Admin", None).all(), ["admin:admin"]);
        assert!(Scopes::admin(&"x".repeat(500), None).account.len() <= 70);
    }

    #[test]
    fn refusals_say_what_is_locked_and_for_how_long() {
        let now = Utc::now();
        let account = refusal("user:i:alice", now + Duration::seconds(61), now);
        assert!(
            account.to_string().contains("account is locked"),
            "{account}"
        );
        assert!(account.to_string().contains("2 minutes"), "{account}");
        assert_eq!(account.retry_after_secs(), Some(61));
        let address = refusal("ip:10.0.0.1", now + Duration::seconds(5), now);
        assert!(address.to_string().contains("network address"), "{address}");
        assert!(address.to_string().contains("1 minute."), "{address}");
    }
}
