//! The generated `impl Client` block: one method per operation, taking the required
//! parameters positionally and returning the operation's request builder.

use super::builder::{deprecated_attr, operation_docs, positional};
use super::ident;
use super::types::setter_type;
use crate::model::{ApiModel, Operation};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub struct ClientMethods<'m> {
    pub model: &'m ApiModel,
    pub operations: &'m [&'m Operation],
}

impl ToTokens for ClientMethods<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let methods = self.operations.iter().map(|op| ClientMethod {
            model: self.model,
            op,
        });
        tokens.extend(quote! {
            impl crate::Client {
                #(#methods)*
            }
        });
    }
}

struct ClientMethod<'m> {
    model: &'m ApiModel,
    op: &'m Operation,
}

impl ToTokens for ClientMethod<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        let models = quote!(super::models);
        let method = ident(&op.method_name.0);
        let builder = ident(&op.builder_name.0);
        let docs = operation_docs(op);
        let deprecated = deprecated_attr(self.model, op);
        let allow_deprecated = if deprecated.is_some() {
            Some(quote!(#[allow(deprecated)]))
        } else {
            // The arguments of a deprecated type; the builder it returns is not deprecated.
            let positional = positional(op).map(|p| &p.ty);
            let body = op
                .request
                .iter()
                .filter(|r| r.required)
                .flat_map(|r| r.contents.iter().map(|c| &c.body));
            super::types::allow_deprecated_uses(self.model, positional.chain(body))
        };
        let mut args = Vec::new();
        let mut values = Vec::new();
        for param in positional(op) {
            let name = ident(&param.ident.0);
            let (ty, convert) = setter_type(&param.ty, &models);
            args.push(quote!(#name: #ty));
            values.push(quote!(#name #convert));
        }
        if let Some((ty, true)) = super::request_body::body_param(op, &models) {
            let (arg, convert) = super::request_body::body_arg(op, ty);
            args.push(quote!(body: #arg));
            values.push(quote!(body #convert));
        }
        let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        tokens.extend(quote! {
            #docs
            #deprecated
            #allow_deprecated
            #too_many
            pub fn #method(&self, #(#args),*) -> #builder<'_> {
                #builder::new(self, #(#values),*)
            }
        });
    }
}
