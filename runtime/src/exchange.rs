//! The innermost call service, below the user's call layers: one call on the wire, its attempts
//! authenticated, sent through the attempt layers and retried as the policy says.

use crate::answer::ReceiveError;
use crate::auth::{self, AuthFailure, Authenticator};
use crate::credentials::Redactions;
use crate::layer::{AttemptService, BoxError, Call, CallResponse};
use crate::limits::Limits;
use crate::redirect::Refused;
use crate::retry::{Decision, Outcome, RetryPolicy};
use crate::telemetry::{self, CallAttributes, Ending};
use crate::time::Clock;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use reqwest::StatusCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// What a client sends with, its call layers aside.
pub(crate) struct Transport {
    /// Makes the `reqwest` requests the attempt service sends.
    pub http: reqwest::Client,
    /// The user's attempt layers around `http`.
    pub attempt: AttemptService,
    /// The same layers around a client that follows no redirect, made on first use by an
    /// operation whose answer is a redirect.
    pub no_follow: NoFollow,
    pub auth: Option<Authenticator>,
    pub redactions: Redactions,
    pub retry: RetryPolicy,
    pub limits: Limits,
    /// Where retries read the time and how they wait.
    pub clock: Clock,
}

/// The service the user's call layers wrap.
#[derive(Clone)]
pub(crate) struct Exchange(pub Arc<Transport>);

impl tower::Service<Call> for Exchange {
    type Response = CallResponse;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<CallResponse, BoxError>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: Call) -> Self::Future {
        let transport = Arc::clone(&self.0);
        Box::pin(async move { transport.run(call).await.map_err(BoxError::from) })
    }
}

/// Why a call ended without an answer to give the caller. It travels up through the call
/// layers boxed, and becomes the caller's [`Error`](crate::Error) above them.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CallFailure {
    #[error("authentication failed")]
    Auth(AuthFailure),
    #[error("the answer ({status}) has a body larger than {limit} bytes")]
    TooLarge { status: StatusCode, limit: usize },
    #[error("{0}")]
    Redirect(Refused),
    #[error("the server asked to wait {} s before retrying", asked.as_secs())]
    RetryAfterTooLong {
        status: StatusCode,
        asked: Duration,
        allowed: Duration,
        /// The error body, the client's secrets cut out.
        body: Option<Bytes>,
    },
    #[error("no answer from the server")]
    Transport(#[source] reqwest::Error),
    #[error(transparent)]
    Layer(BoxError),
}

impl CallFailure {
    /// OpenTelemetry's `error.type` of the failure.
    pub fn error_type(&self) -> &'static str {
        match self {
            CallFailure::Auth(_) => "auth",
            CallFailure::TooLarge { .. } => "body_too_large",
            CallFailure::Redirect(_) => "redirect_not_followed",
            CallFailure::RetryAfterTooLong { .. } => "retry_after_too_long",
            CallFailure::Transport(error) => telemetry::transport_error_type(error),
            CallFailure::Layer(_) => "layer",
        }
    }
}

