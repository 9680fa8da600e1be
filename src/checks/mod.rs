//! What the plan newly lets an identity do that is dangerous in itself: escalate its own
//! privileges, hand itself credentials, read every secret, open resources to others, or hold
//! two duties that should stay apart.
//!
//! Each rule is a set of routes; a route is a combination of parts, each an action (one of a
//! list) allowed on some resource, or on *any* resource. All of them are judged on the
//! identity's whole permission scope after the change, so a combination completed by this plan
//! is found even when each half comes from a different policy; and a rule is reported only
//! when it holds after the change and did not before, which keeps privdiff quiet about what an
//! identity could already do.

pub mod cloud;
mod probe;
#[cfg(test)]
mod tests;

use crate::analyze::Sod;
use crate::catalog::aws::{catalog, AccessLevel};
use crate::compare::{evaluate, Limits};
use crate::model::Severity;
use crate::model::{Boundary, IdentityScopes, SideScope};
use crate::model::{Decision, Request, Scope};
use crate::model::{ScopeKind, Verdict, Witness};
use crate::providers::aws::arn::is_account;
use crate::report::IdentityReport;
use crate::rules::{resource_exposure, Rule};
use probe::Probe;
use std::collections::BTreeSet;

/// Which resources of a part count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum On {
    /// At least one.
    Some,
    /// One whose name the policy does not single out: its pattern covers an arbitrary name
    /// (`*`, `arn:aws:iam::*:role/*`), not a fixed ARN or a prefix like `role/app-*`.
    Any,
    /// As [`On::Any`], or the identity itself (a role that may put a policy on itself).
    AnyOrSelf,
    /// As [`On::Any`], among resources of these types only: for an action whose request names
    /// several resources (`ssm:SendCommand` names a document and an instance), the one that
    /// says where the code runs.
    AnyOf(&'static [&'static str]),
}

/// Some action of `actions` (`service:Action`, wildcards allowed) on the resources `on` says.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub actions: &'static [&'static str],
    pub on: On,
}

/// A combination that completes a rule: every part, each on its own request.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// What the identity can do through it, e.g. "pass any role to a new EC2 instance".
    pub label: &'static str,
    /// Overrides the rule's severity (separation-of-duties combinations differ).
    pub severity: Option<Severity>,
    pub parts: &'static [Part],
}

/// A route as the analysis runs it: the tables' and the user's alike.
struct Combination {
    label: String,
    /// A `sod` block of the user's configuration.
    configured: bool,
    severity: Severity,
    parts: Vec<(Vec<String>, On)>,
}

/// One rule and the combinations that complete it. `each` makes every combination a finding
/// of its own (separate duties); otherwise the rule holds once, through its first route.
struct Check {
    rule: &'static Rule,
    each: bool,
    combinations: Vec<Combination>,
}

/// The rules to check for one analysis: the built-in tables plus the user's `sod` blocks.
pub struct Checks(Vec<Check>);

impl Checks {
    pub fn new(sod: &[Sod]) -> Checks {
        let own = |r: &Route, rule: &Rule| Combination {
            label: r.label.to_string(),
            configured: false,
            severity: r.severity.unwrap_or(rule.severity),
            parts: r
                .parts
                .iter()
                .map(|p| (p.actions.iter().map(|a| a.to_string()).collect(), p.on))
                .collect(),
        };
        let mut checks: Vec<Check> = crate::providers::aws::routes::ROUTES
            .iter()
            .map(|(rule, routes)| Check {
                rule,
                each: false,
                combinations: routes.iter().map(|r| own(r, rule)).collect(),
            })
            .collect();
        checks.push(Check {
            rule: &resource_exposure::RULE,
            each: false,
            combinations: vec![Combination {
                label: "change who may use any resource (a resource policy, ACL, grant or share)"
                    .into(),
                configured: false,
                severity: resource_exposure::RULE.severity,
                parts: vec![(permissions_management_outside_iam(), On::Any)],
            }],
        });
        let mut duties: Vec<Combination> = crate::providers::aws::routes::DUTIES
            .iter()
            .map(|r| own(r, crate::providers::aws::routes::DUTIES_RULE))
            .collect();
        duties.extend(sod.iter().map(|s| {
            Combination {
                label: format!(
                    "combine the duties that sod \"{}\" of the configuration keeps apart",
                    s.name
                ),
                configured: true,
                severity: s.severity,
                parts: s
                    .actions
                    .iter()
                    .map(|group| (group.clone(), On::Some))
                    .collect(),
            }
        }));
        checks.push(Check {
            rule: crate::providers::aws::routes::DUTIES_RULE,
            each: true,
            combinations: duties,
        });
        Checks(checks)
    }
}

/// Every action AWS classes as permissions management, outside IAM (whose writes
/// `privilege-escalation` covers route by route): resource policies, ACLs, grants, shares.
fn permissions_management_outside_iam() -> Vec<String> {
    // The ones that open data to other accounts or to everyone come first: the example names
    // the first one allowed.
    let mut out: Vec<String> = crate::providers::aws::routes::EXPOSING
        .iter()
        .map(|a| a.to_string())
        .collect();
    out.extend(
        catalog()
            .actions()
            .filter(|a| a.effective_level() == AccessLevel::PermissionsManagement)
            .filter(|a| !matches!(a.service, "iam" | "sts"))
            .map(|a| format!("{}:{}", a.service, a.name))
            .filter(|a| {
                !crate::providers::aws::routes::EXPOSING
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(a))
            }),
    );
    out
}

