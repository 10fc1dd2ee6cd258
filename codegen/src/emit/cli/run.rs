//! The function that runs one operation: it reads the flags, then either waits with the
//! operation's waiter (`--wait`), walks every page (`--all`), or sends it once, and prints the
//! answer. `--dry-run` is the client's: it prints the first request where it would be sent.

use super::flags::Flag;
use super::CliOperation;
use crate::model::ParamLocation;
use heck::ToKebabCase;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The local variable of a flag's value: the parameter's Rust name, raw where a keyword.
fn local(flag: &Flag<'_>) -> Ident {
    crate::emit::ident(&flag.param.ident.0)
}

/// `pub async fn run(context, matches)` of one operation.
pub(super) fn run_fn(cli: &CliOperation<'_>, client: &Ident) -> TokenStream {
    let op = cli.op;
    let models = quote!(::#client::models);
    // Required flags are read first: they are the client method's arguments (and the waiters'),
    // while each optional one is read where it goes into the builder.
    let reads = cli.flags.iter().filter(|f| f.param.required).map(|flag| {
        let var = local(flag);
        let id = &flag.name;
        let ty = flag.item_type(client);
        match flag.many {
            false => quote!(let #var: #ty = args::required(matches, #id);),
            true => quote!(let #var: Vec<#ty> = args::many(matches, #id);),
        }
    });
    let body = op.request.as_ref().map(|request| {
        let ty = super::super::types::rust_type(
            &request
                .contents
                .last()
                .expect("a request body has a media type")
                .body,
            &models,
        );
        if cli.body_flags.is_empty() {
            return match request.required {
                true => quote!(let body: #ty = context.body(matches)?;),
                false => quote!(let body: Option<#ty> = context.optional_body(matches)?;),
            };
        }
        let fields = cli.body_flags.iter().map(|flag| {
            let wire = &flag.param.name;
            let id = &flag.name;
            let required = flag.param.required;
            let item = flag.item_type(client);
            let many = flag.many;
            quote!(args::field::<#item>(matches, #wire, #id, #required, #many))
        });
        let read = quote!(context.body_or_fields(matches, [#(#fields),*])?);
        match request.required {
            true => quote!(let body: #ty = #read.ok_or_else(Failure::no_body)?;),
            false => quote!(let body: Option<#ty> = #read;),
        }
    });
    let wait = op.state_waiters().next().is_some().then(|| {
        let path_args = path_args(cli);
        let arms = op.state_waiters().map(|waiter| {
            let name = waiter.name.to_kebab_case();
            let method = crate::emit::ident(&waiter.method_name.0);
            quote! {
                #name => context
                    .client()
                    .#method(#(#path_args),*)
                    .policy(context.wait_policy(matches))
                    .wait()
                    .await?,
            }
        });
        quote! {
            if let Some(waiter) = args::optional::<String>(matches, "wait") {
                context.check_credentials()?;
                let answer = match waiter.as_str() {
                    #(#arms)*
                    other => return Err(Failure::unknown_waiter(other)),
                };
                return context.print(answer.body());
            }
        }
    });
    let method = crate::emit::ident(&op.method_name.0);
    let mut positional: Vec<TokenStream> = cli
        .flags
        .iter()
        .filter(|f| f.param.required)
        .map(|f| {
            let var = local(f);
            // A create or delete that `--wait` follows still needs its path after sending.
            if (cli.follow.is_some() || cli.deletion.is_some())
                && f.param.location == ParamLocation::Path
            {
                quote!(Clone::clone(&#var))
            } else {
                quote!(#var)
            }
        })
        .collect();
    if op.request.as_ref().is_some_and(|r| r.required) {
        positional.push(quote!(body));
    }
    let setters = cli.flags.iter().filter(|f| !f.param.required).map(|flag| {
        let setter = crate::emit::ident(&flag.param.ident.0);
        let id = &flag.name;
        let ty = flag.item_type(client);
        match flag.many {
            false => quote! {
                if let Some(value) = args::optional::<#ty>(matches, #id) {
                    request = request.#setter(value);
                }
            },
            true => quote! {
                let values: Vec<#ty> = args::many(matches, #id);
                if !values.is_empty() {
                    request = request.#setter(values);
                }
            },
        }
    });
    let optional_body = op.request.as_ref().filter(|r| !r.required).map(|_| {
        quote! {
            if let Some(body) = body {
                request = request.body(body);
            }
        }
    });
    let paging = op.pagination.as_ref().map(|_| {
        quote! {
            match args::paging(matches) {
                args::Paging::All => return context.print_items(request.items()).await,
                args::Paging::Concurrent(limit) => {
                    return context.print_items(request.items_concurrent(limit)).await;
                }
                args::Paging::One => {}
            }
        }
    });
    let follow = cli.follow.as_ref().map(|follow| {
        let id = match &follow.id {
            super::IdAccess::Field(field) => {
                let field = crate::emit::ident(field);
                quote!(args::ResourceId::resource_id(&answer.body().#field))
            }
            super::IdAccess::Accessor(method) => {
                let method = crate::emit::ident(method);
                quote!(answer.body().#method().map(::std::borrow::ToOwned::to_owned))
            }
        };
        let path_args = path_args(cli);
        let arms = follow.get.state_waiters().map(|waiter| {
            let name = waiter.name.to_kebab_case();
            let method = crate::emit::ident(&waiter.method_name.0);
            quote! {
                #name => context
                    .client()
                    .#method(#(#path_args,)* id)
                    .policy(context.wait_policy(matches))
                    .wait()
                    .await?,
            }
        });
        quote! {
            if let Some(waiter) = args::optional::<String>(matches, "wait") {
                let id = #id.ok_or_else(|| Failure::no_id(OPERATION.id))?;
                let answer = match waiter.as_str() {
                    #(#arms)*
                    other => return Err(Failure::unknown_waiter(other)),
                };
                return context.print(answer.body());
            }
        }
    });
    let deletion = cli.deletion.map(|get| {
        let path_args = path_args(cli);
        let arms = get.gone_waiters().map(|waiter| {
            let name = waiter.name.to_kebab_case();
            let method = crate::emit::ident(&waiter.method_name.0);
            quote! {
                #name => context
                    .client()
                    .#method(#(#path_args),*)
                    .policy(context.wait_policy(matches))
                    .wait()
                    .await?,
            }
        });
        quote! {
            if let Some(waiter) = args::optional::<String>(matches, "wait") {
                let _gone = match waiter.as_str() {
                    #(#arms)*
                    other => return Err(Failure::unknown_waiter(other)),
                };
            }
        }
    });
    let print = match op.newest_response() {
        Some(response)
            if response.media_type.is_empty()
                || response.body.is_none() && response.media_type.contains("json") =>
        {
            quote!(context.done(answer.status()))
        }
        Some(response) if !response.media_type.contains("json") => {
            quote!(context.write_bytes(answer.body()))
        }
        _ => quote!(context.print(answer.body())),
    };
    let deprecated = op
        .deprecation
        .is_some()
        .then(|| quote!(#[allow(deprecated)]));
    let mutable = (!cli.flags.iter().all(|f| f.param.required) || optional_body.is_some())
        .then(|| quote!(mut));
    quote! {
        /// Runs the operation with the flags of a parsed command line.
        #deprecated
        pub async fn run(
            context: &Context,
            matches: &::clap::ArgMatches,
        ) -> Result<(), Failure> {
            context.start(OPERATION);
            #(#reads)*
            #body
            #wait
            context.check_credentials()?;
            let #mutable request = context
                .client()
                .#method(#(#positional),*);
            #(#setters)*
            #optional_body
            #paging
            let answer = request.send().await?;
            #follow
            #deletion
            #print
        }
    }
}

/// The locals holding the operation's path parameters, in order: what a waiter of the same
/// resource is called with.
fn path_args(cli: &CliOperation<'_>) -> Vec<Ident> {
    cli.flags
        .iter()
        .filter(|f| f.param.location == ParamLocation::Path)
        .map(local)
        .collect()
}
