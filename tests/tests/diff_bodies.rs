//! Bodies that are not JSON (`tests/fixtures/diff/bodies/`): a form body's schema is compared
//! as a JSON body's, and a multipart body part by part (added, removed, required, a file turned
//! into text, a text part's type), each judged as a request property.

mod diff_support;

use diff_support::{diff, options};
use differ::{Level, Semver};

#[test]
fn form_and_multipart_bodies_are_compared_inside() {
    use Level::*;
    use Semver::*;
    let diff = diff(
        "tests/fixtures/diff/bodies/old.yaml",
        "tests/fixtures/diff/bodies/new.yaml",
        &options(),
    );
    let expected: &[(&str, &str, &str, Level, Semver)] = &[
        (
            "submitForm",
            "DF336",
            "(application/x-www-form-urlencoded): `count` maximum changed from 100 to 50",
            Breaking,
            Patch,
        ),
        (
            "upload",
            "DF323",
            "(multipart/form-data): part `size` became required",
            Breaking,
            Major,
        ),
        (
            "upload",
            "DF325",
            "part `preview` changed from a file to a text value",
            Breaking,
            Major,
        ),
        (
            "upload",
            "DF322",
            "removed optional part `checksum`",
            Warning,
            Major,
        ),
        ("upload", "DF320", "added optional part `tags`", Info, Minor),
        (
            "upload",
            "DF347",
            "`size` type widened from integer (int32) to integer (int64)",
            Info,
            Major,
        ),
    ];
    let mut found = 0;
    for op in &diff.operations {
        for change in &op.changes {
            let (_, _, _, level, semver) = expected
                .iter()
                .find(|(id, rule, text, _, _)| {
                    *id == op.operation_id
                        && *rule == change.info().number
                        && change.message.contains(text)
                })
                .unwrap_or_else(|| panic!("unexpected: {}", change.message));
            assert_eq!(change.level, *level, "{}", change.message);
            assert_eq!(change.semver, *semver, "{}", change.message);
            assert!(
                change.rust.is_some(),
                "names the body it touches: {}",
                change.message
            );
            found += 1;
        }
    }
    assert_eq!(found, expected.len());
}
