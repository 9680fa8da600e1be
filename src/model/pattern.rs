//! IAM wildcard patterns (`*` any run, `?` one character) as tiny automata.
//!
//! A pattern's NFA has one state per token position; a state set is a bitset of positions,
//! always closed under "skip a `*`". This is what the atom search in [`super::atoms`] steps.

use super::bits::ones_in;

/// How a pattern's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Syntax {
    /// No wildcards (`StringEquals` values).
    Literal,
    /// `*` and `?` anywhere (actions, principals, `StringLike` values).
    Wildcard,
    /// A `Resource` ARN (see [`Glob::arn`]).
    ResourceArn,
    /// An `ArnLike`/`ArnEquals` condition value (see [`Glob::arn_condition`]).
    ConditionArn,
}

impl Syntax {
    pub fn compile(self, text: &str) -> Glob {
        match self {
            Syntax::Literal => Glob::literal(text),
            Syntax::Wildcard => Glob::wildcard(text),
            Syntax::ResourceArn => Glob::arn(text),
            Syntax::ConditionArn => Glob::arn_condition(text),
        }
    }
}

/// One token of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, including none.
    Star,
    /// `*` inside an ARN segment: any run of characters other than `:` (see [`Glob::arn`]).
    StarInSegment,
}

/// A parsed pattern. Matching is exact on characters; callers lower-case case-insensitive text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    toks: Vec<Tok>,
}

/// A set of NFA positions (0..=len) is a bitset of [`Glob::width`] words, always closed under
/// skipping `*`. The atom search keeps many of them side by side in one flat buffer, so the
/// automaton works on word slices rather than owning its sets.
fn set(w: &mut [u64], i: usize) {
    w[i / 64] |= 1 << (i % 64);
}

fn has(w: &[u64], i: usize) -> bool {
    w[i / 64] & (1 << (i % 64)) != 0
}

/// Matches without building an automaton when the pattern has one of the two shapes most IAM
/// patterns have: no wildcard at all, or one `*` at the very end (`s3:Get*`). Such a `*` ends
/// its ARN segment too, so the answer holds for [`Glob::arn`] as for [`Glob::wildcard`]. `$`
/// may start an escape (`${*}`), so a pattern holding one takes the long way.
fn quick(pattern: &str, text: &str) -> Option<bool> {
    const SPECIAL: [char; 3] = ['*', '?', '$'];
    if !pattern.contains(SPECIAL) {
        return Some(pattern == text);
    }
    let prefix = pattern.strip_suffix('*')?;
    (!prefix.contains(SPECIAL)).then(|| text.starts_with(prefix))
}

/// Whether the wildcard pattern `pattern` (see [`Glob::wildcard`]) matches `text`.
pub fn wildcard_matches(pattern: &str, text: &str) -> bool {
    quick(pattern, text).unwrap_or_else(|| Glob::wildcard(pattern).matches(text))
}

