//! What the AWS provider configurations of a plan say as constants: the accounts they are
//! allowed in or assume a role in, and the region they work in. Anything not a constant (a
//! variable, a reference) says nothing.

use crate::plan::Plan;
use crate::providers::aws::arn::{in_arn, is_account};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// The constants of every AWS provider configuration.
#[derive(Debug, Default)]
pub struct Settings {
    /// Each of `allowed_account_ids`, and the account of the role in `assume_role` (or
    /// `assume_role_with_web_identity`).
    pub accounts: Vec<String>,
    /// The default provider's `region`; without one, the region every configuration that sets
    /// one agrees on.
    pub region: Option<String>,
}

#[derive(Deserialize, Default)]
struct Top {
    #[serde(default)]
    provider_config: HashMap<String, Provider>,
}

#[derive(Deserialize)]
struct Provider {
    #[serde(default)]
    name: String,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    expressions: HashMap<String, Value>,
}

/// Reads the configuration once. Anything unreadable says nothing.
pub fn read(plan: &Plan) -> Settings {
    let top: Top = plan
        .configuration
        .map(|r| r.get())
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let mut out = Settings::default();
    let constant = |v: &Value| v.get("constant_value").cloned();
    let mut regions: Vec<(bool, String)> = Vec::new();
    for p in top.provider_config.values().filter(|p| p.name == "aws") {
        if let Some(Value::Array(ids)) = p.expressions.get("allowed_account_ids").and_then(constant)
        {
            out.accounts
                .extend(ids.iter().filter_map(Value::as_str).map(str::to_string));
        }
        for block in ["assume_role", "assume_role_with_web_identity"] {
            // A nested block is an array of expression maps.
            let Some(Value::Array(blocks)) = p.expressions.get(block) else {
                continue;
            };
            for b in blocks {
                if let Some(Value::String(arn)) = b.get("role_arn").and_then(constant) {
                    out.accounts.extend(in_arn(&arn).map(str::to_string));
                }
            }
        }
        if let Some(Value::String(region)) = p.expressions.get("region").and_then(constant) {
            regions.push((p.alias.is_none(), region));
        }
    }
    out.accounts.retain(|a| is_account(a));
    out.region = match regions.iter().find(|(default, _)| *default) {
        Some((_, r)) => Some(r.clone()),
        None => {
            let first = regions.first().map(|(_, r)| r.clone());
            first.filter(|f| regions.iter().all(|(_, r)| r == f))
        }
    };
    out
}
