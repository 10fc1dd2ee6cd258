//! The flag of each parameter: its name (the wire name in kebab case), the Rust type clap hands
//! back, the value parser that rejects what the spec does not allow (pattern, length, range,
//! enum values) before anything is sent, and the help text.

use crate::emit::params::{self, PatternTable};
use crate::model::{ApiModel, Operation, ParamRole, Parameter, Primitive, TypeKind, TypeRef};
use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

/// Flags every operation command may have besides its parameters (hand-written in the crate's
/// `args` module), and clap's own; a parameter whose flag would collide gets a `param-` prefix.
pub const RESERVED: &[&str] = &[
    "help",
    "version",
    "all",
    "concurrency",
    "file",
    "wait",
    "wait-timeout",
    "wait-interval",
    "dry-run",
    "output",
    "api-version",
    "base-url",
    "public-key",
    "private-key",
    "client-id",
    "client-secret",
    "access-token",
];

pub struct Flag<'m> {
    pub param: &'m Parameter,
    /// The flag without its dashes; also its clap id.
    pub name: String,
    pub value: Value<'m>,
    /// An array parameter: the flag is repeated, one item each time.
    pub many: bool,
    /// A field of the request body rather than a parameter.
    pub in_body: bool,
}

/// What one value of a flag is.
pub enum Value<'m> {
    Text,
    Int(Primitive),
    Float(Primitive),
    Bool,
    /// A named enum: its wire values.
    Enum(&'m TypeRef, Vec<&'m str>),
    /// Dates and times, parsed with `FromStr`.
    Parsed(&'m TypeRef),
    /// Anything else, given as JSON.
    Json(&'m TypeRef),
}

/// The flags of an operation's parameters, in the model's order. The parameters the client sets
/// itself (Atlas's `envelope` and `pretty`) have none.
///
/// Two wire names that are one in kebab case (`Self` and `self`) take the Rust names the client
/// gave them instead (`self` and `self-2`), which are unique.
pub fn flags<'m>(model: &'m ApiModel, op: &'m Operation) -> Vec<Flag<'m>> {
    let mut taken: Vec<String> = RESERVED.iter().map(|r| (*r).to_owned()).collect();
    named(
        model,
        op.params.iter().filter(|p| p.role == ParamRole::Plain),
        &mut taken,
    )
}

/// The flags of a request body's fields (see [`body_fields`]), named as parameters are and
/// never as one of the operation's parameter flags.
pub fn body_flags<'m>(
    model: &'m ApiModel,
    fields: &'m [Parameter],
    parameter_flags: &[Flag<'_>],
) -> Vec<Flag<'m>> {
    let mut taken: Vec<String> = RESERVED.iter().map(|r| (*r).to_owned()).collect();
    taken.extend(parameter_flags.iter().map(|f| f.name.clone()));
    let mut flags = named(model, fields.iter(), &mut taken);
    for flag in &mut flags {
        flag.in_body = true;
    }
    flags
}

/// The fields of `op`'s request body as parameters, when the body is an object whose every
/// field a caller sends is a scalar or a list of scalars (so a flag can carry it); `None`
/// for other bodies, which only `--file` takes. Where versions take bodies of different
/// types the caller picks one, so those take only `--file` too.
pub fn body_fields(model: &ApiModel, op: &Operation) -> Option<Vec<Parameter>> {
    let request = op.request.as_ref()?;
    if request.choices().len() > 1 {
        return None;
    }
    let TypeRef::Named(name) = &request.contents.last()?.body else {
        return None;
    };
    let TypeKind::Struct(fields) = &model.types.get(name)?.kind else {
        return None;
    };
    let sent: Vec<&crate::model::Field> = fields.iter().filter(|f| !f.read_only).collect();
    let flat = sent.iter().all(|field| {
        let item = match &field.ty {
            TypeRef::Array(item) => &**item,
            other => other,
        };
        !matches!(value_of(model, item), Value::Json(_))
    });
    (flat && !sent.is_empty()).then(|| {
        sent.into_iter()
            .map(|field| Parameter {
                name: field.name.clone(),
                ident: field.ident.clone(),
                // Unused for a body field: flags of the body are never path arguments.
                location: crate::model::ParamLocation::Query,
                required: field.sent_required,
                ty: field.ty.clone(),
                description: field.description.clone(),
                deprecated: field.deprecated,
                constraints: field.constraints.clone(),
                default: field.default.clone(),
                role: ParamRole::Plain,
            })
            .collect()
    })
}

