//! `PD016` code-execution.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD016",
    name: "code-execution",
    severity: Severity::High,
    summary: "The identity newly can run its own code inside any existing function, instance, build or stack, with the role that compute already holds.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before, one of these actions on any such resource (a pattern that admits an arbitrary function, instance, endpoint, project, notebook, service or stack name: `*`, `arn:aws:lambda:*:*:function:*`; not a fixed ARN or a prefix such as `function:orders-*`): `lambda:UpdateFunctionCode`, `glue:UpdateDevEndpoint`, `ssm:SendCommand`, `ssm:StartSession`, `ec2-instance-connect:SendSSHPublicKey`, `ecs:ExecuteCommand`, `codebuild:StartBuild` (a build may override its buildspec), `sagemaker:CreatePresignedNotebookInstanceUrl`, `apprunner:UpdateService`, `cloudformation:UpdateStack`. Conditions do not suppress the finding; the example request shows them.",
    why: "Functions, instances, build projects and stacks already run with roles, often broader than the identity that deploys to them. Replacing a function's code, sending a shell command to an instance or starting a build with a buildspec of its own runs the identity's code with the target's credentials; allowed on every such resource, the identity inherits the most privileged role among them without any IAM change.",
    example: "`aws_iam_role_policy.hotfix` adds `lambda:UpdateFunctionCode` on `arn:aws:lambda:*:*:function:*` to `aws_iam_role.hotfix`: it may replace the code of every function in every region, and each function runs the new code as its own execution role.",
    fix: "Name the functions, instances, projects or stacks the workload deploys in the resource ARN, and let a pipeline with its own narrow role ship code instead of granting in-place updates across the account. Reserve `ssm:StartSession` and `ssm:SendCommand` on all instances for break-glass human roles.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud/paths/lambda-003",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-6(10)"],
};
