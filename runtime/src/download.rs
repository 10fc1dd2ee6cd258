//! Downloads of what an answer points at: a Flex snapshot's `snapshotUrl`, a restore job's
//! `deliveryUrl`. Such a URL is signed for the caller and usually on another host, so it is
//! fetched with no credentials; the request still goes through the client's attempt layers and
//! retries, and its body comes back unread as a [`ByteStream`] to copy to a file with a size
//! bound and progress reports.

use crate::client::BaseClient;
use crate::descriptor::{AuthKind, AuthScheme, HttpMethod, MediaVersion, OperationInfo};
use crate::error::{ApiErrorBody, Error};
use crate::request::Request;
use crate::response::ResponseValue;
use crate::stream::ByteStream;
use crate::InvalidParameter;

/// The descriptor of a download: a GET that takes no credentials and any media type.
static DOWNLOAD: OperationInfo = OperationInfo {
    id: "download",
    method: HttpMethod::Get,
    path: "",
    responses: &[MediaVersion {
        version: None,
        media_type: "*/*",
        sunset: None,
    }],
    requests: &[],
    auth: &[AuthScheme {
        name: "none",
        kind: AuthKind::None,
    }],
    params: &[],
    deprecation: None,
};

impl BaseClient {
    /// Fetches `url`, a download link from an answer, and hands back its body unread. `E` is
    /// the API's error body, as in the generated crate's `Error`, whose `Client::download`
    /// fixes it.
    ///
    /// No credentials are sent: the link is signed for the caller. The request goes through
    /// the client's attempt layers and is retried as any GET is; an error status is
    /// [`Error::UnexpectedStatus`] with an excerpt of the body (storage services answer in
    /// their own formats), and errors and traces name the link's path, never its query,
    /// which holds the signature. Bound the size with [`ByteStream::limit`], watch it with
    /// [`ByteStream::on_progress`] and copy it with [`ByteStream::write_to`]:
    ///
    /// ```no_run
    /// # async fn example(client: &atlas_snapshots_runtime::BaseClient, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// let archive = client.download::<serde_json::Value>(url).await?.into_inner();
    /// let mut file = tokio::fs::File::create("snapshot.tar.gz").await?;
    /// archive
    ///     .limit(64 << 30)
    ///     .on_progress(|p| eprintln!("{} of {:?} bytes", p.received, p.total))
    ///     .write_to(&mut file)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn download<E: ApiErrorBody>(
        &self,
        url: &str,
    ) -> Result<ResponseValue<ByteStream>, Error<E>> {
        let refused = |reason: String| Error::InvalidRequest {
            operation: DOWNLOAD.id,
            problems: vec![InvalidParameter {
                name: "url".to_owned(),
                // The query may be a signature; the error shows what comes before it.
                value: url.split('?').next().unwrap_or_default().to_owned(),
                reason,
            }],
        };
        let parsed = url::Url::parse(url).map_err(|e| refused(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(refused(format!(
                "a download link is http or https, not {}",
                parsed.scheme()
            )));
        }
        let mut request = Request::new(self, &DOWNLOAD);
        request.send_to(parsed);
        request.send_stream().await
    }
}
