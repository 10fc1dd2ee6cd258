//! A client generated from `tests/fixtures/codegen/security.yaml`, compiled here and run
//! against a local server that records what arrives: a form post with repeated keys and its
//! `Content-Type`, HTTP Basic, and API keys in a header, the query and a cookie, each where the
//! spec's security scheme puts it; redirects with and without credentials, within the origin
//! and to another one (a second server). The generated files are kept in
//! `tests/generated/security/` (checked fresh here, like the committed client), without the
//! crate root's inner attributes and module declarations, which a test crate cannot include.

// The generated client, every module inline: `Client`, `Error`, the runtime re-exports,
// `models` and `operations`.
include!("generated/security/client.rs");

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
async fn credentials_come_from_variables_named_after_the_api_not_atlas() {
    let (base, arrived) = recorder().await;
    let vars = [
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "atlas-public"),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", "atlas-private"),
        ("SECURITY_USERNAME", "AC123"),
        ("SECURITY_PASSWORD", "auth-t0ken"),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    };
    // The spec's title is `Security`: its variables are `SECURITY_*`, Atlas's are not read.
    let client = Client::builder()
        .base_url(&base)
        .credentials_from_lookup(lookup)
        .build()
        .unwrap();
    assert_eq!(client.credential_kind(), Some(CredentialKind::Basic));
    let body = models::CreateMessageBody::new("Hi".to_owned(), vec!["+15550001".to_owned()]);
    client.create_message(body).send().await.unwrap();
    assert_eq!(
        header(&arrived.lock().unwrap()[0], "authorization"),
        Some("Basic QUMxMjM6YXV0aC10MGtlbg==")
    );
    // With none of its own set, the error names the API's variables.
    let error = Client::builder()
        .base_url(&base)
        .credentials_from_lookup(|name| {
            (name.starts_with("MONGODB_ATLAS_")).then(|| "x".to_owned())
        })
        .build()
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("SECURITY_USERNAME and SECURITY_PASSWORD"),
        "{message}"
    );
    assert!(!message.contains("MONGODB_ATLAS"), "{message}");
}

#[tokio::test]
async fn an_operation_whose_security_is_empty_gets_no_credentials() {
    let (base, arrived) = recorder().await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t0ken")
        .build()
        .unwrap();
    client.open().send().await.unwrap();
    client.by_bearer().send().await.unwrap();
    let arrived = arrived.lock().unwrap();
    let authorization: Vec<(&str, Option<&str>)> = arrived
        .iter()
        .map(|a| (a.uri.path(), header(a, "authorization")))
        .collect();
    assert_eq!(
        authorization,
        [("/v1/open", None), ("/v1/by-bearer", Some("Bearer t0ken"))]
    );
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
    let client = keyed_client(&base);
    let refused = client.by_digest().send().await.unwrap_err();
    assert!(
        refused.to_string().contains("digest"),
        "the error names the scheme: {refused}"
    );
    assert!(arrived.lock().unwrap().is_empty());
}

/// A server on 127.0.0.1 that answers `307` with `Location: location` to every request but
/// those to `/v1/landed`, which get `201`; its base URL and what arrived.
async fn redirector(location: String) -> (String, Arc<Mutex<Vec<Arrived>>>) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode, Uri};
    use axum::response::IntoResponse;
    let arrived: Arc<Mutex<Vec<Arrived>>> = Arc::default();
    let record = arrived.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            let location = location.clone();
            async move {
                let landed = uri.path() == "/v1/landed";
                record.lock().unwrap().push(Arrived {
                    method,
                    uri,
                    headers,
                    body,
                });
                match landed {
                    true => StatusCode::CREATED.into_response(),
                    false => {
                        (StatusCode::TEMPORARY_REDIRECT, [("location", location)]).into_response()
                    }
                }
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/v1"), arrived)
}

/// A client holding an API key, for `base`.
fn keyed_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key("k3y")
        .build()
        .unwrap()
}

/// The paths of what arrived so far.
fn paths(arrived: &Mutex<Vec<Arrived>>) -> Vec<String> {
    let arrived = arrived.lock().unwrap();
    arrived.iter().map(|a| a.uri.path().to_owned()).collect()
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_credentials() {
    let (base, arrived) = redirector("/v1/landed".to_owned()).await;
    keyed_client(&base).by_header().send().await.unwrap();
    assert_eq!(paths(&arrived), ["/v1/by-header", "/v1/landed"]);
    assert_eq!(
        header(&arrived.lock().unwrap()[1], "x-api-key"),
        Some("k3y")
    );
}

#[tokio::test]
async fn a_redirect_that_is_the_operations_answer_is_returned_not_followed() {
    let (base, arrived) = redirector("/v1/landed".to_owned()).await;
    let client = keyed_client(&base);
    // `Login` declares only a 303: the redirect is its result.
    let answer = client.login().send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 307);
    assert_eq!(
        answer.headers().get("location").unwrap().to_str().unwrap(),
        "/v1/landed"
    );
    assert_eq!(paths(&arrived), ["/v1/login"]);

    // Another operation of the same client still follows a redirect.
    client.by_header().send().await.unwrap();
    assert_eq!(
        paths(&arrived),
        ["/v1/login", "/v1/by-header", "/v1/landed"]
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_while_credentials_are_attached() {
    // Another port is another origin.
    let (elsewhere, landed) = recorder().await;
    let (base, arrived) = redirector(format!("{elsewhere}/landed?api_key=k3y")).await;
    let with_key = keyed_client(&base);
    let with_token = Client::builder()
        .base_url(&base)
        .bearer_token("t0ken")
        .build()
        .unwrap();
    // An API key in a header of the API's own name, which reqwest would have passed on; and an
    // operation that takes no credentials, on a client that has some: the rule is the client's,
    // since a redirect policy does not see which request it follows.
    for (refused, operation, path) in [
        (with_key.by_header().send().await, "ByHeader", "/by-header"),
        (with_token.open().send().await, "Open", "/open"),
    ] {
        let refused = refused.unwrap_err();
        match &refused {
            Error::RedirectNotFollowed {
                operation: op,
                method,
                path: sent_to,
                status,
                location,
            } => {
                assert_eq!((*op, *method, sent_to.as_str()), (operation, "GET", path));
                assert_eq!(status.as_u16(), 307);
                assert_eq!(*location, format!("{elsewhere}/landed"));
            }
            other => panic!("expected RedirectNotFollowed, got {other:?}"),
        }
        let shown = ErrorChain(&refused).to_string();
        assert!(shown.contains(&format!("{elsewhere}/landed")), "{shown}");
        assert!(
            shown.contains("not followed because the request carries credentials"),
            "{shown}"
        );
        assert!(
            !shown.contains("k3y") && !shown.contains("t0ken"),
            "{shown}"
        );
    }
    assert_eq!(arrived.lock().unwrap().len(), 2, "one request each");
    assert!(
        landed.lock().unwrap().is_empty(),
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn a_client_without_credentials_follows_a_redirect_to_another_origin() {
    let (elsewhere, landed) = recorder().await;
    let (base, _) = redirector(format!("{elsewhere}/landed?page=2")).await;
    let client = Client::builder().base_url(&base).build().unwrap();
    client.open().send().await.unwrap();
    let landed = landed.lock().unwrap().clone();
    let [landed] = landed.as_slice() else {
        panic!("one request: {landed:?}");
    };
    assert_eq!(landed.uri.path(), "/v1/landed");
    assert_eq!(landed.uri.query(), Some("page=2"));
}
