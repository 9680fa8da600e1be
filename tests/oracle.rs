//! Differential test of privdiff's AWS scope comparison against an independent IAM evaluator,
//! `@cloud-copilot/iam-simulate` (AGPL-3.0, run only as a separate Node process: see
//! `tests/oracle/worker.mjs` and `docs/oracle.md`).
//!
//! Policy pairs (the repository's fixtures, kept regressions and seeded random pairs) go into one
//! plan, privdiff runs once on it, and then:
//! - **precision**: every `added[].example` and every `witness` must be allowed by the new policy
//!   and not by the old one, according to the simulator;
//! - **soundness**: requests sampled from both policies that the simulator allows under the new
//!   policy and not under the old must lie inside an added `permissions` grant of a `widened` or
//!   `created` identity (action and resource only; conditions are not compared, so this check is
//!   an over-approximation of "reported").

#[path = "oracle/harness.rs"]
mod harness;
#[path = "oracle/plan.rs"]
mod plan;
#[path = "oracle/policies.rs"]
mod policies;

use harness::{ActionInfo, CtxValue, Decision, Oracle, Request};
use plan::{Identity, Pair};
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

// ---------------------------------------------------------------------------------------------
// Pairs

/// Old and new versions of the same policy in the hand-written plans of `testdata/plans/`.
fn fixture_pairs() -> Vec<Pair> {
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
    let mut out = Vec::new();
    for file in files {
        let Ok(plan) = serde_json::from_slice::<Value>(&std::fs::read(&file).expect("read")) else {
            continue;
        };
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for rc in plan["resource_changes"].as_array().into_iter().flatten() {
            let (before, after) = (&rc["change"]["before"], &rc["change"]["after"]);
            let address = rc["address"].as_str().unwrap_or("");
            let mut found = Vec::new();
            if let (Some(old), Some(new)) = (parse(&before["policy"]), parse(&after["policy"])) {
                found.push((address.to_string(), old, new));
            }
            for old_inline in before["inline_policy"].as_array().into_iter().flatten() {
                for new_inline in after["inline_policy"].as_array().into_iter().flatten() {
                    if old_inline["name"] == new_inline["name"] {
                        if let (Some(old), Some(new)) =
                            (parse(&old_inline["policy"]), parse(&new_inline["policy"]))
                        {
                            found.push((
                                format!("{address} inline {}", old_inline["name"]),
                                old,
                                new,
                            ));
                        }
                    }
                }
            }
            for (what, old, new) in found {
                if old != new {
                    out.push(Pair {
                        origin: format!("fixture {name} {what}"),
                        old,
                        new,
                        requests: Vec::new(),
                    });
                }
            }
        }
    }
    out
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
            (
                Pair {
                    origin: format!("regression {name}"),
                    old: v["old"].clone(),
                    new: v["new"].clone(),
                    requests,
                },
                Regression {
                    name,
                    expected_to_fail: v["expected_to_fail"] == true,
                },
            )
        })
        .collect()
}

