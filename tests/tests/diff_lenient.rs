//! Valid OpenAPI 3.0 documents the generator refuses (operations without `operationId` or
//! `responses`, responses without `description`, parameters typed by `content`) are compared all
//! the same, operations keyed by method and path, with a note for every gap filled; the generator
//! keeps refusing them.

mod diff_support;

use codegen::load::{load_text, Format};
use diff_support::{options, repository};

const OLD: &str = "tests/fixtures/diff/lenient/old.yaml";
const NEW: &str = "tests/fixtures/diff/lenient/new.yaml";

#[test]
fn documents_the_generator_refuses_are_compared_by_method_and_path() {
    let (old, new) = (repository().join(OLD), repository().join(NEW));
    let diff = differ::diff_files(&old, Some(&new), &options()).unwrap();
    let found: Vec<(String, Vec<&str>)> = diff
        .operations
        .iter()
        .map(|op| {
            let key = format!("{} {}", op.method.as_str(), op.path);
            (key, op.changes.iter().map(|c| c.info().code).collect())
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "POST /things".to_owned(),
                vec![
                    "endpoint-operation-id-changed",
                    "request-optional-property-added"
                ]
            ),
            (
                "GET /things/{id}".to_owned(),
                vec![
                    "request-parameter-type-widened",
                    "response-optional-property-added"
                ]
            ),
            ("PUT /things/{id}".to_owned(), vec!["endpoint-added"]),
            (
                "DELETE /things/{id}".to_owned(),
                vec!["response-success-status-added"]
            ),
        ]
    );
    // An operation without an id is named by its method and path.
    assert_eq!(diff.operations[1].operation_id, "GET /things/{id}");
    // Five gaps in the older file, six in the newer one, each named where it is.
    assert_eq!(diff.notes.len(), 12, "{:#?}", diff.notes);
    assert!(diff.notes.iter().any(|n| n.ends_with(
        "old.yaml#/paths/~1things~1{id}/delete: operation has no `responses`; compared as documenting no answer"
    )));
    let text = differ::report::text(&diff);
    assert!(
        text.contains("Read for comparison only") && text.contains("has no `description`"),
        "{text}"
    );
}

#[test]
fn the_generator_keeps_refusing_them() {
    for label in [OLD, NEW] {
        let text = std::fs::read_to_string(repository().join(label)).unwrap();
        let spec = load_text(label, text, Format::Yaml);
        // The newer file reads as OpenAPI, and fails validation for its missing ids.
        let refused = match spec {
            Err(_) => true,
            Ok(spec) => codegen::validate::validate(&spec).is_err(),
        };
        assert!(refused, "{label}");
    }
}

#[test]
fn documents_the_generator_reads_have_no_notes() {
    let same = repository().join("tests/fixtures/diff/rules/endpoints/old.yaml");
    let diff = differ::diff_files(&same, Some(&same), &options()).unwrap();
    assert!(diff.notes.is_empty(), "{:?}", diff.notes);
    assert!(!differ::report::text(&diff).contains("Read for comparison only"));
}
