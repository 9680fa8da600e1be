//! What the plan newly lets an identity do that is dangerous in itself: escalate its own
//! privileges, hand itself credentials, read every secret, open resources to others, or hold
//! two duties that should stay apart.
//!
//! Each provider lists its routes (`providers/*/routes.rs`, in the model's terms: a route is a
//! combination of parts, each an action of a list on some resource, on *any* resource, or on a
//! place the identity's grants name). One engine judges them all, on the identity's whole
//! permission scope after the change, so a combination completed by this plan is found even when
//! each half comes from a different policy. A route is reported only when it is news, which
//! keeps privdiff quiet about what an identity could already do; the provider's table says what
//! news is ([`Novelty`]).

mod places;
mod probe;
mod sod;
#[cfg(test)]
mod tests;

pub use sod::Sod;

use crate::compare::{evaluate, Limits};
use crate::model::route::{Actions, Capability, Novelty, On, Route, Table};
use crate::model::sensitive::{hides_examples, redact_witness};
use crate::model::PlanNames;
use crate::model::{
    Boundary, Decision, IdentityScopes, Provider, Request, Scope, ScopeKind, Severity, SideScope,
    Statement, Verdict, Witness,
};
use crate::report::IdentityReport;
use probe::Probe;
use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A route as the analysis runs it: the tables' and the user's alike.
struct Combination {
    label: String,
    /// A `sod` block of the user's configuration.
    configured: bool,
    severity: Option<Severity>,
    parts: Vec<(Vec<String>, On)>,
}

/// The combinations that complete one capability, in order of precedence.
struct Group {
    completes: Capability,
    /// Every combination is a finding of its own (duties kept apart); otherwise the
    /// capability holds once, through its first combination.
    each: bool,
    combinations: Vec<Combination>,
}

/// The routes to check for one analysis: every provider's tables, plus the user's `sod` blocks
/// among AWS's separation of duties (they name IAM actions). A table's routes are read on first
/// use: some parts read a catalog, which a plan without that provider's identities never needs.
pub struct Checks {
    sod: Vec<Sod>,
    tables: Vec<(&'static Table, OnceCell<Vec<Group>>)>,
}

impl Checks {
    pub fn new(sod: &[Sod]) -> Checks {
        Checks {
            sod: sod.to_vec(),
            tables: Provider::ALL
                .into_iter()
                .map(|p| (crate::providers::routes(p), OnceCell::new()))
                .collect(),
        }
    }

    fn of(&self, provider: Provider) -> Option<(&'static Table, &[Group])> {
        let (table, groups) = self.tables.iter().find(|(t, _)| t.provider == provider)?;
        let groups = groups.get_or_init(|| {
            let mut groups = groups_of(table);
            if table.provider == Provider::Aws {
                add_configured(&mut groups, &self.sod);
            }
            groups
        });
        Some((table, groups))
    }
}

/// A table's routes grouped by capability, in the order each capability first appears.
fn groups_of(table: &Table) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for r in table.routes {
        let combination = combination(r);
        match out.iter_mut().find(|g| g.completes == r.completes) {
            Some(g) => g.combinations.push(combination),
            None => out.push(Group {
                completes: r.completes,
                each: table.separate.contains(&r.completes),
                combinations: vec![combination],
            }),
        }
    }
    out
}

/// A route of a table as the analysis runs it.
fn combination(r: &Route) -> Combination {
    Combination {
        label: r.label.to_string(),
        configured: false,
        severity: r.severity,
        parts: r
            .parts
            .iter()
            .map(|p| {
                let actions = match p.actions {
                    Actions::Listed(list) => list.iter().map(|a| a.to_string()).collect(),
                    Actions::Catalog(read) => read(),
                };
                (actions, p.on)
            })
            .collect(),
    }
}

