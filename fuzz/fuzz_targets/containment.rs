//! The scope comparison against brute force on small alphabets. Scopes of up to three
//! statements (Allow and Deny, `NotAction`/`NotResource`, Azure-style `except`, a string or
//! null condition, a permissions boundary) are built from the input; a naive evaluator written
//! here from the IAM rules, with a backtracking matcher, decides every request over the
//! alphabets. Then:
//! - soundness: every request the new scope allows and the old does not is reported, under
//!   every Allow statement that lets it through;
//! - precision: every reported example is such a request;
//! - the engine's wildcard automata agree with the naive matcher, and its own evaluator with
//!   the naive one on every example.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privdiff::compare::{compare, evaluate, Limits};
use privdiff::model::pattern::Glob;
use privdiff::model::vocabulary::Vocabulary;
use privdiff::model::{Clause, Decision, Effect, Match, Request, Scope, Statement, Syntax};

/// The words the comparison is asked in. The brute force below knows nothing of AWS resource
/// types (its actions and resources are words over small alphabets), so the comparison is
/// asked untyped: no catalog, every action meets every resource. Typed comparisons are checked
/// against an IAM simulator by `tests/oracle.rs`.
struct Untyped;

impl Vocabulary for Untyped {}

/// Reads the input a few bits at a time; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }
    fn below(&mut self, n: u8) -> u8 {
        self.next() % n
    }
    fn flag(&mut self) -> bool {
        self.next() & 1 == 1
    }
    fn word(&mut self, alphabet: &[char], max: u8) -> String {
        (0..self.below(max + 1))
            .map(|_| alphabet[usize::from(self.below(alphabet.len() as u8))])
            .collect()
    }
    fn actions(&mut self) -> Vec<(String, String)> {
        (0..1 + self.below(2))
            .map(|_| {
                let service = SERVICES[usize::from(self.below(3))];
                let p = format!("{service}{}", self.word(&ACTION_CHARS, 4));
                (p.clone(), p)
            })
            .collect()
    }
    fn patterns(&mut self, prefix: &str, alphabet: &[char]) -> Vec<(String, String)> {
        (0..1 + self.below(2))
            .map(|_| {
                let p = format!("{prefix}{}", self.word(alphabet, 4));
                (p.clone(), p)
            })
            .collect()
    }
}

const ACTION_CHARS: [char; 4] = ['a', 'b', '*', '?'];
/// Two services and patterns with no service part, so that actions are also compared one
/// service at a time (`by_service`), as they are for any policy naming two services.
const SERVICES: [&str; 3] = ["s:", "t:", ""];
// Colons exercise ARN segment semantics (a `*` inside a segment stops at `:`).
const RESOURCE_CHARS: [char; 4] = ['a', ':', '*', '?'];

fn statement(b: &mut Bytes) -> Statement {
    let shape = b.next();
    let mut conditions = Vec::new();
    match shape % 8 {
        0 | 1 => {
            let like = b.flag();
            let alphabet: &[char] = if like { &['a', 'b', '*'] } else { &['a', 'b'] };
            conditions.push(Clause::Str {
                key: "k".into(),
                syntax: if like {
                    Syntax::Wildcard
                } else {
                    Syntax::Literal
                },
                fold: false,
                negated: b.flag(),
                if_exists: b.flag(),
                values: (0..1 + b.below(2)).map(|_| b.word(alphabet, 2)).collect(),
            });
        }
        2 => conditions.push(Clause::Null {
            key: "k".into(),
            is_null: b.flag(),
        }),
        _ => {}
    }
    Statement {
        effect: if shape & 0x30 == 0x30 {
            Effect::Deny
        } else {
            Effect::Allow
        },
        principals: Match::any(),
        actions: Match::new(shape & 0x40 != 0, b.actions()),
        resources: Match::new(shape & 0x80 != 0, b.patterns("r/", &RESOURCE_CHARS)),
        except: (shape & 0x08 != 0).then(|| Match::new(false, b.patterns("s:", &['a', 'b', '*']))),
        condition_text: Vec::new().into(),
        conditions: conditions.into(),
        origin: 0,
    }
}

fn scope(b: &mut Bytes) -> Scope {
    let statements = (0..1 + b.below(3)).map(|_| statement(b)).collect();
    let boundary = b
        .flag()
        .then(|| (0..1 + b.below(2)).map(|_| statement(b)).collect());
    Scope {
        statements,
        boundary,
    }
}

