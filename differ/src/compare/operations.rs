//! Operations: existence and lifecycle of an operation (added, removed before or after its
//! sunset, deprecated, sunset moved, renamed, moved, paged, served at another version).

use super::sunsets;
use super::Cx;
use crate::change::Change;
use crate::rules::{RuleId, Semver};
use crate::select::{shape, Mode, OpView};
use codegen::model::Deprecation;

/// What an operation is in the generated crate: its client method and request builder.
pub(super) fn item(op: &codegen::model::Operation) -> String {
    format!(
        "method `Client::{}`, builder `{}`",
        op.method_name, op.builder_name
    )
}

pub(super) fn added(new: &OpView<'_>) -> Change {
    Change::new(
        RuleId::EndpointAdded,
        format!("operation `{}` added", new.op.id),
    )
}

/// A removal is judged by the old side's lifecycle: never deprecated, deprecated but still
/// before its sunset date, or past it. An operation without a deprecation of its own whose
/// versions all carry a sunset (Atlas writes them on media types) goes with the last of them.
/// A sunset that is not a date may still be ahead.
pub(super) fn removed(cx: &Cx<'_>, old: &OpView<'_>) -> Change {
    let id = &old.op.id;
    let (sunset, of_versions) = match &old.op.deprecation {
        Some(d) => (Some(d.sunset.as_deref()), false),
        None => match sunsets::last_of_versions(old) {
            Some(s) => (Some(Some(s)), true),
            None => (None, false),
        },
    };
    let ahead = |s: &str| sunsets::is_ahead(s, cx.today);
    let date = |s: &str| {
        let text = match sunsets::date(s) {
            Some(_) => format!("sunset date {s}"),
            None => format!("sunset `{s}` (not a date)"),
        };
        if of_versions {
            format!("{text}, the last of its versions'")
        } else {
            text
        }
    };
    let (rule, text) = match (cx.mode, sunset) {
        (Mode::Legacy, None) => (
            RuleId::EndpointRemovedWithoutDeprecation,
            format!("v1.0 operation `{id}` has no v2 successor and is not deprecated"),
        ),
        (Mode::Legacy, Some(Some(s))) if ahead(s) => (
            RuleId::EndpointRemovedBeforeSunset,
            format!(
                "v1.0 operation `{id}` has no v2 successor; its {} is still ahead (today is {})",
                date(s),
                cx.today
            ),
        ),
        (Mode::Legacy, Some(Some(s))) => (
            RuleId::EndpointRemoved,
            format!(
                "v1.0 operation `{id}` has no v2 successor; its {} has passed",
                date(s)
            ),
        ),
        (Mode::Legacy, Some(None)) => (
            RuleId::EndpointRemoved,
            format!(
                "v1.0 operation `{id}` has no v2 successor; it is deprecated, with no sunset date"
            ),
        ),
        (_, None) => (
            RuleId::EndpointRemovedWithoutDeprecation,
            format!("operation `{id}` removed without being deprecated first"),
        ),
        (_, Some(Some(s))) if ahead(s) => (
            RuleId::EndpointRemovedBeforeSunset,
            format!(
                "operation `{id}` removed before its {} (today is {})",
                date(s),
                cx.today
            ),
        ),
        (_, Some(Some(s))) => (
            RuleId::EndpointRemoved,
            format!("operation `{id}` removed after its {}", date(s)),
        ),
        (_, Some(None)) => (
            RuleId::EndpointRemoved,
            format!("operation `{id}` removed after being deprecated (no sunset date was set)"),
        ),
    };
    Change::new(rule, text)
}

