//! The shared half of the generated models' `Deserialize` impls.
//!
//! Each model struct gets a short generated `visit_map` that asks [`FieldIndex`] which of its
//! properties a key names and stores the value with [`take`]; [`required`] turns a property
//! that never came into serde's "missing field" error. `#[derive(Deserialize)]` would also
//! write a `visit_seq` (decoding a struct from an array, which no JSON answer does) and a
//! field visitor for every struct. Across hundreds of models that dead code was most of the
//! time it took to type-check a generated crate, so the generator writes the leaner form and
//! the logic that needs no per-struct types lives here once.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Reads one map key and answers its position in `fields`, or `fields.len()` for a key the
/// struct does not have (its value is then skipped). Borrowed keys are compared in place.
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| *field == key)
            .unwrap_or(self.0.len()))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| field.as_bytes() == key)
            .unwrap_or(self.0.len()))
    }
}

/// Decodes the value of property `name` into `slot`; a property sent twice is an error, as
/// with derived impls.
pub fn take<'de, T, A>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a property the struct does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// The value of a required property, or serde's "missing field" error naming it.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct written the way the generator writes them, to test the helpers through
    /// serde_json.
    #[derive(Debug, PartialEq)]
    struct Sample {
        name: String,
        size: Option<u32>,
    }

    impl<'de> de::Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            const FIELDS: &[&str] = &["name", "size"];
            struct SampleVisitor;
            impl<'de> Visitor<'de> for SampleVisitor {
                type Value = Sample;
                fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                    formatter.write_str("struct Sample")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sample, A::Error> {
                    let mut name = None;
                    let mut size = None;
                    while let Some(index) = map.next_key_seed(FieldIndex(FIELDS))? {
                        match index {
                            0 => take(&mut map, &mut name, "name")?,
                            1 => take(&mut map, &mut size, "size")?,
                            _ => skip(&mut map)?,
                        }
                    }
                    Ok(Sample {
                        name: required(name, "name")?,
                        size: size.flatten(),
                    })
                }
            }
            deserializer.deserialize_struct("Sample", FIELDS, SampleVisitor)
        }
    }

    fn decode(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn known_properties_decode_and_unknown_ones_are_skipped() {
        let sample = decode(r#"{"extra":{"deep":[1,2]},"size":3,"name":"a"}"#).unwrap();
        assert_eq!(
            sample,
            Sample {
                name: "a".into(),
                size: Some(3)
            }
        );
        let escaped = decode(r#"{"n\u0061me":"b"}"#).unwrap();
        assert_eq!(escaped.name, "b");
    }

    #[test]
    fn optional_properties_may_be_missing_or_null() {
        assert_eq!(decode(r#"{"name":"a"}"#).unwrap().size, None);
        assert_eq!(decode(r#"{"name":"a","size":null}"#).unwrap().size, None);
    }

    #[test]
    fn missing_duplicate_and_mistyped_properties_are_errors() {
        let missing = decode(r#"{"size":1}"#).unwrap_err();
        assert!(missing.contains("missing field `name`"), "{missing}");
        let twice = decode(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(twice.contains("duplicate field `name`"), "{twice}");
        let mistyped = decode(r#"{"name":"a","size":"big"}"#).unwrap_err();
        assert!(mistyped.contains("invalid type: string"), "{mistyped}");
        let array = decode(r#"["a", 1]"#).unwrap_err();
        assert!(array.contains("expected struct Sample"), "{array}");
    }
}
