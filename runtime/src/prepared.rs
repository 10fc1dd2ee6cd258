//! A request ready to go out (method, URL with its query, headers, body), kept whole between
//! attempts so each one sends a fresh `reqwest` request built from it.

use crate::check::InvalidParameter;
use crate::descriptor::OperationInfo;
use crate::error::{ApiErrorBody, Error};
use crate::multipart::Multipart;
use crate::options::RequestOptions;
use crate::upload::Upload;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};

/// A request ready to go out: method, URL with its query, headers and body bytes. Kept whole
/// so each attempt can build a fresh `reqwest` request from it.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub method: reqwest::Method,
    pub url: url::Url,
    pub headers: HeaderMap,
    pub body: Option<Payload>,
    pub timeout: Option<std::time::Duration>,
}

/// A request body as the runtime keeps it between attempts.
#[derive(Debug)]
pub(crate) enum Payload {
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
    pub fn customize<E: ApiErrorBody>(
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

    pub fn new<E: ApiErrorBody>(
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
    pub fn replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Payload::replayable)
    }

    /// A new `reqwest` request of these parts, without credentials.
    pub fn to_request(&self, http: &reqwest::Client) -> reqwest::RequestBuilder {
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
