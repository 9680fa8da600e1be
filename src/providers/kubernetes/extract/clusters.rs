//! Which cluster each Kubernetes resource talks to, when the plan configures more than one:
//! the `kubernetes` provider configuration its `provider_config_key` names, followed through
//! `parent_key` to the configuration a module inherits. Subjects and roles of different
//! clusters must not merge.

use crate::plan::refs::Address;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Module call path (`a.b`, "" for the root) and module-local address → cluster key.
pub struct Clusters {
    by_resource: HashMap<(String, String), String>,
}

impl Clusters {
    /// `None` when the plan configures at most one `kubernetes` provider: nothing to tell apart.
    pub fn read(configuration: Option<&RawValue>) -> Option<Clusters> {
        // The provider configurations first, skipping the modules: one cluster, the usual
        // case, needs nothing more.
        #[derive(serde::Deserialize)]
        struct Providers {
            provider_config: Option<serde_json::Map<String, Value>>,
        }
        let raw = configuration?.get();
        let providers: Providers = serde_json::from_str(raw).ok()?;
        let providers = providers.provider_config?;
        let source = |key: &str| {
            let mut key = key.to_string();
            // A module's configuration may point at the one it inherits.
            for _ in 0..32 {
                match providers
                    .get(&key)
                    .and_then(|p| p.get("parent_key"))
                    .and_then(Value::as_str)
                {
                    Some(parent) if parent != key => key = parent.to_string(),
                    _ => break,
                }
            }
            key
        };
        let kubernetes: BTreeSet<String> = providers
            .iter()
            .filter(|(_, p)| p.get("name").and_then(Value::as_str) == Some("kubernetes"))
            .map(|(k, _)| source(k))
            .collect();
        if kubernetes.len() < 2 {
            return None;
        }
        let config: Value = serde_json::from_str(raw).ok()?;
        let mut by_resource = HashMap::new();
        let mut stack = vec![(String::new(), config.get("root_module")?, 0)];
        while let Some((path, module, depth)) = stack.pop() {
            for r in module
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let text = |k: &str| r.get(k).and_then(Value::as_str);
                if let (Some(address), Some(key)) = (text("address"), text("provider_config_key")) {
                    by_resource.insert((path.clone(), address.to_string()), source(key));
                }
            }
            if depth > 16 {
                continue;
            }
            let calls = module.get("module_calls").and_then(Value::as_object);
            for (name, call) in calls.into_iter().flatten() {
                let Some(inner) = call.get("module") else {
                    continue;
                };
                let path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                stack.push((path, inner, depth + 1));
            }
        }
        Some(Clusters { by_resource })
    }

    /// The cluster key of the resource at a plan address, if the configuration names it.
    pub fn of(&self, address: &str) -> Option<&str> {
        let a = Address::parse(address)?;
        let path: Vec<&str> = a.modules.iter().map(|(n, _)| n.as_str()).collect();
        self.by_resource
            .get(&(path.join("."), a.local))
            .map(String::as_str)
    }
}
