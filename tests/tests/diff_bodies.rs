//! What reaches the wire beside JSON properties: bodies that are not JSON
//! (`tests/fixtures/diff/bodies/`), a form body's schema compared as a JSON body's and a
//! multipart body part by part (added, removed, required, a file turned into text, a text
//! part's type), each judged as a request property; the limits of a body's root and items;
//! keywords beside the bounds; response headers' schemas.

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
        // Bodies the client hands back as bytes: their schemas' type and enum.
        (
            "getStatus",
            "DF428",
            "response 200 (text/plain): body enum value `down` added",
            Warning,
            Patch,
        ),
        (
            "getReport",
            "DF409",
            "response 200 (application/xml): body type changed from object to array",
            Breaking,
            Patch,
        ),
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

/// The limits a body's schema puts on the body itself and on its items
/// (`tests/fixtures/diff/body-limits/`): a string body's `maxLength` lowered, a list body's item
/// pattern changed, and a list answer's `maxItems` raised, each judged on its side.
#[test]
fn limits_of_a_body_and_of_its_items_are_compared() {
    let diff = diff(
        "tests/fixtures/diff/body-limits/old.yaml",
        "tests/fixtures/diff/body-limits/new.yaml",
        &options(),
    );
    let changes: Vec<(String, String, Level)> = diff
        .operations
        .iter()
        .flat_map(|op| {
            op.changes
                .iter()
                .map(|c| (op.operation_id.clone(), c.message.clone(), c.level))
        })
        .collect();
    let find = |id: &str, text: &str| {
        changes
            .iter()
            .find(|(op, message, _)| op == id && message.contains(text))
            .unwrap_or_else(|| panic!("no {text:?} in {id}: {changes:#?}"))
            .2
    };
    assert_eq!(
        find("putNote", "maxLength changed from 20 to 10"),
        Level::Breaking,
        "a shorter limit refuses bodies sent before"
    );
    assert_eq!(
        find(
            "setTags",
            "pattern changed from `^[a-z]+$` to `^[a-z0-9]+$`"
        ),
        Level::Warning,
        "a changed item pattern may refuse items sent before (as for a property's)"
    );
    let raised = find("setTags", "maxItems changed from 10 to 20");
    assert_ne!(
        raised,
        Level::Info,
        "more items in an answer than a client was promised"
    );
    assert_eq!(changes.len(), 3, "{changes:#?}");
}

/// Keywords beside the bounds, and response headers' schemas
/// (`tests/fixtures/diff/rules/keywords-and-headers/`): `multipleOf`, `uniqueItems`,
/// `exclusiveMaximum` and `maxProperties` judged on the side they reach; a header's
/// required-ness, type, enum and limits; a header whose name changed only in case is the same.
#[test]
fn keywords_beside_bounds_and_header_schemas_are_compared() {
    use Level::*;
    let diff = diff(
        "tests/fixtures/diff/rules/keywords-and-headers/old.yaml",
        "tests/fixtures/diff/rules/keywords-and-headers/new.yaml",
        &options(),
    );
    let expected: &[(&str, &str, &str, Level)] = &[
        (
            "listReadings",
            "DF224",
            "query parameter `step`: multipleOf changed from 5 to 10",
            Breaking,
        ),
        (
            "listReadings",
            "DF225",
            "query parameter `ids`: uniqueItems dropped",
            Info,
        ),
        (
            "listReadings",
            "DF414",
            "header `X-Request-Id`: became required",
            Info,
        ),
        (
            "listReadings",
            "DF417",
            "header `X-Request-Id`: maxLength changed from 64 to 32",
            Info,
        ),
        ("listReadings", "DF453", "`count` multipleOf 2 added", Info),
        (
            "listReadings",
            "DF413",
            "header `X-Rate-Limit`: became optional",
            Warning,
        ),
        (
            "listReadings",
            "DF415",
            "header `X-Rate-Limit`: type changed from integer to string",
            Warning,
        ),
        (
            "listReadings",
            "DF416",
            "header `X-Page-State`: enum value `unknown` added",
            Warning,
        ),
        (
            "listReadings",
            "DF416",
            "header `Retry-After`: maximum changed from 60 to 120",
            Warning,
        ),
        (
            "listReadings",
            "DF436",
            "`level` exclusiveMaximum set: 100 no longer passes",
            Info,
        ),
        (
            "listReadings",
            "DF452",
            "`values` uniqueItems dropped",
            Warning,
        ),
        ("addReadings", "DF354", "`values` uniqueItems set", Breaking),
        (
            "addReadings",
            "DF355",
            "`scale` multipleOf changed from 10 to 5",
            Info,
        ),
        (
            "addReadings",
            "DF336",
            "`labels` maxProperties changed from 10 to 5",
            Breaking,
        ),
    ];
    assert_patch_changes(&diff, expected);
}

