//! Differential test of privdiff's AWS scope comparison against an independent IAM evaluator,
//! `@cloud-copilot/iam-simulate` (AGPL-3.0, run only as a separate Node process: see
//! `tests/oracle/worker.mjs` and `docs/oracle.md`).
//!
//! Policy pairs (the repository's fixtures, kept regressions and seeded random pairs) of identity
//! policies, of roles' trust policies and of S3 bucket and KMS key policies go into one plan,
//! privdiff runs once on it, and then:
//! - **precision**: every `added[].example` and every `witness` must be allowed by the new policy
//!   and not by the old one, according to the simulator (a trust example as a request to assume
//!   the role, the trust policy being the role's resource policy; a resource example as a
//!   cross-account request on the bucket or key under its policy);
//! - **soundness**: requests sampled from both policies that the simulator allows under the new
//!   policy and not under the old must lie inside an added grant of the pair's scope of a
//!   `widened` or `created` identity (action and resource, or action and principal for trust;
//!   conditions are not compared, so this check is an over-approximation of "reported");
//! - **typed requests**: every permissions and resource example is a request the simulator
//!   evaluates (an action with a resource of a type it takes, or `*` for an action that takes
//!   none), every pair called `widened` has a witness the simulator confirms, no sampled (typed)
//!   request widens a pair called `unchanged`, and a pair whose policies differ only by
//!   statements of resources their actions do not take is called `unchanged`.

#[path = "oracle/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "common/optional.rs"]
mod optional;
#[path = "oracle/plan.rs"]
mod plan;
#[path = "oracle/policies.rs"]
mod policies;
#[path = "oracle/typed.rs"]
mod typed;

use harness::{ActionInfo, Answer, CtxValue, Decision, Oracle, Query, Request};
use plan::{Identity, Pair, Scope, Subject};
use policies::Rng;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Requests sampled per pair (besides a regression's own requests).
const SAMPLES_PER_PAIR: usize = 40;
/// Actions every pair is also tried with, so that `NotAction` and `*` have something to match.
const EXTRA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:PassRole",
    "ec2:DescribeInstances",
    "sts:GetCallerIdentity",
];

fn seed() -> u64 {
    match std::env::var("PRIVDIFF_ORACLE_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .expect("PRIVDIFF_ORACLE_SEED must be an integer"),
        Err(_) => {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_nanos() as u64
                % 1_000_000_000
        }
    }
}

fn pair_count() -> usize {
    std::env::var("PRIVDIFF_ORACLE_PAIRS")
        .ok()
        .map(|s| {
            s.trim()
                .parse()
                .expect("PRIVDIFF_ORACLE_PAIRS must be an integer")
        })
        .unwrap_or(2000)
}

fn resource_pair_count() -> usize {
    std::env::var("PRIVDIFF_ORACLE_RESOURCE_PAIRS")
        .ok()
        .map(|s| {
            s.trim()
                .parse()
                .expect("PRIVDIFF_ORACLE_RESOURCE_PAIRS must be an integer")
        })
        .unwrap_or(300)
}

fn trust_pair_count() -> usize {
    std::env::var("PRIVDIFF_ORACLE_TRUST_PAIRS")
        .ok()
        .map(|s| {
            s.trim()
                .parse()
                .expect("PRIVDIFF_ORACLE_TRUST_PAIRS must be an integer")
        })
        .unwrap_or(1000)
}

// ---------------------------------------------------------------------------------------------
// Pairs

/// Old and new versions of the same policy in the hand-written plans of `testdata/plans/`:
/// identity policies (`policy`, `inline_policy` blocks), roles' trust policies
/// (`assume_role_policy`) and the resource policies of S3 buckets and KMS keys. Also returns the
/// resource policies left out, counted by why.
fn fixture_pairs() -> (Vec<Pair>, BTreeMap<String, usize>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/plans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/plans")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    // Identity policies only: a document whose statements name a principal is a resource policy
    // (bucket, key, topic, repository policies in the reach fixtures), which the simulator would
    // evaluate as an identity policy of its own test role.
    let parse = |v: &Value| -> Option<Value> {
        let doc: Value = serde_json::from_str(v.as_str()?).ok()?;
        let statements = match &doc["Statement"] {
            Value::Array(all) => all.iter().collect(),
            one => vec![one],
        };
        let names_principal = statements
            .iter()
            .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
        (doc.is_object() && !names_principal).then_some(doc)
    };
    // A resource policy: a document whose statements name a principal.
    let parse_resource = |v: &Value| -> Option<Value> {
        let doc: Value = serde_json::from_str(v.as_str()?).ok()?;
        let names_principal = policies::statements(&doc)
            .iter()
            .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
        names_principal.then_some(doc)
    };
    let mut out = Vec::new();
    let mut left_out: BTreeMap<String, usize> = BTreeMap::new();
    for file in files {
        let Ok(plan) = serde_json::from_slice::<Value>(&std::fs::read(&file).expect("read")) else {
            continue;
        };
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let changes: Vec<&Value> = plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        for rc in &changes {
            let (before, after) = (&rc["change"]["before"], &rc["change"]["after"]);
            let address = rc["address"].as_str().unwrap_or("");
            let typ = rc["type"].as_str().unwrap_or("");
            // Resource policies: the policy of a bucket or key, or of its policy resource.
            for field in ["policy", "access_policy"] {
                let (old, new) = (
                    parse_resource(&before[field]),
                    parse_resource(&after[field]),
                );
                if old.is_none() && new.is_none() {
                    continue;
                }
                let subject = match typ {
                    "aws_s3_bucket_policy" | "aws_s3_bucket" => before["bucket"]
                        .as_str()
                        .map(|b| Subject::Bucket(b.to_string())),
                    "aws_kms_key" => match (before["key_id"].as_str(), before["arn"].as_str()) {
                        (Some(id), Some(arn)) => Some(Subject::Key {
                            id: id.into(),
                            arn: arn.into(),
                        }),
                        _ => None,
                    },
                    "aws_kms_key_policy" => before["key_id"].as_str().map(|id| {
                        let arn = changes
                            .iter()
                            .find(|k| {
                                k["type"] == "aws_kms_key" && k["change"]["before"]["key_id"] == id
                            })
                            .and_then(|k| k["change"]["before"]["arn"].as_str())
                            .map(str::to_string)
                            .unwrap_or_else(|| {
                                format!("arn:aws:kms:us-east-1:111122223333:key/{id}")
                            });
                        Subject::Key { id: id.into(), arn }
                    }),
                    _ => None,
                };
                let why = match (&old, &new, &subject) {
                    (Some(o), Some(n), _) if o == n => continue,
                    (Some(_), Some(_), Some(_)) => None,
                    (Some(_), Some(_), None)
                        if matches!(
                            typ,
                            "aws_s3_bucket_policy"
                                | "aws_s3_bucket"
                                | "aws_kms_key"
                                | "aws_kms_key_policy"
                        ) =>
                    {
                        Some(format!("{typ}: no bucket name or key id"))
                    }
                    (Some(_), Some(_), None) => Some(format!("{typ}: resource type not simulated")),
                    _ => Some("created, deleted or unknown policy: no old or new side".to_string()),
                };
                match (why, old, new) {
                    (None, Some(old), Some(new)) => out.push(Pair {
                        scope: Scope::Resource,
                        origin: format!("fixture {name} {address} {field}"),
                        old,
                        new,
                        requests: Vec::new(),
                        subject,
                        only_wrong_type: false,
                    }),
                    (Some(why), _, _) => *left_out.entry(why).or_default() += 1,
                    _ => {}
                }
            }
            let mut found = Vec::new();
            if let (Some(old), Some(new)) = (parse(&before["policy"]), parse(&after["policy"])) {
                found.push((Scope::Permissions, address.to_string(), old, new));
            }
            if rc["type"] == "aws_iam_role" {
                if let (Some(old), Some(new)) = (
                    parse(&before["assume_role_policy"]),
                    parse(&after["assume_role_policy"]),
                ) {
                    found.push((
                        Scope::Trust,
                        format!("{address} assume_role_policy"),
                        old,
                        new,
                    ));
                }
            }
            for old_inline in before["inline_policy"].as_array().into_iter().flatten() {
                for new_inline in after["inline_policy"].as_array().into_iter().flatten() {
                    if old_inline["name"] == new_inline["name"] {
                        if let (Some(old), Some(new)) =
                            (parse(&old_inline["policy"]), parse(&new_inline["policy"]))
                        {
                            found.push((
                                Scope::Permissions,
                                format!("{address} inline {}", old_inline["name"]),
                                old,
                                new,
                            ));
                        }
                    }
                }
            }
            for (scope, what, old, new) in found {
                if old != new {
                    out.push(Pair {
                        scope,
                        origin: format!("fixture {name} {what}"),
                        old,
                        new,
                        requests: Vec::new(),
                        subject: None,
                        only_wrong_type: false,
                    });
                }
            }
        }
    }
    (out, left_out)
}

