//! The `Deserialize` impl of a generated model struct, written out instead of derived.
//!
//! It is a `visit_map` that matches each key's position among the wire names and stores the
//! value; the shared steps (finding the position, refusing a property sent twice, the
//! "missing field" error) are calls into the runtime's `de` module. `#[derive(Deserialize)]`
//! adds a `visit_seq` and a field visitor per struct that JSON never uses, and those made up
//! most of the generated crate's type-checking time. The behaviour is the derived one: unknown
//! properties are skipped, an optional property may be missing or `null`, a required one
//! missing or any property sent twice is an error.

use super::ident;
use crate::model::{Field, TypeDef};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

pub struct StructDeserialize<'m> {
    pub def: &'m TypeDef,
    pub fields: &'m [Field],
}

impl ToTokens for StructDeserialize<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let rust_name = &self.def.name.0;
        let expecting = format!("struct {rust_name}");
        let visitor = format_ident!("{}Visitor", self.def.name.0);
        let wire: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        // Names the spec cannot produce: `value_` keeps the slots apart from `map` and `index`,
        // and the map's type parameter is `__A` because a schema may well be called `A`.
        let slots: Vec<Ident> = self
            .fields
            .iter()
            .map(|f| format_ident!("value_{}", f.ident.0.trim_start_matches("r#")))
            .collect();
        let fields_loop = if self.fields.is_empty() {
            quote! {
                while map.next_key_seed(crate::runtime::de::FieldIndex(FIELDS))?.is_some() {
                    skip(&mut map)?;
                }
            }
        } else {
            let positions = (0..self.fields.len()).map(Literal::usize_unsuffixed);
            quote! {
                #(let mut #slots = ::std::option::Option::None;)*
                while let ::std::option::Option::Some(index) =
                    map.next_key_seed(crate::runtime::de::FieldIndex(FIELDS))?
                {
                    match index {
                        #(#positions => take(&mut map, &mut #slots, #wire)?,)*
                        _ => skip(&mut map)?,
                    }
                }
            }
        };
        let inits = self.fields.iter().zip(&slots).map(|(field, slot)| {
            let field_ident = ident(&field.ident.0);
            let wire = field.name.as_str();
            if !field.required || field.nullable {
                quote!(#field_ident: #slot.flatten())
            } else {
                quote!(#field_ident: required(#slot, #wire)?)
            }
        });
        let uses = if self.fields.is_empty() {
            quote!(
                use crate::runtime::de::skip;
            )
        } else if self.fields.iter().any(|f| f.required && !f.nullable) {
            quote!(
                use crate::runtime::de::{required, skip, take};
            )
        } else {
            quote!(
                use crate::runtime::de::{skip, take};
            )
        };
        tokens.extend(quote! {
            #[allow(deprecated)]
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    const FIELDS: &[&str] = &[#(#wire),*];
                    struct #visitor;
                    impl<'de> ::serde::de::Visitor<'de> for #visitor {
                        type Value = #name;
                        fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            formatter.write_str(#expecting)
                        }
                        fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                            self,
                            mut map: __A,
                        ) -> ::std::result::Result<#name, __A::Error> {
                            #uses
                            #fields_loop
                            ::std::result::Result::Ok(#name { #(#inits,)* })
                        }
                    }
                    deserializer.deserialize_struct(#rust_name, FIELDS, #visitor)
                }
            }
        });
    }
}
