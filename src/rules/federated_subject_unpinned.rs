//! `PD008` federated-subject-unpinned.

use super::finding::of_reach;
use super::{Rule, Severity};
use crate::report::{Concern, ConcernCode, Finding, Reach};

pub const RULE: Rule = Rule {
    code: "PD008",
    name: "federated-subject-unpinned",
    severity: Severity::High,
    summary: "A web-identity trust does not pin the caller: any repository, project or workspace on the issuer may assume the role.",
    detects: "An added `sts:AssumeRoleWithWebIdentity` trust for a multi-tenant issuer (GitHub Actions, GitLab, HCP Terraform, Google, Cognito, an EKS cluster) has no condition on the claim that names the caller (`sub`; `aud` for Cognito), or a pattern that admits other callers (`repo:acme/*`, `repo:*`). A trust with no condition on the caller at all is reported as `critical`: anyone with an account on the issuer can assume the role.",
    why: "Anyone who can run a workflow on the issuer can mint a token it signs: without a pinned subject, a pull request in any repository can assume the role.",
    example: "`aws_iam_role.docs_publish` keeps only `token.actions.githubusercontent.com:aud`: `repo:someone-else/any-repo:pull_request` can assume it.",
    fix: "Pin `token.actions.githubusercontent.com:sub` (or the issuer's equivalent) to one repository and a branch or environment with `StringEquals`.",
    references: &["https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services"],
    standards: &["OWASP NHI6:2025 Insecure Cloud Deployment Configurations", "NIST SP 800-53 IA-5"],
};

/// The finding for concern `c` of reach entry `r`.
pub fn for_concern(r: &Reach, c: &Concern) -> Finding {
    let mut f = of_reach(
        &RULE,
        r,
        Some(c.code),
        format!("{}: {}", r.subject, c.message),
    );
    // No check on the caller at all: anyone with an account on the issuer is in.
    if c.code == ConcernCode::OidcSubjectMissing {
        f.severity = Severity::Critical;
    }
    f
}
