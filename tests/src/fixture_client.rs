//! Clients generated from fixture specs and compiled into a test (`include!`d from
//! `tests/tests/generated/<name>/`), with the check that keeps those files fresh, and a server
//! on 127.0.0.1 that records what such a client sends.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

/// The files of a fixture's crate a test includes.
const INCLUDED: [&str; 5] = [
    "lib.rs",
    "models.rs",
    "decode.rs",
    "encode.rs",
    "operations.rs",
];

/// Checks that the files kept in `kept` (relative to the repository) are what the generator
/// emits today for `fixture`; stale ones are rewritten, and the check fails so that the next run
/// of `command` compiles the fresh ones.
pub fn assert_included_client_fresh(fixture: &str, kept: &str, command: &str) {
    let root = codegen::project::repository_root();
    let options = codegen::Options {
        spec_label: fixture.to_owned(),
        command: command.to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate(&root.join(fixture), &options).unwrap();
    let mut stale = Vec::new();
    for name in INCLUDED {
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
        let path = root.join(kept).join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != wanted {
            std::fs::write(&path, &wanted).unwrap();
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} were stale and have been rewritten; run `{command}` again"
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
