//! What an added or removed grant means in real AWS actions: how many, at which access levels,
//! in which services, from the embedded catalog.

use crate::catalog::aws::catalog;
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
    AccessSummary {
        actions: counts.actions,
        levels: counts
            .levels
            .into_values()
            .filter(|(_, n)| *n > 0)
            .collect(),
        services: counts
            .services
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, _)| s.to_string())
            .collect(),
        unknown,
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
    fn add(&mut self, id: u32, n: usize) {
        let a = catalog().by_id(id);
        let level = a.effective_level();
        self.actions += n;
        self.levels
            .entry(level.rank())
            .or_insert_with(|| (level.label().to_string(), 0))
            .1 += n;
        *self.services.entry(a.service).or_default() += n;
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
