//! The generator library: turns an OpenAPI 3.0 spec into the Rust source of a typed client.
//!
//! The pipeline is one module a step:
//! [`load`] (YAML/JSON into `openapiv3`) → [`validate`] (every problem at once) →
//! [`model`] (the intermediate model the emitter and the differ share) → [`emit`] (tokens with
//! `quote`) → [`format`] (`prettyplease`) → [`write`] (staged writes, or a check with a diff).
//! [`standalone`] runs it for any spec into any folder, and [`build_script`] into a build script's
//! `OUT_DIR`. Beside the pipeline, [`lenient`] loads for the differ documents the generator
//! refuses, [`slice`](mod@slice) cuts chosen operations out of a large spec, and [`dialect`]
//! names the conventions the generator follows because the spec is Atlas's. [`corpora`] finds
//! the spec corpora shared beside the checkout, for the tests that read them, and [`prism`]
//! runs the mock server clients are checked against.

pub mod build_script;
pub mod corpora;
pub mod dialect;
pub mod emit;
pub mod error;
pub mod format;
pub mod lenient;
pub mod load;
pub mod model;
pub mod names;
pub mod prism;
pub mod project;
pub mod settings;
pub mod slice;
pub mod standalone;
pub mod validate;
pub mod write;

pub use error::{CodegenError, Diagnostic};
pub use settings::{CrateSettings, RuntimeSource};

use std::path::Path;

/// Where generated files go and how they are labelled.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec path as it should appear in file headers (relative, so output does not depend
    /// on where the repository is checked out).
    pub spec_label: String,
    /// The command that regenerates the files, for the header.
    pub command: String,
    /// The package the generated code is emitted into.
    pub crate_settings: CrateSettings,
}

/// The result of a generation run: the model and the formatted files, not yet written.
#[derive(Debug, Clone)]
pub struct Generated {
    pub model: model::ApiModel,
    /// Paths relative to the crate folder (`Cargo.toml`, `src/...`), with their contents.
    pub files: Vec<write::OutputFile>,
}

/// Runs load → validate → model → emit → format for one spec file. Nothing is written.
pub fn generate(spec_path: &Path, options: &Options) -> Result<Generated, CodegenError> {
    // The spec (its text, its JSON tree and its `openapiv3` form) is let go before emitting:
    // the model holds all that emitting needs, and the memory is reused for the output.
    let model = {
        let spec = load::load_file(spec_path)?;
        model::build_model(&validate::validate(&spec)?)?
    };
    let files = emit::emit_files(&model, options)?;
    Ok(Generated { model, files })
}

/// As [`generate`], for a spec already loaded.
pub fn generate_from(
    spec: &load::LoadedSpec,
    options: &Options,
) -> Result<Generated, CodegenError> {
    let validated = validate::validate(spec)?;
    let model = model::build_model(&validated)?;
    // Emits and formats: each part of a file is formatted as soon as it is emitted.
    let files = emit::emit_files(&model, options)?;
    Ok(Generated { model, files })
}
