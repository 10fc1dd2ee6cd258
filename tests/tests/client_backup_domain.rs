//! The backup domain beyond snapshots, against the stand-in: the backup schedule, export
//! buckets and exports, the compliance policy, collection-level restore and the backup
//! private endpoints. Each test drives the typed client through a resource's life (create,
//! read, change, wait, delete) and checks what the stand-in received and kept.

use atlas_snapshots::models::{
    ApiAtlasCollectionRestoreJobRequest, ApiAtlasCollectionRestoreJobRequestIndexStrategy,
    ApiAtlasCollectionRestoreJobRequestWriteStrategy, ApiAtlasRestoreNamespaceView,
    DataProtectionSettings20231001, DiskBackupExportJobRequest,
    DiskBackupSnapshotAwsExportBucketRequest,
    DiskBackupSnapshotAwsExportBucketRequestCloudProvider, DiskBackupSnapshotExportBucketRequest,
    DiskBackupSnapshotSchedule20240805, ObjectStoragePrivateEndpointRequest,
    UpdateRequirePrivateNetworkingRequestView,
};
use atlas_snapshots::operations::{
    DeleteClusterBackupScheduleResponse, GetBackupScheduleResponse, GetCompliancePolicyResponse,
    UpdateBackupScheduleContent, UpdateBackupScheduleResponse,
};
use atlas_snapshots::{Client, Error, WaitError, WaitPolicy};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{RecordedRequest, StandIn};

const CLUSTER: &str = DEDICATED_CLUSTER;

fn client(server: &StandIn) -> Client {
    server.client_builder().build().expect("client")
}

fn quick() -> WaitPolicy {
    WaitPolicy::new()
        .interval(Duration::from_millis(5))
        .backoff(1.0)
        .deadline(Duration::from_secs(5))
}

fn last_of(server: &StandIn, operation: &str) -> RecordedRequest {
    server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.operation.as_deref() == Some(operation))
        .unwrap_or_else(|| panic!("no {operation} request was received"))
}

