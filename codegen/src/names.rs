//! Rust names for spec names: one place for Unicode normalization (NFKC), case conversion (over
//! `heck`), Rust keywords, names that start with a digit, acronyms, and collisions after
//! conversion.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// Words that cannot be plain identifiers. `self`, `super`, `crate` and `Self` cannot even be
/// raw identifiers, so they get a trailing underscore instead.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

// Names the generated code defines itself, which the model keeps operations and parameters
// off; the emitter's tests check each list against what it emits.

/// Methods of the generated `Client`: its own `builder`, `new` and `download`, and the public
/// methods of the runtime's `BaseClient` it dereferences to. An operation's method with one of
/// these names would not compile or would hide the setting, so the model names operations around
/// this list.
pub const CLIENT_NAMES: &[&str] = &[
    "api_version",
    "base_url",
    "builder",
    "clock",
    "credential_kind",
    "download",
    "new",
    "retry_policy",
];

/// Names the request builder defines itself: its `client` and `body` fields (also `new`'s
/// arguments) and its `new`, `body`, `send`, `send_stream` and `runtime_request` methods. A
/// parameter's field and setter would clash with them, so the model names parameters around
/// this list.
pub const BUILDER_NAMES: &[&str] = &[
    "body",
    "client",
    "new",
    "request_options",
    "runtime_request",
    "send",
    "send_stream",
];

/// The methods of the runtime's `ListRequest` that users call on a list operation's builder.
/// Parameters are named around them in every operation, since whether an operation pages is
/// found after its parameters are named, and a setter of the same name would hide the trait's
/// method.
pub const PAGINATION_NAMES: &[&str] = &["items", "items_concurrent", "pages", "pages_concurrent"];

/// Whether `name` is a Rust keyword (strict or reserved), so that it cannot stand as a plain
/// identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

/// Type names the generated code itself relies on; a spec type with one of these names is
/// renamed so it cannot shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Client",
    "Error",
    "ResponseValue",
];

/// Whether a type of this name would shadow one the generated code relies on (the prelude's
/// `Option`, `String`, `Vec`, … are written bare).
pub fn is_reserved_type(name: &str) -> bool {
    RESERVED_TYPES.contains(&name)
}

/// Runtime names the operation modules import and write bare (`ParamInfo`,
/// `RequestOptions`): an operation whose builder would take one of them is renamed.
pub const IMPORTED_BY_OPERATIONS: &[&str] = &[
    "AuthKind",
    "AuthScheme",
    "Check",
    "Deprecation",
    "HttpMethod",
    "MediaVersion",
    "OperationInfo",
    "ParamIn",
    "ParamInfo",
    "Request",
    "RequestOptions",
    "ValueKind",
];

/// `UpperCamelCase` name for an operation's request builder: as [`type_name`], and kept off the
/// runtime names its module imports.
pub fn builder_name(operation_id: &str) -> Result<String, String> {
    let name = type_name(operation_id)?;
    Ok(if IMPORTED_BY_OPERATIONS.contains(&name.as_str()) {
        format!("{name}Operation")
    } else {
        name
    })
}

