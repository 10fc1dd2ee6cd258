//! A generated model struct: one field per schema property, optional and nullable properties as
//! `Option`, and a constructor with setters (see `model_builder`), since `#[non_exhaustive]`
//! forbids struct literals outside the crate; `Debug` is derived unless a field holds a secret
//! (see `model_struct_debug`). Its serde impls are written out elsewhere:
//! `Deserialize` in `decode.rs` (`model_struct_de`, unknown properties ignored) and `Serialize`
//! in `encode.rs` (`model_struct_ser`, wire names kept, `None` left out).

use super::docs::{doc_attrs, first_paragraph, non_empty, type_doc_attrs};
use super::ident;
use super::model_builder::ModelBuilder;
use super::model_struct_debug::{StructDebug, REDACTED};
use super::types::rust_type;
use crate::model::{ApiModel, Field, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use std::borrow::Cow;
use std::collections::BTreeSet;

pub struct ModelStruct<'m> {
    pub model: &'m ApiModel,
    pub def: &'m TypeDef,
    pub fields: &'m [Field],
    /// Fields whose type leads back to this struct, and so must be boxed to have a size.
    pub boxed: &'m BTreeSet<String>,
    /// The generated crate's library name, for doc examples.
    pub crate_name: &'m str,
    /// Whether callers send values of this type (it is part of a request body).
    pub request: bool,
}

impl ToTokens for ModelStruct<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let def = self.def;
        let name = ident(&def.name.0);
        let docs = type_doc_attrs(def);
        let deprecated = def
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
        let all = self.fields_as_typed();
        let fields = all.iter().map(|field| StructField {
            model: self.model,
            field,
            boxed: self.boxed.contains(&field.name),
        });
        let builder = ModelBuilder {
            model: self.model,
            def,
            fields: &all,
            boxed: self.boxed,
            crate_name: self.crate_name,
            request: self.request,
        };
        // A struct with a secret writes its `Debug` out, to leave the secret out of it.
        let (derive, debug) = match StructDebug::needed(&all) {
            true => (
                quote!(#[derive(Clone, PartialEq)]),
                Some(StructDebug { def, fields: &all }),
            ),
            false => (quote!(#[derive(Debug, Clone, PartialEq)]), None),
        };
        tokens.extend(quote! {
            #docs
            #deprecated
            #derive
            #[non_exhaustive]
            pub struct #name {
                #(#fields,)*
            }
            #builder
            #debug
        });
    }
}

impl ModelStruct<'_> {
    fn fields_as_typed(&self) -> Cow<'_, [Field]> {
        fields_as_typed(self.fields, self.request)
    }
}

/// The fields as the struct declares them. In a struct callers send (`request`), a required
/// read-only property is an `Option`: the constructor cannot ask for what only the server sets,
/// and a caller's value would be ignored anyway.
pub fn fields_as_typed(fields: &[Field], request: bool) -> Cow<'_, [Field]> {
    if !request || !fields.iter().any(|f| f.required && f.read_only) {
        return Cow::Borrowed(fields);
    }
    Cow::Owned(
        fields
            .iter()
            .map(|f| Field {
                required: f.required && !f.read_only,
                ..f.clone()
            })
            .collect(),
    )
}

struct StructField<'m> {
    model: &'m ApiModel,
    field: &'m Field,
    boxed: bool,
}

impl ToTokens for StructField<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let field = self.field;
        let name = ident(&field.ident.0);
        let ty = field_type(field, self.boxed);
        let access = match (field.read_only, field.write_only) {
            (true, _) => Some("Set by the server; ignored when sent."),
            (_, true) => Some("Only sent; the server never returns it."),
            _ => None,
        };
        let secret = field
            .sensitive
            .then(|| format!("A secret: `Debug` shows `{REDACTED}` in its place."));
        let described = non_empty(field.description.as_deref());
        let fallback = described
            .is_none()
            .then(|| field_fallback_doc(self.model, field));
        let docs = doc_attrs([described.or(fallback.as_deref()), access, secret.as_deref()]);
        let deprecated = field
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
        let allow = super::types::allow_deprecated_uses(self.model, [&field.ty].into_iter());
        tokens.extend(quote! {
            #docs
            #deprecated
            #allow
            pub #name: #ty
        });
    }
}

/// The Rust type of a field: boxed when it leads back to its struct, `Option` when the
/// property is optional or nullable.
fn field_type(field: &Field, boxed: bool) -> TokenStream {
    let mut ty = rust_type(&field.ty, &quote!(self));
    if boxed {
        ty = quote!(Box<#ty>);
    }
    if !field.required || field.nullable {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// A line for a field the spec does not describe: the first paragraph of the description (or
/// the title) of the type it holds, or its wire name.
fn field_fallback_doc(model: &ApiModel, field: &Field) -> String {
    let mut ty = &field.ty;
    while let TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = ty {
        ty = inner;
    }
    let described = match ty {
        TypeRef::Named(name) => model.types.get(name).and_then(|def| {
            non_empty(def.description.as_deref())
                .map(first_paragraph)
                .or(non_empty(def.title.as_deref()))
        }),
        _ => None,
    };
    match described {
        Some(text) => text.to_owned(),
        None => format!("The `{}` property.", super::docs::one_line(&field.name)),
    }
}
