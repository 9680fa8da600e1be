//! Randomised checks of the comparison against brute force on small alphabets: every request
//! the new scope allows and the old does not must be reported (soundness), and every reported
//! example must be such a request (precision).

use super::{compare, evaluate, Delta, Limits};
use crate::model::pattern::{self as glob, Glob, Syntax};
use crate::model::vocabulary::Vocabulary;
use crate::model::{
    values, Clause, Decision, Effect, Match, Num, NumOp, Request, Scope, Statement,
};

/// A vocabulary that offers no words: witnesses are the search's own representatives.
pub struct Plain;

use crate::providers::azure::vocabulary::Azure;

impl Vocabulary for Plain {}
use std::rc::Rc;

/// A small deterministic generator (no dependency needed for test data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn word(rng: &mut Lcg, alphabet: &[char], max: u64) -> String {
    (0..rng.below(max + 1))
        .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
        .collect()
}

fn patterns(rng: &mut Lcg, prefix: &str, alphabet: &[char]) -> Vec<(String, String)> {
    (0..1 + rng.below(2))
        .map(|_| {
            let p = format!("{prefix}{}", word(rng, alphabet, 3));
            (p.clone(), p)
        })
        .collect()
}

fn statement(rng: &mut Lcg) -> Statement {
    let mut conditions = Vec::new();
    if rng.chance(35) {
        conditions.push(if rng.chance(80) {
            let like = rng.chance(50);
            let alphabet: &[char] = if like { &['a', 'b', '*'] } else { &['a', 'b'] };
            Clause::Str {
                key: "k".into(),
                syntax: if like {
                    Syntax::Wildcard
                } else {
                    Syntax::Literal
                },
                fold: false,
                negated: rng.chance(25),
                if_exists: rng.chance(25),
                values: (0..1 + rng.below(2))
                    .map(|_| word(rng, alphabet, 2))
                    .collect(),
            }
        } else {
            Clause::Null {
                key: "k".into(),
                is_null: rng.chance(50),
            }
        });
    }
    Statement {
        effect: if rng.chance(75) {
            Effect::Allow
        } else {
            Effect::Deny
        },
        principals: Match::any(),
        actions: Match::new(rng.chance(15), patterns(rng, "s:", &['a', 'b', '*', '?'])),
        // Colons exercise ARN segment semantics (a `*` inside a segment stops at `:`).
        resources: Match::new(rng.chance(10), patterns(rng, "r/", &['a', ':', '*', '?'])),
        // Azure-style subtraction, checked against brute force like the rest.
        except: rng
            .chance(20)
            .then(|| Match::new(false, patterns(rng, "s:", &['a', 'b', '*']))),
        condition_text: Vec::new().into(),
        conditions: conditions.into(),
        origin: 0,
    }
}

fn scope(rng: &mut Lcg) -> Scope {
    Scope {
        statements: (0..1 + rng.below(3)).map(|_| statement(rng)).collect(),
        boundary: rng
            .chance(20)
            .then(|| (0..1 + rng.below(2)).map(|_| statement(rng)).collect()),
    }
}

fn all_words(prefix: &str, max: usize) -> Vec<String> {
    words_over(prefix, max, &['a', 'b', 'c'])
}

fn words_over(prefix: &str, max: usize, alphabet: &[char]) -> Vec<String> {
    let mut out = vec![prefix.to_string()];
    let mut frontier = out.clone();
    for _ in 0..max {
        frontier = frontier
            .iter()
            .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
            .collect();
        out.extend(frontier.iter().cloned());
    }
    out
}

/// Soundness on the sampled requests (`found`: some sample is a widening), and precision by
/// checking every reported example, since the sample cannot hold every string the engine may
/// use as a witness.
fn check(round: usize, old: &Scope, new: &Scope, found: bool, delta: &Delta) {
    assert!(
        !found || !delta.is_empty(),
        "round {round}: missed: old {old:?} new {new:?}"
    );
    for d in &delta.statements {
        assert_eq!(
            evaluate(new, &d.example),
            Decision::Allowed,
            "round {round}: {d:?}"
        );
        assert_ne!(
            evaluate(old, &d.example),
            Decision::Allowed,
            "round {round}: {d:?}"
        );
    }
}

