//! Request body: one typed content per media type the client can encode (JSON, forms), oldest
//! version first, with a note for each media type it cannot encode (never sent as another) and
//! when older versions cannot be sent typed.

use super::super::schema::SchemaRef;
use super::components::resolve_component;
use super::media::{request_encoding, version_suffix, Encodable};
use super::operation::OperationBuilder;
use crate::dialect::media_type_version;
use crate::load::escape_pointer;
use crate::model::ApiVersion;
use crate::model::{BodyEncoding, FormField, FormStyle, Note, RequestBody, RequestContent};
use openapiv3::{QueryStyle, ReferenceOr};

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
            let Some(encodable) = request_encoding(media_type) else {
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
            let body_type = match &content.schema {
                Some(schema) => self.cx.type_ref(
                    SchemaRef::from(schema),
                    &hint,
                    &format!("{content_pointer}/schema"),
                ),
                None => crate::model::TypeRef::Any,
            };
            let encoding = match encodable {
                Encodable::Json => BodyEncoding::Json,
                Encodable::Form => BodyEncoding::Form {
                    fields: form_fields(
                        content,
                        &spec.raw,
                        &format!("{written_at}/content/{}", escape_pointer(media_type)),
                    ),
                },
            };
            contents.push(RequestContent {
                media_type: media_type.clone(),
                version,
                body: body_type,
                encoding,
            });
        }
        contents.sort_by(|a, b| a.version.cmp(&b.version));
        // The builder takes one body, of the newest version's type; older versions whose
        // bodies have other types cannot be sent typed.
        if let Some(newest) = contents.last() {
            let older: Vec<&str> = contents
                .iter()
                .filter(|c| c.body != newest.body || c.encoding != newest.encoding)
                .map(|c| c.media_type.as_str())
                .collect();
            if !older.is_empty() {
                self.cx.notes.push(Note {
                    pointer: pointer.clone(),
                    message: format!(
                        "the request body is typed after `{}`; the bodies of {} have other types and are not sent typed",
                        newest.media_type,
                        older.join(", ")
                    ),
                });
            }
        }
        if contents.is_empty() {
            return None;
        }
        Some(RequestBody {
            required: body.required,
            description: body.description.clone(),
            contents,
        })
    }
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
