//! A client generated from `tests/fixtures/codegen/bodies.yaml`, compiled here and run against a
//! local server: answers that are not JSON (a gzip archive, CSV) read as a stream without being
//! held whole, with a size bound, progress and typed errors; and a request body whose type
//! differs between versions, sent in the version its type belongs to. The generated files are
//! kept in `tests/generated/bodies/`, checked fresh here like those of `client_uploads`.

// The generated client, every module inline: `Client`, `Error`, the runtime re-exports,
// `models` and `operations`.
include!("generated/bodies/client.rs");

use workspace_tests::fixture_client::assert_included_client_fresh;

const FIXTURE: &str = "tests/fixtures/codegen/bodies.yaml";
const KEPT: &str = "tests/tests/generated/bodies";
const COMMAND: &str = "cargo test -p workspace-tests --test client_downloads";

#[test]
fn included_client_is_fresh() {
    assert_included_client_fresh(FIXTURE, KEPT, COMMAND);
}

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};

/// The archive's size: large against the chunks it arrives in, so reading it whole would show.
const ARCHIVE_SIZE: usize = 4 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// What arrived: method, path, `Accept`, `Content-Type` and the body.
type Seen = Arc<Mutex<Vec<(String, String, String, String, Bytes)>>>;

/// A server on 127.0.0.1 that answers the fixture's operations: the logs as a gzip archive
/// streamed in chunks (404 for the group `missing`), an invoice as JSON or, when asked for, as
/// CSV, and a user update as JSON.
async fn server() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
        let record = record.clone();
        async move {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            let accept = header("accept");
            record.lock().unwrap().push((
                uri.path().to_owned(),
                uri.to_string(),
                accept.clone(),
                header("content-type"),
                body,
            ));
            answer(uri.path(), &accept)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), seen)
}

/// Holds back the rest of the `gated` group's archive until the client has read its first
/// chunk.
static GATE: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn answer(path: &str, accept: &str) -> Response {
    if path.ends_with("/gated/logs.gz") {
        let first = futures_util::stream::once(async {
            Ok::<_, std::io::Error>(Bytes::from_static(b"first"))
        });
        let rest = futures_util::stream::once(async {
            GATE.notified().await;
            Ok::<_, std::io::Error>(Bytes::from_static(b"rest"))
        });
        return Response::builder()
            .header("content-type", "application/vnd.atlas.2023-01-01+gzip")
            .body(Body::from_stream(first.chain(rest)))
            .unwrap();
    }
    if path.ends_with("/missing/logs.gz") {
        let error = r#"{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no such group"}"#;
        return (
            StatusCode::NOT_FOUND,
            [("content-type", "application/problem+json")],
            error,
        )
            .into_response();
    }
    if path.ends_with("/logs.gz") {
        // Sent chunk by chunk, with its length announced.
        let chunks = futures_util::stream::iter(
            (0..ARCHIVE_SIZE / CHUNK)
                .map(|i| Ok::<_, std::io::Error>(Bytes::from(vec![i as u8; CHUNK]))),
        );
        return Response::builder()
            .header("content-type", "application/vnd.atlas.2023-01-01+gzip")
            .header("content-length", ARCHIVE_SIZE)
            .body(Body::from_stream(chunks))
            .unwrap();
    }
    if path.starts_with("/api/atlas/v2/invoices/") && accept.contains("+csv") {
        return (
            [("content-type", "application/vnd.atlas.2023-01-01+csv")],
            "id,total\nI1,42\n",
        )
            .into_response();
    }
    let version = accept
        .strip_prefix("application/vnd.atlas.")
        .and_then(|rest| rest.split('+').next())
        .unwrap_or("2023-01-01");
    let body = if path.contains("/users/") {
        r#"{"id": "U1", "username": "ada"}"#
    } else {
        r#"{"id": "I1"}"#
    };
    (
        [(
            "content-type",
            format!("application/vnd.atlas.{version}+json"),
        )],
        body,
    )
        .into_response()
}

#[tokio::test]
async fn an_archive_is_copied_to_a_writer_chunk_by_chunk_with_progress() {
    let (base, seen) = server().await;
    let client = Client::new(&base).unwrap();
    let answer = client.download_logs("g1").send_stream().await.unwrap();
    assert_eq!(answer.status(), 200);
    let stream = answer.into_inner();
    assert_eq!(stream.total(), Some(ARCHIVE_SIZE as u64));
    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    let mut file = Vec::new();
    let written = stream
        .on_progress(move |progress| record.lock().unwrap().push(progress))
        .write_to(&mut file)
        .await
        .unwrap();
    assert_eq!(written, ARCHIVE_SIZE as u64);
    assert_eq!(file.len(), ARCHIVE_SIZE);
    // Every chunk kept its bytes, in order.
    assert!(file
        .chunks(CHUNK)
        .enumerate()
        .all(|(i, chunk)| chunk.iter().all(|b| *b == i as u8)));
    let reports = reports.lock().unwrap();
    // Read in many pieces, each reported as it came, ending at the announced size.
    assert!(reports.len() > 4, "{} progress reports", reports.len());
    assert!(reports.windows(2).all(|w| w[0].received < w[1].received));
    let last = reports.last().unwrap();
    assert_eq!(
        (last.received, last.total),
        (ARCHIVE_SIZE as u64, Some(ARCHIVE_SIZE as u64))
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].2, "application/vnd.atlas.2023-01-01+gzip");
}

