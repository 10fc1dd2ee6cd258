//! The stand-in's memory of the resources the write operations change: dedicated-cluster
//! snapshots, the restore jobs of dedicated clusters, Flex clusters, serverless instances and
//! collections, export buckets, exports, backup private endpoints, and the two resources a
//! cluster or project has one of (the backup schedule, the compliance policy). A collection
//! starts as its list example; a taken snapshot, a new job or endpoint is added to it and moves
//! on by one stage every few polls of its get operation (a snapshot `queued` → `inProgress` →
//! `completed`; an export `Queued` → `InProgress` → `Successful`; a restore job running →
//! finished), or ends failed when a test asked for that; a delete removes a resource and a
//! cancel marks a running job cancelled. Which operation does what to which collection is the
//! table in [`action`].

use crate::spec::Spec;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// How a kind of resource moves from its first stage to its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A string property (`status`, `state`) walks through `stages`; `failed` replaces the
    /// last one on failure.
    Status {
        field: &'static str,
        stages: &'static [&'static str],
        failed: &'static str,
        /// Set when the last stage is reached.
        finished_field: Option<&'static str>,
    },
    /// `finishedAt` appears when done; `failed: true` on failure, `cancelled: true` on cancel.
    Finished,
    /// Made in its final form (an export bucket): nothing moves.
    Ready,
}

/// A kind of resource the stand-in keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The list operation whose example seeds the collection.
    pub list: &'static str,
    /// The path parameter naming one resource.
    pub id_param: &'static str,
    /// The property holding the id (`_id` for export buckets).
    pub id_field: &'static str,
    /// The last segment of the list's path where it is not the one a resource's path goes
    /// under (sharded snapshots are listed at `shardedClusters`, read at `shardedCluster/{id}`).
    pub list_segment: Option<&'static str>,
    /// The new resource is the body as sent (plus its id and links) rather than the answer's
    /// example with the body's values: an export bucket's properties depend on its cloud
    /// provider, and the example shows only one of them.
    pub made_of_body: bool,
    pub progress: Progress,
}

pub const CLUSTER_SNAPSHOT: Kind = Kind {
    list: "listBackupSnapshots",
    id_param: "snapshotId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Status {
        field: "status",
        stages: &["queued", "inProgress", "completed"],
        failed: "failed",
        finished_field: None,
    },
};

pub const RESTORE_JOB: Kind = Kind {
    list: "listBackupRestoreJobs",
    id_param: "restoreJobId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Finished,
};

pub const FLEX_RESTORE_JOB: Kind = Kind {
    list: "listFlexRestoreJobs",
    id_param: "restoreJobId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Status {
        field: "status",
        stages: &["PENDING", "RUNNING", "COMPLETED"],
        failed: "FAILED",
        finished_field: Some("restoreFinishedDate"),
    },
};

pub const SERVERLESS_RESTORE_JOB: Kind = Kind {
    list: "listServerlessRestoreJobs",
    id_param: "restoreJobId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Finished,
};

pub const SHARDED_SNAPSHOT: Kind = Kind {
    list: "listBackupShardedClusters",
    id_param: "snapshotId",
    id_field: "id",
    list_segment: Some("shardedClusters"),
    made_of_body: false,
    progress: Progress::Status {
        field: "status",
        stages: &["queued", "inProgress", "completed"],
        failed: "failed",
        finished_field: None,
    },
};

pub const EXPORT_BUCKET: Kind = Kind {
    list: "listExportBuckets",
    id_param: "exportBucketId",
    id_field: "_id",
    list_segment: None,
    made_of_body: true,
    progress: Progress::Ready,
};

pub const EXPORT: Kind = Kind {
    list: "listBackupExports",
    id_param: "exportId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Status {
        field: "state",
        stages: &["Queued", "InProgress", "Successful"],
        failed: "Failed",
        finished_field: Some("finishedAt"),
    },
};

