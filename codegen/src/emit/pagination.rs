//! Paginated lists: `impl Page` for each page model, and `impl ListRequest` for the request
//! builder of each list operation. The runtime's `ListRequest` trait has the walks (`pages()`,
//! `items()` and their concurrent forms) and their docs, once; a builder says only where its
//! walk starts and how to send it for one page number.

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
            let allow = super::types::allow_deprecated_uses(
                self.model,
                [&pagination.item, &TypeRef::Named(page.clone())].into_iter(),
            );
            tokens.extend(quote!(#allow));
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
        None => quote!(None),
    };
    quote! {
        impl ::atlas_snapshots_runtime::Page for #page {
            type Item = #item;
            fn items(&self) -> &[#item] {
                #items
            }
            fn into_items(self) -> Vec<#item> {
                #into_items
            }
            fn total_count(&self) -> Option<u64> {
                #total
            }
        }
    }
}

/// `impl ListRequest` for the builder of a list operation: where the walk starts, in pages of
/// which size, and how to send the request for one page number.
pub fn list_request_impl(op: &Operation, error_body: &TokenStream) -> TokenStream {
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
    let name = ident(&op.builder_name.0);
    let allow_deprecated = op
        .deprecation
        .is_some()
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow_deprecated
        impl<'a> ::atlas_snapshots_runtime::ListRequest for #name<'a> {
            type Page = super::models::#page;
            type ErrorBody = #error_body;

            fn walk(&self) -> ::atlas_snapshots_runtime::__private::Walk {
                ::atlas_snapshots_runtime::__private::Walk::new(self.client, &Self::OPERATION, #first, #size)
            }

            fn send_page(
                mut self,
                page: i64,
            ) -> impl ::std::future::Future<Output = ::atlas_snapshots_runtime::__private::PageResult<Self>> {
                self.#page_field = Some(#next);
                self.send()
            }
        }
    }
}
