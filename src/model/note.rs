//! Caveats on a subject's verdict: what the extractors and the comparison want the reader to
//! know. The report carries them as sentences (`notes[]`).

use std::fmt;

/// One caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A conditional GCP grant whose condition expression was rewritten: whether the new
    /// expression allows more than the old cannot be told from their text (the expressions
    /// are not repeated: a condition may be sensitive, and the documents show them).
    ConditionRewritten {
        /// The binding's resource.
        binding: String,
        /// The role it grants, or "a role" when the role is sensitive.
        role: String,
        /// Where it grants it.
        on: String,
    },
    /// Before the change the identity also had grants privdiff cannot expand: what is listed
    /// as added may already have been allowed by them.
    UnexpandedBefore { count: usize, of: Unexpandeds },
    /// The same boundary privdiff cannot read stands on both sides and was left out.
    BoundaryLeftOut { arn: String },
    /// The exact comparison ran out of budget; additions were found by trying requests.
    Sampled,
    /// The comparison ran out of budget: the subject is unverifiable.
    TooComplex,
    /// The plan-wide budget was spent before this subject was compared.
    PlanBudgetSpent,
    /// Some condition was compared only by its text.
    ComparedByText,
    /// Values known only after apply may add more than the additions known now.
    KnownNow,
    /// A new statement's action pattern meets none of its resources: through it the statement
    /// allows nothing, which is likely a mistake.
    AllowsNothing {
        /// Where the statement is (`aws_iam_role_policy.x`).
        source: String,
        /// The action pattern as written.
        action: String,
        /// The statement's resources as written.
        resources: Vec<String>,
        /// Example resources of the types the pattern's first action takes; empty when it takes
        /// only `*`.
        takes: Vec<String>,
    },
    /// A resource policy statement names resources other than the policy's own resource (a
    /// bucket policy naming another bucket): that part grants nothing and was left out.
    NotThisResource {
        /// `statement 2 of aws_s3_bucket_policy.x`, or the source alone for a document of one
        /// statement.
        statement: String,
        /// The resources it names instead, as written; empty when the document is sensitive.
        names: Vec<String>,
        /// It names them with `NotResource`: it excludes every resource of the subject.
        excluded: bool,
        /// It also names the subject: only the rest is left out.
        partly: bool,
        /// What the subject is, in a word: `bucket`, `key`, `queue`...
        subject: &'static str,
        /// How AWS refuses such a policy at apply, where it does
        /// (`MalformedPolicy: Policy has invalid resource`).
        refused: Option<&'static str>,
    },
    /// Actions of another service in a resource policy (`ec2:*` in a bucket policy): the policy
    /// decides only its own service's requests, so they were left out.
    OtherService {
        statement: String,
        /// As written; empty when the document is sensitive.
        actions: Vec<String>,
        /// The policy's service, as AWS names it (`S3`).
        service: &'static str,
        /// The policy, in words (`bucket policy`).
        policy: &'static str,
    },
    /// A value naming the resource a grant is on is known only after apply: the grant is
    /// judged on a resource of its own standing for it (for a widening, the worst case).
    NamedAfterApply {
        /// The resource whose attribute it is (`google_project_iam_member.owner`).
        binding: String,
        attribute: String,
        /// The name standing for it (`⟨project from random_string.suffix, known after apply⟩`).
        shown: String,
    },
    /// An Azure scope known only after apply that the plan spells in full: the id of a resource
    /// it creates, whose path its known attributes give.
    ScopeOfResource {
        binding: String,
        /// The resource whose id it is.
        resource: String,
        scope: String,
    },
    /// Parts of a policy document are known only after apply (a data source read at apply):
    /// each was taken by its worst case for an Allow and its best for a Deny.
    AssumedAfterApply {
        /// The document (`data.aws_iam_policy_document.x`).
        source: String,
        /// What was assumed, one entry per part.
        assumed: Vec<String>,
    },
    /// The members of a binding are known only after apply: its grant is judged for one member
    /// standing for all of them.
    MembersAfterApply {
        binding: String,
        /// What they are called: `members` (GCP), `subjects` (Kubernetes), `principal` (Azure).
        who: &'static str,
    },
    /// A role bound on a resource none of whose permissions takes effect on that kind of
    /// resource (a Cloud Run role on a bucket): the binding grants nothing.
    GrantsNothingHere {
        binding: String,
        role: String,
        /// The resource's type, as permissions name it (`storage.buckets`), or its Azure type.
        on: String,
    },
    /// Actions of a resource policy that privdiff's catalog does not know in the policy's own
    /// service (`s3:GetBucket`): they grant nothing and were left out.
    UnknownActions {
        statement: String,
        /// As written; empty when the document is sensitive.
        actions: Vec<String>,
        service: &'static str,
        /// How AWS refuses such a policy at apply, where it does.
        refused: Option<&'static str>,
    },
    /// An S3 access control list's grants that S3 will not honour: ACLs disabled by the
    /// bucket's object ownership, or public grants a public access block ignores or refuses.
    AclSetAside {
        /// The resource that holds the ACL (`aws_s3_bucket_acl.x`).
        acl: String,
        /// The resource whose setting sets it aside.
        by: String,
        why: AclSetAside,
    },
    /// A Kubernetes group the API server puts many subjects in (`system:serviceaccounts`):
    /// each of them gains what the group is granted.
    GroupOfMany {
        group: String,
        /// Who is in it (`every service account in namespace apps`).
        who: String,
    },
    /// A Lambda function URL that takes requests without AWS authentication.
    UnauthenticatedUrl {
        /// The `aws_lambda_function_url`.
        url: String,
        /// Its authorization type is known only after apply (taken as `NONE`).
        after_apply: bool,
    },
}

