//! `Accept` negotiation as Atlas does it: a v2 operation answers only a request whose `Accept`
//! names one of its versioned media types (`application/vnd.atlas.<date>+json`), with that
//! media type as `Content-Type`; a plain-JSON (v1.0) operation answers `application/json` or a
//! wildcard. Anything else is refused, which the server turns into a 406.

use crate::spec::{media_version, MediaExample, SpecOperation};

/// The media type chosen for an answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chosen<'a> {
    pub media: &'a MediaExample,
}

impl Chosen<'_> {
    /// The `Content-Type` of the answer: the media type the request named.
    pub fn content_type(&self) -> &str {
        &self.media.media_type
    }

    pub fn version(&self) -> Option<&str> {
        self.media.version.as_deref()
    }
}

/// Why no media type could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAcceptable {
    /// The `Accept` header as received (empty when there was none).
    pub requested: String,
    /// The media types the operation offers.
    pub offered: Vec<String>,
}

impl NotAcceptable {
    /// A sentence for the `detail` of the 406 body.
    pub fn detail(&self, operation: &str) -> String {
        let requested = if self.requested.is_empty() {
            "no Accept header".to_owned()
        } else {
            format!("Accept: {}", self.requested)
        };
        format!(
            "{operation} cannot answer {requested}; it offers {}.",
            self.offered.join(", ")
        )
    }
}

/// Chooses the media type `op` answers a request with this `Accept` header in.
pub fn negotiate<'a>(
    op: &'a SpecOperation,
    accept: Option<&str>,
) -> Result<Chosen<'a>, NotAcceptable> {
    let plain = op.media.iter().find(|m| m.version.is_none());
    let refuse = || NotAcceptable {
        requested: accept.unwrap_or_default().to_owned(),
        offered: op.media.iter().map(|m| m.media_type.clone()).collect(),
    };
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return plain.map(|media| Chosen { media }).ok_or_else(refuse);
    };
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        // `q=0` means "not this one".
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        if refused {
            continue;
        }
        if let Some(version) = media_version(&media_type) {
            if let Some(media) = op
                .media
                .iter()
                .find(|m| m.version.as_deref() == Some(version))
            {
                return Ok(Chosen { media });
            }
        } else if matches!(
            media_type.as_str(),
            "application/json" | "application/*" | "*/*"
        ) {
            if let Some(media) = plain {
                return Ok(Chosen { media });
            }
        }
    }
    Err(refuse())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    #[test]
    fn versioned_operations_need_one_of_their_versions() {
        let flex = Spec::shared().operation("listFlexBackupSnapshots");
        let pick = |accept| negotiate(flex, accept).map(|c| c.content_type().to_owned());
        assert_eq!(
            pick(Some("application/vnd.atlas.2024-11-13+json")),
            Ok("application/vnd.atlas.2024-11-13+json".to_owned())
        );
        assert_eq!(
            pick(Some("application/vnd.atlas.2023-01-01+json;q=0.5, application/vnd.atlas.2024-11-13+json")),
            Ok("application/vnd.atlas.2024-11-13+json".to_owned())
        );
        let refused = negotiate(flex, Some("application/vnd.atlas.2023-01-01+json")).unwrap_err();
        assert_eq!(refused.offered, ["application/vnd.atlas.2024-11-13+json"]);
        assert!(pick(Some("application/json")).is_err());
        assert!(pick(None).is_err());
        assert!(pick(Some("application/vnd.atlas.2024-11-13+json;q=0")).is_err());
    }

    #[test]
    fn plain_json_operations_take_json_and_wildcards_only() {
        let v1 = Spec::shared().operation("listTenantBackupSnapshotsV1");
        for accept in [
            None,
            Some("application/json"),
            Some("*/*"),
            Some("text/html, application/*"),
        ] {
            assert_eq!(
                negotiate(v1, accept).map(|c| c.content_type().to_owned()),
                Ok("application/json".to_owned()),
                "{accept:?}"
            );
        }
        assert!(negotiate(v1, Some("application/vnd.atlas.2023-01-01+json")).is_err());
        assert!(negotiate(v1, Some("text/html")).is_err());
    }
}
