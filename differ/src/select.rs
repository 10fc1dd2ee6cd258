//! Select: decides which operations are compared with which, and through which media-type
//! versions: two whole files, two version pins (Atlas semantics: a client pinned to a date uses
//! the newest version not newer than it), or the v1.0 operations against their v2 successors;
//! then keeps only the operations the user asked about.

use crate::error::DiffError;
use codegen::dialect::{self, PREVIEW_VERSION, UPCOMING_SUFFIX};
use codegen::model::{
    ApiGeneration, ApiModel, ApiVersion, HttpMethod, Operation, RequestContent, SuccessResponse,
};
use std::collections::{BTreeMap, BTreeSet};

/// Where the v1.0 operations live, and where their v2 successors live.
use codegen::model::LEGACY_PATH_PREFIX as LEGACY_PREFIX;
const CURRENT_PREFIX: &str = "/api/atlas/v2/";

/// Restricts a comparison to some operations. Within one kind the entries are alternatives;
/// kinds combine: `--tag A --path /x` keeps operations tagged `A` under `/x`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub operation_ids: Vec<String>,
    pub path_prefixes: Vec<String>,
    pub tags: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.operation_ids.is_empty() && self.path_prefixes.is_empty() && self.tags.is_empty()
    }

    pub fn matches(&self, op: &Operation) -> bool {
        let by_id = self.operation_ids.is_empty() || self.operation_ids.contains(&op.id.0);
        let by_path = self.path_prefixes.is_empty()
            || self
                .path_prefixes
                .iter()
                .any(|p| op.path.starts_with(p.as_str()));
        let by_tag = self.tags.is_empty() || self.tags.iter().any(|t| op.tags.contains(t));
        by_id && by_path && by_tag
    }
}

/// What to compare and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Pin the older side to this resource version (`2023-01-01`).
    pub from: Option<String>,
    /// Pin the newer side to this resource version.
    pub to: Option<String>,
    /// Compare the v1.0 operations of the older side with their v2 successors on the newer side.
    pub legacy: bool,
    /// Between two files, leave out upcoming (`2025-03-12.upcoming`) and preview versions, which
    /// a client not pinned to them never uses (what `cargo xtask diff` does unless asked). The
    /// generated crate holds them all, so judging its semver needs them: off by default. Pins
    /// never take them unless they name one.
    pub stable_only: bool,
    pub filter: Filter,
    /// The date sunsets are judged against (`YYYY-MM-DD`): an operation removed before its
    /// sunset date is a breaking change, after it an expected one.
    pub today: String,
}

impl Options {
    pub fn new(today: impl Into<String>) -> Self {
        Options {
            from: None,
            to: None,
            legacy: false,
            stable_only: false,
            filter: Filter::default(),
            today: today.into(),
        }
    }
}

/// How operations are paired and their responses matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Two spec files, every media type compared with the same media type.
    Files,
    /// One version per operation on each side; responses matched by status alone.
    Pinned,
    /// v1.0 operations against their v2 successors; responses matched by status alone.
    Legacy,
}

impl Mode {
    /// True when each side offers one version of an operation, so responses pair by status.
    pub fn pairs_by_status(self) -> bool {
        self != Mode::Files
    }
}

/// The request body as seen through one version pin.
#[derive(Debug, Clone)]
pub(crate) struct RequestView<'m> {
    pub required: bool,
    pub contents: Vec<&'m RequestContent>,
}

/// An operation as a client pinned to one version (or to none) sees it.
#[derive(Debug, Clone)]
pub(crate) struct OpView<'m> {
    pub op: &'m Operation,
    pub responses: Vec<&'m SuccessResponse>,
    pub request: Option<RequestView<'m>>,
    /// The version the pin selected, when the operation is versioned and a pin applies.
    pub version: Option<&'m ApiVersion>,
}

#[derive(Debug, Clone)]
pub(crate) enum Pair<'m> {
    Both(OpView<'m>, OpView<'m>),
    Removed(OpView<'m>),
    Added(OpView<'m>),
}

impl<'m> Pair<'m> {
    fn ops(&self) -> (Option<&'m Operation>, Option<&'m Operation>) {
        match self {
            Pair::Both(o, n) => (Some(o.op), Some(n.op)),
            Pair::Removed(o) => (Some(o.op), None),
            Pair::Added(n) => (None, Some(n.op)),
        }
    }
}

pub(crate) struct Selection<'m> {
    pub mode: Mode,
    pub pairs: Vec<Pair<'m>>,
    pub old_label: String,
    pub new_label: String,
}

