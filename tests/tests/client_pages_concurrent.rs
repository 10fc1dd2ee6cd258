//! `pages_concurrent()` and `items_concurrent()` against a stand-in serving thousands of
//! generated snapshots (`list_size`): the same items as the sequential walk, in order, with no
//! more than `limit` requests in flight (counted by the server), a fallback to the sequential
//! walk without `totalCount`, and a failed page delivered after every page before it. Also
//! `envelope=true` answers, which decode into the same types as plain ones.

use atlas_snapshots::{Client, Error, ListRequest};
use futures_util::{StreamExt, TryStreamExt};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const FLEX_LIST: &str = "listFlexBackupSnapshots";

fn client(server: &StandIn) -> Client {
    server.client_builder().build().expect("client")
}

fn pages_asked(server: &StandIn) -> Vec<u64> {
    let mut asked: Vec<u64> = server
        .requests()
        .iter()
        .filter_map(|r| r.query_value("pageNum")?.parse().ok())
        .collect();
    asked.sort_unstable();
    asked
}

async fn sequential_ids(client: &Client, per_page: i32) -> Vec<String> {
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(per_page)
        .items()
        .map_ok(|snapshot| snapshot.id.expect("an id"))
        .try_collect()
        .await
        .expect("every page")
}

#[tokio::test]
async fn the_concurrent_walk_delivers_the_sequential_items_in_order() {
    let server = StandIn::builder().list_size(2345).start().await;
    let client = client(&server);
    let sequential = sequential_ids(&client, 500).await;
    assert_eq!(sequential.len(), 2345);
    let mut sorted = sequential.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, sequential, "unique ids, in list order");
    assert_eq!(pages_asked(&server), [1, 2, 3, 4, 5]);

    server.take_requests();
    let concurrent: Vec<String> = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(500)
        .items_concurrent(3)
        .map_ok(|snapshot| snapshot.id.expect("an id"))
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(concurrent, sequential);
    assert_eq!(pages_asked(&server), [1, 2, 3, 4, 5], "each page once");

    // A generated id is found by the get operation.
    let last = client
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, sequential.last().unwrap())
        .send()
        .await
        .expect("the last generated snapshot");
    assert_eq!(last.id.as_ref(), sequential.last());
}

#[tokio::test]
async fn no_more_than_limit_pages_are_in_flight() {
    // The latency keeps requests open long enough to overlap.
    let server = StandIn::builder()
        .list_size(2000)
        .latency(Duration::from_millis(20))
        .start()
        .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .pages_concurrent(4)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(pages.len(), 20);
    assert!(pages.iter().all(|page| page.results.len() == 100));
    let most = server.max_in_flight();
    assert!(most <= 4, "{most} requests were in flight at once");
    assert!(most >= 2, "the pages were fetched one at a time");

    server.reset_max_in_flight();
    let sequential = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .pages()
        .count()
        .await;
    assert_eq!(sequential, 20);
    assert_eq!(server.max_in_flight(), 1);
}

#[tokio::test]
async fn without_a_total_the_concurrent_walk_is_sequential() {
    let server = StandIn::builder()
        .list_size(450)
        .latency(Duration::from_millis(5))
        .start()
        .await;
    let items: Vec<_> = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .include_count(false)
        .items_concurrent(8)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(items.len(), 450);
    // In order, one at a time, up to the short page.
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query_value("pageNum").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(asked, ["1", "2", "3", "4", "5"]);
    assert_eq!(server.max_in_flight(), 1);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_every_page_before_it() {
    let server = StandIn::builder().list_size(1000).start().await;
    server.inject(
        Fault::on(FLEX_LIST)
            .status(500)
            .raw("page four is lost")
            .when_query("pageNum", "4"),
    );
    let results: Vec<Result<_, Error>> = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .items_concurrent(3)
        .collect()
        .await;
    let (items, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    assert_eq!(items.len(), 300, "pages 1 to 3 arrived");
    assert_eq!(errors.len(), 1, "the stream ended with the error");
    let err = errors.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.to_string().contains(FLEX_LIST), "{err}");
    let reference = sequential_ids(
        &client(&StandIn::builder().list_size(1000).start().await),
        100,
    )
    .await;
    let delivered: Vec<String> = items
        .into_iter()
        .map(|item| item.unwrap().id.unwrap())
        .collect();
    assert_eq!(delivered, reference[..300]);
    // Pages in flight when page 4 failed may have been asked for; none after the window.
    let asked = pages_asked(&server);
    assert!(asked.iter().all(|page| *page <= 4 + 3), "{asked:?}");
}

#[tokio::test]
async fn enveloped_answers_decode_into_the_same_types() {
    let server = StandIn::builder().list_size(250).start().await;
    let client = client(&server);
    let plain = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .page_num(2)
        .send()
        .await
        .expect("a plain page");
    let enveloped = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .page_num(2)
        .envelope(true)
        .send()
        .await
        .expect("an enveloped page");
    assert_eq!(enveloped.into_inner(), plain.into_inner());

    // The concurrent walk reads `totalCount` from inside the envelope.
    server.take_requests();
    let ids: Vec<_> = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(100)
        .envelope(true)
        .items_concurrent(2)
        .try_collect()
        .await
        .expect("every enveloped page");
    assert_eq!(ids.len(), 250);
    assert_eq!(pages_asked(&server), [1, 2, 3]);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.query_value("envelope") == Some("true")));

    // A single resource, in `{"status": 200, "content": ...}`.
    let id = ids[42].id.clone().unwrap();
    let snapshot = client
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, &id)
        .envelope(true)
        .send()
        .await
        .expect("an enveloped snapshot");
    assert_eq!(snapshot.status(), 200);
    assert_eq!(snapshot.into_inner(), ids[42]);

    // An error answers 200 on the wire and is still the typed error.
    let wire = reqwest::Client::new()
        .get(format!(
            "{}/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/snapshots/{UNKNOWN_SNAPSHOT}?envelope=true",
            server.base_url()
        ))
        .header("accept", "application/vnd.atlas.2024-11-13+json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(wire.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(&wire.bytes().await.unwrap()).unwrap();
    assert_eq!(body["status"], 404);
    let err = client
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, UNKNOWN_SNAPSHOT)
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let not_found = server.spec().error_example("notFound");
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        not_found["errorCode"].as_str()
    );
}
