//! Every operation of the committed client against the stand-in server: the decoded values
//! equal the spec's 200 examples field by field, and each request carries the path, the
//! versioned `Accept` header and the credentials the spec asks for.

use atlas_snapshots::models::{
    BackupTenantSnapshot, BackupTenantSnapshotStatus, FlexBackupSnapshot20241113,
    LegacyServerlessBackupSnapshot, LegacyServerlessBackupSnapshotSnapshotType,
    LegacyServerlessBackupSnapshotStatus, LegacyTenantSnapshot, LegacyTenantSnapshotStatus, Link,
    ServerlessBackupSnapshot, ServerlessBackupSnapshotFrequencyType,
    ServerlessBackupSnapshotSnapshotType, ServerlessBackupSnapshotStatus,
};
use atlas_snapshots::Client;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeSet;
use workspace_tests::ids::*;
use workspace_tests::{Spec, StandIn};

const FLEX_MEDIA: &str = "application/vnd.atlas.2024-11-13+json";
const V2023_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";
const JSON: &str = "application/json";

fn example<'s>(spec: &'s Spec, operation: &str) -> &'s Value {
    let op = spec.operation(operation);
    assert_eq!(
        op.media.len(),
        1,
        "{operation} has one media type in the spec"
    );
    &op.media[0].example
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

fn time(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().map(|s| {
        s.parse()
            .unwrap_or_else(|e| panic!("example time {s:?}: {e}"))
    })
}

fn assert_links(links: Option<&[Link]>, expected: &Value) {
    let expected = expected.as_array().expect("the example has links");
    let links = links.expect("links decoded");
    assert_eq!(links.len(), expected.len());
    for (link, want) in links.iter().zip(expected) {
        assert_eq!(link.href.as_deref(), text(&want["href"]));
        assert_eq!(link.rel.as_deref(), text(&want["rel"]));
    }
}

fn assert_flex(got: &FlexBackupSnapshot20241113, want: &Value) {
    assert_eq!(got.id.as_deref(), text(&want["id"]));
    assert_eq!(got.expiration, time(&want["expiration"]));
    assert_eq!(got.finish_time, time(&want["finishTime"]));
    assert_eq!(got.scheduled_time, time(&want["scheduledTime"]));
    assert_eq!(got.start_time, time(&want["startTime"]));
    assert_eq!(
        got.mongo_db_version.as_deref(),
        text(&want["mongoDBVersion"])
    );
    assert_eq!(got.status.as_deref(), text(&want["status"]));
    assert_links(got.links.as_deref(), &want["links"]);
}

fn assert_serverless(got: &ServerlessBackupSnapshot, want: &Value) {
    assert_eq!(got.id.as_deref(), text(&want["id"]));
    assert_eq!(got.created_at, time(&want["createdAt"]));
    assert_eq!(got.expires_at, time(&want["expiresAt"]));
    assert_eq!(
        got.frequency_type.as_ref().map(|f| f.as_str()),
        text(&want["frequencyType"])
    );
    assert_eq!(got.mongod_version.as_deref(), text(&want["mongodVersion"]));
    assert_eq!(
        got.serverless_instance_name.as_deref(),
        text(&want["serverlessInstanceName"])
    );
    assert_eq!(
        got.snapshot_type.as_ref().map(|t| t.as_str()),
        text(&want["snapshotType"])
    );
    assert_eq!(
        got.status.as_ref().map(|s| s.as_str()),
        text(&want["status"])
    );
    assert_eq!(got.storage_size_bytes, want["storageSizeBytes"].as_i64());
    assert_links(got.links.as_deref(), &want["links"]);
}

fn assert_tenant(got: &BackupTenantSnapshot, want: &Value) {
    assert_eq!(got.id.as_deref(), text(&want["id"]));
    assert_eq!(got.expiration, time(&want["expiration"]));
    assert_eq!(got.finish_time, time(&want["finishTime"]));
    assert_eq!(got.scheduled_time, time(&want["scheduledTime"]));
    assert_eq!(got.start_time, time(&want["startTime"]));
    assert_eq!(
        got.mongo_db_version.as_deref(),
        text(&want["mongoDBVersion"])
    );
    assert_eq!(
        got.status.as_ref().map(|s| s.as_str()),
        text(&want["status"])
    );
    assert_links(got.links.as_deref(), &want["links"]);
}

