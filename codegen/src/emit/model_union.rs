//! A generated tagged union: one variant per tag value of a schema's `discriminator`, each
//! holding its subtype struct (boxed, so a subtype may contain the union again). Decoding reads
//! the value once, looks at the tag property and decodes the whole value as the subtype it
//! names, tag included; a missing or unlisted tag lands in `Unknown` with the value as sent.
//! Encoding writes the variant's struct, which carries its own tag.
//!
//! Unions without a discriminator ([`ModelUntagged`]) are decided by shape: the runtime's
//! `shape::candidates` ranks the variants a value may be (JSON type, required properties,
//! properties whose values are listed) and the first that decodes wins.

use super::docs::doc_attrs;
use super::ident;
use super::types::rust_type;
use crate::model::{
    ApiModel, Field, Primitive, TaggedUnion, TypeDef, TypeKind, TypeRef, UnionKeyword,
    UntaggedUnion,
};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub struct ModelUnion<'m> {
    pub model: &'m ApiModel,
    /// The structs callers send in requests (their required read-only fields are `Option`s).
    pub sent: &'m std::collections::BTreeSet<&'m crate::model::TypeName>,
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
        let accessors = CommonAccessors {
            model: self.model,
            sent: self.sent,
            union: self.union,
        };
        let accessors = accessors.to_token_stream();
        if !accessors.is_empty() {
            tokens.extend(quote! {
                #allow_in_definition
                impl #name {
                    #accessors
                }
            });
        }
    }
}

/// Names of methods every type has through a derive or the prelude: an accessor under one of
/// them would shadow the trait's method for callers.
const TAKEN_METHOD_NAMES: &[&str] = &[
    "clone",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "to_owned",
    "to_string",
    "into",
    "from",
    "try_into",
    "try_from",
    "as_ref",
    "borrow",
    "hash",
    "cmp",
    "partial_cmp",
    "default",
];

/// One method per [`ApiModel::common_fields`] field of a tagged union: what the variant's
/// struct holds there, `None` for `Unknown` or where the variant leaves it out.
struct CommonAccessors<'m> {
    model: &'m ApiModel,
    sent: &'m std::collections::BTreeSet<&'m crate::model::TypeName>,
    union: &'m TaggedUnion,
}

