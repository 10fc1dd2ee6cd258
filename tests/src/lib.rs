//! Support for the workspace's end-to-end tests: a stand-in MongoDB Atlas server that answers
//! every operation of `spec/atlas-snapshots.yaml` with the spec's own examples, keeps the
//! snapshots and restore jobs that write operations change (see [`lifecycle`]), checks request
//! bodies against the spec ([`body_check`]), records what it receives and can be told to
//! misbehave, so the committed `atlas-snapshots` client can be exercised over real HTTP on
//! `127.0.0.1` without reaching Atlas.
//!
//! ```no_run
//! # async fn run() {
//! use workspace_tests::{Fault, StandIn};
//! let server = StandIn::start().await;
//! let client = server.client_builder().bearer_token("token").build().unwrap();
//! server.inject(Fault::on("listFlexBackupSnapshots").status(500).raw("oops").times(1));
//! let _ = client.list_flex_backup_snapshots("32b6e34b3d91647abb20e7b8", "analytics-flex").send().await;
//! assert_eq!(server.requests()[0].header("authorization"), Some("Bearer token"));
//! # }
//! ```
//!
//! Without credentials set up, the stand-in lets every request through. Each of these
//! [`StandInBuilder`] methods makes it ask for one kind (any of them passes when several are
//! set); a refused request gets 401 with the spec's `unauthorized` example, and the v1.0
//! operations accept Digest only:
//!
//! - `require_digest(public_key, private_key)`: HTTP Digest with `realm="MMS Public API"`,
//!   `qop="auth"`, MD5 unless `digest_algorithm(DigestAlgorithm::Sha256)`; nonce counts must
//!   not repeat. [`StandIn::expire_nonces`] makes the nonces issued so far stale, and
//!   [`StandIn::digest_challenges`] counts the challenges sent.
//! - `service_account(client_id, client_secret)`: `POST /api/oauth/token` takes the pair with
//!   HTTP Basic and `grant_type=client_credentials`, and issues bearer tokens that last
//!   `token_lifetime(duration)` (one hour by default). [`StandIn::token_requests`] counts the
//!   calls of the endpoint and [`StandIn::revoke_tokens`] invalidates every token issued.
//! - `require_bearer(token)`: one fixed bearer token.
//!
//! ```no_run
//! # async fn run() {
//! use workspace_tests::{DigestAlgorithm, StandIn};
//! let server = StandIn::builder()
//!     .require_digest("public", "private")
//!     .digest_algorithm(DigestAlgorithm::Sha256)
//!     .start()
//!     .await;
//! let client = server.client_builder().digest_auth("public", "private").build().unwrap();
//! let _ = client.list_flex_backup_snapshots("32b6e34b3d91647abb20e7b8", "analytics-flex").send().await;
//! assert_eq!(server.digest_challenges(), 1);
//! # }
//! ```

pub mod auth;
pub mod body_check;
pub mod dataset;
pub mod envelope;
pub mod fault;
pub mod fixture_client;
pub mod ids;
pub mod lifecycle;
pub mod negotiate;
pub mod record;
pub mod server;
pub mod spec;

pub use auth::DigestAlgorithm;
pub use dataset::Dataset;
pub use fault::Fault;
pub use record::RecordedRequest;
pub use server::{StandIn, StandInBuilder};
pub use spec::{Spec, SpecOperation};
