//! The stand-in Atlas server: an axum app on `127.0.0.1:0` with one route per operation of the
//! spec, answering with the spec's examples. It negotiates the versioned `Accept` header,
//! pages list examples by `pageNum`/`itemsPerPage`, drops `totalCount` for
//! `includeCount=false`, answers an unknown snapshot id with the spec's `notFound` example,
//! sends `RateLimit-*` headers, records every request and plays injected [`Fault`]s.
//!
//! The write operations check their body against the spec (400 with the problems, 415 for
//! another `Content-Type`) and change the resources kept in [`Store`]: taken snapshots and
//! restore jobs progress over a few polls of their get operation.
//!
//! The answering steps are separate functions (`answer_operation` and what it calls) so that
//! authentication schemes, an `envelope`, generated snapshot sets and further faults can be
//! added as steps of their own.

use crate::auth::{AuthConfig, AuthState};
use crate::body_check;
use crate::dataset::Dataset;
use crate::envelope;
use crate::fault::Fault;
use crate::lifecycle::{self, Action, Refusal, Store};
use crate::negotiate::{negotiate, Chosen};
use crate::record::RecordedRequest;
use crate::spec::{Spec, SpecOperation};
use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, post, MethodFilter};
use axum::Router;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The `RateLimit-Limit` the stand-in announces unless told otherwise.
pub const DEFAULT_RATE_LIMIT: u64 = 100;

/// The `errorCode` of a 406. The spec documents no 406 response, so the body follows its
/// `ApiError` schema with a code of the stand-in's own.
pub const NOT_ACCEPTABLE_ERROR_CODE: &str = "INVALID_VERSION_DATE";

/// How the stand-in is set up; see [`StandIn::builder`].
#[derive(Debug, Clone)]
pub struct StandInBuilder {
    spec: &'static Spec,
    rate_limit: u64,
    /// Set by the credential methods in `auth.rs`.
    pub(crate) auth: AuthConfig,
    dataset: Option<Dataset>,
    latency: Duration,
    port: u16,
    polls_per_stage: u32,
}

impl StandInBuilder {
    /// A taken snapshot or a restore job moves on to its next stage at every `polls`-th poll
    /// of its get operation (every poll unless told otherwise); a large number keeps it
    /// running.
    pub fn polls_per_stage(mut self, polls: u32) -> Self {
        self.polls_per_stage = polls.max(1);
        self
    }

    /// Every list operation serves a list of `n` snapshots generated from its example item
    /// (unique ids, paged with `totalCount` and links), and its get operation finds them.
    pub fn list_size(mut self, n: u64) -> Self {
        self.dataset = Some(Dataset::new(n));
        self
    }

    /// Delays every answer of an operation route by `latency`, like a distant server.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Binds this port instead of one the system picks.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The `RateLimit-Limit` to announce; `RateLimit-Remaining` counts down from it.
    pub fn rate_limit(mut self, limit: u64) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Serves another spec than the repository's, for tests of the stand-in itself.
    pub fn spec(mut self, spec: &'static Spec) -> Self {
        self.spec = spec;
        self
    }

    /// Binds `127.0.0.1` (port 0 unless [`StandInBuilder::port`] says otherwise) and starts
    /// serving on the current tokio runtime.
    pub async fn try_start(self) -> std::io::Result<StandIn> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            spec: self.spec,
            rate_limit: self.rate_limit,
            auth: AuthState::new(self.auth),
            dataset: self.dataset,
            latency: self.latency,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            served: AtomicU64::new(0),
            requests: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            store: Mutex::new(Store::default()),
            polls_per_stage: self.polls_per_stage,
        });
        let app = router(shared.clone());
        let task = tokio::spawn(async move {
            // Ends only when the task is aborted (on drop) or the listener fails.
            let _ = axum::serve(listener, app).await;
        });
        Ok(StandIn { addr, shared, task })
    }

    /// Like [`StandInBuilder::try_start`].
    ///
    /// # Panics
    /// When no local port can be bound.
    pub async fn start(self) -> StandIn {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("cannot start the stand-in server on 127.0.0.1: {e}"))
    }
}

