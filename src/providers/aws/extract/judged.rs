//! Resource policies judged on their resource. A resource policy decides only requests of its
//! own service on its own resource: a bucket policy, S3 requests on the bucket and its objects;
//! a key policy, KMS requests on the key. What else a statement names grants nothing, whatever
//! it says: a bucket policy whose `Resource` names another bucket gives no access to that bucket
//! (AWS even refuses it at apply), `ec2:*` in it opens no EC2 action, and `s3:GetBucket` is no
//! action at all. Such parts are left out of the subject's scope, each with a note on the
//! subject, so that nothing reports them as grants: not the comparison, not who-can-reach-it,
//! not the findings.
//!
//! What is left is also capped by a boundary of the subject's own ARNs and service (see
//! [`bound`]), which keeps `*` and `NotResource` to the subject.

use super::lambda;
use super::resources::{BUCKET, CODEARTIFACT_REPOSITORY, ES_DOMAIN};
use crate::catalog::aws::catalog;
use crate::model::bits::ones_in;
use crate::model::pattern::Tok;
use crate::model::{Effect, Glob, IdentityScopes, Match, Note, SideScope, Statement};
use crate::plan::side::Side;
use std::collections::HashMap;

/// The words for a subject type's policy, and the service whose requests it decides.
struct Kind {
    /// The service prefix of its actions (`s3`).
    prefix: &'static str,
    /// The service as AWS names it (`S3`).
    service: &'static str,
    /// The subject, in a word (`bucket`).
    subject: &'static str,
    /// Its policy, in words (`bucket policy`).
    policy: &'static str,
    /// S3 refuses a bucket policy with a resource outside the bucket or an action it does not
    /// know at apply (`MalformedPolicy`); the other services are not known to, and their policy
    /// is judged the same way without saying so.
    refuses: bool,
}

const fn kind(
    prefix: &'static str,
    service: &'static str,
    subject: &'static str,
    policy: &'static str,
) -> Kind {
    Kind {
        prefix,
        service,
        subject,
        policy,
        refuses: false,
    }
}

/// The subject types whose resource policy decides the requests of one service.
fn kind_of(kind: &str) -> Option<Kind> {
    Some(match kind {
        BUCKET => Kind {
            refuses: true,
            ..self::kind("s3", "S3", "bucket", "bucket policy")
        },
        "aws_kms_key" => self::kind("kms", "KMS", "key", "key policy"),
        "aws_sqs_queue" => self::kind("sqs", "SQS", "queue", "queue policy"),
        "aws_sns_topic" => self::kind("sns", "SNS", "topic", "topic policy"),
        "aws_ecr_repository" => self::kind("ecr", "ECR", "repository", "repository policy"),
        "aws_secretsmanager_secret" => self::kind(
            "secretsmanager",
            "Secrets Manager",
            "secret",
            "secret policy",
        ),
        lambda::FUNCTION => self::kind("lambda", "Lambda", "function", "function policy"),
        "aws_api_gateway_rest_api" => self::kind("execute-api", "API Gateway", "API", "API policy"),
        "aws_opensearch_domain" => self::kind("es", "OpenSearch", "domain", "domain access policy"),
        "aws_backup_vault" => self::kind("backup", "AWS Backup", "vault", "backup vault policy"),
        "aws_glacier_vault" => self::kind("glacier", "S3 Glacier", "vault", "vault access policy"),
        "aws_cloudwatch_log_resource_policy" => self::kind(
            "logs",
            "CloudWatch Logs",
            "log group",
            "log resource policy",
        ),
        ES_DOMAIN => self::kind("es", "Elasticsearch", "domain", "domain access policy"),
        "aws_dynamodb_table" => self::kind("dynamodb", "DynamoDB", "table", "table policy"),
        "aws_kinesis_stream" => self::kind("kinesis", "Kinesis", "stream", "stream policy"),
        "aws_codeartifact_domain" => {
            self::kind("codeartifact", "CodeArtifact", "domain", "domain policy")
        }
        CODEARTIFACT_REPOSITORY => self::kind(
            "codeartifact",
            "CodeArtifact",
            "repository",
            "repository policy",
        ),
        "aws_s3tables_table_bucket" => self::kind(
            "s3tables",
            "S3 Tables",
            "table bucket",
            "table bucket policy",
        ),
        "aws_s3tables_table" => self::kind("s3tables", "S3 Tables", "table", "table policy"),
        "aws_efs_file_system" => self::kind(
            "elasticfilesystem",
            "EFS",
            "file system",
            "file system policy",
        ),
        "aws_glue_resource_policy" => self::kind(
            "glue",
            "AWS Glue",
            "Data Catalog",
            "Data Catalog resource policy",
        ),
        _ => return None,
    })
}