fn random_pairs(rng: &mut Rng, n: usize) -> Vec<Pair> {
    (0..n)
        .map(|i| {
            let old = policies::policy(rng);
            let new = policies::mutate(rng, &old);
            Pair {
                origin: format!("random #{i}"),
                old: policies::to_json(&old),
                new: policies::to_json(&new),
                requests: Vec::new(),
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
    /// (action, resource) → the simulator accepts the request (a resource of a type the action takes).
    valid: HashMap<(String, String), bool>,
}

fn fill(pattern: &str) -> String {
    pattern.replace('*', "x").replace('?', "q")
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

    fn resources(&self, pair: &Pair, action: &str) -> Vec<String> {
        let Some(info) = self.info.get(action).filter(|i| i.exists) else {
            return Vec::new();
        };
        if info.wildcard_only {
            return vec!["*".into()];
        }
        let mut out: BTreeSet<String> = patterns(pair, &["Resource", "NotResource"])
            .iter()
            .map(|p| fill(p))
            .collect();
        out.extend(info.arns.iter().cloned());
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
}

/// Samples requests for every pair: real actions matching the policies' patterns, resources from
/// the policies (wildcards filled) and one ARN per resource type, contexts from the conditions.
fn sample(oracle: &mut Oracle, rng: &mut Rng, pairs: &[Pair]) -> Vec<Vec<Request>> {
    let mut cat = Catalog::default();
    cat.learn_actions(oracle, pairs);
    let actions: Vec<BTreeSet<String>> = pairs.iter().map(|p| cat.actions(rng, p)).collect();
    let all: BTreeSet<String> = actions.iter().flatten().cloned().collect();
    cat.learn_resources(oracle, &all);
    let combos: Vec<Vec<(String, String)>> = pairs
        .iter()
        .zip(&actions)
        .map(|(p, acts)| {
            acts.iter()
                .flat_map(|a| cat.resources(p, a).into_iter().map(|r| (a.clone(), r)))
                .collect()
        })
        .collect();
    let all: BTreeSet<(String, String)> = combos.iter().flatten().cloned().collect();
    cat.learn_validity(oracle, &all);
    pairs
        .iter()
        .zip(combos)
        .map(|(p, combos)| {
            let combos: Vec<&(String, String)> = combos.iter().filter(|c| cat.valid[*c]).collect();
            let ctxs = contexts(rng, &condition_keys(p));
            let mut reqs: BTreeSet<Request> = p.requests.iter().cloned().collect();
            if !combos.is_empty() {
                for _ in 0..SAMPLES_PER_PAIR {
                    let (a, r) = *rng.pick(&combos);
                    reqs.insert(Request {
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

// ---------------------------------------------------------------------------------------------
// Checks

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Precision,
    Soundness,
}

struct Failure {
    pair: usize,
    kind: Kind,
    request: Request,
    new: Decision,
    old: Decision,
    /// The report's example, for a precision failure.
    example: Option<Value>,
}

#[derive(Default)]
struct Tally {
    /// Examples the simulator confirms as requests AWS could make.
    witnesses_confirmed: usize,
    /// Examples AWS would refuse before evaluating policies (e.g. `s3:GetBucketPolicy` on an
    /// object ARN, a wildcard-only action on an ARN), by the simulator's reason; their policy logic
    /// is checked with `runUnsafeSimulation` and counted in `confirmed_logic_only`.
    unrealistic: BTreeMap<String, usize>,
    confirmed_logic_only: usize,
    /// Examples the simulator cannot evaluate at all (opaque condition, sensitive...), by reason.
    unsimulable: BTreeMap<String, usize>,
    sampled: usize,
    sampled_errors: usize,
    widening_requests: usize,
    failures: Vec<Failure>,
}

fn set_names(i: usize) -> (String, String) {
    (format!("o{i}"), format!("n{i}"))
}

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

/// Checks every example privdiff reported for the pairs (precision).
fn check_precision(
    oracle: &mut Oracle,
    identities: &[Option<Identity>],
    sets: &dyn Fn(usize) -> (String, String),
    tally: &mut Tally,
) {
    let mut queries = Vec::new();
    let mut meta = Vec::new();
    for (i, id) in identities.iter().enumerate() {
        let Some(id) = id else { continue };
        for ex in &id.examples {
            match plan::example_request(ex) {
                Ok(r) => {
                    let (o, n) = sets(i);
                    queries.push((n, r.clone()));
                    queries.push((o, r.clone()));
                    meta.push((i, r, ex.clone()));
                }
                Err(why) => *tally.unsimulable.entry(why).or_default() += 1,
            }
        }
    }
    let strict = oracle.simulate(&queries);
    // Requests AWS would not make (an action with a resource of a type it does not take) are
    // refused by the simulator's validation; their policy logic is still checked.
    let refused: Vec<usize> = (0..meta.len())
        .filter(|&k| strict[2 * k].is_error() || strict[2 * k + 1].is_error())
        .collect();
    let logic_queries: Vec<(String, Request)> = refused
        .iter()
        .flat_map(|&k| [queries[2 * k].clone(), queries[2 * k + 1].clone()])
        .collect();
    let logic = oracle.simulate_logic(&logic_queries);
    let mut logic_of: HashMap<usize, (Decision, Decision)> = HashMap::new();
    for (j, &k) in refused.iter().enumerate() {
        logic_of.insert(k, (logic[2 * j].clone(), logic[2 * j + 1].clone()));
    }
    for (k, (i, r, ex)) in meta.into_iter().enumerate() {
        let (mut new, mut old) = (strict[2 * k].clone(), strict[2 * k + 1].clone());
        let mut logic_only = false;
        if let Some((n, o)) = logic_of.remove(&k) {
            let e = if new.is_error() { &new } else { &old };
            let reason = short_reason(e);
            if std::env::var_os("PRIVDIFF_ORACLE_DEBUG").is_some() {
                eprintln!("oracle: not a request AWS makes ({reason}): {ex}");
            }
            *tally.unrealistic.entry(reason).or_default() += 1;
            (new, old, logic_only) = (n, o, true);
        }
        if new.is_error() || old.is_error() {
            let e = if new.is_error() { &new } else { &old };
            *tally.unsimulable.entry(short_reason(e)).or_default() += 1;
        } else if new.allowed() && !old.allowed() {
            if logic_only {
                tally.confirmed_logic_only += 1;
            } else {
                tally.witnesses_confirmed += 1;
            }
        } else {
            tally.failures.push(Failure {
                pair: i,
                kind: Kind::Precision,
                request: r,
                new,
                old,
                example: Some(ex),
            });
        }
    }
}

/// Simulates the sampled requests and checks that every one the new policy newly allows lies
/// inside an added grant (soundness).
fn check_soundness(
    oracle: &mut Oracle,
    identities: &[Option<Identity>],
    samples: &[Vec<Request>],
    sets: &dyn Fn(usize) -> (String, String),
    tally: &mut Tally,
) {
    let flat: Vec<(usize, &Request)> = samples
        .iter()
        .enumerate()
        .flat_map(|(i, rs)| rs.iter().map(move |r| (i, r)))
        .collect();
    tally.sampled += flat.len();
    let queries: Vec<(String, Request)> = flat
        .iter()
        .map(|(i, r)| (sets(*i).1, (*r).clone()))
        .collect();
    let new = oracle.simulate(&queries);
    let allowed: Vec<usize> = (0..flat.len()).filter(|&k| new[k].allowed()).collect();
    tally.sampled_errors += new.iter().filter(|d| d.is_error()).count();
    let queries: Vec<(String, Request)> = allowed
        .iter()
        .map(|&k| (sets(flat[k].0).0, flat[k].1.clone()))
        .collect();
    let old = oracle.simulate(&queries);
    for (&k, old) in allowed.iter().zip(old) {
        if old.allowed() {
            continue;
        }
        if old.is_error() {
            tally.sampled_errors += 1;
            continue;
        }
        tally.widening_requests += 1;
        let (i, r) = flat[k];
        let hit = identities[i]
            .as_ref()
            .is_some_and(|id| plan::covered(id, r));
        if !hit {
            tally.failures.push(Failure {
                pair: i,
                kind: Kind::Soundness,
                request: r.clone(),
                new: new[k].clone(),
                old,
                example: None,
            });
        }
    }
}

/// Runs privdiff and the simulator on one pair: does `failure` still happen?
fn still_fails(oracle: &mut Oracle, dir: &Path, pair: &Pair, failure: &Failure) -> bool {
    let ids = plan::analyze(std::slice::from_ref(pair), dir);
    oracle.define(&[
        ("shrink-old".into(), vec![pair.old.clone()]),
        ("shrink-new".into(), vec![pair.new.clone()]),
    ]);
    let sets = |_| ("shrink-old".to_string(), "shrink-new".to_string());
    let mut tally = Tally::default();
    match failure.kind {
        Kind::Precision => check_precision(oracle, &ids, &sets, &mut tally),
        Kind::Soundness => {
            let samples = vec![vec![failure.request.clone()]];
            check_soundness(oracle, &ids, &samples, &sets, &mut tally);
        }
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
        "{:?} failure, pair {} ({})\n  old: {}\n  new: {}\n  request: {}\n  simulator: new {}, old {}\n  privdiff: verdict {}, example {}\n  added grants: {}",
        f.kind,
        f.pair,
        pair.origin,
        pair.old,
        pair.new,
        f.request.to_json(),
        f.new,
        f.old,
        id.map(|i| i.verdict.as_str()).unwrap_or("(identity not reported)"),
        f.example.as_ref().map(Value::to_string).unwrap_or_else(|| "-".into()),
        serde_json::to_string(&grants).expect("grants"),
    )
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
    let mut oracle = Oracle::start();
    let tmp = tempfile::tempdir().expect("temp dir");

    let fixtures = fixture_pairs();
    let kept = regressions();
    let n_fixtures = fixtures.len();
    let mut pairs: Vec<Pair> = fixtures;
    let first_regression = pairs.len();
    pairs.extend(kept.iter().map(|(p, _)| p.clone()));
    let first_random = pairs.len();
    pairs.extend(random_pairs(&mut rng, pair_count()));

    let identities = plan::analyze(&pairs, tmp.path());
    let analysed = started.elapsed();

    let mut sets: Vec<(String, Vec<Value>)> = vec![("none".into(), Vec::new())];
    for (i, p) in pairs.iter().enumerate() {
        let (o, n) = set_names(i);
        sets.push((o, vec![p.old.clone()]));
        sets.push((n, vec![p.new.clone()]));
    }
    oracle.define(&sets);

    let mut tally = Tally::default();
    check_precision(&mut oracle, &identities, &set_names, &mut tally);
    let samples = sample(&mut oracle, &mut rng, &pairs);
    check_soundness(&mut oracle, &identities, &samples, &set_names, &mut tally);

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
    let precision = failures
        .iter()
        .filter(|f| f.kind == Kind::Precision)
        .count();
    let soundness = failures.len() - precision;
    let unsimulable: usize = tally.unsimulable.values().sum();
    let line = format!(
        "oracle: seed {seed}, {} pairs ({} fixture, {} regression), {} witnesses confirmed ({} more by policy logic only: not requests AWS makes), {} not simulable, {} precision failures, {} requests sampled ({} refused by the simulator), {} newly allowed, {} soundness misses, {} known failures; {} simulations, privdiff {:.1}s, total {:.1}s",
        thousands(pairs.len()),
        n_fixtures,
        kept.len(),
        thousands(tally.witnesses_confirmed),
        thousands(tally.confirmed_logic_only),
        thousands(unsimulable),
        precision,
        thousands(tally.sampled),
        thousands(tally.sampled_errors),
        thousands(tally.widening_requests),
        soundness,
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
    if !tally.unrealistic.is_empty() {
        eprintln!(
            "oracle: examples that are not requests AWS makes (simulator's reason): {:?}",
            tally.unrealistic
        );
    }
    if !tally.unsimulable.is_empty() {
        eprintln!(
            "oracle: examples the simulator could not evaluate: {:?}",
            tally.unsimulable
        );
    }
    if !known.is_empty() {
        eprintln!("oracle: known failures (expected_to_fail regressions): {known:?}");
    }

    let mut report = String::new();
    for f in failures.iter().take(10) {
        report += &describe(&pairs[f.pair], identities[f.pair].as_ref(), f);
        report += "\n\n";
    }
    // Shrink the first few failures of random pairs to something small enough to keep.
    let mut shrunk = BTreeSet::new();
    for f in failures.iter().filter(|f| f.pair >= first_random) {
        if shrunk.len() >= 3 || !shrunk.insert(f.pair) {
            continue;
        }
        let min = shrink(&mut oracle, tmp.path(), &pairs[f.pair], f);
        let keep = json!({
            "note": format!("{:?} failure found with seed {seed} ({})", f.kind, pairs[f.pair].origin),
            "expected_to_fail": false,
            "old": min.old,
            "new": min.new,
            "requests": if f.kind == Kind::Soundness { vec![f.request.to_json()] } else { Vec::new() },
        });
        report += &format!(
            "minimal pair for pair {} (save as tests/oracle/regressions/NAME.json):\n{}\n\n",
            f.pair,
            serde_json::to_string_pretty(&keep).expect("JSON")
        );
    }
    assert!(
        failures.is_empty() && now_passing.is_empty(),
        "{} precision failures and {} soundness misses (seed {seed}; first 10 below){}\n\n{report}",
        precision,
        soundness,
        if now_passing.is_empty() {
            String::new()
        } else {
            format!(
                "; regressions marked expected_to_fail now pass, set it to false: {now_passing:?}"
            )
        },
    );
}
