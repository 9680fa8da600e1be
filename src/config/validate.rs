//! The raw file → a [`Config`], or the first mistake in it, naming the block and the field.
//! Nothing is defaulted silently: an unknown field or block, a block given twice and a value of
//! the wrong type are all errors (a field set twice is already one, from the parser).

use super::raw::{Attribute, Block, Body, Value};
use super::{Config, Date, Ignore, Pattern, RuleSetting};
use crate::checks::Sod;
use crate::gate::FailOn;
use crate::model::Severity;
use crate::rules::Pages;
use std::collections::BTreeMap;

const SEVERITIES: &str = "critical, high, medium, low, info";

pub fn config(body: &Body, file: &str) -> Result<Config, String> {
    let fields = Fields::new(
        String::new(),
        &body.attributes,
        &["fail_on", "owner_tags", "rules_url", "trusted_accounts"],
    )?;
    let fail_on = match fields.string("fail_on")? {
        Some(name) => Some(FailOn::parse(name).ok_or_else(|| {
            format!(
                "\"fail_on\" must be one of {}, not {name:?}",
                FailOn::NAMES.join(", ")
            )
        })?),
        None => None,
    };
    let mut trusted_accounts = Vec::new();
    for id in fields.strings("trusted_accounts")? {
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"trusted_accounts\": {id:?} is not an AWS account id (12 digits)"
            ));
        }
        trusted_accounts.push(id.to_string());
    }
    let mut owner_tags = Vec::new();
    for (k, tag) in fields.strings("owner_tags")?.into_iter().enumerate() {
        if tag.trim().is_empty() {
            return Err(format!("\"owner_tags\" item {} is empty", k + 1));
        }
        owner_tags.push(tag.to_string());
    }
    let rules_url = match fields.string("rules_url")? {
        Some(url) => Some(Pages::parse(url).map_err(|e| format!("\"rules_url\": {e}"))?),
        None => None,
    };
    let mut config = Config {
        file: file.to_string(),
        fail_on,
        trusted_accounts,
        owner_tags,
        rules_url,
        rules: Vec::new(),
        ignores: Vec::new(),
        sod: Vec::new(),
    };
    for block in &body.blocks {
        match block.kind.as_str() {
            "rule" => {
                let setting = rule(block)?;
                if config.rule(setting.code).is_some() {
                    return Err(format!("rule {:?} is configured twice", setting.code));
                }
                config.rules.push(setting);
            }
            "ignore" => {
                let index = config.ignores.len() + 1;
                config.ignores.push(ignore(block, index)?);
            }
            "sod" => {
                let sod = sod(block)?;
                if config.sod.iter().any(|s| s.name == sod.name) {
                    return Err(format!("sod {:?} is configured twice", sod.name));
                }
                config.sod.push(sod);
            }
            other => {
                return Err(format!(
                    "unknown block {other:?} (the blocks are rule, ignore and sod)"
                ))
            }
        }
    }
    Ok(config)
}

/// `rule "PD012" { severity = "low"  enabled = false }`.
fn rule(block: &Block) -> Result<RuleSetting, String> {
    let label = one_label(block, "a rule code: rule \"PD001\" { ... }")?;
    let what = format!("rule {label:?}");
    let found = crate::rules::find(label)
        .ok_or_else(|| format!("{what}: no such rule (see privdiff rules)"))?;
    let fields = Fields::in_block(what, block, &["severity", "enabled"])?;
    Ok(RuleSetting {
        code: found.code,
        severity: fields.severity("severity")?,
        enabled: fields.bool("enabled")?.unwrap_or(true),
    })
}

/// `ignore { rule = ...  address = ...  identity = ...  reason = ...  expires = ... }`.
fn ignore(block: &Block, index: usize) -> Result<Ignore, String> {
    let what = format!("ignore block {index}");
    if !block.labels.is_empty() {
        return Err(format!("{what}: an ignore block takes no label"));
    }
    let fields = Fields::in_block(
        what,
        block,
        &["rule", "address", "identity", "reason", "expires"],
    )?;
    let rule = match fields.non_empty("rule")? {
        Some(code) => Some(
            crate::rules::find(code)
                .ok_or_else(|| {
                    fields.error(&format!(
                        "\"rule\": no such rule {code:?} (see privdiff rules)"
                    ))
                })?
                .code,
        ),
        None => None,
    };
    let address = fields.non_empty("address")?.map(Pattern::new);
    let identity = fields.non_empty("identity")?.map(Pattern::new);
    if rule.is_none() && address.is_none() && identity.is_none() {
        return Err(fields.error(
            "needs at least one of \"rule\", \"address\" and \"identity\" (an ignore of everything is fail_on = \"never\")",
        ));
    }
    let reason = fields
        .non_empty("reason")?
        .ok_or_else(|| fields.error("\"reason\" is required"))?
        .to_string();
    let expires = match fields.string("expires")? {
        Some(text) => Some(Date::parse(text).ok_or_else(|| {
            fields.error(&format!(
                "\"expires\" must be a date as YYYY-MM-DD, not {text:?}"
            ))
        })?),
        None => None,
    };
    Ok(Ignore {
        index,
        rule,
        address,
        identity,
        reason,
        expires,
    })
}

