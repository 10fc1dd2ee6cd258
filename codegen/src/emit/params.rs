//! Parameter descriptions: where each parameter goes, what its values are, and the schema
//! constraints (pattern, length, range, item count) every value must pass before it is sent,
//! each distinct one described once per crate; and the table of compiled-once patterns they
//! refer to.

use super::ident;
use crate::model::{Constraints, Note, Operation, ParamLocation, Parameter, Primitive, TypeRef};
use crate::names::{self, NameScope};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use std::collections::{BTreeMap, BTreeSet};

/// The `static` patterns of one crate, one per distinct regular expression, in a module of
/// their own that every check refers to: named by the role of the parameters that use it
/// (`GROUP_ID_PATTERN` for `groupId` alone, `ID_PATTERN` for `groupId` and `snapshotId`) or,
/// when their names share no last word, by its content (`HEX24_PATTERN`).
pub struct PatternTable {
    /// The path of the module that declares the patterns: `crate::params` in a client,
    /// `crate::generated::patterns` in the command line.
    module: &'static str,
    /// Pattern source → name of its static and the wire names of the parameters that use it.
    by_source: BTreeMap<String, (String, BTreeSet<String>)>,
    /// Patterns the `regex` crate cannot compile: their checks are left out, with a note.
    pub skipped: Vec<Note>,
}

impl PatternTable {
    /// Collects the patterns of every parameter of the given operations, declared in `module`.
    pub fn for_operations<'m>(
        module: &'static str,
        operations: impl IntoIterator<Item = &'m Operation>,
    ) -> Self {
        Self::for_params(
            module,
            operations.into_iter().flat_map(|op| {
                op.params
                    .iter()
                    .map(|param| (format!("{}/parameters/{}", op.pointer, param.name), param))
            }),
        )
    }

    /// Collects the patterns of the given parameters (or fields taken as parameters), each with
    /// the JSON pointer a note about it names, declared in `module`.
    pub fn for_params<'m>(
        module: &'static str,
        params: impl IntoIterator<Item = (String, &'m Parameter)>,
    ) -> Self {
        let mut table = PatternTable {
            module,
            by_source: BTreeMap::new(),
            skipped: Vec::new(),
        };
        let mut users: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut refused = BTreeSet::new();
        for (pointer, param) in params {
            let Some(pattern) = &param.constraints.pattern else {
                continue;
            };
            if refused.contains(pattern.as_str()) {
                continue;
            }
            if !users.contains_key(pattern.as_str()) {
                if let Err(e) = regex::Regex::new(pattern) {
                    table.skipped.push(Note {
                        pointer,
                        message: format!("pattern `{pattern}` is not supported by the `regex` crate and is not checked: {e}"),
                    });
                    refused.insert(pattern.as_str());
                    continue;
                }
            }
            users
                .entry(pattern.as_str())
                .or_default()
                .insert(param.name.clone());
        }
        // Names are claimed in the order of the pattern sources, so they do not depend on the
        // order operations were visited in.
        let mut scope = NameScope::new();
        for (pattern, params) in users {
            let wanted = format!("{}_PATTERN", pattern_stem(pattern, &params));
            let (given, _) = scope.claim(pattern, wanted);
            table.by_source.insert(pattern.to_owned(), (given, params));
        }
        table
    }

    /// Whether no parameter has a pattern the table holds.
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    fn name_of(&self, pattern: &str) -> Option<&str> {
        self.by_source.get(pattern).map(|(name, _)| name.as_str())
    }
}

/// The name of a pattern without `_PATTERN`: the parameter's name when one parameter uses it,
/// the last words all their names share, or what it matches.
fn pattern_stem(pattern: &str, params: &BTreeSet<String>) -> String {
    let words: Vec<Vec<String>> = params
        .iter()
        .map(|name| {
            names::const_name(name)
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let Some(first) = words.first() else {
        return content_name(pattern);
    };
    let shared = (0..first.len())
        .take_while(|&n| {
            words
                .iter()
                .all(|w| w.len() > n && w[w.len() - 1 - n] == first[first.len() - 1 - n])
        })
        .count();
    if shared == 0 {
        return content_name(pattern);
    }
    let stem = first[first.len() - shared..].join("_");
    if stem.starts_with(|c: char| c.is_ascii_digit()) {
        format!("P_{stem}")
    } else {
        stem
    }
}

/// A name for what a pattern matches, when it is one character class repeated
/// (`^([a-f0-9]{24})$` is `HEX24`); `SHARED` otherwise.
fn content_name(pattern: &str) -> String {
    let inner = pattern.trim_start_matches('^').trim_end_matches('$');
    let inner = inner
        .strip_prefix('(')
        .and_then(|i| i.strip_suffix(')'))
        .unwrap_or(inner);
    let Some((class, count)) = inner
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
    else {
        return "SHARED".to_owned();
    };
    let kind = match class {
        "a-f0-9" | "0-9a-f" | "a-fA-F0-9" | "0-9a-fA-F" | "A-Fa-f0-9" | "a-fA-F\\d" => "HEX",
        "0-9" | "\\d" => "DIGITS",
        "a-z" | "A-Z" | "a-zA-Z" => "LETTERS",
        "a-zA-Z0-9" | "A-Za-z0-9" | "a-z0-9" => "ALNUM",
        _ => return "SHARED".to_owned(),
    };
    if matches!(count, "" | "+" | "*") {
        return kind.to_owned();
    }
    match count
        .strip_prefix('{')
        .and_then(|c| c.strip_suffix('}'))
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit() || b == b','))
    {
        Some(n) => format!("{kind}{}", n.replace(',', "_")),
        None => "SHARED".to_owned(),
    }
}

