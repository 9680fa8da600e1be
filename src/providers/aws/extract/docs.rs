//! Finding the policy document behind an attribute: a JSON string, a data source, or an
//! `aws_iam_policy` named by ARN (known, or traced through `configuration` when unknown).

use super::SideReader;
use crate::model::Statement;
use crate::plan::refs::{Address, Target};
use crate::plan::side::{AttributeRef, Obj, Step};
use crate::plan::InputError;
use crate::providers::aws::policy;
use serde_json::Value;
use std::collections::HashMap;
use std::rc::Rc;

/// What an attribute resolves to.
#[derive(Debug, Clone)]
pub enum Doc {
    Statements {
        statements: Rc<Vec<Statement>>,
        /// Where the document lives (for display) and whether it is sensitive.
        source: String,
        /// Plan addresses of the resources that bring the document, the likeliest cause of a
        /// change first (see [`crate::model::Grant::addresses`]).
        resources: Vec<String>,
        at: AttributeRef,
        sensitive: bool,
    },
    /// No policy (empty string or null).
    Empty,
    /// A managed policy ARN whose document is not in the plan.
    NotExpanded(String),
    /// Known only after apply.
    Unknown(AttributeRef),
}

/// A parsed policy string: its statements (`None` for an empty string) or why it is invalid.
type Parsed = Result<Option<Rc<Vec<Statement>>>, String>;

/// Parses each distinct policy string once (a no-op change carries the same text on both
/// sides, and one customer policy is attached to many identities).
///
/// Keyed by length and two independent 64-bit hashes of the text rather than the text itself,
/// which would keep a copy of every policy in a large plan alive until the end.
#[derive(Default)]
pub struct PolicyCache {
    parsed: HashMap<(usize, u64, u64), Parsed>,
}

impl PolicyCache {
    fn parse(&mut self, text: &str) -> Parsed {
        let key = fingerprint(text);
        if let Some(r) = self.parsed.get(&key) {
            return r.clone();
        }
        let r = policy::parse_str(text)
            .map(|o| o.map(Rc::new))
            .map_err(|e| e.0);
        self.parsed.insert(key, r.clone());
        r
    }
}

fn fingerprint(text: &str) -> (usize, u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut a = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut a);
    let mut b = std::collections::hash_map::DefaultHasher::new();
    (0x9e37_79b9_7f4a_7c15u64, text).hash(&mut b);
    (text.len(), a.finish(), b.finish())
}

pub use crate::plan::side::attr_ref;

impl<'w, 'p> SideReader<'w, 'p> {
    /// The document held by a policy attribute of `obj` (`policy`, `assume_role_policy`,
    /// `inline_policy[0].policy`...).
    pub fn policy_value(&self, obj: &Obj, path: &[Step], name: &str) -> Result<Doc, InputError> {
        let at = attr_ref(obj, name);
        let sensitive = obj.is_sensitive(path);
        match obj.get(path) {
            Some(Value::String(s)) => {
                let err = |message: String| InputError {
                    address: obj.address.to_string(),
                    attribute: name.to_string(),
                    // The parser's message quotes operators and keys from the document.
                    message: if sensitive {
                        "the policy (a sensitive value, not shown) is not a valid policy document"
                            .into()
                    } else {
                        message
                    },
                };
                let parsed = self.cache.borrow_mut().parse(&s);
                match parsed.map_err(err)? {
                    Some(statements) => Ok(Doc::Statements {
                        statements,
                        source: obj.address.to_string(),
                        resources: vec![obj.address.to_string()],
                        at,
                        sensitive,
                    }),
                    None => Ok(Doc::Empty),
                }
            }
            Some(other) => Err(InputError {
                address: obj.address.to_string(),
                attribute: name.to_string(),
                message: format!(
                    "a policy must be a JSON document in a string, found {}",
                    policy::kind_of(&other)
                ),
            }),
            None if obj.is_unknown(path) => {
                // `policy = data.aws_iam_policy_document.x.json` read at apply: the data
                // source's statement blocks may still be known.
                if let [Step::Key(attr)] = path {
                    for t in self.targets(obj, attr) {
                        if !t.local.starts_with("data.aws_iam_policy_document.") {
                            continue;
                        }
                        if let Some(d) = self.resolve_one(&t) {
                            if let Doc::Statements {
                                statements,
                                source,
                                resources,
                                at,
                                sensitive,
                            } = self.data_document(d)?
                            {
                                return Ok(Doc::Statements {
                                    statements,
                                    source,
                                    resources: [vec![obj.address.to_string()], resources].concat(),
                                    at,
                                    sensitive,
                                });
                            }
                        }
                    }
                }
                Ok(Doc::Unknown(at))
            }
            None => Ok(Doc::Empty),
        }
    }

