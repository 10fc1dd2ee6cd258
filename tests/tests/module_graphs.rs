//! The modules of the runtime and of the generator depend on one another in one direction only,
//! and each says what it is for. Read from the sources: every `crate::module` a module names
//! outside its tests is an edge, and the graph of top-level modules must have no cycle. The files
//! of a folder module must have none either, `mod.rs` among them (see [`folder_dependencies`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Top-level module of `krate` (a folder of the workspace) → the sources of it and its
/// submodules, without their `#[cfg(test)]` parts.
fn modules(krate: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (parts, code) in sources(&format!("{krate}/src")) {
        let relative = parts.join("/");
        // The crate root, and binaries, which sit on top of everything.
        if relative == "lib.rs" || relative.starts_with("bin/") {
            continue;
        }
        let top = parts[0].trim_end_matches(".rs").to_owned();
        out.entry(top).or_default().push((relative, code));
    }
    out
}

/// Every `.rs` file below `folder` (a path from the workspace root), as its path components
/// below the folder, with its code up to its `#[cfg(test)]` part.
fn sources(folder: &str) -> Vec<(Vec<String>, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(folder);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let parts = path
                .strip_prefix(&root)
                .unwrap()
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            let mut code = fs::read_to_string(&path).unwrap();
            if let Some(tests) = code.find("#[cfg(test)]") {
                code.truncate(tests);
            }
            out.push((parts, code));
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
    for foundation in ["dialect", "check", "de", "ser", "time"] {
        assert_eq!(graph[foundation], BTreeSet::new(), "{foundation}");
    }
    // Descriptors read the Atlas version grammar and hold the parameter checks, and nothing else.
    let foundations: BTreeSet<String> = ["dialect".to_owned(), "check".to_owned()].into();
    assert!(graph["descriptor"].is_subset(&foundations), "{graph:#?}");
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

/// The files of a module folder (a path from the workspace root), by node of its graph: `mod.rs`,
/// a file `name.rs`, or a subfolder `name/` with all of its files. Each file comes with how many
/// `super::` lead from it up to the folder's module, without its `#[cfg(test)]` parts.
fn folder_files(folder: &str) -> BTreeMap<String, Vec<(usize, String)>> {
    let mut out: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (parts, code) in sources(folder) {
        // `x/mod.rs` is the module `x`, as `x.rs` would be.
        let depth = parts.len() - usize::from(parts.last().unwrap() == "mod.rs");
        let node = match parts.as_slice() {
            [file] => file.clone(),
            [dir, ..] => format!("{dir}/"),
            [] => unreachable!(),
        };
        out.entry(node).or_default().push((depth, code));
    }
    out
}

/// The module a node of a folder is, if it is not the folder's own `mod.rs`.
fn module_of(node: &str) -> Option<&str> {
    (node != "mod.rs").then(|| node.trim_end_matches('/').trim_end_matches(".rs"))
}

/// Whether `at` starts a path in `code`: not the middle of a longer path or name.
fn starts_path(code: &str, at: usize) -> bool {
    code[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
}

/// The first names a path continues with: `x` of `x::y`, and `a`, `b` of `{a::y, b}`.
fn leading_names(rest: &str) -> Vec<String> {
    let name = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '*')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![name(rest)];
    };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(name(&group[start..at]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(name(&group[start..at]));
                start = at + 1;
            }
            _ => {}
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The graph of the nodes of a module folder (see [`folder_files`]), whose module is `module`
/// (`crate::model::schema`). A file depends on a sibling it names through `super::` (as many as
/// lead to the folder's module) or through `module::`; what it names there that is no sibling is
/// defined in `mod.rs`, which it then depends on. `mod.rs` depends on the children it names.
fn folder_dependencies(
    module: &str,
    files: &BTreeMap<String, Vec<(usize, String)>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let siblings: BTreeMap<&str, &str> = files
        .keys()
        .filter_map(|node| Some((module_of(node)?, node.as_str())))
        .collect();
    let absolute = format!("{module}::");
    files
        .iter()
        .map(|(node, sources)| {
            let mut used = BTreeSet::new();
            for (depth, code) in sources {
                // (prefix, whether it is the name itself: `mod.rs` names its child `x` as `x::`)
                let mut prefixes = vec![(absolute.clone(), false)];
                if *depth == 0 {
                    prefixes.push(("self::".to_owned(), false));
                    prefixes.extend(siblings.keys().map(|s| (format!("{s}::"), true)));
                } else {
                    prefixes.push(("super::".repeat(*depth), false));
                }
                for (prefix, named) in &prefixes {
                    for (at, _) in code.match_indices(prefix.as_str()) {
                        if !starts_path(code, at) {
                            continue;
                        }
                        let rest = if *named {
                            &code[at..]
                        } else {
                            &code[at + prefix.len()..]
                        };
                        for name in leading_names(rest) {
                            let target = match siblings.get(name.as_str()) {
                                Some(sibling) => *sibling,
                                // Above the folder.
                                None if name == "super" => continue,
                                None => "mod.rs",
                            };
                            if target != node {
                                used.insert(target.to_owned());
                            }
                        }
                    }
                }
            }
            (node.clone(), used)
        })
        .collect()
}

/// A cycle of `graph`, as the nodes met along it (the first one again at the end), if it has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// The graph of the files of a module folder of a crate (`codegen/src/model/schema`), checked to
/// have no cycle.
fn acyclic_folder(folder: &str) -> BTreeMap<String, BTreeSet<String>> {
    let (_, path) = folder
        .split_once("/src/")
        .expect("a folder under a crate's src/");
    let module = format!("crate::{}", path.replace('/', "::"));
    let graph = folder_dependencies(&module, &folder_files(folder));
    assert!(
        graph.len() >= 3,
        "too few files found in {folder}: {graph:?}"
    );
    if let Some(cycle) = cycle(&graph) {
        panic!(
            "the files of {folder} depend on each other in a circle: {}\n{graph:#?}",
            cycle.join(" → ")
        );
    }
    graph
}

#[test]
fn the_folder_reader_sees_a_cycle_through_mod_rs() {
    let file = |depth: usize, code: &str| vec![(depth, code.to_owned())];
    let mut fake = BTreeMap::new();
    fake.insert(
        "mod.rs".to_owned(),
        file(0, "mod a;\nuse a::Typed;\nuse super::Outside;"),
    );
    fake.insert(
        "a.rs".to_owned(),
        file(
            1,
            "use super::{b::{X, Y}, Shared};\nuse super::super::Outside;",
        ),
    );
    fake.insert("b.rs".to_owned(), file(1, "fn f() { crate::m::c::g() }"));
    fake.insert("c/".to_owned(), file(2, "use super::super::a;"));
    let graph = folder_dependencies("crate::m", &fake);
    let read: Vec<(&str, Vec<&str>)> = graph
        .iter()
        .map(|(node, used)| (node.as_str(), used.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        read,
        [
            ("a.rs", vec!["b.rs", "mod.rs"]),
            ("b.rs", vec!["c/"]),
            ("c/", vec!["a.rs"]),
            ("mod.rs", vec!["a.rs"]),
        ]
    );
    assert_eq!(cycle(&graph).unwrap(), ["a.rs", "b.rs", "c/", "a.rs"]);
}

/// The files of `model/schema` are layered: `keywords.rs` only reads `openapiv3`, the shared
/// state in `context.rs` sits on the pure fix-ups alone, and no file reaches up into `mod.rs`,
/// which owns the recursion and hands it down.
#[test]
fn model_schema_files_form_no_cycle() {
    let graph = acyclic_folder("codegen/src/model/schema");
    assert_eq!(graph["keywords.rs"], BTreeSet::new(), "{graph:#?}");
    let pure: BTreeSet<String> = ["fixups.rs".to_owned(), "keywords.rs".to_owned()].into();
    assert!(graph["context.rs"].is_subset(&pure), "{graph:#?}");
    for (file, used) in &graph {
        assert!(
            !used.contains("mod.rs"),
            "{file} uses what model/schema/mod.rs defines: {graph:#?}"
        );
    }
}

// Not yet `emit`, `emit/cli`, `load` or `model` itself: in each, `mod.rs` defines items its files
// use and also uses (or re-exports from) one of those files.
#[test]
fn model_build_files_form_no_cycle() {
    acyclic_folder("codegen/src/model/build");
}
