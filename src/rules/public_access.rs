//! `PD006` public-access.

use super::finding::{gained, of_reach, reach_summary, request, Gained};
use super::{Rule, Severity};
use crate::model::{ScopeKind, Verdict};
use crate::report::{ConcernCode, Finding, IdentityReport, PrincipalClass, Reach};

pub const RULE: Rule = Rule {
    code: "PD006",
    name: "public-access",
    severity: Severity::Critical,
    summary: "Anyone (a public principal with no condition that pins it) may newly reach the role or resource.",
    detects: "A trust or resource policy newly allows `*` (or `{\"AWS\": \"*\"}`) with no condition that pins it to a fixed account, organization, source ARN or account, VPC, VPC endpoint or narrow IP range (S3's definition of a public policy); or a member that stands for everyone (GCP's `allUsers` and `allAuthenticatedUsers`, Kubernetes' `system:anonymous` and unauthenticated or authenticated groups) gains anything, a role privdiff cannot expand included (then judged by its worst case, critical).",
    why: "A public grant is reachable by every AWS account and, for some services, by anonymous callers: one policy line can expose a bucket's data or let anyone assume a role.",
    example: "`aws_s3_bucket_policy.assets` allows `s3:GetObject` on `arn:aws:s3:::acme-site-assets/*` for `*`.",
    fix: "Name the principals, or pin `*` with `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceAccount`; serve public content through CloudFront with origin access control instead of a public bucket.",
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3"],
};

/// A subject anyone may now reach through its trust or resource policy. A public access block
/// turned off says it with its own rule.
pub fn for_reach(r: &Reach) -> Option<Finding> {
    let block_off = r
        .concerns
        .iter()
        .any(|c| c.code == ConcernCode::PublicAccessBlockDisabled);
    (r.class == PrincipalClass::Public && !block_off).then(|| {
        let m = format!("{} is open to anyone: {}", r.subject, reach_summary(r));
        of_reach(&RULE, r, None, m)
    })
}

/// An identity that stands for everyone (GCP's `allUsers`) and gained permissions, or a role
/// privdiff cannot expand: anything granted to everyone is a finding. It is critical, or high
/// when its example (the most consequential permission it gained, as the witnesses rank them)
/// only reads metadata; reading data or secrets is critical like a write or an IAM change. A
/// role whose content cannot be told is judged by its worst case, critical.
pub fn for_member(id: &IdentityReport) -> Option<Finding> {
    let t = crate::providers::routes(id.provider);
    // An address may carry a prefix naming its cluster (`kubernetes.prod/User:…`).
    let (_, who) = t
        .public
        .iter()
        .find(|(a, _)| id.address == *a || id.address.ends_with(&format!("/{a}")))?;
    let unexpanded = || {
        let gains = !matches!(id.verdict, Verdict::Deleted | Verdict::Narrowed);
        id.added
            .iter()
            .find(|g| gains && g.scope == ScopeKind::Permissions && g.is_unexpanded())
    };
    let grant = gained(id, ScopeKind::Permissions)
        .next()
        .or_else(unexpanded)?;
    let example = id
        .witness
        .as_ref()
        .filter(|w| w.scope == ScopeKind::Permissions && !grant.is_unexpanded());
    let gained = Gained {
        subject: id,
        who: Some(who),
        grant,
        example: example.map(request),
    };
    let mut f = gained.finding(&RULE);
    let reads = example.is_some_and(|w| (t.reads)(&w.action));
    f.severity = if reads {
        Severity::High
    } else {
        Severity::Critical
    };
    if let Some(w) = &id.witness {
        f.requests = vec![w.clone()];
    }
    Some(f)
}
