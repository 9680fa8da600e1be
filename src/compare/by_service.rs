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
mod memo {
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
mod tests {
    use super::*;
    use crate::compare::atoms::signature;
    use crate::compare::tests::Plain;
    use crate::providers::azure::vocabulary::Azure;

    const BIG: Budget = Budget {
        states: 1_000_000,
        steps: 100_000_000,
    };

    fn sigs(found: &[Atom]) -> Vec<Bits> {
        let mut s: Vec<Bits> = found.iter().map(|a| a.sig.clone()).collect();
        s.sort();
        s
    }

    /// Split by service, `texts` give the atoms of one search over all of them, and each
    /// representative really has its atom's signature.
    fn same_atoms_as_one_search(texts: &[&str], words: &dyn Vocabulary) {
        let globs: Vec<Glob> = texts.iter().map(|t| Glob::wildcard(t)).collect();
        let (split, _) = action_atoms(&globs, texts, BIG, words).unwrap();
        let (whole, _) = atoms(&globs, BIG).unwrap();
        assert_eq!(sigs(&split), sigs(&whole));
        for atom in &split {
            assert_eq!(
                signature(&globs, &atom.witness),
                atom.sig,
                "{}",
                atom.witness
            );
        }
    }

    #[test]
    fn the_same_atoms_as_one_search_over_every_pattern() {
        let texts = [
            "s3:get*",
            "s3:getobject",
            "s3:*",
            "iam:passrole",
            "iam:*",
            "*",
            "*:get*",
            "s3*:list*",
            "ec2:describe*",
            "ec2:?escribeinstances",
            "kms:*",
            "s3:get?bject",
        ];
        same_atoms_as_one_search(&texts, &Plain);
    }

    #[test]
    fn azure_resource_providers_are_searched_apart_with_the_same_atoms() {
        let texts = [
            "action:*",
            "action:*/read",
            "action:microsoft.authorization/*/write",
            "action:microsoft.authorization/roleassignments/write",
            "action:microsoft.compute/*",
            "action:microsoft.compute/virtualmachines/*",
            "action:microsoft.compute/*/delete",
            "action:microsoft.*/read",
            "action:microsoft.storage/storageaccounts/listkeys/action",
            "dataaction:microsoft.storage/*/read",
            "dataaction:*",
            "s3:get*",
        ];
        same_atoms_as_one_search(&texts, &Azure);
    }

    #[test]
    fn a_thousand_patterns_across_hundreds_of_services_stay_cheap() {
        let texts: Vec<String> = (0..300)
            .flat_map(|s| {
                ["get*", "list*", "describe*", "batchget*"].map(|p| format!("svc{s:03}:{p}"))
            })
            .chain(["*:get*".to_string()])
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let globs: Vec<Glob> = refs.iter().map(|t| Glob::wildcard(t)).collect();
        let budget = Budget {
            states: 100_000,
            steps: 5_000_000,
        };
        let (found, steps) = action_atoms(&globs, &refs, budget, &Plain).unwrap();
        assert!(steps < budget.steps);
        // Per service: get*, list*, describe*, batchget* and none; one "none" and one
        // `*:get*`-only atom for the services no pattern names.
        assert!(found.len() > 300 * 4, "{}", found.len());
    }

    #[test]
    fn gcp_permissions_split_by_service_with_the_same_atoms() {
        let texts = [
            "compute.instances.get",
            "compute.*",
            "storage.objects.get",
            "storage.objects.*",
            "*.get",
            "*",
            "*.setiampolicy",
            // A string's service ends at its first separator, whichever it is.
            "a.b:c",
            "a.*",
            "a:*",
            "s3:get*",
        ];
        same_atoms_as_one_search(&texts, &Plain);
    }

    #[test]
    fn a_complete_gcp_role_of_ten_thousand_permissions_fits_the_default_budget() {
        let texts: Vec<String> = (0..300)
            .flat_map(|s| (0..34).map(move |p| format!("service{s:03}.resource{p:02}.verb")))
            .chain(["*.get".to_string()])
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let globs: Vec<Glob> = refs.iter().map(|t| Glob::wildcard(t)).collect();
        let budget = Budget {
            states: 100_000,
            steps: 5_000_000,
        };
        let (found, _) = action_atoms(&globs, &refs, budget, &Plain).unwrap();
        assert!(found.len() > 300 * 34, "{}", found.len());
    }

    /// A second search of the same parts answers from the memo, and answers as the search
    /// would: the same atoms and steps with room to spare, `Exhausted` with one step too few.
    #[test]
    fn remembered_parts_answer_as_the_search_would() {
        let texts = [
            "s3:get*",
            "s3:put*",
            "ec2:describe*",
            "iam:pass*",
            "*:get*",
            "*",
        ];
        let globs: Vec<Glob> = texts.iter().map(|t| Glob::wildcard(t)).collect();
        let (first, steps) = action_atoms(&globs, &texts, BIG, &Plain).unwrap();
        let (again, again_steps) = action_atoms(&globs, &texts, BIG, &Plain).unwrap();
        assert_eq!(sigs(&again), sigs(&first));
        assert_eq!(again_steps, steps);
        let exact = Budget { steps, ..BIG };
        assert!(action_atoms(&globs, &texts, exact, &Plain).is_ok());
        let short = Budget {
            steps: steps - 1,
            ..BIG
        };
        assert!(action_atoms(&globs, &texts, short, &Plain).is_err());
    }
}