fn assert_legacy_serverless(got: &LegacyServerlessBackupSnapshot, want: &Value) {
    assert_eq!(Some(got.id.as_str()), text(&want["id"]));
    assert_eq!(got.created_at, time(&want["createdAt"]));
    assert_eq!(got.expires_at, time(&want["expiresAt"]));
    assert_eq!(got.mongod_version.as_deref(), text(&want["mongodVersion"]));
    assert_eq!(
        got.serverless_instance_name.as_deref(),
        text(&want["serverlessInstanceName"])
    );
    assert_eq!(
        got.snapshot_type.as_ref().map(|t| t.as_str()),
        text(&want["snapshotType"])
    );
    assert_eq!(Some(got.status.as_str()), text(&want["status"]));
    assert_eq!(got.storage_size_bytes, want["storageSizeBytes"].as_i64());
}

fn assert_legacy_tenant(got: &LegacyTenantSnapshot, want: &Value) {
    assert_eq!(Some(got.id.as_str()), text(&want["id"]));
    assert_eq!(got.finish_time, time(&want["finishTime"]));
    assert_eq!(got.scheduled_time, time(&want["scheduledTime"]));
    assert_eq!(got.start_time, time(&want["startTime"]));
    assert_eq!(
        got.mongo_db_version.as_deref(),
        text(&want["mongoDBVersion"])
    );
    assert_eq!(Some(got.status.as_str()), text(&want["status"]));
}

/// Re-encoding the decoded value gives the example back: no field was lost or renamed.
fn assert_round_trip(encoded: Result<Value, serde_json::Error>, example: &Value) {
    assert_eq!(&encoded.expect("decoded values encode"), example);
}

fn results(example: &Value) -> &[Value] {
    example["results"]
        .as_array()
        .expect("a list example has results")
}

async fn client(server: &StandIn) -> Client {
    server
        .client_builder()
        // API keys, since the v1.0 operations accept nothing else.
        .digest_auth("test-public-key", "test-private-key")
        .build()
        .expect("client")
}

#[tokio::test]
async fn list_flex_backup_snapshots_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "listFlexBackupSnapshots");
    let page = client(&server)
        .await
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the example decodes");

    assert_eq!(page.status(), 200);
    assert_eq!(page.total_count, Some(2));
    assert_eq!(page.total_count.map(i64::from), want["totalCount"].as_i64());
    assert_links(page.links.as_deref(), &want["links"]);
    assert_eq!(page.results.len(), results(want).len());
    for (got, want) in page.results.iter().zip(results(want)) {
        assert_flex(got, want);
    }
    assert_eq!(page.results[0].id.as_deref(), Some(FLEX_SNAPSHOT));
    assert_eq!(page.results[1].id.as_deref(), Some(FLEX_OLDER_SNAPSHOT));
    assert_eq!(page.results[0].status.as_deref(), Some("COMPLETED"));
    assert_eq!(
        page.results[0].finish_time,
        Some("2025-05-04T06:02:19Z".parse().unwrap())
    );
    assert_round_trip(serde_json::to_value(&*page), want);
}

#[tokio::test]
async fn get_flex_backup_snapshot_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "getFlexBackupSnapshot");
    let snapshot = client(&server)
        .await
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await
        .expect("the example decodes");

    assert_flex(&snapshot, want);
    assert_eq!(snapshot.id.as_deref(), Some(FLEX_SNAPSHOT));
    assert_eq!(snapshot.mongo_db_version.as_deref(), Some("8.0.9"));
    assert_eq!(
        snapshot.expiration,
        Some("2025-05-11T06:02:19Z".parse().unwrap())
    );
    assert_round_trip(serde_json::to_value(snapshot.body()), want);
}

