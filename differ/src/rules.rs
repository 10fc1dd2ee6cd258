//! The rule table: every kind of change the differ reports, with its stable id, its level for
//! the HTTP contract and its effect on the public Rust API of the generated crate.
//!
//! Ids (`DF101`) and codes (`endpoint-added`) are stable: reports, CI configurations and
//! changelogs refer to them. A new rule takes a new number; a retired one is never reused.

use serde::Serialize;
use std::fmt;

/// How a change affects clients of the HTTP API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A client that worked before may fail now.
    Breaking,
    /// A client may be affected, depending on what it does with the value.
    Warning,
    /// Worth knowing; no client breaks.
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The semver bump a change needs in the generated crate's public Rust API. Generated response
/// structs and enums are `#[non_exhaustive]` and enums carry an `Unknown(String)` variant, so
/// additions are minor; removals and type changes are major; documentation and behaviour only
/// changes are patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of change a rule looks at, after oasdiff's `kind` axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Something appeared or disappeared.
    Existence,
    /// Deprecation, sunset dates, replacements.
    Lifecycle,
    /// Required or optional.
    Requiredness,
    /// Type, format, `$ref` target, nullability.
    Type,
    /// Patterns and limits.
    Constraints,
    /// Enum values and defaults.
    Values,
    /// Unions: their alternatives and discriminators.
    Structure,
    /// `readOnly` and `writeOnly`: which direction a property travels in.
    Mutability,
    /// Authorization.
    Security,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Existence => "existence",
            Category::Lifecycle => "lifecycle",
            Category::Requiredness => "requiredness",
            Category::Type => "type",
            Category::Constraints => "constraints",
            Category::Values => "values",
            Category::Structure => "structure",
            Category::Mutability => "mutability",
            Category::Security => "security",
        }
    }
}

/// Which part of a spec a rule looks at, after oasdiff's `area` axis; read off the rule's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Operations: their existence, ids, tags, lifecycle and versions (1xx).
    Endpoints,
    /// Path, query and header parameters (2xx).
    Parameters,
    /// Request bodies and what is inside them (3xx).
    RequestBodies,
    /// Statuses, media types, headers and bodies of responses (4xx).
    Responses,
    /// The named types of the generated crate (5xx).
    Schemas,
    /// Security schemes and requirements (6xx).
    Security,
    /// The project's own policy files (7xx).
    Policy,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Endpoints => "endpoints",
            Area::Parameters => "parameters",
            Area::RequestBodies => "request bodies",
            Area::Responses => "responses",
            Area::Schemas => "schemas",
            Area::Security => "security",
            Area::Policy => "policy",
        }
    }
}

/// A rule's family: the part of the spec and the kind of change (`responses / structure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Family {
    pub area: Area,
    pub kind: Category,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.area.as_str(), self.kind.as_str())
    }
}

/// One row of the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: RuleId,
    /// Stable number, `DF` and three digits: 1xx endpoints, 2xx parameters, 3xx request bodies,
    /// 4xx responses, 5xx schemas, 6xx security, 7xx the project's own policy files.
    pub number: &'static str,
    /// Stable kebab-case code, in the style of oasdiff's and MongoDB's `changeCode`.
    pub code: &'static str,
    pub category: Category,
    pub level: Level,
    /// The usual effect on the Rust API. Required-ness and nullability flips report `patch`
    /// instead when the field's Rust type keeps (or keeps lacking) its `Option`; success-status,
    /// response media-type and response-body existence rules (DF401, DF402, DF405 to DF408) take
    /// theirs from the `send()` return type generated on each side, request media-type rules
    /// (DF306, DF307) from the body type the builder takes.
    pub semver: Semver,
    pub description: &'static str,
}

macro_rules! rules {
    ($( $variant:ident = $number:literal $code:literal $category:ident $level:ident $semver:ident $description:literal; )*) => {
        /// Every rule, by name. `RULES[id as usize]` is its row.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        /// The rule table, in id order.
        pub static RULES: &[Rule] = &[$(
            Rule {
                id: RuleId::$variant,
                number: $number,
                code: $code,
                category: Category::$category,
                level: Level::$level,
                semver: Semver::$semver,
                description: $description,
            }
        ),*];
    };
}

