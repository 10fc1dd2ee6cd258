//! Listing every snapshot of a serverless instance from the stand-in server over loopback,
//! with latency injected into each answer: the generated client's `items()` (sequential) and
//! `items_concurrent(n)`, against a hand-written reqwest loop over pages.
//!
//! The server runs in this (the parent) process; each list-all runs in a child process of its
//! own, which reports its time and its peak resident memory (`VmHWM`), so the peak is the
//! client's alone. Running the same lists with twice and four times the items shows whether the
//! peak follows the item count or the concurrency window.

use crate::hand;
use crate::stats::Timing;
use anyhow::{bail, Context};
use atlas_snapshots::layer::tower::{self, Layer, Service};
use atlas_snapshots::ListRequest;
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use workspace_tests::ids::{GROUP_ID, SERVERLESS_INSTANCE};
use workspace_tests::StandIn;

pub const ITEMS: usize = 10_000;
pub const PAGE_SIZE: usize = 500;
pub const LATENCY: Duration = Duration::from_millis(20);
/// Requests in flight at once for the concurrent walks.
pub const CONCURRENCY: usize = 8;
/// Peak-memory samples per timed run: a peak moves by a few hundred KiB between runs (how far
/// each connection's read buffer has grown when the pages meet), more than the 5% the goal
/// allows, so its median needs more samples than a time does.
pub const PEAK_SAMPLES_PER_RUN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
pub enum Variant {
    /// The generated client, `items()`: one page after another.
    Ours,
    /// The generated client, `items_concurrent(n)`.
    OursConcurrent,
    /// The generated client, `items()`, with a counting call layer and attempt layer installed.
    OursLayered,
    /// reqwest and the structs of `hand.rs`, one page after another.
    Hand,
    /// reqwest and `hand.rs`, the first page for the count, then `n` pages at a time.
    HandConcurrent,
}

impl Variant {
    pub fn label(self) -> &'static str {
        match self {
            Variant::Ours => "generated client, `items()`",
            Variant::OursConcurrent => "generated client, `items_concurrent(8)`",
            Variant::OursLayered => "generated client, `items()`, a call and an attempt layer",
            Variant::Hand => "hand-written reqwest loop",
            Variant::HandConcurrent => "hand-written reqwest, 8 pages at a time",
        }
    }

    fn concurrent(self) -> bool {
        matches!(self, Variant::OursConcurrent | Variant::HandConcurrent)
    }
}

/// What a child reports on its one line of standard output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    pub seconds: f64,
    pub items: usize,
    pub peak_kib: u64,
}

#[derive(clap::Args, Debug)]
pub struct ChildArgs {
    /// The stand-in server, `http://127.0.0.1:PORT`.
    #[arg(long)]
    base_url: String,
    #[arg(long, value_enum)]
    variant: Variant,
    /// How many items the list must have; anything else is an error.
    #[arg(long)]
    expect: usize,
}

#[derive(Debug, Clone)]
pub struct VariantResult {
    pub variant: Variant,
    pub time: Timing,
    /// The median peak over the runs.
    pub peak_kib: u64,
    /// The median peak over as many runs with twice the items.
    pub peak_kib_double: u64,
    /// The median peak over as many runs with four times the items.
    pub peak_kib_quadruple: u64,
}

#[derive(Debug, Clone)]
pub struct List {
    pub items: usize,
    pub variants: Vec<VariantResult>,
}

impl List {
    pub fn get(&self, variant: Variant) -> Option<&VariantResult> {
        self.variants.iter().find(|v| v.variant == variant)
    }
}

const VARIANTS: [Variant; 5] = [
    Variant::Ours,
    Variant::Hand,
    Variant::OursLayered,
    Variant::OursConcurrent,
    Variant::HandConcurrent,
];

