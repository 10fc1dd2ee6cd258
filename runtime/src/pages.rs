//! Walking a paginated list. The request builder of every list operation implements
//! [`ListRequest`], whose `pages()` streams whole pages and `items()` the items in them. Pages
//! are fetched lazily, one at a time, so at most one page is held in memory; the walk stops at
//! `totalCount`, on a short page, or on the first error, after everything fetched before it
//! was delivered.
//!
//! `pages_concurrent()` reads `totalCount` from the first page and then fetches the pages it
//! implies with up to `limit` requests in flight, yielding them in order, so at most `limit`
//! pages are held at once. Without a `totalCount` it walks one page at a time like `pages()`.
//!
//! A generated builder implements only what is particular to its operation: where its walk
//! starts ([`ListRequest::walk`]) and how to send it for one page number
//! ([`ListRequest::send_page`]); the four walks are written here once.

use crate::client::BaseClient;
use crate::descriptor::OperationInfo;
use crate::error::{ApiErrorBody, Error, PagingProblem};
use crate::response::ResponseValue;
use futures_util::future::{self, Either, FutureExt};
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use std::future::Future;

/// One page of a paginated list response.
pub trait Page {
    /// What the list holds.
    type Item;
    /// The items of this page.
    fn items(&self) -> &[Self::Item];
    /// The items, taken out of the page.
    fn into_items(self) -> Vec<Self::Item>;
    /// How many items the whole list has, when the server counted them.
    fn total_count(&self) -> Option<u64>;
}

/// The request builder of a list operation: besides `send()`, which fetches the one page its
/// parameters name, it walks the whole list, starting at the page set with its page-number
/// setter (default 1) in pages of the size set with its page-size setter (default: the
/// server's). Bring the trait into scope to call these methods; every generated crate
/// re-exports it at its root (`use atlas_snapshots::ListRequest;`).
pub trait ListRequest: Clone + Sized {
    /// The page model `send()` answers with.
    type Page: Page<Item: PartialEq + Clone>;
    /// The API's error body, as in the crate's `Error`.
    type ErrorBody: ApiErrorBody;

    /// Where the walk starts and how far it may go. Generated; not for callers.
    #[doc(hidden)]
    fn walk(&self) -> Walk;

    /// Sends this request for page `page`. Generated; not for callers.
    #[doc(hidden)]
    fn send_page(self, page: i64) -> impl Future<Output = PageResult<Self>>;

    /// Streams every page, from the one the request names on, fetching each when the previous
    /// one was consumed. The stream ends after the last page (by `totalCount`, or a short page)
    /// or after the first error; a server whose pages do not end (a page repeated, more pages
    /// than the first page counted, more than the client's `max_pages`) ends it with
    /// [`Error::Paging`].
    fn pages(
        self,
    ) -> impl Stream<Item = Result<ResponseValue<Self::Page>, Error<Self::ErrorBody>>> {
        let walk = self.walk();
        pages(walk, move |page| self.clone().send_page(page))
    }

    /// Streams the items of every page, in order; see [`ListRequest::pages`].
    fn items(
        self,
    ) -> impl Stream<Item = Result<<Self::Page as Page>::Item, Error<Self::ErrorBody>>> {
        items(self.pages())
    }

    /// Streams every page like [`ListRequest::pages`], but once the first page reports
    /// `totalCount`, fetches the remaining pages with up to `limit` requests in flight (at least
    /// 1). Pages still arrive in order, and at most `limit` of them are held at once. Without a
    /// `totalCount` in the first page, the pages are fetched one at a time. An error ends the
    /// stream after every page before it.
    fn pages_concurrent(
        self,
        limit: usize,
    ) -> impl Stream<Item = Result<ResponseValue<Self::Page>, Error<Self::ErrorBody>>> {
        let walk = self.walk();
        pages_concurrent(walk, limit, move |page| self.clone().send_page(page))
    }

    /// Streams the items of every page, in order, fetching up to `limit` pages at once; see
    /// [`ListRequest::pages_concurrent`].
    fn items_concurrent(
        self,
        limit: usize,
    ) -> impl Stream<Item = Result<<Self::Page as Page>::Item, Error<Self::ErrorBody>>> {
        items(self.pages_concurrent(limit))
    }
}

/// What sending a list request for one page gives: the page, or the error that stops the walk.
pub type PageResult<L> =
    Result<ResponseValue<<L as ListRequest>::Page>, Error<<L as ListRequest>::ErrorBody>>;

