//! Parameter checks: the schema constraints (pattern, length, range, item count) that the
//! client enforces before sending, and the table of compiled-once patterns they refer to.

use super::ident;
use crate::model::{Constraints, Note, Operation, Parameter};
use crate::names::{self, NameScope};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use std::collections::BTreeMap;

/// The `static` patterns of one generated file, one per distinct regular expression.
#[derive(Default)]
pub struct PatternTable {
    /// Pattern source → name of its static.
    by_source: BTreeMap<String, String>,
    /// Patterns the `regex` crate cannot compile: their checks are left out, with a note.
    pub skipped: Vec<Note>,
}

impl PatternTable {
    /// Collects the patterns of every parameter of the given operations.
    pub fn for_operations<'m>(operations: impl IntoIterator<Item = &'m Operation>) -> Self {
        let mut table = PatternTable::default();
        let mut scope = NameScope::new();
        for op in operations {
            for param in &op.params {
                let Some(pattern) = &param.constraints.pattern else {
                    continue;
                };
                if table.by_source.contains_key(pattern) {
                    continue;
                }
                if let Err(e) = regex::Regex::new(pattern) {
                    table.skipped.push(Note {
                        pointer: format!("{}/parameters/{}", op.pointer, param.name),
                        message: format!("pattern `{pattern}` is not supported by the `regex` crate and is not checked: {e}"),
                    });
                    continue;
                }
                let wanted = format!("{}_PATTERN", names::const_name(&param.name));
                let (given, _) = scope.claim(pattern, wanted);
                table.by_source.insert(pattern.clone(), given);
            }
        }
        table
    }

    fn name_of(&self, pattern: &str) -> Option<&str> {
        self.by_source.get(pattern).map(String::as_str)
    }
}

impl ToTokens for PatternTable {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        // Sorted by name so the output does not depend on the order operations were visited.
        let mut entries: Vec<_> = self.by_source.iter().collect();
        entries.sort_by(|a, b| a.1.cmp(b.1));
        for (source, name) in entries {
            let name = ident(name);
            let doc = format!(" `{source}`");
            tokens.extend(quote! {
                #[doc = #doc]
                static #name: ::atlas_runtime::__private::Pattern = ::atlas_runtime::__private::Pattern::new(#source);
            });
        }
    }
}

/// Checks on the value of a parameter (each item, for an array parameter).
pub fn checks_for(param: &Parameter, patterns: &PatternTable) -> Vec<TokenStream> {
    let c = &param.constraints;
    let mut checks = Vec::new();
    if let Some(name) = c.pattern.as_deref().and_then(|p| patterns.name_of(p)) {
        let name = ident(name);
        checks.push(quote!(::atlas_runtime::__private::Check::Pattern(&#name)));
    }
    if let Some(n) = c.min_length {
        checks.push(quote!(::atlas_runtime::__private::Check::MinLength(#n)));
    }
    if let Some(n) = c.max_length {
        checks.push(quote!(::atlas_runtime::__private::Check::MaxLength(#n)));
    }
    checks.extend(range_checks(c));
    checks
}

fn range_checks(c: &Constraints) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(min) = c.minimum {
        let min = Literal::f64_suffixed(min);
        checks.push(if c.exclusive_minimum {
            quote!(::atlas_runtime::__private::Check::ExclusiveMinimum(#min))
        } else {
            quote!(::atlas_runtime::__private::Check::Minimum(#min))
        });
    }
    if let Some(max) = c.maximum {
        let max = Literal::f64_suffixed(max);
        checks.push(if c.exclusive_maximum {
            quote!(::atlas_runtime::__private::Check::ExclusiveMaximum(#max))
        } else {
            quote!(::atlas_runtime::__private::Check::Maximum(#max))
        });
    }
    checks
}

/// Checks on the number of items of an array parameter.
pub fn item_count_checks(param: &Parameter) -> Vec<TokenStream> {
    let c = &param.constraints;
    let mut checks = Vec::new();
    if let Some(n) = c.min_items {
        checks.push(quote!(::atlas_runtime::__private::Check::MinItems(#n)));
    }
    if let Some(n) = c.max_items {
        checks.push(quote!(::atlas_runtime::__private::Check::MaxItems(#n)));
    }
    checks
}
