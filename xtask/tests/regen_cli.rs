//! The `regen` command as users run it: bad specs fail with a message that names the place and
//! a non-zero exit code, and leave the output folder exactly as it was; good specs produce a
//! standalone crate; `--check` reports staleness with a diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn regen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regen")
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder holding a previous generation, to prove a failed run does not touch it.
fn previous_output() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("src/lib.rs"), "// previous generation\n").unwrap();
    (dir, out)
}

fn snapshot_of(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Runs regen on a bad fixture and returns its error output, after checking the exit code and
/// that the previous output (and the folder around it) is untouched.
fn fails_cleanly(fixture: &str) -> String {
    let spec = repository().join("tests/fixtures/invalid").join(fixture);
    let (dir, out) = previous_output();
    let before = snapshot_of(dir.path());
    let output = regen(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success(), "{fixture} must fail");
    assert_eq!(
        snapshot_of(dir.path()),
        before,
        "{fixture}: a failed run changed files"
    );
    let message = stderr(&output);
    assert!(
        message.contains(fixture),
        "the message names the spec file: {message}"
    );
    message
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let message = fails_cleanly("malformed.yaml");
    assert!(message.contains("malformed YAML"), "{message}");
    assert!(
        message.contains("malformed.yaml:11:1"),
        "where the parser gave up on the unclosed mapping: {message}"
    );
}

#[test]
fn dangling_reference_names_the_pointer() {
    let message = fails_cleanly("dangling_ref.yaml");
    assert!(
        message.contains("dangling reference: `#/components/schemas/Missing`"),
        "{message}"
    );
    assert!(
        message.contains("#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "{message}"
    );
    assert!(message.contains("dangling_ref.yaml:15:"), "{message}");
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let message = fails_cleanly("duplicate_operation_id.yaml");
    assert!(
        message.contains("duplicate operationId `getThing`"),
        "{message}"
    );
    assert!(message.contains("#/paths/~1b/get/operationId"), "{message}");
    assert!(
        message.contains("also used at #/paths/~1a/get"),
        "{message}"
    );
}

#[test]
fn unsupported_constructs_are_all_reported_at_once() {
    let message = fails_cleanly("unsupported_construct.yaml");
    assert!(message.contains("2 problem(s)"), "{message}");
    assert!(
        message.contains("unsupported construct: `cookie` parameter `session`"),
        "{message}"
    );
    assert!(
        message.contains("#/paths/~1a/get/parameters/0/in"),
        "{message}"
    );
    assert!(
        message.contains(
            "unsupported construct: external reference `other.yaml#/components/schemas/Thing`"
        ),
        "{message}"
    );
}

#[test]
fn malformed_waiters_are_all_reported_at_their_pointers() {
    let message = fails_cleanly("malformed_waiters.yaml");
    assert!(message.contains("3 problem(s)"), "{message}");
    let get = "#/paths/~1jobs~1{jobId}/get/x-waiters";
    assert!(
        message.contains(&format!("{get}/jobDone/success/0")),
        "a state with neither `equals` nor `present`: {message}"
    );
    assert!(
        message.contains("error: has no `success` states")
            && message.contains(&format!("({get}/jobGone)")),
        "{message}"
    );
    assert!(
        message.contains("error: only a get operation can be polled")
            && message.contains("(#/paths/~1jobs~1{jobId}/delete/x-waiters)"),
        "{message}"
    );
}

#[test]
fn unreadable_spec_is_an_error() {
    let (dir, out) = previous_output();
    let output = regen(&[
        "--spec",
        "/nonexistent/spec.yaml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot read spec file /nonexistent/spec.yaml"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// previous generation\n"
    );
    drop(dir);
}

#[test]
fn standalone_crate_then_check() {
    let spec = repository().join("tests/fixtures/codegen/versions.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let args = [
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let output = regen(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    // Only generated files and the manifest: the runtime is a dependency, not a copy.
    let mut written: Vec<String> = snapshot_of(&out)
        .into_iter()
        .map(|(path, _)| path.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            ".generated-files",
            "Cargo.toml",
            "src/decode.rs",
            "src/encode.rs",
            "src/lib.rs",
            "src/mock.rs",
            "src/models.rs",
            "src/operations.rs",
            "src/params.rs",
            "src/v1.rs"
        ]
    );
    for (path, contents) in snapshot_of(&out) {
        assert!(
            contents.contains("@generated"),
            "{} is marked",
            path.display()
        );
    }
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    // The checkout's runtime, by a path relative to the crate: nothing names this machine.
    let runtime = repository().join("runtime").canonicalize().unwrap();
    let relative = codegen::standalone::relative_path(&out.canonicalize().unwrap(), &runtime);
    assert!(relative.starts_with(".."), "{}", relative.display());
    assert!(
        manifest.contains(&format!("path = \"{}\"", relative.display())),
        "{manifest}"
    );
    let tmp = dir.path().canonicalize().unwrap();
    for (path, contents) in snapshot_of(&out) {
        assert!(
            !names_absolute(&contents, &tmp) && !names_absolute(&contents, &runtime),
            "{} names an absolute path",
            path.display()
        );
    }
    // Named after the spec's title, not the folder.
    assert!(manifest.contains("name = \"versions\""), "{manifest}");
    let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod v1;"), "{lib}");
    assert!(
        lib.contains("pub type ClientBuilder = ::atlas_snapshots_runtime::ClientBuilder<Client>;"),
        "{lib}"
    );

    let fresh = regen(&[&["--check"], &args[..]].concat());
    assert!(fresh.status.success(), "{}", stderr(&fresh));

    fs::write(out.join("src/models.rs"), "// edited by hand\n").unwrap();
    let stale = regen(&[&["--check"], &args[..]].concat());
    assert!(!stale.status.success());
    let message = stderr(&stale);
    assert!(message.contains("-// edited by hand"), "{message}");
    assert!(
        message.contains("Run `cargo xtask regen --spec"),
        "{message}"
    );
    // The check wrote nothing.
    assert_eq!(
        fs::read_to_string(out.join("src/models.rs")).unwrap(),
        "// edited by hand\n"
    );
    drop(dir);
}

#[test]
fn a_published_runtime_version_can_be_asked_for() {
    let spec = repository().join("tests/fixtures/codegen/pagination.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("2024 client");
    let output = regen(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--runtime-version",
        "0.4.2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            "atlas-snapshots-runtime = { version = \"0.4.2\", default-features = false }"
        ),
        "{manifest}"
    );
    assert!(!manifest.contains("path ="), "{manifest}");
    // The spec's title, whatever the folder is called.
    assert!(manifest.contains("name = \"pagination\""), "{manifest}");
}

#[test]
fn a_crate_name_is_taken_as_given_and_an_invalid_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let args = |name: &str| {
        regen(&[
            "--spec",
            good_spec().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            name,
        ])
    };
    let output = args("my-versions");
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-versions\""), "{manifest}");
    assert!(
        manifest.contains("--crate-name my-versions"),
        "the header's command keeps the name: {manifest}"
    );
    let refused = args("2 Versions");
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("`2 Versions` is not a valid package name")
            && message.contains("`api-2-versions` would be"),
        "{message}"
    );
}

/// Whether `text` names `path` as an absolute path (not as the end of a relative one, as
/// `../../work/runtime` ends in `/work/runtime`).
fn names_absolute(text: &str, path: &Path) -> bool {
    let path = path.to_string_lossy();
    text.match_indices(&*path)
        .any(|(at, _)| !text[..at].ends_with(".."))
}

fn good_spec() -> PathBuf {
    repository().join("tests/fixtures/codegen/versions.yaml")
}

fn regen_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regen")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("xtask runs")
}

