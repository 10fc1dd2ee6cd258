//! Recursive models: a struct that contains itself (directly or through other structs) has no
//! size unless the cycle passes through a pointer. Fields on such a cycle are boxed; arrays, maps
//! and the (boxed) variants of tagged unions already allocate, so they break cycles by themselves.

use crate::model::{TypeDef, TypeKind, TypeName, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// For each struct, the wire names of its fields that must be boxed.
pub fn boxed_fields(types: &BTreeMap<TypeName, TypeDef>) -> BTreeMap<TypeName, BTreeSet<String>> {
    let mut out: BTreeMap<TypeName, BTreeSet<String>> = BTreeMap::new();
    for (name, def) in types {
        let TypeKind::Struct(fields) = &def.kind else {
            continue;
        };
        for field in fields {
            if let Some(target) = direct_target(&field.ty, types) {
                if reaches(target, name, types, &mut BTreeSet::new()) {
                    out.entry(name.clone())
                        .or_default()
                        .insert(field.name.clone());
                }
            }
        }
    }
    out
}

/// The struct a type embeds by value, following aliases; `None` for pointers and primitives.
fn direct_target<'t>(
    ty: &'t TypeRef,
    types: &'t BTreeMap<TypeName, TypeDef>,
) -> Option<&'t TypeName> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &types.get(name)?.kind {
        TypeKind::Alias(inner) => direct_target(inner, types),
        TypeKind::Struct(_) => Some(name),
        // Enums hold strings; union variants are boxed.
        TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Untagged(_) => None,
    }
}

fn reaches(
    from: &TypeName,
    goal: &TypeName,
    types: &BTreeMap<TypeName, TypeDef>,
    seen: &mut BTreeSet<TypeName>,
) -> bool {
    if from == goal {
        return true;
    }
    if !seen.insert(from.clone()) {
        return false;
    }
    let Some(TypeDef {
        kind: TypeKind::Struct(fields),
        ..
    }) = types.get(from)
    else {
        return false;
    };
    fields
        .iter()
        .filter_map(|f| direct_target(&f.ty, types))
        .any(|next| reaches(next, goal, types, seen))
}