/// How AWS refuses a bucket policy that names another bucket.
const INVALID_RESOURCE: &str = "MalformedPolicy: Policy has invalid resource";
/// How AWS refuses a bucket policy that names an action S3 does not have.
const INVALID_ACTION: &str = "MalformedPolicy: Policy has invalid action";

/// The partitions an ARN can be in: a bucket created in this plan has a name but no ARN yet,
/// and its ARN is `arn:PARTITION:s3:::NAME` in one of them.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// One of the resources a policy governs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Own {
    /// This ARN (a bucket, a key).
    Arn(String),
    /// Every ARN that starts with this text (the objects of a bucket: `arn:aws:s3:::b/`).
    Under(String),
}

/// The resources a policy of this type governs, given the subject's ARN: a bucket policy
/// decides requests on the bucket and its objects, a key policy on the key... `None` for types
/// whose policy reaches beyond one ARN (an endpoint policy, a log resource policy).
pub fn governed(kind: &str, arn: &str) -> Option<Vec<Own>> {
    let within = |sep: &str| vec![Own::Arn(arn.to_string()), Own::Under(format!("{arn}{sep}"))];
    Some(match kind {
        BUCKET
        | "aws_opensearch_domain"
        | ES_DOMAIN
        | "aws_dynamodb_table"
        | "aws_kinesis_stream"
        | "aws_s3tables_table_bucket" => within("/"),
        // A repository's packages are `package/DOMAIN/REPOSITORY/...`, beside it.
        CODEARTIFACT_REPOSITORY => {
            let mut own = vec![Own::Arn(arn.to_string())];
            if let Some((head, path)) = arn.split_once(":repository/") {
                own.push(Own::Under(format!("{head}:package/{path}/")));
            }
            own
        }
        lambda::FUNCTION => within(":"),
        "aws_kms_key"
        | "aws_sqs_queue"
        | "aws_sns_topic"
        | "aws_ecr_repository"
        | "aws_secretsmanager_secret"
        | "aws_backup_vault"
        | "aws_glacier_vault"
        | "aws_codeartifact_domain"
        | "aws_s3tables_table"
        | "aws_efs_file_system" => vec![Own::Arn(arn.to_string())],
        _ => return None,
    })
}

/// What one side's policy governs, for judging its statements: from the subject's ARN on that
/// side; for a bucket outside the plan, or one created in it, from its name, in every
/// partition.
fn judged_on(e: &IdentityScopes, s: &SideScope) -> Option<Vec<Own>> {
    if let Some(arn) = arn_of(e, s) {
        return governed(e.kind, &arn);
    }
    let name = bucket_name(e, s)?;
    Some(
        PARTITIONS
            .iter()
            .filter_map(|p| governed(BUCKET, &format!("arn:{p}:s3:::{name}")))
            .flatten()
            .collect(),
    )
}

/// What one side's policy is capped to (see [`bound`]): the same, where the ARN is known; for
/// a bucket outside the plan, from its name in the `aws` partition. A subject created in this
/// plan is not capped until its ARN is known.
fn bounded_to(e: &IdentityScopes, s: &SideScope) -> Option<Vec<Own>> {
    match arn_of(e, s) {
        Some(arn) => governed(e.kind, &arn),
        None if e.address.starts_with("external:") => {
            governed(BUCKET, &format!("arn:aws:s3:::{}", bucket_name(e, s)?))
        }
        None => None,
    }
}

/// The subject's ARN on a side: its `arn`, or the ARN an external subject is named by.
fn arn_of(e: &IdentityScopes, s: &SideScope) -> Option<String> {
    s.arn.clone().or_else(|| {
        external_name(e)
            .filter(|n| n.starts_with("arn:"))
            .map(str::to_string)
    })
}