/// The user's `sod` blocks, after the built-in duties.
fn add_configured(groups: &mut Vec<Group>, sod: &[Sod]) {
    let configured = sod.iter().map(|s| Combination {
        label: format!(
            "combine the duties that sod \"{}\" of the configuration keeps apart",
            s.name
        ),
        configured: true,
        severity: Some(s.severity),
        parts: s
            .actions
            .iter()
            .map(|group| (group.clone(), On::Some))
            .collect(),
    });
    let duties = Capability::SeparationOfDuties;
    match groups.iter_mut().find(|g| g.completes == duties) {
        Some(g) => g.combinations.extend(configured),
        None => groups.push(Group {
            completes: duties,
            each: true,
            combinations: configured.collect(),
        }),
    }
}

/// A capability the plan newly completes for one identity.
#[derive(Debug, Clone)]
pub struct Hit {
    pub completes: Capability,
    /// The route's own severity, when it overrides the rule's.
    pub severity: Option<Severity>,
    /// The route, e.g. "pass any role to a new EC2 instance".
    pub label: String,
    /// One allowed request per part of the route.
    pub requests: Vec<Witness>,
    /// The added grants (by source) that allow one of the requests: what completed it.
    pub grants: Vec<String>,
    /// From a `sod` block of the user's configuration.
    pub configured: bool,
}

/// Whether the plan may have completed a route for this identity: one that gained
/// permissions.
pub fn worth_assessing(report: &IdentityReport) -> bool {
    !matches!(report.verdict, Verdict::Deleted | Verdict::Narrowed)
        && report
            .added
            .iter()
            .any(|g| g.scope == ScopeKind::Permissions)
}

/// The capabilities this plan newly completes for `id`. An identity that is an administrator
/// (`admin`, or by a route of its provider) gets that alone, with the user's own
/// combinations: administrator access says the rest.
pub fn assess(
    id: &IdentityScopes,
    report: &IdentityReport,
    checks: &Checks,
    admin: bool,
    (accounts, names): (&BTreeSet<String>, &Arc<PlanNames>),
    limits: &Limits,
) -> Vec<Hit> {
    let Some((table, groups)) = checks.of(id.provider) else {
        return Vec::new();
    };
    if !worth_assessing(report) {
        return Vec::new();
    }
    let (own, account) = probe::own(id, accounts);
    let side = |s: &SideScope| Side {
        probe: Probe::new(usable(s), own.clone(), account.clone(), limits).in_plan(names),
        concrete: table.concrete,
    };
    let after = side(&id.after);
    let before = id.before.exists.then(|| side(&id.before));
    let mut admin = admin;
    let mut out = Vec::new();
    for group in groups {
        let wanted: Vec<&Combination> = group
            .combinations
            .iter()
            .filter(|c| c.configured || !admin)
            .collect();
        if group.each {
            for c in wanted {
                if let Some((c, found)) = news(table.novelty, &after, before.as_ref(), &[c]) {
                    out.push(hit(id, report, table, group.completes, c, found));
                }
            }
            continue;
        }
        if let Some((c, found)) = news(table.novelty, &after, before.as_ref(), &wanted) {
            out.push(hit(id, report, table, group.completes, c, found));
            admin |= group.completes == Capability::AdminEquivalent;
        }
    }
    if admin {
        out.retain(|h| h.configured || h.completes == Capability::AdminEquivalent);
    }
    out
}

/// Whether `id`'s permissions after the change complete its provider's administrator route
/// (`roles/owner` on a project, `cluster-admin`, `Owner`), news or not. AWS has no such route:
/// an Allow of `*` on `*` says it (`rules::admin_equivalent`).
pub fn administrator(
    id: &IdentityScopes,
    checks: &Checks,
    (accounts, names): (&BTreeSet<String>, &Arc<PlanNames>),
    limits: &Limits,
) -> bool {
    let Some((table, groups)) = checks.of(id.provider) else {
        return false;
    };
    let Some(group) = groups
        .iter()
        .find(|g| g.completes == Capability::AdminEquivalent)
    else {
        return false;
    };
    if !id.after.exists {
        return false;
    }
    let (own, account) = probe::own(id, accounts);
    let after = Side {
        probe: Probe::new(usable(&id.after), own, account, limits).in_plan(names),
        concrete: table.concrete,
    };
    group
        .combinations
        .iter()
        .any(|c| !c.configured && after.holds(c, Pick::First).is_some())
}

