//! The `corpus` command as CI runs it, on a folder with one small spec that uses every
//! construct the upstream specs need (its crate is really generated and `cargo check`ed) and
//! one spec the generator refuses: the table reports both and the run fails.

use std::path::PathBuf;
use std::process::{Command, Output};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn corpus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .args(args)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn checks_every_spec_and_fails_on_a_broken_one() {
    let specs = repository().join("xtask/tests/fixtures/corpus");
    let out = tempfile::tempdir().unwrap();
    // The target folder `cargo xtask corpus` uses by default, so dependencies build once for
    // this test and for CI's corpus run.
    let target = repository().join("target/corpus-target");
    let output = corpus(&[
        specs.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--target-dir",
        target.to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert!(!output.status.success(), "a broken spec fails the run");

    let table: Vec<&str> = stdout
        .lines()
        .skip_while(|line| !line.starts_with("spec "))
        .take(3)
        .collect();
    assert_eq!(table.len(), 3, "{stdout}");
    let header: Vec<&str> = table[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "spec",
            "operations",
            "schemas",
            "untyped",
            "notes",
            "conformance",
            "seconds",
            "verdict"
        ]
    );
    let broken: Vec<&str> = table[1].split_whitespace().collect();
    assert_eq!(broken[0], "broken.yaml");
    assert_eq!(&broken[1..6], ["-", "-", "-", "-", "-"], "{stdout}");
    assert_eq!(&broken[7..], ["FAIL:", "generation"], "{stdout}");
    let good: Vec<&str> = table[2].split_whitespace().collect();
    assert_eq!(good[0], "constructs.yaml");
    assert_eq!(good[1], "8", "every operation is generated: {stdout}");
    assert!(good[2].parse::<usize>().unwrap() > 0, "schemas are counted");
    assert!(
        good[3].parse::<usize>().is_ok(),
        "untyped schemas are counted"
    );
    assert!(good[4].parse::<usize>().unwrap() > 0, "notes are counted");
    assert_eq!(good[5], "-", "no conformance run without --conformance");
    assert_eq!(good[7..], ["ok"], "the crate checks clean: {stdout}");

    // The first errors of the failure are shown, naming the file and the place.
    let failure = stdout
        .split("== broken.yaml")
        .nth(1)
        .expect("a section for the failure");
    assert!(failure.contains("broken.yaml"), "{failure}");
    assert!(
        failure.contains("#/paths/~1api~1atlas~1v2~1things/get/responses/200"),
        "{failure}"
    );
    assert!(stdout.contains("1 of 2 spec(s) failed"), "{stdout}");
    assert!(out.path().join("spec-constructs/Cargo.toml").exists());
}

#[test]
fn with_conformance_each_crate_is_also_run_against_prism() {
    let specs = tempfile::tempdir().unwrap();
    std::fs::copy(
        repository().join("spec/atlas-snapshots.yaml"),
        specs.path().join("atlas-snapshots.yaml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = repository().join("target/corpus-target");
    let output = corpus(&[
        specs.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--target-dir",
        target.to_str().unwrap(),
        "--conformance",
        "--conformance-min",
        "1.0",
    ]);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    let row = stdout
        .lines()
        .find(|line| line.starts_with("atlas-snapshots.yaml "))
        .expect("a row for the spec");
    assert!(
        row.contains("56/56 (100.0%) pass every run"),
        "the conformance column: {row}"
    );
    let report = repository().join("target/conformance/atlas-snapshots.json");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["passed"], 56);
}

#[test]
fn a_missing_folder_is_an_error() {
    let output = corpus(&["/no/such/folder/of/specs"]);
    assert!(!output.status.success());
    let message = text(&output.stderr);
    assert!(
        message.contains("/no/such/folder/of/specs") && message.contains("does not exist"),
        "{message}"
    );
}
