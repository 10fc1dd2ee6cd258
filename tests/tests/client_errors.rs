//! How the committed client reports what goes wrong after a request was sent: documented
//! error bodies decode into the typed `ApiError`, undecodable bodies are `Decode` errors (never
//! panics), other error answers are `UnexpectedStatus`; response models tolerate what a newer
//! server may add. Messages name the operation, method and path, and never the token.

use atlas_snapshots::models::{
    ApiError, BackupTenantSnapshotStatus, ErrorCode, LegacyTenantSnapshotStatus,
};
use atlas_snapshots::{Client, Error};
use serde_json::{json, Value};
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const TOKEN: &str = "atlas-test-token-5ecr3t";

/// An API key client (the v1.0 operations accept nothing else), with `TOKEN` as its secret.
fn client(server: &StandIn) -> Client {
    server
        .client_builder()
        .digest_auth("test-public-key", TOKEN)
        .build()
        .expect("client")
}

fn flex_list_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/snapshots")
}

/// The message names the operation, the method and the request path, and hides the token.
fn assert_message_locates(err: &Error, operation: &str, path: &str) {
    let message = err.to_string();
    assert!(message.contains(operation), "{message}");
    assert!(message.contains(&format!("GET {path}")), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
    assert!(!format!("{err:?}").contains(TOKEN));
    assert_eq!(err.operation(), operation);
}

fn assert_api_error_is(body: &ApiError, example: &Value) {
    assert_eq!(Some(i64::from(body.error)), example["error"].as_i64());
    assert_eq!(
        Some(body.error_code.as_str()),
        example["errorCode"].as_str()
    );
    assert_eq!(body.detail.as_deref(), example["detail"].as_str());
    assert_eq!(body.reason.as_deref(), example["reason"].as_str());
}

#[tokio::test]
async fn an_unknown_snapshot_id_is_a_typed_404() {
    let server = StandIn::start().await;
    let err = client(&server)
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, UNKNOWN_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    let path = format!("{}/{UNKNOWN_SNAPSHOT}", flex_list_path());
    match &err {
        Error::Api {
            operation,
            method,
            path: sent,
            status,
            headers,
            body,
        } => {
            assert_eq!(*operation, "getFlexBackupSnapshot");
            assert_eq!(*method, "GET");
            assert_eq!(sent, &path);
            assert_eq!(status.as_u16(), 404);
            assert_api_error_is(body, server.spec().error_example("notFound"));
            assert_eq!(body.error, 404);
            assert_eq!(body.error_code, ErrorCode::ResourceNotFound);
            assert_eq!(body.reason.as_deref(), Some("Not Found"));
            assert_eq!(body.bad_request_detail, None);
            assert!(headers.contains_key("ratelimit-remaining"));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        Some("RESOURCE_NOT_FOUND")
    );
    // Matched by the typed code, not by its text, with the helpers for the common cases.
    assert_eq!(err.error_code(), Some(&ErrorCode::ResourceNotFound));
    assert!(err.is_not_found());
    assert!(!err.is_rate_limited() && !err.is_retryable() && !err.is_timeout());
    assert_message_locates(&err, "getFlexBackupSnapshot", &path);
    let message = err.to_string();
    assert!(message.contains("RESOURCE_NOT_FOUND"), "{message}");
    assert!(message.contains("404"), "{message}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
#[allow(deprecated)]
async fn an_unknown_snapshot_id_is_a_typed_404_on_v1_too() {
    let server = StandIn::start().await;
    let err = client(&server)
        .get_tenant_backup_snapshot_v1(GROUP_ID, TENANT_CLUSTER, UNKNOWN_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    let body = err.api_error().expect("a typed error body");
    assert_api_error_is(body, server.spec().error_example("notFound"));
    assert_message_locates(
        &err,
        "getTenantBackupSnapshotV1",
        &format!(
            "/api/atlas/v1.0/groups/{GROUP_ID}/clusters/{TENANT_CLUSTER}/backup/tenant/snapshots/{UNKNOWN_SNAPSHOT}"
        ),
    );
}

/// A 200 whose body is cut off is a `Decode` error that says which type was expected and
/// shows the start of the body.
#[tokio::test]
async fn a_malformed_json_body_is_a_decode_error() {
    let server = StandIn::start().await;
    server.inject(Fault::malformed_json("listFlexBackupSnapshots"));
    let err = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            operation,
            status,
            expected,
            excerpt,
            source,
            ..
        } => {
            assert_eq!(*operation, "listFlexBackupSnapshots");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*expected, "PaginatedApiAtlasFlexBackupSnapshot20241113");
            assert!(excerpt.starts_with(r#"{"links": [{"href""#), "{excerpt}");
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_message_locates(&err, "listFlexBackupSnapshots", &flex_list_path());
    assert!(err.to_string().contains("not a valid"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

/// The example response the Atlas v1.0 documentation gives for this operation, verbatim: a
/// comma is missing after `"completed"` and one trails `1024`.
const V1_DOCUMENTED_LIST_BODY: &str = r#"{
  "links": [
    {
        "rel": "self",
        "href": "http://cloud.mongodb.com/api/atlas/v1.0/groups/{groupId}/serverless/{instanceName}/backup/snapshots?pageNum=1&itemsPerPage=100"
    }
  ],
  "totalCount": 1,
  "results": [
    {
      "createdAt": "2020-12-20T00:00:00Z",
      "expiresAt": "2021-02-19T21:04:52Z",
      "id": "{snapshotId}",
      "mongodVersion": "5.0.0",
      "serverlessInstanceName": "{instanceName}",
      "snapshotType": "scheduled",
      "status": "completed"
      "storageSizeBytes": 1024,
    }
  ]
}"#;

#[tokio::test]
#[allow(deprecated)]
async fn the_documented_v1_example_body_is_a_decode_error() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("listServerlessBackupSnapshotsV1")
            .status(200)
            .raw(V1_DOCUMENTED_LIST_BODY),
    );
    let err = client(&server)
        .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status,
            expected,
            excerpt,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*expected, "PaginatedLegacyServerlessBackupSnapshot");
            assert!(source.is_syntax(), "{source}");
            assert_eq!(source.line(), 18, "the line after the missing comma");
            assert!(excerpt.starts_with("{\n  \"links\""), "{excerpt}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_message_locates(
        &err,
        "listServerlessBackupSnapshotsV1",
        &format!(
            "/api/atlas/v1.0/groups/{GROUP_ID}/serverless/{SERVERLESS_INSTANCE}/backup/snapshots"
        ),
    );
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("application/json")
    );
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("getFlexBackupSnapshot")
            .status(200)
            .json(&json!({"id": 42, "status": "COMPLETED"})),
    );
    let err = client(&server)
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { expected, source, .. }
            if *expected == "FlexBackupSnapshot20241113" && source.is_data()),
        "{err:?}"
    );
    // A list without its required `results` is refused too.
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(200)
            .json(&json!({"totalCount": 0})),
    );
    let err = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    // The decoder's words are the cause, shown once in the chain.
    let chain = atlas_snapshots::ErrorChain(&err).to_string();
    assert!(chain.contains("missing field `results`"), "{chain}");
    assert!(!err.to_string().contains("missing field"), "{err}");
}