/// A backtracking matcher. With `arn`, a `*` that does not end an ARN segment matches no `:`
/// (AWS's rule for `Resource` patterns).
fn naive(p: &[char], s: &[char], arn: bool) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') => {
            let ends_segment = matches!(p.get(1), None | Some(':'));
            let may_take = !s.is_empty() && (!arn || ends_segment || s[0] != ':');
            naive(&p[1..], s, arn) || (may_take && naive(p, &s[1..], arn))
        }
        Some('?') => !s.is_empty() && naive(&p[1..], &s[1..], arn),
        Some(c) => s.first() == Some(c) && naive(&p[1..], &s[1..], arn),
    }
}

fn naive_match(pattern: &str, text: &str, arn: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = text.chars().collect();
    naive(&p, &s, arn)
}

fn any_matches(m: &Match, text: &str, arn: bool) -> bool {
    m.patterns.iter().any(|p| naive_match(p, text, arn)) != m.negated
}

fn action_part(st: &Statement, action: &str) -> bool {
    any_matches(&st.actions, action, false)
        && !st
            .except
            .as_ref()
            .is_some_and(|x| x.patterns.iter().any(|p| naive_match(p, action, false)))
}

fn resource_part(st: &Statement, resource: &str) -> bool {
    any_matches(&st.resources, resource, true)
}

/// The statement's conditions on the value of the one key `k` (`None`: absent).
fn condition_part(st: &Statement, value: Option<&str>) -> bool {
    st.conditions.iter().all(|c| match c {
        Clause::Str {
            syntax,
            negated,
            if_exists,
            values,
            ..
        } => match value {
            None => *if_exists || *negated,
            Some(v) => {
                let hit = values.iter().any(|p| match syntax {
                    Syntax::Literal => p == v,
                    _ => naive_match(p, v, false),
                });
                hit != *negated
            }
        },
        Clause::Null { is_null, .. } => value.is_none() == *is_null,
        other => unreachable!("not generated: {other:?}"),
    })
}

/// The value of `k` in a request; a request names an absent key `(absent)`, as the engine's
/// examples do.
fn value(r: &Request) -> Option<&str> {
    r.context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("k"))
        .map(|(_, v)| v.as_str())
        .filter(|v| *v != "(absent)")
}

/// Actions compare case-insensitively (patterns are lower-case already), and an example may
/// name a real action, `sts:AssumeRoleWithSAML` say.
fn naive_applies(st: &Statement, r: &Request) -> bool {
    action_part(st, &r.action.to_lowercase())
        && resource_part(st, &r.resource)
        && condition_part(st, value(r))
}

/// IAM's rule: an explicit Deny anywhere wins; otherwise an Allow of the policies, and of the
/// boundary when there is one. `applies` says whether the statement at an index (the policies'
/// statements, then the boundary's) applies to the request.
fn decide(s: &Scope, applies: impl Fn(usize, &Statement) -> bool) -> bool {
    let n = s.statements.len();
    let all = s.statements.iter().chain(s.boundary.iter().flatten());
    let denied = all
        .enumerate()
        .any(|(i, st)| st.effect == Effect::Deny && applies(i, st));
    let allows = |from: usize, sts: &[Statement]| {
        sts.iter()
            .enumerate()
            .any(|(i, st)| st.effect == Effect::Allow && applies(from + i, st))
    };
    !denied && allows(0, &s.statements) && s.boundary.as_deref().is_none_or(|b| allows(n, b))
}

fn naive_allows(s: &Scope, r: &Request) -> bool {
    decide(s, |_, st| naive_applies(st, r))
}

/// The brute-force grid: every action, resource and value of `k`, with each statement's parts
/// decided once per string rather than once per request.
struct Grid {
    actions: Vec<String>,
    resources: Vec<String>,
    values: Vec<Option<String>>,
}

impl Grid {
    fn parts(&self, st: &Statement) -> [Vec<bool>; 3] {
        [
            self.actions.iter().map(|a| action_part(st, a)).collect(),
            self.resources
                .iter()
                .map(|r| resource_part(st, r))
                .collect(),
            self.values
                .iter()
                .map(|v| condition_part(st, v.as_deref()))
                .collect(),
        ]
    }

