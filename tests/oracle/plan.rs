//! A Terraform plan holding every policy pair (one role and one inline role policy per pair),
//! privdiff's JSON report on it, and what the checks read from that report.

use crate::harness::{CtxValue, Request};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::process::Command;

/// An old and a new version of one identity policy.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Where it comes from: `random #12`, `fixture ci-role-widened.json aws_iam_role_policy.x`,
    /// `regression NAME`.
    pub origin: String,
    pub old: Value,
    pub new: Value,
    /// Requests that must be sampled for this pair (a regression's failing request).
    pub requests: Vec<Request>,
}

pub fn role_address(i: usize) -> String {
    format!("aws_iam_role.p{i}")
}

fn role_name(i: usize) -> String {
    format!("oracle-p{i}")
}

const TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}],"Version":"2012-10-17"}"#;

fn change(
    address: &str,
    typ: &str,
    name: &str,
    actions: &[&str],
    before: Value,
    after: Value,
) -> Value {
    json!({
        "address": address,
        "mode": "managed",
        "type": typ,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": {},
            "before_sensitive": {},
            "after_sensitive": {}
        }
    })
}

pub fn plan(pairs: &[Pair]) -> Value {
    let mut changes = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let role = json!({
            "arn": format!("arn:aws:iam::111122223333:role/{}", role_name(i)),
            "assume_role_policy": TRUST,
            "description": "",
            "force_detach_policies": false,
            "id": role_name(i),
            "inline_policy": [],
            "managed_policy_arns": [],
            "max_session_duration": 3600,
            "name": role_name(i),
            "name_prefix": "",
            "path": "/",
            "permissions_boundary": null,
            "tags": null,
            "tags_all": {},
        });
        let name = format!("p{i}");
        changes.push(change(
            &role_address(i),
            "aws_iam_role",
            &name,
            &["no-op"],
            role.clone(),
            role,
        ));
        let policy = |doc: &Value| {
            json!({
                "id": format!("{}:inline", role_name(i)),
                "name": "inline",
                "name_prefix": null,
                "policy": serde_json::to_string(doc).expect("policy JSON"),
                "role": role_name(i),
            })
        };
        changes.push(change(
            &format!("aws_iam_role_policy.p{i}"),
            "aws_iam_role_policy",
            &name,
            &["update"],
            policy(&p.old),
            policy(&p.new),
        ));
    }
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": changes,
        "errored": false
    })
}

/// One added grant of the report.
#[derive(Clone, Debug)]
pub struct Grant {
    pub raw: Value,
    pub scope: String,
    pub allow: bool,
    pub statement: bool,
    pub actions: Vec<String>,
    pub not_actions: bool,
    pub resources: Vec<String>,
    pub not_resources: bool,
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub verdict: String,
    pub added: Vec<Grant>,
    /// `added[].example` and the witness, as written in the report.
    pub examples: Vec<Value>,
}

/// Runs privdiff once on the plan of all pairs; returns each pair's identity.
pub fn analyze(pairs: &[Pair], dir: &std::path::Path) -> Vec<Option<Identity>> {
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_vec(&plan(pairs)).expect("plan")).expect("write plan");
    let out = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(["analyze", "--format", "json", "--fail-on", "never"])
        .arg(&path)
        .current_dir(dir)
        .output()
        .expect("run privdiff");
    assert!(
        out.status.success(),
        "privdiff failed on the oracle plan ({}): {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("privdiff JSON report");
    let mut by_address: HashMap<String, Identity> = HashMap::new();
    for id in report["identities"].as_array().expect("identities") {
        let added: Vec<Grant> = id["added"]
            .as_array()
            .expect("added")
            .iter()
            .map(|g| Grant {
                raw: g.clone(),
                scope: g["scope"].as_str().unwrap_or("").into(),
                allow: g["effect"] == "Allow",
                statement: g.get("kind").is_none(),
                actions: crate::harness::strings(&g["actions"]),
                not_actions: g["not_actions"] == true,
                resources: crate::harness::strings(&g["resources"]),
                not_resources: g["not_resources"] == true,
            })
            .collect();
        let mut examples: Vec<Value> = added
            .iter()
            .filter_map(|g| g.raw.get("example").cloned())
            .collect();
        if !id["witness"].is_null() {
            examples.push(id["witness"].clone());
        }
        let identity = Identity {
            verdict: id["verdict"].as_str().unwrap_or("").into(),
            added,
            examples,
        };
        by_address.insert(id["address"].as_str().unwrap_or("").into(), identity);
    }
    (0..pairs.len())
        .map(|i| by_address.remove(&role_address(i)))
        .collect()
}

/// The request a report example stands for, or why it cannot be given to the simulator.
pub fn example_request(example: &Value) -> Result<Request, String> {
    if example["scope"] != "permissions" {
        return Err(format!("scope {}", example["scope"]));
    }
    let action = example["action"].as_str().ok_or("no action")?.to_string();
    let resource = example["resource"]
        .as_str()
        .ok_or("no resource")?
        .to_string();
    let mut context = BTreeMap::new();
    if let Some(ctx) = example["context"].as_object() {
        for (k, v) in ctx {
            let v = v.as_str().ok_or("context value is not a string")?;
            if k.starts_with("condition:") {
                return Err(format!("opaque condition `{k}`"));
            }
            if v == "(absent)" {
                continue;
            }
            if v == "(sensitive)" {
                return Err("sensitive".into());
            }
            let value = match serde_json::from_str::<Vec<String>>(v) {
                Ok(set) if v.starts_with('[') => CtxValue::Many(set),
                _ => CtxValue::One(v.to_string()),
            };
            context.insert(k.clone(), value);
        }
    }
    Ok(Request {
        action,
        resource,
        context,
    })
}

/// `*` matches any run of characters (also `:` and `/`), `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a request lies inside an added permissions grant (conditions are not looked at).
pub fn covered(identity: &Identity, r: &Request) -> bool {
    if !matches!(identity.verdict.as_str(), "widened" | "created") {
        return false;
    }
    let action = r.action.to_lowercase();
    identity.added.iter().any(|g| {
        g.scope == "permissions"
            && g.allow
            && g.statement
            && g.actions.iter().any(|a| glob(&a.to_lowercase(), &action)) != g.not_actions
            && g.resources.iter().any(|p| glob(p, &r.resource)) != g.not_resources
    })
}
