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
pub mod rules;
mod select;

pub use change::{Change, Counts, Diff, OperationDiff};
pub use clock::today_utc;
pub use error::DiffError;
pub use rules::{Category, Level, Rule, RuleId, Semver, RULES};
pub use select::{Filter, Options};

use codegen::model::ApiModel;
use std::path::Path;

/// Reads, validates and models one spec file (YAML or JSON, `.gz` accepted).
pub fn load(path: &Path) -> Result<ApiModel, DiffError> {
    let spec = codegen::load::load_file(path)?;
    let validated = codegen::validate::validate(&spec)?;
    Ok(codegen::model::build_model(&validated)?)
}

/// Compares two spec files, or, when `new` is `None`, one spec with itself under the version
/// pins or v1.0 → v2 pairing of `options`. The two files are loaded in parallel.
pub fn diff_files(old: &Path, new: Option<&Path>, options: &Options) -> Result<Diff, DiffError> {
    match new {
        None => {
            let model = load(old)?;
            diff_models(&model, &model, options)
        }
        Some(new) => {
            let (old, new) = std::thread::scope(|scope| {
                let old = scope.spawn(|| load(old));
                let new = load(new);
                (
                    old.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    new,
                )
            });
            diff_models(&old?, &new?, options)
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
    }
    .finish())
}
