//! The `Serialize` impl of a generated model struct, written out instead of derived (why: see
//! the runtime's `ser` module), in the generated `encode.rs`. Each property is one call on the
//! runtime's `ser::Fields`: `field` for a required one, `optional` for one held in an `Option`,
//! which is left out when it is `None`.

use super::ident;
use crate::model::{Field, TypeDef};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

pub struct StructSerialize<'m> {
    pub def: &'m TypeDef,
    /// The fields as the struct declares them (`fields_as_typed`).
    pub fields: &'m [Field],
}

impl ToTokens for StructSerialize<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let rust_name = &self.def.name.0;
        let optional = |field: &Field| !field.required || field.nullable;
        let always = self.fields.iter().filter(|f| !optional(f)).count();
        let present: Vec<TokenStream> = self
            .fields
            .iter()
            .filter(|f| optional(f))
            .map(|f| {
                let field = ident(&f.ident.0);
                quote!(self.#field.is_some())
            })
            .collect();
        let counted = quote!(present([#(#present),*]));
        let len = match (always, present.is_empty()) {
            (always, true) => Literal::usize_unsuffixed(always).into_token_stream(),
            (0, false) => counted,
            (always, false) => {
                let always = Literal::usize_unsuffixed(always);
                quote!(#always + #counted)
            }
        };
        let writes = self.fields.iter().map(|f| {
            let field = ident(&f.ident.0);
            let wire = f.name.as_str();
            if optional(f) {
                quote!(fields.optional(#wire, &self.#field)?;)
            } else {
                quote!(fields.field(#wire, &self.#field)?;)
            }
        });
        tokens.extend(quote! {
            #[allow(deprecated)]
            impl Serialize for super::models::#name {
                fn serialize<S: Serializer>(
                    &self,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    let mut fields =
                        Fields::new(serializer, #rust_name, #len)?;
                    #(#writes)*
                    fields.end()
                }
            }
        });
    }
}
