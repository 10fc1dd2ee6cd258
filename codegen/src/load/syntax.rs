//! Parsing the text into a raw JSON tree: mapping keys must be unique (parsers let the last one
//! win), and a YAML error says where the alias expansion or the second document starts.

use super::pointer::escape_pointer;

/// The first line that uses an alias (`*name`), where an expansion starts.
pub(super) fn first_alias_line(text: &str) -> Option<usize> {
    let alias = regex::Regex::new(r"(^|[\s\[,{:])\*[A-Za-z0-9_.-]+").ok()?;
    text.lines()
        .position(|line| !line.trim_start().starts_with('#') && alias.is_match(line))
        .map(|index| index + 1)
}

/// The line of the `---` or `...` marker after which a second YAML document starts.
pub(super) fn second_document_line(text: &str) -> Option<usize> {
    let mut seen_content = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        let is_marker = trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "...";
        if is_marker && seen_content {
            return Some(index + 1);
        }
        if !is_marker && !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
    }
    None
}

/// serde_yaml appends "at line X column Y" to its messages; the diagnostic carries those apart.
pub(super) fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

thread_local! {
    /// The keys and indexes from the document root to the value being read.
    pub(super) static KEY_PATH: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The pointer of a duplicate key, set when reading fails because of one.
    pub(super) static DUPLICATE: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

pub(super) fn with_segment<T>(segment: String, read: impl FnOnce() -> T) -> T {
    KEY_PATH.with(|p| p.borrow_mut().push(segment));
    let result = read();
    KEY_PATH.with(|p| p.borrow_mut().pop());
    result
}

/// A raw document value that refuses duplicate mapping keys: YAML and JSON parsers let the
/// last one win, which silently drops the first definition.
pub(super) struct UniqueKeys(pub(super) serde_json::Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) =
            with_segment(items.len().to_string(), || seq.next_element())?
        {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let pointer = KEY_PATH.with(|p| {
                    p.borrow()
                        .iter()
                        .chain(std::iter::once(&key))
                        .map(|s| format!("/{}", escape_pointer(s)))
                        .collect::<String>()
                });
                let message = format!(
                    "duplicate key `{key}` in a mapping: the second would silently replace the first"
                );
                DUPLICATE.with(|d| *d.borrow_mut() = Some((pointer, message.clone())));
                return Err(serde::de::Error::custom(message));
            }
            let UniqueKeys(value) = with_segment(key.clone(), || map.next_value())?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}