#[tokio::test]
async fn the_first_chunk_is_handed_over_before_the_server_has_sent_the_rest() {
    let (base, _) = server().await;
    let client = Client::new(&base).unwrap();
    let mut stream = client
        .download_logs("gated")
        .send_stream()
        .await
        .unwrap()
        .into_inner();
    // The server sends the rest only once this chunk is here: a client that read the whole
    // body before handing it over would wait forever.
    let first = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
        .await
        .expect("the first chunk before the rest is sent")
        .unwrap();
    assert_eq!(first.as_deref(), Some(&b"first"[..]));
    GATE.notify_one();
    assert_eq!(stream.chunk().await.unwrap().as_deref(), Some(&b"rest"[..]));
    assert_eq!(stream.chunk().await.unwrap(), None);
    assert_eq!(stream.received(), 9);
}

#[tokio::test]
async fn a_stream_bound_stops_an_answer_longer_than_it() {
    let (base, _) = server().await;
    let client = Client::new(&base).unwrap();
    let stream = client.download_logs("g1").send_stream().await.unwrap();
    let error = stream
        .into_inner()
        .limit(1024 * 1024)
        .write_to(&mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StreamError::TooLarge { limit: 1048576, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "downloadLogs: GET /api/atlas/v2/groups/g1/logs.gz: the answer's body is longer than the 1048576 bytes allowed"
    );
    // `collect` takes a bound of its own, and keeps what fits.
    let stream = client.download_logs("g1").send_stream().await.unwrap();
    let whole = stream
        .into_inner()
        .collect(ARCHIVE_SIZE as u64)
        .await
        .unwrap();
    assert_eq!(whole.len(), ARCHIVE_SIZE);
}

#[tokio::test]
async fn a_streamed_operation_that_fails_gives_its_problem_details_typed() {
    let (base, _) = server().await;
    let client = Client::new(&base).unwrap();
    let error = client
        .download_logs("missing")
        .send_stream()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    // The `application/problem+json` body is decoded into its model.
    let Error::Api { body, path, .. } = error else {
        panic!("a typed API error, not {error:?}");
    };
    assert_eq!(path, "/api/atlas/v2/groups/missing/logs.gz");
    assert_eq!(
        (body.title.as_deref(), body.status, body.detail.as_deref()),
        (Some("Not Found"), Some(404), Some("no such group"))
    );
}

#[tokio::test]
async fn send_asks_for_json_and_send_stream_for_the_csv_of_the_same_version() {
    let (base, seen) = server().await;
    let client = Client::new(&base).unwrap();
    let invoice = client.get_invoice("I1").send().await.unwrap();
    assert_eq!(invoice.id.as_deref(), Some("I1"));
    let csv = client.get_invoice("I1").send_stream().await.unwrap();
    let chunks: Vec<Bytes> = csv
        .into_inner()
        .into_stream()
        .map(|chunk| chunk.unwrap())
        .collect()
        .await;
    assert_eq!(chunks.concat(), b"id,total\nI1,42\n");
    let accepts: Vec<String> = seen.lock().unwrap().iter().map(|s| s.2.clone()).collect();
    assert_eq!(
        accepts,
        [
            "application/vnd.atlas.2023-01-01+json",
            "application/vnd.atlas.2023-01-01+csv"
        ]
    );
}

#[tokio::test]
async fn each_version_s_body_is_sent_typed_in_its_own_version() {
    let (base, seen) = server().await;
    let client = Client::new(&base).unwrap();
    // The newest version's type converts into the body as it is.
    let update = models::UserUpdate::new().with_roles(vec![models::Role::Owner]);
    client
        .update_user("g1", "u1")
        .body(update)
        .send()
        .await
        .unwrap();
    // The older version's type is sent in its version.
    let older = models::UserRequest::new(
        "s3cret".to_owned(),
        vec![models::Role::Member],
        "ada".to_owned(),
    );
    client
        .update_user("g1", "u1")
        .body(older.clone())
        .send()
        .await
        .unwrap();
    let arrived: Vec<(String, String, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s.2.clone(),
                s.3.clone(),
                String::from_utf8_lossy(&s.4).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        arrived,
        [
            (
                "application/vnd.atlas.2024-05-30+json".to_owned(),
                "application/vnd.atlas.2024-05-30+json".to_owned(),
                r#"{"roles":["OWNER"]}"#.to_owned()
            ),
            (
                "application/vnd.atlas.2023-01-01+json".to_owned(),
                "application/vnd.atlas.2023-01-01+json".to_owned(),
                r#"{"password":"s3cret","roles":["MEMBER"],"username":"ada"}"#.to_owned()
            ),
        ]
    );
    // A pin that picks another version than the body's is refused before anything is sent.
    let error = client
        .update_user("g1", "u1")
        .body(older)
        .request_options(RequestOptions::new().api_version("2024-06-01"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "updateUser: invalid request, nothing was sent: `body` = \"\": the body is of the type of version 2023-01-01, but the pin 2024-06-01 picks version 2024-05-30"
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}
