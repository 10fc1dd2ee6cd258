//! The intermediate model: what the emitter and the differ see of a spec. It is built from
//! `openapiv3` types by [`build`] and never refers to them, so the emitter does not depend on how
//! the spec was written (inline or `$ref`, shared or per-operation parameters).

mod build;
mod pagination;
mod schema;
mod sensitive;

/// Also named here, where the differ reads it.
pub use crate::dialect::LEGACY_PATH_PREFIX;
/// Atlas's notions, defined with the dialect that gives them their meaning.
pub use crate::dialect::{ApiGeneration, ParamRole};
pub use build::build_model;
pub use schema::{Fixup, FixupLog};

use std::collections::BTreeMap;
use std::fmt;

/// Rust name of a generated type (`UpperCamelCase`), unique within the model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName(pub String);

/// Rust name of a struct field, function or parameter (`snake_case`, raw where a keyword).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldName(pub String);

/// An operation's `operationId` as the spec spells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub String);

/// A resource version date (`2023-01-01`) taken from a versioned media type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(pub String);

macro_rules! display_newtype {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    )*};
}
display_newtype!(TypeName, FieldName, OperationId, ApiVersion);

/// Everything the generator knows about one spec.
#[derive(Debug, Clone)]
pub struct ApiModel {
    /// The spec file as the user named it.
    pub source: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL of the spec, if it names one.
    pub base_url: Option<String>,
    /// The spec's top-level tags, in its order: what each group of operations is about.
    pub tags: Vec<Tag>,
    /// Sorted by operation id.
    pub operations: Vec<Operation>,
    /// Named types: component schemas and the inline schemas that needed a name.
    pub types: BTreeMap<TypeName, TypeDef>,
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// The schema every error response shares, when they all share one.
    pub error_body: Option<TypeRef>,
    /// Places where the generator fell back or guessed; printed after a run.
    pub notes: Vec<Note>,
    /// JSON pointers of the schemas generated as `serde_json::Value` because they could not be
    /// typed (each also has a note saying why).
    pub untyped: Vec<String>,
    /// How often each spec fix-up applied.
    pub fixups: FixupLog,
    /// Whether the spec is Atlas's ([`crate::dialect::speaks_atlas`]): only then does the
    /// client read Atlas's variables and give `envelope` and `pretty` their Atlas meaning.
    pub atlas_dialect: bool,
}

/// A property every subtype of a tagged union declares with the same type, which the union
/// can read whatever its variant (see [`ApiModel::common_fields`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonField {
    pub name: String,
    pub ident: FieldName,
    pub ty: TypeRef,
    /// Per variant, in the union's order: whether its struct holds the field in an `Option`.
    pub optional: Vec<bool>,
    /// Deprecated in some subtype (reading it there must not warn).
    pub deprecated: bool,
}

impl ApiModel {
    /// The struct a type resolves to through aliases, if it is one: its name and fields.
    pub fn struct_of(&self, ty: &TypeRef) -> Option<(&TypeName, &[Field])> {
        let mut ty = ty;
        for _ in 0..16 {
            let TypeRef::Named(name) = ty else {
                return None;
            };
            let def = self.types.get(name)?;
            match &def.kind {
                TypeKind::Alias(target) => ty = target,
                TypeKind::Struct(fields) => return Some((&def.name, fields)),
                _ => return None,
            }
        }
        None
    }

