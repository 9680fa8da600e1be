//! The AWS routes each content rule looks for, as combinations of actions. Sources: Rhino
//! Security Labs' escalation methods, DataDog's pathfinding.cloud paths and cloudsplaining's
//! action lists (see `../shared/knowledge/risks.md` §1, §2 and §8); the selection and the
//! "any resource" reading are privdiff's own.

use crate::checks::{On, Part, Route};
use crate::model::Severity;
use crate::rules::{
    code_execution, credentials_exposure, data_exfiltration, passrole_compute,
    privilege_escalation, secrets_read, separation_of_duties, Rule,
};

const fn part(actions: &'static [&'static str], on: On) -> Part {
    Part { actions, on }
}

const fn route(label: &'static str, parts: &'static [Part]) -> Route {
    Route {
        label,
        severity: None,
        parts,
    }
}

const PASS_ANY_ROLE: Part = part(&["iam:PassRole"], On::Any);

/// The content rules and their routes. A rule holds when any route does; a route holds when
/// every part does, each on its own resource.
pub const ROUTES: &[(&Rule, &[Route])] = &[
    (
        &privilege_escalation::RULE,
        &[
            route(
                "write a new default version of any managed policy",
                &[part(&["iam:CreatePolicyVersion"], On::Any)],
            ),
            route(
                "switch any managed policy to another of its versions",
                &[part(&["iam:SetDefaultPolicyVersion"], On::Any)],
            ),
            route(
                "put or attach a policy on a role it can use",
                &[part(
                    &["iam:PutRolePolicy", "iam:AttachRolePolicy"],
                    On::AnyOrSelf,
                )],
            ),
            route(
                "put or attach a policy on a user",
                &[part(
                    &["iam:PutUserPolicy", "iam:AttachUserPolicy"],
                    On::AnyOrSelf,
                )],
            ),
            route(
                "put or attach a policy on any group, or join one",
                &[part(
                    &[
                        "iam:PutGroupPolicy",
                        "iam:AttachGroupPolicy",
                        "iam:AddUserToGroup",
                    ],
                    On::Any,
                )],
            ),
            route(
                "rewrite any role's trust policy and assume the role",
                &[
                    part(&["iam:UpdateAssumeRolePolicy"], On::Any),
                    part(&["sts:AssumeRole"], On::Some),
                ],
            ),
        ],
    ),
    (
        &passrole_compute::RULE,
        &[
            route(
                "pass any role to a new EC2 instance",
                &[
                    PASS_ANY_ROLE,
                    part(&["ec2:RunInstances", "ec2:RequestSpotInstances"], On::Some),
                ],
            ),
            route(
                "pass any role to a new Lambda function and run it",
                &[
                    PASS_ANY_ROLE,
                    part(&["lambda:CreateFunction"], On::Some),
                    part(
                        &[
                            "lambda:InvokeFunction",
                            "lambda:AddPermission",
                            "lambda:CreateEventSourceMapping",
                        ],
                        On::Some,
                    ),
                ],
            ),
            route(
                "pass any role to a new Glue development endpoint",
                &[PASS_ANY_ROLE, part(&["glue:CreateDevEndpoint"], On::Some)],
            ),
            route(
                "pass any role to a new Glue job and start it",
                &[
                    PASS_ANY_ROLE,
                    part(&["glue:CreateJob"], On::Some),
                    part(&["glue:StartJobRun", "glue:CreateTrigger"], On::Some),
                ],
            ),
            route(
                "pass any role to a new CloudFormation stack",
                &[
                    PASS_ANY_ROLE,
                    part(&["cloudformation:CreateStack"], On::Some),
                ],
            ),
            route(
                "pass any role to a new Data Pipeline and activate it",
                &[
                    PASS_ANY_ROLE,
                    part(&["datapipeline:CreatePipeline"], On::Some),
                    part(&["datapipeline:PutPipelineDefinition"], On::Some),
                    part(&["datapipeline:ActivatePipeline"], On::Some),
                ],
            ),
            route(
                "pass any role to a new CodeBuild project and start a build",
                &[
                    PASS_ANY_ROLE,
                    part(&["codebuild:CreateProject"], On::Some),
                    part(
                        &["codebuild:StartBuild", "codebuild:StartBuildBatch"],
                        On::Some,
                    ),
                ],
            ),
            route(
                "pass any role to a new ECS task definition and run it",
                &[
                    PASS_ANY_ROLE,
                    part(&["ecs:RegisterTaskDefinition"], On::Some),
                    part(
                        &["ecs:RunTask", "ecs:StartTask", "ecs:CreateService"],
                        On::Some,
                    ),
                ],
            ),
            route(
                "pass any role to a new SageMaker notebook or job",
                &[
                    PASS_ANY_ROLE,
                    part(
                        &[
                            "sagemaker:CreateNotebookInstance",
                            "sagemaker:CreateTrainingJob",
                            "sagemaker:CreateProcessingJob",
                        ],
                        On::Some,
                    ),
                ],
            ),
            route(
                "pass any role to a new App Runner service",
                &[PASS_ANY_ROLE, part(&["apprunner:CreateService"], On::Some)],
            ),
            route(
                "pass any role to a new Auto Scaling group",
                &[
                    PASS_ANY_ROLE,
                    part(&["autoscaling:CreateLaunchConfiguration"], On::Some),
                    part(&["autoscaling:CreateAutoScalingGroup"], On::Some),
                ],
            ),
        ],
    ),
    (
        &code_execution::RULE,
        &[
            route(
                "replace the code of any Lambda function",
                &[part(&["lambda:UpdateFunctionCode"], On::Any)],
            ),
            route(
                "run commands on any instance",
                &[part(
                    &[
                        "ssm:SendCommand",
                        "ssm:StartSession",
                        "ec2-instance-connect:SendSSHPublicKey",
                    ],
                    On::AnyOf(&["instance", "managed-instance"]),
                )],
            ),
            route(
                "open a shell in any ECS task",
                &[part(&["ecs:ExecuteCommand"], On::AnyOf(&["task"]))],
            ),
            route(
                "run its own code in any Glue development endpoint",
                &[part(&["glue:UpdateDevEndpoint"], On::Any)],
            ),
            route(
                "start a build of any CodeBuild project (with its own buildspec)",
                &[part(&["codebuild:StartBuild"], On::Any)],
            ),
            route(
                "open any SageMaker notebook",
                &[part(
                    &["sagemaker:CreatePresignedNotebookInstanceUrl"],
                    On::Any,
                )],
            ),
            route(
                "redeploy any App Runner service",
                &[part(&["apprunner:UpdateService"], On::Any)],
            ),
            route(
                "update any CloudFormation stack",
                &[part(&["cloudformation:UpdateStack"], On::Any)],
            ),
        ],
    ),
    (
        &credentials_exposure::RULE,
        &[
            route(
                "create or reset credentials of any user",
                &[part(
                    &[
                        "iam:CreateAccessKey",
                        "iam:UpdateAccessKey",
                        "iam:CreateLoginProfile",
                        "iam:UpdateLoginProfile",
                        "iam:CreateServiceSpecificCredential",
                        "iam:ResetServiceSpecificCredential",
                    ],
                    On::Any,
                )],
            ),
            route("assume any role", &[part(&["sts:AssumeRole"], On::Any)]),
            route(
                "get credentials for any instance, database or workspace",
                &[part(
                    &[
                        "ec2:GetPasswordData",
                        "rds-db:connect",
                        "redshift:GetClusterCredentials",
                        "redshift:GetClusterCredentialsWithIAM",
                        "redshift-serverless:GetCredentials",
                        "cognito-identity:GetCredentialsForIdentity",
                        "lightsail:GetInstanceAccessDetails",
                        "lightsail:DownloadDefaultKeyPair",
                        "lightsail:GetRelationalDatabaseMasterUserPassword",
                        "appsync:CreateApiKey",
                        "gamelift:GetInstanceAccess",
                        "airflow:CreateCliToken",
                        "cloud9:CreateEnvironmentToken",
                    ],
                    On::Any,
                )],
            ),
        ],
    ),
    (
        &secrets_read::RULE,
        &[route(
            "read any secret or parameter",
            &[part(
                &[
                    "secretsmanager:GetSecretValue",
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:GetParametersByPath",
                ],
                On::Any,
            )],
        )],
    ),
    (
        &data_exfiltration::RULE,
        &[route(
            "read or copy out any bucket, database or table",
            &[part(
                &[
                    "s3:GetObject",
                    "rds:CreateDBSnapshot",
                    "rds:CopyDBSnapshot",
                    "rds:CreateDBClusterSnapshot",
                    "dynamodb:ExportTableToPointInTime",
                ],
                On::Any,
            )],
        )],
    ),
];