pub const COLLECTION_RESTORE_JOB: Kind = Kind {
    list: "listCollectionRestoreJobs",
    id_param: "jobId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Status {
        field: "state",
        stages: &["INITIALIZING", "IN_PROGRESS", "FINALIZING", "SUCCESSFUL"],
        failed: "FAILED",
        finished_field: Some("finishedAt"),
    },
};

pub const PRIVATE_ENDPOINT: Kind = Kind {
    list: "listBackupPrivateEndpoints",
    id_param: "endpointId",
    id_field: "id",
    list_segment: None,
    made_of_body: false,
    progress: Progress::Status {
        field: "status",
        stages: &["INITIATING", "PENDING_ACCEPTANCE", "ACTIVE"],
        failed: "FAILED",
        finished_field: None,
    },
};

/// A resource a cluster or a project has exactly one of, at the path of its operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Single {
    /// The get operation whose example is the resource before any change.
    pub get: &'static str,
    /// How the resource shows that Atlas has taken a change up, from the poll after it.
    pub settles: Option<Settles>,
    /// What a delete leaves: `None` removes the resource (a get then answers 404); a list
    /// property name empties that list (deleting a schedule removes its policies).
    pub delete_empties: Option<&'static str>,
}

/// How a single resource settles after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settles {
    /// A string property reads the first value after a change, the second from the next poll
    /// on (the compliance policy's `state`).
    State(&'static str, &'static str, &'static str),
    /// A time property is gone after a change and set, an hour ahead, from the next poll on
    /// (the schedule's `nextSnapshot`).
    Appears(&'static str),
}

pub const BACKUP_SCHEDULE: Single = Single {
    get: "getBackupSchedule",
    settles: Some(Settles::Appears("nextSnapshot")),
    delete_empties: Some("policies"),
};

pub const COMPLIANCE_POLICY: Single = Single {
    get: "getCompliancePolicy",
    settles: Some(Settles::State("state", "UPDATING", "ACTIVE")),
    delete_empties: None,
};

/// What an operation does to the kept resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    List(Kind),
    /// Adds a resource to the collection at the request path, or at the path with this last
    /// segment in place of the request's (a Flex download is a restore job).
    Create(Kind, Option<&'static str>),
    Get(Kind),
    UpdateRetention(Kind),
    /// Sets the properties the body sends.
    Update(Kind),
    Delete(Kind),
    Cancel(Kind),
    GetSingle(Single),
    UpdateSingle(Single),
    DeleteSingle(Single),
}

/// The operations of the spec that read or change kept resources; the others are answered
/// from their examples alone.
pub fn action(operation: &str) -> Option<Action> {
    use Action::*;
    Some(match operation {
        "listBackupSnapshots" => List(CLUSTER_SNAPSHOT),
        "takeSnapshots" => Create(CLUSTER_SNAPSHOT, None),
        "getClusterBackupSnapshot" => Get(CLUSTER_SNAPSHOT),
        "updateBackupSnapshot" => UpdateRetention(CLUSTER_SNAPSHOT),
        "deleteClusterBackupSnapshot" => Delete(CLUSTER_SNAPSHOT),
        "listBackupRestoreJobs" => List(RESTORE_JOB),
        "createBackupRestoreJob" => Create(RESTORE_JOB, None),
        "getBackupRestoreJob" => Get(RESTORE_JOB),
        "cancelBackupRestoreJob" => Cancel(RESTORE_JOB),
        "listFlexRestoreJobs" => List(FLEX_RESTORE_JOB),
        "createFlexRestoreJob" => Create(FLEX_RESTORE_JOB, None),
        "downloadFlexBackup" => Create(FLEX_RESTORE_JOB, Some("restoreJobs")),
        "getFlexRestoreJob" => Get(FLEX_RESTORE_JOB),
        "listServerlessRestoreJobs" => List(SERVERLESS_RESTORE_JOB),
        "createServerlessRestoreJob" => Create(SERVERLESS_RESTORE_JOB, None),
        "getServerlessRestoreJob" => Get(SERVERLESS_RESTORE_JOB),
        "listBackupShardedClusters" => List(SHARDED_SNAPSHOT),
        "getBackupShardedCluster" => Get(SHARDED_SNAPSHOT),
        "deleteBackupShardedCluster" => Delete(SHARDED_SNAPSHOT),
        "listExportBuckets" => List(EXPORT_BUCKET),
        "createExportBucket" => Create(EXPORT_BUCKET, None),
        "getExportBucket" => Get(EXPORT_BUCKET),
        "updateBackupExportBucket" => Update(EXPORT_BUCKET),
        "deleteExportBucket" => Delete(EXPORT_BUCKET),
        "listBackupExports" => List(EXPORT),
        "createBackupExport" => Create(EXPORT, None),
        "getBackupExport" => Get(EXPORT),
        "listCollectionRestoreJobs" => List(COLLECTION_RESTORE_JOB),
        "createCollectionRestoreJob" => Create(COLLECTION_RESTORE_JOB, None),
        "getCollectionRestoreJob" => Get(COLLECTION_RESTORE_JOB),
        "listBackupPrivateEndpoints" => List(PRIVATE_ENDPOINT),
        "createBackupPrivateEndpoint" => Create(PRIVATE_ENDPOINT, None),
        "getBackupPrivateEndpoint" => Get(PRIVATE_ENDPOINT),
        "deleteBackupPrivateEndpoint" => Delete(PRIVATE_ENDPOINT),
        "getBackupSchedule" => GetSingle(BACKUP_SCHEDULE),
        "updateBackupSchedule" => UpdateSingle(BACKUP_SCHEDULE),
        "deleteClusterBackupSchedule" => DeleteSingle(BACKUP_SCHEDULE),
        "getCompliancePolicy" => GetSingle(COMPLIANCE_POLICY),
        "updateCompliancePolicy" => UpdateSingle(COMPLIANCE_POLICY),
        "disableCompliancePolicy" => DeleteSingle(COMPLIANCE_POLICY),
        _ => return None,
    })
}

#[derive(Debug, Clone)]
struct Item {
    value: Value,
    /// Index into the stages (for `Finished`: 0 running, 1 finished).
    stage: usize,
    /// Polls seen since the last stage change.
    polls: u32,
    fails: bool,
}

/// Why a change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    /// The job has finished and cannot be cancelled any more.
    Finished,
}