#[test]
fn comparison_agrees_with_brute_force() {
    let mut rng = Lcg(0x5eed);
    // Strings outside the prefix match no pattern; one of them stands for all.
    let mut actions = all_words("s:", 3);
    actions.push("x".into());
    let mut resources = words_over("r/", 3, &['a', ':', 'c']);
    resources.push("x".into());
    let mut contexts: Vec<Option<String>> = vec![None];
    contexts.extend(all_words("", 2).into_iter().map(Some));
    let mut widenings = 0;
    for round in 0..150 {
        let (old, new) = (scope(&mut rng), scope(&mut rng));
        let delta =
            compare(&old, &new, &Limits::default(), &Plain).expect("small scopes fit the budget");
        let reported: Vec<usize> = delta.statements.iter().map(|d| d.statement).collect();
        let mut found = false;
        for a in &actions {
            for r in &resources {
                for c in &contexts {
                    let req = Request {
                        principal: String::new(),
                        action: a.clone(),
                        resource: r.clone(),
                        context: c.iter().map(|v| ("k".to_string(), v.clone())).collect(),
                    };
                    if evaluate(&new, &req) != Decision::Allowed
                        || evaluate(&old, &req) == Decision::Allowed
                    {
                        continue;
                    }
                    found = true;
                    // Every Allow statement of the new scope that lets this request through
                    // must be among the reported ones.
                    for (i, s) in new.statements.iter().enumerate() {
                        let alone = Scope {
                            statements: vec![s.clone()],
                            boundary: None,
                        };
                        if s.effect == Effect::Allow && evaluate(&alone, &req) == Decision::Allowed
                        {
                            assert!(
                                reported.contains(&i),
                                "round {round}: statement {i} allows {req:?} (new {new:?}, old {old:?}) but was not reported"
                            );
                        }
                    }
                }
            }
        }
        check(round, &old, &new, found, &delta);
        widenings += usize::from(!delta.is_empty());
    }
    assert!(
        widenings > 20 && widenings < 140,
        "generator is lopsided: {widenings} widenings"
    );
}

/// A naive backtracking matcher, for comparison with the automaton.
fn naive(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') => naive(&p[1..], s) || (!s.is_empty() && naive(p, &s[1..])),
        Some('?') => !s.is_empty() && naive(&p[1..], &s[1..]),
        Some(c) => s.first() == Some(c) && naive(&p[1..], &s[1..]),
    }
}

#[test]
fn glob_matching_agrees_with_naive_matcher() {
    let mut rng = Lcg(7);
    let texts = all_words("", 4);
    for _ in 0..300 {
        let p = word(&mut rng, &['a', 'b', '*', '?'], 5);
        let g = Glob::wildcard(&p);
        let pc: Vec<char> = p.chars().collect();
        for t in &texts {
            let tc: Vec<char> = t.chars().collect();
            assert_eq!(g.matches(t), naive(&pc, &tc), "pattern {p:?} text {t:?}");
            // The shortcut for plain and `prefix*` patterns gives the automaton's answer.
            assert_eq!(glob::wildcard_matches(&p, t), g.matches(t), "{p:?} {t:?}");
            let arn = p.replace('b', ":");
            let t = t.replace('b', ":");
            assert_eq!(
                glob::arn_matches(&arn, &t),
                Glob::arn(&arn).matches(&t),
                "{arn:?} {t:?}"
            );
        }
    }
}

fn typed_statement(rng: &mut Lcg) -> Statement {
    const CIDRS: &[&str] = &[
        "10.0.0.0/8",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "192.168.0.0/16",
        "2001:db8::/32",
    ];
    let mut conditions = Vec::new();
    for _ in 0..rng.below(3) {
        conditions.push(if rng.chance(33) {
            let like = rng.chance(50);
            let alphabet: &[char] = if like { &['a', 'b', '*'] } else { &['a', 'b'] };
            Clause::Set {
                key: "t".into(),
                all: rng.chance(50),
                syntax: if like {
                    Syntax::Wildcard
                } else {
                    Syntax::Literal
                },
                negated: rng.chance(25),
                if_exists: rng.chance(15),
                values: (0..1 + rng.below(2))
                    .map(|_| word(rng, alphabet, 2))
                    .collect(),
            }
        } else if rng.chance(50) {
            let ops = [NumOp::Eq, NumOp::Lt, NumOp::Le, NumOp::Gt, NumOp::Ge];
            Clause::Num {
                key: "n".into(),
                op: ops[rng.below(5) as usize],
                negated: rng.chance(20),
                if_exists: rng.chance(25),
                date: false,
                values: (0..1 + rng.below(2))
                    .map(|_| Num(1.0 + rng.below(3) as f64))
                    .collect(),
            }
        } else {
            Clause::Ip {
                key: "ip".into(),
                negated: rng.chance(25),
                if_exists: rng.chance(25),
                ranges: (0..1 + rng.below(2))
                    .map(|_| {
                        values::parse_cidr(CIDRS[rng.below(CIDRS.len() as u64) as usize]).unwrap()
                    })
                    .collect(),
            }
        });
    }
    conditions.sort();
    Statement {
        effect: if rng.chance(75) {
            Effect::Allow
        } else {
            Effect::Deny
        },
        principals: Match::any(),
        actions: Match::any(),
        resources: Match::any(),
        except: None,
        condition_text: Vec::new().into(),
        conditions: conditions.into(),
        origin: 0,
    }
}

