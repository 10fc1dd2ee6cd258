//! A client generated from `tests/fixtures/codegen/uploads.yaml`, compiled here and run against
//! a local server that records what arrives: a multipart form with a streamed file part and
//! text parts (names, file name and part content types), raw `application/octet-stream` and
//! `text/plain` uploads, a JSON Patch body, and the media type a caller picks where an operation
//! accepts several. The generated files are kept in `tests/generated/uploads/`, checked fresh
//! here like those of `client_bodies_auth`.

// The crate root of the generated client: `Client`, `Error`, the runtime re-exports.
include!("generated/uploads/lib.rs");

/// The generated models.
pub mod models {
    include!("generated/uploads/models.rs");
}

/// Their `Deserialize` impls.
mod decode {
    include!("generated/uploads/decode.rs");
}

/// Their `Serialize` impls.
mod encode {
    include!("generated/uploads/encode.rs");
}

/// The operations.
pub mod operations {
    include!("generated/uploads/operations.rs");
}

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use operations::{ImportRowsContent, UploadAttachmentMultipart, UploadDocumentContent};
use std::sync::{Arc, Mutex};

const FIXTURE: &str = "tests/fixtures/codegen/uploads.yaml";
const KEPT: &str = "tests/tests/generated/uploads";
const COMMAND: &str = "cargo test -p workspace-tests --test client_uploads";

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

/// A server on 127.0.0.1 that records every request and answers `201 {"id": "S1"}`.
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
                    r#"{"id": "S1"}"#,
                )
                    .into_response()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), arrived)
}

fn header<'h>(arrived: &'h Arrived, name: &str) -> Option<&'h str> {
    arrived.headers.get(name).and_then(|v| v.to_str().ok())
}

/// One part of a multipart body as it arrived.
#[derive(Debug, PartialEq)]
struct ArrivedPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: String,
}

/// The parts of a `multipart/form-data` request, in order, read by multer.
async fn parts(arrived: &Arrived) -> Vec<ArrivedPart> {
    let content_type = header(arrived, "content-type").expect("a Content-Type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = arrived.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        out.push(ArrivedPart {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(ToString::to_string),
            body: String::from_utf8_lossy(&field.bytes().await.unwrap()).into_owned(),
        });
    }
    out
}

