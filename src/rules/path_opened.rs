//! `PD026` path-opened, and `PD011` admin-equivalent when the path leads to an administrator.

use super::admin_equivalent;
use super::finding::{finding, request, summary};
use super::{Rule, Severity};
use crate::model::{list, Effect};
use crate::report::{Finding, IdentityReport, Path};

pub const RULE: Rule = Rule {
    code: "PD026",
    name: "path-opened",
    severity: Severity::Medium,
    summary: "The identity can newly become another identity whose permissions add to its own: it gains them without a change to its own policies.",
    detects: "An AWS role or user of the plan that, after the change, can become a role of the plan it could not reach before, directly or through a chain of roles, when that role's permissions allow requests the identity could not make before by its own policies or through any role it could already become. A hop is `sts:AssumeRole` where the role's trust policy admits the caller and, unless the trust names the caller itself in the same account, the caller's own permissions allow it too; or `iam:PassRole` of the role to new compute the caller may create and run (a Lambda function, an EC2 instance, an ECS task, a Glue job, a CodeBuild project...), where the role trusts that compute's service. When the role reached is an administrator, the finding is `admin-equivalent` (critical) instead.",
    why: "An identity's real reach is every identity it can become. A trust policy edited to admit a CI runner turns the runner into whatever the role is, while the runner's own policies, which a reviewer reads, do not change.",
    example: "`aws_iam_role.deploy` (with `AmazonS3FullAccess`) adds `arn:aws:iam::111122223333:role/ci-runner` to its trust policy; `aws_iam_role.ci_runner` already may `sts:AssumeRole` on `role/deploy-*`, so it can now become `deploy` and gains `s3:*` on `*`.",
    fix: "Admit only the callers that must become the role, and keep each caller's `sts:AssumeRole` to the roles it needs. If the path is intended, say why in the pull request.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// One finding per path the identity gains by: `PD011` when the target is an administrator,
/// else `PD026`.
pub fn check(id: &IdentityReport) -> Vec<Finding> {
    id.paths.iter().map(|p| of_path(id, p)).collect()
}

fn of_path(id: &IdentityReport, path: &Path) -> Finding {
    let admin = path
        .gained
        .iter()
        .find(|g| g.effect == Effect::Allow && g.kind.is_none() && admin_equivalent::fires(g));
    let rule = match admin {
        Some(_) => &admin_equivalent::RULE,
        None => &RULE,
    };
    let first = admin.or(path.gained.first());
    let mut m = format!(
        "{} can now become {} ({}",
        id.address,
        path.target,
        chain(path)
    );
    if !path.opened_by.is_empty() {
        m.push_str(&format!(", opened by {}", list(&path.opened_by, 3)));
    }
    match (admin, first) {
        (Some(g), _) => m.push_str(&format!(
            ") and so gains administrator access: every action on every resource, from {}",
            g.source
        )),
        (None, Some(g)) => m.push_str(&format!(") and so gains {}", summary(g))),
        (None, None) => m.push_str(
            "); what it gains by it was not worked out within the analysis budget, so it is reported unweighed",
        ),
    }
    match path.gained.len() {
        0 | 1 => {}
        2 => m.push_str(" and 1 more grant"),
        n => m.push_str(&format!(" and {} more grants", n - 1)),
    }
    if let Some(e) = first.and_then(|g| g.example.as_ref()) {
        m.push_str(&format!(" (e.g. {})", request(e)));
    }
    let address = path.opened_by.first().unwrap_or(&id.address);
    let mut f = finding(rule, &id.address, address, m);
    f.requests = path.hops.iter().map(|h| h.request.clone()).collect();
    f.requests.extend(first.and_then(|g| g.example.clone()));
    f.grants = path.gained.iter().map(|g| g.source.clone()).collect();
    f.grants.dedup();
    f
}

/// `assumes aws_iam_role.a, then passes aws_iam_role.b to a new Lambda function`.
fn chain(path: &Path) -> String {
    let steps: Vec<String> = path
        .hops
        .iter()
        .map(|h| match &h.via {
            Some(via) => {
                let to = via.strip_prefix("pass it to ").unwrap_or(via);
                let to = to.split(" and ").next().unwrap_or(to);
                format!("passes {} to {to}", h.to)
            }
            None => format!("assumes {}", h.to),
        })
        .collect();
    steps.join(", then ")
}
