//! A client generated from `tests/fixtures/codegen/secrets.yaml`, compiled here: a model with a
//! secret shows `<redacted>` in its `Debug` in place of each secret and every other field as
//! it is, while `Serialize`, and so the request body, still carries the secret. The generated
//! files are kept in `tests/generated/secrets/`, checked fresh here like those of
//! `client_bodies_auth`.

// The generated client, every module inline: `Client`, `Error`, the runtime re-exports,
// `models` and `operations`.
include!("generated/secrets/client.rs");

use workspace_tests::fixture_client::assert_included_client_fresh;

const FIXTURE: &str = "tests/fixtures/codegen/secrets.yaml";
const KEPT: &str = "tests/tests/generated/secrets";
const COMMAND: &str = "cargo test -p workspace-tests --test client_secrets";

#[test]
fn included_client_is_fresh() {
    assert_included_client_fresh(FIXTURE, KEPT, COMMAND);
}

use std::fmt::Debug;
use workspace_tests::fixture_client;

const PASSWORD: &str = "pa55w0rd-3f9a";
const ONE_TIME_CODE: &str = "otp-771204";
const ACCESS_KEY: &str = "s3cret-access-key-b00c";
const RECOVERY: &str = "correct-horse-battery";

/// The value's `Debug`, checked to show all of `shown` and, pretty-printed or not, none of
/// `secrets`.
fn debug_shows(value: &impl Debug, secrets: &[&str], shown: &[&str]) -> String {
    let debug = format!("{value:?}");
    let pretty = format!("{value:#?}");
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret} in {debug}");
        assert!(!pretty.contains(secret), "{secret} in {pretty}");
    }
    for part in shown {
        assert!(debug.contains(part), "{part} not in {debug}");
    }
    debug
}

#[test]
fn debug_redacts_password_format_and_x_sensitive_and_serialize_sends_them() {
    let login = models::Login::new(PASSWORD.to_owned(), "ada".to_owned())
        .with_otp(ONE_TIME_CODE.to_owned());
    let debug = debug_shows(&login, &[PASSWORD, ONE_TIME_CODE], &["\"ada\""]);
    assert_eq!(
        debug,
        r#"Login { otp: <redacted>, password: <redacted>, username: "ada" }"#
    );
    assert_eq!(
        serde_json::to_value(&login).unwrap(),
        serde_json::json!({"otp": ONE_TIME_CODE, "password": PASSWORD, "username": "ada"})
    );
}

#[test]
fn a_write_only_property_is_redacted_when_its_name_says_secret() {
    let bucket = models::ExportBucket::new("exports".to_owned(), ACCESS_KEY.to_owned())
        .with_iam_role_id("role-42".to_owned())
        .with_type("s3".to_owned());
    debug_shows(
        &bucket,
        &[ACCESS_KEY],
        &[
            "bucket_name: \"exports\"",
            // Write-only too, but no secret by its name.
            "iam_role_id: Some(\"role-42\")",
            "secret_access_key: <redacted>",
            "type: Some(\"s3\")",
        ],
    );
    let sent = serde_json::to_value(&bucket).unwrap();
    assert_eq!(sent["secretAccessKey"], ACCESS_KEY);
    assert_eq!(sent["iamRoleId"], "role-42");
}

#[tokio::test]
async fn an_answer_shows_its_token_and_hides_a_password_format_through_a_ref() {
    let answer =
        r#"{"token": "cursor-17", "user": "ada", "recoveryPhrase": "correct-horse-battery"}"#;
    let (base, arrived) = fixture_client::recorder("/v1", answer).await;
    let client = Client::new(&base).unwrap();
    let login = models::Login::new(PASSWORD.to_owned(), "ada".to_owned());
    let session = client
        .create_session(login)
        .send()
        .await
        .unwrap()
        .into_inner();
    // Not write-only and not marked: an answer's token is shown.
    debug_shows(
        &session,
        &[RECOVERY],
        &["token: Some(\"cursor-17\")", "recovery_phrase: <redacted>"],
    );
    assert_eq!(session.recovery_phrase.as_deref(), Some(RECOVERY));
    let arrived = arrived.lock().unwrap()[0].clone();
    let body: serde_json::Value = serde_json::from_slice(&arrived.body).unwrap();
    assert_eq!(
        body["password"], PASSWORD,
        "the request body carries the secret"
    );
}
