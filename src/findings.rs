//! Findings: one per noteworthy change, each from a rule of [`crate::rules`] (its code, name and
//! severity), with a message about this plan.

use crate::model::{list, Grant, GrantKind, ScopeKind, Verdict, Witness};

use crate::checks::Hit;
use crate::model::Severity;
use crate::report::{ConcernCode, Finding, IdentityReport, PrincipalClass, Reach};
use crate::rules::{
    admin_equivalent, boundary_removed, federated_subject_unpinned, foreign_account_access,
    identity_created, notaction_allow, permissions_widened, public_access,
    public_access_block_disabled, resource_policy_widened, safeguard_missing, scope_unverifiable,
    service_wildcard, trust_widened, Rule,
};

fn finding(rule: &Rule, identity: &IdentityReport, address: &str, message: String) -> Finding {
    Finding {
        code: rule.code,
        name: rule.name,
        severity: rule.severity,
        identity: identity.address.clone(),
        address: address.to_string(),
        location: None,
        message,
        principal: None,
        concern: None,
        requests: Vec::new(),
        grants: Vec::new(),
        suppression: None,
    }
}

/// `f` with the added grant that fired it, and the grant's example request.
fn naming(mut f: Finding, g: &Grant) -> Finding {
    f.grants = vec![g.source.clone()];
    f.requests = g.example.iter().cloned().collect();
    f
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
            &identity_created::RULE,
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
                let f = finding(&permissions_widened::RULE, id, cause(id, g), m);
                out.push(naming(f, g));
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
                let f = finding(&resource_policy_widened::RULE, id, cause(id, g), m);
                out.push(naming(f, g));
            }
            if let Some(g) = by_scope(ScopeKind::Trust).next() {
                let mut m = format!("{} gained {}", id.address, summary(g));
                if let Some(p) = id.witness.as_ref().and_then(|w| w.principal.as_ref()) {
                    m.push_str(&format!(" (e.g. assumed by {p})"));
                }
                let f = finding(&trust_widened::RULE, id, cause(id, g), m);
                out.push(naming(f, g));
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
            // The notes say why (a rewritten condition, the analysis budget).
            match id.notes.first() {
                Some(note) => format!("the scope of {} could not be compared: {note}", id.address),
                None => format!("the scope of {} could not be compared", id.address),
            }
        } else {
            format!("the scope of {} {}", id.address, reasons.join("; "))
        };
        let address = match (id.unknown.first(), unexpanded.first()) {
            (Some(u), _) => &u.address,
            (None, Some(g)) => cause(id, g),
            // Known but not comparable (a rewritten condition): the grant that changed.
            (None, None) => id
                .added
                .first()
                .map_or(id.address.as_str(), |g| cause(id, g)),
        };
        out.push(finding(&scope_unverifiable::RULE, id, address, m));
    }
    // The broad-grant rules read AWS policy syntax (`*:*`, `s3:*`, `NotAction`); other clouds'
    // broad grants are judged by what they allow (see `risks::cloud`).
    if id.verdict != Verdict::Deleted && id.provider == crate::model::Provider::Aws {
        out.extend(broad_grants(id));
    }
    if let Some(g) = id
        .added
        .iter()
        .find(|g| g.kind == Some(GrantKind::BoundaryRemoved))
    {
        let f = finding(
            &boundary_removed::RULE,
            id,
            cause(id, g),
            format!(
                "{} lost its permissions boundary ({}): its policies alone now decide what it may do",
                id.address, g.source
            ),
        );
        out.push(naming(f, g));
    }
    out
}

/// The findings for the rules the plan newly completes for one identity (see
/// [`crate::checks`]): what it can now do, one example request per action, and the added grants
/// that completed it.
pub fn for_risks(id: &IdentityReport, hits: &[Hit]) -> Vec<Finding> {
    hits.iter()
        .map(|h| {
            let examples: Vec<String> = h.requests.iter().map(request_with_context).collect();
            let mut m = format!(
                "{} can now {}: {}",
                id.address,
                h.label,
                examples.join(" with ")
            );
            if !h.grants.is_empty() {
                m.push_str(&format!(" (added by {})", list(&h.grants, 3)));
            }
            let address = h
                .grants
                .iter()
                .find_map(|src| {
                    id.added
                        .iter()
                        .find(|g| &g.source == src)
                        .map(|g| cause(id, g))
                })
                .unwrap_or(&id.address);
            let rule = crate::rules::completing(h.completes);
            let mut f = finding(rule, id, address, m);
            f.severity = h.severity.unwrap_or(rule.severity);
            f.requests = h.requests.clone();
            f.grants = h.grants.clone();
            f
        })
        .collect()
}

/// Who the identity is when it stands for everyone (GCP's `allUsers`), and how grave its
/// gains are: critical, or high when its example (the most consequential permission it
/// gained) only reads.
pub fn public_member(report: &IdentityReport) -> Option<(&'static str, Severity)> {
    let t = crate::providers::routes(report.provider);
    // An address may carry a prefix naming its cluster (`kubernetes.prod/User:…`).
    let (_, who) = t
        .public
        .iter()
        .find(|(a, _)| report.address == *a || report.address.ends_with(&format!("/{a}")))?;
    let reads = report
        .witness
        .as_ref()
        .is_some_and(|w| w.scope == ScopeKind::Permissions && (t.reads)(&w.action));
    Some((
        who,
        if reads {
            Severity::High
        } else {
            Severity::Critical
        },
    ))
}