pub fn measure(runs: usize) -> anyhow::Result<List> {
    eprintln!("bench: list all");
    let runtime = tokio::runtime::Runtime::new()?;
    // The runtime's worker threads serve both while the children run.
    let server = runtime.block_on(start_server(ITEMS))?;
    let double = runtime.block_on(start_server(2 * ITEMS))?;
    let quadruple = runtime.block_on(start_server(4 * ITEMS))?;
    let exe = std::env::current_exe()?;
    let child = |base_url: &str, variant: Variant, expect: usize| -> anyhow::Result<ChildReport> {
        let mut command = Command::new(&exe);
        command
            .args(["list-all", "--base-url", base_url, "--expect"])
            .arg(expect.to_string())
            .arg("--variant")
            .arg(
                clap::ValueEnum::to_possible_value(&variant)
                    .map_or_else(String::new, |v| v.get_name().to_owned()),
            );
        let output = crate::process::run_checked(&mut command, "list-all child")?;
        serde_json::from_slice(&output.stdout).context("reading a list-all child's report")
    };
    // One untimed run of each checks the whole path before anything is timed.
    for variant in VARIANTS {
        child(&server.base_url(), variant, ITEMS)?;
    }
    let mut times = vec![Vec::new(); VARIANTS.len()];
    let mut peaks = vec![Vec::new(); VARIANTS.len()];
    let mut peaks_double = vec![Vec::new(); VARIANTS.len()];
    let mut peaks_quadruple = vec![Vec::new(); VARIANTS.len()];
    for _ in 0..runs * PEAK_SAMPLES_PER_RUN {
        for (slot, variant) in VARIANTS.into_iter().enumerate() {
            let report = child(&server.base_url(), variant, ITEMS)?;
            times[slot].push(Duration::from_secs_f64(report.seconds));
            peaks[slot].push(report.peak_kib);
            peaks_double[slot].push(child(&double.base_url(), variant, 2 * ITEMS)?.peak_kib);
            peaks_quadruple[slot].push(child(&quadruple.base_url(), variant, 4 * ITEMS)?.peak_kib);
        }
    }
    let variants = VARIANTS
        .into_iter()
        .enumerate()
        .map(|(slot, variant)| VariantResult {
            variant,
            time: Timing::of(&times[slot]),
            peak_kib: median_kib(&mut peaks[slot]),
            peak_kib_double: median_kib(&mut peaks_double[slot]),
            peak_kib_quadruple: median_kib(&mut peaks_quadruple[slot]),
        })
        .collect();
    drop((server, double, quadruple));
    Ok(List {
        items: ITEMS,
        variants,
    })
}

async fn start_server(items: usize) -> anyhow::Result<StandIn> {
    Ok(StandIn::builder()
        .list_size(items as u64)
        .latency(LATENCY)
        .try_start()
        .await?)
}

