//! Responses: success and error statuses, the media types (versions) each success status
//! offers, documented headers, and what changed inside the bodies. A body pair shared by several
//! statuses (every error returning `ApiError`) is walked once and reported once.

use super::media;
use super::schemas::{Slot, Walker};
use super::Cx;
use crate::change::{Change, Site};
use crate::rules::RuleId;
use crate::select::OpView;
use codegen::model::{BodyLimits, ErrorResponse, ResponseHeader, SuccessResponse, TypeRef};
use std::collections::BTreeMap;

/// Body pairs to walk, each with the places (`200 (2023-01-01)`) it was found.
type Bodies<'m> = BTreeMap<(&'m TypeRef, &'m TypeRef), Vec<String>>;

pub(super) fn compare<'m>(cx: &Cx<'m>, old: &OpView<'m>, new: &OpView<'m>, out: &mut Vec<Change>) {
    let mut bodies: Bodies<'m> = BTreeMap::new();
    success(cx, &old.responses, &new.responses, &mut bodies, out);
    walk(cx, "response", bodies, out);

    let mut bodies: Bodies<'m> = BTreeMap::new();
    errors(cx, &old.op.errors, &new.op.errors, &mut bodies, out);
    walk(cx, "error response", bodies, out);
}

fn by_status<'m>(responses: &[&'m SuccessResponse]) -> BTreeMap<u16, Vec<&'m SuccessResponse>> {
    let mut map: BTreeMap<u16, Vec<&'m SuccessResponse>> = BTreeMap::new();
    for r in responses {
        map.entry(r.status).or_default().push(r);
    }
    map
}

fn success<'m>(
    cx: &Cx<'m>,
    old: &[&'m SuccessResponse],
    new: &[&'m SuccessResponse],
    bodies: &mut Bodies<'m>,
    out: &mut Vec<Change>,
) {
    let (olds, news) = (by_status(old), by_status(new));
    for status in olds.keys().filter(|s| !news.contains_key(s)) {
        out.push(Change::new(
            RuleId::ResponseSuccessStatusRemoved,
            format!("success status {status} removed"),
        ));
    }
    for status in news.keys().filter(|s| !olds.contains_key(s)) {
        out.push(Change::new(
            RuleId::ResponseSuccessStatusAdded,
            format!("success status {status} added"),
        ));
    }
    for (status, o) in &olds {
        let Some(n) = news.get(status) else { continue };
        let matched = media::pair(cx.mode, o, n);
        for r in &matched.removed {
            out.push(Change::new(
                RuleId::ResponseMediaTypeRemoved,
                format!(
                    "response {status}: media type {} removed",
                    media::media_type_text(*r)
                ),
            ));
        }
        for r in &matched.added {
            out.push(Change::new(
                RuleId::ResponseMediaTypeAdded,
                format!(
                    "response {status}: media type {} added",
                    media::media_type_text(*r)
                ),
            ));
        }
        for (a, b) in matched.pairs {
            let place = format!("{status}{}", media::pair_label(a, b));
            headers(
                cx,
                &format!("response {place}"),
                &a.headers,
                &b.headers,
                out,
            );
            match (&a.body, &b.body) {
                (None, Some(ty)) => {
                    // The model types a non-JSON schema as anything; the client hands it back
                    // as the bytes received.
                    let what = if super::rust_api::is_json(&b.media_type) {
                        super::schemas::describe(cx.new, ty)
                    } else {
                        format!("`{}`, received as bytes", b.media_type)
                    };
                    out.push(Change::new(
                        RuleId::ResponseBodyAdded,
                        format!("response {place}: body added ({what})"),
                    ))
                }
                (Some(_), None) => out.push(Change::new(
                    RuleId::ResponseBodyRemoved,
                    format!("response {place}: body removed"),
                )),
                (Some(x), Some(y)) => {
                    let context = format!("response {place}");
                    // A body that is not JSON is bytes to the client: its schema (limits,
                    // properties and items included) is compared as a header's is.
                    match (&a.raw_schema, &b.raw_schema) {
                        (Some(p), Some(q)) => {
                            Walker::new(cx, Slot::Response, &context, out).untyped_value("", p, q)
                        }
                        _ => limits(cx, Slot::Response, &context, a, b, out),
                    }
                    bodies.entry((x, y)).or_default().push(place)
                }
                (None, None) => {}
            }
        }
    }
}

fn errors<'m>(
    cx: &Cx<'m>,
    old: &'m [ErrorResponse],
    new: &'m [ErrorResponse],
    bodies: &mut Bodies<'m>,
    out: &mut Vec<Change>,
) {
    for a in old
        .iter()
        .filter(|a| !new.iter().any(|b| b.status == a.status))
    {
        out.push(shared(
            Change::new(
                RuleId::ResponseNonSuccessStatusRemoved,
                format!("error status {} removed", a.status),
            ),
            "error responses",
            format!("status {} removed", a.status),
        ));
    }
    for b in new
        .iter()
        .filter(|b| !old.iter().any(|a| a.status == b.status))
    {
        out.push(shared(
            Change::new(
                RuleId::ResponseNonSuccessStatusAdded,
                format!("error status {} added", b.status),
            ),
            "error responses",
            format!("status {} added", b.status),
        ));
    }
    for a in old {
        let Some(b) = new.iter().find(|b| b.status == a.status) else {
            continue;
        };
        headers(
            cx,
            &format!("error response {}", a.status),
            &a.headers,
            &b.headers,
            out,
        );
        if let (Some(x), Some(y)) = (&a.body, &b.body) {
            bodies.entry((x, y)).or_default().push(a.status.to_string());
        }
    }
}