fn count_of(server: &StandIn, operation: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

#[tokio::test]
async fn a_schedule_change_is_sent_in_the_newest_version_and_read_back() {
    let server = StandIn::start().await;
    let client = client(&server);
    let before = client
        .get_backup_schedule(GROUP_ID, CLUSTER)
        .send()
        .await
        .expect("the schedule");
    let GetBackupScheduleResponse::V2024_08_05(schedule) = before.into_inner() else {
        panic!("the client asks for the newest version")
    };
    assert!(!schedule.policies.is_empty(), "the example has policies");
    // A change names what it changes; what the server sets (ids, links) is not sent back.
    let mut change = DiskBackupSnapshotSchedule20240805::new(Vec::new());
    change.reference_hour_of_day = Some(4);
    change.auto_export_enabled = Some(false);
    let changed = client
        .update_backup_schedule(GROUP_ID, CLUSTER, UpdateBackupScheduleContent::from(change))
        .send()
        .await
        .expect("the schedule is changed");
    let sent = last_of(&server, "updateBackupSchedule");
    assert_eq!(
        sent.header("content-type"),
        Some("application/vnd.atlas.2024-08-05+json")
    );
    assert_eq!(sent.body_json()["referenceHourOfDay"], 4);
    let UpdateBackupScheduleResponse::V2024_08_05(changed) = changed.into_inner() else {
        panic!("answered in the version sent")
    };
    assert_eq!(changed.reference_hour_of_day, Some(4));
    assert_eq!(changed.next_snapshot, None, "not planned yet");
    let planned = client
        .wait_until_next_snapshot_planned(GROUP_ID, CLUSTER)
        .policy(quick())
        .wait()
        .await
        .expect("Atlas plans the next snapshot");
    let GetBackupScheduleResponse::V2024_08_05(planned) = planned.into_inner() else {
        panic!("the newest version")
    };
    assert!(planned.next_snapshot.is_some());
    assert_eq!(
        count_of(&server, "getBackupSchedule"),
        3,
        "before, not yet, planned"
    );
    let GetBackupScheduleResponse::V2024_08_05(read) = client
        .get_backup_schedule(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap()
        .into_inner()
    else {
        panic!("the newest version")
    };
    assert_eq!(read.reference_hour_of_day, Some(4), "the stand-in kept it");

    let emptied = client
        .delete_cluster_backup_schedule(GROUP_ID, CLUSTER)
        .send()
        .await
        .expect("the schedule's policies are removed");
    let DeleteClusterBackupScheduleResponse::V2024_08_05(emptied) = emptied.into_inner() else {
        panic!("the newest version")
    };
    assert!(emptied.policies.is_empty(), "{emptied:?}");
}

#[tokio::test]
async fn an_aws_export_bucket_is_created_read_changed_and_deleted() {
    let server = StandIn::start().await;
    let client = client(&server);
    let aws = DiskBackupSnapshotAwsExportBucketRequest::new(
        DiskBackupSnapshotAwsExportBucketRequestCloudProvider::Aws,
        "exports-eu".into(),
        "668c5f0ed436263134491592".into(),
    );
    let made = client
        .create_export_bucket(
            GROUP_ID,
            DiskBackupSnapshotExportBucketRequest::Aws(Box::new(aws)),
        )
        .send()
        .await
        .expect("the bucket is made");
    let sent = last_of(&server, "createExportBucket");
    assert_eq!(sent.body_json()["cloudProvider"], "AWS");
    assert_eq!(sent.body_json()["bucketName"], "exports-eu");
    let body = serde_json::to_value(made.body()).unwrap();
    assert_eq!(body["bucketName"], "exports-eu", "{body}");
    let id = body["_id"].as_str().expect("a bucket id").to_owned();

    let read = client
        .get_export_bucket(GROUP_ID, &*id)
        .send()
        .await
        .expect("the new bucket is found");
    let read = serde_json::to_value(read.body()).unwrap();
    assert_eq!(
        (read["_id"].as_str(), read["cloudProvider"].as_str()),
        (Some(&*id), Some("AWS"))
    );

    let changed = client
        .update_backup_export_bucket(
            GROUP_ID,
            &*id,
            UpdateRequirePrivateNetworkingRequestView::new(true),
        )
        .send()
        .await
        .expect("private networking is required");
    let changed = serde_json::to_value(changed.body()).unwrap();
    assert_eq!(changed["requirePrivateNetworking"], true);

    client
        .delete_export_bucket(GROUP_ID, &*id)
        .send()
        .await
        .expect("deleted");
    let gone = client.get_export_bucket(GROUP_ID, &*id).send().await;
    assert!(
        matches!(&gone, Err(e) if e.status().map(|s| s.as_u16()) == Some(404)),
        "{gone:?}"
    );
}

#[tokio::test]
async fn an_export_is_waited_for_until_successful_or_failed() {
    let server = StandIn::start().await;
    let client = client(&server);
    let started = client
        .create_backup_export(
            GROUP_ID,
            CLUSTER,
            DiskBackupExportJobRequest::new(
                "668c5f0ed436263134491592".into(),
                DEDICATED_SNAPSHOT.into(),
            ),
        )
        .send()
        .await
        .expect("the export starts");
    let id = started.id.clone().expect("an export id");
    assert_eq!(
        started.state.as_ref().map(|s| s.to_string()).as_deref(),
        Some("Queued")
    );
    let done = client
        .wait_until_export_successful(GROUP_ID, CLUSTER, &*id)
        .policy(quick())
        .wait()
        .await
        .expect("the export succeeds");
    assert_eq!(
        done.state.as_ref().map(|s| s.to_string()).as_deref(),
        Some("Successful")
    );
    assert!(done.finished_at.is_some());
    assert_eq!(
        count_of(&server, "getBackupExport"),
        2,
        "InProgress, then Successful"
    );

    server.fail_next("createBackupExport");
    let failing = client
        .create_backup_export(
            GROUP_ID,
            CLUSTER,
            DiskBackupExportJobRequest::new(
                "668c5f0ed436263134491592".into(),
                DEDICATED_SNAPSHOT.into(),
            ),
        )
        .send()
        .await
        .unwrap();
    let failed = client
        .wait_until_export_successful(GROUP_ID, CLUSTER, failing.id.clone().unwrap())
        .policy(quick())
        .wait()
        .await;
    match failed {
        Err(WaitError::Failed { state, .. }) => assert_eq!(state, "state = \"Failed\""),
        other => panic!("expected the failure state, got {other:?}"),
    }
}

#[tokio::test]
async fn the_compliance_policy_is_waited_for_until_active_and_disabled() {
    let server = StandIn::start().await;
    let client = client(&server);
    let mut policy = DataProtectionSettings20231001::new(
        "backup-owner@example.com".into(),
        "Ada".into(),
        "Lovelace".into(),
    );
    policy.pit_enabled = Some(true);
    client
        .update_compliance_policy(GROUP_ID, policy)
        .overwrite_backup_policies(false)
        .send()
        .await
        .expect("the policy is set");
    let sent = last_of(&server, "updateCompliancePolicy");
    assert_eq!(sent.query_value("overwriteBackupPolicies"), Some("false"));
    assert_eq!(
        sent.body_json()["authorizedEmail"],
        "backup-owner@example.com"
    );

    let active = client
        .wait_until_compliance_policy_active(GROUP_ID)
        .policy(quick())
        .wait()
        .await
        .expect("the policy becomes active");
    let GetCompliancePolicyResponse::V2023_10_01(active) = active.into_inner() else {
        panic!("the newest version")
    };
    assert_eq!(active.pit_enabled, Some(true));
    assert_eq!(
        count_of(&server, "getCompliancePolicy"),
        2,
        "UPDATING at the first poll, ACTIVE at the second"
    );

    client
        .disable_compliance_policy(GROUP_ID)
        .send()
        .await
        .expect("disabled");
    let gone = client.get_compliance_policy(GROUP_ID).send().await;
    assert!(
        matches!(&gone, Err(Error::Api { status, .. }) if status.as_u16() == 404),
        "{gone:?}"
    );
}

#[tokio::test]
async fn a_collection_restore_browses_the_snapshot_then_runs_to_success() {
    let server = StandIn::start().await;
    let client = client(&server);
    let databases = client
        .list_backup_snapshot_databases(GROUP_ID, CLUSTER, DEDICATED_SNAPSHOT)
        .send()
        .await
        .expect("the snapshot's databases");
    let database = databases.results[0].name.clone();
    let collections = client
        .list_snapshot_database_collections(GROUP_ID, CLUSTER, DEDICATED_SNAPSHOT, &*database)
        .send()
        .await
        .expect("its collections");
    let collection = collections.results[0].name.clone();

    let mut request = ApiAtlasCollectionRestoreJobRequest::new(
        ApiAtlasCollectionRestoreJobRequestIndexStrategy::All,
        "staging-rs".into(),
        GROUP_ID.into(),
        ApiAtlasCollectionRestoreJobRequestWriteStrategy::CreateNew,
    );
    request.snapshot_id = Some(DEDICATED_SNAPSHOT.into());
    request.collections = Some(vec![ApiAtlasRestoreNamespaceView::new(format!(
        "{database}.{collection}"
    ))]);
    let job = client
        .create_collection_restore_job(GROUP_ID, CLUSTER, request)
        .send()
        .await
        .expect("the job starts");
    assert_eq!(job.status().as_u16(), 201);
    let sent = last_of(&server, "createCollectionRestoreJob");
    assert_eq!(
        sent.body_json()["collections"][0]["sourceNamespace"],
        format!("{database}.{collection}")
    );
    let id = job.id.clone().expect("a job id");
    let done = client
        .wait_until_collection_restore_successful(GROUP_ID, CLUSTER, &*id)
        .policy(quick())
        .wait()
        .await
        .expect("the job succeeds");
    assert_eq!(
        done.state.as_ref().map(|s| s.to_string()).as_deref(),
        Some("SUCCESSFUL")
    );
    assert_eq!(
        count_of(&server, "getCollectionRestoreJob"),
        3,
        "IN_PROGRESS, FINALIZING, then SUCCESSFUL"
    );
    let listed = client
        .list_collection_restore_jobs(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    assert!(listed.results.iter().any(|j| j.id.as_deref() == Some(&*id)));
}

#[tokio::test]
async fn a_private_endpoint_becomes_active_and_a_deletion_is_waited_for() {
    let server = StandIn::start().await;
    let client = client(&server);
    let mut request = ObjectStoragePrivateEndpointRequest::new();
    request.region_name = serde_json::from_value(serde_json::json!("US_EAST_1")).ok();
    let endpoint = client
        .create_backup_private_endpoint(
            GROUP_ID,
            atlas_snapshots::models::CloudProvider::Aws,
            request,
        )
        .send()
        .await
        .expect("the endpoint is made");
    assert!(last_of(&server, "createBackupPrivateEndpoint")
        .path
        .ends_with("/backup/AWS/privateEndpoints"));
    let id = endpoint.id.clone().expect("an endpoint id");
    let active = client
        .wait_until_private_endpoint_active(
            GROUP_ID,
            atlas_snapshots::models::CloudProvider::Aws,
            &*id,
        )
        .policy(quick())
        .wait()
        .await
        .expect("the endpoint becomes active");
    assert_eq!(
        active.status.as_ref().map(|s| s.to_string()).as_deref(),
        Some("ACTIVE")
    );
    client
        .delete_backup_private_endpoint(GROUP_ID, atlas_snapshots::models::CloudProvider::Aws, &*id)
        .send()
        .await
        .expect("deleted");
    let listed = client
        .list_backup_private_endpoints(GROUP_ID, atlas_snapshots::models::CloudProvider::Aws)
        .send()
        .await
        .unwrap();
    assert!(listed.results.iter().all(|e| e.id.as_deref() != Some(&*id)));
}

#[tokio::test]
async fn a_deleted_snapshot_is_waited_for_until_its_get_answers_404() {
    let server = StandIn::start().await;
    let client = client(&server);
    client
        .delete_cluster_backup_snapshot(GROUP_ID, CLUSTER, DEDICATED_SNAPSHOT)
        .send()
        .await
        .expect("deleted");
    let gone = client
        .wait_until_cluster_snapshot_deleted(GROUP_ID, CLUSTER, DEDICATED_SNAPSHOT)
        .policy(quick())
        .wait()
        .await
        .expect("the snapshot is gone");
    assert_eq!(gone.polls, 1);

    let sharded = client
        .wait_until_sharded_cluster_snapshot_deleted(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT)
        .policy(quick().deadline(Duration::from_millis(30)))
        .wait()
        .await;
    match sharded {
        Err(WaitError::Deadline { polls, last, .. }) => {
            assert!(polls >= 2, "{polls}");
            assert_eq!(last.id.as_deref(), Some(SHARDED_SNAPSHOT), "still there");
        }
        other => panic!("the snapshot was never deleted: {other:?}"),
    }
    client
        .delete_backup_sharded_cluster(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT)
        .send()
        .await
        .expect("deleted");
    client
        .wait_until_sharded_cluster_snapshot_deleted(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT)
        .policy(quick())
        .wait()
        .await
        .expect("gone after the delete");
}

/// Each cloud provider's bucket decodes into its own member of the union, by its
/// `cloudProvider`: the spec's examples show one of each (AWS listed in 2023-01-01, GCP read
/// in 2024-05-30, Azure made in 2024-05-30).
#[test]
fn a_bucket_of_each_provider_decodes_into_its_own_union_member() {
    use atlas_snapshots::models::DiskBackupSnapshotExportBucketResponse as Bucket;
    let spec = workspace_tests::Spec::shared();
    let example = |operation: &str, version: &str| {
        spec.operation(operation)
            .example(Some(version))
            .unwrap_or_else(|| panic!("{operation} has a {version} example"))
            .clone()
    };
    let listed = example("listExportBuckets", "2023-01-01")["results"][0].clone();
    let read = example("getExportBucket", "2024-05-30");
    let made = example("createExportBucket", "2024-05-30");
    let decode = |value: serde_json::Value| -> Bucket {
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
    };
    assert!(matches!(decode(listed), Bucket::Aws(b) if !b.iam_role_id.is_empty()));
    assert!(matches!(decode(read), Bucket::Gcp(b) if !b.role_id.is_empty()));
    assert!(matches!(decode(made), Bucket::Azure(b) if !b.tenant_id.is_empty()));
    // A bucket that names one provider and carries another's properties is refused.
    let mut mixed = example("getExportBucket", "2024-05-30");
    mixed["cloudProvider"] = "AZURE".into();
    assert!(serde_json::from_value::<Bucket>(mixed).is_err());
}