    /// The document of an `aws_iam_policy_document` data source.
    fn data_document(&self, d: &Obj) -> Result<Doc, InputError> {
        if d.get(&[Step::Key("json")]).is_some() {
            return self.policy_value(d, &[Step::Key("json")], "json");
        }
        let merged = [
            "source_policy_documents",
            "override_policy_documents",
            "source_json",
            "override_json",
        ]
        .iter()
        .any(|k| {
            d.is_unknown(&[Step::Key(k)])
                || d.get(&[Step::Key(k)]).is_some_and(|v| match v {
                    Value::Array(a) => !a.is_empty(),
                    Value::String(s) => !s.is_empty(),
                    _ => false,
                })
        });
        let statements_known = !d.is_unknown(&[Step::Key("statement")])
            && !has_true(&d.unknown_marks(&[Step::Key("statement")]));
        let Some(Value::Array(blocks)) = d.get(&[Step::Key("statement")]) else {
            return Ok(Doc::Unknown(attr_ref(d, "json")));
        };
        if merged || !statements_known {
            return Ok(Doc::Unknown(attr_ref(d, "json")));
        }
        let doc = serde_json::json!({"Statement": blocks.iter().map(block_to_statement).collect::<Vec<_>>()});
        let statements = policy::parse(&doc).map_err(|e| InputError {
            address: d.address.to_string(),
            attribute: "statement".into(),
            message: e.0,
        })?;
        Ok(Doc::Statements {
            statements: Rc::new(statements),
            source: d.address.to_string(),
            resources: vec![d.address.to_string()],
            at: attr_ref(d, "statement"),
            sensitive: d.is_sensitive(&[Step::Key("statement")]),
        })
    }

    /// The document of the policy named by an ARN attribute (`policy_arn`, `permissions_boundary`,
    /// an element of `managed_policy_arns`).
    /// `index` is the element's place when the attribute is a list.
    pub fn policy_by_arn(
        &self,
        obj: &Obj,
        attr: &str,
        index: Option<usize>,
        arn: Option<&str>,
    ) -> Result<Vec<Doc>, InputError> {
        let mut path = vec![Step::Key(attr)];
        path.extend(index.map(Step::Index));
        let unknown = obj.is_unknown(&path);
        if let Some(arn) = arn {
            // Which policy a sensitive ARN names is itself the secret: the grant is labelled
            // by the attribute, and its content hidden, even for a public AWS managed policy.
            let sensitive = obj.is_sensitive(&path);
            let label = if sensitive {
                format!("{attr} of {} (sensitive)", obj.address)
            } else {
                arn.to_string()
            };
            if is_aws_managed(arn) {
                return Ok(vec![self.aws_managed(obj, attr, arn, label, sensitive)]);
            }
            let found = self.idx.policy_by_arn.get(arn).copied().or_else(|| {
                // The policy is created in this plan, so its ARN is unknown; its name is not.
                let name = arn
                    .rsplit_once(":policy/")
                    .map(|(_, p)| p.rsplit('/').next().unwrap_or(p))?;
                self.idx.policy_by_name.get(name).copied()
            });
            return match found {
                Some(i) => Ok(vec![self.attached(&self.world.objs[i], obj)?]),
                None => Ok(vec![Doc::NotExpanded(label)]),
            };
        }
        if !unknown {
            return Ok(vec![Doc::Empty]);
        }
        let targets: Vec<Target> = self
            .targets(obj, attr)
            .into_iter()
            .filter(|t| t.local.starts_with("aws_iam_policy."))
            .collect();
        let mut out = Vec::new();
        for t in &targets {
            match self.resolve_one(t) {
                Some(p) => out.push(self.attached(p, obj)?),
                None => out.push(Doc::Unknown(attr_ref(obj, attr))),
            }
        }
        if out.is_empty() {
            out.push(Doc::Unknown(attr_ref(obj, attr)));
        }
        Ok(out)
    }

