//! The list operations' `pages()` and `items()` streams against the stand-in server, which
//! pages the spec's list examples by `pageNum` and `itemsPerPage`: every item arrives once, in
//! order, the walk stops at `totalCount` or on a short page, pages are fetched only when
//! needed, and an error ends the stream.

use atlas_snapshots::ListRequest;
use futures_util::{StreamExt, TryStreamExt};
use std::pin::pin;
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

fn example_ids(server: &StandIn, operation: &str) -> Vec<String> {
    server.spec().operation(operation).newest_example()["results"]
        .as_array()
        .expect("a list example")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn pages_asked(server: &StandIn) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.query_value("pageNum").unwrap_or("-").to_owned())
        .collect()
}

#[tokio::test]
async fn items_walk_every_page_and_stop_at_the_total() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let items: Vec<_> = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(1)
        .items()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<String> = items.iter().filter_map(|s| s.id.clone()).collect();
    assert_eq!(ids, example_ids(&server, "listFlexBackupSnapshots"));
    assert_eq!(ids, [FLEX_SNAPSHOT, FLEX_OLDER_SNAPSHOT]);
    // totalCount is 2: no third request for an empty page.
    assert_eq!(pages_asked(&server), ["1", "2"]);
    for request in server.requests() {
        assert_eq!(request.query_value("itemsPerPage"), Some("1"));
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn without_a_count_the_walk_ends_on_an_empty_page() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let items: Vec<_> = client
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .items_per_page(1)
        .include_count(false)
        .items()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<&str> = items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, example_ids(&server, "listTenantBackupSnapshotsV1"));
    assert_eq!(pages_asked(&server), ["1", "2", "3"]);
}

#[tokio::test]
#[allow(deprecated)]
async fn a_short_page_is_the_last_one() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let pages: Vec<_> = client
        .list_cluster_backup_snapshots(GROUP_ID, TENANT_CLUSTER)
        .include_count(false)
        .pages()
        .try_collect()
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    let ids: Vec<String> = pages[0]
        .results
        .iter()
        .flatten()
        .filter_map(|s| s.id.clone())
        .collect();
    assert_eq!(ids, example_ids(&server, "listClusterBackupSnapshots"));
    assert_eq!(pages_asked(&server), ["1"]);
}

#[tokio::test]
#[allow(deprecated)]
async fn pages_start_at_the_page_asked_for() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let pages: Vec<_> = client
        .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
        .items_per_page(1)
        .page_num(2)
        .pages()
        .try_collect()
        .await
        .expect("the last page");
    assert_eq!(pages.len(), 1);
    let expected = &example_ids(&server, "listServerlessBackupSnapshotsV1")[1];
    assert_eq!(&pages[0].results[0].id, expected);
    assert_eq!(pages_asked(&server), ["2"]);
}

/// Pages are fetched one at a time as the stream is polled; a failing page ends the stream
/// after the items before it were delivered.
#[tokio::test]
#[allow(deprecated)]
async fn a_failing_page_ends_the_stream_after_the_pages_before_it() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let mut items = pin!(client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .items_per_page(1)
        .items());
    let first = items.next().await.expect("an item").expect("page 1");
    assert_eq!(first.id.as_deref(), Some(SERVERLESS_SNAPSHOT));
    assert_eq!(server.request_count(), 1, "page 2 is not fetched yet");

    server.inject(
        Fault::on("listServerlessBackupSnapshots")
            .status(500)
            .json(server.spec().error_example("internalServerError")),
    );
    let err = items
        .next()
        .await
        .expect("the error is delivered")
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        Some("UNEXPECTED_ERROR")
    );
    assert!(items.next().await.is_none(), "nothing after an error");
    assert_eq!(pages_asked(&server), ["1", "2"]);
}

#[tokio::test]
async fn invalid_parameters_end_the_stream_before_anything_is_sent() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let results: Vec<_> = client
        .list_flex_backup_snapshots("abc", FLEX_CLUSTER)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(
        matches!(
            &results[0],
            Err(atlas_snapshots::Error::InvalidRequest { .. })
        ),
        "{results:?}"
    );
    assert_eq!(server.request_count(), 0);
}
