//! A second backup workflow, written against the client's public API only: export a cluster's
//! snapshots to a bucket of one's own. It turns on automatic export in the cluster's backup
//! schedule (a change in the schedule's newest version), registers an AWS S3 bucket, exports
//! one snapshot there and waits for the export to succeed, then deletes the snapshot and waits
//! until it is gone. Each step is reported as it ends.

use crate::lifecycle::{at, missing, LifecycleError};
use atlas_snapshots::models::{
    AutoExportPolicyView, AutoExportPolicyViewFrequencyType, DiskBackupExportJobRequest,
    DiskBackupSnapshotAwsExportBucketRequest,
    DiskBackupSnapshotAwsExportBucketRequestCloudProvider, DiskBackupSnapshotExportBucketRequest,
    DiskBackupSnapshotExportBucketResponse, DiskBackupSnapshotSchedule20240805,
};
use atlas_snapshots::operations::{CreateExportBucketResponse, UpdateBackupScheduleResponse};
use atlas_snapshots::{Client, WaitPolicy};
use std::fmt;

/// What to export, and where to.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub group_id: String,
    /// The dedicated cluster whose snapshot is exported.
    pub cluster: String,
    /// The snapshot to export (and delete once exported).
    pub snapshot: String,
    /// The S3 bucket to register, and the Atlas cloud provider access role that writes to it.
    pub bucket_name: String,
    pub iam_role_id: String,
    /// How the waits poll.
    pub wait: WaitPolicy,
}

/// One finished step, for a person to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportStep {
    ScheduleChanged { auto_export: bool },
    BucketRegistered { bucket: String },
    ExportStarted { export: String, state: String },
    Exported { export: String, state: String },
    SnapshotGone { snapshot: String, polls: u32 },
}

impl fmt::Display for ExportStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportStep::ScheduleChanged { auto_export } => {
                write!(f, "the schedule now exports automatically: {auto_export}")
            }
            ExportStep::BucketRegistered { bucket } => write!(f, "registered bucket {bucket}"),
            ExportStep::ExportStarted { export, state } => {
                write!(f, "started export {export} ({state})")
            }
            ExportStep::Exported { export, state } => write!(f, "export {export} is {state}"),
            ExportStep::SnapshotGone { snapshot, polls } => {
                write!(f, "snapshot {snapshot} is gone (after {polls} poll(s))")
            }
        }
    }
}

/// Runs the whole workflow, calling `report` after each step.
pub async fn run(
    client: &Client,
    plan: &ExportPlan,
    mut report: impl FnMut(&ExportStep),
) -> Result<Vec<ExportStep>, LifecycleError> {
    let mut steps = Vec::new();
    let mut done = |step: ExportStep, steps: &mut Vec<ExportStep>| {
        report(&step);
        steps.push(step);
    };
    let (group, cluster) = (plan.group_id.as_str(), plan.cluster.as_str());

    // A change names only what it changes; the policies already in place stay.
    let mut change = DiskBackupSnapshotSchedule20240805::new(Vec::new());
    change.auto_export_enabled = Some(true);
    let mut export_policy = AutoExportPolicyView::new();
    export_policy.frequency_type = Some(AutoExportPolicyViewFrequencyType::Monthly);
    change.export = Some(export_policy);
    let changed = client
        .update_backup_schedule(group, cluster, change)
        .send()
        .await
        .map_err(at("change the schedule"))?;
    let auto_export = match changed.into_inner() {
        UpdateBackupScheduleResponse::V2024_08_05(schedule) => {
            schedule.auto_export_enabled.unwrap_or(false)
        }
        _ => return Err(missing("change the schedule", "2024-08-05 schedule")),
    };
    done(ExportStep::ScheduleChanged { auto_export }, &mut steps);

    let bucket = DiskBackupSnapshotAwsExportBucketRequest::new(
        DiskBackupSnapshotAwsExportBucketRequestCloudProvider::Aws,
        plan.bucket_name.clone(),
        plan.iam_role_id.clone(),
    );
    let registered = client
        .create_export_bucket(
            group,
            DiskBackupSnapshotExportBucketRequest::Aws(Box::new(bucket)),
        )
        .send()
        .await
        .map_err(at("register the bucket"))?;
    // The answer's form depends on the version the client negotiated.
    let bucket = match registered.into_inner() {
        CreateExportBucketResponse::V2023_01_01(aws) => aws.id,
        CreateExportBucketResponse::V2024_05_30(DiskBackupSnapshotExportBucketResponse::Aws(
            aws,
        )) => aws.id,
        _ => return Err(missing("register the bucket", "AWS bucket")),
    };
    done(
        ExportStep::BucketRegistered {
            bucket: bucket.clone(),
        },
        &mut steps,
    );

    let started = client
        .create_backup_export(
            group,
            cluster,
            DiskBackupExportJobRequest::new(bucket, plan.snapshot.clone()),
        )
        .send()
        .await
        .map_err(at("start the export"))?;
    let export = started
        .id
        .clone()
        .ok_or_else(|| missing("start the export", "id"))?;
    let state = started.state.as_ref().map(ToString::to_string);
    done(
        ExportStep::ExportStarted {
            export: export.clone(),
            state: state.unwrap_or_default(),
        },
        &mut steps,
    );

    let exported = client
        .wait_until_export_successful(group, cluster, &*export)
        .policy(plan.wait.clone())
        .wait()
        .await
        .map_err(at("wait for the export"))?;
    let state = exported.state.as_ref().map(ToString::to_string);
    done(
        ExportStep::Exported {
            export,
            state: state.unwrap_or_default(),
        },
        &mut steps,
    );

    client
        .delete_cluster_backup_snapshot(group, cluster, &*plan.snapshot)
        .send()
        .await
        .map_err(at("delete the snapshot"))?;
    let gone = client
        .wait_until_cluster_snapshot_deleted(group, cluster, &*plan.snapshot)
        .policy(plan.wait.clone())
        .wait()
        .await
        .map_err(at("wait for the deletion"))?;
    done(
        ExportStep::SnapshotGone {
            snapshot: plan.snapshot.clone(),
            polls: gone.polls,
        },
        &mut steps,
    );
    Ok(steps)
}
