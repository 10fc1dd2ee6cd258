//! The clap `Command` of each operation (its flags, help from the spec, the paging, body and
//! wait flags it takes) and of each group of operations.

use super::{CliOperation, Group};
use crate::emit::docs::one_line;
use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

/// The name of a group's function: `group_` and the group in snake case, so that no tag can
/// make it a keyword.
/// `pub fn command()` of a group: its command, with its operations as subcommands.
pub(super) fn group_fn(group: &Group<'_>) -> TokenStream {
    let name = &group.name;
    let about = group
        .description
        .map_or_else(|| format!("Operations tagged {}", group.tag), one_line);
    let commands = group.operations.iter().map(|op| {
        let module = op.module();
        quote!(#module::command())
    });
    quote! {
        /// The group's command, with its operations as subcommands.
        pub fn command() -> ::clap::Command {
            ::clap::Command::new(#name)
                .about(#about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommands([#(#commands),*])
        }
    }
}

/// `pub fn command() -> clap::Command` of one operation.
pub(super) fn operation_fn(cli: &CliOperation<'_>, client: &proc_macro2::Ident) -> TokenStream {
    let op = cli.op;
    let name = &cli.name;
    let summary = op.summary.as_deref().map(one_line).unwrap_or_default();
    let deprecation = op.deprecation.as_ref().map(|d| {
        let mut text = "Deprecated".to_owned();
        if let Some(sunset) = &d.sunset {
            text.push_str(&format!(": Atlas retires it on {sunset}"));
        }
        if let Some(replacement) = &cli.replacement {
            text.push_str(&format!("; use `{replacement}` instead"));
        }
        text.push('.');
        text
    });
    let about = match (
        &op.deprecation,
        &op.deprecation.as_ref().and_then(|d| d.sunset.as_ref()),
    ) {
        (Some(_), Some(sunset)) => format!("[deprecated, sunset {sunset}] {summary}"),
        (Some(_), None) => format!("[deprecated] {summary}"),
        _ => summary.clone(),
    }
    .trim_end()
    .to_owned();
    let about = (!about.is_empty()).then(|| quote!(.about(#about)));
    let mut long: Vec<String> = Vec::new();
    if !summary.is_empty() {
        long.push(summary);
    }
    if let Some(description) = &op.description {
        long.push(description.trim().to_owned());
    }
    long.extend(deprecation);
    long.push(format!(
        "Sends `{} {}` (operation `{}`).",
        op.http_method.as_str(),
        op.path,
        op.id
    ));
    let long_about = long.join("\n\n");

    let mut args: Vec<TokenStream> = cli
        .flags
        .iter()
        .map(|flag| flag_arg(flag, client, flag.param.required))
        .collect();
    let mut groups: Vec<TokenStream> = Vec::new();
    if let Some(request) = &op.request {
        let mut about = request
            .description
            .as_deref()
            .map(one_line)
            .unwrap_or_default();
        if let Some(crate::model::TypeRef::Named(name)) =
            request.contents.last().map(|content| &content.body)
        {
            if !about.is_empty() {
                about.push(' ');
            }
            about.push_str(&format!("[a `{name}`]"));
        }
        // With body flags a required body comes from `--file` or from them: clap checks that
        // one of the group is given.
        let file_required = request.required && cli.body_flags.is_empty();
        args.push(quote!(args::file(#file_required, #about)));
        for flag in &cli.body_flags {
            let mut arg = flag_arg(flag, client, false);
            arg.extend(quote!(.help_heading("Body fields").conflicts_with("file")));
            args.push(arg);
        }
        if request.required && !cli.body_flags.is_empty() {
            let ids = cli.body_flags.iter().map(|f| &f.name);
            groups.push(quote! {
                ::clap::ArgGroup::new("body")
                    .args(["file", #(#ids),*])
                    .required(true)
                    .multiple(true)
            });
        }
    }
    let mut shared: Vec<TokenStream> = Vec::new();
    if op.pagination.is_some() {
        shared.push(quote!(args::paging_flags()));
    }
    let waiters: Vec<_> = match (&cli.follow, cli.deletion) {
        (Some(follow), _) => follow.get.state_waiters().collect(),
        (None, Some(get)) => get.gone_waiters().collect(),
        (None, None) => op.state_waiters().collect(),
    };
    if !waiters.is_empty() {
        let waiters = waiters.iter().map(|w| {
            let name = w.name.to_kebab_case();
            let about = w.description.as_deref().map(one_line).unwrap_or_default();
            quote!((#name, #about))
        });
        shared.push(quote!(args::wait_flags(&[#(#waiters),*])));
    }
    quote! {
        /// The command: its flags and help.
        pub fn command() -> ::clap::Command {
            ::clap::Command::new(#name)
                #about
                .long_about(#long_about)
                #(.arg(#args))*
                #(.args(#shared))*
                #(.group(#groups))*
        }
    }
}

/// The clap `Arg` of one flag: its value parser, help and placeholder.
fn flag_arg(
    flag: &super::flags::Flag<'_>,
    client: &proc_macro2::Ident,
    required: bool,
) -> TokenStream {
    let id = &flag.name;
    let value_name = flag.value_name();
    let help = flag.help();
    let parser = flag.parser(client);
    let help = (!help.is_empty()).then(|| quote!(.help(#help)));
    let mut arg = quote! {
        ::clap::Arg::new(#id)
            .long(#id)
            .value_name(#value_name)
            #help
            .required(#required)
            .value_parser(#parser)
    };
    if matches!(flag.value, super::flags::Value::Bool) {
        arg.extend(quote!(.num_args(0..=1).default_missing_value("true")));
    }
    if flag.many {
        arg.extend(quote!(.action(::clap::ArgAction::Append)));
    }
    arg
}
