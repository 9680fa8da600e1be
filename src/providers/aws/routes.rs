//! The AWS routes each content rule looks for, as combinations of actions. Sources: Rhino
//! Security Labs' escalation methods, DataDog's pathfinding.cloud paths and cloudsplaining's
//! action lists (see `../shared/knowledge/risks.md` §1, §2 and §8); the selection and the
//! "any resource" reading are privdiff's own.

use crate::catalog::aws::{catalog, AccessLevel};
use crate::model::route::{part, route, Actions, Capability, Novelty, On, Part, Route, Table};
use crate::model::{Provider, Severity};

/// AWS's routes. A request's resource is the one the search found, shown as it is.
pub const TABLE: Table = Table {
    provider: Provider::Aws,
    novelty: Novelty::OfCapability,
    routes: ROUTES,
    separate: &[Capability::SeparationOfDuties],
    any: None,
    concrete: |r| r.to_string(),
    reads: |_| false,
    public: &[],
};

const PASS_ANY_ROLE: Part = part(&["iam:PassRole"], On::Any);

/// The routes, by capability in the order their rules are checked. A capability holds when
/// any of its routes does; a route holds when every part does, each on its own resource.
const ROUTES: &[Route] = &[
    route(
        Capability::PrivilegeEscalation,
        "write a new default version of any managed policy",
        &[part(&["iam:CreatePolicyVersion"], On::Any)],
    ),
    route(
        Capability::PrivilegeEscalation,
        "switch any managed policy to another of its versions",
        &[part(&["iam:SetDefaultPolicyVersion"], On::Any)],
    ),
    route(
        Capability::PrivilegeEscalation,
        "put or attach a policy on a role it can use",
        &[part(
            &["iam:PutRolePolicy", "iam:AttachRolePolicy"],
            On::AnyOrSelf,
        )],
    ),
    route(
        Capability::PrivilegeEscalation,
        "put or attach a policy on a user",
        &[part(
            &["iam:PutUserPolicy", "iam:AttachUserPolicy"],
            On::AnyOrSelf,
        )],
    ),
    route(
        Capability::PrivilegeEscalation,
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
        Capability::PrivilegeEscalation,
        "rewrite any role's trust policy and assume the role",
        &[
            part(&["iam:UpdateAssumeRolePolicy"], On::Any),
            part(&["sts:AssumeRole"], On::Some),
        ],
    ),
    route(
        Capability::PassroleCompute,
        "pass any role to a new EC2 instance",
        &[
            PASS_ANY_ROLE,
            part(&["ec2:RunInstances", "ec2:RequestSpotInstances"], On::Some),
        ],
    ),
    route(
        Capability::PassroleCompute,
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
        Capability::PassroleCompute,
        "pass any role to a new Glue development endpoint",
        &[PASS_ANY_ROLE, part(&["glue:CreateDevEndpoint"], On::Some)],
    ),
    route(
        Capability::PassroleCompute,
        "pass any role to a new Glue job and start it",
        &[
            PASS_ANY_ROLE,
            part(&["glue:CreateJob"], On::Some),
            part(&["glue:StartJobRun", "glue:CreateTrigger"], On::Some),
        ],
    ),
    route(
        Capability::PassroleCompute,
        "pass any role to a new CloudFormation stack",
        &[
            PASS_ANY_ROLE,
            part(&["cloudformation:CreateStack"], On::Some),
        ],
    ),
    route(
        Capability::PassroleCompute,
        "pass any role to a new Data Pipeline and activate it",
        &[
            PASS_ANY_ROLE,
            part(&["datapipeline:CreatePipeline"], On::Some),
            part(&["datapipeline:PutPipelineDefinition"], On::Some),
            part(&["datapipeline:ActivatePipeline"], On::Some),
        ],
    ),
    route(
        Capability::PassroleCompute,
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
        Capability::PassroleCompute,
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
        Capability::PassroleCompute,
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
        Capability::PassroleCompute,
        "pass any role to a new App Runner service",
        &[PASS_ANY_ROLE, part(&["apprunner:CreateService"], On::Some)],
    ),
    route(
        Capability::PassroleCompute,
        "pass any role to a new Auto Scaling group",
        &[
            PASS_ANY_ROLE,
            part(&["autoscaling:CreateLaunchConfiguration"], On::Some),
            part(&["autoscaling:CreateAutoScalingGroup"], On::Some),
        ],
    ),
    route(
        Capability::CodeExecution,
        "replace the code of any Lambda function",
        &[part(&["lambda:UpdateFunctionCode"], On::Any)],
    ),
    route(
        Capability::CodeExecution,
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
        Capability::CodeExecution,
        "open a shell in any ECS task",
        &[part(&["ecs:ExecuteCommand"], On::AnyOf(&["task"]))],
    ),
    route(
        Capability::CodeExecution,
        "run its own code in any Glue development endpoint",
        &[part(&["glue:UpdateDevEndpoint"], On::Any)],
    ),
    route(
        Capability::CodeExecution,
        "start a build of any CodeBuild project (with its own buildspec)",
        &[part(&["codebuild:StartBuild"], On::Any)],
    ),
    route(
        Capability::CodeExecution,
        "open any SageMaker notebook",
        &[part(
            &["sagemaker:CreatePresignedNotebookInstanceUrl"],
            On::Any,
        )],
    ),
    route(
        Capability::CodeExecution,
        "redeploy any App Runner service",
        &[part(&["apprunner:UpdateService"], On::Any)],
    ),
    route(
        Capability::CodeExecution,
        "update any CloudFormation stack",
        &[part(&["cloudformation:UpdateStack"], On::Any)],
    ),
    route(
        Capability::CredentialsExposure,
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
    route(
        Capability::CredentialsExposure,
        "assume any role",
        &[part(&["sts:AssumeRole"], On::Any)],
    ),
    route(
        Capability::CredentialsExposure,
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
    route(
        Capability::SecretsRead,
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
    ),
    route(
        Capability::DataExfiltration,
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
    ),
    route(
        Capability::ResourceExposure,
        "change who may use any resource (a resource policy, ACL, grant or share)",
        &[Part {
            actions: Actions::Catalog(permissions_management_outside_iam),
            on: On::Any,
        }],
    ),
    DUTIES[0],
    DUTIES[1],
    DUTIES[2],
    DUTIES[3],
];

/// The built-in separation-of-duties combinations (`PD022`), each with its own severity.
const DUTIES: &[Route] = &[
    Route {
        completes: Capability::SeparationOfDuties,
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
        completes: Capability::SeparationOfDuties,
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
        completes: Capability::SeparationOfDuties,
        label: "administer a KMS key and decrypt with it",
        severity: Some(Severity::High),
        parts: &[
            part(&["kms:PutKeyPolicy"], On::Some),
            part(&["kms:Decrypt"], On::Some),
        ],
    },
    Route {
        completes: Capability::SeparationOfDuties,
        label: "mint user credentials and grant users policies",
        severity: Some(Severity::Critical),
        parts: &[
            part(&["iam:CreateAccessKey"], On::Some),
            part(&["iam:AttachUserPolicy", "iam:PutUserPolicy"], On::Some),
        ],
    },
];

/// Permissions-management actions that open a resource to other accounts or to everyone, in
/// the order `resource-exposure` prefers for its example.
const EXPOSING: &[&str] = &[
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

/// Every action AWS classes as permissions management, outside IAM (whose writes
/// `privilege-escalation` covers route by route): resource policies, ACLs, grants, shares.
fn permissions_management_outside_iam() -> Vec<String> {
    // The ones that open data to other accounts or to everyone come first: the example names
    // the first one allowed.
    let mut out: Vec<String> = EXPOSING.iter().map(|a| a.to_string()).collect();
    out.extend(
        catalog()
            .actions()
            .filter(|a| a.effective_level() == AccessLevel::PermissionsManagement)
            .filter(|a| !matches!(a.service, "iam" | "sts"))
            .map(|a| format!("{}:{}", a.service, a.name))
            .filter(|a| !EXPOSING.iter().any(|e| e.eq_ignore_ascii_case(a))),
    );
    out
}
