//! Request bodies: existence and required-ness of the body, the media types (versions) it
//! accepts, and what changed inside it.

use super::media;
use super::schemas::{Slot, Walker};
use super::Cx;
use crate::change::Change;
use crate::rules::RuleId;
use crate::select::OpView;

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
                Walker::new(cx, Slot::Request, &context, out).types("", &o.body, &n.body);
            }
        }
    }
}
