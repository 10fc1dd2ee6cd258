//! `envelope=true`, as Atlas answers it (see the spec's `envelope` parameter): the status line
//! always says 200 and the real status moves into the body. A list object is its own
//! envelope and gains a `status` field next to `results`; any other body, errors included,
//! becomes the `content` of `{"status": <status>, "content": <body>}`.

use axum::body::Body;
use axum::http::header::CONTENT_LENGTH;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

/// Whether the request asked for an envelope (`envelope=true` in its query).
pub fn requested(uri: &Uri) -> bool {
    uri.query().is_some_and(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .any(|(name, value)| name == "envelope" && value == "true")
    })
}

/// The body of an answer with `status`, in its envelope.
pub fn wrap(status: StatusCode, body: &[u8], is_list: bool) -> Value {
    let content: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
    };
    match content {
        Value::Object(mut list)
            if is_list && status.is_success() && list.contains_key("results") =>
        {
            list.insert("status".to_owned(), Value::from(status.as_u16()));
            Value::Object(list)
        }
        content => json!({"status": status.as_u16(), "content": content}),
    }
}

/// The response in its envelope: 200, same headers, the enveloped body.
pub async fn enclose(response: Response, is_list: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let wrapped = wrap(parts.status, &bytes, is_list);
    parts.status = StatusCode::OK;
    parts.headers.remove(CONTENT_LENGTH);
    let text = serde_json::to_vec(&wrapped).expect("a JSON value always serializes");
    Response::from_parts(parts, Body::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_gain_a_status_and_everything_else_is_wrapped() {
        let page = json!({"results": [], "totalCount": 0});
        let wrapped = wrap(StatusCode::OK, page.to_string().as_bytes(), true);
        assert_eq!(
            wrapped,
            json!({"results": [], "totalCount": 0, "status": 200})
        );
        let item = json!({"id": "x", "status": "COMPLETED"});
        let wrapped = wrap(StatusCode::OK, item.to_string().as_bytes(), false);
        assert_eq!(wrapped, json!({"status": 200, "content": item}));
        let error = json!({"error": 404, "errorCode": "RESOURCE_NOT_FOUND"});
        let wrapped = wrap(StatusCode::NOT_FOUND, error.to_string().as_bytes(), true);
        assert_eq!(wrapped, json!({"status": 404, "content": error}));
        assert_eq!(
            wrap(StatusCode::NO_CONTENT, b"", false),
            json!({"status": 204, "content": null})
        );
    }

    #[test]
    fn only_envelope_true_asks_for_one() {
        let ask = |uri: &str| requested(&uri.parse().unwrap());
        assert!(ask("/a?pageNum=2&envelope=true"));
        assert!(!ask("/a?envelope=false"));
        assert!(!ask("/a?envelopes=true"));
        assert!(!ask("/a"));
    }
}
