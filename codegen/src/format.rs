//! Format: generated tokens → Rust source with `prettyplease`, in process. Parsing with `syn`
//! first means invalid output is caught here, at generation time, and the formatting does not
//! depend on which `rustfmt` happens to be installed.

use crate::error::CodegenError;
use proc_macro2::TokenStream;

/// Parses the tokens of one file.
pub fn parse_file(path: &str, tokens: TokenStream) -> Result<syn::File, CodegenError> {
    syn::parse2(tokens).map_err(|e| CodegenError::Format {
        file: path.to_owned(),
        message: e.to_string(),
    })
}

/// Formats a parsed file.
pub fn format_file(file: &syn::File) -> String {
    prettyplease::unparse(file)
}
