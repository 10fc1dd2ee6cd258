//! How much of what a server sends a client accepts: body sizes and pages.

/// How much of what a server sends the client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The most bytes of one response body.
    pub max_body_size: usize,
    /// The most pages one walk over a list fetches.
    pub max_pages: u64,
}

/// A page of 500 items of the largest Atlas list models stays below 2 MiB; 16 MiB leaves room
/// for much larger models while still refusing a runaway answer.
const DEFAULT_MAX_BODY_SIZE: usize = 16 * 1024 * 1024;

/// 10,000 pages of 500 items are five million items, far more than any one project holds.
const DEFAULT_MAX_PAGES: u64 = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}