/// Acronyms that heck would split in an unexpected place (`IPv4` → `i_pv4`); each is rewritten
/// to a single capitalised word first.
const ACRONYMS: &[(&str, &str)] = &[("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("OAuth", "Oauth")];

/// A spec name as a Rust name starts: NFKC-normalized, since rustc warns about identifiers
/// that are not (`ⅻ` is `xii`, a full-width `ｉｄ` is `id`, the ligature `ﬁ` is `fi`), with
/// the acronyms rewritten.
fn normalise_acronyms(raw: &str) -> String {
    let mut out: String = raw.nfkc().collect();
    for (from, to) in ACRONYMS {
        out = out.replace(from, to);
    }
    out
}

/// `UpperCamelCase` name for a type. Errors when nothing usable is left of the name.
pub fn type_name(raw: &str) -> Result<String, String> {
    let converted = normalise_acronyms(raw).to_upper_camel_case();
    if converted.is_empty() {
        return Err(format!(
            "`{raw}` has no letters or digits to build a type name from"
        ));
    }
    let name = if starts_with_digit(&converted) {
        format!("Type{converted}")
    } else if RESERVED_TYPES.contains(&converted.as_str()) {
        format!("{converted}Model")
    } else {
        converted
    };
    check_ident(&name)?;
    Ok(name)
}

/// `UpperCamelCase` name for an enum variant; `index` names values with no letters or digits.
pub fn variant_name(raw: &str, index: usize) -> String {
    let converted = normalise_acronyms(raw).to_upper_camel_case();
    if converted.is_empty() {
        return format!("Value{index}");
    }
    if starts_with_digit(&converted) {
        // A negative number would otherwise read as its positive twin (`-1` beside `1`).
        let sign = if raw.trim_start().starts_with('-') {
            "Minus"
        } else {
            "V"
        };
        return format!("{sign}{converted}");
    }
    if converted == "Self" || converted == "Unknown" {
        // `Unknown` is the catch-all variant every generated enum has.
        return format!("{converted}Value");
    }
    converted
}

/// `snake_case` name for a field, method or parameter.
pub fn field_name(raw: &str) -> Result<String, String> {
    let converted = normalise_acronyms(raw).to_snake_case();
    if converted.is_empty() {
        return Err(format!(
            "`{raw}` has no letters or digits to build a field name from"
        ));
    }
    let name = if starts_with_digit(&converted) {
        format!("field_{converted}")
    } else if NOT_RAW.contains(&converted.as_str()) {
        format!("{converted}_")
    } else if KEYWORDS.contains(&converted.as_str()) {
        format!("r#{converted}")
    } else {
        converted
    };
    check_ident(&name)?;
    Ok(name)
}

/// `SHOUTY_SNAKE_CASE` name for a constant.
pub fn const_name(raw: &str) -> String {
    let converted = normalise_acronyms(raw).to_shouty_snake_case();
    if starts_with_digit(&converted) {
        format!("C_{converted}")
    } else {
        converted
    }
}

/// Variant name of a response version: `2023-01-01` → `V2023_01_01`, `2025-03-12.upcoming` →
/// `V2025_03_12Upcoming`, `preview` → `Preview`.
pub fn version_variant(version: &str) -> String {
    if version == crate::dialect::PREVIEW_VERSION {
        return "Preview".to_owned();
    }
    let (date, upcoming) = match version.strip_suffix(crate::dialect::UPCOMING_SUFFIX) {
        Some(date) => (date, "Upcoming"),
        None => (version, ""),
    };
    let cleaned: String = date
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("V{cleaned}{upcoming}")
}

/// An environment variable prefix from an API's title: its letters and digits in upper snake
/// case (`Oxide Region API` → `OXIDE_REGION_API`), starting with a letter; `API` when nothing of
/// the title is left.
pub fn env_prefix(title: &str) -> String {
    let words: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let prefix = words.to_shouty_snake_case();
    match prefix.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => prefix,
        Some(_) => format!("API_{prefix}"),
        None => "API".to_owned(),
    }
}

/// The candidate nearest to a misspelt `word`, when one is close enough to be the one meant
/// (for a "did you mean").
pub fn nearest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let (best, score) = candidates
        .iter()
        .map(|c| (*c, strsim::jaro_winkler(word, c)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    // Below this, names share too little to be the one meant.
    (score >= 0.8).then_some(best)
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Proves a name is a valid identifier (raw or not) before any token is built from it.
fn check_ident(name: &str) -> Result<(), String> {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = bare.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(format!("`{name}` is not a valid Rust identifier"))
    }
}

/// Hands out unique names within one scope (a struct's fields, the crate's types). A second
/// raw name that converts to a name already taken gets a numeric suffix, and the collision is
/// reported to the caller so it can tell the user.
#[derive(Debug, Default)]
pub struct NameScope {
    taken: BTreeMap<String, String>,
}

/// A collision found while naming: both spec names, and the name the later one got instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub first: String,
    pub second: String,
    pub wanted: String,
    pub given: String,
}

impl Collision {
    /// Says which two `what`s (values, tags, ...) wanted one variant name and what the second
    /// was called instead.
    pub fn describe(&self, what: &str) -> String {
        let first = if self.first.is_empty() {
            "the catch-all".to_owned()
        } else {
            format!("`{}`", self.first)
        };
        format!(
            "{what} {first} and `{}` both become variant `{}`; the second is named `{}`",
            self.second, self.wanted, self.given
        )
    }
}

impl NameScope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether some name already has `name`.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Reserves a name that spec names must not take (for example `Unknown` in an enum).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned(), String::new());
    }

    pub fn claim(&mut self, raw: &str, wanted: String) -> (String, Option<Collision>) {
        let Some(first) = self.taken.get(&wanted).cloned() else {
            self.taken.insert(wanted.clone(), raw.to_owned());
            return (wanted, None);
        };
        // A suffixed keyword is no longer a keyword, so the raw prefix goes.
        let stem = wanted.strip_prefix("r#").unwrap_or(&wanted);
        // `self_` + `_2` would read `self__2`.
        let stem = stem.trim_end_matches('_').to_owned();
        let separator = if stem.chars().next().is_some_and(char::is_uppercase) {
            ""
        } else {
            "_"
        };
        let given = (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| !self.taken.contains_key(candidate))
            .expect("an unbounded range always yields a free name");
        self.taken.insert(given.clone(), raw.to_owned());
        let collision = Collision {
            first,
            second: raw.to_owned(),
            wanted,
            given: given.clone(),
        };
        (given, Some(collision))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_prefixes_come_from_the_title() {
        assert_eq!(env_prefix("Oxide Region API"), "OXIDE_REGION_API");
        assert_eq!(env_prefix("Twilio - Verify"), "TWILIO_VERIFY");
        assert_eq!(env_prefix("3D printing"), "API_3D_PRINTING");
        assert_eq!(env_prefix("Ünïcode ✓"), "N_CODE");
        assert_eq!(env_prefix("✓"), "API");
    }

    #[test]
    fn type_names() {
        let table = [
            ("ServerlessBackupSnapshot", "ServerlessBackupSnapshot"),
            (
                "PaginatedApiAtlasFlexBackupSnapshot20241113",
                "PaginatedApiAtlasFlexBackupSnapshot20241113",
            ),
            ("ApiHostView_Atlas", "ApiHostViewAtlas"),
            ("api-error", "ApiError"),
            ("mongoDBVersion", "MongoDbVersion"),
            ("IPv4Address", "Ipv4Address"),
            ("OAuthToken", "OauthToken"),
            // heck reads a word that starts with digits as one word.
            ("2023Report", "Type2023report"),
            ("Result", "ResultModel"),
            ("option", "OptionModel"),
            ("Error", "ErrorModel"),
            ("self", "SelfModel"),
        ];
        for (raw, expected) in table {
            assert_eq!(type_name(raw).unwrap(), expected, "type name of {raw:?}");
        }
        assert!(type_name("---").is_err());
        assert!(type_name("").is_err());
    }

    /// A builder would shadow a runtime name its module writes bare; other type names may
    /// take those names, as their module imports none of them.
    #[test]
    fn builder_names_keep_off_the_imported_runtime_names() {
        assert_eq!(builder_name("check").unwrap(), "CheckOperation");
        assert_eq!(
            builder_name("requestOptions").unwrap(),
            "RequestOptionsOperation"
        );
        assert_eq!(builder_name("getCheck").unwrap(), "GetCheck");
        assert_eq!(type_name("check").unwrap(), "Check");
    }

    #[test]
    fn field_names() {
        let table = [
            ("createdAt", "created_at"),
            ("mongoDBVersion", "mongo_db_version"),
            ("storageSizeBytes", "storage_size_bytes"),
            ("RateLimit-Limit", "rate_limit_limit"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("2fa", "field_2fa"),
            ("pageNum", "page_num"),
            ("IPv6Cidr", "ipv6_cidr"),
            ("x-sunset", "x_sunset"),
        ];
        for (raw, expected) in table {
            assert_eq!(field_name(raw).unwrap(), expected, "field name of {raw:?}");
        }
        assert!(field_name("!!").is_err());
    }

    #[test]
    fn variant_names() {
        let table = [
            ("queued", 0, "Queued"),
            ("inProgress", 0, "InProgress"),
            ("COMPLETED", 0, "Completed"),
            ("onDemand", 0, "OnDemand"),
            ("2023-01-01", 0, "V20230101"),
            ("-1", 0, "Minus1"),
            ("-0.5", 0, "Minus05"),
            ("M10", 0, "M10"),
            ("", 3, "Value3"),
            ("-", 4, "Value4"),
            ("Unknown", 0, "UnknownValue"),
            ("Self", 0, "SelfValue"),
        ];
        for (raw, index, expected) in table {
            assert_eq!(
                variant_name(raw, index),
                expected,
                "variant name of {raw:?}"
            );
        }
    }

    /// rustc warns about identifiers that are not NFKC-normalized, so every name is
    /// normalized before it is converted; names already normalized are left as they are.
    #[test]
    fn names_are_nfkc_normalized() {
        let fields = [
            ("ⅻ", "xii"),
            ("sizeⅻ", "sizexii"),
            ("ｆｕｌｌＮａｍｅ", "full_name"),
            ("ﬁleName", "file_name"),
            ("größe", "größe"),
            ("名前", "名前"),
            ("x²", "x2"),
        ];
        for (raw, expected) in fields {
            assert_eq!(field_name(raw).unwrap(), expected, "field name of {raw:?}");
        }
        assert_eq!(type_name("ⅻ").unwrap(), "Xii");
        assert_eq!(type_name("Ｔｈｉｎｇ").unwrap(), "Thing");
        assert_eq!(builder_name("getⅫ").unwrap(), "GetXii");
        assert_eq!(variant_name("Ⅻ", 0), "Xii");
        assert_eq!(variant_name("①", 0), "V1");
        assert_eq!(const_name("ⅻ"), "XII");
        for name in [
            field_name("ⅻ").unwrap(),
            type_name("Ｔｈｉｎｇ").unwrap(),
            variant_name("ﬁ", 0),
        ] {
            assert!(
                unicode_normalization::is_nfkc(&name),
                "{name:?} is normalized"
            );
        }
        // Two spellings of one name meet in one scope and are told apart.
        let mut scope = NameScope::new();
        scope.claim("ⅻ", field_name("ⅻ").unwrap());
        let (second, collision) = scope.claim("xii", field_name("xii").unwrap());
        assert_eq!(second, "xii_2");
        assert!(collision.is_some());
    }

    #[test]
    fn nearest_names_for_did_you_mean() {
        let types = ["array", "boolean", "integer", "number", "object", "string"];
        assert_eq!(nearest("integr", &types), Some("integer"));
        assert_eq!(nearest("strnig", &types), Some("string"));
        assert_eq!(
            nearest("descripton", &["description", "title"]),
            Some("description")
        );
        assert_eq!(nearest("zzz", &types), None);
        assert_eq!(nearest("integer", &[]), None);
    }

    #[test]
    fn other_names() {
        assert_eq!(const_name("groupId"), "GROUP_ID");
        assert_eq!(const_name("2fa"), "C_2FA");
        assert_eq!(version_variant("2023-01-01"), "V2023_01_01");
        assert_eq!(
            version_variant("2025-03-12.upcoming"),
            "V2025_03_12Upcoming"
        );
        assert_eq!(version_variant("preview"), "Preview");
    }

    #[test]
    fn collisions_get_a_suffix_and_are_reported() {
        let mut scope = NameScope::new();
        let (a, none) = scope.claim("fooBar", field_name("fooBar").unwrap());
        assert_eq!((a.as_str(), none), ("foo_bar", None));
        let (b, collision) = scope.claim("foo_bar", field_name("foo_bar").unwrap());
        assert_eq!(b, "foo_bar_2");
        let collision = collision.expect("collision reported");
        assert_eq!(collision.first, "fooBar");
        assert_eq!(collision.second, "foo_bar");
        let (c, _) = scope.claim("FOO_BAR", field_name("FOO_BAR").unwrap());
        assert_eq!(c, "foo_bar_3");

        let mut types = NameScope::new();
        types.claim("Foo_Bar", type_name("Foo_Bar").unwrap());
        let (t, collision) = types.claim("FooBar", type_name("FooBar").unwrap());
        assert_eq!(t, "FooBar2");
        assert!(collision.is_some());

        let mut keywords = NameScope::new();
        keywords.claim("type", field_name("type").unwrap());
        let (k, _) = keywords.claim("Type", field_name("Type").unwrap());
        assert_eq!(k, "type_2");
        keywords.claim("self", field_name("self").unwrap());
        let (s, _) = keywords.claim("Self", field_name("Self").unwrap());
        assert_eq!(s, "self_2");

        let mut variants = NameScope::new();
        variants.reserve("Unknown");
        let (u, collision) = variants.claim("unknown", "Unknown".to_owned());
        assert_eq!(u, "Unknown2");
        assert_eq!(collision.unwrap().first, "");
    }
}