    /// The properties every variant of `union` declares with the same scalar type (a
    /// primitive, an enum, or a list of them), in the first variant's order. Struct-typed
    /// properties are left out: they may be boxed in one subtype and not in another.
    /// `sent(struct)` says whether callers send the struct in a request, where a required
    /// read-only property is an `Option` (see `emit::model_struct::fields_as_typed`).
    pub fn common_fields(
        &self,
        union: &TaggedUnion,
        sent: impl Fn(&TypeName) -> bool,
    ) -> Vec<CommonField> {
        let structs: Option<Vec<(bool, &[Field])>> = union
            .variants
            .iter()
            .map(|v| {
                self.struct_of(&v.ty)
                    .map(|(name, fields)| (sent(name), fields))
            })
            .collect();
        let Some(structs) = structs.filter(|s| !s.is_empty()) else {
            return Vec::new();
        };
        let scalar = |ty: &TypeRef| {
            let mut ty = ty;
            if let TypeRef::Array(inner) = ty {
                ty = inner;
            }
            match ty {
                TypeRef::Primitive(_) => true,
                TypeRef::Named(name) => self
                    .types
                    .get(name)
                    .is_some_and(|def| matches!(def.kind, TypeKind::Enum(_))),
                _ => false,
            }
        };
        structs[0]
            .1
            .iter()
            .filter(|field| scalar(&field.ty))
            .filter_map(|field| {
                let same = structs
                    .iter()
                    .map(|(sent, fields)| {
                        let found = fields
                            .iter()
                            .find(|f| f.name == field.name && f.ty == field.ty)?;
                        Some((*sent, found))
                    })
                    .collect::<Option<Vec<(bool, &Field)>>>()?;
                Some(CommonField {
                    name: field.name.clone(),
                    ident: field.ident.clone(),
                    ty: field.ty.clone(),
                    optional: same
                        .iter()
                        .map(|(sent, f)| {
                            let required = f.required && !(*sent && f.read_only);
                            !required || f.nullable
                        })
                        .collect(),
                    deprecated: same.iter().any(|(_, f)| f.deprecated),
                })
            })
            .collect()
    }

    /// Every API version any operation offers, oldest first.
    pub fn api_versions(&self) -> Vec<ApiVersion> {
        let mut all: Vec<ApiVersion> = self
            .operations
            .iter()
            .flat_map(|op| op.responses.iter().filter_map(|r| r.version.clone()))
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// A tag the spec declares at its top level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

/// A fallback or a guess the generator made, with where and what would settle it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    /// Every method of OpenAPI 3.0, by the key a path item gives it.
    pub const ALL: [(&'static str, HttpMethod); 8] = [
        ("get", HttpMethod::Get),
        ("put", HttpMethod::Put),
        ("post", HttpMethod::Post),
        ("delete", HttpMethod::Delete),
        ("options", HttpMethod::Options),
        ("head", HttpMethod::Head),
        ("patch", HttpMethod::Patch),
        ("trace", HttpMethod::Trace),
    ];

    /// The method of a path item key (`get`, `head`, ...); `None` for the keys that are not
    /// methods (`parameters`, `summary`, extensions).
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, method)| *method)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether a success answer carries a body. A `HEAD` answer never does (RFC 9110, 9.3.2):
    /// its content headers describe the body a `GET` would get, so a client reads only the
    /// status and headers, whatever the spec says the content is.
    pub fn answer_has_body(self) -> bool {
        self != HttpMethod::Head
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: OperationId,
    /// The name the API's own tools give the operation where it differs from `id` (Atlas's
    /// `x-xgen-operation-id-override`, see [`crate::dialect::OPERATION_ID_OVERRIDE_EXTENSION`]):
    /// it names the method and builder instead of `id`.
    pub id_override: Option<String>,
    /// Rust name of the client method and (in `UpperCamelCase`) of its request builder.
    pub method_name: FieldName,
    pub builder_name: TypeName,
    pub http_method: HttpMethod,
    /// Path template as written in the spec, e.g. `/api/atlas/v2/groups/{groupId}/...`.
    pub path: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    pub generation: ApiGeneration,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecation: Option<Deprecation>,
    /// Path parameters in template order, then query and header parameters by name.
    pub params: Vec<Parameter>,
    /// The request body, when the operation takes one.
    pub request: Option<RequestBody>,
    /// The request bodies the client cannot encode, left out of `request`.
    pub untyped_request_bodies: Vec<UntypedRequestContent>,
    /// Successful responses, one per media type, oldest version first.
    pub responses: Vec<SuccessResponse>,
    /// Error responses by status code.
    pub errors: Vec<ErrorResponse>,
    /// Names of the security schemes that may authorize the call; empty means none needed.
    pub security: Vec<String>,
    /// The schemes a client may authorize the call with, each with its kind, in the order the
    /// spec lists them. Empty when the spec names none or also allows anonymous calls (an empty
    /// requirement), so that a client then sends whatever credentials it has.
    pub auth: Vec<AuthOption>,
    /// The spec says the operation takes no credentials (`security: []`, overriding the spec's
    /// default), so a client sends none even when it has some.
    pub no_credentials: bool,
    pub pagination: Option<Pagination>,
    /// The waits for the resource this (get) operation reads, from `x-waiters`.
    pub waiters: Vec<Waiter>,
}

/// A wait, by polling one get operation, for the resource it reads to reach a final state.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The name in the spec, such as `clusterSnapshotCompleted`.
    pub name: String,
    /// The client method: `wait_until_<name>`.
    pub method_name: FieldName,
    pub description: Option<String>,
    /// A wait for the resource to be gone (`gone: true`): success is the get operation's 404,
    /// and `success` is empty.
    pub gone: bool,
    pub success: Vec<WaitMatcher>,
    pub failure: Vec<WaitMatcher>,
}

