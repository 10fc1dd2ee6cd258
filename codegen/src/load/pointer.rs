//! JSON pointers (RFC 6901): escaping one segment, and following a local pointer in the raw
//! document.

use serde_json::Value;

/// Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape_pointer`].
pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Resolves a local JSON pointer (the part after `#`) in the raw document.
pub fn resolve<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(root, |node, segment| match node {
        Value::Object(map) => map.get(&unescape_pointer(segment)),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    })
}
