//! Walking a paginated list: `pages()` streams whole pages, `items()` the items in them. Pages
//! are fetched lazily, one at a time, so at most one page is held in memory; the walk stops at
//! `totalCount`, on a short page, or on the first error, after everything fetched before it
//! was delivered.
//!
//! `pages_concurrent()` reads `totalCount` from the first page and then fetches the pages it
//! implies with up to `limit` requests in flight, yielding them in order, so at most `limit`
//! pages are held at once. Without a `totalCount` it walks one page at a time like `pages()`.

use crate::error::{ApiErrorBody, Error};
use crate::response::ResponseValue;
use futures_util::future::{self, Either};
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use std::future::Future;

/// One page of a paginated list response.
pub trait Page {
    type Item;
    /// The items of this page.
    fn items(&self) -> &[Self::Item];
    /// The items, taken out of the page.
    fn into_items(self) -> Vec<Self::Item>;
    /// How many items the whole list has, when the server counted them.
    fn total_count(&self) -> Option<u64>;
}

/// Where the walk stands between two pages.
struct Walk<F> {
    fetch: F,
    next_page: i64,
    page_size: usize,
    /// How far into the whole list the pages so far reach.
    delivered: u64,
    done: bool,
}

/// Streams pages `first_page`, `first_page + 1`, … as `fetch` returns them.
pub fn pages<P, E, F, Fut>(
    first_page: i64,
    page_size: i64,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let first_page = first_page.max(1);
    let page_size = usize::try_from(page_size).unwrap_or(0);
    let walk = Walk {
        fetch,
        next_page: first_page,
        page_size,
        // Pages before the first one count towards the total too.
        delivered: (first_page as u64 - 1) * page_size as u64,
        done: false,
    };
    stream::unfold(walk, |mut walk| async move {
        if walk.done {
            return None;
        }
        let result = (walk.fetch)(walk.next_page).await;
        match &result {
            Ok(page) => {
                let count = page.items().len();
                walk.delivered += count as u64;
                walk.next_page += 1;
                let reached_total = page
                    .total_count()
                    .is_some_and(|total| walk.delivered >= total);
                walk.done = count == 0 || count < walk.page_size || reached_total;
            }
            Err(_) => walk.done = true,
        }
        Some((result, walk))
    })
}

/// Streams pages like [`pages`], but once the first page reports `totalCount` the remaining
/// pages are fetched with up to `limit` (at least 1) requests in flight, still in order. The
/// stream ends after the last page, after a short page, or with the first error, once every
/// page before the failed one was delivered.
pub fn pages_concurrent<P, E, F, Fut>(
    first_page: i64,
    page_size: i64,
    limit: usize,
    mut fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let first_page = first_page.max(1);
    let size = usize::try_from(page_size).unwrap_or(0);
    stream::once(async move {
        let first = fetch(first_page).await;
        let rest = match &first {
            Ok(page) if size > 0 && page.items().len() >= size => {
                match page.total_count().map(|total| last_page(total, page_size)) {
                    Some(last) => Either::Left(concurrent_walk(
                        first_page.saturating_add(1),
                        last,
                        size,
                        limit.max(1),
                        fetch,
                    )),
                    None => Either::Right(pages(first_page.saturating_add(1), page_size, fetch)),
                }
            }
            // An error, or the last page already.
            _ => Either::Left(concurrent_walk(1, 0, size, 1, fetch)),
        };
        stream::once(future::ready(first)).chain(rest)
    })
    .flatten()
}

/// The number of the page holding the last of `total` items.
fn last_page(total: u64, page_size: i64) -> i64 {
    let size = page_size.max(1).unsigned_abs();
    i64::try_from(total.div_ceil(size)).unwrap_or(i64::MAX)
}

/// Fetches pages `from..=to` with up to `limit` requests in flight, in order, ending after a
/// short page or an error.
fn concurrent_walk<P, E, F, Fut>(
    from: i64,
    to: i64,
    size: usize,
    limit: usize,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let fetched = stream::iter(from..=to).map(fetch).buffered(limit);
    // `unfold` rather than `scan`: once done, the pages are not polled, so no further request
    // starts after an error.
    stream::unfold(
        (Box::pin(fetched), false),
        move |(mut fetched, done)| async move {
            if done {
                return None;
            }
            let result = fetched.next().await?;
            let done = match &result {
                Ok(page) => page.items().len() < size,
                Err(_) => true,
            };
            Some((result, (fetched, done)))
        },
    )
}

