//! A small downstream user of the `atlas-snapshots` client, written only against its public
//! API: it finds the most recent completed backup snapshot of a Flex cluster by walking every
//! page of `listFlexBackupSnapshots` through the client's `items()` stream; and it runs the
//! backup [`lifecycle`] of a dedicated cluster (take, wait, retain, list, restore, wait,
//! delete). It exists to prove the committed crate is usable as an ordinary dependency, and to
//! catch public-API breaks that the crate's own tests would not.

pub mod export;
pub mod lifecycle;

use atlas_snapshots::models::{ErrorCode, FlexBackupSnapshot20241113};
use atlas_snapshots::{Client, ListRequest};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use std::fmt;
use std::pin::pin;

/// Page size used by [`latest_completed_snapshot`].
pub const DEFAULT_PAGE_SIZE: i32 = 100;

/// The `status` Atlas reports for a snapshot that was written successfully.
const COMPLETED: &str = "COMPLETED";

/// What callers need to know of a completed snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub id: String,
    pub finished_at: DateTime<Utc>,
    pub mongodb_version: Option<String>,
    /// When the snapshot's download link stops working.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why the latest completed snapshot could not be determined.
#[derive(Debug)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The request failed or the answer could not be read. Boxed: the client's error is large.
    Atlas(Box<atlas_snapshots::Error>),
    /// A snapshot reported as completed lacks a field a summary needs.
    Incomplete {
        id: Option<String>,
        missing: &'static str,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Atlas(e) => write!(f, "cannot list the Flex snapshots: {e}"),
            SnapshotError::Incomplete { id, missing } => write!(
                f,
                "completed snapshot {} has no `{missing}`",
                id.as_deref().unwrap_or("without an id")
            ),
        }
    }
}

impl std::error::Error for SnapshotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SnapshotError::Atlas(e) => Some(e.as_ref()),
            SnapshotError::Incomplete { .. } => None,
        }
    }
}

impl From<atlas_snapshots::Error> for SnapshotError {
    fn from(e: atlas_snapshots::Error) -> Self {
        SnapshotError::Atlas(Box::new(e))
    }
}

/// The completed snapshot of Flex cluster `name` in project `group` that finished last; `None`
/// when it has none, and also when the cluster or project does not exist (Atlas's
/// `RESOURCE_NOT_FOUND`, matched by its typed code).
pub async fn latest_completed_snapshot_or_none(
    client: &Client,
    group: &str,
    name: &str,
) -> Result<Option<SnapshotSummary>, SnapshotError> {
    match latest_completed_snapshot(client, group, name).await {
        Err(SnapshotError::Atlas(error)) if not_found(&error) => Ok(None),
        other => other,
    }
}

/// Whether Atlas said the thing asked for does not exist.
pub fn not_found(error: &atlas_snapshots::Error) -> bool {
    error.error_code() == Some(&ErrorCode::ResourceNotFound)
}

/// The completed snapshot of Flex cluster `name` in project `group` that finished last, if any.
pub async fn latest_completed_snapshot(
    client: &Client,
    group: &str,
    name: &str,
) -> Result<Option<SnapshotSummary>, SnapshotError> {
    latest_completed_snapshot_paged(client, group, name, DEFAULT_PAGE_SIZE).await
}

/// [`latest_completed_snapshot`], reading `page_size` snapshots per request.
pub async fn latest_completed_snapshot_paged(
    client: &Client,
    group: &str,
    name: &str,
    page_size: i32,
) -> Result<Option<SnapshotSummary>, SnapshotError> {
    let mut snapshots = pin!(client
        .list_flex_backup_snapshots(group, name)
        .items_per_page(page_size)
        .items());
    let mut latest: Option<SnapshotSummary> = None;
    while let Some(snapshot) = snapshots.try_next().await? {
        if let Some(summary) = summarize(&snapshot)? {
            if latest
                .as_ref()
                .is_none_or(|best| summary.finished_at > best.finished_at)
            {
                latest = Some(summary);
            }
        }
    }
    Ok(latest)
}

/// The summary of a completed snapshot; `None` for one in any other state.
fn summarize(
    snapshot: &FlexBackupSnapshot20241113,
) -> Result<Option<SnapshotSummary>, SnapshotError> {
    if snapshot.status.as_deref() != Some(COMPLETED) {
        return Ok(None);
    }
    let incomplete = |missing| SnapshotError::Incomplete {
        id: snapshot.id.clone(),
        missing,
    };
    Ok(Some(SnapshotSummary {
        id: snapshot.id.clone().ok_or_else(|| incomplete("id"))?,
        finished_at: snapshot
            .finish_time
            .ok_or_else(|| incomplete("finishTime"))?,
        mongodb_version: snapshot.mongo_db_version.clone(),
        expires_at: snapshot.expiration,
    }))
}

/// The README's usage example, compiled as a doctest of an ordinary dependent crate so it
/// cannot drift from the client's API.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;

#[cfg(test)]
mod tests {
    //! The summary logic tested with values built as a user of the crate builds them: model
    //! builders and a hand-made error, no server.
    use super::*;
    use atlas_snapshots::http::{HeaderMap, StatusCode};
    use atlas_snapshots::models::ApiError;

    fn snapshot(status: &str) -> FlexBackupSnapshot20241113 {
        FlexBackupSnapshot20241113::new()
            .with_id("68170289f1a2b3c4d5e60c22".to_owned())
            .with_status(status.to_owned())
    }

    #[test]
    fn only_completed_snapshots_are_summarized() {
        let finished = DateTime::<Utc>::UNIX_EPOCH;
        let done = snapshot(COMPLETED).with_finish_time(finished);
        let summary = summarize(&done).unwrap().unwrap();
        assert_eq!(summary.id, "68170289f1a2b3c4d5e60c22");
        assert_eq!(summary.finished_at, finished);
        assert_eq!(summarize(&snapshot("QUEUED")).unwrap(), None);
        assert!(matches!(
            summarize(&snapshot(COMPLETED)),
            Err(SnapshotError::Incomplete {
                missing: "finishTime",
                ..
            })
        ));
    }

    #[test]
    fn a_missing_resource_is_told_by_its_error_code() {
        let api_error = |code: ErrorCode| atlas_snapshots::Error::Api {
            operation: "listFlexBackupSnapshots",
            method: "GET",
            path: "/api/atlas/v2/groups/x/flexClusters/y/backup/snapshots".to_owned(),
            status: StatusCode::NOT_FOUND,
            headers: Box::new(HeaderMap::new()),
            body: Box::new(ApiError::new(404, code)),
        };
        assert!(not_found(&api_error(ErrorCode::ResourceNotFound)));
        assert!(!not_found(&api_error(ErrorCode::ClusterNotFound)));
        assert!(!not_found(&api_error(ErrorCode::from("SOMETHING_NEW"))));
    }
}
