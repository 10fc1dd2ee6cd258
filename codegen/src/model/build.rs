//! Build: turns a validated [`LoadedSpec`] into the [`ApiModel`]. Operations are resolved here
//! (shared and per-operation parameters merged, `$ref`s to components followed, responses split
//! by media-type version) so that nothing downstream sees how the spec happened to be written.

use super::pagination::detect_pagination;
use super::schema::{SchemaCx, SchemaRef};
use super::{
    ApiGeneration, ApiModel, ApiVersion, AuthOption, Deprecation, ErrorResponse, FieldName,
    HttpMethod, Note, Operation, OperationId, ParamLocation, Parameter, RequestBody,
    RequestContent, SecurityScheme, SuccessResponse, TypeName, TypeRef,
};
use crate::error::{CodegenError, Diagnostic};
use crate::load::{escape_pointer, LoadedSpec};
use crate::names::{self, NameScope};
use openapiv3::{ParameterSchemaOrContent, ReferenceOr, StatusCode};
use std::collections::BTreeMap;

/// Operations under this prefix belong to the deprecated v1.0 generation of the Atlas API:
/// plain `application/json`, Digest only, emitted in a module of their own.
pub const LEGACY_PATH_PREFIX: &str = "/api/atlas/v1.0/";

/// Validates the spec and builds its model, or returns every problem found.
pub fn build_model(spec: &LoadedSpec) -> Result<ApiModel, CodegenError> {
    let mut problems = crate::validate::validate(spec);
    if !problems.is_empty() {
        spec.locate(&mut problems);
        return Err(CodegenError::Invalid(problems));
    }
    let mut cx = SchemaCx::new(spec);
    cx.define_components();
    let security_schemes = security_schemes(spec);
    let mut builder_scope = NameScope::new();
    let mut method_scope = NameScope::new();
    let mut operations = Vec::new();
    for (path, item) in spec.openapi.paths.iter() {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        // Path items by reference only exist as external references in OpenAPI 3.0, which
        // validation refuses.
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(http_method) = http_method(method) else {
                continue;
            };
            let pointer = format!("{item_pointer}/{method}");
            let mut op_builder = OperationBuilder {
                cx: &mut cx,
                pointer: &pointer,
                schemes: &security_schemes,
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
    let SchemaCx {
        types,
        notes,
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
        base_url: spec.openapi.servers.first().map(|s| s.url.clone()),
        operations,
        types,
        security_schemes,
        error_body,
        notes,
        fixups,
    })
}

fn http_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => return None,
    })
}

/// A kind of reusable object under `#/components`, so one function can follow references to
/// any of them.
trait Component: Sized {
    const KIND: &'static str;
    fn table(components: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $kind:literal, $field:ident) => {
        impl Component for $ty {
            const KIND: &'static str = $kind;
            fn table(
                components: &openapiv3::Components,
            ) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}
component!(openapiv3::Parameter, "parameters", parameters);
component!(openapiv3::Response, "responses", responses);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);

/// Follows `#/components/{kind}/{name}` references (validation has proven they resolve) to the
/// object itself. A reference of another shape resolves to nothing; validation reports those.
fn resolve_component<'s, T: Component>(
    spec: &'s LoadedSpec,
    mut item: &'s ReferenceOr<T>,
) -> Option<&'s T> {
    let components = spec.openapi.components.as_ref();
    // Bounded: a cycle of component references would otherwise never end.
    for _ in 0..16 {
        match item {
            ReferenceOr::Item(found) => return Some(found),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{}/", T::KIND);
                let name = crate::load::unescape_pointer(reference.strip_prefix(&prefix)?);
                item = T::table(components?).get(&name)?;
            }
        }
    }
    None
}

struct OperationBuilder<'a, 's> {
    cx: &'a mut SchemaCx<'s>,
    pointer: &'a str,
    schemes: &'a BTreeMap<String, SecurityScheme>,
}