#[test]
fn typed_and_set_conditions_agree_with_brute_force() {
    let mut rng = Lcg(0xc1d7);
    // One value in every region the generated bounds and ranges can cut out.
    let numbers = ["0", "1", "1.5", "2", "2.5", "3", "4"];
    let ips = [
        "8.8.8.8",
        "10.9.9.9",
        "10.1.5.5",
        "10.1.2.3",
        "192.168.1.1",
        "2001:db8::1",
        "2002::1",
    ];
    let sets = [
        r#"["a"]"#,
        r#"["b"]"#,
        r#"["c"]"#,
        r#"["a","b"]"#,
        r#"["a","c"]"#,
        r#"["b","c"]"#,
        r#"["a","b","c"]"#,
    ];
    let mut widenings = 0;
    for round in 0..300 {
        let mk = |rng: &mut Lcg| Scope {
            statements: (0..1 + rng.below(3))
                .map(|_| typed_statement(rng))
                .collect(),
            boundary: None,
        };
        let (old, new) = (mk(&mut rng), mk(&mut rng));
        let delta = compare(&old, &new, &Limits::default(), &Plain).unwrap();
        let mut found = false;
        for n in std::iter::once(None).chain(numbers.iter().map(Some)) {
            for ip in std::iter::once(None).chain(ips.iter().map(Some)) {
                for t in std::iter::once(None).chain(sets.iter().map(Some)) {
                    let mut context = Vec::new();
                    context.extend(n.map(|v| ("n".to_string(), v.to_string())));
                    context.extend(ip.map(|v| ("ip".to_string(), v.to_string())));
                    context.extend(t.map(|v| ("t".to_string(), v.to_string())));
                    let req = Request {
                        principal: String::new(),
                        action: "s:a".into(),
                        resource: "r".into(),
                        context,
                    };
                    found |= evaluate(&new, &req) == Decision::Allowed
                        && evaluate(&old, &req) != Decision::Allowed;
                }
            }
        }
        check(round, &old, &new, found, &delta);
        widenings += usize::from(!delta.is_empty());
    }
    assert!(
        widenings > 30 && widenings < 270,
        "generator is lopsided: {widenings} widenings"
    );
}

/// An Azure-style Allow: `actions` minus `except` on `scope` and below (matching forms).
fn azure(actions: &[&str], except: &[&str], scope: &str) -> Statement {
    let pairs = |l: &[&str]| l.iter().map(|a| (a.to_string(), a.to_string())).collect();
    Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions: Match::new(false, pairs(actions)),
        resources: Match::new(
            false,
            vec![
                (scope.to_string(), scope.to_string()),
                (format!("{scope}/*"), format!("{scope}/*")),
            ],
        ),
        except: (!except.is_empty()).then(|| Match::new(false, pairs(except))),
        conditions: Rc::from([]),
        condition_text: Rc::from([]),
        origin: 0,
    }
}

fn one(st: Statement) -> Scope {
    Scope {
        statements: vec![st],
        boundary: None,
    }
}

const SUB: &str = "/subscriptions/s";
const CONTRIBUTOR_EXCEPT: &[&str] = &[
    "action:microsoft.authorization/*/delete",
    "action:microsoft.authorization/*/write",
    "action:microsoft.authorization/elevateaccess/action",
];

fn request(action: &str, resource: &str) -> Request {
    Request {
        principal: String::new(),
        action: action.into(),
        resource: resource.into(),
        context: Vec::new(),
    }
}

