//! Which alternative of an untagged union (a `oneOf`/`anyOf` with no discriminator) a JSON value
//! is. The generated decoder of such a union describes each variant's [`Shape`] and tries them
//! in the order [`candidates`] gives, keeping the first that decodes.
//!
//! The order, which the crate docs promise:
//! 1. Only variants whose JSON type is the value's are candidates (an integer also fits a
//!    number, anything fits a variant of unknown type), and an object must carry every
//!    required property of the variant, and each property it has whose values the variant
//!    lists (a string enum, or an implicit tag such as `{"type": {"enum": ["vpc"]}}`) must
//!    hold one of them.
//! 2. Among them, the variant with the most such listed properties matched comes first,
//!    then the one with the fewest properties the value has but the variant does not know,
//!    then the one knowing the most of the value's properties, then the spec's order.
//!
//! serde's `#[serde(untagged)]` would take the first variant that decodes, so a struct whose
//! properties are all optional would swallow every object; no maintained crate ranks by shape.

use serde_json::Value;

/// The JSON type a variant decodes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A JSON string.
    String,
    /// A whole JSON number.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Unknown (a nested union or any value): fits every value, ranked after the rest.
    Any,
}

/// What a variant's type says about the values it decodes.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The JSON type.
    pub kind: Kind,
    /// An object's property names.
    pub properties: &'static [&'static str],
    /// The properties an object must have.
    pub required: &'static [&'static str],
    /// Properties whose string values are listed, with the values.
    pub listed: &'static [(&'static str, &'static [&'static str])],
    /// The values a string enum lists (empty: any string).
    pub values: &'static [&'static str],
}

impl Shape {
    /// A variant of this JSON type with nothing more to check.
    pub const fn of(kind: Kind) -> Self {
        Shape {
            kind,
            properties: &[],
            required: &[],
            listed: &[],
            values: &[],
        }
    }

    /// How well `value` fits, or `None` when it cannot be this variant. Smaller ranks first.
    fn rank(&self, value: &Value) -> Option<(usize, usize, usize, usize)> {
        let fits = match (self.kind, value) {
            (Kind::Any, _) => return Some((1, 0, 0, 0)),
            (Kind::Object, Value::Object(_)) | (Kind::Array, Value::Array(_)) => true,
            (Kind::Boolean, Value::Bool(_)) => true,
            (Kind::Number, Value::Number(_)) => true,
            (Kind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Kind::String, Value::String(s)) => {
                self.values.is_empty() || self.values.contains(&s.as_str())
            }
            _ => false,
        };
        if !fits {
            return None;
        }
        let Value::Object(object) = value else {
            return Some((0, 0, 0, 0));
        };
        if !self.required.iter().all(|name| object.contains_key(*name)) {
            return None;
        }
        let listed_matched = self
            .listed
            .iter()
            .map(|(name, values)| {
                object
                    .get(*name)
                    .map(|v| v.as_str().is_some_and(|v| values.contains(&v)))
            })
            .try_fold(0usize, |count, found| match found {
                Some(false) => None,
                Some(true) => Some(count + 1),
                None => Some(count),
            })?;
        let known = object
            .keys()
            .filter(|key| self.properties.contains(&key.as_str()))
            .count();
        let unknown = object.len() - known;
        Some((0, usize::MAX - listed_matched, unknown, usize::MAX - known))
    }
}

/// The indexes of the variants `value` may be, best first (see the module docs).
pub fn candidates(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    let mut ranked: Vec<((usize, usize, usize, usize), usize)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(index, shape)| shape.rank(value).map(|rank| (rank, index)))
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, index)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VPC: Shape = Shape {
        kind: Kind::Object,
        properties: &["type", "value"],
        required: &["type", "value"],
        listed: &[("type", &["vpc"])],
        values: &[],
    };
    const SUBNET: Shape = Shape {
        listed: &[("type", &["subnet"])],
        ..VPC
    };
    const LOOSE: Shape = Shape {
        kind: Kind::Object,
        properties: &["name"],
        required: &[],
        listed: &[],
        values: &[],
    };
    const STRICT: Shape = Shape {
        kind: Kind::Object,
        properties: &["name", "size"],
        required: &["size"],
        listed: &[],
        values: &[],
    };

    #[test]
    fn a_single_valued_property_picks_its_variant() {
        let shapes = [VPC, SUBNET];
        assert_eq!(
            candidates(&json!({"type": "subnet", "value": "a"}), &shapes),
            [1]
        );
        assert_eq!(
            candidates(&json!({"type": "vpc", "value": "a"}), &shapes),
            [0]
        );
        assert!(candidates(&json!({"type": "ip", "value": "a"}), &shapes).is_empty());
        assert!(
            candidates(&json!({"type": "vpc"}), &shapes).is_empty(),
            "value is required"
        );
    }

    #[test]
    fn objects_rank_by_the_properties_they_know() {
        let shapes = [LOOSE, STRICT];
        // Only the loose variant fits without `size`.
        assert_eq!(candidates(&json!({"name": "a"}), &shapes), [0]);
        // Both fit; the strict one knows every property.
        assert_eq!(
            candidates(&json!({"name": "a", "size": 1}), &shapes),
            [1, 0]
        );
    }

    #[test]
    fn json_types_decide_first_and_any_comes_last() {
        let shapes = [
            Shape::of(Kind::Any),
            Shape::of(Kind::Number),
            Shape::of(Kind::Integer),
            Shape {
                values: &["M10", "M20"],
                ..Shape::of(Kind::String)
            },
            Shape::of(Kind::String),
        ];
        assert_eq!(candidates(&json!(5), &shapes), [1, 2, 0]);
        assert_eq!(candidates(&json!(5.5), &shapes), [1, 0]);
        assert_eq!(candidates(&json!("M20"), &shapes), [3, 4, 0]);
        assert_eq!(candidates(&json!("M30"), &shapes), [4, 0]);
        assert_eq!(candidates(&json!(true), &shapes), [0]);
    }
}
