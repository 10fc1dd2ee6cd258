//! Decoding one 500-item page of serverless snapshots: the generated model
//! (`atlas_snapshots::models::PaginatedApiAtlasServerlessBackupSnapshot`) against the
//! hand-written structs of [`crate::hand`], both with `serde_json::from_slice` as the client
//! runtime does. The page repeats the spec's example item with distinct ids.

use crate::hand;
use crate::stats::Timing;
use anyhow::Context;
use atlas_snapshots::models::PaginatedApiAtlasServerlessBackupSnapshot;
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};

pub const PAGE_ITEMS: usize = 500;

#[derive(Debug, Clone)]
pub struct Decode {
    pub page_bytes: usize,
    pub iterations: usize,
    pub ours: Timing,
    pub hand: Timing,
}

/// The operation and API version whose example item the page is made of.
pub const OPERATION: &str = "listServerlessBackupSnapshots";
pub const VERSION: &str = "2023-01-01";

/// A page of `count` copies of the spec's example item, each with its own id.
pub fn page(count: usize, total: usize) -> anyhow::Result<Value> {
    let example = workspace_tests::Spec::shared()
        .operation(OPERATION)
        .example(Some(VERSION))
        .context("the list operation has an example for its API version")?;
    let item = example["results"][0].clone();
    let results: Vec<Value> = (0..count)
        .map(|i| {
            let mut item = item.clone();
            item["id"] = json!(format!("{i:024x}"));
            item
        })
        .collect();
    Ok(json!({"links": example["links"], "results": results, "totalCount": total}))
}

pub fn measure(runs: usize, quick: bool) -> anyhow::Result<Decode> {
    eprintln!("bench: decode");
    let body = serde_json::to_vec(&page(PAGE_ITEMS, PAGE_ITEMS)?)?;
    // Both must read the whole page before their times mean anything.
    let ours: PaginatedApiAtlasServerlessBackupSnapshot = serde_json::from_slice(&body)?;
    let hand: hand::SnapshotPage = serde_json::from_slice(&body)?;
    anyhow::ensure!(ours.results.len() == PAGE_ITEMS && hand.results.len() == PAGE_ITEMS);
    let per_run = if quick { 50 } else { 200 };
    let mut ours_times = Vec::new();
    let mut hand_times = Vec::new();
    for _ in 0..runs * per_run {
        ours_times.push(time(|| {
            serde_json::from_slice::<PaginatedApiAtlasServerlessBackupSnapshot>(black_box(&body))
        })?);
        hand_times.push(time(|| {
            serde_json::from_slice::<hand::SnapshotPage>(black_box(&body))
        })?);
    }
    Ok(Decode {
        page_bytes: body.len(),
        iterations: ours_times.len(),
        ours: Timing::of(&ours_times),
        hand: Timing::of(&hand_times),
    })
}

fn time<T>(decode: impl FnOnce() -> serde_json::Result<T>) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let value = decode()?;
    let elapsed = started.elapsed();
    // Dropping is part of a decoded page's life, but not of decoding it.
    black_box(value);
    Ok(elapsed)
}
