//! The google provider's default project, from the plan's `configuration`: what a resource
//! that does not set `project` itself is created in (its planned `project` is then known only
//! after apply).

use crate::plan::refs::Address;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
struct Top {
    #[serde(default)]
    provider_config: HashMap<String, Provider>,
    #[serde(default)]
    root_module: Module,
}

#[derive(Deserialize)]
struct Provider {
    #[serde(default)]
    expressions: HashMap<String, Value>,
}

#[derive(Deserialize, Default)]
struct Module {
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    module_calls: HashMap<String, Call>,
}

#[derive(Deserialize)]
struct Call {
    #[serde(default)]
    module: Module,
}

#[derive(Deserialize)]
struct Resource {
    address: String,
    #[serde(default)]
    provider_config_key: Option<String>,
    #[serde(default)]
    expressions: HashMap<String, Value>,
}

/// Module call path (`a.b`, "" for the root) and module-local address → the default project,
/// for the resources that do not set `project` and whose provider sets it as a constant.
#[derive(Debug, Default)]
pub struct DefaultProjects(HashMap<(String, String), String>);

impl DefaultProjects {
    /// Reads `configuration`. Anything it cannot read gives no default (the project stays
    /// unknown, never guessed).
    pub fn parse(configuration: Option<&RawValue>) -> DefaultProjects {
        let top: Top = configuration
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default();
        let mut out = HashMap::new();
        walk(&top.root_module, "", &top.provider_config, &mut out);
        DefaultProjects(out)
    }

    /// The default project of the resource at plan address `address`, if the configuration
    /// tells it.
    pub fn of(&self, address: &str) -> Option<&str> {
        let a = Address::parse(address)?;
        let path: Vec<&str> = a.modules.iter().map(|(n, _)| n.as_str()).collect();
        self.0.get(&(path.join("."), a.local)).map(String::as_str)
    }
}

fn walk(
    module: &Module,
    path: &str,
    providers: &HashMap<String, Provider>,
    out: &mut HashMap<(String, String), String>,
) {
    for r in &module.resources {
        // Set on the resource (constant or not): the provider's default does not apply.
        if r.expressions.contains_key("project") {
            continue;
        }
        let Some(key) = &r.provider_config_key else {
            continue;
        };
        if let Some(p) = provider_project(key, providers) {
            out.insert((path.to_string(), r.address.clone()), p);
        }
    }
    for (name, call) in &module.module_calls {
        let inner = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        walk(&call.module, &inner, providers, out);
    }
}

/// The constant `project` of a provider configuration. A child module's key is
/// `module.a.module.b:google`; a default (unaliased) configuration a module does not declare is
/// inherited from its parent, so the key is looked up there too. An aliased one is passed in
/// explicitly under another name, which this does not follow.
fn provider_project(key: &str, providers: &HashMap<String, Provider>) -> Option<String> {
    let (modules, name) = match key.rsplit_once(':') {
        Some((m, n)) => (m.split('.').collect::<Vec<_>>(), n),
        None => (Vec::new(), key),
    };
    // `module.a.module.b` is four parts: each ancestor is two parts shorter.
    let mut depth = modules.len();
    loop {
        let k = match depth {
            0 => name.to_string(),
            _ => format!("{}:{name}", modules[..depth].join(".")),
        };
        if let Some(p) = providers.get(&k) {
            return p
                .expressions
                .get("project")?
                .get("constant_value")?
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string);
        }
        if depth == 0 || name.contains('.') {
            return None;
        }
        depth = depth.saturating_sub(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_without_project_takes_its_providers_constant_project() {
        let cfg = serde_json::json!({
            "provider_config": {
                "google": {"name": "google", "expressions": {"project": {"constant_value": "root-p"}}},
                "google.other": {"name": "google", "alias": "other", "expressions": {"project": {"references": ["var.p"]}}},
                "module.app:google": {"name": "google", "module_address": "module.app", "expressions": {"project": {"constant_value": "app-p"}}}
            },
            "root_module": {
                "resources": [
                    {"address": "google_pubsub_topic_iam_member.a", "provider_config_key": "google", "expressions": {}},
                    {"address": "google_pubsub_topic_iam_member.b", "provider_config_key": "google", "expressions": {"project": {"references": ["var.p"]}}},
                    {"address": "google_pubsub_topic_iam_member.c", "provider_config_key": "google.other", "expressions": {}}
                ],
                "module_calls": {
                    "app": {"module": {"resources": [
                        {"address": "google_pubsub_topic_iam_member.d", "provider_config_key": "module.app:google", "expressions": {}}
                    ], "module_calls": {"inner": {"module": {"resources": [
                        {"address": "google_pubsub_topic_iam_member.e", "provider_config_key": "module.app.module.inner:google", "expressions": {}}
                    ]}}}}},
                    "plain": {"module": {"resources": [
                        {"address": "google_pubsub_topic_iam_member.f", "provider_config_key": "module.plain:google", "expressions": {}}
                    ]}}
                }
            }
        });
        let raw = serde_json::value::to_raw_value(&cfg).unwrap();
        let d = DefaultProjects::parse(Some(&raw));
        assert_eq!(d.of("google_pubsub_topic_iam_member.a"), Some("root-p"));
        // Set by the resource itself, or by a provider whose project is not a constant.
        assert_eq!(d.of("google_pubsub_topic_iam_member.b"), None);
        assert_eq!(d.of("google_pubsub_topic_iam_member.c"), None);
        assert_eq!(
            d.of(r#"module.app["x"].google_pubsub_topic_iam_member.d"#),
            Some("app-p")
        );
        // Inherited from the nearest module that declares it.
        assert_eq!(
            d.of("module.app.module.inner.google_pubsub_topic_iam_member.e"),
            Some("app-p")
        );
        assert_eq!(
            d.of("module.plain.google_pubsub_topic_iam_member.f"),
            Some("root-p")
        );
        assert_eq!(DefaultProjects::parse(None).of("google_x.y"), None);
    }
}