pub(super) fn lifecycle(cx: &Cx<'_>, old: &OpView<'_>, new: &OpView<'_>, out: &mut Vec<Change>) {
    let (o, n) = (old.op, new.op);
    if o.id != n.id && o.method_name == n.method_name {
        // An IPA rename under the same override: the client keeps its method and builder.
        out.push(
            Change::new(
                RuleId::EndpointOperationIdChanged,
                format!(
                    "operationId changed from `{}` to `{}`: client method `{}` keeps its name",
                    o.id, n.id, n.method_name
                ),
            )
            .with_semver(Semver::Patch),
        );
    } else if o.id != n.id {
        out.push(
            Change::new(
                RuleId::EndpointOperationIdChanged,
                format!(
                    "operationId changed from `{}` to `{}`: client method `{}` becomes `{}`",
                    o.id, n.id, o.method_name, n.method_name
                ),
            )
            .with_rust(format!(
                "method `Client::{}` → `Client::{}`, builder `{}` → `{}`",
                o.method_name, n.method_name, o.builder_name, n.builder_name
            )),
        );
    }
    if cx.mode == Mode::Legacy {
        successor_lifecycle(new, out);
    } else {
        if shape(&o.path) != shape(&n.path) {
            out.push(Change::new(
                RuleId::EndpointPathChanged,
                format!("path changed from `{}` to `{}`", o.path, n.path),
            ));
        }
        deprecation(o.deprecation.as_ref(), n.deprecation.as_ref(), out);
        if o.tags != n.tags {
            out.push(Change::new(
                RuleId::EndpointTagsChanged,
                format!("tags changed from {} to {}", tags(&o.tags), tags(&n.tags)),
            ));
        }
    }
    sunsets::versions(cx.mode, old, new, out);
    let start = out.len();
    pagination(old, new, out);
    for change in &mut out[start..] {
        change.rust = Some(format!("`{0}::pages()`, `{0}::items()`", n.builder_name));
    }
    let start = out.len();
    if cx.mode.pairs_by_status() {
        let (a, b) = (served_as(old), served_as(new));
        if cx.mode == Mode::Legacy {
            out.push(Change::new(
                RuleId::EndpointApiVersionChanged,
                format!(
                    "served by `{} {}` as {b} instead of {a}",
                    n.http_method.as_str(),
                    n.path
                ),
            ));
        } else if a != b {
            out.push(Change::new(
                RuleId::EndpointApiVersionChanged,
                format!("served as {a}, now as {b}"),
            ));
        }
    }
    for change in &mut out[start..] {
        change.rust = Some(format!("`{}::OPERATION`", n.builder_name));
    }
}

/// `` `A`, `B` ``, or `none`.
fn tags(tags: &[String]) -> String {
    if tags.is_empty() {
        return "none".to_owned();
    }
    let quoted: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
    quoted.join(", ")
}

/// Deprecation, sunset date and replacement of an operation present on both sides.
fn deprecation(od: Option<&Deprecation>, nd: Option<&Deprecation>, out: &mut Vec<Change>) {
    match (od, nd) {
        (None, Some(d)) => {
            let mut text = "operation deprecated".to_owned();
            if let Some(by) = &d.replaced_by {
                text.push_str(&format!(", replaced by `{by}`"));
            }
            out.push(Change::new(RuleId::EndpointDeprecated, text));
        }
        (Some(_), None) => out.push(Change::new(
            RuleId::EndpointReactivated,
            "operation no longer deprecated",
        )),
        _ => {}
    }
    out.extend(sunsets::change(
        sunsets::Scope::Operation,
        "",
        od.and_then(|d| d.sunset.as_deref()),
        nd.and_then(|d| d.sunset.as_deref()),
    ));
    let by = |d: Option<&Deprecation>| d.and_then(|d| d.replaced_by.clone());
    match (by(od), by(nd)) {
        (None, Some(b)) => out.push(Change::new(
            RuleId::EndpointReplacementChanged,
            format!("now replaced by `{b}`"),
        )),
        (Some(a), None) => out.push(Change::new(
            RuleId::EndpointReplacementChanged,
            format!("no longer replaced by `{a}`"),
        )),
        (Some(a), Some(b)) if a != b => out.push(Change::new(
            RuleId::EndpointReplacementChanged,
            format!("replacement changed from `{a}` to `{b}`"),
        )),
        _ => {}
    }
}

/// A v1.0 operation is deprecated because v2 replaces it: that is how the pair was found, not a
/// change. What matters is whether the successor itself is on its way out.
fn successor_lifecycle(new: &OpView<'_>, out: &mut Vec<Change>) {
    let Some(d) = &new.op.deprecation else { return };
    out.push(Change::new(
        RuleId::EndpointDeprecated,
        format!("the v2 successor `{}` is deprecated too", new.op.id),
    ));
    if let Some(sunset) = &d.sunset {
        out.push(Change::new(
            RuleId::EndpointSunsetAdded,
            format!("the v2 successor `{}` has sunset date {sunset}", new.op.id),
        ));
    }
}

fn pagination(old: &OpView<'_>, new: &OpView<'_>, out: &mut Vec<Change>) {
    match (&old.op.pagination, &new.op.pagination) {
        (None, Some(p)) => out.push(Change::new(
            RuleId::EndpointPaginationAdded,
            format!("now pages through `{}`/`{}`", p.page_param, p.size_param),
        )),
        (Some(p), None) => out.push(Change::new(
            RuleId::EndpointPaginationRemoved,
            format!(
                "no longer pages through `{}`/`{}`",
                p.page_param, p.size_param
            ),
        )),
        _ => {}
    }
}

/// The version a view shows, or its media type when it has none (v1.0's `application/json`).
fn served_as(view: &OpView<'_>) -> String {
    match view.version {
        Some(v) => format!("version {v}"),
        None => match view
            .responses
            .iter()
            .map(|r| r.media_type.as_str())
            .find(|m| !m.is_empty())
        {
            Some(media_type) => format!("`{media_type}`"),
            None => "no media type".to_owned(),
        },
    }
}
