//! Request body: one typed content per media type the client can encode (JSON, forms,
//! multipart forms, raw bytes), oldest version first, with a note for each media type it cannot
//! encode (never sent as another) and when older versions cannot be sent typed.

use super::super::schema::SchemaRef;
use super::components::{resolve_boxed, resolve_component};
use super::media::{body_limits, content_encoding, is_concrete, sunset, version_suffix, Encodable};
use super::operation::OperationBuilder;
use crate::dialect::media_type_version;
use crate::load::{escape_pointer, LoadedSpec};
use crate::model::{
    ApiVersion, BodyEncoding, FieldName, FormField, FormStyle, MultipartPart, Note, PartKind,
    RequestBody, RequestContent, TypeName, TypeRef,
};
use crate::names::{self, NameScope};
use openapiv3::{
    QueryStyle, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

impl OperationBuilder<'_, '_> {
    pub(super) fn request_body(
        &mut self,
        builder: &str,
        op: &openapiv3::Operation,
    ) -> Option<RequestBody> {
        let reference = op.request_body.as_ref()?;
        let spec = self.cx.spec;
        let body = resolve_component(spec, reference)?;
        let pointer = format!("{}/requestBody", self.pointer);
        // Where the body is written in the spec, to tell an absent `explode` from a `false` one.
        let written_at = match reference {
            ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_owned(),
            ReferenceOr::Item(_) => pointer.clone(),
        };
        let mut contents = Vec::new();
        for (media_type, content) in &body.content {
            let content_pointer = format!("{pointer}/content/{}", escape_pointer(media_type));
            let schema = content
                .schema
                .as_ref()
                .and_then(|schema| resolve_schema(spec, schema));
            let Some(encodable) = content_encoding(spec, media_type, content) else {
                self.cx.notes.push(Note {
                    pointer: content_pointer,
                    message: format!(
                        "request body of media type `{media_type}` cannot be encoded by the \
                         client; the operation is generated without it"
                    ),
                });
                continue;
            };
            let version = media_type_version(media_type).map(|date| ApiVersion(date.to_owned()));
            let hint = format!(
                "{builder}Body{}",
                version_suffix(version.as_ref(), body.content.len())
            );
            let typed = |cx: &mut super::super::schema::SchemaCx<'_>| match &content.schema {
                Some(schema) => cx.type_ref(
                    SchemaRef::from(schema),
                    &hint,
                    &format!("{content_pointer}/schema"),
                ),
                None => TypeRef::Primitive(crate::model::Primitive::String),
            };
            let (body_type, encoding) = match encodable {
                Encodable::Json => (typed(self.cx), BodyEncoding::Json),
                Encodable::Raw => (typed(self.cx), BodyEncoding::Raw),
                Encodable::Form => (
                    typed(self.cx),
                    BodyEncoding::Form {
                        fields: form_fields(
                            content,
                            &spec.raw,
                            &format!("{written_at}/content/{}", escape_pointer(media_type)),
                        ),
                    },
                ),
                Encodable::Multipart => {
                    let Some(parts) =
                        self.multipart_parts(&hint, content, schema, &content_pointer)
                    else {
                        self.cx.notes.push(Note {
                            pointer: format!("{content_pointer}/schema"),
                            message: format!(
                                "a `{media_type}` body must be an object with properties to be \
                                 sent as parts; the operation is generated without it"
                            ),
                        });
                        continue;
                    };
                    (TypeRef::Any, BodyEncoding::Multipart { parts })
                }
            };
            contents.push(RequestContent {
                media_type: media_type.clone(),
                version,
                body: body_type,
                encoding,
                // Named below, once the media types a caller picks among are known.
                variant: TypeName(String::new()),
                versions: Vec::new(),
                sunset: sunset(content),
                limits: body_limits(spec, content.schema.as_ref()),
            });
        }
        contents.sort_by(|a, b| a.version.cmp(&b.version));
        if contents.is_empty() {
            return None;
        }
        let newest_version = contents.last().and_then(|c| c.version.clone());
        let (older, newest): (Vec<&RequestContent>, Vec<&RequestContent>) =
            contents.iter().partition(|c| c.version != newest_version);
        let sent_as_newest = |c: &RequestContent| {
            newest
                .iter()
                .any(|n| n.body == c.body && n.encoding == c.encoding)
        };
        let differing: Vec<&str> = older
            .iter()
            .filter(|c| !sent_as_newest(c))
            .map(|c| c.media_type.as_str())
            .collect();
        // Where each version takes one media type, the caller picks a version's body by its
        // type; several media types in one version would make the pick ambiguous.
        let one_per_version = contents
            .windows(2)
            .all(|pair| pair[0].version != pair[1].version);
        let (choices, by_version) = if differing.is_empty() {
            (newest.into_iter().cloned().collect(), false)
        } else if one_per_version {
            (version_choices(&contents), true)
        } else {
            if let Some(last) = newest.last() {
                self.cx.notes.push(Note {
                    pointer: pointer.clone(),
                    message: format!(
                        "the request body is typed after `{}`; the bodies of {} have other types and are not sent typed",
                        last.media_type,
                        differing.join(", ")
                    ),
                });
            }
            (newest.into_iter().cloned().collect(), false)
        };
        let mut request = RequestBody {
            required: body.required,
            description: body.description.clone(),
            contents,
            choices,
            by_version,
        };
        let mut scope = NameScope::new();
        let several = request.choices.len() > 1;
        for (index, choice) in request.choices.iter_mut().enumerate() {
            let wanted = match (&choice.version, by_version) {
                (Some(version), true) => names::version_variant(&version.0),
                _ => names::variant_name(&choice.media_type, index),
            };
            choice.variant = if several {
                let (given, collision) = scope.claim(&choice.media_type, wanted);
                if let Some(collision) = collision {
                    self.cx.notes.push(Note {
                        pointer: pointer.clone(),
                        message: collision.describe("media types"),
                    });
                }
                TypeName(given)
            } else {
                TypeName(wanted)
            };
        }
        Some(request)
    }

    /// The parts of a multipart body: one per property of its object schema, in the spec's
    /// order; a `format: binary` string (or an array of them) is a file. `None` when the
    /// schema is not an object with properties.
    fn multipart_parts(
        &mut self,
        hint: &str,
        content: &openapiv3::MediaType,
        schema: Option<&Schema>,
        content_pointer: &str,
    ) -> Option<Vec<MultipartPart>> {
        let SchemaKind::Type(Type::Object(object)) = &schema?.schema_kind else {
            return None;
        };
        if object.properties.is_empty() {
            return None;
        }
        let spec = self.cx.spec;
        // Where the properties are written: inline, or in the component the schema names.
        let properties_pointer = match content.schema.as_ref()? {
            ReferenceOr::Reference { reference } => {
                format!("{}/properties", reference.trim_start_matches('#'))
            }
            ReferenceOr::Item(_) => format!("{content_pointer}/schema/properties"),
        };
        let mut scope = NameScope::new();
        // The multipart struct's own constructor.
        scope.reserve("new");
        let mut parts = Vec::new();
        for (name, property) in &object.properties {
            let pointer = format!("{properties_pointer}/{}", escape_pointer(name));
            let resolved = resolve_boxed(spec, property);
            let kind = match resolved.map(|s| &s.schema_kind) {
                Some(kind) if is_binary_kind(kind) => PartKind::File,
                Some(SchemaKind::Type(Type::Array(array)))
                    if array
                        .items
                        .as_ref()
                        .and_then(|items| resolve_boxed(spec, items))
                        .is_some_and(|items| is_binary_kind(&items.schema_kind)) =>
                {
                    PartKind::Files
                }
                _ => PartKind::Text(self.cx.type_ref(
                    SchemaRef::from(property),
                    &format!("{hint}{}", names::type_name(name).unwrap_or_default()),
                    &pointer,
                )),
            };
            let wanted = match names::field_name(name) {
                Ok(wanted) => wanted,
                Err(message) => {
                    self.cx.notes.push(Note {
                        pointer,
                        message: format!("{message}; the part is left out"),
                    });
                    continue;
                }
            };
            let (ident, collision) = scope.claim(name, wanted);
            if let Some(c) = collision {
                let message = if c.first.is_empty() {
                    format!(
                        "part `{}` would be `{}`, which the multipart body defines itself; it \
                         is named `{}`",
                        c.second, c.wanted, c.given
                    )
                } else {
                    format!(
                        "parts `{}` and `{}` both become `{}`; the second is named `{}`",
                        c.first, c.second, c.wanted, c.given
                    )
                };
                self.cx.notes.push(Note {
                    pointer: pointer.clone(),
                    message,
                });
            }
            let content_type = content
                .encoding
                .get(name)
                .and_then(|encoding| encoding.content_type.as_deref())
                .map(str::trim)
                .filter(|content_type| is_concrete(content_type))
                .map(str::to_owned);
            parts.push(MultipartPart {
                name: name.clone(),
                ident: FieldName(ident),
                required: object.required.contains(name),
                description: resolved.and_then(|s| s.schema_data.description.clone()),
                kind,
                content_type,
            });
        }
        Some(parts)
    }
}

