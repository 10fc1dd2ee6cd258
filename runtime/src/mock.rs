//! Typed mocks of an API for the tests of code that uses a generated client (feature `mock`).
//! A generated crate's `mock::MockServer` has one method per operation that returns an
//! [`Expectation`]; the expectation answers requests of that operation with a typed body or
//! error, and checks each request the way the real API would first: credentials present (with a
//! Digest challenge for Digest clients), a versioned `Accept` the operation offers, path and
//! query parameters that meet the spec's patterns and limits, required query parameters, and a
//! request body of the operation's media type that decodes into its typed body.
//!
//! A request that fails a check gets the answer the API would give (401, 406, 400 or 415 with
//! an error body) and is recorded as a [`Violation`]; dropping a server that recorded
//! violations panics with them, so a test cannot pass on a request the real API would refuse.
//!
//! The HTTP side is [wiremock]'s, the maintained mock server of the Rust ecosystem; this module
//! only adds what it cannot know: the operations of the spec.

use crate::check::ParamValue;
use crate::descriptor::{ApiKeyLocation, AuthKind, MediaVersion, OperationInfo, ParamIn};
use crate::dialect::{ITEMS_PER_PAGE_PARAM, PAGE_NUM_PARAM, RESULTS_FIELD, TOTAL_COUNT_FIELD};
use crate::pages::Page;
use percent_encoding::percent_decode_str;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use wiremock::{Match, Mock, ResponseTemplate};

/// What the mock knows of one operation beyond its descriptor; emitted by the generator.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct MockOperation {
    /// The operation's descriptor, whose parameters and checks the mock holds requests to.
    pub info: &'static OperationInfo,
    /// The status of each documented error response, with the `errorCode` of its example.
    pub errors: &'static [(u16, &'static str)],
    /// The success status.
    pub status: u16,
    /// Decodes a request body into the operation's typed body; `None` without a body.
    pub body: Option<BodyCheck>,
    /// The default page size, for list operations.
    pub page_size: Option<i64>,
}

/// Decodes a request body into an operation's typed body, or says why it does not.
#[doc(hidden)]
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// Whether `bytes` decode into `T`, for [`MockOperation::body`].
#[doc(hidden)]
pub fn decodes<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(bytes)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Whether `bytes` are a form body (`name=value` pairs, percent-encoded UTF-8), for
/// [`MockOperation::body`]. Form values are text, so their types are not checked.
#[doc(hidden)]
pub fn form_decodes(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    match text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .find(|pair| !pair.contains('='))
    {
        Some(pair) => Err(format!("`{pair}` is no `name=value` pair")),
        None => Ok(()),
    }
}

/// A request the real API would have refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// The request's method and path, with its query.
    pub request: String,
    /// What the API would have objected to.
    pub problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.request, self.operation, self.problem)
    }
}

#[derive(Default)]
struct State {
    violations: Mutex<Vec<Violation>>,
    fallbacks: Mutex<Vec<&'static str>>,
}

