//! `atlas-snapshots`: every operation of the curated Atlas backup-snapshot spec as a
//! subcommand, over the generated `atlas-snapshots` client. The groups and commands come from
//! the generator (`src/generated/`, written by `cargo xtask regen`); this file holds the root
//! command with its global flags, the hidden `completions` and `man` commands, and the exit.

mod args;
mod context;
mod curl;
mod failure;
mod output;
#[rustfmt::skip]
mod generated;

use clap::{Arg, ArgAction, ArgMatches, Command};
use context::Context;
use failure::{Class, Failure};
use std::process::ExitCode;

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
                 variables or the flags below and are never printed.",
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
                .value_parser(args::Text::new().pattern(r"^\d{4}-\d{2}-\d{2}$"))
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
    let matches = root().get_matches();
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}

fn run(matches: &ArgMatches) -> Result<(), Failure> {
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
        Some((group, sub)) => {
            let Some((command, matches)) = sub.subcommand() else {
                return Err(Failure::new(
                    Class::Usage,
                    format!("`{group}` needs a command"),
                ));
            };
            let context = Context::from_matches(matches)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Failure::new(Class::Local, format!("cannot start: {e}")))?;
            runtime.block_on(generated::run(&context, group, command, matches))
        }
        None => Err(Failure::new(Class::Usage, "a command is needed")),
    }
}
