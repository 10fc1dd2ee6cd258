//! The generated crate's root, `src/lib.rs`: the crate docs from the spec, the generated modules,
//! the crate's own `Client` (a thin type over the runtime's `BaseClient`, so that operations can
//! be its methods), the error type with this API's error body, and the runtime types users name.

use super::docs::inner_doc_attrs;
use super::ident;
use super::types::rust_type;
use crate::model::{ApiModel, BodyEncoding, Field, Primitive, SecurityScheme, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use std::collections::BTreeSet;

/// The crate root of one generated crate.
pub struct CrateRoot<'m> {
    pub model: &'m ApiModel,
    /// Whether the spec has v1.0 operations, emitted into `v1.rs`.
    pub has_legacy: bool,
    /// A README beside the manifest that is the crate's docs, instead of the spec's texts.
    pub readme: Option<&'m str>,
}

/// How to use a generated crate, the same for every API: said once in the crate docs. Written
/// here, not taken from a spec, so its intra-doc links are kept as they are.
const USAGE: &[&str] = &[
    "",
    "Build a [`Client`] once with [`Client::builder`] and share it (cloning is cheap). Each",
    "operation is a method of the client that returns a request builder: required path parameters",
    "are arguments, optional parameters are setters, and `send()` checks every value against the",
    "spec before anything is sent. The builders of list operations also walk every page with",
    "`pages()` and `items()` of [`ListRequest`] (bring it into scope with `use`). Every",
    "operation fails with [`Error`], which tells invalid requests, transport failures and the",
    "API's own errors apart.",
];

