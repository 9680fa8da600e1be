//! Findings: one per noteworthy identity change, with a stable code and a severity.
//!
//! These are the verdict-level findings; rule-based findings (escalation paths, exposure...)
//! build on the same report later.

use crate::report::{
    list, Finding, Grant, IdentityReport, PrincipalClass, Reach, ScopeKind, Verdict, Witness,
};

/// Every finding kind: code, name, severity, one-sentence description.
pub const KINDS: &[(&str, &str, &str, &str)] = &[
    (
        "PD001",
        "permissions-widened",
        "medium",
        "The identity may perform requests it could not perform before.",
    ),
    (
        "PD002",
        "trust-widened",
        "medium",
        "More principals may assume the role than before.",
    ),
    (
        "PD003",
        "scope-unverifiable",
        "low",
        "A value that decides the identity's scope is known only after apply.",
    ),
    (
        "PD004",
        "identity-created",
        "info",
        "A new identity is created with the access listed.",
    ),
    (
        "PD005",
        "resource-policy-widened",
        "medium",
        "More principals may use the resource, or may do more with it, than before.",
    ),
    (
        "PD006",
        "public-access",
        "high",
        "Anyone (a public principal with no condition that pins it) may newly reach the role or resource.",
    ),
    (
        "PD007",
        "foreign-account-access",
        "high",
        "An AWS account that is neither the plan's own nor trusted may newly reach the role or resource.",
    ),
    (
        "PD008",
        "federated-subject-unpinned",
        "high",
        "A web-identity trust does not pin the caller: any repository, project or workspace on the issuer may assume the role.",
    ),
    (
        "PD009",
        "safeguard-missing",
        "medium",
        "A trust or resource policy safeguard was removed or is missing: sts:ExternalId, an organization condition, or a service's source condition.",
    ),
    (
        "PD010",
        "public-access-block-disabled",
        "high",
        "An S3 public access block setting was turned off or removed, so public policies and ACLs are no longer blocked.",
    ),
];

fn finding(kind: usize, identity: &IdentityReport, address: &str, message: String) -> Finding {
    let (code, name, severity, _) = KINDS[kind];
    Finding {
        code,
        name,
        severity,
        identity: identity.address.clone(),
        address: address.to_string(),
        location: None,
        message,
        principal: None,
        concern: None,
    }
}

/// The resource a grant's change is declared in, else the identity.
fn cause<'a>(id: &'a IdentityReport, g: &'a Grant) -> &'a str {
    g.addresses.first().unwrap_or(&id.address)
}

/// The findings for one identity's comparison.
pub fn for_identity(id: &IdentityReport) -> Vec<Finding> {
    let mut out = Vec::new();
    // Additions privdiff could not expand are no proof of widening; PD003 names them.
    let by_scope = |s: ScopeKind| {
        id.added
            .iter()
            .filter(move |g| g.scope == s && !crate::diff::is_unexpanded(g))
    };
    match id.verdict {
        Verdict::Created => out.push(finding(
            3,
            id,
            &id.address,
            format!("{} is created with {} grant(s)", id.address, id.added.len()),
        )),
        Verdict::Widened | Verdict::Unverifiable => {
            if let Some(g) = by_scope(ScopeKind::Permissions).next() {
                let mut m = format!("{} gained {}", id.address, summary(g));
                if let Some(w) = id
                    .witness
                    .as_ref()
                    .filter(|w| w.scope == ScopeKind::Permissions)
                {
                    m.push_str(&format!(" (e.g. {} on {})", w.action, w.resource));
                }
                out.push(finding(0, id, cause(id, g), m));
            }
            if let Some(g) = by_scope(ScopeKind::Resource).find(|g| g.kind.is_none()) {
                let mut m = format!("{} gained {}", id.address, summary(g));
                if let Some(w) = id
                    .witness
                    .as_ref()
                    .filter(|w| w.scope == ScopeKind::Resource)
                {
                    m.push_str(&format!(" (e.g. {})", request(w)));
                }
                out.push(finding(4, id, cause(id, g), m));
            }
            if let Some(g) = by_scope(ScopeKind::Trust).next() {
                let mut m = format!("{} gained {}", id.address, summary(g));
                if let Some(p) = id.witness.as_ref().and_then(|w| w.principal.as_ref()) {
                    m.push_str(&format!(" (e.g. assumed by {p})"));
                }
                out.push(finding(1, id, cause(id, g), m));
            }
        }
        _ => {}
    }
    if id.verdict == Verdict::Unverifiable {
        let unknown: Vec<String> = id
            .unknown
            .iter()
            .map(|u| format!("{} of {}", u.attribute, u.address))
            .collect();
        let unexpanded: Vec<&Grant> = id
            .added
            .iter()
            .filter(|g| crate::diff::is_unexpanded(g))
            .collect();
        let mut reasons = Vec::new();
        if !unknown.is_empty() {
            reasons.push(format!(
                "depends on values known only after apply: {}",
                unknown.join(", ")
            ));
        }
        if !unexpanded.is_empty() {
            let what: Vec<&str> = unexpanded.iter().map(|g| g.source.as_str()).collect();
            reasons.push(format!(
                "gained grants privdiff cannot expand: {}",
                what.join(", ")
            ));
        }
        let m = if reasons.is_empty() {
            format!("the scope of {} could not be compared", id.address)
        } else {
            format!("the scope of {} {}", id.address, reasons.join("; "))
        };
        let address = match (id.unknown.first(), unexpanded.first()) {
            (Some(u), _) => &u.address,
            (None, Some(g)) => cause(id, g),
            (None, None) => &id.address,
        };
        out.push(finding(2, id, address, m));
    }
    out
}

