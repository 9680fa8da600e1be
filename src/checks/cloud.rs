//! The content rules for identities outside AWS: GCP members, Azure principals, Kubernetes
//! subjects.
//!
//! Their grants are Allow statements on named places (a project, a subscription, a namespace)
//! and everything under them, with no Deny and no wildcard resource names to reason about. So a
//! rule here is simpler than an AWS route: one of some permissions on a place of some kind, for
//! each part. The requests tried are the permissions of a part on the places the identity's own
//! statements name after the change (`projects/p`, `projects/p/example` for `projects/p/*`),
//! evaluated exactly against both sides.
//!
//! Where matters as much as what: owner of one more project is news even for an identity that
//! was owner of another. So a route is reported when every part holds after the change and at
//! least one part holds through a request the identity could not make before, not only when the
//! route did not hold anywhere before (as for AWS, where "any resource" is the place).

use super::{hit, Completed, Hit};
use crate::compare::evaluate;
use crate::model::IdentityScopes;
use crate::model::Severity;
use crate::model::{Clause, Decision, Effect, Request, Scope};
use crate::model::{ScopeKind, Verdict};
use crate::report::IdentityReport;
use crate::rules::Rule;

/// Which places a part's requests may name, by the resource pattern of the statement that
/// grants them (in matching form): `projects/p` but not `projects/p/*`.
pub type Place = fn(&str) -> bool;

/// Some permission of a list, on a place `at` accepts.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub permissions: &'static [&'static str],
    pub at: Place,
}

/// `permissions` on a place `at` accepts.
pub const fn part(permissions: &'static [&'static str], at: Place) -> Part {
    Part { permissions, at }
}

/// A route at its rule's severity.
pub const fn route(rule: &'static Rule, label: &'static str, parts: &'static [Part]) -> Route {
    Route {
        rule,
        label,
        severity: None,
        parts,
    }
}

/// `r` at another severity than its rule's.
pub const fn at(severity: Severity, r: Route) -> Route {
    Route {
        severity: Some(severity),
        ..r
    }
}

/// A combination that completes a rule for one cloud.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub rule: &'static Rule,
    /// What the identity can do through it, e.g. "change the IAM policy of a project".
    pub label: &'static str,
    /// Overrides the rule's severity.
    pub severity: Option<Severity>,
    pub parts: &'static [Part],
}

/// One cloud's rules: routes in order of precedence (within a rule, the first route that holds
/// is the one reported), and which identities are the public.
pub struct Table {
    pub provider: &'static str,
    /// A permission no role names: only a grant of every permission allows it.
    pub any: &'static str,
    /// A request's resource for a resource pattern: `projects/p/*` → `projects/p/example`.
    pub concrete: fn(&str) -> String,
    pub routes: &'static [Route],
    /// Whether a permission (as a witness names it) only reads.
    pub reads: fn(&str) -> bool,
    /// The identities that stand for everyone, and who that is ("anyone on the internet").
    pub public: &'static [(&'static str, &'static str)],
}

/// The tables, one per provider.
const TABLES: &[&Table] = &[
    &crate::providers::gcp::routes::TABLE,
    &crate::providers::azure::routes::TABLE,
    &crate::providers::kubernetes::routes::TABLE,
];

fn table(provider: &str) -> Option<&'static Table> {
    TABLES.iter().copied().find(|t| t.provider == provider)
}

/// Whether the plan may have completed a cloud rule for this identity.
pub fn worth_assessing(report: &IdentityReport) -> bool {
    table(report.provider).is_some()
        && !matches!(report.verdict, Verdict::Deleted | Verdict::Narrowed)
        && report
            .added
            .iter()
            .any(|g| g.scope == ScopeKind::Permissions)
}

