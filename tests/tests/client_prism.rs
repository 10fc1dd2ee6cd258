//! An independent check of the generated client: Stoplight Prism serves `spec/` as a mock and
//! validates every request it receives against the spec. Each v2 operation is sent through the
//! client with a bearer token, at the default version and at every version the spec lists,
//! the write operations with a valid body, and must succeed with no `sl-violations` header
//! (Prism's list of request problems). Prism refuses an invalid body, so the pass means
//! something.
//!
//! Prism comes from npm, installed under `target/spec-tools/prism/` on first use
//! (`codegen::prism`), so the test command of the README works on a fresh machine with
//! Node.js. `PRISM_BIN` points at another installation.

use atlas_snapshots::models::{
    BackupSnapshotRetention, DiskBackupOnDemandSnapshotRequest, DiskBackupSnapshotRestoreJob,
    FlexBackupRestoreJobCreate20241113, FlexBackupSnapshotDownloadCreate20241113,
    ServerlessBackupRestoreJob,
};
use atlas_snapshots::{Client, Error, ResponseValue};
use codegen::prism::{self, VIOLATIONS_HEADER as VIOLATIONS};
use std::path::{Path, PathBuf};
use workspace_tests::ids::*;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A running `prism mock` of the curated spec; killed on drop.
struct Prism(prism::Prism);

impl Prism {
    fn start() -> Prism {
        let root = workspace_root();
        let bin = prism::executable(&root).unwrap_or_else(|e| panic!("{e}"));
        let spec = root.join("spec/atlas-snapshots.yaml");
        Prism(prism::Prism::start(&bin, &spec, &[]).unwrap_or_else(|e| panic!("{e}")))
    }

    fn client(&self, version: Option<&str>) -> Client {
        let mut builder = Client::builder()
            .base_url(self.0.base_url())
            .bearer_token("prism-check-token");
        if let Some(version) = version {
            builder = builder.api_version(version);
        }
        builder.build().expect("client for prism")
    }
}

/// A response Prism accepted: 2xx and no request violations.
fn accepted<T>(operation: &str, result: Result<ResponseValue<T>, Error>) -> ResponseValue<T> {
    let response = result.unwrap_or_else(|e| panic!("{operation} against prism: {e}"));
    assert!(
        response.status().is_success(),
        "{operation}: {}",
        response.status()
    );
    assert!(
        response.headers().get(VIOLATIONS).is_none(),
        "{operation}: prism reported violations: {:?}",
        response.headers().get(VIOLATIONS)
    );
    response
}

