//! The shared half of the generated models' `Serialize` impls.
//!
//! A generated model struct serializes through [`Fields`]: [`Fields::new`] opens the struct
//! with the number of properties it will write ([`present`] counts the optional ones that
//! hold a value), [`Fields::field`] writes a property, [`Fields::optional`] writes an optional
//! one or skips it when it is `None`, and [`Fields::end`] closes the struct. What
//! `#[derive(Serialize)]` writes for each struct is the same calls spelled out, with a test and
//! two calls for every optional property and an expression to count them; across hundreds of
//! models that was a fifth of the time it took to type-check a generated crate. The wire form
//! is the derive's: properties in declaration order, `None` left out, and the exact count
//! given to `serialize_struct` (formats such as CBOR write it ahead of the properties).

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// A model struct being serialized.
pub struct Fields<S: Serializer>(S::SerializeStruct);

impl<S: Serializer> Fields<S> {
    /// Opens struct `name`, which will write `len` properties.
    pub fn new(serializer: S, name: &'static str, len: usize) -> Result<Self, S::Error> {
        serializer.serialize_struct(name, len).map(Fields)
    }

    /// Writes property `key`.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    /// Writes property `key` when it has a value, and skips it when it is `None`.
    pub fn optional<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        // The `Option` itself is written, as derived impls do: formats such as bincode mark
        // `Some` on the wire.
        match value {
            Some(_) => self.0.serialize_field(key, value),
            None => self.0.skip_field(key),
        }
    }

    /// Closes the struct.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// How many of a struct's optional properties hold a value, given whether each one does.
pub fn present<const N: usize>(set: [bool; N]) -> usize {
    set.into_iter().filter(|set| *set).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_test::{assert_ser_tokens, Token};

    /// A struct written the way the generator writes them.
    struct Sample {
        name: String,
        size: Option<u32>,
        tags: Option<Vec<String>>,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 1 + present([self.size.is_some(), self.tags.is_some()]);
            let mut fields = Fields::new(serializer, "Sample", len)?;
            fields.field("name", &self.name)?;
            fields.optional("size", &self.size)?;
            fields.optional("tags", &self.tags)?;
            fields.end()
        }
    }

    /// The same struct as `#[derive(Serialize)]` writes it.
    #[derive(Serialize)]
    #[serde(rename = "Sample")]
    struct Derived {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        size: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
    }

    #[test]
    fn none_is_left_out_and_the_count_is_of_what_is_written() {
        let sample = Sample {
            name: "a".into(),
            size: None,
            tags: Some(vec!["x".into()]),
        };
        assert_ser_tokens(
            &sample,
            &[
                Token::Struct {
                    name: "Sample",
                    len: 2,
                },
                Token::Str("name"),
                Token::Str("a"),
                Token::Str("tags"),
                Token::Some,
                Token::Seq { len: Some(1) },
                Token::Str("x"),
                Token::SeqEnd,
                Token::StructEnd,
            ],
        );
    }

    #[test]
    fn the_json_is_the_derived_impls() {
        for (size, tags) in [
            (None, None),
            (Some(3), None),
            (None, Some(vec![])),
            (Some(0), Some(vec!["y".to_owned()])),
        ] {
            let ours = Sample {
                name: "n".into(),
                size,
                tags: tags.clone(),
            };
            let derived = Derived {
                name: "n".into(),
                size,
                tags,
            };
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
        }
    }
}
