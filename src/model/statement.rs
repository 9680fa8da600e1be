//! Statements and scopes: the provider-neutral form every cloud's grants are read into.
//!
//! A statement denotes a set of requests `principals × actions × resources × contexts`. A scope
//! allows `(∪ Allow) − (∪ Deny)`, intersected with its boundary.

use super::pattern::{self as glob, Syntax};
use super::values::{IpRange, Num, NumOp};
use serde::Serialize;
use std::rc::Rc;

/// Whether a statement allows or denies what it matches; the report writes it `Allow`, `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// `Action`/`NotAction` (and the same for resources and principals): patterns in matching form
/// (actions lower-cased), plus the text as written for display.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Match {
    /// True for `NotAction` / `NotResource` / `NotPrincipal`.
    pub negated: bool,
    /// Patterns in matching form, sorted and de-duplicated. Shared, so that the statements of
    /// a policy attached to many identities are not copied for each.
    pub patterns: Rc<[String]>,
    /// As written (first spelling of each pattern), parallel to `patterns`.
    pub display: Rc<[String]>,
}

impl Match {
    /// Matches everything (a missing dimension, such as the principal of an identity policy).
    pub fn any() -> Match {
        Match {
            negated: false,
            patterns: Rc::from(["*".to_string()]),
            display: Rc::from(["*".to_string()]),
        }
    }

    /// Builds a match from (matching form, display form) pairs.
    pub fn new(negated: bool, mut pairs: Vec<(String, String)>) -> Match {
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        let (patterns, display): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        Match {
            negated,
            patterns: patterns.into(),
            display: display.into(),
        }
    }
}

/// One condition clause: an operator on one key. A statement's clauses are ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Clause {
    /// String-family operators (`StringEquals`, `StringLike`, `ArnLike`, `Bool`,
    /// `StringEqualsIgnoreCase`, their `Not` and `IfExists` forms) on a single-valued key: true
    /// when any value matches (none, if negated). With `fold` (`Bool`, `...IgnoreCase`) the
    /// values are lower-case and so is the request's value before matching.
    Str {
        key: String,
        syntax: Syntax,
        fold: bool,
        negated: bool,
        if_exists: bool,
        values: Vec<String>,
    },
    /// `Null`: true when the key is absent (`is_null`) or present (`!is_null`).
    Null { key: String, is_null: bool },
    /// `IpAddress` / `NotIpAddress` (and `IfExists`): true when the key's address is in any
    /// range (in none, if negated).
    Ip {
        key: String,
        negated: bool,
        if_exists: bool,
        ranges: Vec<IpRange>,
    },
    /// `Numeric*` and `Date*` (and `IfExists`): true when the key's value compares as `op` with
    /// any value (with none, if negated: the `NotEquals` forms). Dates are epoch seconds.
    Num {
        key: String,
        op: NumOp,
        negated: bool,
        if_exists: bool,
        date: bool,
        values: Vec<Num>,
    },
    /// `ForAnyValue:` / `ForAllValues:` with a string operator, on a multivalued key: each
    /// element of the request's set matches (or, if negated, does not match) a value; any one
    /// element suffices, or all must. An absent key makes `ForAllValues` true and `ForAnyValue`
    /// false (both true with `IfExists`).
    Set {
        key: String,
        all: bool,
        syntax: Syntax,
        negated: bool,
        if_exists: bool,
        values: Vec<String>,
    },
    /// An operator privdiff does not model (binary comparisons, set operators on numbers, a
    /// value it cannot parse...). It is treated
    /// as an independent yes/no fact: identical clauses agree, different ones are unrelated,
    /// which can report a widening that is not one but never hides one.
    Opaque { text: String },
}

impl Clause {
    /// The condition key the clause reads; `None` for an unmodelled clause.
    pub fn key(&self) -> Option<&str> {
        match self {
            Clause::Str { key, .. }
            | Clause::Null { key, .. }
            | Clause::Ip { key, .. }
            | Clause::Num { key, .. }
            | Clause::Set { key, .. } => Some(key),
            Clause::Opaque { .. } => None,
        }
    }
}

