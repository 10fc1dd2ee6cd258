//! Every operation of the spec through the built binary: each has a command in the group of its
//! tag, `--dry-run` prints the request the spec describes, and each one sent to the stand-in
//! server succeeds and prints the answer as JSON.

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

/// A value for a path parameter: the id of a resource the run created there (what a delete or a
/// cancel needs: the spec's examples are finished), else the id the spec's get example shows, or
/// a name that matches the spec's patterns.
fn path_value(spec: &Spec, op: &SpecOperation, name: &str, created: &Created) -> String {
    let collection = op.path.rsplit_once('/').map_or("", |(c, _)| c);
    match name {
        "groupId" => GROUP.to_owned(),
        "clusterName" | "name" | "instanceName" => CLUSTER.to_owned(),
        _ if op.method == "DELETE" && created.contains_key(collection) => {
            created[collection].clone()
        }
        _ => {
            let get = spec
                .operations
                .iter()
                .find(|o| o.method == "GET" && o.path == op.path)
                .unwrap_or_else(|| panic!("no get operation at {}", op.path));
            get.newest_example()["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no `id` in its example", get.id))
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
        let output = server
            .cli()
            .env("MONGODB_ATLAS_ACCESS_TOKEN", "secret-token")
            .args(&args)
            .arg("--dry-run")
            .output()
            .unwrap();
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
        assert!(text.contains("Authorization: Bearer ****"), "{text}");
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
        let mut cmd = server.cli();
        if op.path.starts_with("/api/atlas/v1.0/") {
            // The v1.0 API takes HTTP Digest only.
            cmd.env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
                .env("MONGODB_ATLAS_PUBLIC_API_KEY", "public")
                .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private");
        }
        let output = cmd
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
                if let Some(id) = answer["id"].as_str() {
                    created.insert(op.path.clone(), id.to_owned());
                }
            }
        }
        let sent = server.stand_in.take_requests();
        assert_eq!(sent.len(), 1, "{}", op.id);
        assert_eq!(sent[0].operation.as_deref(), Some(op.id.as_str()));
    }
}
