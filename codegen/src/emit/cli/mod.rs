//! The generated command-line client: from the same model as the client crate, the clap
//! definitions of one subcommand group per tag and one subcommand per operation, and for each
//! operation the code that turns its parsed flags into a call of the generated client. The
//! binary's hand-written part (global flags, credentials, output formats, exit codes) lives in
//! the `cli` crate beside this file's output and is not generated.
//!
//! [`flags`] decides each parameter's flag, [`command`] emits the clap `Command` of an
//! operation and of a group, [`run`] emits the function that runs an operation.

mod command;
mod flags;
mod run;

use super::params::PatternTable;
use crate::error::CodegenError;
use crate::model::{ApiModel, Operation};
use crate::write::OutputFile;
use crate::Options;
use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The folder the generator owns inside the command-line crate: `mod.rs` with the groups and
/// the dispatch, and one file per group with its commands.
pub const OWNED_DIR: &str = "src/generated";

/// The group of the operations the spec gives no tag.
const UNTAGGED: &str = "other";

/// One operation as the command line offers it.
pub(crate) struct CliOperation<'m> {
    pub op: &'m Operation,
    /// The group subcommand: the operation's first tag, in kebab case.
    pub group: String,
    /// The subcommand: the operation id in kebab case.
    pub name: String,
    pub flags: Vec<flags::Flag<'m>>,
    /// A flag per field of a request body that flags can carry (see [`flags::body_fields`]);
    /// `--file` conflicts with them.
    pub body_flags: Vec<flags::Flag<'m>>,
    /// `group name` of the operation that replaces this deprecated one, when the spec has it.
    pub replacement: Option<String>,
    /// For an operation that creates a resource, how `--wait` follows it to its final state.
    pub follow: Option<Follow<'m>>,
    /// For an operation that deletes a resource, the get operation at the same path whose
    /// `gone` waiters `--wait` offers (polled with the delete's own path parameters).
    pub deletion: Option<&'m Operation>,
}

/// The get operation at a delete's path that declares a `gone` waiter.
fn deletion<'m>(model: &'m ApiModel, op: &'m Operation) -> Option<&'m Operation> {
    if op.http_method != crate::model::HttpMethod::Delete {
        return None;
    }
    model.operations.iter().find(|get| {
        get.http_method == crate::model::HttpMethod::Get
            && get.path == op.path
            && get.gone_waiters().next().is_some()
    })
}

/// How to wait for what a create operation made: the get operation at the create's path plus
/// one id parameter, when it has waiters, polled with the `id` of the create's answer. This is
/// the Atlas layout (`POST …/snapshots` answers the snapshot, `GET …/snapshots/{snapshotId}`
/// reads it), checked on the model rather than assumed: no such get operation, or no string `id`
/// in the answer, and the create operation has no `--wait`.
pub(crate) struct Follow<'m> {
    pub get: &'m Operation,
    /// How the generated code reads the answer's `id`.
    pub id: IdAccess,
}

/// Where an answer keeps its `id`: a struct's field, or a union's accessor of the field all
/// its subtypes have.
pub(crate) enum IdAccess {
    Field(String),
    Accessor(String),
}

fn follow<'m>(model: &'m ApiModel, op: &'m Operation) -> Option<Follow<'m>> {
    if op.http_method != crate::model::HttpMethod::Post {
        return None;
    }
    let get = model.operations.iter().find(|get| {
        get.http_method == crate::model::HttpMethod::Get
            && get.state_waiters().next().is_some()
            && get.path.strip_prefix(op.path.as_str()).is_some_and(|rest| {
                rest.starts_with("/{") && rest.ends_with('}') && rest[1..].matches('{').count() == 1
            })
    })?;
    let Some(crate::model::TypeRef::Named(body)) = op.newest_response()?.body.as_ref() else {
        return None;
    };
    let string = crate::model::TypeRef::Primitive(crate::model::Primitive::String);
    let id = match &model.types.get(body)?.kind {
        crate::model::TypeKind::Struct(fields) => fields
            .iter()
            .find(|f| f.name == "id" && f.ty == string)
            .map(|f| IdAccess::Field(f.ident.0.clone())),
        // A union answer (a snapshot of either kind) reads it through its common accessor.
        crate::model::TypeKind::Union(union) => model
            // Only whether the field is there matters: the accessor returns an `Option`.
            .common_fields(union, |_| false)
            .into_iter()
            .find(|f| f.name == "id" && f.ty == string)
            .map(|f| IdAccess::Accessor(f.ident.0)),
        _ => None,
    }?;
    Some(Follow { get, id })
}

impl CliOperation<'_> {
    /// The module holding the operation's command and run function.
    fn module(&self) -> proc_macro2::Ident {
        super::ident(&self.op.method_name.0)
    }
}

