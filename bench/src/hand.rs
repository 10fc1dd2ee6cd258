//! Hand-written serde structs for a page of serverless snapshots, the floor the generated
//! model is held against: the same fields with the same types a careful hand would pick
//! (timestamps as `chrono`, enumerations as plain strings), nothing else.

// The fields are decoded to be measured; nothing reads them.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SnapshotPage {
    #[serde(default)]
    pub links: Option<Vec<Link>>,
    pub results: Vec<Snapshot>,
    #[serde(rename = "totalCount", default)]
    pub total_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub href: Option<String>,
    #[serde(default)]
    pub rel: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub frequency_type: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub links: Option<Vec<Link>>,
    #[serde(default)]
    pub mongod_version: Option<String>,
    #[serde(default)]
    pub serverless_instance_name: Option<String>,
    #[serde(default)]
    pub snapshot_type: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub storage_size_bytes: Option<i64>,
}
