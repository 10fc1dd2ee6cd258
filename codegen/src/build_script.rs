//! The generator in a build script, for crates that do not commit generated code: the client is
//! generated into `OUT_DIR` at build time as one module source, which the crate root
//! `include!`s. The same emitter as every generated crate; its files become inline modules.
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! codegen::build_script::generate_into_out_dir("openapi.yaml", "client.rs")
//!     .expect("the client generates");
//! ```
//!
//! ```ignore
//! // src/lib.rs: at the crate root, where the generated `crate::` paths point
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! The crate then depends on what generated code names: `atlas-snapshots-runtime`, `serde` (with
//! `derive`), `serde_json`, `chrono` (with `serde`), `bytes` and `futures-util`. The typed mocks
//! of a generated crate (its `mock` feature) are left out.

use crate::{CodegenError, CrateSettings, Options};
use std::path::{Path, PathBuf};

/// Generates the client of `spec` into `$OUT_DIR/{file_name}` and asks Cargo to run the build
/// script again when the spec changes. Doc examples in the output name the crate by
/// `CARGO_PKG_NAME`. Returns the path written.
pub fn generate_into_out_dir(
    spec: impl AsRef<Path>,
    file_name: &str,
) -> Result<PathBuf, CodegenError> {
    let spec = spec.as_ref();
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| CodegenError::Settings {
        message: "OUT_DIR is not set: generate_into_out_dir runs in a build script".to_owned(),
        source: None,
    })?;
    println!("cargo:rerun-if-changed={}", spec.display());
    let crate_name = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "generated".to_owned());
    let module = module_source(spec, &crate_name)?;
    if let Some(limit) = module.recursion_limit {
        println!(
            "cargo:warning=this client needs `#![recursion_limit = \"{limit}\"]` at the crate root"
        );
    }
    let path = PathBuf::from(out_dir).join(file_name);
    std::fs::write(&path, module.source).map_err(|source| CodegenError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path)
}

/// The client of one spec as one module source.
#[derive(Debug, Clone)]
pub struct ModuleSource {
    /// Items to `include!` at a crate root: no inner attributes, every module inline.
    pub source: String,
    /// The `recursion_limit` the including crate needs, when above the default.
    pub recursion_limit: Option<u32>,
}

/// The client generated from `spec` as one module source for a crate named `crate_name` (its
/// package name; doc examples `use` it).
pub fn module_source(spec: &Path, crate_name: &str) -> Result<ModuleSource, CodegenError> {
    let options = Options {
        spec_label: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        command: "a build script (codegen::build_script)".to_owned(),
        crate_settings: CrateSettings {
            package: crate_name.to_owned(),
            ..CrateSettings::default()
        },
    };
    module_source_with(spec, &options)
}

/// The client generated from `spec` as one module source, with the header and crate settings of
/// `options` (for a source kept in a repository rather than written by a build script).
pub fn module_source_with(spec: &Path, options: &Options) -> Result<ModuleSource, CodegenError> {
    let generated = crate::generate(spec, options)?;
    let header = crate::emit::header(&generated.model, options);
    let parse = |path: &str, text: &str| {
        syn::parse_file(text).map_err(|error| CodegenError::Format {
            file: path.to_owned(),
            message: error.to_string(),
        })
    };
    let root_path = format!("{}/lib.rs", crate::emit::SOURCE_DIR);
    let root = generated
        .files
        .iter()
        .find(|file| file.path == root_path)
        .expect("every generated crate has a root");
    let mut root = parse(&root.path, &root.contents)?;
    let recursion_limit = root.attrs.iter().find_map(recursion_limit);
    // Inner attributes belong to the including crate's root, not to an included file.
    root.attrs.clear();
    let mut items = Vec::with_capacity(root.items.len());
    for item in std::mem::take(&mut root.items) {
        let syn::Item::Mod(mut module) = item else {
            items.push(item);
            continue;
        };
        if module.content.is_some() {
            items.push(syn::Item::Mod(module));
            continue;
        }
        let name = module.ident.to_string();
        // The typed mocks need the runtime's `mock` feature and a feature of the crate's own.
        if name == MOCK_MODULE {
            continue;
        }
        let path = format!("{}/{name}.rs", crate::emit::SOURCE_DIR);
        let file = generated
            .files
            .iter()
            .find(|file| file.path == path)
            .expect("every declared module is emitted");
        let file = parse(&file.path, &file.contents)?;
        module.attrs.extend(file.attrs);
        module.content = Some((Default::default(), file.items));
        module.semi = None;
        items.push(syn::Item::Mod(module));
    }
    root.items = items;
    let source = format!("{header}{}", crate::format::format_file(&root));
    Ok(ModuleSource {
        source,
        recursion_limit,
    })
}

/// The module of typed mocks, which a build script's output leaves out.
const MOCK_MODULE: &str = "mock";

/// The value of a `#![recursion_limit = "N"]` attribute.
fn recursion_limit(attr: &syn::Attribute) -> Option<u32> {
    let syn::Meta::NameValue(meta) = &attr.meta else {
        return None;
    };
    if !meta.path.is_ident("recursion_limit") {
        return None;
    }
    match &meta.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(limit),
            ..
        }) => limit.value().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/codegen")
            .join(name)
    }

    #[test]
    fn the_module_source_is_one_file_of_items_with_every_module_inline() {
        let module = module_source(&fixture("versions.yaml"), "my-service").unwrap();
        let text = &module.source;
        assert!(
            text.starts_with("// @generated by `a build script"),
            "{text}"
        );
        let file = syn::parse_file(text).unwrap();
        assert!(file.attrs.is_empty(), "no inner attributes: {text}");
        let modules: Vec<(String, bool)> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) => Some((m.ident.to_string(), m.content.is_some())),
                _ => None,
            })
            .collect();
        assert_eq!(
            modules,
            [
                ("models".to_owned(), true),
                ("decode".to_owned(), true),
                ("encode".to_owned(), true),
                ("operations".to_owned(), true),
                ("v1".to_owned(), true),
                ("params".to_owned(), true),
            ]
        );
        assert!(text.contains("pub struct Client {"), "{text}");
        assert!(!text.contains("mod mock"), "{text}");
        assert!(!text.contains("feature = \"mock\""), "{text}");
        // The models module keeps its own docs as inner docs.
        assert!(
            text.contains("pub mod models {\n    //! Every named type"),
            "{text}"
        );
        // Doc examples name the including crate.
        assert!(text.contains("use my_service::models;"), "{text}");
        assert_eq!(module.recursion_limit, None);
    }

    #[test]
    fn outside_a_build_script_there_is_no_out_dir() {
        // This crate has no build script, so Cargo sets no OUT_DIR for its tests.
        let error = generate_into_out_dir(fixture("versions.yaml"), "client.rs").unwrap_err();
        assert!(error.to_string().contains("OUT_DIR is not set"), "{error}");
    }
}
