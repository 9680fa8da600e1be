//! Statement deltas → readable grants, with sensitive documents redacted.

use crate::extract::IdentityScopes;
use crate::report::{Grant, ScopeKind};
use crate::scope::{Decision, Delta, Effect, Scope};

const HIDDEN: &str = "(sensitive)";

/// Which way a delta goes: `scope` is the new scope (additions) or the old one (removals).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Added,
    Removed,
}

/// One grant per statement of `scope` that the delta names.
pub fn delta_grants(
    id: &IdentityScopes,
    kind: ScopeKind,
    scope: &Scope,
    delta: &Delta,
    direction: Direction,
) -> Vec<Grant> {
    // The other scope's decision explains the change: what refused it before an addition,
    // what refuses it now after a removal.
    let (partly, then) = match direction {
        Direction::Added => (
            "partly: some of these requests were allowed before",
            "previously",
        ),
        Direction::Removed => ("partly: some of these requests are still allowed", "now"),
    };
    delta
        .statements
        .iter()
        .map(|d| {
            let st = &scope.statements[d.statement];
            let origin = &id.origins[st.origin];
            let pick = |m: &crate::scope::Match, idx: &[usize]| -> Vec<String> {
                idx.iter().map(|&i| m.display[i].clone()).collect()
            };
            let mut detail = Vec::new();
            if d.partial {
                detail.push(partly.to_string());
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
                Decision::OutsideBoundary => {
                    detail.push(format!("{then} outside the permissions boundary"))
                }
                _ => {}
            }
            let mut g = Grant {
                scope: kind,
                source: origin.source.clone(),
                effect: match st.effect {
                    Effect::Allow => "Allow".into(),
                    Effect::Deny => "Deny".into(),
                },
                actions: pick(&st.actions, &d.actions),
                not_actions: st.actions.negated,
                resources: if kind == ScopeKind::Trust {
                    Vec::new()
                } else {
                    pick(&st.resources, &d.resources)
                },
                not_resources: st.resources.negated && kind != ScopeKind::Trust,
                principals: if kind == ScopeKind::Trust {
                    pick(&st.principals, &d.principals)
                } else {
                    Vec::new()
                },
                conditions: st.condition_text.to_vec(),
                kind: None,
                detail: (!detail.is_empty()).then(|| detail.join("; ")),
            };
            if origin.sensitive {
                g.actions = vec![HIDDEN.into()];
                g.resources = if kind == ScopeKind::Trust {
                    Vec::new()
                } else {
                    vec![HIDDEN.into()]
                };
                g.principals = if kind == ScopeKind::Trust {
                    vec![HIDDEN.into()]
                } else {
                    Vec::new()
                };
                g.conditions = Vec::new();
                g.detail = Some("from a value marked sensitive; its content is not shown".into());
            }
            g
        })
        .collect()
}

/// A change that is not a statement (a managed policy not expanded, a boundary change).
pub fn special(scope: ScopeKind, source: &str, kind: &str, detail: String) -> Grant {
    Grant {
        scope,
        source: source.to_string(),
        effect: "Allow".into(),
        actions: Vec::new(),
        not_actions: false,
        resources: Vec::new(),
        not_resources: false,
        principals: Vec::new(),
        conditions: Vec::new(),
        kind: Some(kind.to_string()),
        detail: Some(detail),
    }
}
