//! Wildcard patterns: the one pattern type of privdiff, [`Glob`], with the ways its text is read
//! and the two algorithms that match it.
//!
//! # Readings
//! - [`Glob::wildcard`]: IAM policy wildcards, `*` any run and `?` one character, with the
//!   `${*}`-style escapes (actions, principals, `StringLike` values).
//! - [`Glob::arn`] and [`Glob::arn_condition`]: the same, with a `*` that may stay inside one
//!   colon-separated segment of an ARN ([`Tok::StarInSegment`]).
//! - [`Glob::literal`]: no wildcards (`StringEquals` values).
//! - [`Glob::action`]: `*` and `?`, no escapes: action names against the AWS catalog.
//! - [`Glob::stars_only`]: only `*`; `?` and `$` are literal (the config's `ignore` selectors).
//! - [`Glob::resource_type`]: an ARN format of the AWS catalog as the set of ARNs of that
//!   resource type: each `${...}` one or more characters, and those of a partition, region,
//!   account or bucket name never a `:` or `/`.
//!
//! # Matching
//! [`Glob::matches`] and [`Glob::matches_ignoring_case`] pick one of two algorithms:
//! - a greedy two-pointer scan (`scan`) when every `*` matches any run: it allocates nothing
//!   and is the faster of the two on the short patterns of the catalog; at worst
//!   O(pattern × text);
//! - an NFA simulation (`Glob::nfa`) when some `*` stops at colons, where the scan would be
//!   wrong; at worst O(stars × text). The same automaton, stepped one state set at a time, is
//!   what the atom search in `crate::compare::atoms` runs.
//!
//! [`wildcard_matches`] and [`action_matches_ignoring_case`] match a pattern's text without
//! building a [`Glob`]: the scan reads the tokens from the text as it goes, so a caller that
//! loops over many patterns allocates nothing. [`arn_matches`] does the same for the shapes
//! most `Resource` patterns have (no wildcard, or one `*` at the end) and compiles the others.

use super::bits::ones_in;

/// How a policy's pattern text is read: the syntaxes a statement's conditions record.
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
    /// One character other than `:` (see [`Glob::resource_type`]).
    OneInSegment,
    /// One character of a name that cannot hold `:` or `/` (see [`Glob::resource_type`]).
    OneInName,
    /// Any run of characters other than `:` and `/` (see [`Glob::resource_type`]).
    StarInName,
}

impl Tok {
    /// Whether the token matches a run of characters (so may be skipped).
    fn is_star(self) -> bool {
        matches!(self, Tok::Star | Tok::StarInSegment | Tok::StarInName)
    }
}

/// A parsed pattern. Matching is exact on characters; callers lower-case case-insensitive
/// patterns, and either lower-case the text or match with [`Glob::matches_ignoring_case`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    toks: Vec<Tok>,
    /// Whether a token is [`Tok::StarInSegment`]: such a pattern is matched by the NFA.
    in_segment: bool,
}

/// How the text of a pattern is read into tokens (see the module docs).
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// [`Glob::wildcard`].
    Wildcard,
    /// [`Glob::action`].
    Action,
    /// [`Glob::stars_only`].
    StarsOnly,
}

/// What an ARN format's placeholder may hold (see [`Glob::resource_type`]).
enum Holds {
    /// Neither `:` nor `/`.
    Field,
    /// No `:`.
    Name,
    /// Anything.
    Text,
}

/// Whether placeholder `name` of an AWS ARN format may hold `c` (see [`Glob::resource_type`]).
pub fn placeholder_holds(name: &str, c: char) -> bool {
    match placeholder(name) {
        Holds::Field => !matches!(c, ':' | '/'),
        Holds::Name => c != ':',
        Holds::Text => true,
    }
}

fn placeholder(name: &str) -> Holds {
    let text = name == "ObjectName"
        || name == "StreamLabel"
        || name.ends_with("Arn")
        || name.ends_with("ARN")
        || (name.contains("Path") && !name.ends_with("WithPath"));
    match name {
        "Partition" | "Region" | "Account" | "BucketName" => Holds::Field,
        _ if text => Holds::Text,
        _ => Holds::Name,
    }
}

