//! One request being built by a generated `send()`: parameters are checked and encoded as they
//! are added, and the request is sent only when every one of them passed.

use crate::answer::{Answer, ReceiveError, Target};
use crate::auth;
use crate::check::{run_checks, run_count_checks, Check, InvalidParameter, ParamValue};
use crate::client::BaseClient;
use crate::descriptor::OperationInfo;
use crate::dialect::{ENVELOPE_PARAM, PRETTY_PARAM};
use crate::error::{ApiErrorBody, Error};
use crate::form::FormField;
use crate::multipart::Multipart;
use crate::options::RequestOptions;
use crate::response::{RawResponse, ResponseValue};
use crate::retry::{Decision, Outcome};
use crate::stream::ByteStream;
use crate::upload::Upload;
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::time::SystemTime;
use tracing::Instrument;

/// Everything but RFC 3986's unreserved characters is encoded in a path segment, so a value
/// can never add a segment (`/`) or start a query (`?`). The dot segments `.` and `..` would
/// still be resolved away by URL normalisation (even percent-encoded), so they are refused.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request under construction.
#[derive(Debug)]
pub struct Request<'c> {
    client: &'c BaseClient,
    op: &'static OperationInfo,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Result<Payload, String>>,
    /// The body's media type when the operation says which (a raw body, or the media type the
    /// caller picked among several); otherwise it is negotiated like `Accept`.
    content_type: Option<&'static str>,
    body_versions: Option<&'static [&'static str]>,
    problems: Vec<InvalidParameter>,
    /// `envelope=true` was asked for, so answers come wrapped.
    enveloped: bool,
    options: RequestOptions,
}

impl<'c> Request<'c> {
    /// Starts a request for `op` with `client`'s settings.
    pub fn new(client: &'c BaseClient, op: &'static OperationInfo) -> Self {
        Request {
            client,
            op,
            path: op.path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            body_versions: None,
            problems: Vec::new(),
            enveloped: false,
            options: RequestOptions::default(),
        }
    }

    /// Settings for this request only, over the client's.
    pub fn options(&mut self, options: &RequestOptions) {
        self.options = options.clone();
    }

    fn checked(
        &mut self,
        name: &'static str,
        value: &dyn ParamValue,
        checks: &[Check],
    ) -> Option<String> {
        match run_checks(name, value, checks) {
            Ok(()) => Some(value.to_param()),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Fills the `{name}` placeholder with the percent-encoded value.
    pub fn path_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        let Some(text) = self.checked(name, &value, checks) else {
            return;
        };
        let refused = match text.as_str() {
            "" => Some("a path parameter cannot be empty"),
            "." | ".." => Some("a path parameter cannot be a dot segment"),
            _ => None,
        };
        if let Some(reason) = refused {
            self.problems.push(InvalidParameter {
                name: name.to_owned(),
                value: text,
                reason: reason.to_owned(),
            });
            return;
        }
        let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
    }

    /// Adds `name=value` to the query (repeated for each item of an array parameter).
    pub fn query_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        if let Some(text) = self.checked(name, &value, checks) {
            self.query.push((name, text));
        }
    }

    /// Asks Atlas to wrap the answer in an envelope (`envelope=true`), which is then opened
    /// before the answer is read, so the caller sees the same status and body either way.
    pub fn envelope(&mut self, enveloped: bool) {
        self.enveloped = enveloped;
        self.query.push((ENVELOPE_PARAM, enveloped.to_string()));
    }

    /// Asks Atlas to indent its JSON (`pretty=true`); the decoded answer is the same.
    pub fn pretty(&mut self, pretty: bool) {
        self.query.push((PRETTY_PARAM, pretty.to_string()));
    }

    /// Sends the value as a request header.
    pub fn header_param(
        &mut self,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
        checks: &[Check],
    ) {
        if let Some(text) = self.checked(name, &value, checks) {
            self.headers.push((name, text));
        }
    }

    /// Checks the number of items of an array parameter.
    pub fn check_count(&mut self, name: &'static str, count: usize, checks: &[Check]) {
        if let Err(problem) = run_count_checks(name, count, checks) {
            self.problems.push(problem);
        }
    }