/// A bucket's name on a side, where its ARN is not known: an external bucket's, or the `bucket`
/// of one created in this plan. A sensitive name is not known.
fn bucket_name<'e>(e: &'e IdentityScopes, s: &'e SideScope) -> Option<&'e str> {
    if e.kind != BUCKET {
        return None;
    }
    let name = s.name.as_deref().or(external_name(e))?;
    (!name.starts_with("(sensitive")).then_some(name)
}

/// `NAME` of `external:TYPE/NAME`.
fn external_name(e: &IdentityScopes) -> Option<&str> {
    e.address
        .strip_prefix("external:")
        .and_then(|rest| rest.split_once('/'))
        .map(|(_, name)| name)
}

/// Judges each side's resource policy on its resource (see the module docs): leaves out what
/// cannot apply to it, notes why, and caps the rest with [`bound`].
pub fn judge(e: &mut IdentityScopes) {
    let kind = kind_of(e.kind);
    for side in [Side::Before, Side::After] {
        let s = match side {
            Side::Before => &e.before,
            Side::After => &e.after,
        };
        if s.resource_policy.is_none() {
            continue;
        }
        let (own, bounded) = (judged_on(e, s), bounded_to(e, s));
        let origins = &e.origins;
        let s = match side {
            Side::Before => &mut e.before,
            Side::After => &mut e.after,
        };
        judge_side(s, origins, kind.as_ref(), own.as_deref());
        bound(s, bounded.as_deref(), kind.as_ref().map(|k| k.prefix));
    }
}

/// Judges one side's statements on `own` (when known) and `kind`'s service (when it has one).
fn judge_side(
    s: &mut SideScope,
    origins: &[crate::model::Origin],
    kind: Option<&Kind>,
    own: Option<&[Own]>,
) {
    let Some(policy) = s.resource_policy.as_mut() else {
        return;
    };
    let statements = std::mem::take(&mut policy.statements);
    let labels = labels(&statements, origins);
    let mut notes = Vec::new();
    for (st, label) in statements.into_iter().zip(labels) {
        let mut facts = Facts {
            label,
            sensitive: origins[st.origin].sensitive,
            kind,
            notes: &mut notes,
        };
        let st = match own {
            Some(own) => facts.on(st, own),
            None => Some(st),
        };
        let st = match (st, kind) {
            (Some(st), Some(k)) => facts.of_service(st, k),
            (st, _) => st,
        };
        policy.statements.extend(st);
    }
    for n in notes {
        s.note(n);
    }
}

/// How each statement is named in a note: `statement 2 of SOURCE`, or `SOURCE` alone when its
/// document has one statement (a Lambda permission).
fn labels(statements: &[Statement], origins: &[crate::model::Origin]) -> Vec<String> {
    let mut total: HashMap<usize, usize> = HashMap::new();
    for st in statements {
        *total.entry(st.origin).or_default() += 1;
    }
    let mut seen: HashMap<usize, usize> = HashMap::new();
    statements
        .iter()
        .map(|st| {
            let n = seen.entry(st.origin).or_default();
            *n += 1;
            let source = &origins[st.origin].source;
            if total[&st.origin] == 1 {
                source.clone()
            } else {
                format!("statement {n} of {source}")
            }
        })
        .collect()
}

/// One statement being judged, and where its notes go.
struct Facts<'a> {
    label: String,
    /// Its document is sensitive: notes name none of its content.
    sensitive: bool,
    kind: Option<&'a Kind>,
    notes: &'a mut Vec<Note>,
}

