//! What the committed client puts on the wire, and what it refuses to send: path parameters
//! checked against the spec's patterns and percent-encoded, query setters in the query
//! string, ranges of `itemsPerPage`/`pageNum` enforced, and the API-version pin applied per
//! operation. Every refusal is checked to have sent nothing.

use atlas_snapshots::{Client, Error};
use atlas_snapshots_runtime::__private::{HttpMethod, MediaVersion, OperationInfo, Request};
use workspace_tests::ids::*;
use workspace_tests::StandIn;

fn client(server: &StandIn) -> Client {
    server.client_builder().build().expect("client")
}

/// The problems of an `InvalidRequest`, as `(parameter, value)` pairs.
fn invalid(error: &Error, operation: &str) -> Vec<(String, String)> {
    match error {
        Error::InvalidRequest {
            operation: op,
            problems,
        } => {
            assert_eq!(*op, operation);
            problems
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect()
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn group_ids_that_break_the_pattern_are_refused_before_sending() {
    let server = StandIn::start().await;
    let client = client(&server);
    for bad in [
        "../admin",
        "abc",
        "32B6E34B3D91647ABB20E7B8",
        "32b6e34b3d91647abb20e7b8/x",
        "32b6e34b3d91647abb20e7b",
        "",
    ] {
        let err = client
            .list_flex_backup_snapshots(bad, FLEX_CLUSTER)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            invalid(&err, "listFlexBackupSnapshots"),
            [("groupId".to_owned(), bad.to_owned())],
            "{bad:?}"
        );
        let message = err.to_string();
        assert!(message.contains("groupId"), "{message}");
        assert!(message.contains("listFlexBackupSnapshots"), "{message}");
        assert!(message.contains("nothing was sent"), "{message}");
        assert_eq!(err.status(), None);
    }
    assert_eq!(server.request_count(), 0, "{:#?}", server.requests());

    // The same client sends as soon as the value is valid.
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("a valid request is sent");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
#[allow(deprecated)]
async fn names_and_snapshot_ids_are_checked_on_every_operation() {
    let server = StandIn::start().await;
    let client = client(&server);

    let err = client
        .list_serverless_backup_snapshots_v1(GROUP_ID, "my instance")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "listServerlessBackupSnapshotsV1"),
        [("instanceName".to_owned(), "my instance".to_owned())]
    );
    assert!(
        err.to_string().contains("^[a-zA-Z0-9][a-zA-Z0-9-]*$"),
        "{err}"
    );

    let err = client
        .get_flex_backup_snapshot(GROUP_ID, "-leading-dash", "not-a-snapshot")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "getFlexBackupSnapshot"),
        [
            ("name".to_owned(), "-leading-dash".to_owned()),
            ("snapshotId".to_owned(), "not-a-snapshot".to_owned()),
        ],
        "every problem is reported at once"
    );

    let err = client
        .get_backup_tenant_snapshot("abc", "shared m2", TENANT_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "getBackupTenantSnapshot"),
        [
            ("groupId".to_owned(), "abc".to_owned()),
            ("clusterName".to_owned(), "shared m2".to_owned()),
        ]
    );

    let err = client
        .list_serverless_backup_snapshots(GROUP_ID, "reporting/serverless")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "listServerlessBackupSnapshots"),
        [("clusterName".to_owned(), "reporting/serverless".to_owned())]
    );

    let err = client
        .get_tenant_backup_snapshot_v1(GROUP_ID, TENANT_CLUSTER, "6816AE48E2F3A4B5C6D70B12")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "getTenantBackupSnapshotV1"),
        [(
            "snapshotId".to_owned(),
            "6816AE48E2F3A4B5C6D70B12".to_owned()
        )]
    );
    assert_eq!(server.request_count(), 0, "{:#?}", server.requests());
}

#[tokio::test]
#[allow(deprecated)]
async fn page_sizes_outside_1_to_500_are_refused_before_sending() {
    let server = StandIn::start().await;
    let client = client(&server);

    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "listFlexBackupSnapshots"),
        [("itemsPerPage".to_owned(), "501".to_owned())]
    );
    assert!(err.to_string().contains("maximum 500"), "{err}");

    let err = client
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .items_per_page(0)
        .page_num(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(&err, "listTenantBackupSnapshotsV1"),
        [
            ("itemsPerPage".to_owned(), "0".to_owned()),
            ("pageNum".to_owned(), "0".to_owned()),
        ]
    );
    assert_eq!(server.request_count(), 0, "{:#?}", server.requests());

    // The bounds themselves are allowed.
    let page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(500)
        .page_num(1)
        .send()
        .await
        .expect("500 items per page is the maximum, not beyond it");
    assert_eq!(page.results.len(), 2);
    assert_eq!(
        server.requests()[0].query_value("itemsPerPage"),
        Some("500")
    );
}

#[tokio::test]
async fn query_setters_appear_in_the_query_string() {
    let server = StandIn::start().await;
    let page = client(&server)
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .page_num(2)
        .items_per_page(50)
        .include_count(false)
        .send()
        .await
        .expect("page 2");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let mut pairs = requests[0].query_pairs.clone();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("includeCount".to_owned(), "false".to_owned()),
            ("itemsPerPage".to_owned(), "50".to_owned()),
            ("pageNum".to_owned(), "2".to_owned()),
        ]
    );
    let raw = requests[0].query.as_deref().expect("a query string");
    for part in ["pageNum=2", "itemsPerPage=50", "includeCount=false"] {
        assert!(raw.split('&').any(|p| p == part), "{part} in {raw}");
    }
    // The server applied them: page 2 of two snapshots is empty, and no count was asked for.
    assert!(page.results.is_empty());
    assert_eq!(page.total_count, None);
}

