//! The raw Atlas spec (`../shared/real-specs/`, not copied into the tree) names its operations by
//! IPA ids; the generated crate names them as MongoDB's SDK and CLI do, by
//! `x-xgen-operation-id-override`.

use codegen::project::repository_root;
use codegen::Options;

#[test]
fn the_raw_atlas_spec_names_methods_by_their_override() {
    const SPEC: &str = "atlas-raw-2026-08-21.yaml.gz";
    let Some(real_specs) = codegen::corpora::corpus_for_test(
        &repository_root(),
        "real-specs",
        SPEC,
        "codegen/tests/official_names.rs::the_raw_atlas_spec_names_methods_by_their_override",
    ) else {
        return;
    };
    let spec = real_specs.join(SPEC);
    let options = Options {
        spec_label: "atlas-raw-2026-08-21.yaml.gz".to_owned(),
        command: "cargo test -p codegen --test official_names".to_owned(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate(&spec, &options).unwrap();
    let model = &generated.model;
    let take = model
        .operations
        .iter()
        .find(|op| op.id.0 == "takeGroupClusterBackupSnapshots")
        .expect("the raw spec has the operation");
    assert_eq!(take.method_name.0, "take_snapshots");
    assert_eq!(take.builder_name.0, "TakeSnapshots");

    // Every override names its method, and no two operations had to share one.
    let overridden = model
        .operations
        .iter()
        .filter(|op| op.id_override.is_some())
        .count();
    assert!(overridden > 300, "{overridden} overrides");
    let collisions: Vec<&str> = model
        .notes
        .iter()
        .filter(|n| n.message.contains("both become"))
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(collisions, Vec::<&str>::new());

    // The generated crate: the method, and the raw id in its docs.
    let operations = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/operations"))
        .map(|f| f.contents.as_str())
        .collect::<String>();
    let method = operations
        .find("pub fn take_snapshots(")
        .expect("the client has `take_snapshots`");
    let docs = &operations[operations[..method].rfind("\n\n").unwrap()..method];
    assert!(
        docs.contains("`takeGroupClusterBackupSnapshots`"),
        "the operationId is in the docs: {docs}"
    );
    assert!(!operations.contains("fn take_group_cluster_backup_snapshots("));
}