/// The finding for an identity that stands for everyone (GCP's `allUsers`) and gained
/// permissions: `who` says who that is.
pub fn for_public(id: &IdentityReport, who: &str, severity: Severity) -> Option<Finding> {
    if !matches!(id.verdict, Verdict::Widened | Verdict::Unverifiable) {
        return None;
    }
    let g = id
        .added
        .iter()
        .find(|g| g.scope == ScopeKind::Permissions && !crate::diff::is_unexpanded(g))?;
    let mut m = format!("{} ({who}) gained {}", id.address, summary(g));
    if let Some(w) = id
        .witness
        .as_ref()
        .filter(|w| w.scope == ScopeKind::Permissions)
    {
        m.push_str(&format!(" (e.g. {})", request(w)));
    }
    let mut f = naming(finding(&public_access::RULE, id, cause(id, g), m), g);
    f.severity = severity;
    if let Some(w) = &id.witness {
        f.requests = vec![w.clone()];
    }
    Some(f)
}

/// `iam:PassRole on arn:… when iam:PassedToService=ec2.amazonaws.com`.
fn request_with_context(w: &Witness) -> String {
    let mut s = request(w);
    let set: Vec<String> = w
        .context
        .iter()
        .filter(|(_, v)| v.as_str() != "(absent)")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !set.is_empty() {
        s.push_str(&format!(" when {}", set.join(" and ")));
    }
    s
}

/// A rule and whether one added grant fires it.
type Check<'a> = (&'a Rule, &'a dyn Fn(&Grant) -> bool);

/// What the identity's added permissions are, rule by rule: administrator access, a
/// service-wide wildcard, an Allow with `NotAction`. One finding per rule, on the broadest grant
/// that fires it (grants are sorted broadest first); only additions count, so access an identity
/// already had never fires.
fn broad_grants(id: &IdentityReport) -> Vec<Finding> {
    let allows = id
        .added
        .iter()
        .filter(|g| g.scope == ScopeKind::Permissions && g.kind.is_none() && g.effect == "Allow");
    let every = |a: &String| a == "*" || a == "*:*";
    let mut out = Vec::new();
    let checks: [Check; 3] = [
        (&admin_equivalent::RULE, &|g: &Grant| {
            !g.not_actions
                && g.actions.iter().any(every)
                && !g.not_resources
                && g.resources.iter().any(|r| r == "*")
        }),
        (&service_wildcard::RULE, &|g: &Grant| {
            !g.not_actions && g.actions.iter().any(|a| a.ends_with(":*") && !every(a))
        }),
        (&notaction_allow::RULE, &|g: &Grant| g.not_actions),
    ];
    for (rule, fires) in checks {
        if let Some(g) = allows.clone().find(|g| fires(g)) {
            let m = format!("{} gained {}", id.address, summary(g));
            out.push(naming(finding(rule, id, cause(id, g), m), g));
        }
    }
    out
}

/// The findings for who can newly reach what: the principal's class (public, foreign account)
/// and each safeguard concern.
pub fn for_reach(reach: &[Reach]) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in reach {
        let address = r.addresses.first().unwrap_or(&r.subject).as_str();
        let make = |rule: &Rule, concern: Option<ConcernCode>, message: String| Finding {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            identity: r.subject.clone(),
            address: address.to_string(),
            location: None,
            message,
            principal: Some(r.principal.clone()),
            concern,
            requests: r.example.iter().cloned().collect(),
            grants: Vec::new(),
            suppression: None,
        };
        let pab = r
            .concerns
            .iter()
            .any(|c| c.code == ConcernCode::PublicAccessBlockDisabled);
        let what = reach_summary(r);
        match r.class {
            PrincipalClass::Public if !pab => out.push(make(
                &public_access::RULE,
                None,
                format!("{} is open to anyone: {what}", r.subject),
            )),
            PrincipalClass::ForeignAccount => out.push(make(
                &foreign_account_access::RULE,
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
            let rule = match c.code {
                ConcernCode::OidcSubjectMissing | ConcernCode::OidcSubjectBroad => {
                    &federated_subject_unpinned::RULE
                }
                ConcernCode::PublicAccessBlockDisabled => &public_access_block_disabled::RULE,
                ConcernCode::ExternalIdRemoved
                | ConcernCode::OrgConditionRemoved
                | ConcernCode::SourceConditionMissing => &safeguard_missing::RULE,
            };
            let mut f = make(rule, Some(c.code), format!("{}: {}", r.subject, c.message));
            // No check on the caller at all: anyone with an account on the issuer is in.
            if c.code == ConcernCode::OidcSubjectMissing {
                f.severity = Severity::Critical;
            }
            out.push(f);
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