/// The capabilities an identity newly gains by becoming `target`: those `target`'s
/// permissions after the change complete and none of `had` completed, the scopes the identity
/// had without the path (its own, before and after the change, and those it could already
/// become), each of an identity on a side. Administrator access is the path's own finding.
pub fn through(
    target: &IdentityScopes,
    had: &[(&IdentityScopes, crate::plan::side::Side)],
    checks: &Checks,
    (accounts, names): (&BTreeSet<String>, &Arc<PlanNames>),
    limits: &Limits,
) -> Vec<Hit> {
    let Some((table, groups)) = checks.of(target.provider) else {
        return Vec::new();
    };
    let side = |id: &IdentityScopes, s: &SideScope| {
        let (own, account) = probe::own(id, accounts);
        Side {
            probe: Probe::new(usable(s), own, account, limits).in_plan(names),
            concrete: table.concrete,
        }
    };
    let after = side(target, &target.after);
    let before: Vec<Side> = had
        .iter()
        .map(|&(id, s)| (id, id.side(s)))
        .filter(|(_, s)| s.exists)
        .map(|(id, s)| side(id, s))
        .collect();
    let mut out = Vec::new();
    for group in groups {
        if group.completes == Capability::AdminEquivalent {
            continue;
        }
        let built_in: Vec<&Combination> = group
            .combinations
            .iter()
            .filter(|c| !c.configured)
            .collect();
        let sets: Vec<Vec<&Combination>> = match group.each {
            true => built_in.iter().map(|&c| vec![c]).collect(),
            false => vec![built_in],
        };
        for set in sets {
            let Some((c, found)) = set
                .iter()
                .find_map(|&c| after.holds(c, Pick::First).map(|f| (c, f)))
            else {
                continue;
            };
            let held = before
                .iter()
                .any(|b| set.iter().any(|c| b.holds(c, Pick::First).is_some()));
            if !held {
                out.push(gained_hit(target, table, group.completes, c, found));
            }
        }
    }
    out
}

/// A hit through a path: the requests `target` allows, and its grants that allow them.
fn gained_hit(
    target: &IdentityScopes,
    table: &Table,
    completes: Capability,
    c: &Combination,
    found: Vec<Found>,
) -> Hit {
    let mut grants: Vec<String> = Vec::new();
    for (_, st) in allowing(&target.after.permissions, &found) {
        let source = &target.origins[st.origin].source;
        if !grants.contains(source) {
            grants.push(source.clone());
        }
    }
    made(target, table, completes, c, &found, grants)
}

/// The first of `combinations` that holds after the change in a way that is news, with its
/// requests: as the table says, when none of them held before (the capability is new), or when
/// one of its requests was not allowed before.
fn news<'c>(
    novelty: Novelty,
    after: &Side,
    before: Option<&Side>,
    combinations: &[&'c Combination],
) -> Option<(&'c Combination, Vec<Found>)> {
    match novelty {
        Novelty::OfCapability => {
            let first = combinations
                .iter()
                .find_map(|&c| after.holds(c, Pick::First).map(|found| (c, found)))?;
            let held = before.is_some_and(|b| {
                combinations
                    .iter()
                    .any(|c| b.holds(c, Pick::First).is_some())
            });
            (!held).then_some(first)
        }
        Novelty::OfRequest => {
            let pick = Pick::New(before.map(|b| b.probe.scope()));
            combinations.iter().find_map(|&c| {
                let found = after.holds(c, pick)?;
                found.iter().any(|f| f.new).then_some((c, found))
            })
        }
    }
}

/// A request a part may be met by.
struct Found {
    request: Request,
    /// The request's resource as the policy spells it, when it was read off a statement.
    shown: Option<String>,
    /// The side before the change did not allow it.
    new: bool,
}