/// The kept resources, by collection path.
#[derive(Debug, Default)]
pub struct Store {
    collections: BTreeMap<String, Vec<Item>>,
    /// The single resources by path; `None` once deleted. Absent: still the example.
    singles: BTreeMap<String, Option<Value>>,
    /// Operations whose next created resource ends failed.
    fail_next: Vec<String>,
    created: u64,
}

impl Store {
    /// The next resource `operation` creates ends in its failure state.
    pub fn fail_next(&mut self, operation: &str) {
        self.fail_next.push(operation.to_owned());
    }

    fn collection(&mut self, spec: &Spec, kind: Kind, path: &str) -> &mut Vec<Item> {
        self.collections.entry(path.to_owned()).or_insert_with(|| {
            let last = stage_count(kind.progress) - 1;
            spec.operation(kind.list)
                .newest_example()
                .get("results")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|value| Item {
                    value: value.clone(),
                    stage: last,
                    polls: 0,
                    fails: false,
                })
                .collect()
        })
    }

    /// The collection's resources, oldest first (the examples first).
    pub fn list(&mut self, spec: &Spec, kind: Kind, path: &str) -> Vec<Value> {
        self.collection(spec, kind, path)
            .iter()
            .map(|i| i.value.clone())
            .collect()
    }

    /// Adds a resource made of `example` (the operation's answer example) with the body's
    /// values, a fresh id and self link, in its first stage.
    pub fn create(
        &mut self,
        spec: &Spec,
        operation: &str,
        kind: Kind,
        path: &str,
        example: &Value,
        body: &Value,
    ) -> Value {
        self.created += 1;
        let id = format!("6900{:020x}", self.created);
        let mut value = if kind.made_of_body {
            serde_json::json!({})
        } else {
            example.clone()
        };
        let object = value
            .as_object_mut()
            .expect("resource examples are objects");
        if let Some(sent) = body.as_object() {
            for (name, item) in sent {
                if kind.made_of_body || object.contains_key(name) {
                    object.insert(name.clone(), item.clone());
                }
            }
        }
        // A new resource is taken now, not when the example was.
        if object.contains_key("createdAt") {
            object.insert("createdAt".into(), Value::from(now()));
        }
        object.insert(kind.id_field.into(), Value::from(id.clone()));
        object.insert(
            "links".into(),
            serde_json::json!([{"href": format!("https://cloud.mongodb.com{path}/{id}"), "rel": "self"}]),
        );
        if let Some(days) = body.get("retentionInDays").and_then(Value::as_i64) {
            if let Some(created) = object.get("createdAt").and_then(Value::as_str) {
                if let Some(expires) = shift(created, days * 86_400) {
                    object.insert("expiresAt".into(), Value::from(expires));
                }
            }
        }
        set_stage(object, kind.progress, 0, false);
        let fails = match self.fail_next.iter().position(|o| o == operation) {
            Some(at) => {
                self.fail_next.remove(at);
                true
            }
            None => false,
        };
        self.collection(spec, kind, path).push(Item {
            value: value.clone(),
            stage: 0,
            polls: 0,
            fails,
        });
        value
    }

    /// One poll of a resource: its value as it is now, then one step further once it has
    /// been seen `polls_per_stage` times at this stage.
    pub fn poll(
        &mut self,
        spec: &Spec,
        kind: Kind,
        path: &str,
        id: &str,
        polls_per_stage: u32,
    ) -> Option<Value> {
        let item = find(self.collection(spec, kind, path), kind, id)?;
        let last = stage_count(kind.progress) - 1;
        if item.stage < last && !is_cancelled(&item.value) {
            item.polls += 1;
            if item.polls >= polls_per_stage {
                item.polls = 0;
                item.stage += 1;
                let fails = item.fails && item.stage == last;
                let object = item.value.as_object_mut().expect("an object");
                set_stage(object, kind.progress, item.stage, fails);
            }
        }
        Some(item.value.clone())
    }

    /// Sets the retention of a snapshot: it now expires that long after it was taken.
    pub fn update_retention(
        &mut self,
        spec: &Spec,
        kind: Kind,
        path: &str,
        id: &str,
        body: &Value,
    ) -> Result<Value, Refusal> {
        let item = find(self.collection(spec, kind, path), kind, id).ok_or(Refusal::NotFound)?;
        let value = body
            .get("retentionValue")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let unit = match body.get("retentionUnit").and_then(Value::as_str) {
            Some("weeks") => 7 * 86_400,
            Some("months") => 30 * 86_400,
            Some("years") => 365 * 86_400,
            _ => 86_400,
        };
        let object = item.value.as_object_mut().expect("an object");
        if let Some(created) = object.get("createdAt").and_then(Value::as_str) {
            if let Some(expires) = shift(created, value * unit) {
                object.insert("expiresAt".into(), Value::from(expires));
            }
        }
        Ok(item.value.clone())
    }

    /// Sets the top-level properties the body sends (an export bucket's private networking).
    pub fn update(
        &mut self,
        spec: &Spec,
        kind: Kind,
        path: &str,
        id: &str,
        body: &Value,
    ) -> Result<Value, Refusal> {
        let item = find(self.collection(spec, kind, path), kind, id).ok_or(Refusal::NotFound)?;
        if let (Some(object), Some(sent)) = (item.value.as_object_mut(), body.as_object()) {
            for (name, value) in sent {
                object.insert(name.clone(), value.clone());
            }
        }
        Ok(item.value.clone())
    }

    /// The single resource at `path`: its example until changed, `None` once deleted. A
    /// resource that settles moves to its settled state at this poll.
    pub fn single(&mut self, spec: &Spec, single: Single, path: &str) -> Option<Value> {
        let kept = self
            .singles
            .entry(path.to_owned())
            .or_insert_with(|| Some(spec.operation(single.get).newest_example().clone()));
        let value = kept.clone()?;
        if let Some(object) = kept.as_mut() {
            match single.settles {
                Some(Settles::State(field, _, settled)) => object[field] = Value::from(settled),
                Some(Settles::Appears(field)) if object.get(field).is_none() => {
                    object[field] = Value::from(shift(&now(), 3600).unwrap_or_else(now));
                }
                _ => {}
            }
        }
        Some(value)
    }

    /// Changes the single resource at `path` by the body's top-level properties (made anew
    /// from the example when it was deleted); one that settles reads its changing state until
    /// the next poll.
    pub fn update_single(
        &mut self,
        spec: &Spec,
        single: Single,
        path: &str,
        body: &Value,
    ) -> Value {
        let example = spec.operation(single.get).newest_example();
        let kept = self.singles.entry(path.to_owned()).or_insert(None);
        let mut value = kept.take().unwrap_or_else(|| example.clone());
        if let (Some(object), Some(sent)) = (value.as_object_mut(), body.as_object()) {
            for (name, item) in sent {
                object.insert(name.clone(), item.clone());
            }
            match single.settles {
                Some(Settles::State(field, changing, _)) => {
                    object.insert(field.into(), Value::from(changing));
                }
                Some(Settles::Appears(field)) => {
                    object.remove(field);
                }
                None => {}
            }
        }
        *kept = Some(value.clone());
        value
    }

    /// Deletes the single resource at `path`, or empties its list; the value left, if any.
    pub fn delete_single(
        &mut self,
        spec: &Spec,
        single: Single,
        path: &str,
    ) -> Result<Option<Value>, Refusal> {
        let current = self.single(spec, single, path).ok_or(Refusal::NotFound)?;
        let left = single.delete_empties.map(|list| {
            let mut value = current;
            value[list] = Value::Array(Vec::new());
            value
        });
        self.singles.insert(path.to_owned(), left.clone());
        Ok(left)
    }

    pub fn delete(&mut self, spec: &Spec, kind: Kind, path: &str, id: &str) -> Result<(), Refusal> {
        let items = self.collection(spec, kind, path);
        let at = items
            .iter()
            .position(|i| has_id(&i.value, kind, id))
            .ok_or(Refusal::NotFound)?;
        items.remove(at);
        Ok(())
    }

    /// Stops a running job; it stays listed, `cancelled`.
    pub fn cancel(&mut self, spec: &Spec, kind: Kind, path: &str, id: &str) -> Result<(), Refusal> {
        let last = stage_count(kind.progress) - 1;
        let item = find(self.collection(spec, kind, path), kind, id).ok_or(Refusal::NotFound)?;
        if item.stage == last || is_cancelled(&item.value) {
            return Err(Refusal::Finished);
        }
        item.value["cancelled"] = Value::Bool(true);
        Ok(())
    }
}

