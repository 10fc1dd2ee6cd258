//! Responses: success responses one per media type and version, error responses by status, and
//! a note for media types a client cannot ask for.

use super::super::schema::SchemaRef;
use super::components::resolve_component;
use super::media::{body_limits, is_json, sunset, version_suffix};
use super::operation::OperationBuilder;
use super::untyped::{response_headers, value_schema};
use crate::dialect::{media_type_version, ERROR_CODE_FIELD};
use crate::load::escape_pointer;
use crate::model::ApiVersion;
use crate::model::{ErrorResponse, HttpMethod, Note, SuccessResponse, TypeRef};
use openapiv3::StatusCode;

/// The `errorCode` of an error response's example: the `example`, else the first of its
/// `examples` (with a `$ref` to a component example followed once).
fn example_error_code(spec: &openapiv3::OpenAPI, content: &openapiv3::MediaType) -> Option<String> {
    let from = |value: &serde_json::Value| Some(value.get(ERROR_CODE_FIELD)?.as_str()?.to_owned());
    if let Some(example) = &content.example {
        return from(example);
    }
    let first = content.examples.values().next()?;
    let example = match first {
        openapiv3::ReferenceOr::Item(example) => example,
        openapiv3::ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/examples/")?;
            spec.components.as_ref()?.examples.get(name)?.as_item()?
        }
    };
    from(example.value.as_ref()?)
}

impl OperationBuilder<'_, '_> {
    pub(super) fn responses(
        &mut self,
        builder: &str,
        method: HttpMethod,
        op: &openapiv3::Operation,
    ) -> (Vec<SuccessResponse>, Vec<ErrorResponse>) {
        let spec = self.cx.spec;
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let code_of = |status: &StatusCode| match status {
            StatusCode::Code(code) => *code,
            StatusCode::Range(range) => range * 100,
        };
        let mut listed: Vec<(u16, String, &openapiv3::ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(status, response)| (code_of(status), status.to_string(), response))
            .collect();
        // An operation that describes no success answer but a `default` one (as dropshot writes
        // free-form answers: `default` of `*/*`) answers successfully with what `default` says;
        // read as an error answer, the client would ask for JSON and be refused.
        if !listed.iter().any(|(code, ..)| (200..300).contains(code)) {
            if let Some(default) = &op.responses.default {
                listed.push((200, "default".to_owned(), default));
            }
        }
        // An operation whose only answers are redirects (Oxide's SAML login answers 303, some of
        // Twilio's 307 with a body) has the redirect as its result: the client returns it
        // rather than following it (see `Operation::redirect_is_answer`).
        let results = match listed.iter().any(|(code, ..)| (200..300).contains(code)) {
            true => 200..300,
            false => 300..400,
        };
        for (code, status, response) in listed {
            let pointer = format!("{}/responses/{status}", self.pointer);
            let Some(response) = resolve_component(spec, response) else {
                continue;
            };
            let headers = response_headers(spec, response);
            if results.contains(&code) {
                if response.content.is_empty() {
                    success.push(SuccessResponse {
                        status: code,
                        media_type: String::new(),
                        version: None,
                        body: None,
                        headers: headers.clone(),
                        sunset: None,
                        limits: Default::default(),
                        raw_schema: None,
                    });
                }
                let count = response.content.len();
                for (media_type, content) in &response.content {
                    let version =
                        media_type_version(media_type).map(|date| ApiVersion(date.to_owned()));
                    let content_pointer =
                        format!("{pointer}/content/{}/schema", escape_pointer(media_type));
                    // A HEAD answer has the media type (so the version is negotiated as for
                    // GET) and no body to type.
                    let schema = content.schema.as_ref().filter(|_| method.answer_has_body());
                    // Any other media type (an archive, CSV) is handed back as bytes, or
                    // unread by `send_stream()`.
                    let body = schema.map(|schema| {
                        if is_json(media_type) {
                            let hint = format!(
                                "{builder}Response{}",
                                version_suffix(version.as_ref(), count)
                            );
                            self.cx
                                .type_ref(SchemaRef::from(schema), &hint, &content_pointer)
                        } else {
                            TypeRef::Any
                        }
                    });
                    success.push(SuccessResponse {
                        status: code,
                        media_type: media_type.clone(),
                        version,
                        body,
                        headers: headers.clone(),
                        sunset: sunset(content),
                        limits: body_limits(spec, content.schema.as_ref()),
                        raw_schema: schema
                            .filter(|_| !is_json(media_type))
                            .and_then(|schema| resolve_component(spec, schema))
                            .map(|schema| value_schema(spec, schema)),
                    });
                }
            } else if code >= 400 {
                let json = response.content.iter().find(|(m, _)| is_json(m));
                let example_code =
                    json.and_then(|(_, content)| example_error_code(&spec.openapi, content));
                let (media_type, body) = match json {
                    Some((media_type, content)) => {
                        let content_pointer =
                            format!("{pointer}/content/{}/schema", escape_pointer(media_type));
                        let hint = format!("{builder}Error{code}");
                        let body = content.schema.as_ref().map(|schema| {
                            self.cx
                                .type_ref(SchemaRef::from(schema), &hint, &content_pointer)
                        });
                        (Some(media_type.clone()), body)
                    }
                    None => (None, None),
                };
                errors.push(ErrorResponse {
                    status: code,
                    media_type,
                    body,
                    headers,
                    example_code,
                });
            }
        }
        success.sort_by(|a, b| {
            (a.version.as_ref(), a.status, &a.media_type).cmp(&(
                b.version.as_ref(),
                b.status,
                &b.media_type,
            ))
        });
        errors.sort_by_key(|e| e.status);
        self.note_unreachable_media_types(&success);
        (success, errors)
    }

