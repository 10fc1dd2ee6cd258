//! `multipart/form-data` bodies: text parts written from typed values and file parts from
//! [`Upload`]s, each with the content type the spec's `encoding` gives. The parts are kept, and
//! a `reqwest` form is built from them for every attempt.

use crate::upload::{SpentStream, Upload};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// The content type of a file part whose upload and spec name none.
const DEFAULT_FILE_TYPE: &str = "application/octet-stream";

/// A multipart body under construction, filled by a generated `send()`.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<PartSpec>,
    /// The first value that could not be written as a part.
    problem: Option<String>,
}

#[derive(Debug, Clone)]
struct PartSpec {
    name: &'static str,
    value: PartValue,
}

#[derive(Debug, Clone)]
enum PartValue {
    Text {
        text: String,
        content_type: Option<&'static str>,
    },
    File {
        upload: Upload,
        content_type: Option<&'static str>,
    },
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds `value` as a text part named `name`: a string as it is, a number or boolean as its
    /// JSON text, an array as one part per item, an object as JSON (`application/json` unless
    /// the spec gives another content type). `null` adds nothing.
    pub fn text<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) {
        match serde_json::to_value(value) {
            Ok(Value::Array(items)) => {
                for item in &items {
                    self.text_value(name, item, content_type);
                }
            }
            Ok(value) => self.text_value(name, &value, content_type),
            Err(error) => self.fail(format!("part `{name}`: {error}")),
        }
    }

    fn text_value(
        &mut self,
        name: &'static str,
        value: &Value,
        content_type: Option<&'static str>,
    ) {
        let (text, content_type) = match value {
            Value::Null => return,
            Value::String(text) => (text.clone(), content_type),
            Value::Bool(_) | Value::Number(_) => (value.to_string(), content_type),
            Value::Array(_) | Value::Object(_) => {
                (value.to_string(), content_type.or(Some("application/json")))
            }
        };
        self.parts.push(PartSpec {
            name,
            value: PartValue::Text { text, content_type },
        });
    }

    /// Adds `upload` as a file part named `name`, with the upload's own content type, else
    /// `content_type` (the spec's), else `application/octet-stream`.
    pub fn file(
        &mut self,
        name: &'static str,
        upload: &Upload,
        content_type: Option<&'static str>,
    ) {
        self.parts.push(PartSpec {
            name,
            value: PartValue::File {
                upload: upload.clone(),
                content_type,
            },
        });
    }

    /// Adds one file part named `name` per upload.
    pub fn files(
        &mut self,
        name: &'static str,
        uploads: &[Upload],
        content_type: Option<&'static str>,
    ) {
        for upload in uploads {
            self.file(name, upload, content_type);
        }
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// The value that could not be written, if any.
    pub(crate) fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Whether every part can be sent again (no part is a stream).
    pub(crate) fn replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.value {
            PartValue::File { upload, .. } => !upload.is_stream(),
            PartValue::Text { .. } => true,
        })
    }

    /// A `reqwest` form of the parts, for one attempt.
    pub(crate) fn to_form(&self) -> Result<Form, FormError> {
        let mut form = Form::new();
        for spec in &self.parts {
            let part = match &spec.value {
                PartValue::Text { text, content_type } => {
                    let part = Part::text(text.clone());
                    match content_type {
                        Some(content_type) => {
                            part.mime_str(content_type)
                                .map_err(|_| FormError::ContentType {
                                    part: spec.name,
                                    content_type: (*content_type).to_owned(),
                                })?
                        }
                        None => part,
                    }
                }
                PartValue::File {
                    upload,
                    content_type,
                } => {
                    let content_type = upload
                        .media_type()
                        .or(*content_type)
                        .unwrap_or(DEFAULT_FILE_TYPE);
                    let mut part = Part::stream(upload.take_body()?)
                        .mime_str(content_type)
                        .map_err(|_| FormError::ContentType {
                            part: spec.name,
                            content_type: content_type.to_owned(),
                        })?;
                    if let Some(file_name) = upload.name() {
                        part = part.file_name(file_name.to_owned());
                    }
                    part
                }
            };
            form = form.part(spec.name, part);
        }
        Ok(form)
    }
}

/// Why a form could not be built for an attempt.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FormError {
    #[error(transparent)]
    Spent(#[from] SpentStream),
    #[error("part `{part}`: `{content_type}` is not a content type")]
    ContentType {
        part: &'static str,
        content_type: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_text_parts_and_problems_are_kept() {
        let mut form = Multipart::new();
        form.text("title", "notes", None);
        form.text("count", &3, None);
        form.text("tags", &["a", "b"], None);
        form.text("meta", &serde_json::json!({"k": 1}), None);
        form.text("absent", &None::<String>, None);
        let texts: Vec<(&str, &str, Option<&str>)> = form
            .parts
            .iter()
            .map(|part| match &part.value {
                PartValue::Text { text, content_type } => (part.name, text.as_str(), *content_type),
                PartValue::File { .. } => unreachable!("only text parts were added"),
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("title", "notes", None),
                ("count", "3", None),
                ("tags", "a", None),
                ("tags", "b", None),
                ("meta", r#"{"k":1}"#, Some("application/json")),
            ]
        );
        assert!(form.problem().is_none());
        assert!(form.replayable());
        assert!(form.to_form().is_ok());
    }

    #[test]
    fn a_streamed_file_makes_the_form_one_shot() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>("abc")]);
        let upload = Upload::stream(reqwest::Body::wrap_stream(chunks)).file_name("a.txt");
        let mut form = Multipart::new();
        form.file("file", &upload, Some("text/plain"));
        assert!(!form.replayable());
        assert!(form.to_form().is_ok());
        assert!(matches!(form.to_form(), Err(FormError::Spent(_))));
    }

    #[test]
    fn a_bad_content_type_is_refused() {
        let mut form = Multipart::new();
        form.file("file", &Upload::bytes("x"), Some("not a type"));
        assert!(matches!(
            form.to_form(),
            Err(FormError::ContentType { part: "file", .. })
        ));
    }
}