impl Group<'_> {
    /// The group's module and the name of its file (without `.rs`).
    fn module(&self) -> (proc_macro2::Ident, String) {
        let mut file = self.name.replace('-', "_");
        // `mod.rs` is the file of the groups themselves.
        if file == "mod" {
            file.push_str("_group");
        }
        (super::ident(&file), file)
    }
}

/// A group of subcommands: one tag.
struct Group<'m> {
    name: String,
    tag: String,
    description: Option<&'m str>,
    operations: Vec<&'m CliOperation<'m>>,
}

/// Emits and formats the command-line crate's generated files. `client_crate` is the Rust name
/// of the client crate the generated code calls (`atlas_snapshots`).
pub fn cli_files(
    model: &ApiModel,
    options: &Options,
    client_crate: &str,
) -> Result<Vec<OutputFile>, CodegenError> {
    cli_tokens(model, client_crate)
        .into_iter()
        .map(|(name, tokens)| {
            let path = format!("{OWNED_DIR}/{name}.rs");
            let parsed = crate::format::parse_file(&path, tokens)?;
            let mut contents = super::files::header(model, options);
            contents.push_str(&crate::format::format_file(&parsed));
            Ok(OutputFile { path, contents })
        })
        .collect()
}

/// The groups and their commands, one a line, the summaries lined up. Deprecation is left to
/// each group's and command's help, so that the lines stay short enough not to wrap.
fn operation_list(groups: &[Group<'_>]) -> String {
    let width = groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| op.name.len())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for group in groups {
        lines.push(format!("  {}", group.name));
        for op in &group.operations {
            let summary = op
                .op
                .summary
                .as_deref()
                .map(super::docs::one_line)
                .unwrap_or_default();
            let line = format!("    {:width$}  {summary}", op.name);
            lines.push(line.trim_end().to_owned());
        }
    }
    lines.join("\n")
}

fn group_name(op: &Operation) -> String {
    op.tags
        .first()
        .map_or_else(|| UNTAGGED.to_owned(), |tag| tag.to_kebab_case())
}