    /// Sends `body` as JSON.
    pub fn json_body<B: serde::Serialize + ?Sized>(&mut self, body: &B) {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|bytes| Payload::Bytes(bytes.into()))
                .map_err(|e| e.to_string()),
        );
    }

    /// Sends `body` as a form (`application/x-www-form-urlencoded`), the properties `fields`
    /// names in their own style.
    pub fn form_body<B: serde::Serialize + ?Sized>(&mut self, body: &B, fields: &[FormField]) {
        self.body =
            Some(crate::form::encode(body, fields).map(|bytes| Payload::Bytes(bytes.into())));
    }

    /// Sends the bytes of `upload` as they are, with the `Content-Type` `media_type`.
    pub fn raw_body(&mut self, upload: &Upload, media_type: &'static str) {
        self.content_type = Some(media_type);
        self.body = Some(Ok(Payload::Raw(upload.clone())));
    }

    /// Sends `form` as `multipart/form-data`, with the boundary it is written with.
    pub fn multipart_body(&mut self, form: Multipart) {
        self.body = Some(match form.problem() {
            Some(problem) => Err(problem.to_owned()),
            None => Ok(Payload::Multipart(form)),
        });
    }

    /// The body is of the type these versions take (oldest first): the request is sent in the
    /// newest of them when the client is not pinned, and refused before sending when the pin
    /// picks a version outside them.
    pub fn body_versions(&mut self, versions: &'static [&'static str]) {
        self.body_versions = Some(versions);
    }

    /// Sends the body with the `Content-Type` `media_type` (the caller's pick among the media
    /// types the operation accepts) instead of negotiating it.
    pub fn content_type(&mut self, media_type: &'static str) {
        self.content_type = Some(media_type);
    }

    /// Sends the request and decodes the JSON body into `T`.
    pub async fn send<T: serde::de::DeserializeOwned, E: ApiErrorBody>(
        self,
    ) -> Result<ResponseValue<T>, Error<E>> {
        self.send_raw().await?.decode()
    }

    /// Sends the request and ignores any body.
    pub async fn send_empty<E: ApiErrorBody>(self) -> Result<ResponseValue<()>, Error<E>> {
        let raw = self.send_raw().await?;
        Ok(ResponseValue::new(raw.status, raw.headers, ()))
    }

    /// Sends the request; a success status gives the undecoded response, an error status the
    /// typed error.
    pub async fn send_raw<E: ApiErrorBody>(self) -> Result<RawResponse, Error<E>> {
        let client = self.client;
        let (target, answer) = self.exchange(false).await?;
        answer.conclude(target, client.redactions())
    }

    /// Sends the request asking for the operation's non-JSON media type (an archive, CSV) where
    /// the negotiated version has one, and hands back a success body unread; an error status
    /// gives the typed error, as for [`send_raw`](Self::send_raw).
    pub async fn send_stream<E: ApiErrorBody>(self) -> Result<ResponseValue<ByteStream>, Error<E>> {
        let client = self.client;
        let (target, mut answer) = self.exchange(true).await?;
        let Some(response) = answer.unread.take() else {
            // An error, whose body was read whole to be decoded.
            return answer.conclude(target, client.redactions()).map(|raw| {
                ResponseValue::new(raw.status, raw.headers, ByteStream::from_bytes(raw.body))
            });
        };
        let stream = ByteStream::new(response, target.operation, target.method, target.path);
        Ok(ResponseValue::new(answer.status, answer.headers, stream))
    }

    /// Sends the request, retrying as the policy says, and gives the last attempt's answer.
    async fn exchange<E: ApiErrorBody>(
        mut self,
        stream_success: bool,
    ) -> Result<(Target, Answer), Error<E>> {
        let op = self.op;
        let method = op.method.as_str();
        if let Some(Err(reason)) = &self.body {
            self.problems.push(InvalidParameter {
                name: "body".to_owned(),
                value: String::new(),
                reason: reason.clone(),
            });
        }
        if let Some(reason) = self.options.problem() {
            self.problems.push(InvalidParameter {
                name: "request_options".to_owned(),
                value: String::new(),
                reason,
            });
        }
        let pin = self
            .options
            .pinned_version()
            .or_else(|| self.client.api_version());
        let pin = match self.body_versions {
            Some(versions) => match body_version(op, pin, versions) {
                Ok(version) => version,
                Err(reason) => {
                    self.problems.push(InvalidParameter {
                        name: "body".to_owned(),
                        value: String::new(),
                        reason,
                    });
                    pin
                }
            },
            None => pin,
        };
        if !self.problems.is_empty() {
            return Err(Error::InvalidRequest {
                operation: op.id,
                problems: self.problems,
            });
        }
        let negotiated = match stream_success {
            true => op.negotiate_stream(pin),
            false => op.negotiate(pin),
        };
        let accept = negotiated.map_err(|available| Error::UnsupportedVersion {
            operation: op.id,
            pinned: pin.unwrap_or_default().to_owned(),
            available,
        })?;
        let accept_type = accept.map_or("application/json", |m| m.media_type);
        let body = self.body.and_then(Result::ok);
        let content_type = match &body {
            // The form's own header carries its boundary.
            Some(Payload::Multipart(_)) | None => None,
            Some(_) => match self.content_type {
                Some(chosen) => Some(chosen),
                None => Some(content_type(op, pin)?),
            },
        };
        let mut prepared = Prepared::new(
            op,
            self.client.endpoint(&self.path),
            &self.query,
            &self.headers,
            accept_type,
            content_type,
            body,
        )?;
        prepared.customize(op, &self.options)?;
        let target = Target {
            operation: op.id,
            method,
            path: self.path,
            accept: accept_type,
            version: accept.and_then(|m| m.version),
        };
        let policy = self
            .options
            .retry
            .as_ref()
            .unwrap_or_else(|| self.client.retry_policy());
        let limit = self.client.limits().max_body_size;
        let mut attempt: u32 = 1;
        loop {
            let span = tracing::debug_span!(
                "request",
                operation = op.id,
                method,
                path = op.path,
                attempt,
                status = tracing::field::Empty
            );
            // Every attempt sends a fresh request built from the prepared parts.
            let sent = auth::send(
                self.client.authenticator(),
                op,
                || prepared.to_request(self.client.http()),
                |request| Answer::receive(request, limit, stream_success),
            )
            .instrument(span.clone())
            .await;
            let answer = sent.map_err(|failure| {
                Error::from_auth_failure(failure, op.id, method, &target.path)
            })?;
            let mut answer = match answer {
                Ok(answer) => Ok(answer),
                Err(ReceiveError::Transport(error)) => Err(error),
                Err(ReceiveError::TooLarge { status, limit }) => {
                    return Err(Error::BodyTooLarge {
                        operation: op.id,
                        method,
                        path: target.path,
                        status,
                        limit,
                    })
                }
                // Another attempt would meet the same redirect.
                Err(ReceiveError::Redirect(refused)) => {
                    return Err(Error::RedirectNotFollowed {
                        operation: op.id,
                        method,
                        path: target.path,
                        status: refused.status,
                        location: refused.location.into(),
                    })
                }
            };
            if let Ok(answer) = &mut answer {
                if self.enveloped {
                    answer.open_envelope();
                }
                span.record("status", answer.status.as_u16());
            }
            let outcome = match &answer {
                Ok(answer) => Outcome::Answered(answer.status, &answer.headers),
                Err(error) => Outcome::Failed(error),
            };
            // A streamed body is gone once sent, so its request is never sent twice.
            let decision = match prepared.replayable() {
                true => policy.decide(op.method, attempt, outcome, SystemTime::now()),
                false => Decision::Stop,
            };
            let wait = match decision {
                Decision::Retry(wait) => wait,
                Decision::WaitTooLong(asked) => {
                    let (status, body) = match &answer {
                        Ok(answer) => {
                            let body = self.client.redactions().scrub_body(answer.body.clone());
                            (answer.status, serde_json::from_slice::<E>(&body).ok())
                        }
                        Err(_) => (reqwest::StatusCode::TOO_MANY_REQUESTS, None),
                    };
                    return Err(Error::RetryAfterTooLong {
                        operation: op.id,
                        method,
                        path: target.path,
                        status,
                        asked,
                        allowed: policy.retry_after_cap(),
                        body: body.map(Box::new),
                    });
                }
                Decision::Stop => {
                    return match answer {
                        Ok(answer) => Ok((target, answer)),
                        Err(source) => Err(Error::Transport {
                            operation: op.id,
                            method,
                            path: target.path,
                            // The URL is in the error's own message already, and its query
                            // is the caller's business, not a log's.
                            source: source.without_url(),
                        }),
                    };
                }
            };
            span.in_scope(|| {
                tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying");
            });
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// The version to send a body of `versions`' type in: the pinned one when the pin picks one of
/// them, the newest of them without a pin.
fn body_version<'p>(
    op: &OperationInfo,
    pin: Option<&'p str>,
    versions: &'static [&'static str],
) -> Result<Option<&'p str>, String> {
    let Some(pin) = pin else {
        return Ok(versions.last().copied());
    };
    let picked = op
        .negotiate_request(Some(pin))
        .ok()
        .flatten()
        .and_then(|m| m.version);
    match picked {
        Some(version) if versions.contains(&version) => Ok(Some(pin)),
        _ => Err(format!(
            "the body is of the type of version {}, but the pin {pin} picks {}",
            versions.join(", "),
            picked.map_or("no version of the body".to_owned(), |v| format!(
                "version {v}"
            ))
        )),
    }
}