/// Where a walk over a list starts, and how far it may go.
#[derive(Debug, Clone, Copy)]
pub struct Walk {
    operation: &'static str,
    first_page: i64,
    page_size: i64,
    max_pages: u64,
}

impl Walk {
    /// A walk of `op` with `client`'s page cap, from `first_page` (at least 1) in pages of
    /// `page_size` items.
    pub fn new(
        client: &BaseClient,
        op: &'static OperationInfo,
        first_page: i64,
        page_size: i64,
    ) -> Self {
        Walk {
            operation: op.id,
            first_page: first_page.max(1),
            page_size,
            max_pages: client.limits().max_pages,
        }
    }

    fn size(&self) -> usize {
        usize::try_from(self.page_size).unwrap_or(0)
    }

    fn stop<E: ApiErrorBody>(&self, page: i64, problem: PagingProblem) -> Error<E> {
        Error::Paging {
            operation: self.operation,
            page,
            problem,
        }
    }

    /// The last page number the cap allows.
    fn capped_last(&self) -> i64 {
        let pages = i64::try_from(self.max_pages).unwrap_or(i64::MAX);
        self.first_page.saturating_add(pages - 1)
    }
}

/// What the walk remembers of the pages so far, to tell a server whose pages never end: the
/// ends of the last page (a server that ignores the page number sends the same page again) and
/// the last page the first page's count allows.
struct Guard<T> {
    previous: Option<(usize, Option<T>, Option<T>)>,
    counted_last: Option<i64>,
}

impl<T: PartialEq + Clone> Guard<T> {
    fn new() -> Self {
        Guard {
            previous: None,
            counted_last: None,
        }
    }

    /// Checks page number `number`, the next in order.
    fn check<P: Page<Item = T>>(
        &mut self,
        walk: &Walk,
        number: i64,
        page: &P,
    ) -> Result<(), PagingProblem> {
        let items = page.items();
        if items.is_empty() {
            return Ok(());
        }
        let ends = (items.len(), items.first().cloned(), items.last().cloned());
        if self.previous.as_ref() == Some(&ends) {
            return Err(PagingProblem::Repeated);
        }
        self.previous = Some(ends);
        match self.counted_last {
            Some(last) if number > last => {
                let pages = u64::try_from(last - walk.first_page + 1).unwrap_or(0);
                return Err(PagingProblem::MoreThanCounted { pages });
            }
            Some(_) => {}
            None => {
                self.counted_last = page
                    .total_count()
                    .map(|total| last_page(total, walk.page_size).max(number));
            }
        }
        Ok(())
    }
}

/// Where the walk stands between two pages.
struct State<F, T> {
    walk: Walk,
    fetch: F,
    next_page: i64,
    /// How far into the whole list the pages so far reach.
    delivered: u64,
    guard: Guard<T>,
    done: bool,
}

/// Streams pages `first_page`, `first_page + 1`, … as `fetch` returns them. The walk ends at
/// `totalCount`, on a short page, or on the first error; it stops with [`Error::Paging`] when a
/// page repeats the one before, goes past the first page's count, or passes the page cap.
pub fn pages<P, E, F, Fut>(
    walk: Walk,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    P::Item: PartialEq + Clone,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    sequential_walk(walk, Guard::new(), fetch)
}

/// [`pages`], continuing after pages `guard` has seen.
fn sequential_walk<P, E, F, Fut>(
    walk: Walk,
    guard: Guard<P::Item>,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    P::Item: PartialEq + Clone,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let state = State {
        walk,
        fetch,
        next_page: walk.first_page,
        // Pages before the first one count towards the total too.
        delivered: (walk.first_page as u64 - 1) * walk.size() as u64,
        guard,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let number = state.next_page;
        if number > state.walk.capped_last() {
            state.done = true;
            let cap = PagingProblem::Cap {
                pages: state.walk.max_pages,
            };
            return Some((Err(state.walk.stop(number, cap)), state));
        }
        let mut result = (state.fetch)(number).await;
        match &result {
            Ok(page) => match state.guard.check(&state.walk, number, &**page) {
                Ok(()) => {
                    let count = page.items().len();
                    state.delivered += count as u64;
                    state.next_page += 1;
                    let reached_total = page
                        .total_count()
                        .is_some_and(|total| state.delivered >= total);
                    state.done = count == 0 || count < state.walk.size() || reached_total;
                }
                Err(problem) => {
                    state.done = true;
                    result = Err(state.walk.stop(number, problem));
                }
            },
            Err(_) => state.done = true,
        }
        Some((result, state))
    })
}

