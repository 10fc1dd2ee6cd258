//! Request body: one typed content per media type, oldest version first, with a note when older
//! versions cannot be sent typed.

use super::super::schema::SchemaRef;
use super::components::resolve_component;
use super::media::{is_json, version_suffix};
use super::operation::OperationBuilder;
use crate::dialect::media_type_version;
use crate::load::escape_pointer;
use crate::model::{Note, RequestBody, RequestContent, TypeRef};

impl OperationBuilder<'_, '_> {
    pub(super) fn request_body(
        &mut self,
        builder: &str,
        op: &openapiv3::Operation,
    ) -> Option<RequestBody> {
        let body = op.request_body.as_ref()?;
        let spec = self.cx.spec;
        let body = resolve_component(spec, body)?;
        let pointer = format!("{}/requestBody", self.pointer);
        let mut contents = Vec::new();
        for (media_type, content) in &body.content {
            let content_pointer = format!("{pointer}/content/{}", escape_pointer(media_type));
            let version = media_type_version(media_type);
            let ty = match &content.schema {
                Some(schema) if is_json(media_type) => {
                    let hint = format!(
                        "{builder}Body{}",
                        version_suffix(version.as_ref(), body.content.len())
                    );
                    self.cx.type_ref(
                        SchemaRef::from(schema),
                        &hint,
                        &format!("{content_pointer}/schema"),
                    )
                }
                _ => {
                    self.cx.notes.push(Note {
                        pointer: content_pointer,
                        message: format!("request body of media type `{media_type}` is sent as raw JSON (`serde_json::Value`)"),
                    });
                    TypeRef::Any
                }
            };
            contents.push(RequestContent {
                media_type: media_type.clone(),
                version,
                body: ty,
            });
        }
        contents.sort_by(|a, b| a.version.cmp(&b.version));
        // The builder takes one body, of the newest version's type; older versions whose
        // bodies have other types cannot be sent typed.
        if let Some(newest) = contents.last() {
            let older: Vec<&str> = contents
                .iter()
                .filter(|c| c.body != newest.body)
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
        Some(RequestBody {
            required: body.required,
            description: body.description.clone(),
            contents,
        })
    }
}
