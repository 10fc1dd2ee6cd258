//! Fix-ups: the ways specs in the wild write a schema that the model reads differently from
//! `openapiv3`. Each is a named function with its reason, and the [`FixupLog`] of a model counts
//! how often each applied, so one that never applies to the specs it was written for shows up.
//! They only read: what a fix-up set aside comes back with the schema, for the caller to note.

use super::keywords::Composition;
use openapiv3::{
    AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, Schema, SchemaKind,
    StringType, Type,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A named fix-up, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fixup {
    /// A schema with a `type` and keywords of another type (a `pattern` on an integer) is read
    /// as its declared type without them, as JSON Schema reads it (`declared_type`).
    DeclaredType,
    /// An integer bound that is not a whole number (`minimum: 0.5`) is dropped rather than
    /// rounded (`whole_integer_bounds`).
    FractionalIntegerBounds,
}

impl Fixup {
    pub const ALL: [Fixup; 2] = [Fixup::DeclaredType, Fixup::FractionalIntegerBounds];

    pub fn name(self) -> &'static str {
        match self {
            Fixup::DeclaredType => "declared-type",
            Fixup::FractionalIntegerBounds => "fractional-integer-bounds",
        }
    }
}

/// How many schemas each fix-up changed while one model was built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixupLog {
    applied: BTreeMap<Fixup, usize>,
}

impl FixupLog {
    pub(crate) fn record(&mut self, fixup: Fixup) {
        *self.applied.entry(fixup).or_default() += 1;
    }

    /// How many schemas `fixup` changed.
    pub fn count(&self, fixup: Fixup) -> usize {
        self.applied.get(&fixup).copied().unwrap_or(0)
    }

    /// The fix-ups that changed nothing: for the specs a fix-up was written for, a sign that it
    /// is no longer needed.
    pub fn never_applied(&self) -> Vec<Fixup> {
        Fixup::ALL
            .into_iter()
            .filter(|f| self.count(*f) == 0)
            .collect()
    }
}

/// The schema as the model reads it, with what the fix-ups set aside. A schema no fix-up applies
/// to is returned as it is.
pub(crate) fn normalize(schema: &Schema) -> (Cow<'_, Schema>, Ignored) {
    match declared_type(schema) {
        Some((normalized, ignored)) => (Cow::Owned(normalized), ignored),
        None => (Cow::Borrowed(schema), Ignored::default()),
    }
}