/// The `Content-Type` of a request body: the request media type the client's pin picks, as for
/// `Accept`; plain JSON when the spec names none. A pin older than every version of the body is
/// refused before sending, like one older than every version of the answer.
fn content_type<E: ApiErrorBody>(
    op: &'static OperationInfo,
    pin: Option<&str>,
) -> Result<&'static str, Error<E>> {
    let chosen = op
        .negotiate_request(pin)
        .map_err(|available| Error::UnsupportedVersion {
            operation: op.id,
            pinned: pin.unwrap_or_default().to_owned(),
            available,
        })?;
    Ok(chosen.map_or("application/json", |m| m.media_type))
}

/// A request ready to go out: method, URL with its query, headers and body bytes. Kept whole
/// so each attempt can build a fresh `reqwest` request from it.
#[derive(Debug)]
struct Prepared {
    method: reqwest::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Option<Payload>,
    timeout: Option<std::time::Duration>,
}

/// A request body as the runtime keeps it between attempts.
#[derive(Debug)]
enum Payload {
    /// Encoded already (JSON, a form).
    Bytes(Bytes),
    /// Sent as it is.
    Raw(Upload),
    Multipart(Multipart),
}

impl Payload {
    /// Whether the body can be sent again (it holds no stream).
    fn replayable(&self) -> bool {
        match self {
            Payload::Bytes(_) => true,
            Payload::Raw(upload) => !upload.is_stream(),
            Payload::Multipart(form) => form.replayable(),
        }
    }
}

