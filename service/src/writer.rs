//! The issuance writer: one task per instance that commits issuances in
//! groups. Each issuance runs in a savepoint of a shared transaction (so
//! one refused issuance rolls back alone), and all of them wait for the
//! same commit — one durable write per group instead of one per
//! credential. Nothing is acknowledged before that commit.
//!
//! Credentials are signed inside this task ([`write_job`]); a tenant whose
//! key is in an HSM blocks it while the token signs, which is acceptable
//! for SoftHSM or a local token, not for a slow network HSM.

use axum::http::StatusCode;
use sqlx::Acquire as _;
use tokio::sync::{mpsc, oneshot};

use crate::db::Db;
use crate::issue::{write_job, CurrentLists, Job, Written};
use crate::problem::{Code, Problem};

/// The largest group committed at once.
pub const MAX_GROUP: usize = 64;

type Reply = oneshot::Sender<Result<Written, Problem>>;

/// The handle requests send their issuances to.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<(Job, Reply)>,
}

impl Writer {
    /// Starts the writer task over `db`.
    pub fn spawn(db: Db, public_url: String) -> Writer {
        let (jobs, receiver) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(run(db, public_url, receiver));
        Writer { jobs }
    }

    /// Issues `job` and waits until it is committed (or refused).
    pub async fn issue(&self, job: Job) -> Result<Written, Problem> {
        let (reply, answer) = oneshot::channel();
        let stopped = || {
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                Code::DatabaseFailed,
                "the service is stopping",
            )
        };
        self.jobs.send((job, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(db: Db, public_url: String, mut receiver: mpsc::Receiver<(Job, Reply)>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    let mut lists = CurrentLists::new();
    let mut list_count = None;
    while receiver.recv_many(&mut group, MAX_GROUP).await > 0 {
        let group = std::mem::take(&mut group);
        commit_group(&db, &public_url, &mut lists, &mut list_count, group).await;
    }
}

async fn commit_group(
    db: &Db,
    public_url: &str,
    lists: &mut CurrentLists,
    list_count: &mut Option<i64>,
    group: Vec<(Job, Reply)>,
) {
    let mut tx = match db.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            for (_, reply) in group {
                let _ = reply.send(Err(Problem::database(&e)));
            }
            return;
        }
    };
    // A list opened elsewhere (another instance, `list create`) may be the
    // current one now: the lists kept are read again.
    let count = crate::db::list_count(&mut tx).await.ok();
    if count.is_none() || count != *list_count {
        lists.clear();
        *list_count = count;
    }
    // The lists as committed before this group: what a failed commit
    // leaves (a list opened in it may not exist).
    let before = lists.clone();
    let mut written = Vec::with_capacity(group.len());
    let mut duplicates = Vec::new();
    for (job, reply) in group {
        // Lists opened by a job count only once its savepoint is released.
        let mut seen = lists.clone();
        let outcome = match tx.begin().await {
            Ok(mut savepoint) => match write_job(&mut savepoint, public_url, &mut seen, job).await {
                Ok(Written::Issued(text)) => match savepoint.commit().await {
                    Ok(()) => {
                        *lists = seen;
                        Ok(Written::Issued(text))
                    }
                    Err(e) => Err(Problem::database(e)),
                },
                other => {
                    let _ = savepoint.rollback().await;
                    other
                }
            },
            Err(e) => Err(Problem::database(e)),
        };
        match outcome {
            // Acknowledged after the commit only.
            Ok(Written::Issued(text)) => written.push((text, reply)),
            // The credential it collides with may be earlier in this very
            // group: answered after the commit, so that a retry under the
            // same idempotency key reads the first answer.
            Ok(Written::Duplicate) => duplicates.push(reply),
            other => {
                let _ = reply.send(other);
            }
        }
    }
    let committed = tx.commit().await;
    for reply in duplicates {
        let _ = reply.send(Ok(Written::Duplicate));
    }
    match committed {
        Ok(()) => {
            for (text, reply) in written {
                let _ = reply.send(Ok(Written::Issued(text)));
            }
        }
        Err(e) => {
            *lists = before;
            for (_, reply) in written {
                let _ = reply.send(Err(Problem::database(&e)));
            }
        }
    }
}
