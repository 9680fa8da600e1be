//! Atoms of action patterns, one service at a time.
//!
//! An action is `service:name` (a GCP permission `service.resource.verb`), and a pattern whose
//! service part has no wildcard (`s3:Get*`, `compute.*`) can only match actions of that
//! service. So the actions of service `S` are told apart by
//! `S`'s patterns and the wildcard-service ones (`*`, `*:Get*`) alone, and the actions of every
//! service no pattern names by the wildcard-service ones alone. Searching each part separately
//! gives exactly the atoms of one search over all patterns, at the cost of many small searches
//! instead of one whose product automaton grows with every pattern: an AWS managed policy such
//! as ReadOnlyAccess names over a thousand patterns across hundreds of services.

use super::atoms::{atoms, Atom, Budget};
use crate::compare::Exhausted;
use crate::model::bits::Bits;
use crate::model::pattern::Glob;
use crate::model::vocabulary::Vocabulary;
use std::collections::{BTreeMap, HashMap};

/// Every realisable signature over the action patterns `texts` (compiled as `globs`), with
/// the automaton steps it took; the same atoms, up to order and representative, as
/// [`atoms`] over all of `globs` at once. `budget.steps` bounds the steps of all searches
/// together.
pub fn action_atoms(
    globs: &[Glob],
    texts: &[&str],
    budget: Budget,
    words: &dyn Vocabulary,
) -> Result<(Vec<Atom>, usize), Exhausted> {
    let mut services: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut wild = Vec::new();
    for (id, text) in texts.iter().enumerate() {
        match words.service_key(text) {
            Some(s) => services.entry(s).or_default().push(id),
            None => wild.push(id),
        }
    }
    if services.len() <= 1 {
        return atoms(globs, budget);
    }
    let mut steps = 0;
    let mut found: Vec<Atom> = Vec::new();
    let mut seen: HashMap<Bits, usize> = HashMap::new();
    let mut search = |ids: &[usize], guards: Vec<Glob>, keep: &dyn Fn(&Bits) -> bool| {
        let mut local: Vec<Glob> = ids.iter().map(|&i| globs[i].clone()).collect();
        local.extend(guards);
        let left = Budget {
            states: budget.states,
            steps: budget.steps.saturating_sub(steps),
        };
        let (part, used) = memo::atoms(local, left)?;
        steps += used;
        for atom in part.iter().filter(|a| keep(&a.sig)) {
            let mut sig = Bits::with_len(globs.len());
            for k in atom.sig.ones().filter(|&k| k < ids.len()) {
                sig.set(ids[k]);
            }
            // Several parts hold actions no pattern matches, say: one atom is enough.
            if !seen.contains_key(&sig) {
                seen.insert(sig.clone(), found.len());
                found.push(Atom {
                    sig,
                    witness: atom.witness.clone(),
                });
            }
        }
        Ok::<(), Exhausted>(())
    };
    for (service, ids) in &services {
        let mut part = ids.clone();
        part.extend(&wild);
        // The guard `S:*` (the key and `*`) marks the actions of this service, the only ones
        // kept from this part.
        let guard = part.len();
        search(
            &part,
            vec![Glob::wildcard(&format!("{service}*"))],
            &|sig| sig.has(guard),
        )?;
    }
    let guards: Vec<Glob> = services
        .keys()
        .map(|s| Glob::wildcard(&format!("{s}*")))
        .collect();
    let n = wild.len();
    search(&wild, guards, &|sig| sig.ones().all(|k| k < n))?;
    Ok((found, steps))
}

/// The atoms of one service's part, remembered for the rest of the run. Identities that share
/// a policy share most of their parts: every role with ReadOnlyAccess attached searches the same
/// few hundred services, which made each such identity cost ~10 ms. A search depends on its
/// patterns and on the budget alone, so a remembered one is answered as the search itself would
/// be, `Exhausted` included when what it cost exceeds what is left.
pub(super) mod memo {
    use super::{Atom, Budget, Exhausted, Glob};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;

    /// Parts remembered before the memo starts over, so that a plan of many distinct policies
    /// cannot grow it without bound.
    const CAPACITY: usize = 20_000;

    /// The state budget and the part's patterns.
    type Key = (usize, Vec<Glob>);
    /// The part's atoms and the steps their search took.
    type Found = (Rc<[Atom]>, usize);

    thread_local! {
        static PARTS: RefCell<HashMap<Key, Found>> = RefCell::default();
    }

    pub fn atoms(globs: Vec<Glob>, budget: Budget) -> Result<Found, Exhausted> {
        let key = (budget.states, globs);
        let known = PARTS.with(|m| m.borrow().get(&key).cloned());
        if let Some((found, used)) = known {
            return if used > budget.steps {
                Err(Exhausted)
            } else {
                Ok((found, used))
            };
        }
        let (found, used) = super::atoms(&key.1, budget)?;
        let found: Rc<[Atom]> = found.into();
        PARTS.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(key, (found.clone(), used));
        });
        Ok((found, used))
    }
}

#[cfg(test)]
mod tests;
