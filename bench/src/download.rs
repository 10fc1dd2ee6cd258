//! Downloading a 50 MiB archive from a server on loopback: the generated client's
//! `Client::download` streamed to an `AsyncWrite` with `ByteStream::write_to`, against reading
//! the same body whole with reqwest's `bytes()`, which is what a client without streaming
//! does.
//!
//! The server runs in this (the parent) process; each download runs in a child process of its
//! own, which reports its time and its peak resident memory (`VmHWM`), so the peak is the
//! client's alone. The two alternate run by run.

use crate::list::PEAK_SAMPLES_PER_RUN;
use crate::stats::Timing;
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::process::Command;
use std::time::{Duration, Instant};

/// The archive's size.
pub const SIZE: usize = 50 << 20;

/// The most peak memory a streamed download may take, in KiB.
pub const PEAK_LIMIT_KIB: u64 = 16 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
pub enum Variant {
    /// The generated client: `download(url)`, then `write_to` a sink.
    Streamed,
    /// reqwest's `bytes()`: the whole body in memory, then written.
    Whole,
}

impl Variant {
    pub fn label(self) -> &'static str {
        match self {
            Variant::Streamed => "generated client, `download(url)` then `write_to`",
            Variant::Whole => "reqwest, the whole body with `bytes()`",
        }
    }
}

const VARIANTS: [Variant; 2] = [Variant::Streamed, Variant::Whole];

/// What a child reports on its one line of standard output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    pub seconds: f64,
    pub bytes: u64,
    pub peak_kib: u64,
}

#[derive(clap::Args, Debug)]
pub struct ChildArgs {
    /// The archive's address, `http://127.0.0.1:PORT/archive`.
    #[arg(long)]
    url: String,
    #[arg(long, value_enum)]
    variant: Variant,
}

#[derive(Debug, Clone)]
pub struct VariantResult {
    pub variant: Variant,
    pub time: Timing,
    /// The median peak over the runs.
    pub peak_kib: u64,
}

#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: usize,
    pub variants: Vec<VariantResult>,
}

impl Download {
    pub fn get(&self, variant: Variant) -> Option<&VariantResult> {
        self.variants.iter().find(|v| v.variant == variant)
    }
}

pub fn measure(runs: usize) -> anyhow::Result<Download> {
    eprintln!("bench: download");
    let runtime = tokio::runtime::Runtime::new()?;
    let url = runtime.block_on(start_server())?;
    let exe = std::env::current_exe()?;
    let child = |variant: Variant| -> anyhow::Result<ChildReport> {
        let mut command = Command::new(&exe);
        command.args(["download", "--url", &url, "--variant"]).arg(
            clap::ValueEnum::to_possible_value(&variant)
                .map_or_else(String::new, |v| v.get_name().to_owned()),
        );
        let output = crate::process::run_checked(&mut command, "download child")?;
        let report: ChildReport =
            serde_json::from_slice(&output.stdout).context("reading a download child's report")?;
        if report.bytes != SIZE as u64 {
            bail!("{variant:?} received {} bytes of {SIZE}", report.bytes);
        }
        Ok(report)
    };
    // One untimed run of each checks the whole path before anything is measured.
    for variant in VARIANTS {
        child(variant)?;
    }
    let mut times = vec![Vec::new(); VARIANTS.len()];
    let mut peaks = vec![Vec::new(); VARIANTS.len()];
    for _ in 0..runs * PEAK_SAMPLES_PER_RUN {
        for (slot, variant) in VARIANTS.into_iter().enumerate() {
            let report = child(variant)?;
            times[slot].push(Duration::from_secs_f64(report.seconds));
            peaks[slot].push(report.peak_kib);
        }
    }
    let variants = VARIANTS
        .into_iter()
        .enumerate()
        .map(|(slot, variant)| {
            peaks[slot].sort_unstable();
            VariantResult {
                variant,
                time: Timing::of(&times[slot]),
                peak_kib: peaks[slot][peaks[slot].len() / 2],
            }
        })
        .collect();
    Ok(Download {
        bytes: SIZE,
        variants,
    })
}

/// Serves the archive at `/archive` on a free port of 127.0.0.1; its address.
async fn start_server() -> anyhow::Result<String> {
    let archive = bytes::Bytes::from((0..SIZE).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    let app = axum::Router::new().route(
        "/archive",
        axum::routing::get(move || {
            let archive = archive.clone();
            async move { ([("content-type", "application/gzip")], archive) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{address}/archive"))
}

pub fn child(args: &ChildArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let (bytes, elapsed) = runtime.block_on(download(args))?;
    let report = ChildReport {
        seconds: elapsed.as_secs_f64(),
        bytes,
        peak_kib: crate::list::peak_resident_kib()?,
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

async fn download(args: &ChildArgs) -> anyhow::Result<(u64, Duration)> {
    let started = Instant::now();
    let mut sink = tokio::io::sink();
    let bytes = match args.variant {
        Variant::Streamed => {
            let client = atlas_snapshots::Client::builder().build()?;
            let answer = client.download(&args.url).await?;
            answer.into_inner().write_to(&mut sink).await?
        }
        Variant::Whole => {
            let body = reqwest::get(&args.url).await?.bytes().await?;
            tokio::io::AsyncWriteExt::write_all(&mut sink, &body).await?;
            body.len() as u64
        }
    };
    Ok((bytes, started.elapsed()))
}
