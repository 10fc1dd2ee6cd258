//! Settings for one request only, over real HTTP against the stand-in: an extra header, a
//! version pin, a retry policy and a timeout that apply to that request and leave the client's
//! settings, and the next request, as they were.

use atlas_snapshots::{Error, RequestOptions, RetryPolicy};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const OPERATION: &str = "listServerlessBackupSnapshots";

#[tokio::test]
#[allow(deprecated)]
async fn headers_and_a_version_pin_apply_to_one_request_only() {
    let server = StandIn::start().await;
    // Pinned before every version the operation has: only the request's own pin lets it go.
    let client = server
        .client_builder()
        .api_version("2022-06-01")
        .build()
        .unwrap();
    let options = RequestOptions::new()
        .header("x-request-id", "3f0c")
        .api_version("2023-01-01");
    client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .request_options(options)
        .send()
        .await
        .expect("the request's pin overrides the client's");
    let err = client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the client's own pin still refuses");
    assert_eq!(requests[0].headers["x-request-id"], "3f0c");
    assert_eq!(
        requests[0].headers["accept"],
        "application/vnd.atlas.2023-01-01+json"
    );
    // Extra headers belong to their request only.
    client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .request_options(RequestOptions::new().api_version("2023-01-01"))
        .send()
        .await
        .unwrap();
    assert!(server.requests()[1].headers.get("x-request-id").is_none());
}

#[tokio::test]
async fn a_pin_older_than_the_operation_fails_before_sending() {
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .request_options(RequestOptions::new().api_version("2023-01-01"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err:?}");
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .request_options(RequestOptions::new().api_version("soon"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .request_options(RequestOptions::new().header("accept", "text/html"))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is set by the client"), "{err}");
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[tokio::test]
#[allow(deprecated)]
async fn a_retry_policy_and_a_timeout_for_one_request() {
    let server = StandIn::start().await;
    let quick = RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(5));
    let client = server.client_builder().retry_policy(quick).build().unwrap();
    server.inject(Fault::on(OPERATION).status(503).raw("busy"));
    let err = client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .request_options(RequestOptions::new().retry_policy(RetryPolicy::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.request_count(), 1, "one attempt for this request");
    let _ = client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await;
    assert_eq!(
        server.request_count(),
        4,
        "the client's three attempts for the next"
    );

    server.clear_faults();
    server.inject(Fault::slow(OPERATION, Duration::from_secs(2)));
    let err = client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .request_options(
            RequestOptions::new()
                .timeout(Duration::from_millis(100))
                .retry_policy(RetryPolicy::disabled()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}
