//! The delivery worker every node runs: claim due messages, deliver them concurrently, record
//! each outcome. It stops between batches, so a graceful shutdown never abandons a message
//! half-sent. What a message kind means (an email, an event callback) is the business of the
//! [`Deliver`]ers that `startup` hands it; the outbox knows only rows.

use std::time::Duration;

use chrono::Utc;
use entity::outbox::{self, MessageKind};
use futures::future::join_all;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{claim, finish, Attempt};
use crate::config::OutboxConfig;
use crate::db::Store;

/// Delivers one claimed row of a message kind: one attempt, whose outcome the worker records.
#[async_trait::async_trait]
pub trait Deliver: Send + Sync {
    async fn deliver(&self, row: &outbox::Model) -> Attempt;
}

pub struct Worker {
    store: Store,
    config: OutboxConfig,
    /// `None` while no SMTP server is configured: emails wait in the outbox.
    email: Option<Box<dyn Deliver>>,
    events: Box<dyn Deliver>,
}

/// Stops the worker once its current batch is done.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    pub async fn stop(self) {
        self.stop.send(true).ok();
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the outbox worker ended abnormally");
        }
    }
}

impl Worker {
    pub fn new(
        store: Store,
        config: OutboxConfig,
        email: Option<Box<dyn Deliver>>,
        events: Box<dyn Deliver>,
    ) -> Worker {
        if email.is_none() {
            tracing::warn!("no smtp.host configured: emails wait in the outbox until one is");
        }
        Worker {
            store,
            config,
            email,
            events,
        }
    }

    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(stopped));
        WorkerHandle { stop, task }
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let config = &self.config;
        let poll = Duration::from_millis(config.poll_interval_ms);
        let mut kinds = vec![MessageKind::Event];
        if self.email.is_some() {
            kinds.push(MessageKind::Email);
        }
        loop {
            if *stopped.borrow() {
                break;
            }
            let full = match self.run_batch(&kinds).await {
                Ok(claimed) => claimed == config.batch_size as usize,
                Err(err) => {
                    tracing::error!(error = %format_args!("{err:#}"), "the outbox worker could not claim messages");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                _ = stopped.changed() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }

    /// Claims one batch and delivers it; returns how many messages it claimed.
    async fn run_batch(&self, kinds: &[MessageKind]) -> anyhow::Result<usize> {
        let config = &self.config;
        let claim_id = uuid::Uuid::new_v4().to_string();
        let lease_ms = i64::try_from(config.lease_seconds.saturating_mul(1000))?;
        let rows = claim(
            &self.store,
            &claim_id,
            kinds,
            u64::from(config.batch_size),
            lease_ms,
        )
        .await?;
        let count = rows.len();
        join_all(rows.iter().map(|row| self.deliver_one(row, &claim_id))).await;
        Ok(count)
    }

    async fn deliver_one(&self, row: &outbox::Model, claim_id: &str) {
        let started_at = Utc::now();
        let attempt = match row.kind {
            MessageKind::Email => match &self.email {
                Some(email) => email.deliver(row).await,
                None => Attempt::retry("no SMTP server is configured"),
            },
            MessageKind::Event => self.events.deliver(row).await,
        };
        let result = attempt.result;
        match finish(
            &self.store,
            &self.config,
            row,
            claim_id,
            started_at,
            attempt,
        )
        .await
        {
            Ok(Some(status)) => tracing::debug!(
                id = %row.id, topic = %row.topic, ?result, status = super::status_name(status),
                "outbox attempt"
            ),
            Ok(None) => tracing::warn!(
                id = %row.id,
                "an outbox lease ran out before its attempt ended; the other node's outcome stands"
            ),
            Err(err) => tracing::error!(
                id = %row.id, error = %err.log_line(),
                "could not record an outbox attempt; it is retried when its lease runs out"
            ),
        }
    }
}