/// A running stand-in server. Dropping it stops accepting connections; a connection a client
/// already holds open is served until the tokio runtime ends (with the test).
#[derive(Debug)]
pub struct StandIn {
    addr: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl StandIn {
    /// Starts a stand-in with default settings; see [`StandInBuilder::start`].
    pub async fn start() -> StandIn {
        StandIn::builder().start().await
    }

    pub fn builder() -> StandInBuilder {
        StandInBuilder {
            spec: Spec::shared(),
            rate_limit: DEFAULT_RATE_LIMIT,
            auth: AuthConfig::default(),
            dataset: None,
            latency: Duration::ZERO,
            port: 0,
            polls_per_stage: 1,
        }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A client builder already pointed at this server, with retries off so that every
    /// injected fault reaches the test as it is; tests of retrying set their own policy.
    pub fn client_builder(&self) -> atlas_snapshots::ClientBuilder {
        atlas_snapshots::Client::builder()
            .base_url(self.base_url())
            .retry_policy(atlas_snapshots::RetryPolicy::disabled())
    }

    /// The spec this server answers from.
    pub fn spec(&self) -> &'static Spec {
        self.shared.spec
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// The requests received so far, forgetting them.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }

    /// Makes the fault's operation answer with it; faults injected later take precedence.
    pub fn inject(&self, fault: Fault) {
        assert!(
            self.shared
                .spec
                .operations
                .iter()
                .any(|op| op.id == fault.operation),
            "the spec has no operation `{}` to inject a fault into",
            fault.operation
        );
        lock(&self.shared.faults).push(fault);
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// Starts counting [`StandIn::max_in_flight`] afresh.
    pub fn reset_max_in_flight(&self) {
        let now = self.shared.in_flight.load(Ordering::SeqCst);
        self.shared.max_in_flight.store(now, Ordering::SeqCst);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The next snapshot or restore job `operation` (a create operation) makes ends in its
    /// failure state instead of finishing.
    pub fn fail_next(&self, operation: &str) {
        assert!(
            matches!(lifecycle::action(operation), Some(Action::Create(..))),
            "`{operation}` creates nothing the stand-in keeps"
        );
        lock(&self.shared.store).fail_next(operation);
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    spec: &'static Spec,
    rate_limit: u64,
    pub(crate) auth: AuthState,
    dataset: Option<Dataset>,
    latency: Duration,
    /// Requests being answered now, and the most there were at once.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Requests answered by operation routes, for `RateLimit-Remaining`.
    served: AtomicU64,
    requests: Mutex<Vec<RecordedRequest>>,
    faults: Mutex<Vec<Fault>>,
    store: Mutex<Store>,
    polls_per_stage: u32,
}

impl Shared {
    fn operation(&self, method: &Method, path: &str) -> Option<&'static SpecOperation> {
        self.spec
            .operations
            .iter()
            .find(|op| op.path == path && op.method == method.as_str())
    }

    /// The newest injected fault of `operation` that still applies to a request with this
    /// query, used up by one.
    fn take_fault(&self, operation: &str, uri: &Uri) -> Option<Fault> {
        let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|Query(pairs)| pairs)
            .unwrap_or_default();
        let mut faults = lock(&self.faults);
        let index = faults
            .iter()
            .rposition(|f| f.operation == operation && f.matches_query(&query))?;
        let fault = faults[index].clone();
        match &mut faults[index].remaining {
            Some(1) => {
                faults.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(fault)
    }
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn router(shared: Arc<Shared>) -> Router {
    let spec: &'static Spec = shared.spec;
    let mut router = Router::new();
    for op in &spec.operations {
        let method = Method::from_bytes(op.method.as_bytes())
            .ok()
            .and_then(|m| MethodFilter::try_from(m).ok())
            .unwrap_or_else(|| panic!("{}: unsupported method {}", op.id, op.method));
        // axum's `{name}` captures are the spec's path template syntax.
        router = router.route(
            &op.path,
            on(
                method,
                move |State(shared): State<Arc<Shared>>,
                      Path(params): Path<BTreeMap<String, String>>,
                      uri: Uri,
                      headers: HeaderMap,
                      body: Bytes| async move {
                    answer_operation(&shared, op, &params, &uri, &headers, &body).await
                },
            ),
        );
    }
    router
        .route(
            atlas_snapshots_runtime::TOKEN_PATH,
            post(
                |State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String| async move {
                    shared.auth.token_endpoint(&headers, &body)
                },
            ),
        )
        .fallback(no_route)
        .layer(middleware::from_fn_with_state(shared.clone(), record))
        .with_state(shared)
}

/// Records the request, then lets the route answer it.
async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let operation = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|matched| shared.operation(request.method(), matched.as_str()))
        .map(|op| op.id.clone());
    let query_pairs = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .unwrap_or_default();
    let _in_flight = InFlight::enter(&shared);
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    lock(&shared.requests).push(RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        query_pairs,
        headers: parts.headers.clone(),
        operation,
        body: body.to_vec(),
    });
    next.run(Request::from_parts(parts, axum::body::Body::from(body)))
        .await
}

/// Counts a request as in flight until it is answered (or abandoned).
struct InFlight<'a> {
    shared: &'a Shared,
}

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight { shared }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn no_route(method: Method, uri: Uri) -> Response {
    let body = api_error(
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        &format!("The stand-in has no route for {method} {}.", uri.path()),
    );
    json_response(StatusCode::NOT_FOUND, "application/json", &body)
}

/// The answer of one operation route, step by step.
async fn answer_operation(
    shared: &Shared,
    op: &SpecOperation,
    params: &BTreeMap<String, String>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    // A refused request is not served: it counts against no rate limit and uses no fault.
    let unauthorized = shared.spec.error_example("unauthorized");
    if let Some(refused) = shared.auth.refuse(op, uri, headers, unauthorized) {
        return refused;
    }
    let served = shared.served.fetch_add(1, Ordering::SeqCst) + 1;
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let chosen = negotiate(op, accept);
    let fault = shared.take_fault(&op.id, uri);
    let mut response = match &fault {
        Some(fault) if !fault.answers_as_spec() => fault_response(fault, chosen.as_ref().ok()),
        _ => {
            let mut answer = spec_response(shared, op, params, uri, headers, body, chosen);
            if let Some(fault) = &fault {
                answer = fault.apply_changes(answer).await;
            }
            if envelope::requested(uri) {
                answer = envelope::enclose(answer, op.is_list()).await;
            }
            answer
        }
    };
    if let Some(fault) = &fault {
        response = fault.apply_cut(response).await;
    }
    let delay = shared.latency + fault.as_ref().map_or(Duration::ZERO, |f| f.delay);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let remaining = shared.rate_limit.saturating_sub(served);
    let out = response.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", shared.rate_limit),
        ("ratelimit-remaining", remaining),
    ] {
        if !out.contains_key(name) {
            out.insert(name, HeaderValue::from(value));
        }
    }
    response
}

fn spec_response(
    shared: &Shared,
    op: &SpecOperation,
    params: &BTreeMap<String, String>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    chosen: Result<Chosen<'_>, crate::negotiate::NotAcceptable>,
) -> Response {
    let chosen = match chosen {
        Ok(chosen) => chosen,
        Err(refused) => {
            let body = api_error(
                StatusCode::NOT_ACCEPTABLE,
                NOT_ACCEPTABLE_ERROR_CODE,
                &refused.detail(&op.id),
            );
            return json_response(StatusCode::NOT_ACCEPTABLE, "application/json", &body);
        }
    };
    let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .unwrap_or_default();
    let query = match QueryValues::read(op, &query) {
        Ok(query) => query,
        Err(problem) => return problem.response(),
    };
    let sent = match read_body(&shared.spec.document, op, headers, body) {
        Ok(sent) => sent,
        Err(refused) => return refused,
    };
    if let Some(action) = lifecycle::action(&op.id) {
        return kept_response(shared, op, action, params, uri, &query, &chosen, &sent);
    }
    if op.status == 204 {
        return no_content();
    }
    // A snapshot is read where its id ends the path; deeper paths (its databases) are not it.
    let snapshot = params
        .get("snapshotId")
        .filter(|_| op.path.ends_with("/{snapshotId}"));
    let body = match snapshot {
        Some(id) => match find_snapshot(shared, op, chosen.version(), id) {
            Some(snapshot) => snapshot,
            None => return error_example(shared, StatusCode::NOT_FOUND, "notFound"),
        },
        None => {
            let example = chosen.media.example.clone();
            if let Some(dataset) = shared.dataset.filter(|_| op.is_list()) {
                dataset_page(&dataset, &example, uri, &query)
            } else if op.is_list() {
                page(example, &query)
            } else {
                example
            }
        }
    };
    let text = if query.flag("pretty") {
        serde_json::to_vec_pretty(&body)
    } else {
        serde_json::to_vec(&body)
    }
    .expect("a JSON value always serializes");
    let status = StatusCode::from_u16(op.status).unwrap_or(StatusCode::OK);
    bytes_response(status, chosen.content_type(), text)
}

/// The request body as JSON (`null` when there is none), or the answer refusing it: a
/// `Content-Type` the operation does not take (415), or a body its schema does not allow
/// (400, every problem listed in `badRequestDetail`).
#[allow(clippy::result_large_err)]
fn read_body(
    document: &Value,
    op: &SpecOperation,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Response> {
    let Some(spec) = &op.request_body else {
        return Ok(Value::Null);
    };
    if body.is_empty() && !spec.required {
        return Ok(Value::Null);
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some((_, schema)) = spec.media.iter().find(|(media, _)| media == content_type) else {
        let takes: Vec<&str> = spec.media.iter().map(|(m, _)| m.as_str()).collect();
        let body = api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!(
                "{} takes a body of type {}, not `{content_type}`.",
                op.id,
                takes.join(" or ")
            ),
        );
        return Err(json_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/json",
            &body,
        ));
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            let mut body = api_error(
                StatusCode::BAD_REQUEST,
                "INVALID_JSON",
                &format!("The request body is not JSON: {e}."),
            );
            body["badRequestDetail"] = json!({"fields": []});
            return Err(json_response(
                StatusCode::BAD_REQUEST,
                "application/json",
                &body,
            ));
        }
    };
    let problems = body_check::check(document, schema, &value);
    if problems.is_empty() {
        return Ok(value);
    }
    let mut answer = api_error(
        StatusCode::BAD_REQUEST,
        "INVALID_ATTRIBUTE",
        &format!("The request body of {} is invalid.", op.id),
    );
    answer["badRequestDetail"] = json!({
        "fields": problems
            .iter()
            .map(|p| json!({"description": p.description, "field": p.field}))
            .collect::<Vec<_>>()
    });
    Err(json_response(
        StatusCode::BAD_REQUEST,
        "application/json",
        &answer,
    ))
}

