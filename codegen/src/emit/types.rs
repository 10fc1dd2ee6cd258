//! Rust types for model type references: primitives, named types, arrays, maps, the fallback.

use crate::model::{Primitive, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The Rust type of a reference, as seen from a module that has `models` in scope under
/// `models_path` (`self` inside the models module, `super::models` elsewhere).
pub fn rust_type(ty: &TypeRef, models_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name.0);
            quote!(#models_path::#ident)
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => {
            let item = rust_type(item, models_path);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, models_path);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(::std::string::String),
        Primitive::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Bool => quote!(bool),
    }
}

/// The type a builder setter accepts: `impl Into<String>` for strings, the type itself otherwise.
pub fn setter_type(ty: &TypeRef, models_path: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Primitive(Primitive::String) => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(.into()),
        ),
        _ => (rust_type(ty, models_path), quote!()),
    }
}