/// The files of the command line, by name: `mod` first, then one per group.
fn cli_tokens(model: &ApiModel, client_crate: &str) -> Vec<(String, TokenStream)> {
    let client = format_ident!("{}", client_crate);
    let body_fields: Vec<Vec<crate::model::Parameter>> = model
        .operations
        .iter()
        .map(|op| flags::body_fields(model, op).unwrap_or_default())
        .collect();
    let operations: Vec<CliOperation<'_>> = model
        .operations
        .iter()
        .zip(&body_fields)
        .map(|(op, fields)| {
            let flags = flags::flags(model, op);
            let body_flags = flags::body_flags(model, fields, &flags);
            (op, flags, body_flags)
        })
        .map(|(op, flags, body_flags)| CliOperation {
            op,
            group: group_name(op),
            name: op.official_name().to_kebab_case(),
            flags,
            body_flags,
            replacement: op
                .deprecation
                .as_ref()
                .and_then(|d| d.replaced_by.as_ref())
                .and_then(|id| model.operations.iter().find(|o| &o.id == id))
                .map(|o| format!("{} {}", group_name(o), o.official_name().to_kebab_case())),
            follow: follow(model, op),
            deletion: deletion(model, op),
        })
        .collect();
    // Groups in the order the spec declares its tags, then tags it never declared, by name.
    let mut groups: Vec<Group<'_>> = Vec::new();
    for op in &operations {
        let tag = op
            .op
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| UNTAGGED.to_owned());
        match groups.iter_mut().find(|g| g.name == op.group) {
            Some(group) => group.operations.push(op),
            None => groups.push(Group {
                name: op.group.clone(),
                description: model
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.description.as_deref()),
                tag,
                operations: vec![op],
            }),
        }
    }
    let declared = |group: &Group<'_>| {
        model
            .tags
            .iter()
            .position(|t| t.name == group.tag)
            .unwrap_or(usize::MAX)
    };
    groups.sort_by(|a, b| declared(a).cmp(&declared(b)).then(a.name.cmp(&b.name)));

    let modules = groups.iter().map(|g| g.module().0);
    let group_calls = groups.iter().map(|g| {
        let module = g.module().0;
        quote!(#module::command())
    });
    let arms = groups.iter().map(|g| {
        let (name, module) = (&g.name, g.module().0);
        quote!(#name => #module::run(context, command, matches).await,)
    });
    let count = operations.len();
    let list = operation_list(&groups);
    let commands = operations.iter().map(|cli| {
        let id = &cli.op.id.0;
        let command = format!("{} {}", cli.group, cli.name);
        quote!(#id => Some(#command),)
    });
    // Parameters are checked against the client's descriptors; the body fields the command line
    // takes as flags have their own checks, whose patterns are declared here once.
    let patterns = PatternTable::for_params(
        "crate::generated::patterns",
        operations.iter().flat_map(|cli| {
            cli.body_flags.iter().map(|flag| {
                let pointer = format!("{}/requestBody/{}", cli.op.pointer, flag.param.name);
                (pointer, flag.param)
            })
        }),
    );
    let root = quote! {
        //! The subcommands of the command-line client, generated from the spec: one group per tag,
        //! one command per operation with a flag per parameter, and the code that runs it through
        //! the generated client, one file per group. Global flags, credentials, output and exit
        //! codes are hand-written in the crate's other modules.

        use crate::context::Context;
        use crate::failure::Failure;

        mod patterns;
        #(mod #modules;)*

        /// How many operations the command line offers.
        pub const OPERATIONS: usize = #count;

        /// The command of an operation, `group command`, by its `operationId`.
        pub fn command_of(operation_id: &str) -> Option<&'static str> {
            match operation_id {
                #(#commands)*
                _ => None,
            }
        }

        /// Every operation by group, with its summary, for the root command's `--help`.
        pub const OPERATION_LIST: &str = #list;

        /// The groups of subcommands, one per tag, in the order the spec declares its tags.
        pub fn groups() -> Vec<::clap::Command> {
            vec![#(#group_calls),*]
        }

        /// Runs the operation a command line names by its group and command.
        pub async fn run(
            context: &Context,
            group: &str,
            command: &str,
            matches: &::clap::ArgMatches,
        ) -> Result<(), Failure> {
            match group {
                #(#arms)*
                _ => Err(Failure::unknown_command(group, command)),
            }
        }
    };
    let mut files = vec![("mod".to_owned(), root)];
    let import = (!patterns.is_empty()).then(|| quote!(use ::#client::Pattern;));
    files.push((
        "patterns".to_owned(),
        quote! {
            //! The regular expressions of the request body fields the commands take as flags,
            //! each compiled on first use. Parameters are checked against the client's own.

            #import

            #patterns
        },
    ));
    for group in &groups {
        files.push((group.module().1, group_file(group, &client, &patterns)));
    }
    files
}

/// The file of one group: its command, the dispatch to its operations, and one module per
/// operation.
fn group_file(
    group: &Group<'_>,
    client: &proc_macro2::Ident,
    patterns: &PatternTable,
) -> TokenStream {
    let doc = format!(
        " The `{}` group of the command line: the operations tagged {}.",
        group.name, group.tag
    );
    let command = command::group_fn(group);
    let name = &group.name;
    let arms = group.operations.iter().map(|op| {
        let (command, module) = (&op.name, op.module());
        quote!(#command => #module::run(context, matches).await,)
    });
    let modules = group.operations.iter().map(|op| {
        let module = op.module();
        let doc = format!(
            " `{}`: {}",
            op.op.id,
            op.op
                .summary
                .as_deref()
                .map_or(String::new(), super::docs::one_line)
        );
        let command = command::operation_fn(op, client);
        let body_checks = op.body_flags.iter().filter_map(|f| f.checks_item(patterns));
        let run = run::run_fn(op, client);
        let builder = super::ident(&op.op.builder_name.0);
        let generation = match op.op.generation {
            crate::model::ApiGeneration::Current => quote!(operations),
            crate::model::ApiGeneration::Legacy => quote!(v1),
        };
        // The runtime names the flags' parsers write bare, in order.
        let mut imports = vec![format_ident!("OperationInfo")];
        if op.flags.iter().any(|f| f.is_checked()) {
            imports.push(format_ident!("ParamIn"));
        }
        if op.body_flags.iter().any(|f| f.is_checked()) {
            imports.push(format_ident!("ValueKind"));
        }
        if op.body_flags.iter().any(|f| f.has_checks(patterns)) {
            imports.push(format_ident!("Check"));
        }
        imports.sort();
        // `--all` walks the pages through the client's `ListRequest` trait.
        let list_request = op
            .op
            .pagination
            .is_some()
            .then(|| quote!(use ::#client::ListRequest as _;));
        quote! {
            #[doc = #doc]
            mod #module {
                use crate::args;
                use crate::context::Context;
                use crate::failure::Failure;
                use ::#client::{#(#imports),*};
                #list_request

                /// The client's descriptor of the operation: the flags of its parameters are
                /// read and checked as the client checks them.
                const OPERATION: &OperationInfo = &::#client::#generation::#builder::OPERATION;

                #(#body_checks)*
                #command
                #run
            }
        }
    });
    quote! {
        #![doc = #doc]

        use crate::context::Context;
        use crate::failure::Failure;

        #command

        /// Runs the command of this group a command line names.
        pub async fn run(
            context: &Context,
            command: &str,
            matches: &::clap::ArgMatches,
        ) -> Result<(), Failure> {
            match command {
                #(#arms)*
                _ => Err(Failure::unknown_command(#name, command)),
            }
        }

        #(#modules)*
    }
}
