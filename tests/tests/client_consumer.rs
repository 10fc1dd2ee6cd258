//! The `snapshot-consumer` crate, an ordinary downstream user of the client, against the
//! stand-in server: it pages through the Flex snapshots and reports the latest completed one.

use serde_json::json;
use snapshot_consumer::{
    latest_completed_snapshot, latest_completed_snapshot_paged, SnapshotError, SnapshotSummary,
};
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

fn flex_example(server: &StandIn) -> serde_json::Value {
    server
        .spec()
        .operation("listFlexBackupSnapshots")
        .newest_example()
        .clone()
}

#[tokio::test]
async fn finds_the_latest_completed_snapshot_of_the_spec_example() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let latest = latest_completed_snapshot(&client, GROUP_ID, FLEX_CLUSTER)
        .await
        .expect("the example lists snapshots");
    assert_eq!(
        latest,
        Some(SnapshotSummary {
            id: FLEX_SNAPSHOT.to_owned(),
            finished_at: "2025-05-04T06:02:19Z".parse().unwrap(),
            mongodb_version: Some("8.0.9".to_owned()),
            expires_at: Some("2025-05-11T06:02:19Z".parse().unwrap()),
        })
    );
    // Both snapshots fit on the first page: one request.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].query_value("pageNum"), Some("1"));
    assert_eq!(requests[0].query_value("itemsPerPage"), Some("100"));
}

#[tokio::test]
async fn walks_every_page_and_stops_at_the_total() {
    let server = StandIn::start().await;
    // The newer snapshot failed, so the older one, on page 2, is the answer.
    let mut example = flex_example(&server);
    example["results"][0]["status"] = json!("FAILED");
    let older_finish = example["results"][1]["finishTime"]
        .as_str()
        .unwrap()
        .to_owned();
    let [first, second] = [0, 1].map(|i| {
        let mut page = example.clone();
        page["results"] = json!([example["results"][i].clone()]);
        page
    });
    // Newest fault first: page 1, then page 2.
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(200)
            .json(&second)
            .times(1),
    );
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(200)
            .json(&first)
            .times(1),
    );

    let client = server.client_builder().build().unwrap();
    let latest = latest_completed_snapshot_paged(&client, GROUP_ID, FLEX_CLUSTER, 1)
        .await
        .expect("two pages")
        .expect("a completed snapshot");
    assert_eq!(latest.id, FLEX_OLDER_SNAPSHOT);
    assert_eq!(
        latest.finished_at,
        older_finish
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    let pages: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query_value("pageNum").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(pages, ["1", "2"], "totalCount 2 reached after page 2");
}

#[tokio::test]
async fn pages_of_the_stand_in_itself_are_followed_to_the_end() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let latest = latest_completed_snapshot_paged(&client, GROUP_ID, FLEX_CLUSTER, 1)
        .await
        .expect("pages")
        .expect("a completed snapshot");
    assert_eq!(latest.id, FLEX_SNAPSHOT);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn no_completed_snapshot_is_none() {
    let server = StandIn::start().await;
    let mut example = flex_example(&server);
    for snapshot in example["results"].as_array_mut().unwrap() {
        snapshot["status"] = json!("RUNNING");
    }
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(200)
            .json(&example),
    );
    let client = server.client_builder().build().unwrap();
    assert_eq!(
        latest_completed_snapshot(&client, GROUP_ID, FLEX_CLUSTER)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_completed_snapshot_without_finish_time_is_reported() {
    let server = StandIn::start().await;
    let mut example = flex_example(&server);
    example["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("finishTime");
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(200)
            .json(&example),
    );
    let client = server.client_builder().build().unwrap();
    let err = latest_completed_snapshot(&client, GROUP_ID, FLEX_CLUSTER)
        .await
        .unwrap_err();
    match &err {
        SnapshotError::Incomplete { id, missing } => {
            assert_eq!(id.as_deref(), Some(FLEX_OLDER_SNAPSHOT));
            assert_eq!(*missing, "finishTime");
        }
        other => panic!("expected Incomplete, got {other:?}"),
    }
    assert!(err.to_string().contains(FLEX_OLDER_SNAPSHOT), "{err}");
}

#[tokio::test]
async fn client_errors_come_through_with_their_status() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(404)
            .json(server.spec().error_example("notFound")),
    );
    let client = server.client_builder().build().unwrap();
    let err = latest_completed_snapshot(&client, GROUP_ID, FLEX_CLUSTER)
        .await
        .unwrap_err();
    match &err {
        SnapshotError::Atlas(inner) => {
            assert_eq!(inner.status().map(|s| s.as_u16()), Some(404));
            assert_eq!(
                inner.api_error().map(|e| e.error_code.as_str()),
                Some("RESOURCE_NOT_FOUND")
            );
        }
        other => panic!("expected Atlas, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.to_string().contains("listFlexBackupSnapshots"), "{err}");

    // Invalid input never reaches the server.
    let err = latest_completed_snapshot(&client, "not-a-group", FLEX_CLUSTER)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SnapshotError::Atlas(inner)
            if matches!(**inner, atlas_snapshots::Error::InvalidRequest { .. })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 1);
}

