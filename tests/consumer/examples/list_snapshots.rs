//! The client as a library, in a few lines: every backup snapshot of a Flex cluster, all pages,
//! one line each. From the shell, the `atlas-snapshots` command line does this and every other
//! operation (`atlas-snapshots flex-snapshots list-flex-backup-snapshots --all`).
//!
//! ```text
//! cargo run -p snapshot-consumer --example list_snapshots -- \
//!     http://127.0.0.1:8080 32b6e34b3d91647abb20e7b8 analytics-flex
//! ```
//!
//! Credentials come from the environment (`MONGODB_ATLAS_CLIENT_ID` and
//! `MONGODB_ATLAS_CLIENT_SECRET`, or `MONGODB_ATLAS_PUBLIC_API_KEY` and
//! `MONGODB_ATLAS_PRIVATE_API_KEY`); with none set, requests go out unauthenticated, which the
//! local stand-in server (`cargo xtask stub`) accepts.

use atlas_snapshots::{Client, ErrorChain, ListRequest};
use futures_util::TryStreamExt;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, group_id, name] = args.as_slice() else {
        eprintln!("usage: list_snapshots BASE_URL GROUP_ID FLEX_CLUSTER_NAME");
        return ExitCode::from(2);
    };
    let mut builder = Client::builder().base_url(base_url);
    if std::env::vars().any(|(k, _)| k.starts_with("MONGODB_ATLAS_")) {
        builder = builder.credentials_from_env();
    }
    let listed = async {
        let client = builder.build()?;
        let snapshots = client.list_flex_backup_snapshots(group_id, name).items();
        snapshots
            .try_for_each(|snapshot| async move {
                let status = snapshot.status.map(|s| s.to_string()).unwrap_or_default();
                println!("{}  {status}", snapshot.id.unwrap_or_default());
                Ok(())
            })
            .await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    match listed.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", ErrorChain(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}
