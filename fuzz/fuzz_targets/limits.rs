//! The analysis budget of the fuzz targets.

use privdiff::compare::Limits;

/// The CLI's budget cut down, so that a large seed plan takes milliseconds rather than a second
/// and the paths taken when the budget runs out are fuzzed too.
pub const LIMITS: Limits = Limits {
    max_states: 10_000,
    max_steps: 500_000,
    max_evaluations: 50_000,
    max_contexts: 4_096,
    max_plan_work: 5_000_000,
};
