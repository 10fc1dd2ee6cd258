//! `cargo xtask conformance` on the curated spec and on one small real spec (Twilio Verify, from
//! `../shared/real-specs/`), static and with three dynamic seeds: every operation must pass
//! every run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs the conformance of `spec` and returns the reasons of the operations that failed some
/// run, with the count of operations.
fn failing_operations(spec: &Path) -> (BTreeMap<String, Vec<String>>, usize) {
    let report_dir = tempfile::tempdir().unwrap();
    let report = report_dir.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("conformance")
        .arg("--spec")
        .arg(spec)
        .args(["--seeds", "1,2,3", "--min", "0", "--json"])
        .arg(&report)
        .current_dir(repository())
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let results = report["results"].as_object().expect("results by operation");
    let mut failing = BTreeMap::new();
    for (operation, runs) in results {
        let runs = runs.as_object().unwrap();
        assert_eq!(runs.len(), 4, "static and three seeds");
        let reasons: Vec<String> = runs
            .iter()
            .filter(|(_, run)| run["accepted"] != true || run["decoded"] != true)
            .map(|(name, run)| format!("[{name}] {}", run["reasons"]))
            .collect();
        if !reasons.is_empty() {
            failing.insert(operation.clone(), reasons);
        }
    }
    (failing, results.len())
}

#[test]
fn the_curated_spec_passes_conformance_on_every_operation() {
    let spec = repository().join("spec/atlas-snapshots.yaml");
    let (failing, operations) = failing_operations(&spec);
    assert_eq!(operations, 56);
    assert!(failing.is_empty(), "{failing:#?}");
}

#[test]
fn twilio_verify_passes_conformance_on_every_operation() {
    let test = "xtask/tests/conformance.rs::twilio_verify_passes_conformance_on_every_operation";
    let probe = "twilio_verify_v2.json.gz";
    let Some(corpus) = codegen::corpora::corpus_for_test(&repository(), "real-specs", probe, test)
    else {
        return;
    };
    let (failing, operations) = failing_operations(&corpus.join(probe));
    assert_eq!(operations, 57);
    assert!(failing.is_empty(), "{failing:#?}");
}
