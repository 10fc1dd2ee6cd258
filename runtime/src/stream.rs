//! A success body handed over unread, for answers too large to hold in memory (archives, CSV
//! exports, downloads): read chunk by chunk, streamed, or copied to any `AsyncWrite`, with an
//! optional size bound and progress reports. Depends on no other runtime module.

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use std::fmt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// The body of a success answer, read as it arrives rather than held whole.
///
/// Built by the `send_stream()` of operations that answer with something other than JSON.
/// Nothing bounds its size unless [`limit`](Self::limit) says so; [`collect`](Self::collect)
/// holds the whole body and so takes a bound of its own.
pub struct ByteStream {
    source: Source,
    operation: &'static str,
    method: &'static str,
    path: String,
    received: u64,
    /// The announced size, read once: reqwest's own count shrinks as the body is read.
    total: Option<u64>,
    limit: Option<u64>,
    progress: Option<Box<dyn FnMut(Progress) + Send>>,
}

/// Where the chunks come from.
enum Source {
    /// An answer still arriving.
    Response(reqwest::Response),
    /// Bytes already at hand (a body read whole, or given by a test), handed out once.
    Bytes(Option<Bytes>),
}

/// How far a [`ByteStream`] has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes received so far.
    pub received: u64,
    /// The size the server announced (`Content-Length`), if it did.
    pub total: Option<u64>,
}

/// Why a [`ByteStream`] could not be read to its end. What was delivered before stays
/// delivered: a writer holds every byte counted in the error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or broke off while the body was arriving.
    #[error("{operation}: {method} {path}: the answer's body broke off after {received} bytes")]
    Transport {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// Bytes received before the failure.
        received: u64,
        /// What failed.
        #[source]
        source: reqwest::Error,
    },
    /// The body is (or announced to be) longer than the bound set on the stream.
    #[error(
        "{operation}: {method} {path}: the answer's body is longer than the {limit} bytes allowed"
    )]
    TooLarge {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// The bound that was passed.
        limit: u64,
    },
    /// The writer refused the bytes.
    #[error(
        "{operation}: {method} {path}: writing the answer's body failed after {written} bytes"
    )]
    Write {
        /// The `operationId` of the operation.
        operation: &'static str,
        /// The HTTP method of the request.
        method: &'static str,
        /// The path of the request, with its parameters filled in.
        path: String,
        /// Bytes written before the failure.
        written: u64,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("path", &self.path)
            .field("received", &self.received)
            .field("total", &self.total())
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(
        response: reqwest::Response,
        operation: &'static str,
        method: &'static str,
        path: String,
    ) -> Self {
        ByteStream {
            total: response.content_length(),
            source: Source::Response(response),
            operation,
            method,
            path,
            received: 0,
            limit: None,
            progress: None,
        }
    }

    /// A stream of bytes already at hand, for tests of code that reads a [`ByteStream`].
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        ByteStream {
            total: Some(bytes.len() as u64),
            source: Source::Bytes(Some(bytes)),
            operation: "",
            method: "",
            path: String::new(),
            received: 0,
            limit: None,
            progress: None,
        }
    }

    /// The size the server announced (`Content-Length`), if it did.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Fails the read with [`StreamError::TooLarge`] once more than `bytes` arrive (at once
    /// when the server announces more), so a server cannot fill a disk or memory.
    pub fn limit(mut self, bytes: u64) -> Self {
        self.limit = Some(bytes);
        self
    }

    /// Calls `report` after every chunk received, for a progress bar.
    pub fn on_progress(mut self, report: impl FnMut(Progress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(report));
        self
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, StreamError> {
        if let (Some(limit), Some(total)) = (self.limit, self.total()) {
            if total > limit {
                return Err(self.too_large(limit));
            }
        }
        let read = match &mut self.source {
            Source::Response(response) => response.chunk().await,
            Source::Bytes(bytes) => Ok(bytes.take().filter(|b| !b.is_empty())),
        };
        let chunk = match read {
            Ok(chunk) => chunk,
            Err(source) => {
                return Err(StreamError::Transport {
                    operation: self.operation,
                    method: self.method,
                    path: self.path.clone(),
                    received: self.received,
                    source: source.without_url(),
                })
            }
        };
        let Some(chunk) = chunk else {
            return Ok(None);
        };
        self.received += chunk.len() as u64;
        if let Some(limit) = self.limit.filter(|limit| self.received > *limit) {
            return Err(self.too_large(limit));
        }
        let progress = Progress {
            received: self.received,
            total: self.total(),
        };
        if let Some(report) = &mut self.progress {
            report(progress);
        }
        Ok(Some(chunk))
    }

    /// Copies the whole body to `writer` and flushes it; gives the number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> Result<u64, StreamError> {
        let mut written = 0;
        while let Some(chunk) = self.chunk().await? {
            if let Err(source) = writer.write_all(&chunk).await {
                return Err(self.write_failed(written, source));
            }
            written += chunk.len() as u64;
        }
        if let Err(source) = writer.flush().await {
            return Err(self.write_failed(written, source));
        }
        Ok(written)
    }

    /// The whole body in memory, refused when longer than `limit` bytes.
    pub async fn collect(mut self, limit: u64) -> Result<Bytes, StreamError> {
        self.limit = Some(self.limit.map_or(limit, |own| own.min(limit)));
        let capacity = self.total().unwrap_or(0).min(limit);
        let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    /// The body as a [`Stream`] of chunks, for code built on `futures` combinators.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, StreamError>> + Send {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut stream = state?;
            match stream.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(stream))),
                Ok(None) => None,
                // Nothing follows a failure.
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    fn too_large(&self, limit: u64) -> StreamError {
        StreamError::TooLarge {
            operation: self.operation,
            method: self.method,
            path: self.path.clone(),
            limit,
        }
    }

    fn write_failed(&self, written: u64, source: std::io::Error) -> StreamError {
        StreamError::Write {
            operation: self.operation,
            method: self.method,
            path: self.path.clone(),
            written,
            source,
        }
    }
}
