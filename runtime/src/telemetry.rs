//! Spans and metrics named as OpenTelemetry's stable HTTP client conventions name them, so
//! `tracing-opentelemetry` exports them as any backend expects: one span per operation call
//! (named after the operation), one per HTTP request sent (named `{method} {url.template}`),
//! and, with the `metrics` feature, the `http.client.request.duration` histogram.
//!
//! Field names are the attribute names (`http.request.method`, `url.template`, ...);
//! `otel.name` and `otel.kind` set the exported span's name and kind, and
//! `otel.status_code` marks a failed span as an error.

use crate::layer::Call;
use reqwest::StatusCode;
use std::borrow::Cow;
use tracing::field::Empty;
use tracing::Span;

/// What every span and measurement of one call says about it.
#[derive(Debug, Clone)]
pub(crate) struct CallAttributes {
    pub operation: &'static str,
    pub method: &'static str,
    pub template: &'static str,
    pub version: Option<&'static str>,
    pub server_address: String,
    pub server_port: u16,
}

impl CallAttributes {
    pub fn of(call: &Call) -> Self {
        let url = call.url();
        CallAttributes {
            operation: call.op.id,
            method: call.op.method.as_str(),
            template: call.op.path,
            version: call.api_version,
            server_address: url.host_str().unwrap_or_default().to_owned(),
            server_port: url.port_or_known_default().unwrap_or_default(),
        }
    }
}

/// The span of a whole call: its attempts, retries and authentication. `internal`, since the
/// HTTP requests below it are the client spans.
pub(crate) fn call_span(attrs: &CallAttributes) -> Span {
    tracing::info_span!(
        "atlas.call",
        otel.name = attrs.operation,
        otel.kind = "internal",
        otel.status_code = Empty,
        atlas.operation_id = attrs.operation,
        atlas.api_version = attrs.version,
        http.request.method = attrs.method,
        url.template = attrs.template,
        server.address = %attrs.server_address,
        server.port = attrs.server_port,
        http.response.status_code = Empty,
        error.type = Empty,
    )
}

/// The span of one HTTP request; `resends` is how many were sent before it in the same call
/// (retries, and the answer to a Digest challenge).
pub(crate) fn attempt_span(attrs: &CallAttributes, url: &url::Url, resends: u32) -> Span {
    let span = tracing::info_span!(
        "atlas.http_request",
        otel.name = %format_args!("{} {}", attrs.method, attrs.template),
        otel.kind = "client",
        otel.status_code = Empty,
        atlas.operation_id = attrs.operation,
        atlas.api_version = attrs.version,
        http.request.method = attrs.method,
        url.template = attrs.template,
        // The query is left out: it can carry an API key.
        url.full = &url[..url::Position::AfterPath],
        server.address = %attrs.server_address,
        server.port = attrs.server_port,
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
    );
    if resends > 0 {
        span.record("http.request.resend_count", resends);
    }
    span
}

/// How a request or a call ended, for a span and the duration metric.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending {
    /// An answer with this status; 4xx and 5xx also give `error.type`.
    Status(StatusCode),
    /// No answer: `error.type` says why.
    Failed(&'static str),
}

/// Records how a span's request or call ended.
pub(crate) fn record(span: &Span, ending: Ending) {
    if let Ending::Status(status) = ending {
        span.record("http.response.status_code", status.as_u16());
    }
    if let Some(kind) = error_type(ending) {
        span.record("error.type", kind.as_ref());
        span.record("otel.status_code", "ERROR");
    }
}

/// OpenTelemetry's `error.type`: the status code of an error answer, else a short kind.
fn error_type(ending: Ending) -> Option<Cow<'static, str>> {
    match ending {
        Ending::Status(status) if status.is_client_error() || status.is_server_error() => {
            Some(Cow::Owned(status.as_str().to_owned()))
        }
        Ending::Status(_) => None,
        Ending::Failed(kind) => Some(Cow::Borrowed(kind)),
    }
}

/// The `error.type` of a failure to get an answer from the HTTP client.
pub(crate) fn transport_error_type(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_redirect() {
        "redirect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else {
        "request"
    }
}

/// Records `http.client.request.duration` (seconds) for one HTTP request.
#[cfg(feature = "metrics")]
pub(crate) fn record_duration(attrs: &CallAttributes, seconds: f64, ending: Ending) {
    let mut labels = vec![
        metrics::Label::new("http.request.method", attrs.method),
        metrics::Label::new("url.template", attrs.template),
        metrics::Label::new("server.address", attrs.server_address.clone()),
        metrics::Label::new("server.port", attrs.server_port.to_string()),
    ];
    if let Ending::Status(status) = ending {
        labels.push(metrics::Label::new(
            "http.response.status_code",
            status.as_str().to_owned(),
        ));
    }
    if let Some(kind) = error_type(ending) {
        labels.push(metrics::Label::new("error.type", kind));
    }
    metrics::histogram!("http.client.request.duration", labels).record(seconds);
}

/// Without the `metrics` feature, nothing is measured.
#[cfg(not(feature = "metrics"))]
pub(crate) fn record_duration(_: &CallAttributes, _: f64, _: Ending) {}
