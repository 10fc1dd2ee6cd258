//! Support for the workspace's end-to-end tests: a stand-in MongoDB Atlas server that answers
//! every operation of `spec/atlas-snapshots.yaml` with the spec's own examples, records what it
//! receives and can be told to misbehave, so the committed `atlas-snapshots` client can be
//! exercised over real HTTP on `127.0.0.1` without reaching Atlas.
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

pub mod fault;
pub mod ids;
pub mod negotiate;
pub mod record;
pub mod server;
pub mod spec;

pub use fault::Fault;
pub use record::RecordedRequest;
pub use server::{StandIn, StandInBuilder};
pub use spec::{Spec, SpecOperation};
