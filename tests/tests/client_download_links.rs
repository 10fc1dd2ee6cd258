//! Downloading what an answer links to (a Flex snapshot's `snapshotUrl`, a restore job's
//! `deliveryUrl`) from a local server: the body is streamed to a file with progress reports and
//! a size bound, no credentials go with the request, a failed attempt is retried as any GET
//! is, and the link's query (its signature) appears in no error.

use atlas_snapshots::{Client, Error, Progress, RetryPolicy};
use atlas_snapshots_runtime::StreamError;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The archive's size: large enough to arrive in many chunks.
const SIZE: usize = 3 << 20;

/// Byte `i` of the archive: not all one value, so a reordered or cut copy shows.
fn byte(i: usize) -> u8 {
    (i % 251) as u8
}

struct Served {
    base: String,
    /// The `Authorization` header of each request, if it had one.
    authorizations: Arc<Mutex<Vec<Option<String>>>>,
    requests: Arc<AtomicUsize>,
}

/// Serves the archive at `/archive` (after `failures` 503 answers), and a 403 with an XML body,
/// as a storage service gives for an expired link, at `/expired`.
async fn serve(failures: usize) -> Served {
    let authorizations: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let requests = Arc::new(AtomicUsize::new(0));
    let (seen, count) = (authorizations.clone(), requests.clone());
    let archive: Arc<Vec<u8>> = Arc::new((0..SIZE).map(byte).collect());
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let (seen, count, archive) = (seen.clone(), count.clone(), archive.clone());
        async move {
            let authorization = headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned());
            seen.lock().unwrap().push(authorization);
            let n = count.fetch_add(1, Ordering::SeqCst);
            match uri.path() {
                "/archive" if n < failures => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                "/archive" => (
                    [("content-type", "application/gzip")],
                    archive.as_ref().clone(),
                )
                    .into_response(),
                _ => (
                    StatusCode::FORBIDDEN,
                    [("content-type", "application/xml")],
                    "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
                )
                    .into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served {
        base: format!("http://{address}"),
        authorizations,
        requests,
    }
}

/// A client with credentials for the API, whose base URL is the same server: even there, a
/// download link gets none of them.
fn client(served: &Served) -> Client {
    Client::builder()
        .base_url(&served.base)
        .bearer_token("api-token-not-for-storage")
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_download_link_streams_to_a_file_with_progress_and_no_credentials() {
    let served = serve(1).await;
    let client = client(&served);
    let link = format!("{}/archive?X-Amz-Signature=s3cr3t", served.base);
    let answer = client
        .download(&link)
        .await
        .expect("the second attempt answers");
    assert_eq!(
        served.requests.load(Ordering::SeqCst),
        2,
        "the 503 was retried"
    );
    assert_eq!(answer.into_inner().total(), Some(SIZE as u64));

    let answer = client.download(&link).await.unwrap();
    let reports: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let record = reports.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.tar.gz");
    let mut file = tokio::fs::File::create(&path).await.unwrap();
    let written = answer
        .into_inner()
        .limit(SIZE as u64)
        .on_progress(move |p| record.lock().unwrap().push(p))
        .write_to(&mut file)
        .await
        .unwrap();
    drop(file);
    assert_eq!(written, SIZE as u64);
    let copy = std::fs::read(&path).unwrap();
    assert_eq!(copy.len(), SIZE);
    assert!(copy.iter().enumerate().all(|(i, b)| *b == byte(i)));

    let reports = reports.lock().unwrap().clone();
    assert!(reports.len() > 1, "{reports:?}");
    assert!(
        reports.windows(2).all(|w| w[0].received < w[1].received),
        "{reports:?}"
    );
    let whole = Progress {
        received: SIZE as u64,
        total: Some(SIZE as u64),
    };
    assert_eq!(reports.last(), Some(&whole));
    let authorizations = served.authorizations.lock().unwrap().clone();
    assert_eq!(authorizations, vec![None; 3], "no credentials went along");
}

#[tokio::test]
async fn a_download_over_its_bound_stops_and_an_expired_link_names_no_signature() {
    let served = serve(0).await;
    let client = client(&served);
    let link = format!("{}/archive?X-Amz-Signature=s3cr3t", served.base);
    let mut sink = Vec::new();
    let cut = client
        .download(&link)
        .await
        .unwrap()
        .into_inner()
        .limit(1 << 20)
        .write_to(&mut sink)
        .await
        .unwrap_err();
    assert!(matches!(cut, StreamError::TooLarge { .. }), "{cut:?}");
    assert!(sink.len() <= 1 << 20);

    let expired = format!("{}/expired?X-Amz-Signature=s3cr3t", served.base);
    let err = client.download(&expired).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("/expired"), "{shown}");
    assert!(
        shown.contains("AccessDenied"),
        "the storage service's answer: {shown}"
    );
    assert!(!shown.contains("s3cr3t"), "{shown}");

    let refused = client
        .download("ftp://example.com/x?sig=s3cr3t")
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidRequest { .. }),
        "{refused:?}"
    );
    assert!(!format!("{refused} {refused:?}").contains("s3cr3t"));
}