/// Fix-up [`Fixup::DeclaredType`]: `openapiv3` keeps a schema as `SchemaKind::Any` when one of
/// its keywords does not fit its `type` (a `pattern` on an integer, a `minimum` on a string).
/// JSON Schema ignores keywords that do not apply to a value's type, so such a schema is read as
/// its declared type without them; the keywords set aside are returned with the type, for a
/// note. `None` for schemas with composition keywords, without a `type`, or already typed.
fn declared_type(schema: &Schema) -> Option<(Schema, Ignored)> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    if Composition::of(schema).is_some() {
        return None;
    }
    let typ = any.typ.as_deref()?;
    let string_keywords = [
        ("pattern", any.pattern.is_some()),
        ("minLength", any.min_length.is_some()),
        ("maxLength", any.max_length.is_some()),
    ];
    let number_keywords = [
        ("multipleOf", any.multiple_of.is_some()),
        ("minimum", any.minimum.is_some()),
        ("maximum", any.maximum.is_some()),
        ("exclusiveMinimum", any.exclusive_minimum.is_some()),
        ("exclusiveMaximum", any.exclusive_maximum.is_some()),
    ];
    let array_keywords = [
        ("items", any.items.is_some()),
        ("minItems", any.min_items.is_some()),
        ("maxItems", any.max_items.is_some()),
        ("uniqueItems", any.unique_items.is_some()),
    ];
    let object_keywords = [
        ("properties", !any.properties.is_empty()),
        ("required", !any.required.is_empty()),
        ("additionalProperties", any.additional_properties.is_some()),
        ("minProperties", any.min_properties.is_some()),
        ("maxProperties", any.max_properties.is_some()),
    ];
    let enum_keyword = [("enum", !any.enumeration.is_empty())];
    // Members of another type than the declared one (`1` in a string enum) cannot be variants.
    let fits = |value: &serde_json::Value| match typ {
        "string" => value.is_string(),
        "integer" => value.as_i64().is_some(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    };
    let dropped_members: Vec<String> = any
        .enumeration
        .iter()
        .filter(|value| !fits(value))
        .map(|value| format!("`{value}`"))
        .collect();
    let mut fixups = vec![Fixup::DeclaredType];
    let mut not_whole: Vec<&'static str> = Vec::new();
    let (typ, kind, ignored): (&'static str, Type, Vec<&[(&'static str, bool)]>) = match typ {
        "string" => (
            "string",
            Type::String(StringType {
                format: any.format.clone().into(),
                pattern: any.pattern.clone(),
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| Some(s.to_owned())))
                    .collect(),
                min_length: any.min_length,
                max_length: any.max_length,
            }),
            vec![&number_keywords, &array_keywords, &object_keywords],
        ),
        "integer" => {
            let bounds = whole_integer_bounds(any);
            if !bounds.dropped.is_empty() {
                fixups.push(Fixup::FractionalIntegerBounds);
            }
            not_whole = bounds.dropped;
            (
                "integer",
                Type::Integer(IntegerType {
                    format: any.format.clone().into(),
                    multiple_of: bounds.multiple_of,
                    exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                    exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
                    minimum: bounds.minimum,
                    maximum: bounds.maximum,
                    enumeration: any
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_i64().map(Some))
                        .collect(),
                }),
                vec![&string_keywords, &array_keywords, &object_keywords],
            )
        }
        "number" => (
            "number",
            Type::Number(NumberType {
                format: any.format.clone().into(),
                multiple_of: any.multiple_of,
                exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
                minimum: any.minimum,
                maximum: any.maximum,
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_f64().map(Some))
                    .collect(),
            }),
            vec![&string_keywords, &array_keywords, &object_keywords],
        ),
        "boolean" => (
            "boolean",
            Type::Boolean(BooleanType {
                enumeration: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_bool().map(Some))
                    .collect(),
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &array_keywords,
                &object_keywords,
            ],
        ),
        "array" => (
            "array",
            Type::Array(ArrayType {
                items: any.items.clone(),
                min_items: any.min_items,
                max_items: any.max_items,
                unique_items: any.unique_items.unwrap_or(false),
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &object_keywords,
                &enum_keyword,
            ],
        ),
        "object" => (
            "object",
            Type::Object(ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: any.min_properties,
                max_properties: any.max_properties,
            }),
            vec![
                &string_keywords,
                &number_keywords,
                &array_keywords,
                &enum_keyword,
            ],
        ),
        _ => return None,
    };
    let not_applicable = ignored
        .into_iter()
        .flatten()
        .filter(|(_, present)| *present)
        .map(|(keyword, _)| *keyword)
        .collect();
    let normalized = Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind: SchemaKind::Type(kind),
    };
    Some((
        normalized,
        Ignored {
            typ,
            not_applicable,
            not_whole,
            dropped_members,
            fixups,
        },
    ))
}

/// The bounds of an integer schema that can be kept as integer bounds.
struct WholeBounds {
    minimum: Option<i64>,
    maximum: Option<i64>,
    multiple_of: Option<i64>,
    /// The keywords dropped, in the order `minimum`, `maximum`, `multipleOf`.
    dropped: Vec<&'static str>,
}

