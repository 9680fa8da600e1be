//! A plain growable bitset: signatures of atoms and statement-to-atom membership.

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn with_len(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub fn set(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }

    pub fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The bits of `self` that are not in `other`.
    pub fn minus(mut self, other: &Bits) -> Bits {
        for (w, o) in self.0.iter_mut().zip(&other.0) {
            *w &= !o;
        }
        self
    }

    /// Adds the bits of `other` to `self`.
    pub fn union_with(&mut self, other: &Bits) {
        if other.0.len() > self.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (w, o) in self.0.iter_mut().zip(&other.0) {
            *w |= o;
        }
    }

    /// Indices of set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        ones_in(&self.0)
    }
}

/// Indices of the set bits of a word slice, ascending.
pub fn ones_in(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| {
        let mut word = word;
        std::iter::from_fn(move || {
            if word == 0 {
                return None;
            }
            let bit = word.trailing_zeros() as usize;
            word &= word - 1;
            Some(w * 64 + bit)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn set_has_ones() {
        let mut b = Bits::with_len(10);
        b.set(3);
        b.set(70);
        assert!(b.has(3) && b.has(70) && !b.has(4) && !b.has(1000));
        assert_eq!(b.ones().collect::<Vec<_>>(), vec![3, 70]);
        let mut c = Bits::with_len(4);
        c.set(3);
        assert_eq!(b.minus(&c).ones().collect::<Vec<_>>(), vec![70]);
    }
}
