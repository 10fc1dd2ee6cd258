//! Atlas CLI profiles (`--profile`, `--config`, `MONGODB_ATLAS_PROFILE`): the credentials, the
//! project id and the server a profile gives, masked in `--dry-run`, sent to the stand-in, and
//! overruled by flags and variables; profiles whose secrets are in the OS keyring; files that
//! are malformed. Every test writes its own file in a temporary folder and points the binary at
//! it, so a developer's own Atlas CLI configuration is never read.

mod support;

use std::path::{Path, PathBuf};
use support::{Server, CLUSTER};
use workspace_tests::StandIn;

/// The project id of the API-key profile; a different one from the other profiles, so the URL
/// tells which profile was read.
const KEY_PROJECT: &str = "5e2211c17a3e5a48f5497de3";
const SA_PROJECT: &str = "6a0000000000000000000bcd";
const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "12345678-abcd-private-part";
const CLIENT_ID: &str = "mdb_sa_id_0123";
const CLIENT_SECRET: &str = "mdb_sa_sk_secret-part";
const USER_TOKEN: &str = "user-access-token-part";

/// A config file as the Atlas CLI writes it: global settings first, then one table per
/// profile; `ops_manager_url` is the stand-in's, when one is given.
fn config(dir: &Path, base_url: Option<&str>) -> PathBuf {
    let server = base_url.map_or_else(String::new, |url| format!("ops_manager_url = \"{url}/\"\n"));
    let text = format!(
        "telemetry_enabled = false\n\
         version = 2\n\
         \n\
         [default]\n\
         \x20 org_id = \"5e2211c17a3e5a48f5497de3\"\n\
         \x20 project_id = \"{KEY_PROJECT}\"\n\
         \x20 public_api_key = \"{PUBLIC_KEY}\"\n\
         \x20 private_api_key = \"{PRIVATE_KEY}\"\n\
         \x20 service = \"cloud\"\n\
         \x20 output = \"json\"\n\
         \x20 {server}\
         \n\
         [sa]\n\
         \x20 auth_type = \"service_account\"\n\
         \x20 client_id = \"{CLIENT_ID}\"\n\
         \x20 client_secret = \"{CLIENT_SECRET}\"\n\
         \x20 project_id = \"{SA_PROJECT}\"\n\
         \x20 {server}\
         \n\
         [user]\n\
         \x20 auth_type = \"user_account\"\n\
         \x20 access_token = \"{USER_TOKEN}\"\n\
         \x20 refresh_token = \"refresh-part\"\n\
         \x20 project_id = \"{KEY_PROJECT}\"\n\
         \x20 {server}\
         \n\
         [gov]\n\
         \x20 service = \"cloudgov\"\n\
         \x20 public_api_key = \"{PUBLIC_KEY}\"\n\
         \x20 private_api_key = \"{PRIVATE_KEY}\"\n\
         \x20 project_id = \"{KEY_PROJECT}\"\n\
         \n\
         [keyring-key]\n\
         \x20 auth_type = \"api_keys\"\n\
         \x20 public_api_key = \"{PUBLIC_KEY}\"\n\
         \x20 project_id = \"{KEY_PROJECT}\"\n\
         \n\
         [keyring-sa]\n\
         \x20 auth_type = \"service_account\"\n\
         \x20 project_id = \"{SA_PROJECT}\"\n\
         \n\
         [keyring-user]\n\
         \x20 auth_type = \"user_account\"\n\
         \x20 project_id = \"{SA_PROJECT}\"\n"
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `list-backup-snapshots` with no `--group-id`: the profile must give it.
fn list(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env("MONGODB_ATLAS_API_VERSION", "2024-11-13").args([
        "cloud-backup-snapshots",
        "list-backup-snapshots",
        "--cluster-name",
        CLUSTER,
    ])
}

fn snapshots_url(base: &str, project: &str) -> String {
    format!("{base}/api/atlas/v2/groups/{project}/clusters/{CLUSTER}/backup/snapshots")
}

/// Both streams of a run, which must not hold any secret of the file.
fn assert_no_secret(output: &std::process::Output) {
    let all = format!("{}{}", support::stdout(output), support::stderr(output));
    for secret in [PRIVATE_KEY, CLIENT_SECRET, USER_TOKEN, "refresh-part"] {
        assert!(!all.contains(secret), "{secret} shown:\n{all}");
    }
}

#[test]
fn dry_run_shows_the_profile_public_key_and_project_and_masks_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path(), None);
    let default_url = snapshots_url("https://cloud.mongodb.com", KEY_PROJECT);

    // --config alone reads the profile `default`.
    let output = list(&mut support::bare())
        .arg("--config")
        .arg(&path)
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    assert_eq!(
        support::stdout(&output).trim_end(),
        format!(
            "curl --request GET \\\n  --url '{default_url}' \\\n  \
             --header 'Accept: application/vnd.atlas.2023-01-01+json' \\\n  \
             --digest --user '{PUBLIC_KEY}:****'"
        )
    );
    assert_no_secret(&output);

    // The service account, named by the flag in both spellings and by the variable.
    let sa_url = snapshots_url("https://cloud.mongodb.com", SA_PROJECT);
    let runs = [
        list(&mut support::bare())
            .args(["--profile", "sa", "--dry-run", "--config"])
            .arg(&path)
            .output()
            .unwrap(),
        list(&mut support::bare())
            .args(["--profile=sa", "--dry-run", "--config"])
            .arg(&path)
            .output()
            .unwrap(),
        // The Atlas CLI lower-cases profile names, and matches them in any case.
        list(&mut support::bare())
            .env("MONGODB_ATLAS_PROFILE", "SA")
            .args(["--dry-run", "--config"])
            .arg(&path)
            .output()
            .unwrap(),
    ];
    for output in runs {
        assert!(output.status.success(), "{}", support::stderr(&output));
        let text = support::stdout(&output);
        assert!(text.contains(&format!("--url '{sa_url}'")), "{text}");
        assert!(text.contains("Authorization: Bearer ****"), "{text}");
        assert!(!text.contains("--digest"), "{text}");
        assert_no_secret(&output);
    }

    // `service = "cloudgov"` is Atlas for Government.
    let output = list(&mut support::bare())
        .args(["--profile", "gov", "--dry-run", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    let text = support::stdout(&output);
    let gov_url = snapshots_url("https://cloud.mongodbgov.com", KEY_PROJECT);
    assert!(text.contains(&format!("--url '{gov_url}'")), "{text}");
    assert_no_secret(&output);

    // A user account's access token is a bearer token, masked the same way.
    let output = list(&mut support::bare())
        .args(["--profile", "user", "--dry-run", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    assert!(support::stdout(&output).contains("Authorization: Bearer ****"));
    assert_no_secret(&output);
}

#[test]
fn requests_to_the_stand_in_authenticate_with_the_profile_credentials() {
    let server = Server::with(
        StandIn::builder()
            .require_digest(PUBLIC_KEY, PRIVATE_KEY)
            .service_account(CLIENT_ID, CLIENT_SECRET),
    );
    let dir = tempfile::tempdir().unwrap();
    // The server is the profile's `ops_manager_url`: no --base-url, no variable.
    let path = config(dir.path(), Some(&server.stand_in.base_url()));
    for (profile, project) in [("default", KEY_PROJECT), ("sa", SA_PROJECT)] {
        let output = list(&mut support::bare())
            .args(["--profile", profile, "--config"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{profile}: {}",
            support::stderr(&output)
        );
        assert!(support::json(&output)["results"].is_array());
        assert_no_secret(&output);
        let paths: Vec<String> = server
            .stand_in
            .take_requests()
            .into_iter()
            .filter(|r| r.operation.as_deref() == Some("listBackupSnapshots"))
            .map(|r| r.path)
            .collect();
        assert!(!paths.is_empty(), "{profile}");
        assert!(
            paths.iter().all(|p| p.contains(project)),
            "{profile}: {paths:?}"
        );
    }
    // The service account's token was fetched, once, with the profile's id and secret.
    assert_eq!(server.stand_in.token_requests(), 1);

    // The user account's token is refused by a server that wants another one.
    let bearer = Server::with(StandIn::builder().require_bearer(USER_TOKEN));
    let path = config(dir.path(), Some(&bearer.stand_in.base_url()));
    let output = list(&mut support::bare())
        .args(["--profile", "user", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::stderr(&output));
    let refused = list(&mut support::bare())
        .args(["--profile", "default", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(4),
        "{}",
        support::stderr(&refused)
    );
    assert_no_secret(&refused);
}

#[test]
fn flags_and_variables_win_over_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path(), Some("https://cloud-dev.mongodb.com"));
    let run = |cmd: &mut assert_cmd::Command, extra: &[&str]| {
        let output = list(cmd)
            .args(extra)
            .args(["--dry-run", "--config"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", support::stderr(&output));
        assert_no_secret(&output);
        support::stdout(&output)
    };
    // The profile's own server, project and key, for comparison.
    let text = run(&mut support::bare(), &[]);
    assert!(
        text.contains(&snapshots_url("https://cloud-dev.mongodb.com", KEY_PROJECT)),
        "{text}"
    );

    let other = "0123456789abcdef01234567";
    let text = run(&mut support::bare(), &["--group-id", other]);
    assert!(text.contains(&format!("/groups/{other}/")), "{text}");

    let text = run(
        support::bare().env("MONGODB_ATLAS_BASE_URL", "http://127.0.0.1:9"),
        &[],
    );
    assert!(text.contains("--url 'http://127.0.0.1:9/api/"), "{text}");
    let text = run(&mut support::bare(), &["--base-url", "http://127.0.0.1:9"]);
    assert!(text.contains("--url 'http://127.0.0.1:9/api/"), "{text}");

    let text = run(
        support::bare()
            .env("MONGODB_ATLAS_PUBLIC_API_KEY", "env-public")
            .env("MONGODB_ATLAS_PRIVATE_API_KEY", "env-private"),
        &[],
    );
    assert!(text.contains("--digest --user 'env-public:****'"), "{text}");

    // Another kind of credentials from the variables replaces the profile's API key whole.
    let text = run(
        support::bare().env("MONGODB_ATLAS_ACCESS_TOKEN", "env-token"),
        &[],
    );
    assert!(text.contains("Authorization: Bearer ****"), "{text}");
    assert!(!text.contains("--digest"), "{text}");
    let text = run(
        &mut support::bare(),
        &["--client-id", "id", "--client-secret", "secret"],
    );
    assert!(text.contains("Authorization: Bearer ****"), "{text}");
    assert!(!text.contains("--digest"), "{text}");
}

#[test]
fn a_secret_the_file_lacks_is_said_to_be_in_the_keyring_with_the_variable_to_set() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path(), None);
    let run = |cmd: &mut assert_cmd::Command, profile: &str| {
        list(cmd)
            .env("MONGODB_ATLAS_BASE_URL", server.stand_in.base_url())
            .args(["--profile", profile, "--config"])
            .arg(&path)
            .output()
            .unwrap()
    };
    let cases = [
        ("keyring-key", &["MONGODB_ATLAS_PRIVATE_API_KEY"][..]),
        (
            "keyring-sa",
            &["MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET"][..],
        ),
        ("keyring-user", &["MONGODB_ATLAS_ACCESS_TOKEN"][..]),
    ];
    for (profile, variables) in cases {
        let output = run(&mut support::bare(), profile);
        assert_eq!(
            output.status.code(),
            Some(4),
            "{}",
            support::stderr(&output)
        );
        let stderr = support::stderr(&output);
        assert!(stderr.contains("OS keyring"), "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(&format!("`{profile}`")), "{stderr}");
        for variable in variables {
            assert!(stderr.contains(variable), "{stderr}");
        }
        // The API key profile has its public part, so only the private one is asked for.
        if profile == "keyring-key" {
            assert!(!stderr.contains("MONGODB_ATLAS_PUBLIC_API_KEY"), "{stderr}");
        }
    }
    assert_eq!(server.stand_in.request_count(), 0);

    // The variable the message names completes the profile's API key.
    let output = run(
        support::bare()
            .env("MONGODB_ATLAS_PRIVATE_API_KEY", "from-the-keyring")
            .arg("--dry-run"),
        "keyring-key",
    );
    assert!(output.status.success(), "{}", support::stderr(&output));
    let text = support::stdout(&output);
    assert!(
        text.contains(&format!("--digest --user '{PUBLIC_KEY}:****'")),
        "{text}"
    );
    assert!(text.contains(&format!("/groups/{KEY_PROJECT}/")), "{text}");
    assert!(!text.contains("from-the-keyring"), "{text}");
}

#[test]
fn a_malformed_file_or_an_unknown_profile_is_an_error_naming_the_file() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str, profile: &str| {
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let output = list(&mut support::bare())
            .env("MONGODB_ATLAS_BASE_URL", server.stand_in.base_url())
            .args(["--profile", profile, "--config"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = support::stderr(&output);
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(!stderr.contains(PRIVATE_KEY), "{stderr}");
        (output.status.code(), stderr)
    };

    // An unterminated string: toml's position, and not the line itself, which holds a secret.
    let (code, stderr) = run(
        &format!("[default]\nproject_id = \"{KEY_PROJECT}\"\nprivate_api_key = \"{PRIVATE_KEY}\n"),
        "default",
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("not valid TOML at line 3, column"),
        "{stderr}"
    );

    let (code, stderr) = run("[default]\nproject_id = 5\n", "default");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("`project_id`"), "{stderr}");
    assert!(stderr.contains("must be a string"), "{stderr}");

    let (code, stderr) = run("[default]\nproject_id = \"not-a-project\"\n", "default");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot be the --group-id"), "{stderr}");

    let (code, stderr) = run("[default]\nauth_type = \"magic\"\n", "default");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("`auth_type`"), "{stderr}");

    let (code, stderr) = run(
        &format!("version = 2\n[default]\nproject_id = \"{KEY_PROJECT}\"\n[prod]\n"),
        "staging",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no profile `staging`"), "{stderr}");
    assert!(stderr.contains("its profiles: default, prod"), "{stderr}");

    // A file that is not there.
    let missing = dir.path().join("absent.toml");
    let output = list(&mut support::bare())
        .arg("--config")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(support::stderr(&output).contains(&missing.display().to_string()));
    assert_eq!(server.stand_in.request_count(), 0);
}

/// The Atlas CLI's own file, `$XDG_CONFIG_HOME/atlascli/config.toml` on Linux, is read when a
/// profile is named, and not read when none is.
#[cfg(target_os = "linux")]
#[test]
fn the_atlas_cli_file_in_the_config_dir_is_read_only_when_a_profile_is_named() {
    let home = tempfile::tempdir().unwrap();
    let atlascli = home.path().join("atlascli");
    std::fs::create_dir(&atlascli).unwrap();
    config(&atlascli, None);
    let at_home = |cmd: &mut assert_cmd::Command| {
        list(cmd)
            .env("XDG_CONFIG_HOME", home.path())
            .env("HOME", home.path())
            .arg("--dry-run")
            .output()
            .unwrap()
    };
    let output = at_home(support::bare().args(["--profile", "default"]));
    assert!(output.status.success(), "{}", support::stderr(&output));
    let text = support::stdout(&output);
    assert!(
        text.contains(&format!("--digest --user '{PUBLIC_KEY}:****'")),
        "{text}"
    );
    assert!(text.contains(&format!("/groups/{KEY_PROJECT}/")), "{text}");

    // Without --profile the file is not read: --group-id is required, as it always was.
    let output = at_home(&mut support::bare());
    assert_eq!(output.status.code(), Some(2));
    assert!(support::stderr(&output).contains("--group-id"));
}
