//! Emit: model → the generated crate, one file at a time: its manifest and its sources. Each
//! emitted construct is a small type implementing `ToTokens` in a module of its own; this module
//! only decides which constructs go into which file, and asserts that nothing was left out.

mod builder;
pub mod cli;
mod client_impl;
mod crate_root;
mod docs;
mod files;
mod gates;

pub use files::header;
pub use gates::tag_features;
mod manifest;
mod mock;
mod model_builder;
mod model_enum;
mod model_struct;
mod model_struct_de;
mod model_struct_debug;
mod model_struct_ser;
mod model_union;
mod pagination;
mod params;
mod recursion;
mod request_body;
mod types;

pub use types::rust_type;
mod waiter;

use crate::error::CodegenError;
use crate::model::ApiModel;
use crate::write::OutputFile;
use crate::Options;
use proc_macro2::Ident;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Folder of the generated sources inside the crate.
pub const SOURCE_DIR: &str = "src";

/// The generated crate's manifest, beside `src/`.
pub const MANIFEST: &str = "Cargo.toml";

/// Emits and formats every file of the generated crate: the manifest, then the sources. The
/// parts of the sources are emitted, parsed and formatted on all cores; each file is its parts'
/// texts in order, so the output does not depend on how many threads there are.
pub fn emit_files(model: &ApiModel, options: &Options) -> Result<Vec<OutputFile>, CodegenError> {
    let crate_name = options.crate_settings.package.replace('-', "_");
    let readme = options.crate_settings.readme.as_deref();
    let files = files::source_files(model, &crate_name, readme);
    let gates = if options.crate_settings.features_per_tag {
        gates::Gates::per_tag(model)
    } else {
        gates::Gates::none()
    };
    let item_gates = gates::ItemGates::new(model, &gates);
    let jobs: Vec<(&str, &files::Part<'_>)> = files
        .iter()
        .flat_map(|(name, parts)| parts.iter().map(move |part| (*name, part)))
        .collect();
    let formatted = run_parallel(&jobs, |(name, part)| {
        let path = format!("{SOURCE_DIR}/{name}");
        let mut parsed = crate::format::parse_file(&path, part())?;
        item_gates.apply(name, &mut parsed);
        let defined: Vec<String> = parsed.items.iter().filter_map(defined_type).collect();
        Ok((crate::format::format_file(&parsed), defined))
    })?;
    let mut texts = formatted.into_iter();
    let mut defined = BTreeSet::new();
    let mut out = vec![OutputFile {
        path: MANIFEST.to_owned(),
        contents: manifest::manifest(
            &options.crate_settings,
            &files::header(model, options),
            &gates.features,
        ),
    }];
    for (name, parts) in &files {
        let mut contents = files::header(model, options);
        let mut first = true;
        for (text, types) in texts.by_ref().take(parts.len()) {
            // Each part ends with an item; the next one starts after a blank line.
            if !text.is_empty() && !std::mem::take(&mut first) {
                contents.push('\n');
            }
            contents.push_str(&text);
            defined.extend(types);
        }
        out.push(OutputFile {
            path: format!("{SOURCE_DIR}/{name}"),
            contents,
        });
    }
    check_complete(model, &defined)?;
    Ok(out)
}

/// Runs `work` on every job on as many threads as there are cores, and returns the results in
/// job order (the first error, by job order, wins). Hand-rolled on `std::thread::scope`: a
/// thread-pool crate would add a dependency for a dozen lines.
fn run_parallel<J: Sync, T: Send>(
    jobs: &[J],
    work: impl Fn(&J) -> Result<T, CodegenError> + Sync,
) -> Result<Vec<T>, CodegenError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(&work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<T, CodegenError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return done;
                        };
                        done.push((i, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
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
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::{BUILDER_NAMES, CLIENT_NAMES, PAGINATION_NAMES};
    use quote::ToTokens;

    fn model_of(text: &str) -> ApiModel {
        let spec = crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml)
            .expect("the spec loads");
        crate::model::build_model(&crate::validate::validate(&spec).expect("the spec is valid"))
            .expect("the model builds")
    }

    /// Field, method and argument names of the items in `tokens` (`self` left out).
    fn defined_names(tokens: proc_macro2::TokenStream) -> BTreeSet<String> {
        let file: syn::File = syn::parse2(tokens).expect("the emitted code parses");
        let mut names = BTreeSet::new();
        for item in &file.items {
            match item {
                syn::Item::Struct(s) => names.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| Some(f.ident.as_ref()?.to_string())),
                ),
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    for item in &block.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        names.insert(f.sig.ident.to_string());
                        for input in &f.sig.inputs {
                            if let syn::FnArg::Typed(arg) = input {
                                names.insert(arg.pat.to_token_stream().to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        names
    }

    /// Every name a request builder defines besides its parameters' is in the reserved lists the
    /// model names parameters around, so a parameter cannot take one.
    #[test]
    fn the_builder_defines_only_reserved_names_besides_its_parameters() {
        let model = model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /groups/{groupId}/things:
    post:
      operationId: listThings
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: pageNum, in: query, schema: {type: integer, format: int32}}
        - {name: itemsPerPage, in: query, schema: {type: integer, format: int32}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {type: string}}
                  totalCount: {type: integer}
  /groups/{groupId}/export:
    get:
      operationId: exportThings
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            text/csv:
              schema: {type: string}
"#,
        );
        assert!(model.operations[1].pagination.is_some(), "the list pages");
        let error_body = quote::quote!(::serde_json::Value);
        // A list's builder and one whose answer is streamed define every name there is.
        let mut names = BTreeSet::new();
        for op in &model.operations {
            let patterns = params::PatternTable::for_operations(params::MODULE, [op]);
            let params = params::ParamTable::for_operations(params::MODULE, [op], &patterns);
            let builder = builder::RequestBuilder {
                model: &model,
                op,
                params: &params,
                error_body: &error_body,
            };
            let mut defined = defined_names(builder.into_token_stream());
            for param in &op.params {
                assert!(
                    defined.remove(&param.ident.0),
                    "no field or setter {}",
                    param.ident.0
                );
            }
            names.extend(defined);
        }
        // The argument of the setters: a parameter with this name only shadows it inside its
        // own setter.
        names.remove("value");
        let reserved: BTreeSet<String> = BUILDER_NAMES
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
        assert_eq!(names, reserved);
        // The builder pages through the runtime's trait, whose methods users call by these
        // names: a setter of the same name would hide them.
        let runtime =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/pages.rs");
        let text = std::fs::read_to_string(&runtime).expect("the runtime's pages source");
        let file = syn::parse_file(&text).expect("the runtime's pages parse");
        let called: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Trait(t) if t.ident == "ListRequest" => Some(t),
                _ => None,
            })
            .flat_map(|t| &t.items)
            .filter_map(|item| match item {
                syn::TraitItem::Fn(f) if f.default.is_some() => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        let paging: BTreeSet<String> = PAGINATION_NAMES.iter().map(|n| (*n).to_owned()).collect();
        assert_eq!(called, paging);
    }

    /// The generated `Client`'s own methods and the public methods of the runtime's `BaseClient`
    /// it dereferences to are exactly the names operations are kept from.
    #[test]
    fn the_client_defines_only_reserved_names() {
        let model = model_of("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
        let root = crate_root::CrateRoot {
            model: &model,
            has_legacy: false,
            readme: None,
        };
        // The client's field and the argument of its `download`.
        let mut names: BTreeSet<String> = defined_names(root.into_token_stream())
            .into_iter()
            .filter(|name| name != "base" && name != "url")
            .collect();
        let mut base_methods = 0;
        // The runtime's modules that add methods to `BaseClient`.
        let items = ["client.rs", "download.rs"].into_iter().flat_map(|module| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../runtime/src")
                .join(module);
            let text = std::fs::read_to_string(&path).expect("a runtime source");
            syn::parse_file(&text)
                .expect("a runtime source parses")
                .items
        });
        for item in &items.collect::<Vec<_>>() {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_base =
                matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("BaseClient"));
            if !is_base || block.trait_.is_some() {
                continue;
            }
            for item in &block.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                if matches!(f.vis, syn::Visibility::Public(_)) {
                    names.insert(f.sig.ident.to_string());
                    base_methods += 1;
                }
            }
        }
        assert!(
            base_methods >= 4,
            "found {base_methods} public BaseClient methods"
        );
        let reserved: BTreeSet<String> = CLIENT_NAMES.iter().map(|n| (*n).to_owned()).collect();
        assert_eq!(names, reserved);
    }

    /// A type named with a version date gets a plain alias only where it is the one version of
    /// its name, is not deprecated and the plain name is free (and shadows no prelude type the
    /// generated code writes bare).
    #[test]
    fn dated_types_get_a_plain_alias_where_the_name_is_free_and_unambiguous() {
        let model = model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing20240101: {type: object, properties: {a: {type: string}}}
    Thing: {type: object, properties: {b: {type: string}}}
    Other20240101: {type: object, properties: {a: {type: string}}}
    Two20230101: {type: object, properties: {a: {type: string}}}
    Two20241113: {type: object, properties: {a: {type: string}}}
    Old20240101: {type: object, deprecated: true, properties: {a: {type: string}}}
    String20240101: {type: object, properties: {a: {type: string}}}
    Month20241301: {type: object, properties: {a: {type: string}}}
"#,
        );
        let aliases = files::dated_aliases(&model);
        let found: Vec<(&str, &str, &str)> = aliases
            .iter()
            .map(|(target, (alias, date))| (target.0.as_str(), alias.as_str(), date.as_str()))
            .collect();
        assert_eq!(found, [("Other20240101", "Other", "2024-01-01")]);
        let files = files::source_files(&model, "c", None);
        let (_, parts) = files
            .iter()
            .find(|(name, _)| *name == "models.rs")
            .expect("a models file");
        let text: String = parts.iter().map(|part| part().to_string()).collect();
        assert!(text.contains("pub type Other = Other20240101 ;"), "{text}");
        assert!(
            !text.contains("pub type Thing ="),
            "the plain name is taken"
        );
        assert!(
            !text.contains("pub type Two ="),
            "two versions, neither is the plain one"
        );
    }

    /// A long chain of nested types gets a recursion limit that rustc's drop check can follow it
    /// in; a small crate keeps rustc's default.
    #[test]
    fn the_recursion_limit_grows_with_the_types() {
        let root_of = |schemas: usize| {
            let mut text = String::from(
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
            );
            for i in 0..schemas {
                let next = (i + 1) % schemas;
                text.push_str(&format!(
                    "    Ring{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/Ring{next}'}}}}}}\n"
                ));
            }
            let model = model_of(&text);
            crate_root::CrateRoot {
                model: &model,
                has_legacy: false,
                readme: None,
            }
            .into_token_stream()
            .to_string()
        };
        assert!(!root_of(32).contains("recursion_limit"));
        assert!(
            root_of(40).contains("# ! [recursion_limit = \"160\"]"),
            "{}",
            root_of(40)
        );
    }
}