/// Values the client does not type, compared inside (`tests/fixtures/diff/xml-and-object-headers/`):
/// an XML answer's properties and its items' properties, an XML request body the client
/// cannot encode (left out of the generated method, still compared), a media type added
/// beside a JSON body, and a header whose `content` schema is an object. None of them reaches
/// the Rust API: every change is a patch.
#[test]
fn xml_bodies_and_object_headers_are_compared_property_by_property() {
    use Level::*;
    let diff = diff(
        "tests/fixtures/diff/xml-and-object-headers/old.yaml",
        "tests/fixtures/diff/xml-and-object-headers/new.yaml",
        &options(),
    );
    let expected: &[(&str, &str, &str, Level)] = &[
        (
            "getReport",
            "DF424",
            "(application/xml): `sections` became optional",
            Breaking,
        ),
        (
            "getReport",
            "DF426",
            "`sections[]/pages` type changed from integer (int32) to string",
            Breaking,
        ),
        (
            "getReport",
            "DF422",
            "removed optional property `summary`",
            Warning,
        ),
        (
            "getReport",
            "DF428",
            "`sections[]/kind` enum value `chart` added",
            Warning,
        ),
        (
            "getReport",
            "DF420",
            "added optional property `authors`",
            Info,
        ),
        (
            "putReport",
            "DF321",
            "request body (application/xml): added required property `owner`",
            Breaking,
        ),
        (
            "putReport",
            "DF336",
            "`title` maxLength changed from 80 to 40",
            Breaking,
        ),
        (
            "putReport",
            "DF322",
            "removed optional property `notes`",
            Warning,
        ),
        (
            "importData",
            "DF306",
            "media type `application/xml` now accepted",
            Info,
        ),
        (
            "getLimits",
            "DF424",
            "header `X-Quota`: `resetsAt` became optional",
            Breaking,
        ),
        (
            "getLimits",
            "DF415",
            "header `X-Quota`: `remaining` type changed from integer to number",
            Warning,
        ),
    ];
    assert_patch_changes(&diff, expected);
    // The method is generated without the body it cannot encode, and says so.
    let put = diff
        .operations
        .iter()
        .find(|op| op.operation_id == "putReport")
        .unwrap();
    assert!(put.changes.iter().all(|c| c
        .rust
        .as_deref()
        .is_some_and(|rust| rust.contains("generated without a body"))));
}

/// Each change of `diff` is one of `expected` (operation, rule, part of the message, level),
/// each expected change is found once, and none changes a generated signature.
fn assert_patch_changes(diff: &differ::Diff, expected: &[(&str, &str, &str, Level)]) {
    let mut found = 0;
    for op in &diff.operations {
        for change in &op.changes {
            let (.., level) = expected
                .iter()
                .find(|(id, rule, text, _)| {
                    *id == op.operation_id
                        && *rule == change.info().number
                        && change.message.contains(text)
                })
                .unwrap_or_else(|| panic!("unexpected: {}", change.message));
            assert_eq!(change.level, *level, "{}", change.message);
            assert_eq!(
                change.semver,
                Semver::Patch,
                "no generated signature changes: {}",
                change.message
            );
            found += 1;
        }
    }
    assert_eq!(found, expected.len(), "each expected change found once");
}