/// The answer of an operation on kept resources (see [`lifecycle`]).
#[allow(clippy::too_many_arguments)]
fn kept_response(
    shared: &Shared,
    op: &SpecOperation,
    action: Action,
    params: &BTreeMap<String, String>,
    uri: &Uri,
    query: &QueryValues,
    chosen: &Chosen<'_>,
    sent: &Value,
) -> Response {
    let spec = shared.spec;
    let path = uri.path();
    let parent = path.rsplit_once('/').map_or(path, |(parent, _)| parent);
    let id = |kind: lifecycle::Kind| params.get(kind.id_param).map_or("", String::as_str);
    // The collection a resource read at `parent/{id}` belongs to.
    let listed_at = |kind: lifecycle::Kind| match kind.list_segment {
        Some(segment) => {
            let above = parent.rsplit_once('/').map_or(parent, |(above, _)| above);
            format!("{above}/{segment}")
        }
        None => parent.to_owned(),
    };
    let mut store = lock(&shared.store);
    let found = |value: Option<Value>| match value {
        Some(value) => json_response(StatusCode::OK, chosen.content_type(), &value),
        None => error_example(shared, StatusCode::NOT_FOUND, "notFound"),
    };
    let done = |result: Result<(), Refusal>| match result {
        Ok(()) => no_content(),
        Err(Refusal::NotFound) => error_example(shared, StatusCode::NOT_FOUND, "notFound"),
        Err(Refusal::Finished) => {
            error_example(shared, StatusCode::METHOD_NOT_ALLOWED, "methodNotAllowed")
        }
    };
    match action {
        Action::List(kind) => {
            let mut example = chosen.media.example.clone();
            let results = store.list(spec, kind, path);
            example["totalCount"] = Value::from(results.len());
            example["results"] = Value::Array(results);
            json_response(StatusCode::OK, chosen.content_type(), &page(example, query))
        }
        Action::Create(kind, segment) => {
            let at = match segment {
                Some(segment) => format!("{parent}/{segment}"),
                None => path.to_owned(),
            };
            let made = store.create(spec, &op.id, kind, &at, &chosen.media.example, sent);
            let status = StatusCode::from_u16(op.status).unwrap_or(StatusCode::OK);
            json_response(status, chosen.content_type(), &made)
        }
        Action::Get(kind) => found(store.poll(
            spec,
            kind,
            &listed_at(kind),
            id(kind),
            shared.polls_per_stage,
        )),
        Action::UpdateRetention(kind) => found(
            store
                .update_retention(spec, kind, parent, id(kind), sent)
                .ok(),
        ),
        Action::Update(kind) => found(store.update(spec, kind, parent, id(kind), sent).ok()),
        Action::Delete(kind) => done(store.delete(spec, kind, &listed_at(kind), id(kind))),
        Action::Cancel(kind) => done(store.cancel(spec, kind, parent, id(kind))),
        Action::GetSingle(single) => found(store.single(spec, single, path)),
        Action::UpdateSingle(single) => {
            let value = store.update_single(spec, single, path, sent);
            json_response(StatusCode::OK, chosen.content_type(), &value)
        }
        Action::DeleteSingle(single) => match store.delete_single(spec, single, path) {
            Ok(Some(left)) if op.status != 204 => {
                json_response(StatusCode::OK, chosen.content_type(), &left)
            }
            Ok(_) => no_content(),
            Err(_) => error_example(shared, StatusCode::NOT_FOUND, "notFound"),
        },
    }
}

