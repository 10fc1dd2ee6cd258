//! Parameters the generator's model has no place for (`tests/fixtures/diff/cookies-and-objects/`):
//! cookie parameters, which the generator refuses, and the properties of a `deepObject` query
//! parameter, which it types as any JSON value. The differ compares both like parameters: a
//! cookie by its name, an object property as the query parameter it is sent as
//! (`filter[state]`). Neither changes a generated signature, so each is a patch.

mod diff_support;

use diff_support::options;
use differ::{Level, Semver};
use std::path::Path;

#[test]
fn cookies_and_object_properties_are_compared() {
    use Level::*;
    let root = diff_support::repository().join("tests/fixtures/diff/cookies-and-objects");
    // Through the file loader, which reads what the generator refuses.
    let diff = differ::diff_files(
        &root.join("old.yaml"),
        Some(Path::new(&root.join("new.yaml"))),
        &options(),
    )
    .unwrap();
    let expected: &[(&str, &str, Level, Option<&str>)] = &[
        (
            "DF202",
            "cookie parameter `region`: added (required)",
            Breaking,
            None,
        ),
        ("DF203", "cookie parameter `theme`: removed", Warning, None),
        (
            "DF217",
            "cookie parameter `session`: maxLength 64 added",
            Breaking,
            None,
        ),
        (
            "DF204",
            "query parameter `filter[owner]`: became required",
            Breaking,
            Some("filter"),
        ),
        (
            "DF211",
            "query parameter `filter[state]`: enum value `closed` removed",
            Breaking,
            Some("filter"),
        ),
        (
            "DF217",
            "query parameter `filter[owner]`: maxLength changed from 20 to 10",
            Breaking,
            Some("filter"),
        ),
        (
            "DF201",
            "query parameter `filter[since]`: added (optional)",
            Info,
            Some("filter"),
        ),
    ];
    let changes: Vec<&differ::Change> = diff.changes().collect();
    assert_eq!(changes.len(), expected.len(), "{changes:#?}");
    for (rule, message, level, object) in expected {
        let change = changes
            .iter()
            .find(|c| c.info().number == *rule && c.message == *message)
            .unwrap_or_else(|| panic!("no {rule} {message:?} in {changes:#?}"));
        assert_eq!(change.level, *level, "{message}");
        assert_eq!(change.semver, Semver::Patch, "{message}");
        match object {
            None => assert_eq!(change.rust, None, "a cookie is nothing in the crate"),
            Some(name) => assert_eq!(
                change.rust.as_deref(),
                Some(
                    format!("the `{name}` object (any JSON value) of `Client::list_things`")
                        .as_str()
                )
            ),
        }
    }
}