fn part(
    name: &str,
    file_name: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> ArrivedPart {
    ArrivedPart {
        name: name.to_owned(),
        file_name: file_name.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        body: body.to_owned(),
    }
}

/// A file on disk, streamed as it is sent.
async fn streamed_file(contents: &[u8]) -> Upload {
    let path = std::env::temp_dir().join(format!("client-uploads-{}.png", std::process::id()));
    tokio::fs::write(&path, contents).await.unwrap();
    let file = tokio::fs::File::open(&path).await.unwrap();
    let upload = Upload::stream(reqwest::Body::wrap_stream(
        tokio_util::io::ReaderStream::new(file),
    ));
    assert!(upload.is_stream());
    upload
}

#[tokio::test]
async fn a_multipart_form_with_a_streamed_file_arrives_part_by_part() {
    let (base, arrived) = recorder().await;
    let client = Client::new(&base).unwrap();
    let file = streamed_file(b"\x89PNG fake image")
        .await
        .file_name("photo.png");
    let body = UploadAttachmentMultipart::new(file, "Holiday")
        .tags(vec!["sea".to_owned(), "sun".to_owned()])
        .meta(models::AttachmentMeta::new().with_width(640))
        .extras(vec![Upload::bytes("jpeg bytes")
            .file_name("thumb.jpg")
            .content_type("image/jpeg")]);
    let stored = client.upload_attachment(body).send().await.unwrap();
    assert_eq!(stored.into_inner().id.as_deref(), Some("S1"));
    let arrived = arrived.lock().unwrap()[0].clone();
    assert_eq!(arrived.method, Method::POST);
    assert_eq!(arrived.uri.path(), "/attachments");
    assert_eq!(
        parts(&arrived).await,
        [
            // The upload's own content type wins over the spec's list of two.
            part(
                "extras",
                Some("thumb.jpg"),
                Some("image/jpeg"),
                "jpeg bytes"
            ),
            // The spec's `encoding` gives the file part its content type.
            part(
                "file",
                Some("photo.png"),
                Some("image/png"),
                "\u{fffd}PNG fake image"
            ),
            part("meta", None, Some("application/json"), r#"{"width":640}"#),
            part("tags", None, None, "sea"),
            part("tags", None, None, "sun"),
            part("title", None, None, "Holiday"),
        ]
    );
}

#[tokio::test]
async fn raw_uploads_arrive_as_they_are_with_the_declared_media_type() {
    let (base, arrived) = recorder().await;
    let client = Client::new(&base).unwrap();
    client
        .put_blob("b1", Upload::bytes(vec![0u8, 1, 2, 255]))
        .send()
        .await
        .unwrap();
    client
        .put_note("n1", streamed_file(b"dear diary").await)
        .send()
        .await
        .unwrap();
    let arrived = arrived.lock().unwrap().clone();
    let [blob, note] = arrived.as_slice() else {
        panic!("two requests: {arrived:?}");
    };
    assert_eq!(
        (blob.method.as_str(), blob.uri.path()),
        ("PUT", "/blobs/b1")
    );
    assert_eq!(
        header(blob, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(&blob.body[..], [0u8, 1, 2, 255]);
    assert_eq!(note.uri.path(), "/notes/n1");
    assert_eq!(
        header(note, "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(&note.body[..], b"dear diary");
}

#[tokio::test]
async fn a_json_patch_body_is_json_with_its_own_media_type() {
    let (base, arrived) = recorder().await;
    let client = Client::new(&base).unwrap();
    let patch =
        vec![
            models::PatchOperation::new(models::PatchOperationOp::Replace, "/name".to_owned())
                .with_value(serde_json::json!("new")),
        ];
    client.patch_record("r1", patch).send().await.unwrap();
    let arrived = arrived.lock().unwrap()[0].clone();
    assert_eq!(arrived.method, Method::PATCH);
    assert_eq!(
        header(&arrived, "content-type"),
        Some("application/json-patch+json")
    );
    let sent: serde_json::Value = serde_json::from_slice(&arrived.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!([{"op": "replace", "path": "/name", "value": "new"}])
    );
}

#[tokio::test]
async fn the_variant_a_caller_picks_decides_the_media_type() {
    let (base, arrived) = recorder().await;
    let client = Client::new(&base).unwrap();
    let rows = models::ImportRowsBody::new().with_rows(vec!["a".to_owned()]);
    client
        .import_rows(ImportRowsContent::ApplicationJson(rows))
        .send()
        .await
        .unwrap();
    client
        .import_rows(ImportRowsContent::TextCsv(Upload::bytes("a,b\n1,2\n")))
        .send()
        .await
        .unwrap();
    let form = operations::UploadDocumentMultipart::new()
        .document(Upload::bytes("%PDF").file_name("doc.pdf"))
        .pages(3);
    client
        .upload_document()
        .body(UploadDocumentContent::MultipartFormData(form))
        .send()
        .await
        .unwrap();
    client
        .upload_document()
        .body(UploadDocumentContent::ApplicationOctetStream(
            Upload::bytes("%PDF"),
        ))
        .send()
        .await
        .unwrap();
    client.upload_document().send().await.unwrap();
    let arrived = arrived.lock().unwrap().clone();
    let [json, csv, multipart, octets, empty] = arrived.as_slice() else {
        panic!("five requests: {arrived:?}");
    };
    assert_eq!(header(json, "content-type"), Some("application/json"));
    assert_eq!(&json.body[..], br#"{"rows":["a"]}"#);
    assert_eq!(header(csv, "content-type"), Some("text/csv"));
    assert_eq!(&csv.body[..], b"a,b\n1,2\n");
    assert_eq!(
        parts(multipart).await,
        [
            part(
                "document",
                Some("doc.pdf"),
                Some("application/octet-stream"),
                "%PDF"
            ),
            part("pages", None, None, "3"),
        ]
    );
    assert_eq!(
        header(octets, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(&octets.body[..], b"%PDF");
    assert_eq!(header(empty, "content-type"), None);
    assert!(empty.body.is_empty());
}