/// The body of an attempt that cannot have the request's body any more: it fails as it is read,
/// so the attempt ends with a transport error saying why instead of sending another body.
fn unsendable(reason: String) -> reqwest::Body {
    let failure = futures_util::stream::once(async move {
        Err::<Bytes, std::io::Error>(std::io::Error::other(reason))
    });
    reqwest::Body::wrap_stream(failure)
}

impl Prepared {
    /// Adds a request's own timeout and extra headers; the headers the client sets stay its own.
    fn customize<E: ApiErrorBody>(
        &mut self,
        op: &'static OperationInfo,
        options: &RequestOptions,
    ) -> Result<(), Error<E>> {
        self.timeout = options.timeout;
        for (name, value) in &options.headers {
            let parsed = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            );
            let reason = match parsed {
                (Ok(name), _) if [ACCEPT, CONTENT_TYPE, AUTHORIZATION].contains(&name) => {
                    "is set by the client"
                }
                (Ok(name), Ok(value)) => {
                    self.headers.append(name, value);
                    continue;
                }
                _ => "cannot be sent as an HTTP header",
            };
            return Err(Error::InvalidRequest {
                operation: op.id,
                problems: vec![InvalidParameter {
                    name: name.clone(),
                    value: value.clone(),
                    reason: reason.to_owned(),
                }],
            });
        }
        Ok(())
    }

    fn new<E: ApiErrorBody>(
        op: &'static OperationInfo,
        mut url: url::Url,
        query: &[(&'static str, String)],
        header_params: &[(&'static str, String)],
        accept: &'static str,
        content_type: Option<&'static str>,
        body: Option<Payload>,
    ) -> Result<Prepared, Error<E>> {
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        for (name, value) in header_params {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                _ => {
                    let problem = InvalidParameter {
                        name: (*name).to_owned(),
                        value: value.clone(),
                        reason: "cannot be sent as an HTTP header".to_owned(),
                    };
                    return Err(Error::InvalidRequest {
                        operation: op.id,
                        problems: vec![problem],
                    });
                }
            }
        }
        if let Some(content_type) = content_type {
            let Ok(value) = HeaderValue::from_str(content_type) else {
                return Err(Error::InvalidRequest {
                    operation: op.id,
                    problems: vec![InvalidParameter {
                        name: "Content-Type".to_owned(),
                        value: content_type.to_owned(),
                        reason: "cannot be sent as an HTTP header".to_owned(),
                    }],
                });
            };
            headers.insert(CONTENT_TYPE, value);
        }
        Ok(Prepared {
            method: op.method.to_reqwest(),
            url,
            headers,
            body,
            timeout: None,
        })
    }

    /// Whether another attempt can send the same body.
    fn replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Payload::replayable)
    }

    /// A new `reqwest` request of these parts, without credentials.
    fn to_request(&self, http: &reqwest::Client) -> reqwest::RequestBuilder {
        let mut request = http
            .request(self.method.clone(), self.url.clone())
            .headers(self.headers.clone());
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        match &self.body {
            Some(Payload::Bytes(body)) => request.body(body.clone()),
            Some(Payload::Raw(upload)) => match upload.take_body() {
                Ok(body) => request.body(body),
                Err(spent) => request.body(unsendable(spent.to_string())),
            },
            Some(Payload::Multipart(form)) => match form.to_form() {
                Ok(form) => request.multipart(form),
                Err(problem) => request.body(unsendable(problem.to_string())),
            },
            None => request,
        }
    }
}
