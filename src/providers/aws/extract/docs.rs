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
        /// Parts of the document known only after apply and what was assumed for each (its
        /// worst case for an Allow, its best for a Deny), for a note.
        assumed: Rc<[String]>,
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
                        assumed: Rc::from([]),
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
                        if let Some(d) = self
                            .resolve_one(&t)
                            .or_else(|| self.same_key(obj, attr, &t))
                        {
                            if let Doc::Statements {
                                statements,
                                source,
                                resources,
                                at,
                                sensitive,
                                assumed,
                            } = self.data_document(d)?
                            {
                                return Ok(Doc::Statements {
                                    statements,
                                    source,
                                    resources: [vec![obj.address.to_string()], resources].concat(),
                                    at,
                                    sensitive,
                                    assumed,
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
        let Some(Value::Array(blocks)) = d.get(&[Step::Key("statement")]) else {
            return Ok(Doc::Unknown(attr_ref(d, "json")));
        };
        // Documents merged in at apply cannot be bounded; the statement blocks can.
        if merged || d.is_unknown(&[Step::Key("statement")]) {
            return Ok(Doc::Unknown(attr_ref(d, "json")));
        }
        let marks = d.unknown_marks(&[Step::Key("statement")]);
        let mut assumed = Vec::new();
        let mut statements = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            let unknown = marks.get(i).cloned().unwrap_or(Value::Null);
            let n = blocks.len();
            if let Some(s) = bounded(b, &unknown, &mut |what| {
                let which = if n == 1 {
                    String::new()
                } else {
                    format!("statement {}: ", i + 1)
                };
                assumed.push(format!("{which}{what}"));
            }) {
                statements.push(s);
            }
        }
        let doc = serde_json::json!({ "Statement": statements });
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
            assumed: assumed.into(),
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
                assumed: Rc::from([]),
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
                assumed,
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
                    assumed,
                }
            }
            other => other,
        })
    }

    /// The instance of `t` whose key is `obj`'s own, where `attr` refers to it by `each.key`
    /// (`data.aws_iam_policy_document.trust[each.key]` in a resource with the same `for_each`).
    fn same_key(&self, obj: &Obj, attr: &str, t: &Target) -> Option<&'w Obj<'p>> {
        let each_key = self
            .config
            .is_some_and(|c| c.uses_each_key(obj.address, attr));
        let key = Address::parse(obj.address)?.index?;
        if !each_key {
            return None;
        }
        let mut same = self
            .resolve_all(t)
            .into_iter()
            .filter(|d| Address::parse(d.address).and_then(|a| a.index).as_ref() == Some(&key));
        let one = same.next()?;
        same.next().is_none().then_some(one)
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

/// A statement block with parts known only after apply (`unknown`: its unknown-marks), bounded:
/// for an Allow, each unknown part by what allows most (any action, resource or principal; a
/// condition that always holds), for a Deny by what denies least (the statement is dropped).
/// An unknown effect is an Allow. `say` gets a phrase for each assumption; `None`: dropped.
fn bounded(b: &Value, unknown: &Value, say: &mut dyn FnMut(String)) -> Option<Value> {
    if !has_true(unknown) {
        return Some(block_to_statement(b));
    }
    let open = |k: &str| unknown.get(k).is_some_and(has_true);
    let mut b = b.clone();
    if open("effect") {
        b["effect"] = "Allow".into();
        say("its effect is known after apply, taken as Allow".into());
    }
    let deny = b.get("effect").and_then(Value::as_str) == Some("Deny");
    let parts = [
        ("actions", "actions"),
        ("not_actions", "excluded actions"),
        ("resources", "resources"),
        ("not_resources", "excluded resources"),
        ("principals", "principals"),
        ("not_principals", "excluded principals"),
        ("condition", "condition"),
    ];
    let unknown_parts: Vec<&str> = parts
        .iter()
        .filter(|(k, _)| open(k))
        .map(|(_, name)| *name)
        .collect();
    if unknown_parts.is_empty() {
        return Some(block_to_statement(&b));
    }
    if deny {
        say(format!(
            "a Deny whose {} are known after apply, taken to deny nothing",
            unknown_parts.join(", ")
        ));
        return None;
    }
    let any = Value::Array(vec!["*".into()]);
    for (k, name) in parts {
        if !open(k) {
            continue;
        }
        match k {
            "actions" | "resources" => {
                b[k] = any.clone();
                say(format!(
                    "{name} known after apply, taken as any (`*`; in a resource policy, its own resource)"
                ));
            }
            // Nothing is excluded: the statement covers every action, resource or principal.
            "not_actions" | "not_resources" => {
                b[k] = Value::Null;
                let to = if k == "not_actions" {
                    "actions"
                } else {
                    "resources"
                };
                b[to] = any.clone();
                say(format!(
                    "{name} known after apply, taken as none (any {to})"
                ));
            }
            "not_principals" => {
                b[k] = Value::Null;
                b["principals"] = serde_json::json!([{"type": "*", "identifiers": ["*"]}]);
                say(format!("{name} known after apply, taken as none (anyone)"));
            }
            "principals" => {
                b[k] = serde_json::json!([{"type": "*", "identifiers": ["*"]}]);
                say(format!("{name} known after apply, taken as anyone (`*`)"));
            }
            _ => {
                b[k] = Value::Array(Vec::new());
                say(format!("{name} known after apply, taken as always met"));
            }
        }
    }
    Some(block_to_statement(&b))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The statement `bounded` makes of `block` with these unknown-marks, and what it said.
    fn bound(block: Value, unknown: Value) -> (Option<Value>, Vec<String>) {
        let mut said = Vec::new();
        let s = bounded(&block, &unknown, &mut |w| said.push(w));
        (s, said)
    }

    #[test]
    fn unknown_parts_of_an_allow_take_their_worst_case() {
        let block = json!({"effect": "Allow", "actions": [null], "resources": ["arn:aws:s3:::b/*"],
            "principals": [{"type": "AWS", "identifiers": [null]}],
            "condition": [{"test": "StringEquals", "variable": "aws:SourceVpc", "values": [null]}]});
        let unknown = json!({"actions": [true], "principals": [{"identifiers": [true]}],
            "condition": [{"values": [true]}]});
        let (s, said) = bound(block, unknown);
        let s = s.unwrap();
        assert_eq!(s["Action"], json!(["*"]));
        assert_eq!(
            s["Resource"],
            json!(["arn:aws:s3:::b/*"]),
            "known parts stay"
        );
        assert_eq!(s["Principal"], json!({"*": ["*"]}));
        assert!(s.get("Condition").is_none(), "{s}");
        assert_eq!(said.len(), 3, "{said:?}");
    }

    #[test]
    fn an_unknown_exclusion_excludes_nothing_and_an_unknown_effect_allows() {
        let block = json!({"actions": [], "not_actions": [null], "resources": ["*"]});
        let unknown = json!({"effect": true, "not_actions": [true]});
        let (s, said) = bound(block, unknown);
        let s = s.unwrap();
        assert_eq!(s["Effect"], "Allow");
        assert_eq!(s["Action"], json!(["*"]));
        assert!(s.get("NotAction").is_none(), "{s}");
        assert_eq!(said.len(), 2, "{said:?}");
    }

    #[test]
    fn a_deny_with_unknown_parts_denies_nothing_and_a_known_one_stays() {
        let deny = json!({"effect": "Deny", "actions": ["s3:DeleteBucket"], "resources": [null]});
        let (s, said) = bound(deny, json!({"resources": [true]}));
        assert!(s.is_none());
        assert_eq!(
            said,
            ["a Deny whose resources are known after apply, taken to deny nothing"]
        );
        let known = json!({"effect": "Deny", "actions": ["s3:DeleteBucket"], "resources": ["*"]});
        let (s, said) = bound(known, json!({"resources": [false]}));
        let s = s.unwrap();
        assert_eq!(
            (&s["Effect"], &s["Resource"]),
            (&json!("Deny"), &json!(["*"]))
        );
        assert!(said.is_empty());
    }

    #[test]
    fn a_for_each_document_by_each_key_is_the_instance_of_the_resources_own_key() {
        // Two roles and two documents under the same keys; each role's policy is
        // `data.aws_iam_policy_document.d[each.key].json`, read at apply.
        let mut changes = Vec::new();
        for (key, action) in [("a", "s3:GetObject"), ("b", "sqs:SendMessage")] {
            let role = format!("aws_iam_role.r[\"{key}\"]");
            let after = json!({"name": format!("r-{key}"), "path": "/"});
            changes.push(
                json!({"address": role, "mode": "managed", "type": "aws_iam_role",
                "name": "r", "index": key, "change": {"actions": ["create"], "before": null,
                "after": after, "after_unknown": {"assume_role_policy": true, "arn": true}}}),
            );
            let policy = format!("aws_iam_role_policy.p[\"{key}\"]");
            changes.push(json!({"address": policy, "mode": "managed",
                "type": "aws_iam_role_policy", "name": "p", "index": key,
                "change": {"actions": ["create"], "before": null,
                    "after": {"name": "p", "role": format!("r-{key}")},
                    "after_unknown": {"policy": true, "id": true}}}));
            let block = json!({"actions": [action], "effect": "Allow", "resources": ["*"],
                "condition": [], "not_actions": [], "not_principals": [], "not_resources": [],
                "principals": []});
            changes.push(
                json!({"address": format!("data.aws_iam_policy_document.d[\"{key}\"]"),
                "mode": "data", "type": "aws_iam_policy_document", "name": "d", "index": key,
                "change": {"actions": ["read"], "before": null, "after": {"statement": [block]},
                    "after_unknown": {"json": true, "id": true}}}),
            );
        }
        let configuration = json!({"root_module": {"resources": [
            {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "expressions": {"name": {}, "assume_role_policy": {}}},
            {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy",
             "name": "p", "expressions": {
                "role": {"references": ["aws_iam_role.r", "each.key"]},
                "policy": {"references": ["data.aws_iam_policy_document.d", "each.key"]}}},
            {"address": "data.aws_iam_policy_document.d", "mode": "data",
             "type": "aws_iam_policy_document", "name": "d", "expressions": {}}
        ]}});
        let r = crate::analyze::tests::analyse(json!(changes), configuration, &Default::default());
        for (key, action) in [("a", "s3:GetObject"), ("b", "sqs:SendMessage")] {
            let address = format!("aws_iam_role.r[\"{key}\"]");
            let id = r
                .identities
                .iter()
                .find(|i| i.address == address)
                .unwrap_or_else(|| panic!("no {address}"));
            let actions: Vec<&str> = id
                .added
                .iter()
                .flat_map(|g| g.actions.iter().map(String::as_str))
                .collect();
            assert_eq!(actions, [action], "{address}: {:?}", id.added);
        }
    }
}