fn named<'m>(
    model: &'m ApiModel,
    params: impl Iterator<Item = &'m Parameter>,
    taken: &mut Vec<String>,
) -> Vec<Flag<'m>> {
    params
        .map(|param| {
            let mut name = param.name.to_kebab_case();
            if RESERVED.contains(&name.as_str()) {
                name = format!("param-{name}");
            }
            if taken.contains(&name) {
                name = param.ident.0.trim_start_matches("r#").to_kebab_case();
            }
            while taken.contains(&name) {
                name.push('-');
            }
            taken.push(name.clone());
            let (item, many) = match &param.ty {
                TypeRef::Array(item) => (&**item, true),
                other => (other, false),
            };
            Flag {
                param,
                name,
                value: value_of(model, item),
                many,
                in_body: false,
            }
        })
        .collect()
}

fn value_of<'m>(model: &'m ApiModel, ty: &'m TypeRef) -> Value<'m> {
    match ty {
        TypeRef::Primitive(Primitive::String) => Value::Text,
        TypeRef::Primitive(p @ (Primitive::I32 | Primitive::I64)) => Value::Int(*p),
        TypeRef::Primitive(p @ (Primitive::F32 | Primitive::F64)) => Value::Float(*p),
        TypeRef::Primitive(Primitive::Bool) => Value::Bool,
        TypeRef::Primitive(Primitive::Date | Primitive::DateTime) => Value::Parsed(ty),
        TypeRef::Named(name) => match model.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(variants)) => {
                Value::Enum(ty, variants.iter().map(|v| v.value.as_str()).collect())
            }
            Some(TypeKind::Alias(target)) => value_of(model, target),
            _ => Value::Json(ty),
        },
        _ => Value::Json(ty),
    }
}