#[tokio::test]
#[allow(deprecated)]
async fn an_enum_value_the_spec_does_not_list_is_kept_as_unknown() {
    let server = StandIn::start().await;
    let mut example = server
        .spec()
        .operation("getBackupTenantSnapshot")
        .newest_example()
        .clone();
    example["status"] = json!("archived");
    server.inject(
        Fault::on("getBackupTenantSnapshot")
            .status(200)
            .json(&example),
    );
    let snapshot = client(&server)
        .get_backup_tenant_snapshot(GROUP_ID, TENANT_CLUSTER, TENANT_SNAPSHOT)
        .send()
        .await
        .expect("an unknown enum value still decodes");
    assert_eq!(
        snapshot.status,
        Some(BackupTenantSnapshotStatus::Unknown("archived".to_owned()))
    );
    assert_eq!(
        snapshot.status.as_ref().map(|s| s.as_str()),
        Some("archived")
    );
    assert_eq!(snapshot.id.as_deref(), Some(TENANT_SNAPSHOT));
    // It goes back on the wire as it came.
    assert_eq!(
        serde_json::to_value(&*snapshot).unwrap()["status"],
        "archived"
    );

    // A required enum field (v1.0) too.
    let mut example = server
        .spec()
        .operation("listTenantBackupSnapshotsV1")
        .newest_example()
        .clone();
    example["results"][1]["status"] = json!("archived");
    server.inject(
        Fault::on("listTenantBackupSnapshotsV1")
            .status(200)
            .json(&example),
    );
    let page = client(&server)
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .send()
        .await
        .expect("an unknown enum value still decodes");
    assert_eq!(
        page.results[0].status,
        LegacyTenantSnapshotStatus::Completed
    );
    assert_eq!(
        page.results[1].status,
        LegacyTenantSnapshotStatus::Unknown("archived".to_owned())
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn unknown_fields_are_ignored() {
    let server = StandIn::start().await;
    let mut example = server
        .spec()
        .operation("listServerlessBackupSnapshots")
        .newest_example()
        .clone();
    example["nextCursor"] = json!({"after": "abc", "hints": [1, 2, 3]});
    example["results"][0]["region"] = json!("EU_WEST_1");
    example["results"][0]["links"][0]["title"] = json!("self");
    server.inject(
        Fault::on("listServerlessBackupSnapshots")
            .status(200)
            .json(&example),
    );
    let page = client(&server)
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .expect("extra fields do not break decoding");
    assert_eq!(page.results.len(), 2);
    assert_eq!(page.results[0].id.as_deref(), Some(SERVERLESS_SNAPSHOT));
    assert_eq!(page.results[0].storage_size_bytes, Some(73_400_320));
    assert_eq!(page.total_count, Some(2));
}

#[tokio::test]
async fn a_500_without_an_api_error_body_is_an_unexpected_status() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(500)
            .content_type("text/html")
            .raw("<html><body>upstream connect error</body></html>"),
    );
    let err = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedStatus {
            status,
            excerpt,
            headers,
            path,
            ..
        } => {
            assert_eq!(status.as_u16(), 500);
            assert!(excerpt.contains("upstream connect error"), "{excerpt}");
            assert_eq!(headers["content-type"], "text/html");
            assert_eq!(path, &flex_list_path());
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.api_error().is_none());
    assert_message_locates(&err, "listFlexBackupSnapshots", &flex_list_path());
    assert!(err.to_string().contains("500"), "{err}");

    // JSON that is not an ApiError (no errorCode) is no typed error either.
    server.inject(
        Fault::on("listFlexBackupSnapshots")
            .status(502)
            .json(&json!({"message": "bad gateway"})),
    );
    let err = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus { status, .. } if status.as_u16() == 502),
        "{err:?}"
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn documented_error_answers_decode_into_api_error() {
    let server = StandIn::start().await;
    let client = client(&server);
    for (status, name) in [
        (500, "internalServerError"),
        (403, "forbidden"),
        (400, "badRequest"),
    ] {
        let example = server.spec().error_example(name).clone();
        server.inject(
            Fault::on("listServerlessBackupSnapshotsV1")
                .status(status)
                .json(&example)
                .times(1),
        );
        let err = client
            .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{name}");
        let body = err.api_error().unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert_api_error_is(body, &example);
        let code = example["errorCode"].as_str().unwrap();
        assert!(err.to_string().contains(code), "{err}");
        assert!(
            err.to_string().contains("listServerlessBackupSnapshotsV1"),
            "{err}"
        );
    }
    // The 400 example's field-level detail decodes too.
    let fields = server.spec().error_example("badRequest")["badRequestDetail"]["fields"].clone();
    server.inject(
        Fault::on("listServerlessBackupSnapshotsV1")
            .status(400)
            .json(server.spec().error_example("badRequest"))
            .times(1),
    );
    let err = client
        .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .unwrap_err();
    let detail = err
        .api_error()
        .and_then(|e| e.bad_request_detail.as_ref())
        .and_then(|d| d.fields.as_deref())
        .expect("field violations");
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].field, "itemsPerPage");
    assert_eq!(Some(detail[0].field.as_str()), fields[0]["field"].as_str());
    assert_eq!(
        Some(detail[0].description.as_str()),
        fields[0]["description"].as_str()
    );

    // Faults limited with `times` are used up: the next call gets the example again.
    let page = client
        .list_serverless_backup_snapshots_v1(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .expect("the spec's answer again");
    assert_eq!(page.results.len(), 2);
}

