//! Direct evaluation of one request against a scope, pattern by pattern.
//!
//! Deliberately independent of the atom machinery in `compare.rs`: tests use it to check that
//! every witness the comparison reports really is allowed by the new scope and not the old.

use crate::model::{
    pattern as glob, values, Clause, Decision, Effect, Match, Request, Scope, Statement, Witness,
};

/// Whether `new` allows the witness and `old` does not: it proves a widening.
pub fn proves(w: &Witness, old: &Scope, new: &Scope) -> bool {
    let r = w.request();
    evaluate(new, &r) == Decision::Allowed && evaluate(old, &r) != Decision::Allowed
}

/// How `scope` treats `request` (context keys are matched case-insensitively; a key that is
/// missing or `(absent)` is absent; unmodelled clauses hold when the context says `holds`).
pub fn evaluate(scope: &Scope, request: &Request) -> Decision {
    let applies = |s: &&Statement| statement_applies(s, request);
    let all = scope
        .statements
        .iter()
        .chain(scope.boundary.iter().flatten());
    if let Some(d) = all.filter(applies).find(|s| s.effect == Effect::Deny) {
        return Decision::Denied { origin: d.origin };
    }
    if !scope
        .statements
        .iter()
        .filter(applies)
        .any(|s| s.effect == Effect::Allow)
    {
        return Decision::NotAllowed;
    }
    match &scope.boundary {
        Some(b) if !b.iter().filter(applies).any(|s| s.effect == Effect::Allow) => {
            Decision::OutsideBoundary
        }
        _ => Decision::Allowed,
    }
}

/// Why `scope` refuses a request that one of its Allow statements names: the clauses of those
/// statements that fail on the request's context (empty when no Allow statement names it, or
/// when one applies).
pub fn failing_clauses<'s>(
    scope: &'s Scope,
    request: &Request,
) -> Vec<(&'s Statement, &'s Clause)> {
    let named = |s: &&Statement| {
        s.effect == Effect::Allow
            && s.covers_action(&request.action.to_lowercase())
            && matches(&s.resources, &request.resource, glob::arn_matches)
            && matches(&s.principals, &request.principal, glob::wildcard_matches)
    };
    let mut out = Vec::new();
    for s in scope.statements.iter().filter(named) {
        let failing: Vec<&Clause> = s
            .conditions
            .iter()
            .filter(|c| !clause_holds(c, request))
            .collect();
        if failing.is_empty() {
            return Vec::new();
        }
        out.extend(failing.into_iter().map(|c| (s, c)));
    }
    out
}

fn matches(m: &Match, value: &str, pattern_matches: fn(&str, &str) -> bool) -> bool {
    m.patterns.iter().any(|p| pattern_matches(p, value)) != m.negated
}

/// Whether statement `s` matches `request`: its action, resource, principal and every
/// condition (whatever its effect).
pub fn statement_applies(s: &Statement, r: &Request) -> bool {
    s.covers_action(&r.action.to_lowercase())
        && matches(&s.resources, &r.resource, glob::arn_matches)
        && matches(&s.principals, &r.principal, glob::wildcard_matches)
        && s.conditions.iter().all(|c| clause_holds(c, r))
}

fn context<'r>(r: &'r Request, key: &str) -> Option<&'r str> {
    r.context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| *v != "(absent)")
}

fn clause_holds(c: &Clause, r: &Request) -> bool {
    match c {
        Clause::Str {
            key,
            syntax,
            fold,
            negated,
            if_exists,
            values,
        } => match context(r, key) {
            None => *if_exists || *negated,
            Some(v) => {
                let v = if *fold {
                    v.to_lowercase()
                } else {
                    v.to_string()
                };
                let v = v.as_str();
                let hit = values.iter().any(|p| syntax.compile(p).matches(v));
                hit != *negated
            }
        },
        Clause::Null { key, is_null } => context(r, key).is_none() == *is_null,
        Clause::Ip {
            key,
            negated,
            if_exists,
            ranges,
        } => match context(r, key) {
            None => *if_exists || *negated,
            Some(v) => {
                let hit = values::parse_ip(v)
                    .is_some_and(|(v6, a)| ranges.iter().any(|rg| rg.contains(v6, a)));
                hit != *negated
            }
        },
        Clause::Num {
            key,
            op,
            negated,
            if_exists,
            date,
            values: policy,
        } => match context(r, key) {
            None => *if_exists || *negated,
            Some(v) => {
                let x = if *date {
                    values::parse_date(v)
                } else {
                    values::parse_number(v)
                };
                let hit = x.is_some_and(|x| policy.iter().any(|p| op.holds(x, p.0)));
                hit != *negated
            }
        },
        Clause::Set {
            key,
            all,
            syntax,
            negated,
            if_exists,
            values,
        } => {
            // The request's set is written as a JSON array of strings.
            let set: Vec<String> = context(r, key)
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default();
            if set.is_empty() {
                return *all || *if_exists;
            }
            let element = |x: &String| {
                let hit = values.iter().any(|p| syntax.compile(p).matches(x));
                hit != *negated
            };
            if *all {
                set.iter().all(element)
            } else {
                set.iter().any(element)
            }
        }
        Clause::Opaque { text } => context(r, &format!("condition: {text}")) == Some("holds"),
    }
}
