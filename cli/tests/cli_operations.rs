//! Every operation of the spec through the built binary: each has a command in the group of its
//! tag, `--dry-run` prints the request the spec describes, and each one sent to the stand-in
//! server succeeds, prints the answer as JSON, and is the request its dry run printed.

mod support;

use heck_free::kebab;
use serde_json::Value;
use support::{Server, CLUSTER, GROUP};
use workspace_tests::{Spec, SpecOperation};

/// `operationId` in kebab case, as the generator names commands.
mod heck_free {
    pub fn kebab(id: &str) -> String {
        let mut out = String::new();
        for (i, c) in id.chars().enumerate() {
            if i > 0 && c.is_ascii_uppercase() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

/// Every `(group, command)` the binary offers.
fn commands() -> Vec<(String, String)> {
    support::subcommands(&[])
        .into_iter()
        .flat_map(|group| {
            support::subcommands(&[&group])
                .into_iter()
                .map(move |command| (group.clone(), command))
        })
        .collect()
}

/// Ids of the resources the run created, by the path of the collection they are in.
type Created = std::collections::BTreeMap<String, String>;

/// A value for a path parameter: the id of a resource the run created there (what a delete, a
/// change or a cancel needs: the spec's examples are finished), else the id the spec's example shows for the
/// resource the parameter names (the get operation whose path ends with it: at the operation's
/// own path, or above it), or a name that matches the spec's patterns.
fn path_value(spec: &Spec, op: &SpecOperation, name: &str, created: &Created) -> String {
    let collection = op.path.rsplit_once('/').map_or("", |(c, _)| c);
    let placeholder = format!("/{{{name}}}");
    match name {
        "groupId" => GROUP.to_owned(),
        "clusterName" | "name" | "instanceName" => CLUSTER.to_owned(),
        // The one provider backup private endpoints take.
        "cloudProvider" => "AWS".to_owned(),
        // A change goes to a resource the run made too: the spec's 2024-05-30 bucket update
        // answers in the AWS form only, and the bucket the examples list is a GCP one.
        _ if matches!(op.method.as_str(), "DELETE" | "PATCH")
            && created.contains_key(collection) =>
        {
            created[collection].clone()
        }
        _ => {
            let reads = |o: &&SpecOperation| {
                o.method == "GET"
                    && o.path.ends_with(&placeholder)
                    && (o.path == op.path || op.path.starts_with(&format!("{}/", o.path)))
            };
            let get = spec
                .operations
                .iter()
                .find(|o| reads(o) && o.path == op.path)
                .or_else(|| spec.operations.iter().find(reads))
                .unwrap_or_else(|| panic!("no get operation reads `{name}` of {}", op.path));
            let example = get.newest_example();
            ["id", "_id", "name", "sourceNamespace"]
                .iter()
                .find_map(|field| example[field].as_str())
                .unwrap_or_else(|| panic!("{}: no id in its example", get.id))
                .to_owned()
        }
    }
}

/// The command line of an operation: its path parameters, and its body from the spec's
/// example in a file.
fn command_line(
    spec: &Spec,
    op: &SpecOperation,
    group: &str,
    dir: &std::path::Path,
    created: &Created,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut args = vec![group.to_owned(), kebab(&op.id)];
    let mut values = Vec::new();
    for param in &op.path_params {
        let value = path_value(spec, op, &param.name, created);
        args.push(format!("--{}", kebab(&param.name)));
        args.push(value.clone());
        values.push((param.name.clone(), value));
    }
    if let Some(body) = &op.request_body {
        let example = body
            .example
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no example body", op.id));
        let path = dir.join(format!("{}.json", op.id));
        std::fs::write(&path, example.to_string()).unwrap();
        args.push("--file".to_owned());
        args.push(path.display().to_string());
    }
    (args, values)
}

/// A request as a dry run printed it: method, URL, headers (name in lower case) and body.
#[derive(Debug, PartialEq, Eq)]
struct Printed {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// Reads back the curl command of a dry run, one option per line.
fn printed(curl: &str) -> Printed {
    let unquote = |text: &str| -> String {
        let inner = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .unwrap_or_else(|| panic!("not single-quoted: {text}"));
        inner.replace(r"'\''", "'")
    };
    let mut request = Printed {
        method: String::new(),
        url: String::new(),
        headers: Vec::new(),
        body: None,
    };
    for line in curl.trim_end().split(" \\\n  ") {
        if let Some(method) = line.strip_prefix("curl --request ") {
            request.method = method.to_owned();
        } else if let Some(url) = line.strip_prefix("--url ") {
            request.url = unquote(url);
        } else if let Some(header) = line.strip_prefix("--header ") {
            let header = unquote(header);
            let (name, value) = header.split_once(": ").expect("Name: value");
            request
                .headers
                .push((name.to_ascii_lowercase(), value.to_owned()));
        } else if let Some(body) = line.strip_prefix("--data ") {
            request.body = Some(unquote(body));
        } else {
            assert!(
                line.starts_with("--digest --user "),
                "unexpected line: {line}"
            );
        }
    }
    request
}

/// What `printed` says of a request the stand-in received, compared field by field: the
/// headers a dry run shows (credentials aside) must have reached the server with their values.
fn assert_sent_as_printed(
    op: &str,
    shown: &Printed,
    sent: &workspace_tests::RecordedRequest,
    base: &str,
) {
    assert_eq!(shown.method, sent.method, "{op}: method");
    let query = sent
        .query
        .as_ref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    assert_eq!(
        shown.url,
        format!("{base}{}{query}", sent.path),
        "{op}: URL"
    );
    for (name, value) in &shown.headers {
        if name == "authorization" {
            continue;
        }
        let received = sent.headers.get(name.as_str()).map(|v| v.to_str().unwrap());
        assert_eq!(received, Some(value.as_str()), "{op}: header {name}");
    }
    for name in ["accept", "content-type"] {
        let listed = shown.headers.iter().any(|(n, _)| n == name);
        assert_eq!(
            listed,
            sent.headers.contains_key(name),
            "{op}: {name} shown iff sent"
        );
    }
    assert_eq!(
        shown.body.as_deref().unwrap_or_default().as_bytes(),
        sent.body.as_slice(),
        "{op}: body"
    );
}

fn group_of<'a>(commands: &'a [(String, String)], op: &SpecOperation) -> &'a str {
    let name = kebab(&op.id);
    let found: Vec<&(String, String)> = commands.iter().filter(|(_, c)| *c == name).collect();
    assert_eq!(found.len(), 1, "`{name}` should be one command: {found:?}");
    &found[0].0
}

#[test]
fn every_operation_is_one_command_and_nothing_else_is() {
    let spec = Spec::shared();
    let commands = commands();
    let mut wanted: Vec<String> = spec.operations.iter().map(|op| kebab(&op.id)).collect();
    let mut offered: Vec<String> = commands.iter().map(|(_, c)| c.clone()).collect();
    wanted.sort();
    offered.sort();
    assert_eq!(offered, wanted);
    // The root's --help lists every one.
    let output = support::bare().arg("--help").output().unwrap();
    let help = support::stdout(&output);
    for (group, command) in &commands {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("`{command}` not in\n{help}"));
        assert!(line.len() > command.len() + 6, "no summary: {line}");
        assert!(help.contains(&format!("\n  {group}\n")), "{group}");
    }
}

#[test]
fn dry_run_prints_the_request_of_every_operation_and_sends_none() {
    let spec = Spec::shared();
    let server = Server::start();
    let commands = commands();
    let dir = tempfile::tempdir().unwrap();
    for op in &spec.operations {
        let (args, values) = command_line(
            spec,
            op,
            group_of(&commands, op),
            dir.path(),
            &Created::new(),
        );
        let mut cmd = server.cli();
        cmd.env("MONGODB_ATLAS_ACCESS_TOKEN", "secret-token");
        let digest_only = op.path.starts_with("/api/atlas/v1.0/");
        if digest_only {
            // A dry run refuses what the request would: the v1.0 API takes HTTP Digest only.
            cmd.env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
                .env("MONGODB_ATLAS_PUBLIC_API_KEY", "public")
                .env("MONGODB_ATLAS_PRIVATE_API_KEY", "secret-token");
        }
        let output = cmd.args(&args).arg("--dry-run").output().unwrap();
        let text = support::stdout(&output);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            support::stderr(&output)
        );
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let url = format!("{}{}", server.stand_in.base_url(), op.path_with(&pairs));
        assert!(
            text.starts_with(&format!("curl --request {}", op.method)),
            "{text}"
        );
        assert!(text.contains(&format!("--url '{url}'")), "{url} in\n{text}");
        match digest_only {
            true => assert!(text.contains("--digest --user 'public:****'"), "{text}"),
            false => assert!(text.contains("Authorization: Bearer ****"), "{text}"),
        }
        assert!(!text.contains("secret-token"), "{text}");
        assert_eq!(
            op.request_body.is_some(),
            text.contains("--data '"),
            "{text}"
        );
    }
    assert_eq!(server.stand_in.request_count(), 0);
}

