//! How callers build a model struct, although it is `#[non_exhaustive]` (so that new properties
//! are not a breaking change): `new` with the required properties, and a `with_` setter for
//! every property, documented with an example that compiles. Users need this for request bodies
//! and, as much, for building answers in their own tests.

use super::ident;
use super::types::rust_type;
use crate::model::{ApiModel, Field, Primitive, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use std::collections::BTreeSet;

pub struct ModelBuilder<'m> {
    pub model: &'m ApiModel,
    pub def: &'m TypeDef,
    pub fields: &'m [Field],
    /// Fields that are boxed because their type leads back to this struct.
    pub boxed: &'m BTreeSet<String>,
    /// The generated crate's library name, for the doc example.
    pub crate_name: &'m str,
    /// Whether callers send values of this type: `new` then asks for what a request must carry
    /// (write-only properties included, read-only ones not) rather than what an answer holds.
    pub request: bool,
}

/// How deep the doc example builds nested required structs before it gives up on an example.
const EXAMPLE_DEPTH: usize = 3;

impl ToTokens for ModelBuilder<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for field in self.fields {
            let field_ident = ident(&field.ident.0);
            if !takes(field, self.request) {
                inits.push(quote!(#field_ident: None));
                continue;
            }
            let ty = rust_type(&field.ty, &quote!(self));
            args.push(quote!(#field_ident: #ty));
            let boxed = self.boxed.contains(&field.name);
            // A write-only property is optional in the struct, which also decodes answers.
            let wrapped = optional(field);
            if !boxed && !wrapped {
                // Field shorthand, as clippy asks for.
                inits.push(quote!(#field_ident));
                continue;
            }
            let mut value = quote!(#field_ident);
            if boxed {
                value = quote!(Box::new(#value));
            }
            if wrapped {
                value = quote!(Some(#value));
            }
            inits.push(quote!(#field_ident: #value));
        }
        let too_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let setters = self.fields.iter().map(|field| self.setter(field));
        let example = self.example().map(|lines| {
            let lines = lines.into_iter().map(|line| format!(" {line}"));
            quote! {
                ///
                /// ```
                #(#[doc = #lines])*
                /// ```
            }
        });
        // With nothing required, `Default` is the idiomatic way to the same value.
        let default = args.is_empty().then(|| {
            quote! {
                #[allow(deprecated)]
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
        tokens.extend(quote! {
            #[allow(deprecated)]
            impl #name {
                /// A value with every required property given and every optional one unset; the
                /// `with_` setters (or the public fields) change the rest.
                #example
                #too_many
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* }
                }

                #(#setters)*
            }

            #default
        });
    }
}

/// Whether the struct holds the field as an `Option`.
fn optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// Whether `new` takes the field: what a request must carry for a type callers send, what is
/// never absent otherwise.
fn takes(field: &Field, request: bool) -> bool {
    if request {
        field.sent_required && !field.nullable
    } else {
        !optional(field)
    }
}

impl ModelBuilder<'_> {
    fn setter(&self, field: &Field) -> TokenStream {
        let field_ident = ident(&field.ident.0);
        let bare = field.ident.0.strip_prefix("r#").unwrap_or(&field.ident.0);
        let setter = format_ident!("with_{}", bare);
        let ty = rust_type(&field.ty, &quote!(self));
        let boxed = |value: TokenStream| {
            if self.boxed.contains(&field.name) {
                quote!(Box::new(#value))
            } else {
                value
            }
        };
        let value = boxed(quote!(value));
        let (value, doc) = if !optional(field) {
            (value, format!(" Sets `{}`.", field.name))
        } else {
            (
                quote!(Some(#value)),
                format!(" Sets `{}`, which is otherwise left out.", field.name),
            )
        };
        let deprecated = field
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
        quote! {
            #[doc = #doc]
            #deprecated
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field_ident = #value;
                self
            }
        }
    }

    /// The lines of a doc example that builds a value: `new` with a value for each required
    /// property, then one setter. `None` where some required value cannot be written simply.
    fn example(&self) -> Option<Vec<String>> {
        let call = new_call(
            self.model,
            self.fields,
            &self.def.name.0,
            self.request,
            EXAMPLE_DEPTH,
        )?;
        let mut lines = vec![format!("use {}::models;", self.crate_name)];
        if self.def.deprecated {
            lines.insert(0, "# #![allow(deprecated)]".to_owned());
        }
        // A property callers would set: in a type they send, not one only the server sets.
        let optional = self
            .fields
            .iter()
            .filter(|field| !(self.request && field.read_only))
            .find_map(|field| {
                let value = (!takes(field, self.request))
                    .then(|| example_value(self.model, &field.ty, EXAMPLE_DEPTH));
                Some((field, value??))
            });
        match optional {
            Some((field, value)) => {
                let bare = field.ident.0.strip_prefix("r#").unwrap_or(&field.ident.0);
                lines.push(format!("let value = {call}.with_{bare}({value});"));
                lines.push(format!("assert!(value.{}.is_some());", field.ident.0));
            }
            None => lines.push(format!("let _value = {call};")),
        }
        Some(lines)
    }
}

/// `Name::new(...)` with a value for each required field.
fn new_call(
    model: &ApiModel,
    fields: &[Field],
    name: &str,
    request: bool,
    depth: usize,
) -> Option<String> {
    let args = fields
        .iter()
        .filter(|f| takes(f, request))
        .map(|f| example_value(model, &f.ty, depth))
        .collect::<Option<Vec<String>>>()?;
    Some(format!("models::{name}::new({})", args.join(", ")))
}

/// A Rust expression for a value of `ty`, as a doc example writes it.
fn example_value(model: &ApiModel, ty: &TypeRef, depth: usize) -> Option<String> {
    Some(match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String => "\"example\".to_owned()".to_owned(),
            Primitive::DateTime => "chrono::DateTime::UNIX_EPOCH".to_owned(),
            Primitive::Date => "chrono::NaiveDate::MIN".to_owned(),
            Primitive::I32 | Primitive::I64 => "1".to_owned(),
            Primitive::F32 | Primitive::F64 => "1.0".to_owned(),
            Primitive::Bool => "true".to_owned(),
        },
        TypeRef::Array(_) => "Vec::new()".to_owned(),
        TypeRef::Map(_) => "Default::default()".to_owned(),
        TypeRef::Nullable(_) => "None".to_owned(),
        TypeRef::Any => "serde_json::Value::Null".to_owned(),
        TypeRef::Named(name) => {
            let def = model.types.get(name)?;
            match &def.kind {
                TypeKind::Enum(variants) => {
                    let first = variants.first()?;
                    format!("models::{}::{}", name.0, first.ident.0)
                }
                // A nested struct's `new` is the answer form unless it is sent; the example
                // stays on the safe side and gives up on nested request types.
                TypeKind::Struct(fields)
                    if depth > 0 && !fields.iter().any(|f| f.read_only || f.write_only) =>
                {
                    new_call(model, fields, &name.0, false, depth - 1)?
                }
                TypeKind::Alias(target) if depth > 0 => example_value(model, target, depth - 1)?,
                _ => return None,
            }
        }
    })
}
