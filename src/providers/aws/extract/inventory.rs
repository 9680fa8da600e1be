//! The plan's own data-holding resources as a grant would name them, for what a widened grant
//! reaches: "reaches 2 of the plan's S3 buckets". A resource's ARN is its `arn` where the plan
//! knows it, else built from its name like the examples' names (`names.rs`), with the parts
//! known only after apply left as [`UNKNOWN_PART`] so that only a wildcard reaches them.

use crate::model::usage::{PlanResource, UNKNOWN_PART};
use crate::model::PlanNames;
use crate::plan::side::{Obj, Step};

/// A kind of resource: its type, what it is called, the service of the actions on it, the
/// attribute that names it, and its ARN with `{P}`, `{R}`, `{A}` for partition, region and
/// account, `{N}` for the name and `{U}` for a part AWS picks at creation.
struct Kind {
    kind: &'static str,
    noun: &'static str,
    service: &'static str,
    name: &'static str,
    arn: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        kind: "aws_s3_bucket",
        noun: "S3 bucket",
        service: "s3",
        name: "bucket",
        arn: "arn:{P}:s3:::{N}",
    },
    Kind {
        kind: "aws_dynamodb_table",
        noun: "DynamoDB table",
        service: "dynamodb",
        name: "name",
        arn: "arn:{P}:dynamodb:{R}:{A}:table/{N}",
    },
    Kind {
        kind: "aws_kms_key",
        noun: "KMS key",
        service: "kms",
        name: "key_id",
        arn: "arn:{P}:kms:{R}:{A}:key/{N}",
    },
    Kind {
        kind: "aws_secretsmanager_secret",
        noun: "Secrets Manager secret",
        service: "secretsmanager",
        name: "name",
        arn: "arn:{P}:secretsmanager:{R}:{A}:secret:{N}-{U}",
    },
    Kind {
        kind: "aws_ssm_parameter",
        noun: "SSM parameter",
        service: "ssm",
        name: "name",
        arn: "arn:{P}:ssm:{R}:{A}:parameter{slash}{N}",
    },
    Kind {
        kind: "aws_sqs_queue",
        noun: "SQS queue",
        service: "sqs",
        name: "name",
        arn: "arn:{P}:sqs:{R}:{A}:{N}",
    },
    Kind {
        kind: "aws_sns_topic",
        noun: "SNS topic",
        service: "sns",
        name: "name",
        arn: "arn:{P}:sns:{R}:{A}:{N}",
    },
    Kind {
        kind: "aws_kinesis_stream",
        noun: "Kinesis stream",
        service: "kinesis",
        name: "name",
        arn: "arn:{P}:kinesis:{R}:{A}:stream/{N}",
    },
    Kind {
        kind: "aws_lambda_function",
        noun: "Lambda function",
        service: "lambda",
        name: "function_name",
        arn: "arn:{P}:lambda:{R}:{A}:function:{N}",
    },
    Kind {
        kind: "aws_ecr_repository",
        noun: "ECR repository",
        service: "ecr",
        name: "name",
        arn: "arn:{P}:ecr:{R}:{A}:repository/{N}",
    },
    Kind {
        kind: "aws_iam_role",
        noun: "IAM role",
        service: "iam",
        name: "name",
        arn: "arn:{P}:iam::{A}:role{path}{N}",
    },
];

/// The after side's resources of the kinds above, read before the plan's places are settled.
#[derive(Default)]
pub struct Inventory {
    found: Vec<Found>,
}

/// One resource as read, before its ARN can be built.
struct Found {
    /// Index into [`KINDS`].
    at: usize,
    address: String,
    name: Option<String>,
    /// Its ARN, when the plan knows it.
    arn: Option<String>,
    /// Its IAM path (roles).
    path: String,
}

impl Inventory {
    /// Notes `o` if it is a managed resource of a kind a grant can reach.
    pub fn read(&mut self, o: &Obj) {
        if o.data {
            return;
        }
        let Some(at) = KINDS.iter().position(|k| k.kind == o.kind) else {
            return;
        };
        let known = |attr: &str| {
            o.str(attr)
                .filter(|v| !v.is_empty() && !o.is_sensitive(&[Step::Key(attr)]))
        };
        let path = known("path").unwrap_or_else(|| "/".to_string());
        self.found.push(Found {
            at,
            address: o.address.to_string(),
            name: known(KINDS[at].name),
            arn: known("arn").filter(|a| a.starts_with("arn:")),
            path,
        });
    }

    /// Every resource with its ARN, the plan's partition, region and account filled in where it
    /// says them.
    pub fn finish(self, names: &PlanNames) -> Vec<PlanResource> {
        let unknown = UNKNOWN_PART.to_string();
        let place = |key: &str| names.place(key).map_or(unknown.as_str(), |v| v);
        self.found
            .into_iter()
            .map(|f| {
                let Found {
                    at,
                    address,
                    name,
                    arn,
                    path,
                } = f;
                let k = &KINDS[at];
                let arn = arn.unwrap_or_else(|| {
                    let n = name.as_deref().unwrap_or(&unknown);
                    let slash = if n.starts_with('/') { "" } else { "/" };
                    k.arn
                        .replace("{P}", place("Partition"))
                        .replace("{R}", place("Region"))
                        .replace("{A}", place("Account"))
                        .replace("{path}", &path)
                        .replace("{slash}", slash)
                        .replace("{U}", &unknown)
                        .replace("{N}", n)
                });
                PlanResource {
                    name: name.unwrap_or_else(|| address.clone()),
                    address,
                    kind: k.noun,
                    service: k.service,
                    arn,
                }
            })
            .collect()
    }
}