/// A kept failing case: `tests/oracle/regressions/NAME.json`.
struct Regression {
    name: String,
    /// Still fails because of a known privdiff bug; the test reports it instead of failing.
    expected_to_fail: bool,
}

fn request_from_json(v: &Value) -> Request {
    let context = v["context"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Array(_) => CtxValue::Many(harness::strings(v)),
                        other => CtxValue::One(other.as_str().unwrap_or("").to_string()),
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    Request {
        principal: v["principal"].as_str().map(str::to_string),
        action: v["action"].as_str().unwrap_or("").into(),
        resource: v["resource"].as_str().unwrap_or("").into(),
        context,
    }
}

fn regressions() -> Vec<(Pair, Regression)> {
    let dir = harness::oracle_dir().join("regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let v: Value = serde_json::from_slice(&std::fs::read(&f).expect("read regression"))
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let name = f.file_stem().expect("stem").to_string_lossy().into_owned();
            let requests = v["requests"]
                .as_array()
                .map(|a| a.iter().map(request_from_json).collect())
                .unwrap_or_default();
            let scope = match v["scope"].as_str() {
                None => Scope::Permissions,
                Some(s) => {
                    Scope::parse(s).unwrap_or_else(|| panic!("{}: unknown scope {s}", f.display()))
                }
            };
            let mut pair = Pair {
                scope,
                origin: format!("regression {name}"),
                old: v["old"].clone(),
                new: v["new"].clone(),
                requests,
                subject: None,
                only_wrong_type: v["only_wrong_type"] == true,
            };
            if scope == Scope::Resource {
                pair.subject = Some(match (v["bucket"].as_str(), v["key_id"].as_str()) {
                    // Renamed after the regression, so that no other pair's bucket has its name.
                    (Some(bucket), _) => {
                        pair = rename_bucket(&pair, bucket, &format!("oracle-kept-{name}"));
                        Subject::Bucket(format!("oracle-kept-{name}"))
                    }
                    (None, Some(id)) => Subject::Key {
                        id: id.into(),
                        arn: v["key_arn"]
                            .as_str()
                            .unwrap_or_else(|| panic!("{}: key_id without key_arn", f.display()))
                            .into(),
                    },
                    _ => panic!(
                        "{}: a resource pair needs `bucket` or `key_id`",
                        f.display()
                    ),
                });
            }
            (
                pair,
                Regression {
                    name,
                    expected_to_fail: v["expected_to_fail"] == true,
                },
            )
        })
        .collect()
}

/// The pair with the bucket `from` renamed `to` in its policies and requests.
fn rename_bucket(pair: &Pair, from: &str, to: &str) -> Pair {
    let rename = |s: &str| {
        s.replace(
            &format!("arn:aws:s3:::{from}\""),
            &format!("arn:aws:s3:::{to}\""),
        )
        .replace(
            &format!("arn:aws:s3:::{from}/"),
            &format!("arn:aws:s3:::{to}/"),
        )
    };
    let doc = |d: &Value| serde_json::from_str(&rename(&d.to_string())).expect("renamed JSON");
    Pair {
        old: doc(&pair.old),
        new: doc(&pair.new),
        requests: pair
            .requests
            .iter()
            .map(|r| Request {
                resource: rename(&format!("{}\"", r.resource))
                    .trim_end_matches('"')
                    .to_string(),
                ..r.clone()
            })
            .collect(),
        ..pair.clone()
    }
}

/// Percent of random identity and bucket-policy pairs that differ only by a wrong-type statement
/// (`Pair::only_wrong_type`).
const WRONG_TYPE_ONLY_PERCENT: u64 = 6;

fn random_resource_pairs(rng: &mut Rng, n: usize) -> Vec<Pair> {
    (0..n)
        .map(|i| {
            let bucket = format!("oracle-r{i}");
            let only_wrong_type = rng.chance(WRONG_TYPE_ONLY_PERCENT);
            let (old, new) = if only_wrong_type {
                let base = policies::bucket_policy(rng);
                let extra = policies::bucket_wrong_type_statement(rng);
                policies::wrong_type_only(base, extra, rng)
            } else {
                let old = policies::bucket_policy(rng);
                let new = policies::mutate_bucket(rng, &old);
                (old, new)
            };
            Pair {
                scope: Scope::Resource,
                origin: format!("random resource #{i}"),
                old: policies::bucket_to_json(&old, &bucket),
                new: policies::bucket_to_json(&new, &bucket),
                requests: Vec::new(),
                subject: Some(Subject::Bucket(bucket)),
                only_wrong_type,
            }
        })
        .collect()
}

fn random_pairs(rng: &mut Rng, n: usize) -> Vec<Pair> {
    (0..n)
        .map(|i| {
            let only_wrong_type = rng.chance(WRONG_TYPE_ONLY_PERCENT);
            let (old, new) = if only_wrong_type {
                let base = policies::policy(rng);
                let extra = policies::wrong_type_statement(rng);
                policies::wrong_type_only(base, extra, rng)
            } else {
                let old = policies::policy(rng);
                let new = policies::mutate(rng, &old);
                (old, new)
            };
            Pair {
                scope: Scope::Permissions,
                origin: format!("random #{i}"),
                old: policies::to_json(&old),
                new: policies::to_json(&new),
                requests: Vec::new(),
                subject: None,
                only_wrong_type,
            }
        })
        .collect()
}

