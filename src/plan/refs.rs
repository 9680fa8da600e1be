//! Addresses and the `configuration` section: which resource an expression refers to.
//!
//! `configuration` has one entry per module *call* with module-local addresses and references;
//! plan addresses carry module instance keys. A reference is resolved in the module instance
//! of the resource that makes it, following `module.X.out` into outputs and `var.x` out to the
//! calling module, so an attachment whose `policy_arn` is unknown until apply can still be tied
//! to the `aws_iam_policy` it names.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// A parsed resource address: `module.a["k"].module.b.aws_iam_role.r[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Module calls with their instance key as written (`["k"]`, `[0]`), if any.
    pub modules: Vec<(String, Option<String>)>,
    /// Module-local resource address without index: `aws_iam_role.r`, `data.x.y`.
    pub local: String,
    pub index: Option<String>,
}

impl Address {
    pub fn parse(s: &str) -> Option<Address> {
        let parts = split(s)?;
        let mut modules = Vec::new();
        let mut i = 0;
        while i + 1 < parts.len() && parts[i].0 == "module" {
            modules.push((parts[i + 1].0.clone(), parts[i + 1].1.clone()));
            i += 2;
        }
        let rest = &parts[i..];
        let (local, index) = match rest {
            [(d, None), (t, None), (n, idx)] if d == "data" => (format!("data.{t}.{n}"), idx),
            [(t, None), (n, idx)] => (format!("{t}.{n}"), idx),
            _ => return None,
        };
        Some(Address {
            modules,
            local,
            index: index.clone(),
        })
    }
}

/// Splits an address into `name[key]` steps, honouring quotes inside keys.
fn split(s: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] != b'.' && b[i] != b'[' {
            i += 1;
        }
        let name = s[start..i].to_string();
        let mut key = None;
        if i < b.len() && b[i] == b'[' {
            let ks = i;
            let mut in_str = false;
            while i < b.len() {
                match b[i] {
                    b'\\' if in_str => i += 1,
                    b'"' => in_str = !in_str,
                    b']' if !in_str => break,
                    _ => {}
                }
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            i += 1;
            key = Some(s[ks..i].to_string());
        }
        out.push((name, key));
        if i < b.len() {
            if b[i] != b'.' {
                return None;
            }
            i += 1;
        }
    }
    Some(out)
}

/// A resource an expression refers to. Module keys or the index are `None` when the reference
/// does not say which instance (the caller then considers every matching instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub modules: Vec<(String, Option<String>)>,
    pub local: String,
    pub index: Option<String>,
}

impl Target {
    /// The address as Terraform writes it (`module.team["a"].google_project.p`), with the
    /// index where the reference gives one.
    pub fn address(&self) -> String {
        // A key keeps its brackets (`[0]`, `["a"]`).
        let step = |name: &str, key: &Option<String>| match key {
            Some(k) => format!("{name}{k}"),
            None => name.to_string(),
        };
        let mut out = String::new();
        for (name, key) in &self.modules {
            out.push_str(&step(&format!("module.{name}"), key));
            out.push('.');
        }
        out.push_str(&step(&self.local, &self.index));
        out
    }

    pub fn matches(&self, a: &Address) -> bool {
        self.local == a.local
            && self.modules.len() == a.modules.len()
            && self
                .modules
                .iter()
                .zip(&a.modules)
                .all(|((n1, k1), (n2, k2))| n1 == n2 && (k1.is_none() || k1 == k2))
            && (self.index.is_none() || self.index == a.index)
    }
}

/// The `configuration` section, read once: module structure typed, each expression left as
/// raw JSON borrowed from the input until a lookup needs it.
pub struct Config<'a> {
    root: ModuleCfg<'a>,
    /// Module call path (`a.b`, "" for root) and module-local address → `expressions`.
    resources: HashMap<(String, String), Option<&'a RawValue>>,
}

#[derive(Deserialize)]
struct TopCfg<'a> {
    #[serde(borrow)]
    root_module: Option<ModuleCfg<'a>>,
}

#[derive(Deserialize, Default)]
struct ModuleCfg<'a> {
    #[serde(default, borrow)]
    resources: Vec<ResourceCfg<'a>>,
    #[serde(default, borrow)]
    module_calls: HashMap<String, CallCfg<'a>>,
    #[serde(default, borrow)]
    outputs: HashMap<String, OutputCfg<'a>>,
}

#[derive(Deserialize)]
struct ResourceCfg<'a> {
    #[serde(borrow)]
    address: Cow<'a, str>,
    #[serde(default, borrow)]
    expressions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct CallCfg<'a> {
    #[serde(default, borrow)]
    expressions: Option<&'a RawValue>,
    #[serde(default, borrow)]
    module: ModuleCfg<'a>,
}

#[derive(Deserialize)]
struct OutputCfg<'a> {
    #[serde(default, borrow)]
    expression: Option<&'a RawValue>,
}

/// How an attribute is set in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Configured {
    Yes,
    No,
    /// The configuration is missing or does not describe this resource.
    Unknown,
}

