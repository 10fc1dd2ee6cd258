//! The `Debug` impl of a model struct that holds a secret (a field the model marks
//! `sensitive`): written out instead of derived, it shows `<redacted>` in place of each secret
//! and every other field as the derive would, so a logged request body never shows a password.
//! Structs without secrets keep `#[derive(Debug)]`.

use super::ident;
use crate::model::{Field, TypeDef};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// What `Debug` shows in place of a secret.
pub const REDACTED: &str = "<redacted>";

pub struct StructDebug<'m> {
    pub def: &'m TypeDef,
    /// The fields as the struct declares them.
    pub fields: &'m [Field],
}

impl StructDebug<'_> {
    /// Whether the struct needs this impl rather than the derive.
    pub fn needed(fields: &[Field]) -> bool {
        fields.iter().any(|f| f.sensitive)
    }
}

impl ToTokens for StructDebug<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = ident(&self.def.name.0);
        let rust_name = &self.def.name.0;
        let entries = self.fields.iter().map(|f| {
            let field = ident(&f.ident.0);
            // The derive shows a raw identifier without its `r#`.
            let shown = f.ident.0.trim_start_matches("r#");
            match f.sensitive {
                true => quote!(.field(#shown, &format_args!(#REDACTED))),
                false => quote!(.field(#shown, &self.#field)),
            }
        });
        // Naming a deprecated struct or reading a deprecated field warns, even here.
        let allow = (self.def.deprecated || self.fields.iter().any(|f| f.deprecated))
            .then(|| quote!(#[allow(deprecated)]));
        tokens.extend(quote! {
            #allow
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#rust_name)
                        #(#entries)*
                        .finish()
                }
            }
        });
    }
}
