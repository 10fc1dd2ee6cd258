//! The runtime bounds what it takes from a server, over real HTTP against the stand-in: a body
//! larger than the client accepts (an API answer or a token answer) is a typed error, not a
//! memory spike; a server that ignores the page number or never stops paging ends the walk
//! with a typed error after the pages before it; a `Retry-After` in the past gets the backoff;
//! and credentials a server echoes back never reach an error message.

use atlas_snapshots::{
    AuthError, Client, Error, ErrorChain, ListRequest, PagingProblem, RetryPolicy, TokenError,
};
use base64::Engine;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

fn client(server: &StandIn) -> Client {
    server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_typed_error() {
    let server = StandIn::start().await;
    let big = format!("{{\"id\": \"{}\"}}", "x".repeat(1024 * 1024));
    server.inject(Fault::on("getFlexBackupSnapshot").status(200).raw(big));
    let limited = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let err = limited
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::BodyTooLarge {
            operation,
            status,
            limit,
            ..
        } => {
            assert_eq!(*operation, "getFlexBackupSnapshot");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*limit, 64 * 1024);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("65536 bytes"), "{err}");
    // The same answer fits the default limit (16 MiB).
    let read = client(&server)
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await;
    let id_length = read.ok().and_then(|r| r.into_inner().id).map(|id| id.len());
    assert_eq!(id_length, Some(1024 * 1024));
}

#[tokio::test]
async fn a_token_answer_over_its_limit_is_refused() {
    let server = StandIn::builder()
        .service_account("sa-id", "sa-secret")
        .pad_token_answers(256 * 1024)
        .start()
        .await;
    let client = server
        .client_builder()
        .service_account("sa-id", "sa-secret")
        .build()
        .unwrap();
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    let Error::Auth { source, .. } = &err else {
        panic!("expected an authentication error, got {err:?}");
    };
    match source.as_ref() {
        AuthError::Token(TokenError::Malformed { problem, .. }) => {
            assert!(problem.contains("larger than"), "{problem}");
        }
        other => panic!("expected a refused token answer, got {other:?}"),
    }
}

#[tokio::test]
async fn credentials_a_token_endpoint_echoes_never_reach_the_error() {
    let server = StandIn::builder()
        .service_account("sa-id", "right-secret")
        .echo_authorization_in_token_refusals()
        .start()
        .await;
    let secret = "wrong-5ecret-value";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("sa-id:{secret}"));
    let client = server
        .client_builder()
        .service_account("sa-id", secret)
        .build()
        .unwrap();
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    let chain = ErrorChain(&err).to_string();
    assert!(chain.contains("invalid_client"), "{chain}");
    assert!(
        chain.contains("Basic <redacted>"),
        "the echo is still recognisable: {chain}"
    );
    for shown in [chain, err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(&basic), "{shown}");
        assert!(!shown.contains(secret), "{shown}");
    }
}

/// A full page of two snapshots that claims many more: the same answer to every page number.
fn the_same_page_for_every_number(server: &StandIn) {
    let page = json!({
        "links": [],
        "results": [
            {"id": FLEX_SNAPSHOT, "status": "COMPLETED"},
            {"id": FLEX_OLDER_SNAPSHOT, "status": "COMPLETED"}
        ],
        "totalCount": 1_000_000_000u64
    });
    server.inject(Fault::on("listFlexBackupSnapshots").status(200).json(&page));
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_the_walk_with_an_error() {
    let server = StandIn::start().await;
    the_same_page_for_every_number(&server);
    let client = client(&server);
    for concurrency in [None, Some(4)] {
        let list = client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .items_per_page(2);
        let results: Vec<_> = match concurrency {
            None => list.items().collect().await,
            Some(n) => list.items_concurrent(n).collect().await,
        };
        assert_eq!(results.len(), 3, "{concurrency:?}: {results:?}");
        assert!(results[..2].iter().all(Result::is_ok));
        match &results[2] {
            Err(Error::Paging {
                operation,
                page,
                problem,
            }) => {
                assert_eq!(*operation, "listFlexBackupSnapshots");
                assert_eq!(*page, 2);
                assert_eq!(*problem, PagingProblem::Repeated);
            }
            other => panic!("{concurrency:?}: expected a paging error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_walk_stops_at_the_clients_page_cap() {
    let server = StandIn::builder().list_size(100).start().await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .max_pages(3)
        .build()
        .unwrap();
    let results: Vec<_> = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(10)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 31);
    assert!(results[..30].iter().all(Result::is_ok));
    assert!(
        matches!(
            &results[30],
            Err(Error::Paging {
                page: 4,
                problem: PagingProblem::Cap { pages: 3 },
                ..
            })
        ),
        "{:?}",
        results[30]
    );
    let pages_asked = server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("listFlexBackupSnapshots"))
        .count();
    assert_eq!(pages_asked, 3, "no page past the cap is asked for");
    // Without the cap the same list is walked to its end.
    let all: Vec<_> = server
        .client_builder()
        .build()
        .unwrap()
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 100);
}

#[tokio::test]
async fn a_retry_after_in_the_past_gets_the_backoff() {
    let server = StandIn::start().await;
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    server.inject(Fault::too_many_requests("listFlexBackupSnapshots", &past).times(1));
    let policy = RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(400))
        .max_backoff(Duration::from_millis(400));
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    let page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the retry succeeds");
    let waited = started.elapsed();
    assert!(!page.results.is_empty());
    assert_eq!(server.request_count(), 2);
    // Equal jitter waits at least half the backoff step.
    assert!(
        waited >= Duration::from_millis(200),
        "a Retry-After in the past must not skip the backoff: {waited:?}"
    );
}