impl Transport {
    /// Sends `call`, retrying as its policy says, and gives the last attempt's answer.
    async fn run(&self, mut call: Call) -> Result<CallResponse, CallFailure> {
        let attributes = CallAttributes::of(&call);
        let op = call.op;
        let policy = call.retry.take().unwrap_or_else(|| self.retry.clone());
        let sent = AtomicU32::new(0);
        let mut attempt: u32 = 1;
        loop {
            // Every attempt sends a fresh request built from the prepared parts.
            let attempt_service = match call.redirect_is_answer {
                true => self.no_follow.service(),
                false => &self.attempt,
            };
            let answer = auth::send(
                self.auth.as_ref(),
                op,
                || call.prepared.to_request(&self.http),
                |request| {
                    self.send_one(
                        attempt_service,
                        request,
                        &attributes,
                        &sent,
                        call.stream_success,
                    )
                },
            )
            .await
            .map_err(CallFailure::Auth)?;
            let mut answer = match answer {
                Ok(answer) => Ok(answer),
                Err(ReceiveError::Transport(error)) => Err(error),
                Err(ReceiveError::TooLarge { status, limit }) => {
                    return Err(CallFailure::TooLarge { status, limit })
                }
                // Another attempt would meet the same redirect.
                Err(ReceiveError::Redirect(refused)) => return Err(CallFailure::Redirect(refused)),
                Err(ReceiveError::Layer(error)) => return Err(CallFailure::Layer(error)),
            };
            if let Ok(answer) = &mut answer {
                if call.enveloped {
                    answer.open_envelope();
                }
            }
            let outcome = match &answer {
                Ok(answer) => Outcome::Answered(answer.status, &answer.headers),
                Err(error) => Outcome::Failed(error),
            };
            // A streamed body is gone once sent, so its request is never sent twice.
            let decision = match call.prepared.replayable() {
                true => policy.decide(op.method, attempt, outcome, self.clock.now()),
                false => Decision::Stop,
            };
            let wait = match decision {
                Decision::Retry(wait) => wait,
                Decision::WaitTooLong(asked) => {
                    let (status, body) = match answer {
                        Ok(answer) => {
                            (answer.status, Some(self.redactions.scrub_body(answer.body)))
                        }
                        Err(_) => (StatusCode::TOO_MANY_REQUESTS, None),
                    };
                    return Err(CallFailure::RetryAfterTooLong {
                        status,
                        asked,
                        allowed: policy.retry_after_cap(),
                        body,
                    });
                }
                Decision::Stop => return answer.map_err(CallFailure::Transport),
            };
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            self.clock.sleep(wait).await;
            attempt += 1;
        }
    }

    /// Sends one HTTP request through the attempt layers, in its own span; `sent` counts the
    /// requests of the call so far.
    async fn send_one(
        &self,
        attempt: &AttemptService,
        request: reqwest::RequestBuilder,
        attributes: &CallAttributes,
        sent: &AtomicU32,
        stream_success: bool,
    ) -> Result<CallResponse, ReceiveError> {
        let request = request.build()?;
        let resends = sent.fetch_add(1, Ordering::Relaxed);
        let span = telemetry::attempt_span(attributes, request.url(), resends);
        let started = Instant::now();
        let answer = CallResponse::receive(
            attempt.clone(),
            request,
            self.limits.max_body_size,
            stream_success,
        )
        .instrument(span.clone())
        .await;
        let ending = match &answer {
            Ok(answer) => Ending::Status(answer.status),
            Err(error) => Ending::Failed(error.error_type()),
        };
        telemetry::record(&span, ending);
        telemetry::record_duration(attributes, started.elapsed().as_secs_f64(), ending);
        answer
    }
}

/// The attempt service of the operations whose answer is a redirect: the user's attempt layers
/// around a `reqwest::Client` that follows no redirect. reqwest sets its redirect policy per
/// client, so such a client is made beside the main one, with its settings, the first time one
/// of these operations is called; a client the user gave is used as it is.
pub(crate) struct NoFollow {
    /// Makes the client that follows no redirect.
    make: Box<dyn Fn() -> reqwest::Client + Send + Sync>,
    wraps: Vec<crate::layer::Wrap<AttemptService>>,
    service: std::sync::OnceLock<AttemptService>,
}

impl NoFollow {
    pub(crate) fn new(
        make: impl Fn() -> reqwest::Client + Send + Sync + 'static,
        wraps: Vec<crate::layer::Wrap<AttemptService>>,
    ) -> Self {
        NoFollow {
            make: Box::new(make),
            wraps,
            service: std::sync::OnceLock::new(),
        }
    }

    fn service(&self) -> &AttemptService {
        self.service.get_or_init(|| {
            crate::layer::stack(crate::layer::http_service((self.make)()), &self.wraps)
        })
    }
}