/// Fix-up [`Fixup::FractionalIntegerBounds`]: an integer bound that is not a whole number
/// (`minimum: 0.5`) cannot be kept as an integer bound, and rounding it would guess which way
/// the spec meant, so it is dropped and named for a note.
fn whole_integer_bounds(any: &AnySchema) -> WholeBounds {
    let whole = |n: Option<f64>| n.filter(|n| n.fract() == 0.0).map(|n| n as i64);
    let fractional = [
        ("minimum", any.minimum),
        ("maximum", any.maximum),
        ("multipleOf", any.multiple_of),
    ];
    WholeBounds {
        minimum: whole(any.minimum),
        maximum: whole(any.maximum),
        multiple_of: whole(any.multiple_of),
        dropped: fractional
            .iter()
            .filter(|(_, n)| n.is_some() && whole(*n).is_none())
            .map(|(keyword, _)| *keyword)
            .collect(),
    }
}

/// The keywords [`normalize`] set aside, the type they were set aside for, and the fix-ups that
/// applied.
#[derive(Debug, Default)]
pub(crate) struct Ignored {
    typ: &'static str,
    /// Keywords of another type (`pattern` on an integer).
    not_applicable: Vec<&'static str>,
    /// Integer bounds with a fraction (`minimum: 0.5`).
    not_whole: Vec<&'static str>,
    /// `enum` members of another type, as written (`` `1` ``).
    dropped_members: Vec<String>,
    fixups: Vec<Fixup>,
}

impl Ignored {
    /// The fix-ups that applied.
    pub(crate) fn fixups(&self) -> &[Fixup] {
        &self.fixups
    }

