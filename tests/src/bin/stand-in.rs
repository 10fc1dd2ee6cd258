//! Serves the stand-in Atlas server on `127.0.0.1` until Ctrl-C, for trying the client (or
//! `curl`) by hand and for benchmarks: `cargo xtask stub -- --list-size 10000 --latency-ms 20`.

use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;
use workspace_tests::StandIn;

/// Serve the stand-in Atlas server on 127.0.0.1.
#[derive(Parser)]
#[command(name = "stand-in")]
struct Args {
    /// The port to listen on; 0 lets the system pick one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Serve this many generated snapshots from every list operation instead of the spec's
    /// examples.
    #[arg(long)]
    list_size: Option<u64>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// A taken snapshot or a restore job moves on to its next stage at every N-th poll.
    #[arg(long, default_value_t = 2)]
    polls_per_stage: u32,
    /// Require `Authorization: Bearer <TOKEN>`.
    #[arg(long, value_name = "TOKEN")]
    bearer_token: Option<String>,
    /// Require HTTP Digest with this API key, given as `PUBLIC_KEY:PRIVATE_KEY`.
    #[arg(long, value_name = "PUBLIC_KEY:PRIVATE_KEY")]
    digest: Option<String>,
    /// Issue tokens to this service account at `POST /api/oauth/token`, given as
    /// `CLIENT_ID:CLIENT_SECRET`.
    #[arg(long, value_name = "CLIENT_ID:CLIENT_SECRET")]
    service_account: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = StandIn::builder()
        .port(args.port)
        .latency(Duration::from_millis(args.latency_ms))
        .polls_per_stage(args.polls_per_stage);
    if let Some(size) = args.list_size {
        builder = builder.list_size(size);
    }
    if let Some(token) = args.bearer_token {
        builder = builder.require_bearer(token);
    }
    if let Some(key) = args.digest {
        let Some((public, private)) = key.split_once(':') else {
            eprintln!("error: --digest takes PUBLIC_KEY:PRIVATE_KEY");
            return ExitCode::FAILURE;
        };
        builder = builder.require_digest(public, private);
    }
    if let Some(account) = args.service_account {
        let Some((id, secret)) = account.split_once(':') else {
            eprintln!("error: --service-account takes CLIENT_ID:CLIENT_SECRET");
            return ExitCode::FAILURE;
        };
        builder = builder.service_account(id, secret);
    }
    let server = match builder.try_start().await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {error}", args.port);
            return ExitCode::FAILURE;
        }
    };
    println!("{}", server.base_url());
    eprintln!("serving the stand-in Atlas server; Ctrl-C stops it");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