/// `sod "name" { actions = [[...], [...]]  severity = "high" }`.
fn sod(block: &Block) -> Result<Sod, String> {
    let label = one_label(block, "a name: sod \"deploy-and-approve\" { ... }")?;
    let what = format!("sod {label:?}");
    if label.trim().is_empty() {
        return Err(format!("{what}: the name must not be empty"));
    }
    let fields = Fields::in_block(what, block, &["actions", "severity"])?;
    let shape = "\"actions\" must be a list of at least 2 groups of actions, e.g. [[\"codepipeline:PutApprovalResult\"], [\"codepipeline:StartPipelineExecution\"]]";
    let groups = fields
        .list("actions")?
        .ok_or_else(|| fields.error("\"actions\" is required"))?;
    if groups.len() < 2 {
        return Err(fields.error(shape));
    }
    let mut actions = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let Value::List(items) = group else {
            return Err(fields.error(&format!(
                "\"actions\" group {} must be a list of actions, not {}",
                g + 1,
                group.kind()
            )));
        };
        if items.is_empty() {
            return Err(fields.error(&format!("\"actions\" group {} is empty", g + 1)));
        }
        let mut names = Vec::new();
        for item in items {
            let Value::String(action) = item else {
                return Err(fields.error(&format!(
                    "\"actions\" group {}: an action must be a string, not {}",
                    g + 1,
                    item.kind()
                )));
            };
            if !is_action_pattern(action) {
                return Err(fields.error(&format!(
                    "\"actions\" group {}: {action:?} is not an IAM action (service:Action, with * and ? as wildcards)",
                    g + 1
                )));
            }
            names.push(action.clone());
        }
        actions.push(names);
    }
    Ok(Sod {
        name: label.to_string(),
        actions,
        severity: fields.severity("severity")?.unwrap_or(Severity::High),
    })
}

/// `service:Action`: one colon, a name on each side, `*` and `?` allowed as wildcards.
fn is_action_pattern(text: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'))
    };
    text.split_once(':')
        .is_some_and(|(service, action)| name(service) && name(action))
}

fn one_label<'a>(block: &'a Block, expected: &str) -> Result<&'a str, String> {
    match block.labels.as_slice() {
        [label] => Ok(label),
        _ => Err(format!(
            "a {} block takes one label, {expected}",
            block.kind
        )),
    }
}

/// The attributes of one body, checked for unknown and repeated names, with typed getters whose
/// errors name the body (`what`) and the field.
struct Fields<'a> {
    what: String,
    values: BTreeMap<&'a str, &'a Value>,
}

impl<'a> Fields<'a> {
    fn new(what: String, attributes: &'a [Attribute], known: &[&str]) -> Result<Self, String> {
        let mut fields = Fields {
            what,
            values: BTreeMap::new(),
        };
        for a in attributes {
            if !known.contains(&a.key.as_str()) {
                return Err(fields.error(&format!(
                    "unknown field {:?} (the fields are {})",
                    a.key,
                    known.join(", ")
                )));
            }
            // hcl has already refused a body that sets an attribute twice.
            fields.values.insert(&a.key, &a.value);
        }
        Ok(fields)
    }

    /// The fields of a block, which holds no blocks of its own.
    fn in_block(what: String, block: &'a Block, known: &[&str]) -> Result<Self, String> {
        let fields = Fields::new(what, &block.body.attributes, known)?;
        match block.body.blocks.first() {
            Some(inner) => Err(fields.error(&format!("unknown block {:?}", inner.kind))),
            None => Ok(fields),
        }
    }

    fn error(&self, message: &str) -> String {
        if self.what.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", self.what)
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, value: &Value) -> String {
        self.error(&format!("{key:?} must be {expected}, not {}", value.kind()))
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.values.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    /// A string with something in it besides spaces.
    fn non_empty(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.string(key)? {
            Some(s) if s.trim().is_empty() => {
                Err(self.error(&format!("{key:?} must not be empty")))
            }
            other => Ok(other),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.values.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "true or false", other)),
        }
    }

    /// A list of strings (none when unset), naming the first item that is not one.
    fn strings(&self, key: &str) -> Result<Vec<&'a str>, String> {
        let items = self.list(key)?.unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let Value::String(s) = item else {
                return Err(format!(
                    "{key:?} item {} must be a string, not {}",
                    k + 1,
                    item.kind()
                ));
            };
            out.push(s.as_str());
        }
        Ok(out)
    }

    fn list(&self, key: &str) -> Result<Option<&'a [Value]>, String> {
        match self.values.get(key) {
            None => Ok(None),
            Some(Value::List(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong_type(key, "a list", other)),
        }
    }

    fn severity(&self, key: &str) -> Result<Option<Severity>, String> {
        match self.string(key)? {
            None => Ok(None),
            Some(name) => Severity::parse(name).map(Some).ok_or_else(|| {
                self.error(&format!(
                    "{key:?} must be one of {SEVERITIES}, not {name:?}"
                ))
            }),
        }
    }
}
