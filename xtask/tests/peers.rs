//! `cargo xtask peers` on the seven peer specs (progenitor's test suite, in
//! `../shared/peer-specs/`): each is generated, `cargo check`ed and linted with
//! `cargo clippy -- -D warnings`. The specs that do not pass yet are listed with the reason and
//! the issue 14 item that makes them pass; an entry that starts passing fails the test, so the
//! list is kept true.

use std::path::PathBuf;
use std::process::Command;

/// The verdict each peer spec gets today, and why when it is not `ok+clippy`.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("buildomat.json", "ok+clippy", ""),
    ("cli-gen.json", "ok+clippy", ""),
    ("keeper.json", "ok+clippy", ""),
    ("nexus.json", "ok+clippy", ""),
    ("param-collision.json", "ok+clippy", ""),
    ("param-overrides.json", "ok+clippy", ""),
    ("propolis-server.json", "ok+clippy", ""),
];

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn peer_specs_check_and_lint_as_listed() {
    let root = repository();
    let test = "xtask/tests/peers.rs::peer_specs_check_and_lint_as_listed";
    if codegen::corpora::corpus_for_test(&root, "peer-specs", "nexus.json", test).is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("peers")
        .arg("--out")
        .arg(out.path())
        .arg("--target-dir")
        .arg(root.join("target/corpus-target"))
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<(String, String)> = stdout
        .lines()
        .skip_while(|line| !line.starts_with("spec "))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .map(|line| {
            // spec, operations, schemas, untyped, notes, conformance (`-` here), seconds, verdict.
            let cells: Vec<&str> = line.split_whitespace().collect();
            (cells[0].to_owned(), cells[7..].join(" "))
        })
        .collect();
    let expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(spec, verdict, _)| ((*spec).to_owned(), (*verdict).to_owned()))
        .collect();
    assert_eq!(
        rows, expected,
        "peer-spec verdicts changed; update EXPECTED with the reason:\n{stdout}"
    );
    let failing = EXPECTED
        .iter()
        .filter(|(_, v, _)| *v != "ok+clippy")
        .count();
    assert_eq!(output.status.success(), failing == 0, "{stdout}");
    assert!(
        stdout.contains(&format!("{failing} of 7 spec(s) failed")) || failing == 0,
        "{stdout}"
    );
}
