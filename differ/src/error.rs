//! Errors of the differ: everything that stops a comparison before it starts (an unreadable or
//! invalid spec, a version the spec does not have, options that contradict each other). Changes
//! found, however breaking, are never errors.

use codegen::error::CodegenError;

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The spec could not be read, parsed or validated (boxed: it carries every diagnostic).
    #[error(transparent)]
    Spec(Box<CodegenError>),
    /// A `--from`/`--to` date that is not one of the spec's resource versions.
    #[error("{file} has no API version {version}; its versions are: {available}")]
    UnknownVersion {
        file: String,
        version: String,
        available: String,
    },
    /// An `--operation`, `--tag` or `--path` value that selects nothing on either side: a typo
    /// must not pass as "no changes".
    #[error("`{option} {value}` matches no operation in either spec{}", nearest_text(.nearest))]
    UnknownFilter {
        option: &'static str,
        value: String,
        /// The known names closest to `value`, closest first.
        nearest: Vec<String>,
    },
    /// A levels or exemptions file that cannot be used.
    #[error("{file}: {message}")]
    Config { file: String, message: String },
    /// Options that do not describe a comparison.
    #[error("{0}")]
    Usage(String),
}

impl From<CodegenError> for DiffError {
    fn from(error: CodegenError) -> Self {
        DiffError::Spec(Box::new(error))
    }
}

fn nearest_text(nearest: &[String]) -> String {
    if nearest.is_empty() {
        return String::new();
    }
    let names: Vec<String> = nearest.iter().map(|n| format!("`{n}`")).collect();
    format!("; nearest: {}", names.join(", "))
}
