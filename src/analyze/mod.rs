//! The pipeline: typed plan → grants per identity and resource → comparison → who can reach
//! what → findings → report.

use crate::checks::{self, Checks, Sod};
use crate::compare::Limits;
use crate::plan::refs::Config;
use crate::plan::{InputError, Plan};
use crate::report::{PlanInfo, PrincipalClass, Report};
use crate::rules::admin_equivalent;
use crate::{diff, reach, rules};

mod owners;
mod reached;
mod unknowns;
mod usage;

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
    /// Tag and label keys that name an identity's owner (`owner_tags`); empty: the defaults.
    pub owner_tags: Vec<String>,
    /// Display names of principals the plan knows only by object id (`--principal-names`).
    pub principal_names: crate::providers::azure::principal_names::PrincipalNames,
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
        &options.principal_names,
    )?;
    let words = crate::providers::Words::new(&found.names);
    let mut plan_work = limits.max_plan_work;
    let mut compare = |subjects: &[crate::model::IdentityScopes]| {
        let mut out: Vec<_> = subjects
            .iter()
            .map(|s| diff::identity(s, words.of(s.provider), limits, &mut plan_work))
            .collect();
        out.sort_by(|a, b| a.address.cmp(&b.address));
        out
    };
    let mut identities = compare(&found.identities);
    let mut resources = compare(&found.resources);
    owners::assign(
        plan,
        identities.iter_mut().chain(resources.iter_mut()),
        &options.owner_tags,
    );
    usage::assign(&found, identities.iter_mut());
    let unreached = reached::assign(&found.inventory, identities.iter_mut());
    let checks = Checks::new(&options.sod);
    let scopes: std::collections::HashMap<&str, &crate::model::IdentityScopes> = found
        .identities
        .iter()
        .map(|s| (s.address.as_str(), s))
        .collect();
    let mut opened = crate::paths::find(&found, &words, limits);
    for id in identities.iter_mut() {
        id.paths = opened.paths.remove(&id.address).unwrap_or_default();
        for p in id.paths.iter_mut() {
            p.administrator = p.gained.iter().any(|g| {
                g.effect == crate::model::Effect::Allow
                    && g.kind.is_none()
                    && admin_equivalent::fires(g)
            }) || scopes.get(p.target.as_str()).is_some_and(|t| {
                checks::administrator(t, &checks, (&found.accounts, &found.names), limits)
            });
        }
    }
    for s in identities.iter_mut().chain(resources.iter_mut()) {
        if !s.unknown.is_empty() {
            s.unknown_bound = Some(unknowns::bound(&s.unknown, config.as_ref()));
        }
    }
    let accounts = reach::Accounts {
        own: found.accounts.clone(),
        trusted: options.trusted_accounts.iter().cloned().collect(),
    };
    let reach = reach::entries(&found, &identities, &resources, &accounts);
    let mut findings: Vec<_> = identities
        .iter()
        .chain(&resources)
        .flat_map(rules::for_subject)
        .collect();
    for id in identities.iter() {
        let Some(s) = scopes.get(id.address.as_str()) else {
            continue;
        };
        if !checks::worth_assessing(id) {
            continue;
        }
        // Administrator access implies every built-in combination: one finding says it.
        let admin = findings
            .iter()
            .any(|f| f.identity == id.address && f.code == admin_equivalent::RULE.code);
        let hits = checks::assess(
            s,
            id,
            &checks,
            admin,
            (&found.accounts, &found.names),
            limits,
        );
        findings.extend(rules::for_hits(id, &hits));
    }
    findings.extend(identities.iter().flat_map(rules::path_opened::check));
    // What a path gains, judged by the same rules as a direct grant; a path to an
    // administrator says it all.
    for id in identities.iter() {
        if id.paths.iter().any(|p| p.administrator) {
            continue;
        }
        let mut judged = Vec::new();
        for p in &id.paths {
            let Some(target) = scopes.get(p.target.as_str()) else {
                continue;
            };
            let had: Vec<_> = p
                .had
                .iter()
                .filter_map(|(a, side)| Some((*scopes.get(a.as_str())?, *side)))
                .collect();
            let places = (&found.accounts, &found.names);
            judged.push((p, checks::through(target, &had, &checks, places, limits)));
        }
        findings.extend(rules::path_opened::for_hits(id, &judged));
    }
    findings.extend(rules::for_reach(&reach));
    let subjects: Vec<&crate::report::IdentityReport> =
        identities.iter().chain(&resources).collect();
    rules::drop_repeated(&mut findings, &subjects, &reach);
    // Judged last: its severity is a step above the identity's other findings.
    let shared: Vec<_> = identities
        .iter()
        .filter_map(|id| rules::shared_identity::check(id, &findings))
        .collect();
    findings.extend(shared);
    let mut notes = crate::providers::unread::notes(plan, &crate::providers::reads);
    notes.append(&mut opened.notes);
    let by_account = |r: &&crate::report::Reach| {
        r.class == PrincipalClass::ForeignAccount && r.account.is_some()
    };
    if found.accounts.is_empty() && reach.iter().any(|r| by_account(&r)) {
        notes.push(
            "no resource in this plan names its AWS account (no ARN of a resource it manages or reads, no aws_caller_identity, no allowed_account_ids in the AWS provider configuration), so every account principal is classed foreign-account; pass --trusted-account for your own accounts"
                .into(),
        );
    }
    if unreached > 0 {
        notes.push(format!(
            "which of the plan's resources {unreached} added grants reach was not worked out: the plan has too many resources and patterns to match them all"
        ));
    }
    if plan.errored {
        notes.push(
            "Terraform reported that planning failed: the changes in this plan may be partial"
                .into(),
        );
    }
    let plan = PlanInfo {
        format_version: plan.format_version.clone(),
        terraform_version: plan.terraform_version.clone(),
        errored: plan.errored,
    };
    Ok(Report::new(
        plan, identities, resources, reach, findings, notes,
    ))
}

#[cfg(test)]
pub(crate) mod tests;
