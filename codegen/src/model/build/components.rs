//! Components: follows `#/components/{kind}/{name}` references to parameters, responses,
//! request bodies, schemas and headers.

use crate::load::LoadedSpec;
use openapiv3::ReferenceOr;

/// A kind of reusable object under `#/components`, so one function can follow references to
/// any of them.
pub(super) trait Component: Sized {
    const KIND: &'static str;
    fn table(components: &openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $kind:literal, $field:ident) => {
        impl Component for $ty {
            const KIND: &'static str = $kind;
            fn table(
                components: &openapiv3::Components,
            ) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}
component!(openapiv3::Parameter, "parameters", parameters);
component!(openapiv3::Response, "responses", responses);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);
component!(openapiv3::Schema, "schemas", schemas);
component!(openapiv3::Header, "headers", headers);

/// Follows `#/components/{kind}/{name}` references (validation has proven they resolve) to the
/// object itself. A reference of another shape resolves to nothing; validation reports those.
pub(super) fn resolve_component<'s, T: Component>(
    spec: &'s LoadedSpec,
    mut item: &'s ReferenceOr<T>,
) -> Option<&'s T> {
    let components = spec.openapi.components.as_ref();
    // Validation has refused cycles and chains longer than the bound.
    for _ in 0..=crate::validate::MAX_REF_HOPS {
        match item {
            ReferenceOr::Item(found) => return Some(found),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{}/", T::KIND);
                let name = crate::load::unescape_pointer(reference.strip_prefix(&prefix)?);
                item = T::table(components?).get(&name)?;
            }
        }
    }
    None
}

/// The schema a property's or an item's schema is or names.
pub(super) fn resolve_boxed<'s>(
    spec: &'s LoadedSpec,
    schema: &'s ReferenceOr<Box<openapiv3::Schema>>,
) -> Option<&'s openapiv3::Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => resolve_component(
            spec,
            spec.openapi
                .components
                .as_ref()?
                .schemas
                .get(&crate::load::unescape_pointer(
                    reference.strip_prefix("#/components/schemas/")?,
                ))?,
        ),
    }
}
