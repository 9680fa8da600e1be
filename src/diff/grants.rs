//! Statement deltas → readable grants, with sensitive documents redacted.

use crate::compare::Delta;
use crate::model::sensitive::HIDDEN;
use crate::model::vocabulary::Vocabulary;
use crate::model::{
    Decision, Effect, Grant, GrantKind, IdentityScopes, Request, Scope, ScopeKind, Witness,
};
use std::collections::BTreeMap;

/// Which way a delta goes: `scope` is the new scope (additions) or the old one (removals).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Added,
    Removed,
}

/// One grant per statement of `scope` that the delta names; `other` is the scope it is
/// compared with.
pub fn delta_grants(
    id: &IdentityScopes,
    kind: ScopeKind,
    (scope, other): (&Scope, &Scope),
    delta: &Delta,
    direction: Direction,
    words: &dyn Vocabulary,
) -> Vec<Grant> {
    // The other scope's decision explains the change: what refused it before an addition,
    // what refuses it now after a removal.
    let then = match direction {
        Direction::Added => "previously",
        Direction::Removed => "now",
    };
    delta
        .statements
        .iter()
        .map(|d| {
            let st = &scope.statements[d.statement];
            let origin = &id.origins[st.origin];
            // One value can stand for several patterns (an account for its IAM and STS
            // principals): each is named once.
            let pick = |m: &crate::model::Match, idx: &[usize]| -> Vec<String> {
                let mut out: Vec<String> = Vec::new();
                for &i in idx {
                    if !out.contains(&m.display[i]) {
                        out.push(m.display[i].clone());
                    }
                }
                out
            };
            let mut detail: Vec<String> = Vec::new();
            // Without an exact account of the actions, say when the statement is not all new.
            if d.partial && d.exact.is_none() {
                detail.push(
                    match direction {
                        Direction::Added => "partly: some of these requests were allowed before",
                        Direction::Removed => "partly: some of these requests are still allowed",
                    }
                    .to_string(),
                );
            }
            match d.old_decision {
                Decision::Denied { origin } => detail.push(format!(
                    "{then} denied by a Deny statement in {}",
                    if id.origins[origin].sensitive {
                        HIDDEN
                    } else {
                        &id.origins[origin].source
                    }
                )),
                Decision::OutsideBoundary if kind == ScopeKind::Resource => {
                    detail.push(format!("{then} on another resource than this one"))
                }
                Decision::OutsideBoundary => {
                    detail.push(format!("{then} outside the permissions boundary"))
                }
                _ => {}
            }
            let mut g = Grant {
                scope: kind,
                source: origin.source.clone(),
                effect: st.effect,
                actions: pick(&st.actions, &d.actions),
                not_actions: st.actions.negated,
                except_actions: st
                    .except
                    .as_ref()
                    .map(|m| m.display.to_vec())
                    .unwrap_or_default(),
                resources: if kind == ScopeKind::Trust {
                    Vec::new()
                } else {
                    pick(&st.resources, &d.resources)
                },
                not_resources: st.resources.negated && kind != ScopeKind::Trust,
                principals: if kind.names_principals() {
                    pick(&st.principals, &d.principals)
                } else {
                    Vec::new()
                },
                conditions: st.condition_text.to_vec(),
                condition_change: match d.old_decision {
                    Decision::NotAllowed => condition_change(id, st, other, &d.example, direction),
                    _ => Vec::new(),
                },
                kind: None,
                addresses: origin.resources.clone(),
                access: None,
                binding: origin.binding.clone(),
                detail: (!detail.is_empty()).then(|| detail.join("; ")),
                reaches: None,
                example: Some(to_witness(id, kind, &d.example)),
                statement: Some(d.statement),
                by_principal: Vec::new(),
            };
            // What the change is in real actions, exactly where the comparison typed its
            // requests, else what the actions cover, where the provider has a catalog of them.
            if kind != ScopeKind::Trust && !origin.sensitive && !g.actions.is_empty() {
                g.access = match &d.exact {
                    Some(exact) => words.exact_access(
                        &exact.actions,
                        exact
                            .unknown
                            .iter()
                            .map(|&i| st.actions.display[i].clone())
                            .collect(),
                    ),
                    None if kind == ScopeKind::Permissions => {
                        words.access(&g.actions, g.not_actions)
                    }
                    None => None,
                };
            }
            if origin.sensitive {
                g.actions = vec![HIDDEN.into()];
                g.resources = if kind == ScopeKind::Trust {
                    Vec::new()
                } else {
                    vec![HIDDEN.into()]
                };
                g.principals = if kind.names_principals() {
                    vec![HIDDEN.into()]
                } else {
                    Vec::new()
                };
                g.conditions = Vec::new();
                g.condition_change = Vec::new();
                g.except_actions = Vec::new();
                g.detail = Some("from a value marked sensitive; its content is not shown".into());
            }
            g
        })
        .collect()
}

