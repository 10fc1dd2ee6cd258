//! `atlas-codegen`, the generator as a command, run as a user would: from a folder outside any
//! checkout, on a spec outside it, into a folder outside it. The crate it writes names no
//! absolute path and is named after the spec's title (or `--crate-name`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use toml_edit::DocumentMut;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs the command in `cwd` with nothing in its environment that points at the checkout.
fn atlas_codegen(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_atlas-codegen"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("atlas-codegen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, with its text.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push((path.clone(), fs::read_to_string(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// Whether `text` names `path` as an absolute path (not as the end of a relative one).
fn names_absolute(text: &str, path: &Path) -> bool {
    let path = path.to_string_lossy();
    text.match_indices(&*path)
        .any(|(at, _)| !text[..at].ends_with(".."))
}

/// A small spec, copied outside the checkout, with a title that is no package name as it is.
fn spec_in(dir: &Path) -> PathBuf {
    let spec = dir.join("specs/pets.yaml");
    fs::create_dir_all(spec.parent().unwrap()).unwrap();
    let fixture =
        fs::read_to_string(repository().join("tests/fixtures/codegen/pagination.yaml")).unwrap();
    let retitled = fixture.replacen("title: Pagination", "title: 2nd Pet Store_API (beta)", 1);
    assert_ne!(
        retitled, fixture,
        "the fixture has the title this test replaces"
    );
    fs::write(&spec, retitled).unwrap();
    spec
}

#[test]
fn generates_from_outside_the_checkout_a_crate_with_relative_paths_named_after_the_title() {
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().canonicalize().unwrap();
    spec_in(&home_path);
    let work = home_path.join("work");
    fs::create_dir_all(&work).unwrap();
    let runtime = repository().join("runtime").canonicalize().unwrap();
    let output = atlas_codegen(
        &work,
        &[
            "--spec",
            "../specs/pets.yaml",
            "--out",
            "clients/pets",
            "--runtime-path",
            runtime.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("generated clients/pets from ../specs/pets.yaml"),
        "{}",
        text(&output.stdout)
    );
    let out = work.join("clients/pets");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let doc: DocumentMut = manifest.parse().unwrap();
    assert_eq!(
        doc["package"]["name"].as_str(),
        Some("api-2nd-pet-store-api-beta")
    );
    let path = doc["dependencies"]["atlas-snapshots-runtime"]["path"]
        .as_str()
        .unwrap();
    assert!(!Path::new(path).is_absolute(), "{manifest}");
    assert_eq!(
        out.join(path).canonicalize().unwrap(),
        runtime,
        "the relative path leads to the runtime"
    );
    for (file, contents) in files(&out) {
        for absolute in [&home_path, &runtime] {
            assert!(
                !names_absolute(&contents, absolute),
                "{} names {}:\n{contents}",
                file.display(),
                absolute.display()
            );
        }
    }
    // The header's command, run in the crate folder, finds the crate up to date.
    let check = atlas_codegen(
        &out,
        &[
            "--spec",
            "../../../specs/pets.yaml",
            "--out",
            ".",
            "--runtime-path",
            path,
            "--check",
        ],
    );
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(
        manifest.contains(&format!(
            "`atlas-codegen --spec ../../../specs/pets.yaml --out . --runtime-path {path}`"
        )),
        "{manifest}"
    );
}

#[test]
fn a_published_runtime_and_a_chosen_name() {
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().canonicalize().unwrap();
    let spec = spec_in(&home_path);
    let output = atlas_codegen(
        &home_path,
        &[
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            "pets",
            "--runtime-version",
            "0.1.0",
            "--crate-name",
            "pet-client",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest = fs::read_to_string(home_path.join("pets/Cargo.toml")).unwrap();
    let doc: DocumentMut = manifest.parse().unwrap();
    assert_eq!(doc["package"]["name"].as_str(), Some("pet-client"));
    assert_eq!(
        doc["dependencies"]["atlas-snapshots-runtime"]["version"].as_str(),
        Some("0.1.0")
    );
    assert!(doc["dependencies"]["atlas-snapshots-runtime"]
        .get("path")
        .is_none());
    assert!(!names_absolute(&manifest, &home_path), "{manifest}");
}

#[test]
fn without_a_runtime_choice_nothing_is_generated() {
    let home = tempfile::tempdir().unwrap();
    let spec = spec_in(home.path());
    let output = atlas_codegen(
        home.path(),
        &["--spec", spec.to_str().unwrap(), "--out", "pets"],
    );
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let message = text(&output.stderr);
    assert!(
        message.contains("--runtime-version") && message.contains("--runtime-path"),
        "{message}"
    );
    assert!(!home.path().join("pets").exists());
}