/// The policy-language escapes for literal `*`, `?` and `$`.
const ESCAPES: [(&str, char); 3] = [("${*}", '*'), ("${?}", '?'), ("${$}", '$')];

impl Reading {
    /// The token at byte `at` of `text`, and the byte after it; `None` at the end.
    #[inline]
    fn token(self, text: &str, at: usize) -> Option<(Tok, usize)> {
        let b = *text.as_bytes().get(at)?;
        // No reading gives another ASCII character a meaning: most tokens end here.
        if b.is_ascii() && !matches!(b, b'*' | b'?' | b'$') {
            return Some((Tok::Lit(b as char), at + 1));
        }
        let c = text[at..].chars().next()?;
        let one = |t| Some((t, at + c.len_utf8()));
        match (self, c) {
            (Reading::Wildcard, '$') => {
                let rest = &text[at..];
                ESCAPES
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map(|(e, lit)| (Tok::Lit(*lit), at + e.len()))
                    .or_else(|| one(Tok::Lit('$')))
            }
            (Reading::Wildcard | Reading::Action | Reading::StarsOnly, '*') => one(Tok::Star),
            (Reading::Wildcard | Reading::Action, '?') => one(Tok::One),
            _ => one(Tok::Lit(c)),
        }
    }

    fn compile(self, text: &str) -> Glob {
        let mut toks = Vec::with_capacity(text.len());
        let mut at = 0;
        while let Some((t, next)) = self.token(text, at) {
            toks.push(t);
            at = next;
        }
        // Consecutive stars mean the same as one and only cost states.
        toks.dedup_by(|a, b| *a == Tok::Star && *b == Tok::Star);
        Glob::from_toks(toks)
    }
}

/// Where [`scan`] reads a pattern's tokens: a compiled [`Glob`]'s, or the text of one, read as
/// it goes.
trait Tokens {
    /// The token at position `at`, and the position after it; `None` at the end.
    fn at(&self, at: usize) -> Option<(Tok, usize)>;
}

impl Tokens for [Tok] {
    #[inline]
    fn at(&self, at: usize) -> Option<(Tok, usize)> {
        self.get(at).map(|t| (*t, at + 1))
    }
}

/// A pattern's text and how to read it; positions are byte offsets into the text.
struct Text<'a>(&'a str, Reading);

impl Tokens for Text<'_> {
    #[inline]
    fn at(&self, at: usize) -> Option<(Tok, usize)> {
        self.1.token(self.0, at)
    }
}

/// Greedy two-pointer matching, for patterns without [`Tok::StarInSegment`]: literals and `?`
/// advance both sides; at a mismatch the last `*` seen swallows one more character of `text`
/// and the pattern resumes after it. Only the last `*` is ever retried: any split an earlier
/// star could try, the last one can reach too, so the answer is exact, there is no exponential
/// backtracking, and the cost is at worst O(pattern × text). That argument fails for a star
/// that cannot cross a `:`, which is why such patterns go to the NFA.
///
/// `text` is read as bytes, always a whole character at a time (`?` and a `*` take a
/// character's bytes, a literal its encoding), so the ASCII of the catalog and of nearly every
/// policy is never decoded. `fold` maps each byte of `text` before it is compared with an ASCII
/// literal: ASCII lower-casing, or nothing. Nothing is allocated.
fn scan<P: Tokens + ?Sized>(pattern: &P, text: &str, fold: impl Fn(u8) -> u8) -> bool {
    let text = text.as_bytes();
    let (mut p, mut s) = (0, 0);
    // Since the last `*`: where the pattern resumes after it, and where its swallowed run ends.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&b) = text.get(s) {
        if let Some((t, next)) = pattern.at(p) {
            // Bytes of `text` the token takes here, 0 if it does not match. Equality tests
            // rather than a `match` on the token, which compiled to a slower jump table.
            let took = if b.is_ascii() {
                usize::from(t == Tok::Lit(fold(b) as char) || t == Tok::One)
            } else {
                took_wide(t, &text[s..])
            };
            if took > 0 {
                p = next;
                s += took;
                continue;
            }
            if t == Tok::Star {
                star = Some((next, s));
                p = next;
                continue;
            }
        }
        match star {
            Some((resume, swallowed)) => {
                p = resume;
                s = swallowed + width(text[swallowed]);
                star = Some((resume, s));
            }
            None => return false,
        }
    }
    // The text is used up: what is left of the pattern must be stars.
    while let Some((t, next)) = pattern.at(p) {
        if t != Tok::Star {
            return false;
        }
        p = next;
    }
    true
}

