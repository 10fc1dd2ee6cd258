//! Emit: model → Rust tokens, one file of the generated module at a time. Each emitted
//! construct is a small type implementing `ToTokens` in a module of its own; this module only
//! decides which constructs go into which file, and asserts that nothing was left out.

mod builder;
mod client_impl;
mod docs;
mod files;
mod model_enum;
mod model_struct;
mod model_union;
mod pagination;
mod params;
mod recursion;
mod types;

use crate::error::CodegenError;
use crate::model::ApiModel;
use crate::write::OutputFile;
use crate::Options;
use proc_macro2::Ident;
use std::collections::BTreeSet;

/// Folder of the generated module inside the client crate.
pub const GENERATED_DIR: &str = "src/generated";

/// Emits and formats every file of the generated module.
pub fn emit_files(model: &ApiModel, options: &Options) -> Result<Vec<OutputFile>, CodegenError> {
    let mut files = Vec::new();
    let mut defined = BTreeSet::new();
    for (name, tokens) in files::generated_module(model) {
        let path = format!("{GENERATED_DIR}/{name}");
        let parsed = crate::format::parse_file(&path, tokens)?;
        defined.extend(parsed.items.iter().filter_map(defined_type));
        let contents = format!(
            "{}{}",
            files::header(model, options),
            crate::format::format_file(&parsed)
        );
        files.push(OutputFile { path, contents });
    }
    check_complete(model, &defined)?;
    Ok(files)
}

/// The name of a struct, enum or type alias item.
fn defined_type(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Every named type and every operation's builder must have been emitted: a construct the
/// emitter silently skipped would otherwise only show up as a missing type for a user.
fn check_complete(model: &ApiModel, defined: &BTreeSet<String>) -> Result<(), CodegenError> {
    let expected = model
        .types
        .keys()
        .map(|name| name.0.clone())
        .chain(model.operations.iter().map(|op| op.builder_name.0.clone()));
    let missing: Vec<String> = expected.filter(|name| !defined.contains(name)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::Incomplete(missing))
    }
}

/// An identifier from a name the `names` module already proved valid; `r#` names are raw.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => Ident::new(name, proc_macro2::Span::call_site()),
    }
}