#[test]
fn a_pin_older_than_the_operation_fails_the_dry_run_as_it_fails_the_request() {
    let spec = Spec::shared();
    let server = Server::start();
    let commands = commands();
    let dir = tempfile::tempdir().unwrap();
    let op = spec
        .operations
        .iter()
        .find(|op| op.id == "listFlexBackupSnapshots")
        .unwrap();
    let (args, _) = command_line(
        spec,
        op,
        group_of(&commands, op),
        dir.path(),
        &Created::new(),
    );
    let run = |version: &str, dry: bool| {
        let mut cmd = server.cli();
        cmd.args(&args).args(["--api-version", version]);
        if dry {
            cmd.arg("--dry-run");
        }
        cmd.output().unwrap()
    };
    let (dry, real) = (run("2020-01-01", true), run("2020-01-01", false));
    assert_eq!(dry.status.code(), Some(3), "{}", support::stderr(&dry));
    assert_eq!(real.status.code(), Some(3), "{}", support::stderr(&real));
    assert_eq!(support::stderr(&dry), support::stderr(&real));
    assert!(
        support::stdout(&dry).is_empty(),
        "nothing printed as if it would be sent"
    );
    assert_eq!(server.stand_in.request_count(), 0);

    // A pin at the operation's version is printed and sent with that version's media type.
    let shown = printed(&support::stdout(&run("2025-01-01", true)));
    assert!(
        shown.headers.contains(&(
            "accept".to_owned(),
            "application/vnd.atlas.2024-11-13+json".to_owned()
        )),
        "{shown:?}"
    );
    assert!(run("2025-01-01", false).status.success());
    let sent = server.stand_in.take_requests();
    assert_sent_as_printed(&op.id, &shown, &sent[0], &server.stand_in.base_url());
}

