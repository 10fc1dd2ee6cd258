//! The user's tower layers around calls and attempts: a caching call layer answers a repeated
//! call without a request, a counting attempt layer sees every request that reaches the wire
//! (retries included) and the typed mocks go on checking requests with layers in place; an
//! error a layer makes ends the call as `Error::Layer`, unretried.

use atlas_snapshots::http::{HeaderMap, StatusCode};
use atlas_snapshots::layer::tower::{self, Layer, Service};
use atlas_snapshots::layer::{BoxError, Call, CallResponse};
use atlas_snapshots::mock::MockServer;
use atlas_snapshots::models::FlexBackupSnapshot20241113;
use atlas_snapshots::{Error, RetryPolicy};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const FLEX_LIST: &str = "listFlexBackupSnapshots";

/// Counts what passes through it, of any request type.
#[derive(Clone)]
struct Count<S> {
    inner: S,
    seen: Arc<AtomicUsize>,
}

impl<S: Service<R>, R> Service<R> for Count<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> S::Future {
        self.seen.fetch_add(1, Ordering::SeqCst);
        self.inner.call(request)
    }
}

fn counting<S>(seen: &Arc<AtomicUsize>) -> impl Layer<S, Service = Count<S>> + Clone {
    let seen = Arc::clone(seen);
    tower::layer::layer_fn(move |inner| Count {
        inner,
        seen: Arc::clone(&seen),
    })
}

type Entries = Arc<Mutex<HashMap<String, (StatusCode, HeaderMap, Bytes)>>>;

/// Answers a GET it has answered before from memory; keeps each successful answer read whole.
#[derive(Clone)]
struct Cache<S> {
    inner: S,
    entries: Entries,
}

impl<S> Service<Call> for Cache<S>
where
    S: Service<Call, Response = CallResponse, Error = BoxError> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = CallResponse;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<CallResponse, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, call: Call) -> Self::Future {
        let key = format!("{} {}", call.method(), call.url());
        let hit = (call.method() == "GET")
            .then(|| self.entries.lock().unwrap().get(&key).cloned())
            .flatten();
        if let Some((status, headers, body)) = hit {
            return Box::pin(async move { Ok(CallResponse::new(status, headers, body)) });
        }
        let entries = Arc::clone(&self.entries);
        let answer = self.inner.call(call);
        Box::pin(async move {
            let answer = answer.await?;
            if let Some(body) = answer.body().filter(|_| answer.status().is_success()) {
                let entry = (answer.status(), answer.headers().clone(), body.clone());
                entries.lock().unwrap().insert(key, entry);
            }
            Ok(answer)
        })
    }
}

fn caching<S>(entries: &Entries) -> impl Layer<S, Service = Cache<S>> + Clone {
    let entries = Arc::clone(entries);
    tower::layer::layer_fn(move |inner| Cache {
        inner,
        entries: Arc::clone(&entries),
    })
}

#[tokio::test]
async fn a_cache_answers_a_repeated_call_and_the_mock_checks_what_reaches_it() {
    let mock = MockServer::start().await;
    let snapshot = FlexBackupSnapshot20241113::new().with_id("c".repeat(24));
    mock.list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .responds_items(vec![snapshot.clone()])
        .await;
    let (calls, attempts) = (Arc::default(), Arc::default());
    let entries = Entries::default();
    let client = mock
        .client_builder()
        .bearer_token("mock-token")
        .call_layer(counting(&calls))
        .call_layer(caching(&entries))
        .attempt_layer(counting(&attempts))
        .build()
        .unwrap();

    let mut pages = Vec::new();
    for _ in 0..3 {
        let page = client
            .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
            .send()
            .await
            .expect("the mock answers, then the cache");
        pages.push(page.into_inner());
    }
    assert!(pages.iter().all(|page| page.results == [snapshot.clone()]));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "the outer layer sees every call"
    );
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        1,
        "only the first call is sent"
    );
    assert_eq!(mock.received_count().await, 1);
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    assert_eq!(entries.lock().unwrap().len(), 1);

    // A different call (another page size) misses the cache and reaches the server.
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(5)
        .send()
        .await
        .unwrap();
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(mock.received_count().await, 2);
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn retries_pass_through_the_attempt_layers_once_per_request_and_the_call_layers_once() {
    let server = StandIn::start().await;
    server.inject(Fault::on(FLEX_LIST).status(503).raw("busy").times(2));
    let (calls, attempts) = (Arc::default(), Arc::default());
    let client = server
        .client_builder()
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(5)),
        )
        .call_layer(counting(&calls))
        .attempt_layer(counting(&attempts))
        .build()
        .unwrap();
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(server.request_count(), 3);
}

/// Refuses every request with an error of its own.
#[derive(Clone)]
struct Refuse;

#[derive(Debug)]
struct OverBudget;

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("over the budget for today")
    }
}

impl std::error::Error for OverBudget {}

impl Service<reqwest::Request> for Refuse {
    type Response = reqwest::Response;
    type Error = OverBudget;
    type Future = std::future::Ready<Result<reqwest::Response, OverBudget>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), OverBudget>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: reqwest::Request) -> Self::Future {
        std::future::ready(Err(OverBudget))
    }
}

#[tokio::test]
async fn an_error_a_layer_makes_ends_the_call_unretried_and_names_the_request() {
    let server = StandIn::start().await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::new().max_attempts(3))
        .attempt_layer(tower::layer::layer_fn(|_inner| Refuse))
        .build()
        .unwrap();
    let error = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    let Error::Layer {
        operation, source, ..
    } = &error
    else {
        panic!("expected a layer error, got {error:?}");
    };
    assert_eq!(*operation, FLEX_LIST);
    assert!(source.downcast_ref::<OverBudget>().is_some(), "{source:?}");
    assert!(
        error.to_string().contains("GET /api/atlas/v2/groups/"),
        "{error}"
    );
    assert_eq!(server.request_count(), 0, "nothing reached the server");
}
