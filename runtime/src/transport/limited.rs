//! Response bodies read whole within a size limit, before more than the limit is buffered.

use bytes::{Bytes, BytesMut};

use super::{HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse};
use crate::ByteStream;

/// Sends `request` through `http` and reads the response body within `limit` bytes: a larger
/// body fails ([`HttpErrorKind::BodyTooLarge`]) as soon as it is known to be larger, unread.
pub async fn send_limited(
    http: &dyn HttpClient,
    request: HttpRequest,
    limit: u64,
) -> Result<HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let streaming = http::Request::from_parts(parts, ByteStream::from(body));
    let (parts, body) = http.send_streaming(streaming).await?.into_parts();
    let body = collect_limited(body, limit).await?;
    Ok(http::Response::from_parts(parts, body))
}

/// Reads a response body whole, failing as soon as it is known to exceed `limit` bytes (from
/// its `Content-Length`, or as it arrives) without reading the rest.
pub async fn collect_limited(mut body: ByteStream, limit: u64) -> Result<Bytes, HttpError> {
    let too_large = |size: u64| {
        HttpError::new(
            HttpErrorKind::BodyTooLarge,
            format!("the response body has {size} bytes or more, over the limit of {limit}"),
        )
    };
    if let Some(length) = body.length().filter(|length| *length > limit) {
        return Err(too_large(length));
    }
    if body.in_memory().is_some() {
        return body.collect().await.map_err(io_failure);
    }
    // The first chunk is kept as it is: a body of one chunk (most responses) is not copied.
    let first = match body.next().await {
        None => return Ok(Bytes::new()),
        Some(chunk) => chunk.map_err(io_failure)?,
    };
    if first.len() as u64 > limit {
        return Err(too_large(first.len() as u64));
    }
    let Some(second) = body.next().await else {
        return Ok(first);
    };
    // Room for the whole body when its length is announced (within the limit), so a large
    // body is copied once instead of at every doubling.
    let announced = body.length().unwrap_or(0).min(limit);
    let mut joined = BytesMut::with_capacity(usize::try_from(announced).unwrap_or(0));
    joined.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let chunk = chunk.map_err(io_failure)?;
        let size = joined.len() as u64 + chunk.len() as u64;
        if size > limit {
            return Err(too_large(size));
        }
        joined.extend_from_slice(&chunk);
        next = body.next().await;
    }
    Ok(joined.freeze())
}

fn io_failure(error: std::io::Error) -> HttpError {
    HttpError::new(HttpErrorKind::Io, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_over_the_limit_is_refused_by_its_announced_length_or_as_it_arrives() {
        let chunks = |count: usize| {
            ByteStream::from_stream(
                futures_util::stream::iter((0..count).map(|_| Ok(Bytes::from(vec![b'x'; 1024])))),
                None,
            )
        };
        let collect = |body| crate::test_runtime::block_on(collect_limited(body, 4096));
        assert_eq!(collect(chunks(4)).unwrap().len(), 4096);
        let error = collect(chunks(1_000_000)).unwrap_err();
        assert_eq!(error.kind(), HttpErrorKind::BodyTooLarge);
        assert!(
            error.to_string().contains("over the limit of 4096"),
            "{error}"
        );
        let announced = ByteStream::from_stream(futures_util::stream::pending(), Some(1 << 30));
        assert!(
            collect(announced).is_err(),
            "refused from Content-Length, nothing read"
        );
    }
}