fn has_id(value: &Value, kind: Kind, id: &str) -> bool {
    value.get(kind.id_field).and_then(Value::as_str) == Some(id)
}

fn find<'a>(items: &'a mut [Item], kind: Kind, id: &str) -> Option<&'a mut Item> {
    items.iter_mut().find(|i| has_id(&i.value, kind, id))
}

fn is_cancelled(value: &Value) -> bool {
    value.get("cancelled").and_then(Value::as_bool) == Some(true)
}

fn stage_count(progress: Progress) -> usize {
    match progress {
        Progress::Status { stages, .. } => stages.len(),
        Progress::Finished => 2,
        Progress::Ready => 1,
    }
}

fn set_stage(object: &mut Map<String, Value>, progress: Progress, stage: usize, fails: bool) {
    let last = stage_count(progress) - 1;
    match progress {
        Progress::Status {
            field,
            stages,
            failed,
            finished_field,
        } => {
            let status = if fails { failed } else { stages[stage] };
            object.insert(field.into(), Value::from(status));
            if let Some(field) = finished_field {
                if stage == last && !fails {
                    object.insert(field.into(), Value::from(now()));
                } else {
                    object.remove(field);
                }
            }
        }
        Progress::Finished => {
            object.insert("cancelled".into(), Value::Bool(false));
            object.insert("failed".into(), Value::Bool(fails));
            if stage == last && !fails {
                object.insert("finishedAt".into(), Value::from(now()));
            } else {
                object.remove("finishedAt");
            }
        }
        Progress::Ready => {}
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An RFC 3339 time `seconds` later, in the examples' form.
fn shift(at: &str, seconds: i64) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(at).ok()?;
    Some(
        (at + chrono::Duration::seconds(seconds))
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PATH: &str = "/api/atlas/v2/groups/g/clusters/c/backup/snapshots";

    #[test]
    fn a_taken_snapshot_moves_through_its_stages_and_a_failing_one_ends_failed() {
        let spec = Spec::shared();
        let mut store = Store::default();
        let example = spec.operation("takeSnapshots").newest_example();
        let body = json!({"description": "before", "retentionInDays": 2});
        let made = store.create(
            spec,
            "takeSnapshots",
            CLUSTER_SNAPSHOT,
            PATH,
            example,
            &body,
        );
        assert_eq!(made["status"], "queued");
        assert_eq!(made["description"], "before");
        let created = made["createdAt"].as_str().unwrap();
        assert_eq!(made["expiresAt"], shift(created, 2 * 86_400).unwrap());
        assert_ne!(created, example["createdAt"], "taken now");
        let id = made["id"].as_str().unwrap().to_owned();
        let status = |store: &mut Store, id: &str| {
            store.poll(spec, CLUSTER_SNAPSHOT, PATH, id, 1).unwrap()["status"].clone()
        };
        assert_eq!(status(&mut store, &id), "inProgress");
        assert_eq!(status(&mut store, &id), "completed");
        assert_eq!(status(&mut store, &id), "completed");
        store.fail_next("takeSnapshots");
        let failing = store.create(
            spec,
            "takeSnapshots",
            CLUSTER_SNAPSHOT,
            PATH,
            example,
            &body,
        );
        let failing = failing["id"].as_str().unwrap().to_owned();
        assert_eq!(status(&mut store, &failing), "inProgress");
        assert_eq!(status(&mut store, &failing), "failed");
        let listed = store.list(spec, CLUSTER_SNAPSHOT, PATH);
        assert_eq!(listed.len(), 4, "two from the example, two taken");
        store.delete(spec, CLUSTER_SNAPSHOT, PATH, &id).unwrap();
        assert_eq!(
            store.delete(spec, CLUSTER_SNAPSHOT, PATH, &id),
            Err(Refusal::NotFound)
        );
        assert_eq!(store.list(spec, CLUSTER_SNAPSHOT, PATH).len(), 3);
    }

    #[test]
    fn a_restore_job_finishes_and_only_a_running_one_can_be_cancelled() {
        let spec = Spec::shared();
        let mut store = Store::default();
        let path = "/api/atlas/v2/groups/g/clusters/c/backup/restoreJobs";
        let example = spec.operation("createBackupRestoreJob").newest_example();
        let made = |store: &mut Store| {
            let job = store.create(
                spec,
                "createBackupRestoreJob",
                RESTORE_JOB,
                path,
                example,
                &json!({}),
            );
            job["id"].as_str().unwrap().to_owned()
        };
        let done = made(&mut store);
        let job = store.poll(spec, RESTORE_JOB, path, &done, 1).unwrap();
        assert!(job.get("finishedAt").is_some(), "{job}");
        assert_eq!(
            store.cancel(spec, RESTORE_JOB, path, &done),
            Err(Refusal::Finished)
        );
        let running = made(&mut store);
        store.cancel(spec, RESTORE_JOB, path, &running).unwrap();
        let job = store.poll(spec, RESTORE_JOB, path, &running, 1).unwrap();
        assert_eq!(
            (job["cancelled"].clone(), job.get("finishedAt")),
            (json!(true), None)
        );
    }
}
