//! Lists every backup snapshot of a Flex cluster (or of a serverless instance or shared-tier
//! cluster, with `--kind`), walking all pages, as a table or as JSON.
//!
//! ```text
//! cargo run -p atlas-snapshots --example list_snapshots -- \
//!     --group-id 32b6e34b3d91647abb20e7b8 --name analytics-flex [--json]
//! ```
//!
//! Credentials come from the environment: `MONGODB_ATLAS_CLIENT_ID` and
//! `MONGODB_ATLAS_CLIENT_SECRET` (a service account), or `MONGODB_ATLAS_PUBLIC_API_KEY` and
//! `MONGODB_ATLAS_PRIVATE_API_KEY` (an API key, sent with HTTP Digest). With none set, requests
//! go out unauthenticated, which is what the local stand-in server (`cargo xtask stub`) accepts.

use atlas_snapshots::models::{
    BackupTenantSnapshot, FlexBackupSnapshot20241113, ServerlessBackupSnapshot,
};
use atlas_snapshots::{Client, ClientBuilder, ListRequest};
use clap::{Parser, ValueEnum};
use futures_util::{Stream, TryStreamExt};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "List the backup snapshots of an Atlas deployment, all pages")]
struct Args {
    /// The Atlas API to talk to, e.g. the URL `cargo xtask stub` prints.
    #[arg(long, default_value = atlas_snapshots::DEFAULT_BASE_URL)]
    base_url: String,
    /// The project (group) id: 24 hexadecimal digits.
    #[arg(long)]
    group_id: String,
    /// The name of the Flex cluster, serverless instance or shared-tier cluster.
    #[arg(long)]
    name: String,
    /// What kind of deployment `--name` is.
    #[arg(long, value_enum, default_value_t = Kind::Flex)]
    kind: Kind,
    /// Snapshots per page (1 to 500).
    #[arg(long, default_value_t = 100)]
    page_size: i32,
    /// Pin the client to an API version date (YYYY-MM-DD).
    #[arg(long)]
    api_version: Option<String>,
    /// Print JSON (one array) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Flex,
    Serverless,
    Tenant,
}

/// One line of output: what the three kinds of snapshot have in common.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: Option<String>,
    status: Option<String>,
    started: Option<String>,
    finished: Option<String>,
    expires: Option<String>,
}

fn when(time: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    time.map(|t| t.to_rfc3339())
}

fn text<T: Serialize>(value: Option<&T>) -> Option<String> {
    value
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
}

fn client(args: &Args) -> Result<Client, Box<dyn std::error::Error>> {
    let mut builder: ClientBuilder = Client::builder().base_url(&args.base_url);
    let has_env = [
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_CLIENT_SECRET",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PRIVATE_API_KEY",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some());
    if has_env {
        builder = builder.credentials_from_env();
    } else {
        eprintln!("no Atlas credentials in the environment: sending requests without any");
    }
    if let Some(version) = &args.api_version {
        builder = builder.api_version(version);
    }
    Ok(builder.build()?)
}

impl From<FlexBackupSnapshot20241113> for Row {
    fn from(s: FlexBackupSnapshot20241113) -> Row {
        Row {
            id: s.id,
            status: text(s.status.as_ref()),
            started: when(s.start_time),
            finished: when(s.finish_time),
            expires: when(s.expiration),
        }
    }
}

impl From<ServerlessBackupSnapshot> for Row {
    fn from(s: ServerlessBackupSnapshot) -> Row {
        Row {
            id: s.id,
            status: text(s.status.as_ref()),
            started: when(s.created_at),
            finished: None,
            expires: when(s.expires_at),
        }
    }
}

impl From<BackupTenantSnapshot> for Row {
    fn from(s: BackupTenantSnapshot) -> Row {
        Row {
            id: s.id,
            status: text(s.status.as_ref()),
            started: when(s.start_time),
            finished: when(s.finish_time),
            expires: when(s.expiration),
        }
    }
}

/// Every item of a list, as rows.
async fn collect<T: Into<Row>>(
    items: impl Stream<Item = Result<T, atlas_snapshots::Error>>,
) -> Result<Vec<Row>, atlas_snapshots::Error> {
    items.map_ok(Into::into).try_collect().await
}

// The serverless and shared-tier endpoints are deprecated, and still served until their sunset.
#[allow(deprecated)]
async fn rows(client: &Client, args: &Args) -> Result<Vec<Row>, atlas_snapshots::Error> {
    let (group, name, size) = (args.group_id.as_str(), args.name.as_str(), args.page_size);
    match args.kind {
        Kind::Flex => {
            let list = client.list_flex_backup_snapshots(group, name);
            collect(list.items_per_page(size).items()).await
        }
        Kind::Serverless => {
            let list = client.list_serverless_backup_snapshots(group, name);
            collect(list.items_per_page(size).items()).await
        }
        Kind::Tenant => {
            let list = client.list_cluster_backup_snapshots(group, name);
            collect(list.items_per_page(size).items()).await
        }
    }
}

fn print_table(rows: &[Row]) {
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    println!(
        "{:<24}  {:<10}  {:<25}  {:<25}  EXPIRES",
        "ID", "STATUS", "STARTED", "FINISHED"
    );
    for row in rows {
        println!(
            "{:<24}  {:<10}  {:<25}  {:<25}  {}",
            cell(&row.id),
            cell(&row.status),
            cell(&row.started),
            cell(&row.finished),
            cell(&row.expires)
        );
    }
    println!("{} snapshot(s)", rows.len());
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
    match rows(&client, &args).await {
        Ok(rows) if args.json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows serialize")
            );
            ExitCode::SUCCESS
        }
        Ok(rows) => {
            print_table(&rows);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