/// A state: a top-level property of the answer and what it must be.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitMatcher {
    /// Name on the wire.
    pub property: String,
    pub test: WaitTest,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaitTest {
    /// The property equals this JSON value.
    Equals(serde_json::Value),
    /// The property is there and not `null`.
    Present,
}

impl Operation {
    /// Whether the operation's results are redirects: the spec declares 3xx answers and no 2xx
    /// one, so the client returns the redirect (its `Location`, its body) instead of following
    /// it.
    pub fn redirect_is_answer(&self) -> bool {
        !self.responses.is_empty()
            && self
                .responses
                .iter()
                .all(|r| (300..400).contains(&r.status))
    }

    /// The waiters that wait for a state of the resource (those a read or a create offers).
    pub fn state_waiters(&self) -> impl Iterator<Item = &Waiter> {
        self.waiters.iter().filter(|w| !w.gone)
    }

    /// The waiters that wait for the resource to be gone (those a delete offers).
    pub fn gone_waiters(&self) -> impl Iterator<Item = &Waiter> {
        self.waiters.iter().filter(|w| w.gone)
    }

    /// The name the method and builder are made from: the override, else the `operationId`.
    pub fn official_name(&self) -> &str {
        self.id_override.as_deref().unwrap_or(&self.id.0)
    }

    pub fn path_params(&self) -> impl Iterator<Item = &Parameter> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
    }

    pub fn query_params(&self) -> impl Iterator<Item = &Parameter> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
    }

    pub fn header_params(&self) -> impl Iterator<Item = &Parameter> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Header)
    }

    /// The newest success response, the one a client pinned to no particular date receives.
    pub fn newest_response(&self) -> Option<&SuccessResponse> {
        self.responses.last()
    }

    /// The response body types, without repeats, in version order.
    pub fn distinct_bodies(&self) -> Vec<&TypeRef> {
        let mut out: Vec<&TypeRef> = Vec::new();
        for body in self.responses.iter().filter_map(|r| r.body.as_ref()) {
            if !out.contains(&body) {
                out.push(body);
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// `x-sunset`: the date after which the operation may stop working.
    pub sunset: Option<String>,
    /// `x-replaced-by`: the operation id that replaces this one.
    pub replaced_by: Option<OperationId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    pub ident: FieldName,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub deprecated: bool,
    pub constraints: Constraints,
    pub default: Option<serde_json::Value>,
    /// What the parameter means to a client beyond its value.
    pub role: ParamRole,
}

/// The limits a body's schema puts on the body itself (a string body's length, a list body's
/// size) and on the items of a list body; the limits of an object's properties are in its
/// fields. What the differ compares at a body's root.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyLimits {
    pub root: Constraints,
    pub items: Constraints,
}

/// Validation keywords carried over from a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub pattern: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// Keywords the client does not check but the differ compares.
    pub multiple_of: Option<f64>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

/// A request body: one entry per media type the operation accepts, oldest version first.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub contents: Vec<RequestContent>,
    /// The bodies a caller picks among (one when there is nothing to pick): the media types of
    /// the newest version, or, where versions differ in body type, one body per type.
    pub choices: Vec<RequestContent>,
    /// Whether `choices` are per body type, each sent in a version that takes it.
    pub by_version: bool,
}

