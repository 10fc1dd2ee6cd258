//! The built binary as a user meets it: output formats, paging with `--all`, values the spec
//! does not allow, request bodies, `--dry-run`, `--wait`, credentials, the API version warning,
//! the exit codes, completions and the man page.

mod support;

use serde_json::Value;
use support::{Server, CLUSTER, GROUP};
use workspace_tests::{Fault, StandIn};

fn list_flex(server: &Server) -> assert_cmd::Command {
    let mut cmd = server.cli();
    cmd.args([
        "flex-snapshots",
        "list-flex-backup-snapshots",
        "--group-id",
        GROUP,
        "--name",
        CLUSTER,
    ]);
    cmd
}

fn code(output: &std::process::Output) -> Option<i32> {
    output.status.code()
}

#[test]
fn jsonpath_prints_the_values_it_selects_one_per_line() {
    let server = Server::start();
    let page = support::json(&list_flex(&server).output().unwrap());
    let ids: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() > 1, "{page}");
    let selected = support::stdout(
        &list_flex(&server)
            .args(["-o", "jsonpath=$.results[*].id"])
            .output()
            .unwrap(),
    );
    assert_eq!(selected.lines().collect::<Vec<_>>(), ids);
    // Anything but a string is printed as compact JSON.
    let count = support::stdout(
        &list_flex(&server)
            .args(["-o", "jsonpath=$.totalCount"])
            .output()
            .unwrap(),
    );
    assert_eq!(count.trim(), page["totalCount"].to_string());
    // An expression that does not parse is a usage error, before anything is sent.
    let refused = list_flex(&server)
        .args(["-o", "jsonpath=$.results[?"])
        .output()
        .unwrap();
    assert_eq!(code(&refused), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("is not a JSONPath expression"), "{stderr}");
}

#[test]
fn json_is_the_default_off_a_terminal_and_table_and_csv_are_asked_for() {
    let server = Server::start();
    let json = list_flex(&server).output().unwrap();
    let page = support::json(&json);
    let results = page["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let first_id = results[0]["id"].as_str().unwrap();

    let table = support::stdout(
        &list_flex(&server)
            .args(["--output", "table"])
            .output()
            .unwrap(),
    );
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("ID  "), "{table}");
    assert!(header.contains("STATUS"), "{table}");
    assert!(!header.contains("LINKS"), "{table}");
    assert!(lines.next().unwrap().starts_with(first_id), "{table}");
    assert_eq!(table.lines().count(), results.len() + 1);

    let csv = support::stdout(&list_flex(&server).args(["-o", "csv"]).output().unwrap());
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,"), "{csv}");
    assert!(
        lines.next().unwrap().starts_with(&format!("{first_id},")),
        "{csv}"
    );

    // One resource: fields and values.
    let one = server
        .cli()
        .args([
            "flex-snapshots",
            "get-flex-backup-snapshot",
            "--group-id",
            GROUP,
        ])
        .args(["--name", CLUSTER, "--snapshot-id", first_id, "-o", "table"])
        .output()
        .unwrap();
    let text = support::stdout(&one);
    assert!(text.starts_with("FIELD"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("id ") && l.ends_with(first_id)),
        "{text}"
    );
}

