//! The exact scope comparison: which requests does the new scope allow that the old one did
//! not? It evaluates one representative request per combination of atoms (see `atoms.rs`),
//! which is exact for wildcard patterns, and [`evaluate`] answers for one request directly.

mod atoms;
mod by_service;
mod engine;
mod evaluate;
mod typed;

pub use engine::{compare, compare_both};
pub use evaluate::{evaluate, failing_clauses, proves, statement_applies};
pub use typed::dead_patterns;

use crate::model::{Decision, Request};

#[cfg(test)]
mod tests;

/// The analysis budget ran out; the caller reports the identity as unverifiable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted;

/// Bounds on the work for one comparison. Exceeding any of them yields [`Exhausted`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Product automaton states per dimension.
    pub max_states: usize,
    /// Single-pattern automaton steps per dimension.
    pub max_steps: usize,
    /// Requests evaluated in all.
    pub max_evaluations: usize,
    /// Condition contexts tried for one (principal, action, resource) atom.
    pub max_contexts: usize,
    /// Work (see [`Delta::work`]) for all comparisons of one plan together; once spent, the
    /// identities left are reported as unverifiable.
    pub max_plan_work: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_states: 100_000,
            max_steps: 5_000_000,
            max_evaluations: 2_000_000,
            max_contexts: 65_536,
            max_plan_work: 200_000_000,
        }
    }
}

/// One statement of the wider scope that allows requests the narrower one did not.
#[derive(Debug, Clone)]
pub struct StatementDelta {
    /// Index into the wider scope's `statements`.
    pub statement: usize,
    /// Indices into that statement's `actions.patterns` that cover added requests (all of them
    /// for `NotAction`); likewise for resources and principals.
    pub actions: Vec<usize>,
    pub resources: Vec<usize>,
    pub principals: Vec<usize>,
    /// Some requests this statement allows were allowed before too.
    pub partial: bool,
    /// The real actions of the added requests, when the provider types its requests.
    pub exact: Option<Exact>,
    /// Why the narrower scope refused `example`.
    pub old_decision: Decision,
    pub example: Request,
}

/// The actions of a statement's added requests, exactly: real actions that meet a resource the
/// statement names and that the other scope refused, and the patterns that add actions the
/// catalog lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exact {
    /// Ids in the provider's catalog (`Vocabulary::types`), ascending.
    pub actions: Vec<u32>,
    /// Indices into the statement's `actions.patterns` of patterns that match no catalog
    /// action and cover added requests.
    pub unknown: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Delta {
    pub statements: Vec<StatementDelta>,
    /// Work the comparison took (automaton steps and requests evaluated), for budgets that
    /// span many comparisons. Set on the first delta a comparison returns.
    pub work: usize,
    /// Some condition was compared only by its text (an unmodelled operator, or a key used
    /// with two kinds of operator), so an addition may be narrower than reported.
    pub approximate: bool,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The first added request: the witness.
    pub fn witness(&self) -> Option<&Request> {
        self.statements.first().map(|d| &d.example)
    }
}