#[tokio::test]
async fn get_flex_backup_snapshot_finds_the_other_snapshot_of_the_list() {
    let server = StandIn::start().await;
    let list = example(server.spec(), "listFlexBackupSnapshots");
    let snapshot = client(&server)
        .await
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_OLDER_SNAPSHOT)
        .send()
        .await
        .expect("the second listed snapshot is served too")
        .into_inner();
    assert_flex(&snapshot, &results(list)[1]);
    assert_eq!(
        snapshot.finish_time,
        Some("2025-05-03T06:02:07Z".parse().unwrap())
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn list_serverless_backup_snapshots_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "listServerlessBackupSnapshots");
    let page = client(&server)
        .await
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .expect("the example decodes");

    assert_eq!(page.total_count.map(i64::from), want["totalCount"].as_i64());
    assert_links(page.links.as_deref(), &want["links"]);
    assert_eq!(page.results.len(), 2);
    assert_eq!(page.results.len(), results(want).len());
    for (got, want) in page.results.iter().zip(results(want)) {
        assert_serverless(got, want);
    }
    let first = &page.results[0];
    assert_eq!(first.id.as_deref(), Some(SERVERLESS_SNAPSHOT));
    assert_eq!(
        first.frequency_type,
        Some(ServerlessBackupSnapshotFrequencyType::Hourly)
    );
    assert_eq!(
        first.snapshot_type,
        Some(ServerlessBackupSnapshotSnapshotType::Scheduled)
    );
    assert_eq!(
        first.status,
        Some(ServerlessBackupSnapshotStatus::Completed)
    );
    assert_eq!(first.storage_size_bytes, Some(73_400_320));
    assert_eq!(page.results[1].storage_size_bytes, Some(73_269_248));
    assert_round_trip(serde_json::to_value(&*page), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn get_serverless_backup_snapshot_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "getServerlessBackupSnapshot");
    let snapshot = client(&server)
        .await
        .get_serverless_backup_snapshot(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .send()
        .await
        .expect("the example decodes");

    assert_serverless(&snapshot, want);
    assert_eq!(
        snapshot.created_at,
        Some("2025-05-04T09:42:00Z".parse().unwrap())
    );
    assert_eq!(
        snapshot.serverless_instance_name.as_deref(),
        Some(SERVERLESS_INSTANCE)
    );
    assert_round_trip(serde_json::to_value(snapshot.body()), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn list_cluster_backup_snapshots_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "listClusterBackupSnapshots");
    let page = client(&server)
        .await
        .list_cluster_backup_snapshots(GROUP_ID, TENANT_CLUSTER)
        .send()
        .await
        .expect("the example decodes");

    assert_eq!(page.total_count.map(i64::from), want["totalCount"].as_i64());
    assert_links(page.links.as_deref(), &want["links"]);
    let snapshots = page.results.as_deref().expect("results decoded");
    assert_eq!(snapshots.len(), 2);
    assert_eq!(snapshots.len(), results(want).len());
    for (got, want) in snapshots.iter().zip(results(want)) {
        assert_tenant(got, want);
    }
    assert_eq!(snapshots[0].id.as_deref(), Some(TENANT_SNAPSHOT));
    assert_eq!(
        snapshots[0].status,
        Some(BackupTenantSnapshotStatus::Completed)
    );
    assert_round_trip(serde_json::to_value(&*page), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn get_backup_tenant_snapshot_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "getBackupTenantSnapshot");
    let snapshot = client(&server)
        .await
        .get_backup_tenant_snapshot(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT)
        .send()
        .await
        .expect("the example decodes");

    assert_tenant(&snapshot, want);
    assert_eq!(
        snapshot.start_time,
        Some("2025-05-04T00:01:12Z".parse().unwrap())
    );
    assert_round_trip(serde_json::to_value(snapshot.body()), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn list_serverless_backup_snapshots_v1_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "listServerlessBackupSnapshotsV1");
    let page = client(&server)
        .await
        .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .expect("the example decodes");

    assert_eq!(page.total_count.map(i64::from), want["totalCount"].as_i64());
    assert_links(page.links.as_deref(), &want["links"]);
    assert_eq!(page.results.len(), 2);
    for (got, want) in page.results.iter().zip(results(want)) {
        assert_legacy_serverless(got, want);
    }
    assert_eq!(page.results[0].id, SERVERLESS_SNAPSHOT);
    assert_eq!(
        page.results[0].status,
        LegacyServerlessBackupSnapshotStatus::Completed
    );
    assert_eq!(
        page.results[0].snapshot_type,
        Some(LegacyServerlessBackupSnapshotSnapshotType::Scheduled)
    );
    assert_round_trip(serde_json::to_value(&*page), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn get_serverless_backup_snapshot_v1_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "getServerlessBackupSnapshotV1");
    let snapshot = client(&server)
        .await
        .get_serverless_backup_snapshot_v1(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .send()
        .await
        .expect("the example decodes");

    assert_legacy_serverless(&snapshot, want);
    assert_eq!(snapshot.id, SERVERLESS_SNAPSHOT);
    assert_eq!(snapshot.storage_size_bytes, Some(73_400_320));
    assert_round_trip(serde_json::to_value(snapshot.body()), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn list_tenant_backup_snapshots_v1_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "listTenantBackupSnapshotsV1");
    let page = client(&server)
        .await
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .send()
        .await
        .expect("the example decodes");

    assert_eq!(page.total_count.map(i64::from), want["totalCount"].as_i64());
    assert_links(page.links.as_deref(), &want["links"]);
    assert_eq!(page.results.len(), 2);
    for (got, want) in page.results.iter().zip(results(want)) {
        assert_legacy_tenant(got, want);
    }
    assert_eq!(page.results[1].id, "68155cc5e2f3a4b5c6d70b11");
    assert_eq!(
        page.results[1].status,
        LegacyTenantSnapshotStatus::Completed
    );
    assert_round_trip(serde_json::to_value(&*page), want);
}

#[tokio::test]
#[allow(deprecated)]
async fn get_tenant_backup_snapshot_v1_decodes_the_spec_example() {
    let server = StandIn::start().await;
    let want = example(server.spec(), "getTenantBackupSnapshotV1");
    let snapshot = client(&server)
        .await
        .get_tenant_backup_snapshot_v1(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT)
        .send()
        .await
        .expect("the example decodes");

    assert_legacy_tenant(&snapshot, want);
    assert_eq!(snapshot.id, TENANT_SNAPSHOT);
    assert_eq!(
        snapshot.scheduled_time,
        Some("2025-05-04T00:00:00Z".parse().unwrap())
    );
    assert_round_trip(serde_json::to_value(snapshot.body()), want);
}

/// One call of every operation; then each recorded request is checked against the spec:
/// the method, the path with the arguments filled in, the media type in `Accept` (and the
/// literal one the operation is documented with), the `Content-Type` of a body, the Digest
/// answer, and the response's `Content-Type` (none for a 204) and rate-limit headers.
#[tokio::test]
#[allow(deprecated)]
async fn every_operation_sends_its_path_media_type_and_credentials() {
    use atlas_snapshots::models::{
        BackupSnapshotRetention, DiskBackupOnDemandSnapshotRequest, DiskBackupSnapshotRestoreJob,
        FlexBackupRestoreJobCreate20241113, FlexBackupSnapshotDownloadCreate20241113,
        ServerlessBackupRestoreJob,
    };
    let server = StandIn::builder()
        .rate_limit(50)
        .require_digest("test-public-key", "test-private-key")
        .start()
        .await;
    let client = client(&server).await;
    let mut content_types = Vec::new();
    let mut remaining = Vec::new();
    macro_rules! call {
        ($call:expr) => {{
            let response = $call.send().await.expect("every example decodes");
            content_types.push(
                response
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_owned()),
            );
            assert_eq!(response.rate_limit_limit(), Some(50));
            remaining.push(response.rate_limit_remaining());
            response
        }};
    }
    call!(client.list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER));
    call!(client.get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT));
    call!(client.list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE));
    call!(client.get_serverless_backup_snapshot(
        GROUP_ID,
        SERVERLESS_INSTANCE,
        SERVERLESS_SNAPSHOT
    ));
    call!(client.list_cluster_backup_snapshots(GROUP_ID, TENANT_CLUSTER));
    call!(client.get_backup_tenant_snapshot(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT));
    call!(client.list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE));
    call!(client.get_serverless_backup_snapshot_v1(
        GROUP_ID,
        SERVERLESS_INSTANCE,
        SERVERLESS_SNAPSHOT
    ));
    call!(client.list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER));
    call!(client.get_tenant_backup_snapshot_v1(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT));
    call!(client.list_backup_snapshots(GROUP_ID, DEDICATED_CLUSTER));
    call!(client.take_snapshots(
        GROUP_ID,
        DEDICATED_CLUSTER,
        DiskBackupOnDemandSnapshotRequest::new()
    ));
    call!(client.get_cluster_backup_snapshot(GROUP_ID, DEDICATED_CLUSTER, DEDICATED_SNAPSHOT));
    call!(client.update_backup_snapshot(
        GROUP_ID,
        DEDICATED_CLUSTER,
        DEDICATED_SNAPSHOT,
        BackupSnapshotRetention::new("days".into(), 3)
    ));
    call!(client.delete_cluster_backup_snapshot(GROUP_ID, DEDICATED_CLUSTER, DEDICATED_SNAPSHOT));
    call!(client.list_backup_sharded_clusters(GROUP_ID, SHARDED_CLUSTER));
    call!(client.get_backup_sharded_cluster(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT));
    call!(client.list_backup_restore_jobs(GROUP_ID, DEDICATED_CLUSTER));
    let started = call!(client.create_backup_restore_job(
        GROUP_ID,
        DEDICATED_CLUSTER,
        DiskBackupSnapshotRestoreJob::new("download".into())
    ));
    let started = started.id.clone().expect("a new job has an id");
    call!(client.get_backup_restore_job(GROUP_ID, DEDICATED_CLUSTER, RESTORE_JOB));
    call!(client.cancel_backup_restore_job(GROUP_ID, DEDICATED_CLUSTER, &*started));
    call!(client.download_flex_backup(
        GROUP_ID,
        FLEX_CLUSTER,
        FlexBackupSnapshotDownloadCreate20241113::new(FLEX_SNAPSHOT.into())
    ));
    call!(client.list_flex_restore_jobs(GROUP_ID, FLEX_CLUSTER));
    call!(client.create_flex_restore_job(
        GROUP_ID,
        FLEX_CLUSTER,
        FlexBackupRestoreJobCreate20241113::new(FLEX_SNAPSHOT.into(), "copy".into())
    ));
    call!(client.get_flex_restore_job(GROUP_ID, FLEX_CLUSTER, FLEX_RESTORE_JOB));
    call!(client.list_serverless_restore_jobs(GROUP_ID, SERVERLESS_INSTANCE));
    call!(client.create_serverless_restore_job(
        GROUP_ID,
        SERVERLESS_INSTANCE,
        ServerlessBackupRestoreJob::new("automated".into(), "copy".into(), GROUP_ID.into())
    ));
    call!(client.get_serverless_restore_job(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_RESTORE_JOB));

    // Operation, `Accept`, and the values of the path's deployment and resource parameters.
    let expected: [(&str, &str, &str, &str); 28] = [
        ("listFlexBackupSnapshots", FLEX_MEDIA, FLEX_CLUSTER, ""),
        (
            "getFlexBackupSnapshot",
            FLEX_MEDIA,
            FLEX_CLUSTER,
            FLEX_SNAPSHOT,
        ),
        (
            "listServerlessBackupSnapshots",
            V2023_MEDIA,
            SERVERLESS_INSTANCE,
            "",
        ),
        (
            "getServerlessBackupSnapshot",
            V2023_MEDIA,
            SERVERLESS_INSTANCE,
            SERVERLESS_SNAPSHOT,
        ),
        (
            "listClusterBackupSnapshots",
            V2023_MEDIA,
            TENANT_CLUSTER,
            "",
        ),
        (
            "getBackupTenantSnapshot",
            V2023_MEDIA,
            TENANT_CLUSTER,
            TENANT_SNAPSHOT,
        ),
        (
            "listServerlessBackupSnapshotsV1",
            JSON,
            SERVERLESS_INSTANCE,
            "",
        ),
        (
            "getServerlessBackupSnapshotV1",
            JSON,
            SERVERLESS_INSTANCE,
            SERVERLESS_SNAPSHOT,
        ),
        ("listTenantBackupSnapshotsV1", JSON, TENANT_CLUSTER, ""),
        (
            "getTenantBackupSnapshotV1",
            JSON,
            TENANT_CLUSTER,
            TENANT_SNAPSHOT,
        ),
        ("listBackupSnapshots", V2023_MEDIA, DEDICATED_CLUSTER, ""),
        ("takeSnapshots", V2023_MEDIA, DEDICATED_CLUSTER, ""),
        (
            "getClusterBackupSnapshot",
            V2023_MEDIA,
            DEDICATED_CLUSTER,
            DEDICATED_SNAPSHOT,
        ),
        (
            "updateBackupSnapshot",
            V2023_MEDIA,
            DEDICATED_CLUSTER,
            DEDICATED_SNAPSHOT,
        ),
        (
            "deleteClusterBackupSnapshot",
            V2023_MEDIA,
            DEDICATED_CLUSTER,
            DEDICATED_SNAPSHOT,
        ),
        (
            "listBackupShardedClusters",
            V2023_MEDIA,
            SHARDED_CLUSTER,
            "",
        ),
        (
            "getBackupShardedCluster",
            V2023_MEDIA,
            SHARDED_CLUSTER,
            SHARDED_SNAPSHOT,
        ),
        ("listBackupRestoreJobs", V2023_MEDIA, DEDICATED_CLUSTER, ""),
        ("createBackupRestoreJob", V2023_MEDIA, DEDICATED_CLUSTER, ""),
        (
            "getBackupRestoreJob",
            V2023_MEDIA,
            DEDICATED_CLUSTER,
            RESTORE_JOB,
        ),
        (
            "cancelBackupRestoreJob",
            V2023_MEDIA,
            DEDICATED_CLUSTER,
            &started,
        ),
        ("downloadFlexBackup", FLEX_MEDIA, FLEX_CLUSTER, ""),
        ("listFlexRestoreJobs", FLEX_MEDIA, FLEX_CLUSTER, ""),
        ("createFlexRestoreJob", FLEX_MEDIA, FLEX_CLUSTER, ""),
        (
            "getFlexRestoreJob",
            FLEX_MEDIA,
            FLEX_CLUSTER,
            FLEX_RESTORE_JOB,
        ),
        (
            "listServerlessRestoreJobs",
            V2023_MEDIA,
            SERVERLESS_INSTANCE,
            "",
        ),
        (
            "createServerlessRestoreJob",
            V2023_MEDIA,
            SERVERLESS_INSTANCE,
            "",
        ),
        (
            "getServerlessRestoreJob",
            V2023_MEDIA,
            SERVERLESS_INSTANCE,
            SERVERLESS_RESTORE_JOB,
        ),
    ];
    // The first call met the Digest challenge (a 401 the rate limit does not count); every
    // request after it answers the challenge.
    let mut requests = server.requests();
    assert_eq!(requests.remove(0).header("authorization"), None);
    assert_eq!(requests.len(), expected.len());
    let spec = server.spec();
    for ((request, (operation, accept, deployment, resource)), content_type) in
        requests.iter().zip(expected).zip(&content_types)
    {
        let op = spec.operation(operation);
        assert_eq!(request.operation.as_deref(), Some(operation));
        assert_eq!(request.method, op.method, "{operation}");
        let expected_path = op.path_with(&[
            ("groupId", GROUP_ID),
            ("name", deployment),
            ("clusterName", deployment),
            ("instanceName", deployment),
            ("snapshotId", resource),
            ("restoreJobId", resource),
        ]);
        assert_eq!(request.path, expected_path, "{operation}");
        assert_eq!(request.query, None, "{operation} sends no query by default");
        assert_eq!(request.header("accept"), Some(accept), "{operation}");
        assert_eq!(
            Some(accept),
            op.media.first().map(|m| m.media_type.as_str()),
            "{operation}: the documented media type"
        );
        let body_type = op.request_body.as_ref().map(|b| b.media[0].0.as_str());
        assert_eq!(request.header("content-type"), body_type, "{operation}");
        let answered = (op.status != 204).then_some(accept);
        assert_eq!(
            content_type.as_deref(),
            answered,
            "{operation}: the answer's Content-Type"
        );
        let answer = request.header("authorization").unwrap_or_default();
        assert!(answer.starts_with("Digest "), "{operation}: {answer}");
        assert!(answer.contains(r#"username="test-public-key""#), "{answer}");
        assert!(
            answer.contains(&format!(r#"uri="{expected_path}""#)),
            "{answer}"
        );
    }
    assert_eq!(
        remaining,
        (22..50).rev().map(Some).collect::<Vec<_>>(),
        "RateLimit-Remaining counts down"
    );

    // Every operation of the spec was called, here or in the backup-domain test below: a new
    // operation needs a test in one of them.
    let called: BTreeSet<&str> = expected
        .iter()
        .map(|(op, ..)| *op)
        .chain(BACKUP_DOMAIN_OPERATIONS.iter().copied())
        .collect();
    let documented: BTreeSet<&str> = spec.operations.iter().map(|op| op.id.as_str()).collect();
    assert_eq!(called, documented);
}

/// The operations [`every_backup_domain_operation_sends_its_path_and_newest_version`] calls,
/// in its order.
const BACKUP_DOMAIN_OPERATIONS: [&str; 28] = [
    "getBackupSchedule",
    "updateBackupSchedule",
    "listExportBuckets",
    "createExportBucket",
    "getExportBucket",
    "updateBackupExportBucket",
    "listBackupExports",
    "createBackupExport",
    "getBackupExport",
    "getCompliancePolicy",
    "updateCompliancePolicy",
    "listBackupSnapshotDatabases",
    "getBackupSnapshotDatabase",
    "listSnapshotDatabaseCollections",
    "getSnapshotDatabaseCollection",
    "listCollectionRestoreJobs",
    "createCollectionRestoreJob",
    "getCollectionRestoreJob",
    "listRestoreJobCollections",
    "getRestoreJobCollection",
    "listBackupPrivateEndpoints",
    "createBackupPrivateEndpoint",
    "getBackupPrivateEndpoint",
    "deleteBackupPrivateEndpoint",
    "deleteExportBucket",
    "deleteBackupShardedCluster",
    "deleteClusterBackupSchedule",
    "disableCompliancePolicy",
];

/// One call of every operation of the backup domain beyond snapshots and restore jobs (the
/// schedule, export buckets and exports, the compliance policy, collection-level restore and
/// private endpoints); each request is checked against the spec: its method, its path with
/// the arguments filled in, the newest version in `Accept` (and in `Content-Type` for a
/// body), and an answer the client decoded.
#[tokio::test]
async fn every_backup_domain_operation_sends_its_path_and_newest_version() {
    use atlas_snapshots::models::{
        ApiAtlasCollectionRestoreJobRequest, ApiAtlasCollectionRestoreJobRequestIndexStrategy,
        ApiAtlasCollectionRestoreJobRequestWriteStrategy, CloudProvider,
        DataProtectionSettings20231001, DiskBackupExportJobRequest,
        DiskBackupSnapshotAwsExportBucketRequest,
        DiskBackupSnapshotAwsExportBucketRequestCloudProvider,
        DiskBackupSnapshotExportBucketRequest, DiskBackupSnapshotSchedule20240805,
        ObjectStoragePrivateEndpointRequest, UpdateRequirePrivateNetworkingRequestView,
    };
    let server = StandIn::start().await;
    let client = server.client_builder().build().expect("client");
    let spec = server.spec();
    let id_in = |operation: &str, field: &str| -> String {
        spec.operation(operation).newest_example()[field]
            .as_str()
            .unwrap_or_else(|| panic!("{operation}: no `{field}` in its example"))
            .to_owned()
    };
    let export = id_in("getBackupExport", "id");
    let job = id_in("getCollectionRestoreJob", "id");
    let endpoint = id_in("getBackupPrivateEndpoint", "id");
    let database = id_in("getBackupSnapshotDatabase", "name");
    let collection = id_in("getSnapshotDatabaseCollection", "name");
    let namespace = id_in("getRestoreJobCollection", "sourceNamespace");
    let cluster = DEDICATED_CLUSTER;
    let mut paths: Vec<(&str, String)> = Vec::new();
    macro_rules! call {
        ($operation:literal, $path:expr, $call:expr) => {{
            let answer = $call
                .send()
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", $operation));
            paths.push(($operation, $path));
            answer
        }};
    }
    let group = format!("/api/atlas/v2/groups/{GROUP_ID}");
    let schedule = format!("{group}/clusters/{cluster}/backup/schedule");
    call!(
        "getBackupSchedule",
        schedule.clone(),
        client.get_backup_schedule(GROUP_ID, cluster)
    );
    call!(
        "updateBackupSchedule",
        schedule.clone(),
        client.update_backup_schedule(
            GROUP_ID,
            cluster,
            DiskBackupSnapshotSchedule20240805::new(Vec::new())
        )
    );
    let buckets = format!("{group}/backup/exportBuckets");
    call!(
        "listExportBuckets",
        buckets.clone(),
        client.list_export_buckets(GROUP_ID)
    );
    let aws = DiskBackupSnapshotAwsExportBucketRequest::new(
        DiskBackupSnapshotAwsExportBucketRequestCloudProvider::Aws,
        "exports-eu".into(),
        "668c5f0ed436263134491592".into(),
    );
    let made = call!(
        "createExportBucket",
        buckets.clone(),
        client.create_export_bucket(
            GROUP_ID,
            DiskBackupSnapshotExportBucketRequest::Aws(Box::new(aws))
        )
    );
    // The AWS bucket just made: the version's update answers with the AWS bucket form.
    let bucket = serde_json::to_value(made.body()).unwrap()["_id"]
        .as_str()
        .expect("the new bucket's id")
        .to_owned();
    call!(
        "getExportBucket",
        format!("{buckets}/{bucket}"),
        client.get_export_bucket(GROUP_ID, &*bucket)
    );
    call!(
        "updateBackupExportBucket",
        format!("{buckets}/{bucket}"),
        client.update_backup_export_bucket(
            GROUP_ID,
            &*bucket,
            UpdateRequirePrivateNetworkingRequestView::new(true)
        )
    );
    let exports = format!("{group}/clusters/{cluster}/backup/exports");
    call!(
        "listBackupExports",
        exports.clone(),
        client.list_backup_exports(GROUP_ID, cluster)
    );
    call!(
        "createBackupExport",
        exports.clone(),
        client.create_backup_export(
            GROUP_ID,
            cluster,
            DiskBackupExportJobRequest::new(bucket.clone(), DEDICATED_SNAPSHOT.into())
        )
    );
    call!(
        "getBackupExport",
        format!("{exports}/{export}"),
        client.get_backup_export(GROUP_ID, cluster, &*export)
    );
    let policy = format!("{group}/backupCompliancePolicy");
    call!(
        "getCompliancePolicy",
        policy.clone(),
        client.get_compliance_policy(GROUP_ID)
    );
    call!(
        "updateCompliancePolicy",
        policy.clone(),
        client.update_compliance_policy(
            GROUP_ID,
            DataProtectionSettings20231001::new(
                "backup-owner@example.com".into(),
                "Ada".into(),
                "Lovelace".into()
            )
        )
    );
    let databases =
        format!("{group}/clusters/{cluster}/backup/snapshots/{DEDICATED_SNAPSHOT}/databases");
    call!(
        "listBackupSnapshotDatabases",
        databases.clone(),
        client.list_backup_snapshot_databases(GROUP_ID, cluster, DEDICATED_SNAPSHOT)
    );
    call!(
        "getBackupSnapshotDatabase",
        format!("{databases}/{database}"),
        client.get_backup_snapshot_database(GROUP_ID, cluster, DEDICATED_SNAPSHOT, &*database)
    );
    call!(
        "listSnapshotDatabaseCollections",
        format!("{databases}/{database}/collections"),
        client.list_snapshot_database_collections(
            GROUP_ID,
            cluster,
            DEDICATED_SNAPSHOT,
            &*database
        )
    );
    call!(
        "getSnapshotDatabaseCollection",
        format!("{databases}/{database}/collections/{collection}"),
        client.get_snapshot_database_collection(
            GROUP_ID,
            cluster,
            DEDICATED_SNAPSHOT,
            &*database,
            &*collection
        )
    );
    let jobs = format!("{group}/clusters/{cluster}/collectionRestoreJobs");
    call!(
        "listCollectionRestoreJobs",
        jobs.clone(),
        client.list_collection_restore_jobs(GROUP_ID, cluster)
    );
    let mut restore = ApiAtlasCollectionRestoreJobRequest::new(
        ApiAtlasCollectionRestoreJobRequestIndexStrategy::All,
        "staging-rs".into(),
        GROUP_ID.into(),
        ApiAtlasCollectionRestoreJobRequestWriteStrategy::CreateNew,
    );
    restore.snapshot_id = Some(DEDICATED_SNAPSHOT.into());
    call!(
        "createCollectionRestoreJob",
        jobs.clone(),
        client.create_collection_restore_job(GROUP_ID, cluster, restore)
    );
    call!(
        "getCollectionRestoreJob",
        format!("{jobs}/{job}"),
        client.get_collection_restore_job(GROUP_ID, cluster, &*job)
    );
    call!(
        "listRestoreJobCollections",
        format!("{jobs}/{job}/collections"),
        client.list_restore_job_collections(GROUP_ID, cluster, &*job)
    );
    call!(
        "getRestoreJobCollection",
        format!("{jobs}/{job}/collections/{namespace}"),
        client.get_restore_job_collection(GROUP_ID, cluster, &*job, &*namespace)
    );
    let endpoints = format!("{group}/backup/AWS/privateEndpoints");
    call!(
        "listBackupPrivateEndpoints",
        endpoints.clone(),
        client.list_backup_private_endpoints(GROUP_ID, CloudProvider::Aws)
    );
    call!(
        "createBackupPrivateEndpoint",
        endpoints.clone(),
        client.create_backup_private_endpoint(
            GROUP_ID,
            CloudProvider::Aws,
            ObjectStoragePrivateEndpointRequest::new()
        )
    );
    call!(
        "getBackupPrivateEndpoint",
        format!("{endpoints}/{endpoint}"),
        client.get_backup_private_endpoint(GROUP_ID, CloudProvider::Aws, &*endpoint)
    );
    call!(
        "deleteBackupPrivateEndpoint",
        format!("{endpoints}/{endpoint}"),
        client.delete_backup_private_endpoint(GROUP_ID, CloudProvider::Aws, &*endpoint)
    );
    call!(
        "deleteExportBucket",
        format!("{buckets}/{bucket}"),
        client.delete_export_bucket(GROUP_ID, &*bucket)
    );
    call!(
        "deleteBackupShardedCluster",
        format!(
            "{group}/clusters/{SHARDED_CLUSTER}/backup/snapshots/shardedCluster/{SHARDED_SNAPSHOT}"
        ),
        client.delete_backup_sharded_cluster(GROUP_ID, SHARDED_CLUSTER, SHARDED_SNAPSHOT)
    );
    call!(
        "deleteClusterBackupSchedule",
        schedule.clone(),
        client.delete_cluster_backup_schedule(GROUP_ID, cluster)
    );
    call!(
        "disableCompliancePolicy",
        policy.clone(),
        client.disable_compliance_policy(GROUP_ID)
    );

    let requests = server.requests();
    assert_eq!(requests.len(), BACKUP_DOMAIN_OPERATIONS.len());
    let newest = |media: Vec<&str>| media.into_iter().max().map(str::to_owned);
    for ((request, (operation, path)), listed) in
        requests.iter().zip(&paths).zip(BACKUP_DOMAIN_OPERATIONS)
    {
        assert_eq!(operation, &listed, "called in the listed order");
        let op = spec.operation(operation);
        assert_eq!(request.operation.as_deref(), Some(*operation));
        assert_eq!(request.method, op.method, "{operation}");
        assert_eq!(&request.path, path, "{operation}");
        let accept = newest(op.media.iter().map(|m| m.media_type.as_str()).collect());
        assert_eq!(
            request.header("accept").map(str::to_owned),
            accept,
            "{operation}"
        );
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| newest(b.media.iter().map(|(m, _)| m.as_str()).collect()));
        assert_eq!(
            request.header("content-type").map(str::to_owned),
            body,
            "{operation}"
        );
    }
}
