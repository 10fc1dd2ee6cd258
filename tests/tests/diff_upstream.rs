//! The differ on real upstream history: three revisions of the Atlas Admin API spec, reduced to
//! the serverless, tenant and flex snapshot endpoints (structure only, no documentation).

mod diff_support;

use diff_support::{diff, options, render};

const R2023: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2023-02-23.yaml";
const R2026_01: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2026-01-12.yaml";
const R2026_08: &str = "tests/fixtures/diff/upstream/atlas-admin-v2-2026-08-13.yaml";

#[test]
fn upstream_2023_02_23_to_2026_01_12() {
    let r = render(&diff(R2023, R2026_01, &options()));
    insta::assert_snapshot!("upstream_2023_to_2026_01_text", r.text);
    insta::assert_snapshot!("upstream_2023_to_2026_01_markdown", r.markdown);
    insta::assert_snapshot!("upstream_2023_to_2026_01_json", r.json);
}

#[test]
fn upstream_2026_01_12_to_2026_08_13() {
    let diff = diff(R2026_01, R2026_08, &options());
    insta::assert_snapshot!(
        "upstream_2026_01_to_2026_08_summary",
        differ::report::summary(&diff)
    );
    let r = render(&diff);
    insta::assert_snapshot!("upstream_2026_01_to_2026_08_text", r.text);
    insta::assert_snapshot!("upstream_2026_01_to_2026_08_markdown", r.markdown);
    insta::assert_snapshot!("upstream_2026_01_to_2026_08_json", r.json);
}