/// A rule the plan newly completes for one identity.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// The route, e.g. "pass any role to a new EC2 instance".
    pub label: String,
    /// One allowed request per part of the route.
    pub requests: Vec<Witness>,
    /// The added grants (by source) that allow one of the requests: what completed it.
    pub grants: Vec<String>,
    /// From a `sod` block of the user's configuration.
    pub configured: bool,
}

/// Whether the plan may have completed a rule for this identity: an AWS identity that gained
/// permissions.
pub fn worth_assessing(report: &IdentityReport) -> bool {
    // The routes are AWS actions.
    report.provider == "aws"
        && !matches!(report.verdict, Verdict::Deleted | Verdict::Narrowed)
        && report
            .added
            .iter()
            .any(|g| g.scope == ScopeKind::Permissions)
}

/// The rules this plan newly completes for `id`. With `only_configured`, only the user's own
/// combinations are checked (the identity became an administrator, which says the rest).
pub fn assess(
    id: &IdentityScopes,
    report: &IdentityReport,
    checks: &Checks,
    only_configured: bool,
    accounts: &BTreeSet<String>,
    limits: &Limits,
) -> Vec<Hit> {
    if !worth_assessing(report) {
        return Vec::new();
    }
    let own = own_arns(id);
    let account = own
        .first()
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|a| is_account(a))
        .map(str::to_string)
        .or_else(|| {
            (accounts.len() == 1)
                .then(|| accounts.iter().next().cloned())
                .flatten()
        });
    let probe = |side: &SideScope| Probe::new(usable(side), own.clone(), account.clone(), limits);
    let after = probe(&id.after);
    let before = id.before.exists.then(|| probe(&id.before));
    let before_holds =
        |parts: &[(Vec<String>, On)]| before.as_ref().is_some_and(|b| b.holds(parts).is_some());
    let mut out = Vec::new();
    for check in &checks.0 {
        if check.each {
            for c in check
                .combinations
                .iter()
                .filter(|c| c.configured || !only_configured)
            {
                if let Some(requests) = after.holds(&c.parts) {
                    if !before_holds(&c.parts) {
                        out.push(hit(id, report, check.rule, c.into(), &requests));
                    }
                }
            }
            continue;
        }
        if only_configured {
            continue;
        }
        let first = check
            .combinations
            .iter()
            .find_map(|c| after.holds(&c.parts).map(|r| (c, r)));
        // A rule the identity already met, by any route, is not news.
        if let Some((c, requests)) = first {
            if !check.combinations.iter().any(|o| before_holds(&o.parts)) {
                out.push(hit(id, report, check.rule, c.into(), &requests));
            }
        }
    }
    out
}

/// What a hit says about the route that completed it.
struct Completed<'c> {
    label: &'c str,
    severity: Severity,
    configured: bool,
}

impl<'c> From<&'c Combination> for Completed<'c> {
    fn from(c: &'c Combination) -> Completed<'c> {
        Completed {
            label: &c.label,
            severity: c.severity,
            configured: c.configured,
        }
    }
}

/// A hit for `requests`, with the added grants that allow them.
fn hit(
    id: &IdentityScopes,
    report: &IdentityReport,
    rule: &'static Rule,
    c: Completed,
    requests: &[Request],
) -> Hit {
    let scope = &id.after.permissions;
    let mut grants: Vec<String> = Vec::new();
    for r in requests {
        for (i, st) in scope.statements.iter().enumerate() {
            let alone = Scope {
                statements: vec![st.clone()],
                boundary: None,
            };
            if evaluate(&alone, r) != Decision::Allowed {
                continue;
            }
            for g in &report.added {
                if g.scope == ScopeKind::Permissions
                    && g.statement == Some(i)
                    && !grants.contains(&g.source)
                {
                    grants.push(g.source.clone());
                }
            }
        }
    }
    let hidden = crate::model::sensitive::hides_examples(id);
    let requests = requests
        .iter()
        .map(|r| {
            let mut w = crate::diff::to_witness(id, ScopeKind::Permissions, r);
            if hidden {
                crate::model::sensitive::redact_witness(&mut w);
            }
            w
        })
        .collect();
    Hit {
        rule,
        severity: c.severity,
        label: c.label.to_string(),
        requests,
        grants,
        configured: c.configured,
    }
}

/// The permissions of one side as they bind: a boundary privdiff cannot read is left out,
/// which can only make more combinations hold (never hide one after the change).
fn usable(side: &SideScope) -> Scope {
    let mut s = side.permissions.clone();
    if !matches!(side.boundary, Boundary::Document { .. }) {
        s.boundary = None;
    }
    s
}

/// Resource patterns that name the identity itself, for [`On::AnyOrSelf`].
fn own_arns(id: &IdentityScopes) -> Vec<String> {
    if let Some(arn) = id.after.arn.as_ref().or(id.before.arn.as_ref()) {
        return vec![arn.clone()];
    }
    let kind = match id.kind {
        crate::providers::aws::extract::ROLE => "role",
        crate::providers::aws::extract::USER => "user",
        _ => return Vec::new(),
    };
    match id.after.name.as_ref().or(id.before.name.as_ref()) {
        // Open fields end in `?` so that they stay inside their ARN segment (see `probe`).
        Some(name) if !name.contains(['*', '?', '$']) => vec![
            format!("arn:a*?:iam::????????????:{kind}/{name}"),
            format!("arn:a*?:iam::????????????:{kind}/*/{name}"),
        ],
        _ => Vec::new(),
    }
}
