//! The database connection: SQLite (WAL, full sync, foreign keys) or PostgreSQL, migrated on
//! connect. Writes go through [`Store::begin_write`], which on SQLite first takes a node-wide
//! lock so that concurrent writers queue instead of failing with `SQLITE_BUSY`.
//!
//! One kind of row takes another way: the record of each sign-in's access decision, written by
//! [`Store::log_one`] on connections whose commits do not wait for the disk (SQLite
//! `synchronous=NORMAL`, PostgreSQL `synchronous_commit=off`). It is committed before the
//! caller goes on, so a crash of Lanyard loses none; a flush brings it to the disk shortly after
//! (see [`LOG_FLUSH_DELAY`] and `docs/decisions.md`).
//!
//! On SQLite those connections, and the ones of [`Store::reads`], are [`held`] by Lanyard
//! rather than pooled by sqlx, which would ping each of them after every statement.

mod held;
mod reused;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    Statement, TransactionTrait,
};
use tokio::sync::{mpsc, Mutex, OwnedMutexGuard};

pub use held::Lane;
pub use reused::Reused;
pub use reused::ReusedInsert;

/// How long after a [`Store::log_one`] on SQLite the WAL file is synced: the rows written in
/// that time reach the disk together, with one `fdatasync`.
pub const LOG_FLUSH_DELAY: Duration = Duration::from_millis(10);

/// Counters about the database that `/metrics` exposes.
#[derive(Debug, Default)]
pub struct DbStats {
    pub statements: AtomicU64,
    pub failed_statements: AtomicU64,
    pub statement_micros: AtomicU64,
    /// Syncs of what [`Store::log_one`] wrote (SQLite), and those that failed.
    pub log_syncs: AtomicU64,
    pub failed_log_syncs: AtomicU64,
    /// The statements run while [`DbStats::record`] is on: how the tests see which plans a
    /// request's queries get (`EXPLAIN`).
    recording: AtomicBool,
    recorded: std::sync::Mutex<Vec<Statement>>,
}

impl DbStats {
    /// Starts keeping every statement run (SQL and values) from now on, dropping what an
    /// earlier recording kept.
    pub fn record(&self) {
        if let Ok(mut recorded) = self.recorded.lock() {
            recorded.clear();
        }
        self.recording.store(true, Ordering::Release);
    }

    /// Stops recording and returns the statements run since [`DbStats::record`].
    pub fn recorded(&self) -> Vec<Statement> {
        self.recording.store(false, Ordering::Release);
        self.recorded
            .lock()
            .map(|mut recorded| std::mem::take(&mut *recorded))
            .unwrap_or_default()
    }