/// Headers by name (which HTTP compares without case): added, removed, and for those on both
/// sides their required-ness and what their schemas say of their values.
fn headers(
    cx: &Cx<'_>,
    context: &str,
    old: &[ResponseHeader],
    new: &[ResponseHeader],
    out: &mut Vec<Change>,
) {
    fn find<'h>(list: &'h [ResponseHeader], name: &str) -> Option<&'h ResponseHeader> {
        list.iter().find(|h| h.name.eq_ignore_ascii_case(name))
    }
    let mut found = Vec::new();
    for h in old.iter().filter(|h| find(new, &h.name).is_none()) {
        found.push(Change::new(
            RuleId::ResponseHeaderRemoved,
            format!("{context}: header `{}` removed", h.name),
        ));
    }
    for h in new.iter().filter(|h| find(old, &h.name).is_none()) {
        found.push(Change::new(
            RuleId::ResponseHeaderAdded,
            format!("{context}: header `{}` added", h.name),
        ));
    }
    for a in old {
        let Some(b) = find(new, &a.name) else {
            continue;
        };
        let subject = format!("{context}: header `{}`", b.name);
        match (a.required, b.required) {
            (true, false) => found.push(Change::new(
                RuleId::ResponseHeaderBecameOptional,
                format!("{subject}: became optional"),
            )),
            (false, true) => found.push(Change::new(
                RuleId::ResponseHeaderBecameRequired,
                format!("{subject}: became required"),
            )),
            _ => {}
        }
        Walker::new(cx, Slot::Header, &subject, &mut found).untyped_value("", &a.value, &b.value);
    }
    // Each reads the same wherever the header is declared alike.
    for change in found {
        let message = change.message[context.len() + 2..].to_owned();
        out.push(shared(change, context, message));
    }
}

/// A change that reads the same in every operation it happens in (an error status or a header
/// that Atlas declares once in `components/responses` and adds everywhere): reports fold it.
fn shared(mut change: Change, subject: &str, message: String) -> Change {
    change.site = Some(Site {
        subject: subject.to_owned(),
        message,
        rust: Some("`send()` of each builder".to_owned()),
    });
    change
}

/// Walks each body pair once, naming every place it serves: `responses 200, 201`.
fn walk<'m>(cx: &Cx<'m>, noun: &str, bodies: Bodies<'m>, out: &mut Vec<Change>) {
    for ((old, new), places) in bodies {
        let context = match places.as_slice() {
            [one] => format!("{noun} {one}"),
            many => format!("{noun}s {}", many.join(", ")),
        };
        Walker::new(cx, Slot::Response, &context, out).types("", old, new);
    }
}

/// The limits a body's schema puts on the body itself and on its items (a string body's
/// `maxLength`, a list body's `maxItems`, its items' `pattern`), which no property carries.
pub(super) fn limits(
    cx: &Cx<'_>,
    slot: Slot,
    context: &str,
    old: &impl HasLimits,
    new: &impl HasLimits,
    out: &mut Vec<Change>,
) {
    let (a, b) = (old.limits(), new.limits());
    if a == b {
        return;
    }
    let mut walker = Walker::new(cx, slot, context, out);
    walker.constraints("", &a.root, &b.root);
    walker.constraints("[]", &a.items, &b.items);
}

/// A body in a media type, with the limits of its schema.
pub(super) trait HasLimits {
    fn limits(&self) -> &BodyLimits;
}

impl HasLimits for SuccessResponse {
    fn limits(&self) -> &BodyLimits {
        &self.limits
    }
}

impl HasLimits for codegen::model::RequestContent {
    fn limits(&self) -> &BodyLimits {
        &self.limits
    }
}
