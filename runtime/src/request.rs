//! One request being built by a generated `send()`: parameters are checked and encoded as they
//! are added, and the request is sent only when every one of them passed.

use crate::answer::Target;
use crate::check::{InvalidParameter, ParamValue};
use crate::client::BaseClient;
use crate::descriptor::{MediaVersion, OperationInfo, ParamIn};
use crate::dialect::{ENVELOPE_PARAM, PRETTY_PARAM};
use crate::error::{ApiErrorBody, Error};
use crate::exchange::CallFailure;
use crate::form::FormField;
use crate::layer::{BoxError, Call, CallResponse};
use crate::multipart::Multipart;
use crate::options::RequestOptions;
use crate::prepared::{Payload, Prepared};
use crate::response::{RawResponse, ResponseValue};
use crate::stream::ByteStream;
use crate::telemetry::{self, CallAttributes, Ending};
use crate::upload::Upload;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tower::ServiceExt;
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
    /// The operation answers with a redirect, which is its result rather than a way to it.
    redirect_is_answer: bool,
    /// A whole URL to send to instead of the client's base URL and the path (a download).
    url: Option<url::Url>,
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
            redirect_is_answer: false,
            url: None,
            options: RequestOptions::default(),
        }
    }

    /// Sends the request to `url` as it is, rather than to the operation's path under the
    /// client's base URL. Errors and logs name its path only: its query may be a signature.
    pub(crate) fn send_to(&mut self, url: url::Url) {
        self.path = url.path().to_owned();
        self.url = Some(url);
    }

    /// Settings for this request only, over the client's.
    pub fn options(&mut self, options: &RequestOptions) {
        self.options = options.clone();
    }

    /// The value as text when it passes the checks the descriptor gives the parameter.
    fn checked(
        &mut self,
        name: &'static str,
        location: ParamIn,
        value: &dyn ParamValue,
    ) -> Option<String> {
        let checked = match self.op.param(name, location) {
            Some(param) => param.check(value),
            None => Ok(()),
        };
        match checked {
            Ok(()) => Some(value.to_param()),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Fills the `{name}` placeholder with the percent-encoded value, once it passed the
    /// parameter's checks.
    pub fn path_param(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        let Some(text) = self.checked(name, ParamIn::Path, &value) else {
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

    /// Adds `name=value` to the query (repeated for each item of an array parameter), once it
    /// passed the parameter's checks.
    pub fn query_param(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        if let Some(text) = self.checked(name, ParamIn::Query, &value) {
            self.query.push((name, text));
        }
    }

    /// Asks Atlas to wrap the answer in an envelope (`envelope=true`), which is then opened
    /// before the answer is read, so the caller sees the same status and body either way.
    pub fn envelope(&mut self, enveloped: bool) {
        self.enveloped = enveloped;
        self.query.push((ENVELOPE_PARAM, enveloped.to_string()));
    }

    /// Marks an operation whose answers are all redirects (the spec declares 3xx answers and no
    /// 2xx one): its 3xx answer is returned as the result, with its `Location` and body, and
    /// not followed. Where the client was built with its own `reqwest::Client`
    /// ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client)), that client's
    /// redirect policy still applies.
    pub fn redirect_is_answer(&mut self) {
        self.redirect_is_answer = true;
    }

    /// Asks Atlas to indent its JSON (`pretty=true`); the decoded answer is the same.
    pub fn pretty(&mut self, pretty: bool) {
        self.query.push((PRETTY_PARAM, pretty.to_string()));
    }

    /// Sends the value as a request header, once it passed the parameter's checks.
    pub fn header_param(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        if let Some(text) = self.checked(name, ParamIn::Header, &value) {
            self.headers.push((name, text));
        }
    }

    /// Checks the number of items of the array parameter `name` in `location`.
    pub fn check_count(&mut self, name: &'static str, location: ParamIn, count: usize) {
        if let Some(Err(problem)) = self.op.param(name, location).map(|p| p.check_count(count)) {
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
    ) -> Result<(Target, CallResponse), Error<E>> {
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
        if let Some(chosen) = accept {
            warn_of_sunset(op, chosen);
        }
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
        let url = match self.url {
            Some(url) => url,
            None => self.client.endpoint(&self.path),
        };
        let mut prepared = Prepared::new(
            op,
            url,
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
            redirect_is_answer: self.redirect_is_answer,
        };
        if let Err(failure) = self.client.permits(op) {
            return Err(Error::from_auth_failure(
                failure,
                op.id,
                method,
                &target.path,
            ));
        }
        let call = Call {
            op,
            api_version: target.version,
            prepared,
            stream_success,
            enveloped: self.enveloped,
            redirect_is_answer: self.redirect_is_answer,
            retry: self.options.retry.take(),
        };
        let span = telemetry::call_span(&CallAttributes::of(&call));
        let answer = self
            .client
            .call_service()
            .oneshot(call)
            .instrument(span.clone())
            .await;
        match answer {
            Ok(answer) => {
                telemetry::record(&span, Ending::Status(answer.status));
                Ok((target, answer))
            }
            Err(error) => {
                let failure = failure(error);
                telemetry::record(&span, Ending::Failed(failure.error_type()));
                Err(call_error(failure, &target))
            }
        }
    }
}

/// A call service's error as the failure it stands for: the runtime's own, a transport error
/// passed up, or a layer's error.
fn failure(error: BoxError) -> CallFailure {
    match error.downcast::<CallFailure>() {
        Ok(failure) => *failure,
        Err(error) => match error.downcast::<reqwest::Error>() {
            Ok(error) => CallFailure::Transport(*error),
            Err(error) => CallFailure::Layer(error),
        },
    }
}

/// The caller's error for a call to `target` that ended with `failure`.
fn call_error<E: ApiErrorBody>(failure: CallFailure, target: &Target) -> Error<E> {
    let (operation, method, path) = (target.operation, target.method, target.path.clone());
    match failure {
        CallFailure::Auth(failure) => Error::from_auth_failure(failure, operation, method, &path),
        CallFailure::TooLarge { status, limit } => Error::BodyTooLarge {
            operation,
            method,
            path,
            status,
            limit,
        },
        CallFailure::Redirect(refused) => Error::RedirectNotFollowed {
            operation,
            method,
            path,
            status: refused.status,
            location: refused.location.into(),
        },
        CallFailure::RetryAfterTooLong {
            status,
            asked,
            allowed,
            body,
        } => Error::RetryAfterTooLong {
            operation,
            method,
            path,
            status,
            asked,
            allowed,
            body: body
                .and_then(|body| serde_json::from_slice::<E>(&body).ok())
                .map(Box::new),
        },
        CallFailure::Transport(source) => Error::Transport {
            operation,
            method,
            path,
            // The URL is in the error's own message already, and its query is the caller's
            // business, not a log's.
            source: source.without_url(),
        },
        CallFailure::Layer(source) => Error::Layer {
            operation,
            method,
            path,
            source,
        },
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

/// Warns, once per operation and version in a process, that the version a request goes out in
/// has a sunset: after that date Atlas may stop serving it, and a pin of a newer version (or
/// a newer crate) is the way out. Once, because a long-running program sends it many times.
fn warn_of_sunset(op: &'static OperationInfo, chosen: &'static MediaVersion) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static WARNED: OnceLock<Mutex<HashSet<(&'static str, &'static str)>>> = OnceLock::new();
    let (Some(sunset), Some(version)) = (chosen.sunset, chosen.version) else {
        return;
    };
    let warned = WARNED.get_or_init(Default::default);
    let first = warned
        .lock()
        .map(|mut seen| seen.insert((op.id, version)))
        .unwrap_or(false);
    if first {
        tracing::warn!(
            operation = op.id,
            version,
            sunset,
            "this API version of the operation has a sunset: Atlas may stop serving it after that date"
        );
    }
}