/// Streams the items of every page, in order.
pub fn items<P, E>(
    pages: impl Stream<Item = Result<ResponseValue<P>, Error<E>>>,
) -> impl Stream<Item = Result<P::Item, Error<E>>>
where
    P: Page,
    E: ApiErrorBody,
{
    pages
        .map_ok(|page| stream::iter(page.into_inner().into_items().into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use std::cell::RefCell;

    struct Numbers {
        items: Vec<u32>,
        total: Option<u64>,
    }

    impl Page for Numbers {
        type Item = u32;
        fn items(&self) -> &[u32] {
            &self.items
        }
        fn into_items(self) -> Vec<u32> {
            self.items
        }
        fn total_count(&self) -> Option<u64> {
            self.total
        }
    }

    /// A list of `len` numbers served `size` at a time; records the pages asked for.
    fn serve<'a>(
        len: u32,
        size: u32,
        total: bool,
        fail_on: Option<i64>,
        asked: &'a RefCell<Vec<i64>>,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<ResponseValue<Numbers>, Error>> + 'a {
        move |page| {
            asked.borrow_mut().push(page);
            if Some(page) == fail_on {
                return std::future::ready(Err(Error::InvalidRequest {
                    operation: "list",
                    problems: Vec::new(),
                }));
            }
            let start = (page as u32 - 1) * size;
            let items = (start..(start + size).min(len)).collect();
            let body = Numbers {
                items,
                total: total.then_some(u64::from(len)),
            };
            std::future::ready(Ok(ResponseValue::new(
                StatusCode::OK,
                HeaderMap::new(),
                body,
            )))
        }
    }

    fn collect<T>(stream: impl Stream<Item = T>) -> Vec<T> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(stream.collect())
    }

    #[test]
    fn stops_at_the_total_without_asking_for_an_empty_page() {
        let asked = RefCell::new(Vec::new());
        let all: Vec<u32> = collect(items(pages(1, 5, serve(10, 5, true, None, &asked))))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(*asked.borrow(), vec![1, 2]);
    }

    #[test]
    fn stops_on_a_short_page_when_there_is_no_total() {
        let asked = RefCell::new(Vec::new());
        let all = collect(items(pages(1, 4, serve(10, 4, false, None, &asked))));
        assert_eq!(all.len(), 10);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn an_exact_multiple_without_total_ends_on_an_empty_page() {
        let asked = RefCell::new(Vec::new());
        let pages_seen = collect(pages(1, 5, serve(10, 5, false, None, &asked)));
        assert_eq!(pages_seen.len(), 3);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn a_failed_page_ends_the_stream_after_the_pages_before_it() {
        let asked = RefCell::new(Vec::new());
        let results = collect(items(pages(1, 3, serve(10, 3, true, Some(3), &asked))));
        let delivered: Vec<u32> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().copied())
            .collect();
        assert_eq!(delivered, vec![0, 1, 2, 3, 4, 5]);
        assert!(results.last().unwrap().is_err());
        assert_eq!(results.len(), 7);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn concurrent_pages_are_the_sequential_pages_in_order() {
        for (len, size, first) in [(10, 3, 1), (9, 3, 1), (10, 5, 2), (1, 5, 1), (0, 5, 1)] {
            let asked = RefCell::new(Vec::new());
            let sequential: Vec<u32> = collect(items(pages(
                first,
                size,
                serve(len, size as u32, true, None, &asked),
            )))
            .into_iter()
            .map(Result::unwrap)
            .collect();
            let sequential_asked = asked.take();
            let concurrent: Vec<u32> = collect(items(pages_concurrent(
                first,
                size,
                4,
                serve(len, size as u32, true, None, &asked),
            )))
            .into_iter()
            .map(Result::unwrap)
            .collect();
            assert_eq!(concurrent, sequential, "{len} items by {size} from {first}");
            assert_eq!(*asked.borrow(), sequential_asked, "{len} by {size}");
        }
    }

    #[test]
    fn without_a_total_the_concurrent_walk_is_sequential() {
        let asked = RefCell::new(Vec::new());
        let all = collect(items(pages_concurrent(
            1,
            4,
            8,
            serve(10, 4, false, None, &asked),
        )));
        assert_eq!(all.len(), 10);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn a_failed_concurrent_page_comes_after_the_pages_before_it() {
        let asked = RefCell::new(Vec::new());
        let results = collect(items(pages_concurrent(
            1,
            3,
            3,
            serve(30, 3, true, Some(3), &asked),
        )));
        let delivered: Vec<u32> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().copied())
            .collect();
        assert_eq!(delivered, vec![0, 1, 2, 3, 4, 5]);
        assert!(results.last().unwrap().is_err());
        assert_eq!(results.len(), 7);
        // Page 3 failed while pages 4 and 5 were already asked for; nothing after them.
        assert_eq!(*asked.borrow(), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn no_more_than_limit_pages_are_in_flight() {
        use std::cell::Cell;
        let in_flight = Cell::new(0usize);
        let most = Cell::new(0usize);
        let fetch = |page: i64| {
            let (in_flight, most) = (&in_flight, &most);
            async move {
                in_flight.set(in_flight.get() + 1);
                most.set(most.get().max(in_flight.get()));
                // Stay unfinished for a moment, as a request on the wire would.
                tokio::task::yield_now().await;
                in_flight.set(in_flight.get() - 1);
                let start = (page as u32 - 1) * 10;
                let body = Numbers {
                    items: (start..(start + 10).min(200)).collect(),
                    total: Some(200),
                };
                Ok::<_, Error>(ResponseValue::new(StatusCode::OK, HeaderMap::new(), body))
            }
        };
        let all = collect(items(pages_concurrent(1, 10, 3, fetch)));
        assert_eq!(all.len(), 200);
        assert_eq!(most.get(), 3);
    }

    #[test]
    fn starts_at_the_requested_page() {
        let asked = RefCell::new(Vec::new());
        let all = collect(items(pages(2, 5, serve(10, 5, true, None, &asked))));
        assert_eq!(all.len(), 5);
        assert_eq!(*asked.borrow(), vec![2]);
    }
}
