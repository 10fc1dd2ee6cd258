//! Sunsets: the dates after which Atlas may stop serving an operation (`x-sunset` on the
//! operation) or one resource version of it (`x-sunset` on a media type, beside
//! `x-xgen-version`, which is where Atlas writes them). Dates are compared as dates; a sunset
//! that is not a `YYYY-MM-DD` date is reported as such instead of being compared as text.

use crate::change::Change;
use crate::rules::RuleId;
use crate::select::{Mode, OpView};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A sunset as a date, if it is one (`YYYY-MM-DD`, a real day).
pub(super) fn date(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Whether a sunset is still ahead of `today` (a date): one that is not a date may be.
pub(super) fn is_ahead(sunset: &str, today: &str) -> bool {
    match (date(sunset), date(today)) {
        (Some(sunset), Some(today)) => sunset > today,
        _ => true,
    }
}

/// The last sunset of an operation's versions when every version it offers has one (the one
/// that is not a date, if any, since it cannot be placed); `None` when some version has none.
pub(super) fn last_of_versions<'m>(view: &OpView<'m>) -> Option<&'m str> {
    let sunsets: Vec<&str> = by_version(view).into_values().collect::<Option<_>>()?;
    if let Some(unreadable) = sunsets.iter().find(|s| date(s).is_none()) {
        return Some(unreadable);
    }
    sunsets.into_iter().max_by_key(|s| date(s))
}

/// Whose sunset a comparison is about: the operation's or one of its versions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Operation,
    Version,
}

impl Scope {
    fn rules(self) -> [RuleId; 4] {
        use RuleId::*;
        match self {
            Scope::Operation => [
                EndpointSunsetAdded,
                EndpointSunsetRemoved,
                EndpointSunsetMovedEarlier,
                EndpointSunsetMovedLater,
            ],
            Scope::Version => [
                VersionSunsetAdded,
                VersionSunsetRemoved,
                VersionSunsetMovedEarlier,
                VersionSunsetMovedLater,
            ],
        }
    }
}

/// The change between two sunsets, if any; `subject` starts the message (`version 2023-01-01: `,
/// or nothing for the operation's own sunset).
pub(super) fn change(
    scope: Scope,
    subject: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Option<Change> {
    let [added, removed, earlier, later] = scope.rules();
    let (rule, text) = match (old, new) {
        (None, None) => return None,
        (Some(a), Some(b)) if a == b => return None,
        (None, Some(b)) if date(b).is_none() => (
            RuleId::SunsetDateUnparsable,
            format!("sunset `{b}` announced, but it is not a date (YYYY-MM-DD)"),
        ),
        (None, Some(b)) => (added, format!("sunset date {b} announced")),
        (Some(a), None) => (removed, format!("sunset date {a} withdrawn")),
        (Some(a), Some(b)) => match (date(a), date(b)) {
            (Some(x), Some(y)) => (
                if y < x { earlier } else { later },
                format!("sunset date moved from {a} to {b}"),
            ),
            (x, y) => {
                let bad: Vec<String> = [(a, x), (b, y)]
                    .into_iter()
                    .filter(|(_, parsed)| parsed.is_none())
                    .map(|(text, _)| format!("`{text}`"))
                    .collect();
                (
                    RuleId::SunsetDateUnparsable,
                    format!(
                        "sunset changed from `{a}` to `{b}`; {} not a date (YYYY-MM-DD), so whether it moved earlier or later cannot be told",
                        match bad.as_slice() {
                            [one] => format!("{one} is"),
                            _ => format!("{} are", bad.join(" and ")),
                        }
                    ),
                )
            }
        },
    };
    Some(Change::new(rule, format!("{subject}{text}")))
}

/// The sunset of each version a view offers (a media type's label where it names no version):
/// the first `x-sunset` its response or request media types carry, `None` where none does.
fn by_version<'m>(view: &OpView<'m>) -> BTreeMap<String, Option<&'m str>> {
    let mut out: BTreeMap<String, Option<&'m str>> = BTreeMap::new();
    let responses = view.responses.iter().map(|r| {
        (
            r.version.as_ref(),
            r.media_type.as_str(),
            r.sunset.as_deref(),
        )
    });
    let requests = view.request.iter().flat_map(|body| {
        body.contents.iter().map(|c| {
            (
                c.version.as_ref(),
                c.media_type.as_str(),
                c.sunset.as_deref(),
            )
        })
    });
    for (version, media_type, sunset) in responses.chain(requests) {
        let key = match version {
            Some(v) => v.0.clone(),
            None if media_type.is_empty() => continue,
            None => media_type.to_owned(),
        };
        let entry = out.entry(key).or_default();
        if entry.is_none() {
            *entry = sunset;
        }
    }
    out
}

