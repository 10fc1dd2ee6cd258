//! A request body in the generated code: the type a builder takes (the typed body, an
//! `Upload` for raw bytes, a multipart struct, or an enum over the media types
//! a caller picks among), the types it needs emitted, and the runtime calls that put it on the
//! wire.

use super::docs::doc_attrs;
use super::ident;
use super::types::{rust_type, setter_type};
use crate::model::{BodyEncoding, MultipartPart, Operation, PartKind, RequestContent};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

const UPLOAD: &str = "::atlas_snapshots_runtime::Upload";

fn upload() -> TokenStream {
    UPLOAD.parse().expect("a path")
}

/// The media types a caller of `op` picks among (one when there is nothing to pick).
fn choices(op: &Operation) -> &[RequestContent] {
    op.request.as_ref().map_or(&[], |r| r.choices())
}

/// The type the builder takes as its body, and whether the body is required.
pub fn body_param(op: &Operation, models: &TokenStream) -> Option<(TokenStream, bool)> {
    let required = op.request.as_ref()?.required;
    match choices(op) {
        [] => None,
        [one] => Some((content_type(op, one, models), required)),
        _ => {
            let name = content_enum_name(op);
            Some((quote!(#name), required))
        }
    }
}

/// The type a caller hands the body over as, and how it becomes the builder's: a version's
/// body converts into the enum over versions, so the newest version's type is taken as it is.
pub fn body_arg(op: &Operation, ty: TokenStream) -> (TokenStream, TokenStream) {
    if by_version(op) {
        (quote!(impl ::std::convert::Into<#ty>), quote!(.into()))
    } else {
        (ty, TokenStream::new())
    }
}

/// Whether the caller picks among versions' bodies.
fn by_version(op: &Operation) -> bool {
    op.request.as_ref().is_some_and(|r| r.by_version) && choices(op).len() > 1
}

/// The type a caller hands over for one media type.
fn content_type(op: &Operation, content: &RequestContent, models: &TokenStream) -> TokenStream {
    match &content.encoding {
        BodyEncoding::Json | BodyEncoding::Form { .. } => rust_type(&content.body, models),
        BodyEncoding::Raw => upload(),
        BodyEncoding::Multipart { .. } => {
            let name = multipart_name(op);
            quote!(#name)
        }
    }
}

/// The enum over the media types of an operation that accepts several.
pub fn content_enum_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Content", op.builder_name.0)
}

/// The struct of an operation's multipart body.
fn multipart_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Multipart", op.builder_name.0)
}

/// How the body is sent, said in the docs of the client method: lines with intra-doc links,
/// short enough to need no wrapping.
pub fn body_docs(op: &Operation) -> Vec<String> {
    match choices(op) {
        [] => Vec::new(),
        [one] => match one.encoding {
            BodyEncoding::Raw => vec![
                "The body is an [`Upload`](crate::Upload), sent as it is with the".to_owned(),
                format!("`Content-Type` `{}`.", one.media_type),
            ],
            BodyEncoding::Multipart { .. } => vec![
                format!(
                    "The body is sent as `{}`, one part per field of",
                    one.media_type
                ),
                format!("[`{}`].", multipart_name(op)),
            ],
            BodyEncoding::Json | BodyEncoding::Form { .. } => Vec::new(),
        },
        several if by_version(op) => {
            let name = content_enum_name(op);
            let mut lines = vec![
                format!("The versions differ in body type: the variant of [`{name}`]"),
                "the body is picks the versions it can be sent in:".to_owned(),
                String::new(),
            ];
            lines.extend(several.iter().map(|c| {
                format!(
                    "- {} with [`{name}::{}`]",
                    version_list(&c.versions),
                    c.variant
                )
            }));
            lines
        }
        several => {
            let name = content_enum_name(op);
            let mut lines = vec![
                format!("The variant of [`{name}`] the body is picks the media type it is"),
                "sent as:".to_owned(),
                String::new(),
            ];
            lines.extend(
                several
                    .iter()
                    .map(|c| format!("- `{}` with [`{name}::{}`]", c.media_type, c.variant)),
            );
            lines
        }
    }
}

/// The runtime calls that put `body` (a reference to the builder's body) into the request.
pub fn encode(op: &Operation, body: TokenStream) -> TokenStream {
    match choices(op) {
        [] => TokenStream::new(),
        // One media type: a JSON or form body keeps the media type negotiated for the
        // client's version pin.
        [one] => encode_content(one, body),
        several => {
            let name = content_enum_name(op);
            let arms = several.iter().map(|content| {
                let variant = ident(&content.variant.0);
                let encode = encode_content(content, quote!(value));
                let media_type = &content.media_type;
                // A version's body is sent in a version that takes it, whose media type the
                // runtime negotiates. A raw body names its media type itself, and a multipart
                // body's header carries its boundary, which the runtime writes.
                let versions: Vec<&str> = content
                    .versions
                    .iter()
                    .filter_map(|v| v.as_ref().map(|v| v.0.as_str()))
                    .collect();
                let pick = if by_version(op) {
                    Some(quote!(request.body_versions(&[#(#versions),*]);))
                } else {
                    matches!(
                        content.encoding,
                        BodyEncoding::Json | BodyEncoding::Form { .. }
                    )
                    .then(|| quote!(request.content_type(#media_type);))
                };
                quote! {
                    #name::#variant(value) => {
                        #encode
                        #pick
                    }
                }
            });
            quote! {
                match #body {
                    #(#arms)*
                }
            }
        }
    }
}

fn encode_content(content: &RequestContent, body: TokenStream) -> TokenStream {
    match &content.encoding {
        BodyEncoding::Json => quote!(request.json_body(#body);),
        BodyEncoding::Form { fields } => {
            let fields = fields.iter().map(|field| {
                let name = &field.name;
                let style = format_ident!(
                    "{}",
                    match field.style {
                        crate::model::FormStyle::Form => "Form",
                        crate::model::FormStyle::SpaceDelimited => "SpaceDelimited",
                        crate::model::FormStyle::PipeDelimited => "PipeDelimited",
                        crate::model::FormStyle::DeepObject => "DeepObject",
                    }
                );
                let explode = field.explode;
                quote! {
                    ::atlas_snapshots_runtime::__private::FormField {
                        name: #name,
                        style: ::atlas_snapshots_runtime::__private::FormStyle::#style,
                        explode: #explode,
                    }
                }
            });
            quote!(request.form_body(#body, &[#(#fields),*]);)
        }
        BodyEncoding::Raw => {
            let media_type = &content.media_type;
            quote!(request.raw_body(#body, #media_type);)
        }
        BodyEncoding::Multipart { parts } => {
            let fills = parts.iter().map(|part| fill_part(part, &quote!(parts)));
            quote! {
                let parts = #body;
                let mut form = ::atlas_snapshots_runtime::__private::Multipart::new();
                #(#fills)*
                request.multipart_body(form);
            }
        }
    }
}

/// Adds one field of the multipart struct `body` to `form`.
fn fill_part(part: &MultipartPart, body: &TokenStream) -> TokenStream {
    let name = &part.name;
    let field = ident(&part.ident.0);
    let content_type = match &part.content_type {
        Some(content_type) => quote!(Some(#content_type)),
        None => quote!(None),
    };
    let method = match part.kind {
        // `null` adds no part, so an absent text part needs no test here.
        PartKind::Text(_) => {
            return quote!(form.text(#name, &#body.#field, #content_type););
        }
        PartKind::File => format_ident!("file"),
        PartKind::Files => format_ident!("files"),
    };
    if part.required {
        quote!(form.#method(#name, &#body.#field, #content_type);)
    } else {
        quote! {
            if let Some(value) = &#body.#field {
                form.#method(#name, value, #content_type);
            }
        }
    }
}

/// The types an operation's request body needs besides the models: its multipart struct and
/// the enum over its media types.
pub struct BodyTypes<'m> {
    pub model: &'m crate::model::ApiModel,
    pub op: &'m Operation,
}

impl ToTokens for BodyTypes<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let op = self.op;
        let models = quote!(super::models);
        let choices = choices(op);
        for content in choices {
            if let BodyEncoding::Multipart { parts } = &content.encoding {
                tokens.extend(multipart_struct(op, &content.media_type, parts, &models));
            }
        }
        if choices.len() < 2 {
            return;
        }
        let name = content_enum_name(op);
        let by_version = by_version(op);
        // A variant may hold a deprecated model (an older version's body).
        let allow_deprecated = super::types::allow_deprecated_uses(
            self.model,
            choices.iter().flat_map(RequestContent::sent_types),
        );
        let variants = choices.iter().map(|content| {
            let variant = ident(&content.variant.0);
            let ty = content_type(op, content, &models);
            let doc = match by_version {
                true => format!(" The body of {}.", version_list(&content.versions)),
                false => format!(" Sent as `{}`.", content.media_type),
            };
            quote!(#[doc = #doc] #variant(#ty),)
        });
        let doc = match by_version {
            true => format!(
                " The request body of {}, in the type of the versions it is sent in: the variant \
                 picks the version, which must be the one the client is pinned to when it is \
                 pinned (and the newest of the variant's versions when it is not).",
                super::builder::method_link(op)
            ),
            false => format!(
                " The request body of {}, in one of the media types the operation accepts \
                 (sorted): the variant picks the `Content-Type`.",
                super::builder::method_link(op)
            ),
        };
        // Each version's type converts into its variant, so a caller hands over the type.
        let conversions = by_version.then(|| {
            let types: Vec<String> = choices
                .iter()
                .map(|c| content_type(op, c, &models).to_string())
                .collect();
            // A type two variants share (one model sent as JSON in one version and as a form
            // in another) converts into neither: the caller names the variant.
            let unique = |ty: &String| types.iter().filter(|t| *t == ty).count() == 1;
            let arms =
                choices
                    .iter()
                    .zip(&types)
                    .filter(|(_, ty)| unique(ty))
                    .map(|(content, _)| {
                        let variant = ident(&content.variant.0);
                        let ty = content_type(op, content, &models);
                        quote! {
                            #allow_deprecated
                            impl From<#ty> for #name {
                                fn from(value: #ty) -> Self {
                                    #name::#variant(value)
                                }
                            }
                        }
                    });
            quote!(#(#arms)*)
        });
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            // A body is built once and moved into its request; boxing the larger variants would
            // cost every caller an allocation for nothing.
            #[allow(clippy::large_enum_variant)]
            #allow_deprecated
            pub enum #name {
                #(#variants)*
            }

            #conversions
        });
    }
}

/// Versions for docs: `` `2023-01-01` `` or `` `2023-01-01`, `2024-05-30` ``.
fn version_list(versions: &[Option<crate::model::ApiVersion>]) -> String {
    let named: Vec<String> = versions
        .iter()
        .flatten()
        .map(|v| format!("`{}`", v.0))
        .collect();
    match named.as_slice() {
        [] => "the unversioned API".to_owned(),
        [one] => format!("version {one}"),
        _ => format!("versions {}", named.join(", ")),
    }
}

fn multipart_struct(
    op: &Operation,
    media_type: &str,
    parts: &[MultipartPart],
    models: &TokenStream,
) -> TokenStream {
    let name = multipart_name(op);
    let doc = format!(
        " The `{media_type}` body of {}: one part per field, a file part from an \
         [`Upload`](crate::Upload) with its file name and content type.",
        super::builder::method_link(op)
    );
    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for part in parts {
        let field = ident(&part.ident.0);
        let (ty, setter_ty, convert) = match &part.kind {
            PartKind::Text(ty) => {
                let (setter_ty, convert) = setter_type(ty, models);
                (rust_type(ty, models), setter_ty, convert)
            }
            PartKind::File => {
                let upload = upload();
                (
                    upload.clone(),
                    quote!(impl ::std::convert::Into<#upload>),
                    quote!(.into()),
                )
            }
            PartKind::Files => {
                let upload = upload();
                (quote!(Vec<#upload>), quote!(Vec<#upload>), quote!())
            }
        };
        let mut about = super::docs::non_empty(part.description.as_deref())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("The part `{}`.", part.name));
        if let Some(content_type) = &part.content_type {
            about.push_str(&format!("\n\nSent as `{content_type}`."));
        }
        let docs = doc_attrs([Some(about.as_str())]);
        if part.required {
            fields.push(quote!(#docs pub #field: #ty,));
            args.push(quote!(#field: #setter_ty));
            inits.push(quote!(#field: #field #convert));
        } else {
            fields.push(quote!(#docs pub #field: Option<#ty>,));
            inits.push(quote!(#field: None));
            let setter_doc = format!(" Sets the part `{}`.", part.name);
            setters.push(quote! {
                #[doc = #setter_doc]
                pub fn #field(mut self, value: #setter_ty) -> Self {
                    self.#field = Some(value #convert);
                    self
                }
            });
        }
    }
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // Without required parts `new()` takes nothing, and the empty body is the default.
    let default = args.is_empty().then(|| quote!(Default,));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A body with the required parts; the others are set by the methods of their names.
            #too_many
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits),*
                }
            }

            #(#setters)*
        }
    }
}
