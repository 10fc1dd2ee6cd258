//! Authentication of the committed client against the stand-in over real HTTP: HTTP Digest
//! with API keys (MD5 and SHA-256, the challenge kept so steady-state calls pay no extra 401,
//! stale nonces answered by one re-send, wrong keys ending in the typed 401), service accounts
//! (one token for many concurrent calls, renewed before expiry, refreshed once when revoked,
//! refusals as typed errors), credentials from the environment, the v1.0 operations' Digest-only
//! rule, and secrets kept out of every `Debug`, `Display` and log line.

use atlas_snapshots::models::ErrorCode;
use atlas_snapshots::{
    AuthError, AuthKind, CredentialKind, Credentials, CredentialsError, TokenError,
};
use atlas_snapshots::{BuildError, Client, Error, ErrorChain};
use atlas_snapshots_runtime::{
    ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY,
};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{DigestAlgorithm, RecordedRequest, StandIn};

const PUBLIC_KEY: &str = "tstpubky";
const PRIVATE_KEY: &str = "5ecret-private-key-0b1c";
const CLIENT_ID: &str = "mdb_sa_id_6601";
const CLIENT_SECRET: &str = "mdb_sa_sk_5ecret-3f9a";
const ACCESS_TOKEN: &str = "ready-made-5ecret-token";

/// The value of `name="..."` or `name=...` in an `Authorization` header.
fn param(header: &str, name: &str) -> String {
    let start = header
        .find(&format!(" {name}="))
        .or_else(|| header.find(&format!(",{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {header}"))
        + name.len()
        + 2;
    let rest = &header[start..];
    match rest.strip_prefix('"') {
        Some(quoted) => quoted[..quoted.find('"').unwrap()].to_owned(),
        None => rest.split(',').next().unwrap().trim().to_owned(),
    }
}

fn authorization(request: &RecordedRequest) -> Option<&str> {
    request.header("authorization")
}

/// The API requests (not the token endpoint's) received so far.
fn api_requests(server: &StandIn) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.operation.is_some())
        .collect()
}

async fn list_flex(client: &Client) -> Result<usize, Error> {
    let page = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await?;
    Ok(page.results.len())
}

#[allow(deprecated)]
async fn list_tenant_v1(client: &Client) -> Result<usize, Error> {
    let page = client
        .list_tenant_backup_snapshots_v1(GROUP_ID, TENANT_CLUSTER)
        .items_per_page(1)
        .send()
        .await?;
    Ok(page.results.len())
}

fn digest_server(algorithm: DigestAlgorithm) -> workspace_tests::StandInBuilder {
    StandIn::builder()
        .require_digest(PUBLIC_KEY, PRIVATE_KEY)
        .digest_algorithm(algorithm)
}

#[tokio::test]
async fn digest_md5_and_sha256_pay_one_challenge_then_answer_straight_away() {
    for (algorithm, name) in [
        (DigestAlgorithm::Md5, "MD5"),
        (DigestAlgorithm::Sha256, "SHA-256"),
    ] {
        let server = digest_server(algorithm).start().await;
        let client = server
            .client_builder()
            .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
            .build()
            .unwrap();
        assert_eq!(list_flex(&client).await.expect(name), 2);
        assert_eq!(server.digest_challenges(), 1, "{name}");
        assert_eq!(
            server.request_count(),
            2,
            "{name}: one 401, then the answer"
        );

        for _ in 0..3 {
            assert_eq!(list_flex(&client).await.expect(name), 2);
        }
        assert_eq!(list_tenant_v1(&client).await.expect(name), 1);
        assert_eq!(
            server.digest_challenges(),
            1,
            "{name}: no further challenge"
        );
        assert_eq!(server.request_count(), 6, "{name}: no extra round trip");

        let requests = server.requests();
        assert_eq!(authorization(&requests[0]), None, "nothing to answer yet");
        let answers: Vec<&str> = requests[1..]
            .iter()
            .map(|r| authorization(r).expect("every later request answers"))
            .collect();
        let counts: Vec<String> = answers.iter().map(|a| param(a, "nc")).collect();
        assert_eq!(
            counts,
            ["00000001", "00000002", "00000003", "00000004", "00000005"]
        );
        let cnonces: BTreeSet<String> = answers.iter().map(|a| param(a, "cnonce")).collect();
        assert_eq!(cnonces.len(), 5, "a fresh client nonce each time");
        for (answer, request) in answers.iter().zip(&requests[1..]) {
            assert!(answer.starts_with("Digest "), "{answer}");
            assert_eq!(param(answer, "username"), PUBLIC_KEY);
            assert_eq!(param(answer, "realm"), "MMS Public API");
            assert_eq!(param(answer, "algorithm"), name);
            assert_eq!(param(answer, "qop"), "auth");
            let uri = match &request.query {
                Some(query) => format!("{}?{query}", request.path),
                None => request.path.clone(),
            };
            assert_eq!(param(answer, "uri"), uri);
            assert!(!answer.contains(PRIVATE_KEY));
        }
        assert_eq!(requests[5].query.as_deref(), Some("itemsPerPage=1"));
    }
}

