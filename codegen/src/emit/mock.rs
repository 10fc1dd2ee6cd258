//! The generated `mock.rs` (behind the crate's `mock` feature): a `MockServer` with one method
//! per operation that returns the runtime's typed `Expectation`, and for each operation the
//! table the runtime checks requests against: the operation's descriptor (whose parameters carry
//! their checks), documented error codes, success status, body decoder, page size.

use super::ident;
use super::types::{distinct_received, rust_type, setter_type, Body};
use crate::model::{
    ApiGeneration, ApiModel, BodyEncoding, Operation, ParamLocation, Parameter, Primitive, TypeRef,
};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use std::collections::BTreeMap;

/// The first part of `mock.rs`: everything but the per-operation tables ([`MockTables`]),
/// which follow it.
pub struct MockModule<'m> {
    pub model: &'m ApiModel,
}

/// The tables of some of the operations, after [`MockModule`]: the largest part of `mock.rs`,
/// in parts of their own so that they are formatted on all cores.
pub struct MockTables<'m> {
    pub operations: &'m [&'m Operation],
}

impl ToTokens for MockTables<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for op in self.operations {
            MockTable { op }.to_tokens(tokens);
        }
    }
}

impl ToTokens for MockModule<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let model = self.model;
        let (client_doc, credentials) = mock_credentials(model);
        let operations: Vec<&Operation> = model.operations.iter().collect();
        let error_body = model
            .error_body
            .as_ref()
            .map(|ty| rust_type(ty, &quote!(crate::models)))
            .unwrap_or_else(|| quote!(::serde_json::Value));
        let code = super::crate_root::error_code_type(model, &quote!(crate::models))
            .unwrap_or_else(
                || quote!(<#error_body as ::atlas_snapshots_runtime::ApiErrorBody>::Code),
            );
        let methods = operations.iter().map(|op| MockMethod {
            model,
            op,
            code: &code,
        });
        let errors = api_errors(&operations)
            .into_iter()
            .map(|(code, status)| quote!((#status, #code)));
        tokens.extend(quote! {
            //! Typed mocks of the operations, for the tests of code that uses this crate (feature
            //! `mock`). [`MockServer`] has one method per operation, named like the client's; it
            //! returns an [`Expectation`] that answers the operation with a typed body
            //! (`responds`, or `responds_items` for every page of a list) or error code
            //! (`fails`). Requests are checked as the API would check them (credentials, the
            //! versioned `Accept`, parameter patterns and limits, the request body), and a
            //! request the API would refuse fails the test when the server is dropped.

            pub use ::atlas_snapshots_runtime::mock::{Expectation, Violation};

            // With a feature per tag, every table may be compiled out.
            #[allow(unused_imports)]
            use ::atlas_snapshots_runtime::mock::MockOperation;

            /// A local stand-in for the API's server, on a free port of 127.0.0.1. Point a
            /// [`Client`](crate::Client) at it with [`MockServer::client`] or
            /// [`MockServer::client_builder`]; its other methods come from the runtime's
            /// server it dereferences to (`uri`, `violations`, …).
            #[derive(Debug)]
            pub struct MockServer {
                inner: ::atlas_snapshots_runtime::mock::MockServer,
            }

            impl MockServer {
                /// Starts a server with no expectations.
                pub async fn start() -> Self {
                    MockServer { inner: ::atlas_snapshots_runtime::mock::MockServer::start(API_ERRORS).await }
                }

                /// Client settings with the server's URL as base URL, to add credentials to.
                pub fn client_builder(&self) -> crate::ClientBuilder {
                    crate::Client::builder().base_url(self.inner.uri())
                }

                #[doc = #client_doc]
                ///
                /// # Panics
                /// Never for the server's own URL.
                pub fn client(&self) -> crate::Client {
                    self.client_builder()
                        #credentials
                        .build()
                        .expect("the mock server's URL is a valid base URL")
                }

                #(#methods)*
            }

            impl ::std::ops::Deref for MockServer {
                type Target = ::atlas_snapshots_runtime::mock::MockServer;

                fn deref(&self) -> &Self::Target {
                    &self.inner
                }
            }

            /// The status of every error code the spec's error examples show.
            const API_ERRORS: &[(u16, &str)] = &[#(#errors),*];
        });
    }
}

/// Every `(code, status)` the operations' error examples show, once each; a code shown with
/// several statuses keeps the lowest.
fn api_errors(operations: &[&Operation]) -> BTreeMap<String, u16> {
    let mut errors = BTreeMap::new();
    for op in operations {
        for error in &op.errors {
            if let Some(code) = &error.example_code {
                let status = errors.entry(code.clone()).or_insert(error.status);
                *status = (*status).min(error.status);
            }
        }
    }
    errors
}

/// The name of an operation's table: the builder's name in upper snake case.
fn table_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", names::const_name(&op.builder_name.0))
}

/// Path parameters in the order of the path template.
fn path_params(op: &Operation) -> Vec<&Parameter> {
    op.path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .filter_map(|name| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.name == name)
        })
        .collect()
}