    fn keep(&self, statement: &Statement) {
        if self.recording.load(Ordering::Acquire) {
            if let Ok(mut recorded) = self.recorded.lock() {
                recorded.push(statement.clone());
            }
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pub conn: DatabaseConnection,
    /// Where [`Store::log_one`] writes: same database, commits that do not wait for the disk.
    log: Lane,
    /// See [`Store::reads`].
    reads: Lane,
    /// Wakes the task that syncs what `log` wrote (SQLite with a file); a full channel means a
    /// sync is already due.
    flush: Option<mpsc::Sender<()>>,
    write_lock: Option<Arc<Mutex<()>>>,
    /// See [`Store::writes`].
    writes: Arc<AtomicU64>,
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
    backend: DbBackend,
    guard: Option<OwnedMutexGuard<()>>,
    writes: Arc<AtomicU64>,
}

impl WriteTxn {
    pub async fn commit(mut self) -> Result<(), sea_orm::DbErr> {
        let Some(txn) = self.txn.take() else {
            return Ok(());
        };
        let committed = txn.commit().await;
        // Counted once the commit is visible, or when it failed and might have been: a read
        // that started before this count may hold what the transaction replaced.
        self.writes.fetch_add(1, Ordering::AcqRel);
        committed
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

impl WriteTxn {
    /// The open transaction; gone only once `commit` or `drop` took it, which consume the
    /// value, so a statement never meets the error.
    fn open(&self) -> Result<&DatabaseTransaction, sea_orm::DbErr> {
        self.txn
            .as_ref()
            .ok_or_else(|| sea_orm::DbErr::Custom("the write transaction has ended".into()))
    }
}

/// Statements run inside the transaction: `&txn` goes wherever a connection does.
#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.backend
    }

    async fn execute(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.open()?.execute(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.open()?.execute_unprepared(sql).await
    }

    async fn query_one(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.open()?.query_one(stmt).await
    }

    async fn query_all(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.open()?.query_all(stmt).await
    }
}

impl Store {
    /// Connects and runs pending migrations. For SQLite the file's directory is created.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        let sqlite = sqlite_path(url);
        if let Some(path) = &sqlite {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!("creating the database directory {}", dir.display())
                })?;
            }
        }
        let stats = Arc::new(DbStats::default());
        let conn = open_pool(url, Synced::Always, &stats).await?;
        Migrator::up(&conn, None)
            .await
            .context("running database migrations")?;
        let (log, reads) = match &sqlite {
            Some(_) => {
                let held = |synced, count| -> anyhow::Result<Lane> {
                    let options = SqliteConnectOptions::from_str(url)
                        .with_context(|| format!("reading the database URL {url}"))?;
                    Ok(Lane::Held(Arc::new(held::Held::new(
                        sqlite_options(options, synced),
                        count,
                        stats.clone(),
                    ))))
                };
                // Writes are one at a time on a node; reads are as many as the cores that
                // run them, with room for one that waits on the disk.
                (held(Synced::Later, 1)?, held(Synced::Always, 4)?)
            }
            None => (
                Lane::Pool(open_pool(url, Synced::Later, &stats).await?),
                Lane::Pool(conn.clone()),
            ),
        };
        let flush = sqlite.as_ref().map(|path| {
            let (wake, woken) = mpsc::channel(1);
            tokio::spawn(flush_log(woken, wal_of(path), stats.clone()));
            wake
        });
        Ok(Store {
            conn,
            log,
            reads,
            flush,
            write_lock: sqlite.is_some().then(|| Arc::new(Mutex::new(()))),
            writes: Arc::default(),
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
            backend: self.backend(),
            guard,
            writes: self.writes.clone(),
        })
    }

    /// How many write transactions this node has committed (or tried to). What was read after
    /// taking this count and before it changed is what the database holds now, as far as this
    /// node's writes go: a cache keyed by it never serves what one of them replaced.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Waits for this node's turn to write (SQLite); nothing to wait for on PostgreSQL.
    async fn queue_write(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        }
    }

    /// Inserts one audit event (the record of a sign-in's access decision) as its own
    /// transaction, queued behind this node's other writers like [`Self::begin_write`]: one
    /// statement instead of BEGIN, INSERT and COMMIT. Committed when it returns, so a crash of
    /// Lanyard loses it no more than any other commit; it reaches the disk without being waited
    /// for (on SQLite within [`LOG_FLUSH_DELAY`] and one sync; on PostgreSQL within three
    /// `wal_writer_delay`s). Not for anything a user or an admin is told was saved.
    pub async fn log_one(
        &self,
        event: entity::audit_event::ActiveModel,
    ) -> Result<(), sea_orm::DbErr> {
        static INSERT: ReusedInsert<entity::audit_event::Entity> = ReusedInsert::new();
        let statement = INSERT.statement(self.log.get_database_backend(), event);
        self.log_statement(statement).await
    }

    /// Inserts one row the way [`Self::log_one`] does: committed at once, on the disk shortly
    /// after. For a row whose loss in a crash costs a retry and grants nothing — an OIDC
    /// authorization code not yet exchanged (its exchange, which is synced, then fails and the
    /// employee signs in again) — never for what a user or an admin is told was saved.
    pub async fn log_insert<E>(
        &self,
        insert: &ReusedInsert<E>,
        row: E::ActiveModel,
    ) -> Result<(), sea_orm::DbErr>
    where
        E: sea_orm::EntityTrait,
        E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E>,
    {
        let statement = insert.statement(self.log.get_database_backend(), row);
        self.log_statement(statement).await
    }

    async fn log_statement(&self, statement: Statement) -> Result<(), sea_orm::DbErr> {
        let turn = self.queue_write().await;
        self.log.execute(statement).await?;
        drop(turn);
        if let Some(flush) = &self.flush {
            // Full: a sync is already due, and it starts after this commit.
            let _ = flush.try_send(());
        }
        Ok(())
    }

    /// For the read every sign-in makes (the session with its user): the main pool, or on
    /// SQLite connections read without sqlx's ping after each statement. Sees every committed
    /// write at once, as the main pool does.
    pub fn reads(&self) -> &Lane {
        &self.reads
    }

    pub async fn ping(&self) -> bool {
        self.conn.ping().await.is_ok()
    }
}

