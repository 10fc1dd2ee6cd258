//! How the committed client copes with a server that misbehaves: GETs are retried after a
//! 429 (waiting out `Retry-After`), a 5xx, a timeout or a broken connection, a POST that may
//! have been processed is not (the rules for every method: `client_lifecycle.rs`); the last
//! error comes back when the attempts run out; cut-off and malformed bodies,
//! enum values the spec does not list, and refused API versions each end in a typed answer
//! naming the operation; and every attempt is traced in a span of its own.

use atlas_snapshots::models::ServerlessBackupSnapshotStatus;
use atlas_snapshots::RetryPolicy;
use atlas_snapshots::{Client, Error};
use atlas_snapshots_runtime::__private::{HttpMethod, MediaVersion, OperationInfo, Request};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime};
use workspace_tests::fault::VERSION_GONE_ERROR_CODE;
use workspace_tests::ids::*;
use workspace_tests::server::NOT_ACCEPTABLE_ERROR_CODE;
use workspace_tests::{Fault, Spec, StandIn};

const FLEX_LIST: &str = "listFlexBackupSnapshots";
const FLEX_MEDIA: &str = "application/vnd.atlas.2024-11-13+json";

/// Retries with backoffs of a few milliseconds, so the tests stay fast.
fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
}

fn client(server: &StandIn, policy: RetryPolicy) -> Client {
    server
        .client_builder()
        .retry_policy(policy)
        .build()
        .expect("client")
}

fn flex_list_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/snapshots")
}

async fn list_flex(client: &Client) -> Result<usize, Error> {
    let page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await?;
    Ok(page.results.len())
}

fn assert_names_the_request(err: &Error, operation: &str, path: &str) {
    let message = err.to_string();
    assert!(message.contains(operation), "{message}");
    assert!(message.contains(&format!("GET {path}")), "{message}");
    assert_eq!(err.operation(), operation);
}

#[tokio::test]
async fn server_errors_are_retried_until_an_attempt_succeeds() {
    let server = StandIn::start().await;
    server.inject(Fault::on(FLEX_LIST).status(500).raw("oops").times(1));
    server.inject(Fault::on(FLEX_LIST).status(503).raw("busy").times(1));
    let listed = list_flex(&client(&server, quick_retries(3)))
        .await
        .expect("the third attempt gets the spec's answer");
    assert_eq!(listed, 2);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn when_the_attempts_run_out_the_last_error_is_returned() {
    let server = StandIn::start().await;
    let example = server.spec().error_example("internalServerError").clone();
    // Faults injected later answer first: two 503s, then the documented 500.
    server.inject(Fault::on(FLEX_LIST).status(500).json(&example));
    server.inject(Fault::on(FLEX_LIST).status(503).raw("busy").times(2));
    let err = list_flex(&client(&server, quick_retries(3)))
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 3);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        example["errorCode"].as_str()
    );
    assert_names_the_request(&err, FLEX_LIST, &flex_list_path());

    // The default policy makes three attempts too; a disabled one makes a single attempt.
    server.take_requests();
    let default = server
        .client_builder()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    list_flex(&default).await.unwrap_err();
    assert_eq!(server.take_requests().len(), 3);
    list_flex(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn a_429_waits_out_retry_after_in_seconds() {
    let server = StandIn::start().await;
    server.inject(Fault::too_many_requests(FLEX_LIST, "1").times(1));
    let started = Instant::now();
    let listed = list_flex(&client(&server, quick_retries(3))).await;
    let waited = started.elapsed();
    assert_eq!(listed.expect("the retry succeeds"), 2);
    assert_eq!(server.request_count(), 2);
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After: 1 was not waited out: {waited:?}"
    );
}

