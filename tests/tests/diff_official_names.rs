//! The differ and Atlas's `x-xgen-operation-id-override`: an IPA rename of an `operationId`
//! that keeps the override keeps the client method, so it is neither a removal and an addition
//! nor a breaking rename, even where the path moves too.

mod diff_support;

use codegen::load::{load_text, Format};
use codegen::model::{build_model, ApiModel};
use codegen::validate::validate;
use diff_support::options;
use differ::rules::Semver;

fn model(id: &str, path: &str) -> ApiModel {
    let text = format!(
        r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  {path}:
    post:
      operationId: {id}
      parameters: [{{name: groupId, in: path, required: true, schema: {{type: string}}}}]
      x-xgen-operation-id-override: takeSnapshots
      responses: {{'204': {{description: taken}}}}
"#
    );
    let spec = load_text("spec.yaml", text, Format::Yaml).unwrap();
    build_model(&validate(&spec).unwrap()).unwrap()
}

/// Each change as `(rule code, semver, message)`.
fn changes(old: &ApiModel, new: &ApiModel) -> Vec<(&'static str, Semver, String)> {
    let diff = differ::diff_models(old, new, &options()).unwrap();
    diff.changes()
        .map(|c| (c.info().code, c.semver, c.message.clone()))
        .collect()
}

#[test]
fn an_ipa_rename_under_the_same_override_keeps_the_method() {
    let old = model("takeSnapshot", "/groups/{groupId}/snapshots");
    let new = model(
        "takeGroupClusterBackupSnapshots",
        "/groups/{groupId}/snapshots",
    );
    assert_eq!(
        changes(&old, &new),
        [(
            "endpoint-operation-id-changed",
            Semver::Patch,
            "operationId changed from `takeSnapshot` to `takeGroupClusterBackupSnapshots`: \
             client method `take_snapshots` keeps its name"
                .to_owned()
        )]
    );
}

#[test]
fn an_ipa_rename_that_also_moves_the_path_is_still_one_operation() {
    let old = model("takeSnapshot", "/groups/{groupId}/snapshots");
    let new = model(
        "takeGroupClusterBackupSnapshots",
        "/groups/{groupId}/backup/snapshots",
    );
    let codes: Vec<&str> = changes(&old, &new).into_iter().map(|c| c.0).collect();
    assert_eq!(
        codes,
        ["endpoint-path-changed", "endpoint-operation-id-changed"]
    );
}
