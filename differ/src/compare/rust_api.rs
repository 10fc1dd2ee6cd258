//! The generated signatures that status, media-type and body rules can change: the type a
//! request builder's `send()` returns and the body its client method or setter takes. The effect
//! of those rules on the generated crate comes from comparing these, not from the rule table:
//! a second status beside a body turns `T` into `Option<T>` (major), while a status swap with no
//! body on either side, a schema added to a CSV answer (`Bytes` either way) or a new media type
//! with the same body leaves every public signature as it was (patch).
//!
//! This follows `codegen::emit` (`types::received_bodies`, `types::may_be_empty`,
//! `builder::response_handling`, `builder::body_type`, `pagination::page_type`), whose helpers are
//! private to the emitter; `tests/tests/diff_semver.rs` generates both sides of each fixture and
//! checks that the generated code agrees with the verdict.

use super::Cx;
use crate::rules::Semver;
use crate::select::{OpView, RequestView};
use codegen::model::{Pagination, Primitive, SuccessResponse, TypeName, TypeRef};

/// A success body as `send()` hands it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body<'m> {
    Json(&'m TypeRef),
    /// Any other media type (CSV, gzip): the bytes received.
    Bytes,
}

impl<'m> Body<'m> {
    /// `None` when the response has no body, or is JSON without a schema.
    fn of(response: &'m SuccessResponse) -> Option<Self> {
        if response.media_type.is_empty() {
            None
        } else if is_json(&response.media_type) {
            response.body.as_ref().map(Body::Json)
        } else {
            Some(Body::Bytes)
        }
    }

    fn kind(self) -> Kind {
        match self {
            Body::Json(_) => Kind::Json,
            Body::Bytes => Kind::Bytes,
        }
    }

    fn rust(self) -> String {
        match self {
            Body::Json(ty) => rust_type(ty),
            Body::Bytes => "Bytes".to_owned(),
        }
    }
}

/// Whether a media type is decoded as JSON (anything else is handed back as bytes).
pub(super) fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// What a body is made of, for comparing signatures: which JSON type it is, is judged by the body
/// rules (`DF409`, `DF410` and the property rules), so that each change is counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Bytes,
}

/// The shape of `send()`'s `ResponseValue<...>`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    Unit,
    One(Kind),
    /// A status without a body beside one with a body.
    Optional(Kind),
    /// Versions that answer with different types: the `#[non_exhaustive]` response enum, one
    /// variant per version.
    Versions(Vec<(String, Kind)>),
}

/// The `send()` return type of one side of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SendOutput {
    form: Form,
    /// As the generated code spells it, without paths: `ResponseValue<Option<Thing>>`.
    pub text: String,
}

/// The body the builder takes: the newest request content's type, or the enum over the bodies a
/// caller picks among (media types, or versions whose bodies differ in type) with the type of
/// each; and whether it is required (a positional argument) or optional (the `body` setter).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BodyInput<'m> {
    pub ty: &'m TypeRef,
    pub choice: Option<(String, Vec<&'m TypeRef>)>,
    pub required: bool,
}

impl BodyInput<'_> {
    /// The type as the generated code names it: `Thing`, `CreateThingContent`.
    pub fn text(&self) -> String {
        match &self.choice {
            Some((name, _)) => name.clone(),
            None => rust_type(self.ty),
        }
    }
}

/// The bodies a client receives, per version it can ask for: the runtime asks for the last media
/// type listed for a version, and any status of that media type with a body gives the body.
fn received<'m>(responses: &[&'m SuccessResponse]) -> Vec<(Option<&'m str>, Body<'m>)> {
    let mut asked: Vec<(Option<&'m str>, &'m str)> = Vec::new();
    for r in responses.iter().filter(|r| !r.media_type.is_empty()) {
        let version = r.version.as_ref().map(|v| v.as_str());
        match asked.iter_mut().find(|(v, _)| *v == version) {
            Some(slot) => slot.1 = &r.media_type,
            None => asked.push((version, &r.media_type)),
        }
    }
    asked
        .into_iter()
        .filter_map(|(version, media_type)| {
            let body = responses
                .iter()
                .filter(|r| r.media_type == media_type)
                .find_map(|r| Body::of(r))?;
            Some((version, body))
        })
        .collect()
}

/// A page model is walked by `pages()`, which needs `send()` to hand back the model itself.
fn is_page(responses: &[&SuccessResponse], pagination: Option<&Pagination>) -> bool {
    if pagination.is_none() {
        return false;
    }
    let mut bodies: Vec<&TypeRef> = Vec::new();
    for body in responses.iter().filter_map(|r| r.body.as_ref()) {
        if !bodies.contains(&body) {
            bodies.push(body);
        }
    }
    matches!(bodies.as_slice(), [TypeRef::Named(_)])
}

