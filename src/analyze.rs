//! The pipeline: typed plan → grants per identity → comparison → report.

use crate::extract::{self, InputError};
use crate::plan::refs::Config;
use crate::plan::Plan;
use crate::report::{PlanInfo, Report, Summary, ToolInfo, Verdict, SCHEMA_VERSION};
use crate::scope::Limits;
use crate::{diff, findings};

/// Analyses a loaded plan. Errors are problems with the input (a policy of the wrong type);
/// problems with the infrastructure are findings.
pub fn analyze(plan: &Plan, limits: &Limits) -> Result<Report, InputError> {
    let config = Config::parse(plan.configuration);
    let scopes = extract::aws::extract(plan, config.as_ref())?;
    let mut plan_work = limits.max_plan_work;
    let mut identities: Vec<_> = scopes
        .iter()
        .map(|s| diff::identity(s, limits, &mut plan_work))
        .collect();
    identities.sort_by(|a, b| a.address.cmp(&b.address));
    let mut summary = Summary {
        identities: identities.len(),
        ..Summary::default()
    };
    for i in &identities {
        *match i.verdict {
            Verdict::Widened => &mut summary.widened,
            Verdict::Narrowed => &mut summary.narrowed,
            Verdict::Unchanged => &mut summary.unchanged,
            Verdict::Unverifiable => &mut summary.unverifiable,
            Verdict::Created => &mut summary.created,
            Verdict::Deleted => &mut summary.deleted,
        } += 1;
    }
    let findings = identities.iter().flat_map(findings::for_identity).collect();
    let mut notes = Vec::new();
    if plan.errored {
        notes.push(
            "Terraform reported that planning failed: the changes in this plan may be partial"
                .into(),
        );
    }
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo {
            name: "privdiff",
            version: env!("CARGO_PKG_VERSION"),
            data: crate::catalog::sources()
                .into_iter()
                .map(Into::into)
                .collect(),
        },
        plan: PlanInfo {
            format_version: plan.format_version.clone(),
            terraform_version: plan.terraform_version.clone(),
            errored: plan.errored,
        },
        summary,
        identities,
        findings,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_past_the_plan_budget_are_unverifiable() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/plans/resource-wildcards.json"
        );
        let bytes = std::fs::read(path).unwrap();
        let plan = crate::plan::load(&bytes).unwrap();
        let full = analyze(&plan, &Limits::default()).unwrap();
        assert_eq!(full.summary.unverifiable, 0);
        let tight = Limits {
            max_plan_work: 1,
            ..Limits::default()
        };
        let report = analyze(&plan, &tight).unwrap();
        // The first identity (by address) is compared; the budget is then spent.
        assert_eq!(report.identities[0].verdict, full.identities[0].verdict);
        assert_eq!(report.summary.unverifiable, report.identities.len() - 1);
        assert!(report.identities[1].notes[0].contains("budget"));
    }
}
