//! The shared half of the generated models' `Deserialize` impls.
//!
//! Each model struct implements [`Object`]: a generated `from_map` asks [`FieldCursor`] which
//! of its properties a key names and stores the value with [`take`]; [`required`] turns a
//! property that never came into serde's "missing field" error, and [`object`] is the whole
//! `Deserialize::deserialize`. `#[derive(Deserialize)]` would instead write a visitor, a
//! `visit_seq` (decoding a struct from an array, which no JSON answer does) and a field
//! visitor for every struct. Across hundreds of models that code was most of the time it took
//! to type-check a generated crate, so the generator writes the lean form and everything that
//! needs no per-struct code lives here once.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A model struct decoded from a JSON object.
pub trait Object: Sized {
    /// The struct's Rust name, for error messages.
    const NAME: &'static str;
    /// The wire names of its properties; `from_map` numbers them in this order.
    const FIELDS: &'static [&'static str];

    /// Reads the properties of one object.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every [`Object`].
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Reads map keys and answers each one's position in the struct's wire names, or
/// `names.len()` for a property the struct does not have (its value is then skipped).
///
/// Servers write the properties of an object in the same order every time, so the name after
/// the last one found is tried first; otherwise every name is tried, comparing lengths and
/// first bytes before whole names. Borrowed keys are compared in place.
pub struct FieldCursor {
    names: &'static [&'static str],
    next: usize,
}

impl FieldCursor {
    pub fn new(names: &'static [&'static str]) -> Self {
        FieldCursor { names, next: 0 }
    }

    fn find(&mut self, key: &[u8]) -> usize {
        let same = |name: &&str| {
            let name = name.as_bytes();
            name.len() == key.len() && name.first() == key.first() && name == key
        };
        let found = match self.names.get(self.next) {
            Some(name) if same(name) => Some(self.next),
            _ => self.names.iter().position(same),
        };
        match found {
            Some(index) => {
                self.next = index + 1;
                index
            }
            None => self.names.len(),
        }
    }
}

impl<'de> DeserializeSeed<'de> for &mut FieldCursor {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for &mut FieldCursor {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.find(key.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.find(key))
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
            object(deserializer)
        }
    }

    impl Object for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] = &["name", "size"];

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut name = None;
            let mut size = None;
            let mut fields = FieldCursor::new(Self::FIELDS);
            while let Some(index) = map.next_key_seed(&mut fields)? {
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
    fn the_cursor_finds_names_in_any_order() {
        let mut cursor = FieldCursor::new(&["id", "name", "size", "sizes"]);
        let found: Vec<usize> = [
            "id", "name", "size", "id", "sizes", "size", "nope", "", "name",
        ]
        .iter()
        .map(|key| cursor.find(key.as_bytes()))
        .collect();
        assert_eq!(found, [0, 1, 2, 0, 3, 2, 4, 4, 1]);
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
