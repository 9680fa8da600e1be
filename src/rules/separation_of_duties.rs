//! `PD022` separation-of-duties.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD022",
    name: "separation-of-duties",
    severity: Severity::High,
    summary: "The identity newly holds duties that should belong to different identities: approve and execute, silence audit logging and change permissions, administer and use a key, or mint credentials and grant policies.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before, both sides of a combination, each on at least one resource and possibly from different policies. Built in: approve and execute, `codepipeline:PutApprovalResult` with `codepipeline:StartPipelineExecution` or `codepipeline:UpdatePipeline` (high); impair audit logging and change permissions, any of `cloudtrail:StopLogging`, `cloudtrail:DeleteTrail`, `cloudtrail:UpdateTrail`, `cloudtrail:PutEventSelectors`, `guardduty:DeleteDetector`, `config:StopConfigurationRecorder` or `config:DeleteConfigurationRecorder` with an IAM action that changes permissions or credentials, such as `iam:PutRolePolicy`, `iam:AttachRolePolicy` or `iam:CreateAccessKey` (critical); administer and use a KMS key, `kms:PutKeyPolicy` with `kms:Decrypt` (high); mint credentials and grant policies to users, `iam:CreateAccessKey` with `iam:AttachUserPolicy` or `iam:PutUserPolicy` (critical). Each finding carries its combination's severity; high is the default. Teams add their own combinations in `.privdiff.hcl`, one block each, e.g. `sod \"deploy-and-approve\" { actions = [[\"codepipeline:PutApprovalResult\"], [\"codedeploy:CreateDeployment\"]], severity = \"high\" }`: it fires when the identity may do at least one action of every list. Conditions do not suppress the finding.",
    why: "Controls such as a manual approval, an audit trail or a key policy assume that the one who acts is not also the one who checks. An automation identity holding both sides defeats the control without breaking any rule: a pipeline that approves its own release, a role that switches off CloudTrail before it grants itself access, a key administrator that can read everything the key protects, or a user manager that attaches a policy to a user and then mints that user's access key.",
    example: "`aws_iam_role_policy.release_approve` gives `aws_iam_role.release_pipeline`, which already starts the `release` pipeline, `codepipeline:PutApprovalResult` on its approval stage: the pipeline can now approve its own deployment.",
    fix: "Give each duty its own identity (an approver role that people assume, a logging administrator separate from the IAM automation, key administrators without `kms:Decrypt`) and keep the dangerous half out of automation where it is not needed. A service control policy denying `cloudtrail:StopLogging` and `cloudtrail:DeleteTrail` protects the trail from every identity.",
    references: &[
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodePipelineApproverAccess.html",
        "https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-01-Insufficient-Flow-Control-Mechanisms",
        "https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-stop/",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
    ],
    standards: &[
        "OWASP NHI5:2025 Overprivileged NHI",
        "NIST SP 800-53 AC-5",
        "NIST SP 800-53 AU-9",
        "NIST SP 800-53 AC-6(1)",
    ],
};