    /// A client asks for two media types per version: `send()` for the last listed, and
    /// `send_stream()` for the last that is not JSON; any other media type of that version
    /// cannot be requested, which is worth a note.
    fn note_unreachable_media_types(&mut self, success: &[SuccessResponse]) {
        for response in success.iter().filter(|r| r.version.is_some()) {
            let of_version = || {
                success
                    .iter()
                    .rev()
                    .filter(|r| r.version == response.version && !r.media_type.is_empty())
            };
            let streamed = of_version().find(|r| !is_json(&r.media_type));
            if streamed.is_some_and(|s| s.media_type == response.media_type) {
                continue;
            }
            let Some(asked) = of_version()
                .next()
                .filter(|a| a.media_type != response.media_type)
            else {
                continue;
            };
            let also = streamed
                .filter(|s| s.media_type != asked.media_type)
                .map(|s| format!(" and, with `send_stream()`, for `{}`", s.media_type))
                .unwrap_or_default();
            let message = format!(
                "`{}` is not requested: for version {} the client asks for `{}`{also}",
                response.media_type,
                response.version.as_ref().map_or("", |v| v.as_str()),
                asked.media_type
            );
            if !self
                .cx
                .notes
                .iter()
                .any(|n| n.message == message && n.pointer == self.pointer)
            {
                self.cx.notes.push(Note {
                    pointer: self.pointer.to_owned(),
                    message,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_default_answer_is_the_success_of_an_operation_that_lists_none() {
        let model = super::super::model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /download:
    get:
      operationId: download
      responses:
        default:
          description: any answer
          content: {'*/*': {schema: {}}}
  /thing:
    get:
      operationId: getThing
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
        default: {description: error, content: {application/json: {schema: {type: integer}}}}
"#,
        );
        let read = |id: &str| {
            let op = model.operations.iter().find(|op| op.id.0 == id).unwrap();
            op.responses
                .iter()
                .map(|r| (r.status, r.media_type.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(read("download"), [(200, "*/*".to_owned())]);
        // Beside a listed success, `default` stays what it was: not a success.
        assert_eq!(read("getThing"), [(200, "application/json".to_owned())]);
    }

    #[test]
    fn responses_come_oldest_version_first_with_errors_by_status() {
        let model = super::super::model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/vnd.atlas.2024-11-13+json: {schema: {type: string}}
            application/vnd.atlas.2023-01-01+json: {schema: {type: integer}}
            application/vnd.atlas.2023-01-01+csv: {schema: {type: string}}
            application/vnd.atlas.2023-01-01+gzip: {schema: {type: string}}
        '404': {description: missing, content: {application/json: {schema: {type: string}}}}
        '400': {description: bad}
"#,
        );
        let op = &model.operations[0];
        let media: Vec<&str> = op.responses.iter().map(|r| r.media_type.as_str()).collect();
        assert_eq!(
            media,
            [
                "application/vnd.atlas.2023-01-01+csv",
                "application/vnd.atlas.2023-01-01+gzip",
                "application/vnd.atlas.2023-01-01+json",
                "application/vnd.atlas.2024-11-13+json",
            ]
        );
        let errors: Vec<(u16, bool)> = op
            .errors
            .iter()
            .map(|e| (e.status, e.body.is_some()))
            .collect();
        assert_eq!(errors, [(400, false), (404, true)]);
        // `send()` asks for the JSON, `send_stream()` for the last other media type: the gzip.
        let unreachable: Vec<&str> = model.notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            unreachable,
            ["`application/vnd.atlas.2023-01-01+csv` is not requested: for version 2023-01-01 the client asks for `application/vnd.atlas.2023-01-01+json` and, with `send_stream()`, for `application/vnd.atlas.2023-01-01+gzip`"]
        );
    }
}
