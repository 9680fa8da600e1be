//! The Node side of the oracle: installs `tests/oracle/node_modules` when it is missing and talks
//! to one long-lived `worker.mjs` process over JSON lines. The simulator it runs is AGPL-3.0, so it
//! stays in that separate process and is never linked into privdiff.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

/// Whether the harness can run: `node` and `npm` on PATH, and `tests/oracle/node_modules`
/// installed, by `npm ci` here when it is missing. When it cannot run, says why and returns
/// false, and the test is skipped; under `CI` the test fails instead
/// (`tests/common/optional.rs`).
pub fn ensure_installed() -> bool {
    const INSTALL: &str = "the oracle test needs Node.js 20 or later with npm: install it, then \
                           run `npm ci --prefix tests/oracle` (see docs/oracle.md)";
    for tool in ["node", "npm"] {
        let ok = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            crate::optional::skip(&format!("`{tool}` is not on PATH; {INSTALL}"));
            return false;
        }
    }
    let dir = oracle_dir();
    if !dir
        .join("node_modules/@cloud-copilot/iam-simulate")
        .is_dir()
    {
        eprintln!("oracle: installing the harness with `npm ci --prefix tests/oracle`");
        let failed = match Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .output()
        {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(e) => Some(e.to_string()),
        };
        if let Some(output) = failed {
            // No network, most likely: npm's first lines say what it ran into.
            let head: Vec<&str> = output.lines().take(4).collect();
            crate::optional::skip(&format!(
                "`npm ci --prefix tests/oracle` failed, so the simulator is not installed; \
                 run it by hand (it needs the npm registry):\n{}",
                head.join("\n")
            ));
            return false;
        }
    }
    true
}

/// A context value of a request: one string, or a set for a multivalued key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CtxValue {
    One(String),
    Many(Vec<String>),
}

/// A request as the simulator takes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Request {
    /// Who makes it, as privdiff writes principals (`AWS:arn:aws:iam::444455556666:root`,
    /// `Service:lambda.amazonaws.com`): for trust and resource policies. `None` for a permissions
    /// request, made by the identity itself.
    pub principal: Option<String>,
    pub action: String,
    pub resource: String,
    /// Keys absent from the map are absent from the request.
    pub context: BTreeMap<String, CtxValue>,
}

impl Request {
    pub fn to_json(&self) -> Value {
        let context: serde_json::Map<String, Value> = self
            .context
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    CtxValue::One(s) => json!(s),
                    CtxValue::Many(vs) => json!(vs),
                };
                (k.clone(), v)
            })
            .collect();
        let mut v = json!({"action": self.action, "resource": self.resource, "context": context});
        if let Some(p) = &self.principal {
            v["principal"] = json!(p);
        }
        v
    }
}

/// One simulation: a request, the identity policies of its caller (a set named by `define`) and,
/// for a trust or resource policy, the set whose one document is that policy.
#[derive(Clone, Debug)]
pub struct Query {
    pub identity: String,
    pub resource_policy: Option<String>,
    /// The caller as the simulator takes it (an IAM ARN, a service principal, an identity
    /// provider's ARN); `None`: the harness's own role in account 111122223333.
    pub caller: Option<String>,
    /// The account of the request's resource; `None`: 111122223333, the harness's own.
    pub resource_account: Option<String>,
    pub request: Request,
}

/// The policy set holding a KMS key's default key policy, which lets the account's IAM policies
/// decide. A KMS key always has a key policy, and the simulator denies a key request that none
/// allows; privdiff judges an identity's own policies, as under this default.
pub const DEFAULT_KEY_POLICY: &str = "default-key-policy";

/// The default key policy of a key in the harness's account.
pub fn default_key_policy() -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions",
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "kms:*", "Resource": "*"}]})
}

impl Query {
    /// A permissions request of the harness's role under the identity policies of `set` (and,
    /// for a KMS key, its default key policy).
    pub fn identity(set: &str, request: &Request) -> Query {
        let on_key = request.action.to_ascii_lowercase().starts_with("kms:")
            && request.resource.starts_with("arn:")
            && request
                .resource
                .split(':')
                .nth(5)
                .is_some_and(|r| r.starts_with("key/"));
        Query {
            identity: set.to_string(),
            resource_policy: on_key.then(|| DEFAULT_KEY_POLICY.to_string()),
            caller: None,
            resource_account: None,
            request: request.clone(),
        }
    }
}

/// The simulator's answer to one query.
#[derive(Clone, Debug)]
pub struct Answer {
    pub decision: Decision,
    /// Set when the simulator's validating entry point would have left out context keys it does
    /// not list for the action (`token.actions.githubusercontent.com:sub` is not in its catalog):
    /// the answer then comes from the policy logic alone, with every key (the reason why).
    pub logic_only: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
    /// The simulator refused the request (unknown action, resource of no type the action takes,
    /// invalid policy...), with its reason.
    Error(String),
}

impl Decision {
    pub fn allowed(&self) -> bool {
        *self == Decision::Allowed
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Decision::Error(_))
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::Error(d) => write!(f, "Error ({d})"),
            other => write!(f, "{other:?}"),
        }
    }
}

pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
    pub simulations: usize,
}

