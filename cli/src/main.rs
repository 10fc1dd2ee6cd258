//! `atlas-snapshots`: every operation of the curated Atlas backup-snapshot spec as a
//! subcommand, over the generated `atlas-snapshots` client. The groups and commands come from
//! the generator (`src/generated/`, written by `cargo xtask regen`); this file holds the root
//! command with its global flags, the hidden `completions` and `man` commands, and the exit.

mod args;
mod context;
mod curl;
mod download;
mod failure;
mod output;
mod profile;
#[rustfmt::skip]
mod generated;

use atlas_snapshots::{Check, Pattern, ValueKind};
use clap::{Arg, ArgAction, ArgMatches, Command};
use context::Context;
use failure::{Class, Failure};
use profile::Profile;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `--api-version` takes: a resource version date.
static VERSION_DATE: Pattern = Pattern::new(r"^\d{4}-\d{2}-\d{2}$");
const API_VERSION: args::ValueChecks = args::ValueChecks {
    name: "api-version",
    kind: ValueKind::Text,
    checks: &[Check::Pattern(&VERSION_DATE)],
};

/// The binary's name, as completions and the man page call it.
const BIN: &str = "atlas-snapshots";

fn root() -> Command {
    let global = |arg: Arg| arg.global(true).help_heading("Global options");
    let secret = |arg: Arg, env: &'static str| global(arg.env(env).hide_env_values(true));
    Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about(
            "The MongoDB Atlas backup-snapshot API from the shell: every operation as a subcommand",
        )
        .long_about(format!(
            "The MongoDB Atlas backup-snapshot API from the shell: `atlas-snapshots GROUP \
                 COMMAND --flag value`, one group per tag of the API and one command for each of \
                 its {} operations, with a flag per parameter. Values are checked against the \
                 API's rules before anything is sent. Credentials come from the MONGODB_ATLAS_* \
                 variables or the flags below, or from an Atlas CLI profile (--profile), and \
                 are never printed.",
            generated::OPERATIONS
        ))
        .after_help(failure::EXIT_CODES)
        .after_long_help(format!(
            "Operations:\n{}\n\n{}",
            generated::OPERATION_LIST,
            failure::EXIT_CODES
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(global(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FORMAT")
                .value_parser(|text: &str| text.parse::<output::Format>())
                .help(format!(
                    "How answers are printed: {} [default: table on a terminal, json otherwise]",
                    output::FORMATS
                ))
                .long_help(
                    "How answers are printed [default: table on a terminal, json otherwise]\n\n\
                     Possible values:\n\
                     - json:          Pretty-printed JSON, as Atlas sends it\n\
                     - table:         Aligned columns\n\
                     - csv:           Comma-separated values with a header row\n\
                     - jsonpath=EXPR: The values an RFC 9535 JSONPath expression selects, one per \
                     line: strings as they are, anything else as compact JSON \
                     (-o 'jsonpath=$.results[*].id')",
                ),
        ))
        .arg(global(
            Arg::new("api-version")
                .long("api-version")
                .value_name("DATE")
                .env("MONGODB_ATLAS_API_VERSION")
                .value_parser(args::checked_by::<String>(&API_VERSION))
                .help(format!(
                    "Pin the API version (resource version date); without it the newest each \
                     operation offers is used, with a warning. Known: {}",
                    atlas_snapshots::API_VERSIONS.join(", ")
                )),
        ))
        .arg(global(
            Arg::new("dry-run")
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help("Print the request as a curl command, secrets masked, and send nothing"),
        ))
        .arg(global(
            Arg::new("base-url")
                .long("base-url")
                .value_name("URL")
                .env("MONGODB_ATLAS_BASE_URL")
                .help(format!(
                    "The Atlas server [default: {}]",
                    atlas_snapshots::DEFAULT_BASE_URL
                )),
        ))
        .arg(global(
            Arg::new("profile")
                .long("profile")
                .value_name("NAME")
                .env("MONGODB_ATLAS_PROFILE")
                .help(
                    "Take credentials, the project id (the default --group-id) and the server \
                     (ops_manager_url) from this Atlas CLI profile; flags and variables still \
                     win. Read from --config, else the Atlas CLI's config.toml",
                )
                .long_help(
                    "Take credentials, the project id (the default --group-id) and the server \
                     (ops_manager_url) from this Atlas CLI profile, as `atlas config init` or \
                     `atlas auth login` wrote it; flags and variables still win over it.\n\n\
                     The file is the one --config names, else the Atlas CLI's own: \
                     atlascli/config.toml in $XDG_CONFIG_HOME or ~/.config on Linux, \
                     ~/Library/Application Support on macOS, %AppData% on Windows. Without \
                     --profile, --config and MONGODB_ATLAS_PROFILE no file is read. Secrets the \
                     Atlas CLI keeps in the OS keyring are not read: give them with the \
                     variables or flags below.",
                ),
        ))
        .arg(global(
            Arg::new("config")
                .long("config")
                .value_name("PATH")
                .value_parser(clap::value_parser!(PathBuf))
                .help(
                    "The Atlas CLI config file to read the profile from (profile `default` \
                     without --profile)",
                ),
        ))
        .arg(secret(
            Arg::new("client-id")
                .long("client-id")
                .value_name("ID")
                .help("Service account client id (with --client-secret)"),
            "MONGODB_ATLAS_CLIENT_ID",
        ))
        .arg(secret(
            Arg::new("client-secret")
                .long("client-secret")
                .value_name("SECRET")
                .help("Service account client secret"),
            "MONGODB_ATLAS_CLIENT_SECRET",
        ))
        .arg(secret(
            Arg::new("public-key")
                .long("public-key")
                .value_name("KEY")
                .help("API key, public part, for HTTP Digest (with --private-key)"),
            "MONGODB_ATLAS_PUBLIC_API_KEY",
        ))
        .arg(secret(
            Arg::new("private-key")
                .long("private-key")
                .value_name("KEY")
                .help("API key, private part"),
            "MONGODB_ATLAS_PRIVATE_API_KEY",
        ))
        .arg(secret(
            Arg::new("access-token")
                .long("access-token")
                .value_name("TOKEN")
                .help("A bearer token; wins over the other credentials"),
            "MONGODB_ATLAS_ACCESS_TOKEN",
        ))
        .subcommands(generated::groups())
        .subcommand(download::command())
        .subcommand(
            Command::new("completions")
                .hide(true)
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new("man")
                .hide(true)
                .about("Print the man page (roff)"),
        )
}

fn main() -> ExitCode {
    let outcome = selected_profile().and_then(|profile| {
        let mut command = root();
        if let Some(profile) = &profile {
            if let Some(project) = &profile.project_id {
                command = default_group_id(command, profile, project)?;
            }
        }
        run(&command.get_matches(), profile.as_ref())
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.class == Class::DryRun => {
            println!("{failure}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}

/// The profile a command line that runs an operation names. The global flags are read in a
/// first, lenient parse, because the profile's project id must be the default of `--group-id`
/// before the real parse checks that required flag. Help, version, completions and the man
/// page never read the file.
fn selected_profile() -> Result<Option<Profile>, Failure> {
    // Help and version end the parse with an "error" that is not one; the real parse prints them.
    let Ok(matches) = root().ignore_errors(true).try_get_matches() else {
        return Ok(None);
    };
    let Some((group, commands)) = matches.subcommand() else {
        return Ok(None);
    };
    let Some((_, command)) = commands.subcommand() else {
        return Ok(None);
    };
    if matches!(group, "completions" | "man") {
        return Ok(None);
    }
    profile::load(
        command
            .get_one::<String>("profile")
            .map(String::as_str)
            .filter(|name| !name.is_empty()),
        command.get_one::<PathBuf>("config").map(PathBuf::as_path),
    )
}

/// Every command with a `--group-id` gets the profile's project id as its default, which also
/// makes the flag optional. An explicit flag still wins. The id is checked against the flag's
/// own rules first, so that a bad one is blamed on the file rather than on a flag not given.
fn default_group_id(root: Command, profile: &Profile, project: &str) -> Result<Command, Failure> {
    let has_group_id = |command: &Command| {
        command
            .get_arguments()
            .find(|arg| arg.get_id() == "group-id")
            .cloned()
    };
    let args = root
        .get_subcommands()
        .flat_map(Command::get_subcommands)
        .filter_map(has_group_id);
    for arg in args {
        Command::new("project_id")
            .no_binary_name(true)
            .arg(arg)
            .try_get_matches_from(["--group-id", project])
            .map_err(|e| {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or_default();
                Failure::new(
                    Class::Local,
                    format!(
                        "`project_id` of profile `{}` in {} cannot be the --group-id: {}",
                        profile.name,
                        profile.path.display(),
                        reason.trim_start_matches("error: ")
                    ),
                )
            })?;
    }
    Ok(root.mut_subcommands(|group| {
        group.mut_subcommands(|command| {
            if has_group_id(&command).is_some() {
                command.mut_arg("group-id", |arg| {
                    arg.required(false).default_value(project.to_owned())
                })
            } else {
                command
            }
        })
    }))
}

fn run(matches: &ArgMatches, profile: Option<&Profile>) -> Result<(), Failure> {
    let local = |e: std::io::Error| Failure::new(Class::Local, format!("standard output: {e}"));
    match matches.subcommand() {
        Some(("completions", sub)) => {
            let shell = *sub
                .get_one::<clap_complete::Shell>("shell")
                .expect("clap checks required arguments");
            clap_complete::generate(shell, &mut root(), BIN, &mut std::io::stdout());
            Ok(())
        }
        Some(("man", _)) => clap_mangen::Man::new(root())
            .render(&mut std::io::stdout())
            .map_err(local),
        Some(("download", matches)) => {
            let context = Context::from_matches(matches, profile)?;
            runtime()?.block_on(download::run(&context, matches))
        }
        Some((group, sub)) => {
            let Some((command, matches)) = sub.subcommand() else {
                return Err(Failure::new(
                    Class::Usage,
                    format!("`{group}` needs a command"),
                ));
            };
            let context = Context::from_matches(matches, profile)?;
            runtime()?.block_on(generated::run(&context, group, command, matches))
        }
        None => Err(Failure::new(Class::Usage, "a command is needed")),
    }
}

/// The runtime a command runs on: one thread is all a command line needs.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Class::Local, format!("cannot start: {e}")))
}
