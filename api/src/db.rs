//! The database connection: SQLite (WAL, full sync, foreign keys) or PostgreSQL, migrated on
//! connect. Writes go through [`Store::begin_write`], which on SQLite first takes a node-wide
//! lock so that concurrent writers queue instead of failing with `SQLITE_BUSY`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Counters about the database that `/metrics` exposes.
#[derive(Debug, Default)]
pub struct DbStats {
    pub statements: AtomicU64,
    pub failed_statements: AtomicU64,
    pub statement_micros: AtomicU64,
}

#[derive(Clone)]
pub struct Store {
    pub conn: DatabaseConnection,
    write_lock: Option<Arc<Mutex<()>>>,
    pub stats: Arc<DbStats>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish()
    }
}

/// A write transaction; on SQLite it also holds the node's write lock until it ends.
///
/// Dropped without [`WriteTxn::commit`] (an error returned half-way, a cancelled request), it
/// is rolled back on a spawned task that keeps the write lock until the rollback is done, so
/// that the next writer never finds the database still locked by the abandoned transaction.
pub struct WriteTxn {
    txn: Option<DatabaseTransaction>,
    guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(mut self) -> Result<(), sea_orm::DbErr> {
        match self.txn.take() {
            Some(txn) => txn.commit().await,
            None => Ok(()),
        }
    }
}

impl Drop for WriteTxn {
    fn drop(&mut self) {
        let Some(txn) = self.txn.take() else {
            return;
        };
        let guard = self.guard.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(err) = txn.rollback().await {
                        tracing::warn!(error = %err, "rolling back an abandoned transaction");
                    }
                    drop(guard);
                });
            }
            // Outside a runtime (never in the server) sea-orm's own drop starts the rollback.
            Err(_) => drop((txn, guard)),
        }
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        // `txn` is only taken by `commit` and `drop`, which consume the value.
        self.txn
            .as_ref()
            .unwrap_or_else(|| unreachable!("a WriteTxn is used after it ended"))
    }
}

impl Store {
    /// Connects and runs pending migrations. For SQLite the file's directory is created.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        let sqlite = url.starts_with("sqlite:");
        if sqlite {
            ensure_sqlite_dir(url)?;
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        if sqlite {
            // No ping before each use of a pooled connection: to a file the ping can only
            // succeed, and it is a round trip to the connection's thread before every query.
            options.max_connections(8).test_before_acquire(false);
            options.map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        } else {
            options.max_connections(20);
        }
        let mut conn = Database::connect(options)
            .await
            .with_context(|| format!("connecting to the database at {}", redact_url(url)))?;
        let stats = Arc::new(DbStats::default());
        let counter = stats.clone();
        conn.set_metric_callback(move |info| {
            counter.statements.fetch_add(1, Ordering::Relaxed);
            counter
                .statement_micros
                .fetch_add(info.elapsed.as_micros() as u64, Ordering::Relaxed);
            if info.failed {
                counter.failed_statements.fetch_add(1, Ordering::Relaxed);
            }
        });
        Migrator::up(&conn, None)
            .await
            .context("running database migrations")?;
        Ok(Store {
            conn,
            write_lock: sqlite.then(|| Arc::new(Mutex::new(()))),
            stats,
        })
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub async fn begin_write(&self) -> Result<WriteTxn, sea_orm::DbErr> {
        let guard = self.queue_write().await;
        Ok(WriteTxn {
            txn: Some(self.conn.begin().await?),
            guard,
        })
    }

    /// Waits for this node's turn to write (SQLite); nothing to wait for on PostgreSQL.
    async fn queue_write(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        }
    }

    /// Inserts one row as its own transaction, queued behind this node's other writers like
    /// [`Self::begin_write`]: one statement instead of BEGIN, INSERT and COMMIT, for the
    /// single-row writes of hot paths. Committed (and on SQLite synced) when it returns.
    pub async fn insert_one<A>(&self, row: A) -> Result<(), sea_orm::DbErr>
    where
        A: sea_orm::ActiveModelTrait + Send,
        <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
    {
        let _turn = self.queue_write().await;
        <A::Entity as sea_orm::EntityTrait>::insert(row)
            .exec_without_returning(&self.conn)
            .await?;
        Ok(())
    }

    pub async fn ping(&self) -> bool {
        self.conn.ping().await.is_ok()
    }
}

fn ensure_sqlite_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the database directory {}", dir.display()))?;
        }
    }
    Ok(())
}

/// The URL without its password, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://lanyard:s3cret@db:5432/x"),
            "postgres://lanyard:***@db:5432/x"
        );
        assert_eq!(redact_url("sqlite://data/l.db"), "sqlite://data/l.db");
    }

    #[tokio::test]
    async fn an_abandoned_write_is_rolled_back_and_the_next_writer_goes_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/l.db?mode=rwc", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        let insert = |name: &str| {
            sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                format!(
                    "INSERT INTO instances (id, name, description, created_at, updated_at, \
                     access_version, second_factor) VALUES ('{name}', '{name}', '', \
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0, 'none')"
                ),
            )
        };
        {
            let abandoned = store.begin_write().await.unwrap();
            abandoned.execute(insert("abandoned")).await.unwrap();
            // Dropped here, as when a handler returns an error before committing.
        }
        let next = tokio::time::timeout(Duration::from_secs(5), async {
            let txn = store.begin_write().await?;
            txn.execute(insert("committed")).await?;
            txn.commit().await
        })
        .await
        .expect("the next writer is not kept waiting");
        next.unwrap();
        let names: Vec<String> = store
            .conn
            .query_all(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "SELECT name FROM instances ORDER BY name",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get("", "name").unwrap())
            .collect();
        assert_eq!(names, ["committed"]);
    }
}
