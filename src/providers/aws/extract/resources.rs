//! Resource policies: who may use an S3 bucket, a KMS key, a queue, a function... Each carrier
//! resource either holds the policy of the resource it points at (`aws_s3_bucket_policy`) or its
//! own (`aws_glacier_vault.access_policy`).

use super::targets::Target;
use super::{acl, lambda, SideReader};
use crate::model::{IdentityScopes, PublicAccessBlock};
use crate::plan::side::{Obj, Step};
use crate::plan::InputError;
use serde_json::Value;
use std::collections::BTreeMap;

/// A resource type that holds a resource policy.
struct Carrier {
    kind: &'static str,
    /// The attribute that holds the policy document.
    policy: &'static str,
    /// `None`: the policy is the carrier's own. Such an attribute is often computed (an
    /// `aws_kms_key` without `policy` gets the default key policy, known only after apply), so
    /// it is read only where the configuration sets it; otherwise a separate policy resource
    /// manages it, or nobody does.
    target: Option<Target>,
}

const fn to(attr: &'static str, kind: &'static str, by: &'static [&'static str]) -> Option<Target> {
    Some(Target { attr, kind, by })
}

const CARRIERS: &[Carrier] = &[
    Carrier {
        kind: "aws_s3_bucket_policy",
        policy: "policy",
        target: to("bucket", BUCKET, &["bucket", "id"]),
    },
    Carrier {
        kind: BUCKET,
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_kms_key_policy",
        policy: "policy",
        target: to("key_id", "aws_kms_key", &["key_id", "arn", "id"]),
    },
    Carrier {
        kind: "aws_kms_key",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_sqs_queue_policy",
        policy: "policy",
        target: to("queue_url", "aws_sqs_queue", &["url", "id"]),
    },
    Carrier {
        kind: "aws_sqs_queue",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_sns_topic_policy",
        policy: "policy",
        target: to("arn", "aws_sns_topic", &["arn", "id"]),
    },
    Carrier {
        kind: "aws_sns_topic",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_ecr_repository_policy",
        policy: "policy",
        target: to("repository", "aws_ecr_repository", &["name", "id"]),
    },
    Carrier {
        kind: "aws_secretsmanager_secret_policy",
        policy: "policy",
        target: to("secret_arn", "aws_secretsmanager_secret", &["arn", "id"]),
    },
    Carrier {
        kind: "aws_secretsmanager_secret",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_api_gateway_rest_api_policy",
        policy: "policy",
        target: to("rest_api_id", "aws_api_gateway_rest_api", &["id"]),
    },
    Carrier {
        kind: "aws_api_gateway_rest_api",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_opensearch_domain_policy",
        policy: "access_policies",
        target: to("domain_name", "aws_opensearch_domain", &["domain_name"]),
    },
    Carrier {
        kind: "aws_opensearch_domain",
        policy: "access_policies",
        target: None,
    },
    Carrier {
        kind: "aws_backup_vault_policy",
        policy: "policy",
        target: to("backup_vault_name", "aws_backup_vault", &["name", "id"]),
    },
    Carrier {
        kind: "aws_glacier_vault",
        policy: "access_policy",
        target: None,
    },
    Carrier {
        kind: "aws_cloudwatch_log_resource_policy",
        policy: "policy_document",
        target: None,
    },
    Carrier {
        kind: "aws_vpc_endpoint",
        policy: "policy",
        target: None,
    },
    Carrier {
        kind: "aws_elasticsearch_domain_policy",
        policy: "access_policies",
        target: to("domain_name", ES_DOMAIN, &["domain_name"]),
    },
    Carrier {
        kind: ES_DOMAIN,
        policy: "access_policies",
        target: None,
    },
    // A table's policy and its stream's are both the table's subject: a stream's ARN lies
    // under the table's.
    Carrier {
        kind: "aws_dynamodb_resource_policy",
        policy: "policy",
        target: to("resource_arn", "aws_dynamodb_table", &["arn", "stream_arn"]),
    },
    Carrier {
        kind: "aws_kinesis_resource_policy",
        policy: "policy",
        target: to("resource_arn", "aws_kinesis_stream", &["arn"]),
    },
    Carrier {
        kind: "aws_codeartifact_domain_permissions_policy",
        policy: "policy_document",
        target: to("domain", "aws_codeartifact_domain", &["domain"]),
    },
    Carrier {
        kind: "aws_codeartifact_repository_permissions_policy",
        policy: "policy_document",
        target: to("repository", CODEARTIFACT_REPOSITORY, &["repository"]),
    },
    Carrier {
        kind: "aws_s3tables_table_bucket_policy",
        policy: "resource_policy",
        target: to("table_bucket_arn", "aws_s3tables_table_bucket", &["arn"]),
    },
    Carrier {
        kind: "aws_s3tables_table_policy",
        policy: "resource_policy",
        target: to("name", "aws_s3tables_table", &["name"]),
    },
    Carrier {
        kind: "aws_efs_file_system_policy",
        policy: "policy",
        target: to("file_system_id", "aws_efs_file_system", &["id"]),
    },
    // The account's Data Catalog in one region has one policy and no resource of its own.
    Carrier {
        kind: "aws_glue_resource_policy",
        policy: "policy",
        target: None,
    },
];