impl RuleId {
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}

impl Rule {
    /// The part of the spec (from the number's hundreds) and the kind of change.
    pub fn family(&self) -> Family {
        let area = match self.number.as_bytes()[2] {
            b'1' => Area::Endpoints,
            b'2' => Area::Parameters,
            b'3' => Area::RequestBodies,
            b'4' => Area::Responses,
            b'5' => Area::Schemas,
            b'6' => Area::Security,
            _ => Area::Policy,
        };
        Family {
            area,
            kind: self.category,
        }
    }
}

/// Looks a rule up by its number (`DF101`) or its code (`endpoint-added`).
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.number == key || r.code == key)
}

rules! {
    EndpointAdded = "DF101" "endpoint-added" Existence Info Minor
        "An operation was added: a new client method.";
    EndpointRemovedWithoutDeprecation = "DF102" "endpoint-removed-without-deprecation" Existence Breaking Major
        "An operation was removed without having been deprecated first.";
    EndpointRemovedBeforeSunset = "DF103" "endpoint-removed-before-sunset" Lifecycle Breaking Major
        "A deprecated operation was removed before its announced sunset date.";
    EndpointRemoved = "DF104" "endpoint-removed" Existence Warning Major
        "A deprecated operation was removed after its sunset date (or it had none): expected, but the client method is gone.";
    EndpointDeprecated = "DF105" "endpoint-deprecated" Lifecycle Info Minor
        "An operation was deprecated: its client method gains `#[deprecated]`.";
    EndpointReactivated = "DF106" "endpoint-reactivated" Lifecycle Info Patch
        "An operation is no longer deprecated.";
    EndpointSunsetAdded = "DF107" "endpoint-sunset-added" Lifecycle Info Patch
        "An operation got a sunset date (`x-sunset`).";
    EndpointSunsetRemoved = "DF108" "endpoint-sunset-removed" Lifecycle Info Patch
        "An operation's sunset date was withdrawn.";
    EndpointSunsetMovedEarlier = "DF109" "endpoint-sunset-moved-earlier" Lifecycle Warning Patch
        "An operation's sunset date moved earlier: less time to migrate.";
    EndpointSunsetMovedLater = "DF110" "endpoint-sunset-moved-later" Lifecycle Info Patch
        "An operation's sunset date moved later.";
    EndpointReplacementChanged = "DF111" "endpoint-replacement-changed" Lifecycle Info Patch
        "The operation named as replacement (`x-replaced-by`) was added, changed or removed.";
    EndpointOperationIdChanged = "DF112" "endpoint-operation-id-changed" Existence Info Major
        "The operationId changed: same HTTP call, but the client method and its builder are renamed.";
    EndpointPathChanged = "DF113" "endpoint-path-changed" Existence Breaking Patch
        "The operation (same operationId) moved to another path: the old URL no longer answers.";
    EndpointPaginationAdded = "DF114" "endpoint-pagination-added" Existence Info Minor
        "The operation now pages the Atlas way: the client gains a pages/stream helper.";
    EndpointPaginationRemoved = "DF115" "endpoint-pagination-removed" Existence Info Major
        "The operation no longer pages the Atlas way: the client's pages/stream helper is gone.";
    EndpointApiVersionChanged = "DF116" "endpoint-api-version-changed" Lifecycle Info Patch
        "A client moving between the compared pins (or from v1.0 to v2) uses another media-type version of the operation.";
    EndpointTagsChanged = "DF117" "endpoint-tags-changed" Existence Info Patch
        "The operation's tags changed (it moved to another tag): what `--tag` selects, and where a report groups it, changes.";
    VersionSunsetAdded = "DF118" "version-sunset-added" Lifecycle Info Patch
        "A resource version of an operation got a sunset date (`x-sunset` on its media type, where Atlas writes them).";
    VersionSunsetRemoved = "DF119" "version-sunset-removed" Lifecycle Info Patch
        "A resource version's sunset date was withdrawn.";
    VersionSunsetMovedEarlier = "DF120" "version-sunset-moved-earlier" Lifecycle Warning Patch
        "A resource version's sunset date moved earlier: less time to move to a newer version.";
    VersionSunsetMovedLater = "DF121" "version-sunset-moved-later" Lifecycle Info Patch
        "A resource version's sunset date moved later.";
    SunsetDateUnparsable = "DF122" "sunset-date-unparsable" Lifecycle Warning Patch
        "A sunset date (`x-sunset`, of an operation or of a version) that was set or changed is not a `YYYY-MM-DD` date: when the operation stops, and whether that moved earlier or later, cannot be told.";

    RequestOptionalParameterAdded = "DF201" "request-optional-parameter-added" Existence Info Minor
        "An optional parameter was added: a new builder setter.";
    RequestRequiredParameterAdded = "DF202" "request-required-parameter-added" Existence Breaking Major
        "A required parameter was added: old calls lack it, and the method signature changes.";
    RequestParameterRemoved = "DF203" "request-parameter-removed" Existence Warning Major
        "A parameter was removed: the server ignores it now, and its argument or setter is gone.";
    RequestParameterBecameRequired = "DF204" "request-parameter-became-required" Requiredness Breaking Major
        "A parameter became required.";
    RequestParameterBecameOptional = "DF205" "request-parameter-became-optional" Requiredness Info Major
        "A parameter became optional: its Rust argument turns into a setter.";
    RequestParameterLocationChanged = "DF206" "request-parameter-location-changed" Existence Breaking Major
        "A parameter moved between path, query and header.";
    RequestParameterRenamed = "DF207" "request-parameter-renamed" Existence Info Patch
        "A path placeholder was renamed at the same position: same URL, positional argument renamed.";
    RequestParameterTypeChanged = "DF208" "request-parameter-type-changed" Type Breaking Major
        "A parameter's JSON type changed.";
    RequestParameterFormatChanged = "DF209" "request-parameter-format-changed" Type Warning Major
        "A parameter's format changed (e.g. int32 to int64): same JSON type, another Rust type.";
    RequestParameterEnumValueAdded = "DF210" "request-parameter-enum-value-added" Values Info Minor
        "A parameter accepts a new enum value: a new variant.";
    RequestParameterEnumValueRemoved = "DF211" "request-parameter-enum-value-removed" Values Breaking Major
        "A parameter no longer accepts an enum value: its variant is gone.";
    RequestParameterEnumAdded = "DF212" "request-parameter-enum-added" Values Warning Major
        "A free-form string parameter was restricted to an enum.";
    RequestParameterEnumRemoved = "DF213" "request-parameter-enum-removed" Values Info Major
        "A parameter's enum was dropped: any string is accepted, and the Rust enum becomes a string.";
    RequestParameterPatternAdded = "DF214" "request-parameter-pattern-added" Constraints Warning Patch
        "A parameter got a pattern.";
    RequestParameterPatternRemoved = "DF215" "request-parameter-pattern-removed" Constraints Info Patch
        "A parameter's pattern was removed.";
    RequestParameterPatternChanged = "DF216" "request-parameter-pattern-changed" Constraints Warning Patch
        "A parameter's pattern changed.";
    RequestParameterMaxDecreased = "DF217" "request-parameter-max-decreased" Constraints Breaking Patch
        "A parameter's maximum (value, length or items) was lowered or set.";
    RequestParameterMaxIncreased = "DF218" "request-parameter-max-increased" Constraints Info Patch
        "A parameter's maximum (value, length or items) was raised or removed.";
    RequestParameterMinIncreased = "DF219" "request-parameter-min-increased" Constraints Breaking Patch
        "A parameter's minimum (value, length or items) was raised or set.";
    RequestParameterMinDecreased = "DF220" "request-parameter-min-decreased" Constraints Info Patch
        "A parameter's minimum (value, length or items) was lowered or removed.";
    RequestParameterDefaultChanged = "DF221" "request-parameter-default-changed" Values Warning Patch
        "A parameter's default value was added, changed or removed: calls that omit it behave differently.";
    RequestParameterDeprecated = "DF222" "request-parameter-deprecated" Lifecycle Info Minor
        "A parameter was deprecated.";
    RequestParameterTypeWidened = "DF223" "request-parameter-type-widened" Type Info Major
        "A parameter's type was widened (int32 to int64, integer to number, a string format dropped, any value): every value sent before is still accepted; the Rust type changes.";
    RequestParameterValuesNarrowed = "DF224" "request-parameter-values-narrowed" Constraints Breaking Patch
        "A parameter takes fewer values by a keyword other than a bound: `multipleOf` set or made stricter, `uniqueItems` set.";
    RequestParameterValuesRelaxed = "DF225" "request-parameter-values-relaxed" Constraints Info Patch
        "A parameter takes more values: `multipleOf` removed or relaxed, `uniqueItems` dropped.";

    RequestBodyAddedOptional = "DF301" "request-body-added-optional" Existence Info Minor
        "An optional request body was added.";
    RequestBodyAddedRequired = "DF302" "request-body-added-required" Existence Breaking Major
        "A required request body was added.";
    RequestBodyRemoved = "DF303" "request-body-removed" Existence Warning Major
        "The request body was removed.";
    RequestBodyBecameRequired = "DF304" "request-body-became-required" Requiredness Breaking Major
        "The request body became required.";
    RequestBodyBecameOptional = "DF305" "request-body-became-optional" Requiredness Info Major
        "The request body became optional.";
    RequestMediaTypeAdded = "DF306" "request-media-type-added" Existence Info Patch
        "The request body accepts a new media type (version); major only when the builder's body type (the newest version's) changes.";
    RequestMediaTypeRemoved = "DF307" "request-media-type-removed" Existence Breaking Patch
        "The request body no longer accepts a media type (version); major only when the builder's body type (the newest version's) changes.";
    RequestBodyTypeChanged = "DF308" "request-body-type-changed" Type Breaking Major
        "The request body's type changed.";
    RequestBodyRefChanged = "DF309" "request-body-ref-changed" Type Info Major
        "The request body refers to another schema (`$ref` target): another Rust type.";
    RequestBodyTypeWidened = "DF310" "request-body-type-widened" Type Info Major
        "The request body's type was widened: every body sent before is still accepted; the Rust type changes.";
    RequestOptionalPropertyAdded = "DF320" "request-optional-property-added" Existence Info Minor
        "An optional property was added to a request body.";
    RequestRequiredPropertyAdded = "DF321" "request-required-property-added" Existence Breaking Major
        "A required property was added to a request body.";
    RequestPropertyRemoved = "DF322" "request-property-removed" Existence Warning Major
        "A property was removed from a request body.";
    RequestPropertyBecameRequired = "DF323" "request-property-became-required" Requiredness Breaking Major
        "A request property became required.";
    RequestPropertyBecameOptional = "DF324" "request-property-became-optional" Requiredness Info Major
        "A request property became optional.";
    RequestPropertyTypeChanged = "DF325" "request-property-type-changed" Type Breaking Major
        "A request property's JSON type changed.";
    RequestPropertyFormatChanged = "DF326" "request-property-format-changed" Type Warning Major
        "A request property's format changed.";
    RequestPropertyEnumValueAdded = "DF327" "request-property-enum-value-added" Values Info Minor
        "A request property accepts a new enum value.";
    RequestPropertyEnumValueRemoved = "DF328" "request-property-enum-value-removed" Values Breaking Major
        "A request property no longer accepts an enum value.";
    RequestPropertyEnumAdded = "DF329" "request-property-enum-added" Values Warning Major
        "A free-form string request property was restricted to an enum.";
    RequestPropertyEnumRemoved = "DF330" "request-property-enum-removed" Values Info Major
        "A request property's enum was dropped.";
    RequestPropertyBecameNullable = "DF331" "request-property-became-nullable" Type Info Major
        "A request property became nullable.";
    RequestPropertyBecameNotNullable = "DF332" "request-property-became-not-nullable" Type Breaking Major
        "A request property is no longer nullable: sending null fails.";
    RequestPropertyPatternAdded = "DF333" "request-property-pattern-added" Constraints Warning Patch
        "A request property got a pattern.";
    RequestPropertyPatternRemoved = "DF334" "request-property-pattern-removed" Constraints Info Patch
        "A request property's pattern was removed.";
    RequestPropertyPatternChanged = "DF335" "request-property-pattern-changed" Constraints Warning Patch
        "A request property's pattern changed.";
    RequestPropertyMaxDecreased = "DF336" "request-property-max-decreased" Constraints Breaking Patch
        "A request property's maximum (value, length or items) was lowered or set.";
    RequestPropertyMaxIncreased = "DF337" "request-property-max-increased" Constraints Info Patch
        "A request property's maximum (value, length or items) was raised or removed.";
    RequestPropertyMinIncreased = "DF338" "request-property-min-increased" Constraints Breaking Patch
        "A request property's minimum (value, length or items) was raised or set.";
    RequestPropertyMinDecreased = "DF339" "request-property-min-decreased" Constraints Info Patch
        "A request property's minimum (value, length or items) was lowered or removed.";
    RequestPropertyRefChanged = "DF340" "request-property-ref-changed" Type Info Major
        "A request property refers to another schema (`$ref` target).";
    RequestPropertyDeprecated = "DF341" "request-property-deprecated" Lifecycle Info Minor
        "A request property was deprecated.";
    RequestPropertyVariantAdded = "DF342" "request-property-variant-added" Structure Info Minor
        "A request property accepts a new subtype (discriminator tag): a new variant of its tagged union.";
    RequestPropertyVariantRemoved = "DF343" "request-property-variant-removed" Structure Breaking Major
        "A request property no longer accepts a subtype (discriminator tag): its variant is gone.";
    RequestPropertyBecameReadOnly = "DF344" "request-property-became-read-only" Mutability Breaking Patch
        "A request property became `readOnly`: the server ignores it when sent, so senders that set it lose its effect.";
    RequestPropertyNoLongerReadOnly = "DF345" "request-property-no-longer-read-only" Mutability Info Patch
        "A request property is no longer `readOnly`: the server now takes it when sent.";
    RequestPropertyDefaultChanged = "DF346" "request-property-default-changed" Values Warning Patch
        "A request property's default was added, changed or removed: requests that leave it out behave differently.";
    RequestPropertyTypeWidened = "DF347" "request-property-type-widened" Type Info Major
        "A request property's type was widened (int32 to int64, integer to number, a string format dropped, any value): every value sent before is still accepted; the Rust type changes.";
    RequestUnionBranchAdded = "DF348" "request-union-branch-added" Structure Info Minor
        "A union (`oneOf`/`anyOf`) in a request accepts a new alternative: a new variant of its `#[non_exhaustive]` enum.";
    RequestUnionBranchRemoved = "DF349" "request-union-branch-removed" Structure Breaking Major
        "A union in a request no longer accepts an alternative: values of that shape are refused, and its variant is gone.";
    RequestDiscriminatorAdded = "DF350" "request-discriminator-added" Structure Warning Major
        "A union in a request got a discriminator: the server tells the alternatives apart by a property each must carry; the enum becomes tagged, with variants named by tag.";
    RequestDiscriminatorRemoved = "DF351" "request-discriminator-removed" Structure Warning Major
        "A union in a request lost its discriminator: the alternatives are told apart by shape; the enum becomes untagged.";
    RequestDiscriminatorChanged = "DF352" "request-discriminator-changed" Structure Breaking Major
        "A union in a request reads its discriminator from another property: values tagged the old way are refused.";
    RequestDiscriminatorMappingChanged = "DF353" "request-discriminator-mapping-changed" Structure Warning Major
        "A discriminator value in a request selects another subtype: values sent with that tag are read as another schema (what differs between the two is reported beside it); the variant holds another type.";
    RequestPropertyValuesNarrowed = "DF354" "request-property-values-narrowed" Constraints Breaking Patch
        "A request property (or body) takes fewer values by a keyword other than a bound: `multipleOf` set or made stricter, `uniqueItems` set.";
    RequestPropertyValuesRelaxed = "DF355" "request-property-values-relaxed" Constraints Info Patch
        "A request property (or body) takes more values: `multipleOf` removed or relaxed, `uniqueItems` dropped.";

    ResponseSuccessStatusAdded = "DF401" "response-success-status-added" Existence Info Patch
        "The operation may answer with a new success status; major when `send()` changes type (a status without a body beside one with a body makes it `Option<T>`).";
    ResponseSuccessStatusRemoved = "DF402" "response-success-status-removed" Existence Breaking Patch
        "A success status is no longer returned; major when `send()` changes type.";
    ResponseNonSuccessStatusAdded = "DF403" "response-non-success-status-added" Existence Info Patch
        "A new error status is documented.";
    ResponseNonSuccessStatusRemoved = "DF404" "response-non-success-status-removed" Existence Warning Patch
        "An error status is no longer documented.";
    ResponseMediaTypeAdded = "DF405" "response-media-type-added" Existence Info Patch
        "A response offers a new media type (resource version); major when `send()` changes type (versions with different bodies return a per-version enum), minor for a new variant of that enum.";
    ResponseMediaTypeRemoved = "DF406" "response-media-type-removed" Existence Breaking Patch
        "A response no longer offers a media type (resource version): clients pinned to it fail; major when `send()` changes type.";
    ResponseBodyAdded = "DF407" "response-body-added" Existence Info Major
        "A response that had no body now has one: `send()` changes type, unless the body is received as bytes (not JSON) either way.";
    ResponseBodyRemoved = "DF408" "response-body-removed" Existence Breaking Major
        "A response no longer has a body; major when `send()` changes type.";
    ResponseBodyTypeChanged = "DF409" "response-body-type-changed" Type Breaking Major
        "A response body's type changed.";
    ResponseBodyRefChanged = "DF410" "response-body-ref-changed" Type Info Major
        "A response body refers to another schema (`$ref` target): the method returns another Rust type.";
    ResponseHeaderAdded = "DF411" "response-header-added" Existence Info Patch
        "A response documents a new header.";
    ResponseHeaderRemoved = "DF412" "response-header-removed" Existence Warning Patch
        "A response no longer documents a header.";
    ResponseHeaderBecameOptional = "DF413" "response-header-became-optional" Existence Warning Patch
        "A response header is no longer required: a reader that counts on it may find it missing.";
    ResponseHeaderBecameRequired = "DF414" "response-header-became-required" Existence Info Patch
        "A response header is now always sent.";
    ResponseHeaderTypeChanged = "DF415" "response-header-type-changed" Type Warning Patch
        "A response header's type or format changed: a reader that parses it may fail (the client hands headers back as text).";
    ResponseHeaderValuesWidened = "DF416" "response-header-values-widened" Values Warning Patch
        "A response header may hold values it could not before: an enum value added or the enum dropped, a limit relaxed, a pattern changed.";
    ResponseHeaderValuesNarrowed = "DF417" "response-header-values-narrowed" Values Info Patch
        "A response header holds fewer values: an enum value removed or an enum set, a limit tightened.";
    ResponseOptionalPropertyAdded = "DF420" "response-optional-property-added" Existence Info Minor
        "An optional property was added to a response (a new field of a `#[non_exhaustive]` struct).";
    ResponseRequiredPropertyAdded = "DF421" "response-required-property-added" Existence Info Minor
        "A required property was added to a response.";
    ResponseOptionalPropertyRemoved = "DF422" "response-optional-property-removed" Existence Warning Major
        "An optional property was removed from a response: its field is gone.";
    ResponseRequiredPropertyRemoved = "DF423" "response-required-property-removed" Existence Breaking Major
        "A required property was removed from a response.";
    ResponsePropertyBecameOptional = "DF424" "response-property-became-optional" Requiredness Breaking Major
        "A response property may now be missing: its field becomes `Option<T>`.";
    ResponsePropertyBecameRequired = "DF425" "response-property-became-required" Requiredness Info Major
        "A response property is now always present: its field loses its `Option`.";
    ResponsePropertyTypeChanged = "DF426" "response-property-type-changed" Type Breaking Major
        "A response property's JSON type changed.";
    ResponsePropertyFormatChanged = "DF427" "response-property-format-changed" Type Breaking Major
        "A response property's format changed (e.g. int32 to int64).";
    ResponsePropertyEnumValueAdded = "DF428" "response-property-enum-value-added" Values Warning Minor
        "A response property may hold a new enum value: a new variant of a `#[non_exhaustive]` enum.";
    ResponsePropertyEnumValueRemoved = "DF429" "response-property-enum-value-removed" Values Info Major
        "A response property no longer holds an enum value: its variant is gone.";
    ResponsePropertyEnumAdded = "DF430" "response-property-enum-added" Values Info Major
        "A free-form string response property was restricted to an enum: the field becomes an enum.";
    ResponsePropertyEnumRemoved = "DF431" "response-property-enum-removed" Values Warning Major
        "A response property's enum was dropped: wire-compatible, but every `match` on the generated enum breaks.";
    ResponsePropertyBecameNullable = "DF432" "response-property-became-nullable" Type Breaking Major
        "A response property may now be null.";
    ResponsePropertyBecameNotNullable = "DF433" "response-property-became-not-nullable" Type Info Major
        "A response property is no longer null.";
    ResponsePropertyPatternChanged = "DF434" "response-property-pattern-changed" Constraints Info Patch
        "A response property's pattern was added, changed or removed.";
    ResponsePropertyMaxIncreased = "DF435" "response-property-max-increased" Constraints Warning Patch
        "A response property's maximum (value, length or items) was raised or removed: larger values may come.";
    ResponsePropertyMaxDecreased = "DF436" "response-property-max-decreased" Constraints Info Patch
        "A response property's maximum (value, length or items) was lowered or set.";
    ResponsePropertyMinDecreased = "DF437" "response-property-min-decreased" Constraints Warning Patch
        "A response property's minimum (value, length or items) was lowered or removed: smaller values may come.";
    ResponsePropertyMinIncreased = "DF438" "response-property-min-increased" Constraints Info Patch
        "A response property's minimum (value, length or items) was raised or set.";
    ResponsePropertyRefChanged = "DF439" "response-property-ref-changed" Type Info Major
        "A response property refers to another schema (`$ref` target): its field has another Rust type.";
    ResponsePropertyDeprecated = "DF440" "response-property-deprecated" Lifecycle Info Minor
        "A response property was deprecated.";
    ResponsePropertyVariantAdded = "DF441" "response-property-variant-added" Structure Warning Minor
        "A response property may hold a new subtype (discriminator tag): a new variant of a `#[non_exhaustive]` tagged union; older clients decode it as `Unknown`.";
    ResponsePropertyVariantRemoved = "DF442" "response-property-variant-removed" Structure Warning Major
        "A response property no longer holds a subtype (discriminator tag): values with that tag decode differently, and its variant is gone.";
    ResponsePropertyBecameWriteOnly = "DF443" "response-property-became-write-only" Mutability Warning Patch
        "A response property became `writeOnly`: the server no longer returns it (its field stays, always unset).";
    ResponsePropertyNoLongerWriteOnly = "DF444" "response-property-no-longer-write-only" Mutability Info Patch
        "A response property is no longer `writeOnly`: the server now returns it.";
    ResponsePropertyDefaultChanged = "DF445" "response-property-default-changed" Values Info Patch
        "A response property's default was added, changed or removed: what a missing value means changed.";
    ResponseUnionBranchAdded = "DF446" "response-union-branch-added" Structure Warning Minor
        "A union (`oneOf`/`anyOf`) in a response may hold a new alternative: a new variant of its `#[non_exhaustive]` enum; older clients decode it as `Unknown`.";
    ResponseUnionBranchRemoved = "DF447" "response-union-branch-removed" Structure Warning Major
        "A union in a response no longer holds an alternative: its variant is gone.";
    ResponseDiscriminatorAdded = "DF448" "response-discriminator-added" Structure Warning Major
        "A union in a response got a discriminator: the enum becomes tagged, with variants named by tag.";
    ResponseDiscriminatorRemoved = "DF449" "response-discriminator-removed" Structure Warning Major
        "A union in a response lost its discriminator: the enum becomes untagged, decided by shape.";
    ResponseDiscriminatorChanged = "DF450" "response-discriminator-changed" Structure Breaking Major
        "A union in a response carries its discriminator in another property: older clients decode every value as `Unknown`.";
    ResponseDiscriminatorMappingChanged = "DF451" "response-discriminator-mapping-changed" Structure Warning Major
        "A discriminator value in a response selects another subtype: older clients decode such values as the old schema (what differs between the two is reported beside it); the variant holds another type.";
    ResponsePropertyValuesRelaxed = "DF452" "response-property-values-relaxed" Constraints Warning Patch
        "A response property (or body) may hold values it could not before: `multipleOf` removed or relaxed, `uniqueItems` dropped.";
    ResponsePropertyValuesNarrowed = "DF453" "response-property-values-narrowed" Constraints Info Patch
        "A response property (or body) holds fewer kinds of values: `multipleOf` set or made stricter, `uniqueItems` set.";

    SchemaAdded = "DF501" "schema-added" Existence Info Minor
        "A named type was added to the generated crate.";
    SchemaRemoved = "DF502" "schema-removed" Existence Info Major
        "A named type was removed from the generated crate.";
    SchemaRenamed = "DF503" "schema-renamed" Existence Info Major
        "A schema was renamed (same shape, new name): the wire is unchanged, the Rust type is renamed.";

    EndpointSecuritySchemeAdded = "DF601" "endpoint-security-scheme-added" Security Info Patch
        "An operation accepts one more security scheme.";
    EndpointSecuritySchemeRemoved = "DF602" "endpoint-security-scheme-removed" Security Breaking Patch
        "An operation no longer accepts a security scheme: clients using it are refused.";
    SecuritySchemeAdded = "DF603" "security-scheme-added" Security Info Minor
        "The spec defines a new security scheme: the client may gain a way to authenticate.";
    SecuritySchemeRemoved = "DF604" "security-scheme-removed" Security Breaking Major
        "The spec no longer defines a security scheme: the client loses a way to authenticate.";
    SecuritySchemeChanged = "DF605" "security-scheme-changed" Security Warning Patch
        "A security scheme changed its kind, token URL or key location.";

    ExemptionExpired = "DF701" "exemption-expired" Lifecycle Warning Patch
        "An exemption in the exemptions file is past its expiry date: it no longer exempts anything.";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn table_is_indexed_by_id() {
        for (index, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id as usize, index, "{}", rule.code);
        }
    }

    #[test]
    fn numbers_and_codes_are_unique_and_well_formed() {
        let numbers: BTreeSet<_> = RULES.iter().map(|r| r.number).collect();
        let codes: BTreeSet<_> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(numbers.len(), RULES.len());
        assert_eq!(codes.len(), RULES.len());
        for rule in RULES {
            assert!(
                rule.number.len() == 5 && rule.number.starts_with("DF"),
                "{}",
                rule.number
            );
            assert!(
                rule.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.code
            );
            assert!(rule.description.ends_with('.'), "{}", rule.code);
        }
        let mut sorted = RULES.iter().map(|r| r.number).collect::<Vec<_>>();
        sorted.sort();
        assert_eq!(
            sorted,
            RULES.iter().map(|r| r.number).collect::<Vec<_>>(),
            "table in number order"
        );
    }

    #[test]
    fn every_rule_has_a_family_by_its_number() {
        assert_eq!(
            RuleId::EndpointAdded.rule().family().to_string(),
            "endpoints / existence"
        );
        assert_eq!(
            RuleId::ResponseDiscriminatorAdded
                .rule()
                .family()
                .to_string(),
            "responses / structure"
        );
        assert_eq!(RuleId::ExemptionExpired.rule().family().area, Area::Policy);
        for rule in RULES {
            assert!(
                ('1'..='7').contains(&rule.number.chars().nth(2).unwrap()),
                "{}",
                rule.number
            );
        }
    }

    #[test]
    fn lookup_by_number_or_code() {
        assert_eq!(find("DF101").map(|r| r.id), Some(RuleId::EndpointAdded));
        assert_eq!(
            find("schema-renamed").map(|r| r.id),
            Some(RuleId::SchemaRenamed)
        );
        assert!(find("nope").is_none());
    }
}