impl ToTokens for PatternTable {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        // Sorted by name so the output does not depend on the order operations were visited.
        let mut entries: Vec<_> = self.by_source.iter().collect();
        entries.sort_by(|a, b| a.1 .0.cmp(&b.1 .0));
        for (source, (name, params)) in entries {
            let name = ident(name);
            let users: Vec<String> = params.iter().map(|p| format!("`{p}`")).collect();
            let users = match users.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            let doc = format!(" The pattern of {users}: `{source}`.");
            tokens.extend(quote! {
                #[doc = #doc]
                pub(crate) static #name: Pattern = Pattern::new(#source);
            });
        }
    }
}

/// The module of a generated crate that declares its patterns and parameter descriptions.
pub const MODULE: &str = "crate::params";

/// The patterns and parameter descriptions of a generated crate, as `params.rs` declares them.
pub fn crate_params(model: &crate::model::ApiModel) -> (PatternTable, ParamTable) {
    let patterns = PatternTable::for_operations(MODULE, &model.operations);
    let params = ParamTable::for_operations(MODULE, &model.operations, &patterns);
    (patterns, params)
}

/// The parameters of one crate, each distinct description (name, location, kind, checks)
/// emitted once as a `const` beside the patterns, which every operation's descriptor lists: a
/// `groupId` that fifty operations take is described, and its checks written, once.
pub struct ParamTable {
    /// The path of the module that declares them (`crate::params`), as for the patterns.
    module: &'static str,
    /// The description's tokens, as text → the name of its const.
    by_description: BTreeMap<String, String>,
    /// Each parameter of each operation (operation id, wire name, location) → its const.
    by_use: BTreeMap<(String, String, ParamLocation), String>,
    /// Each const, in the order the operations first name it: its name, the wire name and
    /// location it describes, its description, and the operations that take it.
    consts: Vec<(String, String, ParamLocation, String, BTreeSet<String>)>,
}

impl ParamTable {
    /// Describes every parameter of `operations`, with the checks `patterns` names, declared
    /// in `module` next to the patterns (whose names they stay off).
    pub fn for_operations<'m>(
        module: &'static str,
        operations: impl IntoIterator<Item = &'m Operation>,
        patterns: &PatternTable,
    ) -> Self {
        let mut scope = NameScope::new();
        for (name, _) in patterns.by_source.values() {
            scope.reserve(name);
        }
        let mut table = ParamTable {
            module,
            by_description: BTreeMap::new(),
            by_use: BTreeMap::new(),
            consts: Vec::new(),
        };
        for op in operations {
            for param in &op.params {
                let description = param_info(param, patterns).to_string();
                let used = (op.id.0.clone(), param.name.clone(), param.location);
                if let Some(name) = table.by_description.get(&description) {
                    table.by_use.insert(used, name.clone());
                    let entry = table.consts.iter_mut().find(|c| &c.0 == name);
                    if let Some(entry) = entry {
                        entry.4.insert(op.id.0.clone());
                    }
                    continue;
                }
                // The wire name; the location too where another description took it.
                let stem = match names::const_name(&param.name) {
                    stem if stem.is_empty() => "PARAM".to_owned(),
                    stem => stem,
                };
                let located = format!("{stem}_{}", location_word(param.location));
                let wanted = match scope.is_taken(&stem) {
                    true => located,
                    false => stem,
                };
                let (name, _) = scope.claim(&description, wanted);
                table
                    .by_description
                    .insert(description.clone(), name.clone());
                table.by_use.insert(used, name.clone());
                table.consts.push((
                    name,
                    param.name.clone(),
                    param.location,
                    description,
                    [op.id.0.clone()].into(),
                ));
            }
        }
        table
    }

    /// The const that describes `param` of `op`, as its descriptor names it.
    ///
    /// # Panics
    /// For an operation the table was not made from.
    pub fn path_of(&self, op: &Operation, param: &Parameter) -> TokenStream {
        let used = (op.id.0.clone(), param.name.clone(), param.location);
        let name = ident(&self.by_use[&used]);
        let module: syn::Path = syn::parse_str(self.module).expect("a module path");
        quote!(#module::#name)
    }

    /// The operations that take each const, by its name: what compiles it under a feature
    /// per tag.
    pub fn users(&self) -> impl Iterator<Item = (&str, &BTreeSet<String>)> {
        self.consts
            .iter()
            .map(|(name, _, _, _, users)| (name.as_str(), users))
    }
}

