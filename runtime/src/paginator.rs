//! Paging through `@paginated` operations as a stream. A next token that is empty, missing or
//! one already sent in this stream (the last one or any before it) ends the stream, so a
//! paginator can never loop forever, even on a cycle of tokens.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

/// The stream a generated paginator returns: pages, or the items of every page.
pub type BoxStream<T, E> = std::pin::Pin<Box<dyn Stream<Item = Result<T, E>> + Send>>;

/// The pages of an operation: `fetch` sends an input, `next_token` reads the token of a page,
/// `with_token` makes the input of the next page.
pub fn pages<I, O, E, F, Fut>(
    input: I,
    fetch: F,
    next_token: fn(&O) -> Option<&str>,
    with_token: fn(I, String) -> I,
) -> impl Stream<Item = Result<O, E>>
where
    I: Clone,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let state = (Some(input), HashSet::<String>::new(), fetch);
    stream::unfold(state, move |(input, mut sent, fetch)| async move {
        let input = input?;
        let result = fetch(input.clone()).await;
        let next = match &result {
            Ok(page) => next_token(page)
                .filter(|token| !token.is_empty() && !sent.contains(*token))
                .map(str::to_owned),
            Err(_) => None,
        };
        let next_input = next.map(|token| {
            sent.insert(token.clone());
            with_token(input, token)
        });
        Some((result, (next_input, sent, fetch)))
    })
}

/// The items of every page, in order; an error ends the stream after it is yielded.
pub fn items<O, T, E>(
    pages: impl Stream<Item = Result<O, E>>,
    items_of: fn(O) -> Vec<T>,
) -> impl Stream<Item = Result<T, E>> {
    pages.flat_map(move |page| {
        let batch: Vec<Result<T, E>> = match page {
            Ok(page) => items_of(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(batch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Input(Option<String>);

    fn next_token(page: &(Vec<u32>, Option<String>)) -> Option<&str> {
        page.1.as_deref()
    }

    #[tokio::test]
    async fn follows_tokens_and_stops_on_a_repeat() {
        // Pages: start -> "a" -> "b" -> "b" again: the repeat ends the stream.
        let fetch = |input: Input| async move {
            Ok::<_, ()>(match input.0.as_deref() {
                None => (vec![1, 2], Some("a".to_owned())),
                Some("a") => (vec![3], Some("b".to_owned())),
                _ => (vec![4], Some("b".to_owned())),
            })
        };
        let all: Vec<_> = items(
            pages(Input(None), fetch, next_token, |_, token| {
                Input(Some(token))
            }),
            |page| page.0,
        )
        .collect()
        .await;
        assert_eq!(all, [Ok(1), Ok(2), Ok(3), Ok(4)]);
    }

    #[tokio::test]
    async fn a_cycle_of_tokens_ends_the_stream() {
        // Pages: start -> "a" -> "b" -> "a" again: a token sent before ends the stream.
        let fetch = |input: Input| async move {
            Ok::<_, ()>(match input.0.as_deref() {
                None => (vec![1], Some("a".to_owned())),
                Some("a") => (vec![2], Some("b".to_owned())),
                _ => (vec![3], Some("a".to_owned())),
            })
        };
        let all: Vec<_> = items(
            pages(Input(None), fetch, next_token, |_, token| {
                Input(Some(token))
            }),
            |page| page.0,
        )
        .take(10)
        .collect()
        .await;
        assert_eq!(all, [Ok(1), Ok(2), Ok(3)]);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let fetch = |_: Input| async { Err::<(Vec<u32>, Option<String>), _>("boom") };
        let all: Vec<_> = pages(Input(None), fetch, next_token, |_, token| {
            Input(Some(token))
        })
        .collect()
        .await;
        assert_eq!(all, [Err("boom")]);
    }
}