    fn request(&self, (a, r, v): (usize, usize, usize)) -> Request {
        Request {
            principal: String::new(),
            action: self.actions[a].clone(),
            resource: self.resources[r].clone(),
            context: self.values[v]
                .iter()
                .map(|v| ("k".to_string(), v.clone()))
                .collect(),
        }
    }
}

fn words(prefix: &str, alphabet: &[char], max: usize) -> Vec<String> {
    let mut out = vec![prefix.to_string()];
    let mut frontier = out.clone();
    for _ in 0..max {
        frontier = frontier
            .iter()
            .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
            .collect();
        out.extend(frontier.iter().cloned());
    }
    // Text outside the prefix matches no pattern; one such string stands for all.
    out.push("x".into());
    out
}

fn all_patterns(s: &Scope) -> impl Iterator<Item = (&String, bool)> {
    s.statements
        .iter()
        .chain(s.boundary.iter().flatten())
        .flat_map(|st| {
            let actions = st.actions.patterns.iter().map(|p| (p, false));
            let except = st
                .except
                .iter()
                .flat_map(|x| x.patterns.iter().map(|p| (p, false)));
            let resources = st.resources.patterns.iter().map(|p| (p, true));
            actions.chain(except).chain(resources)
        })
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (old, new) = (scope(&mut b), scope(&mut b));
    let mut actions = words("s:", &['a', 'b', 'c'], 3);
    actions.extend(
        words("t:", &['a', 'b', 'c'], 3)
            .into_iter()
            .filter(|w| w != "x"),
    );
    // What a pattern without a service part may match besides.
    actions.extend(
        words("", &['a', 'b', 'c'], 2)
            .into_iter()
            .filter(|w| !w.is_empty() && w != "x"),
    );
    let resources = words("r/", &['a', ':', 'c'], 3);
    for (p, arn) in all_patterns(&old).chain(all_patterns(&new)) {
        let glob = if arn { Glob::arn(p) } else { Glob::wildcard(p) };
        for t in if arn { &resources } else { &actions } {
            assert_eq!(glob.matches(t), naive_match(p, t, arn), "{p:?} on {t:?}");
        }
    }
    let delta =
        compare(&old, &new, &Limits::default(), &Untyped).expect("small scopes fit the budget");
    let reported: Vec<usize> = delta.statements.iter().map(|d| d.statement).collect();
    // The condition key's values matter only where a statement tests it.
    let conditional = |s: &Scope| {
        s.statements
            .iter()
            .chain(s.boundary.iter().flatten())
            .any(|st| !st.conditions.is_empty())
    };
    let mut values = vec![None];
    if conditional(&old) || conditional(&new) {
        values.extend(words("", &['a', 'b', 'c'], 2).into_iter().map(Some));
    }
    let grid = Grid {
        actions,
        resources,
        values,
    };
    let parts = |s: &Scope| -> Vec<[Vec<bool>; 3]> {
        s.statements
            .iter()
            .chain(s.boundary.iter().flatten())
            .map(|st| grid.parts(st))
            .collect()
    };
    let (old_parts, new_parts) = (parts(&old), parts(&new));
    let on = |p: &[[Vec<bool>; 3]], i: usize, (a, r, v): (usize, usize, usize)| {
        p[i][0][a] && p[i][1][r] && p[i][2][v]
    };
    for a in 0..grid.actions.len() {
        for r in 0..grid.resources.len() {
            for v in 0..grid.values.len() {
                let at = (a, r, v);
                let now = decide(&new, |i, _| on(&new_parts, i, at));
                let before = decide(&old, |i, _| on(&old_parts, i, at));
                if !now || before {
                    continue;
                }
                for (i, st) in new.statements.iter().enumerate() {
                    if st.effect == Effect::Allow && on(&new_parts, i, at) {
                        let r = grid.request(at);
                        assert!(
                            reported.contains(&i),
                            "statement {i} newly allows {r:?} but is not reported: old {old:?} new {new:?}"
                        );
                    }
                }
            }
        }
    }
    for d in &delta.statements {
        assert!(naive_allows(&new, &d.example), "example not allowed: {d:?}");
        assert!(
            !naive_allows(&old, &d.example),
            "example was allowed before: {d:?}"
        );
        assert_eq!(evaluate(&new, &d.example), Decision::Allowed, "{d:?}");
        assert_ne!(evaluate(&old, &d.example), Decision::Allowed, "{d:?}");
    }
});
