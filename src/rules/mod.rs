//! The finding rules: one file per rule with its code, severity and documentation, the facts its
//! finding says and its check. `privdiff rules` lists them, `privdiff explain CODE` prints one,
//! and `docs/rules/` is generated from the same text (a test keeps it in step).

pub mod admin_equivalent;
pub mod boundary_removed;
pub mod code_execution;
mod completed;
pub mod credentials_exposure;
pub mod data_exfiltration;
mod docs;
pub mod federated_subject_unpinned;
mod finding;
pub mod foreign_account_access;
pub mod identity_created;
pub mod ignore_expired;
pub mod long_lived_credential;
pub mod notaction_allow;
mod overlap;
mod pages;
pub mod passrole_compute;
pub mod path_opened;
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
pub mod shared_identity;
pub mod trust_widened;

pub use crate::model::Severity;
pub use completed::for_hits;
pub use pages::Pages;

use crate::model::route::Capability;
use crate::report::{ConcernCode, Finding, IdentityReport, Reach};

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
    &long_lived_credential::RULE,
    &shared_identity::RULE,
    &path_opened::RULE,
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

pub use overlap::drop_repeated;

/// The rule with `code` (any case).
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

/// The findings of one subject's comparison: what its verdict says and, for AWS, what its
/// added grants are. Rules that judge a subject's whole scope after the change are in
/// [`for_hits`]; those about who can reach it in [`for_reach`].
pub fn for_subject(id: &IdentityReport) -> Vec<Finding> {
    [
        identity_created::check(id),
        permissions_widened::check(id),
        resource_policy_widened::check(id),
        trust_widened::check(id),
        scope_unverifiable::check(id),
        admin_equivalent::check(id),
        service_wildcard::check(id),
        notaction_allow::check(id),
        boundary_removed::check(id),
        public_access::for_member(id),
    ]
    .into_iter()
    .flatten()
    .chain(long_lived_credential::check(id))
    .collect()
}

/// The findings for who can newly reach what: the principal's class (public, foreign account)
/// and each safeguard concern.
pub fn for_reach(reach: &[Reach]) -> Vec<Finding> {
    let mut out = Vec::new();
    // Two grants of one policy to one principal (an ACL's bucket and object statements) raise
    // the same concern once.
    let mut raised = std::collections::HashSet::new();
    for r in reach {
        out.extend(public_access::for_reach(r));
        out.extend(foreign_account_access::for_reach(r));
        for c in &r.concerns {
            if !raised.insert((&r.subject, &r.principal, c.code, &c.message)) {
                continue;
            }
            out.push(match c.code {
                ConcernCode::OidcSubjectMissing | ConcernCode::OidcSubjectBroad => {
                    federated_subject_unpinned::for_concern(r, c)
                }
                ConcernCode::PublicAccessBlockDisabled => {
                    public_access_block_disabled::for_concern(r, c)
                }
                ConcernCode::ExternalIdRemoved
                | ConcernCode::OrgConditionRemoved
                | ConcernCode::SourceConditionMissing => safeguard_missing::for_concern(r, c),
            });
        }
    }
    out
}

#[cfg(test)]
pub mod tests;
