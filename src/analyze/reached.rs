//! What an added grant reaches among the plan's own resources: "reaches 2 of the plan's S3
//! buckets: acme-payroll-exports, acme-customer-pii". A grant reaches a resource when one of its
//! actions is of the resource's service and one of its resource patterns matches the resource's
//! ARN, or (for buckets, tables and streams) something inside it. Conditions are not weighed:
//! the list is what the grant can reach, which is what a reviewer checks against intent.
//!
//! Each pattern is looked up by its literal prefix in the ARNs sorted per service, so a plan of
//! many resources costs a search per pattern, not a match per resource.

use crate::model::sensitive::HIDDEN;
use crate::model::usage::PlanResource;
use crate::model::{Effect, Glob, Grant, Provider, Reached, ScopeKind};
use crate::report::IdentityReport;
use std::collections::{BTreeMap, HashMap};

/// Services whose resources hold others named below their ARN (`bucket/key`,
/// `table/t/index/i`): a pattern that matches only something inside still reaches them.
const CONTAINERS: &[&str] = &["s3", "dynamodb", "kinesis"];

/// How many resources a plan's grants may be tried against one by one in all: a plan is written by anyone,
/// and thousands of patterns that each cover thousands of ARNs must not stall the analysis.
const BUDGET: usize = 1_000_000;

/// Sets `reaches` on the added permissions grants of every AWS subject that gains access.
/// Returns how many grants were left without one because the budget ran out.
pub fn assign<'r>(
    inventory: &[PlanResource],
    subjects: impl IntoIterator<Item = &'r mut IdentityReport>,
) -> usize {
    if inventory.is_empty() {
        return 0;
    }
    let index = Index::new(inventory);
    let mut marks = vec![false; inventory.len()];
    let mut budget = BUDGET;
    let mut left_out = 0;
    for s in subjects {
        if s.provider != Provider::Aws || !s.verdict.grants_new_access() {
            continue;
        }
        for g in s.added.iter_mut() {
            if budget == 0 {
                left_out += usize::from(g.scope == ScopeKind::Permissions);
                continue;
            }
            match index.reached(g, inventory, &mut marks, &mut budget) {
                Some(r) => g.reaches = r,
                None => left_out += 1,
            }
        }
    }
    left_out
}

/// The inventory's ARNs sorted per service, and each ARN's resources.
struct Index<'i> {
    by_service: BTreeMap<&'static str, Vec<(&'i str, usize)>>,
    by_arn: HashMap<&'i str, Vec<usize>>,
}

impl<'i> Index<'i> {
    fn new(inventory: &'i [PlanResource]) -> Index<'i> {
        let mut by_service: BTreeMap<&'static str, Vec<(&str, usize)>> = BTreeMap::new();
        let mut by_arn: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in inventory.iter().enumerate() {
            by_service
                .entry(r.service)
                .or_default()
                .push((r.arn.as_str(), i));
            by_arn.entry(r.arn.as_str()).or_default().push(i);
        }
        for list in by_service.values_mut() {
            list.sort_unstable();
        }
        Index { by_service, by_arn }
    }

    /// What `g` reaches (`Some(None)`: nothing), or `None` when `budget` ran out on the way.
    fn reached(
        &self,
        g: &Grant,
        inventory: &[PlanResource],
        marks: &mut [bool],
        budget: &mut usize,
    ) -> Option<Option<Reached>> {
        let statement = g.scope == ScopeKind::Permissions
            && g.effect == Effect::Allow
            && g.kind.is_none()
            && (!g.actions.is_empty() || g.not_actions);
        let hidden = |v: &[String]| v.iter().any(|p| p == HIDDEN);
        if !statement || hidden(&g.actions) || hidden(&g.resources) {
            return Some(None);
        }
        let globs: Vec<Glob> = g.resources.iter().map(|p| Glob::arn(p)).collect();
        let mut touched: Vec<usize> = Vec::new();
        let mut out_of_budget = false;
        for (service, list) in &self.by_service {
            if !acts_on(g, service) {
                continue;
            }
            let mut mark = |i: usize| {
                if !marks[i] {
                    marks[i] = true;
                    touched.push(i);
                }
            };
            // Each resource tried below costs one; a pattern's whole range is paid up front.
            let mut spend = |n: usize| match budget.checked_sub(n) {
                Some(left) => {
                    *budget = left;
                    true
                }
                None => {
                    *budget = 0;
                    false
                }
            };
            if g.not_resources {
                if !spend(list.len() * globs.len().max(1)) {
                    out_of_budget = true;
                    break;
                }
                for &(arn, i) in list {
                    if !globs.iter().any(|p| p.matches(arn)) {
                        mark(i);
                    }
                }
                continue;
            }
            let inside = CONTAINERS.contains(service);
            for (pattern, glob) in g.resources.iter().zip(&globs) {
                let literal = pattern
                    .find(['*', '?'])
                    .map_or(pattern.as_str(), |at| &pattern[..at]);
                // Every ARN that starts with the pattern's literal text: all of them match a
                // pattern that ends in its only wildcard.
                let all = pattern.len() == literal.len() + 1 && pattern.ends_with('*');
                let from = list.partition_point(|(arn, _)| *arn < literal);
                let range = list[from..].partition_point(|(a, _)| a.starts_with(literal));
                let candidates = &list[from..from + range];
                if all {
                    // Marking is a sixteenth of a try: cheap, but a plan may repeat a pattern.
                    if !spend(range / 16 + 1) {
                        out_of_budget = true;
                        break;
                    }
                    candidates.iter().for_each(|&(_, i)| mark(i));
                } else {
                    // A container may be tried twice: its ARN, then something inside it.
                    if !spend(range.max(1) * (1 + usize::from(inside))) {
                        out_of_budget = true;
                        break;
                    }
                    for &(arn, i) in candidates {
                        if glob.matches(arn) || inside && glob.matches_some_extension_of(arn, '/') {
                            mark(i);
                        }
                    }
                }
                // A container the pattern names something inside: its ARN is a prefix of the
                // pattern's literal text, cut at one of its first `/`s (a bucket's ARN has none,
                // a table's or a stream's one).
                if inside {
                    for (at, _) in literal.match_indices('/').take(2) {
                        let container = &literal[..at];
                        for &i in self.by_arn.get(container).into_iter().flatten() {
                            let r = &inventory[i];
                            if r.service == *service
                                && glob.matches_some_extension_of(container, '/')
                            {
                                mark(i);
                            }
                        }
                    }
                }
            }
            if out_of_budget {
                break;
            }
        }
        for &i in &touched {
            marks[i] = false;
        }
        if out_of_budget {
            return None;
        }
        if touched.is_empty() {
            return Some(None);
        }
        touched.sort_unstable();
        Some(Some(Reached {
            count: touched.len(),
            resources: touched
                .iter()
                .take(Reached::LISTED)
                .map(|&i| inventory[i].clone())
                .collect(),
        }))
    }
}

/// Whether some action the grant allows is of `service`.
fn acts_on(g: &Grant, service: &str) -> bool {
    let prefix = format!("{service}:");
    if g.not_actions {
        // Everything but the listed actions: only a pattern that takes out the whole service
        // leaves it untouched.
        return !g
            .actions
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .any(|p| p == "*" || p == format!("{prefix}*"));
    }
    if let Some(access) = g.access.as_ref().filter(|a| a.unknown.is_empty()) {
        return access.services.iter().any(|s| s == service);
    }
    g.actions
        .iter()
        .any(|p| Glob::action(&p.to_ascii_lowercase()).matches_some_extension_of(service, ':'))
}

#[cfg(test)]
mod tests;