impl RequestBody {
    /// The bodies a caller picks among.
    pub fn choices(&self) -> &[RequestContent] {
        &self.choices
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestContent {
    pub media_type: String,
    pub version: Option<ApiVersion>,
    /// The typed body of a JSON or form body, the schema's type (a string) of a raw body, and
    /// `Any` for a multipart body, whose parts carry their own types.
    pub body: TypeRef,
    pub encoding: BodyEncoding,
    /// The variant that stands for this media type where the caller picks one: the media type
    /// in `UpperCamelCase` (`ApplicationJson`, `MultipartFormData`), or the version
    /// (`V2023_01_01`) where the caller picks a version's body.
    pub variant: TypeName,
    /// For a choice among versions' bodies: every version whose body this is, oldest first.
    pub versions: Vec<Option<ApiVersion>>,
    /// The media type's `x-sunset`: when Atlas may stop taking this version of the body, as the
    /// spec writes it (not checked to be a date).
    pub sunset: Option<String>,
    /// The limits of the body's schema itself and of its items.
    pub limits: BodyLimits,
}

impl RequestContent {
    /// The types a caller hands over in this media type, which must be serializable.
    pub fn sent_types(&self) -> Vec<&TypeRef> {
        match &self.encoding {
            BodyEncoding::Multipart { parts } => parts
                .iter()
                .filter_map(|part| match &part.kind {
                    PartKind::Text(ty) => Some(ty),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            _ => vec![&self.body],
        }
    }
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON: `application/json` and every `+json` media type.
    Json,
    /// `application/x-www-form-urlencoded`, with the properties whose `encoding` the spec gives;
    /// the others are sent in the default style (`form`, exploded).
    Form { fields: Vec<FormField> },
    /// `multipart/form-data`: one part per property of the body's object schema, by name.
    Multipart { parts: Vec<MultipartPart> },
    /// Bytes sent as they are, with the declared media type: any other media type whose schema
    /// is a string (`format: binary`) or absent (`application/octet-stream`, `text/plain`).
    Raw,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The part's name on the wire.
    pub name: String,
    pub ident: FieldName,
    pub required: bool,
    pub description: Option<String>,
    pub kind: PartKind,
    /// The spec's `encoding` `contentType`, when it names one concrete type.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A value written as text (JSON for objects and arrays of objects).
    Text(TypeRef),
    /// A file: a `format: binary` string.
    File,
    /// Several files under one name: an array of `format: binary` strings.
    Files,
}

/// How one property of a form body is written, from the spec's `encoding` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub name: String,
    pub style: FormStyle,
    pub explode: bool,
}

/// The `style` of a form property (OpenAPI's query styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    pub status: u16,
    pub media_type: String,
    /// The version date of a versioned media type; `None` for plain `application/json`.
    pub version: Option<ApiVersion>,
    /// `None` when the response has no body.
    pub body: Option<TypeRef>,
    /// Documented response headers.
    pub headers: Vec<ResponseHeader>,
    /// The media type's `x-sunset`: when Atlas may stop serving this version (Atlas writes
    /// sunsets here, beside `x-xgen-version`, not on the operation), as the spec writes it (not
    /// checked to be a date).
    pub sunset: Option<String>,
    /// The limits of the body's schema itself and of its items.
    pub limits: BodyLimits,
    /// For a body that is not JSON (text, XML, an archive), what its schema says of it: the
    /// client hands it back as bytes, so `body` does not type it.
    pub raw_schema: Option<ValueSchema>,
}

/// A documented response header and what its schema says of its value. The client hands
/// headers back as text; the differ compares these.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub required: bool,
    pub value: ValueSchema,
}

/// What a schema says of a value the client does not type (a response header, a body in a
/// media type that is not JSON, handed back as bytes): what the differ compares of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueSchema {
    /// The schema's `type`, with its `format` (`integer (int32)`); `None` without a schema or
    /// for one without a single type.
    pub ty: Option<String>,
    /// The schema's `enum` values, as JSON text for those that are not strings.
    pub enum_values: Vec<String>,
    pub constraints: Constraints,
    /// The properties an object schema declares (through `allOf` too), by name as written.
    pub properties: Vec<ValueProperty>,
    /// What an array schema says of its items.
    pub items: Option<Box<ValueSchema>>,
}

/// A property of a value the client does not type (inside an XML body, an object header).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueProperty {
    pub name: String,
    pub required: bool,
    pub value: ValueSchema,
}