/// Pairs the operations of the two sides. `same_spec` says both models come from one file, which
/// only makes sense with pins or `legacy`.
pub(crate) fn select<'m>(
    old: &'m ApiModel,
    new: &'m ApiModel,
    same_spec: bool,
    options: &Options,
) -> Result<Selection<'m>, DiffError> {
    let from = options.from.as_deref().map(|v| pin(old, v)).transpose()?;
    let to = options.to.as_deref().map(|v| pin(new, v)).transpose()?;
    let mut selection = if options.legacy {
        if from.is_some() {
            return Err(DiffError::Usage(
                "`--from` does not apply to a v1.0 → v2 comparison: v1.0 operations have no versions; pin the v2 side with `--to`".to_owned(),
            ));
        }
        legacy(old, new, to.as_ref())
    } else if from.is_some() || to.is_some() {
        if same_spec && (from.is_none() || to.is_none()) {
            return Err(DiffError::Usage(
                "comparing two versions of one spec needs both `--from` and `--to`".to_owned(),
            ));
        }
        pinned(old, new, from.as_ref(), to.as_ref())
    } else if same_spec {
        return Err(DiffError::Usage(
            "one spec alone compares nothing: give a second spec, `--from` and `--to`, or `--v1-to-v2`".to_owned(),
        ));
    } else {
        Selection {
            mode: Mode::Files,
            pairs: pair_by_shape(
                views(old, None, !options.stable_only),
                views(new, None, !options.stable_only),
            ),
            old_label: old.source.clone(),
            new_label: new.source.clone(),
        }
    };
    if !options.filter.is_empty() {
        check_filter(old, new, &options.filter)?;
        selection.pairs.retain(|pair| {
            let (o, n) = pair.ops();
            o.is_some_and(|op| options.filter.matches(op))
                || n.is_some_and(|op| options.filter.matches(op))
        });
    }
    Ok(selection)
}

/// Every filter value must select something on at least one side; otherwise the comparison
/// would report "no changes" for a typo.
fn check_filter(old: &ApiModel, new: &ApiModel, filter: &Filter) -> Result<(), DiffError> {
    let ops = || old.operations.iter().chain(new.operations.iter());
    for id in &filter.operation_ids {
        if !ops().any(|op| op.id.0 == *id) {
            let known: BTreeSet<&str> = ops().map(|op| op.id.as_str()).collect();
            return Err(unknown("--operation", id, known));
        }
    }
    for tag in &filter.tags {
        if !ops().any(|op| op.tags.contains(tag)) {
            let known: BTreeSet<&str> = ops().flat_map(|op| &op.tags).map(String::as_str).collect();
            return Err(unknown("--tag", tag, known));
        }
    }
    for prefix in &filter.path_prefixes {
        if !ops().any(|op| op.path.starts_with(prefix.as_str())) {
            // A prefix is compared with the prefixes of as many segments the paths have.
            let segments = prefix.trim_end_matches('/').matches('/').count();
            let known: BTreeSet<&str> = ops().map(|op| path_prefix(&op.path, segments)).collect();
            return Err(unknown("--path", prefix, known));
        }
    }
    Ok(())
}

/// The first `segments` segments of `path`: `/a/b/c` with 2 is `/a/b`.
fn path_prefix(path: &str, segments: usize) -> &str {
    match path.match_indices('/').nth(segments) {
        Some((end, _)) => &path[..end],
        None => path,
    }
}

/// How many of the nearest known names an unknown filter value lists.
const NEAREST: usize = 3;

fn unknown(option: &'static str, value: &str, known: BTreeSet<&str>) -> DiffError {
    let wanted = value.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|name| {
            let score = strsim::normalized_damerau_levenshtein(&wanted, &name.to_lowercase());
            (score, name)
        })
        .collect();
    // Closest first; equally close names in name order, so the message is stable.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    DiffError::UnknownFilter {
        option,
        value: value.to_owned(),
        nearest: scored
            .into_iter()
            .take(NEAREST)
            .map(|(_, name)| name.to_owned())
            .collect(),
    }
}

/// A pin must name one of the spec's versions exactly: a typo should not silently select an
/// older version.
fn pin(model: &ApiModel, version: &str) -> Result<ApiVersion, DiffError> {
    let available = model.api_versions();
    if available.iter().any(|v| v.0 == version) {
        return Ok(ApiVersion(version.to_owned()));
    }
    let list: Vec<&str> = available.iter().map(|v| v.as_str()).collect();
    Err(DiffError::UnknownVersion {
        file: model.source.clone(),
        version: version.to_owned(),
        available: if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        },
    })
}