#[test]
fn a_folder_the_generator_did_not_write_is_refused_and_left_as_it_was() {
    let (dir, out) = previous_output();
    fs::write(out.join("README.md"), "mine\n").unwrap();
    let before = snapshot_of(dir.path());
    let output = regen(&[
        "--spec",
        good_spec().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("refusing to write"), "{message}");
    assert!(message.contains("not empty"), "{message}");
    assert!(message.contains("`README.md`, `src`"), "{message}");
    assert_eq!(snapshot_of(dir.path()), before, "nothing was written");
}

#[test]
fn out_dot_in_an_empty_folder_generates_there() {
    let dir = tempfile::tempdir().unwrap();
    let output = regen_in(
        dir.path(),
        &["--spec", good_spec().to_str().unwrap(), "--out", "."],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("Cargo.toml").is_file());
    assert!(dir.path().join("src/lib.rs").is_file());
    let manifest = fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"versions\""), "{manifest}");
    // Running it again in place is a no-op, not an EBUSY.
    let again = regen_in(
        dir.path(),
        &["--spec", good_spec().to_str().unwrap(), "--out", "."],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("no changes"));
}

#[test]
fn out_dot_or_dot_dot_in_a_repository_is_refused_with_nothing_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::create_dir_all(repo.join("src/sub")).unwrap();
    fs::write(repo.join("src/main.rs"), "fn main() {}\n").unwrap();
    let before = snapshot_of(dir.path());
    for (cwd, out) in [(repo.clone(), "."), (repo.join("src/sub"), "../..")] {
        let output = regen_in(
            &cwd,
            &["--spec", good_spec().to_str().unwrap(), "--out", out],
        );
        assert!(!output.status.success(), "--out {out}");
        let message = stderr(&output);
        assert!(message.contains("refusing to write"), "{message}");
        assert_eq!(
            snapshot_of(dir.path()),
            before,
            "--out {out} left something"
        );
    }
}

#[test]
fn target_and_dot_folders_in_the_output_survive_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    for folder in [".git", "target/debug"] {
        fs::create_dir_all(out.join(folder)).unwrap();
        fs::write(out.join(folder).join("keep"), folder).unwrap();
    }
    let spec = good_spec();
    let args = [
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    for _ in 0..2 {
        let output = regen(&args);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    fs::write(out.join("Cargo.lock"), "# not the generator's\n").unwrap();
    let output = regen(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    for folder in [".git", "target/debug"] {
        assert_eq!(
            fs::read_to_string(out.join(folder).join("keep")).unwrap(),
            folder
        );
    }
    assert!(out.join("Cargo.lock").exists());
}

#[test]
fn a_missing_spec_names_the_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = regen(&[
        "--spec",
        "/nonexistent.yaml",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(
        message.matches("No such file or directory").count(),
        1,
        "{message}"
    );
    assert!(!dir.path().join("out").exists(), "nothing was created");
}

#[test]
fn problems_are_shown_with_their_line_a_caret_the_path_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("typo.yaml");
    fs::write(
        &spec,
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /groups/{groupId}:\n    get:\n      operationId: getGroup\n      parameters:\n        - name: groupId\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Grop'\ncomponents:\n  schemas:\n    Group:\n      type: object\n",
    )
    .unwrap();
    let output = regen(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("typo.yaml:21:17"), "{message}");
    assert!(
        message.contains("21 |                 $ref: '#/components/schemas/Grop'"),
        "{message}"
    );
    assert!(message.contains("|                 ^^^^\n"), "{message}");
    assert!(
        message.contains("at paths › /groups/{groupId} › get › responses › 200"),
        "{message}"
    );
    assert!(message.contains("in operation `getGroup`"), "{message}");
    assert!(
        message.contains("help: did you mean `#/components/schemas/Group`?"),
        "{message}"
    );
}
