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
pub struct WriteTxn {
    pub txn: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), sea_orm::DbErr> {
        self.txn.commit().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
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
            options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
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
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTxn {
            txn: self.conn.begin().await?,
            _guard: guard,
        })
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
}
