//! What an added or removed grant means in real AWS actions: how many, at which access levels,
//! in which services, from the embedded catalog.

use crate::catalog::aws::catalog;
use crate::report::{AccessSummary, Grant, ScopeKind};
use crate::scope::glob::Glob;
use std::collections::{BTreeMap, BTreeSet};

/// The summary of a permissions grant's action patterns (the catalog actions they match, or
/// for `NotAction` those they leave out); `None` for trust grants, changes that are not
/// statements, and grants whose content is hidden.
pub fn summary(g: &Grant, hidden: bool) -> Option<AccessSummary> {
    if g.scope != ScopeKind::Permissions || g.kind.is_some() || hidden || g.actions.is_empty() {
        return None;
    }
    let cat = catalog();
    let mut ids: BTreeSet<u32> = BTreeSet::new();
    let mut unknown = Vec::new();
    for p in &g.actions {
        let hit = cat.matching(p);
        if hit.is_empty() {
            unknown.push(p.clone());
        }
        ids.extend(hit);
    }
    if g.not_actions {
        let globs: Vec<Glob> = g
            .actions
            .iter()
            .map(|p| Glob::wildcard(&p.to_lowercase()))
            .collect();
        ids = cat
            .matching("*")
            .into_iter()
            .filter(|&id| {
                let a = cat.by_id(id);
                let name = format!("{}:{}", a.service, a.name).to_lowercase();
                !globs.iter().any(|g| g.matches(&name))
            })
            .collect();
        // Actions the catalog does not know are left out too, whatever they are.
        unknown.clear();
    }
    let mut levels: BTreeMap<u8, (String, usize)> = BTreeMap::new();
    let mut services = BTreeSet::new();
    for &id in &ids {
        let a = cat.by_id(id);
        let level = a.effective_level();
        levels
            .entry(level.rank())
            .or_insert_with(|| (level.label().to_string(), 0))
            .1 += 1;
        services.insert(a.service.to_string());
    }
    Some(AccessSummary {
        actions: ids.len(),
        levels: levels.into_values().collect(),
        services: services.into_iter().collect(),
        unknown,
    })
}
