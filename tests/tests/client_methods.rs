//! `HEAD`, `OPTIONS` and `TRACE` through a client generated from
//! `tests/fixtures/codegen/methods.yaml` (the fixture client in `tests/methods-client/`), against
//! a local server that records what arrives: the method, path, query and headers the spec
//! describes, and for `HEAD` an answer of status and headers only.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use methods_client::Client;
use std::sync::{Arc, Mutex};

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
}

/// A server on a free port of 127.0.0.1 that records every request and answers it with
/// `answer`, and its base URL.
async fn server(answer: fn(&Method) -> Response) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |request: Request| {
        let record = Arc::clone(&record);
        async move {
            let (parts, _) = request.into_parts();
            record.lock().unwrap().push(Seen {
                method: parts.method.clone(),
                path: parts.uri.path().to_owned(),
                query: parts.uri.query().map(str::to_owned),
                headers: parts.headers,
            });
            answer(&parts.method)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), seen)
}

/// The file's metadata, as a `GET` would get it; on `HEAD` the server sends the headers only.
fn file_answer(_: &Method) -> Response {
    let body = r#"{"id":"report-7","size":42}"#;
    (
        StatusCode::OK,
        [("content-type", "application/json"), ("etag", "\"v3\"")],
        body,
    )
        .into_response()
}

#[tokio::test]
async fn a_head_request_arrives_as_the_spec_describes_it_and_answers_status_and_headers() {
    let (base, seen) = server(file_answer).await;
    let client = Client::new(&base).unwrap();
    let answer = client
        .head_file("report-7")
        .revision(3)
        .if_none_match("\"v2\"")
        .send()
        .await
        .expect("HEAD succeeds");

    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers().get("etag").unwrap(), "\"v3\"");
    // The length of the body a GET would get, which a HEAD answer describes and never sends.
    assert_eq!(answer.headers().get("content-length").unwrap(), "27");
    let () = answer.into_inner();

    let seen = seen.lock().unwrap();
    let [request] = seen.as_slice() else {
        panic!("one request, not {seen:#?}");
    };
    assert_eq!(request.method, Method::HEAD);
    assert_eq!(request.path, "/files/report-7");
    assert_eq!(request.query.as_deref(), Some("revision=3"));
    assert_eq!(
        request.headers.get("if-none-match"),
        Some(&HeaderValue::from_static("\"v2\""))
    );
    assert_eq!(
        request.headers.get("accept"),
        Some(&HeaderValue::from_static("application/json"))
    );
}

#[tokio::test]
async fn a_head_request_is_checked_against_the_spec_before_anything_is_sent() {
    let (base, seen) = server(file_answer).await;
    let client = Client::new(&base).unwrap();
    let error = client
        .head_file("Not A Valid Id")
        .revision(0)
        .send()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("fileId"), "{message}");
    assert!(message.contains("revision"), "{message}");
    assert!(seen.lock().unwrap().is_empty());
}

/// The server fails the first `HEAD` with a 503: `HEAD` is safe, so the client asks again.
#[tokio::test]
async fn a_failed_head_request_is_retried_as_a_safe_method() {
    static ATTEMPTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    fn flaky(method: &Method) -> Response {
        assert_eq!(method, Method::HEAD);
        if ATTEMPTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        } else {
            file_answer(method)
        }
    }
    let (base, seen) = server(flaky).await;
    let client = Client::builder()
        .base_url(&base)
        .retry_policy(
            atlas_snapshots_runtime::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let answer = client.head_file("report-7").send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn options_decodes_its_body_and_trace_reads_its_bytes() {
    fn answer(method: &Method) -> Response {
        match *method {
            Method::OPTIONS => (
                StatusCode::OK,
                [
                    ("content-type", "application/json"),
                    ("allow", "GET, HEAD, OPTIONS, TRACE"),
                ],
                r#"{"methods":["GET","HEAD","OPTIONS","TRACE"]}"#,
            )
                .into_response(),
            Method::TRACE => (
                StatusCode::OK,
                [("content-type", "message/http")],
                "TRACE /files/report-7 HTTP/1.1\r\n\r\n",
            )
                .into_response(),
            _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        }
    }
    let (base, seen) = server(answer).await;
    let client = Client::new(&base).unwrap();

    let allowed = client.file_options("report-7").send().await.unwrap();
    assert_eq!(
        allowed.headers().get("allow").unwrap(),
        "GET, HEAD, OPTIONS, TRACE"
    );
    assert_eq!(
        allowed.into_inner().methods.unwrap(),
        ["GET", "HEAD", "OPTIONS", "TRACE"]
    );
    let echoed = client.trace_file("report-7").send().await.unwrap();
    assert_eq!(
        echoed.into_inner().as_ref(),
        b"TRACE /files/report-7 HTTP/1.1\r\n\r\n"
    );

    let methods: Vec<(Method, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| (s.method.clone(), s.path.clone()))
        .collect();
    assert_eq!(
        methods,
        [
            (Method::OPTIONS, "/files/report-7".to_owned()),
            (Method::TRACE, "/files/report-7".to_owned()),
        ]
    );
}