/// A request body in a media type the client cannot encode (XML with an object schema, say):
/// the operation is generated without it, and the differ compares what its schema says.
#[derive(Debug, Clone, PartialEq)]
pub struct UntypedRequestContent {
    pub media_type: String,
    /// The version date of a versioned media type.
    pub version: Option<ApiVersion>,
    /// Whether the spec requires a body.
    pub required: bool,
    pub value: ValueSchema,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    pub status: u16,
    pub media_type: Option<String>,
    pub body: Option<TypeRef>,
    pub headers: Vec<ResponseHeader>,
    /// The `errorCode` of the response's example (Atlas error bodies carry one), which tells
    /// the typed mocks the status that goes with a code.
    pub example_code: Option<String>,
}

/// How a list operation pages: which query parameters advance it and where the items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub page_param: String,
    pub size_param: String,
    pub results_field: FieldName,
    pub total_field: Option<FieldName>,
    pub item: TypeRef,
}

/// A reference to a type from a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeName),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A value that may be `null` where nothing else carries the null: the items of an array
    /// and the values of a map whose schema says `nullable: true` (`Option<T>`). A field's
    /// null is its own flag.
    Nullable(Box<TypeRef>),
    /// Anything: the generator's documented fallback (`serde_json::Value`).
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    String,
    DateTime,
    Date,
    I32,
    I64,
    F32,
    F64,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: TypeName,
    /// Where the schema lives: the component name, or the pointer of an inline schema.
    pub origin: TypeOrigin,
    pub pointer: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeOrigin {
    /// `#/components/schemas/{name}`.
    Component(String),
    /// An inline schema named after where it was found.
    Inline,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    Enum(Vec<EnumVariant>),
    Alias(TypeRef),
    /// An object whose `discriminator` property says which of several structs it is.
    Union(TaggedUnion),
    /// A `oneOf`/`anyOf` without a discriminator: which alternative a value is follows its
    /// shape.
    Untagged(UntaggedUnion),
}

/// The subtypes of a schema with a `discriminator`, one variant per tag value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedUnion {
    /// Wire name of the property whose value picks the variant.
    pub property: String,
    /// In the order the spec lists them; tag values are unique.
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// The tag value on the wire.
    pub value: String,
    pub ident: TypeName,
    /// The subtype: a named struct (or an alias of one) that has the tag property itself.
    pub ty: TypeRef,
}

/// The alternatives of a `oneOf` or `anyOf` that has no discriminator, in the spec's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntaggedUnion {
    /// `oneOf` (exactly one alternative matches) or `anyOf` (at least one does).
    pub keyword: UnionKeyword,
    pub variants: Vec<ShapeVariant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnionKeyword {
    OneOf,
    AnyOf,
}

/// One alternative of an [`UntaggedUnion`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeVariant {
    pub ident: TypeName,
    pub ty: TypeRef,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    pub ident: FieldName,
    pub ty: TypeRef,
    /// Required when decoding a response (never for a write-only property).
    pub required: bool,
    /// Required when a caller sends the object in a request body (never for a read-only
    /// property).
    pub sent_required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Holds a secret, which `Debug` does not show (see `sensitive` for the rule).
    pub sensitive: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub constraints: Constraints,
    /// The schema's `default`: what the server assumes when the property is left out.
    pub default: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub value: String,
    pub ident: TypeName,
}

/// One security scheme that may authorize an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthOption {
    /// The scheme's name under `components/securitySchemes`.
    pub scheme: String,
    pub kind: SecurityScheme,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    HttpDigest,
    HttpBearer,
    HttpBasic,
    /// OAuth 2.0 with a client-credentials flow; its scopes sorted.
    OAuth2ClientCredentials {
        token_url: String,
        scopes: Vec<String>,
    },
    /// OAuth 2.0 with other flows only: the client sends a token obtained elsewhere.
    OAuth2,
    /// OpenID Connect: the client sends a token obtained elsewhere.
    OpenIdConnect,
    /// `location` is `header`, `query` or `cookie`.
    ApiKey {
        name: String,
        location: String,
    },
    /// A scheme the client cannot honour, with what the spec calls it.
    Other(String),
}