impl ToTokens for CrateRoot<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let model = self.model;
        let docs = match self.readme {
            // Written for people with examples that compile, so it stands as it is.
            Some(readme) => {
                let path = format!("../{readme}");
                quote!(#![doc = include_str!(#path)])
            }
            None => {
                let docs =
                    inner_doc_attrs([Some(model.title.as_str()), model.description.as_deref()]);
                let usage = USAGE.iter().map(|line| {
                    let line = if line.is_empty() {
                        String::new()
                    } else {
                        format!(" {line}")
                    };
                    quote!(#![doc = #line])
                });
                quote!(#docs #(#usage)*)
            }
        };
        let legacy = self.has_legacy.then(|| {
            quote! {
                #[rustfmt::skip]
                pub mod v1;
            }
        });
        let error_body = model
            .error_body
            .as_ref()
            .map(|ty| rust_type(ty, &quote!(models)))
            .unwrap_or_else(|| quote!(::serde_json::Value));
        let error_impl = error_body_impl(model);
        let base_url = model.base_url.clone().unwrap_or_default();
        let versions: Vec<String> = model.api_versions().into_iter().map(|v| v.0).collect();
        let title = super::docs::one_line(&model.title);
        let client_doc = format!(
            " A client of the {title} API. Operations are its methods; the settings it was \
             built with are those of the [`BaseClient`] it dereferences to."
        );
        // rustc's drop check descends one level per nested type and per box or list around it;
        // a chain of hundreds of structs (a ring of references) passes its default limit of 128.
        let depth = 4 * model.types.len();
        let recursion_limit = (depth > 128).then(|| {
            let limit = depth.to_string();
            quote!(#![recursion_limit = #limit])
        });
        let marks = scheme_marks(model).into_iter().map(|mark| {
            let mark = format_ident!("{mark}");
            quote!(impl ::atlas_snapshots_runtime::schemes::#mark for Client {})
        });
        let token = token_consts(model);
        let env_prefix = env_prefix(model);
        // Named by the bodies of raw and multipart uploads, so users need not name the runtime.
        let uploads = model
            .operations
            .iter()
            .flat_map(|op| op.request.iter().flat_map(|r| &r.contents))
            .any(|c| {
                matches!(
                    c.encoding,
                    BodyEncoding::Raw | BodyEncoding::Multipart { .. }
                )
            })
            .then(|| {
                quote!(
                    pub use ::atlas_snapshots_runtime::Upload;
                )
            });
        tokens.extend(quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            // Every public item carries docs, from the spec or from the generator.
            #![warn(missing_docs)]
            #recursion_limit
            #docs

            // The modules are formatted by the generator (prettyplease), not by rustfmt.
            #[rustfmt::skip]
            pub mod models;
            #[rustfmt::skip]
            mod decode;
            #[rustfmt::skip]
            mod encode;
            #[rustfmt::skip]
            pub mod operations;
            #legacy
            #[rustfmt::skip]
            mod params;
            #[cfg(feature = "mock")]
            #[rustfmt::skip]
            pub mod mock;

            pub use ::atlas_snapshots_runtime::{
                http, layer, schemes, ApiErrorBody, ApiKeyLocation, AsyncSleep, AuthError, AuthKind, AuthScheme,
                BaseClient, BuildError, ByteStream, Check, Clock, CredentialKind, Credentials, CredentialsError, Deprecation,
                ErrorChain, HttpMethod, InvalidParameter, ListRequest, MediaVersion, OperationInfo, Page,
                PagingProblem, ParamIn, ParamInfo, Pattern, Progress, RequestOptions, ResponseValue, RetryPolicy,
                StreamError, TestClock, TimeSource, TokenError, ValueKind, WaitError, WaitPolicy, Waiter,
            };
            #uploads

            #[doc = #client_doc]
            #[derive(Debug, Clone)]
            pub struct Client {
                base: ::atlas_snapshots_runtime::BaseClient,
            }

            /// Settings of a [`Client`]: base URL, credentials, API version pin, timeouts and
            /// retries. Made by [`Client::builder`].
            pub type ClientBuilder = ::atlas_snapshots_runtime::ClientBuilder<Client>;

            impl Client {
                /// Settings for a client, starting from the defaults: the spec's server, no
                /// credentials, the newest version of each operation.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new()
                }

                /// A client of `base_url` with default settings and no credentials.
                pub fn new(base_url: &str) -> Result<Self, BuildError> {
                    Self::builder().base_url(base_url).build()
                }

                /// Fetches a download link from an answer with no credentials (it is signed for
                /// the caller), through the client's layers and retries, and hands back its body
                /// unread; see [`BaseClient::download`].
                pub async fn download(
                    &self,
                    url: &str,
                ) -> Result<ResponseValue<ByteStream>, Error> {
                    self.base.download(url).await
                }
            }

            impl ::std::ops::Deref for Client {
                type Target = ::atlas_snapshots_runtime::BaseClient;

                fn deref(&self) -> &Self::Target {
                    &self.base
                }
            }

            #[doc(hidden)]
            impl ::atlas_snapshots_runtime::__private::ApiClient for Client {
                const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
                const USER_AGENT: &'static str =
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
                #token
                #env_prefix

                fn from_base(base: ::atlas_snapshots_runtime::BaseClient) -> Self {
                    Client { base }
                }
            }

            #(#marks)*

            /// The error every operation returns: the runtime's error with this API's error body.
            pub type Error = ::atlas_snapshots_runtime::Error<#error_body>;

            /// The server the spec names, used when a client is built without a base URL.
            pub const DEFAULT_BASE_URL: &str = #base_url;

            /// Resource version dates that operations of this crate offer, oldest first.
            pub const API_VERSIONS: &[&str] = &[#(#versions),*];

            #error_impl
        });
    }
}

/// The field of the error body that holds its code, when it is text or a generated enum.
/// The marks of the runtime's `schemes` the client carries: one per way to authenticate that
/// the spec's security schemes allow, so the builder offers those and no others.
pub(super) fn scheme_marks(model: &ApiModel) -> BTreeSet<&'static str> {
    let mut marks = BTreeSet::new();
    for scheme in model.security_schemes.values() {
        match scheme {
            SecurityScheme::HttpDigest => {
                marks.insert("Digest");
            }
            SecurityScheme::HttpBasic => {
                marks.insert("Basic");
            }
            SecurityScheme::HttpBearer | SecurityScheme::OAuth2 | SecurityScheme::OpenIdConnect => {
                marks.insert("Bearer");
            }
            SecurityScheme::OAuth2ClientCredentials { .. } => {
                marks.insert("Bearer");
                marks.insert("ClientCredentials");
            }
            SecurityScheme::ApiKey { .. } => {
                marks.insert("ApiKey");
            }
            SecurityScheme::Other(_) => {}
        }
    }
    marks
}

/// The token URL and scopes of the spec's client-credentials scheme (the first by name, should
/// there be several).
/// The prefix of the variables `credentials_from_env` reads: Atlas's own for an Atlas spec (the
/// runtime's default), else the API's title in upper snake case (`OXIDE_REGION_API`).
fn env_prefix(model: &ApiModel) -> Option<TokenStream> {
    if model.atlas_dialect {
        return None;
    }
    let prefix = crate::names::env_prefix(&model.title);
    Some(quote!(const ENV_PREFIX: &'static str = #prefix;))
}

fn token_consts(model: &ApiModel) -> Option<TokenStream> {
    let (token_url, scopes) = model
        .security_schemes
        .values()
        .find_map(|scheme| match scheme {
            SecurityScheme::OAuth2ClientCredentials { token_url, scopes } => {
                Some((token_url, scopes))
            }
            _ => None,
        })?;
    Some(quote! {
        const TOKEN_URL: Option<&'static str> = Some(#token_url);
        const TOKEN_SCOPES: &'static [&'static str] = &[#(#scopes),*];
    })
}

fn error_code_field<'m>(model: &'m ApiModel, fields: &'m [Field]) -> Option<&'m Field> {
    fields.iter().find(|f| {
        f.name == crate::dialect::ERROR_CODE_FIELD
            && match &f.ty {
                TypeRef::Primitive(Primitive::String) => true,
                TypeRef::Named(code) => model
                    .types
                    .get(code)
                    .is_some_and(|def| matches!(def.kind, TypeKind::Enum(_))),
                _ => false,
            }
    })
}

/// The type of the error code the crate's `ApiErrorBody` impl hands out (its `Code`), named
/// from `models_path`; `None` where the crate root writes no impl of its own.
pub fn error_code_type(model: &ApiModel, models_path: &TokenStream) -> Option<TokenStream> {
    let text = quote!(String);
    let Some(body) = &model.error_body else {
        return Some(text);
    };
    let TypeRef::Named(name) = body else {
        return None;
    };
    let Some(TypeKind::Struct(fields)) = model.types.get(name).map(|d| &d.kind) else {
        return None;
    };
    Some(match error_code_field(model, fields) {
        Some(field) => rust_type(&field.ty, models_path),
        None => text,
    })
}

/// Lets the runtime show the error code and detail of the error body in messages, and hand the
/// typed code to callers: the generated enum where the spec lists the codes, text otherwise.
fn error_body_impl(model: &ApiModel) -> TokenStream {
    let Some(TypeRef::Named(name)) = &model.error_body else {
        return TokenStream::new();
    };
    let Some(TypeKind::Struct(fields)) = model.types.get(name).map(|d| &d.kind) else {
        return TokenStream::new();
    };
    let string = TypeRef::Primitive(Primitive::String);
    let text_accessor = |wire: &str, method: &str| {
        let field = fields.iter().find(|f| f.name == wire && f.ty == string)?;
        let method = ident(method);
        let field_ident = ident(&field.ident.0);
        let value = if field.required && !field.nullable {
            quote!(Some(self.#field_ident.as_str()))
        } else {
            quote!(self.#field_ident.as_deref())
        };
        Some(quote! {
            fn #method(&self) -> Option<&str> {
                #value
            }
        })
    };
    let code = match error_code_field(model, fields) {
        Some(field) => {
            let code_type = rust_type(&field.ty, &quote!(models));
            let field_ident = ident(&field.ident.0);
            let present = field.required && !field.nullable;
            let (code, text) = if present {
                (
                    quote!(Some(&self.#field_ident)),
                    quote!(Some(self.#field_ident.as_str())),
                )
            } else {
                (
                    quote!(self.#field_ident.as_ref()),
                    quote!(self.#field_ident.as_ref().map(|code| code.as_str())),
                )
            };
            quote! {
                type Code = #code_type;

                fn code(&self) -> Option<&Self::Code> {
                    #code
                }

                fn error_code(&self) -> Option<&str> {
                    #text
                }
            }
        }
        None => quote!(
            type Code = String;
        ),
    };
    let methods = [
        text_accessor("detail", "detail"),
        text_accessor("reason", "reason"),
    ];
    let name = ident(&name.0);
    quote! {
        impl ::atlas_snapshots_runtime::ApiErrorBody for models::#name {
            #code
            #(#methods)*
        }
    }
}