/// The built-in separation-of-duties combinations (`PD022`), each with its own severity.
pub const DUTIES: &[Route] = &[
    Route {
        label: "approve a pipeline stage and run or change the pipeline",
        severity: Some(Severity::High),
        parts: &[
            part(&["codepipeline:PutApprovalResult"], On::Some),
            part(
                &[
                    "codepipeline:StartPipelineExecution",
                    "codepipeline:UpdatePipeline",
                ],
                On::Some,
            ),
        ],
    },
    Route {
        label: "impair audit logging and change permissions",
        severity: Some(Severity::Critical),
        parts: &[
            part(
                &[
                    "cloudtrail:StopLogging",
                    "cloudtrail:DeleteTrail",
                    "cloudtrail:UpdateTrail",
                    "cloudtrail:PutEventSelectors",
                    "guardduty:DeleteDetector",
                    "config:StopConfigurationRecorder",
                    "config:DeleteConfigurationRecorder",
                ],
                On::Some,
            ),
            part(
                &[
                    "iam:PutRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:PutUserPolicy",
                    "iam:AttachUserPolicy",
                    "iam:CreatePolicyVersion",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:CreateAccessKey",
                ],
                On::Some,
            ),
        ],
    },
    Route {
        label: "administer a KMS key and decrypt with it",
        severity: Some(Severity::High),
        parts: &[
            part(&["kms:PutKeyPolicy"], On::Some),
            part(&["kms:Decrypt"], On::Some),
        ],
    },
    Route {
        label: "mint user credentials and grant users policies",
        severity: Some(Severity::Critical),
        parts: &[
            part(&["iam:CreateAccessKey"], On::Some),
            part(&["iam:AttachUserPolicy", "iam:PutUserPolicy"], On::Some),
        ],
    },
];

/// The rule the built-in duties and the user's `sod` blocks report under.
pub const DUTIES_RULE: &Rule = &separation_of_duties::RULE;

/// Permissions-management actions that open a resource to other accounts or to everyone, in
/// the order `resource-exposure` prefers for its example.
pub const EXPOSING: &[&str] = &[
    "s3:PutBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "lambda:AddPermission",
    "lambda:AddLayerVersionPermission",
    "sqs:AddPermission",
    "sqs:SetQueueAttributes",
    "sns:AddPermission",
    "sns:SetTopicAttributes",
    "ecr:SetRepositoryPolicy",
    "secretsmanager:PutResourcePolicy",
    "glacier:SetVaultAccessPolicy",
    "backup:PutBackupVaultAccessPolicy",
    "ec2:ModifySnapshotAttribute",
    "ec2:ModifyImageAttribute",
    "rds:ModifyDBSnapshotAttribute",
    "ram:CreateResourceShare",
    "apigateway:UpdateRestApiPolicy",
];