impl<'a> Config<'a> {
    pub fn parse(raw: Option<&'a RawValue>) -> Option<Config<'a>> {
        let top: TopCfg<'a> = serde_json::from_str(raw?.get()).ok()?;
        let mut root = top.root_module?;
        let mut resources = HashMap::new();
        index(&mut root, String::new(), &mut resources);
        Some(Config { root, resources })
    }

    fn module(&self, names: &[(String, Option<String>)]) -> Option<&ModuleCfg<'a>> {
        let mut m = &self.root;
        for (n, _) in names {
            m = &m.module_calls.get(n)?.module;
        }
        Some(m)
    }

    /// `expressions.<attr>` of a resource: `None` when the resource is not in the
    /// configuration, `Some(None)` when it is but does not set `attr`.
    fn expression(&self, a: &Address, attr: &str) -> Option<Option<Value>> {
        let path: Vec<&str> = a.modules.iter().map(|(n, _)| n.as_str()).collect();
        let exprs = self.resources.get(&(path.join("."), a.local.clone()))?;
        Some(exprs.and_then(|e| member(e, attr)))
    }

    /// Whether `attr` of the resource at `address` is set in the configuration.
    pub fn configured(&self, address: &str, attr: &str) -> Configured {
        match Address::parse(address).and_then(|a| self.expression(&a, attr)) {
            None => Configured::Unknown,
            Some(Some(_)) => Configured::Yes,
            Some(None) => Configured::No,
        }
    }

    /// The references of `attr` of the resource at `address` as the configuration lists them
    /// (`aws_s3_bucket.new.arn`, `aws_s3_bucket.new`, `var.x`); `None` when the configuration
    /// does not describe the resource or does not set `attr`.
    pub fn references_of(&self, address: &str, attr: &str) -> Option<Vec<String>> {
        let expr = Address::parse(address).and_then(|a| self.expression(&a, attr))??;
        Some(references(&expr))
    }

    /// Whether `attr` of the resource at `address` refers to `each.key`: with `for_each` over
    /// the same keys, `data.x[each.key]` is the instance of the resource's own key.
    pub fn uses_each_key(&self, address: &str, attr: &str) -> bool {
        let Some(Some(expr)) = Address::parse(address).and_then(|a| self.expression(&a, attr))
        else {
            return false;
        };
        references(&expr).iter().any(|r| r == "each.key")
    }

    /// Resources that `attr` of the resource at `address` refers to.
    pub fn targets(&self, address: &str, attr: &str) -> Vec<Target> {
        let Some(a) = Address::parse(address) else {
            return Vec::new();
        };
        let Some(Some(expr)) = self.expression(&a, attr) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.resolve(&a.modules, &references(&expr), 0, &mut out);
        out
    }

    /// Resources that any expression under `attr` refers to, in nested blocks too
    /// (`metadata[0].annotations`).
    pub fn targets_within(&self, address: &str, attr: &str) -> Vec<Target> {
        let Some(a) = Address::parse(address) else {
            return Vec::new();
        };
        let Some(Some(expr)) = self.expression(&a, attr) else {
            return Vec::new();
        };
        let mut refs = Vec::new();
        nested_references(&expr, 0, &mut refs);
        let mut out = Vec::new();
        self.resolve(&a.modules, &refs, 0, &mut out);
        out
    }

    fn resolve(
        &self,
        modules: &[(String, Option<String>)],
        refs: &[String],
        depth: usize,
        out: &mut Vec<Target>,
    ) {
        if depth > 16 {
            return;
        }
        for r in refs {
            let Some(parts) = split(r) else { continue };
            let name = |i: usize| parts.get(i).map(|p| p.0.as_str());
            match name(0) {
                Some("var") if !modules.is_empty() => {
                    let Some(var) = name(1) else { continue };
                    let parent = &modules[..modules.len() - 1];
                    let call = &modules[modules.len() - 1].0;
                    let refs = self
                        .module(parent)
                        .and_then(|m| m.module_calls.get(call)?.expressions)
                        .and_then(|e| member(e, var))
                        .map(|e| references(&e))
                        .unwrap_or_default();
                    self.resolve(parent, &refs, depth + 1, out);
                }
                Some("module") => {
                    let (Some(call), Some(output)) = (name(1), name(2)) else {
                        continue;
                    };
                    let mut inner = modules.to_vec();
                    inner.push((call.to_string(), parts[1].1.clone()));
                    let refs = self
                        .module(&inner)
                        .and_then(|m| m.outputs.get(output)?.expression)
                        .and_then(|e| serde_json::from_str::<Value>(e.get()).ok())
                        .map(|e| references(&e))
                        .unwrap_or_default();
                    self.resolve(&inner, &refs, depth + 1, out);
                }
                Some("data") if parts.len() >= 3 => push(
                    out,
                    Target {
                        modules: modules.to_vec(),
                        local: format!("data.{}.{}", parts[1].0, parts[2].0),
                        index: parts[2].1.clone(),
                    },
                ),
                Some(t) if t.contains('_') && parts.len() >= 2 && !is_keyword(t) => push(
                    out,
                    Target {
                        modules: modules.to_vec(),
                        local: format!("{t}.{}", parts[1].0),
                        index: parts[1].1.clone(),
                    },
                ),
                _ => {}
            }
        }
    }
}