fn no_content() -> Response {
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// The query parameters the operation declares, checked against their schema's bounds, with
/// the spec's defaults filled in.
struct QueryValues {
    values: BTreeMap<String, Value>,
}

impl QueryValues {
    fn read(op: &SpecOperation, pairs: &[(String, String)]) -> Result<QueryValues, QueryProblem> {
        let mut values = BTreeMap::new();
        for param in &op.query_params {
            if let Some(default) = &param.default {
                values.insert(param.name.clone(), default.clone());
            }
            let Some((_, text)) = pairs.iter().rev().find(|(name, _)| *name == param.name) else {
                continue;
            };
            let value = match param.kind.as_deref() {
                Some("integer") => match text.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        return Err(QueryProblem::new(&param.name, "is not an integer", false))
                    }
                },
                Some("boolean") => match text.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        return Err(QueryProblem::new(
                            &param.name,
                            "is not true or false",
                            false,
                        ))
                    }
                },
                _ => Value::String(text.clone()),
            };
            if let Some(n) = value.as_f64() {
                if let Some(max) = param.maximum.filter(|max| n > *max) {
                    return Err(QueryProblem::new(
                        &param.name,
                        &format!("exceeds the maximum of {max}"),
                        true,
                    ));
                }
                if let Some(min) = param.minimum.filter(|min| n < *min) {
                    return Err(QueryProblem::new(
                        &param.name,
                        &format!("is below the minimum of {min}"),
                        true,
                    ));
                }
            }
            values.insert(param.name.clone(), value);
        }
        Ok(QueryValues { values })
    }

    fn flag(&self, name: &str) -> bool {
        self.values
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    fn number(&self, name: &str) -> Option<i64> {
        self.values.get(name).and_then(Value::as_i64)
    }
}

