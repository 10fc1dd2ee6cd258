//! Context: the state shared while converting the schemas of one spec ([`SchemaCx`]), the
//! lookups every part needs (component schemas and the type names they got), and the words the
//! parts speak to each other in ([`SchemaRef`], [`TypeOf`]). It uses no part that types a
//! schema, so those parts build on it without depending on one another.

use super::fixups::FixupLog;
use crate::error::Diagnostic;
use crate::load::{unescape_pointer, LoadedSpec};
use crate::model::{Note, TypeDef, TypeName, TypeRef};
use crate::names::NameScope;
use openapiv3::{ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet};

pub(super) const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// State shared while converting the schemas of one spec.
pub(crate) struct SchemaCx<'s> {
    pub spec: &'s LoadedSpec,
    /// Component schema name → the Rust type name it got.
    pub(super) component_names: BTreeMap<String, TypeName>,
    pub(super) type_scope: NameScope,
    pub types: BTreeMap<TypeName, TypeDef>,
    pub notes: Vec<Note>,
    /// Pointers of the schemas generated as `serde_json::Value`.
    pub untyped: Vec<String>,
    pub problems: Vec<Diagnostic>,
    /// Patterns already noted as unsupported: a shared parameter is noted once, not per use.
    pub(super) unsupported_patterns: BTreeSet<String>,
    /// How often each fix-up applied.
    pub fixups: FixupLog,
    /// References into a schema's interior being converted right now: one met again from
    /// inside its own target would be converted forever.
    pub(super) interior_in_progress: Vec<String>,
    /// The type of each parameter component's schema (by component name), made once: a
    /// shared parameter with an inline enum is one type, whatever number of operations use it.
    pub parameter_types: BTreeMap<String, TypeRef>,
}

/// A schema seen through a reference or inline, with the pointer where it was written.
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// The type of a schema met inside another (a property, an item, a member), given a name hint
/// and its pointer: `SchemaCx::type_ref`, handed down to the parts that meet such schemas so
/// that the recursion stays in `mod.rs` instead of every part calling back up into it.
pub(super) type TypeOf<'s> = fn(&mut SchemaCx<'s>, SchemaRef<'_>, &str, &str) -> TypeRef;

impl<'s> SchemaCx<'s> {
    /// A context with nothing converted and no name given yet.
    pub(super) fn empty(spec: &'s LoadedSpec) -> Self {
        SchemaCx {
            spec,
            component_names: BTreeMap::new(),
            type_scope: NameScope::new(),
            types: BTreeMap::new(),
            notes: Vec::new(),
            untyped: Vec::new(),
            problems: Vec::new(),
            unsupported_patterns: BTreeSet::new(),
            fixups: FixupLog::default(),
            interior_in_progress: Vec::new(),
            parameter_types: BTreeMap::new(),
        }
    }

    /// The schema itself, following component references (for constraints and defaults).
    pub fn resolve_schema<'a>(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema>
    where
        's: 'a,
    {
        let mut current = schema;
        for _ in 0..=crate::validate::MAX_REF_HOPS {
            match current {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    let name = unescape_pointer(reference.strip_prefix(COMPONENT_PREFIX)?);
                    current = self.spec.openapi.components.as_ref()?.schemas.get(&name)?;
                }
            }
        }
        None
    }

    /// A component schema by reference (`#/components/schemas/...`), following references
    /// between components.
    pub(super) fn component_schema(&self, reference: &str) -> Option<&'s Schema> {
        let spec = self.spec;
        let mut target = reference;
        for _ in 0..=crate::validate::MAX_REF_HOPS {
            let name = unescape_pointer(target.strip_prefix(COMPONENT_PREFIX)?);
            match spec.openapi.components.as_ref()?.schemas.get(&name)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => target = reference,
            }
        }
        None
    }

    /// The type name of the component schema a reference (`#/components/schemas/...`) names.
    pub(super) fn component_type(&self, reference: &str) -> Option<&TypeName> {
        let name = unescape_pointer(reference.strip_prefix(COMPONENT_PREFIX)?);
        self.component_names.get(&name)
    }

    /// The documented fallback for what the generator cannot type, with a note saying where.
    pub(super) fn untyped(&mut self, reason: String, pointer: &str) -> TypeRef {
        self.untyped.push(pointer.to_owned());
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: format!("{reason}: generated as `serde_json::Value`"),
        });
        TypeRef::Any
    }
}