/// Which of the requests a side allows for a part is taken.
#[derive(Clone, Copy)]
enum Pick<'s> {
    /// The first.
    First,
    /// The first one the scope before the change did not allow (every one is new when the
    /// identity did not exist), else the first.
    New(Option<&'s Scope>),
}

/// One side of the change, asked which requests it allows for a part.
struct Side<'l> {
    /// Holds the side's scope, and searches it for a request on *some* or *any* resource.
    probe: Probe<'l>,
    concrete: fn(&str) -> String,
}

impl Side<'_> {
    /// One allowed request per part, when every part is allowed, each as `pick` says.
    fn holds(&self, c: &Combination, pick: Pick) -> Option<Vec<Found>> {
        c.parts
            .iter()
            .map(|(actions, on)| self.part(actions, *on, pick))
            .collect()
    }

    fn part(&self, actions: &[String], on: On, pick: Pick) -> Option<Found> {
        let scope = self.probe.scope();
        let mut candidates: Box<dyn Iterator<Item = Found>> = match on {
            On::At(place) => Box::new(
                places::candidates(actions, place, scope, self.concrete)
                    .filter(|f| evaluate(scope, &f.request) == Decision::Allowed),
            ),
            _ => Box::new(
                self.probe
                    .part(actions, on)
                    .map(|request| Found {
                        request,
                        shown: None,
                        new: false,
                    })
                    .into_iter(),
            ),
        };
        let Pick::New(before) = pick else {
            return candidates.next();
        };
        let mut first = None;
        for mut f in candidates {
            f.new = before.is_none_or(|b| evaluate(b, &f.request) != Decision::Allowed);
            if f.new {
                return Some(f);
            }
            first.get_or_insert(f);
        }
        first
    }
}

/// A hit for the requests found, with the added grants that allow them.
fn hit(
    id: &IdentityScopes,
    report: &IdentityReport,
    table: &Table,
    completes: Capability,
    c: &Combination,
    found: Vec<Found>,
) -> Hit {
    let mut grants: Vec<String> = Vec::new();
    for (i, _) in allowing(&id.after.permissions, &found) {
        for g in &report.added {
            if g.scope == ScopeKind::Permissions
                && g.statement == Some(i)
                && !grants.contains(&g.source)
            {
                grants.push(g.source.clone());
            }
        }
    }
    made(id, table, completes, c, &found, grants)
}

/// The statements of `scope` that allow one of the requests found on their own, with their
/// index, once per request.
fn allowing<'s>(
    scope: &'s Scope,
    found: &'s [Found],
) -> impl Iterator<Item = (usize, &'s Statement)> + 's {
    found.iter().flat_map(move |f| {
        scope.statements.iter().enumerate().filter(move |(_, st)| {
            let alone = Scope {
                statements: vec![(*st).clone()],
                boundary: None,
            };
            evaluate(&alone, &f.request) == Decision::Allowed
        })
    })
}

/// The hit of combination `c` of `id`, by the requests found and the grants behind them.
fn made(
    id: &IdentityScopes,
    table: &Table,
    completes: Capability,
    c: &Combination,
    found: &[Found],
    grants: Vec<String>,
) -> Hit {
    let hidden = hides_examples(id);
    Hit {
        completes,
        severity: c.severity,
        label: c.label.clone(),
        requests: found.iter().map(|f| shown(id, table, f, hidden)).collect(),
        grants,
        configured: c.configured,
    }
}

/// A found request as a witness of `id`'s permissions.
fn shown(id: &IdentityScopes, table: &Table, f: &Found, hidden: bool) -> Witness {
    let mut w = crate::diff::to_witness(id, ScopeKind::Permissions, &f.request);
    if hidden {
        redact_witness(&mut w);
        return w;
    }
    // Requests are evaluated in matching form; examples show the places as written, and
    // "every permission" as the wildcard that grants it.
    if let Some(shown) = &f.shown {
        w.resource = shown.clone();
    }
    if table.any == Some(w.action.as_str()) {
        w.action = "*".into();
    }
    w
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
