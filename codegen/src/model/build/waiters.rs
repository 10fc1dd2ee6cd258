//! The waits a get operation declares in `x-waiters` (see the dialect's `WAITERS_EXTENSION`):
//! each named entry becomes a [`Waiter`] with its success and failure states. A malformed entry
//! is a problem at its own JSON pointer, like any other spec error.

use super::operation::OperationBuilder;
use crate::dialect::WAITERS_EXTENSION;
use crate::load::escape_pointer;
use crate::model::{FieldName, HttpMethod, Operation, WaitMatcher, WaitTest, Waiter};
use crate::names::{self, NameScope};
use serde_json::Value;

impl OperationBuilder<'_, '_> {
    pub(super) fn waiters(
        &mut self,
        operation: &Operation,
        op: &openapiv3::Operation,
        method_scope: &mut NameScope,
    ) -> Vec<Waiter> {
        let Some(declared) = op.extensions.get(WAITERS_EXTENSION) else {
            return Vec::new();
        };
        let here = format!("{}/{WAITERS_EXTENSION}", self.pointer);
        let Some(entries) = declared.as_object() else {
            self.problem(here, "must map waiter names to their states".to_owned());
            return Vec::new();
        };
        if operation.http_method != HttpMethod::Get {
            self.problem(
                here,
                "only a get operation can be polled by a waiter".to_owned(),
            );
            return Vec::new();
        }
        let json = |r: &crate::model::SuccessResponse| {
            r.media_type.is_empty()
                || r.media_type == "application/json"
                || r.media_type.ends_with("+json")
        };
        if operation.distinct_bodies().is_empty() || !operation.responses.iter().all(json) {
            self.problem(
                here,
                "a waiter needs an operation that answers with a JSON body".to_owned(),
            );
            return Vec::new();
        }
        let mut waiters = Vec::new();
        for (name, entry) in entries {
            let at = format!("{here}/{}", escape_pointer(name));
            if let Some(waiter) = self.waiter(name, entry, &at, method_scope) {
                waiters.push(waiter);
            }
        }
        waiters
    }

    fn waiter(
        &mut self,
        name: &str,
        entry: &Value,
        at: &str,
        method_scope: &mut NameScope,
    ) -> Option<Waiter> {
        let method = names::field_name(&format!("waitUntil_{name}"));
        let method = match method {
            Ok(wanted) => {
                let (given, collision) = method_scope.claim(name, wanted);
                if let Some(c) = collision {
                    self.problem(
                        at.to_owned(),
                        format!(
                            "waiter `{name}` becomes `{}`, already taken by `{}`",
                            c.wanted, c.first
                        ),
                    );
                    return None;
                }
                given
            }
            Err(message) => {
                self.problem(at.to_owned(), message);
                return None;
            }
        };
        let description = entry
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let gone = match entry.get("gone") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => {
                self.problem(format!("{at}/gone"), "must be `true` or `false`".to_owned());
                return None;
            }
        };
        if gone {
            // The 404 is the success state; a deletion can still end in a failure state.
            if entry.get("success").is_some() {
                self.problem(
                    format!("{at}/success"),
                    "a `gone` waiter succeeds on the 404 alone; it lists no success states"
                        .to_owned(),
                );
                return None;
            }
            let failure = self.matchers(entry, "failure", at)?;
            return Some(Waiter {
                name: name.to_owned(),
                method_name: FieldName(method),
                description,
                gone,
                success: Vec::new(),
                failure,
            });
        }
        let success = self.matchers(entry, "success", at)?;
        let failure = self.matchers(entry, "failure", at).unwrap_or_default();
        if success.is_empty() {
            self.problem(format!("{at}/success"), "lists no state".to_owned());
            return None;
        }
        Some(Waiter {
            name: name.to_owned(),
            method_name: FieldName(method),
            description,
            gone,
            success,
            failure,
        })
    }

    /// The matchers under `key`; `None` (with a problem) when one is malformed.
    fn matchers(&mut self, entry: &Value, key: &str, at: &str) -> Option<Vec<WaitMatcher>> {
        let Some(list) = entry.get(key) else {
            if key == "success" {
                self.problem(
                    at.to_owned(),
                    "has no `success` states (or `gone: true` for a wait until it is deleted)"
                        .to_owned(),
                );
                return None;
            }
            return Some(Vec::new());
        };
        let Some(items) = list.as_array() else {
            self.problem(format!("{at}/{key}"), "must be a list of states".to_owned());
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let here = format!("{at}/{key}/{i}");
            let property = item.get("property").and_then(Value::as_str);
            let test = match (item.get("equals"), item.get("present")) {
                (Some(value), None) => Some(WaitTest::Equals(value.clone())),
                (None, Some(Value::Bool(true))) => Some(WaitTest::Present),
                _ => None,
            };
            match (property, test) {
                (Some(property), Some(test)) => out.push(WaitMatcher {
                    property: property.to_owned(),
                    test,
                }),
                _ => {
                    self.problem(
                        here,
                        "a state is `{property, equals: VALUE}` or `{property, present: true}`"
                            .to_owned(),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }
}