#[tokio::test]
async fn a_429_waits_out_retry_after_as_an_http_date() {
    let server = StandIn::start().await;
    // Two seconds ahead, rounded down to the second: a wait of more than one second.
    let at = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + Duration::from_secs(2));
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    server.inject(Fault::too_many_requests(FLEX_LIST, &date).times(1));
    let started = Instant::now();
    let listed = list_flex(&client(&server, quick_retries(3))).await;
    let waited = started.elapsed();
    assert_eq!(listed.expect("the retry succeeds"), 2);
    assert_eq!(server.request_count(), 2);
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After: {date} was not waited out: {waited:?}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_is_a_clear_error_at_once() {
    let server = StandIn::start().await;
    server.inject(Fault::too_many_requests(FLEX_LIST, "120"));
    let policy = quick_retries(3).max_retry_after(Duration::from_secs(30));
    let err = list_flex(&client(&server, policy)).await.unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(
        matches!(&err, Error::RetryAfterTooLong { asked, allowed, .. }
            if *asked == Duration::from_secs(120) && *allowed == Duration::from_secs(30)),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("wait 120 s") && message.contains("30 s"),
        "{message}"
    );
    assert!(err.is_rate_limited() && err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let example = server.spec().error_example("tooManyRequests");
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        example["errorCode"].as_str()
    );
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let server = StandIn::start().await;
    let client = client(&server, quick_retries(3));
    for (status, name) in [(400, "badRequest"), (403, "forbidden"), (404, "notFound")] {
        let example = server.spec().error_example(name).clone();
        server.inject(Fault::on(FLEX_LIST).status(status).json(&example));
        let err = list_flex(&client).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.take_requests().len(), 1, "{status} is not retried");
    }
}

/// A spec with one POST operation, for the stand-in to serve.
fn spec_with_a_post() -> &'static Spec {
    let error = |status: u16, code: &str| json!({"content": {"application/json": {"example": {"error": status, "errorCode": code}}}});
    let doc = json!({
        "paths": {"/api/things": {"post": {
            "operationId": "createThing",
            "responses": {"200": {"content": {"application/json": {"example": {"id": "1"}}}}}
        }}},
        "components": {"responses": {
            "unauthorized": error(401, "UNAUTHORIZED"),
            "notFound": error(404, "RESOURCE_NOT_FOUND"),
        }}
    });
    Box::leak(Box::new(Spec::from_document(&doc).expect("a valid spec")))
}

static CREATE_THING: OperationInfo = OperationInfo {
    id: "createThing",
    method: HttpMethod::Post,
    path: "/api/things",
    responses: &[MediaVersion {
        version: None,
        media_type: "application/json",
        sunset: None,
    }],
    requests: &[MediaVersion {
        version: None,
        media_type: "application/json",
        sunset: None,
    }],
    auth: &[],
    params: &[],
    deprecation: None,
};

#[tokio::test]
async fn a_post_is_not_retried_after_a_503() {
    let server = StandIn::builder().spec(spec_with_a_post()).start().await;
    let client = client(&server, quick_retries(3));
    server.inject(Fault::on("createThing").status(503).raw("busy"));
    let mut request = Request::new(&client, &CREATE_THING);
    request.json_body(&json!({"name": "one"}));
    let err = request.send::<Value, Value>().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.request_count(), 1);

    server.clear_faults();
    let mut request = Request::new(&client, &CREATE_THING);
    request.json_body(&json!({"name": "two"}));
    let created = request
        .send::<Value, Value>()
        .await
        .expect("the spec answer");
    assert_eq!(created.body(), &json!({"id": "1"}));
}

