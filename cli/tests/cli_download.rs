//! `atlas-snapshots download URL --output-file PATH` against a local file server: the file
//! appears whole or not at all, an existing one is replaced only by a complete download, no
//! credentials go with the link, and `--dry-run` prints the request without sending it.

mod support;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

const SIZE: usize = 2 << 20;

fn archive() -> Vec<u8> {
    (0..SIZE).map(|i| (i % 253) as u8).collect()
}

/// A file server on its own runtime: `/archive` is the archive, anything else a 403 with an
/// XML body, as a storage service answers an expired link. It records each `Authorization`.
struct Files {
    base: String,
    authorizations: Arc<Mutex<Vec<Option<String>>>>,
    _runtime: tokio::runtime::Runtime,
}

fn serve() -> Files {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let authorizations: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let seen = authorizations.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(
                headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_owned()),
            );
            match uri.path() {
                "/archive" => ([("content-type", "application/gzip")], archive()).into_response(),
                _ => (
                    StatusCode::FORBIDDEN,
                    "<Error><Code>AccessDenied</Code></Error>",
                )
                    .into_response(),
            }
        }
    });
    let base = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{address}")
    });
    Files {
        base,
        authorizations,
        _runtime: runtime,
    }
}

/// The binary with API credentials, which a download must not send.
fn cli() -> assert_cmd::Command {
    let mut cmd = support::bare();
    cmd.env("MONGODB_ATLAS_ACCESS_TOKEN", "api-token");
    cmd
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".part"))
        .collect()
}

#[test]
fn a_link_is_downloaded_whole_into_the_file_without_credentials() {
    let files = serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.tar.gz");
    let output = cli()
        .args(["download", &format!("{}/archive?sig=s3cr3t", files.base)])
        .arg("--output-file")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(std::fs::read(&path).unwrap(), archive());
    assert!(support::stderr(&output).contains(&format!("wrote {SIZE} bytes")));
    assert!(leftovers(dir.path()).is_empty());
    assert_eq!(*files.authorizations.lock().unwrap(), vec![None]);
}

#[test]
fn a_refused_or_oversized_download_leaves_the_file_as_it_was() {
    let files = serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.tar.gz");
    std::fs::write(&path, "the previous download").unwrap();

    let expired = cli()
        .args(["download", &format!("{}/expired?sig=s3cr3t", files.base)])
        .arg("--output-file")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        expired.status.code(),
        Some(4),
        "403 is an authorization failure"
    );
    let message = support::stderr(&expired);
    assert!(message.contains("AccessDenied"), "{message}");
    assert!(!message.contains("s3cr3t"), "{message}");

    let oversized = cli()
        .args(["download", &format!("{}/archive", files.base)])
        .args(["--max-size", "1000", "--output-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        oversized.status.code(),
        Some(6),
        "{}",
        support::stderr(&oversized)
    );
    assert!(support::stderr(&oversized).contains("1000 bytes"));

    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the previous download"
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_dry_run_prints_the_download_and_writes_nothing() {
    let files = serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.tar.gz");
    let output = cli()
        .args(["--dry-run", "download", &format!("{}/archive", files.base)])
        .arg("--output-file")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    let curl = support::stdout(&output);
    assert!(curl.starts_with("curl --request GET"), "{curl}");
    assert!(curl.contains("/archive"), "{curl}");
    assert!(
        !curl.contains("api-token") && !curl.contains("Authorization"),
        "{curl}"
    );
    assert!(!path.exists());
    assert!(
        files.authorizations.lock().unwrap().is_empty(),
        "nothing was sent"
    );
}