/// Whether a pool's commits wait for the disk.
#[derive(Clone, Copy, PartialEq)]
enum Synced {
    Always,
    /// [`Store::log_one`]'s connections.
    Later,
}

async fn open_pool(
    url: &str,
    synced: Synced,
    stats: &Arc<DbStats>,
) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // No ping before each use of a pooled connection: to a file the ping can only
        // succeed, and it is a round trip to the connection's thread before every query.
        // Writes are one at a time on a node, so the log needs no more than two connections.
        options.max_connections(8).test_before_acquire(false);
        options.map_sqlx_sqlite_opts(move |opts| sqlite_options(opts, synced));
    } else {
        match synced {
            Synced::Always => options.max_connections(20),
            Synced::Later => options
                .max_connections(4)
                .map_sqlx_postgres_opts(|opts| opts.options([("synchronous_commit", "off")])),
        };
    }
    let mut conn = Database::connect(options)
        .await
        .with_context(|| format!("connecting to the database at {}", redact_url(url)))?;
    let counter = stats.clone();
    conn.set_metric_callback(move |info| {
        counter.statements.fetch_add(1, Ordering::Relaxed);
        counter
            .statement_micros
            .fetch_add(info.elapsed.as_micros() as u64, Ordering::Relaxed);
        if info.failed {
            counter.failed_statements.fetch_add(1, Ordering::Relaxed);
        }
        counter.keep(info.statement);
    });
    Ok(conn)
}

/// What every SQLite connection of a [`Store`] is opened with.
fn sqlite_options(options: SqliteConnectOptions, synced: Synced) -> SqliteConnectOptions {
    options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match synced {
            Synced::Always => SqliteSynchronous::Full,
            Synced::Later => SqliteSynchronous::Normal,
        })
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true)
        .create_if_missing(true)
}

/// The file of a SQLite database URL; `None` for PostgreSQL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let path = rest
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    Some(PathBuf::from(path))
}

