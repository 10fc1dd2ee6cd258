//! The xtask acts on the checkout it runs in, found at run time: a binary built in one checkout
//! and run for another (a moved checkout, a target folder two checkouts share) must not touch
//! the checkout that built it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Enough of a repository to be recognised as one, without the bundled spec.
fn fake_repository(dir: &Path) {
    fs::create_dir_all(dir.join("codegen")).unwrap();
    fs::create_dir_all(dir.join("xtask/src")).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"codegen\", \"xtask\"]\n",
    )
    .unwrap();
    fs::write(dir.join("codegen/Cargo.toml"), "[package]\n").unwrap();
    fs::write(dir.join("xtask/Cargo.toml"), "[package]\n").unwrap();
}

fn regen_check(manifest_dir: Option<&Path>, cwd: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["regen", "--check"]).current_dir(cwd);
    match manifest_dir {
        Some(dir) => command.env("CARGO_MANIFEST_DIR", dir),
        None => command.env_remove("CARGO_MANIFEST_DIR"),
    };
    command.output().expect("xtask runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn regen_reads_the_spec_of_the_checkout_named_at_run_time() {
    let other = tempfile::tempdir().unwrap();
    fake_repository(other.path());
    let elsewhere = tempfile::tempdir().unwrap();
    let output = regen_check(Some(&other.path().join("xtask")), elsewhere.path());
    assert!(!output.status.success());
    let message = stderr(&output);
    // The first file regen reads (the release record, then the spec) is the other checkout's.
    assert!(
        message.contains(&format!("cannot read spec file {}", other.path().display())),
        "the other checkout's files, not this one's: {message}"
    );
}

#[test]
fn without_cargo_the_current_folder_is_walked_up() {
    let other = tempfile::tempdir().unwrap();
    fake_repository(other.path());
    let output = regen_check(None, &other.path().join("xtask/src"));
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&other.path().display().to_string()),
        "{message}"
    );
}

#[test]
fn outside_any_checkout_the_error_says_where_it_looked() {
    let nowhere = tempfile::tempdir().unwrap();
    let output = regen_check(None, nowhere.path());
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("cannot find the repository root"),
        "{message}"
    );
    assert!(
        message.contains(&nowhere.path().display().to_string()),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn stub_runs_in_the_checkout_named_at_run_time() {
    let other = tempfile::tempdir().unwrap();
    fake_repository(other.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["stub", "--", "--help"])
        .env("CARGO_MANIFEST_DIR", other.path().join("xtask"))
        .current_dir(other.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xtask runs");
    // In this checkout the stand-in would build and serve; in the fake one cargo gives up.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("stub kept running: it used this checkout, not the one named at run time");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert!(
        message.contains(&other.path().display().to_string()),
        "cargo ran in the other checkout: {message}"
    );
}
