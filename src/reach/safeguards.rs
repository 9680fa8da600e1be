//! The safeguards of trust and resource policies: a pinned web-identity subject, an external
//! id, an organisation condition. Removed ones are found with the example itself: supplied with
//! the value the old policy required, the same request was allowed before.

use super::classify::{fixed, mentions};
use super::oidc::{self, Issuer};
use super::{context_get, context_set, proves};
use crate::compare::evaluate;
use crate::model::Witness;
use crate::model::{Clause, Decision, Effect, Scope, Statement};
use crate::report::{Concern, ConcernCode};

/// Keys whose removal is named: (key, code, what it protected against).
const REMOVABLE: &[(&str, ConcernCode, &str)] = &[
    (
        "sts:externalid",
        ConcernCode::ExternalIdRemoved,
        "sts:ExternalId is no longer required (the confused-deputy guard of a third-party role)",
    ),
    (
        "aws:principalorgid",
        ConcernCode::OrgConditionRemoved,
        "aws:PrincipalOrgID is no longer required: principals outside the organization are admitted",
    ),
    (
        "aws:principalorgpaths",
        ConcernCode::OrgConditionRemoved,
        "aws:PrincipalOrgPaths is no longer required: principals outside the organization unit are admitted",
    ),
];

/// Safeguards whose removal lets the example through: each key the example leaves absent (or
/// sets to another value) that some old Allow statement pinned, where the old policy allowed the
/// same request with the pinned value.
pub fn removed(w: &Witness, old: &Scope) -> Vec<Concern> {
    let mut out: Vec<Concern> = Vec::new();
    for (key, code, message) in REMOVABLE {
        if out.iter().any(|c| c.code == *code) {
            continue;
        }
        let pinned: Vec<&String> = old
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
            .flat_map(|s| s.conditions.iter())
            .filter_map(fixed)
            .filter(|(k, _)| k == key)
            .flat_map(|(_, values)| values)
            .collect();
        let current = context_get(w, key);
        let readmitted = pinned.iter().any(|v| {
            if current == Some(*v) {
                return false;
            }
            let mut with = w.clone();
            context_set(&mut with, key, v.to_string());
            evaluate(old, &super::request(&with)) == Decision::Allowed
        });
        if readmitted {
            out.push(Concern {
                code: *code,
                message: message.to_string(),
            });
        }
    }
    out
}

/// What an added web-identity statement lacks: a claim that pins the caller.
pub fn oidc(federated: &str, st: &Statement) -> Vec<Concern> {
    let Some((issuer, host)) = oidc::issuer_of(federated) else {
        return Vec::new();
    };
    if !allows_web_identity(st) {
        return Vec::new();
    }
    let key = format!("{host}:{}", issuer.claim);
    if !mentions(st, &key) {
        return vec![Concern {
            code: ConcernCode::OidcSubjectMissing,
            message: format!(
                "no condition on {host}:{}: any {} on {} can assume the role",
                issuer.claim, issuer.unit, issuer.name
            ),
        }];
    }
    let broad: Vec<String> = st
        .conditions
        .iter()
        .filter_map(|c| match c {
            Clause::Str {
                key: k,
                negated: false,
                values,
                ..
            }
            | Clause::Set {
                key: k,
                negated: false,
                values,
                ..
            } if *k == key => Some(values),
            _ => None,
        })
        .flatten()
        .filter_map(|v| oidc::broad(issuer, v).map(|why| format!("{v} admits {why}")))
        .collect();
    if broad.is_empty() {
        return Vec::new();
    }
    vec![Concern {
        code: ConcernCode::OidcSubjectBroad,
        message: format!("{host}:{}: {}", issuer.claim, broad.join("; ")),
    }]
}

fn allows_web_identity(st: &Statement) -> bool {
    st.covers_action("sts:assumerolewithwebidentity")
}

/// The example with realistic web-identity claims where the comparison left them absent or
/// generic: another caller's subject, the usual audience. Kept only if it still proves the
/// widening.
pub fn dress(w: Witness, federated: &str, st: &Statement, old: &Scope, new: &Scope) -> Witness {
    let Some((issuer, host)) = oidc::issuer_of(federated) else {
        return w;
    };
    let claim_key = format!("{host}:{}", issuer.claim);
    let mut out = w.clone();
    if let Some(value) = subject(issuer, &claim_key, st, &w, old, new) {
        context_set(&mut out, &claim_key, value);
    }
    if let Some(aud) = issuer.audience {
        let key = format!("{host}:aud");
        if context_get(&out, &key).is_some_and(|v| v == "(absent)") {
            let mut with = out.clone();
            context_set(&mut with, &key, aud.to_string());
            if proves(&with, old, new) {
                out = with;
            }
        }
    }
    out
}

/// Another caller's claim value that the new statement admits and the old scope refuses.
fn subject(
    issuer: &Issuer,
    key: &str,
    st: &Statement,
    w: &Witness,
    old: &Scope,
    new: &Scope,
) -> Option<String> {
    let mut candidates: Vec<String> = Vec::new();
    for c in st.conditions.iter() {
        if let Clause::Str {
            key: k,
            negated: false,
            values,
            ..
        } = c
        {
            if k == key {
                for v in values {
                    let g = crate::model::pattern::Glob::wildcard(v);
                    for fill in ["other:pull_request", "other", "x"] {
                        candidates.push(g.sample(fill, 'x'));
                    }
                }
            }
        }
    }
    candidates.push(issuer.stranger.to_string());
    let current = context_get(w, key);
    candidates
        .into_iter()
        .find(|v| {
            if current == Some(v) {
                return false;
            }
            let mut with = w.clone();
            context_set(&mut with, key, v.clone());
            proves(&with, old, new)
        })
        .or_else(|| current.filter(|v| *v != "(absent)").cloned())
}
