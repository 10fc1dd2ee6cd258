//! Request bodies: existence and required-ness of the body, the media types (versions) it
//! accepts, and what changed inside it: a JSON or form body's schema, a multipart body's parts.

use super::media;
use super::schemas::{Slot, Walker};
use super::Cx;
use crate::change::Change;
use crate::rules::RuleId;
use crate::select::OpView;
use codegen::model::{BodyEncoding, MultipartPart, PartKind};

/// The request body in the generated crate: a positional argument when required, the `body`
/// setter otherwise; judged on the newer side unless it has no body.
pub(super) fn item(new: &OpView<'_>, old: &OpView<'_>) -> String {
    let view = if new.request.is_some() { new } else { old };
    match &view.request {
        Some(body) if body.required => {
            format!("`body` argument of `Client::{}`", view.op.method_name)
        }
        _ => format!("setter `{}::body()`", view.op.builder_name),
    }
}

pub(super) fn compare<'m>(cx: &Cx<'m>, old: &OpView<'m>, new: &OpView<'m>, out: &mut Vec<Change>) {
    match (&old.request, &new.request) {
        (None, None) => {}
        (None, Some(body)) => {
            let rule = if body.required {
                RuleId::RequestBodyAddedRequired
            } else {
                RuleId::RequestBodyAddedOptional
            };
            let which = if body.required {
                "required"
            } else {
                "optional"
            };
            out.push(Change::new(rule, format!("request body: added ({which})")));
        }
        (Some(_), None) => out.push(Change::new(
            RuleId::RequestBodyRemoved,
            "request body: removed",
        )),
        (Some(a), Some(b)) => {
            if a.required != b.required {
                let (rule, now) = if b.required {
                    (RuleId::RequestBodyBecameRequired, "required")
                } else {
                    (RuleId::RequestBodyBecameOptional, "optional")
                };
                out.push(Change::new(rule, format!("request body: became {now}")));
            }
            let matched = media::pair(cx.mode, &a.contents, &b.contents);
            for content in &matched.removed {
                out.push(Change::new(
                    RuleId::RequestMediaTypeRemoved,
                    format!(
                        "request body: media type {} no longer accepted",
                        media::media_type_text(*content)
                    ),
                ));
            }
            for content in &matched.added {
                out.push(Change::new(
                    RuleId::RequestMediaTypeAdded,
                    format!(
                        "request body: media type {} now accepted",
                        media::media_type_text(*content)
                    ),
                ));
            }
            for (o, n) in matched.pairs {
                let context = format!("request body{}", media::pair_label(o, n));
                match (&o.encoding, &n.encoding) {
                    (
                        BodyEncoding::Multipart { parts: old_parts },
                        BodyEncoding::Multipart { parts: new_parts },
                    ) => parts(cx, &context, old_parts, new_parts, out),
                    _ => {
                        super::responses::limits(cx, Slot::Request, &context, o, n, out);
                        Walker::new(cx, Slot::Request, &context, out).types("", &o.body, &n.body)
                    }
                }
            }
        }
    }
}

/// A multipart body's parts, by name: one part per property of its object schema, judged as
/// request properties (a file part changing into a text part is a type change).
fn parts<'m>(
    cx: &Cx<'m>,
    context: &str,
    old: &'m [MultipartPart],
    new: &'m [MultipartPart],
    out: &mut Vec<Change>,
) {
    let required = |p: &MultipartPart| if p.required { "required" } else { "optional" };
    for o in old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)) {
        out.push(Change::new(
            RuleId::RequestPropertyRemoved,
            format!("{context}: removed {} part `{}`", required(o), o.name),
        ));
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.name == n.name)) {
        let rule = if n.required {
            RuleId::RequestRequiredPropertyAdded
        } else {
            RuleId::RequestOptionalPropertyAdded
        };
        out.push(Change::new(
            rule,
            format!("{context}: added {} part `{}`", required(n), n.name),
        ));
    }
    for o in old {
        let Some(n) = new.iter().find(|n| n.name == o.name) else {
            continue;
        };
        if o.required != n.required {
            let rule = if n.required {
                RuleId::RequestPropertyBecameRequired
            } else {
                RuleId::RequestPropertyBecameOptional
            };
            out.push(Change::new(
                rule,
                format!("{context}: part `{}` became {}", n.name, required(n)),
            ));
        }
        match (&o.kind, &n.kind) {
            (PartKind::Text(a), PartKind::Text(b)) => {
                Walker::new(cx, Slot::Request, context, out).types(&n.name, a, b)
            }
            (a, b) if a != b => out.push(Change::new(
                RuleId::RequestPropertyTypeChanged,
                format!(
                    "{context}: part `{}` changed from {} to {}",
                    n.name,
                    part_text(a),
                    part_text(b)
                ),
            )),
            _ => {}
        }
    }
}

fn part_text(kind: &PartKind) -> &'static str {
    match kind {
        PartKind::Text(_) => "a text value",
        PartKind::File => "a file",
        PartKind::Files => "several files",
    }
}
