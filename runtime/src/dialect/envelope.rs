//! Atlas's `envelope=true` answers. For clients that cannot read the status line, Atlas then
//! answers 200 and puts the real status in the body: `{"status": 404, "content": {...}}`, or,
//! for list operations, a `status` field next to `results` in the list object itself. Opening
//! the envelope gives back the status and body the server would have sent without it, so the
//! rest of the runtime decodes and classifies them as usual.

use bytes::Bytes;
use reqwest::StatusCode;
use serde_json::{Map, Value};

/// The status and body inside an enveloped answer, or `None` when the body is not an
/// envelope (then it is taken as it is).
pub(crate) fn open(status: StatusCode, body: &[u8]) -> Option<(StatusCode, Bytes)> {
    if status != StatusCode::OK {
        return None;
    }
    let mut object: Map<String, Value> = serde_json::from_slice(body).ok()?;
    let inner = object
        .get("status")?
        .as_u64()
        .and_then(|code| u16::try_from(code).ok())
        .and_then(|code| StatusCode::from_u16(code).ok())?;
    let content = match object.remove("content") {
        Some(Value::Null) => return Some((inner, Bytes::new())),
        Some(content) => content,
        // A list object is its own envelope: without the added field it is the list.
        None => {
            object.remove("status");
            Value::Object(object)
        }
    };
    let bytes = serde_json::to_vec(&content).ok()?;
    Some((inner, Bytes::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn open_json(status: u16, body: &Value) -> Option<(u16, Value)> {
        let bytes = serde_json::to_vec(body).unwrap();
        let (status, inner) = open(StatusCode::from_u16(status).unwrap(), &bytes)?;
        let inner = if inner.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&inner).unwrap()
        };
        Some((status.as_u16(), inner))
    }

    #[test]
    fn takes_the_content_and_status_out_of_an_envelope() {
        let snapshot = json!({"id": "a1", "status": "COMPLETED"});
        assert_eq!(
            open_json(200, &json!({"status": 200, "content": snapshot})),
            Some((200, snapshot))
        );
        let error = json!({"error": 404, "errorCode": "RESOURCE_NOT_FOUND"});
        assert_eq!(
            open_json(200, &json!({"status": 404, "content": error})),
            Some((404, error))
        );
        assert_eq!(
            open_json(200, &json!({"status": 204, "content": null})),
            Some((204, Value::Null))
        );
    }

    #[test]
    fn a_list_object_loses_only_its_status_field() {
        let page =
            json!({"status": 200, "results": [{"id": "a1", "status": "QUEUED"}], "totalCount": 1});
        assert_eq!(
            open_json(200, &page),
            Some((
                200,
                json!({"results": [{"id": "a1", "status": "QUEUED"}], "totalCount": 1})
            ))
        );
    }

    #[test]
    fn anything_else_is_not_an_envelope() {
        assert_eq!(open_json(200, &json!({"results": []})), None);
        assert_eq!(open_json(200, &json!({"status": "COMPLETED"})), None);
        assert_eq!(open_json(200, &json!({"status": 7})), None);
        assert_eq!(open_json(200, &json!([1, 2])), None);
        assert_eq!(
            open_json(500, &json!({"status": 200, "content": {}})),
            None,
            "only a 200 carries an envelope"
        );
        assert_eq!(open(StatusCode::OK, b"{\"status\": 200, "), None);
    }
}
