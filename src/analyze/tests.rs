//! The pipeline end to end, and test support for the extractors: a plan made of resource
//! changes, analysed.

use super::{analyze, Options};
use crate::compare::Limits;
use crate::report::Report;
use serde_json::{json, Value};

/// A plan with these resource changes and this configuration, analysed with `options`.
pub(crate) fn analyse(changes: Value, configuration: Value, options: &Options) -> Report {
    let plan = json!({
        "format_version": "1.2",
        "planned_values": {},
        "configuration": configuration,
        "resource_changes": changes,
    });
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    analyze(&plan, &Limits::default(), options).unwrap()
}

/// Each identity's address and verdict, in report order.
pub(crate) fn verdicts(r: &Report) -> Vec<(String, String)> {
    r.identities
        .iter()
        .map(|i| (i.address.clone(), format!("{:?}", i.verdict)))
        .collect()
}

#[test]
fn identities_past_the_plan_budget_are_unverifiable() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/plans/resource-wildcards.json"
    );
    let bytes = std::fs::read(path).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    let full = analyze(&plan, &Limits::default(), &Options::default()).unwrap();
    assert_eq!(full.summary.unverifiable, 0);
    let tight = Limits {
        max_plan_work: 1,
        ..Limits::default()
    };
    let report = analyze(&plan, &tight, &Options::default()).unwrap();
    // The first identity (by address) is compared; the budget is then spent.
    assert_eq!(report.identities[0].verdict, full.identities[0].verdict);
    assert_eq!(report.summary.unverifiable, report.identities.len() - 1);
    assert!(report.identities[1].notes[0].contains("budget"));
}