/// The backup workflow of the example program, step by step against the stand-in, which
/// keeps the snapshot and the restore job and moves them on as they are polled.
#[tokio::test]
async fn the_lifecycle_workflow_takes_waits_retains_restores_and_deletes() {
    use atlas_snapshots::WaitPolicy;
    use snapshot_consumer::lifecycle::{run, Plan, Step};
    use std::time::Duration;

    let server = StandIn::builder().polls_per_stage(2).start().await;
    let client = server.client_builder().build().unwrap();
    let plan = Plan {
        group_id: GROUP_ID.to_owned(),
        cluster: DEDICATED_CLUSTER.to_owned(),
        restore_into: "staging-rs".to_owned(),
        keep_days: 7,
        shortened_days: 1,
        wait: WaitPolicy::new()
            .interval(Duration::from_millis(5))
            .deadline(Duration::from_secs(5)),
    };
    let mut printed = Vec::new();
    let steps = run(&client, &plan, |step| printed.push(step.to_string()))
        .await
        .expect("the workflow runs to its end");
    let Step::Taken { snapshot, status } = &steps[0] else {
        panic!("{steps:?}");
    };
    assert_eq!(status, "queued");
    let names: Vec<&str> = steps
        .iter()
        .map(|s| match s {
            Step::Taken { .. } => "taken",
            Step::Completed { .. } => "completed",
            Step::RetentionShortened { .. } => "retention",
            Step::Listed { .. } => "listed",
            Step::RestoreStarted { .. } => "restore",
            Step::RestoreFinished { .. } => "restored",
            Step::Deleted { .. } => "deleted",
        })
        .collect();
    assert_eq!(
        names,
        [
            "taken",
            "completed",
            "retention",
            "listed",
            "restore",
            "restored",
            "deleted"
        ]
    );
    assert_eq!(printed.len(), 7);
    assert!(printed[2].contains("now expires at"), "{}", printed[2]);
    let Step::Listed { snapshots } = &steps[3] else {
        panic!("{steps:?}");
    };
    assert!(
        snapshots.contains(&(snapshot.clone(), "completed".to_owned())),
        "{snapshots:?}"
    );
    let operations: Vec<String> = server
        .requests()
        .into_iter()
        .filter_map(|r| r.operation)
        .collect();
    // Each stage lasts two polls, the answer to the take counting as the first `queued` one:
    // queued, inProgress, inProgress, completed; the restore job runs, then has finished.
    let polls = |id: &str| operations.iter().filter(|o| *o == id).count();
    assert_eq!(polls("getClusterBackupSnapshot"), 4);
    assert_eq!(polls("getBackupRestoreJob"), 2);
    assert_eq!(
        operations.first().map(String::as_str),
        Some("takeSnapshots")
    );
    assert_eq!(
        operations.last().map(String::as_str),
        Some("deleteClusterBackupSnapshot")
    );
    let gone = client
        .get_cluster_backup_snapshot(GROUP_ID, DEDICATED_CLUSTER, snapshot.as_str())
        .send()
        .await;
    assert!(gone.is_err(), "{gone:?}");
}

