//! Pagination: recognises list operations that page the Atlas way (`pageNum` and
//! `itemsPerPage` query parameters, a body whose `results` array holds the items and whose
//! optional `totalCount` counts them all).

use super::{FieldName, Operation, Pagination, TypeDef, TypeKind, TypeName, TypeRef};
use std::collections::BTreeMap;

const PAGE_PARAM: &str = "pageNum";
const SIZE_PARAM: &str = "itemsPerPage";
const RESULTS_FIELD: &str = "results";
const TOTAL_FIELD: &str = "totalCount";

/// The pagination shape of an operation, if it has one. Every response version must agree on
/// the item type, or the operation is not treated as paginated.
pub(crate) fn detect_pagination(
    op: &Operation,
    types: &BTreeMap<TypeName, TypeDef>,
) -> Option<Pagination> {
    let has_param = |name: &str| op.query_params().any(|p| p.name == name);
    if !has_param(PAGE_PARAM) || !has_param(SIZE_PARAM) {
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
        page_param: PAGE_PARAM.to_owned(),
        size_param: SIZE_PARAM.to_owned(),
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
        .find(|f| f.name == TOTAL_FIELD)
        .map(|f| f.ident.clone());
    Some((results.ident.clone(), total, (**item).clone()))
}
