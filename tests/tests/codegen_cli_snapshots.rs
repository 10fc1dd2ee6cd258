//! Snapshot tests of the command-line emitter: the generated commands for fixture specs with the
//! kinds of parameter the curated spec lacks (enums, arrays, headers, keywords) and with
//! deprecated operations, read when accepted like the client's snapshots.

use codegen::Options;
use std::path::PathBuf;

fn render(name: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let label = format!("tests/fixtures/codegen/{name}");
    let options = Options {
        spec_label: label.clone(),
        command: "cargo xtask regen".into(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let spec = codegen::load::load_file(&root.join(&label)).unwrap_or_else(|e| panic!("{e}"));
    let generated = codegen::generate_from(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
    let files = codegen::emit::cli::cli_files(&generated.model, &options, "generated")
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect()
}

#[test]
fn cli_of_required_optional_array_and_header_parameters() {
    insta::assert_snapshot!(render("parameters.yaml"));
}

/// Parameters and operations named after keywords, and names that collide.
#[test]
fn cli_of_keywords_and_collisions() {
    insta::assert_snapshot!(render("keywords.yaml"));
}

#[test]
fn cli_of_enums() {
    insta::assert_snapshot!(render("enums.yaml"));
}

#[test]
fn cli_of_deprecated_operations_and_waiters() {
    insta::assert_snapshot!(render("deprecation.yaml") + &render("waiters.yaml"));
}