fn pinned<'m>(
    old: &'m ApiModel,
    new: &'m ApiModel,
    from: Option<&ApiVersion>,
    to: Option<&ApiVersion>,
) -> Selection<'m> {
    let label = |model: &ApiModel, pin: Option<&ApiVersion>| match pin {
        Some(v) => format!("{} @ {v}", model.source),
        None => model.source.clone(),
    };
    Selection {
        mode: Mode::Pinned,
        pairs: pair_by_shape(
            views(old, from.map(Pin::AtMost), false),
            views(new, to.map(Pin::AtMost), false),
        ),
        old_label: label(old, from),
        new_label: label(new, to),
    }
}

fn legacy<'m>(old: &'m ApiModel, new: &'m ApiModel, to: Option<&ApiVersion>) -> Selection<'m> {
    let olds: Vec<OpView<'m>> = old
        .operations
        .iter()
        .filter(|op| op.generation == ApiGeneration::Legacy)
        .filter_map(|op| view(op, None, false))
        .collect();
    let pin = to.map(Pin::AtMost).unwrap_or(Pin::Newest);
    let news: Vec<OpView<'m>> = new
        .operations
        .iter()
        .filter(|op| op.generation == ApiGeneration::Current)
        .filter_map(|op| view(op, Some(pin), false))
        .collect();
    let by_id: BTreeMap<&str, usize> = news
        .iter()
        .enumerate()
        .map(|(i, v)| (v.op.id.as_str(), i))
        .collect();
    let by_shape: BTreeMap<(HttpMethod, String), usize> = news
        .iter()
        .enumerate()
        .map(|(i, v)| ((v.op.http_method, shape(&v.op.path)), i))
        .collect();
    let mut pairs = Vec::new();
    for o in olds {
        // The v2 form of the same resource first; the declared replacement only when the
        // resource has no v2 form (it moved, as shared-tier snapshots did to Flex).
        let v2_path = o.op.path.replacen(LEGACY_PREFIX, CURRENT_PREFIX, 1);
        let successor = by_shape
            .get(&(o.op.http_method, shape(&v2_path)))
            .or_else(|| {
                o.op.deprecation
                    .as_ref()
                    .and_then(|d| d.replaced_by.as_ref())
                    .and_then(|id| by_id.get(id.as_str()))
            });
        match successor {
            Some(&i) => pairs.push(Pair::Both(o, news[i].clone())),
            None => pairs.push(Pair::Removed(o)),
        }
    }
    let v2 = match to {
        Some(v) => format!("v2 @ {v}"),
        None => "v2, newest versions".to_owned(),
    };
    Selection {
        mode: Mode::Legacy,
        pairs,
        old_label: format!("{} (v1.0)", old.source),
        new_label: format!("{} ({v2})", new.source),
    }
}

/// Which version of each operation a side shows.
#[derive(Debug, Clone, Copy)]
enum Pin<'a> {
    /// What a client pinned to this version uses (Atlas semantics): for a date, the newest
    /// released version not newer than it; for an upcoming version or the preview, that version
    /// where the operation has it, else what a client pinned to its date (the preview: to no
    /// date) uses.
    AtMost(&'a ApiVersion),
    /// The newest released version there is.
    Newest,
}

fn views<'m>(model: &'m ApiModel, pin: Option<Pin<'_>>, unreleased: bool) -> Vec<OpView<'m>> {
    model
        .operations
        .iter()
        .filter_map(|op| view(op, pin, unreleased))
        .collect()
}

/// An operation with every version it has, as the generated crate holds it.
pub(crate) fn whole(op: &Operation) -> OpView<'_> {
    OpView {
        op,
        responses: op.responses.iter().collect(),
        request: op.request.as_ref().map(|body| RequestView {
            required: body.required,
            contents: body.contents.iter().collect(),
        }),
        version: None,
    }
}

/// Whether a version is upcoming or the preview, which only a client pinned to it uses.
fn is_unreleased(version: &ApiVersion) -> bool {
    dialect::is_unreleased(version.as_str())
}

