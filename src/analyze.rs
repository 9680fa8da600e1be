//! The pipeline: typed plan → grants per identity and resource → comparison → who can reach
//! what → findings → report.

use crate::compare::Limits;
use crate::plan::refs::Config;
use crate::plan::InputError;
use crate::plan::Plan;
use crate::report::{Counts, PlanInfo, PrincipalClass, Report, Summary, ToolInfo, SCHEMA_VERSION};
use crate::rules::admin_equivalent;
use crate::{checks as risks, diff, findings, reach};

/// What the user tells the analysis about their environment.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// AWS accounts whose principals are trusted (`--trusted-account`, `trusted_accounts`).
    pub trusted_accounts: Vec<String>,
    /// Separation-of-duties rules of the user's own (`sod` blocks of `.privdiff.hcl`).
    pub sod: Vec<Sod>,
    /// Azure role definitions loaded with `--azure-roles`, before the built-in table.
    pub azure_roles: crate::catalog::azure::RoleTable,
    /// GCP roles from a complete catalog the user loaded (`--gcp-roles`), which take
    /// precedence over privdiff's curated table.
    pub gcp_roles: crate::catalog::gcp::roles_file::RoleCatalog,
}

/// A combination of duties one identity must not hold together: it fires when the plan leaves
/// an identity able to do one action of every group where before it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sod {
    /// The block's label, e.g. `deploy-and-approve`.
    pub name: String,
    /// Groups of IAM action patterns (`codepipeline:PutApprovalResult`, `s3:Put*`): one action
    /// of each group completes the combination.
    pub actions: Vec<Vec<String>>,
    pub severity: crate::model::Severity,
}

/// Analyses a loaded plan. Errors are problems with the input (a policy of the wrong type);
/// problems with the infrastructure are findings.
pub fn analyze(plan: &Plan, limits: &Limits, options: &Options) -> Result<Report, InputError> {
    let config = Config::parse(plan.configuration);
    let found = crate::providers::all(
        plan,
        config.as_ref(),
        &options.azure_roles,
        &options.gcp_roles,
    )?;
    let mut plan_work = limits.max_plan_work;
    let mut compare = |subjects: &[crate::model::IdentityScopes]| {
        let mut out: Vec<_> = subjects
            .iter()
            .map(|s| diff::identity(s, limits, &mut plan_work))
            .collect();
        out.sort_by(|a, b| a.address.cmp(&b.address));
        out
    };
    let mut identities = compare(&found.identities);
    let mut resources = compare(&found.resources);
    let accounts = reach::Accounts {
        own: found.accounts.clone(),
        trusted: options.trusted_accounts.iter().cloned().collect(),
    };
    let reach = reach::entries(&found, &mut identities, &mut resources, &accounts);
    let counts = Counts::of(&identities);
    let summary = Summary {
        identities: counts.total,
        widened: counts.widened,
        narrowed: counts.narrowed,
        unchanged: counts.unchanged,
        unverifiable: counts.unverifiable,
        created: counts.created,
        deleted: counts.deleted,
        resources: Counts::of(&resources),
        public_reach: reach
            .iter()
            .filter(|r| r.class == PrincipalClass::Public)
            .count(),
        foreign_reach: reach
            .iter()
            .filter(|r| r.class == PrincipalClass::ForeignAccount)
            .count(),
    };
    let mut findings: Vec<_> = identities
        .iter()
        .chain(&resources)
        .flat_map(findings::for_identity)
        .collect();
    // Built on first use: the rules read the whole AWS catalog.
    let checks = std::cell::OnceCell::new();
    let scopes: std::collections::HashMap<&str, &crate::model::IdentityScopes> = found
        .identities
        .iter()
        .map(|s| (s.address.as_str(), s))
        .collect();
    for id in identities.iter().filter(|id| risks::worth_assessing(id)) {
        let Some(s) = scopes.get(id.address.as_str()) else {
            continue;
        };
        // Administrator access implies every built-in combination: one finding says it.
        let admin = findings
            .iter()
            .any(|f| f.identity == id.address && f.code == admin_equivalent::RULE.code);
        let checks = checks.get_or_init(|| risks::Checks::new(&options.sod));
        let hits = risks::assess(s, id, checks, admin, &found.accounts, limits);
        findings.extend(findings::for_risks(id, &hits));
    }
    for id in identities.iter() {
        if let Some((who, severity)) = risks::cloud::public(id) {
            findings.extend(findings::for_public(id, who, severity));
        }
        let Some(s) = scopes.get(id.address.as_str()) else {
            continue;
        };
        let hits = risks::cloud::assess(s, id, &admin_equivalent::RULE);
        findings.extend(findings::for_risks(id, &hits));
    }
    findings.extend(findings::for_reach(&reach));
    // Stable: within one subject and code, findings keep the order they were made in.
    findings.sort_by(|a, b| (&a.identity, a.code).cmp(&(&b.identity, b.code)));
    let mut notes = Vec::new();
    let by_account = |r: &&crate::report::Reach| {
        r.class == PrincipalClass::ForeignAccount && r.account.is_some()
    };
    if found.accounts.is_empty() && reach.iter().any(|r| by_account(&r)) {
        notes.push(
            "no resource in this plan names its AWS account (no known ARN or aws_caller_identity), so every account principal is classed foreign-account; pass --trusted-account for your own accounts"
                .into(),
        );
    }
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
        resources,
        reach,
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
}
