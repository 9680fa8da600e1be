//! The safeguards of trust and resource policies: a pinned web-identity subject, an external
//! id, an organisation condition. Removed ones are found with the example itself: supplied with
//! the value the old policy required, the same request was allowed before.

use super::classify::{fixed, mentions};
use crate::compare::evaluate;
use crate::model::{Clause, Decision, Effect, Scope, Statement, Witness};
use crate::providers::aws::oidc;
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
        let current = w.context_value(key);
        let readmitted = pinned.iter().any(|v| {
            if current == Some(*v) {
                return false;
            }
            let mut with = w.clone();
            with.set_context(key, v.to_string());
            evaluate(old, &with.request()) == Decision::Allowed
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
