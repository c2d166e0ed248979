//! SQLite connections that Lanyard holds itself, for the two statements every sign-in runs:
//! reading the session and logging the access decision.
//!
//! sqlx's pool tests every connection it gets back with a ping, on a task it spawns: on SQLite
//! that is a round trip to the connection's thread after each statement, as many thread
//! switches as the statement itself. These connections are taken and put back without it. The
//! ping is there for connections left inside a transaction by a cancelled future; nothing here
//! opens a transaction, so a cancelled statement leaves nothing behind — its connection
//! finishes it before it runs the next one. A connection whose thread is gone is dropped and
//! opened again on next use.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sea_orm::sqlx::{self, ConnectOptions as _, Executor as _};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_binder::SqlxValues;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::DbStats;

/// Where a [`super::Store`] runs the statements of every sign-in: held SQLite connections, or
/// a pool (PostgreSQL, whose pool is the whole story there).
#[derive(Clone)]
pub enum Lane {
    Pool(DatabaseConnection),
    Held(Arc<Held>),
}

/// A fixed number of SQLite connections, each used by one statement at a time.
pub struct Held {
    options: SqliteConnectOptions,
    turns: Semaphore,
    /// Idle connections; `None` for one not (or no longer) open.
    idle: Mutex<Vec<Option<SqliteConnection>>>,
    stats: Arc<DbStats>,
}

impl Held {
    /// `count` connections with `options`, opened on first use.
    pub fn new(options: SqliteConnectOptions, count: usize, stats: Arc<DbStats>) -> Held {
        Held {
            options,
            turns: Semaphore::new(count),
            idle: Mutex::new((0..count).map(|_| None).collect()),
            stats,
        }
    }

    async fn take(&self) -> Result<Taken<'_>, DbErr> {
        let turn = self
            .turns
            .acquire()
            .await
            .map_err(|_| DbErr::Custom("the held connections are closed".into()))?;
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .flatten();
        // None: never opened, dropped after its thread died, or its opening was cancelled
        // (then the list is one short, and popping it empty opens one too).
        let connection = match idle {
            Some(connection) => connection,
            // The turn goes back with `None` in its place, so the next one tries again.
            None => self.options.connect().await.map_err(|err| {
                self.put_back(None);
                DbErr::Conn(RuntimeErr::SqlxError(err))
            })?,
        };
        Ok(Taken {
            held: self,
            connection: Some(connection),
            _turn: turn,
        })
    }

    fn put_back(&self, connection: Option<SqliteConnection>) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(connection);
    }

    /// Runs one statement on a held connection, counted as the pool's statements are; a
    /// failure becomes a [`DbErr`] through `failed`.
    async fn run<T>(
        &self,
        statement: Statement,
        failed: fn(sqlx::Error) -> DbErr,
        run: impl AsyncFnOnce(
            &mut SqliteConnection,
            sqlx::query::Query<'_, sqlx::Sqlite, SqlxValues>,
        ) -> Result<T, sqlx::Error>,
    ) -> Result<T, DbErr> {
        let mut taken = self.take().await?;
        let values = statement
            .values
            .unwrap_or_else(|| sea_orm::Values(Vec::new()));
        let query = sqlx::query_with(&statement.sql, SqlxValues(values));
        let started = Instant::now();
        let result = match taken.connection.as_mut() {
            Some(connection) => run(connection, query).await,
            // Only after a crash below, which gives the connection up for good.
            None => Err(sqlx::Error::PoolClosed),
        };
        self.stats.statements.fetch_add(1, Ordering::Relaxed);
        self.stats
            .statement_micros
            .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        if let Err(err) = &result {
            self.stats.failed_statements.fetch_add(1, Ordering::Relaxed);
            if matches!(err, sqlx::Error::WorkerCrashed | sqlx::Error::Io(_)) {
                taken.connection = None;
            }
        }
        result.map_err(failed)
    }
}

/// A connection taken from [`Held`]; put back when dropped.
struct Taken<'a> {
    held: &'a Held,
    connection: Option<SqliteConnection>,
    _turn: SemaphorePermit<'a>,
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        // Before the turn is given back (fields drop after this).
        self.held.put_back(self.connection.take());
    }
}

fn exec_err(err: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(err))
}

fn query_err(err: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(err))
}

#[async_trait::async_trait]
impl ConnectionTrait for Lane {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Lane::Pool(pool) => pool.get_database_backend(),
            Lane::Held(_) => DbBackend::Sqlite,
        }
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Lane::Pool(pool) => pool.execute(statement).await,
            Lane::Held(held) => held
                .run(statement, exec_err, async |connection, query| {
                    query.execute(connection).await
                })
                .await
                .map(ExecResult::from),
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Lane::Pool(pool) => pool.execute_unprepared(sql).await,
            Lane::Held(held) => held
                .run(
                    Statement::from_string(DbBackend::Sqlite, sql),
                    exec_err,
                    async |connection, _| connection.execute(sqlx::raw_sql(sql)).await,
                )
                .await
                .map(ExecResult::from),
        }
    }

    async fn query_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Lane::Pool(pool) => pool.query_one(statement).await,
            Lane::Held(held) => held
                .run(statement, query_err, async |connection, query| {
                    query.fetch_optional(connection).await
                })
                .await
                .map(|row| row.map(QueryResult::from)),
        }
    }

    async fn query_all(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Lane::Pool(pool) => pool.query_all(statement).await,
            Lane::Held(held) => held
                .run(statement, query_err, async |connection, query| {
                    query.fetch_all(connection).await
                })
                .await
                .map(|rows: Vec<SqliteRow>| rows.into_iter().map(QueryResult::from).collect()),
        }
    }
}