/// One statement in matching form, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Statement {
    pub effect: Effect,
    pub principals: Match,
    pub actions: Match,
    pub resources: Match,
    /// Actions taken out of `actions` in this statement only (Azure `NotActions` and
    /// `NotDataActions`): the statement applies to an action that `actions` matches and no
    /// `except` pattern does. Unlike a Deny it leaves other statements alone, which is what
    /// Azure means by it. Never negated; `None` for AWS and GCP.
    pub except: Option<Match>,
    /// Sorted, de-duplicated.
    pub conditions: Rc<[Clause]>,
    /// Conditions as written, one `Operator key [values]` string per clause (for display).
    pub condition_text: Rc<[String]>,
    /// Index into the caller's table of statement origins (policy source, sensitivity).
    pub origin: usize,
}

impl Statement {
    /// The statement's meaning without its origin, for "same statement?" checks.
    pub fn same_meaning(&self, other: &Statement) -> bool {
        self.effect == other.effect
            && self.principals.negated == other.principals.negated
            && self.principals.patterns == other.principals.patterns
            && self.actions.negated == other.actions.negated
            && self.actions.patterns == other.actions.patterns
            && self.resources.negated == other.resources.negated
            && self.resources.patterns == other.resources.patterns
            && except_patterns(self) == except_patterns(other)
            && self.conditions == other.conditions
    }

    /// Whether the statement's actions cover `action` (matching form: lower case), `except`
    /// taken out.
    pub fn covers_action(&self, action: &str) -> bool {
        let any = |m: &Match| m.patterns.iter().any(|p| glob::wildcard_matches(p, action));
        any(&self.actions) != self.actions.negated && !self.except.as_ref().is_some_and(any)
    }
}

/// The subtracted patterns of a statement (empty when there are none).
fn except_patterns(s: &Statement) -> &[String] {
    s.except.as_ref().map_or(&[], |m| &m.patterns)
}

/// Everything one side (before or after) allows for one question (permissions or trust).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub statements: Vec<Statement>,
    /// Permissions boundary: when present, a request must also be allowed (and not denied) by it.
    pub boundary: Option<Vec<Statement>>,
}

impl Scope {
    /// Whether two scopes are the same statement for statement (ignoring order, duplicates and
    /// origins): a cheap sufficient test for "unchanged" before any search.
    pub fn same_statements(&self, other: &Scope) -> bool {
        fn key(v: &[Statement]) -> Vec<&Statement> {
            let mut k: Vec<&Statement> = v.iter().collect();
            k.sort_by(|a, b| cmp_meaning(a, b));
            k.dedup_by(|a, b| a.same_meaning(b));
            k
        }
        fn eq(a: &[Statement], b: &[Statement]) -> bool {
            let (ka, kb) = (key(a), key(b));
            ka.len() == kb.len() && ka.iter().zip(&kb).all(|(x, y)| x.same_meaning(y))
        }
        eq(&self.statements, &other.statements)
            && match (&self.boundary, &other.boundary) {
                (None, None) => true,
                (Some(a), Some(b)) => eq(a, b),
                _ => false,
            }
    }
}

/// Orders statements by meaning (origin ignored), for sorting and de-duplicating.
pub fn cmp_meaning(a: &Statement, b: &Statement) -> std::cmp::Ordering {
    (
        a.effect,
        &a.principals.negated,
        &a.principals.patterns,
        &a.actions.negated,
        &a.actions.patterns,
        &a.resources.negated,
        &a.resources.patterns,
        except_patterns(a),
        &a.conditions,
    )
        .cmp(&(
            b.effect,
            &b.principals.negated,
            &b.principals.patterns,
            &b.actions.negated,
            &b.actions.patterns,
            &b.resources.negated,
            &b.resources.patterns,
            except_patterns(b),
            &b.conditions,
        ))
}