impl Oracle {
    /// The worker, once [`ensure_installed`] says it can run (else `None`: the test is skipped).
    pub fn start() -> Option<Oracle> {
        if !ensure_installed() {
            return None;
        }
        let mut child = Command::new("node")
            .arg(oracle_dir().join("worker.mjs"))
            .current_dir(oracle_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node tests/oracle/worker.mjs");
        let stdin = child.stdin.take().expect("worker stdin");
        let stdout = BufReader::new(child.stdout.take().expect("worker stdout"));
        Some(Oracle {
            child,
            stdin,
            stdout,
            next_id: 0,
            simulations: 0,
        })
    }

    /// Sends every request and returns the answers in the same order. A thread writes while this
    /// one reads, so neither pipe can fill up and block the other side.
    pub fn call(&mut self, mut requests: Vec<Value>) -> Vec<Value> {
        let first = self.next_id;
        for r in &mut requests {
            r["id"] = json!(self.next_id);
            self.next_id += 1;
        }
        let n = requests.len();
        let stdin = &mut self.stdin;
        let stdout = &mut self.stdout;
        std::thread::scope(|s| {
            s.spawn(move || {
                let mut w = std::io::BufWriter::new(stdin);
                for r in &requests {
                    serde_json::to_writer(&mut w, r).expect("write to worker");
                    w.write_all(b"\n").expect("write to worker");
                }
                w.flush().expect("flush worker stdin");
            });
            let mut answers = Vec::with_capacity(n);
            let mut line = String::new();
            for i in 0..n {
                line.clear();
                let read = stdout.read_line(&mut line).expect("read from worker");
                assert!(read > 0, "the oracle worker exited early");
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("worker answer is not JSON ({e}): {line}"));
                assert_eq!(v["id"], json!(first + i as u64), "answers out of order");
                answers.push(v);
            }
            answers
        })
    }

    /// Names a list of identity policies for later `simulate` calls.
    pub fn define(&mut self, sets: &[(String, Vec<Value>)]) {
        let reqs = sets
            .iter()
            .map(|(name, policies)| json!({"op": "define", "set": name, "policies": policies}))
            .collect();
        self.call(reqs);
    }

    /// Evaluates each request against the named identity policy set.
    pub fn simulate(&mut self, queries: &[(String, Request)]) -> Vec<Decision> {
        let queries: Vec<Query> = queries
            .iter()
            .map(|(set, r)| Query::identity(set, r))
            .collect();
        self.run_simulations(&queries, false)
            .into_iter()
            .map(|a| a.decision)
            .collect()
    }

    /// Evaluates each query with validation (`runSimulation`); see [`Answer::logic_only`].
    pub fn simulate_queries(&mut self, queries: &[Query]) -> Vec<Answer> {
        self.run_simulations(queries, false)
    }

    /// Evaluates only the policy logic, for requests AWS would not make (an action with a
    /// resource of a type it does not take): `runUnsafeSimulation`.
    pub fn simulate_logic(&mut self, queries: &[Query]) -> Vec<Decision> {
        self.run_simulations(queries, true)
            .into_iter()
            .map(|a| a.decision)
            .collect()
    }

    fn run_simulations(&mut self, queries: &[Query], unsafe_: bool) -> Vec<Answer> {
        self.simulations += queries.len();
        let reqs = queries
            .iter()
            .map(|q| {
                let mut request = q.request.to_json();
                match &q.caller {
                    Some(c) => request["principal"] = json!(c),
                    None => {
                        request.as_object_mut().expect("request").remove("principal");
                    }
                }
                let mut v = json!({"op": "simulate", "set": q.identity, "request": request, "unsafe": unsafe_});
                if let Some(rp) = &q.resource_policy {
                    v["resourceSet"] = json!(rp);
                }
                if let Some(account) = &q.resource_account {
                    v["resourceAccount"] = json!(account);
                }
                v
            })
            .collect();
        self.call(reqs)
            .into_iter()
            .map(|a| Answer {
                decision: match a["result"].as_str() {
                    Some("Allowed") => Decision::Allowed,
                    Some("ExplicitlyDenied") => Decision::ExplicitlyDenied,
                    Some("ImplicitlyDenied") => Decision::ImplicitlyDenied,
                    _ => Decision::Error(a["detail"].as_str().unwrap_or("").to_string()),
                },
                logic_only: a["logic_only"].as_str().map(str::to_string),
            })
            .collect()
    }

    /// Real actions matching each pattern (`s3:Get*`); `*` alone is not expanded.
    pub fn expand(&mut self, patterns: &[String]) -> Vec<Vec<String>> {
        let reqs = patterns
            .iter()
            .map(|p| json!({"op": "expand", "pattern": p}))
            .collect();
        self.call(reqs)
            .into_iter()
            .map(|a| strings(&a["actions"]))
            .collect()
    }

    /// For each action: whether it exists, whether it takes only `*`, and the ARN pattern of each
    /// resource type it takes.
    pub fn resources(&mut self, actions: &[String]) -> Vec<ActionInfo> {
        let reqs = actions
            .iter()
            .map(|a| json!({"op": "resources", "action": a}))
            .collect();
        self.call(reqs)
            .into_iter()
            .map(|a| ActionInfo {
                exists: a["exists"].as_bool().unwrap_or(false),
                wildcard_only: a["wildcard_only"].as_bool().unwrap_or(false),
                types: strings(&a["types"]),
            })
            .collect()
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Debug, Default)]
pub struct ActionInfo {
    pub exists: bool,
    pub wildcard_only: bool,
    /// The ARN pattern of each resource type the action takes, as the simulator's data writes it
    /// (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    pub types: Vec<String>,
}

pub fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
