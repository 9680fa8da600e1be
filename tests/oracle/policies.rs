//! Random policy pairs over a small vocabulary (so that old and new overlap), and the one-step
//! simplifications used to shrink a failing pair.

use super::harness::strings;
use serde_json::{json, Map, Value};

/// SplitMix64: small, seedable, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:Get*",
    "s3:*",
    "*",
    "iam:PassRole",
    "iam:*",
    "ec2:Describe*",
    "ec2:DescribeInstances",
    "s3:ListBucket",
    "S3:getobject",
];

pub const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b",
    "arn:aws:s3:::*",
    "*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::111122223333:role/app",
    // A `*` before a `:` (privdiff keeps it inside the ARN segment) and a `*` inside a name.
    "arn:aws:iam::*:role/*",
    "arn:aws:s3:::b*",
];

/// Actions with resources of no type they take. AWS never makes such a request (the simulator
/// refuses it: `no.resource.types`, `must.use.wildcard`), so a statement of one group's actions
/// and resources allows or denies nothing: adding or removing it changes no access.
pub struct WrongType {
    pub actions: &'static [&'static str],
    /// Resource patterns; `{b}` is a bucket policy's own bucket.
    pub resources: &'static [&'static str],
}

/// Wrong-type groups of identity policies (checked against the catalog: the bucket actions take
/// `bucket` (and `accesspoint`), the object actions `object` (and `accesspointobject`),
/// `iam:PassRole` and `iam:GetRole` only `role`; the last group's actions take only `*`).
pub const WRONG_TYPE: &[WrongType] = &[
    // Bucket actions on objects: a bucket name has no `/`.
    WrongType {
        actions: &[
            "s3:ListBucket",
            "s3:GetBucketPolicy",
            "s3:PutBucketAcl",
            "s3:DeleteBucket",
            "s3:ListBucketVersions",
        ],
        resources: &[
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::c/prefix/*",
        ],
    },
    // Object actions on buckets.
    WrongType {
        actions: &[
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:GetObjectAcl",
        ],
        resources: &["arn:aws:s3:::b", "arn:aws:s3:::c"],
    },
    // Role actions on users.
    WrongType {
        actions: &["iam:PassRole", "iam:GetRole"],
        resources: &[
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::111122223333:user/alice",
        ],
    },
    // Actions that take only `*`, on ARNs.
    WrongType {
        actions: &[
            "s3:ListAllMyBuckets",
            "ec2:DescribeInstances",
            "kms:ListKeys",
            "iam:ListRoles",
        ],
        resources: &[
            "arn:aws:s3:::b",
            "arn:aws:s3:::*",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:ec2:us-east-1:111122223333:instance/*",
        ],
    },
];

/// Statements whose actions take the resources for some actions and not for others: `s3:Get*`
/// on an object is `s3:GetObject` (right) and `s3:GetBucketPolicy` (wrong).
pub const MIXED_TYPE: &[(&[&str], &[&str])] = &[
    (
        &["s3:Get*", "s3:List*", "s3:*"],
        &["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
    ),
    (
        &["iam:*", "iam:Get*", "iam:PassRole"],
        &[
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::111122223333:role/*",
        ],
    ),
    (
        &["ec2:Describe*", "kms:ListKeys", "s3:ListAllMyBuckets"],
        &["*", "arn:aws:ec2:us-east-1:111122223333:instance/*"],
    ),
];

/// Wrong-type groups of bucket policies, on the bucket `{b}` itself.
pub const BUCKET_WRONG_TYPE: &[WrongType] = &[
    WrongType {
        actions: &[
            "s3:ListBucket",
            "s3:GetBucketPolicy",
            "s3:PutBucketAcl",
            "s3:DeleteBucket",
        ],
        resources: &["{b}/*", "{b}/prefix/*"],
    },
    WrongType {
        actions: &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: &["{b}"],
    },
    WrongType {
        actions: &["s3:ListAllMyBuckets"],
        resources: &["{b}", "{b}/*"],
    },
];

/// Percent of random statements taken from [`WRONG_TYPE`] (or [`BUCKET_WRONG_TYPE`]), and of
/// identity statements from [`MIXED_TYPE`].
const WRONG_TYPE_PERCENT: u64 = 12;
const MIXED_TYPE_PERCENT: u64 = 8;

/// Operator, key and the values a clause may take (operators privdiff compares exactly).
pub const CONDITIONS: &[(&str, &str, &[&str])] = &[
    ("StringEquals", "aws:SourceVpc", &["vpc-1", "vpc-2"]),
    ("StringNotEquals", "aws:SourceVpc", &["vpc-1"]),
    ("StringEqualsIfExists", "aws:SourceVpc", &["vpc-1"]),
    ("Null", "aws:SourceVpc", &["true", "false"]),
    ("StringLike", "aws:PrincipalTag/team", &["dev*", "ops"]),
    ("StringEquals", "aws:PrincipalTag/team", &["dev", "ops"]),
    ("Null", "aws:PrincipalTag/team", &["true", "false"]),
    ("Bool", "aws:SecureTransport", &["true", "false"]),
    ("IpAddress", "aws:SourceIp", &["10.0.0.0/8", "10.1.0.0/16"]),
    ("NotIpAddress", "aws:SourceIp", &["10.1.0.0/16"]),
    (
        "NumericLessThan",
        "aws:MultiFactorAuthAge",
        &["3600", "600"],
    ),
    (
        "ForAnyValue:StringEquals",
        "aws:CalledVia",
        &["athena.amazonaws.com", "cloudformation.amazonaws.com"],
    ),
];

#[derive(Clone, Debug)]
pub struct Clause {
    pub op: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub allow: bool,
    pub not_action: bool,
    pub actions: Vec<String>,
    pub not_resource: bool,
    pub resources: Vec<String>,
    pub conditions: Vec<Clause>,
}

fn some_of(rng: &mut Rng, vocab: &[&str], max: usize) -> Vec<String> {
    let n = 1 + rng.below(max);
    let mut out: Vec<String> = Vec::new();
    for _ in 0..n {
        let v = rng.pick(vocab).to_string();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn clause(rng: &mut Rng) -> Clause {
    let (op, key, values) = *rng.pick(CONDITIONS);
    let values = if op == "Null" {
        vec![rng.pick(values).to_string()]
    } else {
        some_of(rng, values, 2)
    };
    Clause {
        op: op.into(),
        key: key.into(),
        values,
    }
}

fn add_clause(rng: &mut Rng, s: &mut Stmt) {
    let c = clause(rng);
    if !s.conditions.iter().any(|d| d.op == c.op && d.key == c.key) {
        s.conditions.push(c);
    }
}

/// A statement of one wrong-type group: Allow three times in four, sometimes with a condition.
pub fn wrong_type_statement(rng: &mut Rng) -> Stmt {
    let group = rng.pick(WRONG_TYPE);
    let mut s = Stmt {
        allow: rng.chance(75),
        not_action: false,
        actions: some_of(rng, group.actions, 2),
        not_resource: false,
        resources: some_of(rng, group.resources, 2),
        conditions: Vec::new(),
    };
    if rng.chance(25) {
        add_clause(rng, &mut s);
    }
    s
}

fn statement(rng: &mut Rng) -> Stmt {
    if rng.chance(WRONG_TYPE_PERCENT) {
        return wrong_type_statement(rng);
    }
    let (actions, resources) = if rng.chance(MIXED_TYPE_PERCENT) {
        let (actions, resources) = *rng.pick(MIXED_TYPE);
        (some_of(rng, actions, 2), some_of(rng, resources, 1))
    } else {
        (some_of(rng, ACTIONS, 2), some_of(rng, RESOURCES, 2))
    };
    let mut s = Stmt {
        allow: rng.chance(80),
        not_action: rng.chance(12),
        actions,
        not_resource: rng.chance(8),
        resources,
        conditions: Vec::new(),
    };
    if rng.chance(50) {
        for _ in 0..1 + rng.below(2) {
            add_clause(rng, &mut s);
        }
    }
    s
}

pub fn policy(rng: &mut Rng) -> Vec<Stmt> {
    (0..1 + rng.below(3)).map(|_| statement(rng)).collect()
}

/// An old and a new policy that differ by one wrong-type statement only (added three times in
/// four, else removed): they allow the same requests, so the verdict must be `unchanged`.
pub fn wrong_type_only<S: Clone>(base: Vec<S>, extra: S, rng: &mut Rng) -> (Vec<S>, Vec<S>) {
    let mut with = base.clone();
    with.insert(rng.below(base.len() + 1), extra);
    if rng.chance(75) {
        (base, with)
    } else {
        (with, base)
    }
}

/// Whether `stmt` (a statement of a policy document) is one of a wrong-type group: an `Action`
/// and a `Resource` (no `Not…`, no principal needed) of that group's only, `{b}` standing for
/// `bucket` when given.
pub fn is_wrong_type(stmt: &Value, groups: &[WrongType], bucket: Option<&str>) -> bool {
    if stmt.get("NotAction").is_some() || stmt.get("NotResource").is_some() {
        return false;
    }
    let (actions, resources) = (strings(&stmt["Action"]), strings(&stmt["Resource"]));
    let arn = bucket.map(|b| format!("arn:aws:s3:::{b}"));
    groups.iter().any(|g| {
        !actions.is_empty()
            && !resources.is_empty()
            && actions
                .iter()
                .all(|a| g.actions.iter().any(|x| x.eq_ignore_ascii_case(a)))
            && resources.iter().all(|r| {
                g.resources.iter().any(|x| match &arn {
                    Some(arn) => x.replace("{b}", arn) == *r,
                    None => x == r,
                })
            })
    })
}

/// Whether the two documents' statements differ by wrong-type statements only (as lists, order
/// aside): true for a pair from [`wrong_type_only`], and what a shrunk such pair must keep.
pub fn differ_only_by_wrong_type(
    old: &Value,
    new: &Value,
    groups: &[WrongType],
    bucket: Option<&str>,
) -> bool {
    let (mut old, mut new) = (statements(old), statements(new));
    old.retain(|s| match new.iter().position(|t| t == s) {
        Some(k) => {
            new.remove(k);
            false
        }
        None => true,
    });
    old.iter()
        .chain(&new)
        .all(|s| is_wrong_type(s, groups, bucket))
}

/// The two documents with one statement they both have taken from both, for each such
/// statement (each side keeps one statement at least).
pub fn shared_removed(old: &Value, new: &Value) -> impl Iterator<Item = (Value, Value)> {
    let (a, b) = (statements(old), statements(new));
    let mut out = Vec::new();
    if a.len() > 1 && b.len() > 1 {
        for (i, st) in a.iter().enumerate() {
            if let Some(j) = b.iter().position(|t| t == st) {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.remove(i);
                b.remove(j);
                out.push((with_statements(old, a), with_statements(new, b)));
            }
        }
    }
    out.into_iter()
}

/// Changes `old` in one to three ways: wider, narrower or the same access written differently.
pub fn mutate(rng: &mut Rng, old: &[Stmt]) -> Vec<Stmt> {
    let mut p = old.to_vec();
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(p.len());
        let choice = rng.below(14);
        if choice == 11 {
            p.push(statement(rng));
            continue;
        }
        if choice == 12 {
            if p.len() > 1 {
                p.remove(i);
            }
            continue;
        }
        let s = &mut p[i];
        let mut extra = None;
        match choice {
            0 => {
                let j = rng.below(s.actions.len());
                s.actions[j] = rng.pick(ACTIONS).to_string();
            }
            1 => s.actions.push(rng.pick(ACTIONS).to_string()),
            2 if s.actions.len() > 1 => {
                let j = rng.below(s.actions.len());
                s.actions.remove(j);
            }
            3 => {
                let j = rng.below(s.resources.len());
                s.resources[j] = rng.pick(RESOURCES).to_string();
            }
            4 => s.resources.push(rng.pick(RESOURCES).to_string()),
            5 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                s.conditions.remove(j);
            }
            6 => add_clause(rng, s),
            7 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                let c = &s.conditions[j];
                let fresh = CONDITIONS
                    .iter()
                    .find(|(op, key, _)| *op == c.op && *key == c.key)
                    .map(|(_, _, vs)| *vs)
                    .unwrap_or(&[]);
                if !fresh.is_empty() {
                    let n = if c.op == "Null" { 1 } else { 2 };
                    s.conditions[j].values = some_of(rng, fresh, n);
                }
            }
            8 => s.allow = !s.allow,
            9 => s.not_action = !s.not_action,
            10 => s.not_resource = !s.not_resource,
            // The same access, written differently: one statement per action, or other case.
            _ => {
                if s.actions.len() > 1 && !s.not_action {
                    let last = s.actions.pop().expect("two actions");
                    let mut split = s.clone();
                    split.actions = vec![last];
                    extra = Some(split);
                } else {
                    let j = rng.below(s.actions.len());
                    s.actions[j] = s.actions[j].to_uppercase();
                }
            }
        }
        p.extend(extra);
    }
    p
}

fn one_or_list(items: &[String]) -> Value {
    if items.len() == 1 {
        json!(items[0])
    } else {
        json!(items)
    }
}

pub fn to_json(p: &[Stmt]) -> Value {
    let statements: Vec<Value> = p
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert(
                "Effect".into(),
                json!(if s.allow { "Allow" } else { "Deny" }),
            );
            let a = if s.not_action { "NotAction" } else { "Action" };
            o.insert(a.into(), one_or_list(&s.actions));
            let r = if s.not_resource {
                "NotResource"
            } else {
                "Resource"
            };
            o.insert(r.into(), one_or_list(&s.resources));
            if !s.conditions.is_empty() {
                let mut cond = Map::new();
                for c in &s.conditions {
                    let ops = cond.entry(c.op.clone()).or_insert_with(|| json!({}));
                    ops[&c.key] = one_or_list(&c.values);
                }
                o.insert("Condition".into(), Value::Object(cond));
            }
            Value::Object(o)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The statements of a document as a list (a lone statement object counts as a list of one).
pub fn statements(doc: &Value) -> Vec<Value> {
    match &doc["Statement"] {
        Value::Array(a) => a.clone(),
        Value::Object(_) => vec![doc["Statement"].clone()],
        _ => Vec::new(),
    }
}

fn with_statements(doc: &Value, stmts: Vec<Value>) -> Value {
    let mut d = doc.clone();
    d["Statement"] = Value::Array(stmts);
    d
}

/// Every document that is `doc` with one thing taken away: a statement, a condition operator or
/// key, a principal type, or one item of a list.
pub fn simplifications(doc: &Value) -> Vec<Value> {
    let stmts = statements(doc);
    let mut out = Vec::new();
    if stmts.len() > 1 {
        for i in 0..stmts.len() {
            let mut s = stmts.clone();
            s.remove(i);
            out.push(with_statements(doc, s));
        }
    }
    for (i, st) in stmts.iter().enumerate() {
        let mut variants: Vec<Value> = Vec::new();
        for field in ["Action", "NotAction", "Resource", "NotResource"] {
            if let Some(Value::Array(items)) = st.get(field) {
                for j in 0..items.len() {
                    let mut v = st.clone();
                    let mut items = items.clone();
                    items.remove(j);
                    v[field] = if items.len() == 1 {
                        items[0].clone()
                    } else {
                        Value::Array(items)
                    };
                    if !v[field].is_array() || !v[field].as_array().expect("array").is_empty() {
                        variants.push(v);
                    }
                }
            }
        }
        if let Some(Value::Object(types)) = st.get("Principal") {
            for (t, ids) in types {
                if types.len() > 1 {
                    let mut v = st.clone();
                    v["Principal"].as_object_mut().expect("map").remove(t);
                    variants.push(v);
                }
                if let Value::Array(ids) = ids {
                    for j in 0..ids.len() {
                        let mut ids = ids.clone();
                        ids.remove(j);
                        let mut v = st.clone();
                        v["Principal"][t] = if ids.len() == 1 {
                            ids[0].clone()
                        } else {
                            Value::Array(ids)
                        };
                        variants.push(v);
                    }
                }
            }
        }
        if let Some(Value::Object(cond)) = st.get("Condition") {
            let mut v = st.clone();
            v.as_object_mut().expect("statement").remove("Condition");
            variants.push(v);
            for (op, keys) in cond {
                let Value::Object(keys) = keys else { continue };
                if cond.len() > 1 {
                    let mut v = st.clone();
                    v["Condition"].as_object_mut().expect("map").remove(op);
                    variants.push(v);
                }
                for (key, values) in keys {
                    if keys.len() > 1 {
                        let mut v = st.clone();
                        v["Condition"][op].as_object_mut().expect("map").remove(key);
                        variants.push(v);
                    }
                    if let Value::Array(vals) = values {
                        for j in 0..vals.len() {
                            let mut vals = vals.clone();
                            vals.remove(j);
                            if vals.is_empty() {
                                continue;
                            }
                            let mut v = st.clone();
                            v["Condition"][op][key] = Value::Array(vals);
                            variants.push(v);
                        }
                    }
                }
            }
        }
        for v in variants {
            let mut s = stmts.clone();
            s[i] = v;
            out.push(with_statements(doc, s));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Trust policies (a role's `assume_role_policy`)

/// Principal values a trust statement may name: `("*", "*")` is the bare string `"*"`; the others
/// are `(type, id)` entries of a `Principal` object.
pub const TRUST_PRINCIPALS: &[(&str, &str)] = &[
    ("*", "*"),
    ("AWS", "*"),
    ("AWS", "111122223333"),
    ("AWS", "arn:aws:iam::111122223333:root"),
    ("AWS", "arn:aws:iam::111122223333:role/app"),
    ("AWS", "444455556666"),
    ("AWS", "arn:aws:iam::444455556666:root"),
    ("AWS", "999988887777"),
    ("Service", "lambda.amazonaws.com"),
    ("Service", "ec2.amazonaws.com"),
    (
        "Federated",
        "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
    ),
];

pub const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:*",
];

/// Operator, key and the values a trust clause may take.
pub const TRUST_CONDITIONS: &[(&str, &str, &[&str])] = &[
    (
        "StringEquals",
        "token.actions.githubusercontent.com:sub",
        &[
            "repo:acme/api:ref:refs/heads/main",
            "repo:acme/web:ref:refs/heads/main",
        ],
    ),
    (
        "StringLike",
        "token.actions.githubusercontent.com:sub",
        &["repo:acme/*", "repo:*", "repo:acme/api:*"],
    ),
    (
        "StringEquals",
        "token.actions.githubusercontent.com:aud",
        &["sts.amazonaws.com"],
    ),
    ("StringEquals", "sts:ExternalId", &["ext-1", "ext-2"]),
    ("Null", "sts:ExternalId", &["false"]),
    ("StringEquals", "aws:PrincipalOrgID", &["o-acme", "o-other"]),
    (
        "StringEquals",
        "aws:SourceAccount",
        &["111122223333", "444455556666"],
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        &[
            "arn:aws:lambda:us-east-1:111122223333:function:*",
            "arn:aws:lambda:us-east-1:111122223333:function:app",
        ],
    ),
];

#[derive(Clone, Debug)]
pub struct TrustStmt {
    pub allow: bool,
    /// `(type, id)` entries; `("*", "*")` alone is the bare `"Principal": "*"`.
    pub principals: Vec<(String, String)>,
    pub actions: Vec<String>,
    pub conditions: Vec<Clause>,
}

fn principals(rng: &mut Rng, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for _ in 0..1 + rng.below(max) {
        let (t, id) = *rng.pick(TRUST_PRINCIPALS);
        let p = (t.to_string(), id.to_string());
        if !out.contains(&p) {
            out.push(p);
        }
    }
    // The bare `"*"` cannot share the element with typed entries.
    if out.len() > 1 {
        out.retain(|(t, _)| t != "*");
    }
    out
}

fn trust_clause(rng: &mut Rng) -> Clause {
    let (op, key, values) = *rng.pick(TRUST_CONDITIONS);
    let values = if op == "Null" {
        vec![rng.pick(values).to_string()]
    } else {
        some_of(rng, values, 2)
    };
    Clause {
        op: op.into(),
        key: key.into(),
        values,
    }
}

fn add_trust_clause(rng: &mut Rng, s: &mut TrustStmt) {
    let c = trust_clause(rng);
    if !s.conditions.iter().any(|d| d.op == c.op && d.key == c.key) {
        s.conditions.push(c);
    }
}

fn trust_statement(rng: &mut Rng) -> TrustStmt {
    let mut s = TrustStmt {
        allow: rng.chance(85),
        principals: principals(rng, 2),
        actions: some_of(rng, TRUST_ACTIONS, 2),
        conditions: Vec::new(),
    };
    if rng.chance(55) {
        for _ in 0..1 + rng.below(2) {
            add_trust_clause(rng, &mut s);
        }
    }
    s
}

pub fn trust_policy(rng: &mut Rng) -> Vec<TrustStmt> {
    (0..1 + rng.below(2))
        .map(|_| trust_statement(rng))
        .collect()
}

/// Changes a trust policy in one to three ways: wider, narrower or rewritten.
pub fn mutate_trust(rng: &mut Rng, old: &[TrustStmt]) -> Vec<TrustStmt> {
    let mut p = old.to_vec();
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(p.len());
        let choice = rng.below(12);
        if choice == 9 {
            p.push(trust_statement(rng));
            continue;
        }
        if choice == 10 {
            if p.len() > 1 {
                p.remove(i);
            }
            continue;
        }
        let s = &mut p[i];
        let mut extra = None;
        match choice {
            0 => {
                let j = rng.below(s.principals.len());
                let (t, id) = *rng.pick(TRUST_PRINCIPALS);
                s.principals[j] = (t.into(), id.into());
                if s.principals.len() > 1 {
                    s.principals.retain(|(t, _)| t != "*");
                }
                let mut seen = Vec::new();
                s.principals.retain(|p| {
                    let fresh = !seen.contains(p);
                    seen.push(p.clone());
                    fresh
                });
            }
            1 => {
                let (t, id) = *rng.pick(TRUST_PRINCIPALS);
                let new = (t.to_string(), id.to_string());
                if t != "*" && !s.principals.contains(&new) {
                    s.principals.retain(|(t, _)| t != "*");
                    s.principals.push(new);
                }
            }
            2 if s.principals.len() > 1 => {
                let j = rng.below(s.principals.len());
                s.principals.remove(j);
            }
            3 => {
                let j = rng.below(s.actions.len());
                s.actions[j] = rng.pick(TRUST_ACTIONS).to_string();
            }
            4 => s.actions.push(rng.pick(TRUST_ACTIONS).to_string()),
            5 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                s.conditions.remove(j);
            }
            6 => add_trust_clause(rng, s),
            7 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                let c = &s.conditions[j];
                let fresh = TRUST_CONDITIONS
                    .iter()
                    .find(|(op, key, _)| *op == c.op && *key == c.key)
                    .map(|(_, _, vs)| *vs)
                    .unwrap_or(&[]);
                if !fresh.is_empty() {
                    let n = if c.op == "Null" { 1 } else { 2 };
                    s.conditions[j].values = some_of(rng, fresh, n);
                }
            }
            8 => s.allow = !s.allow,
            // The same trust, written differently: one statement per principal, or an action in
            // other case.
            _ => {
                if s.principals.len() > 1 {
                    let last = s.principals.pop().expect("two principals");
                    let mut split = s.clone();
                    split.principals = vec![last];
                    extra = Some(split);
                } else {
                    let j = rng.below(s.actions.len());
                    s.actions[j] = s.actions[j].to_lowercase();
                }
            }
        }
        p.extend(extra);
    }
    p
}

fn principal_json(entries: &[(String, String)]) -> Value {
    if entries.len() == 1 && entries[0].0 == "*" {
        return json!("*");
    }
    let mut by_type: Map<String, Value> = Map::new();
    let mut ids: Vec<(String, Vec<String>)> = Vec::new();
    for (t, id) in entries {
        match ids.iter_mut().find(|(u, _)| u == t) {
            Some((_, v)) => v.push(id.clone()),
            None => ids.push((t.clone(), vec![id.clone()])),
        }
    }
    for (t, v) in ids {
        by_type.insert(t, one_or_list(&v));
    }
    Value::Object(by_type)
}

pub fn trust_to_json(p: &[TrustStmt]) -> Value {
    let statements: Vec<Value> = p
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert(
                "Effect".into(),
                json!(if s.allow { "Allow" } else { "Deny" }),
            );
            o.insert("Principal".into(), principal_json(&s.principals));
            o.insert("Action".into(), one_or_list(&s.actions));
            if !s.conditions.is_empty() {
                let mut cond = Map::new();
                for c in &s.conditions {
                    let ops = cond.entry(c.op.clone()).or_insert_with(|| json!({}));
                    ops[&c.key] = one_or_list(&c.values);
                }
                o.insert("Condition".into(), Value::Object(cond));
            }
            Value::Object(o)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

// ---------------------------------------------------------------------------------------------
// Bucket policies (an `aws_s3_bucket_policy`)

/// Principal values a bucket policy statement may name, as for trust: anyone, the bucket owner's
/// account `111122223333` (id and root ARN), two foreign accounts (id and root ARN), a foreign
/// role and services.
pub const BUCKET_PRINCIPALS: &[(&str, &str)] = &[
    ("*", "*"),
    ("AWS", "*"),
    ("AWS", "111122223333"),
    ("AWS", "arn:aws:iam::111122223333:root"),
    ("AWS", "444455556666"),
    ("AWS", "arn:aws:iam::444455556666:root"),
    ("AWS", "999988887777"),
    ("AWS", "arn:aws:iam::999988887777:root"),
    ("AWS", "arn:aws:iam::444455556666:role/deploy"),
    ("Service", "cloudtrail.amazonaws.com"),
    ("Service", "logging.s3.amazonaws.com"),
];

pub const BUCKET_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:Get*",
    "s3:*",
];

/// Resource patterns of a bucket policy; `{b}` is the bucket's ARN.
pub const BUCKET_RESOURCES: &[&str] = &["{b}", "{b}/*", "{b}/prefix/*"];

pub const BUCKET_CONDITIONS: &[(&str, &str, &[&str])] = &[
    ("StringEquals", "aws:SourceVpce", &["vpce-1", "vpce-2"]),
    ("StringNotEquals", "aws:SourceVpce", &["vpce-1"]),
    ("StringEquals", "aws:PrincipalOrgID", &["o-acme", "o-other"]),
    (
        "StringEquals",
        "aws:SourceAccount",
        &["111122223333", "444455556666"],
    ),
    ("Bool", "aws:SecureTransport", &["true", "false"]),
    ("IpAddress", "aws:SourceIp", &["10.0.0.0/8", "10.1.0.0/16"]),
    ("NotIpAddress", "aws:SourceIp", &["10.1.0.0/16"]),
];

#[derive(Clone, Debug)]
pub struct BucketStmt {
    pub allow: bool,
    pub principals: Vec<(String, String)>,
    pub not_action: bool,
    pub actions: Vec<String>,
    pub not_resource: bool,
    /// Patterns of [`BUCKET_RESOURCES`], `{b}` not yet filled.
    pub resources: Vec<String>,
    pub conditions: Vec<Clause>,
}

fn bucket_principals(rng: &mut Rng, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for _ in 0..1 + rng.below(max) {
        let (t, id) = *rng.pick(BUCKET_PRINCIPALS);
        let p = (t.to_string(), id.to_string());
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.len() > 1 {
        out.retain(|(t, _)| t != "*");
    }
    out
}

fn bucket_clause(rng: &mut Rng) -> Clause {
    let (op, key, values) = *rng.pick(BUCKET_CONDITIONS);
    Clause {
        op: op.into(),
        key: key.into(),
        values: some_of(rng, values, 2),
    }
}

fn add_bucket_clause(rng: &mut Rng, s: &mut BucketStmt) {
    let c = bucket_clause(rng);
    if !s.conditions.iter().any(|d| d.op == c.op && d.key == c.key) {
        s.conditions.push(c);
    }
}

/// A bucket statement of one wrong-type group, as [`wrong_type_statement`].
pub fn bucket_wrong_type_statement(rng: &mut Rng) -> BucketStmt {
    let group = rng.pick(BUCKET_WRONG_TYPE);
    let mut s = BucketStmt {
        allow: rng.chance(75),
        principals: bucket_principals(rng, 2),
        not_action: false,
        actions: some_of(rng, group.actions, 2),
        not_resource: false,
        resources: some_of(rng, group.resources, 2),
        conditions: Vec::new(),
    };
    if rng.chance(25) {
        add_bucket_clause(rng, &mut s);
    }
    s
}

fn bucket_statement(rng: &mut Rng) -> BucketStmt {
    if rng.chance(WRONG_TYPE_PERCENT) {
        return bucket_wrong_type_statement(rng);
    }
    let mut s = BucketStmt {
        allow: rng.chance(80),
        principals: bucket_principals(rng, 2),
        not_action: rng.chance(10),
        actions: some_of(rng, BUCKET_ACTIONS, 2),
        not_resource: rng.chance(8),
        resources: some_of(rng, BUCKET_RESOURCES, 2),
        conditions: Vec::new(),
    };
    if rng.chance(45) {
        for _ in 0..1 + rng.below(2) {
            add_bucket_clause(rng, &mut s);
        }
    }
    s
}

pub fn bucket_policy(rng: &mut Rng) -> Vec<BucketStmt> {
    (0..1 + rng.below(2))
        .map(|_| bucket_statement(rng))
        .collect()
}

/// Changes a bucket policy in one to three ways: wider, narrower or rewritten.
pub fn mutate_bucket(rng: &mut Rng, old: &[BucketStmt]) -> Vec<BucketStmt> {
    let mut p = old.to_vec();
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(p.len());
        let choice = rng.below(17);
        if choice == 14 {
            p.push(bucket_statement(rng));
            continue;
        }
        if choice == 15 {
            if p.len() > 1 {
                p.remove(i);
            }
            continue;
        }
        let s = &mut p[i];
        let mut extra = None;
        match choice {
            0 => {
                let j = rng.below(s.principals.len());
                let (t, id) = *rng.pick(BUCKET_PRINCIPALS);
                s.principals[j] = (t.into(), id.into());
                if s.principals.len() > 1 {
                    s.principals.retain(|(t, _)| t != "*");
                }
                let mut seen = Vec::new();
                s.principals.retain(|p| {
                    let fresh = !seen.contains(p);
                    seen.push(p.clone());
                    fresh
                });
            }
            1 => {
                let (t, id) = *rng.pick(BUCKET_PRINCIPALS);
                let new = (t.to_string(), id.to_string());
                if t != "*" && !s.principals.contains(&new) {
                    s.principals.retain(|(t, _)| t != "*");
                    s.principals.push(new);
                }
            }
            2 if s.principals.len() > 1 => {
                let j = rng.below(s.principals.len());
                s.principals.remove(j);
            }
            3 => {
                let j = rng.below(s.actions.len());
                s.actions[j] = rng.pick(BUCKET_ACTIONS).to_string();
            }
            4 => s.actions.push(rng.pick(BUCKET_ACTIONS).to_string()),
            5 => {
                let j = rng.below(s.resources.len());
                s.resources[j] = rng.pick(BUCKET_RESOURCES).to_string();
            }
            6 => s.resources.push(rng.pick(BUCKET_RESOURCES).to_string()),
            7 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                s.conditions.remove(j);
            }
            8 => add_bucket_clause(rng, s),
            9 if !s.conditions.is_empty() => {
                let j = rng.below(s.conditions.len());
                let c = &s.conditions[j];
                if let Some((_, _, fresh)) = BUCKET_CONDITIONS
                    .iter()
                    .find(|(op, key, _)| *op == c.op && *key == c.key)
                {
                    s.conditions[j].values = some_of(rng, fresh, 2);
                }
            }
            10 => s.allow = !s.allow,
            11 => s.not_action = !s.not_action,
            12 => s.not_resource = !s.not_resource,
            // The same access, written differently: one statement per principal, or an action in
            // other case.
            _ => {
                if s.principals.len() > 1 {
                    let last = s.principals.pop().expect("two principals");
                    let mut split = s.clone();
                    split.principals = vec![last];
                    extra = Some(split);
                } else {
                    let j = rng.below(s.actions.len());
                    s.actions[j] = s.actions[j].to_uppercase();
                }
            }
        }
        for s in &mut p {
            s.actions.dedup();
            s.resources.dedup();
        }
        p.extend(extra);
    }
    p
}

/// The bucket policy document of the bucket `bucket`.
pub fn bucket_to_json(p: &[BucketStmt], bucket: &str) -> Value {
    let arn = format!("arn:aws:s3:::{bucket}");
    let statements: Vec<Value> = p
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert(
                "Effect".into(),
                json!(if s.allow { "Allow" } else { "Deny" }),
            );
            o.insert("Principal".into(), principal_json(&s.principals));
            let a = if s.not_action { "NotAction" } else { "Action" };
            o.insert(a.into(), one_or_list(&s.actions));
            let r = if s.not_resource {
                "NotResource"
            } else {
                "Resource"
            };
            let resources: Vec<String> =
                s.resources.iter().map(|r| r.replace("{b}", &arn)).collect();
            o.insert(r.into(), one_or_list(&resources));
            if !s.conditions.is_empty() {
                let mut cond = Map::new();
                for c in &s.conditions {
                    let ops = cond.entry(c.op.clone()).or_insert_with(|| json!({}));
                    ops[&c.key] = one_or_list(&c.values);
                }
                o.insert("Condition".into(), Value::Object(cond));
            }
            Value::Object(o)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}