/// The findings for who can newly reach what: the principal's class (public, foreign account)
/// and each safeguard concern.
pub fn for_reach(reach: &[Reach]) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in reach {
        let address = r.addresses.first().unwrap_or(&r.subject).as_str();
        let make = |kind: usize, concern: Option<&'static str>, message: String| {
            let (code, name, severity, _) = KINDS[kind];
            Finding {
                code,
                name,
                severity,
                identity: r.subject.clone(),
                address: address.to_string(),
                location: None,
                message,
                principal: Some(r.principal.clone()),
                concern,
            }
        };
        let pab = r
            .concerns
            .iter()
            .any(|c| c.code == "public-access-block-disabled");
        let what = reach_summary(r);
        match r.class {
            PrincipalClass::Public if !pab => out.push(make(
                5,
                None,
                format!("{} is open to anyone: {what}", r.subject),
            )),
            PrincipalClass::ForeignAccount => out.push(make(
                6,
                None,
                format!(
                    "{} is open to {}: {what}",
                    r.subject,
                    match &r.account {
                        Some(a) => format!("account {a}"),
                        None => "a principal outside the plan's accounts".to_string(),
                    }
                ),
            )),
            _ => {}
        }
        for c in &r.concerns {
            let kind = match c.code {
                "oidc-subject-missing" | "oidc-subject-broad" => 7,
                "public-access-block-disabled" => 9,
                _ => 8,
            };
            out.push(make(
                kind,
                Some(c.code),
                format!("{}: {}", r.subject, c.message),
            ));
        }
    }
    out
}

/// `AWS:arn:… may s3:GetObject on arn:aws:s3:::b/* (e.g. …)`.
fn reach_summary(r: &Reach) -> String {
    let mut s = format!("{} may ", r.principal);
    if r.not_actions {
        s.push_str(&format!("do every action except {}", list(&r.actions, 3)));
    } else if r.actions.is_empty() {
        s.push_str("reach it once public policies and ACLs take effect");
    } else {
        s.push_str(&list(&r.actions, 3));
    }
    if !r.resources.is_empty() {
        s.push_str(&format!(" on {}", list(&r.resources, 3)));
    }
    if !r.conditions.is_empty() {
        s.push_str(&format!(" when {}", r.conditions.join(" and ")));
    }
    if let Some(w) = &r.example {
        s.push_str(&format!(" (e.g. {})", request(w)));
    }
    s
}

/// `s3:GetObject on arn:aws:s3:::b/k by AWS:…`.
fn request(w: &Witness) -> String {
    let mut s = format!("{} on {}", w.action, w.resource);
    if let Some(p) = &w.principal {
        s.push_str(&format!(" by {p}"));
    }
    s
}

/// A grant in one line, with its conditions.
fn summary(g: &Grant) -> String {
    let mut s = g.describe(3);
    if let Some(access) = &g.access {
        s.push_str(&format!(" ({})", access.describe(3)));
    }
    if !g.conditions.is_empty() {
        s.push_str(" when ");
        s.push_str(&g.conditions.join(" and "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::KINDS;

    #[test]
    fn codes_are_unique_and_documented() {
        let doc = include_str!("../docs/json-schema.md");
        for (i, (code, name, severity, _)) in KINDS.iter().enumerate() {
            assert!(KINDS[..i].iter().all(|k| k.0 != *code), "duplicate {code}");
            let row = format!("| `{code}` | `{name}` | {severity} |");
            assert!(doc.contains(&row), "docs/json-schema.md lacks {row}");
        }
    }

    #[test]
    fn every_severity_is_one_the_renderers_map() {
        // The SARIF, GitHub and GitLab renderers map these four; any other would fall to a
        // default there unnoticed.
        for (code, _, severity, _) in KINDS {
            assert!(
                ["high", "medium", "low", "info"].contains(severity),
                "{code}: {severity}"
            );
        }
    }
}