/// A local server that plays an API for tests. Generated crates wrap it in their own
/// `mock::MockServer`, whose methods (one per operation) make the [`Expectation`]s.
///
/// Dropping it panics when a request failed a check (see [`MockServer::violations`]) or when an
/// expectation set with [`Expectation::times`] was not met.
pub struct MockServer {
    server: wiremock::MockServer,
    errors: &'static [(u16, &'static str)],
    state: Arc<State>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1. `errors` maps the error codes of the whole
    /// API to their statuses, for [`Expectation::fails`] on operations that do not document
    /// the code themselves.
    #[doc(hidden)]
    pub async fn start(errors: &'static [(u16, &'static str)]) -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
            errors,
            state: Arc::default(),
        }
    }

    /// The base URL to build a client with.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// An expectation of `op` for the path parameter values `path`, in the template's order.
    #[doc(hidden)]
    pub fn expect<T, C>(
        &self,
        op: &'static MockOperation,
        path: Vec<String>,
    ) -> Expectation<'_, T, C> {
        let names: Vec<&str> = template_names(op.info.path).collect();
        assert_eq!(names.len(), path.len(), "{}: path values", op.info.id);
        for (name, value) in names.iter().zip(&path) {
            if let Some(param) = op.info.param(name, ParamIn::Path) {
                if let Err(e) = param.check_text(value) {
                    panic!(
                        "{}: the API never answers for this path, because {e}",
                        op.info.id
                    );
                }
            }
        }
        Expectation {
            server: self,
            op,
            path,
            query: Vec::new(),
            times: None,
            up_to: None,
            types: PhantomData,
        }
    }

    /// The requests so far that the real API would have refused.
    pub fn violations(&self) -> Vec<Violation> {
        lock(&self.state.violations).clone()
    }

    /// Forgets the violations recorded so far, for tests that send bad requests on purpose.
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut *lock(&self.state.violations))
    }

    /// How many requests the server received (of every operation).
    pub async fn received_count(&self) -> usize {
        self.server
            .received_requests()
            .await
            .map_or(0, |requests| requests.len())
    }

    /// Answers requests of `op` that no expectation matches with a 404 that names the
    /// request, rather than wiremock's empty one; mounted once per operation.
    async fn mount_fallback(&self, op: &'static MockOperation) {
        {
            let mut fallbacks = lock(&self.state.fallbacks);
            if fallbacks.contains(&op.info.id) {
                return;
            }
            fallbacks.push(op.info.id);
        }
        Mock::given(RequestOf {
            op,
            path: None,
            query: Vec::new(),
        })
        .respond_with(move |request: &wiremock::Request| {
            let detail = format!(
                "no expectation of the mock matches {} {} ({})",
                request.method,
                request.url.path(),
                op.info.id
            );
            error_response(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", &detail)
        })
        // wiremock tries mocks of lower priority numbers first; expectations have the default 5.
        .with_priority(u8::MAX)
        .mount(&self.server)
        .await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let violations = self.violations();
        if !violations.is_empty() && !std::thread::panicking() {
            let list: Vec<String> = violations.iter().map(|v| format!("- {v}")).collect();
            panic!(
                "the mock received requests the API would refuse:\n{}",
                list.join("\n")
            );
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What one operation answers, for requests with the given path parameter values: a typed
/// body `T` (the operation's success type) or an error with a code `C`. Nothing is answered
/// until one of the `responds…`/`fails…` methods is awaited.
#[must_use = "an expectation answers nothing until `responds` or `fails` is awaited"]
pub struct Expectation<'m, T, C> {
    server: &'m MockServer,
    op: &'static MockOperation,
    path: Vec<String>,
    query: Vec<(String, String)>,
    times: Option<u64>,
    up_to: Option<u64>,
    types: PhantomData<fn() -> (T, C)>,
}

impl<T, C> fmt::Debug for Expectation<'_, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &self.op.info.id)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("times", &self.times)
            .field("up_to", &self.up_to)
            .finish()
    }
}

