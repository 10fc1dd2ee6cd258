//! The public items a generated crate's sources declare, read with `syn`, so `cargo xtask regen`
//! can say what a regeneration changed in the Rust API even when the spec did not change (a new
//! builder method from the emitter, a derive dropped): the spec diff alone cannot see those.

use quote::ToTokens;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Public items by name (`models::Thing`, `operations::ListThings::send`,
/// `impl Display for models::Status`), each with its declaration as tokens, so a changed
/// signature is told apart from an added or removed item.
pub type Items = BTreeMap<String, String>;

/// The public items of generated sources, given as (path in the crate, text) pairs; a file that
/// does not parse is skipped, as the generator never writes one.
pub fn public_items<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Items {
    let mut items = Items::new();
    for (path, text) in files {
        let Some(module) = path
            .strip_prefix("src/")
            .and_then(|p| p.strip_suffix(".rs"))
        else {
            continue;
        };
        let Ok(file) = syn::parse_file(text) else {
            continue;
        };
        let prefix = match module {
            "lib" => String::new(),
            other => format!("{}::", other.replace('/', "::")),
        };
        collect(&prefix, &file.items, &mut items);
    }
    items
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn tokens(item: &impl ToTokens) -> String {
    item.to_token_stream().to_string()
}

fn collect(prefix: &str, list: &[syn::Item], items: &mut Items) {
    for item in list {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{prefix}{}", s.ident);
                items.insert(name.clone(), format!("struct {}", tokens(&s.generics)));
                for (index, field) in s.fields.iter().enumerate() {
                    if is_pub(&field.vis) {
                        let field_name = field
                            .ident
                            .as_ref()
                            .map_or(index.to_string(), |i| i.to_string());
                        items.insert(format!("{name}::{field_name}"), tokens(&field.ty));
                    }
                }
                attributes(&name, &s.attrs, items);
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{prefix}{}", e.ident);
                items.insert(name.clone(), format!("enum {}", tokens(&e.generics)));
                for variant in &e.variants {
                    items.insert(
                        format!("{name}::{}", variant.ident),
                        tokens(&variant.fields),
                    );
                }
                attributes(&name, &e.attrs, items);
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                items.insert(format!("{prefix}{}", f.sig.ident), tokens(&f.sig));
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                items.insert(format!("{prefix}{}", t.ident), tokens(&t.ty));
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                items.insert(format!("{prefix}{}", c.ident), tokens(&c.ty));
            }
            syn::Item::Use(u) if is_pub(&u.vis) => {
                items.insert(format!("{prefix}use {}", tokens(&u.tree)), String::new());
            }
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                let name = format!("{prefix}{}::", m.ident);
                items.insert(format!("{prefix}{}", m.ident), "mod".to_owned());
                if let Some((_, content)) = &m.content {
                    collect(&name, content, items);
                }
            }
            syn::Item::Impl(i) => {
                // Named without generics (`ListThings`, not `ListThings < 'a >`), as the
                // types themselves are.
                let self_ty = match &*i.self_ty {
                    syn::Type::Path(path) => path
                        .path
                        .segments
                        .last()
                        .map_or_else(|| tokens(&i.self_ty), |s| s.ident.to_string()),
                    other => tokens(other),
                };
                let self_ty = format!("{prefix}{self_ty}");
                match &i.trait_ {
                    // A trait impl is public as a whole, whatever its items say.
                    Some((_, path, _)) => {
                        items.insert(
                            format!("impl {} for {self_ty}", tokens(path)),
                            tokens(&i.generics),
                        );
                    }
                    None => {
                        for member in &i.items {
                            if let syn::ImplItem::Fn(f) = member {
                                if is_pub(&f.vis) {
                                    items.insert(
                                        format!("{self_ty}::{}", f.sig.ident),
                                        tokens(&f.sig),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Derived traits are public impls too: `#[derive(Ord)]` on `Thing` is `impl Ord for Thing`.
fn attributes(name: &str, attrs: &[syn::Attribute], items: &mut Items) {
    for attr in attrs {
        if attr.path().is_ident("derive") {
            let _ = attr.parse_nested_meta(|meta| {
                let path = tokens(&meta.path);
                items.insert(format!("impl {path} for {name}"), "derive".to_owned());
                Ok(())
            });
        } else if attr.path().is_ident("non_exhaustive") {
            items.insert(format!("#[non_exhaustive] {name}"), String::new());
        }
    }
}

/// What changed between two sets of items.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Delta {
    pub fn between(old: &Items, new: &Items) -> Delta {
        let mut delta = Delta::default();
        for (name, declaration) in new {
            match old.get(name) {
                None => delta.added.push(name.clone()),
                Some(before) if before != declaration => delta.changed.push(name.clone()),
                Some(_) => {}
            }
        }
        delta.removed = old
            .keys()
            .filter(|name| !new.contains_key(*name))
            .cloned()
            .collect();
        delta
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// One line of counts and up to `shown` names per kind, for the end of `regen`.
    pub fn summary(&self, shown: usize) -> String {
        if self.is_empty() {
            return "Generated items: unchanged.\n".to_owned();
        }
        let mut out = format!(
            "Generated items: {} added, {} removed, {} changed:\n",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        );
        for (label, names) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
        ] {
            for name in names.iter().take(shown) {
                let _ = writeln!(out, "  {label:<8} {name}");
            }
            if names.len() > shown {
                let _ = writeln!(out, "  {label:<8} ... and {} more", names.len() - shown);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"
        #[derive(Debug, Clone, PartialEq, PartialOrd)]
        #[non_exhaustive]
        pub enum Status { Active, Unknown(String) }
        pub struct ListThings<'a> { client: &'a u8, pub page: Option<i32> }
        impl<'a> ListThings<'a> {
            pub fn page_num(mut self, value: i32) -> Self { self }
            pub async fn send(self) -> Result<Thing, Error> { todo!() }
            fn private(&self) {}
        }
        impl std::fmt::Display for Status { fn fmt(&self) {} }
    "#;

    #[test]
    fn builder_methods_signatures_and_derives_are_items() {
        let new = OLD
            .replace(
                "fn private(&self) {}",
                "fn private(&self) {}\n pub fn pages_concurrent(self, n: usize) -> Pages { todo!() }",
            )
            .replace("Result<Thing, Error>", "Result<Option<Thing>, Error>")
            .replace(", PartialOrd", "");
        let old = public_items([("src/operations.rs", OLD)]);
        let new = public_items([("src/operations.rs", new.as_str())]);
        assert!(old.contains_key("operations::ListThings::page_num"));
        assert!(!old.contains_key("operations::ListThings::private"));
        assert!(!old.contains_key("operations::ListThings::client"));
        assert!(old.contains_key("impl std :: fmt :: Display for operations::Status"));
        let delta = Delta::between(&old, &new);
        assert_eq!(delta.added, ["operations::ListThings::pages_concurrent"]);
        assert_eq!(delta.removed, ["impl PartialOrd for operations::Status"]);
        assert_eq!(delta.changed, ["operations::ListThings::send"]);
        let summary = delta.summary(1);
        assert!(
            summary.starts_with("Generated items: 1 added, 1 removed, 1 changed:"),
            "{summary}"
        );
        assert!(Delta::between(&old, &old).is_empty());
    }
}
