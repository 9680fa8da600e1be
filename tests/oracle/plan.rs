//! A Terraform plan holding every policy pair (one role per pair, with an inline role policy or a
//! trust policy that changes, or one bucket or KMS key per pair, with a policy that changes),
//! privdiff's JSON report on it, and what the checks read from that report.

use crate::harness::{CtxValue, Request};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::process::Command;

/// Which policy a pair changes; the report's `scope` of its grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// An identity policy of the role (`aws_iam_role_policy`): what the role may do.
    Permissions,
    /// The role's trust policy (`assume_role_policy`): who may become the role.
    Trust,
    /// The resource policy of an S3 bucket (`aws_s3_bucket_policy`) or a KMS key
    /// (`aws_kms_key_policy`): who may do what to the resource (report `resources[]`). Requests
    /// are checked like trust requests but with the resource in an account of its own,
    /// [`RESOURCE_ACCOUNT`] (see docs/oracle.md).
    Resource,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Permissions => "permissions",
            Scope::Trust => "trust",
            Scope::Resource => "resource",
        }
    }
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "permissions" => Some(Scope::Permissions),
            "trust" => Some(Scope::Trust),
            "resource" => Some(Scope::Resource),
            _ => None,
        }
    }
}

/// An old and a new version of one policy.
#[derive(Clone, Debug)]
pub struct Pair {
    pub scope: Scope,
    /// Where it comes from: `random #12`, `fixture ci-role-widened.json aws_iam_role_policy.x`,
    /// `regression NAME`.
    pub origin: String,
    pub old: Value,
    pub new: Value,
    /// Requests that must be sampled for this pair (a regression's failing request).
    pub requests: Vec<Request>,
    /// The resource a resource-policy pair protects; `None` for the other scopes.
    pub subject: Option<Subject>,
    /// Old and new differ only by statements that name resources of no type their actions take
    /// (`s3:ListBucket` on `arn:aws:s3:::b/*`): they allow the same requests, so privdiff must
    /// call the pair `unchanged`.
    pub only_wrong_type: bool,
}

/// The resource whose policy a resource-policy pair changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// An `aws_s3_bucket` of this name, with an `aws_s3_bucket_policy`.
    Bucket(String),
    /// An `aws_kms_key` (`key_id`, `arn`), with an `aws_kms_key_policy`.
    Key { id: String, arn: String },
}

impl Subject {
    pub fn arn(&self) -> String {
        match self {
            Subject::Bucket(name) => format!("arn:aws:s3:::{name}"),
            Subject::Key { arn, .. } => arn.clone(),
        }
    }
    /// Whether `resource` is the subject or (a bucket's) object in it.
    pub fn contains(&self, resource: &str) -> bool {
        let arn = self.arn();
        resource == arn
            || matches!(self, Subject::Bucket(_))
                && resource
                    .strip_prefix(&arn)
                    .is_some_and(|rest| rest.starts_with('/'))
    }
    /// The resources requests are sampled on: the bucket, objects at the top, under `prefix/` and
    /// elsewhere; the key.
    pub fn sample_resources(&self) -> Vec<String> {
        let arn = self.arn();
        match self {
            Subject::Bucket(_) => vec![
                arn.clone(),
                format!("{arn}/x"),
                format!("{arn}/prefix/x"),
                format!("{arn}/other/y"),
            ],
            Subject::Key { .. } => vec![arn],
        }
    }
}

/// The account the simulator puts every resource of a resource-policy pair in: no principal of
/// the vocabularies belongs to it, so every request is cross-account and, with the caller's
/// allow-everything identity policy, the resource policy decides.
pub const RESOURCE_ACCOUNT: &str = "555566667777";

pub fn role_address(i: usize) -> String {
    format!("aws_iam_role.p{i}")
}

/// The address of the report record of pair `i`: its role, or the resource of a resource policy.
pub fn subject_address(pair: &Pair, i: usize) -> String {
    match &pair.subject {
        Some(Subject::Bucket(_)) => format!("aws_s3_bucket.p{i}"),
        Some(Subject::Key { .. }) => format!("aws_kms_key.p{i}"),
        None => role_address(i),
    }
}