#[test]
fn all_walks_every_page_one_after_another_or_several_at_once() {
    let server = Server::with(StandIn::builder().list_size(250));
    let output = list_flex(&server)
        .args(["--all", "--items-per-page", "100"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    let items = support::json(&output);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 250);
    let ids: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 250);
    let pages: Vec<String> = server
        .stand_in
        .take_requests()
        .iter()
        .map(|r| r.query_value("pageNum").unwrap_or("1").to_owned())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    // Not a terminal: no progress bar on stderr.
    assert!(
        !support::stderr(&output).contains("items"),
        "{}",
        support::stderr(&output)
    );

    let output = list_flex(&server)
        .args([
            "--all",
            "--items-per-page",
            "50",
            "--concurrency",
            "3",
            "-o",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    assert_eq!(support::stdout(&output).lines().count(), 251);
    assert_eq!(server.stand_in.take_requests().len(), 5);
}

#[test]
fn values_the_spec_does_not_allow_are_usage_errors_and_nothing_is_sent() {
    let server = Server::start();
    let cases: &[&[&str]] = &[
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            "not-hex",
            "--name",
            CLUSTER,
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
            "--name",
            "-bad",
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
            "--name",
            CLUSTER,
            "--items-per-page",
            "501",
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
            "--name",
            CLUSTER,
            "--page-num",
            "0",
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
            "--name",
            CLUSTER,
            "--include-count",
            "maybe",
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
        ],
        &[
            "flex-snapshots",
            "list-flex-backup-snapshots",
            "--group-id",
            GROUP,
            "--name",
            CLUSTER,
            "--concurrency",
            "2",
        ],
        &["flex-snapshots", "no-such-operation"],
        &[
            "cloud-backup-snapshots",
            "take-snapshots",
            "--group-id",
            GROUP,
            "--cluster-name",
            CLUSTER,
        ],
        &["flex-snapshots"],
    ];
    for args in cases {
        let output = server.cli().args(*args).output().unwrap();
        assert_eq!(
            code(&output),
            Some(2),
            "{args:?}: {}",
            support::stderr(&output)
        );
        assert!(!support::stderr(&output).is_empty(), "{args:?}");
    }
    assert_eq!(server.stand_in.request_count(), 0);
}

#[test]
fn body_field_flags_make_the_body_and_are_checked_like_parameters() {
    let server = Server::start();
    let take = |server: &Server, flags: &[&str]| {
        server
            .cli()
            .args(["cloud-backup-snapshots", "take-snapshots"])
            .args(["--group-id", GROUP, "--cluster-name", CLUSTER])
            .args(flags)
            .output()
            .unwrap()
    };
    let output = take(
        &server,
        &[
            "--retention-in-days",
            "3",
            "--description",
            "before the upgrade",
        ],
    );
    assert!(output.status.success(), "{}", support::stderr(&output));
    let sent = server.stand_in.take_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation.as_deref(), Some("takeSnapshots"));
    assert_eq!(
        sent[0].body_json(),
        serde_json::json!({"description": "before the upgrade", "retentionInDays": 3})
    );
    assert_eq!(support::json(&output)["description"], "before the upgrade");

    // Typed and checked before sending: the range the spec gives, and no mixing with --file.
    for flags in [
        &["--retention-in-days", "0"][..],
        &["--retention-in-days", "three"],
        &["--retention-in-days", "3", "--file", "-"],
    ] {
        let output = take(&server, flags);
        assert_eq!(
            code(&output),
            Some(2),
            "{flags:?}: {}",
            support::stderr(&output)
        );
    }

    // A field the body needs, missing, is named.
    let output = server
        .cli()
        .args(["cloud-backup-snapshots", "update-backup-snapshot"])
        .args(["--group-id", GROUP, "--cluster-name", CLUSTER])
        .args(["--snapshot-id", "5f4ee3ae2ee9e35ef7a2a6f3"])
        .args(["--retention-value", "4"])
        .output()
        .unwrap();
    assert_eq!(code(&output), Some(2), "{}", support::stderr(&output));
    assert!(
        support::stderr(&output).contains("--retention-unit"),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(server.stand_in.request_count(), 0);
}

#[test]
fn a_body_is_read_from_a_file_or_stdin_and_checked_against_its_type_before_sending() {
    let server = Server::start();
    let take = |server: &Server| {
        let mut cmd = server.cli();
        cmd.args([
            "cloud-backup-snapshots",
            "take-snapshots",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", CLUSTER]);
        cmd
    };
    let output = take(&server)
        .args(["--file", "-"])
        .write_stdin(r#"{"description":"before the upgrade","retentionInDays":3}"#)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    assert_eq!(support::json(&output)["description"], "before the upgrade");
    let sent = server.stand_in.take_requests();
    assert_eq!(
        sent[0].body_json(),
        serde_json::json!({"description": "before the upgrade", "retentionInDays": 3})
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"retentionInDays": "a week"}"#).unwrap();
    let output = take(&server).arg("--file").arg(&file).output().unwrap();
    assert_eq!(code(&output), Some(3), "{}", support::stderr(&output));
    assert!(support::stderr(&output).contains("body.json is not a valid request body"));

    let output = take(&server)
        .args(["--file", "-"])
        .write_stdin("not json")
        .output()
        .unwrap();
    assert_eq!(code(&output), Some(3));

    let output = take(&server)
        .arg("--file")
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(code(&output), Some(1), "{}", support::stderr(&output));
    assert_eq!(server.stand_in.request_count(), 0);
}

#[test]
fn dry_run_masks_every_secret_and_shows_the_negotiated_media_types() {
    let server = Server::start();
    let output = server
        .cli()
        .env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", "public-part")
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private-part")
        .args([
            "cloud-backup-snapshots",
            "take-snapshots",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", CLUSTER, "--file", "-", "--dry-run"])
        .args(["--api-version", "2023-06-01"])
        .write_stdin(r#"{"retentionInDays":3}"#)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    let text = support::stdout(&output);
    let url = format!(
        "{}/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}/backup/snapshots",
        server.stand_in.base_url()
    );
    assert_eq!(
        text.trim_end(),
        format!(
            "curl --request POST \\\n  --url '{url}' \\\n  \
             --header 'Accept: application/vnd.atlas.2023-01-01+json' \\\n  \
             --digest --user 'public-part:****' \\\n  \
             --header 'Content-Type: application/vnd.atlas.2023-01-01+json' \\\n  \
             --data '{{\"retentionInDays\":3}}'"
        )
    );
    assert!(!support::stderr(&output).contains("private-part"));
    assert_eq!(server.stand_in.request_count(), 0);

    // Query values are encoded; a service account's token is never fetched.
    let output = list_flex(&server)
        .env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
        .args(["--client-id", "id", "--client-secret", "hidden-secret"])
        .args(["--items-per-page", "7", "--include-count", "--dry-run"])
        .output()
        .unwrap();
    let text = support::stdout(&output);
    assert!(
        text.contains("?includeCount=true&itemsPerPage=7'"),
        "{text}"
    );
    assert!(text.contains("Authorization: Bearer ****"), "{text}");
    assert!(!text.contains("hidden-secret"));
    assert_eq!(server.stand_in.token_requests(), 0);
    assert_eq!(server.stand_in.request_count(), 0);
}

#[test]
fn wait_polls_the_waiter_until_the_resource_is_done_after_a_get_or_a_create() {
    let server = Server::start();
    let output = server
        .cli()
        .args([
            "cloud-backup-snapshots",
            "take-snapshots",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", CLUSTER, "--file", "-"])
        .write_stdin(r#"{"retentionInDays":1}"#)
        .output()
        .unwrap();
    let taken: Value = support::json(&output);
    assert_eq!(taken["status"], "queued");
    let id = taken["id"].as_str().unwrap();
    let get = |server: &Server| {
        let mut cmd = server.cli();
        cmd.args([
            "cloud-backup-snapshots",
            "get-cluster-backup-snapshot",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", CLUSTER, "--snapshot-id", id]);
        cmd
    };
    server.stand_in.take_requests();
    let output = get(&server)
        .args(["--wait", "--wait-interval", "0.01"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    assert_eq!(support::json(&output)["status"], "completed");
    assert!(server.stand_in.take_requests().len() > 1);

    // A create operation follows what it made with the waiter of the get operation beside it.
    let output = server
        .cli()
        .args([
            "cloud-backup-snapshots",
            "take-snapshots",
            "--group-id",
            GROUP,
        ])
        .args([
            "--cluster-name",
            CLUSTER,
            "--file",
            "-",
            "--wait",
            "--wait-interval",
            "0.01",
        ])
        .write_stdin(r#"{"retentionInDays":1}"#)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    let done = support::json(&output);
    assert_eq!(done["status"], "completed");
    assert_ne!(done["id"], taken["id"]);

    // A restore job that fails ends the wait with its own exit code.
    server.stand_in.fail_next("createFlexRestoreJob");
    let body = workspace_tests::Spec::shared()
        .operation("createFlexRestoreJob")
        .request_body
        .as_ref()
        .and_then(|b| b.example.clone())
        .unwrap();
    let output = server
        .cli()
        .args([
            "flex-restore-jobs",
            "create-flex-restore-job",
            "--group-id",
            GROUP,
        ])
        .args(["--name", CLUSTER, "--file", "-"])
        .write_stdin(body.to_string())
        .output()
        .unwrap();
    let job: Value = support::json(&output);
    let output = server
        .cli()
        .args([
            "flex-restore-jobs",
            "get-flex-restore-job",
            "--group-id",
            GROUP,
        ])
        .args([
            "--name",
            CLUSTER,
            "--restore-job-id",
            job["id"].as_str().unwrap(),
        ])
        .args(["--wait", "--wait-interval", "0.01"])
        .output()
        .unwrap();
    assert_eq!(code(&output), Some(8), "{}", support::stderr(&output));
    assert!(
        support::stderr(&output).contains("FAILED"),
        "{}",
        support::stderr(&output)
    );
}

#[test]
fn exit_codes_say_what_kind_of_failure_it_was() {
    let server = Server::with(StandIn::builder().require_bearer("right-token"));
    let run = |cmd: &mut assert_cmd::Command| cmd.output().unwrap();

    let ok = run(list_flex(&server).env("MONGODB_ATLAS_ACCESS_TOKEN", "right-token"));
    assert_eq!(code(&ok), Some(0), "{}", support::stderr(&ok));

    let refused = run(list_flex(&server).env("MONGODB_ATLAS_ACCESS_TOKEN", "wrong-token"));
    assert_eq!(code(&refused), Some(4), "{}", support::stderr(&refused));
    assert!(!support::stderr(&refused).contains("wrong-token"));

    let none = run(list_flex(&server).env_remove("MONGODB_ATLAS_ACCESS_TOKEN"));
    assert_eq!(code(&none), Some(4));
    assert!(support::stderr(&none).contains("no credentials"));

    let half = run(list_flex(&server)
        .env_remove("MONGODB_ATLAS_ACCESS_TOKEN")
        .args(["--public-key", "only-half"]));
    assert_eq!(code(&half), Some(2), "{}", support::stderr(&half));

    let authorized = |cmd: &mut assert_cmd::Command| {
        cmd.env("MONGODB_ATLAS_ACCESS_TOKEN", "right-token");
        cmd.output().unwrap()
    };
    let missing = authorized(
        server
            .cli()
            .args([
                "cloud-backup-snapshots",
                "get-cluster-backup-snapshot",
                "--group-id",
                GROUP,
            ])
            .args([
                "--cluster-name",
                CLUSTER,
                "--snapshot-id",
                "0123456789abcdef00000000",
            ]),
    );
    assert_eq!(code(&missing), Some(5), "{}", support::stderr(&missing));

    server
        .stand_in
        .inject(Fault::on("listFlexBackupSnapshots").status(400).times(1));
    let bad = authorized(&mut list_flex(&server));
    assert_eq!(code(&bad), Some(3), "{}", support::stderr(&bad));

    server
        .stand_in
        .inject(Fault::on("listFlexBackupSnapshots").status(409).times(1));
    let conflict = authorized(&mut list_flex(&server));
    assert_eq!(code(&conflict), Some(6), "{}", support::stderr(&conflict));

    server
        .stand_in
        .inject(Fault::malformed_json("listFlexBackupSnapshots").times(1));
    let garbled = authorized(&mut list_flex(&server));
    assert_eq!(code(&garbled), Some(6), "{}", support::stderr(&garbled));

    // Nothing listens on the port of a server that was stopped.
    let stopped = Server::start();
    let url = stopped.stand_in.base_url();
    drop(stopped);
    let transport = authorized(list_flex(&server).env("MONGODB_ATLAS_BASE_URL", &url));
    assert_eq!(code(&transport), Some(7), "{}", support::stderr(&transport));
}

#[test]
fn an_unpinned_api_version_and_a_deprecated_operation_are_warned_about_on_stderr() {
    let server = Server::start();
    let output = list_flex(&server)
        .env_remove("MONGODB_ATLAS_API_VERSION")
        .output()
        .unwrap();
    assert!(output.status.success());
    let warning = support::stderr(&output);
    assert!(warning.contains("warning: no --api-version"), "{warning}");
    assert!(warning.contains("2024-11-13"), "{warning}");
    support::json(&output);

    let pinned = list_flex(&server).output().unwrap();
    assert_eq!(support::stderr(&pinned), "");

    let deprecated = server
        .cli()
        .args([
            "serverless-snapshots",
            "list-serverless-backup-snapshots",
            "--group-id",
            GROUP,
        ])
        .args(["--cluster-name", CLUSTER])
        .output()
        .unwrap();
    assert!(
        deprecated.status.success(),
        "{}",
        support::stderr(&deprecated)
    );
    let warning = support::stderr(&deprecated);
    assert!(
        warning.contains("is deprecated and Atlas retires it on 2026-01-22; use `flex-snapshots list-flex-backup-snapshots` instead"),
        "{warning}"
    );
}

/// A version with a sunset (Atlas writes it per version, on the media type) is warned about
/// when the pin makes a command go out in it; the newest version has none.
#[test]
fn a_version_with_a_sunset_is_warned_about_on_stderr() {
    let server = Server::start();
    let policy = |version: &str| {
        server
            .cli()
            .env("MONGODB_ATLAS_API_VERSION", version)
            .args([
                "backup-compliance-policy",
                "get-compliance-policy",
                "--group-id",
                GROUP,
            ])
            .output()
            .unwrap()
    };
    let old = policy("2023-06-01");
    assert!(old.status.success(), "{}", support::stderr(&old));
    assert_eq!(
        support::stderr(&old),
        "warning: `backup-compliance-policy get-compliance-policy` goes out in API version \
         2023-01-01, which Atlas retires on 2027-07-01; pin a newer version with --api-version\n"
    );
    let newest = policy("2025-03-12");
    assert_eq!(support::stderr(&newest), "");
}

#[test]
fn secrets_from_the_environment_never_show_in_help() {
    let output = support::bare()
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "private-part")
        .env("MONGODB_ATLAS_CLIENT_SECRET", "client-secret-value")
        .env("MONGODB_ATLAS_ACCESS_TOKEN", "token-value")
        .args(["flex-snapshots", "list-flex-backup-snapshots", "--help"])
        .output()
        .unwrap();
    let text = support::stdout(&output);
    assert!(text.contains("MONGODB_ATLAS_PRIVATE_API_KEY"), "{text}");
    for secret in ["private-part", "client-secret-value", "token-value"] {
        assert!(!text.contains(secret), "{secret} in\n{text}");
    }
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = support::bare()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        assert!(
            support::stdout(&output).contains("list-flex-backup-snapshots"),
            "{shell}"
        );
    }
    let output = support::bare().arg("man").output().unwrap();
    assert!(output.status.success());
    let man = support::stdout(&output);
    assert!(
        man.starts_with(".ie") || man.contains(".TH atlas-snapshots"),
        "{man}"
    );
    assert!(man.contains("Exit codes"), "{man}");
    // Hidden: the everyday help lists the API's groups only.
    let help = support::stdout(&support::bare().arg("--help").output().unwrap());
    assert!(!help.contains("completions"), "{help}");
}
