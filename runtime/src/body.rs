//! Reading a response body with a bound: a server that sends more than the client accepts gets
//! its answer cut off at the limit instead of growing the client's memory. Depends on no other
//! runtime module.

use bytes::{Bytes, BytesMut};

/// The body of `response`, or `None` when it is (or announces to be) longer than `limit` bytes.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Option<Bytes>, reqwest::Error> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if response
        .content_length()
        .is_some_and(|length| length > limit_u64)
    {
        return Ok(None);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}
