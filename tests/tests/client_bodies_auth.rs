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

use axum::http::Method;
use std::sync::{Arc, Mutex};
use workspace_tests::fixture_client::{self, assert_included_client_fresh, Arrived};

const FIXTURE: &str = "tests/fixtures/codegen/security.yaml";
const KEPT: &str = "tests/tests/generated/security";
const COMMAND: &str = "cargo test -p workspace-tests --test client_bodies_auth";

#[test]
fn included_client_is_fresh() {
    assert_included_client_fresh(FIXTURE, KEPT, COMMAND);
}

/// A server on 127.0.0.1 that records every request and answers `201 {"sid": "SM1", "to": "+15550001"}`.
async fn recorder() -> (String, Arc<Mutex<Vec<Arrived>>>) {
    fixture_client::recorder("/v1", r#"{"sid": "SM1", "to": "+15550001"}"#).await
}

fn header<'h>(arrived: &'h Arrived, name: &str) -> Option<&'h str> {
    arrived.header(name)
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