#[tokio::test]
async fn a_stale_nonce_is_answered_by_exactly_one_resend() {
    let server = digest_server(DigestAlgorithm::Md5).start().await;
    let client = server
        .client_builder()
        .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
        .build()
        .unwrap();
    list_flex(&client).await.expect("first contact");
    list_flex(&client).await.expect("steady state");
    let nonce = param(authorization(&server.requests()[2]).unwrap(), "nonce");

    server.expire_nonces();
    server.take_requests();
    assert_eq!(
        list_flex(&client).await.expect("a stale nonce is renewed"),
        2
    );
    let requests = server.take_requests();
    assert_eq!(requests.len(), 2, "the refused answer and one re-send");
    assert_eq!(server.digest_challenges(), 2);
    let refused = authorization(&requests[0]).unwrap();
    let renewed = authorization(&requests[1]).unwrap();
    assert_eq!(param(refused, "nonce"), nonce);
    assert_ne!(param(renewed, "nonce"), nonce);
    assert_eq!(
        param(renewed, "nc"),
        "00000001",
        "a new nonce counts from one"
    );

    list_flex(&client).await.expect("steady state again");
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn wrong_keys_end_in_the_typed_401_after_one_answer() {
    let server = digest_server(DigestAlgorithm::Md5).start().await;
    let wrong_secret = "wrong-5ecret-private-key";
    let client = server
        .client_builder()
        .digest_auth(PUBLIC_KEY, wrong_secret)
        .build()
        .unwrap();
    let err = list_flex(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
    let body = err.api_error().expect("the spec's unauthorized body");
    assert_eq!(body.error_code, ErrorCode::Unauthorized);
    assert_eq!(
        server.request_count(),
        2,
        "the challenge is answered once, and the refusal accepted"
    );
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(wrong_secret), "{shown}");
    }

    let stranger = server
        .client_builder()
        .digest_auth("someone-else", PRIVATE_KEY)
        .build()
        .unwrap();
    let err = list_flex(&stranger).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

fn account_server() -> workspace_tests::StandInBuilder {
    StandIn::builder().service_account(CLIENT_ID, CLIENT_SECRET)
}

fn account_client(server: &StandIn) -> Client {
    server
        .client_builder()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap()
}

#[tokio::test]
async fn concurrent_calls_share_one_token_request() {
    let server = account_server().start().await;
    let client = account_client(&server);
    let calls = (0..20).map(|_| list_flex(&client));
    let results = futures_util::future::join_all(calls).await;
    for result in results {
        assert_eq!(result.expect("every call is authorized"), 2);
    }
    assert_eq!(server.token_requests(), 1);
    let api = api_requests(&server);
    assert_eq!(api.len(), 20, "no call was refused first");
    let tokens: BTreeSet<&str> = api.iter().filter_map(authorization).collect();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    let token = tokens.into_iter().next().unwrap();
    assert!(token.starts_with("Bearer "), "{token}");

    // The token endpoint got the id and secret with HTTP Basic and the grant in a form.
    let token_request = server
        .requests()
        .into_iter()
        .find(|r| r.operation.is_none())
        .unwrap();
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.path, "/api/oauth/token");
    assert!(token_request
        .header("authorization")
        .is_some_and(|v| v.starts_with("Basic ")));
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );

    // The cached token goes on serving later calls.
    list_flex(&client).await.unwrap();
    list_flex(&client.clone()).await.unwrap();
    assert_eq!(server.token_requests(), 1);
    assert_eq!(api_requests(&server).len(), 22);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = account_server()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .await;
    let client = account_client(&server);
    list_flex(&client).await.unwrap();
    list_flex(&client).await.unwrap();
    assert_eq!(server.token_requests(), 1);
    // Past nine tenths of its life the token is no longer sent.
    tokio::time::sleep(Duration::from_millis(1850)).await;
    list_flex(&client).await.expect("a renewed token");
    assert_eq!(server.token_requests(), 2);
    let api = api_requests(&server);
    assert_eq!(api.len(), 3, "renewed ahead of time: no 401 on the way");
    assert_ne!(authorization(&api[1]), authorization(&api[2]));
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once_and_the_call_sent_again() {
    let server = account_server().start().await;
    let client = account_client(&server);
    list_flex(&client).await.unwrap();
    server.revoke_tokens();
    server.take_requests();

    assert_eq!(list_flex(&client).await.expect("refreshed"), 2);
    assert_eq!(server.token_requests(), 2);
    let requests = server.take_requests();
    let kinds: Vec<Option<&str>> = requests.iter().map(|r| r.operation.as_deref()).collect();
    assert_eq!(
        kinds,
        [
            Some("listFlexBackupSnapshots"),
            None,
            Some("listFlexBackupSnapshots")
        ],
        "refused, a new token, then the same call again"
    );
    assert_ne!(authorization(&requests[0]), authorization(&requests[2]));

    // Many calls refused at once still fetch a single new token.
    server.revoke_tokens();
    let results = futures_util::future::join_all((0..10).map(|_| list_flex(&client))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.token_requests(), 3);
}