impl<T: Serialize, C: Serialize> Expectation<'_, T, C> {
    /// Answers only requests whose query has `name` = `value` (such as one `pageNum`).
    /// A missing `pageNum` counts as page 1.
    pub fn with_query(mut self, name: &str, value: impl ParamValue) -> Self {
        self.query.push((name.to_owned(), value.to_param()));
        self
    }

    /// Expects exactly `n` matching requests; the server checks it when dropped.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers at most `n` requests; later ones go to the expectation of the same request
    /// mounted next, so a sequence of answers (a job still running, then finished) is a series
    /// of expectations with `up_to(1)` but the last.
    pub fn up_to(mut self, n: u64) -> Self {
        self.up_to = Some(n);
        self
    }

    /// Answers with `body` and the operation's success status.
    pub async fn responds(self, body: T) {
        let status = StatusCode::from_u16(self.op.status).unwrap_or(StatusCode::OK);
        self.responds_with(status, body).await;
    }

    /// Answers with `body` and `status`.
    pub async fn responds_with(self, status: StatusCode, body: T) {
        let body = to_json(&body);
        self.mount(Answer::Body(status, body)).await;
    }

    /// Fails with the error `code`, at the status the spec documents for it (the operation's
    /// own error responses first, then those of the whole API).
    ///
    /// # Panics
    /// When the spec documents no status for `code`; use [`fails_with`](Self::fails_with).
    pub async fn fails(self, code: C) {
        let code = match to_json(&code) {
            Value::String(code) => code,
            other => panic!("an error code serializes to text, not {other}"),
        };
        let status = self
            .op
            .errors
            .iter()
            .chain(self.server.errors)
            .find(|(_, documented)| *documented == code)
            .map(|(status, _)| *status)
            .unwrap_or_else(|| {
                panic!(
                    "the spec documents no status for `{code}`; use `fails_with(status, body)` for {}",
                    self.op.info.id
                )
            });
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        let detail = format!("The mock fails {} with {code}.", self.op.info.id);
        self.mount(Answer::Body(status, error_body(status, &code, &detail)))
            .await;
    }

    /// Fails with `status` and an error `body` of the caller's making.
    pub async fn fails_with(self, status: StatusCode, body: impl Serialize) {
        let body = to_json(&body);
        self.mount(Answer::Body(status, body)).await;
    }

    async fn mount(self, answer: Answer) {
        self.server.mount_fallback(self.op).await;
        let op = self.op;
        let state = self.server.state.clone();
        let mut mock = Mock::given(RequestOf {
            op,
            path: Some(self.path),
            query: self.query,
        })
        .respond_with(move |request: &wiremock::Request| {
            answer_checked(op, &state, &answer, request)
        });
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        if let Some(n) = self.up_to {
            mock = mock.up_to_n_times(n);
        }
        mock.mount(&self.server.server).await;
    }
}

impl<T, C> Expectation<'_, T, C>
where
    T: Page + Serialize,
    T::Item: Serialize,
    C: Serialize,
{
    /// Answers every page of the list from `items`: each request gets the slice its `pageNum`
    /// and `itemsPerPage` select, with `totalCount` set to the number of items.
    pub async fn responds_items(self, items: Vec<T::Item>) {
        let items: Vec<Value> = items.iter().map(to_json).collect();
        let page_size = self.op.page_size.unwrap_or(100);
        self.mount(Answer::Pages(items, page_size)).await;
    }
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("a mock answer serializes: {e}"))
}

/// What an expectation answers once a request passed the checks.
enum Answer {
    Body(StatusCode, Value),
    /// All items of a list, and the page size when the request names none.
    Pages(Vec<Value>, i64),
}

/// Matches the requests of one operation: its method and path template, and optionally given
/// path values and query values.
struct RequestOf {
    op: &'static MockOperation,
    path: Option<Vec<String>>,
    query: Vec<(String, String)>,
}

impl Match for RequestOf {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.op.info.method.as_str() {
            return false;
        }
        let Some(values) = path_values(self.op.info.path, request.url.path()) else {
            return false;
        };
        if self
            .path
            .as_ref()
            .is_some_and(|expected| *expected != values)
        {
            return false;
        }
        self.query.iter().all(|(name, value)| {
            let sent: Vec<String> = query_values(request, name);
            if sent.is_empty() {
                name == PAGE_NUM_PARAM && value == "1"
            } else {
                sent.contains(value)
            }
        })
    }
}

