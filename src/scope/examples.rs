//! Readable example values for witnesses (AWS). A witness may be any request inside the atom
//! the comparison found; these are tried in order and one is used only when it has exactly the
//! atom's signature, so the list affects how a witness reads, never whether it is correct.
//!
//! Real action names read better than `s3:GetExample`: the list holds well-known actions, the
//! consequential ones first, so that `s3:Get*` over `s3:GetObject` is shown as
//! `s3:GetBucketPolicy`. It is not a catalog; actions missing from it fall back to a filled-in
//! pattern.

mod azure;
pub use azure::{
    azure_operations, azure_rank, is_azure, AZURE_ACTION, AZURE_DATA_ACTION, AZURE_SCOPES,
};

/// Real AWS actions, the more consequential first within each service.
pub const ACTIONS: &[&str] = &[
    "iam:PassRole",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:GetRole",
    "iam:ListRoles",
    "iam:ListUsers",
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:GetSessionToken",
    "sts:GetCallerIdentity",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:GetObjectAcl",
    "s3:PutObjectAcl",
    "s3:GetObjectVersion",
    "s3:GetBucketAcl",
    "s3:GetBucketLocation",
    "s3:GetEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:DeleteBucket",
    "s3:CreateBucket",
    "s3:ListBucket",
    "s3:ListAllMyBuckets",
    "kms:Decrypt",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:CreateKey",
    "kms:DescribeKey",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecret",
    "secretsmanager:CreateSecret",
    "secretsmanager:DeleteSecret",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ssm:PutParameter",
    "ssm:DeleteParameter",
    "lambda:CreateFunction",
    "lambda:UpdateFunctionCode",
    "lambda:AddPermission",
    "lambda:InvokeFunction",
    "lambda:UpdateFunctionConfiguration",
    "lambda:DeleteFunction",
    "lambda:GetFunction",
    "ec2:RunInstances",
    "ec2:ModifyInstanceAttribute",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateSnapshot",
    "ec2:TerminateInstances",
    "ec2:StopInstances",
    "ec2:StartInstances",
    "ec2:CreateSecurityGroup",
    "ec2:CreateVpc",
    "ec2:DeleteVpc",
    "ec2:DescribeInstances",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeImages",
    "dynamodb:DeleteTable",
    "dynamodb:Scan",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:Query",
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "sqs:SetQueueAttributes",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:PurgeQueue",
    "sqs:DeleteQueue",
    "sqs:GetQueueAttributes",
    "sns:SetTopicAttributes",
    "sns:Publish",
    "sns:Subscribe",
    "sns:CreateTopic",
    "sns:DeleteTopic",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:PutLogEvents",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:LookupEvents",
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetAuthorizationToken",
    "ecr:DeleteRepository",
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "cloudformation:DeleteStack",
    "cloudformation:CreateChangeSet",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:DescribeStacks",
    "organizations:LeaveOrganization",
    "organizations:CreateAccount",
    "organizations:ListAccounts",
    "organizations:DescribeOrganization",
    "ecs:RunTask",
    "ecs:RegisterTaskDefinition",
    "ecs:UpdateService",
    "eks:CreateCluster",
    "eks:DescribeCluster",
    "codebuild:StartBuild",
    "codepipeline:PutApprovalResult",
    "codepipeline:StartPipelineExecution",
    "rds:DeleteDBInstance",
    "rds:CreateDBSnapshot",
    "rds:DescribeDBInstances",
    "route53:ChangeResourceRecordSets",
];

/// Example ARNs for a service, for requests whose resource is otherwise unconstrained.
pub fn resources(service: &str) -> Vec<String> {
    let acct = "123456789012";
    let specific = match service {
        "s3" => "arn:aws:s3:::example-bucket/example-object".to_string(),
        "iam" => format!("arn:aws:iam::{acct}:role/example"),
        "sts" => format!("arn:aws:iam::{acct}:role/example"),
        "dynamodb" => format!("arn:aws:dynamodb:us-east-1:{acct}:table/example"),
        "sqs" | "sns" => format!("arn:aws:{service}:us-east-1:{acct}:example"),
        "lambda" => format!("arn:aws:lambda:us-east-1:{acct}:function:example"),
        "kms" => format!("arn:aws:kms:us-east-1:{acct}:key/example"),
        "secretsmanager" => format!("arn:aws:secretsmanager:us-east-1:{acct}:secret:example"),
        "ssm" => format!("arn:aws:ssm:us-east-1:{acct}:parameter/example"),
        "logs" => format!("arn:aws:logs:us-east-1:{acct}:log-group:example"),
        "ec2" => format!("arn:aws:ec2:us-east-1:{acct}:instance/i-0example"),
        "ecr" => format!("arn:aws:ecr:us-east-1:{acct}:repository/example"),
        _ => format!("arn:aws:{service}:us-east-1:{acct}:example"),
    };
    vec![
        specific,
        "arn:aws:s3:::example-bucket/example-object".to_string(),
        format!("arn:aws:iam::{acct}:role/example"),
    ]
}

/// Principals outside any account a policy is likely to name.
pub const PRINCIPALS: &[&str] = &[
    "AWS:arn:aws:iam::999999999999:root",
    "AWS:arn:aws:iam::999999999999:role/example",
    "Service:example.amazonaws.com",
];

/// Whether a statement's actions are GCP permissions (`service.resource.verb`, no `service:`
/// part): AWS example actions would make no sense as its witnesses.
pub fn is_gcp(actions: &crate::scope::Match) -> bool {
    let p = &actions.patterns;
    p.iter().all(|a| !a.contains(':')) && p.iter().any(|a| a.contains('.'))
}

/// Real GCP permission names to try as witnesses: every literal one of the curated role table.
pub fn gcp_permissions() -> Vec<String> {
    let mut out: Vec<String> = crate::catalog::gcp::ROLES
        .iter()
        .flat_map(|(_, perms)| perms.iter())
        // A permission a role's exception takes out is a real one too.
        .map(|p| p.trim_start_matches('-'))
        .filter(|p| !p.contains('*'))
        .map(|p| p.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How consequential a GCP permission reads, most first: one that changes IAM or acts as
/// another identity (0), one that reads secret data (1), a write (2), anything else (3).
pub fn gcp_rank(permission: &str) -> usize {
    const IDENTITY: &[&str] = &[
        "setiampolicy",
        "actas",
        "getaccesstoken",
        "signblob",
        "signjwt",
        "implicitdelegation",
        "serviceaccountkeys.create",
        "roles.update",
    ];
    const SECRET: &[&str] = &[
        "versions.access",
        "objects.get",
        "getcredentials",
        "secrets.get",
        "usetodecrypt",
        "getdata",
        "privatelogentries",
        "subscriptions.consume",
    ];
    const WRITE: &[&str] = &[
        ".create",
        ".update",
        ".delete",
        ".set",
        ".run",
        ".exec",
        ".add",
        ".sourcecodeset",
        ".invoke",
        ".publish",
        ".attach",
    ];
    let p = permission.to_lowercase();
    if IDENTITY.iter().any(|k| p.contains(k)) {
        0
    } else if SECRET.iter().any(|k| p.contains(k)) {
        1
    } else if WRITE.iter().any(|k| p.contains(k)) {
        2
    } else {
        3
    }
}
