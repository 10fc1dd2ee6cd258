//! Clients generated from fixture specs and compiled into a test (`include!`d from
//! `tests/tests/generated/<name>/client.rs`), with the check that keeps those files fresh, and a
//! server on 127.0.0.1 that records what such a client sends.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

/// The file a test includes: the fixture's whole client as one module source, every module
/// inline, as a build script would write it (the typed mocks left out).
const INCLUDED: &str = "client.rs";

/// Checks that the client kept in `kept` (relative to the repository) is what the generator
/// emits today for `fixture`; a stale one is rewritten, and the check fails so that the next run
/// of `command` compiles the fresh one.
pub fn assert_included_client_fresh(fixture: &str, kept: &str, command: &str) {
    let root = codegen::project::repository_root();
    let options = codegen::Options {
        spec_label: fixture.to_owned(),
        command: command.to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let wanted = codegen::build_script::module_source_with(&root.join(fixture), &options)
        .unwrap()
        .source;
    let path = root.join(kept).join(INCLUDED);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != wanted {
        std::fs::create_dir_all(root.join(kept)).unwrap();
        std::fs::write(&path, &wanted).unwrap();
    }
    assert!(
        current == wanted,
        "{} was stale and has been rewritten; run `{command}` again",
        path.display()
    );
}

/// One request as the recording server saw it.
#[derive(Debug, Clone)]
pub struct Arrived {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Arrived {
    /// A header's value, when it is there and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A server on 127.0.0.1 that records every request and answers `201` with the JSON `answer`;
/// its base URL (`http://127.0.0.1:PORT` and `base_path`) and what arrived.
pub async fn recorder(base_path: &str, answer: &'static str) -> (String, Arc<Mutex<Vec<Arrived>>>) {
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
                    answer,
                )
                    .into_response()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}{base_path}"), arrived)
}