#[test]
fn subtracted_actions_are_not_allowed_by_their_statement() {
    let contributor = one(azure(&["action:*"], CONTRIBUTOR_EXCEPT, SUB));
    let write = request("action:microsoft.authorization/roleassignments/write", SUB);
    assert_eq!(evaluate(&contributor, &write), Decision::NotAllowed);
    let vm = request("action:microsoft.compute/virtualmachines/write", SUB);
    assert_eq!(evaluate(&contributor, &vm), Decision::Allowed);
    // A subtraction is not a deny: another statement may still allow the action.
    let mut both = contributor.clone();
    both.statements
        .push(azure(&["action:microsoft.authorization/*"], &[], SUB));
    assert_eq!(evaluate(&both, &write), Decision::Allowed);
    let delta = compare(&both, &contributor, &Limits::default(), &Azure).unwrap();
    assert!(delta.is_empty());
}

#[test]
fn contributor_to_owner_widens_with_an_authorization_write() {
    let contributor = one(azure(&["action:*"], CONTRIBUTOR_EXCEPT, SUB));
    let owner = one(azure(&["action:*"], &[], SUB));
    let delta = compare(&contributor, &owner, &Limits::default(), &Azure).unwrap();
    let w = delta.witness().expect("Owner adds role-assignment writes");
    let a = w.action.to_lowercase();
    assert!(
        a.starts_with("action:microsoft.authorization/") || a.contains("elevateaccess"),
        "{w:?}"
    );
    assert_eq!(evaluate(&owner, w), Decision::Allowed);
    assert_ne!(evaluate(&contributor, w), Decision::Allowed);
    let back = compare(&owner, &contributor, &Limits::default(), &Azure).unwrap();
    assert!(back.is_empty(), "Owner covers Contributor");
}

#[test]
fn a_subtraction_narrows_its_role() {
    let all = one(azure(&["action:microsoft.storage/*"], &[], SUB));
    let some = one(azure(
        &["action:microsoft.storage/*"],
        &["action:microsoft.storage/*/delete"],
        SUB,
    ));
    assert!(compare(&all, &some, &Limits::default(), &Azure)
        .unwrap()
        .is_empty());
    let delta = compare(&some, &all, &Limits::default(), &Azure).unwrap();
    let w = delta.witness().expect("deletes were subtracted");
    assert!(w.action.to_lowercase().ends_with("/delete"), "{w:?}");
    assert!(!some.same_statements(&all));
}

#[test]
fn control_plane_wildcards_do_not_reach_data_actions() {
    let owner = one(azure(&["action:*"], &[], SUB));
    let reader = one(azure(
        &["dataaction:microsoft.storage/storageaccounts/blobservices/containers/blobs/read"],
        &[],
        SUB,
    ));
    let delta = compare(&owner, &reader, &Limits::default(), &Azure).unwrap();
    let w = delta.witness().expect("Owner grants no data actions");
    assert!(w.action.to_lowercase().starts_with("dataaction:"), "{w:?}");
}

/// Found by the `containment` fuzz target: `r/*?` (a `*` that stops at `:`) matches `r/xa` but
/// not `r/:a`, so a Deny on it leaves `r/:a` to the Allow. The atom search tried only the
/// characters the patterns name, and missed it.
#[test]
fn a_deny_whose_star_stops_at_colons_leaves_resources_with_one_allowed() {
    let pairs = |v: &[&str]| v.iter().map(|p| (p.to_string(), p.to_string())).collect();
    let statement = |effect, actions: Match, resource: &str| Statement {
        effect,
        principals: Match::any(),
        actions,
        resources: Match::new(false, pairs(&[resource])),
        except: None,
        conditions: Vec::new().into(),
        condition_text: Vec::new().into(),
        origin: 0,
    };
    let new = Scope {
        statements: vec![
            statement(Effect::Deny, Match::new(true, pairs(&["s:"])), "r/*?"),
            statement(Effect::Allow, Match::new(false, pairs(&["*a*"])), "r/?a"),
        ],
        boundary: None,
    };
    let delta = compare(&Scope::default(), &new, &Limits::default(), &Plain).unwrap();
    let d = delta.statements.first().expect("the Allow widens on r/:a");
    assert_eq!(d.statement, 1);
    assert_eq!(d.example.resource, "r/:a");
    assert_eq!(evaluate(&new, &d.example), Decision::Allowed);
}
