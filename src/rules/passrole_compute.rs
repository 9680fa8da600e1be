//! `PD015` passrole-compute.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD015",
    name: "passrole-compute",
    severity: Severity::High,
    summary: "The identity newly can give any role to compute it starts, and so act with that role's permissions.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before: `iam:PassRole` on any role (a pattern admitting an arbitrary role name: `*`, `arn:aws:iam::*:role/*`, `arn:aws:iam::111122223333:role/*`; not a fixed role ARN or a prefix such as `role/app-*`), together with a way to start compute that runs as the passed role, on at least one resource: `ec2:RunInstances`; `lambda:CreateFunction` with one of `lambda:InvokeFunction`, `lambda:AddPermission` or `lambda:CreateEventSourceMapping`; `glue:CreateDevEndpoint`; `glue:CreateJob` with `glue:StartJobRun` or `glue:CreateTrigger`; `cloudformation:CreateStack`; `datapipeline:CreatePipeline`, `datapipeline:PutPipelineDefinition` and `datapipeline:ActivatePipeline`; `codebuild:CreateProject` with `codebuild:StartBuild` or `codebuild:StartBuildBatch`; `ecs:RegisterTaskDefinition` with `ecs:RunTask`, `ecs:StartTask` or `ecs:CreateService`; `sagemaker:CreateNotebookInstance`, `sagemaker:CreateTrainingJob` or `sagemaker:CreateProcessingJob`; `apprunner:CreateService`; `autoscaling:CreateLaunchConfiguration` with `autoscaling:CreateAutoScalingGroup`. PassRole and the compute actions may come from different policies. Conditions, `iam:PassedToService` included, do not suppress the finding: they limit which service receives the role, not which role. An identity that could already do this before the change is not reported again.",
    why: "A role handed to an instance, function, job or stack is used by code the identity chooses. With PassRole on every role it can pick the most privileged role that trusts the service (an administrator role trusted by `ec2.amazonaws.com`, say), start compute with it, and use the role's credentials from inside, without ever being allowed to assume that role itself.",
    example: "`aws_iam_role_policy.lambda_deployer_pass` adds `iam:PassRole` on `*` to `aws_iam_role.lambda_deployer`, which already held `lambda:CreateFunction` and `lambda:InvokeFunction` through the attached `aws_iam_policy.lambda_deploy`: neither policy is alarming alone, together they let it run a function as any role in the account.",
    fix: "Limit `iam:PassRole` to the ARNs of the execution roles the workload deploys with, add an `iam:PassedToService` condition naming the one service that receives them, and keep those roles as narrow as the code they run: whoever can pass a role can use all of it.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://pathfinding.cloud/paths/ec2-001",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-6(10)"],
};
