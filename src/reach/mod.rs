//! Who can reach it: the principals that gain access to a role (its trust policy) or a resource
//! (its resource policy), each classified (public, foreign account, service...) with the
//! safeguards the change removes and a request from that principal as the example.
//!
//! This stage reads the comparison's additions and the scopes they came from; it never compares
//! scopes itself, and checks every example it builds with the direct evaluator.

mod classify;
mod oidc;
mod safeguards;

use crate::compare::evaluate;
use crate::model::{Decision, Effect, Request, Scope, Statement};
use crate::model::{Extracted, IdentityScopes};
use crate::model::{Grant, GrantKind, ScopeKind, Witness};
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

const HIDDEN: &str = "(sensitive)";

/// The reach entries of every subject, the most exposed first. Examples of trust and resource
/// grants are made more realistic on the way (a web-identity subject rather than an absent
/// one), which is why the reports are taken mutably.
pub fn entries(
    found: &Extracted,
    identities: &mut [IdentityReport],
    resources: &mut [IdentityReport],
    accounts: &Accounts,
) -> Vec<Reach> {
    let scopes: HashMap<&str, &IdentityScopes> = found
        .identities
        .iter()
        .chain(&found.resources)
        .map(|s| (s.address.as_str(), s))
        .collect();
    let mut out = Vec::new();
    for report in identities.iter_mut().chain(resources.iter_mut()) {
        let Some(sc) = scopes.get(report.address.as_str()) else {
            continue;
        };
        let before = report.witness.clone();
        // Each scope's pair is built once per subject, and only if a grant of it was added.
        let mut pairs: Vec<(ScopeKind, Option<(Scope, Scope)>)> = Vec::new();
        for g in report.added.iter_mut() {
            if !pairs.iter().any(|(k, _)| *k == g.scope) {
                pairs.push((g.scope, scopes_of(sc, g.scope)));
            }
            let Some((_, Some(pair))) = pairs.iter().find(|(k, _)| *k == g.scope) else {
                continue;
            };
            out.extend(for_grant(
                report.address.as_str(),
                report.kind,
                sc,
                pair,
                g,
                accounts,
            ));
        }
        // The identity's witness is its first addition's example; keep it in step.
        if before.is_some() {
            report.witness = report.added.iter().find_map(|g| g.example.clone());
        }
    }
    out.sort_by(|a, b| {
        (a.class, &a.subject, &a.principal).cmp(&(b.class, &b.subject, &b.principal))
    });
    out
}

/// The scopes (old, new) a grant of `kind` was compared in.
fn scopes_of(sc: &IdentityScopes, kind: ScopeKind) -> Option<(Scope, Scope)> {
    match kind {
        ScopeKind::Permissions => None,
        ScopeKind::Trust => Some((
            sc.before.trust.clone().unwrap_or_default(),
            sc.after.trust.clone().unwrap_or_default(),
        )),
        ScopeKind::Resource => Some((
            sc.before.resource_policy.clone().unwrap_or_default(),
            sc.after.resource_policy.clone().unwrap_or_default(),
        )),
    }
}

