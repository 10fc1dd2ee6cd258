//! Reading a response body with a bound: a server that sends more than the client accepts gets
//! its answer cut off at the limit instead of growing the client's memory. Depends on no other
//! runtime module.

use bytes::{Bytes, BytesMut};

/// The body of `response`, or `None` when it is (or announces to be) longer than `limit` bytes.
///
/// A body that arrives in one chunk is kept as that chunk, without a copy; a longer one is
/// gathered into one buffer sized from `Content-Length` when the server sent it, so pages read
/// side by side (`pages_concurrent`) hold what they received and not twice as much, as a
/// buffer that doubles as it grows would.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Option<Bytes>, reqwest::Error> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Ok(None);
    }
    let Some(first) = response.chunk().await? else {
        return Ok(Some(Bytes::new()));
    };
    if first.len() > limit {
        return Ok(None);
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Some(first));
    };
    let expected = announced
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(first.len() + second.len());
    let mut body = BytesMut::with_capacity(expected.min(limit));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    drop(first);
    while let Some(chunk) = next {
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(Some(body.freeze()))
}
