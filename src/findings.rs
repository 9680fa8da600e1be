//! Findings: one per noteworthy identity change, with a stable code and a severity.
//!
//! These are the verdict-level findings; rule-based findings (escalation paths, exposure...)
//! build on the same report later.

use crate::report::{Finding, Grant, IdentityReport, ScopeKind, Verdict};

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