#[tokio::test]
async fn a_429_keeps_its_retry_after_and_rate_limit_headers() {
    let server = StandIn::start().await;
    server.inject(
        Fault::on("getFlexBackupSnapshot")
            .status(429)
            .json(server.spec().error_example("tooManyRequests"))
            .header("Retry-After", "17")
            .header("RateLimit-Remaining", "0"),
    );
    let err = client(&server)
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            status,
            headers,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body.error_code, ErrorCode::RateLimited);
            assert_eq!(headers["retry-after"], "17");
            assert_eq!(headers["ratelimit-remaining"], "0");
            assert_eq!(headers["ratelimit-limit"], "100");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.error_code(), Some(&ErrorCode::RateLimited));
    assert!(err.is_rate_limited() && err.is_retryable() && !err.is_not_found());
}

#[tokio::test]
async fn the_bearer_token_is_sent_but_never_shown() {
    let server = StandIn::builder().require_bearer(TOKEN).start().await;
    let client = server.client_builder().bearer_token(TOKEN).build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let builder = format!("{:?}", server.client_builder().bearer_token(TOKEN));
    assert!(!builder.contains(TOKEN), "{builder}");

    let page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the server takes the token");
    assert_eq!(page.results.len(), 2);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // A request builder shows its client, still without the token.
    let request = client.get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT);
    assert!(!format!("{request:?}").contains(TOKEN));

    // Errors of every kind keep it out of their messages.
    let mut errors = Vec::new();
    errors.push(
        client
            .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, UNKNOWN_SNAPSHOT)
            .send()
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .list_flex_backup_snapshots("abc", FLEX_CLUSTER)
            .send()
            .await
            .unwrap_err(),
    );
    server.inject(Fault::malformed_json("listFlexBackupSnapshots").times(1));
    errors.push(
        client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .send()
            .await
            .unwrap_err(),
    );
    server.inject(Fault::on("listFlexBackupSnapshots").raw("oops").times(1));
    errors.push(
        client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .send()
            .await
            .unwrap_err(),
    );
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api { .. } => "api",
            Error::InvalidRequest { .. } => "invalid",
            Error::Decode { .. } => "decode",
            Error::UnexpectedStatus { .. } => "unexpected",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["api", "invalid", "decode", "unexpected"]);
    for err in &errors {
        assert!(!err.to_string().contains(TOKEN), "{err}");
        assert!(!format!("{err:?}").contains(TOKEN), "{err:?}");
    }

    // Without the token the stand-in answers with the spec's 401.
    let anonymous = server.client_builder().build().unwrap();
    let err = anonymous
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.api_error().map(|e| e.error_code.as_str()),
        Some("UNAUTHORIZED")
    );
    assert_eq!(
        server.requests().last().unwrap().header("authorization"),
        None
    );
}

#[tokio::test]
async fn a_server_that_is_gone_is_a_transport_error() {
    let server = StandIn::start().await;
    let client = client(&server);
    drop(server);
    // Tokio aborts the server task at its next await; the listener is closed by then.
    tokio::task::yield_now().await;
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.status(), None);
    assert_message_locates(&err, "listFlexBackupSnapshots", &flex_list_path());
}