/// A change that is not a statement (a managed policy not expanded, a boundary change).
pub fn special(scope: ScopeKind, source: &str, kind: GrantKind, detail: String) -> Grant {
    Grant {
        scope,
        source: source.to_string(),
        effect: Effect::Allow,
        actions: Vec::new(),
        not_actions: false,
        except_actions: Vec::new(),
        resources: Vec::new(),
        not_resources: false,
        principals: Vec::new(),
        conditions: Vec::new(),
        condition_change: Vec::new(),
        kind: Some(kind),
        addresses: Vec::new(),
        access: None,
        binding: None,
        detail: Some(detail),
        reaches: None,
        example: None,
        statement: None,
        by_principal: Vec::new(),
    }
}

/// Which conditions let `example` through now and did not before (or the reverse for a
/// removal): the clauses of the other scope's statements that name the request and refused it.
/// A clause on a key `st` also reads says the new values (`now also when …`), one on a key it
/// does not read fell (`without …`).
pub fn condition_change(
    id: &IdentityScopes,
    st: &crate::model::Statement,
    other: &Scope,
    example: &Request,
    direction: Direction,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (refusing, clause) in crate::compare::failing_clauses(other, example) {
        let hidden = id.origins[refusing.origin].sensitive || id.origins[st.origin].sensitive;
        let sentence = match clause.key() {
            _ if hidden => format!("a condition {HIDDEN} changed"),
            Some(key)
                if st
                    .conditions
                    .iter()
                    .any(|c| c.key().is_some_and(|k| k.eq_ignore_ascii_case(key))) =>
            {
                let value = example
                    .context
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map_or("(absent)", |(_, v)| v.as_str());
                let value = match value {
                    "(absent)" => "absent".to_string(),
                    v => format!("`{v}`"),
                };
                let key = spelled(id, key);
                match direction {
                    Direction::Added => format!("now also when `{key}` is {value}"),
                    Direction::Removed => format!("no longer when `{key}` is {value}"),
                }
            }
            Some(key) => {
                let text = written(refusing, key)
                    .unwrap_or_else(|| format!("the condition on {}", spelled(id, key)));
                fell(&text, direction)
            }
            // An unmodelled clause, as its statement writes it.
            None => match clause {
                crate::model::Clause::Opaque { text } => {
                    let written = refusing
                        .condition_text
                        .iter()
                        .find(|t| t.contains(text.as_str()));
                    fell(written.unwrap_or(text), direction)
                }
                _ => fell("an unmodelled condition", direction),
            },
        };
        if !out.contains(&sentence) {
            out.push(sentence);
        }
    }
    out
}

/// A condition that refused the example and does not refuse it now (for a removal, the reverse).
fn fell(text: &str, direction: Direction) -> String {
    match direction {
        Direction::Added => format!("without `{text}`"),
        Direction::Removed => format!("now only when `{text}`"),
    }
}

/// A statement's condition as written for `key`.
fn written(st: &crate::model::Statement, key: &str) -> Option<String> {
    st.condition_text
        .iter()
        .find(|text| written_key(text).is_some_and(|k| k.eq_ignore_ascii_case(key)))
        .cloned()
}

/// The key of a condition as written, `Operator key values`.
fn written_key(text: &str) -> Option<&str> {
    text.split(' ').nth(1)
}

