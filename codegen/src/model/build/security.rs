//! Security: the schemes of `components/securitySchemes`, and the ones that may authorize an
//! operation.

use super::operation::OperationBuilder;
use crate::load::{escape_pointer, LoadedSpec};
use crate::model::{AuthOption, Note, SecurityScheme};
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

impl OperationBuilder<'_, '_> {
    /// Each named scheme with its kind. A requirement that combines several schemes is read as
    /// alternatives, since a client holds one kind of credentials. A name missing from
    /// `components/securitySchemes` becomes an `Other` kind that no credentials satisfy, and
    /// is noted.
    pub(super) fn auth_options(&mut self, names: &[String]) -> Vec<AuthOption> {
        let mut options = Vec::new();
        for name in names {
            let kind = match self.schemes.get(name) {
                Some(kind) => kind.clone(),
                None => {
                    self.cx.notes.push(Note {
                        pointer: format!("{}/security", self.pointer),
                        message: format!(
                            "security scheme `{name}` is not declared under \
                             components/securitySchemes; no credentials will satisfy it"
                        ),
                    });
                    SecurityScheme::Other("undeclared".to_owned())
                }
            };
            options.push(AuthOption {
                scheme: name.clone(),
                kind,
            });
        }
        options
    }
}

/// The declared schemes by name, and a located note for each one the client cannot honour
/// (so that no scheme is dropped without a word).
pub(super) fn security_schemes(spec: &LoadedSpec) -> (BTreeMap<String, SecurityScheme>, Vec<Note>) {
    let mut schemes = BTreeMap::new();
    let mut notes = Vec::new();
    let Some(components) = &spec.openapi.components else {
        return (schemes, notes);
    };
    for (name, scheme) in &components.security_schemes {
        let pointer = format!("/components/securitySchemes/{}", escape_pointer(name));
        let kind = match scheme {
            ReferenceOr::Reference { reference } => {
                notes.push(Note {
                    pointer,
                    message: format!(
                        "security scheme `{name}` is a reference (`{reference}`), which the \
                         generator does not follow; no credentials will satisfy it"
                    ),
                });
                schemes.insert(name.clone(), SecurityScheme::Other("reference".to_owned()));
                continue;
            }
            ReferenceOr::Item(scheme) => scheme_kind(scheme),
        };
        if let SecurityScheme::Other(what) = &kind {
            notes.push(Note {
                pointer,
                message: format!(
                    "security scheme `{name}` ({what}) cannot be honoured by the client; \
                     operations that accept only it cannot be authorized"
                ),
            });
        }
        schemes.insert(name.clone(), kind);
    }
    (schemes, notes)
}

fn scheme_kind(scheme: &openapiv3::SecurityScheme) -> SecurityScheme {
    match scheme {
        openapiv3::SecurityScheme::HTTP { scheme, .. } => {
            match scheme.to_ascii_lowercase().as_str() {
                "digest" => SecurityScheme::HttpDigest,
                "bearer" => SecurityScheme::HttpBearer,
                "basic" => SecurityScheme::HttpBasic,
                other => SecurityScheme::Other(format!("http {other}")),
            }
        }
        // The client fetches tokens itself only with client credentials; any other flow's token
        // is obtained by the caller and sent as a bearer token.
        openapiv3::SecurityScheme::OAuth2 { flows, .. } => match &flows.client_credentials {
            Some(flow) => {
                let mut scopes: Vec<String> = flow.scopes.keys().cloned().collect();
                scopes.sort();
                SecurityScheme::OAuth2ClientCredentials {
                    token_url: flow.token_url.clone(),
                    scopes,
                }
            }
            None => SecurityScheme::OAuth2,
        },
        openapiv3::SecurityScheme::APIKey { location, name, .. } => SecurityScheme::ApiKey {
            name: name.clone(),
            location: match location {
                openapiv3::APIKeyLocation::Header => "header",
                openapiv3::APIKeyLocation::Query => "query",
                openapiv3::APIKeyLocation::Cookie => "cookie",
            }
            .to_owned(),
        },
        openapiv3::SecurityScheme::OpenIDConnect { .. } => SecurityScheme::OpenIdConnect,
    }
}

#[cfg(test)]
mod tests {
    use super::super::build_model;
    use crate::model::SecurityScheme;

    #[test]
    pub(super) fn auth_options_follow_the_security_requirements() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
security:
  - Keys: []
paths:
  /inherited:
    get:
      operationId: inherited
      responses: {'200': {description: ok}}
  /either:
    get:
      operationId: either
      security: [{Tokens: []}, {Keys: []}]
      responses: {'200': {description: ok}}
  /optional:
    get:
      operationId: optional
      security: [{Keys: []}, {}]
      responses: {'200': {description: ok}}
  /open:
    get:
      operationId: open
      security: []
      responses: {'200': {description: ok}}
  /undeclared:
    get:
      operationId: undeclared
      security: [{Nowhere: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    Keys: {type: http, scheme: digest}
    Tokens:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {read: r}}}
"#;
        let spec =
            crate::load::load_text("s.yaml", text.into(), crate::load::Format::Yaml).unwrap();
        let model = build_model(&crate::validate::validate(&spec).unwrap()).unwrap();
        let auth = |id: &str| -> Vec<(String, SecurityScheme)> {
            let op = model.operations.iter().find(|op| op.id.0 == id).unwrap();
            op.auth
                .iter()
                .map(|o| (o.scheme.clone(), o.kind.clone()))
                .collect()
        };
        let keys = ("Keys".to_owned(), SecurityScheme::HttpDigest);
        let tokens = (
            "Tokens".to_owned(),
            SecurityScheme::OAuth2ClientCredentials {
                token_url: "https://x/token".into(),
                scopes: vec!["read".into()],
            },
        );
        assert_eq!(auth("either"), [tokens, keys.clone()]);
        assert_eq!(auth("inherited"), [keys]);
        assert_eq!(
            auth("optional"),
            [],
            "anonymous calls allowed: no restriction"
        );
        assert_eq!(auth("open"), []);
        assert_eq!(
            auth("undeclared"),
            [(
                "Nowhere".to_owned(),
                SecurityScheme::Other("undeclared".into())
            )]
        );
        let note = model
            .notes
            .iter()
            .find(|n| n.message.contains("`Nowhere`"))
            .expect("an undeclared scheme is noted");
        assert_eq!(note.pointer, "/paths/~1undeclared/get/security");
    }
}
