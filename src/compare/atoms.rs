//! Atoms of one dimension: the distinct ways a string can relate to a set of patterns.
//!
//! Two strings that match exactly the same patterns are treated alike by every statement, so
//! one representative per realisable "signature" (set of matching patterns) is enough to decide
//! containment exactly. The search runs all pattern automata in lock-step, breadth first, so
//! each representative is a shortest string with its signature.

use super::Exhausted;
use crate::model::bits::Bits;
use crate::model::pattern::Glob;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

/// One realisable signature and a string that has it.
#[derive(Debug, Clone)]
pub struct Atom {
    /// Patterns (by index) that match `witness`.
    pub sig: Bits,
    pub witness: String,
}

/// Characters tried for "anything the patterns do not mention", in order of preference, then
/// private-use characters. None has a case, so the representative of an atom over lower-cased
/// text (actions, case-insensitive condition values) is itself lower-case.
const OTHER_CANDIDATES: &str = "xzqjkvw0123456789_-";

/// Bounds on one search. Beyond either, the caller must report the scope as unverifiable,
/// never as safe.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Distinct product states.
    pub states: usize,
    /// Automaton steps, the unit of work: one per word of a pattern's state set (one word up
    /// to 63 tokens), so a long pattern costs what it takes.
    pub steps: usize,
}

/// The live patterns of a product state and their state sets, flattened into one buffer:
/// pattern `ids[k]` owns the next `width` words of `words`. Two allocations per state instead
/// of one per pattern.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Product {
    ids: Vec<u32>,
    words: Vec<u64>,
}

impl Product {
    fn sets<'a>(&'a self, globs: &'a [Glob]) -> impl Iterator<Item = (usize, &'a [u64])> + 'a {
        let mut off = 0;
        self.ids.iter().map(move |&id| {
            let w = globs[id as usize].width();
            let set = &self.words[off..off + w];
            off += w;
            (id as usize, set)
        })
    }
}

/// FxHash: product states are made by privdiff's own automata, not chosen by the input, and
/// SipHash's protection costs a tenth of the search.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxSet<T> = HashSet<T, BuildHasherDefault<Fx>>;

/// Computes every realisable signature over `globs`, with the automaton steps it took.
pub fn atoms(globs: &[Glob], budget: Budget) -> Result<(Vec<Atom>, usize), Exhausted> {
    let mentioned: BTreeSet<char> = globs.iter().flat_map(|g| g.literal_chars()).collect();
    let other = OTHER_CANDIDATES
        .chars()
        .chain('\u{e000}'..='\u{f8ff}')
        .find(|c| !mentioned.contains(c))
        .unwrap_or('\u{10ffff}');
    let widest = globs.iter().map(Glob::width).max().unwrap_or(1);

    let mut start = Product {
        ids: (0..globs.len() as u32).collect(),
        words: Vec::new(),
    };
    for g in globs {
        let at = start.words.len();
        start.words.resize(at + g.width(), 0);
        g.start_into(&mut start.words[at..]);
    }
    let mut seen_states: FxSet<Product> = FxSet::default();
    let mut seen_sigs: FxSet<Bits> = FxSet::default();
    let mut out = Vec::new();
    let mut queue: VecDeque<(Product, String)> = VecDeque::new();
    seen_states.insert(start.clone());
    queue.push_back((start, String::new()));
    let mut steps = 0usize;
    let mut scratch = vec![0u64; widest];

    while let Some((state, text)) = queue.pop_front() {
        let mut sig = Bits::with_len(globs.len());
        for (id, set) in state.sets(globs) {
            if globs[id].accepts(set) {
                sig.set(id);
            }
        }
        if seen_sigs.insert(sig.clone()) {
            out.push(Atom {
                sig,
                witness: text.clone(),
            });
        }
        // Only characters some live pattern can consume literally lead anywhere new; every
        // other character behaves like `other`.
        let mut next_chars: BTreeSet<char> = state
            .sets(globs)
            .flat_map(|(id, set)| globs[id].literals_at(set))
            .collect();
        next_chars.insert(other);
        for c in next_chars {
            let mut next = Product {
                ids: Vec::with_capacity(state.ids.len()),
                words: Vec::with_capacity(state.words.len()),
            };
            for (id, set) in state.sets(globs) {
                let g = &globs[id];
                let dst = &mut scratch[..g.width()];
                if g.step_into(set, c, dst) {
                    next.ids.push(id as u32);
                    next.words.extend_from_slice(dst);
                }
            }
            // One step per word of state set, not per pattern: a pattern thousands of
            // characters long makes every step of it cost as much, and would otherwise fill
            // memory with wide state sets long before the budget noticed.
            steps += state.words.len();
            if steps > budget.steps {
                return Err(Exhausted);
            }
            if seen_states.contains(&next) {
                continue;
            }
            if seen_states.len() >= budget.states {
                return Err(Exhausted);
            }
            seen_states.insert(next.clone());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Ok((out, steps))
}

/// The signature of a given string (used to check that a readable candidate stands for an atom).
pub fn signature(globs: &[Glob], text: &str) -> Bits {
    let mut sig = Bits::with_len(globs.len());
    for (i, g) in globs.iter().enumerate() {
        if g.matches(text) {
            sig.set(i);
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIG: Budget = Budget {
        states: 10_000,
        steps: 1_000_000,
    };

    fn sigs(pats: &[&str]) -> Vec<(Vec<usize>, String)> {
        let globs: Vec<Glob> = pats.iter().map(|p| Glob::wildcard(p)).collect();
        let mut v: Vec<_> = atoms(&globs, BIG)
            .unwrap()
            .0
            .into_iter()
            .map(|a| (a.sig.ones().collect::<Vec<_>>(), a.witness))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn prefix_patterns() {
        let v = sigs(&["s3:get*", "s3:getobject"]);
        let just_sigs: Vec<_> = v.iter().map(|(s, _)| s.clone()).collect();
        assert_eq!(just_sigs, vec![vec![], vec![0], vec![0, 1]]);
        let (_, w) = v.iter().find(|(s, _)| s == &vec![0]).unwrap();
        assert!(w.starts_with("s3:get") && w != "s3:getobject");
    }

    #[test]
    fn disjoint_literals_never_share_an_atom() {
        let v = sigs(&["a", "b"]);
        assert!(v.iter().all(|(s, _)| s.len() <= 1));
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn budget_is_enforced() {
        let p = format!("{}b", "*a".repeat(30));
        let globs = vec![Glob::wildcard(&p), Glob::wildcard("*b*a*")];
        assert!(atoms(
            &globs,
            Budget {
                states: 5,
                steps: 1_000_000
            }
        )
        .is_err());
        assert!(atoms(
            &globs,
            Budget {
                states: 1_000_000,
                steps: 50
            }
        )
        .is_err());
    }
}