fn for_grant(
    subject: &str,
    subject_kind: &'static str,
    sc: &IdentityScopes,
    (old, new): &(Scope, Scope),
    g: &mut Grant,
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
    let principals = g.principals.clone();
    let mut out = Vec::new();
    for display in principals.iter() {
        let who = classify::classify(display, st, accounts);
        let arn = sc.after.arn.as_deref().or(sc.before.arn.as_deref());
        let service = (g.scope == ScopeKind::Resource)
            .then_some(sc.service.as_deref())
            .flatten();
        let example = example_for(display, st, g, (old, new), (arn, service));
        let concerns = concerns_for(display, st, g.scope, example.as_ref(), old);
        if let (Some(e), 1) = (&example, principals.len()) {
            g.example = Some(e.clone());
        }
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

/// A request from principal `display` that `new` allows and `old` does not: the grant's own
/// example with that principal, made more realistic where a web-identity claim is absent.
fn example_for(
    display: &str,
    st: &Statement,
    g: &Grant,
    (old, new): (&Scope, &Scope),
    (subject_arn, service): (Option<&str>, Option<&str>),
) -> Option<Witness> {
    let mut base = g.example.clone()?;
    // A redacted example (the subject has a sensitive document) stays redacted: anything
    // proved against the scopes would tell of the sensitive document.
    if base.action == HIDDEN {
        return None;
    }
    // `Resource: "*"` in a resource policy means the resource itself: show its ARN where the
    // action takes it.
    let cat = crate::catalog::aws::catalog();
    if let Some(arn) = subject_arn {
        if let Some(info) = cat.action(&base.action) {
            let mut w = base.clone();
            w.resource = arn.to_string();
            if w.resource != base.resource && cat.takes(&info, arn) && proves(&w, old, new) {
                base = w;
            }
        }
    }
    if let Some(w) = service_example(&base, service, (old, new), subject_arn) {
        base = w;
    }
    let base = &base;
    let mut candidates = Vec::new();
    if display == "*" || display == "AWS:*" {
        candidates.extend(base.principal.clone());
    }
    candidates.push(concrete(display));
    candidates.extend(base.principal.clone());
    for p in candidates {
        let mut w = base.clone();
        w.principal = Some(p);
        if !proves(&w, old, new) {
            continue;
        }
        if let Some(issuer) = display.strip_prefix("Federated:") {
            return Some(safeguards::dress(w, issuer, st, old, new));
        }
        return Some(w);
    }
    None
}

/// How many actions of the subject's service are tried for an example.
const SERVICE_TRIES: usize = 24;

/// The example as a request to the subject's own service, when it is not one already: a
/// resource policy that allows `*` is read through the actions its resource takes (an S3
/// endpoint policy through `s3:GetObject`, not `iam:PassRole`).
fn service_example(
    base: &Witness,
    service: Option<&str>,
    (old, new): (&Scope, &Scope),
    subject_arn: Option<&str>,
) -> Option<Witness> {
    let service = service?;
    let prefix = format!("{service}:");
    if base.action.to_ascii_lowercase().starts_with(&prefix) {
        return None;
    }
    let cat = crate::catalog::aws::catalog();
    let mut names: Vec<String> = crate::providers::aws::vocabulary::ACTIONS
        .iter()
        .filter(|a| a.starts_with(&prefix))
        .map(|a| a.to_string())
        .collect();
    names.extend(cat.matching(&format!("{prefix}*")).iter().map(|&id| {
        let a = cat.by_id(id);
        format!("{}:{}", a.service, a.name)
    }));
    names.into_iter().take(SERVICE_TRIES).find_map(|name| {
        let info = cat.action(&name)?;
        let resources = subject_arn
            .filter(|arn| cat.takes(&info, arn))
            .map(str::to_string)
            .into_iter()
            .chain(cat.example_resources(&info));
        let mut w = base.clone();
        w.action = name.clone();
        resources
            .map(|res| Witness {
                resource: res,
                ..w.clone()
            })
            .find(|w| proves(w, old, new))
            .or_else(|| {
                w.resource = base.resource.clone();
                proves(&w, old, new).then_some(w)
            })
    })
}

/// A concrete principal for a policy's principal value: an account's root, a service...
fn concrete(display: &str) -> String {
    if display == "*" || display == "AWS:*" {
        return "AWS:arn:aws:iam::999999999999:root".into();
    }
    match display.strip_prefix("AWS:") {
        Some(id) if crate::providers::aws::arn::is_account(id) => {
            format!("AWS:arn:aws:iam::{id}:root")
        }
        _ => display.to_string(),
    }
}

/// Whether `new` allows the witness and `old` does not.
pub fn proves(w: &Witness, old: &Scope, new: &Scope) -> bool {
    let r = request(w);
    evaluate(new, &r) == Decision::Allowed && evaluate(old, &r) != Decision::Allowed
}

/// The value of a context key, matched without regard to case as IAM does.
pub fn context_get<'w>(w: &'w Witness, key: &str) -> Option<&'w String> {
    w.context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Sets a context key, keeping the spelling already there.
pub fn context_set(w: &mut Witness, key: &str, value: String) {
    let existing = w
        .context
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .cloned();
    w.context
        .insert(existing.unwrap_or_else(|| key.to_string()), value);
}

pub fn request(w: &Witness) -> Request {
    Request {
        principal: w.principal.clone().unwrap_or_default(),
        action: w.action.clone(),
        resource: w.resource.clone(),
        context: w
            .context
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
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
