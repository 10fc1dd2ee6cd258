//! Helpers shared by the differ's tests: load fixtures under stable, repository-relative labels
//! and render a diff in all three report formats.

#![allow(dead_code)]

use codegen::load::{load_text, Format};
use codegen::model::{build_model, ApiModel};
use codegen::validate::validate;
use differ::{report, Diff, Options};
use std::path::PathBuf;

/// The date sunsets are judged against in every test, so reports do not age.
pub const TODAY: &str = "2026-03-01";

pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Loads `label` (relative to the repository root) and names it by that label in reports.
pub fn model(label: &str) -> ApiModel {
    let path = repository().join(label);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{label}: {e}"));
    let format = if label.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    let spec = load_text(label, text, format).unwrap_or_else(|e| panic!("{label}: {e}"));
    let validated = validate(&spec).unwrap_or_else(|e| panic!("{label}: {e}"));
    build_model(&validated).unwrap_or_else(|e| panic!("{label}: {e}"))
}

pub fn options() -> Options {
    Options::new(TODAY)
}

pub fn diff(old: &str, new: &str, options: &Options) -> Diff {
    let (old, new) = (model(old), model(new));
    differ::diff_models(&old, &new, options).unwrap_or_else(|e| panic!("{e}"))
}

/// The three reports, each under a heading, for one snapshot per format.
pub struct Rendered {
    pub text: String,
    pub markdown: String,
    pub json: String,
}

pub fn render(diff: &Diff) -> Rendered {
    Rendered {
        text: report::text(diff),
        markdown: report::markdown(diff),
        json: report::json(diff),
    }
}