fn template_names(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// The decoded values of the template's `{name}` segments in `path`, or `None` when the path
/// does not have the template's shape.
fn path_values(template: &str, path: &str) -> Option<Vec<String>> {
    let want: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut values = Vec::new();
    for (want, got) in want.iter().zip(&got) {
        if want.starts_with('{') {
            values.push(percent_decode_str(got).decode_utf8_lossy().into_owned());
        } else if want != got {
            return None;
        }
    }
    Some(values)
}

fn query_values(request: &wiremock::Request, name: &str) -> Vec<String> {
    request
        .url
        .query_pairs()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .collect()
}

/// Runs the checks on `request` and answers with `answer`, or with the API's refusal.
fn answer_checked(
    op: &'static MockOperation,
    state: &State,
    answer: &Answer,
    request: &wiremock::Request,
) -> ResponseTemplate {
    if let Some(refusal) = refuse_credentials(op, request) {
        return refusal;
    }
    let media = match accepted_media(op.info, request) {
        Ok(media) => media,
        Err(problem) => {
            return refuse(
                op,
                state,
                request,
                StatusCode::NOT_ACCEPTABLE,
                "INVALID_VERSION_DATE",
                problem,
            )
        }
    };
    if let Err(problem) = check_params(op, request) {
        return refuse(
            op,
            state,
            request,
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            problem,
        );
    }
    if let Err((status, problem)) = check_body(op, request) {
        return refuse(op, state, request, status, "VALIDATION_ERROR", problem);
    }
    let (status, body) = match answer {
        Answer::Body(status, body) => (*status, body.clone()),
        Answer::Pages(items, default_size) => (
            StatusCode::from_u16(op.status).unwrap_or(StatusCode::OK),
            page(request, items, *default_size),
        ),
    };
    let content_type = match (status.is_success(), media) {
        (true, Some(media)) => media.media_type,
        _ => "application/json",
    };
    let template = ResponseTemplate::new(status.as_u16());
    if status == StatusCode::NO_CONTENT || (body.is_null() && status.is_success()) {
        return template;
    }
    template.set_body_raw(body.to_string(), content_type)
}

fn page(request: &wiremock::Request, items: &[Value], default_size: i64) -> Value {
    let number = |name: &str, default: i64| {
        query_values(request, name)
            .first()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    let size = usize::try_from(number(ITEMS_PER_PAGE_PARAM, default_size).max(1)).unwrap_or(1);
    let page = usize::try_from(number(PAGE_NUM_PARAM, 1).max(1)).unwrap_or(1);
    let start = (page - 1).saturating_mul(size).min(items.len());
    let end = start.saturating_add(size).min(items.len());
    json!({ RESULTS_FIELD: items[start..end], TOTAL_COUNT_FIELD: items.len() })
}

/// A 401 when the operation needs credentials and the request carries none (with a Digest
/// challenge when Digest is on offer, so that a Digest client answers it), or carries a kind
/// the operation does not accept.
fn refuse_credentials(op: &MockOperation, request: &wiremock::Request) -> Option<ResponseTemplate> {
    let offered = op.info.auth;
    if offered.is_empty() || op.info.takes_no_credentials() {
        return None;
    }
    let accepts = |kinds: &[AuthKind]| offered.iter().any(|scheme| kinds.contains(&scheme.kind));
    let digest = accepts(&[AuthKind::HttpDigest]);
    let sent = request
        .headers
        .get(reqwest::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(' ').next().unwrap_or("").to_ascii_lowercase());
    if offered
        .iter()
        .any(|scheme| carries_api_key(scheme.kind, request))
    {
        return None;
    }
    let detail = match sent.as_deref() {
        Some("digest") if digest => return None,
        Some("basic") if accepts(&[AuthKind::HttpBasic]) => return None,
        Some("bearer")
            if accepts(&[
                AuthKind::HttpBearer,
                AuthKind::OAuth2ClientCredentials,
                AuthKind::OAuth2,
                AuthKind::OpenIdConnect,
            ]) =>
        {
            return None
        }
        Some(kind) => format!("{} does not accept {kind} credentials", op.info.id),
        None => format!("{} needs credentials and the request has none", op.info.id),
    };
    let mut response = error_response(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", &detail);
    if digest {
        let nonce = format!("{:032x}", fastrand::u128(..));
        response = response.insert_header(
            "WWW-Authenticate",
            format!("Digest realm=\"MMS Public API\", domain=\"\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\", stale=false"),
        );
    }
    Some(response)
}

/// Whether `request` carries an API key where the scheme `kind` puts it.
fn carries_api_key(kind: AuthKind, request: &wiremock::Request) -> bool {
    let AuthKind::ApiKey { name, location } = kind else {
        return false;
    };
    match location {
        ApiKeyLocation::Header => request.headers.contains_key(name),
        ApiKeyLocation::Query => request.url.query_pairs().any(|(key, _)| key == name),
        ApiKeyLocation::Cookie => request
            .headers
            .get_all(reqwest::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .any(|cookie| cookie.trim().split('=').next() == Some(name)),
    }
}

/// The media type of the answer: one the request accepts and the operation offers.
fn accepted_media(
    info: &OperationInfo,
    request: &wiremock::Request,
) -> Result<Option<&'static MediaVersion>, String> {
    if info.responses.is_empty() {
        return Ok(None);
    }
    let accept = request
        .headers
        .get(reqwest::header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let asked: Vec<&str> = accept
        .split(',')
        .map(|part| part.split(';').next().unwrap_or("").trim())
        .collect();
    info.responses
        .iter()
        .rev()
        .find(|media| {
            asked
                .iter()
                .any(|a| a.eq_ignore_ascii_case(media.media_type))
        })
        .map(Some)
        .ok_or_else(|| {
            let offered: Vec<&str> = info.responses.iter().map(|m| m.media_type).collect();
            format!(
                "`Accept: {accept}` names none of the media types {} answers with: {}",
                info.id,
                offered.join(", ")
            )
        })
}

/// The path and query parameters against the spec's constraints.
fn check_params(op: &MockOperation, request: &wiremock::Request) -> Result<(), String> {
    let path = path_values(op.info.path, request.url.path()).unwrap_or_default();
    for (name, value) in template_names(op.info.path).zip(&path) {
        if let Some(param) = op.info.param(name, ParamIn::Path) {
            param.check_text(value).map_err(|e| e.to_string())?;
        }
    }
    for param in op
        .info
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Query)
    {
        let values = query_values(request, param.name);
        if values.is_empty() && param.required {
            return Err(format!(
                "the required query parameter `{}` is missing",
                param.name
            ));
        }
        if values.len() > 1 && !param.repeated {
            return Err(format!(
                "the query parameter `{}` is given {} times",
                param.name,
                values.len()
            ));
        }
        if param.repeated {
            param.check_count(values.len()).map_err(|e| e.to_string())?;
        }
        for value in &values {
            param.check_text(value).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The request body against the operation's media types and typed body.
fn check_body(op: &MockOperation, request: &wiremock::Request) -> Result<(), (StatusCode, String)> {
    let Some(decode) = op.body else {
        return Ok(());
    };
    let content_type = request
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !op
        .info
        .requests
        .iter()
        .any(|m| m.media_type.eq_ignore_ascii_case(media))
    {
        let offered: Vec<&str> = op.info.requests.iter().map(|m| m.media_type).collect();
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "`Content-Type: {content_type}` is none of {}",
                offered.join(", ")
            ),
        ));
    }
    decode(&request.body).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("the body does not decode: {e}"),
        )
    })
}