/// The sunset of a version-pinned view: its version's, whatever the media type.
fn pinned<'m>(view: &OpView<'m>) -> Option<&'m str> {
    by_version(view).into_values().flatten().next()
}

/// Sunsets of the versions of one operation: per version between two files, and between the
/// versions a client uses at each pin (or the v1.0 operation and its v2 successor).
pub(super) fn versions(mode: Mode, old: &OpView<'_>, new: &OpView<'_>, out: &mut Vec<Change>) {
    if mode.pairs_by_status() {
        let label = |view: &OpView<'_>| view.version.map(|v| v.0.clone());
        let subject = match (label(old), label(new)) {
            (Some(a), Some(b)) if a == b => format!("version {a}: "),
            (Some(a), Some(b)) => format!("version {a} → {b}: "),
            (None, Some(b)) => format!("version {b}: "),
            (Some(a), None) => format!("version {a}: "),
            (None, None) => String::new(),
        };
        out.extend(change(Scope::Version, &subject, pinned(old), pinned(new)));
        return;
    }
    let (a, b) = (by_version(old), by_version(new));
    for (version, sunset) in &b {
        let subject = match a.get(version) {
            Some(_) => format!("version {version}: "),
            None => format!("version {version} (new): "),
        };
        let before = a.get(version).copied().flatten();
        out.extend(change(Scope::Version, &subject, before, *sunset));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_calendar_dates_are_dates() {
        assert!(date("2026-03-01").is_some());
        assert!(date("2026-02-30").is_none());
        assert!(date("2026-3-01").is_none());
        assert!(date("2026-03-01T00:00:00Z").is_none());
        assert!(date("soon").is_none());
    }

    #[test]
    fn moves_are_judged_as_dates_and_unreadable_dates_are_named() {
        let rule = |old: Option<&str>, new: Option<&str>| {
            change(Scope::Version, "", old, new).map(|c| (c.rule, c.message))
        };
        assert_eq!(rule(Some("2026-01-01"), Some("2026-01-01")), None);
        assert_eq!(
            rule(Some("2026-12-01"), Some("2027-01-01")).unwrap().0,
            RuleId::VersionSunsetMovedLater
        );
        assert_eq!(
            rule(Some("2027-01-01"), Some("2026-12-01")).unwrap().0,
            RuleId::VersionSunsetMovedEarlier
        );
        // As text, `soon` sorts after every date: "moved later".
        let (id, message) = rule(Some("2026-12-01"), Some("soon")).unwrap();
        assert_eq!(id, RuleId::SunsetDateUnparsable);
        assert!(message.contains("`soon` is not a date"), "{message}");
        let (id, message) = rule(None, Some("31/12/2026")).unwrap();
        assert_eq!(id, RuleId::SunsetDateUnparsable);
        assert!(message.contains("`31/12/2026`"), "{message}");
        // Withdrawing any sunset is a withdrawal.
        assert_eq!(
            rule(Some("soon"), None).unwrap().0,
            RuleId::VersionSunsetRemoved
        );
    }
}