pub const ES_DOMAIN: &str = "aws_elasticsearch_domain";
pub const CODEARTIFACT_REPOSITORY: &str = "aws_codeartifact_repository";

pub const BUCKET: &str = "aws_s3_bucket";
pub const BUCKET_PAB: &str = "aws_s3_bucket_public_access_block";
pub const ACCOUNT_PAB: &str = "aws_s3_account_public_access_block";
pub const LAMBDA_PERMISSION: &str = "aws_lambda_permission";
pub const FUNCTION_URL: &str = "aws_lambda_function_url";

/// The bucket a bucket-level setting (public access block, ACL, ownership) is on.
pub(super) const BUCKET_OF: Target = Target {
    attr: "bucket",
    kind: BUCKET,
    by: &["bucket", "id"],
};

/// Resource types the resource-policy extractor reads: carriers and the resources they point
/// at.
pub fn relevant(kind: &str) -> bool {
    CARRIERS
        .iter()
        .any(|c| c.kind == kind || c.target.as_ref().is_some_and(|t| t.kind == kind))
        || matches!(
            kind,
            LAMBDA_PERMISSION
                | FUNCTION_URL
                | lambda::FUNCTION
                | BUCKET_PAB
                | ACCOUNT_PAB
                | acl::BUCKET_ACL
                | acl::OWNERSHIP
        )
}

/// Every (type, attribute) by which a carrier can name the resource it points at.
pub fn target_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    CARRIERS
        .iter()
        .filter_map(|c| c.target.as_ref())
        .chain([&BUCKET_OF, &lambda::TARGET])
        .flat_map(|t| t.by.iter().map(move |b| (t.kind, *b)))
}

