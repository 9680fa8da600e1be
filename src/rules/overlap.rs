//! One finding per grant and concern. A bare widening (`PD001`, `PD002`, `PD005`) says "may do
//! more than before"; where every principal the widening adds is reported by a graver finding
//! of its own (anyone, or an outside account: `PD006`, `PD007`, `PD010`), the bare one repeats
//! the same grant at a lower severity, and a reviewer reads it twice.

use super::finding::gained;
use super::{permissions_widened, public_access, resource_policy_widened, trust_widened};
use crate::model::sensitive::HIDDEN;
use crate::model::ScopeKind;
use crate::report::{Finding, IdentityReport, PrincipalClass, Reach};

/// Removes the bare widenings that graver findings about the same grants already report.
pub fn drop_repeated(findings: &mut Vec<Finding>, subjects: &[&IdentityReport], reach: &[Reach]) {
    let mut repeated: Vec<(&str, &str)> = Vec::new();
    for s in subjects {
        // A member that stands for everyone (GCP's `allUsers`): every permission it gains is
        // granted to everyone, which `PD006` reports about this very member.
        let public_member = findings.iter().any(|f| {
            f.code == public_access::RULE.code && f.identity == s.address && f.principal.is_none()
        });
        if public_member {
            repeated.push((&s.address, permissions_widened::RULE.code));
        }
        for (scope, code) in [
            (ScopeKind::Trust, trust_widened::RULE.code),
            (ScopeKind::Resource, resource_policy_widened::RULE.code),
        ] {
            if reported_by_principal(s, scope, reach) {
                repeated.push((&s.address, code));
            }
        }
    }
    if repeated.is_empty() {
        return;
    }
    let repeated: Vec<(String, &str)> = repeated
        .into_iter()
        .map(|(a, c)| (a.to_string(), c))
        .collect();
    findings.retain(|f| {
        !repeated
            .iter()
            .any(|(a, c)| f.principal.is_none() && f.code == *c && f.identity == *a)
    });
}

/// Whether every principal that `scope` of the subject newly admits is anyone or an outside
/// account (each of which has a finding of its own), and there is at least one.
fn reported_by_principal(s: &IdentityReport, scope: ScopeKind, reach: &[Reach]) -> bool {
    let entries: Vec<&Reach> = reach
        .iter()
        .filter(|r| r.subject == s.address && r.scope == scope)
        .collect();
    let graver = |r: &&Reach| {
        matches!(
            r.class,
            PrincipalClass::Public | PrincipalClass::ForeignAccount
        )
    };
    if entries.is_empty() || !entries.iter().all(graver) {
        return false;
    }
    // Every grant such a finding would repeat is accounted for by those entries, principal by
    // principal; a grant whose principals are hidden or negated has one entry for them all.
    let mut grants = gained(s, scope).filter(|g| g.kind.is_none()).peekable();
    grants.peek().is_some()
        && grants.all(|g| {
            let has = |p: &str| entries.iter().any(|r| r.principal == p);
            match g.principals.as_slice() {
                [] => has("*") || has(HIDDEN),
                ps => ps.iter().all(|p| has(p)),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    /// The fixture report's findings as the rules give them, then without repeats.
    fn findings(report: &crate::report::Report) -> Vec<(String, &'static str)> {
        let subjects: Vec<&IdentityReport> =
            report.identities.iter().chain(&report.resources).collect();
        let mut out: Vec<Finding> = subjects
            .iter()
            .flat_map(|s| super::super::for_subject(s))
            .chain(super::super::for_reach(&report.reach))
            .collect();
        drop_repeated(&mut out, &subjects, &report.reach);
        out.into_iter().map(|f| (f.identity, f.code)).collect()
    }

    fn has(found: &[(String, &str)], subject: &str, code: &str) -> bool {
        found.iter().any(|(s, c)| s == subject && *c == code)
    }

    #[test]
    fn a_widening_wholly_to_anyone_is_reported_once() {
        let report = fixtures::report();
        let found = findings(&report);
        // Anyone may read the bucket: `PD006`/`PD010` say it; `PD005` would repeat it.
        assert!(!has(&found, "aws_s3_bucket.logs", "PD005"), "{found:?}");
        assert!(has(&found, "aws_s3_bucket.logs", "PD010"), "{found:?}");
        // The role's trust also admits a federated principal, which nothing else reports.
        assert!(has(&found, "aws_iam_role.app", "PD002"), "{found:?}");
    }

    /// The fixture report, its bucket's policy also granting to `principal`.
    fn bucket_also_granting(principal: &str) -> crate::report::Report {
        let mut report = fixtures::report();
        let logs = report
            .resources
            .iter_mut()
            .find(|r| r.address == "aws_s3_bucket.logs")
            .unwrap();
        logs.added[0].principals.push(principal.to_string());
        report
    }

    #[test]
    fn a_widening_that_also_admits_someone_else_is_still_reported() {
        let own = "AWS:arn:aws:iam::111122223333:role/ops";
        let mut report = bucket_also_granting(own);
        let mut entry = report.reach[0].clone();
        entry.principal = own.to_string();
        entry.class = PrincipalClass::OwnAccount;
        report.reach.push(entry);
        assert!(has(&findings(&report), "aws_s3_bucket.logs", "PD005"));
        // Nor when a principal of the grant has no entry at all.
        let report = bucket_also_granting(own);
        assert!(has(&findings(&report), "aws_s3_bucket.logs", "PD005"));
    }
}