impl ToTokens for CommonAccessors<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let idents: Vec<_> = self
            .union
            .variants
            .iter()
            .map(|v| ident(&v.ident.0))
            .collect();
        for field in self
            .model
            .common_fields(self.union, |name| self.sent.contains(name))
        {
            if TAKEN_METHOD_NAMES.contains(&field.ident.0.as_str()) {
                continue;
            }
            let method = ident(&field.ident.0);
            let is_string = field.ty == TypeRef::Primitive(Primitive::String);
            let ty = rust_type(&field.ty, &quote!(self));
            let returns = if is_string {
                quote!(Option<&str>)
            } else {
                quote!(Option<&#ty>)
            };
            let arms = idents
                .iter()
                .zip(&field.optional)
                .map(|(variant, optional)| {
                    let read = match (optional, is_string) {
                        (true, true) => quote!(value.#method.as_deref()),
                        (true, false) => quote!(value.#method.as_ref()),
                        (false, true) => quote!(Some(value.#method.as_str())),
                        (false, false) => quote!(Some(&value.#method)),
                    };
                    quote!(Self::#variant(value) => #read,)
                });
            let doc = format!(
                " The `{}` of whichever subtype the value is; `None` for `Unknown`, or where the \
                 subtype leaves it out.",
                field.name
            );
            let allow = field.deprecated.then(|| quote!(#[allow(deprecated)]));
            tokens.extend(quote! {
                #[doc = #doc]
                #allow
                pub fn #method(&self) -> #returns {
                    match self {
                        #(#arms)*
                        Self::Unknown(_) => None,
                    }
                }
            });
        }
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

/// A generated union decided by shape: one variant per `oneOf`/`anyOf` member, named types
/// boxed (so a member may contain the union again), and `Unknown` for a value no member fits.
/// Encoding writes the variant's value as it is.
pub struct ModelUntagged<'m> {
    pub model: &'m ApiModel,
    pub def: &'m TypeDef,
    pub union: &'m UntaggedUnion,
    /// Whether a variant's type is deprecated: naming it must not warn.
    pub deprecated_variant: bool,
}

impl ToTokens for ModelUntagged<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let def = self.def;
        let name = ident(&def.name.0);
        let keyword = match self.union.keyword {
            UnionKeyword::OneOf => "oneOf",
            UnionKeyword::AnyOf => "anyOf",
        };
        let how = format!(
            "One of the spec's `{keyword}` alternatives, told apart by the shape of the value: \
             its JSON type, its required properties and the values of properties whose values \
             are listed (tried in that order of fit, then in the spec's order). A value no \
             alternative fits decodes to `Unknown`."
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
            .deprecated_variant
            .then(|| quote!(#[allow(deprecated)]));
        let variants = self
            .union
            .variants
            .iter()
            .enumerate()
            .map(|(index, variant)| {
                let name = ident(&variant.ident.0);
                let ty = variant_type(self.model, &variant.ty);
                let position = format!("Alternative {} of the `{keyword}`.", index + 1);
                let docs = doc_attrs([variant.description.as_deref(), Some(position.as_str())]);
                quote!(#docs #name(#ty),)
            });
        let unknown_doc = " A value none of the alternatives this version of the crate knows \
                           fits; kept as sent.";
        let param_value = self
            .union
            .variants
            .iter()
            .all(|v| is_scalar(self.model, &v.ty, 0))
            .then(|| {
                let arms = self.union.variants.iter().map(|v| {
                    let variant = ident(&v.ident.0);
                    quote!(Self::#variant(value) => ::atlas_snapshots_runtime::__private::ParamValue::to_param(value),)
                });
                let allow_deprecated = (def.deprecated || self.deprecated_variant)
                    .then(|| quote!(#[allow(deprecated)]));
                quote! {
                    #allow_deprecated
                    #[doc(hidden)]
                    impl ::atlas_snapshots_runtime::__private::ParamValue for #name {
                        fn to_param(&self) -> String {
                            match self {
                                #(#arms)*
                                Self::Unknown(value) => ::atlas_snapshots_runtime::__private::ParamValue::to_param(value),
                            }
                        }
                    }
                }
            });
        tokens.extend(quote! {
            #docs
            #deprecated
            #allow_in_definition
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #[doc = #unknown_doc]
                Unknown(::serde_json::Value),
            }

            #param_value
        });
    }
}

/// Whether a type is one value that can stand in a URL or header: a string, number, boolean,
/// enum, any value, or a union of those (which a parameter of the union's type then sends as the
/// value it holds).
fn is_scalar(model: &ApiModel, ty: &TypeRef, depth: usize) -> bool {
    match ty {
        TypeRef::Primitive(_) | TypeRef::Any => true,
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Nullable(_) => false,
        TypeRef::Named(name) => match model.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(target)) if depth < 16 => is_scalar(model, target, depth + 1),
            Some(TypeKind::Untagged(union)) if depth < 16 => union
                .variants
                .iter()
                .all(|v| is_scalar(model, &v.ty, depth + 1)),
            _ => false,
        },
    }
}

/// The type a variant holds: structs and unions boxed (they may be large, or contain the union
/// again), strings, numbers, enums and collections as they are.
fn variant_type(model: &ApiModel, ty: &TypeRef) -> TokenStream {
    let inner = rust_type(ty, &quote!(self));
    if is_composite(model, ty, 0) {
        quote!(Box<#inner>)
    } else {
        inner
    }
}

/// Whether a type is a struct or a union, through aliases.
fn is_composite(model: &ApiModel, ty: &TypeRef, depth: usize) -> bool {
    let TypeRef::Named(name) = ty else {
        return false;
    };
    match model.types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Alias(target)) if depth < 16 => is_composite(model, target, depth + 1),
        Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Untagged(_)) => true,
        _ => false,
    }
}

/// The `Deserialize` impl of a union decided by shape, in `decode.rs`: the value is read once,
/// the runtime ranks the variants it may be, and the first that decodes wins.
pub struct UntaggedDeserialize<'m> {
    pub model: &'m ApiModel,
    pub def: &'m TypeDef,
    pub union: &'m UntaggedUnion,
    /// Whether a variant's type is deprecated: naming it must not warn.
    pub deprecated_variant: bool,
}

impl ToTokens for UntaggedDeserialize<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let name = quote!(super::models::#name);
        let allow_deprecated =
            (self.def.deprecated || self.deprecated_variant).then(|| quote!(#[allow(deprecated)]));
        let shapes = self
            .union
            .variants
            .iter()
            .map(|v| shape_of(self.model, &v.ty));
        let arms = self.union.variants.iter().enumerate().map(|(index, v)| {
            let variant = ident(&v.ident.0);
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote!(#index => Deserialize::deserialize(&value).map(Self::#variant),)
        });
        tokens.extend(quote! {
            #allow_deprecated
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use ::atlas_snapshots_runtime::__private::shape::{candidates, Kind, Shape};
                    const SHAPES: &[Shape] = &[#(#shapes),*];
                    let value = ::serde_json::Value::deserialize(deserializer)?;
                    for index in candidates(&value, SHAPES) {
                        let decoded: Result<Self, ::serde_json::Error> = match index {
                            #(#arms)*
                            _ => continue,
                        };
                        if let Ok(decoded) = decoded {
                            return Ok(decoded);
                        }
                    }
                    Ok(Self::Unknown(value))
                }
            }
        });
    }
}

/// The runtime's description of the values a variant's type decodes from.
fn shape_of(model: &ApiModel, ty: &TypeRef) -> TokenStream {
    let mut ty = ty;
    for _ in 0..16 {
        let kind = match ty {
            TypeRef::Primitive(Primitive::String | Primitive::Date | Primitive::DateTime) => {
                quote!(String)
            }
            TypeRef::Primitive(Primitive::I32 | Primitive::I64) => quote!(Integer),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => quote!(Number),
            TypeRef::Primitive(Primitive::Bool) => quote!(Boolean),
            TypeRef::Array(_) => quote!(Array),
            TypeRef::Map(_) => quote!(Object),
            // `null` or the value: only the value's shape tells variants apart.
            TypeRef::Nullable(inner) => {
                ty = inner;
                continue;
            }
            TypeRef::Any => quote!(Any),
            TypeRef::Named(name) => match model.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => {
                    ty = target;
                    continue;
                }
                Some(TypeKind::Struct(fields)) => return struct_shape(model, fields),
                Some(TypeKind::Enum(variants)) => {
                    let values = variants.iter().map(|v| v.value.as_str());
                    return quote!(Shape { values: &[#(#values),*], ..Shape::of(Kind::String) });
                }
                // A tagged union is an object whose tag decides; a nested untagged union may be
                // anything.
                Some(TypeKind::Union(_)) => quote!(Object),
                Some(TypeKind::Untagged(_)) | None => quote!(Any),
            },
        };
        return quote!(Shape::of(Kind::#kind));
    }
    quote!(Shape::of(Kind::Any))
}

/// An object variant: its properties, the required ones, and those whose values are listed.
fn struct_shape(model: &ApiModel, fields: &[Field]) -> TokenStream {
    let properties = fields.iter().map(|f| f.name.as_str());
    let required = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str());
    let listed = fields.iter().filter_map(|f| {
        let values = listed_values(model, &f.ty, 0)?;
        let name = f.name.as_str();
        Some(quote!((#name, &[#(#values),*])))
    });
    quote! {
        Shape {
            kind: Kind::Object,
            properties: &[#(#properties),*],
            required: &[#(#required),*],
            listed: &[#(#listed),*],
            values: &[],
        }
    }
}

/// The values a string enum type lists, through aliases.
fn listed_values<'m>(model: &'m ApiModel, ty: &TypeRef, depth: usize) -> Option<Vec<&'m str>> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &model.types.get(name)?.kind {
        TypeKind::Enum(variants) => Some(variants.iter().map(|v| v.value.as_str()).collect()),
        TypeKind::Alias(target) if depth < 16 => listed_values(model, target, depth + 1),
        _ => None,
    }
}
