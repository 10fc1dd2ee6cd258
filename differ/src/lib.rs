//! The differ: tells what changed between two versions of an OpenAPI spec, for the HTTP
//! contract and for the public Rust API of the crate the generator makes from it.
//!
//! It works on the generator's own intermediate model ([`codegen::model::ApiModel`]), so the
//! report speaks in operations, parameters, schemas, fields, enum values, media-type versions,
//! deprecation and sunset dates. Pipeline: `select` pairs operations (two files, two version
//! pins of one file, or v1.0 against v2), `rename` recognises renamed schemas, `compare`
//! applies the [`rules`], [`policy`] re-grades and exempts what a project decided to, and
//! [`report`] writes text, Markdown, JSON, GitHub Actions annotations or JUnit XML.
//!
//! ```no_run
//! use differ::{diff_files, report, Options};
//! use std::path::Path;
//!
//! let options = Options::new(differ::today_utc());
//! let diff = diff_files(Path::new("old.yaml"), Some(Path::new("new.yaml")), &options)?;
//! print!("{}", report::text(&diff));
//! # Ok::<(), differ::DiffError>(())
//! ```

mod change;
mod clock;
mod compare;
mod error;
pub mod policy;
mod rename;
pub mod report;
mod rewrite;
pub mod rules;
mod select;

pub use change::{Change, Counts, Diff, OperationDiff, OperationRef, SharedChange, Site};
pub use clock::today_utc;
pub use error::DiffError;
pub use rules::{Area, Category, Family, Level, Rule, RuleId, Semver, RULES};
pub use select::{Filter, Options};

use codegen::model::ApiModel;
use std::path::Path;

/// Reads, validates and models one spec file (YAML or JSON, `.gz` accepted). A valid OpenAPI
/// 3.0 document the generator refuses for what it cannot name or type (no `operationId`, no
/// `responses`, a response without `description`) is read all the same, for comparison only
/// ([`codegen::lenient`]), and so is one with cookie parameters, which the generator has no
/// place for; `deepObject` query parameters are read property by property (`rewrite`).
pub fn load(path: &Path) -> Result<ApiModel, DiffError> {
    Ok(rewrite::load_file(path)?.model)
}

/// [`load`], with what it assumed to read the file: `file#/pointer: what`, for
/// [`Diff::notes`].
pub fn load_with_notes(path: &Path) -> Result<(ApiModel, Vec<String>), DiffError> {
    let read = rewrite::load_file(path)?;
    let notes = read
        .notes
        .iter()
        .map(|note| format!("{}#{}: {}", read.model.source, note.pointer, note.message))
        .collect();
    Ok((read.model, notes))
}

/// Compares two spec files, or, when `new` is `None`, one spec with itself under the version
/// pins or v1.0 → v2 pairing of `options`. The two files are loaded in parallel.
pub fn diff_files(old: &Path, new: Option<&Path>, options: &Options) -> Result<Diff, DiffError> {
    match new {
        None => {
            let (model, notes) = load_with_notes(old)?;
            let diff = diff_models(&model, &model, options)?;
            Ok(Diff { notes, ..diff })
        }
        Some(new) => {
            let (old, new) = std::thread::scope(|scope| {
                let old = scope.spawn(|| load_with_notes(old));
                let new = load_with_notes(new);
                (
                    old.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    new,
                )
            });
            let ((old, mut notes), (new, new_notes)) = (old?, new?);
            notes.extend(new_notes);
            let diff = diff_models(&old, &new, options)?;
            Ok(Diff { notes, ..diff })
        }
    }
}

/// Compares two loaded models. Passing the same model twice (`diff_models(&m, &m, ..)`) compares
/// it with itself, which needs version pins or v1.0 → v2 pairing in `options`.
///
/// BENCH: this is the hook the benchmark times; it does no I/O.
pub fn diff_models(old: &ApiModel, new: &ApiModel, options: &Options) -> Result<Diff, DiffError> {
    let same_spec = std::ptr::eq(old, new);
    let selection = select::select(old, new, same_spec, options)?;
    let renames = if selection.mode == select::Mode::Files {
        rename::detect(old, new, &selection.pairs)
    } else {
        rename::Renames::default()
    };
    let cx = compare::Cx::new(old, new, &renames, selection.mode, &options.today);
    let operations = selection
        .pairs
        .iter()
        .map(|pair| compare::operation(&cx, pair))
        .collect();
    let spec_changes = compare::spec_wide(&cx, &selection.pairs, !options.filter.is_empty());
    Ok(Diff {
        old_label: selection.old_label,
        new_label: selection.new_label,
        operations,
        spec_changes,
        notes: Vec::new(),
        shared: Vec::new(),
    }
    .finish())
}
