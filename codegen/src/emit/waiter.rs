//! The generated `wait_until_…` methods: one per `x-waiters` entry of a get operation, taking
//! that operation's required parameters and returning the runtime's `Waiter`, which polls the
//! operation until the answer shows one of the declared success or failure states.

use super::builder::{deprecated_attr, positional};
use super::docs::doc_attrs;
use super::ident;
use super::types::{rust_type, setter_type};
use crate::model::{ApiModel, Operation, WaitMatcher, WaitTest, Waiter};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub struct WaiterMethods<'m> {
    pub model: &'m ApiModel,
    pub operations: &'m [&'m Operation],
    /// The error body type, as the crate's `Error` alias names it.
    pub error_body: TokenStream,
}

impl WaiterMethods<'_> {
    pub fn any(operations: &[&Operation]) -> bool {
        operations.iter().any(|op| !op.waiters.is_empty())
    }
}

impl ToTokens for WaiterMethods<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let methods = self.operations.iter().flat_map(|op| {
            op.waiters.iter().map(move |waiter| WaiterMethod {
                model: self.model,
                op,
                waiter,
                error_body: &self.error_body,
            })
        });
        tokens.extend(quote! {
            impl crate::Client {
                #(#methods)*
            }
        });
    }
}

struct WaiterMethod<'m> {
    model: &'m ApiModel,
    op: &'m Operation,
    waiter: &'m Waiter,
    error_body: &'m TokenStream,
}

impl ToTokens for WaiterMethod<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (op, waiter) = (self.op, self.waiter);
        let models = quote!(super::models);
        let method = ident(&waiter.method_name.0);
        let get = ident(&op.method_name.0);
        // Validation of `x-waiters` made sure the answers are JSON; versions that answer
        // with different types are read through the operation's response enum.
        let body = match op.distinct_bodies().as_slice() {
            [] => return,
            [body] => rust_type(body, &models),
            _ => {
                let name = super::builder::response_enum_name(op);
                quote!(#name)
            }
        };
        let error_body = self.error_body;
        let mut args = Vec::new();
        let mut owned = Vec::new();
        let mut clones = Vec::new();
        for param in positional(op) {
            let name = ident(&param.ident.0);
            let (ty, convert) = setter_type(&param.ty, &models);
            args.push(quote!(#name: #ty));
            // A parameter taken as it is (an enum) needs no conversion, and clippy flags a
            // `let` that only rebinds it.
            if !convert.is_empty() {
                owned.push(quote!(let #name = #name #convert;));
            }
            clones.push(quote!(::std::clone::Clone::clone(&#name)));
        }
        let list = |matchers: &[WaitMatcher]| {
            matchers
                .iter()
                .map(|m| {
                    let property = &m.property;
                    let test = match &m.test {
                        WaitTest::Equals(value) => {
                            let json = value.to_string();
                            quote!(::atlas_snapshots_runtime::__private::MatchTest::Equals(#json))
                        }
                        WaitTest::Present => quote!(::atlas_snapshots_runtime::__private::MatchTest::Present),
                    };
                    quote!(::atlas_snapshots_runtime::__private::Matcher { property: #property, test: #test })
                })
                .collect::<Vec<_>>()
        };
        let success = list(&waiter.success);
        let failure = list(&waiter.failure);
        let describe = |matchers: &[WaitMatcher]| {
            matchers
                .iter()
                .map(|m| match &m.test {
                    WaitTest::Equals(value) => format!("`{}` is `{value}`", m.property),
                    WaitTest::Present => format!("`{}` is set", m.property),
                })
                .collect::<Vec<_>>()
                .join(", or ")
        };
        let get_link = format!(
            "[`Client::{}`](crate::Client::{})",
            op.method_name.0, op.method_name.0
        );
        let mut how = if waiter.gone {
            format!(
                "Polls {get_link} until it answers 404 Not Found (the resource is gone), and \
                 returns how many polls and how long that took."
            )
        } else {
            format!(
                "Polls {get_link} until {}, and returns that answer.",
                describe(&waiter.success)
            )
        };
        if !waiter.failure.is_empty() {
            how.push_str(&format!(
                " Ends with [`WaitError::Failed`](::atlas_snapshots_runtime::WaitError::Failed) when {}.",
                describe(&waiter.failure)
            ));
        }
        how.push_str(
            " Gives up with [`WaitError::Deadline`](::atlas_snapshots_runtime::WaitError::Deadline) when the \
             policy's deadline passes first; see [`Waiter::policy`](::atlas_snapshots_runtime::Waiter::policy). \
             The pauses and the deadline run on the client's clock, which a test can make virtual \
             ([`ClientBuilder::clock`](::atlas_snapshots_runtime::ClientBuilder::clock)).",
        );
        // The spec's description is sanitized; the paragraph of links is the generator's own.
        let described = doc_attrs([waiter.description.as_deref()]);
        let how = format!(" {how}");
        let docs = quote! {
            #described
            #[doc = ""]
            #[doc = #how]
        };
        let deprecated = deprecated_attr(self.model, op);
        let allow_deprecated = deprecated.is_some().then(|| quote!(#[allow(deprecated)]));
        let name = &waiter.name;
        let id = &op.id.0;
        let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let kind = if waiter.gone {
            quote!(DeletionWaiter)
        } else {
            quote!(Waiter)
        };
        tokens.extend(quote! {
            #docs
            #deprecated
            #allow_deprecated
            #too_many
            pub fn #method(&self, #(#args),*) -> ::atlas_snapshots_runtime::#kind<'_, #body, #error_body> {
                const WAITER: ::atlas_snapshots_runtime::__private::WaiterInfo =
                    ::atlas_snapshots_runtime::__private::WaiterInfo {
                        name: #name,
                        operation: #id,
                        success: &[#(#success),*],
                        failure: &[#(#failure),*],
                    };
                #(#owned)*
                ::atlas_snapshots_runtime::#kind::new(
                    &WAITER,
                    ::atlas_snapshots_runtime::BaseClient::clock(self),
                    Box::new(move || {
                        let request = self.#get(#(#clones),*);
                        Box::pin(request.send())
                    }),
                )
            }
        });
    }
}
