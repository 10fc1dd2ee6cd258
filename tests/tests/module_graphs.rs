//! The modules of the runtime and of the generator depend on one another in one direction only,
//! and each says what it is for. Read from the sources: every `crate::module` a module names
//! outside its tests is an edge, and the graph of top-level modules must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Top-level module of `krate` (a folder of the workspace) → the sources of it and its
/// submodules, without their `#[cfg(test)]` parts.
fn modules(krate: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src");
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // The crate root, and binaries, which sit on top of everything.
            if relative == "lib.rs" || relative.starts_with("bin/") {
                continue;
            }
            let top = relative
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            let text = fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(tests) => text[..tests].to_owned(),
                None => text.clone(),
            };
            out.entry(top).or_default().push((relative, code));
        }
    }
    out
}

fn dependencies(
    modules: &BTreeMap<String, Vec<(String, String)>>,
) -> BTreeMap<String, BTreeSet<String>> {
    modules
        .iter()
        .map(|(name, files)| {
            let used: BTreeSet<String> = files
                .iter()
                .flat_map(|(_, code)| code.match_indices("crate::").map(|(at, _)| &code[at + 7..]))
                .map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .filter(|used| used != name && modules.contains_key(used))
                .collect();
            (name.clone(), used)
        })
        .collect()
}

/// The module graph of `krate`, checked to have no cycle.
fn acyclic_graph(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let graph = dependencies(&modules(krate));
    assert!(graph.len() >= 10, "too few modules found: {graph:?}");
    // Kahn's algorithm: repeatedly take the modules whose dependencies are all taken.
    let mut taken: Vec<String> = Vec::new();
    let mut left = graph.clone();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| taken.contains(d)))
            .map(|(name, _)| name.clone())
            .collect();
        assert!(
            !ready.is_empty(),
            "the {krate} modules depend on each other in a circle; left: {left:#?}"
        );
        for name in ready {
            left.remove(&name);
            taken.push(name);
        }
    }
    graph
}

#[test]
fn runtime_modules_form_no_cycle() {
    let graph = acyclic_graph("runtime");
    // The layering the crate documents: the foundations depend on nothing else.
    for foundation in ["dialect", "check", "de", "ser"] {
        assert_eq!(graph[foundation], BTreeSet::new(), "{foundation}");
    }
    // Descriptors read the Atlas version grammar, and nothing else.
    let dialect_only: BTreeSet<String> = ["dialect".to_owned()].into();
    assert!(graph["descriptor"].is_subset(&dialect_only), "{graph:#?}");
    let after = |module: &str, dependency: &str| {
        assert!(
            graph[module].contains(dependency),
            "{module} was expected to use {dependency}: {graph:#?}"
        );
    };
    after("error", "auth");
    after("request", "client");
    assert!(
        !graph["auth"].contains("client") && !graph["auth"].contains("error"),
        "authentication never reaches up into the client or the error type: {graph:#?}"
    );
}

#[test]
fn the_graph_reader_sees_a_cycle_when_there_is_one() {
    let mut fake = BTreeMap::new();
    fake.insert(
        "a".to_owned(),
        vec![("a.rs".to_owned(), "use crate::b::X;".to_owned())],
    );
    fake.insert(
        "b".to_owned(),
        vec![("b.rs".to_owned(), "fn f() { crate::a::g() }".to_owned())],
    );
    let graph = dependencies(&fake);
    assert!(
        graph["a"].contains("b") && graph["b"].contains("a"),
        "{graph:?}"
    );
}

/// The generator's pipeline, in the order its modules may depend on one another: load →
/// validate → model → emit → format, with the names and the Atlas dialect below the model and
/// the emitter (the emitter hands its files to `write` as `write::OutputFile`s).
#[test]
fn generator_modules_form_no_cycle() {
    let graph = acyclic_graph("codegen");
    let never = |module: &str, dependency: &str| {
        assert!(
            !graph[module].contains(dependency),
            "{module} must not use {dependency}: {graph:#?}"
        );
    };
    for (module, above) in [
        ("load", ["validate", "model", "emit"]),
        ("validate", ["model", "emit", "format"]),
        ("dialect", ["model", "emit", "validate"]),
        ("names", ["model", "emit", "validate"]),
        ("model", ["emit", "format", "write"]),
        ("emit", ["load", "validate", "slice"]),
    ] {
        for dependency in above {
            never(module, dependency);
        }
    }
}

#[test]
fn every_module_says_what_it_is_for() {
    for krate in ["runtime", "codegen"] {
        for files in modules(krate).values() {
            for (path, code) in files {
                assert!(
                    code.trim_start().starts_with("//!"),
                    "{krate}/src/{path} does not start with a `//!` doc saying what it is for"
                );
            }
        }
    }
}
