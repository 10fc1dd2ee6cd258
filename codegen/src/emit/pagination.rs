//! Paginated lists: `impl Page` for each page model, and the `pages()` / `items()` methods of
//! the request builders of list operations, which walk every page lazily, with their
//! `pages_concurrent(limit)` / `items_concurrent(limit)` variants, which fetch up to `limit`
//! pages at once when the first page gives the total.

use super::ident;
use super::types::rust_type;
use crate::model::{ApiModel, Field, Operation, Primitive, TypeKind, TypeName, TypeRef};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use std::collections::BTreeMap;

/// The page model of an operation that can be walked: a single named body type with the
/// pagination shape. Operations whose versions answer with different types are not walked.
pub fn page_type(op: &Operation) -> Option<&TypeName> {
    op.pagination.as_ref()?;
    match op.distinct_bodies().as_slice() {
        [TypeRef::Named(name)] => Some(name),
        _ => None,
    }
}

/// `impl Page` for every page model, once each.
pub struct PageImpls<'m> {
    pub model: &'m ApiModel,
}

impl ToTokens for PageImpls<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut pages: BTreeMap<&TypeName, &Operation> = BTreeMap::new();
        for op in &self.model.operations {
            if let Some(page) = page_type(op) {
                pages.entry(page).or_insert(op);
            }
        }
        for (page, op) in pages {
            let (Some(pagination), Some(TypeKind::Struct(fields))) =
                (&op.pagination, self.model.types.get(page).map(|d| &d.kind))
            else {
                continue;
            };
            let field = |name: &str| fields.iter().find(|f| f.ident.0 == name);
            let Some(results) = field(&pagination.results_field.0) else {
                continue;
            };
            let total = pagination.total_field.as_ref().and_then(|t| field(&t.0));
            tokens.extend(page_impl(page, &pagination.item, results, total));
        }
    }
}

fn optional(field: &Field) -> bool {
    !field.required || field.nullable
}

fn page_impl(
    page: &TypeName,
    item: &TypeRef,
    results: &Field,
    total: Option<&Field>,
) -> TokenStream {
    let page = ident(&page.0);
    let item = rust_type(item, &quote!(self));
    let results_ident = ident(&results.ident.0);
    let (items, into_items) = if optional(results) {
        (
            quote!(self.#results_ident.as_deref().unwrap_or_default()),
            quote!(self.#results_ident.unwrap_or_default()),
        )
    } else {
        (quote!(&self.#results_ident), quote!(self.#results_ident))
    };
    let total = match total {
        Some(field) => {
            let total_ident = ident(&field.ident.0);
            // Some specs type the count as a JSON number; a float count is whole when sane.
            let count = |n: TokenStream| match &field.ty {
                TypeRef::Primitive(Primitive::F32 | Primitive::F64) => {
                    quote!((#n >= 0.0).then_some(#n as u64))
                }
                _ => quote!(u64::try_from(#n).ok()),
            };
            if optional(field) {
                let n = count(quote!(n));
                quote!(self.#total_ident.and_then(|n| #n))
            } else {
                count(quote!(self.#total_ident))
            }
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        impl ::atlas_runtime::Page for #page {
            type Item = #item;
            fn items(&self) -> &[#item] {
                #items
            }
            fn into_items(self) -> ::std::vec::Vec<#item> {
                #into_items
            }
            fn total_count(&self) -> ::std::option::Option<u64> {
                #total
            }
        }
    }
}

/// The methods [`page_methods`] adds to a list operation's builder. Parameters are named around
/// them in every operation, since whether an operation pages is found after its parameters are
/// named.
pub const PAGINATION_NAMES: &[&str] = &["items", "items_concurrent", "pages", "pages_concurrent"];

/// `pages()`, `items()`, `pages_concurrent()` and `items_concurrent()` for the builder of a
/// list operation.
pub fn page_methods(op: &Operation) -> TokenStream {
    let (Some(pagination), Some(page)) = (&op.pagination, page_type(op)) else {
        return TokenStream::new();
    };
    let param = |name: &str| op.params.iter().find(|p| p.name == name);
    let (Some(page_param), Some(size_param)) =
        (param(&pagination.page_param), param(&pagination.size_param))
    else {
        return TokenStream::new();
    };
    if page_param.required || size_param.required {
        return TokenStream::new();
    }
    let page_field = ident(&page_param.ident.0);
    let size_field = ident(&size_param.ident.0);
    // The server's own default page size, so a short page is recognised as the last one.
    let default_size = size_param
        .default
        .as_ref()
        .and_then(|d| d.as_i64())
        .unwrap_or(100);
    // The runtime counts pages in `i64`; 32-bit parameters are widened and narrowed here.
    let (first, size, next) = match (&page_param.ty, &size_param.ty) {
        (TypeRef::Primitive(Primitive::I64), TypeRef::Primitive(Primitive::I64)) => (
            quote!(self.#page_field.unwrap_or(1)),
            quote!(self.#size_field.unwrap_or(#default_size)),
            quote!(page),
        ),
        (TypeRef::Primitive(Primitive::I32), TypeRef::Primitive(Primitive::I32)) => (
            quote!(self.#page_field.map_or(1, i64::from)),
            quote!(self.#size_field.map_or(#default_size, i64::from)),
            quote!(i32::try_from(page).unwrap_or(i32::MAX)),
        ),
        _ => return TokenStream::new(),
    };
    let page = ident(&page.0);
    let item = rust_type(&pagination.item, &quote!(super::models));
    let page_doc = format!(
        " Streams every page, from the one set with `{}` (default 1) on, fetching each when the previous one was consumed. The stream ends after the last page (by `totalCount`, or a short page) or after the first error.",
        page_param.ident.0
    );
    quote! {
        #[doc = #page_doc]
        pub fn pages(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<::atlas_runtime::ResponseValue<super::models::#page>, super::Error>> + 'a {
            let first = #first;
            let size = #size;
            let walk = ::atlas_runtime::__private::Walk::new(self.client, &Self::OPERATION, first, size);
            ::atlas_runtime::__private::pages(walk, move |page| {
                let mut request = self.clone();
                request.#page_field = ::std::option::Option::Some(#next);
                request.send()
            })
        }

        /// Streams the items of every page, in order; see [`Self::pages`].
        pub fn items(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, super::Error>> + 'a {
            ::atlas_runtime::__private::items(self.pages())
        }

        /// Streams every page like [`Self::pages`], but once the first page reports `totalCount`, fetches the remaining pages with up to `limit` requests in flight (at least 1). Pages still arrive in order, and at most `limit` of them are held at once. Without a `totalCount` in the first page, the pages are fetched one at a time. An error ends the stream after every page before it.
        pub fn pages_concurrent(self, limit: usize) -> impl ::futures_util::Stream<Item = ::std::result::Result<::atlas_runtime::ResponseValue<super::models::#page>, super::Error>> + 'a {
            let first = #first;
            let size = #size;
            let walk = ::atlas_runtime::__private::Walk::new(self.client, &Self::OPERATION, first, size);
            ::atlas_runtime::__private::pages_concurrent(walk, limit, move |page| {
                let mut request = self.clone();
                request.#page_field = ::std::option::Option::Some(#next);
                request.send()
            })
        }

        /// Streams the items of every page, in order, fetching up to `limit` pages at once; see [`Self::pages_concurrent`].
        pub fn items_concurrent(self, limit: usize) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, super::Error>> + 'a {
            ::atlas_runtime::__private::items(self.pages_concurrent(limit))
        }
    }
}
