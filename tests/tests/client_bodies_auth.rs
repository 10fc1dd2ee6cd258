//! A client generated from `tests/fixtures/codegen/security.yaml`, compiled here and run
//! against a local server that records what arrives: a form post with repeated keys and its
//! `Content-Type`, HTTP Basic, and API keys in a header, the query and a cookie, each where the
//! spec's security scheme puts it. The generated files are kept in `tests/generated/security/`
//! (checked fresh here, like the committed client), without the crate root's inner attributes
//! and module declarations, which a test crate cannot include.

// The crate root of the generated client: `Client`, `Error`, the runtime re-exports.
include!("generated/security/lib.rs");

/// The generated models.
pub mod models {
    include!("generated/security/models.rs");
}

/// Their `Deserialize` impls.
mod decode {
    include!("generated/security/decode.rs");
}

/// Their `Serialize` impls.
mod encode {
    include!("generated/security/encode.rs");
}

/// The operations.
pub mod operations {
    include!("generated/security/operations.rs");
}

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

const FIXTURE: &str = "tests/fixtures/codegen/security.yaml";
const KEPT: &str = "tests/tests/generated/security";
const COMMAND: &str = "cargo test -p workspace-tests --test client_bodies_auth";

/// The included files must be what the generator emits today; stale ones are rewritten, and the
/// test fails so that the next run compiles the fresh ones.
#[test]
fn included_client_is_fresh() {
    let root = codegen::project::repository_root();
    let options = codegen::Options {
        spec_label: FIXTURE.to_owned(),
        command: COMMAND.to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate(&root.join(FIXTURE), &options).unwrap();
    let mut stale = Vec::new();
    for name in [
        "lib.rs",
        "models.rs",
        "decode.rs",
        "encode.rs",
        "operations.rs",
    ] {
        let file = generated
            .files
            .iter()
            .find(|f| f.path == format!("src/{name}"))
            .unwrap_or_else(|| panic!("a src/{name} file"));
        let wanted: String = file
            .contents
            .lines()
            .filter(|line| includable(line))
            .map(|line| format!("{line}\n"))
            .collect();
        let path = root.join(KEPT).join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != wanted {
            std::fs::write(&path, &wanted).unwrap();
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} were stale and have been rewritten; run `{COMMAND}` again"
    );
}

/// Whether a line of a generated file may stay in an included one: inner attributes and docs,
/// and the crate root's module declarations (with their attributes), may not.
fn includable(line: &str) -> bool {
    let line = line.trim();
    let module = line
        .strip_prefix("pub ")
        .unwrap_or(line)
        .strip_prefix("mod ")
        .is_some_and(|rest| rest.ends_with(';'));
    !(line.starts_with("#!")
        || line.starts_with("//!")
        || module
        || line == "#[rustfmt::skip]"
        || line == "#[cfg(feature = \"mock\")]")
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Arrived {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

/// A server on 127.0.0.1 that records every request and answers `201 {"sid": "SM1"}`.
async fn recorder() -> (String, Arc<Mutex<Vec<Arrived>>>) {
    let arrived: Arc<Mutex<Vec<Arrived>>> = Arc::default();
    let record = arrived.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(Arrived {
                    method,
                    uri,
                    headers,
                    body,
                });
                (
                    StatusCode::CREATED,
                    [("content-type", "application/json")],
                    r#"{"sid": "SM1", "to": "+15550001"}"#,
                )
                    .into_response()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/v1"), arrived)
}

fn header<'h>(arrived: &'h Arrived, name: &str) -> Option<&'h str> {
    arrived.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_form_post_with_basic_credentials_arrives_as_twilio_expects() {
    let (base, arrived) = recorder().await;
    let client = Client::builder()
        .base_url(&base)
        .basic_auth("AC123", "auth-t0ken")
        .build()
        .unwrap();
    let body = models::CreateMessageBody::new(
        "Hi & bye".to_owned(),
        vec!["+15550001".to_owned(), "+15550002".to_owned()],
    )
    .with_smart_encoded(true);
    let sent = client.create_message(body).send().await.unwrap();
    assert_eq!(sent.into_inner().sid.as_deref(), Some("SM1"));
    let arrived = arrived.lock().unwrap()[0].clone();
    assert_eq!(arrived.method, Method::POST);
    assert_eq!(arrived.uri.path(), "/v1/Messages.json");
    assert_eq!(
        header(&arrived, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(&arrived.body)
        .into_owned()
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("Body".to_owned(), "Hi & bye".to_owned()),
            ("SmartEncoded".to_owned(), "true".to_owned()),
            ("To".to_owned(), "+15550001".to_owned()),
            ("To".to_owned(), "+15550002".to_owned()),
        ]
    );
    // `AC123:auth-t0ken` in base64.
    assert_eq!(
        header(&arrived, "authorization"),
        Some("Basic QUMxMjM6YXV0aC10MGtlbg==")
    );
    assert!(!format!("{client:?}").contains("auth-t0ken"));
}

#[tokio::test]
async fn an_api_key_goes_where_each_operation_scheme_puts_it() {
    let (base, arrived) = recorder().await;
    let client = Client::builder()
        .base_url(&base)
        .api_key("k3y/+=")
        .build()
        .unwrap();
    client.by_header().send().await.unwrap();
    client.by_query().page(2).send().await.unwrap();
    client.by_cookie().send().await.unwrap();
    let arrived = arrived.lock().unwrap().clone();
    let [by_header, by_query, by_cookie] = arrived.as_slice() else {
        panic!("three requests: {arrived:?}");
    };
    assert_eq!(header(by_header, "x-api-key"), Some("k3y/+="));
    assert_eq!(by_header.uri.query(), None);
    assert_eq!(header(by_header, "authorization"), None);
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(by_query.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    assert_eq!(
        query,
        [
            ("page".to_owned(), "2".to_owned()),
            ("api_key".to_owned(), "k3y/+=".to_owned()),
        ]
    );
    assert_eq!(header(by_query, "x-api-key"), None);
    assert_eq!(header(by_cookie, "cookie"), Some("session=k3y/+="));
    assert!(!format!("{client:?}").contains("k3y"));
}

#[tokio::test]
async fn credentials_an_operation_does_not_accept_are_refused_before_sending() {
    let (base, arrived) = recorder().await;
    let client = Client::builder()
        .base_url(&base)
        .api_key("k3y")
        .build()
        .unwrap();
    let refused = client.by_digest().send().await.unwrap_err();
    assert!(
        refused.to_string().contains("digest"),
        "the error names the scheme: {refused}"
    );
    assert!(arrived.lock().unwrap().is_empty());
}
