//! A request from one principal of a trust or resource policy: the comparison's example, made
//! to read like a request that principal would really make (its account's root, a service of
//! the resource's own, a web-identity token with a realistic subject and audience), and kept
//! only while it still proves the widening.

use super::oidc::Issuer;
use crate::compare::proves;
use crate::model::sensitive::HIDDEN;
use crate::model::{Clause, Glob, Scope, Statement, Witness};

/// A request from principal `display` that `new` allows and `old` does not: the grant's own
/// `example` with that principal, made more realistic where a web-identity claim is absent.
/// `subject_arn` and `service` are the ARN of the role or resource the policy is on and the
/// service of its requests, when known; `place` gives what a catalog format's placeholder reads
/// as in an example.
pub fn for_principal(
    example: &Witness,
    display: &str,
    st: &Statement,
    (old, new): (&Scope, &Scope),
    (subject_arn, service): (Option<&str>, Option<&str>),
    place: &dyn Fn(&str) -> String,
) -> Option<Witness> {
    let mut base = example.clone();
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
    if let Some(w) = service_example(&base, service, (old, new), subject_arn, place) {
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
            return Some(dress(w, issuer, st, old, new));
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
    place: &dyn Fn(&str) -> String,
) -> Option<Witness> {
    let service = service?;
    let prefix = format!("{service}:");
    if base.action.to_ascii_lowercase().starts_with(&prefix) {
        return None;
    }
    let cat = crate::catalog::aws::catalog();
    let mut names: Vec<String> = super::examples::ACTIONS
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
            .chain(cat.example_resources(&info, place));
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
        Some(id) if super::arn::is_account(id) => {
            format!("AWS:arn:aws:iam::{id}:root")
        }
        _ => display.to_string(),
    }
}

/// The example with realistic web-identity claims where the comparison left them absent or
/// generic: another caller's subject, the usual audience. Kept only if it still proves the
/// widening.
fn dress(w: Witness, federated: &str, st: &Statement, old: &Scope, new: &Scope) -> Witness {
    let Some((issuer, host)) = super::oidc::issuer_of(federated) else {
        return w;
    };
    let claim_key = format!("{host}:{}", issuer.claim);
    let mut out = w.clone();
    if let Some(value) = subject(issuer, &claim_key, st, &w, old, new) {
        out.set_context(&claim_key, value);
    }
    if let Some(aud) = issuer.audience {
        let key = format!("{host}:aud");
        if out.context_value(&key).is_some_and(|v| v == "(absent)") {
            let mut with = out.clone();
            with.set_context(&key, aud.to_string());
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
                    let g = Glob::wildcard(v);
                    for fill in ["other:pull_request", "other", "x"] {
                        candidates.push(g.sample(fill, 'x'));
                    }
                }
            }
        }
    }
    candidates.push(issuer.stranger.to_string());
    let current = w.context_value(key);
    candidates
        .into_iter()
        .find(|v| {
            if current == Some(v) {
                return false;
            }
            let mut with = w.clone();
            with.set_context(key, v.clone());
            proves(&with, old, new)
        })
        .or_else(|| current.filter(|v| *v != "(absent)").cloned())
}
