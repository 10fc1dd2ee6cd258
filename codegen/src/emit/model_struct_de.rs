//! The `Deserialize` impl of a generated model struct, written out instead of derived (why:
//! see the runtime's `de` module), in the generated `decode.rs`. The struct implements
//! `de::Object`: its name, its wire names and a `from_map` that numbers each key by its place
//! among the wire names and stores the value; everything that needs no per-struct code is the
//! runtime's.

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
        let name = quote!(super::models::#name);
        let rust_name = &self.def.name.0;
        let wire: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        // `value_` keeps the slots apart from `map`, `fields` and `index`, whatever the
        // properties are called. `None`, `Some` and `Ok` are the prelude's: the generated
        // models are braced structs and enums, which cannot shadow names of values.
        let slots: Vec<Ident> = self
            .fields
            .iter()
            .map(|f| format_ident!("value_{}", f.ident.0.trim_start_matches("r#")))
            .collect();
        let body = if self.fields.is_empty() {
            quote! {
                let mut fields = FieldCursor::new(Self::FIELDS);
                while map.next_key_seed(&mut fields)?.is_some() {
                    skip(&mut map)?;
                }
                Ok(Self {})
            }
        } else {
            let positions = (0..self.fields.len()).map(Literal::usize_unsuffixed);
            let inits = self.fields.iter().zip(&slots).map(|(field, slot)| {
                let field_ident = ident(&field.ident.0);
                let wire = field.name.as_str();
                if !field.required || field.nullable {
                    quote!(#field_ident: #slot.flatten())
                } else {
                    quote!(#field_ident: required(#slot, #wire)?)
                }
            });
            quote! {
                #(let mut #slots = None;)*
                let mut fields = FieldCursor::new(Self::FIELDS);
                while let Some(index) = map.next_key_seed(&mut fields)? {
                    match index {
                        #(#positions => take(&mut map, &mut #slots, #wire)?,)*
                        _ => skip(&mut map)?,
                    }
                }
                Ok(Self { #(#inits,)* })
            }
        };
        tokens.extend(quote! {
            #[allow(deprecated)]
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    object(deserializer)
                }
            }
            #[allow(deprecated)]
            #[doc(hidden)]
            impl Object for #name {
                const NAME: &'static str = #rust_name;
                const FIELDS: &'static [&'static str] = &[#(#wire),*];
                fn from_map<'de, A: MapAccess<'de>>(
                    mut map: A,
                ) -> Result<Self, A::Error> {
                    #body
                }
            }
        });
    }
}