/// The bodies a caller picks among when versions differ in body type: one per type, as the
/// newest version that takes it (the one sent when the client is not pinned), oldest first,
/// with the versions it stands for.
fn version_choices(contents: &[RequestContent]) -> Vec<RequestContent> {
    let mut choices: Vec<RequestContent> = Vec::new();
    for content in contents {
        let same = choices
            .iter_mut()
            .find(|c| c.body == content.body && c.encoding == content.encoding);
        match same {
            Some(choice) => {
                choice.media_type = content.media_type.clone();
                choice.version = content.version.clone();
                choice.versions.push(content.version.clone());
            }
            None => choices.push(RequestContent {
                versions: vec![content.version.clone()],
                ..content.clone()
            }),
        }
    }
    choices
}

/// The schema a body's schema is or names.
fn resolve_schema<'s>(spec: &'s LoadedSpec, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
    resolve_component(spec, schema)
}

fn is_binary_kind(kind: &SchemaKind) -> bool {
    matches!(
        kind,
        SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}

/// The properties of a form body whose `encoding` says how to write them, sorted by name.
/// openapiv3 reads an absent `explode` as `false`, but OpenAPI's default is `true` for the
/// `form` style, so the spec's own text decides whether it was written.
fn form_fields(
    content: &openapiv3::MediaType,
    raw: &serde_json::Value,
    content_pointer: &str,
) -> Vec<FormField> {
    let mut fields: Vec<FormField> = content
        .encoding
        .iter()
        .map(|(name, encoding)| {
            let style = match encoding.style {
                None | Some(QueryStyle::Form) => FormStyle::Form,
                Some(QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
                Some(QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
                Some(QueryStyle::DeepObject) => FormStyle::DeepObject,
            };
            let written = raw
                .pointer(&format!(
                    "{content_pointer}/encoding/{}/explode",
                    escape_pointer(name)
                ))
                .and_then(serde_json::Value::as_bool);
            FormField {
                name: name.clone(),
                style,
                explode: written.unwrap_or(style == FormStyle::Form),
            }
        })
        .collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    fields
}
