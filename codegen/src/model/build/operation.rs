//! Operations: one [`Operation`] of the model from one operation of the spec: its names, its
//! generation and deprecation, and the parts the sibling modules build.

use super::super::pagination::detect_pagination;
use super::super::schema::SchemaCx;
use crate::dialect::{
    generation_of, OPERATION_ID_OVERRIDE_EXTENSION, REPLACED_BY_EXTENSION, SUNSET_EXTENSION,
};
use crate::error::Diagnostic;
use crate::model::{
    Deprecation, FieldName, HttpMethod, Note, Operation, OperationId, SecurityScheme, TypeName,
};
use crate::names::{self, NameScope};
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

/// Builds one operation of the model; its parts are built by the sibling modules.
pub(super) struct OperationBuilder<'a, 's> {
    pub(super) cx: &'a mut SchemaCx<'s>,
    pub(super) pointer: &'a str,
    pub(super) schemes: &'a BTreeMap<String, SecurityScheme>,
    /// Whether the spec is Atlas's, whose conventions (`envelope`, `pretty`) then apply.
    pub(super) atlas: bool,
}

impl OperationBuilder<'_, '_> {
    pub(super) fn build(
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
        let id_override = op
            .extensions
            .get(OPERATION_ID_OVERRIDE_EXTENSION)
            .and_then(|v| v.as_str())
            .filter(|name| !name.is_empty() && *name != id)
            .map(str::to_owned);
        // A name that cannot be an identifier is located where it is written.
        let (name, name_pointer) = match &id_override {
            Some(name) => (
                name.as_str(),
                format!("{}/{OPERATION_ID_OVERRIDE_EXTENSION}", self.pointer),
            ),
            None => (id.as_str(), format!("{}/operationId", self.pointer)),
        };
        let builder_name =
            self.claim(builder_scope, &id, names::builder_name(name), &name_pointer)?;
        let method_name = self.claim(method_scope, &id, names::field_name(name), &name_pointer)?;
        let params = self.parameters(path, &builder_name, shared_params, &op.parameters);
        let request = self.request_body(&builder_name, op);
        let untyped_request_bodies = self.untyped_request_bodies(op);
        let (responses, errors) = self.responses(&builder_name, http_method, op);
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
        // An empty list, unlike an empty requirement among others, allows no credentials.
        let no_credentials = requirements.is_some_and(|r| r.is_empty());
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
        let sunset = text_extension(SUNSET_EXTENSION);
        let replaced_by = text_extension(REPLACED_BY_EXTENSION).map(OperationId);
        let deprecation =
            (op.deprecated || sunset.is_some() || replaced_by.is_some()).then_some(Deprecation {
                sunset,
                replaced_by,
            });
        let generation = generation_of(path);
        let mut operation = Operation {
            id: OperationId(id),
            id_override,
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
            untyped_request_bodies,
            responses,
            errors,
            security,
            auth,
            no_credentials,
            pagination: None,
            waiters: Vec::new(),
        };
        operation.pagination = detect_pagination(&operation, &self.cx.types);
        operation.waiters = self.waiters(&operation, op, method_scope);
        Some(operation)
    }

    fn claim(
        &mut self,
        scope: &mut NameScope,
        raw: &str,
        wanted: Result<String, String>,
        name_pointer: &str,
    ) -> Option<String> {
        match wanted {
            Ok(wanted) => {
                let (given, collision) = scope.claim(raw, wanted);
                if let Some(c) = collision {
                    let message = if c.first.is_empty() {
                        format!(
                            "operation `{}` would be method `{}`, which the generated `Client` \
                             defines itself; it is named `{}`",
                            c.second, c.wanted, c.given
                        )
                    } else {
                        format!(
                            "operations `{}` and `{}` both become `{}`; the second is named `{}`",
                            c.first, c.second, c.wanted, c.given
                        )
                    };
                    self.cx.notes.push(Note {
                        pointer: self.pointer.to_owned(),
                        message,
                    });
                }
                Some(given)
            }
            Err(message) => {
                self.problem(name_pointer.to_owned(), message);
                None
            }
        }
    }

