//! The hand-written runtime the generated code calls into: operation descriptions, parameter
//! checks, request building and sending, response and error types. Nothing in here is
//! generated; everything under `src/generated/` is.

mod check;
mod error;
mod operation;
mod pages;
mod request;
mod response;

pub use check::{Check, InvalidParameter, ParamValue, Pattern};
pub use error::{ApiErrorBody, Error};
pub use operation::{HttpMethod, MediaVersion, OperationInfo};
pub use pages::{items, pages, Page};
pub use request::Request;
pub use response::{RawResponse, ResponseValue};