/// Why S3 does not honour an ACL's grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AclSetAside {
    /// Object ownership `BucketOwnerEnforced` disables ACLs: no grant counts.
    Disabled,
    /// `ignore_public_acls`: public grants count for nothing.
    Ignored,
    /// `block_public_acls`: S3 refuses to set a public ACL.
    Refused,
}

/// What kind of grants privdiff could not expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unexpandeds {
    /// Managed policies attached by ARN.
    Policies,
    /// GCP or Azure roles its tables lack.
    Roles,
    /// Policies by ARN and group memberships.
    Mixed,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::ConditionRewritten { binding, role, on } => write!(
                f,
                "the condition of {binding} ({role} on {on}) was rewritten: privdiff compares IAM conditions only by their text, so whether the new expression allows more than the old one cannot be told"
            ),
            Note::UnexpandedBefore { count: n, of } => {
                let what = match (of, n) {
                    (Unexpandeds::Policies, 1) => "1 managed policy".to_string(),
                    (Unexpandeds::Policies, _) => format!("{n} managed policies"),
                    (Unexpandeds::Roles, 1) => "1 role binding".to_string(),
                    (Unexpandeds::Roles, _) => format!("{n} role bindings"),
                    (Unexpandeds::Mixed, 1) => {
                        "1 grant (a policy by ARN or a group outside the plan)".to_string()
                    }
                    (Unexpandeds::Mixed, _) => {
                        format!("{n} grants (policies by ARN or groups outside the plan)")
                    }
                };
                write!(
                    f,
                    "before this change the identity also had {what} privdiff does not expand; requests listed as added may already have been allowed by {}",
                    if *n == 1 { "it" } else { "them" }
                )
            }
            Note::BoundaryLeftOut { arn } => write!(
                f,
                "the permissions boundary {arn} is not expanded; it is the same before and after, so it was left out of the comparison"
            ),
            Note::Sampled => f.write_str(
                "the scope is too complex to compare exactly within privdiff's analysis budget; the additions shown were found by trying requests and may be incomplete, and removals were not computed",
            ),
            Note::TooComplex => f.write_str(
                "the scope is too complex to compare within privdiff's analysis budget; it is reported as unverifiable",
            ),
            Note::PlanBudgetSpent => f.write_str(
                "the plan spent privdiff's analysis budget before this identity's scopes could be compared; it is reported as unverifiable",
            ),
            Note::ComparedByText => f.write_str(
                "some conditions use operators privdiff compares only by their exact text (binary comparisons, set operators on numbers, or a key used with two kinds of operator); an addition under such a condition may be narrower than shown",
            ),
            Note::AllowsNothing {
                source,
                action,
                resources,
                takes,
            } => {
                let takes = match takes.as_slice() {
                    [] => "takes only the resource \"*\"".to_string(),
                    [one] => format!("takes resources like {one}"),
                    [first @ .., last] => format!(
                        "takes resources like {} or {last}",
                        first.join(", ")
                    ),
                };
                write!(
                    f,
                    "{source}: {action} {takes}; on {} it allows nothing, so this part of the statement grants nothing (likely a mistake)",
                    crate::model::list(resources, 5)
                )
            }
            Note::NamedAfterApply {
                binding,
                attribute,
                shown,
            } => write!(
                f,
                "the {attribute} of {binding} is known only after apply: its grant is judged on {shown}, as a resource of its own (the worst case: where it turns out to be a resource the member already had the role on, nothing is added there)"
            ),
            Note::ScopeOfResource {
                binding,
                resource,
                scope,
            } => write!(
                f,
                "the scope of {binding} is known only after apply: it is the id of {resource}, {scope}, as the plan spells it"
            ),
            Note::AssumedAfterApply { source, assumed } => write!(
                f,
                "{source} is known only in part before apply; privdiff judged what is known and took the rest by its worst case: {}",
                assumed.join("; ")
            ),
            Note::GrantsNothingHere { binding, role, on } => write!(
                f,
                "{binding} binds {role} on a resource of type {on}, where none of the role's permissions takes effect: it grants nothing (likely a mistake)"
            ),
            Note::MembersAfterApply { binding, who } => {
                let (are, them, they) = if who.ends_with('s') {
                    ("are", "one standing for all of them", "whoever they are")
                } else {
                    ("is", "one standing for it", "whoever it is")
                };
                write!(
                    f,
                    "the {who} of {binding} {are} known only after apply: its grant is judged for {them}, and {they} gains it"
                )
            }
            Note::KnownNow => f.write_str(
                "the additions listed are what is known now; values known only after apply may add more (or deny some)",
            ),
            Note::NotThisResource {
                statement,
                names,
                excluded,
                partly,
                subject,
                refused,
            } => {
                let why = match refused {
                    Some(error) => format!("AWS refuses such a policy at apply ({error})"),
                    None => format!("a {subject} policy decides only requests on its own {subject}"),
                };
                if *excluded {
                    return write!(
                        f,
                        "{statement} excludes every resource of this {subject} with NotResource, so it grants nothing here"
                    );
                }
                let names = listed(names, "other resources");
                if *partly {
                    write!(
                        f,
                        "{statement} also names {names}, not this {subject}: {why}; only its part on this {subject} is counted"
                    )
                } else {
                    write!(
                        f,
                        "{statement} names {names}, not this {subject}: {why}, so it grants nothing here"
                    )
                }
            }
            Note::OtherService {
                statement,
                actions,
                service,
                policy,
            } => write!(
                f,
                "{statement} names {}: a {policy} decides only {service} requests, so {} ignored",
                not_of(actions, service),
                if actions.len() == 1 { "it is" } else { "they are" },
            ),
            Note::UnknownActions {
                statement,
                actions,
                service,
                refused,
            } => {
                let one = actions.len() == 1;
                write!(
                    f,
                    "{statement} names {} (privdiff's catalog of AWS actions has no match for {}); {} nothing here",
                    not_of(actions, service),
                    if one { "it" } else { "them" },
                    if one { "it grants" } else { "they grant" },
                )?;
                match refused {
                    Some(error) => write!(f, ", and AWS refuses such a policy at apply ({error})"),
                    None => Ok(()),
                }
            }
            Note::GroupOfMany { group, who } => write!(
                f,
                "{group} is {who}: each of them gains what it is granted here"
            ),
            Note::UnauthenticatedUrl { url, after_apply } => write!(
                f,
                "{url} serves the function at an HTTPS endpoint with authorization type NONE{}: whoever the function's resource policy allows lambda:InvokeFunctionUrl may call it without AWS credentials, and a permission for \"*\" makes it public",
                if *after_apply { " (known only after apply, taken as NONE)" } else { "" }
            ),
            Note::AclSetAside { acl, by, why } => match why {
                AclSetAside::Disabled => write!(
                    f,
                    "the access control list of {acl} grants nothing: {by} sets object ownership to BucketOwnerEnforced, which disables ACLs"
                ),
                AclSetAside::Ignored => write!(
                    f,
                    "the public grants in the access control list of {acl} grant nothing: {by} sets ignore_public_acls, so S3 ignores them"
                ),
                AclSetAside::Refused => write!(
                    f,
                    "the public grants in the access control list of {acl} grant nothing: {by} sets block_public_acls, so S3 refuses to set them and the apply fails"
                ),
            },
        }
    }
}

/// `ec2:*, which is not an action of S3`; `actions that are not ...` when they are not shown.
fn not_of(actions: &[String], service: &str) -> String {
    match actions {
        [] => format!(
            "actions that are not actions of {service} (not shown: the document is sensitive)"
        ),
        [one] => format!("{one}, which is not an action of {service}"),
        many => format!("{}, which are not actions of {service}", many.join(", ")),
    }
}

/// Names as a list (`a, b`), or `instead` when there are none to show (a sensitive document).
fn listed(names: &[String], instead: &str) -> String {
    if names.is_empty() {
        format!("{instead} (not shown: the document is sensitive)")
    } else {
        names.join(", ")
    }
}