/// The export workflow of the second example program against the stand-in: a schedule change,
/// a bucket, an export waited for until `Successful`, and a deletion waited for until the
/// snapshot's get answers 404.
#[tokio::test]
async fn the_export_workflow_changes_the_schedule_exports_and_waits_for_the_deletion() {
    use atlas_snapshots::WaitPolicy;
    use snapshot_consumer::export::{run, ExportPlan, ExportStep};
    use std::time::Duration;

    let server = StandIn::builder().polls_per_stage(2).start().await;
    let client = server.client_builder().build().unwrap();
    let plan = ExportPlan {
        group_id: GROUP_ID.to_owned(),
        cluster: DEDICATED_CLUSTER.to_owned(),
        snapshot: DEDICATED_SNAPSHOT.to_owned(),
        bucket_name: "acme-atlas-exports".to_owned(),
        iam_role_id: "6821a0b2c2b1d0e9f8a7b5f0".to_owned(),
        wait: WaitPolicy::new()
            .interval(Duration::from_millis(5))
            .deadline(Duration::from_secs(5)),
    };
    let mut printed = Vec::new();
    let steps = run(&client, &plan, |step| printed.push(step.to_string()))
        .await
        .expect("the workflow runs to its end");
    assert_eq!(steps[0], ExportStep::ScheduleChanged { auto_export: true });
    let ExportStep::BucketRegistered { bucket } = &steps[1] else {
        panic!("{steps:?}");
    };
    let ExportStep::ExportStarted { export, state } = &steps[2] else {
        panic!("{steps:?}");
    };
    assert_eq!(state, "Queued");
    assert_eq!(
        steps[3],
        ExportStep::Exported {
            export: export.clone(),
            state: "Successful".to_owned()
        }
    );
    assert_eq!(
        steps[4],
        ExportStep::SnapshotGone {
            snapshot: DEDICATED_SNAPSHOT.to_owned(),
            polls: 1
        }
    );
    assert_eq!(printed.len(), 5);
    let requests = server.requests();
    let sent = |operation: &str| {
        requests
            .iter()
            .find(|r| r.operation.as_deref() == Some(operation))
            .unwrap_or_else(|| panic!("no {operation}"))
            .body_json()
    };
    assert_eq!(sent("updateBackupSchedule")["autoExportEnabled"], true);
    assert_eq!(
        sent("updateBackupSchedule")["export"]["frequencyType"],
        "monthly"
    );
    assert_eq!(
        sent("createBackupExport")["exportBucketId"],
        bucket.as_str()
    );
    let polls = requests
        .iter()
        .filter(|r| r.operation.as_deref() == Some("getBackupExport"))
        .count();
    // Each stage moves on at its second poll: Queued, then InProgress twice, then Successful.
    assert_eq!(polls, 4, "Queued, InProgress, InProgress, Successful");
}

#[tokio::test]
async fn a_missing_cluster_is_no_snapshot_for_the_consumer() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(404)
            .json(server.spec().error_example("notFound")),
    );
    let client = server.client_builder().build().unwrap();
    let found = snapshot_consumer::latest_completed_snapshot_or_none(&client, GROUP_ID, "gone")
        .await
        .expect("a 404 with RESOURCE_NOT_FOUND is no snapshot");
    assert_eq!(found, None);
    // Other failures stay errors.
    server.clear_faults();
    server.inject(Fault::on("listFlexBackupSnapshots").status(500).raw("oops"));
    let failed =
        snapshot_consumer::latest_completed_snapshot_or_none(&client, GROUP_ID, FLEX_CLUSTER).await;
    assert!(failed.is_err());
}