    pub(super) fn problem(&mut self, pointer: String, message: String) {
        let file = self.cx.spec.file.clone();
        self.cx
            .problems
            .push(Diagnostic::new(&file, pointer, message));
    }
}

#[cfg(test)]
mod tests {
    use super::super::model_of;
    use crate::error::CodegenError;

    const TWO_OPERATIONS: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /groups/{groupId}/clusters/{clusterName}/backup/snapshots:
    parameters:
      - {name: groupId, in: path, required: true, schema: {type: string}}
      - {name: clusterName, in: path, required: true, schema: {type: string}}
    get:
      operationId: listGroupClusterBackupSnapshots
      x-xgen-operation-id-override: LISTED
      responses: {'200': {description: ok}}
    post:
      operationId: takeGroupClusterBackupSnapshots
      x-xgen-operation-id-override: takeSnapshots
      responses: {'200': {description: ok}}
"#;

    fn names(text: &str) -> Vec<(String, String, String, Option<String>)> {
        model_of(text)
            .operations
            .into_iter()
            .map(|op| (op.id.0, op.method_name.0, op.builder_name.0, op.id_override))
            .collect()
    }

    #[test]
    fn the_override_names_method_and_builder_and_the_id_stays() {
        let text = TWO_OPERATIONS.replace("LISTED", "listBackupSnapshots");
        assert_eq!(
            names(&text),
            [
                (
                    "listGroupClusterBackupSnapshots".to_owned(),
                    "list_backup_snapshots".to_owned(),
                    "ListBackupSnapshots".to_owned(),
                    Some("listBackupSnapshots".to_owned()),
                ),
                (
                    "takeGroupClusterBackupSnapshots".to_owned(),
                    "take_snapshots".to_owned(),
                    "TakeSnapshots".to_owned(),
                    Some("takeSnapshots".to_owned()),
                ),
            ]
        );
    }

    #[test]
    fn without_an_override_the_operation_id_names_the_method() {
        let text = TWO_OPERATIONS.replace("x-xgen-operation-id-override", "x-other");
        let named = names(&text);
        assert_eq!(named[1].1, "take_group_cluster_backup_snapshots");
        assert_eq!(named[1].2, "TakeGroupClusterBackupSnapshots");
        assert_eq!(named[1].3, None);
        // An override that repeats the id is no override.
        let same = TWO_OPERATIONS.replace("takeSnapshots", "takeGroupClusterBackupSnapshots");
        assert_eq!(names(&same)[1].3, None);
    }

    #[test]
    fn two_operations_with_one_name_are_reported_not_fatal() {
        let text = TWO_OPERATIONS.replace("LISTED", "takeSnapshots");
        let model = model_of(&text);
        let methods: Vec<&str> = model
            .operations
            .iter()
            .map(|op| op.method_name.0.as_str())
            .collect();
        assert_eq!(methods, ["take_snapshots", "take_snapshots_2"]);
        let notes: Vec<&str> = model.notes.iter().map(|n| n.message.as_str()).collect();
        assert!(
            notes.contains(
                &"operations `listGroupClusterBackupSnapshots` and \
                  `takeGroupClusterBackupSnapshots` both become `take_snapshots`; the second \
                  is named `take_snapshots_2`"
            ),
            "{notes:#?}"
        );
    }

    #[test]
    fn an_override_that_is_no_name_is_refused_where_it_is_written() {
        let text = TWO_OPERATIONS.replace("LISTED", "'!!'");
        let spec = crate::load::load_text("s.yaml", text, crate::load::Format::Yaml).unwrap();
        let validated = crate::validate::validate(&spec).unwrap();
        let Err(CodegenError::Invalid(problems)) = crate::model::build_model(&validated) else {
            panic!("a method cannot be named `!!`");
        };
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert!(
            pointers
                .iter()
                .all(|p| p.ends_with("/get/x-xgen-operation-id-override")),
            "{pointers:?}"
        );
        assert!(!pointers.is_empty());
    }
}
