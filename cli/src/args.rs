//! The flags the generated commands share (paging, request body, waiting) and the value parsers
//! and accessors their parameter flags use. Hand-written: nothing here is per operation.

use clap::builder::{PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use std::ffi::OsStr;

/// A string flag with the spec's pattern and length limits, checked as the command line is
/// parsed, so a bad value is a usage error (exit 2) and nothing is sent.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pattern: Option<regex::Regex>,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

impl Text {
    pub fn new() -> Self {
        Text::default()
    }

    /// # Panics
    /// When the generator emitted a pattern the `regex` crate cannot compile; it checks that
    /// every pattern compiles before emitting it.
    pub fn pattern(mut self, pattern: &str) -> Self {
        self.pattern = Some(regex::Regex::new(pattern).expect("the generator checks patterns"));
        self
    }

    pub fn min_length(mut self, length: usize) -> Self {
        self.min_length = Some(length);
        self
    }

    pub fn max_length(mut self, length: usize) -> Self {
        self.max_length = Some(length);
        self
    }
}

impl TypedValueParser for Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| invalid(cmd, arg, &value.to_string_lossy(), "it is not valid UTF-8"))?;
        let length = text.chars().count();
        if let Some(min) = self.min_length.filter(|min| length < *min) {
            return Err(invalid(
                cmd,
                arg,
                text,
                &format!("it must have at least {min} characters"),
            ));
        }
        if let Some(max) = self.max_length.filter(|max| length > *max) {
            return Err(invalid(
                cmd,
                arg,
                text,
                &format!("it must have at most {max} characters"),
            ));
        }
        if let Some(pattern) = self.pattern.as_ref().filter(|p| !p.is_match(text)) {
            return Err(invalid(
                cmd,
                arg,
                text,
                &format!("it must match `{pattern}`"),
            ));
        }
        Ok(text.to_owned())
    }
}

fn invalid(cmd: &clap::Command, arg: Option<&Arg>, value: &str, reason: &str) -> clap::Error {
    let flag = arg.map_or_else(|| "a flag".to_owned(), |a| format!("--{}", a.get_id()));
    let mut error = clap::Error::raw(
        clap::error::ErrorKind::ValueValidation,
        format!("invalid value '{value}' for '{flag}': {reason}\n"),
    );
    error = error.with_cmd(cmd);
    error
}

/// A value parsed with `FromStr` (dates and times).
pub fn parsed<T>() -> ValueParser
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Display,
{
    ValueParser::new(|text: &str| text.parse::<T>().map_err(|e| e.to_string()))
}

/// A value given as JSON.
#[allow(
    dead_code,
    reason = "for parameters this spec does not have; the generator emits calls for any spec"
)]
pub fn json<T>() -> ValueParser
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    ValueParser::new(|text: &str| serde_json::from_str::<T>(text).map_err(|e| e.to_string()))
}

/// The value of a required flag; clap has made sure it is there.
pub fn required<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> T {
    optional(matches, id).expect("clap checks required flags")
}

pub fn optional<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Option<T> {
    matches.get_one::<T>(id).cloned()
}

#[allow(
    dead_code,
    reason = "for parameters this spec does not have; the generator emits calls for any spec"
)]
pub fn many<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Vec<T> {
    matches
        .get_many::<T>(id)
        .map(|values| values.cloned().collect())
        .unwrap_or_default()
}

/// `--file PATH`: the request body, as JSON; `-` reads standard input. `about` is what the spec
/// says of the body.
pub fn file(required: bool, about: &'static str) -> Arg {
    let mut help = "The request body as JSON, from this file or from standard input with `-`; it \
                    is checked against the operation's body type before anything is sent."
        .to_owned();
    if !about.is_empty() {
        help.push(' ');
        help.push_str(about);
    }
    Arg::new("file")
        .long("file")
        .short('f')
        .value_name("PATH")
        .required(required)
        .help(help)
}

/// `--all` and `--concurrency N` of list operations.
pub fn paging_flags() -> [Arg; 2] {
    [
        Arg::new("all")
            .long("all")
            .action(ArgAction::SetTrue)
            .help("Walk every page from --page-num on and print all items (a progress bar shows on a terminal)"),
        Arg::new("concurrency")
            .long("concurrency")
            .value_name("N")
            .requires("all")
            .value_parser(clap::value_parser!(u16).range(1..=64))
            .help("With --all: fetch up to N pages at once once the first page told how many there are"),
    ]
}

/// How a list operation is asked to page.
pub enum Paging {
    One,
    All,
    Concurrent(usize),
}

pub fn paging(matches: &ArgMatches) -> Paging {
    match (
        matches.get_flag("all"),
        matches.get_one::<u16>("concurrency"),
    ) {
        (false, _) => Paging::One,
        (true, None) => Paging::All,
        (true, Some(n)) => Paging::Concurrent(usize::from(*n)),
    }
}

/// `--wait [WAITER]`, `--wait-timeout` and `--wait-interval` of get operations with waiters and
/// of the create operations whose resource they read, given as `(name, what the spec says it
/// waits for)`, the default first.
pub fn wait_flags(waiters: &'static [(&'static str, &'static str)]) -> [Arg; 3] {
    let values = waiters
        .iter()
        .map(|(name, about)| clap::builder::PossibleValue::new(*name).help(*about));
    [
        Arg::new("wait")
            .long("wait")
            .value_name("WAITER")
            .num_args(0..=1)
            .default_missing_value(waiters[0].0)
            .value_parser(PossibleValuesParser::new(values))
            .help(format!(
                "Poll until the resource reaches its final state, then print it (default waiter: {})",
                waiters[0].0
            )),
        Arg::new("wait-timeout")
            .long("wait-timeout")
            .value_name("SECONDS")
            .requires("wait")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("With --wait: give up after this many seconds (default 1800)"),
        Arg::new("wait-interval")
            .long("wait-interval")
            .value_name("SECONDS")
            .requires("wait")
            .value_parser(parsed::<f64>())
            .help("With --wait: seconds before the first poll repeats (default 5, growing to 60)"),
    ]
}

/// The id of a resource an answer describes, whether the model field is required or not.
pub trait ResourceId {
    fn resource_id(&self) -> Option<String>;
}

impl ResourceId for String {
    fn resource_id(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl ResourceId for Option<String> {
    fn resource_id(&self) -> Option<String> {
        self.clone()
    }
}

/// One field of a request body given by its own flag: the wire name it goes under, the flag,
/// whether the body needs it, and its value as JSON when the flag was given.
pub struct BodyField {
    pub wire: &'static str,
    pub flag: &'static str,
    pub required: bool,
    pub value: Option<serde_json::Value>,
}

/// The body field of flag `flag`: one value, or for a list (`many`) the flag's values in
/// order.
pub fn field<T>(
    matches: &ArgMatches,
    wire: &'static str,
    flag: &'static str,
    required: bool,
    many: bool,
) -> BodyField
where
    T: Clone + Send + Sync + serde::Serialize + 'static,
{
    let value = match many {
        false => matches.get_one::<T>(flag).map(to_json),
        true => matches
            .get_many::<T>(flag)
            .map(|values| serde_json::Value::Array(values.map(to_json).collect())),
    };
    BodyField {
        wire,
        flag,
        required,
        value,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    // The flag types are the client's scalars, enums and dates, which always serialize.
    serde_json::to_value(value).expect("a flag value serializes")
}
