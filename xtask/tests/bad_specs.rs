//! The bad-spec corpus: every spec in `tests/fixtures/bad-specs/` isolates one hostile or
//! unusual input. For each, `cargo xtask regen --spec F --out DIR` must either produce a crate
//! that `cargo check`s with no error and no warning, or refuse with a location (file:line or a
//! JSON pointer) — never panic, hang, emit code that does not compile, or touch the committed
//! client. A YAML fixture says what it expects in its second line (`# expect: generate`,
//! `# expect: refuse[: words the message must contain]` or `# expect: any`), and may add in its
//! third line text the generated code must hold when a crate is generated
//! (`# generated code contains: group_id`), for cases where the danger is a silent loss rather
//! than a compile error. JSON fixtures, which cannot hold comments, are listed in
//! [`JSON_EXPECTATIONS`].
//!
//! Cases that wait for other items of issue 14 are in [`EXPECTED_FAILURES`]: they must still
//! fail (so a fix is noticed and the entry removed), and everything else must pass.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Each case that fails today, and the issue 14 item whose work makes it pass.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

/// Warnings tolerated in these files of a generated crate, and the issue 14 item that ends them.
/// Errors are never tolerated. An entry no crate needs any more must be removed.
const WARNINGS_TOLERATED_IN: &[(&str, &str)] = &[];

const JSON_EXPECTATIONS: &[(&str, &str)] = &[
    ("028-json-input", "generate"),
    ("029-json-duplicate-key", "refuse: duplicate key `title`"),
    ("030-json-trailing-comma", "refuse: malformed JSON"),
    ("031-json-bom", "generate"),
];

/// Generation of one small spec takes well under a second; past this it hangs.
const GENERATE_TIMEOUT: Duration = Duration::from_secs(30);
/// `cargo check` of one generated crate, dependencies already built.
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
const MINIMUM_CASES: usize = 80;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    Generate,
    Refuse(Option<String>),
    Any,
}

fn parse_expectation(text: &str) -> Option<Expect> {
    let text = text.trim();
    match text {
        "generate" => Some(Expect::Generate),
        "any" => Some(Expect::Any),
        "refuse" => Some(Expect::Refuse(None)),
        _ => text
            .strip_prefix("refuse: ")
            .map(|words| Expect::Refuse(Some(words.to_owned()))),
    }
}

/// The text a generated crate must hold, from a fixture's third line.
fn required_text(spec: &Path) -> Option<String> {
    let bytes = fs::read(spec).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .nth(2)
        .and_then(|line| line.strip_prefix("# generated code contains: "))
        .map(str::to_owned)
}

/// The generated modules of a crate, concatenated.
fn generated_code(crate_dir: &Path) -> String {
    let mut code = String::new();
    if let Ok(entries) = fs::read_dir(crate_dir.join("src")) {
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            code.push_str(&fs::read_to_string(path).unwrap_or_default());
        }
    }
    code
}

fn expectation(spec: &Path, stem: &str) -> Expect {
    if let Some((_, expect)) = JSON_EXPECTATIONS.iter().find(|(name, _)| *name == stem) {
        return parse_expectation(expect).unwrap_or_else(|| panic!("{stem}: bad expectation"));
    }
    let bytes = fs::read(spec).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .nth(1)
        .and_then(|line| line.strip_prefix("# expect: "))
        .and_then(parse_expectation)
        .unwrap_or_else(|| panic!("{stem}: the second line must say `# expect: ...`"))
}

/// What generation did.
#[derive(Debug)]
enum Generation {
    Generated,
    Refused(String),
    Crashed(String),
    Hung,
}

/// Waits for `child` at most `timeout`, killing it past that; its exit and output.
fn wait_bounded(
    mut child: Child,
    timeout: Duration,
) -> Option<(std::process::ExitStatus, String, String)> {
    let started = Instant::now();
    // Drain the pipes while waiting, so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some((status, out.join().unwrap(), err.join().unwrap()));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn generate(spec: &Path, out: &Path) -> Generation {
    let child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xtask runs");
    let Some((status, _, stderr)) = wait_bounded(child, GENERATE_TIMEOUT) else {
        return Generation::Hung;
    };
    if status.success() {
        Generation::Generated
    } else if status.code() == Some(1) && !stderr.contains("panicked") {
        Generation::Refused(stderr)
    } else {
        Generation::Crashed(format!("{status}: {stderr}"))
    }
}

/// Whether a refusal says where: a `file:line`, or a JSON pointer below the root.
fn is_located(message: &str) -> bool {
    let file_line = regex_lite_file_line(message);
    let pointer = message.contains("#/") && {
        message.match_indices("#/").any(|(at, _)| {
            message[at + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || "~_$-".contains(c))
        })
    };
    file_line || pointer
}

