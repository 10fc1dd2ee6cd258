//! A generated tagged union: one variant per tag value of a schema's `discriminator`, each
//! holding its subtype struct (boxed, so a subtype may contain the union again). Decoding reads
//! the value once, looks at the tag property and decodes the whole value as the subtype it
//! names, tag included; a missing or unlisted tag lands in `Unknown` with the value as sent.
//! Encoding writes the variant's struct, which carries its own tag.

use super::docs::doc_attrs;
use super::ident;
use super::types::rust_type;
use crate::model::{TaggedUnion, TypeDef};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub struct ModelUnion<'m> {
    pub def: &'m TypeDef,
    pub union: &'m TaggedUnion,
    /// Whether a subtype is deprecated: naming it must not warn.
    pub deprecated_subtype: bool,
}

impl ToTokens for ModelUnion<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let def = self.def;
        let name = ident(&def.name.0);
        let property = self.union.property.as_str();
        let how = format!(
            "Which variant a value is follows its `{property}` property; a value whose \
             `{property}` is missing or not listed here decodes to `Unknown`."
        );
        let docs = doc_attrs([
            def.title.as_deref(),
            def.description.as_deref(),
            Some(how.as_str()),
        ]);
        let deprecated = def
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
        let allow_in_definition = self
            .deprecated_subtype
            .then(|| quote!(#[allow(deprecated)]));
        let variants = &self.union.variants;
        let idents: Vec<_> = variants.iter().map(|v| ident(&v.ident.0)).collect();
        let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
        let types = variants.iter().map(|v| rust_type(&v.ty, &quote!(self)));
        let variant_docs = values.iter().map(|value| {
            let line = format!(" `{property}` is `{value}`.");
            quote!(#[doc = #line])
        });
        let unknown_doc = format!(
            " A value whose `{property}` this version of the crate does not know, or that has \
             none; kept as sent."
        );
        tokens.extend(quote! {
            #docs
            #deprecated
            #allow_in_definition
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_docs #idents(Box<#types>),)*
                #[doc = #unknown_doc]
                Unknown(::serde_json::Value),
            }
        });
    }
}

/// The `Deserialize` impl of a tagged union, in `decode.rs`.
pub struct UnionDeserialize<'m> {
    pub def: &'m TypeDef,
    pub union: &'m TaggedUnion,
    /// Whether a subtype is deprecated: naming it must not warn.
    pub deprecated_subtype: bool,
}

impl ToTokens for UnionDeserialize<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let name = quote!(super::models::#name);
        let property = self.union.property.as_str();
        let allow_deprecated =
            (self.def.deprecated || self.deprecated_subtype).then(|| quote!(#[allow(deprecated)]));
        let variants = &self.union.variants;
        let idents: Vec<_> = variants.iter().map(|v| ident(&v.ident.0)).collect();
        let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
        tokens.extend(quote! {
            #allow_deprecated
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = ::serde_json::Value::deserialize(deserializer)?;
                    let tag = value
                        .get(#property)
                        .and_then(::serde_json::Value::as_str)
                        .map(::std::borrow::ToOwned::to_owned);
                    match tag.as_deref() {
                        #(Some(#values) => ::serde_json::from_value(value)
                            .map(Self::#idents)
                            .map_err(<D::Error as ::serde::de::Error>::custom),)*
                        _ => Ok(Self::Unknown(value)),
                    }
                }
            }
        });
    }
}
