//! Parameter values and their checks. The generator turns each parameter's schema constraints
//! (pattern, length, range, item count) into [`Check`]s that run before anything is sent, so
//! an invalid value is a typed error and never a request.

use std::fmt;
use std::sync::OnceLock;

/// A regular expression from the spec, compiled on first use and then shared.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex::Regex, String>>,
}

impl Pattern {
    /// A pattern of the regular expression `source`, compiled when first used.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The regular expression, as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches. The generator only emits patterns the `regex` crate compiles;
    /// should one still fail, the check fails with the reason rather than passing silently.
    fn check(&self, value: &str) -> Result<bool, String> {
        match self
            .compiled
            .get_or_init(|| regex::Regex::new(self.source).map_err(|e| e.to_string()))
        {
            Ok(regex) => Ok(regex.is_match(value)),
            Err(e) => Err(e.clone()),
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// One constraint on a parameter value.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The value matches the regular expression.
    Pattern(&'static Pattern),
    /// The value has at least this many characters.
    MinLength(usize),
    /// The value has at most this many characters.
    MaxLength(usize),
    /// The value is at least this.
    Minimum(f64),
    /// The value is at most this.
    Maximum(f64),
    /// The value is more than this.
    ExclusiveMinimum(f64),
    /// The value is less than this.
    ExclusiveMaximum(f64),
    /// The list has at least this many items.
    MinItems(usize),
    /// The list has at most this many items.
    MaxItems(usize),
}

/// A parameter value that failed a check, or could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParameter {
    /// The parameter's name on the wire.
    pub name: String,
    /// The offending value, as it would have been sent.
    pub value: String,
    /// What was wrong with the value.
    pub reason: String,
}

impl fmt::Display for InvalidParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` = {:?}: {}", self.name, self.value, self.reason)
    }
}

/// A value that can be sent as a path, query or header parameter.
pub trait ParamValue {
    /// The value as text, before percent-encoding.
    fn to_param(&self) -> String;
    /// The value as a number, for range checks; `None` for non-numeric values.
    fn as_number(&self) -> Option<f64> {
        None
    }
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

macro_rules! numeric_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
            fn as_number(&self) -> Option<f64> {
                Some(*self as f64)
            }
        }
    )*};
}
numeric_param!(i32, i64, f32, f64);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
    fn as_number(&self) -> Option<f64> {
        (**self).as_number()
    }
}

/// Runs the checks on one value; the first failure is the reason.
pub(crate) fn run_checks(
    name: &str,
    value: &dyn ParamValue,
    checks: &[Check],
) -> Result<(), InvalidParameter> {
    let text = value.to_param();
    let fail = |reason: String| InvalidParameter {
        name: name.to_owned(),
        value: text.clone(),
        reason,
    };
    for check in checks {
        let length = text.chars().count();
        let number = value.as_number();
        match *check {
            Check::Pattern(pattern) => match pattern.check(&text) {
                Ok(true) => {}
                Ok(false) => {
                    return Err(fail(format!(
                        "does not match the pattern `{}`",
                        pattern.source()
                    )))
                }
                Err(e) => {
                    return Err(fail(format!(
                        "the pattern `{}` cannot be used: {e}",
                        pattern.source()
                    )))
                }
            },
            Check::MinLength(min) if length < min => {
                return Err(fail(format!("is shorter than {min} characters")))
            }
            Check::MaxLength(max) if length > max => {
                return Err(fail(format!("is longer than {max} characters")))
            }
            Check::Minimum(min) if number.is_some_and(|n| n < min) => {
                return Err(fail(format!("is less than the minimum {min}")))
            }
            Check::Maximum(max) if number.is_some_and(|n| n > max) => {
                return Err(fail(format!("is greater than the maximum {max}")))
            }
            Check::ExclusiveMinimum(min) if number.is_some_and(|n| n <= min) => {
                return Err(fail(format!("must be greater than {min}")))
            }
            Check::ExclusiveMaximum(max) if number.is_some_and(|n| n >= max) => {
                return Err(fail(format!("must be less than {max}")))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Runs the item-count checks of an array parameter.
pub(crate) fn run_count_checks(
    name: &str,
    count: usize,
    checks: &[Check],
) -> Result<(), InvalidParameter> {
    let fail = |reason: String| InvalidParameter {
        name: name.to_owned(),
        value: format!("{count} items"),
        reason,
    };
    for check in checks {
        match *check {
            Check::MinItems(min) if count < min => {
                return Err(fail(format!("needs at least {min} items")))
            }
            Check::MaxItems(max) if count > max => {
                return Err(fail(format!("allows at most {max} items")))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static HEX24: Pattern = Pattern::new("^([a-f0-9]{24})$");

    #[test]
    fn checks_report_the_first_failure() {
        let hex = [Check::Pattern(&HEX24)];
        assert!(run_checks("groupId", &"32b6e34b3d91647abb20e7b8".to_owned(), &hex).is_ok());
        let err = run_checks("groupId", &"../admin".to_owned(), &hex).unwrap_err();
        assert_eq!(err.name, "groupId");
        assert!(err.reason.contains("pattern"), "{err}");

        let range = [Check::Minimum(1.0), Check::Maximum(500.0)];
        assert!(run_checks("itemsPerPage", &500, &range).is_ok());
        assert!(run_checks("itemsPerPage", &501, &range)
            .unwrap_err()
            .reason
            .contains("maximum 500"));
        assert!(run_checks("itemsPerPage", &0, &range)
            .unwrap_err()
            .reason
            .contains("minimum 1"));
        assert!(run_checks("name", &"abc".to_owned(), &[Check::MaxLength(2)]).is_err());
        assert!(run_count_checks("ids", 0, &[Check::MinItems(1)]).is_err());
    }
}
