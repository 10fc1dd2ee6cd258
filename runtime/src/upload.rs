//! Bytes a request sends as they are: a raw body (`application/octet-stream`, `text/plain`, ...)
//! or a file part of a multipart form, from memory or from a stream, with an optional file name
//! and content type. Depends on no other runtime module.

use bytes::Bytes;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// Bytes to upload: a raw request body or a file part of a `multipart/form-data` body.
///
/// Bytes in memory are sent again on every retry. A stream (a file read as it is sent, say) is
/// read once: a request with a streamed upload is never retried, and an authentication scheme
/// that resends the request after a challenge (Digest, on its first call) cannot resend it.
///
/// ```
/// # use atlas_snapshots_runtime::Upload;
/// let report = Upload::bytes("a,b\n1,2\n")
///     .file_name("report.csv")
///     .content_type("text/csv");
/// assert_eq!(report.name(), Some("report.csv"));
/// ```
///
/// A file is streamed with `tokio_util::io::ReaderStream`:
/// `Upload::stream(reqwest::Body::wrap_stream(ReaderStream::new(file)))`.
#[derive(Clone)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Taken by the first attempt that sends it; clones of the upload share it.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Upload {
    /// Bytes held in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload {
            source: Source::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A body read as it is sent, such as `reqwest::Body::wrap_stream(stream)`. A body that
    /// already holds its bytes is kept as bytes, so that it can be retried.
    pub fn stream(body: reqwest::Body) -> Self {
        let source = match body.as_bytes() {
            Some(bytes) => Source::Bytes(Bytes::copy_from_slice(bytes)),
            None => Source::Stream(Arc::new(Mutex::new(Some(body)))),
        };
        Upload {
            source,
            file_name: None,
            content_type: None,
        }
    }

    /// The file name a multipart file part carries (`filename` of its `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type of a multipart file part, over the one the spec gives it. A raw body is
    /// always sent with the media type the spec declares.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name given with [`Upload::file_name`].
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type given with [`Upload::content_type`].
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Whether the upload is a stream, which is sent once and never retried.
    pub fn is_stream(&self) -> bool {
        matches!(self.source, Source::Stream(_))
    }

    /// The body to send: the bytes again, or the stream the first time it is asked for.
    pub(crate) fn take_body(&self) -> Result<reqwest::Body, SpentStream> {
        match &self.source {
            Source::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Source::Stream(slot) => slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or(SpentStream),
        }
    }
}

/// A streamed upload was asked for a second time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a streamed upload is read once and was already sent")]
pub(crate) struct SpentStream;

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Upload");
        match &self.source {
            Source::Bytes(bytes) => out.field("len", &bytes.len()),
            Source::Stream(_) => out.field("stream", &true),
        };
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload::bytes(text)
    }
}

impl From<reqwest::Body> for Upload {
    fn from(body: reqwest::Body) -> Self {
        Upload::stream(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_sent_again_and_a_stream_once() {
        let bytes = Upload::bytes("abc");
        assert!(bytes.take_body().is_ok());
        assert!(bytes.take_body().is_ok());
        assert!(!bytes.is_stream());

        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>("abc")]);
        let stream = Upload::stream(reqwest::Body::wrap_stream(chunks));
        let clone = stream.clone();
        assert!(stream.is_stream());
        assert!(stream.take_body().is_ok());
        assert_eq!(clone.take_body().err(), Some(SpentStream));
    }

    #[test]
    fn a_body_that_holds_its_bytes_is_kept_as_bytes() {
        let upload = Upload::stream(reqwest::Body::from("abc"));
        assert!(!upload.is_stream());
        assert_eq!(
            format!("{upload:?}"),
            "Upload { len: 3, file_name: None, content_type: None }"
        );
    }
}