/// One page of a list example: its `results` sliced by `pageNum` and `itemsPerPage`, and no
/// `totalCount` when `includeCount` is false.
fn page(mut example: Value, query: &QueryValues) -> Value {
    let page_num = query.number("pageNum").unwrap_or(1).max(1);
    let per_page = query.number("itemsPerPage").unwrap_or(100).max(1);
    if let Some(results) = example.get_mut("results").and_then(Value::as_array_mut) {
        let start = usize::try_from((page_num - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let taken: Vec<Value> = results
            .iter()
            .skip(start)
            .take(usize::try_from(per_page).unwrap_or(usize::MAX))
            .cloned()
            .collect();
        *results = taken;
    }
    let include_count = query
        .values
        .get("includeCount")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if !include_count {
        if let Some(object) = example.as_object_mut() {
            object.remove("totalCount");
        }
    }
    example
}

/// One page of the generated list.
fn dataset_page(dataset: &Dataset, example: &Value, uri: &Uri, query: &QueryValues) -> Value {
    let number = |name, default: i64| {
        u64::try_from(query.number(name).unwrap_or(default).max(1)).unwrap_or(1)
    };
    let include_count = query
        .values
        .get("includeCount")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    dataset.page(
        example,
        uri.path(),
        number("pageNum", 1),
        number("itemsPerPage", 100),
        include_count,
    )
}

/// The snapshot `id` of a get operation: its own example when the ids match, else the item
/// with that id in the example of the list operation one level up (or in the generated list,
/// when there is one).
fn find_snapshot(
    shared: &Shared,
    op: &SpecOperation,
    version: Option<&str>,
    id: &str,
) -> Option<Value> {
    let spec = shared.spec;
    let has_id = |value: &Value| value.get("id").and_then(Value::as_str) == Some(id);
    if let Some(example) = op.example(version).filter(|e| has_id(e)) {
        return Some(example.clone());
    }
    let list_path = op.path.strip_suffix("/{snapshotId}")?;
    let list = spec
        .operations
        .iter()
        .find(|other| other.path == list_path && other.method == op.method)?;
    let example = list
        .example(version)
        .unwrap_or_else(|| list.newest_example());
    if let Some(dataset) = &shared.dataset {
        return dataset.find(example, id);
    }
    example
        .get("results")?
        .as_array()?
        .iter()
        .find(|item| has_id(item))
        .cloned()
}

fn fault_response(fault: &Fault, chosen: Option<&Chosen<'_>>) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = match (&fault.content_type, chosen) {
        (Some(content_type), _) => content_type.as_str(),
        (None, Some(chosen)) if status.is_success() => chosen.content_type(),
        (None, _) => "application/json",
    };
    let mut response = bytes_response(status, content_type, fault.body.clone());
    for (name, value) in &fault.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The spec's example of `components/responses/<name>`.
fn error_example(shared: &Shared, status: StatusCode, name: &str) -> Response {
    json_response(status, "application/json", shared.spec.error_example(name))
}

/// A query parameter value its schema does not allow.
struct QueryProblem {
    name: String,
    description: String,
    out_of_range: bool,
}

impl QueryProblem {
    fn new(name: &str, description: &str, out_of_range: bool) -> Self {
        QueryProblem {
            name: name.to_owned(),
            description: description.to_owned(),
            out_of_range,
        }
    }

    /// A 400 in the shape of the spec's `badRequest` example.
    fn response(&self) -> Response {
        let problem = if self.out_of_range {
            "is out of range"
        } else {
            "is invalid"
        };
        let mut body = api_error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            &format!("Query parameter {} {problem}.", self.name),
        );
        body["badRequestDetail"] =
            json!({"fields": [{"description": self.description, "field": self.name}]});
        json_response(StatusCode::BAD_REQUEST, "application/json", &body)
    }
}

/// A body of the spec's `ApiError` schema.
fn api_error(status: StatusCode, code: &str, detail: &str) -> Value {
    json!({
        "detail": detail,
        "error": status.as_u16(),
        "errorCode": code,
        "reason": status.canonical_reason().unwrap_or_default(),
    })
}

fn json_response(status: StatusCode, content_type: &str, body: &Value) -> Response {
    let text = serde_json::to_vec(body).expect("a JSON value always serializes");
    bytes_response(status, content_type, text)
}

fn bytes_response(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    response.headers_mut().insert(CONTENT_TYPE, content_type);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;

    const FLEX_MEDIA: &str = "application/vnd.atlas.2024-11-13+json";

    fn flex_list(server: &StandIn) -> String {
        format!(
            "{}/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_CLUSTER}/backup/snapshots",
            server.base_url()
        )
    }

    async fn get(url: &str, accept: Option<&str>) -> (u16, HeaderMap, Value) {
        let mut request = reqwest::Client::new().get(url);
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let response = request.send().await.expect("the stand-in answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, body)
    }

    #[tokio::test]
    async fn answers_the_requested_version_with_its_media_type() {
        let server = StandIn::start().await;
        let (status, headers, body) = get(&flex_list(&server), Some(FLEX_MEDIA)).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], FLEX_MEDIA);
        let op = server.spec().operation("listFlexBackupSnapshots");
        assert_eq!(&body, op.example(Some("2024-11-13")).unwrap());
    }

    #[tokio::test]
    async fn refuses_a_version_the_operation_does_not_have_with_406() {
        let server = StandIn::start().await;
        for accept in [
            Some("application/vnd.atlas.2023-01-01+json"),
            Some("application/json"),
            None,
        ] {
            let (status, headers, body) = get(&flex_list(&server), accept).await;
            assert_eq!(status, 406, "{accept:?}");
            assert_eq!(headers["content-type"], "application/json");
            assert_eq!(body["error"], 406);
            assert_eq!(body["errorCode"], NOT_ACCEPTABLE_ERROR_CODE);
            assert_eq!(body["reason"], "Not Acceptable");
            let detail = body["detail"].as_str().unwrap();
            assert!(detail.contains("listFlexBackupSnapshots"), "{detail}");
            assert!(detail.contains(FLEX_MEDIA), "{detail}");
        }
        let v1 = format!(
            "{}/api/atlas/v1.0/groups/{GROUP_ID}/clusters/{TENANT_CLUSTER}/backup/tenant/snapshots",
            server.base_url()
        );
        let (status, _, _) = get(&v1, Some("application/vnd.atlas.2023-01-01+json")).await;
        assert_eq!(status, 406);
        let (status, headers, _) = get(&v1, Some("application/json")).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(
            server.request_count(),
            5,
            "refused requests are recorded too"
        );
    }

    #[tokio::test]
    async fn pages_the_list_example_and_drops_the_count_on_request() {
        let server = StandIn::start().await;
        let example = server
            .spec()
            .operation("listFlexBackupSnapshots")
            .newest_example()
            .clone();
        let url = flex_list(&server);
        let (_, _, first) = get(&format!("{url}?itemsPerPage=1"), Some(FLEX_MEDIA)).await;
        assert_eq!(first["results"], json!([example["results"][0]]));
        assert_eq!(first["totalCount"], 2);
        let (_, _, second) =
            get(&format!("{url}?itemsPerPage=1&pageNum=2"), Some(FLEX_MEDIA)).await;
        assert_eq!(second["results"], json!([example["results"][1]]));
        let (_, _, third) = get(&format!("{url}?itemsPerPage=1&pageNum=3"), Some(FLEX_MEDIA)).await;
        assert_eq!(third["results"], json!([]));
        let (_, _, uncounted) = get(&format!("{url}?includeCount=false"), Some(FLEX_MEDIA)).await;
        assert_eq!(uncounted.get("totalCount"), None);
        assert_eq!(uncounted["results"], example["results"]);
    }

    #[tokio::test]
    async fn out_of_range_pages_get_the_spec_bad_request() {
        let server = StandIn::start().await;
        let url = flex_list(&server);
        let (status, _, body) = get(&format!("{url}?itemsPerPage=501"), Some(FLEX_MEDIA)).await;
        assert_eq!(status, 400);
        assert_eq!(&body, server.spec().error_example("badRequest"));
        let (status, _, body) = get(&format!("{url}?pageNum=x"), Some(FLEX_MEDIA)).await;
        assert_eq!(status, 400);
        assert_eq!(body["badRequestDetail"]["fields"][0]["field"], "pageNum");
    }

    #[tokio::test]
    async fn counts_down_the_rate_limit_and_records_every_request() {
        let server = StandIn::builder().rate_limit(2).start().await;
        let url = flex_list(&server);
        let mut remaining = Vec::new();
        for _ in 0..3 {
            let (_, headers, _) = get(&format!("{url}?pretty=true"), Some(FLEX_MEDIA)).await;
            assert_eq!(headers["ratelimit-limit"], "2");
            remaining.push(headers["ratelimit-remaining"].to_str().unwrap().to_owned());
        }
        assert_eq!(remaining, ["1", "0", "0"]);
        let (status, _, body) = get(&format!("{}/nowhere?x=1", server.base_url()), None).await;
        assert_eq!(status, 404);
        assert_eq!(body["errorCode"], "RESOURCE_NOT_FOUND");

        let requests = server.take_requests();
        assert_eq!(requests.len(), 4);
        assert_eq!(
            requests[0].operation.as_deref(),
            Some("listFlexBackupSnapshots")
        );
        assert_eq!(requests[0].query.as_deref(), Some("pretty=true"));
        assert_eq!(requests[0].header("Accept"), Some(FLEX_MEDIA));
        assert_eq!(requests[3].operation, None);
        assert_eq!(requests[3].path, "/nowhere");
        assert_eq!(requests[3].query_value("x"), Some("1"));
        assert_eq!(server.request_count(), 0);
    }

    #[tokio::test]
    async fn faults_answer_instead_of_the_spec_until_used_up_or_cleared() {
        let server = StandIn::start().await;
        let url = flex_list(&server);
        server.inject(
            Fault::on("listFlexBackupSnapshots")
                .status(503)
                .raw("busy")
                .times(2),
        );
        server.inject(
            Fault::on("listFlexBackupSnapshots")
                .status(200)
                .json(&json!({"results": []}))
                .times(1),
        );
        let mut statuses = Vec::new();
        for _ in 0..4 {
            statuses.push(get(&url, Some(FLEX_MEDIA)).await.0);
        }
        assert_eq!(statuses, [200, 503, 503, 200]);

        server.inject(
            Fault::on("listFlexBackupSnapshots")
                .status(200)
                .json(&json!({"results": []})),
        );
        let (_, headers, body) = get(&url, Some(FLEX_MEDIA)).await;
        assert_eq!(body, json!({"results": []}));
        assert_eq!(
            headers["content-type"], FLEX_MEDIA,
            "a success fault keeps the negotiated type"
        );
        server.clear_faults();
        let (_, _, body) = get(&url, Some(FLEX_MEDIA)).await;
        assert_eq!(body["totalCount"], 2);
    }

    #[test]
    #[should_panic(expected = "no operation `noSuchOperation`")]
    fn faults_must_name_an_operation_of_the_spec() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            StandIn::start().await.inject(Fault::on("noSuchOperation"));
        });
    }
}
