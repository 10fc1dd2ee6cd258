//! The generated crate's `Cargo.toml`: its package, the runtime crate it calls into (by path to
//! a checkout, or by a published version), and the crates its generated code names directly.
//! Built as a TOML document rather than from text, so every value is quoted correctly whatever
//! the package name or path holds.

use crate::{CrateSettings, RuntimeSource};
use std::collections::BTreeMap;
use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table};

/// The crates generated code names besides the runtime, with the versions the runtime itself
/// builds with: serde for the derives, serde_json for untyped values, chrono for dates, bytes
/// for binary bodies, futures-util for the page streams' `Stream` type.
const GENERATED_CODE_DEPENDENCIES: &[(&str, &str, &[&str])] = &[
    ("bytes", "1", &[]),
    ("chrono", "0.4", &["serde", "std", "clock"]),
    ("futures-util", "0.3.34", &["std"]),
    ("serde", "1.0.229", &["derive"]),
    ("serde_json", "1.0.154", &[]),
];

/// Whether a dependency keeps its default features: chrono and futures-util pull in far more
/// than the generated code needs by default.
fn default_features(name: &str) -> bool {
    !matches!(name, "chrono" | "futures-util")
}

/// The manifest text, `header` lines first as TOML comments.
/// `tag_features` maps the feature of each tag to the tag, for a crate generated with a feature
/// per tag (empty otherwise).
pub fn manifest(
    settings: &CrateSettings,
    header: &str,
    tag_features: &BTreeMap<String, String>,
) -> String {
    let mut doc = DocumentMut::new();
    let mut package = Table::new();
    package.insert("name", value(settings.package.as_str()));
    package.insert("version", value(settings.version.as_str()));
    package.insert("edition", value("2024"));
    package.insert("rust-version", value(settings.rust_version.as_str()));
    package.insert("description", value(settings.description.as_str()));
    package.insert("license", value(settings.license.as_str()));
    if let Some(repository) = &settings.repository {
        package.insert("repository", value(repository.as_str()));
    }
    if let Some(readme) = &settings.readme {
        package.insert("readme", value(readme.as_str()));
    }
    for (key, list) in [
        ("keywords", &settings.keywords),
        ("categories", &settings.categories),
    ] {
        if !list.is_empty() {
            let array: Array = list.iter().map(String::as_str).collect();
            package.insert(key, value(array));
        }
    }
    if !settings.publish {
        package.insert("publish", value(false));
    }
    doc.insert("package", Item::Table(package));
    if settings.publish {
        // docs.rs builds the default features (the TLS choice does not change the API) and the
        // typed mocks, which users read about there.
        let mut docs_rs = Table::new();
        let features: Array = ["mock"].into_iter().collect();
        docs_rs.insert("features", value(features));
        let args: Array = ["--cfg", "docsrs"].into_iter().collect();
        docs_rs.insert("rustdoc-args", value(args));
        let mut metadata = Table::new();
        metadata.set_implicit(true);
        metadata.insert("docs", {
            let mut docs = Table::new();
            docs.set_implicit(true);
            docs.insert("rs", Item::Table(docs_rs));
            Item::Table(docs)
        });
        if let Some(Item::Table(package)) = doc.get_mut("package") {
            package.insert("metadata", Item::Table(metadata));
        }
    }
    if !settings.workspace_member {
        // A crate of its own, even when generated inside another workspace's folder.
        doc.insert("workspace", Item::Table(Table::new()));
    }
    let mut dependencies = Table::new();
    dependencies.insert(
        "atlas-snapshots-runtime",
        runtime_dependency(&settings.runtime),
    );
    for (name, version, features) in GENERATED_CODE_DEPENDENCIES {
        let mut dependency = InlineTable::new();
        dependency.insert("version", (*version).into());
        if !default_features(name) {
            dependency.insert("default-features", false.into());
        }
        if !features.is_empty() {
            let list: Array = features.iter().copied().collect();
            dependency.insert("features", list.into());
        }
        dependencies.insert(name, dependency_item(dependency));
    }
    doc.insert("dependencies", Item::Table(dependencies));
    doc.insert("features", Item::Table(features(tag_features)));
    let comments: String = header
        .lines()
        .map(|line| match line.strip_prefix("//") {
            Some(rest) => format!("#{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect();
    format!("{comments}{doc}")
}

/// The runtime's TLS choices, passed through so users pick them on the generated crate.
pub(super) const TLS_FEATURES: &[&str] = &[
    "rustls",
    "rustls-ring",
    "rustls-no-provider",
    "webpki-roots",
    "native-tls",
];

fn features(tag_features: &BTreeMap<String, String>) -> Table {
    let mut features = Table::new();
    let mut default: Array = ["rustls"].into_iter().collect();
    if !tag_features.is_empty() {
        default.push(super::gates::FULL);
    }
    features.insert("default", value(default));
    for feature in TLS_FEATURES {
        let forwarded: Array = [format!("atlas-snapshots-runtime/{feature}")]
            .into_iter()
            .collect();
        features.insert(feature, value(forwarded));
    }
    let mock: Array = ["atlas-snapshots-runtime/mock"].into_iter().collect();
    features.insert("mock", value(mock));
    let metrics: Array = ["atlas-snapshots-runtime/metrics"].into_iter().collect();
    features.insert("metrics", value(metrics));
    if !tag_features.is_empty() {
        let all: Array = tag_features.keys().map(String::as_str).collect();
        features.insert(super::gates::FULL, value(all));
        for (feature, tag) in tag_features {
            features.insert(feature, value(Array::new()));
            let about = if tag.is_empty() {
                "\n# The operations without a tag, and the models only they use.\n".to_owned()
            } else {
                format!(
                    "\n# The operations of the tag `{}`, and the models only they use.\n",
                    super::docs::one_line(tag)
                )
            };
            if let Some(mut key) = features.key_mut(feature) {
                key.leaf_decor_mut().set_prefix(about);
            }
        }
    }
    features
}

fn runtime_dependency(runtime: &RuntimeSource) -> Item {
    let mut dependency = InlineTable::new();
    match runtime {
        RuntimeSource::Path { path, version } => {
            dependency.insert("version", version.as_str().into());
            dependency.insert("path", path.as_str().into());
        }
        RuntimeSource::Version(version) => {
            dependency.insert("version", version.as_str().into());
        }
    }
    // The TLS choice is the generated crate's own features, forwarded.
    dependency.insert("default-features", false.into());
    dependency_item(dependency)
}

/// `name = "1"` when only a version is set, an inline table otherwise.
fn dependency_item(table: InlineTable) -> Item {
    if table.len() == 1 {
        if let Some(version) = table.get("version") {
            return Item::Value(version.clone());
        }
    }
    Item::Value(table.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(package: &str, runtime: RuntimeSource) -> CrateSettings {
        CrateSettings {
            package: package.to_owned(),
            runtime,
            ..CrateSettings::default()
        }
    }

    #[test]
    fn the_runtime_comes_by_path_or_by_version() {
        let by_path = manifest(
            &settings(
                "my-client",
                RuntimeSource::Path {
                    path: "/src/checkout/runtime \"quoted\"".to_owned(),
                    version: "0.1.0".to_owned(),
                },
            ),
            "// @generated\n",
            &BTreeMap::new(),
        );
        let doc: DocumentMut = by_path.parse().unwrap();
        assert!(by_path.starts_with("# @generated\n"), "{by_path}");
        assert_eq!(doc["package"]["name"].as_str(), Some("my-client"));
        assert_eq!(
            doc["dependencies"]["atlas-snapshots-runtime"]["path"].as_str(),
            Some("/src/checkout/runtime \"quoted\"")
        );
        assert!(doc.get("workspace").is_some(), "standalone by default");
        let by_version = manifest(
            &settings("my-client", RuntimeSource::Version("0.3".to_owned())),
            "",
            &BTreeMap::new(),
        );
        let doc: DocumentMut = by_version.parse().unwrap();
        assert_eq!(
            doc["dependencies"]["atlas-snapshots-runtime"]["version"].as_str(),
            Some("0.3")
        );
        assert_eq!(
            doc["dependencies"]["atlas-snapshots-runtime"]["default-features"].as_bool(),
            Some(false)
        );
        assert_eq!(
            doc["features"]["native-tls"]
                .as_array()
                .and_then(|a| a.get(0))
                .and_then(|v| v.as_str()),
            Some("atlas-snapshots-runtime/native-tls")
        );
        assert_eq!(
            doc["dependencies"]["chrono"]["default-features"].as_bool(),
            Some(false)
        );
        assert_eq!(doc["dependencies"]["bytes"].as_str(), Some("1"));
    }

    #[test]
    fn a_workspace_member_has_no_workspace_table() {
        let member = CrateSettings {
            workspace_member: true,
            ..CrateSettings::default()
        };
        let doc: DocumentMut = manifest(&member, "", &BTreeMap::new()).parse().unwrap();
        assert!(doc.get("workspace").is_none());
        assert_eq!(doc["package"]["publish"].as_bool(), Some(false));
    }

    #[test]
    fn tag_features_are_listed_and_full_turns_them_all_on() {
        let tags: BTreeMap<String, String> = [
            ("flex-snapshots".to_owned(), "Flex Snapshots".to_owned()),
            ("untagged".to_owned(), String::new()),
        ]
        .into();
        let text = manifest(&CrateSettings::default(), "", &tags);
        let doc: DocumentMut = text.parse().unwrap();
        let list = |key: &str| -> Vec<String> {
            doc["features"][key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(list("default"), ["rustls", "full"]);
        assert_eq!(list("full"), ["flex-snapshots", "untagged"]);
        assert!(list("flex-snapshots").is_empty());
        assert!(
            text.contains("# The operations of the tag `Flex Snapshots`"),
            "{text}"
        );
        assert!(text.contains("# The operations without a tag"), "{text}");
        // Without tags, nothing of it.
        let plain: DocumentMut = manifest(&CrateSettings::default(), "", &BTreeMap::new())
            .parse()
            .unwrap();
        assert!(plain["features"].get("full").is_none());
    }
}