/// Who the identity is when it stands for everyone (GCP's `allUsers`), and how grave its
/// gains are: critical, or high when its example (the most consequential permission it
/// gained) only reads.
pub fn public(report: &IdentityReport) -> Option<(&'static str, Severity)> {
    let t = table(report.provider)?;
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

/// The cloud rules this plan newly completes for `id`: at most one hit per rule. An identity
/// that became an administrator gets that hit alone, which says the rest.
pub fn assess(id: &IdentityScopes, report: &IdentityReport, admin: &Rule) -> Vec<Hit> {
    let Some(table) = table(id.provider).filter(|_| worth_assessing(report)) else {
        return Vec::new();
    };
    let before = id.before.exists.then_some(&id.before.permissions);
    let after = &id.after.permissions;
    let mut out: Vec<Hit> = Vec::new();
    for route in table.routes {
        if out.iter().any(|h| h.rule.code == route.rule.code) {
            continue;
        }
        let Some(tried) = holds(route, after, before, table.concrete) else {
            continue;
        };
        let requests: Vec<Request> = tried.iter().map(|t| t.request.clone()).collect();
        let completed = Completed {
            label: route.label,
            severity: route.severity.unwrap_or(route.rule.severity),
            configured: false,
        };
        let mut h = hit(id, report, route.rule, completed, &requests);
        // Requests are evaluated in matching form; examples show the places as written, and
        // "every permission" as the wildcard that grants it.
        if !crate::model::sensitive::hides_examples(id) {
            for (w, t) in h.requests.iter_mut().zip(&tried) {
                w.resource = t.shown.clone();
                if w.action == table.any {
                    w.action = "*".into();
                }
            }
        }
        if route.rule.code == admin.code {
            return vec![h];
        }
        out.push(h);
    }
    out
}

/// The Markdown section that documents `code`'s routes for GCP, Azure and Kubernetes, if it has
/// any: a table of what each route needs, from the same tables the analysis runs.
pub fn documentation(code: &str) -> Option<String> {
    let mut rows = Vec::new();
    for t in TABLES {
        for r in t.routes.iter().filter(|r| r.rule.code == code) {
            let parts: Vec<String> = r
                .parts
                .iter()
                .map(|p| {
                    let names: Vec<String> = p
                        .permissions
                        .iter()
                        .map(|n| {
                            if *n == t.any {
                                "`*`".into()
                            } else {
                                format!("`{n}`")
                            }
                        })
                        .collect();
                    names.join(" or ")
                })
                .collect();
            rows.push(format!(
                "| {} | {} | {} | {} |",
                t.provider,
                r.label,
                r.severity.unwrap_or(r.rule.severity),
                parts.join(", and ")
            ));
        }
    }
    if code == crate::rules::public_access::RULE.code {
        for t in TABLES {
            for (address, who) in t.public {
                rows.push(format!(
                    "| {} | gain permissions as `{address}`: {who} | critical (high when its example only reads) | any permission |",
                    t.provider
                ));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(format!(
        "## GCP, Azure and Kubernetes\n\nFor these identities the rule holds when every part of a route is allowed after the change, on a place the identity's own grants name, and one of them was not allowed there before: owner of one more project is news even for the owner of another. Within a rule, the first route that holds is reported.\n\n| Provider | The identity can now | Severity | Needs |\n| --- | --- | --- | --- |\n{}\n",
        rows.join("\n")
    ))
}

/// A request a part may be met by, and whether the identity could make it before.
pub struct Tried {
    request: Request,
    /// The request's resource as the policy spells it.
    shown: String,
    new: bool,
}

/// One request per part when every part holds after the change and one of them is new,
/// preferring new requests.
pub fn holds(
    route: &Route,
    after: &Scope,
    before: Option<&Scope>,
    concrete: fn(&str) -> String,
) -> Option<Vec<Tried>> {
    let mut out = Vec::new();
    for part in route.parts {
        let mut found: Option<Tried> = None;
        for t in candidates(part, after, concrete) {
            if evaluate(after, &t.request) != Decision::Allowed {
                continue;
            }
            let new = before.is_none_or(|b| evaluate(b, &t.request) != Decision::Allowed);
            let t = Tried { new, ..t };
            if t.new {
                found = Some(t);
                break;
            }
            found.get_or_insert(t);
        }
        out.push(found?);
    }
    out.iter().any(|t| t.new).then_some(out)
}

/// The requests for `part` on the places `scope`'s Allow statements name, each with the
/// statement's own opaque conditions holding (a conditional grant still grants).
fn candidates<'s>(
    part: &'s Part,
    scope: &'s Scope,
    concrete: fn(&str) -> String,
) -> impl Iterator<Item = Tried> + 's {
    part.permissions.iter().flat_map(move |p| {
        scope
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && !s.resources.negated)
            .flat_map(move |s| {
                let context: Vec<(String, String)> = s
                    .conditions
                    .iter()
                    .filter_map(|c| match c {
                        Clause::Opaque { text } => {
                            Some((format!("condition: {text}"), "holds".to_string()))
                        }
                        _ => None,
                    })
                    .collect();
                s.resources
                    .patterns
                    .iter()
                    .zip(s.resources.display.iter())
                    .filter(|(r, _)| (part.at)(r))
                    .map(move |(r, shown)| (concrete(r), concrete(shown)))
                    .map(move |(resource, shown)| Tried {
                        request: Request {
                            principal: String::new(),
                            action: p.to_string(),
                            resource,
                            context: context.clone(),
                        },
                        shown,
                        new: false,
                    })
            })
    })
}

/// A place a resource pattern covers: `projects/p/*` → `projects/p/example`.
pub fn concrete(pattern: &str) -> String {
    pattern.replace('*', "example").replace('?', "x")
}

/// Places of any kind.
pub fn anywhere(_: &str) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Match, Statement};

    fn allow(actions: &[&str], resources: &[&str], condition: Option<&str>) -> Statement {
        let pairs = |v: &[&str]| {
            v.iter()
                .map(|s| (s.to_lowercase(), s.to_string()))
                .collect()
        };
        let conditions: Vec<Clause> = condition
            .map(|t| Clause::Opaque { text: t.into() })
            .into_iter()
            .collect();
        Statement {
            effect: Effect::Allow,
            principals: Match::any(),
            actions: Match::new(false, pairs(actions)),
            resources: Match::new(
                false,
                resources
                    .iter()
                    .map(|r| (r.to_string(), r.to_string()))
                    .collect(),
            ),
            conditions: conditions.into(),
            condition_text: Vec::new().into(),
            origin: 0,
            except: None,
        }
    }

    fn scope(statements: Vec<Statement>) -> Scope {
        Scope {
            statements,
            boundary: None,
        }
    }

    const PROJECT: Place = |r| r.starts_with("projects/") && r.matches('/').count() == 1;

    const SET_POLICY: Route = Route {
        rule: &crate::rules::privilege_escalation::RULE,
        label: "change a project's IAM policy",
        severity: None,
        parts: &[Part {
            permissions: &["resourcemanager.projects.setIamPolicy"],
            at: PROJECT,
        }],
    };

    #[test]
    fn a_part_holds_on_a_place_the_statements_name() {
        let after = scope(vec![allow(
            &["resourcemanager.projects.setIamPolicy"],
            &["projects/p", "projects/p/*"],
            None,
        )]);
        let got = holds(&SET_POLICY, &after, None, concrete).unwrap();
        assert_eq!(got[0].request.resource, "projects/p");
        assert!(got[0].new);
        // On a resource under the project only, the place is not a project.
        let under = scope(vec![allow(
            &["resourcemanager.projects.setIamPolicy"],
            &["projects/p/secrets/s"],
            None,
        )]);
        assert!(holds(&SET_POLICY, &under, None, concrete).is_none());
    }

    #[test]
    fn the_same_power_on_another_place_is_news_and_on_the_same_place_is_not() {
        let on = |p: &str| {
            scope(vec![allow(
                &["resourcemanager.projects.*"],
                &[p, &format!("{p}/*")],
                None,
            )])
        };
        assert!(holds(
            &SET_POLICY,
            &on("projects/a"),
            Some(&on("projects/a")),
            concrete
        )
        .is_none());
        let got = holds(
            &SET_POLICY,
            &on("projects/b"),
            Some(&on("projects/a")),
            concrete,
        )
        .unwrap();
        assert_eq!(got[0].request.resource, "projects/b");
    }

    #[test]
    fn a_conditional_grant_still_grants_and_the_example_says_when() {
        let after = scope(vec![allow(
            &["*"],
            &["projects/p"],
            Some("request.time < timestamp(\"2030-01-01T00:00:00Z\")"),
        )]);
        let got = holds(&SET_POLICY, &after, None, concrete).unwrap();
        assert_eq!(got[0].request.context.len(), 1);
        // The same conditional grant before: nothing new.
        assert!(holds(&SET_POLICY, &after, Some(&after), concrete).is_none());
    }

    #[test]
    fn every_part_must_hold_and_one_must_be_new() {
        const TWO: Route = Route {
            rule: &crate::rules::passrole_compute::RULE,
            label: "act as a service account on new compute",
            severity: None,
            parts: &[
                Part {
                    permissions: &["iam.serviceAccounts.actAs"],
                    at: anywhere,
                },
                Part {
                    permissions: &["compute.instances.create"],
                    at: anywhere,
                },
            ],
        };
        let act = allow(&["iam.serviceAccounts.actAs"], &["projects/p"], None);
        let run = allow(&["compute.instances.create"], &["projects/p"], None);
        assert!(holds(&TWO, &scope(vec![act.clone()]), None, concrete).is_none());
        let both = scope(vec![act.clone(), run]);
        assert!(holds(&TWO, &both, Some(&scope(vec![act])), concrete).is_some());
        assert!(holds(&TWO, &both, Some(&both), concrete).is_none());
    }
}
