//! IAM wildcard patterns (`*` any run, `?` one character) as tiny automata.
//!
//! A pattern's NFA has one state per token position; a state set is a bitset of positions,
//! always closed under "skip a `*`". This is what the atom search in [`super::atoms`] steps.

/// One token of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, including none.
    Star,
}

/// A parsed pattern. Matching is exact on characters; callers lower-case case-insensitive text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    toks: Vec<Tok>,
}

/// A set of NFA positions (0..=len), closed under skipping `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct States(Box<[u64]>);

impl States {
    fn empty(n: usize) -> States {
        States(vec![0u64; n / 64 + 1].into_boxed_slice())
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    /// Whether NFA position `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

impl Glob {
    /// Parses IAM wildcard syntax. `${*}`, `${?}` and `${$}` are the policy-language escapes for
    /// literal `*`, `?` and `$`; other `${...}` variables stay literal text, which compares a
    /// variable equal to itself and to nothing else.
    pub fn wildcard(text: &str) -> Glob {
        let mut toks = Vec::with_capacity(text.len());
        let mut rest = text;
        const ESCAPES: [(&str, char); 3] = [("${*}", '*'), ("${?}", '?'), ("${$}", '$')];
        while let Some(c) = rest.chars().next() {
            if let Some((esc, lit)) = ESCAPES.iter().find(|(e, _)| rest.starts_with(e)) {
                toks.push(Tok::Lit(*lit));
                rest = &rest[esc.len()..];
                continue;
            }
            toks.push(match c {
                '*' => Tok::Star,
                '?' => Tok::One,
                c => Tok::Lit(c),
            });
            rest = &rest[c.len_utf8()..];
        }
        // Consecutive stars mean the same as one and only cost states.
        toks.dedup_by(|a, b| *a == Tok::Star && *b == Tok::Star);
        Glob { toks }
    }

    /// A pattern that matches exactly `text` (no wildcards), e.g. a `StringEquals` value.
    pub fn literal(text: &str) -> Glob {
        Glob {
            toks: text.chars().map(Tok::Lit).collect(),
        }
    }

    pub fn toks(&self) -> &[Tok] {
        &self.toks
    }

    pub fn is_literal(&self) -> bool {
        self.toks.iter().all(|t| matches!(t, Tok::Lit(_)))
    }

    /// Literal characters the pattern mentions (the alphabet the atom search needs).
    pub fn literal_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    fn close(&self, s: &mut States) {
        for i in 0..self.toks.len() {
            if s.contains(i) && self.toks[i] == Tok::Star {
                s.set(i + 1);
            }
        }
    }

    pub fn start(&self) -> States {
        let mut s = States::empty(self.toks.len() + 1);
        s.set(0);
        self.close(&mut s);
        s
    }

    /// Consumes one character.
    pub fn step(&self, s: &States, c: char) -> States {
        let mut next = States::empty(self.toks.len() + 1);
        for (i, tok) in self.toks.iter().enumerate() {
            if !s.contains(i) {
                continue;
            }
            match *tok {
                Tok::Star => next.set(i),
                Tok::One => next.set(i + 1),
                Tok::Lit(l) if l == c => next.set(i + 1),
                Tok::Lit(_) => {}
            }
        }
        self.close(&mut next);
        next
    }

    pub fn accepts(&self, s: &States) -> bool {
        s.contains(self.toks.len())
    }

    /// Whether the pattern matches `text` (linear-time NFA simulation, no backtracking).
    pub fn matches(&self, text: &str) -> bool {
        let mut s = self.start();
        for c in text.chars() {
            s = self.step(&s, c);
            if s.is_empty() {
                return false;
            }
        }
        self.accepts(&s)
    }

    /// Fills every wildcard with `fill` (for `*`) or `one` (for `?`): a readable sample string.
    pub fn sample(&self, fill: &str, one: char) -> String {
        let mut out = String::new();
        for t in &self.toks {
            match t {
                Tok::Lit(c) => out.push(*c),
                Tok::One => out.push(one),
                Tok::Star => out.push_str(fill),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark() {
        let g = Glob::wildcard("s3:get*");
        assert!(g.matches("s3:get"));
        assert!(g.matches("s3:getobject"));
        assert!(!g.matches("s3:put"));
        let q = Glob::wildcard("arn:aws:s3:::b/log?");
        assert!(q.matches("arn:aws:s3:::b/log1"));
        assert!(!q.matches("arn:aws:s3:::b/log"));
        assert!(!q.matches("arn:aws:s3:::b/log12"));
    }

    #[test]
    fn escapes_and_variables() {
        let g = Glob::wildcard("a${*}b");
        assert!(g.matches("a*b"));
        assert!(!g.matches("axb"));
        let v = Glob::wildcard("user/${aws:username}");
        assert!(v.matches("user/${aws:username}"));
        assert!(!v.matches("user/bob"));
    }

    #[test]
    fn pathological_pattern_is_linear() {
        let p = format!("{}b", "*a".repeat(200));
        let g = Glob::wildcard(&p);
        assert!(!g.matches(&"a".repeat(5000)));
    }

    #[test]
    fn literal_has_no_wildcards() {
        let g = Glob::literal("a*");
        assert!(g.matches("a*"));
        assert!(!g.matches("ab"));
        assert!(g.is_literal());
    }
}
