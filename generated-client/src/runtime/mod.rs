//! The hand-written runtime the generated code calls into: operation descriptions, parameter
//! checks, request building and sending, response and error types. Nothing in here is
//! generated; everything under `src/generated/` is.

mod answer;
pub(crate) mod auth;
mod check;
pub(crate) mod de;
mod envelope;
mod error;
mod operation;
mod pages;
mod request;
mod response;
mod retry;

pub use auth::{
    AuthError, AuthKind, AuthScheme, CredentialKind, Credentials, CredentialsError, TokenError,
    ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY, TOKEN_PATH,
};
pub use check::{Check, InvalidParameter, ParamValue, Pattern};
pub use error::{ApiErrorBody, Error};
pub use operation::{HttpMethod, MediaVersion, OperationInfo};
pub use pages::{items, pages, pages_concurrent, Page};
pub use request::Request;
pub use response::{RawResponse, ResponseValue};
pub use retry::RetryPolicy;