/// The operation as seen through `pin`; `None` when a client pinned there cannot call it (every
/// version is newer than the pin, or unreleased). Unversioned operations look the same through
/// any pin. Without a pin every version is shown, upcoming and preview ones only when
/// `unreleased` asks for them.
fn view<'m>(op: &'m Operation, pin: Option<Pin<'_>>, unreleased: bool) -> Option<OpView<'m>> {
    let versions: BTreeSet<&'m ApiVersion> = op
        .responses
        .iter()
        .filter_map(|r| r.version.as_ref())
        .chain(
            op.request
                .iter()
                .flat_map(|r| r.contents.iter().filter_map(|c| c.version.as_ref())),
        )
        .collect();
    // Versions sort as MongoDB's tools sort them, which is their order as text:
    // `2025-01-01` < `2025-01-01.upcoming` < `2025-02-01` < `preview`.
    let released = || versions.iter().copied().filter(|v| !is_unreleased(v));
    let chosen = match pin {
        _ if versions.is_empty() => None,
        None => None,
        Some(Pin::Newest) => Some(released().next_back()?),
        Some(Pin::AtMost(wanted)) if versions.contains(wanted) => versions.get(wanted).copied(),
        Some(Pin::AtMost(wanted)) => {
            let wanted = wanted.as_str();
            let date = wanted.strip_suffix(UPCOMING_SUFFIX).unwrap_or(wanted);
            Some(
                released()
                    .rev()
                    .find(|v| wanted == PREVIEW_VERSION || v.as_str() <= date)?,
            )
        }
    };
    let keep = |version: Option<&ApiVersion>| match (chosen, version) {
        (Some(chosen), Some(v)) => v == chosen,
        (None, Some(v)) => unreleased || !is_unreleased(v),
        (_, None) => true,
    };
    let responses: Vec<&'m SuccessResponse> = op
        .responses
        .iter()
        .filter(|r| keep(r.version.as_ref()))
        .collect();
    let request = op.request.as_ref().map(|body| RequestView {
        required: body.required,
        contents: body
            .contents
            .iter()
            .filter(|c| keep(c.version.as_ref()))
            .collect(),
    });
    // An operation offered only in upcoming or preview versions is not there for a client
    // that does not ask for them.
    let versioned = responses.iter().any(|r| r.version.is_some())
        || request
            .as_ref()
            .is_some_and(|r| r.contents.iter().any(|c| c.version.is_some()));
    if !versions.is_empty() && !versioned {
        return None;
    }
    Some(OpView {
        op,
        responses,
        request,
        version: chosen,
    })
}

/// A path with its placeholder names blanked: `/a/{groupId}/b/{name}` → `/a/{}/b/{}`. Renaming a
/// placeholder does not change the URL.
pub(crate) fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// Pairs operations by method and path shape, then the rest by official name or operationId
/// (a moved operation); whatever is left was removed or added.
fn pair_by_shape<'m>(olds: Vec<OpView<'m>>, news: Vec<OpView<'m>>) -> Vec<Pair<'m>> {
    let mut news: Vec<Option<OpView<'m>>> = news.into_iter().map(Some).collect();
    let by_shape: BTreeMap<(HttpMethod, String), usize> = news
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.as_ref()
                .map(|v| ((v.op.http_method, shape(&v.op.path)), i))
        })
        .collect();
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    for o in olds {
        match by_shape
            .get(&(o.op.http_method, shape(&o.op.path)))
            .and_then(|&i| news[i].take())
        {
            Some(n) => pairs.push(Pair::Both(o, n)),
            None => unmatched.push(o),
        }
    }
    // By the official name (Atlas's override) first: an IPA rename of the id that keeps it is
    // the same operation to users of the client.
    let key = |op: &'m Operation, official: bool| {
        let name = if official {
            op.official_name()
        } else {
            op.id.as_str()
        };
        (op.http_method, official, name)
    };
    let by_name: BTreeMap<(HttpMethod, bool, &str), usize> = news
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|v| (v.op, i)))
        .flat_map(|(op, i)| [(key(op, true), i), (key(op, false), i)])
        .collect();
    for o in unmatched {
        let found = [true, false]
            .into_iter()
            .find_map(|official| by_name.get(&key(o.op, official)).copied())
            .and_then(|i| news[i].take());
        match found {
            Some(n) => pairs.push(Pair::Both(o, n)),
            None => pairs.push(Pair::Removed(o)),
        }
    }
    pairs.extend(news.into_iter().flatten().map(Pair::Added));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_ignore_placeholder_names() {
        assert_eq!(
            shape("/g/{groupId}/flexClusters/{name}"),
            "/g/{}/flexClusters/{}"
        );
        assert_eq!(
            shape("/g/{groupId}/flexClusters/{clusterName}"),
            shape("/g/{x}/flexClusters/{y}")
        );
        assert_eq!(shape("/plain"), "/plain");
    }

    #[test]
    fn path_prefixes_cut_at_segments() {
        assert_eq!(path_prefix("/api/atlas/v2/groups", 2), "/api/atlas");
        assert_eq!(
            path_prefix("/api/atlas/v2/groups", 4),
            "/api/atlas/v2/groups"
        );
        assert_eq!(
            path_prefix("/api/atlas/v2/groups", 9),
            "/api/atlas/v2/groups"
        );
    }
}