#[tokio::test]
async fn a_token_that_stays_refused_ends_in_the_typed_401_after_one_refresh() {
    // Tokens that expire as they are issued: every one is refused.
    let server = account_server()
        .token_lifetime(Duration::ZERO)
        .start()
        .await;
    let client = account_client(&server);
    let err = list_flex(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
    let body = err.api_error().expect("the spec's unauthorized body");
    assert_eq!(body.error_code, ErrorCode::Unauthorized);
    assert_eq!(
        server.token_requests(),
        2,
        "the first token and one refresh"
    );
    assert_eq!(api_requests(&server).len(), 2, "the call and one re-send");
}

#[tokio::test]
async fn a_bad_secret_is_a_typed_error_naming_the_token_url() {
    let server = account_server().start().await;
    let wrong_secret = "mdb_sa_sk_wrong-5ecret";
    let client = server
        .client_builder()
        .service_account(CLIENT_ID, wrong_secret)
        .build()
        .unwrap();
    let err = list_flex(&client).await.unwrap_err();
    let token_url = format!("{}/api/oauth/token", server.base_url());
    let Error::Auth {
        operation, source, ..
    } = &err
    else {
        panic!("expected an authentication error, got {err:?}");
    };
    assert_eq!(*operation, "listFlexBackupSnapshots");
    match source.as_ref() {
        AuthError::Token(TokenError::Refused {
            token_url: url,
            status,
            error,
            ..
        }) => {
            assert_eq!(url, &token_url);
            assert_eq!(status.as_u16(), 401);
            assert_eq!(error.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected a refused token request, got {other:?}"),
    }
    // The error says where it failed; its cause says why; the chain says both on one line.
    let message = err.to_string();
    assert!(message.contains("listFlexBackupSnapshots"), "{message}");
    assert!(message.contains("authentication failed"), "{message}");
    assert!(
        !message.contains(&token_url),
        "said by the cause: {message}"
    );
    let chain = ErrorChain(&err).to_string();
    assert!(chain.starts_with(&message), "{chain}");
    assert!(chain.contains(&token_url), "{chain}");
    assert!(chain.contains("401"), "{chain}");
    assert_eq!(chain.matches(&token_url).count(), 1, "said once: {chain}");
    for shown in [message, chain, format!("{err:?}")] {
        assert!(!shown.contains(wrong_secret), "{shown}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    }
    assert_eq!(server.token_requests(), 1);
    assert!(api_requests(&server).is_empty(), "no call without a token");
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_typed_error() {
    let server = account_server().start().await;
    let base_url = server.base_url();
    let client = account_client(&server);
    drop(server);
    tokio::task::yield_now().await;
    let err = list_flex(&client).await.unwrap_err();
    let Error::Auth { source, .. } = &err else {
        panic!("expected an authentication error, got {err:?}");
    };
    assert!(
        matches!(
            source.as_ref(),
            AuthError::Token(TokenError::Transport { token_url, .. })
                if token_url == &format!("{base_url}/api/oauth/token")
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains(CLIENT_SECRET));
}

#[tokio::test]
async fn v1_operations_refuse_token_clients_before_anything_is_sent() {
    let server = account_server()
        .require_digest(PUBLIC_KEY, PRIVATE_KEY)
        .start()
        .await;
    let bearer = server
        .client_builder()
        .bearer_token(ACCESS_TOKEN)
        .build()
        .unwrap();
    let account = account_client(&server);
    for (client, kind) in [
        (&bearer, CredentialKind::AccessToken),
        (&account, CredentialKind::ServiceAccount),
    ] {
        let err = list_tenant_v1(client).await.unwrap_err();
        match &err {
            Error::CredentialsNotAccepted {
                operation,
                credentials,
                accepted,
            } => {
                assert_eq!(*operation, "listTenantBackupSnapshotsV1");
                assert_eq!(*credentials, kind);
                assert_eq!(accepted.len(), 1);
                assert_eq!(accepted[0].name, "DigestAuth");
                assert_eq!(accepted[0].kind, AuthKind::HttpDigest);
            }
            other => panic!("expected CredentialsNotAccepted, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("listTenantBackupSnapshotsV1"), "{message}");
        assert!(message.contains("DigestAuth (HTTP Digest)"), "{message}");
        assert!(message.contains("nothing was sent"), "{message}");
        assert_eq!(err.status(), None);
    }
    assert_eq!(server.request_count(), 0, "nothing reached the server");
    assert_eq!(server.token_requests(), 0, "not even for a token");

    // The same clients are welcome on the v2 operations, and Digest on both.
    assert!(list_flex(&account).await.is_ok());
    let digest = server
        .client_builder()
        .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
        .build()
        .unwrap();
    assert_eq!(list_tenant_v1(&digest).await.expect("Digest on v1.0"), 1);
    assert_eq!(list_flex(&digest).await.expect("Digest on v2"), 2);
}

#[tokio::test]
async fn the_stand_in_refuses_bearer_tokens_on_v1_routes() {
    // What the client checks before sending, the stand-in checks too.
    let server = StandIn::builder()
        .require_bearer(ACCESS_TOKEN)
        .start()
        .await;
    let url = format!(
        "{}/api/atlas/v1.0/groups/{GROUP_ID}/clusters/{TENANT_CLUSTER}/backup/tenant/snapshots",
        server.base_url()
    );
    let response = reqwest::Client::new()
        .get(&url)
        .header("authorization", format!("Bearer {ACCESS_TOKEN}"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let v2 = server
        .client_builder()
        .bearer_token(ACCESS_TOKEN)
        .build()
        .unwrap();
    assert!(list_flex(&v2).await.is_ok());
}

fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[tokio::test]
async fn credentials_come_from_the_environment_service_account_first() {
    let server = account_server()
        .require_digest(PUBLIC_KEY, PRIVATE_KEY)
        .start()
        .await;
    const BOTH: &[(&str, &str)] = &[
        (ENV_CLIENT_ID, CLIENT_ID),
        (ENV_CLIENT_SECRET, CLIENT_SECRET),
        (ENV_PUBLIC_API_KEY, PUBLIC_KEY),
        (ENV_PRIVATE_API_KEY, PRIVATE_KEY),
    ];
    const KEYS: &[(&str, &str)] = &[
        (ENV_PUBLIC_API_KEY, PUBLIC_KEY),
        (ENV_PRIVATE_API_KEY, PRIVATE_KEY),
    ];
    let from_both = server
        .client_builder()
        .credentials_from_lookup(lookup(BOTH))
        .build()
        .unwrap();
    assert_eq!(
        from_both.credential_kind(),
        Some(CredentialKind::ServiceAccount)
    );
    list_flex(&from_both).await.expect("the service account");
    assert_eq!(server.token_requests(), 1);

    let from_keys = server
        .client_builder()
        .credentials_from_lookup(lookup(KEYS))
        .build()
        .unwrap();
    assert_eq!(from_keys.credential_kind(), Some(CredentialKind::Digest));
    list_tenant_v1(&from_keys).await.expect("the API key");

    assert_eq!(
        Credentials::from_lookup(lookup(KEYS)).unwrap().kind(),
        CredentialKind::Digest
    );
    let err = server
        .client_builder()
        .credentials_from_lookup(lookup(&[(ENV_CLIENT_SECRET, CLIENT_SECRET)]))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        BuildError::Credentials(CredentialsError::Incomplete { ref set, ref unset })
            if set == ENV_CLIENT_SECRET && unset == ENV_CLIENT_ID
    ));
    assert!(!err.to_string().contains(CLIENT_SECRET), "{err}");
    let err = server
        .client_builder()
        .credentials_from_lookup(lookup(&[]))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        BuildError::Credentials(CredentialsError::Missing { ref prefix }) if prefix == "MONGODB_ATLAS"
    ));
    assert!(err.to_string().contains(ENV_PUBLIC_API_KEY), "{err}");
    // Setting credentials afterwards replaces a failed read.
    assert!(server
        .client_builder()
        .credentials_from_lookup(lookup(&[]))
        .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
        .build()
        .is_ok());
}

/// A `tracing` writer that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Every credential kind, through success and failure: no secret in `Debug` of the builder,
/// the client, the credentials and the errors, in `Display` of the errors, or in the log.
#[tokio::test]
async fn secrets_never_show() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runs on one thread, so the subscriber sees every event of the calls.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = account_server()
        .require_digest(PUBLIC_KEY, PRIVATE_KEY)
        .require_bearer(ACCESS_TOKEN)
        .start()
        .await;
    let secrets = [PRIVATE_KEY, CLIENT_SECRET, ACCESS_TOKEN, "wrong-5ecret"];
    let mut shown = Vec::new();
    let builders = [
        server.client_builder().digest_auth(PUBLIC_KEY, PRIVATE_KEY),
        server
            .client_builder()
            .service_account(CLIENT_ID, CLIENT_SECRET),
        server.client_builder().bearer_token(ACCESS_TOKEN),
        server
            .client_builder()
            .credentials(Credentials::digest(PUBLIC_KEY, "wrong-5ecret")),
        server
            .client_builder()
            .service_account(CLIENT_ID, "wrong-5ecret"),
    ];
    for builder in builders {
        shown.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        shown.push(format!("{client:?}"));
        let request = client.list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER);
        shown.push(format!("{request:?}"));
        for result in [list_flex(&client).await, list_tenant_v1(&client).await] {
            match result {
                Ok(_) => {}
                Err(err) => {
                    shown.push(err.to_string());
                    shown.push(format!("{err:?}"));
                    let mut source = std::error::Error::source(&err);
                    while let Some(cause) = source {
                        shown.push(cause.to_string());
                        source = cause.source();
                    }
                }
            }
        }
    }
    for credentials in [
        Credentials::digest(PUBLIC_KEY, PRIVATE_KEY),
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        Credentials::access_token(ACCESS_TOKEN),
    ] {
        shown.push(format!("{credentials:?}"));
        shown.push(format!("{credentials:#?}"));
    }
    let log = log.text();
    assert!(
        log.contains("requesting an access token"),
        "the log was captured: {log}"
    );
    assert!(log.contains(CLIENT_ID), "public parts may show: {log}");
    shown.push(log);
    let errors = shown
        .iter()
        .filter(|s| s.contains("returned 401") || s.contains("nothing was sent"))
        .count();
    assert!(errors >= 4, "the failures were exercised: {shown:#?}");
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} shows in: {text}");
        }
    }
}
