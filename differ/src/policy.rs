//! Policy: what a project decides about the rule table's verdicts, in two checked-in TOML files.
//! A levels file re-grades rules (as oasdiff's severity levels do); an exemptions file
//! acknowledges single changes until a date (as MongoDB's foascli exemptions do), keeping them
//! out of `--fail-on` while every report still shows them. An exemption past its date exempts
//! nothing and is itself reported (`DF701`).
//!
//! ```toml
//! # levels.toml: rule id or code = breaking | warning | info
//! DF404 = "info"
//! request-property-default-changed = "info"
//! ```
//!
//! ```toml
//! # exemptions.toml
//! [[exemption]]
//! rule = "DF402"                  # id or code
//! operation = "testFailover"      # or: path = "/api/atlas/v2/groups/{groupId}/clusters"
//! reason = "204 became 200 without a body; announced in the 2025-03 release notes"
//! expires = "2026-12-31"          # exempt up to and including this day
//! ```

use crate::change::{Change, Diff};
use crate::error::DiffError;
use crate::rules::{find, Level, RuleId};
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, Item, Value};

/// Rule levels that replace the rule table's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<RuleId, Level>);

impl Levels {
    /// Parses a levels file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, DiffError> {
        let doc = document(file, text)?;
        let mut levels = BTreeMap::new();
        for (key, item) in doc.iter() {
            let rule = rule(file, key)?;
            let value = item.as_str().ok_or_else(|| {
                config(
                    file,
                    format!("`{key}` must be \"breaking\", \"warning\" or \"info\""),
                )
            })?;
            let level = match value {
                "breaking" => Level::Breaking,
                "warning" => Level::Warning,
                "info" => Level::Info,
                other => {
                    return Err(config(
                        file,
                        format!("`{key}`: `{other}` is not a level (breaking, warning, info)"),
                    ))
                }
            };
            levels.insert(rule, level);
        }
        Ok(Levels(levels))
    }

    pub fn get(&self, rule: RuleId) -> Option<Level> {
        self.0.get(&rule).copied()
    }
}

/// Which changes an exemption covers, besides its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One operation, by operationId.
    Operation(String),
    /// Operations whose path starts with this.
    Path(String),
}

/// One acknowledged change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    pub rule: RuleId,
    pub scope: Scope,
    pub reason: String,
    /// `YYYY-MM-DD`; the exemption holds up to and including this day.
    pub expires: String,
}

impl Exemption {
    fn covers(&self, operation_id: &str, path: &str, change: &Change) -> bool {
        change.rule == self.rule
            && match &self.scope {
                Scope::Operation(id) => id == operation_id,
                Scope::Path(prefix) => path.starts_with(prefix.as_str()),
            }
    }

