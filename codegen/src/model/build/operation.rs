//! Operations: one [`Operation`] of the model from one operation of the spec: its names, its
//! generation and deprecation, and the parts the sibling modules build.

use super::super::pagination::detect_pagination;
use super::super::schema::SchemaCx;
use crate::dialect::{generation_of, REPLACED_BY_EXTENSION, SUNSET_EXTENSION};
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
        let builder_name = self.claim(builder_scope, &id, names::builder_name(&id))?;
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
                self.problem(format!("{}/operationId", self.pointer), message);
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
