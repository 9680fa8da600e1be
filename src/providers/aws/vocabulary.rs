//! AWS's vocabulary for witnesses: real action names (the consequential ones first), example
//! ARNs of the resource types an action takes, principals outside any account, and the catalog
//! that says which resource an action takes and what a pattern covers.
//!
//! Real action names read better than `s3:GetExample`: [`ACTIONS`] holds well-known actions,
//! the consequential ones first, so that `s3:Get*` over `s3:GetObject` is shown as
//! `s3:GetBucketPolicy`. It is not a catalog; actions missing from it come from the embedded
//! catalog, then a filled-in pattern.

use crate::catalog::aws::catalog;
use crate::model::vocabulary::Vocabulary;
use crate::model::{AccessSummary, Scope, Statement, Witness};

/// AWS's words.
pub struct Aws;

/// Actions, and resources, tried for a witness AWS would accept (see `fitting_pair`).
const FITTING_TRIES: usize = 12;
/// Catalog actions offered per statement as readable witness candidates.
const CATALOG_CANDIDATES: usize = 48;
/// Real actions tried per action pattern when requests are sampled.
const SAMPLED_PER_PATTERN: usize = 3;

impl Vocabulary for Aws {
    fn known_actions(&self, statement: &Statement, _: &[&Statement]) -> Vec<String> {
        let mut known: Vec<String> = ACTIONS.iter().map(|a| a.to_string()).collect();
        known.extend(catalog_actions(statement));
        known
    }

    fn resource_examples(&self, action: &str) -> Vec<String> {
        resources(&action.split(':').next().unwrap_or("").to_ascii_lowercase())
    }

    fn fitting_pair(
        &self,
        actions: &[String],
        resources: &[String],
        in_action: &dyn Fn(&str) -> bool,
        in_resource: &dyn Fn(&str) -> bool,
    ) -> Option<(String, String)> {
        // Each try checks every pattern: a few of each.
        let cat = catalog();
        let resources: Vec<&String> = resources
            .iter()
            .filter(|res| in_resource(res))
            .take(FITTING_TRIES)
            .collect();
        actions
            .iter()
            .filter_map(|name| cat.action(name).map(|info| (name, info)))
            .filter(|(name, _)| in_action(name))
            .take(FITTING_TRIES)
            .find_map(|(_, info)| {
                let own = cat.example_resources(&info);
                let own = own.iter().filter(|res| in_resource(res));
                resources
                    .iter()
                    .copied()
                    .chain(own)
                    .find(|res| cat.takes(&info, res))
                    .map(|res| (format!("{}:{}", info.service, info.name), res.clone()))
            })
    }

    fn principal_examples(&self) -> &'static [&'static str] {
        PRINCIPALS
    }

    /// An account as written (`AWS:123456789012`) is shorthand for its root, which is how a
    /// request names it.
    fn principal_in_request(&self, written: String) -> String {
        match written.strip_prefix("AWS:") {
            Some(id) if super::arn::is_account(id) => format!("AWS:arn:aws:iam::{id}:root"),
            _ => written,
        }
    }

    fn sample_actions(&self, pattern: &str) -> Vec<String> {
        let cat = catalog();
        let mut ids = cat.matching(pattern).to_vec();
        ids.sort_by_key(|&id| cat.by_id(id).effective_level().rank());
        ids.into_iter()
            .take(SAMPLED_PER_PATTERN)
            .map(name)
            .collect()
    }

    fn sample_any_actions(&self, keep: &dyn Fn(&str) -> bool, n: usize) -> Vec<String> {
        let all = catalog().matching("*");
        all.iter()
            .map(|&id| name(id))
            .filter(|a| keep(a))
            .take(n)
            .collect()
    }

    fn sample_resources(&self, action: &str) -> Vec<String> {
        let cat = catalog();
        cat.action(action)
            .map(|a| cat.example_resources(&a))
            .unwrap_or_default()
    }

    fn access(&self, actions: &[String], not_actions: bool) -> Option<AccessSummary> {
        Some(super::access::summary(actions, not_actions))
    }

    fn principal_example(
        &self,
        example: &Witness,
        principal: &str,
        statement: &Statement,
        scopes: (&Scope, &Scope),
        subject: (Option<&str>, Option<&str>),
    ) -> Option<Witness> {
        super::principals::for_principal(example, principal, statement, scopes, subject)
    }
}

/// `service:Action` of the catalog action `id`.
fn name(id: u32) -> String {
    let a = catalog().by_id(id);
    format!("{}:{}", a.service, a.name)
}

/// Real actions a statement's action patterns match, the most consequential first, as witness
/// candidates (each is used only if it has the atom's signature). None for `NotAction`.
fn catalog_actions(statement: &Statement) -> Vec<String> {
    let actions = &statement.actions;
    if actions.negated {
        return Vec::new();
    }
    let cat = catalog();
    let mut ids: Vec<u32> = actions
        .patterns
        .iter()
        .flat_map(|p| {
            cat.matching(p)
                .iter()
                .take(CATALOG_CANDIDATES)
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort_by_key(|&id| (cat.by_id(id).effective_level().rank(), id));
    ids.dedup();
    ids.into_iter().take(CATALOG_CANDIDATES).map(name).collect()
}

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