/// Sends every v2 operation with the client's version settings and returns how many were sent.
// The serverless and shared-tier operations are deprecated, and still part of the check.
#[allow(deprecated)]
async fn every_v2_operation(client: &Client) -> usize {
    let flex_list = accepted(
        "listFlexBackupSnapshots",
        client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .items_per_page(10)
            .page_num(1)
            .include_count(true)
            .send()
            .await,
    );
    assert!(!flex_list.body().results.is_empty());
    accepted(
        "getFlexBackupSnapshot",
        client
            .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
            .send()
            .await,
    );
    accepted(
        "listServerlessBackupSnapshots",
        client
            .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
            .items_per_page(5)
            .send()
            .await,
    );
    accepted(
        "getServerlessBackupSnapshot",
        client
            .get_serverless_backup_snapshot(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
            .send()
            .await,
    );
    accepted(
        "listClusterBackupSnapshots",
        client
            .list_cluster_backup_snapshots(GROUP_ID, TENANT_CLUSTER)
            .send()
            .await,
    );
    accepted(
        "getBackupTenantSnapshot",
        client
            .get_backup_tenant_snapshot(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT)
            .send()
            .await,
    );
    6 + lifecycle_operations(client).await
}

/// The snapshot lifecycle and restore job operations, each write with a valid body.
#[allow(deprecated)]
async fn lifecycle_operations(client: &Client) -> usize {
    let cluster = DEDICATED_CLUSTER;
    let mut take = DiskBackupOnDemandSnapshotRequest::new();
    take.description = Some("before the migration".into());
    take.retention_in_days = Some(3);
    accepted(
        "listBackupSnapshots",
        client
            .list_backup_snapshots(GROUP_ID, cluster)
            .items_per_page(10)
            .send()
            .await,
    );
    accepted(
        "takeSnapshots",
        client.take_snapshots(GROUP_ID, cluster, take).send().await,
    );
    accepted(
        "getClusterBackupSnapshot",
        client
            .get_cluster_backup_snapshot(GROUP_ID, cluster, DEDICATED_SNAPSHOT)
            .send()
            .await,
    );
    accepted(
        "updateBackupSnapshot",
        client
            .update_backup_snapshot(
                GROUP_ID,
                cluster,
                DEDICATED_SNAPSHOT,
                BackupSnapshotRetention::new("days".into(), 2),
            )
            .send()
            .await,
    );
    let deleted = accepted(
        "deleteClusterBackupSnapshot",
        client
            .delete_cluster_backup_snapshot(GROUP_ID, cluster, DEDICATED_SNAPSHOT)
            .send()
            .await,
    );
    assert_eq!(deleted.status().as_u16(), 204);
    accepted(
        "listBackupShardedClusters",
        client
            .list_backup_sharded_clusters(GROUP_ID, SHARDED_CLUSTER)
            .send()
            .await,
    );
    accepted(
        "getBackupShardedCluster",
        client
            .get_backup_sharded_cluster(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT)
            .send()
            .await,
    );
    accepted(
        "listBackupRestoreJobs",
        client
            .list_backup_restore_jobs(GROUP_ID, cluster)
            .send()
            .await,
    );
    let mut restore = DiskBackupSnapshotRestoreJob::new("automated".into());
    restore.snapshot_id = Some(DEDICATED_SNAPSHOT.into());
    restore.target_cluster_name = Some("staging-rs".into());
    restore.target_group_id = Some(GROUP_ID.into());
    accepted(
        "createBackupRestoreJob",
        client
            .create_backup_restore_job(GROUP_ID, cluster, restore)
            .send()
            .await,
    );
    accepted(
        "getBackupRestoreJob",
        client
            .get_backup_restore_job(GROUP_ID, cluster, RESTORE_JOB)
            .send()
            .await,
    );
    let cancelled = accepted(
        "cancelBackupRestoreJob",
        client
            .cancel_backup_restore_job(GROUP_ID, cluster, RESTORE_JOB)
            .send()
            .await,
    );
    assert_eq!(cancelled.status().as_u16(), 204);
    accepted(
        "downloadFlexBackup",
        client
            .download_flex_backup(
                GROUP_ID,
                FLEX_CLUSTER,
                FlexBackupSnapshotDownloadCreate20241113::new(FLEX_SNAPSHOT.into()),
            )
            .send()
            .await,
    );
    accepted(
        "listFlexRestoreJobs",
        client
            .list_flex_restore_jobs(GROUP_ID, FLEX_CLUSTER)
            .send()
            .await,
    );
    accepted(
        "createFlexRestoreJob",
        client
            .create_flex_restore_job(
                GROUP_ID,
                FLEX_CLUSTER,
                FlexBackupRestoreJobCreate20241113::new(FLEX_SNAPSHOT.into(), "copy".into()),
            )
            .send()
            .await,
    );
    accepted(
        "getFlexRestoreJob",
        client
            .get_flex_restore_job(GROUP_ID, FLEX_CLUSTER, FLEX_RESTORE_JOB)
            .send()
            .await,
    );
    accepted(
        "listServerlessRestoreJobs",
        client
            .list_serverless_restore_jobs(GROUP_ID, SERVERLESS_INSTANCE)
            .send()
            .await,
    );
    accepted(
        "createServerlessRestoreJob",
        client
            .create_serverless_restore_job(
                GROUP_ID,
                SERVERLESS_INSTANCE,
                ServerlessBackupRestoreJob::new("automated".into(), "copy".into(), GROUP_ID.into()),
            )
            .send()
            .await,
    );
    accepted(
        "getServerlessRestoreJob",
        client
            .get_serverless_restore_job(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_RESTORE_JOB)
            .send()
            .await,
    );
    18
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(deprecated)]
async fn every_v2_operation_passes_prism_validation() {
    let prism = tokio::task::spawn_blocking(Prism::start)
        .await
        .expect("start prism");
    // Unpinned: each operation at its newest version.
    assert_eq!(every_v2_operation(&prism.client(None)).await, 24);
    // Pinned to the newest date: the same versions, now chosen by the pin.
    assert_eq!(
        every_v2_operation(&prism.client(Some("2024-11-13"))).await,
        24
    );

    // Invalid path and query values never leave the client.
    let client = prism.client(None);
    let bad_group = client
        .list_serverless_backup_snapshots("not-a-group-id", SERVERLESS_INSTANCE)
        .send()
        .await;
    assert!(
        matches!(bad_group, Err(Error::InvalidRequest { .. })),
        "{bad_group:?}"
    );
    let bad_page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(501)
        .send()
        .await;
    assert!(
        matches!(bad_page, Err(Error::InvalidRequest { .. })),
        "{bad_page:?}"
    );
}

/// Prism itself rejects what the spec forbids, so a pass above means something: a request
/// with a malformed group id, sent around the client, gets a violation report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_reports_violations_the_client_would_have_prevented() {
    let prism = tokio::task::spawn_blocking(Prism::start)
        .await
        .expect("start prism");
    let url = format!(
        "http://{}/api/atlas/v2/groups/not-a-group-id/serverless/{SERVERLESS_INSTANCE}/backup/snapshots",
        prism.0.addr()
    );
    let response = reqwest::Client::new()
        .get(url)
        .header("Accept", "application/vnd.atlas.2023-01-01+json")
        .bearer_auth("prism-check-token")
        .send()
        .await
        .expect("raw request to prism");
    let rejected = !response.status().is_success() || response.headers().contains_key(VIOLATIONS);
    assert!(
        rejected,
        "prism accepted a malformed group id: {}",
        response.status()
    );

    // A body the schema forbids (no retention below one day, no property it does not know),
    // sent with the right media type.
    let take = |body: &'static str| {
        reqwest::Client::new()
            .post(format!(
                "http://{}/api/atlas/v2/groups/{GROUP_ID}/clusters/{DEDICATED_CLUSTER}/backup/snapshots",
                prism.0.addr()
            ))
            .header("Accept", "application/vnd.atlas.2023-01-01+json")
            .header("Content-Type", "application/vnd.atlas.2023-01-01+json")
            .bearer_auth("prism-check-token")
            .body(body)
            .send()
    };
    let valid = take(r#"{"retentionInDays": 1}"#).await.expect("valid body");
    assert!(
        valid.status().is_success() && !valid.headers().contains_key(VIOLATIONS),
        "prism refused a valid body: {}",
        valid.status()
    );
    let invalid = take(r#"{"retentionInDays": 0}"#)
        .await
        .expect("invalid body");
    // Prism answers with the spec's 400 example and lists what it found in the header.
    let violations = invalid
        .headers()
        .get(VIOLATIONS)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(invalid.status().as_u16(), 400, "{violations}");
    assert!(
        violations.contains("retentionInDays") && violations.contains(">= 1"),
        "{violations}"
    );
}
