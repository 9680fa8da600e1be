//! Test support for the extractors: a plan made of resource changes, analysed end to end.

use crate::analyze::Options;
use crate::compare::Limits;
use crate::report::Report;
use serde_json::{json, Value};

/// A plan with these resource changes and this configuration, analysed with `options`.
pub fn analyse(changes: Value, configuration: Value, options: &Options) -> Report {
    let plan = json!({
        "format_version": "1.2",
        "planned_values": {},
        "configuration": configuration,
        "resource_changes": changes,
    });
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    crate::analyze::analyze(&plan, &Limits::default(), options).unwrap()
}

/// Each identity's address and verdict, in report order.
pub fn verdicts(r: &Report) -> Vec<(String, String)> {
    r.identities
        .iter()
        .map(|i| (i.address.clone(), format!("{:?}", i.verdict)))
        .collect()
}