impl OperationBuilder<'_, '_> {
    fn build(
        &mut self,
        path: &str,
        http_method: HttpMethod,
        shared_params: &[ReferenceOr<openapiv3::Parameter>],
        op: &openapiv3::Operation,
        builder_scope: &mut NameScope,
        method_scope: &mut NameScope,
    ) -> Option<Operation> {
        // Validation guarantees an operationId on every operation.
        let id = op.operation_id.clone()?;
        let builder_name = self.claim(builder_scope, &id, names::type_name(&id))?;
        let method_name = self.claim(method_scope, &id, names::field_name(&id))?;
        let params = self.parameters(path, &builder_name, shared_params, &op.parameters);
        let request = self.request_body(&builder_name, op);
        let (responses, errors) = self.responses(&builder_name, op);
        let spec = self.cx.spec;
        let requirements = op.security.as_ref().or(spec.openapi.security.as_ref());
        let security = requirements
            .map(|requirements| {
                let mut names: Vec<String> = Vec::new();
                for name in requirements.iter().flat_map(|r| r.keys()) {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                names
            })
            .unwrap_or_default();
        let anonymous = requirements.is_some_and(|r| r.iter().any(|r| r.is_empty()));
        let auth = if anonymous {
            Vec::new()
        } else {
            self.auth_options(&security)
        };
        let text_extension = |key: &str| {
            op.extensions
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let sunset = text_extension("x-sunset");
        let replaced_by = text_extension("x-replaced-by").map(OperationId);
        let deprecation =
            (op.deprecated || sunset.is_some() || replaced_by.is_some()).then_some(Deprecation {
                sunset,
                replaced_by,
            });
        let generation = if path.starts_with(LEGACY_PATH_PREFIX) {
            ApiGeneration::Legacy
        } else {
            ApiGeneration::Current
        };
        let mut operation = Operation {
            id: OperationId(id),
            method_name: FieldName(method_name),
            builder_name: TypeName(builder_name),
            http_method,
            path: path.to_owned(),
            pointer: self.pointer.to_owned(),
            generation,
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecation,
            params,
            request,
            responses,
            errors,
            security,
            auth,
            pagination: None,
        };
        operation.pagination = detect_pagination(&operation, &self.cx.types);
        Some(operation)
    }

    /// Each named scheme with its kind. A requirement that combines several schemes is read as
    /// alternatives, since a client holds one kind of credentials. A name missing from
    /// `components/securitySchemes` becomes an `Other` kind that no credentials satisfy, and
    /// is noted.
    fn auth_options(&mut self, names: &[String]) -> Vec<AuthOption> {
        let mut options = Vec::new();
        for name in names {
            let kind = match self.schemes.get(name) {
                Some(kind) => kind.clone(),
                None => {
                    self.cx.notes.push(Note {
                        pointer: format!("{}/security", self.pointer),
                        message: format!(
                            "security scheme `{name}` is not declared under \
                             components/securitySchemes; no credentials will satisfy it"
                        ),
                    });
                    SecurityScheme::Other("undeclared".to_owned())
                }
            };
            options.push(AuthOption {
                scheme: name.clone(),
                kind,
            });
        }
        options
    }

    fn claim(
        &mut self,
        scope: &mut NameScope,
        raw: &str,
        wanted: Result<String, String>,
    ) -> Option<String> {
        match wanted {
            Ok(wanted) => {
                let (given, collision) = scope.claim(raw, wanted);
                if let Some(c) = collision {
                    self.cx.notes.push(Note {
                        pointer: self.pointer.to_owned(),
                        message: format!(
                            "operations `{}` and `{}` both become `{}`; the second is named `{}`",
                            c.first, c.second, c.wanted, c.given
                        ),
                    });
                }
                Some(given)
            }
            Err(message) => {
                self.problem(format!("{}/operationId", self.pointer), message);
                None
            }
        }
    }

    fn problem(&mut self, pointer: String, message: String) {
        let file = self.cx.spec.file.clone();
        self.cx
            .problems
            .push(Diagnostic::new(&file, pointer, message));
    }

    /// Path-item parameters overridden by operation parameters of the same name and location;
    /// path parameters in template order, then query and header parameters by wire name.
    fn parameters(
        &mut self,
        path: &str,
        builder: &str,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        own: &[ReferenceOr<openapiv3::Parameter>],
    ) -> Vec<Parameter> {
        let item_pointer = self
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let spec = self.cx.spec;
        let mut merged: BTreeMap<(ParamLocation, String), (String, &openapiv3::Parameter)> =
            BTreeMap::new();
        let listed = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{item_pointer}/parameters/{i}"), p))
            .chain(
                own.iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{}/parameters/{i}", self.pointer), p)),
            );
        for (pointer, param) in listed {
            let Some(param) = resolve_component(spec, param) else {
                continue;
            };
            let location = match param {
                openapiv3::Parameter::Path { .. } => ParamLocation::Path,
                openapiv3::Parameter::Query { .. } => ParamLocation::Query,
                openapiv3::Parameter::Header { .. } => ParamLocation::Header,
                // Refused by validation.
                openapiv3::Parameter::Cookie { .. } => continue,
            };
            let name = param.parameter_data_ref().name.clone();
            merged.insert((location, name), (pointer, param));
        }

        let mut scope = NameScope::new();
        let mut out = Vec::new();
        let template = crate::validate::template_names(path);
        let mut ordered: Vec<_> = merged.into_iter().collect();
        ordered.sort_by_key(|((location, name), _)| {
            let place = template
                .iter()
                .position(|t| t == name)
                .unwrap_or(usize::MAX);
            (*location, place, name.clone())
        });
        for ((location, name), (pointer, param)) in ordered {
            let data = param.parameter_data_ref();
            let ident = match names::field_name(&name) {
                Ok(wanted) => {
                    let (given, collision) = scope.claim(&name, wanted);
                    if let Some(c) = collision {
                        self.cx.notes.push(Note {
                            pointer: pointer.clone(),
                            message: format!(
                                "parameters `{}` and `{}` both become `{}`; the second is named `{}`",
                                c.first, c.second, c.wanted, c.given
                            ),
                        });
                    }
                    given
                }
                Err(message) => {
                    self.problem(pointer, message);
                    continue;
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                // Refused by validation.
                continue;
            };
            let schema_pointer = format!("{pointer}/schema");
            let hint = format!("{builder}{}", names::type_name(&name).unwrap_or_default());
            let ty = self
                .cx
                .type_ref(SchemaRef::from(schema), &hint, &schema_pointer);
            let resolved = self.cx.resolve_schema(schema);
            let constraints = resolved
                .map(|s| self.cx.parameter_constraints(s, &schema_pointer))
                .unwrap_or_default();
            let default = resolved.and_then(|s| s.schema_data.default.clone());
            out.push(Parameter {
                name,
                ident: FieldName(ident),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                constraints,
                default,
            });
        }
        out
    }

    fn request_body(&mut self, builder: &str, op: &openapiv3::Operation) -> Option<RequestBody> {
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

    fn responses(
        &mut self,
        builder: &str,
        op: &openapiv3::Operation,
    ) -> (Vec<SuccessResponse>, Vec<ErrorResponse>) {
        let spec = self.cx.spec;
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, response) in &op.responses.responses {
            let code = match status {
                StatusCode::Code(code) => *code,
                StatusCode::Range(range) => range * 100,
            };
            let pointer = format!("{}/responses/{status}", self.pointer);
            let Some(response) = resolve_component(spec, response) else {
                continue;
            };
            let headers: Vec<String> = response.headers.keys().cloned().collect();
            if (200..300).contains(&code) {
                if response.content.is_empty() {
                    success.push(SuccessResponse {
                        status: code,
                        media_type: String::new(),
                        version: None,
                        body: None,
                        headers: headers.clone(),
                    });
                }
                let count = response.content.len();
                for (media_type, content) in &response.content {
                    let version = media_type_version(media_type);
                    let content_pointer =
                        format!("{pointer}/content/{}/schema", escape_pointer(media_type));
                    let body = content.schema.as_ref().map(|schema| {
                        if is_json(media_type) {
                            let hint = format!("{builder}Response{}", version_suffix(version.as_ref(), count));
                            self.cx.type_ref(SchemaRef::from(schema), &hint, &content_pointer)
                        } else {
                            self.cx.notes.push(Note {
                                pointer: content_pointer.clone(),
                                message: format!("response of media type `{media_type}` is returned as raw bytes"),
                            });
                            TypeRef::Any
                        }
                    });
                    success.push(SuccessResponse {
                        status: code,
                        media_type: media_type.clone(),
                        version,
                        body,
                        headers: headers.clone(),
                    });
                }
            } else if code >= 400 {
                let (media_type, body) = match response.content.iter().find(|(m, _)| is_json(m)) {
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

    /// A client asks for one media type per version (the last listed); any other media type of
    /// that version cannot be requested, which is worth a note.
    fn note_unreachable_media_types(&mut self, success: &[SuccessResponse]) {
        for response in success.iter().filter(|r| r.version.is_some()) {
            let asked = success
                .iter()
                .rev()
                .find(|r| r.version == response.version && !r.media_type.is_empty());
            let Some(asked) = asked.filter(|a| a.media_type != response.media_type) else {
                continue;
            };
            let message = format!(
                "`{}` is not requested: for version {} the client asks for `{}`",
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

/// `application/vnd.atlas.2023-01-01+json` → `2023-01-01`; other media types carry no version.
pub fn media_type_version(media_type: &str) -> Option<ApiVersion> {
    let rest = media_type.strip_prefix("application/vnd.atlas.")?;
    let date = rest.split('+').next()?;
    let well_formed = date.len() == 10
        && date.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    well_formed.then(|| ApiVersion(date.to_owned()))
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// Inline types of an operation with several versions get the version in their name.
fn version_suffix(version: Option<&ApiVersion>, count: usize) -> String {
    match version {
        Some(v) if count > 1 => v.0.replace('-', ""),
        _ => String::new(),
    }
}

fn security_schemes(spec: &LoadedSpec) -> BTreeMap<String, SecurityScheme> {
    let Some(components) = &spec.openapi.components else {
        return BTreeMap::new();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| {
            let ReferenceOr::Item(scheme) = scheme else {
                return None;
            };
            let kind = match scheme {
                openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "digest" => SecurityScheme::HttpDigest,
                        "bearer" => SecurityScheme::HttpBearer,
                        "basic" => SecurityScheme::HttpBasic,
                        other => SecurityScheme::Other(format!("http {other}")),
                    }
                }
                openapiv3::SecurityScheme::OAuth2 { flows, .. } => {
                    match &flows.client_credentials {
                        Some(flow) => SecurityScheme::OAuth2ClientCredentials {
                            token_url: flow.token_url.clone(),
                        },
                        None => SecurityScheme::Other("oauth2".to_owned()),
                    }
                }
                openapiv3::SecurityScheme::APIKey { location, name, .. } => {
                    SecurityScheme::ApiKey {
                        name: name.clone(),
                        location: format!("{location:?}").to_ascii_lowercase(),
                    }
                }
                openapiv3::SecurityScheme::OpenIDConnect { .. } => {
                    SecurityScheme::Other("openIdConnect".to_owned())
                }
            };
            Some((name.clone(), kind))
        })
        .collect()
}

/// The error body type, when every error response with a body uses the same one.
fn shared_error_body(operations: &[Operation]) -> Option<TypeRef> {
    let mut bodies = operations
        .iter()
        .flat_map(|op| op.errors.iter().filter_map(|e| e.body.as_ref()));
    let first = bodies.next()?;
    bodies.all(|b| b == first).then(|| first.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_options_follow_the_security_requirements() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
security:
  - Keys: []
paths:
  /inherited:
    get:
      operationId: inherited
      responses: {'200': {description: ok}}
  /either:
    get:
      operationId: either
      security: [{Tokens: []}, {Keys: []}]
      responses: {'200': {description: ok}}
  /optional:
    get:
      operationId: optional
      security: [{Keys: []}, {}]
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: open
      security: []
      responses: {'200': {description: ok}}
  /undeclared:
    get:
      operationId: undeclared
      security: [{Nowhere: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    Keys: {type: http, scheme: digest}
    Tokens:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {}}}
"#;
        let spec =
            crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml).unwrap();
        let model = build_model(&spec).unwrap();
        let auth = |id: &str| -> Vec<(String, SecurityScheme)> {
            let op = model.operations.iter().find(|op| op.id.0 == id).unwrap();
            op.auth
                .iter()
                .map(|o| (o.scheme.clone(), o.kind.clone()))
                .collect()
        };
        let keys = ("Keys".to_owned(), SecurityScheme::HttpDigest);
        let tokens = (
            "Tokens".to_owned(),
            SecurityScheme::OAuth2ClientCredentials {
                token_url: "https://x/token".into(),
            },
        );
        assert_eq!(auth("either"), [tokens, keys.clone()]);
        assert_eq!(auth("inherited"), [keys]);
        assert_eq!(
            auth("optional"),
            [],
            "anonymous calls allowed: no restriction"
        );
        assert_eq!(auth("open"), []);
        assert_eq!(
            auth("undeclared"),
            [(
                "Nowhere".to_owned(),
                SecurityScheme::Other("undeclared".into())
            )]
        );
        let note = model
            .notes
            .iter()
            .find(|n| n.message.contains("`Nowhere`"))
            .expect("an undeclared scheme is noted");
        assert_eq!(note.pointer, "/paths/~1undeclared/get/security");
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
        let model = build_model(&spec).unwrap();
        assert_eq!(model.fixups.count(crate::model::Fixup::DeclaredType), 1);
        assert_eq!(model.fixups.never_applied(), []);
        assert!(model
            .notes
            .iter()
            .any(|n| n.pointer == "/components/schemas/Half"));
    }

    #[test]
    fn versions_come_from_atlas_media_types_only() {
        let version = |m: &str| media_type_version(m).map(|v| v.0);
        assert_eq!(
            version("application/vnd.atlas.2023-01-01+json").as_deref(),
            Some("2023-01-01")
        );
        assert_eq!(
            version("application/vnd.atlas.2024-11-13+gzip").as_deref(),
            Some("2024-11-13")
        );
        assert_eq!(version("application/json"), None);
        assert_eq!(version("application/vnd.atlas.latest+json"), None);
    }
}