impl SideReader<'_, '_> {
    /// Reads every resource policy and public access block of this side into `subjects`.
    pub fn collect_resources(
        &self,
        subjects: &mut BTreeMap<String, IdentityScopes>,
    ) -> Result<(), InputError> {
        for obj in &self.world.objs {
            if obj.data {
                continue;
            }
            if let Some(c) = CARRIERS.iter().find(|c| c.kind == obj.kind) {
                let path = [Step::Key(c.policy)];
                match &c.target {
                    None if !self.configured(obj, c.policy) => {}
                    None => {
                        let doc = self.policy_value(obj, &path, c.policy)?;
                        let e = self.own_subject(subjects, obj);
                        super::add_resource_policy(e, self.side(), &doc);
                    }
                    Some(t) => {
                        let doc = self.policy_value(obj, &path, c.policy)?;
                        for a in self.subjects(subjects, obj, t) {
                            super::add_resource_policy(subject(subjects, &a), self.side(), &doc);
                        }
                    }
                }
            }
            match obj.kind {
                FUNCTION_URL => {
                    let at = [Step::Key("authorization_type")];
                    let after_apply = obj.is_unknown(&at);
                    let none = obj.get(&at).is_some_and(|v| v.as_str() == Some("NONE"));
                    // An endpoint that stays as it was is not this change's news.
                    let changed = obj.actions.iter().any(|a| a != "no-op" && a != "read");
                    if changed && (none || after_apply) {
                        for a in self.subjects(subjects, obj, &lambda::TARGET) {
                            subject(subjects, &a).side_mut(self.side()).note(
                                crate::model::Note::UnauthenticatedUrl {
                                    url: obj.address.to_string(),
                                    after_apply,
                                },
                            );
                        }
                    }
                }
                LAMBDA_PERMISSION => {
                    for a in self.subjects(subjects, obj, &lambda::TARGET) {
                        let doc = lambda::statement(self, obj, &a)?;
                        super::add_resource_policy(subject(subjects, &a), self.side(), &doc);
                    }
                }
                BUCKET_PAB | ACCOUNT_PAB => {
                    let block = public_access_block(obj);
                    let unknown: Vec<_> = PublicAccessBlock::NAMES
                        .iter()
                        .zip(&block.settings)
                        .filter(|(_, v)| v.is_none())
                        .map(|(name, _)| crate::providers::aws::extract::docs::attr_ref(obj, name))
                        .collect();
                    let targets = if obj.kind == BUCKET_PAB {
                        self.subjects(subjects, obj, &BUCKET_OF)
                    } else {
                        self.own_subject(subjects, obj);
                        vec![obj.address.to_string()]
                    };
                    for a in targets {
                        let s = subject(subjects, &a).side_mut(self.side());
                        s.public_access_block = Some(block.clone());
                        for u in &unknown {
                            if !s.unknown.contains(u) {
                                s.unknown.push(u.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The subject entry for a carrier that is its own subject.
    fn own_subject<'m>(
        &self,
        subjects: &'m mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
    ) -> &'m mut IdentityScopes {
        let kind = static_kind(obj.kind);
        super::entry(subjects, obj.address, kind, true)
    }

    /// The addresses of the subjects a carrier points at, their entries created as needed.
    pub(super) fn subjects(
        &self,
        subjects: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
        t: &Target,
    ) -> Vec<String> {
        let side = self.side();
        self.who_by(obj, t)
            .into_iter()
            .map(|w| {
                let e = super::entry(subjects, &w.address, w.kind, w.managed);
                if let Some(at) = &w.unresolved {
                    let s = e.side_mut(side);
                    if !s.unknown.contains(at) {
                        s.unknown.push(at.clone());
                    }
                }
                w.address
            })
            .collect()
    }
}

/// The entry of a subject [`SideReader::subjects`] created.
pub(super) fn subject<'m>(
    subjects: &'m mut BTreeMap<String, IdentityScopes>,
    address: &str,
) -> &'m mut IdentityScopes {
    subjects
        .get_mut(address)
        .expect("subjects() creates every entry it names")
}

pub(super) fn public_access_block(obj: &Obj) -> PublicAccessBlock {
    let mut settings = [None; 4];
    for (i, name) in PublicAccessBlock::NAMES.iter().enumerate() {
        settings[i] = match obj.get(&[Step::Key(name)]) {
            Some(Value::Bool(b)) => Some(b),
            // Unset in the configuration, each setting defaults to false.
            None if !obj.is_unknown(&[Step::Key(name)]) => Some(false),
            _ => None,
        };
    }
    PublicAccessBlock {
        address: obj.address.to_string(),
        settings,
    }
}

/// The service whose requests a resource policy of this type governs.
pub fn service_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        BUCKET | ACCOUNT_PAB => "s3",
        "aws_kms_key" => "kms",
        "aws_sqs_queue" => "sqs",
        "aws_sns_topic" => "sns",
        "aws_ecr_repository" => "ecr",
        "aws_secretsmanager_secret" => "secretsmanager",
        lambda::FUNCTION => "lambda",
        "aws_api_gateway_rest_api" => "execute-api",
        "aws_opensearch_domain" | ES_DOMAIN => "es",
        "aws_dynamodb_table" => "dynamodb",
        "aws_kinesis_stream" => "kinesis",
        "aws_codeartifact_domain" | CODEARTIFACT_REPOSITORY => "codeartifact",
        "aws_s3tables_table_bucket" | "aws_s3tables_table" => "s3tables",
        "aws_efs_file_system" => "elasticfilesystem",
        "aws_glue_resource_policy" => "glue",
        "aws_backup_vault" => "backup",
        "aws_glacier_vault" => "glacier",
        "aws_cloudwatch_log_resource_policy" => "logs",
        _ => return None,
    })
}

/// The type name of a subject, as the `'static` string the report holds.
pub fn static_kind(kind: &str) -> &'static str {
    CARRIERS
        .iter()
        .flat_map(|c| [Some(c.kind), c.target.as_ref().map(|t| t.kind)])
        .flatten()
        .chain([ACCOUNT_PAB, lambda::FUNCTION])
        .find(|k| *k == kind)
        .unwrap_or("aws_resource")
}