    fn scope_text(&self) -> String {
        match &self.scope {
            Scope::Operation(id) => format!("operation `{id}`"),
            Scope::Path(prefix) => format!("path `{prefix}`"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exemptions(pub Vec<Exemption>);

impl Exemptions {
    /// Parses an exemptions file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, DiffError> {
        let doc = document(file, text)?;
        if let Some(key) = doc.iter().map(|(k, _)| k).find(|k| *k != "exemption") {
            return Err(config(
                file,
                format!("unknown key `{key}`: exemptions are `[[exemption]]` tables"),
            ));
        }
        let Some(item) = doc.get("exemption") else {
            return Ok(Exemptions::default());
        };
        let tables = item
            .as_array_of_tables()
            .ok_or_else(|| config(file, "`exemption` must be written `[[exemption]]`"))?;
        let mut out = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            let n = i + 1;
            let field = |key: &str| -> Result<Option<String>, DiffError> {
                match table.get(key) {
                    None => Ok(None),
                    Some(Item::Value(Value::String(s))) => Ok(Some(s.value().clone())),
                    Some(_) => Err(config(
                        file,
                        format!("exemption {n}: `{key}` must be a string"),
                    )),
                }
            };
            if let Some((key, _)) = table
                .iter()
                .find(|(k, _)| !["rule", "operation", "path", "reason", "expires"].contains(k))
            {
                return Err(config(file, format!("exemption {n}: unknown key `{key}`")));
            }
            let required = |key: &str| {
                field(key)?
                    .ok_or_else(|| config(file, format!("exemption {n}: `{key}` is missing")))
            };
            let rule = rule(file, &required("rule")?)?;
            let scope = match (field("operation")?, field("path")?) {
                (Some(id), None) => Scope::Operation(id),
                (None, Some(prefix)) => Scope::Path(prefix),
                _ => {
                    return Err(config(
                        file,
                        format!("exemption {n}: give exactly one of `operation` and `path`"),
                    ))
                }
            };
            let reason = required("reason")?;
            if reason.trim().is_empty() {
                return Err(config(file, format!("exemption {n}: `reason` is empty")));
            }
            let expires = required("expires")?;
            if !is_date(&expires) {
                return Err(config(
                    file,
                    format!("exemption {n}: `expires = \"{expires}\"` is not a date (YYYY-MM-DD)"),
                ));
            }
            out.push(Exemption {
                rule,
                scope,
                reason,
                expires,
            });
        }
        Ok(Exemptions(out))
    }
}

/// Re-grades changes by `levels`, marks the ones a current exemption covers, and reports every
/// exemption that expired before `today`.
pub fn apply(diff: Diff, levels: &Levels, exemptions: &Exemptions, today: &str) -> Diff {
    let mut diff = diff;
    let regrade = |change: &mut Change| {
        if let Some(level) = levels.get(change.rule) {
            change.level = level;
        }
    };
    let (current, expired): (Vec<&Exemption>, Vec<&Exemption>) = exemptions
        .0
        .iter()
        .partition(|e| e.expires.as_str() >= today);
    for op in &mut diff.operations {
        for change in &mut op.changes {
            regrade(change);
            if let Some(e) = current
                .iter()
                .find(|e| e.covers(&op.operation_id, &op.path, change))
            {
                change.exempted = Some(e.reason.clone());
            }
        }
    }
    for shared in &mut diff.shared {
        regrade(&mut shared.change);
    }
    for change in &mut diff.spec_changes {
        regrade(change);
    }
    for e in expired {
        let mut change = Change::new(
            RuleId::ExemptionExpired,
            format!(
                "the exemption of {} for {} expired on {} (reason given: {})",
                e.rule.rule().number,
                e.scope_text(),
                e.expires,
                e.reason
            ),
        );
        regrade(&mut change);
        diff.spec_changes.push(change);
    }
    diff.finish()
}

fn document(file: &str, text: &str) -> Result<DocumentMut, DiffError> {
    text.parse::<DocumentMut>()
        .map_err(|e| config(file, e.to_string().trim_end().to_owned()))
}

fn rule(file: &str, key: &str) -> Result<RuleId, DiffError> {
    find(key)
        .map(|r| r.id)
        .ok_or_else(|| config(file, format!("`{key}` is not a rule id or code")))
}

fn config(file: &str, message: impl Into<String>) -> DiffError {
    DiffError::Config {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// `YYYY-MM-DD` by shape.
pub fn is_date(text: &str) -> bool {
    text.len() == 10
        && text.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_id_or_code() {
        let levels = Levels::parse(
            "levels.toml",
            "DF404 = \"info\"\nrequest-property-default-changed = \"breaking\"\n",
        )
        .unwrap();
        assert_eq!(
            levels.get(RuleId::ResponseNonSuccessStatusRemoved),
            Some(Level::Info)
        );
        assert_eq!(
            levels.get(RuleId::RequestPropertyDefaultChanged),
            Some(Level::Breaking)
        );
        assert_eq!(levels.get(RuleId::EndpointAdded), None);
    }

    #[test]
    fn bad_levels_name_the_key() {
        let error = Levels::parse("l.toml", "DF999 = \"info\"").unwrap_err();
        assert_eq!(
            error.to_string(),
            "l.toml: `DF999` is not a rule id or code"
        );
        let error = Levels::parse("l.toml", "DF404 = \"fatal\"").unwrap_err();
        assert!(
            error.to_string().contains("`fatal` is not a level"),
            "{error}"
        );
    }

    #[test]
    fn exemptions_need_one_scope_a_reason_and_a_date() {
        let ok = "[[exemption]]\nrule = \"DF402\"\noperation = \"x\"\nreason = \"r\"\nexpires = \"2026-12-31\"\n";
        let parsed = Exemptions::parse("e.toml", ok).unwrap();
        assert_eq!(parsed.0[0].scope, Scope::Operation("x".into()));
        for (text, message) in [
            (ok.replace("operation", "path"), ""),
            (ok.replace("operation = \"x\"\n", ""), "exactly one of"),
            (ok.replace("2026-12-31", "soon"), "not a date"),
            (ok.replace("reason = \"r\"\n", ""), "`reason` is missing"),
            (format!("{ok}colour = \"red\"\n"), "unknown key `colour`"),
        ] {
            let result = Exemptions::parse("e.toml", &text);
            if message.is_empty() {
                assert!(result.is_ok(), "{text}");
            } else {
                let error = result.unwrap_err().to_string();
                assert!(error.contains(message), "{error}");
            }
        }
    }
}
