//! Snapshot tests of the generator: the full generated code for small fixture specs that each
//! isolate one hard case, and the public surface generated from the curated spec.

use codegen::model::{ApiModel, Constraints, TypeKind};
use codegen::Options;
use std::fmt::Write;
use std::path::PathBuf;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every generated file of a fixture, then the notes the run printed.
fn render_fixture(name: &str) -> String {
    let label = format!("tests/fixtures/codegen/{name}");
    let options = Options {
        spec_label: label.clone(),
        command: "cargo xtask regen".into(),
        crate_settings: codegen::CrateSettings::default(),
    };
    let generated = codegen::generate(&repository().join(&label), &options)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let mut out = String::new();
    // The manifest is the same for every fixture; the committed client's shows it.
    for file in generated.files.iter().filter(|f| f.path != "Cargo.toml") {
        writeln!(out, "==> {} <==\n{}", file.path, file.contents).unwrap();
    }
    out.push_str("==> notes <==\n");
    for note in &generated.model.notes {
        writeln!(out, "#{}: {}", note.pointer, note.message).unwrap();
    }
    out
}

#[test]
fn keywords_and_collisions() {
    insta::assert_snapshot!(render_fixture("keywords.yaml"));
}

#[test]
fn required_optional_array_and_header_parameters() {
    insta::assert_snapshot!(render_fixture("parameters.yaml"));
}

#[test]
fn enums() {
    insta::assert_snapshot!(render_fixture("enums.yaml"));
}

#[test]
fn several_versions_of_one_operation() {
    insta::assert_snapshot!(render_fixture("versions.yaml"));
}

#[test]
fn deprecation() {
    insta::assert_snapshot!(render_fixture("deprecation.yaml"));
}

#[test]
fn nested_and_referenced_schemas() {
    insta::assert_snapshot!(render_fixture("nested.yaml"));
}

/// `x-waiters` on a get operation becomes a `wait_until_…` method; a 202 with a body decodes
/// it, a 204 is `()`, and a required read-only property is not a constructor argument.
#[test]
fn waiters_202_and_204() {
    insta::assert_snapshot!(render_fixture("waiters.yaml"));
}

#[test]
fn pagination() {
    insta::assert_snapshot!(render_fixture("pagination.yaml"));
}

/// `allOf` merged into one struct (also beside `type` and `properties`), lone members taken as
/// themselves, `oneOf` with a discriminator and unmergeable `allOf` noted as `Value`.
#[test]
fn composition() {
    insta::assert_snapshot!(render_fixture("composition.yaml"));
}

/// Keywords that do not fit the declared type are set aside with a note (no pattern check on
/// an integer), patterns for other regex engines are noted once, repeated enum values are one
/// variant, and an enum without a type is still an enum.
#[test]
fn schema_keywords() {
    insta::assert_snapshot!(render_fixture("schema_keywords.yaml"));
}

/// Request bodies with constructors, a 204 beside a 200, gzip and CSV downloads as bytes,
/// a media type the client never asks for, write-only and nullable-by-reference fields.
#[test]
fn request_and_response_bodies() {
    insta::assert_snapshot!(render_fixture("bodies.yaml"));
}

/// Form bodies are typed structs sent as forms: arrays repeat their key unless the spec's
/// `encoding` gives another style, which the builder hands to the runtime; an XML body, which
/// the client cannot encode, is left out with a note instead of being sent as JSON.
#[test]
fn form_bodies() {
    insta::assert_snapshot!(render_fixture("forms.yaml"));
}

/// A multipart body becomes a struct with a field per part (an `Upload` for a `format: binary`
/// property, several for an array of them) carrying the `encoding` content types; raw bodies
/// (`application/octet-stream`, `text/plain`) take an `Upload`; a JSON Patch body is JSON; an
/// operation with several media types takes an enum whose variant picks one, and the XML one
/// it cannot encode is left out with a note.
#[test]
fn upload_bodies() {
    insta::assert_snapshot!(render_fixture("uploads.yaml"));
}

/// Every kind of security scheme: each operation lists the schemes of its own `security`
/// (none for `security: []`), API keys carry their name and place, the client carries a mark
/// per scheme the builder offers and the client-credentials token URL and scopes, and the one
/// scheme the client cannot honour (`http` `hoba`) is a note.
#[test]
fn security_schemes() {
    insta::assert_snapshot!(render_fixture("security.yaml"));
}

/// A struct with a secret writes its `Debug` out, showing `<redacted>` for a `format:
/// password` property (also through a `$ref`), an `x-sensitive` one and a write-only one whose
/// name says secret; a write-only property with another name, and a `token` in an answer, are
/// shown. Structs without secrets keep the derive, and `Serialize` sends every field.
#[test]
fn secrets_in_debug() {
    insta::assert_snapshot!(render_fixture("secrets.yaml"));
}

