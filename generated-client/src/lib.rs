//! A typed client for the backup-snapshot endpoints of the MongoDB Atlas Administration API:
//! snapshots of serverless instances, of shared-tier (M2/M5) clusters and of Flex clusters,
//! through the current v2 API and the deprecated v1.0 API.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = atlas_snapshots::Client::builder()
//!     .bearer_token(std::env::var("ATLAS_TOKEN")?)
//!     .build()?;
//! let page = client
//!     .list_flex_backup_snapshots("32b6e34b3d91647abb20e7b8", "flex-one")
//!     .items_per_page(50)
//!     .send()
//!     .await?;
//! for snapshot in &page.results {
//!     println!("{:?} {:?}", snapshot.id, snapshot.status);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Credentials: an API key over HTTP Digest ([`ClientBuilder::digest_auth`]; the only kind the
//! deprecated v1.0 operations accept), a service account whose access tokens the client fetches
//! and renews ([`ClientBuilder::service_account`]), a ready access token
//! ([`ClientBuilder::bearer_token`]), or whichever of the first two the `MONGODB_ATLAS_*`
//! variables hold ([`ClientBuilder::credentials_from_env`]). Secrets never appear in `Debug`
//! output, error messages or logs.
//!
//! The operations, their request builders and the models are generated from the OpenAPI spec
//! (`src/generated/`, never edited by hand); the client, errors and transport are written by
//! hand (`src/client.rs`, `src/runtime/`).

mod client;
// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use client::{BuildError, Client, ClientBuilder};
pub use generated::{models, operations, v1, Error, API_VERSIONS, DEFAULT_BASE_URL};
pub use runtime::{CredentialKind, Credentials, ResponseValue, RetryPolicy};
