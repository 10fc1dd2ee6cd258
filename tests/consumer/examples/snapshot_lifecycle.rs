//! Takes an on-demand snapshot of a dedicated cluster, waits until it is completed, shortens
//! how long it is kept, lists the cluster's snapshots, restores the snapshot into another
//! cluster, waits for the restore job, then deletes the snapshot; each step is printed as it
//! ends.
//!
//! ```text
//! cargo xtask stub &
//! cargo run -p snapshot-consumer --example snapshot_lifecycle -- \
//!     --base-url http://127.0.0.1:8080 --group-id 32b6e34b3d91647abb20e7b8 \
//!     --cluster production-rs --restore-into staging-rs --poll-ms 200
//! ```
//!
//! Credentials come from the environment, as for `list_snapshots`; with none set, requests go
//! out unauthenticated, which the stand-in server accepts unless started with credentials.

use atlas_snapshots::{Client, WaitPolicy};
use clap::Parser;
use snapshot_consumer::lifecycle::{self, Plan};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Snapshot a dedicated cluster, restore the snapshot elsewhere, then delete it")]
struct Args {
    /// The Atlas API to talk to, e.g. the URL `cargo xtask stub` prints.
    #[arg(long, default_value = atlas_snapshots::DEFAULT_BASE_URL)]
    base_url: String,
    /// The project (group) id: 24 hexadecimal digits.
    #[arg(long)]
    group_id: String,
    /// The dedicated cluster to snapshot.
    #[arg(long)]
    cluster: String,
    /// The cluster to restore the snapshot into. Its data is replaced.
    #[arg(long)]
    restore_into: String,
    /// Days the snapshot is kept when taken.
    #[arg(long, default_value_t = 7)]
    keep_days: i32,
    /// Days it is kept once restored.
    #[arg(long, default_value_t = 1)]
    shortened_days: i32,
    /// Milliseconds between the first polls of each wait (they grow to a minute).
    #[arg(long, default_value_t = 5000)]
    poll_ms: u64,
    /// Minutes each wait may take.
    #[arg(long, default_value_t = 60)]
    timeout_minutes: u64,
}

fn client(args: &Args) -> Result<Client, atlas_snapshots::BuildError> {
    let has_env = [
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_CLIENT_SECRET",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PRIVATE_API_KEY",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some());
    let builder = Client::builder().base_url(&args.base_url);
    if has_env {
        builder.credentials_from_env().build()
    } else {
        eprintln!("no Atlas credentials in the environment: sending requests without any");
        builder.build()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match client(&args) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let plan = Plan {
        group_id: args.group_id.clone(),
        cluster: args.cluster.clone(),
        restore_into: args.restore_into.clone(),
        keep_days: args.keep_days,
        shortened_days: args.shortened_days,
        wait: WaitPolicy::new()
            .interval(Duration::from_millis(args.poll_ms))
            .deadline(Duration::from_secs(args.timeout_minutes * 60)),
    };
    match lifecycle::run(&client, &plan, |step| println!("{step}")).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
