//! When the exact comparison runs out of budget: look for added requests by sampling.
//!
//! A scope too large to compare exactly (two big AWS managed policies with many ARN patterns,
//! say) is unverifiable; but a request the new scope allows and the old one does not still
//! proves a widening, whatever else was added. This tries a bounded number of plausible
//! requests from the new scope's Allow statements (real actions from the provider's catalog for
//! each action pattern, resources filled in from the statement or from the action's resource type,
//! principals filled in) and checks each against both scopes with the direct evaluator. What it
//! finds is certain; what it misses is not reported as safe: without a find the identity stays
//! unverifiable.

use crate::compare::{evaluate, Delta, StatementDelta};
use crate::model::pattern::Glob;
use crate::model::vocabulary::Vocabulary;
use crate::model::{Decision, Effect, Request, Scope};

/// The detail of a grant found by sampling.
pub const SAMPLED: &str =
    "found by sampling: at least the example is new; the full extent was not computed";

/// Requests tried per comparison: each is evaluated against both scopes, pattern by pattern.
const MAX_TRIES: usize = 400;
/// Statements checked in all, over every request tried: a request is evaluated against every
/// statement of both scopes, so a policy of a million statements gets a few tries, not 400
/// (which took hours).
const MAX_STATEMENT_CHECKS: usize = 10_000_000;
/// Real actions tried for a `NotAction`.
const ACTIONS_OUTSIDE_NOT_ACTION: usize = 12;

/// Statements of `new` with a request it allows and `old` does not, one example each.
pub fn sample(old: &Scope, new: &Scope, words: &dyn Vocabulary) -> Delta {
    let size = |s: &Scope| s.statements.len() + s.boundary.as_ref().map_or(0, Vec::len);
    let max_tries = MAX_TRIES.min(MAX_STATEMENT_CHECKS / (size(old) + size(new)).max(1));
    let mut tries = 0;
    let mut found = Vec::new();
    for (si, st) in new.statements.iter().enumerate() {
        if st.effect != Effect::Allow || tries >= max_tries {
            continue;
        }
        // Candidates an Azure `NotActions` pattern takes out could never be allowed by `st`.
        let candidates = actions(&st.actions.patterns, st.actions.negated, words)
            .into_iter()
            .filter(|a| st.covers_action(&a.to_lowercase()));
        'statement: for action in candidates {
            let resources = resources(&st.resources.patterns, st.resources.negated, &action, words);
            for resource in resources {
                let principals = principals(&st.principals.patterns, st.principals.negated, words);
                for principal in principals {
                    if tries >= max_tries {
                        break 'statement;
                    }
                    tries += 1;
                    let request = Request {
                        principal,
                        action: action.clone(),
                        resource: resource.clone(),
                        context: Vec::new(),
                    };
                    if evaluate(new, &request) != Decision::Allowed {
                        continue;
                    }
                    let old_decision = evaluate(old, &request);
                    if old_decision == Decision::Allowed {
                        continue;
                    }
                    found.push(StatementDelta {
                        statement: si,
                        actions: matching(
                            &st.actions.patterns,
                            &request.action.to_lowercase(),
                            Glob::wildcard,
                        ),
                        resources: matching(&st.resources.patterns, &request.resource, Glob::arn),
                        principals: matching(
                            &st.principals.patterns,
                            &request.principal,
                            Glob::wildcard,
                        ),
                        // Only this request is known to be new.
                        partial: true,
                        exact: None,
                        old_decision,
                        example: request,
                    });
                    break 'statement;
                }
            }
        }
    }
    Delta {
        statements: found,
        work: tries,
        approximate: false,
    }
}

/// Indices of the patterns that match `value` (all of them for a negated match, as the
/// comparison reports it).
fn matching(patterns: &[String], value: &str, compile: fn(&str) -> Glob) -> Vec<usize> {
    let hit: Vec<usize> = (0..patterns.len())
        .filter(|&i| compile(&patterns[i]).matches(value))
        .collect();
    if hit.is_empty() {
        (0..patterns.len()).collect()
    } else {
        hit
    }
}

/// Real actions for each pattern (the most consequential first), then the pattern filled in,
/// for a service the catalog does not know. For `NotAction`, real actions outside the
/// excluded patterns.
fn actions(patterns: &[String], negated: bool, words: &dyn Vocabulary) -> Vec<String> {
    if negated {
        let globs: Vec<Glob> = patterns.iter().map(|p| Glob::wildcard(p)).collect();
        let outside = |a: &str| !globs.iter().any(|g| g.matches(&a.to_lowercase()));
        return words.sample_any_actions(&outside, ACTIONS_OUTSIDE_NOT_ACTION);
    }
    let mut out = Vec::new();
    for p in patterns {
        out.extend(words.sample_actions(p));
        out.push(Glob::wildcard(p).sample("example", 'x'));
    }
    out.dedup();
    out
}

/// Resources for `action`: the statement's patterns filled in, then a resource of each type
/// the action takes (for `*` and `NotResource`).
fn resources(
    patterns: &[String],
    negated: bool,
    action: &str,
    words: &dyn Vocabulary,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !negated {
        out.extend(
            patterns
                .iter()
                .filter(|p| p.as_str() != "*")
                .map(|p| Glob::arn(p).sample("example", 'x')),
        );
    }
    if negated || patterns.iter().any(|p| p == "*") {
        out.extend(words.sample_resources(action));
        if !out.iter().any(|r| r == "*") {
            out.push("*".to_string());
        }
    }
    out
}

fn principals(patterns: &[String], negated: bool, words: &dyn Vocabulary) -> Vec<String> {
    if negated {
        return words
            .principal_examples()
            .iter()
            .take(1)
            .map(|p| p.to_string())
            .collect();
    }
    patterns
        .iter()
        .map(|p| Glob::wildcard(p).sample("example", 'x'))
        .take(4)
        .collect()
}