/// Moves every module's resources into `out`, keyed by module call path and local address.
fn index<'a>(
    module: &mut ModuleCfg<'a>,
    path: String,
    out: &mut HashMap<(String, String), Option<&'a RawValue>>,
) {
    for r in module.resources.drain(..) {
        out.insert((path.clone(), r.address.into_owned()), r.expressions);
    }
    for (name, call) in module.module_calls.iter_mut() {
        let p = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        index(&mut call.module, p, out);
    }
}

/// One member of a raw JSON object, parsed.
fn member(obj: &RawValue, key: &str) -> Option<Value> {
    let m: HashMap<Cow<str>, &RawValue> = serde_json::from_str(obj.get()).ok()?;
    serde_json::from_str(m.get(key)?.get()).ok()
}

fn is_keyword(t: &str) -> bool {
    matches!(
        t,
        "var" | "local" | "each" | "count" | "path" | "terraform" | "self"
    )
}

/// Keeps the most specific reference to each resource (`x[0]` over `x`).
fn push(out: &mut Vec<Target>, t: Target) {
    if let Some(existing) = out
        .iter_mut()
        .find(|e| e.modules == t.modules && e.local == t.local)
    {
        if existing.index.is_none() {
            existing.index = t.index;
        }
        return;
    }
    out.push(t);
}

/// The `references` of an expression (or of the values of a nested block expression).
/// Every reference in an expression and the blocks nested in it; a plan's expressions are
/// shallow, and the depth is bounded against a hostile one.
fn nested_references(expr: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > 16 {
        return;
    }
    match expr {
        Value::Object(m) => {
            out.extend(references(expr));
            for (k, v) in m {
                if k != "references" {
                    nested_references(v, depth + 1, out);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                nested_references(v, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn references(expr: &Value) -> Vec<String> {
    expr.get("references")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses() {
        let a =
            Address::parse(r#"module.team["pay.ments"].module.x.aws_iam_role.this[0]"#).unwrap();
        assert_eq!(a.modules.len(), 2);
        assert_eq!(a.modules[0].1.as_deref(), Some(r#"["pay.ments"]"#));
        assert_eq!(a.local, "aws_iam_role.this");
        assert_eq!(a.index.as_deref(), Some("[0]"));
        let t = Target {
            modules: vec![("outer".into(), Some("[0]".into())), ("inner".into(), None)],
            local: "aws_cloudwatch_event_rule.example".into(),
            index: Some("[\"a\"]".into()),
        };
        assert_eq!(
            t.address(),
            "module.outer[0].module.inner.aws_cloudwatch_event_rule.example[\"a\"]"
        );
        assert_eq!(a.modules[1], ("x".to_string(), None));
        let d = Address::parse("data.aws_iam_policy_document.p").unwrap();
        assert_eq!(d.local, "data.aws_iam_policy_document.p");
        assert!(Address::parse("module.x[").is_none());
    }

    #[test]
    fn resolves_through_modules_outputs_and_variables() {
        let cfg = serde_json::json!({"root_module": {
        "resources": [{"address": "aws_iam_policy.root", "expressions": {}}],
        "module_calls": {
            "team": {"expressions": {"policy": {"references": ["aws_iam_policy.root.arn", "aws_iam_policy.root"]}},
              "module": {"resources": [
                {"address": "aws_iam_role_policy_attachment.a", "expressions": {
                    "policy_arn": {"references": ["aws_iam_policy.this.arn", "aws_iam_policy.this"]},
                    "role": {"references": ["var.policy"]}}},
                {"address": "aws_iam_policy.this", "expressions": {"policy": {"constant_value": "{}"}}}
              ]}}}}});
        let raw = serde_json::value::to_raw_value(&cfg).unwrap();
        let c = Config::parse(Some(&raw)).unwrap();
        let t = c.targets(
            r#"module.team["a"].aws_iam_role_policy_attachment.a"#,
            "policy_arn",
        );
        assert_eq!(t.len(), 1);
        let a = Address::parse(r#"module.team["a"].aws_iam_policy.this"#).unwrap();
        assert!(t[0].matches(&a));
        let b = Address::parse(r#"module.team["b"].aws_iam_policy.this"#).unwrap();
        assert!(!t[0].matches(&b));
        let v = c.targets(
            r#"module.team["a"].aws_iam_role_policy_attachment.a"#,
            "role",
        );
        assert_eq!(v[0].local, "aws_iam_policy.root");
        assert_eq!(
            c.configured(r#"module.team["a"].aws_iam_policy.this"#, "policy"),
            Configured::Yes
        );
        assert_eq!(
            c.configured(r#"module.team["a"].aws_iam_policy.this"#, "name"),
            Configured::No
        );
    }
}