impl Facts<'_> {
    fn shown(&self, names: Vec<String>) -> Vec<String> {
        if self.sensitive {
            Vec::new()
        } else {
            names
        }
    }

    /// The statement kept to the resources it names among `own`; `None` when it names none.
    fn on(&mut self, st: Statement, own: &[Own]) -> Option<Statement> {
        let subject = self.kind.map_or("resource", |k| k.subject);
        let refused = self.kind.filter(|k| k.refuses).map(|_| INVALID_RESOURCE);
        if st.resources.negated {
            // `NotResource`: the statement applies to what no pattern matches. It grants nothing
            // here only when the patterns leave out every resource of the subject; the
            // boundary keeps the rest to the subject.
            if !own.iter().all(|o| excluded(&st.resources.patterns, o)) {
                return Some(st);
            }
            self.notes.push(Note::NotThisResource {
                statement: self.label.clone(),
                names: Vec::new(),
                excluded: true,
                partly: false,
                subject,
                refused: None,
            });
            return None;
        }
        let (here, elsewhere): (Vec<_>, Vec<_>) = st
            .resources
            .patterns
            .iter()
            .cloned()
            .zip(st.resources.display.iter().cloned())
            .partition(|(p, _)| touches(p, own));
        if elsewhere.is_empty() {
            return Some(st);
        }
        let partly = !here.is_empty();
        self.notes.push(Note::NotThisResource {
            statement: self.label.clone(),
            names: self.shown(elsewhere.into_iter().map(|(_, d)| d).collect()),
            excluded: false,
            partly,
            subject,
            refused,
        });
        if !partly {
            return None;
        }
        Some(Statement {
            resources: Match::new(false, here),
            ..st
        })
    }

    /// The statement kept to the actions of the policy's service (`*` read as `s3:*`); `None`
    /// when it names none. `NotAction` is left to the boundary.
    fn of_service(&mut self, st: Statement, k: &Kind) -> Option<Statement> {
        if st.actions.negated {
            return Some(st);
        }
        let mut kept = Vec::new();
        let (mut other, mut unknown) = (Vec::new(), Vec::new());
        for (p, d) in st.actions.patterns.iter().zip(st.actions.display.iter()) {
            match fate(p, d, k.prefix) {
                Fate::Kept(p, d) => kept.push((p, d)),
                Fate::OtherService => other.push(d.clone()),
                Fate::Unknown => unknown.push(d.clone()),
            }
        }
        if !other.is_empty() {
            self.notes.push(Note::OtherService {
                statement: self.label.clone(),
                actions: self.shown(other),
                service: k.service,
                policy: k.policy,
            });
        }
        if !unknown.is_empty() {
            self.notes.push(Note::UnknownActions {
                statement: self.label.clone(),
                actions: self.shown(unknown),
                service: k.service,
                refused: k.refuses.then_some(INVALID_ACTION),
            });
        }
        if kept.is_empty() {
            return None;
        }
        if kept.len() == st.actions.patterns.len()
            && kept
                .iter()
                .zip(st.actions.patterns.iter())
                .all(|(k, p)| &k.0 == p)
        {
            return Some(st);
        }
        Some(Statement {
            actions: Match::new(false, kept),
            ..st
        })
    }
}

/// What becomes of one action pattern of a resource policy whose service is `prefix`.
#[derive(Debug, PartialEq, Eq)]
enum Fate {
    /// It names actions of the service: the pattern kept, narrowed to the service (`*` becomes
    /// `s3:*`), in matching form and as shown.
    Kept(String, String),
    /// It names only actions of other services.
    OtherService,
    /// It names no action of the service that the catalog knows.
    Unknown,
}

/// Judges an action pattern (`pattern` in matching form, lower case; `shown` as written)
/// against the catalog. A service the catalog does not have is not judged: its patterns are
/// kept.
fn fate(pattern: &str, shown: &str, prefix: &str) -> Fate {
    let cat = catalog();
    let (pattern, shown) = match pattern.split_once(':') {
        None if pattern == "*" => (format!("{prefix}:*"), format!("{prefix}:*")),
        // A wildcard that stands for the colon (`s3*`): kept as written if it names some action
        // of the service; the boundary keeps it to the service.
        None => {
            let ids = cat.matching(pattern);
            return if ids.iter().any(|&id| cat.by_id(id).service == prefix) {
                Fate::Kept(pattern.to_string(), shown.to_string())
            } else if !ids.is_empty() {
                Fate::OtherService
            } else if cat.has_service(prefix) {
                Fate::Unknown
            } else {
                Fate::Kept(pattern.to_string(), shown.to_string())
            };
        }
        Some((service, _)) if service == prefix => (pattern.to_string(), shown.to_string()),
        // `s*:GetObject`: the part of it that is this service's.
        Some((service, name)) if service.contains(['*', '?']) => {
            if !Glob::action(service).matches(prefix) {
                return Fate::OtherService;
            }
            let name_shown = shown.split_once(':').map_or(name, |(_, n)| n);
            (format!("{prefix}:{name}"), format!("{prefix}:{name_shown}"))
        }
        Some(_) => return Fate::OtherService,
    };
    if cat.has_service(prefix) && cat.matching(&pattern).is_empty() {
        Fate::Unknown
    } else {
        Fate::Kept(pattern, shown)
    }
}