/// The location as a word of a const's name.
fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "PATH",
        ParamLocation::Query => "QUERY",
        ParamLocation::Header => "HEADER",
    }
}

impl ToTokens for ParamTable {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for (name, wire, location, description, users) in &self.consts {
            let doc = format!(
                " `{wire}` ({}), as {} operation{} take{} it.",
                location_word(*location).to_ascii_lowercase(),
                users.len(),
                if users.len() == 1 { "" } else { "s" },
                if users.len() == 1 { "s" } else { "" },
            );
            let name = ident(name);
            let value: TokenStream = description.parse().expect("tokens it printed");
            tokens.extend(quote! {
                #[doc = #doc]
                pub(crate) const #name: ParamInfo = #value;
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
        let module: syn::Path = syn::parse_str(patterns.module).expect("a module path");
        checks.push(quote!(Check::Pattern(&#module::#name)));
    }
    if let Some(n) = c.min_length {
        checks.push(quote!(Check::MinLength(#n)));
    }
    if let Some(n) = c.max_length {
        checks.push(quote!(Check::MaxLength(#n)));
    }
    checks.extend(range_checks(c));
    checks
}

fn range_checks(c: &Constraints) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(min) = c.minimum {
        let min = Literal::f64_suffixed(min);
        checks.push(if c.exclusive_minimum {
            quote!(Check::ExclusiveMinimum(#min))
        } else {
            quote!(Check::Minimum(#min))
        });
    }
    if let Some(max) = c.maximum {
        let max = Literal::f64_suffixed(max);
        checks.push(if c.exclusive_maximum {
            quote!(Check::ExclusiveMaximum(#max))
        } else {
            quote!(Check::Maximum(#max))
        });
    }
    checks
}

/// The runtime's `ParamInfo` of a parameter: where it goes, how its text reads, and its checks
/// on each value and on the number of items.
pub fn param_info(param: &Parameter, patterns: &PatternTable) -> TokenStream {
    let name = &param.name;
    let location = location(param.location);
    let (item, repeated) = match &param.ty {
        TypeRef::Array(item) => (&**item, true),
        other => (other, false),
    };
    let kind = value_kind(item);
    let mut checks = checks_for(param, patterns);
    checks.extend(item_count_checks(param));
    let required = param.required;
    quote! {
        ParamInfo {
            name: #name,
            location: #location,
            required: #required,
            kind: #kind,
            repeated: #repeated,
            checks: &[#(#checks),*],
        }
    }
}

/// The runtime's `ParamIn` of a location.
pub fn location(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(ParamIn::Path),
        ParamLocation::Query => quote!(ParamIn::Query),
        ParamLocation::Header => quote!(ParamIn::Header),
    }
}

/// The runtime's `ValueKind` of one value of `ty`: how its text reads.
pub fn value_kind(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => quote!(ValueKind::Integer),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => quote!(ValueKind::Number),
        TypeRef::Primitive(Primitive::Bool) => quote!(ValueKind::Boolean),
        _ => quote!(ValueKind::Text),
    }
}

/// Checks on the number of items of an array parameter.
pub fn item_count_checks(param: &Parameter) -> Vec<TokenStream> {
    let c = &param.constraints;
    let mut checks = Vec::new();
    if let Some(n) = c.min_items {
        checks.push(quote!(Check::MinItems(#n)));
    }
    if let Some(n) = c.max_items {
        checks.push(quote!(Check::MaxItems(#n)));
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::{content_name, pattern_stem};
    use std::collections::BTreeSet;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn patterns_are_named_by_role_or_content() {
        let hex = "^([a-f0-9]{24})$";
        let table = [
            (hex, names(&["groupId"]), "GROUP_ID"),
            (hex, names(&["groupId", "snapshotId", "restoreJobId"]), "ID"),
            (hex, names(&["groupId", "restoreJobId"]), "ID"),
            ("^[a-z]+$", names(&["clusterName", "name"]), "NAME"),
            (hex, names(&["groupId", "name"]), "HEX24"),
            ("^(a|b)$", names(&["one", "two"]), "SHARED"),
        ];
        for (pattern, params, expected) in table {
            assert_eq!(pattern_stem(pattern, &params), expected, "{params:?}");
        }
        assert_eq!(content_name("^[0-9]{1,3}$"), "DIGITS1_3");
        assert_eq!(content_name("^[a-zA-Z0-9]+$"), "ALNUM");
        assert_eq!(content_name("^[a-z]+-[0-9]+$"), "SHARED");
    }
}
