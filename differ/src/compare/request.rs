//! Request bodies: existence and required-ness of the body, the media types (versions) it
//! accepts, and what changed inside it: a JSON or form body's schema, a multipart body's parts.

use super::media;
use super::schemas::{Slot, Walker};
use super::Cx;
use crate::change::Change;
use crate::rules::RuleId;
use crate::select::OpView;
use codegen::model::{
    BodyEncoding, MultipartPart, PartKind, RequestContent, UntypedRequestContent,
};

/// The request body in the generated crate: a positional argument when required, the `body`
/// setter otherwise; judged on the newer side unless it has no body.
pub(super) fn item(new: &OpView<'_>, old: &OpView<'_>) -> String {
    let typed = |view: &OpView<'_>| view.request.is_some();
    let untyped = |view: &OpView<'_>| !view.op.untyped_request_bodies.is_empty();
    if !typed(new) && !typed(old) && (untyped(new) || untyped(old)) {
        let view = if untyped(new) { new } else { old };
        return format!(
            "none: `Client::{}` is generated without a body it cannot encode",
            view.op.method_name
        );
    }
    let view = if typed(new) { new } else { old };
    match &view.request {
        Some(body) if body.required => {
            format!("`body` argument of `Client::{}`", view.op.method_name)
        }
        _ => format!("setter `{}::body()`", view.op.builder_name),
    }
}

pub(super) fn compare<'m>(cx: &Cx<'m>, old: &OpView<'m>, new: &OpView<'m>, out: &mut Vec<Change>) {
    // Whether a body is taken, and required, counting bodies the client cannot encode (XML).
    let body = |view: &OpView<'_>| {
        view.request.as_ref().map(|body| body.required).or_else(|| {
            view.op
                .untyped_request_bodies
                .first()
                .map(|body| body.required)
        })
    };
    let text = |required: bool| if required { "required" } else { "optional" };
    match (body(old), body(new)) {
        (None, None) => return,
        (None, Some(required)) => {
            let rule = if required {
                RuleId::RequestBodyAddedRequired
            } else {
                RuleId::RequestBodyAddedOptional
            };
            let message = format!("request body: added ({})", text(required));
            return out.push(Change::new(rule, message));
        }
        (Some(_), None) => {
            return out.push(Change::new(
                RuleId::RequestBodyRemoved,
                "request body: removed",
            ))
        }
        (Some(was), Some(is)) if was != is => {
            let rule = if is {
                RuleId::RequestBodyBecameRequired
            } else {
                RuleId::RequestBodyBecameOptional
            };
            out.push(Change::new(
                rule,
                format!("request body: became {}", text(is)),
            ));
        }
        (Some(_), Some(_)) => {}
    }
    let (old_contents, new_contents) = (contents(old), contents(new));
    let matched = media::pair(cx.mode, &old_contents, &new_contents);
    accepted(&matched, out);
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
    untyped(cx, old, new, out);
}

/// The typed contents of a view's body (none when it has only bodies the client cannot
/// encode).
fn contents<'m>(view: &OpView<'m>) -> Vec<&'m RequestContent> {
    view.request
        .as_ref()
        .map(|body| body.contents.clone())
        .unwrap_or_default()
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

/// The media types one side accepts and the other does not.
fn accepted<T: media::Content>(matched: &media::Matched<'_, T>, out: &mut Vec<Change>) {
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
}

/// The request bodies the client cannot encode (XML), by media type: accepted or no longer,
/// and what their schemas say, compared as a header's are.
fn untyped<'m>(cx: &Cx<'m>, old: &OpView<'m>, new: &OpView<'m>, out: &mut Vec<Change>) {
    let (a, b): (Vec<&UntypedRequestContent>, Vec<&UntypedRequestContent>) = (
        old.op.untyped_request_bodies.iter().collect(),
        new.op.untyped_request_bodies.iter().collect(),
    );
    let matched = media::pair(cx.mode, &a, &b);
    accepted(&matched, out);
    for (o, n) in matched.pairs {
        let context = format!("request body{}", media::pair_label(o, n));
        Walker::new(cx, Slot::Request, &context, out).untyped_value("", &o.value, &n.value);
    }
}

fn part_text(kind: &PartKind) -> &'static str {
    match kind {
        PartKind::Text(_) => "a text value",
        PartKind::File => "a file",
        PartKind::Files => "several files",
    }
}
