//! The curated spec's waiters against the Atlas CLI's watcher list: every watcher on an
//! operation of the spec must have a waiter that polls the same get operation, in a version
//! that operation answers with, and ends on the same states (or, for a deletion, on the 404).
//! The list is a fixture copy of the backup entries (`tests/fixtures/watchers/`), so this runs
//! without `../shared`.

use codegen::model::{ApiModel, HttpMethod, Operation, WaitTest};
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn curated() -> ApiModel {
    let loaded = codegen::load::load_file(&root().join("spec/atlas-snapshots.yaml")).unwrap();
    let validated = codegen::validate::validate(&loaded).unwrap();
    codegen::model::build_model(&validated).unwrap()
}

/// `$.paths['/api/...'].post` or `$.paths['/api/...']['put','delete']`: the path and methods.
fn target(target: &str) -> (String, Vec<String>) {
    let rest = target.strip_prefix("$.paths['").expect("a path target");
    let (path, methods) = rest.split_once("']").expect("a quoted path");
    let methods = methods
        .trim_start_matches('.')
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|m| m.trim().trim_matches('\'').to_owned())
        .collect();
    (path.to_owned(), methods)
}

fn find<'m>(model: &'m ApiModel, path: &str, method: &str) -> Option<&'m Operation> {
    model
        .operations
        .iter()
        .find(|op| op.path == path && op.http_method.as_str().eq_ignore_ascii_case(method))
}

struct Watcher {
    trigger: String,
    poll: String,
    version: String,
    /// `None` for a wait until the get answers 404.
    states: Option<BTreeSet<String>>,
}

fn watchers() -> (Vec<Watcher>, Vec<String>) {
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/watchers/atlas-cli-backup-watchers.yaml"),
    )
    .unwrap();
    let list: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let names = &list["x-override-names"];
    let model = curated();
    let (mut found, mut outside) = (Vec::new(), Vec::new());
    for action in list["actions"].as_sequence().unwrap() {
        let (path, methods) = target(action["target"].as_str().unwrap());
        let watcher = &action["update"]["x-xgen-atlascli"]["watcher"];
        let raw_id = watcher["get"]["operation-id"].as_str().unwrap();
        let poll = names[raw_id]
            .as_str()
            .unwrap_or_else(|| panic!("no override name for {raw_id}"));
        let version = watcher["get"]["version"].as_str().unwrap().to_owned();
        let states = match watcher["expect"]["http-code"].as_u64() {
            Some(404) => None,
            Some(other) => panic!("a watcher expecting HTTP {other}"),
            None => {
                let matched = &watcher["expect"]["match"];
                let property = matched["path"].as_str().unwrap();
                assert!(property.starts_with("$."), "{property}");
                Some(
                    matched["values"]
                        .as_sequence()
                        .unwrap()
                        .iter()
                        .map(|v| format!("{}={}", &property[2..], v.as_str().unwrap()))
                        .collect(),
                )
            }
        };
        for method in methods {
            match find(&model, &path, &method) {
                Some(op) => found.push(Watcher {
                    trigger: op.official_name().to_owned(),
                    poll: poll.to_owned(),
                    version: version.clone(),
                    states: states.clone(),
                }),
                None => outside.push(format!("{} {path}", method.to_uppercase())),
            }
        }
    }
    (found, outside)
}

#[test]
fn every_atlas_cli_watcher_in_scope_has_a_waiter_with_the_same_poll_and_final_states() {
    let model = curated();
    let (watchers, outside) = watchers();
    // MongoDB's list keeps a watcher for creating a serverless snapshot, an operation the raw
    // spec does not have (serverless snapshots are taken on a schedule only).
    assert_eq!(
        outside,
        ["POST /api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots"],
        "watchers on operations outside the curated spec"
    );
    assert!(watchers.len() >= 6, "{} watchers in scope", watchers.len());
    let mut missing = Vec::new();
    for watcher in &watchers {
        let Some(poll) = model
            .operations
            .iter()
            .find(|op| op.official_name() == watcher.poll && op.http_method == HttpMethod::Get)
        else {
            missing.push(format!(
                "{}: the polled operation {} is not in the spec",
                watcher.trigger, watcher.poll
            ));
            continue;
        };
        let media_type = format!("application/vnd.atlas.{}+json", watcher.version);
        if !poll.responses.iter().any(|r| r.media_type == media_type) {
            missing.push(format!(
                "{}: {} does not answer in {media_type}",
                watcher.trigger, watcher.poll
            ));
        }
        let matched = poll.waiters.iter().any(|waiter| match &watcher.states {
            None => waiter.gone,
            Some(states) => {
                let ours: BTreeSet<String> = waiter
                    .success
                    .iter()
                    .chain(&waiter.failure)
                    .map(|m| match &m.test {
                        WaitTest::Equals(serde_json::Value::String(s)) => {
                            format!("{}={s}", m.property)
                        }
                        other => format!("{}={other:?}", m.property),
                    })
                    .collect();
                !waiter.gone && &ours == states
            }
        });
        if !matched {
            missing.push(format!(
                "{}: no waiter on {} ends on {}",
                watcher.trigger,
                watcher.poll,
                watcher
                    .states
                    .as_ref()
                    .map_or("its 404".to_owned(), |s| format!("{s:?}"))
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// What the Atlas CLI cannot wait for, and the client can: restore jobs of dedicated clusters,
/// collections and serverless instances, a schedule change, and deletions.
#[test]
fn the_client_also_waits_for_restore_jobs_and_deletions() {
    let model = curated();
    let waits = |id: &str| -> Vec<&str> {
        model
            .operations
            .iter()
            .find(|op| op.official_name() == id)
            .unwrap_or_else(|| panic!("{id} is not in the spec"))
            .waiters
            .iter()
            .map(|w| w.name.as_str())
            .collect()
    };
    for id in [
        "getBackupRestoreJob",
        "getCollectionRestoreJob",
        "getServerlessRestoreJob",
        // After a schedule change: Atlas has planned the next snapshot under it.
        "getBackupSchedule",
    ] {
        assert!(!waits(id).is_empty(), "{id} has no waiter");
    }
    let gone: Vec<&str> = model
        .operations
        .iter()
        .flat_map(|op| op.gone_waiters().map(move |_| op.official_name()))
        .collect();
    for id in ["getClusterBackupSnapshot", "getBackupShardedCluster"] {
        assert!(gone.contains(&id), "{id} has no deletion waiter: {gone:?}");
    }
}
