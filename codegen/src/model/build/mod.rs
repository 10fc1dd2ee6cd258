//! Build: turns a [`ValidatedSpec`] into the [`ApiModel`]. Operations are resolved here
//! (shared and per-operation parameters merged, `$ref`s to components followed, responses split
//! by media-type version) so that nothing downstream sees how the spec happened to be written.
//!
//! The parts: [`operation`] assembles each operation from its [`parameters`], its
//! [`request_body`] and its [`responses`]; [`security`] reads the schemes that authorize it;
//! [`media`] reads media types; [`components`] follows `#/components` references; [`waiters`]
//! reads the `x-waiters` of get operations; [`keys`] notes the keys OpenAPI does not define;
//! [`untyped`] reads what the differ compares of values the client does not type.

mod components;
mod keys;
mod media;
mod operation;
mod parameters;
mod request_body;
mod responses;
mod security;
mod untyped;
mod waiters;

use super::schema::SchemaCx;
use super::{ApiModel, HttpMethod, Operation, TypeRef};
use crate::error::CodegenError;
use crate::load::escape_pointer;
use crate::names::NameScope;
use crate::validate::ValidatedSpec;
use operation::OperationBuilder;
use security::security_schemes;

/// Builds the model of a validated spec, or returns every problem found on the way.
pub fn build_model(validated: &ValidatedSpec<'_>) -> Result<ApiModel, CodegenError> {
    let spec = validated.spec();
    let mut cx = SchemaCx::new(spec);
    cx.notes.extend(keys::unknown_keys(&spec.raw));
    cx.define_components();
    let (security_schemes, scheme_notes) = security_schemes(spec);
    cx.notes.extend(scheme_notes);
    let mut builder_scope = NameScope::new();
    let mut method_scope = NameScope::new();
    for name in crate::names::CLIENT_NAMES {
        method_scope.reserve(name);
    }
    let atlas_dialect = crate::dialect::speaks_atlas(&spec.raw);
    let mut operations = Vec::new();
    for (path, item) in spec.openapi.paths.iter() {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        // Path items by reference only exist as external references in OpenAPI 3.0, which
        // validation refuses.
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(http_method) = HttpMethod::from_key(method) else {
                continue;
            };
            let pointer = format!("{item_pointer}/{method}");
            let mut op_builder = OperationBuilder {
                cx: &mut cx,
                pointer: &pointer,
                schemes: &security_schemes,
                atlas: atlas_dialect,
            };
            if let Some(operation) = op_builder.build(
                path,
                http_method,
                &item.parameters,
                op,
                &mut builder_scope,
                &mut method_scope,
            ) {
                operations.push(operation);
            }
        }
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));

    let error_body = shared_error_body(&operations);
    let base_url = spec.openapi.servers.first().map(|server| {
        let (url, substituted) = server_url(server);
        if !substituted.is_empty() {
            cx.notes.push(super::Note {
                pointer: "/servers/0/url".to_owned(),
                message: format!(
                    "the server URL `{}` has variables; the base URL is `{url}`, with their \
                     defaults: {}",
                    server.url,
                    substituted.join(", ")
                ),
            });
        }
        url
    });
    let SchemaCx {
        types,
        notes,
        untyped,
        mut problems,
        fixups,
        ..
    } = cx;
    if !problems.is_empty() {
        spec.locate(&mut problems);
        return Err(CodegenError::Invalid(problems));
    }
    let info = &spec.openapi.info;
    Ok(ApiModel {
        source: spec.file.clone(),
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        base_url,
        tags: info_tags(&spec.openapi.tags),
        operations,
        types,
        security_schemes,
        error_body,
        notes,
        untyped,
        fixups,
        atlas_dialect,
    })
}

fn info_tags(tags: &[openapiv3::Tag]) -> Vec<super::Tag> {
    tags.iter()
        .map(|tag| super::Tag {
            name: tag.name.clone(),
            description: tag.description.clone(),
        })
        .collect()
}

/// A server's URL with each `{variable}` replaced by its default, and the replacements made
/// (`scheme = https`). A name without a variable is left as written.
fn server_url(server: &openapiv3::Server) -> (String, Vec<String>) {
    let mut url = String::new();
    let mut substituted = Vec::new();
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        url.push_str(&rest[..open]);
        match server.variables.as_ref().and_then(|v| v.get(name)) {
            Some(variable) => {
                url.push_str(&variable.default);
                substituted.push(format!("`{name}` = `{}`", variable.default));
            }
            None => url.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    url.push_str(rest);
    (url, substituted)
}

/// The error body type, when every error response with a body uses the same one.
fn shared_error_body(operations: &[Operation]) -> Option<TypeRef> {
    let mut bodies = operations
        .iter()
        .flat_map(|op| op.errors.iter().filter_map(|e| e.body.as_ref()));
    let first = bodies.next()?;
    bodies.all(|b| b == first).then(|| first.clone())
}

/// The model of a small spec, for the parts' tests.
#[cfg(test)]
fn model_of(text: &str) -> ApiModel {
    let spec = crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml).unwrap();
    build_model(&crate::validate::validate(&spec).unwrap()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_variables_take_their_defaults_with_a_note() {
        let model = model_of(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
servers:
  - url: '{scheme}://{host}/api/{undeclared}'
    variables:
      scheme: {default: https, enum: [https, http]}
      host: {default: api.example.com}
paths: {}
"#,
        );
        assert_eq!(
            model.base_url.as_deref(),
            Some("https://api.example.com/api/{undeclared}")
        );
        let notes: Vec<(&str, &str)> = model
            .notes
            .iter()
            .map(|n| (n.pointer.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [(
                "/servers/0/url",
                "the server URL `{scheme}://{host}/api/{undeclared}` has variables; the base URL \
                 is `https://api.example.com/api/{undeclared}`, with their defaults: `scheme` = \
                 `https`, `host` = `api.example.com`"
            )]
        );
        let plain = model_of("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.test'}]\npaths: {}\n");
        assert_eq!(plain.base_url.as_deref(), Some("https://x.test"));
        assert!(plain.notes.is_empty());
    }

    #[test]
    fn the_model_logs_the_fixups_that_applied() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Half: {type: integer, minimum: 0.5}
    Plain: {type: integer, minimum: 1}
"#;
        let spec =
            crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml).unwrap();
        let model = build_model(&crate::validate::validate(&spec).unwrap()).unwrap();
        assert_eq!(model.fixups.count(crate::model::Fixup::DeclaredType), 1);
        assert_eq!(model.fixups.never_applied(), []);
        assert!(model
            .notes
            .iter()
            .any(|n| n.pointer == "/components/schemas/Half"));
    }
}