/// The `list-all` subcommand.
pub fn child(args: &ChildArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let (items, elapsed) = runtime.block_on(list_all(args))?;
    if items != args.expect {
        bail!(
            "{:?} listed {items} items, the server has {}",
            args.variant,
            args.expect
        );
    }
    let report = ChildReport {
        seconds: elapsed.as_secs_f64(),
        items,
        peak_kib: peak_resident_kib()?,
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

async fn list_all(args: &ChildArgs) -> anyhow::Result<(usize, Duration)> {
    match args.variant {
        Variant::Ours | Variant::OursConcurrent | Variant::OursLayered => {
            let mut builder = atlas_snapshots::Client::builder().base_url(&args.base_url);
            let (calls, attempts) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
            if args.variant == Variant::OursLayered {
                builder = builder
                    .call_layer(counting(&calls))
                    .attempt_layer(counting(&attempts));
            }
            let client = builder.build()?;
            let started = Instant::now();
            // The operation the brief names; its deprecation does not matter for a benchmark.
            #[allow(deprecated)]
            let list = client
                .list_serverless_backup_snapshots(GROUP_ID, SERVERLESS_INSTANCE)
                .items_per_page(PAGE_SIZE as i32);
            let mut count = 0;
            if args.variant.concurrent() {
                let mut items = std::pin::pin!(list.items_concurrent(CONCURRENCY));
                while let Some(item) = items.try_next().await? {
                    count += usize::from(item.id.is_some());
                }
            } else {
                let mut items = std::pin::pin!(list.items());
                while let Some(item) = items.try_next().await? {
                    count += usize::from(item.id.is_some());
                }
            }
            let elapsed = started.elapsed();
            if args.variant == Variant::OursLayered {
                let pages = count.div_ceil(PAGE_SIZE);
                let seen = (
                    calls.load(Ordering::Relaxed),
                    attempts.load(Ordering::Relaxed),
                );
                if seen != (pages, pages) {
                    bail!("the layers saw {seen:?} calls and attempts for {pages} pages");
                }
            }
            Ok((count, elapsed))
        }
        Variant::Hand | Variant::HandConcurrent => {
            let client = reqwest::Client::new();
            let url = format!(
                "{}/api/atlas/v2/groups/{GROUP_ID}/serverless/{SERVERLESS_INSTANCE}/backup/snapshots",
                args.base_url
            );
            let started = Instant::now();
            let count = if args.variant.concurrent() {
                hand_concurrent(&client, &url).await?
            } else {
                hand_sequential(&client, &url).await?
            };
            Ok((count, started.elapsed()))
        }
    }
}

/// A layer that counts the calls or requests passing through it, as a user's metrics layer
/// would: the cheapest real layer, so the measure is what the layer seam itself costs.
fn counting<S>(seen: &Arc<AtomicUsize>) -> impl Layer<S, Service = Counted<S>> {
    let seen = Arc::clone(seen);
    tower::layer::layer_fn(move |inner| Counted {
        inner,
        seen: Arc::clone(&seen),
    })
}

#[derive(Clone)]
struct Counted<S> {
    inner: S,
    seen: Arc<AtomicUsize>,
}

impl<S: Service<R>, R> Service<R> for Counted<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> S::Future {
        self.seen.fetch_add(1, Ordering::Relaxed);
        self.inner.call(request)
    }
}

/// One page, decoded into the hand-written structs.
async fn hand_page(
    client: &reqwest::Client,
    url: &str,
    page: usize,
) -> anyhow::Result<hand::SnapshotPage> {
    let response = client
        .get(url)
        .query(&[("pageNum", page), ("itemsPerPage", PAGE_SIZE)])
        .header(
            reqwest::header::ACCEPT,
            "application/vnd.atlas.2023-01-01+json",
        )
        .send()
        .await?
        .error_for_status()?;
    let body = response.bytes().await?;
    Ok(serde_json::from_slice(&body)?)
}

fn count_ids(page: &hand::SnapshotPage) -> usize {
    page.results.iter().filter(|s| s.id.is_some()).count()
}

/// Pages until a short one or the total count, as the generated walk stops.
async fn hand_sequential(client: &reqwest::Client, url: &str) -> anyhow::Result<usize> {
    let mut count = 0;
    for page_num in 1.. {
        let page = hand_page(client, url, page_num).await?;
        let on_page = page.results.len();
        count += count_ids(&page);
        let reached = page
            .total_count
            .is_some_and(|t| page_num * PAGE_SIZE >= t as usize);
        if on_page < PAGE_SIZE || reached {
            break;
        }
    }
    Ok(count)
}

/// The first page for the total, then the rest [`CONCURRENCY`] at a time, in order.
async fn hand_concurrent(client: &reqwest::Client, url: &str) -> anyhow::Result<usize> {
    let first = hand_page(client, url, 1).await?;
    let total = first
        .total_count
        .context("the first page has a totalCount")? as usize;
    let pages = total.div_ceil(PAGE_SIZE);
    let mut count = count_ids(&first);
    drop(first);
    let mut rest = futures_util::stream::iter(2..=pages)
        .map(|page| hand_page(client, url, page))
        .buffered(CONCURRENCY);
    while let Some(page) = rest.try_next().await? {
        count += count_ids(&page);
    }
    Ok(count)
}

/// The middle value (the upper one of an even count: peaks are not averaged).
fn median_kib(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// The peak resident set size of this process so far (`VmHWM`), in KiB.
pub fn peak_resident_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")
}
