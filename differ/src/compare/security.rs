//! Security: which schemes each operation accepts, and the schemes the spec defines.

use crate::change::Change;
use crate::rules::RuleId;
use codegen::model::{ApiModel, Operation, SecurityScheme};

pub(super) fn operation(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    for name in old.security.iter().filter(|s| !new.security.contains(s)) {
        out.push(Change::new(
            RuleId::EndpointSecuritySchemeRemoved,
            format!("security scheme `{name}` no longer accepted"),
        ));
    }
    for name in new.security.iter().filter(|s| !old.security.contains(s)) {
        out.push(Change::new(
            RuleId::EndpointSecuritySchemeAdded,
            format!("security scheme `{name}` now accepted"),
        ));
    }
}

pub(super) fn schemes(old: &ApiModel, new: &ApiModel, out: &mut Vec<Change>) {
    for (name, scheme) in &old.security_schemes {
        match new.security_schemes.get(name) {
            None => out.push(Change::new(
                RuleId::SecuritySchemeRemoved,
                format!("security scheme `{name}` ({}) removed", describe(scheme)),
            )),
            Some(now) if now != scheme => out.push(Change::new(
                RuleId::SecuritySchemeChanged,
                format!(
                    "security scheme `{name}` changed from {} to {}",
                    describe(scheme),
                    describe(now)
                ),
            )),
            Some(_) => {}
        }
    }
    for (name, scheme) in &new.security_schemes {
        if !old.security_schemes.contains_key(name) {
            out.push(Change::new(
                RuleId::SecuritySchemeAdded,
                format!("security scheme `{name}` ({}) added", describe(scheme)),
            ));
        }
    }
}

fn describe(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::HttpDigest => "HTTP digest".to_owned(),
        SecurityScheme::HttpBearer => "HTTP bearer".to_owned(),
        SecurityScheme::HttpBasic => "HTTP basic".to_owned(),
        SecurityScheme::OAuth2ClientCredentials { token_url, scopes } if scopes.is_empty() => {
            format!("OAuth2 client credentials, token URL `{token_url}`")
        }
        SecurityScheme::OAuth2ClientCredentials { token_url, scopes } => format!(
            "OAuth2 client credentials, token URL `{token_url}`, scopes `{}`",
            scopes.join(" ")
        ),
        SecurityScheme::OAuth2 => "oauth2".to_owned(),
        SecurityScheme::OpenIdConnect => "openIdConnect".to_owned(),
        SecurityScheme::ApiKey { name, location } => format!("API key `{name}` in {location}"),
        SecurityScheme::Other(kind) => kind.clone(),
    }
}
