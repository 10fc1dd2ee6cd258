//! Rust types for model type references (primitives, named types, arrays, maps, the fallback)
//! and for the success bodies an operation hands back. The prelude's types (`Option`, `String`,
//! `Vec`, `Box`, `Result`) are written bare, as in hand-written code: the names module renames a
//! spec type that would shadow one of them (`names::is_reserved_type`).

use crate::model::{ApiModel, Operation, Primitive, SuccessResponse, TypeRef};
use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote};

/// The Rust type of a reference, as seen from a module that has `models` in scope under
/// `models_path` (`self` inside the models module, where the name is written bare, and
/// `super::models` elsewhere).
pub fn rust_type(ty: &TypeRef, models_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name.0);
            // Inside the models module its own types need no path.
            let mut path = models_path.clone().into_iter();
            match (path.next(), path.next()) {
                (Some(TokenTree::Ident(only)), None) if only == "self" => quote!(#ident),
                _ => quote!(#models_path::#ident),
            }
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => {
            let item = rust_type(item, models_path);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, models_path);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, models_path);
            quote!(Option<#inner>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Bool => quote!(bool),
    }
}

/// Whether the Rust type of a reference names a deprecated type (itself, or as the items or
/// values it holds). Where it does, the item that writes it down says
/// `#[allow(deprecated)]`: a field or parameter of a deprecated type is the spec's doing, and
/// its deprecation is said where the type is declared (and to users where they name it). An
/// alias is not followed, as its name is what is written and it is not deprecated itself.
pub fn names_deprecated(model: &ApiModel, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => model.types.get(name).is_some_and(|def| def.deprecated),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            names_deprecated(model, inner)
        }
        TypeRef::Primitive(_) | TypeRef::Any => false,
    }
}

/// `#[allow(deprecated)]` when any of `types` names a deprecated type.
pub fn allow_deprecated_uses<'t>(
    model: &ApiModel,
    mut types: impl Iterator<Item = &'t TypeRef>,
) -> Option<TokenStream> {
    types
        .any(|ty| names_deprecated(model, ty))
        .then(|| quote!(#[allow(deprecated)]))
}

/// The type a builder setter accepts: `impl Into<String>` for strings, the type itself otherwise.
pub fn setter_type(ty: &TypeRef, models_path: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Primitive(Primitive::String) => {
            (quote!(impl ::std::convert::Into<String>), quote!(.into()))
        }
        _ => (rust_type(ty, models_path), quote!()),
    }
}

/// A success body as `send()` hands it back: JSON decoded into its model, any other media type
/// (gzip archives, CSV) as the bytes received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Body<'m> {
    Json(&'m TypeRef),
    Bytes,
}

impl<'m> Body<'m> {
    /// The body of one response; `None` when it has none (or JSON without a schema).
    fn of(response: &'m SuccessResponse) -> Option<Self> {
        if response.media_type.is_empty() {
            None
        } else if is_json(&response.media_type) {
            response.body.as_ref().map(Body::Json)
        } else {
            Some(Body::Bytes)
        }
    }

    pub fn rust_type(self, models_path: &TokenStream) -> TokenStream {
        match self {
            Body::Json(ty) => rust_type(ty, models_path),
            Body::Bytes => quote!(::bytes::Bytes),
        }
    }

    /// An expression turning `raw` (the runtime's `RawResponse`) into
    /// `Result<ResponseValue<T>, Error>` for this body.
    pub fn decode(self, models_path: &TokenStream) -> TokenStream {
        match self {
            Body::Json(ty) => {
                let ty = rust_type(ty, models_path);
                quote!(raw.decode::<#ty, _>())
            }
            Body::Bytes => quote!(Result::<_, super::Error>::Ok(
                ::atlas_snapshots_runtime::ResponseValue::new(
                    raw.status(),
                    raw.headers().clone(),
                    raw.bytes().clone()
                )
            )),
        }
    }
}

pub fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// The body a client receives in each API version it can ask for (`None` for unversioned
/// media types), in version order. The runtime asks for the last media type listed for a
/// version, so when a version offers several (JSON and CSV), only that one ever arrives; the
/// server then picks the status, so any status of that media type with a body gives it. A
/// `HEAD` answer receives none.
pub fn received_bodies(op: &Operation) -> Vec<(Option<&str>, Body<'_>)> {
    if !op.http_method.answer_has_body() {
        return Vec::new();
    }
    let mut asked: Vec<(Option<&str>, &str)> = Vec::new();
    for response in op.responses.iter().filter(|r| !r.media_type.is_empty()) {
        let version = response.version.as_ref().map(|v| v.as_str());
        match asked.iter_mut().find(|(v, _)| *v == version) {
            Some(slot) => slot.1 = &response.media_type,
            None => asked.push((version, &response.media_type)),
        }
    }
    asked
        .into_iter()
        .filter_map(|(version, media_type)| {
            let body = op
                .responses
                .iter()
                .filter(|r| r.media_type == media_type)
                .find_map(Body::of)?;
            Some((version, body))
        })
        .collect()
}

/// The different bodies an operation's `send()` can receive, without repeats.
pub fn distinct_received(op: &Operation) -> Vec<Body<'_>> {
    let mut out = Vec::new();
    for (_, body) in received_bodies(op) {
        if !out.contains(&body) {
            out.push(body);
        }
    }
    out
}

/// Whether a success status without a body (a 204 beside a 200) can answer the operation.
pub fn may_be_empty(op: &Operation) -> bool {
    op.responses.iter().any(|r| Body::of(r).is_none())
}