/// A request of the comparison as the report shows it. For trust, the resource is the role.
/// A resource policy's request is shown as it is: its resource is one the policy names.
pub fn to_witness(id: &IdentityScopes, kind: ScopeKind, r: &Request) -> Witness {
    // The comparison matches keys in lower case; show them as the policies spell them.
    let context: BTreeMap<String, String> = r
        .context
        .iter()
        .map(|(k, v)| (spelled(id, k), v.clone()))
        .collect();
    match kind {
        ScopeKind::Permissions => Witness {
            scope: kind,
            principal: None,
            action: r.action.clone(),
            resource: r.resource.clone(),
            context,
        },
        ScopeKind::Trust => Witness {
            scope: kind,
            principal: Some(r.principal.clone()),
            action: r.action.clone(),
            resource: id
                .after
                .arn
                .clone()
                .or_else(|| id.before.arn.clone())
                .unwrap_or_else(|| format!("{} (this role)", id.address)),
            context,
        },
        ScopeKind::Resource => Witness {
            scope: kind,
            principal: Some(r.principal.clone()),
            action: r.action.clone(),
            resource: r.resource.clone(),
            context,
        },
    }
}

/// A condition key as the first statement that names it spells it (`k` is lower case).
fn spelled(id: &IdentityScopes, k: &str) -> String {
    let sides = [&id.before, &id.after];
    let scopes = sides.iter().flat_map(|s| {
        [
            Some(&s.permissions),
            s.trust.as_ref(),
            s.resource_policy.as_ref(),
        ]
        .into_iter()
        .flatten()
    });
    for sc in scopes {
        for st in sc.statements.iter().chain(sc.boundary.iter().flatten()) {
            for text in st.condition_text.iter() {
                if let Some(key) = written_key(text).filter(|key| key.eq_ignore_ascii_case(k)) {
                    return key.to_string();
                }
            }
        }
    }
    k.to_string()
}

/// How much a grant opens, for ordering additions broadest first: anyone may assume the role
/// first; then everything before service-wide before a pattern before a single action;
/// unconstrained resources and no conditions add weight. Ties keep their order (permissions
/// before trust, statements in policy order).
pub fn breadth(g: &Grant) -> u32 {
    let mut score = match g.kind {
        Some(GrantKind::BoundaryRemoved | GrantKind::BoundaryChanged) => return 60,
        Some(_) => return 30,
        None => 0,
    };
    if g.scope.names_principals() && g.principals.iter().any(|p| p == "*") {
        score += 60;
    }
    // `*:*:*` is every Kubernetes request (group:resource:verb).
    let all = |a: &String| a == "*" || a == "*:*" || a == "*:*:*";
    score += if g.not_actions || g.actions.iter().any(all) {
        40
    } else if g.actions.iter().any(|a| a.ends_with(":*")) {
        25
    } else if g.actions.iter().any(|a| a.contains('*') || a.contains('?')) {
        15
    } else {
        5
    };
    if g.not_resources || g.resources.iter().any(|r| r == "*") {
        score += 10;
    }
    if g.conditions.is_empty() {
        score += 5;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(scope: ScopeKind, actions: &[&str], resources: &[&str], principals: &[&str]) -> Grant {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        Grant {
            actions: v(actions),
            resources: v(resources),
            principals: v(principals),
            kind: None,
            ..special(scope, "src", GrantKind::BoundaryAdded, String::new())
        }
    }

    #[test]
    fn broadest_first() {
        let perm = ScopeKind::Permissions;
        let anyone = grant(ScopeKind::Trust, &["sts:AssumeRole"], &[], &["*"]);
        let admin = grant(perm, &["*"], &["*"], &[]);
        let service = grant(perm, &["s3:*"], &["arn:aws:s3:::b/*"], &[]);
        let pattern = grant(perm, &["s3:Get*"], &["arn:aws:s3:::b/*"], &[]);
        let one = grant(perm, &["s3:GetObject"], &["arn:aws:s3:::b/*"], &[]);
        let scores: Vec<u32> = [&anyone, &admin, &service, &pattern, &one]
            .iter()
            .map(|g| breadth(g))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
    }
}
