//! Reading a spec file's text: `.gz` decompressed, the format told by the name, bytes that are
//! not UTF-8 refused at their line and column.

use super::Format;
use crate::error::{CodegenError, Diagnostic};
use std::io::Read;
use std::path::Path;

/// Reads a spec file's text, decompressing `.gz` files, and tells its format by the name left
/// once `.gz` is taken off (`.json` is JSON, anything else YAML).
pub fn read_text(path: &Path) -> Result<(String, Format), CodegenError> {
    let file = path.display().to_string();
    let read_error = |source| CodegenError::Read {
        file: file.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(read_error)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (bytes, name) = match name.strip_suffix(".gz") {
        Some(inner) => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut out)
                .map_err(read_error)?;
            (out, inner)
        }
        None => (bytes, name),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        // Say where, so the byte can be found and fixed: line and column of the first bad byte.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let mut d = Diagnostic::new(
            &file,
            "",
            format!(
                "not UTF-8 text: byte 0x{:02x} at offset {} is not valid UTF-8; save the spec as UTF-8",
                e.as_bytes()[valid.len()],
                valid.len()
            ),
        );
        d.line = Some(valid.matches('\n').count() + 1);
        d.column = Some(valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1);
        CodegenError::Parse(Box::new(d))
    })?;
    let format = if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    Ok((text, format))
}