fn random_trust_pairs(rng: &mut Rng, n: usize) -> Vec<Pair> {
    (0..n)
        .map(|i| {
            let old = policies::trust_policy(rng);
            let new = policies::mutate_trust(rng, &old);
            Pair {
                scope: Scope::Trust,
                origin: format!("random trust #{i}"),
                old: policies::trust_to_json(&old),
                new: policies::trust_to_json(&new),
                requests: Vec::new(),
                subject: None,
                only_wrong_type: false,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Sampling requests

fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

fn items(stmt: &Value, field: &str) -> Vec<String> {
    harness::strings(&stmt[field])
}

fn patterns(pair: &Pair, fields: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for doc in [&pair.old, &pair.new] {
        for st in policies::statements(doc) {
            for f in fields {
                out.extend(items(&st, f));
            }
        }
    }
    out
}

/// What kind of value a condition key takes, judged by the operators that use it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum KeyKind {
    Text,
    Ip,
    Number,
    Bool,
    Set,
}

struct KeyUse {
    name: String,
    kind: KeyKind,
    literals: BTreeSet<String>,
}

fn condition_keys(pair: &Pair) -> Vec<KeyUse> {
    let mut keys: BTreeMap<String, KeyUse> = BTreeMap::new();
    for doc in [&pair.old, &pair.new] {
        for st in policies::statements(doc) {
            let Some(cond) = st["Condition"].as_object() else {
                continue;
            };
            for (op, by_key) in cond {
                let Some(by_key) = by_key.as_object() else {
                    continue;
                };
                let lower = op.to_lowercase();
                let kind =
                    if lower.starts_with("forallvalues:") || lower.starts_with("foranyvalue:") {
                        KeyKind::Set
                    } else if lower.contains("ipaddress") {
                        KeyKind::Ip
                    } else if lower.starts_with("numeric") {
                        KeyKind::Number
                    } else if lower.starts_with("bool") {
                        KeyKind::Bool
                    } else {
                        KeyKind::Text
                    };
                for (key, values) in by_key {
                    let entry = keys.entry(key.to_lowercase()).or_insert_with(|| KeyUse {
                        name: key.clone(),
                        kind,
                        literals: BTreeSet::new(),
                    });
                    if lower != "null" {
                        // A key used by a typed operator keeps that type; `Null` says nothing.
                        if entry.kind == KeyKind::Text {
                            entry.kind = kind;
                        }
                        entry.literals.extend(harness::strings(values));
                    }
                }
            }
        }
    }
    keys.into_values().collect()
}

/// The values a key is tried with: absent (`None`), each literal (wildcards filled) and a fresh one.
fn key_options(k: &KeyUse) -> Vec<Option<CtxValue>> {
    let one = |s: &str| Some(CtxValue::One(s.to_string()));
    let mut out = vec![None];
    match k.kind {
        KeyKind::Bool => {
            out.push(one("true"));
            out.push(one("false"));
        }
        KeyKind::Number => {
            for l in &k.literals {
                if let Ok(n) = l.parse::<i64>() {
                    out.push(one(&n.to_string()));
                    out.push(one(&(n - 1).to_string()));
                }
            }
            out.push(one("99999"));
        }
        KeyKind::Ip => {
            for l in &k.literals {
                let addr = l.split('/').next().unwrap_or(l);
                let mut octets: Vec<u32> = addr.split('.').filter_map(|o| o.parse().ok()).collect();
                if octets.len() == 4 {
                    if l.contains('/') {
                        octets[3] += 1;
                    }
                    let o: Vec<String> = octets.iter().map(u32::to_string).collect();
                    out.push(one(&o.join(".")));
                }
            }
            out.push(one("192.0.2.7"));
        }
        KeyKind::Text => {
            for l in &k.literals {
                out.push(one(&l.replace('*', "").replace('?', "q")));
                if has_wildcard(l) {
                    out.push(one(&l.replace('*', "x").replace('?', "q")));
                }
            }
            out.push(one("fresh-zz"));
        }
        KeyKind::Set => {
            for l in &k.literals {
                out.push(Some(CtxValue::Many(vec![l.clone()])));
                out.push(Some(CtxValue::Many(vec![
                    l.clone(),
                    "fresh.amazonaws.com".into(),
                ])));
            }
            out.push(Some(CtxValue::Many(vec!["fresh.amazonaws.com".into()])));
        }
    }
    out
}

fn contexts(rng: &mut Rng, keys: &[KeyUse]) -> Vec<BTreeMap<String, CtxValue>> {
    let options: Vec<Vec<Option<CtxValue>>> = keys.iter().map(key_options).collect();
    let mut out = vec![BTreeMap::new()];
    for (k, opts) in keys.iter().zip(&options) {
        for o in opts.iter().flatten() {
            out.push(BTreeMap::from([(k.name.clone(), o.clone())]));
        }
    }
    if !keys.is_empty() {
        for _ in 0..6 {
            let mut c = BTreeMap::new();
            for (k, opts) in keys.iter().zip(&options) {
                if let Some(v) = rng.pick(opts) {
                    c.insert(k.name.clone(), v.clone());
                }
            }
            out.push(c);
        }
    }
    out
}

/// Facts about real actions and resources, gathered from the worker once for all pairs.
#[derive(Default)]
struct Catalog {
    expansions: HashMap<String, Vec<String>>,
    info: HashMap<String, ActionInfo>,
    /// Resources of each action's own types that the policies' patterns match.
    typed: typed::Typed,
    /// (action, resource) → the simulator accepts the request (a resource of a type the action takes).
    valid: HashMap<(String, String), bool>,
}

impl Catalog {
    fn learn_actions(&mut self, oracle: &mut Oracle, pairs: &[Pair]) {
        let wild: BTreeSet<String> = pairs
            .iter()
            .flat_map(|p| patterns(p, &["Action", "NotAction"]))
            .filter(|a| has_wildcard(a) && a != "*" && !self.expansions.contains_key(a))
            .collect();
        let wild: Vec<String> = wild.into_iter().collect();
        for (p, e) in wild.iter().zip(oracle.expand(&wild)) {
            self.expansions.insert(p.clone(), e);
        }
    }

    /// Up to a few real actions for each action pattern of the pair, plus the extra actions.
    fn actions(&self, rng: &mut Rng, pair: &Pair) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = EXTRA_ACTIONS.iter().map(|s| s.to_string()).collect();
        for p in patterns(pair, &["Action", "NotAction"]) {
            if !has_wildcard(&p) {
                out.insert(p);
            } else if let Some(e) = self.expansions.get(&p) {
                for _ in 0..2.min(e.len()) {
                    out.insert(rng.pick(e).clone());
                }
            }
        }
        out
    }

    fn learn_resources(&mut self, oracle: &mut Oracle, actions: &BTreeSet<String>) {
        let new: Vec<String> = actions
            .iter()
            .filter(|a| !self.info.contains_key(*a))
            .cloned()
            .collect();
        for (a, i) in new.iter().zip(oracle.resources(&new)) {
            self.info.insert(a.clone(), i);
        }
    }

    /// The resources `action` is sampled with, all of its own types: `*` for an action that
    /// takes only `*`; otherwise, for each resource type it takes, a resource of that type each
    /// resource pattern of the pair matches (where there is one) and one the type's pattern alone
    /// gives. For a resource pair, only those in its subject (a resource policy governs only its
    /// resource), also tried with the subject's sample resources.
    fn resources(&mut self, pair: &Pair, action: &str) -> Vec<String> {
        let Some(info) = self.info.get(action).filter(|i| i.exists) else {
            return Vec::new();
        };
        let mut patterns = patterns(pair, &["Resource", "NotResource"]);
        let mut out = if info.wildcard_only {
            BTreeSet::from(["*".to_string()])
        } else {
            if let Some(subject) = &pair.subject {
                patterns.extend(subject.sample_resources());
            }
            self.typed.resources(&patterns, &info.types)
        };
        if let Some(subject) = &pair.subject {
            out.retain(|r| subject.contains(r));
        }
        out.into_iter().collect()
    }

    fn learn_validity(&mut self, oracle: &mut Oracle, combos: &BTreeSet<(String, String)>) {
        let new: Vec<(String, String)> = combos
            .iter()
            .filter(|c| !self.valid.contains_key(*c))
            .cloned()
            .collect();
        let queries: Vec<(String, Request)> = new
            .iter()
            .map(|(a, r)| {
                let req = Request {
                    principal: None,
                    action: a.clone(),
                    resource: r.clone(),
                    context: BTreeMap::new(),
                };
                ("none".to_string(), req)
            })
            .collect();
        for (c, d) in new.into_iter().zip(oracle.simulate(&queries)) {
            self.valid.insert(c, !d.is_error());
        }
    }

    /// How many of the (action, resource) combinations the simulator refused.
    fn refused(&self) -> usize {
        self.valid.values().filter(|&&ok| !ok).count()
    }
}

/// Samples requests for every pair. Permissions: real actions matching the policies' patterns,
/// resources of the actions' own types (see [`Catalog::resources`]) that the simulator accepts,
/// contexts from the conditions. Trust: see [`trust_requests`]; resource policies: see
/// [`resource_requests`].
fn sample(
    oracle: &mut Oracle,
    rng: &mut Rng,
    pairs: &[Pair],
    tally: &mut Tally,
) -> Vec<Vec<Request>> {
    let with_actions: Vec<Pair> = pairs
        .iter()
        .filter(|p| p.scope != Scope::Trust)
        .cloned()
        .collect();
    let mut cat = Catalog::default();
    cat.learn_actions(oracle, &with_actions);
    let actions: Vec<BTreeSet<String>> = pairs
        .iter()
        .map(|p| match p.scope {
            Scope::Permissions => cat.actions(rng, p),
            Scope::Resource => {
                let mut a = cat.actions(rng, p);
                a.extend(RESOURCE_EXTRA_ACTIONS.iter().map(|s| s.to_string()));
                a
            }
            Scope::Trust => BTreeSet::new(),
        })
        .collect();
    let all: BTreeSet<String> = actions.iter().flatten().cloned().collect();
    cat.learn_resources(oracle, &all);
    let mut combos: Vec<Vec<(String, String)>> = Vec::new();
    for (p, acts) in pairs.iter().zip(&actions) {
        let mut of_pair = Vec::new();
        for a in acts {
            of_pair.extend(cat.resources(p, a).into_iter().map(|r| (a.clone(), r)));
        }
        combos.push(of_pair);
    }
    let all: BTreeSet<(String, String)> = combos.iter().flatten().cloned().collect();
    cat.learn_validity(oracle, &all);
    tally.typed_refused = (cat.refused(), all.len());
    pairs
        .iter()
        .zip(combos)
        .enumerate()
        .map(|(i, (p, combos))| {
            if p.scope == Scope::Trust {
                return trust_requests(rng, p, &plan::role_arn(i));
            }
            let combos: Vec<&(String, String)> = combos.iter().filter(|c| cat.valid[*c]).collect();
            if p.scope == Scope::Resource {
                return resource_requests(rng, p, &combos);
            }
            let ctxs = contexts(rng, &condition_keys(p));
            let mut reqs: BTreeSet<Request> = p.requests.iter().cloned().collect();
            if !combos.is_empty() {
                for _ in 0..SAMPLES_PER_PAIR {
                    let (a, r) = *rng.pick(&combos);
                    reqs.insert(Request {
                        principal: None,
                        action: a.clone(),
                        resource: r.clone(),
                        context: rng.pick(&ctxs).clone(),
                    });
                }
            }
            reqs.into_iter().collect()
        })
        .collect()
}

/// Who asks to assume a role in the sampled trust requests: each account's root, roles, a user
/// and a role session (of the role the policies name), services, and the GitHub identity provider.
const TRUST_CALLERS: &[&str] = &[
    "AWS:arn:aws:iam::111122223333:root",
    "AWS:arn:aws:iam::111122223333:role/app",
    "AWS:arn:aws:iam::111122223333:role/other",
    "AWS:arn:aws:iam::111122223333:user/alice",
    "AWS:arn:aws:sts::111122223333:assumed-role/app/session",
    "AWS:arn:aws:iam::444455556666:root",
    "AWS:arn:aws:iam::444455556666:role/deploy",
    "AWS:arn:aws:iam::999988887777:role/ci",
    "AWS:arn:aws:iam::999999999999:root",
    "Service:lambda.amazonaws.com",
    "Service:ec2.amazonaws.com",
    "Service:events.amazonaws.com",
    "Federated:arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
];

/// Actions of the sampled trust requests: every `sts:` action that takes a role.
const TRUST_SAMPLE_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

/// Actions every resource pair is also tried with (the combinations with a resource of a type
/// they take).
const RESOURCE_EXTRA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:GetBucketPolicy",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:PutKeyPolicy",
];

/// Who makes the sampled requests on a resource: the owner account's root, a role, a user and a
/// session, foreign accounts' roots, roles and a session, an outsider, and services.
const RESOURCE_CALLERS: &[&str] = &[
    "AWS:arn:aws:iam::111122223333:root",
    "AWS:arn:aws:iam::111122223333:role/app",
    "AWS:arn:aws:iam::111122223333:user/alice",
    "AWS:arn:aws:sts::111122223333:assumed-role/app/session",
    "AWS:arn:aws:iam::444455556666:root",
    "AWS:arn:aws:iam::444455556666:role/deploy",
    "AWS:arn:aws:iam::444455556666:role/other",
    "AWS:arn:aws:sts::444455556666:assumed-role/deploy/s",
    "AWS:arn:aws:iam::999988887777:role/ci",
    "AWS:arn:aws:iam::999999999999:root",
    "Service:cloudtrail.amazonaws.com",
    "Service:logging.s3.amazonaws.com",
    "Service:cloudfront.amazonaws.com",
];

/// Requests sampled per resource pair.
const RESOURCE_SAMPLES_PER_PAIR: usize = 30;

/// Requests on a resource pair's subject: a caller (two times in three one that a principal of the
/// policies names), an (action, resource) combination the simulator accepts and a context from the
/// conditions; plus the pair's own requests.
fn resource_requests(rng: &mut Rng, pair: &Pair, combos: &[&(String, String)]) -> Vec<Request> {
    let named = named_principals(pair);
    let relevant: Vec<&str> = RESOURCE_CALLERS
        .iter()
        .copied()
        .filter(|c| named.iter().any(|p| plan::principal_covers(p, c)))
        .collect();
    let ctxs = contexts(rng, &condition_keys(pair));
    let mut reqs: BTreeSet<Request> = pair.requests.iter().cloned().collect();
    if combos.is_empty() {
        return reqs.into_iter().collect();
    }
    for _ in 0..RESOURCE_SAMPLES_PER_PAIR {
        let caller = if !relevant.is_empty() && rng.below(3) < 2 {
            rng.pick(&relevant)
        } else {
            rng.pick(RESOURCE_CALLERS)
        };
        let (a, r) = *rng.pick(combos);
        reqs.insert(Request {
            principal: Some(caller.to_string()),
            action: a.clone(),
            resource: r.clone(),
            context: rng.pick(&ctxs).clone(),
        });
    }
    reqs.into_iter().collect()
}

/// Requests sampled per trust pair: the callers, actions and contexts are few.
const TRUST_SAMPLES_PER_PAIR: usize = 20;

/// The principals the pair's policies name, as the report writes them (`TYPE:ID`, `*`).
fn named_principals(pair: &Pair) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for doc in [&pair.old, &pair.new] {
        for st in policies::statements(doc) {
            match &st["Principal"] {
                Value::String(s) if s == "*" => {
                    out.insert("*".to_string());
                }
                Value::Object(types) => {
                    for (t, ids) in types {
                        for id in harness::strings(ids) {
                            out.insert(if t == "AWS" && id == "*" {
                                "*".to_string()
                            } else {
                                format!("{t}:{id}")
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Requests to assume pair's role (`role`): a caller (two times in three one that a principal of
/// the policies names), an action and a context from the conditions, as for permissions; plus the
/// pair's own requests.
fn trust_requests(rng: &mut Rng, pair: &Pair, role: &str) -> Vec<Request> {
    let named = named_principals(pair);
    let relevant: Vec<&str> = TRUST_CALLERS
        .iter()
        .copied()
        .filter(|c| named.iter().any(|p| plan::principal_covers(p, c)))
        .collect();
    let ctxs = contexts(rng, &condition_keys(pair));
    let mut reqs: BTreeSet<Request> = pair
        .requests
        .iter()
        .map(|r| Request {
            resource: role.to_string(),
            ..r.clone()
        })
        .collect();
    for _ in 0..TRUST_SAMPLES_PER_PAIR {
        let caller = if !relevant.is_empty() && rng.below(3) < 2 {
            rng.pick(&relevant)
        } else {
            rng.pick(TRUST_CALLERS)
        };
        reqs.insert(Request {
            principal: Some(caller.to_string()),
            action: rng.pick(TRUST_SAMPLE_ACTIONS).to_string(),
            resource: role.to_string(),
            context: rng.pick(&ctxs).clone(),
        });
    }
    reqs.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Checks

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// An example the simulator does not confirm (allowed by the new policy, not by the old).
    Precision,
    /// A sampled request the new policy newly allows outside every added grant.
    Soundness,
    /// A permissions or resource example the simulator does not evaluate: not a request AWS
    /// makes (a resource of a type the action does not take...), checked on policy logic only.
    NotApplicable,
    /// A pair called `widened` whose witness the simulator does not confirm as a request it
    /// evaluates, allowed after and not before (or that has no witness).
    Unconfirmed,
    /// A pair whose policies differ only by wrong-type statements, not called `unchanged`.
    NotUnchanged,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Precision,
        Kind::Soundness,
        Kind::NotApplicable,
        Kind::Unconfirmed,
        Kind::NotUnchanged,
    ];

    fn describe(self) -> &'static str {
        match self {
            Kind::Precision => "precision failures",
            Kind::Soundness => "soundness misses",
            Kind::NotApplicable => "examples not applicable",
            Kind::Unconfirmed => "widened pairs unconfirmed",
            Kind::NotUnchanged => "wrong-type-only pairs not unchanged",
        }
    }
}

struct Failure {
    pair: usize,
    kind: Kind,
    /// The request in question: the example's, or the sampled one; `None` for a verdict.
    request: Option<Request>,
    new: Decision,
    old: Decision,
    /// The report's example, for a precision failure.
    example: Option<Value>,
    /// What is wrong besides the simulator's answers (an example of the wrong scope or resource).
    note: Option<String>,
}

impl Failure {
    /// A failure about what privdiff said of the pair, with no request simulated.
    fn verdict(pair: usize, kind: Kind, note: String) -> Failure {
        Failure {
            pair,
            kind,
            request: None,
            new: Decision::Error("not simulated".into()),
            old: Decision::Error("not simulated".into()),
            example: None,
            note: Some(note),
        }
    }
}

/// Counts of one scope's checks.
#[derive(Default)]
struct Counts {
    /// Examples the simulator confirms as requests AWS could make.
    witnesses_confirmed: usize,
    /// Examples confirmed on the policy logic alone (see `Tally::logic_only`).
    confirmed_logic_only: usize,
    /// Examples the simulator evaluated as the requests they are (confirmed or not).
    evaluated: usize,
    sampled: usize,
    sampled_errors: usize,
    widening_requests: usize,
}

/// Counts of the checks of typed requests, over all scopes.
#[derive(Default)]
struct TypedCounts {
    /// Pairs called `widened` whose witness the simulator confirms.
    widened_confirmed: usize,
    /// Pairs called `widened` whose witness the simulator cannot evaluate at all (opaque
    /// condition, sensitive...): neither confirmed nor unconfirmed.
    widened_unsimulable: usize,
    /// Pairs called `unchanged`.
    unchanged: usize,
    /// Pairs that differ only by wrong-type statements (`Pair::only_wrong_type`).
    wrong_type_only: usize,
}

#[derive(Default)]
struct Tally {
    counts: BTreeMap<Scope, Counts>,
    typed: TypedCounts,
    /// Examples checked on the policy logic alone, by reason: requests AWS would refuse before
    /// evaluating policies (e.g. `s3:GetBucketPolicy` on an object ARN, a wildcard-only action on
    /// an ARN: `runUnsafeSimulation`), trust principals that are no IAM principal's ARN, and
    /// context keys the simulator's catalog does not list for the action.
    logic_only: BTreeMap<String, usize>,
    /// Examples the simulator cannot evaluate at all (opaque condition, sensitive...), by reason.
    unsimulable: BTreeMap<String, usize>,
    /// Sampled requests left out because the simulator cannot evaluate them faithfully, by reason.
    skipped_samples: BTreeMap<String, usize>,
    /// Typed (action, resource) combinations the simulator refused, of how many tried.
    typed_refused: (usize, usize),
    failures: Vec<Failure>,
}

impl Tally {
    fn of(&mut self, scope: Scope) -> &mut Counts {
        self.counts.entry(scope).or_default()
    }
    fn count(&self, scope: Scope, f: impl Fn(&Counts) -> usize) -> usize {
        self.counts.get(&scope).map(f).unwrap_or(0)
    }
}

fn set_names(i: usize) -> (String, String) {
    (format!("o{i}"), format!("n{i}"))
}

/// The identity policy set of a trust request's IAM caller: it may do anything, so that the answer
/// is the trust policy's (a cross-account request needs both sides; see docs/oracle.md).
const ALLOW_ALL: &str = "allow-all";

fn short_reason(d: &Decision) -> String {
    match d {
        Decision::Error(detail) => {
            let v: Value = serde_json::from_str(detail).unwrap_or(json!(detail));
            v["message"]
                .as_str()
                .unwrap_or(detail)
                .chars()
                .take(60)
                .collect()
        }
        other => other.to_string(),
    }
}

fn reason(scope: Scope, why: &str) -> String {
    match scope {
        Scope::Permissions => why.to_string(),
        _ => format!("{}: {why}", scope.as_str()),
    }
}

/// A trust request's principal as the simulator takes it.
struct Caller {
    value: String,
    /// An IAM principal (root, user, role, session): it gets the `ALLOW_ALL` identity policy.
    /// Services and identity providers have no identity policies.
    iam: bool,
    /// Why the request is not one AWS makes, though the simulator evaluates it.
    unrealistic: Option<String>,
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `TYPE:ID` as privdiff writes a principal → the simulator's request principal.
fn caller(principal: &str) -> Result<Caller, String> {
    let Some((ty, id)) = principal.split_once(':') else {
        return Err(format!("principal `{principal}` is not TYPE:ID"));
    };
    match ty {
        // A bare account id stands for the account's root, as in a `Principal` element.
        "AWS" if is_account(id) => Ok(Caller {
            value: format!("arn:aws:iam::{id}:root"),
            iam: true,
            unrealistic: None,
        }),
        "AWS" => {
            let parts: Vec<&str> = id.splitn(6, ':').collect();
            if parts.len() != 6 || parts[0] != "arn" || !is_account(parts[4]) {
                return Err(format!(
                    "AWS principal `{id}` is not an ARN with an account"
                ));
            }
            let path = parts[5];
            let named = |prefix: &str, segments: usize| {
                path.strip_prefix(prefix).is_some_and(|rest| {
                    rest.split('/').count() >= segments && rest.split('/').all(|s| !s.is_empty())
                })
            };
            let real = parts[1] == "aws"
                && match parts[2] {
                    "iam" => path == "root" || named("user/", 1) || named("role/", 1),
                    "sts" => named("assumed-role/", 2) || named("federated-user/", 1),
                    _ => false,
                };
            Ok(Caller {
                value: id.to_string(),
                iam: true,
                unrealistic: (!real).then(|| "principal is not an IAM principal's ARN".into()),
            })
        }
        "Service" if id.ends_with(".amazonaws.com") && !id.starts_with("arn:") => Ok(Caller {
            value: id.to_string(),
            iam: false,
            unrealistic: None,
        }),
        "Federated" => Ok(Caller {
            value: id.to_string(),
            iam: false,
            unrealistic: None,
        }),
        _ => Err(format!("{ty} principals are not simulated")),
    }
}

/// Whether a Deny statement of the pair names, as an `AWS` account principal, the account in
/// `provider`'s ARN. The simulator reads a federated caller's account from the identity
/// provider's ARN and so applies such a Deny to it; an account principal stands for the IAM
/// principals of the account, and AWS documents no such effect on web identity callers, so the
/// answer would be the simulator's guess.
fn denies_provider_account(pair: &Pair, provider: &str) -> bool {
    let Some(account) = provider.split(':').nth(4) else {
        return false;
    };
    [&pair.old, &pair.new].iter().any(|doc| {
        policies::statements(doc).iter().any(|st| {
            st["Effect"] == "Deny"
                && harness::strings(&st["Principal"]["AWS"])
                    .iter()
                    .any(|id| id == account || *id == format!("arn:aws:iam::{account}:root"))
        })
    })
}

/// The simulation of request `r` of `pair` under the pair's policy in `set`, with the reason it
/// is checked on policy logic only; or why the simulator cannot evaluate it faithfully.
fn query(pair: &Pair, set: &str, r: &Request) -> Result<(Query, Option<String>), String> {
    match pair.scope {
        Scope::Permissions => Ok((Query::identity(set, r), None)),
        Scope::Trust => {
            let p = r.principal.as_deref().ok_or("no principal")?;
            let c = caller(p)?;
            if p.starts_with("Federated:") && denies_provider_account(pair, &c.value) {
                return Err(
                    "federated caller under a Deny of its provider's account (simulator's guess)"
                        .into(),
                );
            }
            let q = Query {
                identity: if c.iam { ALLOW_ALL } else { "none" }.to_string(),
                resource_policy: Some(set.to_string()),
                caller: Some(c.value),
                resource_account: None,
                request: r.clone(),
            };
            Ok((q, c.unrealistic))
        }
        // As for trust, but the resource is in an account of its own: every request is
        // cross-account, and with the caller's allow-everything identity policy the resource
        // policy decides (for S3 and KMS a same-account identity policy alone would allow).
        Scope::Resource => {
            let p = r.principal.as_deref().ok_or("no principal")?;
            let c = caller(p)?;
            let q = Query {
                identity: if c.iam { ALLOW_ALL } else { "none" }.to_string(),
                resource_policy: Some(set.to_string()),
                caller: Some(c.value),
                resource_account: Some(plan::RESOURCE_ACCOUNT.to_string()),
                request: r.clone(),
            };
            Ok((q, c.unrealistic))
        }
    }
}

/// Checks every example privdiff reported for the pairs (precision), that the permissions and
/// resource examples are requests the simulator evaluates (applicable), that each pair called
/// `widened` has a witness the simulator confirms, and that each pair differing only by
/// wrong-type statements is called `unchanged`.
fn check_precision(
    oracle: &mut Oracle,
    pairs: &[Pair],
    identities: &[Option<Identity>],
    sets: &dyn Fn(usize) -> (String, String),
    tally: &mut Tally,
) {
    struct Item {
        pair: usize,
        scope: Scope,
        request: Request,
        example: Value,
        /// The identity's witness (the other items are its grants' and reach entries' examples).
        witness: bool,
        /// Why it is checked on policy logic only, known before simulating.
        logic_only: Option<String>,
    }
    // Why each widened pair's witness is not confirmed; `None` once confirmed. A pair missing
    // here has a witness the simulator cannot evaluate at all.
    let mut witness_of: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut queries: Vec<Query> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    for (i, id) in identities.iter().enumerate() {
        let Some(id) = id else { continue };
        let pair = &pairs[i];
        if pair.only_wrong_type {
            tally.typed.wrong_type_only += 1;
            if id.verdict != "unchanged" {
                tally.failures.push(Failure::verdict(
                    i,
                    Kind::NotUnchanged,
                    format!(
                        "old and new differ only by statements of resources no action of theirs takes, yet privdiff says {}",
                        id.verdict
                    ),
                ));
            }
        }
        if id.verdict == "unchanged" {
            tally.typed.unchanged += 1;
        }
        if id.verdict == "widened" && id.witness.is_none() {
            tally.failures.push(Failure::verdict(
                i,
                Kind::Unconfirmed,
                "widened without a witness".into(),
            ));
        }
        let reported = id.examples.iter().map(|e| (e, false));
        for (ex, witness) in reported.chain(id.witness.iter().map(|w| (w, true))) {
            let (scope, r) = match plan::example_request(ex) {
                Ok(x) => x,
                Err(why) => {
                    *tally
                        .unsimulable
                        .entry(reason(pair.scope, &why))
                        .or_default() += 1;
                    continue;
                }
            };
            // Only one policy of each pair changes: an example of another scope, or a trust
            // example about another resource than the role, is wrong whatever it asks.
            let wrong = if scope != pair.scope {
                Some(format!(
                    "a {} example for a pair that changes only the {} policy",
                    scope.as_str(),
                    pair.scope.as_str()
                ))
            } else if scope == Scope::Trust && r.resource != plan::role_arn(i) {
                Some(format!(
                    "the resource is not the role {}",
                    plan::role_arn(i)
                ))
            } else {
                // A resource policy governs only its own resource (bucket and objects, key).
                pair.subject
                    .as_ref()
                    .filter(|s| !s.contains(&r.resource))
                    .map(|s| format!("the resource is not in {}", s.arn()))
            };
            if let Some(note) = wrong {
                if witness {
                    witness_of.insert(i, Some(note.clone()));
                }
                tally.failures.push(Failure {
                    pair: i,
                    kind: Kind::Precision,
                    request: Some(r),
                    new: Decision::Error("not simulated".into()),
                    old: Decision::Error("not simulated".into()),
                    example: Some(ex.clone()),
                    note: Some(note),
                });
                continue;
            }
            let (o, n) = sets(i);
            match (query(pair, &n, &r), query(pair, &o, &r)) {
                (Ok((qn, why)), Ok((qo, _))) => {
                    queries.push(qn);
                    queries.push(qo);
                    items.push(Item {
                        pair: i,
                        scope,
                        request: r,
                        example: ex.clone(),
                        witness,
                        logic_only: why,
                    });
                }
                (Err(why), _) | (_, Err(why)) => {
                    *tally.unsimulable.entry(reason(scope, &why)).or_default() += 1;
                }
            }
        }
    }
    let strict = oracle.simulate_queries(&queries);
    // Requests AWS would not make (an action with a resource of a type it does not take) are
    // refused by the simulator's validation; their policy logic is still checked.
    let refused: Vec<usize> = (0..items.len())
        .filter(|&k| strict[2 * k].decision.is_error() || strict[2 * k + 1].decision.is_error())
        .collect();
    let logic_queries: Vec<Query> = refused
        .iter()
        .flat_map(|&k| [queries[2 * k].clone(), queries[2 * k + 1].clone()])
        .collect();
    let logic = oracle.simulate_logic(&logic_queries);
    let mut logic_of: HashMap<usize, (Decision, Decision)> = HashMap::new();
    for (j, &k) in refused.iter().enumerate() {
        logic_of.insert(k, (logic[2 * j].clone(), logic[2 * j + 1].clone()));
    }
    for (k, item) in items.into_iter().enumerate() {
        let (sn, so): (&Answer, &Answer) = (&strict[2 * k], &strict[2 * k + 1]);
        let (mut new, mut old) = (sn.decision.clone(), so.decision.clone());
        let mut why = item
            .logic_only
            .clone()
            .or_else(|| sn.logic_only.clone())
            .or_else(|| so.logic_only.clone());
        if let Some((n, o)) = logic_of.remove(&k) {
            let e = if new.is_error() { &new } else { &old };
            why = Some(short_reason(e));
            (new, old) = (n, o);
        }
        // A trust request (assuming the role) is always one AWS makes; the simulator's gaps
        // there (context keys it does not list, principals that are no IAM ARN) are its own.
        let applicable = why.is_none() || item.scope == Scope::Trust;
        if let Some(why) = &why {
            if std::env::var_os("PRIVDIFF_ORACLE_DEBUG").is_some() {
                eprintln!(
                    "oracle: checked on policy logic only ({why}): {}",
                    item.example
                );
            }
            // Counted by the reason without its details in parentheses (which action, which keys).
            let general = why.split(" (").next().unwrap_or(why);
            *tally
                .logic_only
                .entry(reason(item.scope, general))
                .or_default() += 1;
            if !applicable {
                tally.failures.push(Failure {
                    pair: item.pair,
                    kind: Kind::NotApplicable,
                    request: Some(item.request.clone()),
                    new: sn.decision.clone(),
                    old: so.decision.clone(),
                    example: Some(item.example.clone()),
                    note: Some(format!("not a request the simulator evaluates: {why}")),
                });
            }
        } else if item.scope != Scope::Trust {
            tally.of(item.scope).evaluated += 1;
        }
        let confirmed = !new.is_error() && !old.is_error() && new.allowed() && !old.allowed();
        if item.witness && !(new.is_error() || old.is_error()) {
            let unconfirmed = if !confirmed {
                Some(format!("the simulator says new {new}, old {old}"))
            } else if !applicable {
                why.as_ref()
                    .map(|w| format!("not a request the simulator evaluates: {w}"))
            } else {
                None
            };
            witness_of.insert(item.pair, unconfirmed);
        }
        if new.is_error() || old.is_error() {
            let e = if new.is_error() { &new } else { &old };
            *tally
                .unsimulable
                .entry(reason(item.scope, &short_reason(e)))
                .or_default() += 1;
        } else if confirmed {
            if why.is_some() {
                tally.of(item.scope).confirmed_logic_only += 1;
            } else {
                tally.of(item.scope).witnesses_confirmed += 1;
            }
        } else {
            tally.failures.push(Failure {
                pair: item.pair,
                kind: Kind::Precision,
                request: Some(item.request),
                new,
                old,
                example: Some(item.example),
                note: why.map(|w| format!("checked on policy logic only: {w}")),
            });
        }
    }
    for (i, id) in identities.iter().enumerate() {
        let Some(id) = id.as_ref().filter(|id| id.verdict == "widened") else {
            continue;
        };
        match witness_of.get(&i) {
            Some(None) => tally.typed.widened_confirmed += 1,
            Some(Some(why)) => {
                let mut f = Failure::verdict(i, Kind::Unconfirmed, format!("witness: {why}"));
                f.example = id.witness.clone();
                tally.failures.push(f);
            }
            None if id.witness.is_some() => tally.typed.widened_unsimulable += 1,
            None => {}
        }
    }
}

/// Simulates the sampled requests and checks that every one the new policy newly allows lies
/// inside an added grant (soundness).
fn check_soundness(
    oracle: &mut Oracle,
    pairs: &[Pair],
    identities: &[Option<Identity>],
    samples: &[Vec<Request>],
    sets: &dyn Fn(usize) -> (String, String),
    tally: &mut Tally,
) {
    // (pair, request, query under the new policy, query under the old)
    let mut flat: Vec<(usize, &Request, Query, Query)> = Vec::new();
    for (i, rs) in samples.iter().enumerate() {
        let (o, n) = sets(i);
        for r in rs {
            tally.of(pairs[i].scope).sampled += 1;
            match (query(&pairs[i], &n, r), query(&pairs[i], &o, r)) {
                (Ok((qn, _)), Ok((qo, _))) => flat.push((i, r, qn, qo)),
                (Err(why), _) | (_, Err(why)) => {
                    tally.of(pairs[i].scope).sampled_errors += 1;
                    *tally
                        .skipped_samples
                        .entry(reason(pairs[i].scope, &why))
                        .or_default() += 1;
                }
            }
        }
    }
    let queries: Vec<Query> = flat.iter().map(|f| f.2.clone()).collect();
    let new = oracle.simulate_queries(&queries);
    let allowed: Vec<usize> = (0..flat.len())
        .filter(|&k| new[k].decision.allowed())
        .collect();
    for (k, a) in new.iter().enumerate() {
        if a.decision.is_error() {
            tally.of(pairs[flat[k].0].scope).sampled_errors += 1;
        }
    }
    let queries: Vec<Query> = allowed.iter().map(|&k| flat[k].3.clone()).collect();
    let old = oracle.simulate_queries(&queries);
    for (&k, old) in allowed.iter().zip(old) {
        let old = old.decision;
        if old.allowed() {
            continue;
        }
        let (i, r) = (flat[k].0, flat[k].1);
        let scope = pairs[i].scope;
        if old.is_error() {
            tally.of(scope).sampled_errors += 1;
            continue;
        }
        tally.of(scope).widening_requests += 1;
        let hit = identities[i]
            .as_ref()
            .is_some_and(|id| plan::covered(id, scope, r));
        if !hit {
            tally.failures.push(Failure {
                pair: i,
                kind: Kind::Soundness,
                request: Some(r.clone()),
                new: new[k].decision.clone(),
                old,
                example: None,
                note: new[k].logic_only.clone(),
            });
        }
    }
}

/// Runs privdiff and the simulator on one pair: does `failure` still happen?
fn still_fails(oracle: &mut Oracle, dir: &Path, pair: &Pair, failure: &Failure) -> bool {
    let pairs = std::slice::from_ref(pair);
    let ids = plan::analyze(pairs, dir);
    oracle.define(&[
        ("shrink-old".into(), vec![pair.old.clone()]),
        ("shrink-new".into(), vec![pair.new.clone()]),
    ]);
    let sets = |_| ("shrink-old".to_string(), "shrink-new".to_string());
    let mut tally = Tally::default();
    match (failure.kind, &failure.request) {
        (Kind::Soundness, Some(request)) => {
            let mut request = request.clone();
            if pair.scope == Scope::Trust {
                request.resource = plan::role_arn(0);
            }
            let samples = vec![vec![request]];
            check_soundness(oracle, pairs, &ids, &samples, &sets, &mut tally);
        }
        _ => check_precision(oracle, pairs, &ids, &sets, &mut tally),
    }
    tally.failures.iter().any(|f| f.kind == failure.kind)
}

/// Greedily takes statements, condition clauses and list items away while the failure remains.
fn shrink(oracle: &mut Oracle, dir: &Path, pair: &Pair, failure: &Failure) -> Pair {
    let mut current = pair.clone();
    let mut budget = 300;
    'outer: loop {
        let mut candidates: Vec<Pair> = Vec::new();
        for old in policies::simplifications(&current.old) {
            candidates.push(Pair {
                old,
                ..current.clone()
            });
        }
        for new in policies::simplifications(&current.new) {
            candidates.push(Pair {
                new,
                ..current.clone()
            });
        }
        // A pair that must be unchanged stays one whose policies differ by wrong-type statements
        // only; a statement both sides share may go from both at once.
        if pair.only_wrong_type {
            let (bucket, groups) = match &pair.subject {
                Some(Subject::Bucket(b)) => (Some(b.as_str()), policies::BUCKET_WRONG_TYPE),
                _ => (None, policies::WRONG_TYPE),
            };
            candidates
                .retain(|c| policies::differ_only_by_wrong_type(&c.old, &c.new, groups, bucket));
            candidates.extend(policies::shared_removed(&current.old, &current.new).map(
                |(old, new)| Pair {
                    old,
                    new,
                    ..current.clone()
                },
            ));
        }
        for c in candidates {
            if budget == 0 {
                break 'outer;
            }
            budget -= 1;
            if still_fails(oracle, dir, &c, failure) {
                current = c;
                continue 'outer;
            }
        }
        break;
    }
    current
}

fn describe(pair: &Pair, id: Option<&Identity>, f: &Failure) -> String {
    let grants: Vec<&Value> = id
        .map(|i| i.added.iter().map(|g| &g.raw).collect())
        .unwrap_or_default();
    format!(
        "{:?} failure ({} policy), pair {} ({})\n  old: {}\n  new: {}\n  request: {}\n  simulator: new {}, old {}{}\n  privdiff: verdict {}, example {}\n  added grants: {}",
        f.kind,
        pair.scope.as_str(),
        f.pair,
        pair.origin,
        pair.old,
        pair.new,
        f.request.as_ref().map(Request::to_json).unwrap_or_else(|| json!("-")),
        f.new,
        f.old,
        f.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
        id.map(|i| i.verdict.as_str()).unwrap_or("(identity not reported)"),
        f.example.as_ref().map(Value::to_string).unwrap_or_else(|| "-".into()),
        serde_json::to_string(&grants).expect("grants"),
    )
}

/// The wrong-type statements must stay so as the simulator's data changes: each action of a
/// group on each resource of it (wildcards filled) is a request the simulator refuses.
fn assert_wrong_type_vocabulary(oracle: &mut Oracle) {
    let mut queries = Vec::new();
    for g in policies::WRONG_TYPE
        .iter()
        .chain(policies::BUCKET_WRONG_TYPE)
    {
        for a in g.actions {
            for r in g.resources {
                let resource = r
                    .replace("{b}", "arn:aws:s3:::oracle-vocabulary")
                    .replace('*', "x");
                let request = Request {
                    principal: None,
                    action: a.to_string(),
                    resource,
                    context: BTreeMap::new(),
                };
                queries.push((ALLOW_ALL.to_string(), request));
            }
        }
    }
    let accepted: Vec<String> = queries
        .iter()
        .zip(oracle.simulate(&queries))
        .filter(|(_, d)| !d.is_error())
        .map(|((_, r), _)| format!("{} on {}", r.action, r.resource))
        .collect();
    assert!(
        accepted.is_empty(),
        "wrong-type statements of tests/oracle/policies.rs that the simulator takes as requests AWS makes: {accepted:?}"
    );
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn privdiff_agrees_with_an_independent_iam_simulator() {
    let started = Instant::now();
    let seed = seed();
    eprintln!("oracle: seed {seed} (rerun with PRIVDIFF_ORACLE_SEED={seed})");
    let mut rng = Rng::new(seed);
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");

    let (fixtures, fixtures_left_out) = fixture_pairs();
    let kept = regressions();
    let n_fixtures = fixtures.len();
    let mut pairs: Vec<Pair> = fixtures;
    let first_regression = pairs.len();
    pairs.extend(kept.iter().map(|(p, _)| p.clone()));
    let first_random = pairs.len();
    pairs.extend(random_pairs(&mut rng, pair_count()));
    pairs.extend(random_trust_pairs(&mut rng, trust_pair_count()));
    pairs.extend(random_resource_pairs(&mut rng, resource_pair_count()));
    let mut subjects = BTreeSet::new();
    for p in &pairs {
        if let Some(s) = &p.subject {
            assert!(
                subjects.insert(s.arn()),
                "two resource pairs protect {} ({})",
                s.arn(),
                p.origin
            );
        }
    }

    let identities = plan::analyze(&pairs, tmp.path());
    let analysed = started.elapsed();

    let mut sets: Vec<(String, Vec<Value>)> = vec![
        ("none".into(), Vec::new()),
        (
            harness::DEFAULT_KEY_POLICY.into(),
            vec![harness::default_key_policy()],
        ),
        (
            ALLOW_ALL.into(),
            vec![
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            ],
        ),
    ];
    for (i, p) in pairs.iter().enumerate() {
        let (o, n) = set_names(i);
        sets.push((o, vec![p.old.clone()]));
        sets.push((n, vec![p.new.clone()]));
    }
    oracle.define(&sets);
    assert_wrong_type_vocabulary(&mut oracle);

    let mut tally = Tally::default();
    check_precision(&mut oracle, &pairs, &identities, &set_names, &mut tally);
    let samples = sample(&mut oracle, &mut rng, &pairs, &mut tally);
    check_soundness(
        &mut oracle,
        &pairs,
        &identities,
        &samples,
        &set_names,
        &mut tally,
    );

    // Kept regressions that are marked as expected to fail are reported, not failed on; one that
    // now passes must be unmarked, so the fix is kept.
    let regression_of = |i: usize| {
        (first_regression..first_random)
            .contains(&i)
            .then(|| &kept[i - first_regression].1)
    };
    let mut known = Vec::new();
    let mut now_passing = Vec::new();
    for (i, (_, reg)) in kept.iter().enumerate() {
        let fails = tally
            .failures
            .iter()
            .any(|f| f.pair == first_regression + i);
        if reg.expected_to_fail && fails {
            known.push(reg.name.clone());
        } else if reg.expected_to_fail {
            now_passing.push(reg.name.clone());
        }
    }
    let failures: Vec<&Failure> = tally
        .failures
        .iter()
        .filter(|f| !regression_of(f.pair).is_some_and(|r| r.expected_to_fail))
        .collect();
    let misses = |scope: Scope, kind: Kind| {
        failures
            .iter()
            .filter(|f| f.kind == kind && pairs[f.pair].scope == scope)
            .count()
    };
    let of_kind = |kind: Kind| failures.iter().filter(|f| f.kind == kind).count();
    // Pairs called `unchanged` that a sampled request shows widened.
    let unchanged_widened: BTreeSet<usize> = failures
        .iter()
        .filter(|f| f.kind == Kind::Soundness)
        .map(|f| f.pair)
        .filter(|&i| {
            identities[i]
                .as_ref()
                .is_some_and(|id| id.verdict == "unchanged")
        })
        .collect();
    let unsimulable: usize = tally.unsimulable.values().sum();
    let n_trust = pairs.iter().filter(|p| p.scope == Scope::Trust).count();
    let n_resource = pairs.iter().filter(|p| p.scope == Scope::Resource).count();
    let scope_line = |scope: Scope| {
        let c = |f: fn(&Counts) -> usize| thousands(tally.count(scope, f));
        // Trust examples are always requests AWS makes (see `check_precision`); elsewhere an
        // example checked on policy logic only is not one.
        let logic_only = if scope == Scope::Trust {
            format!(
                " ({} more by policy logic only)",
                c(|c| c.confirmed_logic_only)
            )
        } else {
            format!(
                ", {} not applicable (not requests AWS makes)",
                thousands(misses(scope, Kind::NotApplicable))
            )
        };
        format!(
            "{} witnesses confirmed{logic_only}, {} precision failures, {} requests sampled ({} refused by the simulator), {} newly allowed, {} soundness misses",
            c(|c| c.witnesses_confirmed),
            misses(scope, Kind::Precision),
            c(|c| c.sampled),
            c(|c| c.sampled_errors),
            c(|c| c.widening_requests),
            misses(scope, Kind::Soundness),
        )
    };
    let typed = &tally.typed;
    let evaluated = tally.count(Scope::Permissions, |c| c.evaluated)
        + tally.count(Scope::Resource, |c| c.evaluated);
    let typed_line = format!(
        "typed: {} witnesses evaluated, {} not applicable; {} widened pairs confirmed, {} unconfirmed{}; {} unchanged pairs, {} with a sampled widening; {} pairs differing by wrong-type statements only, {} not unchanged",
        thousands(evaluated),
        thousands(of_kind(Kind::NotApplicable)),
        thousands(typed.widened_confirmed),
        thousands(of_kind(Kind::Unconfirmed)),
        if typed.widened_unsimulable > 0 {
            format!(" ({} with a witness not simulable)", typed.widened_unsimulable)
        } else {
            String::new()
        },
        thousands(typed.unchanged),
        unchanged_widened.len(),
        typed.wrong_type_only,
        of_kind(Kind::NotUnchanged),
    );
    let line = format!(
        "oracle: seed {seed}, {} pairs ({} fixture, {} regression, {} trust, {} resource); permissions: {}; trust: {}; resource: {}; {typed_line}; {} not simulable, {} known failures; {} simulations, privdiff {:.1}s, total {:.1}s",
        thousands(pairs.len()),
        n_fixtures,
        kept.len(),
        thousands(n_trust),
        thousands(n_resource),
        scope_line(Scope::Permissions),
        scope_line(Scope::Trust),
        scope_line(Scope::Resource),
        thousands(unsimulable),
        known.len(),
        thousands(oracle.simulations),
        analysed.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    eprintln!("{line}");
    // A passing test's output is captured: `.ci/run` prints this file so CI logs show the tally.
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle-tally.txt"),
        format!("{line}\n"),
    );
    if !fixtures_left_out.is_empty() {
        eprintln!("oracle: fixture resource policies left out (why): {fixtures_left_out:?}");
    }
    if !tally.logic_only.is_empty() {
        eprintln!(
            "oracle: examples checked on policy logic only (why): {:?}",
            tally.logic_only
        );
    }
    if !tally.unsimulable.is_empty() {
        eprintln!(
            "oracle: examples the simulator could not evaluate: {:?}",
            tally.unsimulable
        );
    }
    if !tally.skipped_samples.is_empty() {
        eprintln!(
            "oracle: sampled requests not simulated: {:?}",
            tally.skipped_samples
        );
    }
    let mut unconfirmed: BTreeMap<&str, usize> = BTreeMap::new();
    for f in failures.iter().filter(|f| f.kind == Kind::Unconfirmed) {
        let note = f.note.as_deref().unwrap_or("");
        *unconfirmed
            .entry(note.split(" (").next().unwrap_or(note))
            .or_default() += 1;
    }
    if !unconfirmed.is_empty() {
        eprintln!("oracle: widened pairs unconfirmed (why): {unconfirmed:?}");
    }
    eprintln!(
        "oracle: typed (action, resource) combinations tried for sampling: {}, {} refused by the simulator",
        thousands(tally.typed_refused.1),
        thousands(tally.typed_refused.0),
    );
    if !known.is_empty() {
        eprintln!("oracle: known failures (expected_to_fail regressions): {known:?}");
    }

    // The first few failures of each kind, and the first failing random pair of each kind shrunk
    // to something small enough to keep.
    let mut report = String::new();
    let mut shrunk = BTreeSet::new();
    for kind in Kind::ALL {
        let of_kind: Vec<&&Failure> = failures.iter().filter(|f| f.kind == kind).collect();
        for f in of_kind.iter().take(4) {
            report += &describe(&pairs[f.pair], identities[f.pair].as_ref(), f);
            report += "\n\n";
        }
        let Some(f) = of_kind
            .iter()
            .find(|f| f.pair >= first_random && !shrunk.contains(&f.pair))
        else {
            continue;
        };
        shrunk.insert(f.pair);
        let min = shrink(&mut oracle, tmp.path(), &pairs[f.pair], f);
        let mut keep = json!({
            "note": format!("{:?} failure found with seed {seed} ({})", f.kind, pairs[f.pair].origin),
            "expected_to_fail": false,
            "old": min.old,
            "new": min.new,
            "requests": match (&f.request, f.kind) {
                (Some(r), Kind::Soundness) => vec![r.to_json()],
                _ => Vec::new(),
            },
        });
        if min.scope != Scope::Permissions {
            keep["scope"] = json!(min.scope.as_str());
        }
        if min.only_wrong_type {
            keep["only_wrong_type"] = json!(true);
        }
        match &min.subject {
            Some(Subject::Bucket(b)) => keep["bucket"] = json!(b),
            Some(Subject::Key { id, arn }) => {
                keep["key_id"] = json!(id);
                keep["key_arn"] = json!(arn);
            }
            None => {}
        }
        report += &format!(
            "minimal pair for pair {} (save as tests/oracle/regressions/NAME.json):\n{}\n\n",
            f.pair,
            serde_json::to_string_pretty(&keep).expect("JSON")
        );
    }
    let counts: Vec<String> = Kind::ALL
        .iter()
        .map(|&k| format!("{} {}", thousands(of_kind(k)), k.describe()))
        .collect();
    assert!(
        failures.is_empty() && now_passing.is_empty(),
        "{} (seed {seed}; the first of each kind below){}\n\n{report}",
        counts.join(", "),
        if now_passing.is_empty() {
            String::new()
        } else {
            format!(
                "; regressions marked expected_to_fail now pass, set it to false: {now_passing:?}"
            )
        },
    );
}

/// A role of a fixture plan after the change: its inline role policies and its trust policy.
/// Attached managed policies are left out: no caller of a hop in the paths fixture needs one.
struct RoleAfter {
    policies: Vec<Value>,
    trust: Value,
}

/// The roles of a fixture plan after the change, by address.
fn roles_after(plan: &Value) -> HashMap<String, RoleAfter> {
    let changes = plan["resource_changes"]
        .as_array()
        .expect("resource_changes");
    let doc = |s: &Value| serde_json::from_str::<Value>(s.as_str().unwrap()).unwrap();
    let mut address_of: HashMap<String, String> = HashMap::new();
    let mut roles: HashMap<String, RoleAfter> = HashMap::new();
    for rc in changes.iter().filter(|rc| rc["type"] == "aws_iam_role") {
        let after = &rc["change"]["after"];
        let address = rc["address"].as_str().unwrap().to_string();
        address_of.insert(after["name"].as_str().unwrap().to_string(), address.clone());
        roles.insert(
            address,
            RoleAfter {
                policies: Vec::new(),
                trust: doc(&after["assume_role_policy"]),
            },
        );
    }
    for rc in changes
        .iter()
        .filter(|rc| rc["type"] == "aws_iam_role_policy")
    {
        let after = &rc["change"]["after"];
        let address = &address_of[after["role"].as_str().unwrap()];
        let role = roles.get_mut(address).unwrap();
        role.policies.push(doc(&after["policy"]));
    }
    roles
}

/// Every hop of every path privdiff reports on the paths fixture is a request IAM allows after
/// the change: the simulator evaluates it with the caller's own identity policies and the
/// target's trust policy, as IAM does for `sts:AssumeRole` (same account: either suffices);
/// for `iam:PassRole`, the pass and each request that creates and runs the compute under the
/// caller's policies.
#[test]
fn every_hop_of_a_reported_path_is_allowed_by_the_simulator() {
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plans/paths.json");
    let plan: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let roles = roles_after(&plan);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(["analyze", "--format", "json", "--fail-on", "never"])
        .arg(&file)
        .output()
        .expect("run privdiff");
    let report: Value = serde_json::from_slice(&out.stdout).expect("privdiff JSON report");
    let mut hops = Vec::new();
    for id in report["identities"].as_array().unwrap() {
        for path in id["paths"].as_array().into_iter().flatten() {
            hops.extend(path["hops"].as_array().unwrap().iter().cloned());
        }
    }
    assert!(hops.len() >= 5, "the fixture's paths have hops: {hops:?}");
    for edge in ["pass-role", "create-key", "rewrite-trust"] {
        assert!(hops.iter().any(|h| h["edge"] == edge), "{edge}: {hops:?}");
    }
    let mut sets = Vec::new();
    let mut queries = Vec::new();
    for (k, hop) in hops.iter().enumerate() {
        let caller_role = &roles[hop["from"].as_str().unwrap()];
        sets.push((format!("hop{k}-caller"), caller_role.policies.clone()));
        if hop["edge"] != "assume-role" {
            // The caller's own requests: passing the role and creating and running the compute
            // (the role's trust of the compute's service is the fixture's), or the request of
            // its own grant on the target (an access key for a user, a trust policy rewritten).
            let with = hop["with"].as_array().into_iter().flatten();
            for w in std::iter::once(&hop["request"]).chain(with) {
                queries.push(Query::identity(
                    &format!("hop{k}-caller"),
                    &request_from_json(w),
                ));
            }
            continue;
        }
        let target = &roles[hop["to"].as_str().unwrap()];
        sets.push((format!("hop{k}-trust"), vec![target.trust.clone()]));
        let r = request_from_json(&hop["request"]);
        let c = caller(r.principal.as_deref().unwrap()).unwrap();
        assert!(c.unrealistic.is_none(), "{hop}");
        queries.push(Query {
            identity: format!("hop{k}-caller"),
            resource_policy: Some(format!("hop{k}-trust")),
            caller: Some(c.value),
            resource_account: None,
            request: r,
        });
    }
    oracle.define(&sets);
    for (query, answer) in queries.iter().zip(oracle.simulate_queries(&queries)) {
        assert!(answer.decision.allowed(), "{query:?}: {}", answer.decision);
    }
}