/// Whether the `Resource` pattern `pattern` matches some resource of `own`. A pattern with a
/// policy variable (`${aws:username}`) is taken to: what it names is known only per request.
fn touches(pattern: &str, own: &[Own]) -> bool {
    if has_variable(pattern) {
        return true;
    }
    let glob = Glob::arn(pattern);
    own.iter().any(|o| match o {
        Own::Arn(arn) => glob.matches(arn),
        // Any state left after the prefix leads to acceptance: each token can be completed
        // (a literal by itself, `?` by any character, a star by nothing).
        Own::Under(prefix) => after(&glob, prefix).is_some(),
    })
}

/// Whether the `NotResource` patterns leave out every resource of `o`. For the ARNs under a
/// prefix, one pattern must cover them all (a union of several that does is not seen, which
/// keeps the statement: the boundary still holds it to the subject).
fn excluded(patterns: &[String], o: &Own) -> bool {
    patterns.iter().any(|p| {
        if has_variable(p) {
            return false;
        }
        let glob = Glob::arn(p);
        match o {
            Own::Arn(arn) => glob.matches(arn),
            Own::Under(prefix) => after(&glob, prefix).is_some_and(|w| {
                let toks = glob.toks();
                ones_in(&w).any(|i| i + 1 == toks.len() && toks[i] == Tok::Star)
            }),
        }
    })
}

/// The pattern's state set after reading `prefix`, if it is not empty.
fn after(glob: &Glob, prefix: &str) -> Option<Vec<u64>> {
    let mut w = vec![0; glob.width()];
    let mut next = vec![0; glob.width()];
    glob.start_into(&mut w);
    for c in prefix.chars() {
        if !glob.step_into(&w, c, &mut next) {
            return None;
        }
        std::mem::swap(&mut w, &mut next);
    }
    Some(w)
}

/// A `${...}` policy variable other than the escapes `${*}`, `${?}`, `${$}`.
fn has_variable(pattern: &str) -> bool {
    pattern.match_indices("${").any(|(i, _)| {
        !["${*}", "${?}", "${$}"]
            .iter()
            .any(|e| pattern[i..].starts_with(e))
    })
}

/// Caps a side's resource policy to the resources it governs and its service's actions, so
/// that the comparison (and every example) is about requests this policy decides: a
/// `NotResource` or `*` in a bucket policy still only reaches the bucket, and a `NotAction`
/// only S3 actions.
fn bound(s: &mut SideScope, own: Option<&[Own]>, prefix: Option<&str>) {
    let Some(policy) = s.resource_policy.as_mut() else {
        return;
    };
    if own.is_none() && prefix.is_none() {
        return;
    }
    let resources = match own {
        Some(own) => Match::new(
            false,
            own.iter()
                .map(|o| match o {
                    Own::Arn(arn) => (escape(arn), arn.clone()),
                    Own::Under(p) => (format!("{}*", escape(p)), format!("{p}*")),
                })
                .collect(),
        ),
        None => Match::any(),
    };
    let actions = match prefix {
        Some(p) => Match::new(false, vec![(format!("{p}:*"), format!("{p}:*"))]),
        None => Match::any(),
    };
    policy.boundary = Some(vec![Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions,
        resources,
        conditions: Vec::new().into(),
        except: None,
        condition_text: Vec::new().into(),
        origin: 0,
    }]);
}

/// An ARN as a literal resource pattern: its own `*`, `?` and `$` stand for themselves.
fn escape(arn: &str) -> String {
    crate::providers::aws::policy::escape_literal(arn)
}

#[cfg(test)]
mod tests;