/// The write-ahead log SQLite keeps beside `database`.
fn wal_of(database: &std::path::Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Syncs the WAL file [`LOG_FLUSH_DELAY`] after a log write woke it, with every write of that
/// time; ends when the last [`Store`] is gone. Writes that commit while a sync runs wake it
/// again.
async fn flush_log(mut woken: mpsc::Receiver<()>, wal: PathBuf, stats: Arc<DbStats>) {
    while woken.recv().await.is_some() {
        tokio::time::sleep(LOG_FLUSH_DELAY).await;
        while woken.try_recv().is_ok() {}
        let file = wal.clone();
        let synced = tokio::task::spawn_blocking(move || match std::fs::File::open(&file) {
            Ok(file) => file.sync_data(),
            // Checkpointed and removed: what it held is in the synced database file.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        })
        .await;
        let failure = match synced {
            Ok(Ok(())) => None,
            Ok(Err(err)) => Some(err.to_string()),
            Err(err) => Some(err.to_string()),
        };
        stats.log_syncs.fetch_add(1, Ordering::Relaxed);
        if let Some(error) = failure {
            stats.failed_log_syncs.fetch_add(1, Ordering::Relaxed);
            tracing::error!(%error, wal = %wal.display(), "syncing the sign-in log to disk");
        }
    }
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
                     access_version) VALUES ('{name}', '{name}', '', \
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0)"
                ),
            )
        };
        let writes = store.writes();
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
        let names = texts(&store.conn, "SELECT name FROM instances ORDER BY name").await;
        assert_eq!(names, ["committed"]);
        assert_eq!(
            store.writes(),
            writes + 1,
            "the commit is counted, the abandoned write is not"
        );
    }
    /// The first column of every row of a SQLite query, as text.
    async fn texts(db: &impl ConnectionTrait, sql: &str) -> Vec<String> {
        db.query_all(sea_orm::Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index(0).unwrap())
            .collect()
    }

    fn decision(id: &str) -> entity::audit_event::ActiveModel {
        use sea_orm::Set;
        entity::audit_event::ActiveModel {
            id: Set(id.to_owned()),
            instance_id: Set(None),
            actor_kind: Set("user".into()),
            actor_id: Set("u1".into()),
            actor_name: Set("alice".into()),
            action: Set("sso.decision".into()),
            target_kind: Set("application".into()),
            target_id: Set(Some("a1".into())),
            outcome: Set("allow".into()),
            summary: Set(serde_json::json!({})),
            client_ip: Set(None),
            created_at: Set(chrono::Utc::now()),
        }
    }

    async fn logged(store: &Store) -> u64 {
        use sea_orm::{EntityTrait, PaginatorTrait};
        entity::audit_event::Entity::find()
            .count(&store.conn)
            .await
            .unwrap()
    }

    /// Waits (at most 5 s) until the log has been synced more than `than` times.
    async fn synced_more_than(store: &Store, than: u64) -> u64 {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let syncs = store.stats.log_syncs.load(Ordering::Relaxed);
            if syncs > than {
                return syncs;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the log was not synced"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test]
    async fn logged_rows_are_read_at_once_kept_and_synced_in_groups() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/l.db?mode=rwc", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        store.log_one(decision("first")).await.unwrap();
        assert_eq!(
            logged(&store).await,
            1,
            "read at once through the main pool"
        );
        let syncs = synced_more_than(&store, 0).await;

        // Thirty rows at once: a sync follows them, and it carries more than one.
        let writes = (0..30).map(|n| store.log_one(decision(&format!("burst-{n}"))));
        for written in futures::future::join_all(writes).await {
            written.unwrap();
        }
        synced_more_than(&store, syncs).await;
        tokio::time::sleep(LOG_FLUSH_DELAY * 5).await;
        let burst_syncs = store.stats.log_syncs.load(Ordering::Relaxed) - syncs;
        assert!(burst_syncs < 30, "{burst_syncs} syncs for 30 rows");
        assert_eq!(store.stats.failed_log_syncs.load(Ordering::Relaxed), 0);
        assert_eq!(logged(&store).await, 31);

        drop(store);
        let reopened = Store::connect(&url).await.unwrap();
        assert_eq!(logged(&reopened).await, 31, "the rows are in the file");
    }

    fn count_audit_events() -> sea_orm::Statement {
        sea_orm::Statement::from_string(DbBackend::Sqlite, "SELECT count(*) AS n FROM audit_events")
    }

    async fn read_count(lane: &Lane) -> Result<i64, sea_orm::DbErr> {
        let row = lane.query_one(count_audit_events()).await?.expect("a row");
        row.try_get("", "n")
    }

    #[tokio::test]
    async fn held_reads_see_every_commit_and_outlive_errors_and_cancellations() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/l.db?mode=rwc", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        assert!(matches!(store.reads(), Lane::Held(_)));
        assert_eq!(read_count(store.reads()).await.unwrap(), 0);
        store.log_one(decision("one")).await.unwrap();
        assert_eq!(read_count(store.reads()).await.unwrap(), 1);
        let txn = store.begin_write().await.unwrap();
        txn.execute(count_audit_events()).await.unwrap();
        sea_orm::EntityTrait::insert(decision("two"))
            .exec_without_returning(&txn)
            .await
            .unwrap();
        assert_eq!(
            read_count(store.reads()).await.unwrap(),
            1,
            "an uncommitted write is not seen"
        );
        txn.commit().await.unwrap();
        assert_eq!(read_count(store.reads()).await.unwrap(), 2);
        let ids = texts(
            store.reads(),
            "SELECT id FROM audit_events ORDER BY id DESC",
        )
        .await;
        assert_eq!(ids, ["two", "one"]);
        store
            .reads()
            .execute_unprepared("PRAGMA optimize")
            .await
            .unwrap();

        // A bad statement is a clear error, counted; the connection goes on serving.
        let failed = store.stats.failed_statements.load(Ordering::Relaxed);
        let err = store
            .reads()
            .query_one(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "SELECT missing FROM nowhere",
            ))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no such table: nowhere"), "{err}");
        assert_eq!(
            store.stats.failed_statements.load(Ordering::Relaxed),
            failed + 1
        );

        // Statements dropped before they finish (a client that went away) leave every
        // connection usable: many more than there are connections, then reads as usual.
        for _ in 0..20 {
            let mut read = std::pin::pin!(read_count(store.reads()));
            let _ = futures::poll!(read.as_mut());
        }
        let reads = (0..20).map(|_| read_count(store.reads()));
        for count in futures::future::join_all(reads).await {
            assert_eq!(count.unwrap(), 2);
        }
        assert_eq!(logged(&store).await, 2);
    }
}
