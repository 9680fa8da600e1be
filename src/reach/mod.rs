//! Who can reach it: the principals that gain access to a role (its trust policy) or a resource
//! (its resource policy), each classified (public, foreign account, service...) with the
//! safeguards the change removes and a request from that principal as the example.
//!
//! This stage reads the comparison's additions (each principal's request is one of them) and
//! the policies they came from; it never compares scopes itself and changes nothing it reads.

mod classify;
mod safeguards;

use crate::model::sensitive::HIDDEN;
use crate::model::{
    Effect, Extracted, Grant, GrantKind, IdentityScopes, Scope, ScopeKind, Statement, Witness,
};
use crate::report::{Concern, ConcernCode, IdentityReport, PrincipalClass, Reach};
use std::collections::{BTreeSet, HashMap};

/// The accounts a principal can belong to, as far as the reviewer is concerned.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    /// The accounts the plan's own resources live in.
    pub own: BTreeSet<String>,
    /// Accounts the user trusts (`--trusted-account`).
    pub trusted: BTreeSet<String>,
}

impl Accounts {
    pub fn class_of(&self, account: &str) -> PrincipalClass {
        if self.own.contains(account) {
            PrincipalClass::OwnAccount
        } else if self.trusted.contains(account) {
            PrincipalClass::TrustedAccount
        } else {
            PrincipalClass::ForeignAccount
        }
    }
}

/// The reach entries of every subject, the most exposed first.
pub fn entries(
    found: &Extracted,
    identities: &[IdentityReport],
    resources: &[IdentityReport],
    accounts: &Accounts,
) -> Vec<Reach> {
    let scopes: HashMap<&str, &IdentityScopes> = found
        .identities
        .iter()
        .chain(&found.resources)
        .map(|s| (s.address.as_str(), s))
        .collect();
    let mut out = Vec::new();
    for report in identities.iter().chain(resources) {
        let Some(sc) = scopes.get(report.address.as_str()) else {
            continue;
        };
        for g in report.added.iter().filter(|g| g.scope.names_principals()) {
            out.extend(for_grant(&report.address, report.kind, sc, g, accounts));
        }
    }
    out.sort_by(|a, b| {
        (a.class, &a.subject, &a.principal).cmp(&(b.class, &b.subject, &b.principal))
    });
    out
}

/// The policies (old, new) a grant of `kind` was compared in: a trust or resource policy.
fn policies(sc: &IdentityScopes, kind: ScopeKind) -> (&Scope, &Scope) {
    const NONE: &Scope = &Scope {
        statements: Vec::new(),
        boundary: None,
    };
    let (old, new) = match kind {
        ScopeKind::Trust => (&sc.before.trust, &sc.after.trust),
        _ => (&sc.before.resource_policy, &sc.after.resource_policy),
    };
    (old.as_ref().unwrap_or(NONE), new.as_ref().unwrap_or(NONE))
}

fn for_grant(
    subject: &str,
    subject_kind: &'static str,
    sc: &IdentityScopes,
    g: &Grant,
    accounts: &Accounts,
) -> Vec<Reach> {
    let base = Reach {
        subject: subject.to_string(),
        subject_kind,
        scope: g.scope,
        principal: String::new(),
        class: PrincipalClass::Public,
        account: None,
        actions: g.actions.clone(),
        not_actions: g.not_actions,
        resources: if g.scope == ScopeKind::Resource {
            g.resources.clone()
        } else {
            Vec::new()
        },
        conditions: g.conditions.clone(),
        concerns: Vec::new(),
        addresses: g.addresses.clone(),
        example: None,
    };
    if g.kind == Some(GrantKind::PublicAccessBlockDisabled) {
        return vec![Reach {
            principal: "*".into(),
            concerns: vec![Concern {
                code: ConcernCode::PublicAccessBlockDisabled,
                message: g.detail.clone().unwrap_or_default(),
            }],
            ..base
        }];
    }
    let (old, new) = policies(sc, g.scope);
    let Some(st) = g.statement.and_then(|i| new.statements.get(i)) else {
        return Vec::new();
    };
    if st.effect != Effect::Allow {
        return Vec::new();
    }
    if st.principals.negated || sc.origins.get(st.origin).is_some_and(|o| o.sensitive) {
        // Everyone but the listed (`NotPrincipal`), or principals that may not be printed:
        // one entry, as exposed as the most exposed principal the statement can mean.
        let displays: Vec<&str> = if st.principals.negated {
            vec!["*"]
        } else {
            st.principals.display.iter().map(String::as_str).collect()
        };
        let class = displays
            .iter()
            .map(|d| classify::classify(d, st, accounts).class)
            .min()
            .unwrap_or(PrincipalClass::Public);
        let hidden = !st.principals.negated;
        return vec![Reach {
            principal: if hidden { HIDDEN.into() } else { "*".into() },
            class,
            example: if hidden { None } else { g.example.clone() },
            ..base
        }];
    }
    let mut out = Vec::new();
    for (i, display) in g.principals.iter().enumerate() {
        let who = classify::classify(display, st, accounts);
        // The request this principal would make, as the comparison wrote it down.
        let example = g.by_principal.get(i).cloned().flatten();
        let concerns = concerns_for(display, st, g.scope, example.as_ref(), old);
        out.push(Reach {
            principal: display.clone(),
            class: who.class,
            account: who.account,
            concerns,
            example,
            ..base.clone()
        });
    }
    out
}

fn concerns_for(
    display: &str,
    st: &Statement,
    scope: ScopeKind,
    example: Option<&Witness>,
    old: &Scope,
) -> Vec<Concern> {
    let mut out = Vec::new();
    if let Some(issuer) = display.strip_prefix("Federated:") {
        out.extend(safeguards::oidc(issuer, st));
    }
    if scope == ScopeKind::Resource && display.starts_with("Service:") {
        let pinned = classify::SOURCE_KEYS.iter().any(|k| {
            st.conditions
                .iter()
                .any(|c| classify::fixed(c).is_some_and(|(key, _)| key == *k))
        });
        if !pinned {
            out.push(Concern {
                code: ConcernCode::SourceConditionMissing,
                message: format!(
                    "{} may act for any account's resources: no aws:SourceArn or aws:SourceAccount condition",
                    &display["Service:".len()..]
                ),
            });
        }
    }
    if let Some(w) = example {
        out.extend(safeguards::removed(w, old));
    }
    out
}

#[cfg(test)]
mod tests;
