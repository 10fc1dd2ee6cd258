//! Pagination: recognises list operations that page the Atlas way (`pageNum` and
//! `itemsPerPage` query parameters, a body whose `results` array holds the items and whose
//! optional `totalCount` counts them all).

use super::{FieldName, Operation, Pagination, TypeDef, TypeKind, TypeName, TypeRef};
use crate::dialect::{ITEMS_PER_PAGE_PARAM, PAGE_NUM_PARAM, RESULTS_FIELD, TOTAL_COUNT_FIELD};
use std::collections::BTreeMap;

/// The pagination shape of an operation, if it has one. Every response version must agree on
/// the item type, or the operation is not treated as paginated.
pub(crate) fn detect_pagination(
    op: &Operation,
    types: &BTreeMap<TypeName, TypeDef>,
) -> Option<Pagination> {
    let has_param = |name: &str| op.query_params().any(|p| p.name == name);
    if !has_param(PAGE_NUM_PARAM) || !has_param(ITEMS_PER_PAGE_PARAM) {
        return None;
    }
    let mut shapes = op
        .responses
        .iter()
        .map(|response| page_shape(response.body.as_ref()?, types));
    let first = shapes.next()??;
    for shape in shapes {
        if shape.as_ref() != Some(&first) {
            return None;
        }
    }
    let (results_field, total_field, item) = first;
    Some(Pagination {
        page_param: PAGE_NUM_PARAM.to_owned(),
        size_param: ITEMS_PER_PAGE_PARAM.to_owned(),
        results_field,
        total_field,
        item,
    })
}

fn page_shape(
    body: &TypeRef,
    types: &BTreeMap<TypeName, TypeDef>,
) -> Option<(FieldName, Option<FieldName>, TypeRef)> {
    let TypeRef::Named(name) = body else {
        return None;
    };
    let TypeKind::Struct(fields) = &types.get(name)?.kind else {
        return None;
    };
    let results = fields.iter().find(|f| f.name == RESULTS_FIELD)?;
    let TypeRef::Array(item) = &results.ty else {
        return None;
    };
    let total = fields
        .iter()
        .find(|f| f.name == TOTAL_COUNT_FIELD)
        .map(|f| f.ident.clone());
    Some((results.ident.clone(), total, (**item).clone()))
}
