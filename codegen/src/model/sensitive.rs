//! Which properties hold secrets, so that a generated model's `Debug` shows `<redacted>` in
//! their place (the wire format is unchanged). A property is a secret when its schema, or the
//! schema its `$ref` names, says `format: password` or `x-sensitive: true`, or is `writeOnly`
//! and the property's name says secret ([`SECRET_NAME_PARTS`]). A name alone is not enough:
//! a `token` the server returns is often an id or a page cursor, not a credential; a write-only
//! property with such a name is what a caller sends to be stored, such as a password.

use openapiv3::{Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// The extension that marks a property as secret where no `format` says so.
pub const SENSITIVE_EXTENSION: &str = "x-sensitive";

/// Parts of a write-only property's name that make it a secret, matched in the name in lower
/// case with `_` and `-` removed (`privateKey`, `private_key` and `PRIVATE-KEY` all hold
/// `privatekey`).
pub const SECRET_NAME_PARTS: &[&str] = &[
    "password",
    "secret",
    "token",
    "privatekey",
    "apikey",
    "accesskey",
    "credential",
];

/// Whether the property `name`, of `schema` (resolved when it is a `$ref`; `None` when it
/// cannot be), holds a secret.
pub fn is_sensitive(name: &str, schema: Option<&Schema>) -> bool {
    let Some(schema) = schema else {
        return false;
    };
    let data = &schema.schema_data;
    let password = matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s))
            if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
    );
    let marked = data.extensions.get(SENSITIVE_EXTENSION) == Some(&serde_json::Value::Bool(true));
    password || marked || (data.write_only && secret_name(name))
}

/// Whether a property name says it holds a secret.
fn secret_name(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAME_PARTS.iter().any(|part| folded.contains(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "dbPassword",
            "clientSecret",
            "client_secret",
            "accessToken",
            "privateKey",
            "PRIVATE-KEY",
            "private_key",
            "apiKey",
            "X-API-KEY",
            "accessKeyId",
            "awsAccessKey",
            "credentials",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in ["snapshotId", "keyName", "private", "access", "name", "api"] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn what_makes_a_property_secret() {
        let cases = [
            ("pin", "{type: string, format: password}", true),
            ("pin", "{type: string, x-sensitive: true}", true),
            ("pin", "{type: object, x-sensitive: true}", true),
            ("pin", "{type: string, x-sensitive: false}", false),
            ("pin", "{type: string, x-sensitive: 'yes'}", false),
            ("password", "{type: string, writeOnly: true}", true),
            ("password", "{type: string}", false),
            ("token", "{type: string, readOnly: true}", false),
            ("snapshotId", "{type: string, writeOnly: true}", false),
            ("pin", "{type: string, format: byte}", false),
        ];
        for (name, yaml, secret) in cases {
            assert_eq!(
                is_sensitive(name, Some(&schema(yaml))),
                secret,
                "{name}: {yaml}"
            );
        }
        assert!(!is_sensitive("password", None));
    }
}