/// Bytes a literal or `?` takes at the start of `rest`, which starts with a non-ASCII
/// character; 0 if it does not match there. ASCII folding leaves such a character alone.
#[cold]
fn took_wide(t: Tok, rest: &[u8]) -> usize {
    match t {
        Tok::One => width(rest[0]),
        Tok::Lit(l) => {
            let mut buf = [0; 4];
            let l = l.encode_utf8(&mut buf).as_bytes();
            if rest.starts_with(l) {
                l.len()
            } else {
                0
            }
        }
        Tok::OneInName | Tok::OneInSegment => width(rest[0]),
        Tok::Star | Tok::StarInSegment | Tok::StarInName => 0,
    }
}

/// The length of the UTF-8 character whose first byte is `lead`.
#[inline]
fn width(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0x80..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
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

/// Matches without reading tokens when the pattern has one of the two shapes most IAM patterns
/// have: no wildcard at all, or one `*` at the very end (`s3:Get*`). Such a `*` ends its ARN
/// segment too, so the answer holds for [`Glob::arn`] as for [`Glob::wildcard`]. `$` may start
/// an escape (`${*}`), so a pattern holding one takes the long way.
fn quick(pattern: &str, text: &str) -> Option<bool> {
    // Bytes rather than a search for a `[char]`, which cost more than the match itself.
    let special = |p: &str| p.bytes().any(|b| matches!(b, b'*' | b'?' | b'$'));
    if !special(pattern) {
        return Some(pattern == text);
    }
    let prefix = pattern.strip_suffix('*')?;
    (!special(prefix)).then(|| text.starts_with(prefix))
}

/// Whether the wildcard pattern `pattern` (see [`Glob::wildcard`]) matches `text`. Reads the
/// pattern as it matches: nothing is compiled or allocated.
pub fn wildcard_matches(pattern: &str, text: &str) -> bool {
    scan(&Text(pattern, Reading::Wildcard), text, same)
}

/// Whether the `Resource` pattern `pattern` (see [`Glob::arn`]) matches `text`.
pub fn arn_matches(pattern: &str, text: &str) -> bool {
    quick(pattern, text).unwrap_or_else(|| Glob::arn(pattern).matches(text))
}

/// Whether the action pattern `pattern` (see [`Glob::action`]; lower case) matches `text`,
/// ignoring ASCII case in `text`. Reads the pattern as it matches: nothing is compiled or
/// allocated, so a caller may loop over many patterns for each text.
#[inline]
pub fn action_matches_ignoring_case(pattern: &str, text: &str) -> bool {
    // Most patterns a statement holds name another service, and a letter or digit is a literal:
    // a different first character settles it, here in the caller's loop, without a scan.
    if let (Some(&p), Some(&t)) = (pattern.as_bytes().first(), text.as_bytes().first()) {
        if p.is_ascii_alphanumeric() && p != fold(t) {
            return false;
        }
    }
    scan_action(pattern, text)
}

/// The scan behind [`action_matches_ignoring_case`], kept out of its callers' loops.
#[inline(never)]
fn scan_action(pattern: &str, text: &str) -> bool {
    scan(&Text(pattern, Reading::Action), text, fold)
}

/// The byte itself: exact matching.
fn same(b: u8) -> u8 {
    b
}

/// ASCII lower case: matching that ignores ASCII case, against a lower-case pattern.
fn fold(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

impl Glob {
    /// Parses IAM wildcard syntax. `${*}`, `${?}` and `${$}` are the policy-language escapes for
    /// literal `*`, `?` and `$`; other `${...}` variables stay literal text, which compares a
    /// variable equal to itself and to nothing else.
    pub fn wildcard(text: &str) -> Glob {
        Reading::Wildcard.compile(text)
    }

    /// An IAM action pattern as the AWS catalog matches it: `*` any run, `?` one character, no
    /// escapes (action names hold no `$`). Lower-case it and match with
    /// [`Glob::matches_ignoring_case`] to ignore case as IAM does.
    pub fn action(text: &str) -> Glob {
        Reading::Action.compile(text)
    }

    /// Only `*` is special (any run); every other character, `?` and `$` included, stands for
    /// itself. For plan addresses, which are full of `[`, `"` and `.`.
    pub fn stars_only(text: &str) -> Glob {
        Reading::StarsOnly.compile(text)
    }

    /// An ARN format of the AWS catalog (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) as
    /// the ARNs of its resource type: every other character stands for itself, and each
    /// `${...}` placeholder is one or more characters.
    ///
    /// What a placeholder may hold follows what AWS puts there. A partition, region, account id
    /// or bucket name never holds a `:` or a `/` (which is what tells a bucket from its objects).
    /// Names and ids hold no `:` either: the catalog writes the colons of a resource's ARN
    /// literally (`function:${FunctionName}:${Alias}` is a format of its own), and IAM, which
    /// evaluates an ARN field by field, would not match a `*` of one field across them. Free
    /// text may hold both: S3 object keys, paths (other than IAM's `…WithPath`), ARNs embedded
    /// in an ARN, DynamoDB stream labels (timestamps). A request on an ARN outside every format
    /// of an action's types is one AWS never evaluates.
    pub fn resource_type(text: &str) -> Glob {
        let mut toks = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("${") {
                let end = rest.find('}').map_or(rest.len(), |e| e + 1);
                let name = rest[2..end].trim_end_matches('}');
                toks.extend(match placeholder(name) {
                    Holds::Field => [Tok::OneInName, Tok::StarInName],
                    Holds::Name => [Tok::OneInSegment, Tok::StarInSegment],
                    Holds::Text => [Tok::One, Tok::Star],
                });
                rest = &rest[end..];
            } else {
                toks.push(Tok::Lit(c));
                rest = &rest[c.len_utf8()..];
            }
        }
        Glob::from_toks(toks)
    }

    fn from_toks(toks: Vec<Tok>) -> Glob {
        let in_segment = toks.iter().any(|t| {
            matches!(
                t,
                Tok::StarInSegment | Tok::StarInName | Tok::OneInName | Tok::OneInSegment
            )
        });
        Glob { toks, in_segment }
    }

    /// An ARN pattern of a `Resource` element. AWS matches wildcards within the colon-separated
    /// segments of an ARN: a `*` stays inside its segment unless it is the last character of
    /// the segment, in which case it may match past the colons that follow.
    pub fn arn(text: &str) -> Glob {
        let mut toks = Glob::wildcard(text).toks;
        let read = toks.clone();
        for (i, t) in toks.iter_mut().enumerate() {
            let ends_segment = matches!(read.get(i + 1), None | Some(Tok::Lit(':')));
            if *t == Tok::Star && !ends_segment {
                *t = Tok::StarInSegment;
            }
        }
        Glob::from_toks(toks)
    }

    /// An `ArnLike`/`ArnEquals` condition value: AWS checks the six colon-separated components
    /// of the ARN one by one, so a `*` in the first five stays inside its component, while one
    /// in the sixth (the resource, which may hold colons itself) matches anything.
    pub fn arn_condition(text: &str) -> Glob {
        let mut toks = Glob::wildcard(text).toks;
        let mut colons = 0;
        for t in toks.iter_mut() {
            match t {
                Tok::Lit(':') => colons += 1,
                Tok::Star if colons < 5 => *t = Tok::StarInSegment,
                _ => {}
            }
        }
        Glob::from_toks(toks)
    }

    /// A pattern that matches exactly `text` (no wildcards), e.g. a `StringEquals` value.
    pub fn literal(text: &str) -> Glob {
        Glob::from_toks(text.chars().map(Tok::Lit).collect())
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
        while self.toks.get(i).is_some_and(|t| t.is_star()) {
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
            Some(Tok::StarInName) if c != ':' && c != '/' => Some(i),
            Some(Tok::One) => Some(i + 1),
            Some(Tok::OneInName) if c != ':' && c != '/' => Some(i + 1),
            Some(Tok::OneInSegment) if c != ':' => Some(i + 1),
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
        ones_in(w)
            .filter_map(|i| match self.toks.get(i) {
                Some(Tok::Lit(c)) => Some(*c),
                Some(Tok::StarInSegment | Tok::OneInSegment) => Some(':'),
                _ => None,
            })
            .chain(
                // A name's characters stop at `/` as well as `:`.
                ones_in(w)
                    .any(|i| matches!(self.toks.get(i), Some(Tok::StarInName | Tok::OneInName)))
                    .then_some([':', '/'])
                    .into_iter()
                    .flatten(),
            )
    }

    /// Whether the pattern matches the whole of `text`: the two-pointer scan when every `*`
    /// matches any run, the NFA otherwise (see the module docs).
    pub fn matches(&self, text: &str) -> bool {
        if self.in_segment {
            self.nfa(text.chars())
        } else {
            scan(self.toks.as_slice(), text, same)
        }
    }

    /// Whether the pattern matches some text that starts with `prefix` and then `next`:
    /// whatever is left of the pattern once they are read can be written out.
    pub fn matches_some_extension_of(&self, prefix: &str, next: char) -> bool {
        let mut a = vec![0u64; self.width()];
        let mut b = a.clone();
        self.start_into(&mut a);
        for c in prefix.chars().chain([next]) {
            if !self.step_into(&a, c, &mut b) {
                return false;
            }
            std::mem::swap(&mut a, &mut b);
        }
        true
    }

    /// [`Glob::matches`], ignoring ASCII case in `text`: each character of `text` is
    /// lower-cased as it is read, so the pattern must be lower case already (an upper-case
    /// letter in it matches nothing). Allocates nothing for the text.
    pub fn matches_ignoring_case(&self, text: &str) -> bool {
        if self.in_segment {
            self.nfa(text.chars().map(|c| c.to_ascii_lowercase()))
        } else {
            scan(self.toks.as_slice(), text, fold)
        }
    }

    /// Whether the pattern matches `text`: an NFA simulation, no backtracking. The live positions
    /// are kept as a list (a bitset only marks membership), so a step costs the live positions,
    /// not the pattern's length: a long literal pattern against a long text is linear, and
    /// `*a*a*a…b` against `aaaa…` costs (stars × text), never exponential.
    fn nfa(&self, text: impl Iterator<Item = char>) -> bool {
        let mut member = vec![0u64; self.width()];
        let mut live = Vec::new();
        let push = |member: &mut [u64], live: &mut Vec<usize>, mut i: usize| loop {
            if !has(member, i) {
                set(member, i);
                live.push(i);
            }
            if !self.toks.get(i).is_some_and(|t| t.is_star()) {
                break;
            }
            i += 1;
        };
        push(&mut member, &mut live, 0);
        let mut next = Vec::new();
        for c in text {
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
                Tok::One | Tok::OneInName | Tok::OneInSegment => out.push(one),
                Tok::Star | Tok::StarInSegment | Tok::StarInName => out.push_str(fill),
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
    fn resource_types_tell_buckets_from_objects_and_keep_fields_apart() {
        let bucket = Glob::resource_type("arn:${Partition}:s3:::${BucketName}");
        let object = Glob::resource_type("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert!(bucket.matches("arn:aws:s3:::b"));
        assert!(!bucket.matches("arn:aws:s3:::b/k"));
        assert!(object.matches("arn:aws:s3:::b/k/with:colon"));
        assert!(!object.matches("arn:aws:s3:::b/"));
        let role = Glob::resource_type("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
        assert!(role.matches("arn:aws:iam::123456789012:role/path/ci"));
        assert!(!role.matches("arn:aws:iam::1:group/x:role/y"));
        assert!(!role.matches("arn:aws:iam::1:role/a:b"));
        let function = Glob::resource_type(
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
        );
        assert!(!function.matches("arn:aws:lambda:eu-west-1:1:function:f:live"));
    }

    #[test]
    fn literal_has_no_wildcards() {
        let g = Glob::literal("a*");
        assert!(g.matches("a*"));
        assert!(!g.matches("ab"));
        assert!(g.is_literal());
    }

    /// An action pattern against the AWS catalog: lower-cased once, text folded as it is read.
    fn action(p: &str, s: &str) -> bool {
        let p = p.to_ascii_lowercase();
        let compiled = Glob::action(&p).matches_ignoring_case(s);
        assert_eq!(action_matches_ignoring_case(&p, s), compiled, "{p:?} {s:?}");
        compiled
    }

    #[test]
    fn action_wildcards_as_iam_defines_them() {
        assert!(action("*", ""));
        assert!(action("*", "s3:GetObject"));
        assert!(action("s3:Get*", "s3:GetObject"));
        assert!(action("s3:get*", "S3:GETOBJECT"));
        assert!(action("s3:?etObject", "s3:GetObject"));
        assert!(action("s3:*Object*", "s3:GetObjectAcl"));
        assert!(action("s3:Get*Acl", "s3:GetObjectAcl"));
        assert!(action("*:*", "iam:PassRole"));
        assert!(!action("s3:Get*", "s3:PutObject"));
        assert!(!action("s3:?GetObject", "s3:GetObject"));
        assert!(!action("s3:GetObject", "s3:GetObjectAcl"));
        assert!(!action("s3:Get*Acl", "s3:GetObjectAcls"));
        assert!(!action("", "x"));
        assert!(action("", ""));
    }

    #[test]
    fn action_patterns_read_no_escapes_and_want_a_lower_case_pattern() {
        assert!(action("a${*}b", "a${xyz}b"));
        assert!(!action("a${*}b", "a*b"));
        // The text is folded, the pattern is not: an upper-case letter in it matches nothing.
        assert!(!Glob::action("S3:*").matches_ignoring_case("s3:GetObject"));
        assert!(!Glob::action("s3:*").matches("S3:GetObject"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let subject = "a".repeat(2000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!action(&pattern, &subject));
    }

    fn stars_only(p: &str, s: &str) -> bool {
        Glob::stars_only(p).matches(s)
    }

    #[test]
    fn stars_only_is_exact_or_with_stars() {
        assert!(stars_only("aws_iam_role.ci", "aws_iam_role.ci"));
        assert!(!stars_only("aws_iam_role.ci", "aws_iam_role.ci2"));
        assert!(!stars_only("aws_iam_role.ci", "module.a.aws_iam_role.ci"));
        assert!(stars_only("*aws_iam_role.ci", "module.a.aws_iam_role.ci"));
        assert!(stars_only("aws_iam_role.*", "aws_iam_role.ci"));
        assert!(stars_only(
            "module.*.aws_iam_role.app[\"x\"]",
            "module.b.aws_iam_role.app[\"x\"]"
        ));
        assert!(stars_only("*", ""));
        assert!(stars_only("a*b*c", "a-b-b-c"));
        assert!(!stars_only("a*b*c", "a-b-b-d"));
    }

    #[test]
    fn with_stars_only_the_star_is_special_and_case_counts() {
        assert!(!stars_only("aws_iam_role.c?", "aws_iam_role.ci"));
        assert!(stars_only("aws_iam_role.c?", "aws_iam_role.c?"));
        assert!(!stars_only("AWS_IAM_ROLE.ci", "aws_iam_role.ci"));
        assert!(stars_only("a${*}", "a${*}"));
        assert!(stars_only("a${*}", "a${x}"));
        assert!(!stars_only("a${*}", "a*"));
    }

    #[test]
    fn resource_type_placeholders_are_runs_and_nothing_else_is_special() {
        let p = Glob::resource_type("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert!(p.matches("arn:aws:s3:::b/x/y"));
        assert!(!p.matches("arn:aws:s3:::b"));
        let bucket = Glob::resource_type("arn:${Partition}:s3:::${BucketName}");
        assert!(bucket.matches("arn:aws:s3:::b"));
        assert!(!bucket.matches("arn:aws:s3:::"));
        assert!(!bucket.matches("arn:aws:s4:::b"));
        let star = Glob::resource_type("a*?${X}");
        assert!(star.matches("a*?b") && !star.matches("ab?b") && !star.matches("a*bb"));
        // A placeholder left open stands for the rest of the text.
        let open = Glob::resource_type("arn:${Partition");
        assert!(open.matches("arn:aws") && !open.matches("ar"));
        assert!(Glob::resource_type("a${X}}").matches("ab}"));
        let x = Glob::resource_type("x");
        assert!(x.matches("x") && !x.matches("xy"));
    }

    #[test]
    fn ignoring_case_folds_the_text_for_either_algorithm() {
        let g = Glob::arn("arn:aws:s3:::b*x/y");
        assert!(g.in_segment);
        assert!(g.matches_ignoring_case("ARN:AWS:S3:::BQX/Y"));
        assert!(!g.matches_ignoring_case("ARN:AWS:S3:::B:X/Y"));
        assert!(
            Glob::wildcard("é*").matches_ignoring_case("éA") && !Glob::wildcard("é").matches("É")
        );
    }

    /// A tiny deterministic generator, so a failure is reproducible.
    struct Rng(u64);

    impl Rng {
        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            from[(self.0 >> 33) as usize % from.len()]
        }

        fn text(&mut self, alphabet: &[char], max: usize) -> String {
            let len = self.pick(&(0..=max).collect::<Vec<_>>());
            (0..len).map(|_| self.pick(alphabet)).collect()
        }
    }

    #[test]
    fn scan_and_automaton_agree_for_every_reading() {
        // Tokens and the pieces of escapes and placeholders, so that every reading meets them.
        let alphabet = ['a', 'b', 'A', ':', '*', '?', '$', '{', '}', 'é'];
        let readings = [Reading::Wildcard, Reading::Action, Reading::StarsOnly];
        let mut rng = Rng(11);
        for _ in 0..20_000 {
            let pattern = rng.text(&alphabet, 7);
            let text = rng.text(&alphabet, 7);
            for reading in readings {
                let g = reading.compile(&pattern);
                let nfa = g.nfa(text.chars());
                let why = format!("{reading:?} {pattern:?} {text:?}");
                assert_eq!(g.matches(&text), nfa, "{why}");
                assert_eq!(scan(&Text(&pattern, reading), &text, same), nfa, "{why}");
                let folded = g.nfa(text.chars().map(|c| c.to_ascii_lowercase()));
                assert_eq!(g.matches_ignoring_case(&text), folded, "{why}");
                assert_eq!(scan(&Text(&pattern, reading), &text, fold), folded, "{why}");
            }
            assert_eq!(
                wildcard_matches(&pattern, &text),
                Glob::wildcard(&pattern).nfa(text.chars()),
                "{pattern:?} {text:?}"
            );
            // Resource types pick the scan or the automaton by their placeholders.
            let format = Glob::resource_type(&pattern);
            assert_eq!(
                format.matches(&text),
                format.nfa(text.chars()),
                "resource type {pattern:?} {text:?}"
            );
        }
    }
}