/// The body type an expectation answers with: the operation's success body where it has one
/// type in every version, JSON otherwise (an answer in versions of different types, or bytes).
fn answer_type(op: &Operation) -> TokenStream {
    let models = quote!(crate::models);
    match distinct_received(op).as_slice() {
        [] => quote!(()),
        [Body::Json(ty)] => rust_type(ty, &models),
        _ => quote!(::serde_json::Value),
    }
}

struct MockMethod<'m> {
    model: &'m ApiModel,
    op: &'m Operation,
    code: &'m TokenStream,
}

impl ToTokens for MockMethod<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        let method = ident(&op.method_name.0);
        let table = table_name(op);
        let answer = answer_type(op);
        let code = self.code;
        let mut args = Vec::new();
        let mut values = Vec::new();
        for param in path_params(op) {
            let name = ident(&param.ident.0);
            let (ty, convert) = setter_type(&param.ty, &quote!(crate::models));
            args.push(quote!(#name: #ty));
            values.push(match &param.ty {
                TypeRef::Primitive(Primitive::String) => quote!(#name #convert),
                _ => quote!(::atlas_snapshots_runtime::__private::ParamValue::to_param(&#name)),
            });
        }
        let given = if args.is_empty() {
            ""
        } else {
            " for these path parameters"
        };
        let doc = format!(
            " Expects `{} {}` (`{}`){given}, as [`Client::{}`](crate::Client::{}) sends it.",
            op.http_method.as_str(),
            op.path,
            op.id,
            op.method_name.0,
            op.method_name.0
        );
        let allow_deprecated = match op.deprecation {
            Some(_) => Some(quote!(#[allow(deprecated)])),
            None => {
                super::types::allow_deprecated_uses(self.model, super::builder::operation_types(op))
            }
        };
        tokens.extend(quote! {
            #[doc = #doc]
            #allow_deprecated
            pub fn #method(&self, #(#args),*) -> Expectation<'_, #answer, #code> {
                self.inner.expect(&#table, ::std::vec![#(#values),*])
            }
        });
    }
}

struct MockTable<'m> {
    op: &'m Operation,
}

impl ToTokens for MockTable<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        let name = table_name(op);
        let module = match op.generation {
            ApiGeneration::Current => quote!(operations),
            ApiGeneration::Legacy => quote!(v1),
        };
        let builder = ident(&op.builder_name.0);
        let errors = op
            .errors
            .iter()
            .filter_map(|e| Some((e.status, e.example_code.as_deref()?)))
            .map(|(status, code)| quote!((#status, #code)));
        let status = op.responses.iter().map(|r| r.status).min().unwrap_or(200);
        // Where the caller picks a media type, the mock takes any of them unchecked.
        let body = match op.request.as_ref().map(|r| r.choices()) {
            Some([content]) => match content.encoding {
                BodyEncoding::Json => {
                    let ty = rust_type(&content.body, &quote!(crate::models));
                    quote!(Some(::atlas_snapshots_runtime::mock::decodes::<#ty>))
                }
                BodyEncoding::Form { .. } => {
                    quote!(Some(::atlas_snapshots_runtime::mock::form_decodes))
                }
                BodyEncoding::Multipart { .. } | BodyEncoding::Raw => quote!(None),
            },
            _ => quote!(None),
        };
        let page_size = match op
            .pagination
            .as_ref()
            .and_then(|p| op.params.iter().find(|param| param.name == p.size_param))
        {
            Some(size) => {
                let size = size
                    .default
                    .as_ref()
                    .and_then(|d| d.as_i64())
                    .unwrap_or(100);
                quote!(Some(#size))
            }
            None => quote!(None),
        };
        let doc = format!(" What the mock checks of `{}`.", op.id);
        let allow_deprecated = op
            .deprecation
            .as_ref()
            .map(|_| quote!(#[allow(deprecated)]));
        tokens.extend(quote! {
            #[doc = #doc]
            #allow_deprecated
            static #name: MockOperation = MockOperation {
                info: &crate::#module::#builder::OPERATION,
                errors: &[#(#errors),*],
                status: #status,
                body: #body,
                page_size: #page_size,
            };
        });
    }
}

/// What the mock server's ready-made client authenticates with: a scheme the API declares and
/// the mock can check without a token server (a bearer token, Basic, an API key, Digest, in that
/// order of preference), or nothing when the API declares none of them.
fn mock_credentials(model: &ApiModel) -> (&'static str, TokenStream) {
    let marks = super::crate_root::scheme_marks(model);
    if marks.contains("Bearer") {
        (
            " A client of the server with a bearer token.",
            quote!(.bearer_token("mock-token")),
        )
    } else if marks.contains("Basic") {
        (
            " A client of the server with HTTP Basic credentials.",
            quote!(.basic_auth("mock-user", "mock-password")),
        )
    } else if marks.contains("ApiKey") {
        (
            " A client of the server with an API key.",
            quote!(.api_key("mock-key")),
        )
    } else if marks.contains("Digest") {
        (
            " A client of the server with an API key sent with HTTP Digest.",
            quote!(.digest_auth("mock-public-key", "mock-private-key")),
        )
    } else {
        (
            " A client of the server, without credentials.",
            TokenStream::new(),
        )
    }
}