/// Discriminators become tagged unions of their subtypes (through a mapping, also to one
/// subtype under several tags, or through `oneOf` members named by schema name); a subtype may
/// refer back to its union. Those that cannot be typed keep their plain conversion with a note.
#[test]
fn discriminators() {
    insta::assert_snapshot!(render_fixture("discriminator.yaml"));
}

/// A polymorphic base whose subtypes extend it with `allOf` (one with nothing of its own), and
/// unions without a discriminator: objects told apart by an implicit tag or by their
/// properties, string alternatives merged into one enum, primitives by JSON type, a nullable
/// union. Their decoding is run in `codegen/tests/decode_unions.rs`.
#[test]
fn unions_without_a_usable_discriminator() {
    insta::assert_snapshot!(render_fixture("unions.yaml"));
}

/// `HEAD`, `OPTIONS` and `TRACE` beside `GET`: the method in each descriptor, and a `HEAD`
/// answer read for its status and headers only, although the spec describes its content.
#[test]
fn every_http_method() {
    insta::assert_snapshot!(render_fixture("methods.yaml"));
}

/// The public surface of the committed client: every operation with its Rust method, wire
/// contract and deprecation, and every type with its kind. The code itself is committed and
/// checked for freshness; this is the part a reviewer reads when the spec changes.
#[test]
fn curated_spec_surface() {
    let spec = codegen::load::load_file(&repository().join(codegen::project::SPEC_PATH)).unwrap();
    let validated = codegen::validate::validate(&spec).unwrap();
    let model = codegen::model::build_model(&validated).unwrap();
    insta::assert_snapshot!(surface(&model));
}

/// The constraints that are set, compactly.
fn constraints(c: &Constraints) -> String {
    let mut out = String::new();
    if let Some(p) = &c.pattern {
        write!(out, " pattern {p}").unwrap();
    }
    if c.min_length.is_some() || c.max_length.is_some() {
        write!(out, " length {:?}..{:?}", c.min_length, c.max_length).unwrap();
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        write!(out, " range {:?}..{:?}", c.minimum, c.maximum).unwrap();
    }
    out
}

fn surface(model: &ApiModel) -> String {
    let mut out = String::new();
    for op in &model.operations {
        writeln!(
            out,
            "{} ({:?}) -> Client::{}",
            op.id, op.generation, op.method_name
        )
        .unwrap();
        writeln!(out, "  {} {}", op.http_method.as_str(), op.path).unwrap();
        for p in &op.params {
            let required = if p.required { "required" } else { "optional" };
            let default = p
                .default
                .as_ref()
                .map(|d| format!(" default {d}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:?} {} `{}`: {:?}{}{}",
                p.location,
                required,
                p.name,
                p.ty,
                constraints(&p.constraints),
                default
            )
            .unwrap();
        }
        for r in &op.responses {
            writeln!(out, "  {} {} -> {:?}", r.status, r.media_type, r.body).unwrap();
        }
        let errors: Vec<String> = op.errors.iter().map(|e| e.status.to_string()).collect();
        writeln!(out, "  errors: {}", errors.join(", ")).unwrap();
        writeln!(out, "  security: {}", op.security.join(", ")).unwrap();
        if let Some(d) = &op.deprecation {
            writeln!(
                out,
                "  deprecated: sunset {:?}, replaced by {:?}",
                d.sunset,
                d.replaced_by.as_ref().map(|id| &id.0)
            )
            .unwrap();
        }
        if let Some(p) = &op.pagination {
            writeln!(
                out,
                "  pages: {} / {} over `{}` of {:?}, total in {:?}",
                p.page_param,
                p.size_param,
                p.results_field,
                p.item,
                p.total_field.as_ref().map(|f| &f.0)
            )
            .unwrap();
        }
    }
    for def in model.types.values() {
        let kind = match &def.kind {
            TypeKind::Struct(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}: {:?}",
                            f.ident,
                            if f.required { "" } else { "?" },
                            f.ty
                        )
                    })
                    .collect();
                format!("struct {{ {} }}", fields.join(", "))
            }
            TypeKind::Enum(variants) => {
                let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
                format!("enum [{}]", values.join(", "))
            }
            TypeKind::Alias(target) => format!("= {target:?}"),
            TypeKind::Union(union) => {
                let variants: Vec<String> = union
                    .variants
                    .iter()
                    .map(|v| format!("{}: {:?}", v.value, v.ty))
                    .collect();
                format!("union by {} [{}]", union.property, variants.join(", "))
            }
            TypeKind::Untagged(union) => {
                let variants: Vec<String> = union
                    .variants
                    .iter()
                    .map(|v| format!("{}: {:?}", v.ident, v.ty))
                    .collect();
                format!("{:?} by shape [{}]", union.keyword, variants.join(", "))
            }
        };
        writeln!(out, "type {} {}", def.name, kind).unwrap();
    }
    writeln!(out, "error body: {:?}", model.error_body).unwrap();
    writeln!(out, "versions: {:?}", model.api_versions()).unwrap();
    out
}
