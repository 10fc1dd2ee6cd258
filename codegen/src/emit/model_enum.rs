//! A generated string enum. It never fails to decode: a value the spec does not list (yet)
//! lands in `Unknown`, and `#[non_exhaustive]` lets later versions add variants.
//!
//! No `PartialOrd`/`Ord`: a derived order is the declaration order with `Unknown` last, which
//! means nothing on the wire and changes silently whenever the API adds a value (a value that
//! decoded as `Unknown` sorts after every other one, and in the middle once a later crate
//! version knows it). No semver tool reports that: cargo-semver-checks compares only the
//! relative order of the variants both versions have. `Hash` and `Eq` cover sets and map keys.

use super::docs::type_doc_attrs;
use super::ident;
use crate::model::{EnumVariant, TypeDef};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub struct ModelEnum<'m> {
    pub def: &'m TypeDef,
    pub variants: &'m [EnumVariant],
}

impl ToTokens for ModelEnum<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let def = self.def;
        let name = ident(&def.name.0);
        let docs = type_doc_attrs(def);
        let deprecated = def
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
        let allow_deprecated = def.deprecated.then(|| quote!(#[allow(deprecated)]));
        let idents: Vec<_> = self.variants.iter().map(|v| ident(&v.ident.0)).collect();
        let values: Vec<_> = self.variants.iter().map(|v| v.value.as_str()).collect();
        let variant_docs = values.iter().map(|value| {
            let line = format!(" `{value}`");
            quote!(#[doc = #line])
        });
        tokens.extend(quote! {
            #docs
            #deprecated
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_docs #idents,)*
                /// A value this version of the crate does not know; kept as sent.
                Unknown(String),
            }

            #allow_deprecated
            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #values,)*
                        Self::Unknown(value) => value,
                    }
                }
            }

            #allow_deprecated
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => Self::#idents,)*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }

            #allow_deprecated
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #allow_deprecated
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            #allow_deprecated
            #[doc(hidden)]
            impl ::atlas_snapshots_runtime::__private::ParamValue for #name {
                fn to_param(&self) -> String {
                    self.as_str().to_owned()
                }
            }
        });
    }
}

/// The `Deserialize` impl of a string enum, in `decode.rs`: any string decodes, through `From`.
pub struct EnumDeserialize<'m> {
    pub def: &'m TypeDef,
}

impl ToTokens for EnumDeserialize<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let allow_deprecated = self.def.deprecated.then(|| quote!(#[allow(deprecated)]));
        tokens.extend(quote! {
            #allow_deprecated
            impl<'de> Deserialize<'de> for super::models::#name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = String::deserialize(deserializer)?;
                    Ok(Self::from(value.as_str()))
                }
            }
        });
    }
}