#[tokio::test]
async fn a_timed_out_request_is_a_transport_error_and_is_retried() {
    let server = StandIn::start().await;
    server.inject(Fault::slow(FLEX_LIST, Duration::from_secs(5)).times(1));
    let patient = server
        .client_builder()
        .timeout(Duration::from_millis(200))
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    assert_eq!(list_flex(&patient).await.expect("the retry is answered"), 2);
    assert_eq!(server.take_requests().len(), 2);

    server.inject(Fault::slow(FLEX_LIST, Duration::from_secs(5)));
    let once = server
        .client_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = list_flex(&once).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.status(), None);
    assert_names_the_request(&err, FLEX_LIST, &flex_list_path());
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    // The first connection is accepted and closed unanswered; then the stand-in takes over
    // the same port.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let handover = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("the first attempt");
        drop(socket);
        drop(listener);
        StandIn::builder().port(port).start().await
    });
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(8)
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    let listed = list_flex(&client).await;
    let server = handover.await.unwrap();
    assert_eq!(listed.expect("a later attempt reaches the stand-in"), 2);
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_cut_off_body_is_a_transport_error_naming_the_operation() {
    let server = StandIn::start().await;
    server.inject(Fault::truncated(FLEX_LIST));
    let err = list_flex(&client(&server, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_names_the_request(&err, FLEX_LIST, &flex_list_path());
    assert_eq!(server.take_requests().len(), 1);

    // A GET is read again.
    server.clear_faults();
    server.inject(Fault::truncated(FLEX_LIST).times(1));
    let listed = list_flex(&client(&server, quick_retries(3))).await;
    assert_eq!(listed.expect("the second read is whole"), 2);
    assert_eq!(server.take_requests().len(), 2);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_and_not_retried() {
    let server = StandIn::start().await;
    server.inject(Fault::malformed_json(FLEX_LIST));
    let err = list_flex(&client(&server, quick_retries(3)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_names_the_request(&err, FLEX_LIST, &flex_list_path());
    assert_eq!(server.request_count(), 1, "a complete 200 is not retried");
}

#[tokio::test]
#[allow(deprecated)]
async fn an_enum_value_the_spec_does_not_list_decodes_as_unknown() {
    let server = StandIn::start().await;
    server.inject(Fault::changed(
        "getServerlessBackupSnapshot",
        "/status",
        json!("archiving"),
    ));
    let snapshot = client(&server, RetryPolicy::disabled())
        .get_serverless_backup_snapshot(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .send()
        .await
        .expect("an unlisted value still decodes");
    assert_eq!(
        snapshot.status,
        Some(ServerlessBackupSnapshotStatus::Unknown(
            "archiving".to_owned()
        ))
    );
    assert_eq!(snapshot.id.as_deref(), Some(SERVERLESS_SNAPSHOT));
}

#[tokio::test]
async fn a_retired_version_is_a_typed_error_naming_the_version_asked() {
    let server = StandIn::start().await;
    server.inject(Fault::version_gone(FLEX_LIST));
    let err = list_flex(&client(&server, quick_retries(3)))
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1, "a 410 is not retried");
    match &err {
        Error::VersionRejected {
            status, requested, ..
        } => {
            assert_eq!(status.as_u16(), 410);
            assert_eq!(*requested, FLEX_MEDIA);
        }
        other => panic!("expected VersionRejected, got {other:?}"),
    }
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        Some(VERSION_GONE_ERROR_CODE)
    );
    assert!(err.to_string().contains(FLEX_MEDIA), "{err}");
    assert_names_the_request(&err, FLEX_LIST, &flex_list_path());
}

#[tokio::test]
#[allow(deprecated)]
async fn an_unacceptable_version_is_a_typed_error_naming_the_version_asked() {
    let server = StandIn::start().await;
    let operation = "listServerlessBackupSnapshots";
    server.inject(Fault::on(operation).status(406).json(&json!({
        "detail": "Invalid version date.",
        "error": 406,
        "errorCode": NOT_ACCEPTABLE_ERROR_CODE,
        "reason": "Not Acceptable",
    })));
    let pinned = server
        .client_builder()
        .api_version("2024-06-01")
        .build()
        .unwrap();
    let err = pinned
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .unwrap_err();
    let Error::VersionRejected {
        status, requested, ..
    } = &err
    else {
        panic!("expected VersionRejected, got {err:?}");
    };
    assert_eq!(status.as_u16(), 406);
    // The newest version at or before the pin.
    assert_eq!(*requested, "application/vnd.atlas.2023-01-01+json");
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    assert!(err.to_string().contains(NOT_ACCEPTABLE_ERROR_CODE), "{err}");
    assert!(err.to_string().contains(operation), "{err}");
}