pub(super) fn send_output(view: &OpView<'_>) -> SendOutput {
    let responses = &view.responses;
    let received = received(responses);
    let mut distinct: Vec<Body<'_>> = Vec::new();
    for (_, body) in &received {
        if !distinct.contains(body) {
            distinct.push(*body);
        }
    }
    let may_be_empty = responses.iter().any(|r| Body::of(r).is_none())
        && !is_page(responses, view.op.pagination.as_ref());
    let (form, inner) = match distinct.as_slice() {
        [] => (Form::Unit, "()".to_owned()),
        [single] if may_be_empty => (
            Form::Optional(single.kind()),
            format!("Option<{}>", single.rust()),
        ),
        [single] => (Form::One(single.kind()), single.rust()),
        _ => (
            Form::Versions(
                received
                    .iter()
                    .filter_map(|(version, body)| Some(((*version)?.to_owned(), body.kind())))
                    .collect(),
            ),
            format!("{}Response", view.op.builder_name),
        ),
    };
    SendOutput {
        form,
        text: format!("ResponseValue<{inner}>"),
    }
}

/// How much the crate's semver moves when `send()` goes from `old` to `new`: a new variant of the
/// `#[non_exhaustive]` response enum is an addition, anything else that differs is a new type.
pub(super) fn send_effect(old: &SendOutput, new: &SendOutput) -> Semver {
    match (&old.form, &new.form) {
        (a, b) if a == b => Semver::Patch,
        (Form::Versions(a), Form::Versions(b)) if a.iter().all(|v| b.contains(v)) => Semver::Minor,
        _ => Semver::Major,
    }
}

pub(super) fn body_input<'m>(view: &OpView<'m>) -> Option<BodyInput<'m>> {
    let request: &RequestView<'m> = view.request.as_ref()?;
    let newest = request.contents.last()?;
    // The generated crate holds every version, whatever the pin: the enum is the whole body's.
    let whole = view.op.request.as_ref()?;
    let choice = (whole.choices.len() > 1).then(|| {
        (
            format!("{}Content", view.op.builder_name),
            whole.choices.iter().map(|c| &c.body).collect(),
        )
    });
    Some(BodyInput {
        ty: &newest.body,
        choice,
        required: request.required,
    })
}

/// Whether the builder takes another Rust type of body: renamed schemas count as the same type
/// here, since the rename is reported (and counted) with the named types. Of an enum of bodies,
/// a new variant is an addition (each variant's type converts into it), a lost or changed one
/// a new type.
pub(super) fn body_effect(
    cx: &Cx<'_>,
    old: Option<&BodyInput<'_>>,
    new: Option<&BodyInput<'_>>,
) -> Semver {
    match (old, new) {
        (Some(a), Some(b)) => match (&a.choice, &b.choice) {
            (None, None) if same_ref(cx, a.ty, b.ty) => Semver::Patch,
            (Some((x, xs)), Some((y, ys))) if x == y => {
                let kept = xs.iter().all(|t| ys.iter().any(|u| same_ref(cx, t, u)));
                match (kept, xs.len() == ys.len()) {
                    (true, true) => Semver::Patch,
                    (true, false) => Semver::Minor,
                    (false, _) => Semver::Major,
                }
            }
            _ => Semver::Major,
        },
        (None, None) => Semver::Patch,
        _ => Semver::Major,
    }
}

fn same_ref(cx: &Cx<'_>, a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Named(x), TypeRef::Named(y)) => cx.same_type(x, y),
        (TypeRef::Array(x), TypeRef::Array(y))
        | (TypeRef::Map(x), TypeRef::Map(y))
        | (TypeRef::Nullable(x), TypeRef::Nullable(y)) => same_ref(cx, x, y),
        _ => a == b,
    }
}

/// A type as the generated code names it, without module paths: `Vec<Thing>`.
pub(crate) fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(TypeName(name)) => name.clone(),
        TypeRef::Primitive(p) => primitive(*p).to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", rust_type(value)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Any => "serde_json::Value".to_owned(),
    }
}

fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "String",
        Primitive::DateTime => "DateTime<Utc>",
        Primitive::Date => "NaiveDate",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::Bool => "bool",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(form: Form) -> SendOutput {
        SendOutput {
            form,
            text: String::new(),
        }
    }

    #[test]
    fn response_enum_variants_are_additions_and_anything_else_a_new_type() {
        let v = |versions: &[&str]| {
            output(Form::Versions(
                versions
                    .iter()
                    .map(|v| ((*v).to_owned(), Kind::Json))
                    .collect(),
            ))
        };
        assert_eq!(
            send_effect(&v(&["a", "b"]), &v(&["a", "b", "c"])),
            Semver::Minor
        );
        assert_eq!(
            send_effect(&v(&["a", "b", "c"]), &v(&["a", "b"])),
            Semver::Major
        );
        assert_eq!(
            send_effect(
                &output(Form::One(Kind::Json)),
                &output(Form::One(Kind::Json))
            ),
            Semver::Patch
        );
        assert_eq!(
            send_effect(
                &output(Form::One(Kind::Json)),
                &output(Form::Optional(Kind::Json))
            ),
            Semver::Major
        );
        assert_eq!(
            send_effect(
                &output(Form::One(Kind::Bytes)),
                &output(Form::One(Kind::Json))
            ),
            Semver::Major
        );
    }

    #[test]
    fn rust_types_read_like_the_generated_code() {
        let ty = TypeRef::Array(Box::new(TypeRef::Map(Box::new(TypeRef::Named(TypeName(
            "Thing".into(),
        ))))));
        assert_eq!(rust_type(&ty), "Vec<BTreeMap<String, Thing>>");
    }
}
