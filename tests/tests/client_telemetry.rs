//! Telemetry in OpenTelemetry's HTTP client conventions: a span per call named after the
//! operation, a span per HTTP request below it with the stable attribute names, and the
//! `http.client.request.duration` histogram. Alone in its test binary: tracing caches which
//! callsites are of interest, and the metrics recorder is process-wide.

use atlas_snapshots::{Client, RetryPolicy};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt;
use workspace_tests::ids::*;
use workspace_tests::{Fault, StandIn};

const FLEX_LIST: &str = "listFlexBackupSnapshots";

const FLEX_TEMPLATE: &str = "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots";

/// A recorded span: its name, its parent's name and its fields as text.
#[derive(Debug, Clone)]
struct Recorded {
    name: &'static str,
    parent: Option<&'static str>,
    fields: BTreeMap<String, String>,
}

/// A `tracing` layer that keeps the fields of every span the runtime opens, in opening order.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<(u64, Recorded)>>>);

struct FieldText<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for FieldText<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S> tracing_subscriber::Layer<S> for Spans
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        cx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let name = attrs.metadata().name();
        if !name.starts_with("atlas.") {
            return;
        }
        let parent = cx
            .span(id)
            .and_then(|span| span.parent())
            .map(|parent| parent.name());
        let mut fields = BTreeMap::new();
        attrs.record(&mut FieldText(&mut fields));
        let recorded = Recorded {
            name,
            parent,
            fields,
        };
        self.0.lock().unwrap().push((id.into_u64(), recorded));
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, span)) = spans.iter_mut().rev().find(|(i, _)| *i == id.into_u64()) {
            values.record(&mut FieldText(&mut span.fields));
        }
    }
}

impl Spans {
    fn named(&self, name: &str) -> Vec<Recorded> {
        let spans = self.0.lock().unwrap();
        spans
            .iter()
            .map(|(_, span)| span.clone())
            .filter(|span| span.name == name)
            .collect()
    }
}

/// The tests of this binary run one at a time: reading the histograms empties them.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The process's metrics recorder, installed once for every test of this binary.
fn metrics() -> &'static Snapshotter {
    static SNAPSHOTTER: OnceLock<Snapshotter> = OnceLock::new();
    SNAPSHOTTER.get_or_init(|| {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        recorder
            .install()
            .expect("no other recorder in this binary");
        snapshotter
    })
}

/// The durations recorded per label set of `http.client.request.duration` since the last call.
fn durations() -> Vec<(BTreeMap<String, String>, Vec<f64>)> {
    metrics()
        .snapshot()
        .into_vec()
        .into_iter()
        .filter(|(key, ..)| key.key().name() == "http.client.request.duration")
        .map(|(key, _, _, value)| {
            let labels = key
                .key()
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            let DebugValue::Histogram(values) = value else {
                panic!("the duration is a histogram");
            };
            (labels, values.into_iter().map(|v| v.into_inner()).collect())
        })
        .collect()
}

