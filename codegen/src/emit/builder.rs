//! A generated request builder: required path (and query) parameters given up front, optional
//! ones as typed setters, and one `send()` that validates every value, sends the request with
//! the negotiated media type and decodes the typed response.

use super::docs::doc_attrs;
use super::ident;
use super::params::ParamTable;
use super::request_body::{body_param, encode, BodyTypes};
use super::types::{
    distinct_received, may_be_empty, received_bodies, rust_type, setter_type, Body,
};
use crate::model::{
    ApiModel, Operation, ParamLocation, ParamRole, Parameter, SecurityScheme, TypeKind, TypeRef,
};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

pub struct RequestBuilder<'m, 'p> {
    pub model: &'m ApiModel,
    pub op: &'m Operation,
    /// The crate's parameter descriptions, which the descriptor lists.
    pub params: &'p ParamTable,
    /// The error body type, as the crate's `Error` alias names it.
    pub error_body: &'p TokenStream,
}

/// Parameters the client method takes positionally: path parameters, then required query and
/// header parameters. Everything else is a setter.
pub fn positional(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.params.iter().filter(|p| p.required)
}

/// Every type an operation's request and answer are written with: its parameters, its request
/// bodies and its success bodies.
pub fn operation_types(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(
            op.request
                .iter()
                .flat_map(|r| r.contents.iter().map(|c| &c.body)),
        )
        .chain(op.responses.iter().filter_map(|r| r.body.as_ref()))
}