fn refuse(
    op: &'static MockOperation,
    state: &State,
    request: &wiremock::Request,
    status: StatusCode,
    code: &str,
    problem: String,
) -> ResponseTemplate {
    let target = match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    };
    let response = error_response(status, code, &problem);
    lock(&state.violations).push(Violation {
        operation: op.info.id,
        request: target,
        problem,
    });
    response
}

/// An Atlas error body.
fn error_body(status: StatusCode, code: &str, detail: &str) -> Value {
    json!({
        "detail": detail,
        "error": status.as_u16(),
        "errorCode": code,
        "reason": status.canonical_reason().unwrap_or(""),
    })
}

fn error_response(status: StatusCode, code: &str, detail: &str) -> ResponseTemplate {
    ResponseTemplate::new(status.as_u16()).set_body_raw(
        error_body(status, code, detail).to_string(),
        "application/json",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_follow_the_template() {
        let template = "/api/groups/{groupId}/clusters/{name}";
        assert_eq!(
            path_values(template, "/api/groups/abc/clusters/my%20cluster"),
            Some(vec!["abc".to_owned(), "my cluster".to_owned()])
        );
        assert_eq!(path_values(template, "/api/groups/abc/clusters"), None);
        assert_eq!(path_values(template, "/api/groups/abc/nodes/x"), None);
    }
}
