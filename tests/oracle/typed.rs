//! Typed sample resources: for an action, resources of the types it takes (the simulator's ARN
//! patterns, `arn:${Partition}:s3:::${BucketName}/${ObjectName}`) that a policy's resource
//! pattern matches, so that sampled requests are ones AWS makes and still meet the policies.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// The account and region a resource type's pattern is filled with when the policy does not
/// name them.
const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// Typed resources, remembered by (resource type pattern, policy pattern): pairs share both.
#[derive(Default)]
pub struct Typed {
    known: HashMap<(String, String), Option<String>>,
}

impl Typed {
    /// For each resource type pattern of an action (`types`) and each policy resource pattern
    /// (`patterns`, IAM wildcards; literal resources too), a short resource of that type the
    /// pattern matches, when there is one; plus each type's pattern filled with sample values.
    pub fn resources(&mut self, patterns: &BTreeSet<String>, types: &[String]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for t in types {
            let t = t.replace("${Partition}", "aws");
            // With the harness's account and region where the policy leaves them open, and with
            // whatever the policy names.
            let filled = t
                .replace("${Region}", REGION)
                .replace("${Account}", ACCOUNT);
            out.extend(self.common(&filled, "*"));
            for p in patterns {
                out.extend(self.common(&filled, p));
                out.extend(self.common(&t, p));
            }
        }
        out
    }

    fn common(&mut self, typ: &str, pattern: &str) -> Option<String> {
        self.known
            .entry((typ.to_string(), pattern.to_string()))
            .or_insert_with(|| shortest_common(typ, pattern))
            .clone()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum PatternToken {
    Char(char),
    /// `*`: any run of characters, empty too.
    Star,
    /// `?`: one character.
    One,
}

#[derive(Clone, Copy, PartialEq)]
enum TypeToken {
    Char(char),
    /// A `${Name}` placeholder: one or more characters, `/` only in a path or an object name.
    Var {
        slash: bool,
    },
}

fn pattern_tokens(p: &str) -> Vec<PatternToken> {
    p.chars()
        .map(|c| match c {
            '*' => PatternToken::Star,
            '?' => PatternToken::One,
            c => PatternToken::Char(c),
        })
        .collect()
}

fn type_tokens(t: &str) -> Vec<TypeToken> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find("${") {
        out.extend(rest[..start].chars().map(TypeToken::Char));
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + len];
        out.push(TypeToken::Var {
            slash: name.contains("Path") || name.contains("ObjectName") || name == "Key",
        });
        rest = &rest[start + len + 1..];
    }
    out.extend(rest.chars().map(TypeToken::Char));
    out
}

/// A state of the product of the two automata: position in the pattern, position in the type,
/// and whether the type's placeholder at that position has read a character yet.
type State = (usize, usize, bool);

/// The shortest string (filled with `x` where free) that the IAM pattern `pattern` and the
/// resource type pattern `typ` (placeholders unfilled) both match; `None` when they share none.
pub fn shortest_common(typ: &str, pattern: &str) -> Option<String> {
    let (p, t) = (pattern_tokens(pattern), type_tokens(typ));
    // Characters worth trying: a filler first, then every literal of either side.
    let mut alphabet: Vec<char> = vec!['x'];
    for c in pattern.chars().chain(typ.chars()) {
        if !matches!(c, '*' | '?' | '$' | '{' | '}') && !alphabet.contains(&c) {
            alphabet.push(c);
        }
    }
    // Moves that read nothing: a `*` matches the empty string; a placeholder that has read a
    // character may end.
    let close = |s: State| -> Vec<State> {
        let mut seen = vec![s];
        let mut k = 0;
        while k < seen.len() {
            let (i, j, read) = seen[k];
            let mut next = Vec::new();
            if p.get(i) == Some(&PatternToken::Star) {
                next.push((i + 1, j, read));
            }
            if read && matches!(t.get(j), Some(TypeToken::Var { .. })) {
                next.push((i, j + 1, false));
            }
            for n in next {
                if !seen.contains(&n) {
                    seen.push(n);
                }
            }
            k += 1;
        }
        seen
    };
    let step = |(i, j, read): State, c: char| -> Vec<State> {
        let pattern_next: Vec<usize> = match p.get(i) {
            Some(PatternToken::Char(d)) if *d == c => vec![i + 1],
            Some(PatternToken::One) => vec![i + 1],
            Some(PatternToken::Star) => vec![i],
            _ => vec![],
        };
        let type_next: Option<(usize, bool)> = match t.get(j) {
            Some(TypeToken::Char(d)) if *d == c && !read => Some((j + 1, false)),
            Some(TypeToken::Var { slash }) if c != ':' && (c != '/' || *slash) => Some((j, true)),
            _ => None,
        };
        match type_next {
            Some((j, read)) => pattern_next.into_iter().map(|i| (i, j, read)).collect(),
            None => Vec::new(),
        }
    };
    let accepting = |(i, j, _): State| i == p.len() && j == t.len();
    // Breadth first over sets of states (sorted), so the first accepting string is a shortest.
    let start = sorted(close((0, 0, false)));
    let mut parent: HashMap<Vec<State>, (Vec<State>, char)> = HashMap::new();
    let mut seen: HashSet<Vec<State>> = HashSet::from([start.clone()]);
    let mut queue = VecDeque::from([start]);
    while let Some(states) = queue.pop_front() {
        if states.iter().any(|&s| accepting(s)) {
            let mut out = Vec::new();
            let mut at = &states;
            while let Some((prev, c)) = parent.get(at) {
                out.push(*c);
                at = prev;
            }
            return Some(out.into_iter().rev().collect());
        }
        for &c in &alphabet {
            let next = sorted(
                states
                    .iter()
                    .flat_map(|&s| step(s, c))
                    .flat_map(close)
                    .collect(),
            );
            if next.is_empty() || !seen.insert(next.clone()) {
                continue;
            }
            parent.insert(next.clone(), (states.clone(), c));
            queue.push_back(next);
        }
    }
    None
}

fn sorted(mut states: Vec<State>) -> Vec<State> {
    states.sort_unstable();
    states.dedup();
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_of_the_type_that_the_pattern_matches() {
        let object = "arn:aws:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:aws:s3:::${BucketName}";
        assert_eq!(
            shortest_common(object, "arn:aws:s3:::b*").as_deref(),
            Some("arn:aws:s3:::b/x")
        );
        assert_eq!(shortest_common(object, "arn:aws:s3:::b"), None);
        assert_eq!(shortest_common(bucket, "arn:aws:s3:::b/*"), None);
        assert_eq!(
            shortest_common(bucket, "arn:aws:s3:::*").as_deref(),
            Some("arn:aws:s3:::x")
        );
        let role = "arn:aws:iam::${Account}:role/${RoleNameWithPath}";
        assert_eq!(
            shortest_common(role, "arn:aws:iam::*:role/*").as_deref(),
            Some("arn:aws:iam::x:role/x")
        );
        assert_eq!(
            shortest_common(role, "arn:aws:iam::111122223333:user/*"),
            None
        );
    }
}
