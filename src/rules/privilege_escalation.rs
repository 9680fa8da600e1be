//! `PD014` privilege-escalation.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD014",
    name: "privilege-escalation",
    severity: Severity::Critical,
    summary: "The identity newly can rewrite IAM permissions (its own, or those of any role, user or group) and so grant itself anything.",
    detects: "One of these holds on the identity's whole permission scope after the change (inline, attached managed and group policies taken together, less their Deny statements, capped by its permissions boundary) and did not hold before: `iam:CreatePolicyVersion` or `iam:SetDefaultPolicyVersion` on any policy; `iam:PutRolePolicy` or `iam:AttachRolePolicy` on any role or on the identity's own role; `iam:PutUserPolicy` or `iam:AttachUserPolicy` on any user or on the identity itself; `iam:PutGroupPolicy`, `iam:AttachGroupPolicy` or `iam:AddUserToGroup` on any group; `iam:UpdateAssumeRolePolicy` on any role together with `sts:AssumeRole` on at least one role. \"Any\" means the resource pattern admits an arbitrary name: `*`, `arn:aws:iam::*:role/*` and `arn:aws:iam::111122223333:role/*` do; a fixed ARN or a fixed prefix such as `role/app-*` does not. The two halves of a combination may come from different policies, so a plan that completes one counts even if each half alone looks harmless. Conditions do not suppress the finding; the example request shows them. A change that leaves an identity as able to escalate as it already was is not reported.",
    why: "These actions edit what a principal may do. Aimed at the identity itself, or at a principal it can become, each turns a narrowly scoped role into an administrator in one API call: publish a new default version of an attached policy that allows `*`, attach `AdministratorAccess` to itself, join an administrators group, or rewrite a role's trust policy to admit itself and then assume it. Whatever else its policies say, the identity can in practice do everything.",
    example: "`aws_iam_role_policy.policy_admin` adds `iam:CreatePolicyVersion` on `*` to `aws_iam_role.policy_admin`, which could only read policy versions before: it can now publish a version allowing `*` of any customer managed policy, including one attached to itself.",
    fix: "Scope IAM write actions to the policies, roles or groups the automation owns (fixed ARNs, or a path it alone manages, never the identity itself), and make any role it creates carry a permissions boundary by requiring `iam:PermissionsBoundary` in a condition. If the identity really administers IAM, treat it as an administrator: few principals may assume it and its changes are reviewed.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud/paths/iam-001",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-6(10)"],
};
