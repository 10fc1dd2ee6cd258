//! A backup workflow a person runs before a risky change, written against the client's public
//! API only: take an on-demand snapshot of a dedicated cluster, wait until it is completed,
//! shorten how long it is kept, list the cluster's snapshots, restore it into another cluster,
//! wait for the restore job, then delete the snapshot. Each step is reported as it ends.

use atlas_snapshots::models::{
    BackupSnapshotRetention, DiskBackupOnDemandSnapshotRequest, DiskBackupSnapshotRestoreJob,
};
use atlas_snapshots::{Client, WaitPolicy};
use std::fmt;

/// What to do the workflow on.
#[derive(Debug, Clone)]
pub struct Plan {
    pub group_id: String,
    /// The dedicated cluster to snapshot.
    pub cluster: String,
    /// The cluster (in the same project) to restore the snapshot into.
    pub restore_into: String,
    /// Days the new snapshot is kept at first.
    pub keep_days: i32,
    /// Days it is kept once it has been restored.
    pub shortened_days: i32,
    /// How the two waits poll.
    pub wait: WaitPolicy,
}

/// One finished step, for a person to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Taken { snapshot: String, status: String },
    Completed { snapshot: String },
    RetentionShortened { snapshot: String, expires: String },
    Listed { snapshots: Vec<(String, String)> },
    RestoreStarted { job: String },
    RestoreFinished { job: String, finished: String },
    Deleted { snapshot: String },
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Taken { snapshot, status } => write!(f, "took snapshot {snapshot} ({status})"),
            Step::Completed { snapshot } => write!(f, "snapshot {snapshot} is completed"),
            Step::RetentionShortened { snapshot, expires } => {
                write!(f, "snapshot {snapshot} now expires at {expires}")
            }
            Step::Listed { snapshots } => {
                write!(f, "the cluster has {} snapshot(s):", snapshots.len())?;
                for (id, status) in snapshots {
                    write!(f, "\n  {id}  {status}")?;
                }
                Ok(())
            }
            Step::RestoreStarted { job } => write!(f, "started restore job {job}"),
            Step::RestoreFinished { job, finished } => {
                write!(f, "restore job {job} finished at {finished}")
            }
            Step::Deleted { snapshot } => write!(f, "deleted snapshot {snapshot}"),
        }
    }
}

/// Why the workflow stopped; the steps reported before it stand.
#[derive(Debug)]
pub struct LifecycleError {
    pub step: &'static str,
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.step, self.source)
    }
}

impl std::error::Error for LifecycleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Names the step an error stopped the workflow at.
pub(crate) fn at<E: std::error::Error + Send + Sync + 'static>(
    step: &'static str,
) -> impl FnOnce(E) -> LifecycleError {
    move |e| LifecycleError {
        step,
        source: Box::new(e),
    }
}

/// An answer that lacks what the next step needs.
pub(crate) fn missing(step: &'static str, what: &str) -> LifecycleError {
    LifecycleError {
        step,
        source: format!("the answer has no {what}").into(),
    }
}

/// Runs the whole workflow, calling `report` after each step.
pub async fn run(
    client: &Client,
    plan: &Plan,
    mut report: impl FnMut(&Step),
) -> Result<Vec<Step>, LifecycleError> {
    let mut steps = Vec::new();
    let mut done = |step: Step, steps: &mut Vec<Step>| {
        report(&step);
        steps.push(step);
    };
    let (group, cluster) = (plan.group_id.as_str(), plan.cluster.as_str());

    let mut request = DiskBackupOnDemandSnapshotRequest::new();
    request.description = Some("on-demand snapshot before a change".to_owned());
    request.retention_in_days = Some(plan.keep_days);
    let taken = client
        .take_snapshots(group, cluster, request)
        .send()
        .await
        .map_err(at("take the snapshot"))?;
    // A replica set's snapshot or a sharded cluster's: both kinds have an id and a status.
    let taken = taken.body();
    let snapshot = taken
        .id()
        .map(str::to_owned)
        .ok_or_else(|| missing("take the snapshot", "id"))?;
    let status = taken.status().unwrap_or_default().to_owned();
    done(
        Step::Taken {
            snapshot: snapshot.clone(),
            status,
        },
        &mut steps,
    );

    client
        .wait_until_cluster_snapshot_completed(group, cluster, &*snapshot)
        .policy(plan.wait.clone())
        .wait()
        .await
        .map_err(at("wait for the snapshot"))?;
    done(
        Step::Completed {
            snapshot: snapshot.clone(),
        },
        &mut steps,
    );

    let retention = BackupSnapshotRetention::new("days".to_owned(), plan.shortened_days);
    let updated = client
        .update_backup_snapshot(group, cluster, &*snapshot, retention)
        .send()
        .await
        .map_err(at("shorten the retention"))?;
    let expires = updated
        .expires_at
        .map(|t| t.to_rfc3339())
        .ok_or_else(|| missing("shorten the retention", "expiresAt"))?;
    done(
        Step::RetentionShortened {
            snapshot: snapshot.clone(),
            expires,
        },
        &mut steps,
    );

    let listed = client
        .list_backup_snapshots(group, cluster)
        .send()
        .await
        .map_err(at("list the snapshots"))?;
    let snapshots = listed
        .results
        .iter()
        .map(|s| {
            let id = s.id.clone().unwrap_or_default();
            (id, s.status.clone().unwrap_or_default())
        })
        .collect();
    done(Step::Listed { snapshots }, &mut steps);

    let mut restore = DiskBackupSnapshotRestoreJob::new("automated".to_owned());
    restore.snapshot_id = Some(snapshot.clone());
    restore.target_cluster_name = Some(plan.restore_into.clone());
    restore.target_group_id = Some(plan.group_id.clone());
    let job = client
        .create_backup_restore_job(group, cluster, restore)
        .send()
        .await
        .map_err(at("start the restore"))?;
    let job = job
        .id
        .clone()
        .ok_or_else(|| missing("start the restore", "id"))?;
    done(Step::RestoreStarted { job: job.clone() }, &mut steps);

    let finished = client
        .wait_until_restore_job_finished(group, cluster, &*job)
        .policy(plan.wait.clone())
        .wait()
        .await
        .map_err(at("wait for the restore"))?;
    let finished = finished
        .finished_at
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    done(Step::RestoreFinished { job, finished }, &mut steps);

    client
        .delete_cluster_backup_snapshot(group, cluster, &*snapshot)
        .send()
        .await
        .map_err(at("delete the snapshot"))?;
    done(Step::Deleted { snapshot }, &mut steps);
    Ok(steps)
}
