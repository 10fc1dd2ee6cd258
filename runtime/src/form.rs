//! Form bodies (`application/x-www-form-urlencoded`): a typed body is written as the pairs of
//! its properties, each in the `style` and `explode` the spec gives in its `encoding` (the
//! default is `form`, exploded: an array repeats its key, `To=a&To=b`, as Twilio expects).
//! Depends on no other runtime module.

use serde_json::Value;

/// How a form property is written: OpenAPI's query styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `key=a&key=b` exploded, `key=a,b` not.
    Form,
    /// `key=a b`.
    SpaceDelimited,
    /// `key=a|b`.
    PipeDelimited,
    /// `key[name]=value` for each property of an object.
    DeepObject,
}

/// A property whose `encoding` the spec gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub name: &'static str,
    /// Its style.
    pub style: FormStyle,
    /// Whether arrays and objects are exploded into one pair per item.
    pub explode: bool,
}

const DEFAULT: FormField = FormField {
    name: "",
    style: FormStyle::Form,
    explode: true,
};

/// The form encoding of `body`, which must serialize to an object; `fields` says how the
/// properties it names are written. Absent (`null`) properties are left out.
pub(crate) fn encode<B: serde::Serialize + ?Sized>(
    body: &B,
    fields: &[FormField],
) -> Result<Vec<u8>, String> {
    let value = serde_json::to_value(body).map_err(|e| e.to_string())?;
    let Value::Object(properties) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &properties {
        let field = fields
            .iter()
            .find(|field| field.name == name)
            .unwrap_or(&DEFAULT);
        for (key, text) in pairs(name, value, field)? {
            form.append_pair(&key, &text);
        }
    }
    Ok(form.finish().into_bytes())
}

/// The pairs one property is written as.
fn pairs(name: &str, value: &Value, field: &FormField) -> Result<Vec<(String, String)>, String> {
    let delimiter = match field.style {
        FormStyle::SpaceDelimited => " ",
        FormStyle::PipeDelimited => "|",
        FormStyle::Form | FormStyle::DeepObject => ",",
    };
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let texts = items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| scalar(name, item))
                .collect::<Result<Vec<_>, _>>()?;
            if field.explode {
                texts.into_iter().map(|t| (name.to_owned(), t)).collect()
            } else if texts.is_empty() {
                Vec::new()
            } else {
                vec![(name.to_owned(), texts.join(delimiter))]
            }
        }
        Value::Object(properties) => {
            let mut entries = Vec::new();
            for (key, item) in properties.iter().filter(|(_, item)| !item.is_null()) {
                entries.push((key.clone(), scalar(name, item)?));
            }
            match (field.style, field.explode) {
                (FormStyle::DeepObject, _) => entries
                    .into_iter()
                    .map(|(key, text)| (format!("{name}[{key}]"), text))
                    .collect(),
                (_, true) => entries,
                (_, false) => {
                    let flat: Vec<String> = entries.into_iter().flat_map(|(k, t)| [k, t]).collect();
                    vec![(name.to_owned(), flat.join(delimiter))]
                }
            }
        }
        scalar_value => vec![(name.to_owned(), scalar(name, scalar_value)?)],
    })
}

/// The text of a string, number or boolean; nested arrays and objects have no form encoding.
fn scalar(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(format!(
            "`{name}` nests arrays or objects, which a form body cannot carry"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(body: Value, fields: &[FormField]) -> String {
        String::from_utf8(encode(&body, fields).unwrap()).unwrap()
    }

    #[test]
    fn arrays_repeat_their_key_by_default() {
        // Keys in alphabetical order, so the order is the same with or without serde_json's
        // `preserve_order`.
        let body =
            json!({"Body": "hi & bye", "N": 3, "On": true, "Skip": null, "To": ["+1", "+2"]});
        assert_eq!(
            form(body, &[]),
            "Body=hi+%26+bye&N=3&On=true&To=%2B1&To=%2B2"
        );
    }

    #[test]
    fn the_spec_encoding_picks_style_and_explode() {
        let fields = [
            FormField {
                name: "csv",
                style: FormStyle::Form,
                explode: false,
            },
            FormField {
                name: "pipes",
                style: FormStyle::PipeDelimited,
                explode: false,
            },
            FormField {
                name: "deep",
                style: FormStyle::DeepObject,
                explode: true,
            },
        ];
        let body = json!({"csv": ["a", "b"], "deep": {"x": 1, "y": "z"}, "pipes": [1, 2]});
        assert_eq!(
            form(body, &fields),
            "csv=a%2Cb&deep%5Bx%5D=1&deep%5By%5D=z&pipes=1%7C2"
        );
        let exploded_object = json!({"color": {"B": 1, "G": 2}});
        assert_eq!(form(exploded_object, &[]), "B=1&G=2");
        let fields = [FormField {
            name: "color",
            style: FormStyle::Form,
            explode: false,
        }];
        let packed_object = json!({"color": {"B": 1, "G": 2}});
        assert_eq!(form(packed_object, &fields), "color=B%2C1%2CG%2C2");
    }

    #[test]
    fn bodies_that_are_no_objects_or_nest_too_deep_are_refused() {
        assert!(encode(&json!([1]), &[]).is_err());
        let nested = encode(&json!({"a": [[1]]}), &[]).unwrap_err();
        assert!(nested.contains("`a`"), "{nested}");
    }
}
