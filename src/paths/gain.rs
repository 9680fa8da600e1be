//! What an identity gains by becoming another: the target's grants that allow requests the
//! identity could not make before, by its own permissions or through any identity it could
//! already become.

use super::graph::Nodes;
use crate::compare::{compare, evaluate, Exhausted, Limits};
use crate::diff::{breadth, delta_grants, sample, Direction, SAMPLED};
use crate::model::sensitive::{hides_examples, redact_witness};
use crate::model::vocabulary::Vocabulary;
use crate::model::{Decision, Effect, Grant, IdentityScopes, Scope, ScopeKind, Statement};
use crate::plan::side::Side;

/// The grants `target`'s permissions after the change add to what `parts` allowed, broadest
/// first; empty when they add nothing. The parts are the identity and what it could become
/// before, each on the side before, the identity itself after the change (its own widening is
/// reported on its own), and the identities the path to `target` passes through, on the side
/// after (whatever `target` adds beyond them is gained by this path, the rest by theirs).
///
/// The parts' scopes are one scope when none has a Deny or a boundary (each caps only its own
/// identity, so they cannot be merged). Otherwise the comparison is against the identity's own
/// scope, and a grant stays only when its example is allowed by none of the others.
pub fn gained(
    nodes: &Nodes,
    parts: &[(usize, Side)],
    target: usize,
    words: &dyn Vocabulary,
    limits: &Limits,
) -> Result<Vec<Grant>, Exhausted> {
    let to = nodes.ids[target];
    let new = &to.after.permissions;
    let before: Vec<(&IdentityScopes, &Scope)> = parts
        .iter()
        .map(|&(n, side)| (nodes.ids[n], nodes.ids[n].side(side)))
        .filter(|(_, s)| s.exists)
        .map(|(id, s)| (id, &s.permissions))
        .collect();
    let plain = |s: &Scope| {
        s.boundary.is_none() && s.statements.iter().all(|st| st.effect == Effect::Allow)
    };
    let merged = before.len() <= 1 || before.iter().all(|(_, sc)| plain(sc));
    let used = if merged { &before[..] } else { &before[..1] };
    // The target's origins first, then each part's: the grants' details name the statement
    // that refused a request before, wherever it came from.
    let mut view = to.clone();
    let mut old = Scope::default();
    for (id, scope) in used {
        let offset = view.origins.len();
        view.origins.extend(id.origins.iter().cloned());
        let shifted = |sts: &[Statement]| -> Vec<Statement> {
            sts.iter()
                .map(|st| Statement {
                    origin: st.origin + offset,
                    ..st.clone()
                })
                .collect()
        };
        old.statements.extend(shifted(&scope.statements));
        if let (1, Some(b)) = (used.len(), &scope.boundary) {
            old.boundary = Some(shifted(b));
        }
    }
    // Nothing adds to an unconditional Allow of everything (no Deny, no boundary to cap it):
    // no comparison needed, however large the target's policies.
    let everything = old.boundary.is_none()
        && old.statements.iter().all(|st| st.effect == Effect::Allow)
        && old.statements.iter().any(|st| {
            allows_everything(st)
                && st.conditions.is_empty()
                && !st.principals.negated
                && st.principals.patterns.iter().any(|p| p == "*")
        });
    if everything {
        return Ok(Vec::new());
    }
    // Past the budget, a request found by sampling still proves a gain, whatever else the
    // path adds; without one the gain stays unknown.
    let (mut delta, sampled) = match compare(&old, new, limits, words) {
        Ok(delta) => (delta, false),
        Err(Exhausted) => match sample(&old, new, words) {
            found if found.statements.is_empty() => return Err(Exhausted),
            found => (found, true),
        },
    };
    if !merged {
        delta.statements.retain(|d| {
            before[1..]
                .iter()
                .all(|(_, sc)| evaluate(sc, &d.example) != Decision::Allowed)
        });
    }
    let mut grants = delta_grants(
        &view,
        ScopeKind::Permissions,
        (new, &old),
        &delta,
        Direction::Added,
        words,
    );
    if sampled {
        if grants.is_empty() {
            return Err(Exhausted);
        }
        for g in grants.iter_mut() {
            g.detail = Some(SAMPLED.into());
        }
    }
    if hides_examples(to) || before.iter().any(|(id, _)| hides_examples(id)) {
        for w in grants.iter_mut().filter_map(|g| g.example.as_mut()) {
            redact_witness(w);
        }
    }
    grants.sort_by_key(|g| std::cmp::Reverse(breadth(g)));
    Ok(grants)
}

/// Whether `id`'s permissions after the change have an Allow of every action on every resource
/// (by its own text, conditions aside): such targets are weighed first.
pub fn may_be_admin(id: &IdentityScopes) -> bool {
    id.after
        .permissions
        .statements
        .iter()
        .any(allows_everything)
}

/// An Allow of every action (`*`, `*:*`) on every resource, whatever its conditions.
fn allows_everything(st: &Statement) -> bool {
    st.effect == Effect::Allow
        && st.except.is_none()
        && !st.actions.negated
        && !st.resources.negated
        && st.actions.patterns.iter().any(|p| p == "*" || p == "*:*")
        && st.resources.patterns.iter().any(|p| p == "*")
}