impl Flag<'_> {
    /// The type of one value as clap hands it back.
    pub fn item_type(&self, client: &proc_macro2::Ident) -> TokenStream {
        match &self.value {
            Value::Text => quote!(String),
            Value::Int(p) | Value::Float(p) => {
                super::super::types::rust_type(&TypeRef::Primitive(*p), &quote!(::#client::models))
            }
            Value::Bool => quote!(bool),
            Value::Enum(ty, _) | Value::Parsed(ty) | Value::Json(ty) => {
                super::super::types::rust_type(ty, &quote!(::#client::models))
            }
        }
    }

    /// Whether the flag's values go through the client's checker: text and numbers, which
    /// are what the spec's constraints apply to.
    pub fn is_checked(&self) -> bool {
        matches!(self.value, Value::Text | Value::Int(_) | Value::Float(_))
    }

    /// The const that describes a body field's value for its parser (`SNAPSHOT_ID_CHECKS`); a
    /// parameter's are in the operation's descriptor instead.
    pub fn checks_const(&self) -> Option<proc_macro2::Ident> {
        (self.in_body && self.is_checked()).then(|| {
            let name = format!(
                "{}_CHECKS",
                self.name.replace('-', "_").to_ascii_uppercase()
            );
            crate::emit::ident(&name)
        })
    }

    /// `const SNAPSHOT_ID_CHECKS: args::ValueChecks = …;` of a body field's flag: its name, how
    /// its text reads, and the checks of its schema, whose patterns `patterns` declares.
    pub fn checks_item(&self, patterns: &PatternTable) -> Option<TokenStream> {
        let name = self.checks_const()?;
        let wire = &self.param.name;
        let kind = params::value_kind(self.item());
        let checks = params::checks_for(self.param, patterns);
        let doc = format!(" The body field `{wire}`: how its flag's text reads and is checked.");
        Some(quote! {
            #[doc = #doc]
            const #name: args::ValueChecks = args::ValueChecks {
                name: #wire,
                kind: #kind,
                checks: &[#(#checks),*],
            };
        })
    }

    /// Whether a body field's flag has checks of its own (a parameter's are the descriptor's).
    pub fn has_checks(&self, patterns: &PatternTable) -> bool {
        self.checks_const().is_some() && !params::checks_for(self.param, patterns).is_empty()
    }

    /// The value parser of one value. Text and numbers are read and checked by the client's
    /// checker: a parameter with the checks of the operation's descriptor (`OPERATION`), a body
    /// field with those of its schema (see [`Flag::checks_item`]).
    pub fn parser(&self, client: &proc_macro2::Ident) -> TokenStream {
        match &self.value {
            Value::Text | Value::Int(_) | Value::Float(_) => {
                let ty = self.item_type(client);
                match self.checks_const() {
                    Some(checks) => quote!(args::checked_by::<#ty>(&#checks)),
                    None => {
                        let wire = &self.param.name;
                        let location = params::location(self.param.location);
                        quote!(args::checked::<#ty>(OPERATION, #location, #wire))
                    }
                }
            }
            Value::Bool => quote!(::clap::value_parser!(bool)),
            Value::Enum(_, values) => {
                let ty = self.item_type(client);
                quote! {
                    ::clap::builder::TypedValueParser::map(
                        ::clap::builder::PossibleValuesParser::new([#(#values),*]),
                        |value: String| #ty::from(value.as_str()),
                    )
                }
            }
            Value::Parsed(_) => {
                let ty = self.item_type(client);
                quote!(args::parsed::<#ty>())
            }
            Value::Json(_) => {
                let ty = self.item_type(client);
                quote!(args::json::<#ty>())
            }
        }
    }

    /// The type of one value, as the spec has it.
    fn item(&self) -> &TypeRef {
        match &self.param.ty {
            TypeRef::Array(item) => item,
            other => other,
        }
    }

    /// The placeholder shown in help (`GROUP_ID`).
    pub fn value_name(&self) -> String {
        match &self.value {
            Value::Bool => "BOOL".to_owned(),
            _ => self.name.replace('-', "_").to_ascii_uppercase(),
        }
    }

    /// The help text: the spec's description, then what the value must be.
    pub fn help(&self) -> String {
        let param = self.param;
        let mut text = param
            .description
            .as_deref()
            .map(super::super::docs::one_line)
            .unwrap_or_default();
        let c = &param.constraints;
        let mut rules: Vec<String> = Vec::new();
        if let Some(pattern) = &c.pattern {
            rules.push(format!("matches `{pattern}`"));
        }
        match (c.min_length, c.max_length) {
            (Some(min), Some(max)) if min == max => rules.push(format!("{min} characters")),
            (Some(min), Some(max)) => rules.push(format!("{min} to {max} characters")),
            (Some(min), None) => rules.push(format!("at least {min} characters")),
            (None, Some(max)) => rules.push(format!("at most {max} characters")),
            (None, None) => {}
        }
        let number = |v: f64| {
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                format!("{v}")
            }
        };
        match (c.minimum, c.maximum) {
            (Some(min), Some(max)) => rules.push(format!("{} to {}", number(min), number(max))),
            (Some(min), None) => rules.push(format!("at least {}", number(min))),
            (None, Some(max)) => rules.push(format!("at most {}", number(max))),
            (None, None) => {}
        }
        if let Some(default) = &param.default {
            rules.push(format!("server default: {default}"));
        }
        if self.many {
            rules.push("repeat the flag for each value".to_owned());
        }
        if param.deprecated {
            rules.push("deprecated".to_owned());
        }
        if self.in_body && param.required {
            rules.push("the body needs it unless --file gives the body".to_owned());
        }
        if !rules.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!("[{}]", rules.join("; ")));
        }
        text
    }
}
