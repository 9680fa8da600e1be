//! What an added or removed grant means in real AWS actions: how many, at which access levels,
//! in which services, from the embedded catalog.

use crate::catalog::aws::{catalog, AccessLevel};
use crate::model::AccessSummary;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

/// The catalog actions a grant's action patterns match (for `NotAction`, those they leave
/// out), counted.
pub fn summary(actions: &[String], not_actions: bool) -> AccessSummary {
    // A plan repeats the same action lists (one policy attached to many identities, `*`), and
    // counting `*` visits every catalog action: each distinct list is counted once.
    type Memo = Mutex<HashMap<(bool, Vec<String>), AccessSummary>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let key = (not_actions, actions.to_vec());
    let memo = MEMO.get_or_init(Memo::default);
    if let Some(hit) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return hit.clone();
    }
    let counted = count(actions, not_actions);
    memo.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, counted.clone());
    counted
}

fn count(actions: &[String], not_actions: bool) -> AccessSummary {
    let cat = catalog();
    let mut ids: BTreeSet<u32> = BTreeSet::new();
    let mut unknown = Vec::new();
    for p in actions {
        let hit = cat.matching(p);
        if hit.is_empty() {
            unknown.push(p.clone());
        }
        ids.extend(hit.iter().copied());
    }
    let mut counts = Counts::default();
    for &id in &ids {
        counts.add(id, 1);
    }
    if not_actions {
        // Every catalog action but the excluded ones: the catalog's totals less theirs. Actions
        // the catalog does not know are left out too, whatever they are.
        let mut all = totals().clone();
        for (&rank, (_, n)) in &counts.levels {
            if let Some(level) = all.levels.get_mut(&rank) {
                level.1 -= n;
            }
        }
        for (service, n) in &counts.services {
            if let Some(total) = all.services.get_mut(service) {
                *total -= n;
            }
        }
        all.actions -= counts.actions;
        counts = all;
        unknown.clear();
    }
    counts.summary(unknown, Vec::new())
}

/// Actions named in a summary of exact actions: all of them up to this many; beyond it only
/// the Permissions management and Write ones, at most this many.
pub const NAMED: usize = 20;

/// Exactly these catalog actions (`ids`), counted and named (see [`NAMED`]), with the patterns
/// that add actions the catalog lacks.
pub fn exact(ids: &[u32], unknown: Vec<String>) -> AccessSummary {
    let cat = catalog();
    let mut counts = Counts::default();
    for &id in ids {
        counts.add(id, 1);
    }
    // Ids run in name order within a service; only the names shown are written out.
    let mut ranked: Vec<(u8, u32)> = ids.iter().map(|&id| (cat.effective_rank(id), id)).collect();
    ranked.sort_unstable();
    let weighty = |rank: u8| rank <= crate::catalog::aws::AccessLevel::Write.rank();
    let named = ranked
        .into_iter()
        .filter(|&(rank, _)| ids.len() <= NAMED || weighty(rank))
        .take(NAMED)
        .map(|(_, id)| {
            let a = cat.by_id(id);
            format!("{}:{}", a.service, a.name)
        })
        .collect();
    AccessSummary {
        exact: true,
        ..counts.summary(unknown, named)
    }
}

/// Actions counted by level (keyed by rank, most consequential first) and by service.
#[derive(Default, Clone)]
struct Counts {
    actions: usize,
    levels: BTreeMap<u8, (String, usize)>,
    services: BTreeMap<&'static str, usize>,
}

impl Counts {
    fn summary(self, unknown: Vec<String>, named: Vec<String>) -> AccessSummary {
        AccessSummary {
            actions: self.actions,
            levels: self.levels.into_values().filter(|(_, n)| *n > 0).collect(),
            services: self
                .services
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(s, _)| s.to_string())
                .collect(),
            unknown,
            exact: false,
            named,
        }
    }

    fn add(&mut self, id: u32, n: usize) {
        let cat = catalog();
        let rank = cat.effective_rank(id);
        self.actions += n;
        self.levels
            .entry(rank)
            .or_insert_with(|| (AccessLevel::from_rank(rank).label().to_string(), 0))
            .1 += n;
        *self.services.entry(cat.service_of(id)).or_default() += n;
    }
}

/// The whole catalog, counted once.
fn totals() -> &'static Counts {
    static TOTALS: OnceLock<Counts> = OnceLock::new();
    TOTALS.get_or_init(|| {
        let mut all = Counts::default();
        for id in 0..catalog().len() as u32 {
            all.add(id, 1);
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn a_pattern_covers_its_catalog_actions_and_names_unknown_ones() {
        let s = summary(&actions(&["s3:Get*", "newsvc:DoThing"]), false);
        assert_eq!(s.actions, catalog().matching("s3:Get*").len());
        assert_eq!(s.services, ["s3"]);
        assert_eq!(s.unknown, ["newsvc:DoThing"]);
        assert_eq!(s.levels.iter().map(|(_, n)| n).sum::<usize>(), s.actions);
    }

    #[test]
    fn not_action_covers_every_other_catalog_action() {
        let all = catalog().len();
        let iam = catalog().matching("iam:*").len();
        let s = summary(&actions(&["iam:*"]), true);
        assert_eq!(s.actions, all - iam);
        assert!(!s.services.contains(&"iam".to_string()));
        assert!(s.services.contains(&"s3".to_string()));
        assert_eq!(s.levels.iter().map(|(_, n)| n).sum::<usize>(), s.actions);
    }
}
