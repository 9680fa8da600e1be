//! Atoms of one dimension: the distinct ways a string can relate to a set of patterns.
//!
//! Two strings that match exactly the same patterns are treated alike by every statement, so
//! one representative per realisable "signature" (set of matching patterns) is enough to decide
//! containment exactly. The search runs all pattern automata in lock-step, breadth first, so
//! each representative is a shortest string with its signature.

use super::bits::Bits;
use super::glob::{Glob, States, Tok};
use super::Exhausted;
use std::collections::{BTreeSet, HashSet, VecDeque};

/// One realisable signature and a string that has it.
#[derive(Debug, Clone)]
pub struct Atom {
    /// Patterns (by index) that match `witness`.
    pub sig: Bits,
    pub witness: String,
}

/// Characters tried for "anything the patterns do not mention", in order of preference.
const OTHER_CANDIDATES: &str = "xzqjkvwXZQJKVW0123456789_-";

/// Computes every realisable signature over `globs`. `max_states` bounds the product states
/// visited; beyond it the caller must report the scope as unverifiable, never as safe.
pub fn atoms(globs: &[Glob], max_states: usize) -> Result<Vec<Atom>, Exhausted> {
    let mentioned: BTreeSet<char> = globs.iter().flat_map(|g| g.literal_chars()).collect();
    let other = OTHER_CANDIDATES
        .chars()
        .chain('\u{e000}'..='\u{f8ff}')
        .find(|c| !mentioned.contains(c))
        .unwrap_or('\u{10ffff}');

    type Product = Vec<(u32, States)>;
    let start: Product = globs
        .iter()
        .enumerate()
        .map(|(i, g)| (i as u32, g.start()))
        .collect();
    let mut seen_states: HashSet<Product> = HashSet::new();
    let mut seen_sigs: HashSet<Bits> = HashSet::new();
    let mut out = Vec::new();
    let mut queue: VecDeque<(Product, String)> = VecDeque::new();
    seen_states.insert(start.clone());
    queue.push_back((start, String::new()));

    while let Some((state, text)) = queue.pop_front() {
        let mut sig = Bits::with_len(globs.len());
        for (i, s) in &state {
            if globs[*i as usize].accepts(s) {
                sig.set(*i as usize);
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
        let mut next_chars: BTreeSet<char> = BTreeSet::new();
        for (i, s) in &state {
            let toks = globs[*i as usize].toks();
            for (pos, tok) in toks.iter().enumerate() {
                if let Tok::Lit(c) = tok {
                    if s.contains(pos) {
                        next_chars.insert(*c);
                    }
                }
            }
        }
        next_chars.insert(other);
        for c in next_chars {
            let next: Product = state
                .iter()
                .filter_map(|(i, s)| {
                    let n = globs[*i as usize].step(s, c);
                    (!n.is_empty()).then_some((*i, n))
                })
                .collect();
            if seen_states.contains(&next) {
                continue;
            }
            if seen_states.len() >= max_states {
                return Err(Exhausted);
            }
            seen_states.insert(next.clone());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Ok(out)
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

    fn sigs(pats: &[&str]) -> Vec<(Vec<usize>, String)> {
        let globs: Vec<Glob> = pats.iter().map(|p| Glob::wildcard(p)).collect();
        let mut v: Vec<_> = atoms(&globs, 10_000)
            .unwrap()
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
        assert!(atoms(&globs, 5).is_err());
    }
}
