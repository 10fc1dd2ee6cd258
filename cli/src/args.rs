//! The flags the generated commands share (paging, request body, waiting) and the value parsers
//! and accessors their parameter flags use. Hand-written: nothing here is per operation.

use atlas_snapshots::{Check, OperationInfo, ParamIn, ValueKind};
use clap::builder::{PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use std::ffi::OsStr;
use std::marker::PhantomData;
use std::str::FromStr;

/// A flag whose values the client's own checker reads and checks as the command line is parsed
/// (pattern, length, range), so a bad value is a usage error (exit 2), refused for the reason
/// the client would refuse it, and nothing is sent. The value is then parsed into `T`.
pub struct Checked<T> {
    name: &'static str,
    kind: ValueKind,
    checks: &'static [Check],
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Checked<T> {
    fn clone(&self) -> Self {
        Checked { ..*self }
    }
}

/// The value parser of the parameter `name` in `location` of `operation`: its kind and checks
/// are the ones in the client's descriptor of the operation.
///
/// # Panics
/// When the operation has no such parameter; the generator writes flags only for the
/// parameters the descriptor lists.
pub fn checked<T>(operation: &'static OperationInfo, location: ParamIn, name: &str) -> Checked<T> {
    let param = operation
        .param(name, location)
        .unwrap_or_else(|| panic!("`{}` has no parameter `{name}`", operation.id));
    Checked {
        name: param.name,
        kind: param.kind,
        checks: param.checks,
        value: PhantomData,
    }
}

/// How the text of a value that is no parameter of an operation reads and what it must pass: a
/// request body field given by its own flag (with the checks of its schema), a global flag.
pub struct ValueChecks {
    /// The value's name in an error: the field's name on the wire.
    pub name: &'static str,
    pub kind: ValueKind,
    pub checks: &'static [Check],
}

/// The value parser of a value that is no parameter of an operation.
pub fn checked_by<T>(value: &'static ValueChecks) -> Checked<T> {
    Checked {
        name: value.name,
        kind: value.kind,
        checks: value.checks,
        value: PhantomData,
    }
}

impl<T> TypedValueParser for Checked<T>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Display,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| invalid(cmd, arg, &value.to_string_lossy(), "it is not valid UTF-8"))?;
        self.kind
            .check_text(self.name, text, self.checks)
            .map_err(|problem| invalid(cmd, arg, text, &format!("it {}", problem.reason)))?;
        text.parse::<T>()
            .map_err(|e| invalid(cmd, arg, text, &e.to_string()))
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