fn role_name(i: usize) -> String {
    format!("oracle-p{i}")
}

/// The account of every role of the plan.
pub const ACCOUNT: &str = "111122223333";

/// The ARN of pair `i`'s role: the resource of its trust requests.
pub fn role_arn(i: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{}", role_name(i))
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
        let role = |trust: &str| {
            json!({
                "arn": role_arn(i),
                "assume_role_policy": trust,
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
            })
        };
        let name = format!("p{i}");
        let doc = |d: &Value| serde_json::to_string(d).expect("policy JSON");
        if p.scope == Scope::Resource {
            let subject = p.subject.as_ref().expect("a resource pair has a subject");
            let address = subject_address(p, i);
            match subject {
                Subject::Bucket(bucket) => {
                    let b = json!({"arn": subject.arn(), "bucket": bucket, "id": bucket});
                    changes.push(change(
                        &address,
                        "aws_s3_bucket",
                        &name,
                        &["no-op"],
                        b.clone(),
                        b,
                    ));
                    let policy =
                        |d: &Value| json!({"bucket": bucket, "id": bucket, "policy": doc(d)});
                    changes.push(change(
                        &format!("aws_s3_bucket_policy.p{i}"),
                        "aws_s3_bucket_policy",
                        &name,
                        &["update"],
                        policy(&p.old),
                        policy(&p.new),
                    ));
                }
                Subject::Key { id, arn } => {
                    let k = json!({"arn": arn, "key_id": id, "id": id});
                    changes.push(change(
                        &address,
                        "aws_kms_key",
                        &name,
                        &["no-op"],
                        k.clone(),
                        k,
                    ));
                    let policy = |d: &Value| json!({"key_id": id, "id": id, "policy": doc(d), "bypass_policy_lockout_safety_check": false});
                    changes.push(change(
                        &format!("aws_kms_key_policy.p{i}"),
                        "aws_kms_key_policy",
                        &name,
                        &["update"],
                        policy(&p.old),
                        policy(&p.new),
                    ));
                }
            }
            continue;
        }
        if p.scope == Scope::Trust {
            changes.push(change(
                &role_address(i),
                "aws_iam_role",
                &name,
                &["update"],
                role(&doc(&p.old)),
                role(&doc(&p.new)),
            ));
            continue;
        }
        changes.push(change(
            &role_address(i),
            "aws_iam_role",
            &name,
            &["no-op"],
            role(TRUST),
            role(TRUST),
        ));
        let policy = |d: &Value| {
            json!({
                "id": format!("{}:inline", role_name(i)),
                "name": "inline",
                "name_prefix": null,
                "policy": doc(d),
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
    /// Trust and resource scopes: principals as `TYPE:ID` (`*` for anyone).
    pub principals: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub verdict: String,
    pub added: Vec<Grant>,
    /// `added[].example` and, for a resource, `reach[].example` of its entries, as written in
    /// the report.
    pub examples: Vec<Value>,
    /// The witness: the first added grant's example, checked once more as the witness.
    pub witness: Option<Value>,
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
    // Resource policies come as `resources[]` records of the same shape as `identities[]`.
    let records = report["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .chain(report["resources"].as_array().into_iter().flatten());
    for id in records {
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
                principals: crate::harness::strings(&g["principals"]),
            })
            .collect();
        let examples: Vec<Value> = added
            .iter()
            .filter_map(|g| g.raw.get("example").cloned())
            .collect();
        let identity = Identity {
            verdict: id["verdict"].as_str().unwrap_or("").into(),
            added,
            examples,
            witness: (!id["witness"].is_null()).then(|| id["witness"].clone()),
        };
        by_address.insert(id["address"].as_str().unwrap_or("").into(), identity);
    }
    // Each principal that newly reaches a resource has its own example, checked with the
    // resource's (`reach[].subject`).
    for reach in report["reach"].as_array().into_iter().flatten() {
        if reach["scope"] != "resource" || reach["example"].is_null() {
            continue;
        }
        if let Some(id) = reach["subject"]
            .as_str()
            .and_then(|s| by_address.get_mut(s))
        {
            id.examples.push(reach["example"].clone());
        }
    }
    pairs
        .iter()
        .enumerate()
        .map(|(i, p)| by_address.remove(&subject_address(p, i)))
        .collect()
}

/// The request a report example stands for, or why it cannot be given to the simulator.
pub fn example_request(example: &Value) -> Result<(Scope, Request), String> {
    let scope = example["scope"]
        .as_str()
        .and_then(Scope::parse)
        .ok_or_else(|| format!("scope {}", example["scope"]))?;
    let principal = match scope {
        Scope::Permissions => None,
        _ => Some(
            example["principal"]
                .as_str()
                .ok_or("no principal")?
                .to_string(),
        ),
    };
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
    if principal.as_deref() == Some("(sensitive)") {
        return Err("sensitive".into());
    }
    Ok((
        scope,
        Request {
            principal,
            action,
            resource,
            context,
        },
    ))
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

/// Whether a request lies inside an added grant of the pair's scope (conditions are not looked
/// at).
pub fn covered(identity: &Identity, scope: Scope, r: &Request) -> bool {
    if !matches!(identity.verdict.as_str(), "widened" | "created") {
        return false;
    }
    let action = r.action.to_lowercase();
    identity.added.iter().any(|g| {
        g.scope == scope.as_str()
            && g.allow
            && g.statement
            && g.actions.iter().any(|a| glob(&a.to_lowercase(), &action)) != g.not_actions
            && match scope {
                Scope::Permissions => {
                    g.resources.iter().any(|p| glob(p, &r.resource)) != g.not_resources
                }
                Scope::Trust => r
                    .principal
                    .as_deref()
                    .is_some_and(|p| g.principals.iter().any(|q| principal_covers(q, p))),
                Scope::Resource => {
                    g.resources.iter().any(|p| glob(p, &r.resource)) != g.not_resources
                        && r.principal
                            .as_deref()
                            .is_some_and(|p| g.principals.iter().any(|q| principal_covers(q, p)))
                }
            }
    })
}

/// The account of an IAM principal value: a bare 12-digit id or an ARN's account field.
fn account_of(arn: &str) -> Option<&str> {
    if arn.len() == 12 && arn.bytes().all(|b| b.is_ascii_digit()) {
        return Some(arn);
    }
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Whether a grant's principal (`TYPE:ID` as the report writes it) covers the principal of a
/// request, as AWS reads a `Principal` element: `*` is anyone; an account (`AWS:111122223333` or
/// `AWS:arn:aws:iam::111122223333:root`) is every IAM principal of that account; a role is also
/// each of its sessions (`arn:aws:sts::ACCOUNT:assumed-role/NAME/...`); `TYPE:*` is anyone of
/// that type; anything else is itself.
pub fn principal_covers(grant: &str, request: &str) -> bool {
    if grant == "*" || grant == request {
        return true;
    }
    let (Some((gt, gid)), Some((rt, rid))) = (grant.split_once(':'), request.split_once(':'))
    else {
        return false;
    };
    if gt != rt {
        return false;
    }
    if gid == "*" {
        return true;
    }
    if gt != "AWS" {
        return false;
    }
    let whole_account = account_of(gid).is_some()
        && (!gid.starts_with("arn:") || gid.ends_with(":root") && gid.contains(":iam::"));
    if whole_account {
        return account_of(rid) == account_of(gid);
    }
    // A role and its sessions.
    if let (Some(role), Some(session)) =
        (gid.split_once(":role/"), rid.split_once(":assumed-role/"))
    {
        let name = role.1.rsplit('/').next().unwrap_or("");
        let same_account = account_of(gid) == account_of(rid);
        return same_account && session.1.split('/').next() == Some(name);
    }
    false
}