fn retrying_client(server: &StandIn, secret: &str) -> Client {
    server
        .client_builder()
        .bearer_token(secret)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_span_with_a_request_span_per_attempt_and_a_duration_per_request() {
    let _alone = ONE_AT_A_TIME.lock().await;
    metrics();
    let spans = Spans::default();
    let _traced =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(spans.clone()));
    let server = StandIn::start().await;
    server.inject(Fault::on(FLEX_LIST).status(502).raw("bad gateway").times(1));
    let secret = "s3cret-bearer-token";
    let client = retrying_client(&server, secret);
    client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .items_per_page(3)
        .send()
        .await
        .expect("the retry succeeds");
    let port = server.addr().port().to_string();

    let calls = spans.named("atlas.call");
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0].fields;
    let expected_call = [
        ("otel.name", FLEX_LIST),
        ("otel.kind", "internal"),
        ("atlas.operation_id", FLEX_LIST),
        ("atlas.api_version", "2024-11-13"),
        ("http.request.method", "GET"),
        ("url.template", FLEX_TEMPLATE),
        ("server.address", "127.0.0.1"),
        ("server.port", &port),
        ("http.response.status_code", "200"),
    ];
    for (name, value) in expected_call {
        assert_eq!(
            call.get(name).map(String::as_str),
            Some(value),
            "{name}: {call:?}"
        );
    }
    assert!(!call.contains_key("error.type"), "{call:?}");

    let requests = spans.named("atlas.http_request");
    assert_eq!(requests.len(), 2, "{requests:?}");
    let url_full = format!("{}{}", server.base_url(), flex_path());
    for request in &requests {
        assert_eq!(request.parent, Some("atlas.call"));
        let fields = &request.fields;
        let expected = [
            ("otel.name", format!("GET {FLEX_TEMPLATE}")),
            ("otel.kind", "client".to_owned()),
            ("atlas.operation_id", FLEX_LIST.to_owned()),
            ("atlas.api_version", "2024-11-13".to_owned()),
            ("http.request.method", "GET".to_owned()),
            ("url.template", FLEX_TEMPLATE.to_owned()),
            ("url.full", url_full.clone()),
            ("server.address", "127.0.0.1".to_owned()),
            ("server.port", port.clone()),
        ];
        for (name, value) in expected {
            assert_eq!(fields.get(name), Some(&value), "{name}: {fields:?}");
        }
        assert!(fields.values().all(|v| !v.contains(secret)), "{fields:?}");
    }
    let (first, second) = (&requests[0].fields, &requests[1].fields);
    assert_eq!(first["http.response.status_code"], "502");
    assert_eq!(first["error.type"], "502");
    assert_eq!(first["otel.status_code"], "ERROR");
    assert!(
        !first.contains_key("http.request.resend_count"),
        "{first:?}"
    );
    assert_eq!(second["http.response.status_code"], "200");
    assert_eq!(second["http.request.resend_count"], "1");
    assert!(!second.contains_key("error.type"), "{second:?}");

    let mut recorded = durations();
    recorded.retain(|(labels, _)| labels.get("server.port") == Some(&port));
    recorded
        .sort_by(|a, b| a.0["http.response.status_code"].cmp(&b.0["http.response.status_code"]));
    let statuses: Vec<(&str, Option<&str>, usize)> = recorded
        .iter()
        .map(|(labels, values)| {
            (
                labels["http.response.status_code"].as_str(),
                labels.get("error.type").map(String::as_str),
                values.len(),
            )
        })
        .collect();
    assert_eq!(statuses, [("200", None, 1), ("502", Some("502"), 1)]);
    for (labels, values) in &recorded {
        assert_eq!(labels["http.request.method"], "GET");
        assert_eq!(labels["url.template"], FLEX_TEMPLATE);
        assert_eq!(labels["server.address"], "127.0.0.1");
        assert!(values.iter().all(|s| *s > 0.0 && *s < 10.0), "{values:?}");
    }
}

/// The path of the Flex list with this test's ids, as the client sends it.
fn flex_path() -> String {
    FLEX_TEMPLATE
        .replace("{groupId}", GROUP_ID)
        .replace("{name}", FLEX_CLUSTER)
}

#[tokio::test(flavor = "current_thread")]
async fn a_request_without_an_answer_says_why_in_error_type() {
    let _alone = ONE_AT_A_TIME.lock().await;
    metrics();
    let spans = Spans::default();
    let _traced =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(spans.clone()));
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client
        .list_flex_backup_snapshots(GROUP_ID, FLEX_CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, atlas_snapshots::Error::Transport { .. }),
        "{error:?}"
    );

    let call = &spans.named("atlas.call")[0].fields;
    assert_eq!(call["error.type"], "connect");
    assert_eq!(call["otel.status_code"], "ERROR");
    assert!(!call.contains_key("http.response.status_code"), "{call:?}");
    let request = &spans.named("atlas.http_request")[0].fields;
    assert_eq!(request["error.type"], "connect");

    let port = port.to_string();
    let recorded: Vec<_> = durations()
        .into_iter()
        .filter(|(labels, _)| labels.get("server.port") == Some(&port))
        .collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(
        recorded[0].0.get("error.type").map(String::as_str),
        Some("connect")
    );
    assert!(!recorded[0].0.contains_key("http.response.status_code"));
}
