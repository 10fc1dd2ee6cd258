//! The `slice` command as users run it, on a small upstream-like fixture: it keeps the chosen
//! operations and exactly the components they reach (transitively, through every kind of
//! reference), strips documentation on request, refuses unknown operation ids, and writes a
//! spec that generates a client.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slice/upstream.yaml")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Slices the fixture into `out` (JSON or YAML by extension) and returns the command output.
fn slice(ops: &str, out: &Path, extra: &[&str]) -> Output {
    let spec = fixture();
    let mut args = vec![
        "slice",
        "--spec",
        spec.to_str().unwrap(),
        "--ops",
        ops,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    xtask(&args)
}

/// Slices into a JSON file and reads it back.
fn slice_json(ops: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("slice.json");
    let output = slice(ops, &out, extra);
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

fn names(document: &Value, kind: &str) -> BTreeSet<String> {
    document["components"][kind]
        .as_object()
        .map(|table| table.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Every object key anywhere in a document.
fn keys(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                out.push(key.clone());
                keys(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys(item, out)),
        _ => {}
    }
}

#[test]
fn keeps_the_chosen_operations_and_what_they_reach() {
    let document = slice_json("listPets,createPet", &[]);

    let pets = document["paths"]["/api/v2/pets"].as_object().unwrap();
    let methods: BTreeSet<&str> = pets.keys().map(String::as_str).collect();
    // `deleteAllPets` shares the path but was not chosen; path-level keys stay.
    assert_eq!(
        methods,
        BTreeSet::from(["get", "post", "parameters", "summary"])
    );
    assert_eq!(document["paths"].as_object().unwrap().len(), 1);

    // Pet → Category (and its self-reference), Pet → Kind → Dog and Cat (the discriminator
    // mapping, by bare name and by reference), parameter → Count, response → header → Count.
    assert_eq!(
        names(&document, "schemas"),
        set(&["Pet", "Category", "Kind", "Dog", "Cat", "Count"])
    );
    assert_eq!(names(&document, "parameters"), set(&["envelope", "limit"]));
    assert_eq!(names(&document, "responses"), set(&["PetList"]));
    assert_eq!(names(&document, "headers"), set(&["Total"]));
    assert_eq!(names(&document, "examples"), set(&["PetExample"]));
    assert_eq!(names(&document, "requestBodies"), set(&["PetBody"]));
    // `digest` from the document's security, `oauth` from createPet's own; not `apiKey`.
    assert_eq!(
        names(&document, "securitySchemes"),
        set(&["digest", "oauth"])
    );

    let tags: Vec<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["pets"]);
    assert_eq!(document["info"]["title"], "Pet store");
    assert_eq!(document["servers"][0]["url"], "https://pets.example.com");
    assert_eq!(document["openapi"], "3.0.3");
}

#[test]
fn strip_docs_keeps_structure_only() {
    let full = slice_json("listPets,createPet", &[]);
    let stripped = slice_json("listPets,createPet", &["--strip-docs"]);

    let mut all = Vec::new();
    keys(&full, &mut all);
    assert!(all.iter().any(|k| k == "summary"), "the fixture has docs");

    // Documentation keys are gone, except a property *named* `description` and the empty
    // `description` OpenAPI requires of a response.
    let pet = &stripped["components"]["schemas"]["Pet"];
    assert!(pet.get("description").is_none());
    assert!(pet.get("example").is_none());
    assert!(pet["properties"]["description"].is_object());
    assert!(pet["properties"]["description"]
        .get("description")
        .is_none());
    assert_eq!(
        stripped["components"]["responses"]["PetList"]["description"],
        ""
    );
    let mut remaining = Vec::new();
    keys(&stripped, &mut remaining);
    for doc_key in ["summary", "example", "examples", "externalDocs"] {
        assert!(
            !remaining.iter().any(|k| k == doc_key),
            "`{doc_key}` left in the stripped slice"
        );
    }
    // The example component was only reached through `examples`, so it goes too.
    assert!(names(&stripped, "examples").is_empty());
    assert_eq!(names(&stripped, "schemas"), names(&full, "schemas"));
}

#[test]
fn unknown_operation_ids_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("slice.yaml");
    let output = slice("listPets,noSuchOperation,orThisOne", &out, &[]);
    assert!(!output.status.success());
    let message = text(&output.stderr);
    assert!(message.contains("`noSuchOperation`"), "{message}");
    assert!(message.contains("`orThisOne`"), "{message}");
    assert!(
        message.contains("upstream.yaml"),
        "names the spec: {message}"
    );
    assert!(!message.contains("`listPets`"), "{message}");
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn the_slice_generates_a_client() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["slice.yaml", "stripped.json"] {
        let spec = dir.path().join(name);
        let extra: &[&str] = if name.ends_with(".json") {
            &["--strip-docs"]
        } else {
            &[]
        };
        let output = slice("listPets,createPet,getPet", &spec, extra);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let out = dir.path().join(format!("crate-{}", name.replace('.', "-")));
        let output = xtask(&[
            "regen",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.contains("3 operations"), "{stdout}");
        let operations = std::fs::read_to_string(out.join("src/operations.rs")).unwrap();
        for method in ["fn list_pets", "fn create_pet", "fn get_pet"] {
            assert!(operations.contains(method), "{method} missing");
        }
        assert!(!operations.contains("fn delete_all_pets"));
    }
}

#[test]
fn compare_ops_tells_equal_from_different_operation_sets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("slice.yaml");
    let spec = fixture();
    let under = ["--compare-ops", spec.to_str().unwrap(), "--compare-under"];

    // Every operation under `/api/v2/pets`: the same set as the upstream spec there.
    let mut args = under.to_vec();
    args.push("/api/v2/pets");
    let output = slice("listPets,createPet,getPet,deleteAllPets", &out, &args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("the same 4 operation(s)"));

    // One left out: the difference is named.
    let output = slice("listPets,createPet,getPet", &out, &args);
    assert!(!output.status.success());
    let message = text(&output.stderr);
    assert!(message.contains("deleteAllPets"), "{message}");
    assert!(message.contains("only in"), "{message}");
}