/// `.yaml:12`, `.json:3`, `.yml:7` and the like.
fn regex_lite_file_line(message: &str) -> bool {
    [".yaml:", ".yml:", ".json:"].iter().any(|ext| {
        message
            .match_indices(ext)
            .any(|(at, _)| message[at + ext.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// What `cargo check` of one crate found.
#[derive(Debug, Default)]
struct Check {
    /// Errors, and warnings outside [`WARNINGS_TOLERATED_IN`]; empty when clean.
    problems: Vec<String>,
    /// The tolerated prefixes that had warnings.
    tolerated: Vec<&'static str>,
}

fn cargo_check(root: &Path, crate_dir: &Path, target_dir: &Path) -> Check {
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let child = Command::new(cargo)
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut check = Check::default();
    let Some((status, _, stderr)) = wait_bounded(child, CHECK_TIMEOUT) else {
        check
            .problems
            .push(format!("cargo check did not finish in {CHECK_TIMEOUT:?}"));
        return check;
    };
    for line in stderr.lines() {
        let is_warning = line.contains(": warning: ") || line.starts_with("warning: ");
        let is_error = line.contains(": error") || line.starts_with("error");
        if !(is_warning || is_error) {
            continue;
        }
        // Summary lines ("N warnings emitted") point at no code.
        if line.starts_with("warning: `") && line.contains("generated") {
            continue;
        }
        let tolerated = WARNINGS_TOLERATED_IN
            .iter()
            .find(|(prefix, _)| is_warning && line.starts_with(prefix));
        match tolerated {
            Some((prefix, _)) => {
                if !check.tolerated.contains(prefix) {
                    check.tolerated.push(prefix);
                }
            }
            None => check.problems.push(line.to_owned()),
        }
    }
    if !status.success() && check.problems.is_empty() {
        check.problems.push(format!("cargo check failed: {stderr}"));
    }
    check.problems.truncate(12);
    check
}

/// Every file of the committed client with its bytes.
fn committed_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.join("generated-client")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn every_bad_spec_generates_a_clean_crate_or_is_refused_with_a_location() {
    let root = repository();
    let fixtures = root.join("tests/fixtures/bad-specs");
    let mut specs: Vec<PathBuf> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= MINIMUM_CASES, "{} cases", specs.len());
    let stems: Vec<String> = specs
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for (name, _) in EXPECTED_FAILURES.iter().chain(JSON_EXPECTATIONS) {
        assert!(stems.iter().any(|s| s == name), "no fixture {name}");
    }

    let before = committed_tree(&root);
    let out = tempfile::tempdir().unwrap();
    // Shared with `cargo xtask corpus` and its test, so dependencies are built once.
    let target_dir = root.join("target/corpus-target");
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut tolerated_seen: Vec<&str> = Vec::new();
    for (spec, stem) in specs.iter().zip(&stems) {
        let expect = expectation(spec, stem);
        let crate_dir = out.path().join(format!("bad-{stem}"));
        let problem = match (generate(spec, &crate_dir), &expect) {
            (Generation::Hung, _) => {
                Some(format!("generation did not finish in {GENERATE_TIMEOUT:?}"))
            }
            (Generation::Crashed(message), _) => Some(format!("the generator crashed: {message}")),
            (Generation::Refused(message), _) if !is_located(&message) => {
                Some(format!("refused without a location: {message}"))
            }
            (Generation::Refused(message), Expect::Generate) => {
                Some(format!("refused, where a crate was expected: {message}"))
            }
            (Generation::Refused(message), Expect::Refuse(Some(words)))
                if !message.contains(words.as_str()) =>
            {
                Some(format!("the refusal does not say `{words}`: {message}"))
            }
            (Generation::Refused(_), _) => None,
            (Generation::Generated, Expect::Refuse(_)) => {
                Some("generated a crate, where a refusal was expected".to_owned())
            }
            (Generation::Generated, _)
                if required_text(spec)
                    .is_some_and(|text| !generated_code(&crate_dir).contains(&text)) =>
            {
                Some(format!(
                    "the generated code lacks `{}`",
                    required_text(spec).unwrap_or_default()
                ))
            }
            (Generation::Generated, _) => {
                let check = cargo_check(&root, &crate_dir, &target_dir);
                tolerated_seen.extend(check.tolerated);
                (!check.problems.is_empty()).then(|| {
                    format!(
                        "the generated crate does not check cleanly:\n{}",
                        check.problems.join("\n")
                    )
                })
            }
        };
        if let Some(problem) = problem {
            failures.insert(stem.clone(), problem);
        }
    }
    assert!(
        committed_tree(&root) == before,
        "generating the corpus changed the committed client"
    );

    let mut report = Vec::new();
    for (stem, problem) in &failures {
        if !EXPECTED_FAILURES.iter().any(|(name, _)| name == stem) {
            report.push(format!("{stem}: {problem}"));
        }
    }
    for (name, waits_for) in EXPECTED_FAILURES {
        if !failures.contains_key(*name) {
            report.push(format!(
                "{name} passes now ({waits_for} is done): remove it from EXPECTED_FAILURES"
            ));
        }
    }
    for (prefix, waits_for) in WARNINGS_TOLERATED_IN {
        if !tolerated_seen.contains(prefix) {
            report.push(format!(
                "no crate has warnings in {prefix} any more ({waits_for}): remove it from \
                 WARNINGS_TOLERATED_IN"
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} of {} bad specs went wrong:\n\n{}",
        report.len(),
        specs.len(),
        report.join("\n\n")
    );
}