    /// An AWS managed policy attached by `obj`, from the embedded data; not expanded when the
    /// data does not have it (a policy newer than the data).
    /// `label` names it in the report: the ARN, or the attribute when the ARN is sensitive.
    fn aws_managed(&self, obj: &Obj, attr: &str, arn: &str, label: String, sensitive: bool) -> Doc {
        let parsed =
            crate::catalog::aws::managed::document(arn).map(|d| self.cache.borrow_mut().parse(d));
        match parsed {
            Some(Ok(Some(statements))) => Doc::Statements {
                statements,
                source: label,
                resources: vec![obj.address.to_string()],
                at: attr_ref(obj, attr),
                sensitive,
            },
            Some(Ok(None)) => Doc::Empty,
            // The data is generated from AWS's own documents, which always parse; should one
            // not, it is left unexpanded rather than blamed on the plan.
            Some(Err(_)) | None => Doc::NotExpanded(label),
        }
    }

    /// An `aws_iam_policy`'s document, labelled as attached through `via`.
    fn attached(&self, policy: &Obj, via: &Obj) -> Result<Doc, InputError> {
        let doc = self.policy_value(policy, &[Step::Key("policy")], "policy")?;
        Ok(match doc {
            Doc::Statements {
                statements,
                source,
                mut resources,
                at,
                sensitive,
            } if via.address != policy.address => {
                // A new attachment of an unchanged policy is caused by the attachment; an
                // edited policy by its own document.
                let via_first = changes(via) && !changes(policy);
                if via_first {
                    resources.insert(0, via.address.to_string());
                } else {
                    resources.push(via.address.to_string());
                }
                Doc::Statements {
                    statements,
                    source: format!("{source} via {}", via.address),
                    resources,
                    at,
                    sensitive,
                }
            }
            other => other,
        })
    }

    /// Resources that an attribute refers to, per `configuration`.
    pub fn targets(&self, obj: &Obj, attr: &str) -> Vec<Target> {
        self.config
            .map(|c| c.targets(obj.address, attr))
            .unwrap_or_default()
    }

    /// The one object a reference names on this side, if exactly one matches.
    pub fn resolve_one(&self, t: &Target) -> Option<&'w Obj<'p>> {
        let mut found = self.resolve_all(t);
        if found.len() == 1 {
            found.pop()
        } else {
            None
        }
    }

    pub fn resolve_all(&self, t: &Target) -> Vec<&'w Obj<'p>> {
        self.idx
            .by_local
            .get(t.local.as_str())
            .into_iter()
            .flatten()
            .map(|&i| &self.world.objs[i])
            .filter(|o| Address::parse(o.address).is_some_and(|a| t.matches(&a)))
            .collect()
    }
}

fn has_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(has_true),
        Value::Object(o) => o.values().any(has_true),
        _ => false,
    }
}

/// An `aws_iam_policy_document` statement block → a policy-language statement.
fn block_to_statement(b: &Value) -> Value {
    let mut s = serde_json::Map::new();
    let list = |k: &str| {
        b.get(k)
            .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
            .cloned()
    };
    s.insert(
        "Effect".into(),
        b.get("effect")
            .cloned()
            .filter(|v| v.is_string())
            .unwrap_or_else(|| "Allow".into()),
    );
    for (from, to) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = list(from) {
            s.insert(to.into(), v);
        }
    }
    for (from, to) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let Some(ps) = b
            .get(from)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            continue;
        };
        let mut m = serde_json::Map::new();
        for p in ps {
            let ty = p.get("type").and_then(Value::as_str).unwrap_or("AWS");
            let ids = p
                .get("identifiers")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let entry = m
                .entry(ty.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(a) = entry {
                a.extend(ids);
            }
        }
        s.insert(to.into(), Value::Object(m));
    }
    if let Some(conds) = b
        .get("condition")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        let mut m = serde_json::Map::new();
        for c in conds {
            let (Some(test), Some(var)) = (
                c.get("test").and_then(Value::as_str),
                c.get("variable").and_then(Value::as_str),
            ) else {
                continue;
            };
            let vals = c.get("values").cloned().unwrap_or(Value::Array(Vec::new()));
            let op = m
                .entry(test.to_string())
                .or_insert_with(|| Value::Object(Default::default()));
            if let Value::Object(o) = op {
                o.insert(var.to_string(), vals);
            }
        }
        s.insert("Condition".into(), Value::Object(m));
    }
    Value::Object(s)
}

/// Whether the plan changes `obj` (creates, updates, replaces or deletes it).
pub fn changes(obj: &Obj) -> bool {
    obj.actions
        .iter()
        .any(|a| matches!(a.as_str(), "create" | "update" | "delete"))
}

/// Whether `arn` names an AWS managed policy (`arn:PARTITION:iam::aws:policy/...`): never a
/// customer policy of the plan, whatever its name.
pub fn is_aws_managed(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("arn"), Some(_), Some("iam"), Some(""), Some("aws"), Some(rest)) if rest.starts_with("policy/")
    )
}