/// Streams pages like [`pages`], but once the first page reports `totalCount` the remaining
/// pages are fetched with up to `limit` (at least 1) requests in flight, still in order. The
/// stream ends after the last page, after a short page, or with the first error, once every
/// page before the failed one was delivered.
pub fn pages_concurrent<P, E, F, Fut>(
    walk: Walk,
    limit: usize,
    mut fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    P::Item: PartialEq + Clone,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let size = walk.size();
    stream::once(async move {
        let first = fetch(walk.first_page).await;
        let next = walk.first_page.saturating_add(1);
        let rest = match &first {
            Ok(page) if size > 0 && page.items().len() >= size => {
                // The first page is checked here so that the next can be compared with it.
                let mut guard = Guard::new();
                let _ = guard.check(&walk, walk.first_page, &**page);
                match page
                    .total_count()
                    .map(|total| last_page(total, walk.page_size))
                {
                    Some(last) => Either::Left(concurrent_walk(
                        walk,
                        next,
                        last,
                        limit.max(1),
                        guard,
                        fetch,
                    )),
                    None => Either::Right(sequential_walk(
                        Walk {
                            first_page: next,
                            max_pages: walk.max_pages.saturating_sub(1).max(1),
                            ..walk
                        },
                        guard,
                        fetch,
                    )),
                }
            }
            // An error, or the last page already.
            _ => Either::Left(concurrent_walk(walk, 1, 0, 1, Guard::new(), fetch)),
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
/// short page or an error; pages past the cap are not asked for, and the walk stops there with
/// an error.
fn concurrent_walk<P, E, F, Fut>(
    walk: Walk,
    from: i64,
    to: i64,
    limit: usize,
    guard: Guard<P::Item>,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>>
where
    P: Page,
    P::Item: PartialEq + Clone,
    E: ApiErrorBody,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>>,
{
    let capped = to.min(walk.capped_last());
    let mut fetch = fetch;
    let fetched = stream::iter(from..=capped)
        .map(move |number| fetch(number).map(move |result| (number, result)))
        .buffered(limit);
    let beyond_cap = (to > capped).then_some(capped.saturating_add(1));
    // `unfold` rather than `scan`: once done, the pages are not polled, so no further request
    // starts after an error.
    stream::unfold(
        (Box::pin(fetched), guard, false),
        move |(mut fetched, mut guard, done)| async move {
            if done {
                return None;
            }
            let Some((number, mut result)) = fetched.next().await else {
                let number = beyond_cap?;
                let cap = PagingProblem::Cap {
                    pages: walk.max_pages,
                };
                return Some((Err(walk.stop(number, cap)), (fetched, guard, true)));
            };
            let done = match &result {
                Ok(page) => match guard.check(&walk, number, &**page) {
                    Ok(()) => page.items().len() < walk.size(),
                    Err(problem) => {
                        result = Err(walk.stop(number, problem));
                        true
                    }
                },
                Err(_) => true,
            };
            Some((result, (fetched, guard, done)))
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

    fn walk(first_page: i64, page_size: i64) -> Walk {
        Walk {
            operation: "list",
            first_page: first_page.max(1),
            page_size,
            max_pages: 1000,
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
        let all: Vec<u32> = collect(items(pages(walk(1, 5), serve(10, 5, true, None, &asked))))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(*asked.borrow(), vec![1, 2]);
    }

    #[test]
    fn stops_on_a_short_page_when_there_is_no_total() {
        let asked = RefCell::new(Vec::new());
        let all = collect(items(pages(walk(1, 4), serve(10, 4, false, None, &asked))));
        assert_eq!(all.len(), 10);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn an_exact_multiple_without_total_ends_on_an_empty_page() {
        let asked = RefCell::new(Vec::new());
        let pages_seen = collect(pages(walk(1, 5), serve(10, 5, false, None, &asked)));
        assert_eq!(pages_seen.len(), 3);
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
    }

    #[test]
    fn a_failed_page_ends_the_stream_after_the_pages_before_it() {
        let asked = RefCell::new(Vec::new());
        let results = collect(items(pages(
            walk(1, 3),
            serve(10, 3, true, Some(3), &asked),
        )));
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
                walk(first, size),
                serve(len, size as u32, true, None, &asked),
            )))
            .into_iter()
            .map(Result::unwrap)
            .collect();
            let sequential_asked = asked.take();
            let concurrent: Vec<u32> = collect(items(pages_concurrent(
                walk(first, size),
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
            walk(1, 4),
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
            walk(1, 3),
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
        let all = collect(items(pages_concurrent(walk(1, 10), 3, fetch)));
        assert_eq!(all.len(), 200);
        assert_eq!(most.get(), 3);
    }

    #[test]
    fn starts_at_the_requested_page() {
        let asked = RefCell::new(Vec::new());
        let all = collect(items(pages(walk(2, 5), serve(10, 5, true, None, &asked))));
        assert_eq!(all.len(), 5);
        assert_eq!(*asked.borrow(), vec![2]);
    }

    /// A server that answers every page number with the first page.
    fn ignoring_page_numbers(
        asked: &RefCell<Vec<i64>>,
        total: Option<u64>,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<ResponseValue<Numbers>, Error>> + '_ {
        move |page| {
            asked.borrow_mut().push(page);
            let body = Numbers {
                items: (0..5).collect(),
                total,
            };
            std::future::ready(Ok(ResponseValue::new(
                StatusCode::OK,
                HeaderMap::new(),
                body,
            )))
        }
    }

    fn problem(result: &Result<ResponseValue<Numbers>, Error>) -> Option<(i64, PagingProblem)> {
        match result {
            Err(Error::Paging { page, problem, .. }) => Some((*page, problem.clone())),
            _ => None,
        }
    }

    #[test]
    fn a_repeated_page_stops_the_walk_after_the_first() {
        for total in [None, Some(1_000_000)] {
            let asked = RefCell::new(Vec::new());
            let results = collect(pages(walk(1, 5), ignoring_page_numbers(&asked, total)));
            assert_eq!(results.len(), 2, "{total:?}");
            assert!(results[0].is_ok());
            assert_eq!(problem(&results[1]), Some((2, PagingProblem::Repeated)));
            let asked_concurrently = RefCell::new(Vec::new());
            let results = collect(pages_concurrent(
                walk(1, 5),
                4,
                ignoring_page_numbers(&asked_concurrently, total),
            ));
            assert!(results[0].is_ok());
            assert_eq!(problem(&results[1]), Some((2, PagingProblem::Repeated)));
            assert_eq!(results.len(), 2);
        }
    }

    /// A server whose count grows with every page it serves.
    fn growing_count(
        asked: &RefCell<Vec<i64>>,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<ResponseValue<Numbers>, Error>> + '_ {
        move |page| {
            asked.borrow_mut().push(page);
            let start = (page as u32 - 1) * 5;
            let body = Numbers {
                items: (start..start + 5).collect(),
                total: Some(u64::from(start) + 10),
            };
            std::future::ready(Ok(ResponseValue::new(
                StatusCode::OK,
                HeaderMap::new(),
                body,
            )))
        }
    }

    #[test]
    fn pages_beyond_the_first_pages_count_stop_the_walk() {
        let asked = RefCell::new(Vec::new());
        let results = collect(pages(walk(1, 5), growing_count(&asked)));
        // The first page counts 10 items: two pages. The third is one too many.
        assert!(results[..2].iter().all(Result::is_ok));
        assert_eq!(
            problem(&results[2]),
            Some((3, PagingProblem::MoreThanCounted { pages: 2 }))
        );
        assert_eq!(results.len(), 3);
    }

    /// Full pages of fresh numbers for every page number, claiming `total` items.
    fn never_ending(
        total: Option<u64>,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<ResponseValue<Numbers>, Error>> {
        move |page| {
            let start = (page as u32 - 1) * 5;
            let body = Numbers {
                items: (start..start + 5).collect(),
                total,
            };
            std::future::ready(Ok(ResponseValue::new(
                StatusCode::OK,
                HeaderMap::new(),
                body,
            )))
        }
    }

    #[test]
    fn the_page_cap_stops_endless_lists_before_asking_for_more() {
        let endless = never_ending(None);
        let capped = Walk {
            max_pages: 3,
            ..walk(1, 5)
        };
        let results = collect(pages(capped, endless));
        assert_eq!(results.len(), 4);
        assert_eq!(
            problem(&results[3]),
            Some((4, PagingProblem::Cap { pages: 3 }))
        );
        let counted = never_ending(Some(1_000_000));
        let results = collect(pages_concurrent(capped, 8, counted));
        assert_eq!(results.len(), 4, "three pages, then the cap");
        assert!(results[..3].iter().all(Result::is_ok));
        assert_eq!(
            problem(&results[3]),
            Some((4, PagingProblem::Cap { pages: 3 }))
        );
    }
}