    /// What was set aside, said for a note; `None` when nothing was.
    pub(crate) fn note(&self) -> Option<String> {
        let listed = |keywords: &[&str]| {
            let quoted: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
            (quoted.join(", "), keywords.len() == 1)
        };
        let mut sentences = Vec::new();
        if !self.not_applicable.is_empty() {
            let (keywords, one) = listed(&self.not_applicable);
            let (verb, are) = if one { ("does", "is") } else { ("do", "are") };
            sentences.push(format!(
                "{keywords} {verb} not apply to `{}` values and {are} ignored",
                self.typ
            ));
        }
        if !self.not_whole.is_empty() {
            let (keywords, one) = listed(&self.not_whole);
            let what = if one {
                "is not a whole number, so it cannot bound"
            } else {
                "are not whole numbers, so they cannot bound"
            };
            sentences.push(format!("{keywords} {what} `{}` values; ignored", self.typ));
        }
        if !self.dropped_members.is_empty() {
            let members = self.dropped_members.join(", ");
            let typ = self.typ;
            sentences.push(if self.dropped_members.len() == 1 {
                format!("`enum` member {members} is not of type `{typ}` and is left out")
            } else {
                format!("`enum` members {members} are not of type `{typ}` and are left out")
            });
        }
        (!sentences.is_empty()).then(|| sentences.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"))
    }

    fn kind(schema: &Schema) -> &'static str {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => "string",
            SchemaKind::Type(Type::Integer(_)) => "integer",
            SchemaKind::Type(Type::Number(_)) => "number",
            SchemaKind::Type(Type::Boolean(_)) => "boolean",
            SchemaKind::Type(Type::Array(_)) => "array",
            SchemaKind::Type(Type::Object(_)) => "object",
            SchemaKind::Any(_) => "any",
            _ => "composed",
        }
    }

    #[test]
    fn declared_type_sets_aside_keywords_of_other_types() {
        // (schema, kind read, keywords set aside); `None` where the fix-up does not apply.
        type Read = Option<(&'static str, &'static [&'static str])>;
        let table: &[(&str, Read)] = &[
            (
                "{type: integer, pattern: '^[0-9]+$'}",
                Some(("integer", &["pattern"])),
            ),
            ("{type: string, minimum: 1}", Some(("string", &["minimum"]))),
            (
                "{type: boolean, maxLength: 2, minItems: 1}",
                Some(("boolean", &["maxLength", "minItems"])),
            ),
            (
                "{type: object, properties: {a: {type: string}}, minLength: 1}",
                Some(("object", &["minLength"])),
            ),
            ("{type: number, pattern: x}", Some(("number", &["pattern"]))),
            ("{type: string, maxLength: 3}", None),
            ("{pattern: x, minimum: 1}", None),
            ("{type: string, allOf: [{minimum: 1}]}", None),
        ];
        for (yaml, expected) in table {
            let original = schema(yaml);
            let fixed = declared_type(&original);
            let got = fixed
                .as_ref()
                .map(|(s, ignored)| (kind(s), ignored.not_applicable.as_slice()));
            assert_eq!(got, expected.map(|(k, i)| (k, i)), "{yaml}");
            if let Some((_, ignored)) = &fixed {
                assert!(ignored.fixups.contains(&Fixup::DeclaredType), "{yaml}");
            }
        }
    }

    #[test]
    fn whole_integer_bounds_drop_fractions() {
        // (schema, (minimum, maximum, multipleOf) kept, keywords dropped)
        type Bounds = (Option<i64>, Option<i64>, Option<i64>);
        let table: &[(&str, Bounds, &[&str])] = &[
            (
                "{type: integer, minimum: 0.5}",
                (None, None, None),
                &["minimum"],
            ),
            (
                "{type: integer, minimum: 1, maximum: 10.5, multipleOf: 2.5}",
                (Some(1), None, None),
                &["maximum", "multipleOf"],
            ),
            (
                "{type: integer, minimum: 1.0, maximum: 0.5}",
                (Some(1), None, None),
                &["maximum"],
            ),
            (
                "{type: integer, minimum: 1, maximum: 2}",
                (Some(1), Some(2), None),
                &[],
            ),
        ];
        for (yaml, bounds, dropped) in table {
            let any: AnySchema = serde_yaml::from_str(yaml).unwrap();
            let got = whole_integer_bounds(&any);
            assert_eq!(
                (
                    (got.minimum, got.maximum, got.multiple_of),
                    got.dropped.as_slice()
                ),
                (*bounds, *dropped),
                "{yaml}"
            );
        }
    }

    #[test]
    fn normalize_names_the_fixups_that_applied() {
        let table: &[(&str, &[Fixup])] = &[
            ("{type: integer, minimum: 1}", &[]),
            (
                "{type: integer, minimum: 1, pattern: x}",
                &[Fixup::DeclaredType],
            ),
            (
                "{type: integer, minimum: 0.5}",
                &[Fixup::DeclaredType, Fixup::FractionalIntegerBounds],
            ),
            ("{type: number, minimum: 0.5}", &[]),
        ];
        for (yaml, fixups) in table {
            let original = schema(yaml);
            let (_, ignored) = normalize(&original);
            assert_eq!(ignored.fixups.as_slice(), *fixups, "{yaml}");
        }
    }

    #[test]
    fn the_log_tells_which_fixups_never_applied() {
        let mut log = FixupLog::default();
        assert_eq!(log.never_applied(), Fixup::ALL);
        log.record(Fixup::DeclaredType);
        log.record(Fixup::DeclaredType);
        assert_eq!(log.count(Fixup::DeclaredType), 2);
        assert_eq!(log.never_applied(), [Fixup::FractionalIntegerBounds]);
    }

    #[test]
    fn enum_members_of_another_type_are_noted() {
        let model = super::super::model_of(
            "Switch: {type: string, enum: [on, off, 1, true, null]}\nCount: {type: integer, enum: [1, two]}",
        );
        let notes: Vec<(&str, &str)> = model
            .notes
            .iter()
            .map(|n| (n.pointer.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "/components/schemas/Count",
                    "`enum` member `\"two\"` is not of type `integer` and is left out"
                ),
                (
                    "/components/schemas/Switch",
                    "`enum` members `1`, `true`, `null` are not of type `string` and are left out"
                ),
            ]
        );
    }
}