#[tokio::test]
#[allow(deprecated)]
async fn pretty_and_envelope_setters_are_sent_as_booleans() {
    let server = StandIn::start().await;
    let snapshot = client(&server)
        .get_serverless_backup_snapshot_v1(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .pretty(true)
        .envelope(false)
        .send()
        .await
        .expect("an indented body decodes the same");
    assert_eq!(snapshot.id, SERVERLESS_SNAPSHOT);
    let request = &server.requests()[0];
    assert_eq!(request.query_value("pretty"), Some("true"));
    assert_eq!(request.query_value("envelope"), Some("false"));
}

#[tokio::test]
#[allow(deprecated)]
async fn a_client_pinned_before_the_flex_version_refuses_flex_operations() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .api_version("2023-06-01")
        .build()
        .expect("client");
    assert_eq!(client.api_version(), Some("2023-06-01"));

    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::UnsupportedVersion {
            operation,
            pinned,
            available,
        } => {
            assert_eq!(*operation, "listFlexBackupSnapshots");
            assert_eq!(pinned, "2023-06-01");
            assert_eq!(available, &["2024-11-13"]);
        }
        other => panic!("expected UnsupportedVersion, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("2024-11-13"), "{message}");
    assert!(message.contains("2023-06-01"), "{message}");
    assert!(message.contains("listFlexBackupSnapshots"), "{message}");
    let err = client
        .get_flex_backup_snapshot(GROUP_ID, FLEX_CLUSTER, FLEX_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err:?}");
    assert_eq!(server.request_count(), 0);

    // Operations that have a version at or before the pin, and v1.0 ones, are sent.
    client
        .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
        .send()
        .await
        .expect("2023-01-01 is before the pin");
    client
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .send()
        .await
        .expect("v1.0 is not versioned");
    let accepts: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("accept").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        accepts,
        ["application/vnd.atlas.2023-01-01+json", "application/json"]
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn a_client_pinned_before_every_version_only_sends_v1_requests() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .api_version("2022-12-31")
        .build()
        .expect("client");
    let err = client
        .get_serverless_backup_snapshot(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnsupportedVersion { available, .. } if available == &["2023-01-01"]),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 0);
    client
        .get_serverless_backup_snapshot_v1(GROUP_ID, SERVERLESS_INSTANCE, SERVERLESS_SNAPSHOT)
        .send()
        .await
        .expect("v1.0 answers whatever the pin");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_client_pinned_after_the_flex_version_uses_it() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .api_version("2030-01-01")
        .build()
        .expect("client");
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the newest version not after the pin");
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("application/vnd.atlas.2024-11-13+json")
    );
}

/// A request path under a base URL that has a path of its own keeps both.
#[tokio::test]
async fn a_base_url_with_a_path_prefixes_every_request() {
    let server = StandIn::start().await;
    let client = Client::new(&format!("{}/proxy/", server.base_url())).expect("client");
    let err = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    // The stand-in has no `/proxy` routes: the 404 proves where the request went.
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        server.requests()[0].path,
        format!(
            "/proxy/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/snapshots"
        )
    );
}

/// An operation whose path parameter has no pattern, to reach the runtime's encoding directly.
const ECHO: OperationInfo = OperationInfo {
    id: "echo",
    method: HttpMethod::Get,
    path: "/api/atlas/v2/echo/{value}/tail",
    responses: &[MediaVersion {
        version: None,
        media_type: "application/json",
        sunset: None,
    }],
    requests: &[],
    auth: &[],
    params: &[],
    deprecation: None,
};

async fn echo_path(server: &StandIn, value: &str) -> String {
    let client = client(server);
    let mut request = Request::new(&client, &ECHO);
    request.path_param("value", value);
    let sent = server.request_count();
    let result = request.send::<serde_json::Value, serde_json::Value>().await;
    let err = result.expect_err("the stand-in has no echo route");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    let requests = server.requests();
    assert_eq!(requests.len(), sent + 1);
    requests[sent].path.clone()
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_into_one_segment() {
    let server = StandIn::start().await;
    assert_eq!(
        echo_path(&server, "a b/c?d#e%f").await,
        "/api/atlas/v2/echo/a%20b%2Fc%3Fd%23e%25f/tail"
    );
    assert_eq!(
        echo_path(&server, "../admin").await,
        "/api/atlas/v2/echo/..%2Fadmin/tail"
    );
    assert_eq!(
        echo_path(&server, "é-ok_1.2~").await,
        "/api/atlas/v2/echo/%C3%A9-ok_1.2~/tail"
    );
}

/// A path parameter that is exactly `..` (or `.`) must not remove a segment of the path.
/// The spec's patterns refuse such values for every generated operation, but the runtime's
/// encoding is documented to keep any value inside its own segment.
#[tokio::test]
async fn dot_segment_path_values_are_refused_before_sending() {
    // URL normalisation would resolve `.` and `..` away (even percent-encoded), moving the
    // request to another resource, so the runtime refuses them.
    let server = StandIn::start().await;
    let client = client(&server);
    for value in ["..", "."] {
        let mut request = Request::new(&client, &ECHO);
        request.path_param("value", value);
        let result = request.send::<serde_json::Value, serde_json::Value>().await;
        match result {
            Err(atlas_snapshots_runtime::Error::InvalidRequest {
                operation,
                problems,
            }) => {
                assert_eq!(operation, "echo");
                assert_eq!(problems.len(), 1);
                assert_eq!(problems[0].name, "value");
                assert_eq!(problems[0].value, value);
            }
            other => panic!("{value:?} must be refused, got {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 0, "nothing was sent");
}
