//! The typed mocks check requests the way Atlas would: each test sends, with plain reqwest,
//! one request the client itself would never send, and expects Atlas's refusal, a recorded
//! violation, and a panic when the server is dropped with the violation still recorded.

use atlas_snapshots::mock::MockServer;
use atlas_snapshots::models::{ErrorCode, FlexBackupSnapshot20241113};
use serde_json::Value;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const FLEX: &str = "analytics-flex";
const FLEX_MEDIA: &str = "application/vnd.atlas.2024-11-13+json";

async fn flex_mock() -> MockServer {
    let mock = MockServer::start().await;
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .responds_items(vec![
            FlexBackupSnapshot20241113::new().with_id("a".repeat(24))
        ])
        .await;
    mock
}

fn flex_url(mock: &MockServer, query: &str) -> String {
    format!(
        "{}/api/atlas/v2/groups/{GROUP}/flexClusters/{FLEX}/backup/snapshots{query}",
        mock.uri()
    )
}

/// Sends a GET with a bearer token and `accept`, and returns the status and JSON body.
async fn get(url: &str, accept: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(url)
        .header("authorization", "Bearer token")
        .header("accept", accept)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_well_formed_request_gets_the_answer_in_the_version_it_asked_for() {
    let mock = flex_mock().await;
    let response = reqwest::Client::new()
        .get(flex_url(&mock, "?itemsPerPage=1&pageNum=1"))
        .header("authorization", "Bearer token")
        .header("accept", FLEX_MEDIA)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], FLEX_MEDIA);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["totalCount"], 1);
    assert_eq!(body["results"][0]["id"], "a".repeat(24));
    assert!(mock.violations().is_empty());
    assert_eq!(mock.received_count().await, 1);
}

#[tokio::test]
async fn an_accept_the_operation_does_not_offer_is_refused_with_406() {
    let mock = flex_mock().await;
    let (status, body) = get(
        &flex_url(&mock, ""),
        "application/vnd.atlas.2023-01-01+json",
    )
    .await;
    assert_eq!(status, 406);
    assert_eq!(body["error"], 406);
    let violations = mock.take_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].operation, "listFlexBackupSnapshots");
    assert!(
        violations[0].problem.contains(FLEX_MEDIA),
        "{}",
        violations[0]
    );
}

#[tokio::test]
async fn query_limits_of_the_spec_are_enforced() {
    let mock = flex_mock().await;
    for (query, problem) in [
        ("?itemsPerPage=501", "maximum 500"),
        ("?itemsPerPage=0", "minimum 1"),
        ("?pageNum=two", "not an integer"),
        ("?includeCount=yes", "`true` or `false`"),
    ] {
        let (status, body) = get(&flex_url(&mock, query), FLEX_MEDIA).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["errorCode"], "VALIDATION_ERROR");
        let violations = mock.take_violations();
        assert_eq!(violations.len(), 1, "{query}");
        assert!(
            violations[0].problem.contains(problem),
            "{query}: {}",
            violations[0]
        );
        assert!(
            violations[0].request.ends_with(query),
            "{}",
            violations[0].request
        );
    }
}

#[tokio::test]
async fn a_request_without_credentials_gets_a_digest_challenge_and_no_answer() {
    let mock = flex_mock().await;
    let response = reqwest::Client::new()
        .get(flex_url(&mock, ""))
        .header("accept", FLEX_MEDIA)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.starts_with("Digest realm=\"MMS Public API\""),
        "{challenge}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], "UNAUTHORIZED");
    // Asking for credentials is part of the protocol, not a mistake of the caller.
    assert!(mock.violations().is_empty());
}

#[tokio::test]
async fn a_path_no_expectation_covers_gets_a_404_that_names_it() {
    let mock = flex_mock().await;
    let other = flex_url(&mock, "").replace(FLEX, "other-flex");
    let (status, body) = get(&other, FLEX_MEDIA).await;
    assert_eq!(status, 404);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("other-flex") && detail.contains("listFlexBackupSnapshots"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_the_operations_type_is_refused() {
    let mock = MockServer::start().await;
    mock.take_snapshots(GROUP, "orders")
        .responds(atlas_snapshots::models::DiskBackupSnapshot::ReplicaSet(
            Box::default(),
        ))
        .await;
    let url = format!(
        "{}/api/atlas/v2/groups/{GROUP}/clusters/orders/backup/snapshots",
        mock.uri()
    );
    let send = |content_type: &'static str, body: &'static str| {
        reqwest::Client::new()
            .post(&url)
            .header("authorization", "Bearer token")
            .header("accept", "application/vnd.atlas.2023-01-01+json")
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let wrong_type = send(
        "application/vnd.atlas.2023-01-01+json",
        r#"{"retentionInDays": "seven"}"#,
    )
    .await
    .unwrap();
    assert_eq!(wrong_type.status().as_u16(), 400);
    let plain_json = send("application/json", "{}").await.unwrap();
    assert_eq!(plain_json.status().as_u16(), 415);
    let problems: Vec<String> = mock
        .take_violations()
        .into_iter()
        .map(|v| v.problem)
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("does not decode"), "{}", problems[0]);
    assert!(problems[1].contains("Content-Type"), "{}", problems[1]);
}

#[tokio::test]
#[should_panic(expected = "the mock received requests the API would refuse")]
async fn a_violation_left_behind_fails_the_test() {
    let mock = flex_mock().await;
    let (status, _) = get(&flex_url(&mock, "?itemsPerPage=9999"), FLEX_MEDIA).await;
    assert_eq!(status, 400);
    drop(mock);
}

#[tokio::test]
#[should_panic(expected = "the spec documents no status")]
async fn an_error_code_without_a_documented_status_is_refused_at_once() {
    let mock = MockServer::start().await;
    mock.list_flex_backup_snapshots(GROUP, FLEX)
        .fails(ErrorCode::from("SOMETHING_NEW"))
        .await;
}

#[tokio::test]
#[should_panic(expected = "the API never answers for this path")]
async fn an_expectation_for_an_impossible_path_is_refused_at_once() {
    let mock = MockServer::start().await;
    let _ = mock.list_flex_backup_snapshots("not-a-project-id", FLEX);
}

#[tokio::test]
async fn the_client_reads_a_typed_failure_as_atlas_error() {
    let mock = MockServer::start().await;
    mock.get_flex_backup_snapshot(GROUP, FLEX, "b".repeat(24))
        .fails(ErrorCode::ResourceNotFound)
        .await;
    let error = mock
        .client()
        .get_flex_backup_snapshot(GROUP, FLEX, "b".repeat(24))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.error_code(), Some(&ErrorCode::ResourceNotFound));
}
