//! A client generated from `tests/fixtures/codegen/uploads.yaml`, compiled here and run against
//! a local server that records what arrives: a multipart form with a streamed file part and
//! text parts (names, file name and part content types), raw `application/octet-stream` and
//! `text/plain` uploads, a JSON Patch body, and the media type a caller picks where an operation
//! accepts several. The generated files are kept in `tests/generated/uploads/`, checked fresh
//! here like those of `client_bodies_auth`.

// The generated client, every module inline: `Client`, `Error`, the runtime re-exports,
// `models` and `operations`.
include!("generated/uploads/client.rs");

use axum::http::Method;
use operations::{ImportRowsContent, UploadAttachmentMultipart, UploadDocumentContent};
use std::sync::{Arc, Mutex};
use workspace_tests::fixture_client::{self, assert_included_client_fresh, Arrived};

const FIXTURE: &str = "tests/fixtures/codegen/uploads.yaml";
const KEPT: &str = "tests/tests/generated/uploads";
const COMMAND: &str = "cargo test -p workspace-tests --test client_uploads";

#[test]
fn included_client_is_fresh() {
    assert_included_client_fresh(FIXTURE, KEPT, COMMAND);
}

/// A server on 127.0.0.1 that records every request and answers `201 {"id": "S1"}`.
async fn recorder() -> (String, Arc<Mutex<Vec<Arrived>>>) {
    fixture_client::recorder("", r#"{"id": "S1"}"#).await
}

fn header<'h>(arrived: &'h Arrived, name: &str) -> Option<&'h str> {
    arrived.header(name)
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
