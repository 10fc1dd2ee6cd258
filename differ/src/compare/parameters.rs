//! Parameters: matched by location and name (path placeholders also by position, since their
//! names are not on the wire), then compared for required-ness, location, type, enum values,
//! pattern, limits, default and deprecation.

use super::schemas::{default_text, Slot, Walker};
use super::Cx;
use crate::change::{Change, Site};
use crate::rules::RuleId;
use codegen::model::{Operation, ParamLocation, Parameter};
use codegen::validate::template_names;

/// Whether an old and a new parameter are the same one, by one criterion.
type Matcher<'a> = dyn Fn(&Parameter, &Parameter) -> bool + 'a;

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// A parameter in the generated crate: a positional argument of the client method when
/// required, a builder setter otherwise.
fn item(op: &Operation, p: &Parameter) -> String {
    if p.required {
        format!("argument `{}` of `Client::{}`", p.ident, op.method_name)
    } else {
        format!("setter `{}::{}()`", op.builder_name, p.ident)
    }
}

fn label(p: &Parameter) -> String {
    match crate::rewrite::cookie_name(&p.name) {
        Some(cookie) => format!("cookie parameter `{cookie}`"),
        None => format!("{} parameter `{}`", location(p.location), p.name),
    }
}

/// What a parameter the generated crate does not have as such is to it: a cookie parameter is
/// nothing (the generator refuses them), a `deepObject` property is part of its object's
/// argument or setter, which takes any JSON value; either way no Rust signature changes.
fn outside_the_crate(op: &Operation, p: &Parameter) -> Option<Option<String>> {
    if crate::rewrite::cookie_name(&p.name).is_some() {
        return Some(None);
    }
    let parent = crate::rewrite::deep_object_parent(&p.name)?;
    Some(Some(format!(
        "the `{parent}` object (any JSON value) of `Client::{}`",
        op.method_name
    )))
}

pub(super) fn compare<'m>(
    cx: &Cx<'m>,
    old: &'m Operation,
    new: &'m Operation,
    out: &mut Vec<Change>,
) {
    let mut olds: Vec<Option<&'m Parameter>> = old.params.iter().map(Some).collect();
    let mut news: Vec<Option<&'m Parameter>> = new.params.iter().map(Some).collect();
    let mut pairs: Vec<(&'m Parameter, &'m Parameter)> = Vec::new();

    // Same location and name; then same name elsewhere (moved); then path placeholders at the
    // same position (renamed).
    let passes: [&Matcher<'_>; 3] = [
        &|a, b| a.location == b.location && a.name == b.name,
        &|a, b| a.name == b.name,
        &|a, b| {
            a.location == ParamLocation::Path
                && b.location == ParamLocation::Path
                && position(&old.path, &a.name) == position(&new.path, &b.name)
        },
    ];
    for matches in passes {
        for slot in olds.iter_mut() {
            let Some(a) = *slot else { continue };
            let found = news.iter_mut().find(|n| n.is_some_and(|b| matches(a, b)));
            if let Some(b) = found.and_then(Option::take) {
                pairs.push((a, b));
                *slot = None;
            }
        }
    }

    let first = out.len();
    for a in olds.into_iter().flatten() {
        out.push(
            Change::new(
                RuleId::RequestParameterRemoved,
                format!("{}: removed", label(a)),
            )
            .with_rust(item(old, a)),
        );
        let last = out.len() - 1;
        outside(old, a, &mut out[last..]);
    }
    for b in news.into_iter().flatten() {
        let (rule, which) = if b.required {
            (RuleId::RequestRequiredParameterAdded, "required")
        } else {
            (RuleId::RequestOptionalParameterAdded, "optional")
        };
        out.push(
            Change::new(rule, format!("{}: added ({which})", label(b))).with_rust(item(new, b)),
        );
        let last = out.len() - 1;
        outside(new, b, &mut out[last..]);
    }
    for (a, b) in pairs {
        let start = out.len();
        parameter(cx, a, b, out);
        // A required-ness flip or a rename changes the argument or setter: both are named.
        let named = if (a.required, &a.ident) == (b.required, &b.ident) {
            item(new, b)
        } else {
            format!("{} → {}", item(old, a), item(new, b))
        };
        for change in &mut out[start..] {
            if change.rust.is_none() {
                change.rust = Some(named.clone());
            }
        }
        outside(new, b, &mut out[start..]);
    }
    for change in &mut out[first..] {
        shared_site(change);
    }
}

/// Gives a change to a parameter the crate does not have as such (see [`outside_the_crate`])
/// its item, and no Rust effect.
fn outside(op: &Operation, p: &Parameter, changes: &mut [Change]) {
    if let Some(item) = outside_the_crate(op, p) {
        for change in changes {
            change.rust = item.clone();
            change.semver = crate::rules::Semver::Patch;
        }
    }
}

/// A parameter is the same in every operation that has it under the same name and location
/// (Atlas declares `groupId`, `pageNum` and the like once, in `components/parameters`): a
/// change to it reads the same everywhere, names its setter or argument without the method,
/// and reports fold it into one change.
fn shared_site(change: &mut Change) {
    if change.site.is_some() {
        return;
    }
    let Some((subject, message)) = change.message.split_once(": ") else {
        return;
    };
    let rust = change
        .rust
        .as_deref()
        .map(|item| match item.split_once(" of `Client::") {
            Some((argument, _)) => format!("{argument} of each method"),
            None => match item.split_once("::") {
                Some((_, setter)) => format!("setter `{setter} of each builder"),
                None => item.to_owned(),
            },
        });
    change.site = Some(Site {
        subject: subject.to_owned(),
        message: message.to_owned(),
        rust,
    });
}

/// Where a placeholder sits in a path template, counted among placeholders.
fn position(path: &str, name: &str) -> Option<usize> {
    template_names(path).iter().position(|n| n == name)
}

fn parameter<'m>(cx: &Cx<'m>, a: &'m Parameter, b: &'m Parameter, out: &mut Vec<Change>) {
    let context = label(b);
    if a.location != b.location {
        out.push(Change::new(
            RuleId::RequestParameterLocationChanged,
            format!(
                "{context}: moved from {} to {}",
                location(a.location),
                location(b.location)
            ),
        ));
    }
    if a.name != b.name {
        out.push(Change::new(
            RuleId::RequestParameterRenamed,
            format!(
                "{context}: placeholder renamed from `{}` (same position in the path)",
                a.name
            ),
        ));
    }
    if a.required != b.required {
        let (rule, now) = if b.required {
            (RuleId::RequestParameterBecameRequired, "required")
        } else {
            (RuleId::RequestParameterBecameOptional, "optional")
        };
        out.push(Change::new(rule, format!("{context}: became {now}")));
    }
    if b.deprecated && !a.deprecated {
        out.push(Change::new(
            RuleId::RequestParameterDeprecated,
            format!("{context}: deprecated"),
        ));
    }
    if a.default != b.default {
        out.push(Change::new(
            RuleId::RequestParameterDefaultChanged,
            format!(
                "{context}: default changed from {} to {}",
                default_text(&a.default),
                default_text(&b.default)
            ),
        ));
    }
    let mut walker = Walker::new(cx, Slot::Parameter, &context, out);
    walker.constraints("", &a.constraints, &b.constraints);
    walker.types("", &a.ty, &b.ty);
}
