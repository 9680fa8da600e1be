//! What every rule's findings share: a finding of a rule about a subject, and the plain-text
//! phrases its message is made of (renderers escape it).

use super::Rule;
use crate::model::{list, Effect, Grant, Provider, ScopeKind, Verdict, Witness};
use crate::report::{ConcernCode, Finding, IdentityReport, Reach};

/// A finding of `rule` about `subject`, pointing at the plan resource `address`.
pub fn finding(rule: &Rule, subject: &str, address: &str, message: String) -> Finding {
    Finding {
        code: rule.code,
        name: rule.name,
        severity: rule.severity,
        identity: subject.to_string(),
        address: address.to_string(),
        location: None,
        message,
        principal: None,
        concern: None,
        requests: Vec::new(),
        grants: Vec::new(),
        suppression: None,
        through: None,
    }
}

/// A finding of `rule` fired by the added grant `g` of `id`: it points at the resource that
/// brought the grant, and names the grant and its example request.
pub fn of_grant(rule: &Rule, id: &IdentityReport, g: &Grant, message: String) -> Finding {
    let mut f = finding(rule, &id.address, cause(id, g), message);
    f.grants = vec![g.source.clone()];
    f.requests = g.example.iter().cloned().collect();
    f
}

/// A grant a subject gained: the facts of the rules that report one.
pub struct Gained<'a> {
    pub subject: &'a IdentityReport,
    /// Who the subject is, when its address does not say it (`allUsers`: anyone on the
    /// internet).
    pub who: Option<&'a str>,
    pub grant: &'a Grant,
    /// A request the grant newly allows, as the rule words it.
    pub example: Option<String>,
}

impl Gained<'_> {
    /// `SUBJECT gained GRANT (e.g. EXAMPLE)`: a finding of `rule` fired by the grant.
    pub fn finding(self, rule: &Rule) -> Finding {
        let mut m = self.subject.address.clone();
        if let Some(who) = self.who {
            m.push_str(&format!(" ({who})"));
        }
        m.push_str(&format!(" gained {}", summary(self.grant)));
        if let Some(e) = self.example {
            m.push_str(&format!(" (e.g. {e})"));
        }
        of_grant(rule, self.subject, self.grant, m)
    }
}

/// A finding of `rule` about reach entry `r`: the principal it is about and, for a concern,
/// which; the entry's example as the request.
pub fn of_reach(rule: &Rule, r: &Reach, concern: Option<ConcernCode>, message: String) -> Finding {
    let address = r.addresses.first().unwrap_or(&r.subject);
    let mut f = finding(rule, &r.subject, address, message);
    f.principal = Some(r.principal.clone());
    f.concern = concern;
    f.requests = r.example.iter().cloned().collect();
    f
}

/// What a subject that widened (or may have) gained in `scope`, broadest first. Additions
/// privdiff could not expand are no proof of widening: `scope-unverifiable` names them.
pub fn gained(id: &IdentityReport, scope: ScopeKind) -> impl Iterator<Item = &Grant> {
    let widened = matches!(id.verdict, Verdict::Widened | Verdict::Unverifiable);
    id.added
        .iter()
        .filter(move |g| widened && g.scope == scope && !g.is_unexpanded())
}

/// Every action: `*`, or `*:*`.
pub fn every(action: &String) -> bool {
    action == "*" || action == "*:*"
}

/// A finding of `rule` on the broadest Allow the identity gained that `fires` (grants are
/// sorted broadest first); only additions count, so access an identity already had never
/// fires. These rules read AWS policy syntax (`*:*`, `s3:*`, `NotAction`); other clouds' broad
/// grants are judged by what they allow (see `crate::checks`).
pub fn broadest(rule: &Rule, id: &IdentityReport, fires: fn(&Grant) -> bool) -> Option<Finding> {
    if id.verdict == Verdict::Deleted || id.provider != Provider::Aws {
        return None;
    }
    let g = id.added.iter().find(|g| {
        g.scope == ScopeKind::Permissions
            && g.kind.is_none()
            && g.effect == Effect::Allow
            && fires(g)
    })?;
    let gained = Gained {
        subject: id,
        who: None,
        grant: g,
        example: None,
    };
    Some(gained.finding(rule))
}

/// `AWS:arn:… may s3:GetObject on arn:aws:s3:::b/* (e.g. …)`.
pub fn reach_summary(r: &Reach) -> String {
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

/// The resource a grant's change is declared in, else the identity.
pub fn cause<'a>(id: &'a IdentityReport, g: &'a Grant) -> &'a str {
    g.addresses.first().unwrap_or(&id.address)
}

/// A grant in one line, with its conditions.
pub fn summary(g: &Grant) -> String {
    let mut s = g.describe(3);
    if let Some(access) = g.access.as_ref().filter(|a| !a.exact) {
        s.push_str(&format!(" ({})", access.describe(3)));
    }
    // An exact grant that says how the conditions changed needs no second `when`.
    let exact = g.access.as_ref().is_some_and(|a| a.exact);
    if !g.conditions.is_empty() && (!exact || g.condition_change.is_empty()) {
        s.push_str(" when ");
        s.push_str(&g.conditions.join(" and "));
    }
    s
}

/// `s3:GetObject on arn:aws:s3:::b/k by AWS:…`.
pub fn request(w: &Witness) -> String {
    let mut s = format!("{} on {}", w.action, w.resource);
    if let Some(p) = &w.principal {
        s.push_str(&format!(" by {p}"));
    }
    s
}

/// `iam:PassRole on arn:… when iam:PassedToService=ec2.amazonaws.com`.
pub fn request_with_context(w: &Witness) -> String {
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