/// Doc lines shared by the builder and the client method.
pub fn operation_docs(op: &Operation) -> TokenStream {
    let call = format!("`{} {}`", op.http_method.as_str(), op.path);
    let mut versions: Vec<String> = Vec::new();
    for response in op.responses.iter().filter(|r| !r.media_type.is_empty()) {
        // Two statuses (200 and 204) may share a media type; it is accepted once. A version
        // with a sunset says when Atlas stops serving it.
        let media_type = match &response.sunset {
            Some(sunset) => format!("`{}` (sunset {sunset})", response.media_type),
            None => format!("`{}`", response.media_type),
        };
        if !versions.contains(&media_type) {
            versions.push(media_type);
        }
    }
    let mut wire = format!("Sends {call}");
    if !versions.is_empty() {
        wire.push_str(&format!(", accepting {}", versions.join(", ")));
    }
    wire.push('.');
    if !op.http_method.answer_has_body() {
        wire.push_str(" The answer is its status and headers: a `HEAD` answer has no body.");
    }
    // The method is named by the override; the id is still what the spec and its docs say.
    if op.id_override.is_some() {
        wire.push_str(&format!(" Operation `{}` in the spec.", op.id));
    }
    let params = parameter_list(op);
    let head = doc_attrs([
        op.summary.as_deref(),
        op.description.as_deref(),
        params.as_deref(),
    ]);
    let wire = doc_attrs([Some(wire.as_str())]);
    // Written as they are: their intra-doc links must not be escaped like the spec's text.
    let body: Vec<String> = super::request_body::body_docs(op)
        .iter()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect();
    let mut out = head;
    if !body.is_empty() {
        if !out.is_empty() {
            out.extend(quote!(#[doc = ""]));
        }
        out.extend(quote!(#(#[doc = #body])*));
    }
    if !out.is_empty() {
        out.extend(quote!(#[doc = ""]));
    }
    out.extend(wire);
    out
}

/// An intra-doc link to the client method of an operation, as seen from any module of the
/// generated crate: ``[`Client::name`](crate::Client::name)``.
pub fn method_link(op: &Operation) -> String {
    let name = op.method_name.0.trim_start_matches("r#");
    format!("[`Client::{name}`](crate::Client::{})", op.method_name.0)
}

/// A builder's docs: the operation's summary (or the first sentence of its description) and the
/// method that builds it; everything else is said once, on that method.
fn builder_docs(op: &Operation, pages: bool) -> TokenStream {
    let summary = op
        .summary
        .as_deref()
        .or_else(|| op.description.as_deref().and_then(first_sentence))
        .map(super::docs::one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("The request of `{}`.", op.id.0));
    // A reference-style link keeps the sentence short wherever the method's name is long.
    let name = op.method_name.0.trim_start_matches("r#");
    let built_by = if pages {
        format!(
            " Built by [`Client::{name}`]; walks every page with \
             [`ListRequest`](crate::ListRequest)."
        )
    } else {
        format!(" Built by [`Client::{name}`].")
    };
    let target = format!(" [`Client::{name}`]: crate::Client::{}", op.method_name.0);
    let summary = doc_attrs([Some(summary.as_str())]);
    quote! {
        #summary
        #[doc = ""]
        #[doc = #built_by]
        #[doc = ""]
        #[doc = #target]
    }
}

/// The first sentence of a text: up to the first period followed by whitespace, or its first
/// line.
fn first_sentence(text: &str) -> Option<&str> {
    let text = text.trim();
    let line = text.lines().next()?;
    let end = line
        .match_indices(". ")
        .next()
        .map_or(line.len(), |(i, _)| i + 1);
    Some(&line[..end])
}

/// A Markdown list of the parameters the client method takes positionally, with their docs.
fn parameter_list(op: &Operation) -> Option<String> {
    let items: Vec<String> = positional(op)
        .map(|p| {
            let name = p.ident.0.trim_start_matches("r#");
            match &p.description {
                Some(about) => {
                    let about = about.split_whitespace().collect::<Vec<_>>().join(" ");
                    format!("- `{name}` (`{}`): {about}", p.name)
                }
                None => format!("- `{name}` (`{}`)", p.name),
            }
        })
        .collect();
    (!items.is_empty()).then(|| format!("Parameters:\n\n{}", items.join("\n")))
}

/// `#[deprecated(...)]` for a deprecated operation: the one place its deprecation is said,
/// with its sunset and a link to the method of the operation that replaces it (its
/// `operationId` when the spec has no such operation).
pub fn deprecated_attr(model: &ApiModel, op: &Operation) -> Option<TokenStream> {
    let d = op.deprecation.as_ref()?;
    let mut note = match &d.sunset {
        Some(sunset) => format!(
            "Sunset on {}",
            super::docs::sanitize(&super::docs::one_line(sunset))
        ),
        None => "Deprecated in the API spec".to_owned(),
    };
    if let Some(replacement) = &d.replaced_by {
        let link = model
            .operations
            .iter()
            .find(|other| other.id == *replacement)
            .map_or_else(|| format!("`{}`", replacement.0), method_link);
        note.push_str(&format!("; use {link} instead"));
    }
    note.push('.');
    Some(quote!(#[deprecated(note = #note)]))
}

impl ToTokens for RequestBuilder<'_, '_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        let models = quote!(super::models);
        let name = ident(&op.builder_name.0);
        let list_request = super::pagination::list_request_impl(op, self.error_body);
        let docs = builder_docs(op, !list_request.is_empty());
        // Said once, on the client method that builds this (and on the types it uses).
        let allow_deprecated = if op.deprecation.is_some() {
            Some(quote!(#[allow(deprecated)]))
        } else {
            super::types::allow_deprecated_uses(self.model, operation_types(op))
        };

        let mut fields = Vec::new();
        let mut field_inits = Vec::new();
        let mut new_args = Vec::new();
        let mut setters = Vec::new();
        for param in &op.params {
            let field = ident(&param.ident.0);
            let ty = rust_type(&param.ty, &models);
            let allow = super::types::allow_deprecated_uses(self.model, [&param.ty].into_iter());
            if param.required {
                fields.push(quote!(#allow #field: #ty));
                new_args.push(quote!(#field: #ty));
                field_inits.push(quote!(#field));
            } else {
                fields.push(quote!(#allow #field: Option<#ty>));
                field_inits.push(quote!(#field: None));
                setters.push(setter(param, &models));
            }
        }
        if let Some((ty, required)) = body_param(op, &models) {
            let allow = super::types::allow_deprecated_uses(
                self.model,
                op.request
                    .iter()
                    .flat_map(|r| r.contents.iter().map(|c| &c.body)),
            );
            if required {
                fields.push(quote!(#allow body: #ty));
                new_args.push(quote!(body: #ty));
                field_inits.push(quote!(body));
            } else {
                fields.push(quote!(#allow body: Option<#ty>));
                field_inits.push(quote!(body: None));
                let (arg, convert) = super::request_body::body_arg(op, ty);
                setters.push(quote! {
                    /// The request body.
                    pub fn body(mut self, value: #arg) -> Self {
                        self.body = Some(value #convert);
                        self
                    }
                });
            }
        }
        let too_many = (new_args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

        let info = operation_info(op, self.params);
        let fill = op.params.iter().map(|param| self.fill_param(param));
        let body_fill = body_param(op, &models).map(|(_, required)| {
            if required {
                encode(op, quote!(&self.body))
            } else {
                let encode = encode(op, quote!(body));
                quote! {
                    if let Some(body) = &self.body {
                        #encode
                    }
                }
            }
        });
        let (output, finish) = response_handling(op, &models);
        let send_stream = streams_answer(op).then(|| {
            quote! {
                /// Validates the parameters and sends the request like `send`, asking for the
                /// answer's non-JSON media type where the negotiated version has one, and hands
                /// back the body unread: a stream to copy to a file or read chunk by chunk,
                /// without holding the whole answer in memory.
                pub async fn send_stream(
                    self,
                ) -> Result<::atlas_snapshots_runtime::ResponseValue<::atlas_snapshots_runtime::ByteStream>, super::Error> {
                    self.runtime_request().send_stream().await
                }
            }
        });
        let body_types = BodyTypes {
            model: self.model,
            op,
        };

        // A redirect that is the operation's result is returned, not followed.
        let redirect_is_answer = self
            .op
            .redirect_is_answer()
            .then(|| quote!(request.redirect_is_answer();));
        tokens.extend(quote! {
            #docs
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until `send` is awaited"]
            pub struct #name<'a> {
                client: &'a crate::Client,
                request_options: RequestOptions,
                #(#fields,)*
            }

            #allow_deprecated
            impl<'a> #name<'a> {
                /// What the client, the typed mocks and the command line know of this
                /// operation: id, method, path, parameters with their checks, deprecation,
                /// media types and the security schemes that may authorize it.
                pub const OPERATION: OperationInfo = #info;

                #too_many
                pub(crate) fn new(client: &'a crate::Client, #(#new_args),*) -> Self {
                    Self {
                        client,
                        request_options: RequestOptions::new(),
                        #(#field_inits),*
                    }
                }

                #(#setters)*

                /// Settings for this request only (timeout, retry policy, API version pin, extra
                /// headers); the client's settings stay as they are.
                pub fn request_options(mut self, value: RequestOptions) -> Self {
                    self.request_options = value;
                    self
                }

                /// Validates the parameters, sends the request and decodes the response.
                pub async fn send(self) -> Result<#output, super::Error> {
                    let request = self.runtime_request();
                    #finish
                }

                #send_stream

                // The runtime's request with every parameter and the body handed over (and
                // checked): what each way of sending starts from.
                fn runtime_request(&self) -> Request<'a> {
                    let mut request = Request::new(self.client, &Self::OPERATION);
                    request.options(&self.request_options);
                    #redirect_is_answer
                    #(#fill)*
                    #body_fill
                    request
                }
            }

            #list_request

            #body_types
        });
    }
}

impl RequestBuilder<'_, '_> {
    /// Hands one parameter value to the runtime request by name; the request finds its checks
    /// in the operation's descriptor.
    fn fill_param(&self, param: &Parameter) -> TokenStream {
        let wire = &param.name;
        let field = ident(&param.ident.0);
        // Parameters the runtime understands get a method of their own, so the generic query
        // code never looks at parameter names.
        if let Some(method) = dialect_method(param) {
            let value = if param.required {
                quote!(self.#field)
            } else {
                quote!(value)
            };
            let call = quote!(request.#method(#value););
            return if param.required {
                call
            } else {
                quote! {
                    if let Some(value) = self.#field {
                        #call
                    }
                }
            };
        }
        let method = match param.location {
            ParamLocation::Path => format_ident!("path_param"),
            ParamLocation::Query => format_ident!("query_param"),
            ParamLocation::Header => format_ident!("header_param"),
        };
        // `value` is a reference to the field's value, `len` the item count of an array.
        let one = |value: TokenStream, len: TokenStream| {
            if matches!(param.ty, TypeRef::Array(_)) {
                let location = super::params::location(param.location);
                quote! {
                    request.check_count(#wire, #location, #len);
                    for item in #value {
                        request.#method(#wire, item);
                    }
                }
            } else {
                quote!(request.#method(#wire, #value);)
            }
        };
        if param.required {
            one(quote!(&self.#field), quote!(self.#field.len()))
        } else {
            let fill = one(quote!(value), quote!(value.len()));
            quote! {
                if let Some(value) = &self.#field {
                    #fill
                }
            }
        }
    }
}

/// The runtime request method for an Atlas parameter that changes how the answer is read
/// (`envelope`) or only how it is laid out (`pretty`).
fn dialect_method(param: &Parameter) -> Option<proc_macro2::Ident> {
    match param.role {
        ParamRole::Envelope => Some(format_ident!("envelope")),
        ParamRole::Pretty => Some(format_ident!("pretty")),
        ParamRole::Plain => None,
    }
}

fn setter(param: &Parameter, models: &TokenStream) -> TokenStream {
    let field = ident(&param.ident.0);
    let (ty, convert) = setter_type(&param.ty, models);
    let default = param
        .default
        .as_ref()
        .map(|d| format!("Default on the server: `{d}`."));
    let fallback = format!("Sets `{}`.", super::docs::one_line(&param.name));
    let described = super::docs::non_empty(param.description.as_deref()).unwrap_or(&fallback);
    let docs = doc_attrs([Some(described), default.as_deref()]);
    let deprecated = param
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
    quote! {
        #docs
        #deprecated
        pub fn #field(mut self, value: #ty) -> Self {
            self.#field = Some(value #convert);
            self
        }
    }
}

fn operation_info(op: &Operation, params: &ParamTable) -> TokenStream {
    let id = &op.id.0;
    let method = format_ident!("{}", {
        let m = op.http_method.as_str();
        let mut s = m[..1].to_owned();
        s.push_str(&m[1..].to_ascii_lowercase());
        s
    });
    let path = &op.path;
    let media = |version: Option<&str>, media_type: &str, sunset: Option<&str>| {
        let version = option_str(version);
        let sunset = option_str(sunset);
        quote!(MediaVersion { version: #version, media_type: #media_type, sunset: #sunset })
    };
    let responses = op
        .responses
        .iter()
        .filter(|r| !r.media_type.is_empty())
        .map(|r| {
            media(
                r.version.as_ref().map(|v| v.0.as_str()),
                &r.media_type,
                r.sunset.as_deref(),
            )
        });
    let requests = op.request.iter().flat_map(|r| &r.contents).map(|c| {
        media(
            c.version.as_ref().map(|v| v.0.as_str()),
            &c.media_type,
            c.sunset.as_deref(),
        )
    });
    let mut auth: Vec<TokenStream> = op
        .auth
        .iter()
        .map(|option| {
            let name = &option.scheme;
            let kind = auth_kind(&option.kind);
            quote!(AuthScheme { name: #name, kind: #kind })
        })
        .collect();
    if op.no_credentials {
        auth.push(quote!(AuthScheme {
            name: "none",
            kind: AuthKind::None
        }));
    }
    let params = op.params.iter().map(|param| params.path_of(op, param));
    let deprecation = match &op.deprecation {
        Some(d) => {
            let sunset = option_str(d.sunset.as_deref());
            let replaced_by = option_str(d.replaced_by.as_ref().map(|id| id.0.as_str()));
            quote!(Some(Deprecation { sunset: #sunset, replaced_by: #replaced_by }))
        }
        None => quote!(None),
    };
    quote! {
        OperationInfo {
            id: #id,
            method: HttpMethod::#method,
            path: #path,
            responses: &[#(#responses),*],
            requests: &[#(#requests),*],
            auth: &[#(#auth),*],
            params: &[#(#params),*],
            deprecation: #deprecation,
        }
    }
}

/// `Some("text")` or `None`.
fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// The runtime's `AuthKind` for a security scheme.
fn auth_kind(scheme: &SecurityScheme) -> TokenStream {
    let simple = |variant: &str| {
        let variant = format_ident!("{variant}");
        quote!(AuthKind::#variant)
    };
    match scheme {
        SecurityScheme::HttpDigest => simple("HttpDigest"),
        SecurityScheme::HttpBearer => simple("HttpBearer"),
        SecurityScheme::HttpBasic => simple("HttpBasic"),
        SecurityScheme::OAuth2ClientCredentials { .. } => simple("OAuth2ClientCredentials"),
        SecurityScheme::OAuth2 => simple("OAuth2"),
        SecurityScheme::OpenIdConnect => simple("OpenIdConnect"),
        SecurityScheme::ApiKey { name, location } => {
            let location = format_ident!(
                "{}",
                match location.as_str() {
                    "query" => "Query",
                    "cookie" => "Cookie",
                    _ => "Header",
                }
            );
            quote! {
                AuthKind::ApiKey {
                    name: #name,
                    location: ::atlas_snapshots_runtime::ApiKeyLocation::#location,
                }
            }
        }
        SecurityScheme::Other(_) => simple("Other"),
    }
}

/// The `send()` output type and the code that turns the runtime request into it.
fn response_handling(op: &Operation, models: &TokenStream) -> (TokenStream, TokenStream) {
    // A page model is walked by `pages()`, which needs `send()` to give the model itself.
    let may_be_empty = may_be_empty(op) && super::pagination::page_type(op).is_none();
    match distinct_received(op).as_slice() {
        [] => (
            quote!(::atlas_snapshots_runtime::ResponseValue<()>),
            quote!(request.send_empty().await),
        ),
        [Body::Json(single)] if !may_be_empty => {
            let ty = rust_type(single, models);
            (
                quote!(::atlas_snapshots_runtime::ResponseValue<#ty>),
                quote!(request.send().await),
            )
        }
        [single] => {
            let ty = single.rust_type(models);
            let decode = single.decode(models);
            if may_be_empty {
                (
                    quote!(::atlas_snapshots_runtime::ResponseValue<Option<#ty>>),
                    quote! {
                        let raw = request.send_raw().await?;
                        if raw.bytes().is_empty() {
                            return Ok(::atlas_snapshots_runtime::ResponseValue::new(
                                raw.status(),
                                raw.headers().clone(),
                                None,
                            ));
                        }
                        #decode.map(|r| r.map(Some))
                    },
                )
            } else {
                (
                    quote!(::atlas_snapshots_runtime::ResponseValue<#ty>),
                    quote! {
                        let raw = request.send_raw().await?;
                        #decode
                    },
                )
            }
        }
        _ => {
            let enum_name = response_enum_name(op);
            let arm = |version: &str, body: Body<'_>| {
                let variant = format_ident!("{}", names::version_variant(version));
                let decode = body.decode(models);
                quote!(#decode.map(|r| r.map(#enum_name::#variant)))
            };
            let versioned = versioned_bodies(op);
            let arms = versioned.iter().map(|(version, body)| {
                let decode = arm(version, *body);
                quote!(Some(#version) => #decode,)
            });
            // An answer in a version the crate does not know is read as the newest released
            // version it knows (an upcoming or preview one only when there is none).
            let fallback = versioned
                .iter()
                .rev()
                .find(|(version, _)| !crate::dialect::is_unreleased(version))
                .or(versioned.last())
                .map(|(version, body)| {
                    let decode = arm(version, *body);
                    quote!(_ => #decode,)
                });
            (
                quote!(::atlas_snapshots_runtime::ResponseValue<#enum_name>),
                quote! {
                    let raw = request.send_raw().await?;
                    match raw.version() {
                        #(#arms)*
                        #fallback
                    }
                },
            )
        }
    }
}

/// Whether an operation answers with something other than JSON (an archive, CSV, a file), which
/// `send_stream()` hands back unread.
pub fn streams_answer(op: &Operation) -> bool {
    op.http_method.answer_has_body()
        && op
            .responses
            .iter()
            .any(|r| !r.media_type.is_empty() && !super::types::is_json(&r.media_type))
}

/// Each response version with the body received in it, once per version (a second success
/// status or media type in the same version adds no variant).
fn versioned_bodies(op: &Operation) -> Vec<(&str, Body<'_>)> {
    received_bodies(op)
        .into_iter()
        .filter_map(|(version, body)| Some((version?, body)))
        .collect()
}

/// Name of the enum over an operation's response versions, when they differ in type.
pub fn response_enum_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Response", op.builder_name.0)
}

/// The enum over response versions, for operations whose versions return different types.
pub struct ResponseEnum<'m> {
    pub model: &'m ApiModel,
    pub op: &'m Operation,
}

/// Whether some versions' bodies are structs and others are not. A version that is a union, an
/// enum or bytes is much smaller than a struct version, which clippy's `large_enum_variant`
/// flags; the enum is allowed that, since a response is decoded once and moved to the caller,
/// and boxing the struct would cost every caller a pointer for nothing.
fn sizes_differ(model: &ApiModel, op: &Operation) -> bool {
    let structs: Vec<bool> = versioned_bodies(op)
        .into_iter()
        .map(|(_, body)| is_struct_body(model, body))
        .collect();
    structs.contains(&true) && structs.contains(&false)
}

fn is_struct_body(model: &ApiModel, body: Body<'_>) -> bool {
    let Body::Json(mut ty) = body else {
        return false;
    };
    for _ in 0..16 {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match model.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => ty = target,
            Some(TypeKind::Struct(_)) => return true,
            _ => return false,
        }
    }
    false
}

impl ToTokens for ResponseEnum<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        if distinct_received(op).len() < 2 {
            return;
        }
        let name = response_enum_name(op);
        let variants = versioned_bodies(op).into_iter().map(|(version, body)| {
            let variant = format_ident!("{}", names::version_variant(version));
            let ty = body.rust_type(&quote!(super::models));
            let doc = format!(" The `{version}` version of the response.");
            let allow = match body {
                Body::Json(ty) => super::types::allow_deprecated_uses(self.model, [ty].into_iter()),
                Body::Bytes => None,
            };
            quote!(#[doc = #doc] #allow #variant(#ty),)
        });
        let doc = format!(
            " The response of `{}`: its type depends on the API version the client negotiated.",
            op.id
        );
        let sizes_differ =
            sizes_differ(self.model, op).then(|| quote!(#[allow(clippy::large_enum_variant)]));
        // A JSON answer serializes as the version's body alone, which is what a waiter reads
        // its states from (and what a caller logs); bytes have no JSON form.
        let json = versioned_bodies(op)
            .iter()
            .all(|(_, body)| matches!(body, Body::Json(_)));
        let (serialize, untagged) = match json {
            true => (quote!(, ::serde::Serialize), quote!(#[serde(untagged)])),
            false => (quote!(), quote!()),
        };
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq #serialize)]
            #untagged
            #[non_exhaustive]
            #sizes_differ
            pub enum #name {
                #(#variants)*
            }
        });
    }
}