/// Whether the `Resource` pattern `pattern` (see [`Glob::arn`]) matches `text`.
pub fn arn_matches(pattern: &str, text: &str) -> bool {
    quick(pattern, text).unwrap_or_else(|| Glob::arn(pattern).matches(text))
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

    /// An ARN pattern of a `Resource` element. AWS matches wildcards within the colon-separated
    /// segments of an ARN: a `*` stays inside its segment unless it is the last character of
    /// the segment, in which case it may match past the colons that follow.
    pub fn arn(text: &str) -> Glob {
        let mut g = Glob::wildcard(text);
        let toks = g.toks.clone();
        for (i, t) in g.toks.iter_mut().enumerate() {
            let ends_segment = matches!(toks.get(i + 1), None | Some(Tok::Lit(':')));
            if *t == Tok::Star && !ends_segment {
                *t = Tok::StarInSegment;
            }
        }
        g
    }

    /// An `ArnLike`/`ArnEquals` condition value: AWS checks the six colon-separated components
    /// of the ARN one by one, so a `*` in the first five stays inside its component, while one
    /// in the sixth (the resource, which may hold colons itself) matches anything.
    pub fn arn_condition(text: &str) -> Glob {
        let mut g = Glob::wildcard(text);
        let mut colons = 0;
        for t in g.toks.iter_mut() {
            match t {
                Tok::Lit(':') => colons += 1,
                Tok::Star if colons < 5 => *t = Tok::StarInSegment,
                _ => {}
            }
        }
        g
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

    /// Words in one state set of this pattern.
    pub fn width(&self) -> usize {
        (self.toks.len() + 1) / 64 + 1
    }

    /// Adds `i` and the positions reachable from it by skipping `*`s. Closing each position as
    /// it is added keeps a step proportional to the set, not to the pattern: a closing pass over
    /// every token per character made matching a long pattern quadratic.
    fn add_closed(&self, w: &mut [u64], mut i: usize) {
        set(w, i);
        while matches!(self.toks.get(i), Some(Tok::Star | Tok::StarInSegment)) {
            i += 1;
            set(w, i);
        }
    }

    /// Writes the start set into `dst` (`width()` words).
    pub fn start_into(&self, dst: &mut [u64]) {
        dst.fill(0);
        self.add_closed(dst, 0);
    }

    /// Consumes `c` from the set `src` into `dst`; returns whether `dst` is non-empty.
    pub fn step_into(&self, src: &[u64], c: char, dst: &mut [u64]) -> bool {
        dst.fill(0);
        let mut any = false;
        for i in ones_in(src) {
            if let Some(next) = self.target(i, c) {
                self.add_closed(dst, next);
                any = true;
            }
        }
        any
    }

    /// Where position `i` goes on `c`, if anywhere.
    fn target(&self, i: usize, c: char) -> Option<usize> {
        match self.toks.get(i) {
            Some(Tok::Star) => Some(i),
            Some(Tok::StarInSegment) if c != ':' => Some(i),
            Some(Tok::One) => Some(i + 1),
            Some(Tok::Lit(l)) if *l == c => Some(i + 1),
            _ => None,
        }
    }

    /// Whether the set `w` contains the accepting position.
    pub fn accepts(&self, w: &[u64]) -> bool {
        has(w, self.toks.len())
    }

    /// Characters the pattern tells apart from the rest at the set `w`: the literals it can
    /// consume, and `:` where a `*` that stops at it is live. Such a `*` treats a `:` unlike any
    /// other character the pattern does not name, so the atom search must try it: `r/*?`
    /// matches `r/xa` but not `r/:a`.
    pub fn literals_at<'a>(&'a self, w: &'a [u64]) -> impl Iterator<Item = char> + 'a {
        ones_in(w).filter_map(|i| match self.toks.get(i) {
            Some(Tok::Lit(c)) => Some(*c),
            Some(Tok::StarInSegment) => Some(':'),
            _ => None,
        })
    }

    /// Whether the pattern matches `text`: an NFA simulation, no backtracking. The live positions
    /// are kept as a list (a bitset only marks membership), so a step costs the live positions,
    /// not the pattern's length: a long literal pattern against a long text is linear, and
    /// `*a*a*a…b` against `aaaa…` costs (stars × text), never exponential.
    pub fn matches(&self, text: &str) -> bool {
        let mut member = vec![0u64; self.width()];
        let mut live = Vec::new();
        let push = |member: &mut [u64], live: &mut Vec<usize>, mut i: usize| loop {
            if !has(member, i) {
                set(member, i);
                live.push(i);
            }
            if !matches!(self.toks.get(i), Some(Tok::Star | Tok::StarInSegment)) {
                break;
            }
            i += 1;
        };
        push(&mut member, &mut live, 0);
        let mut next = Vec::new();
        for c in text.chars() {
            for &i in &live {
                member[i / 64] = 0;
            }
            for &i in &live {
                if let Some(t) = self.target(i, c) {
                    push(&mut member, &mut next, t);
                }
            }
            if next.is_empty() {
                return false;
            }
            std::mem::swap(&mut live, &mut next);
            next.clear();
        }
        live.contains(&self.toks.len())
    }

    /// Fills every wildcard with `fill` (for `*`) or `one` (for `?`): a readable sample string.
    pub fn sample(&self, fill: &str, one: char) -> String {
        let mut out = String::new();
        for t in &self.toks {
            match t {
                Tok::Lit(c) => out.push(*c),
                Tok::One => out.push(one),
                Tok::Star | Tok::StarInSegment => out.push_str(fill),
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
    fn a_long_pattern_matches_in_linear_time() {
        // Quadratic before: every step cleared and closed a state set as wide as the pattern.
        let text = format!("s3:get{}", "a".repeat(1_000_000));
        assert!(Glob::wildcard(&text).matches(&text));
        assert!(Glob::wildcard(&format!("{text}*")).matches(&text));
        assert!(!Glob::wildcard(&format!("{text}b")).matches(&text));
        assert!(Glob::arn(&format!("s3:*{}", "a".repeat(1000))).matches(&text));
    }

    #[test]
    fn arn_wildcards_stay_in_their_segment_unless_last() {
        let mid = Glob::arn("arn:aws:s3:::b/*/logs/*");
        assert!(mid.matches("arn:aws:s3:::b/x/logs/y"));
        assert!(mid.matches("arn:aws:s3:::b/x/logs/y:z"));
        assert!(!mid.matches("arn:aws:s3:::b/x:y/logs/z"));
        let acct = Glob::arn("arn:aws:iam::*:role/ci");
        assert!(acct.matches("arn:aws:iam::123456789012:role/ci"));
        let inner = Glob::arn("arn:aws:iam::1*2:role/ci");
        assert!(inner.matches("arn:aws:iam::1002:role/ci"));
        assert!(!inner.matches("arn:aws:iam::1:x:2:role/ci"));
        assert!(Glob::arn("*").matches("arn:aws:s3:::anything:at:all"));
    }

    #[test]
    fn arn_condition_components() {
        let g = Glob::arn_condition("arn:aws:*:us-east-1:*:function:*");
        assert!(g.matches("arn:aws:lambda:us-east-1:123456789012:function:f:alias"));
        assert!(!g.matches("arn:aws:lambda:x:y:us-east-1:1:function:f"));
        let acct = Glob::arn_condition("arn:aws:iam::*:role/x");
        assert!(!acct.matches("arn:aws:iam::1:2:role/x"));
        assert!(acct.matches("arn:aws:iam::123456789012:role/x"));
    }

    #[test]
    fn literal_has_no_wildcards() {
        let g = Glob::literal("a*");
        assert!(g.matches("a*"));
        assert!(!g.matches("ab"));
        assert!(g.is_literal());
    }
}
