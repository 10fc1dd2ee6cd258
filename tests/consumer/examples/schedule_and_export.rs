//! Turns on automatic export in a dedicated cluster's backup schedule, registers an S3 bucket,
//! exports one snapshot there and waits until the export has succeeded, then deletes the
//! snapshot and waits until it is gone; each step is printed as it ends.
//!
//! ```text
//! cargo xtask stub &
//! cargo run -p snapshot-consumer --example schedule_and_export -- \
//!     --base-url http://127.0.0.1:8080 --group-id 32b6e34b3d91647abb20e7b8 \
//!     --cluster production-rs --snapshot 6817124df2a3b4c5d6e70d31 \
//!     --bucket acme-atlas-exports --iam-role-id 6821a0b2c2b1d0e9f8a7b5f0 --poll-ms 200
//! ```
//!
//! Credentials come from the environment, as for `list_snapshots`.

use atlas_snapshots::{Client, WaitPolicy};
use clap::Parser;
use snapshot_consumer::export::{self, ExportPlan};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Export a snapshot of a dedicated cluster to an S3 bucket, then delete it")]
struct Args {
    /// The Atlas API to talk to, e.g. the URL `cargo xtask stub` prints.
    #[arg(long, default_value = atlas_snapshots::DEFAULT_BASE_URL)]
    base_url: String,
    /// The project (group) id: 24 hexadecimal digits.
    #[arg(long)]
    group_id: String,
    /// The dedicated cluster whose snapshot is exported.
    #[arg(long)]
    cluster: String,
    /// The snapshot to export; it is deleted once exported.
    #[arg(long)]
    snapshot: String,
    /// The S3 bucket to register as the export destination.
    #[arg(long)]
    bucket: String,
    /// The Atlas cloud provider access role (24 hexadecimal digits) that writes to the bucket.
    #[arg(long)]
    iam_role_id: String,
    /// Milliseconds between the first polls of each wait (they grow to a minute).
    #[arg(long, default_value_t = 5000)]
    poll_ms: u64,
    /// Minutes each wait may take.
    #[arg(long, default_value_t = 120)]
    timeout_minutes: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match Client::builder()
        .base_url(&args.base_url)
        .credentials_from_env()
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let plan = ExportPlan {
        group_id: args.group_id,
        cluster: args.cluster,
        snapshot: args.snapshot,
        bucket_name: args.bucket,
        iam_role_id: args.iam_role_id,
        wait: WaitPolicy::new()
            .interval(Duration::from_millis(args.poll_ms))
            .deadline(Duration::from_secs(args.timeout_minutes * 60)),
    };
    match export::run(&client, &plan, |step| println!("{step}")).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
