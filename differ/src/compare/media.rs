//! Media types: pairs the contents of a request body or of one response status across the two
//! sides, and says what to call each pair in a message.

use crate::select::Mode;
use codegen::model::ApiVersion;

/// One side's content: its media type and version.
pub(super) trait Content {
    fn media_type(&self) -> &str;
    fn version(&self) -> Option<&ApiVersion>;

    /// `2023-01-01` for a versioned media type, the media type otherwise, nothing for none.
    fn label(&self) -> Option<String> {
        match self.version() {
            Some(v) => Some(v.0.clone()),
            None if self.media_type().is_empty() || self.media_type() == "application/json" => None,
            None => Some(self.media_type().to_owned()),
        }
    }
}

impl Content for codegen::model::SuccessResponse {
    fn media_type(&self) -> &str {
        &self.media_type
    }
    fn version(&self) -> Option<&ApiVersion> {
        self.version.as_ref()
    }
}

impl Content for codegen::model::RequestContent {
    fn media_type(&self) -> &str {
        &self.media_type
    }
    fn version(&self) -> Option<&ApiVersion> {
        self.version.as_ref()
    }
}

impl Content for codegen::model::UntypedRequestContent {
    fn media_type(&self) -> &str {
        &self.media_type
    }
    fn version(&self) -> Option<&ApiVersion> {
        self.version.as_ref()
    }
}

/// How the contents of both sides line up.
pub(super) struct Matched<'a, T> {
    pub pairs: Vec<(&'a T, &'a T)>,
    pub removed: Vec<&'a T>,
    pub added: Vec<&'a T>,
}

/// Same media type with same media type. When each side shows one version (pins, v1.0 → v2)
/// a lone content on each side is one pair whatever its media type; between two files a lone
/// removed and a lone added media type are reported as such and compared too, so the report says
/// what the new version changed.
pub(super) fn pair<'a, T: Content>(mode: Mode, old: &[&'a T], new: &[&'a T]) -> Matched<'a, T> {
    if mode.pairs_by_status() && old.len() == 1 && new.len() == 1 {
        return Matched {
            pairs: vec![(old[0], new[0])],
            removed: Vec::new(),
            added: Vec::new(),
        };
    }
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for &o in old {
        match new.iter().find(|n| n.media_type() == o.media_type()) {
            Some(&n) => pairs.push((o, n)),
            None => removed.push(o),
        }
    }
    let mut added: Vec<&T> = new
        .iter()
        .copied()
        .filter(|n| !old.iter().any(|o| o.media_type() == n.media_type()))
        .collect();
    // "No content" is not a media type: a response that gains or loses its body is one
    // response whose body changed.
    if let Some(i) = removed.iter().position(|o| o.media_type().is_empty()) {
        if !added.is_empty() {
            pairs.push((removed.remove(i), added.remove(0)));
        }
    } else if let Some(i) = added.iter().position(|n| n.media_type().is_empty()) {
        if !removed.is_empty() {
            pairs.push((removed.remove(0), added.remove(i)));
        }
    } else if removed.len() == 1 && added.len() == 1 {
        pairs.push((removed[0], added[0]));
    }
    Matched {
        pairs,
        removed,
        added,
    }
}

/// What to call a pair in a message: ` (2023-01-01)`, ` (2023-01-01 → 2024-11-13)` or nothing.
/// A side without content is named by the other side alone.
pub(super) fn pair_label<T: Content>(old: &T, new: &T) -> String {
    match (old.label(), new.label()) {
        (a, b) if a == b => a.map(|l| format!(" ({l})")).unwrap_or_default(),
        (None, Some(l)) if old.media_type().is_empty() => format!(" ({l})"),
        (Some(l), None) if new.media_type().is_empty() => format!(" ({l})"),
        (a, b) => format!(
            " ({} → {})",
            a.unwrap_or_else(|| old.media_type().to_owned()),
            b.unwrap_or_else(|| new.media_type().to_owned())
        ),
    }
}

/// A media type for an existence message: `application/vnd.atlas.2023-01-01+json`.
pub(super) fn media_type_text<T: Content>(content: &T) -> String {
    if content.media_type().is_empty() {
        "no content".to_owned()
    } else {
        format!("`{}`", content.media_type())
    }
}
