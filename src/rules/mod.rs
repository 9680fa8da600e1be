//! The finding rules: one file per rule with its code, severity and documentation. `privdiff
//! rules` lists them, `privdiff explain CODE` prints one, and `docs/rules/` is generated from
//! the same text (a test keeps it in step).

pub mod admin_equivalent;
pub mod boundary_removed;
pub mod code_execution;
pub mod credentials_exposure;
pub mod data_exfiltration;
pub mod federated_subject_unpinned;
pub mod foreign_account_access;
pub mod identity_created;
pub mod ignore_expired;
pub mod notaction_allow;
pub mod passrole_compute;
pub mod permissions_widened;
pub mod privilege_escalation;
pub mod public_access;
pub mod public_access_block_disabled;
pub mod resource_exposure;
pub mod resource_policy_widened;
pub mod safeguard_missing;
pub mod scope_unverifiable;
pub mod secrets_read;
pub mod separation_of_duties;
pub mod service_wildcard;
pub mod trust_widened;

pub use crate::model::Severity;

use crate::model::route::{Capability, Novelty};

/// One kind of finding and its documentation.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `PD001`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `permissions-widened`.
    pub name: &'static str,
    pub severity: Severity,
    /// One sentence: what a finding of this rule says.
    pub summary: &'static str,
    /// What the rule detects, precisely.
    pub detects: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// An example change that fires it.
    pub example: &'static str,
    /// How to fix it (or when it is fine).
    pub fix: &'static str,
    pub references: &'static [&'static str],
    /// Standards it maps to: OWASP Non-Human Identities Top 10, CIS, NIST SP 800-53.
    pub standards: &'static [&'static str],
}

/// Every rule, in code order.
pub const RULES: &[&Rule] = &[
    &permissions_widened::RULE,
    &trust_widened::RULE,
    &scope_unverifiable::RULE,
    &identity_created::RULE,
    &resource_policy_widened::RULE,
    &public_access::RULE,
    &foreign_account_access::RULE,
    &federated_subject_unpinned::RULE,
    &safeguard_missing::RULE,
    &public_access_block_disabled::RULE,
    &admin_equivalent::RULE,
    &service_wildcard::RULE,
    &notaction_allow::RULE,
    &privilege_escalation::RULE,
    &passrole_compute::RULE,
    &code_execution::RULE,
    &credentials_exposure::RULE,
    &secrets_read::RULE,
    &data_exfiltration::RULE,
    &resource_exposure::RULE,
    &boundary_removed::RULE,
    &separation_of_duties::RULE,
    &ignore_expired::RULE,
];

/// The rule that reports a route completing `capability`.
pub fn completing(capability: Capability) -> &'static Rule {
    match capability {
        Capability::AdminEquivalent => &admin_equivalent::RULE,
        Capability::PrivilegeEscalation => &privilege_escalation::RULE,
        Capability::PassroleCompute => &passrole_compute::RULE,
        Capability::CodeExecution => &code_execution::RULE,
        Capability::CredentialsExposure => &credentials_exposure::RULE,
        Capability::SecretsRead => &secrets_read::RULE,
        Capability::DataExfiltration => &data_exfiltration::RULE,
        Capability::ResourceExposure => &resource_exposure::RULE,
        Capability::SeparationOfDuties => &separation_of_duties::RULE,
    }
}

/// The rule with `code` (any case).
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

impl Rule {
    /// The rule's documentation as Markdown: the text of `privdiff explain` and of
    /// `docs/rules/CODE.md`.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "# {} {}\n\nSeverity: {}\n\n{}\n\n## What it detects\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n{}\n\n## How to fix\n\n{}\n",
            self.code, self.name, self.severity, self.summary, self.detects, self.why, self.example, self.fix
        );
        if let Some(clouds) = routes_documentation(self) {
            s.push('\n');
            s.push_str(&clouds);
        }
        if !self.standards.is_empty() {
            s.push_str("\n## Standards\n\n");
            for x in self.standards {
                s.push_str(&format!("- {x}\n"));
            }
        }
        if !self.references.is_empty() {
            s.push_str("\n## References\n\n");
            for r in self.references {
                s.push_str(&format!("- <{r}>\n"));
            }
        }
        s
    }
}

/// The Markdown section that documents `rule`'s routes for GCP, Azure and Kubernetes, if it
/// has any: a table of what each route needs, from the same tables the analysis runs.
fn routes_documentation(rule: &Rule) -> Option<String> {
    // These clouds judge a route where it lands; AWS's routes ask for any resource.
    let tables = || {
        crate::providers::TABLES
            .iter()
            .filter(|t| t.novelty == Novelty::OfRequest)
    };
    let mut rows = Vec::new();
    for t in tables() {
        for r in t
            .routes
            .iter()
            .filter(|r| completing(r.completes).code == rule.code)
        {
            let parts: Vec<String> = r
                .parts
                .iter()
                .map(|p| {
                    let names: Vec<String> = p
                        .listed()
                        .iter()
                        .map(|n| {
                            if Some(*n) == t.any {
                                "`*`".into()
                            } else {
                                format!("`{n}`")
                            }
                        })
                        .collect();
                    names.join(" or ")
                })
                .collect();
            rows.push(format!(
                "| {} | {} | {} | {} |",
                t.provider,
                r.label,
                r.severity.unwrap_or(rule.severity),
                parts.join(", and ")
            ));
        }
    }
    if rule.code == public_access::RULE.code {
        for t in tables() {
            for (address, who) in t.public {
                rows.push(format!(
                    "| {} | gain permissions as `{address}`: {who} | critical (high when its example only reads) | any permission |",
                    t.provider
                ));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(format!(
        "## GCP, Azure and Kubernetes\n\nFor these identities the rule holds when every part of a route is allowed after the change, on a place the identity's own grants name, and one of them was not allowed there before: owner of one more project is news even for the owner of another. Within a rule, the first route that holds is reported.\n\n| Provider | The identity can now | Severity | Needs |\n| --- | --- | --- | --- |\n{}\n",
        rows.join("\n")
    ))
}

#[cfg(test)]
pub mod tests;