#[test]
fn every_operation_sent_to_the_stand_in_succeeds() {
    let spec = Spec::shared();
    let server = Server::start();
    let commands = commands();
    let dir = tempfile::tempdir().unwrap();
    // Deletes and cancels last, so that the other operations still find what they name.
    let mut operations: Vec<&SpecOperation> = spec.operations.iter().collect();
    operations.sort_by_key(|op| op.method == "DELETE");
    let mut created = Created::new();
    for op in operations {
        let (args, _) = command_line(spec, op, group_of(&commands, op), dir.path(), &created);
        let cli = || {
            let mut cmd = server.cli();
            if op.path.starts_with("/api/atlas/v1.0/") {
                // The v1.0 API takes HTTP Digest only.
                cmd.env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
                    .env("MONGODB_ATLAS_PUBLIC_API_KEY", "public")
                    .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private");
            }
            cmd
        };
        let dry = cli().args(&args).arg("--dry-run").output().unwrap();
        assert!(
            dry.status.success(),
            "{args:?} --dry-run: {}",
            support::stderr(&dry)
        );
        assert_eq!(
            server.stand_in.request_count(),
            0,
            "{}: the dry run sent nothing",
            op.id
        );
        let shown = printed(&support::stdout(&dry));
        let output = cli()
            .args(&args)
            .arg("--output")
            .arg("json")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?} exited {:?}: {}",
            output.status.code(),
            support::stderr(&output)
        );
        if op.status == 204 || op.media.iter().all(|m| m.example.is_null()) {
            assert!(support::stdout(&output).is_empty());
        } else {
            let answer: Value = support::json(&output);
            assert!(answer.is_object(), "{}: {answer}", op.id);
            if op.method == "POST" {
                if let Some(id) = answer["id"].as_str().or(answer["_id"].as_str()) {
                    created.insert(op.path.clone(), id.to_owned());
                }
            }
        }
        let sent = server.stand_in.take_requests();
        assert_eq!(sent.len(), 1, "{}", op.id);
        assert_eq!(sent[0].operation.as_deref(), Some(op.id.as_str()));
        assert_sent_as_printed(&op.id, &shown, &sent[0], &server.stand_in.base_url());
    }
}
