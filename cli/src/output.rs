//! `--output json|table|csv|jsonpath=EXPR`: an answer as pretty JSON, as an aligned table, as
//! CSV, or as the values a JSONPath expression selects. A list (a page's `results`, or the items
//! of `--all`) is one row per item with a column per top-level field; a single resource is a
//! table of fields and values, or one CSV row.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// Pretty-printed JSON, as Atlas sends it (the default when stdout is not a terminal).
    Json,
    /// Aligned columns (the default on a terminal).
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// The values an RFC 9535 JSONPath expression selects, one per line: strings as they are,
    /// anything else as compact JSON, for scripts (`-o jsonpath='$.results[*].id'`).
    JsonPath(JsonPath),
}

/// The names `--output` takes, for its help and its errors.
pub const FORMATS: &str = "json, table, csv or jsonpath=EXPR";

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "json" => Ok(Format::Json),
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            _ => match text.strip_prefix("jsonpath=") {
                Some(expression) => JsonPath::parse(expression)
                    .map(Format::JsonPath)
                    .map_err(|e| format!("`{expression}` is not a JSONPath expression: {e}")),
                None => Err(format!("`{text}` is not an output format; use {FORMATS}")),
            },
        }
    }
}

/// Fields left out of tables and CSV: links back to the API, not data.
const SKIPPED: &[&str] = &["links"];

/// The widest a table cell gets before it is cut.
const CELL_WIDTH: usize = 48;

pub fn render(format: &Format, value: &Value) -> String {
    match format {
        Format::JsonPath(path) => path
            .query(value)
            .all()
            .into_iter()
            .map(|selected| match selected {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => serde_json::to_string_pretty(value).unwrap_or_default(),
        Format::Table => match rows(value) {
            Some(rows) => {
                let (columns, cells) = grid(&rows);
                table(&columns, &cells)
            }
            None => match value {
                Value::Object(fields) => {
                    let cells: Vec<Vec<String>> = fields
                        .iter()
                        .filter(|(k, _)| !SKIPPED.contains(&k.as_str()))
                        .map(|(k, v)| vec![k.clone(), cell(v)])
                        .collect();
                    table(&["FIELD".to_owned(), "VALUE".to_owned()], &cells)
                }
                other => cell(other),
            },
        },
        Format::Csv => {
            let rows = rows(value).unwrap_or_else(|| match value {
                Value::Object(fields) => vec![fields],
                _ => Vec::new(),
            });
            let (columns, cells) = grid(&rows);
            let mut out = String::new();
            for line in std::iter::once(&columns).chain(cells.iter()) {
                let line: Vec<String> = line.iter().map(|c| csv_field(c)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out.trim_end_matches('\n').to_owned()
        }
    }
}

/// The rows of a list: an array of objects, or a page's `results`.
fn rows(value: &Value) -> Option<Vec<&Map<String, Value>>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(fields) => match fields.get("results") {
            Some(Value::Array(items)) => items,
            _ => return None,
        },
        _ => return None,
    };
    Some(items.iter().filter_map(Value::as_object).collect())
}

/// Column names, `id` first and then by name (the order the fields come in), and each row's
/// cells under them.
fn grid(rows: &[&Map<String, Value>]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = Vec::new();
    if rows.iter().any(|row| row.contains_key("id")) {
        columns.push("id".to_owned());
    }
    for row in rows {
        for key in row.keys() {
            if !SKIPPED.contains(&key.as_str()) && !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let cells = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| row.get(c).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    (columns, cells)
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn table(columns: &[String], rows: &[Vec<String>]) -> String {
    let cut = |text: &str| {
        if text.chars().count() > CELL_WIDTH {
            let mut short: String = text.chars().take(CELL_WIDTH - 1).collect();
            short.push('…');
            short
        } else {
            text.to_owned()
        }
    };
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| cut(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(&header)];
    out.extend(rows.iter().map(|row| line(row)));
    out.join("\n")
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
